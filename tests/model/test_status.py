"""``status: candidate`` on events and reactions, and ``parties.X.aliases`` (issue 18).

A candidate (proposed by ``zopa extract``, awaiting review) is part of the file but no analysis
reads it: the facade leaves candidates out once (``Scenario.confirmed``), so every result is
the one of the scenario without them. ``zopa show`` lists them apart.
"""

from __future__ import annotations

import json

import pytest
from tests.conftest import TESTS, invoke

import zopa
from zopa.io.scenario_file import ScenarioError, parse_scenario
from zopa.model.as_of import as_of_cut
from zopa.render.document import to_markdown
from zopa.render.scenario_view import scenario_document

BASE = (TESTS / "io" / "good_scenarios" / "reactions.yaml").read_text(encoding="utf-8")

CANDIDATES = """
  - {date: 2025-12-14, party: UA, proposal: offer, stance: rejects, source: src1, status: candidate}
  - {date: 2025-12-20, party: RU, proposal: plan, stance: accepts, source: src2, status: candidate}
"""
CANDIDATE_EVENTS = """
  - {date: 2025-12-12, kind: battlefield-claim, text: A candidate claim., source: src2, claimed_by: RU, verified: false, status: candidate}
  - {date: 2025-12-21, kind: statement, text: Said later., source: src1, status: candidate}
"""


def with_candidates(text: str = BASE) -> str:
    """The scenario with two candidate reactions and two candidate events (one each after as_of)."""
    text = text.replace("reactions:\n", "reactions:" + CANDIDATES, 1)
    return text.replace("events:\n", "events:" + CANDIDATE_EVENTS, 1)


@pytest.fixture(scope="module")
def plain() -> zopa.model.scenario.Scenario:
    return parse_scenario(BASE)


@pytest.fixture(scope="module")
def candid() -> zopa.model.scenario.Scenario:
    return parse_scenario(with_candidates())


def test_status_defaults_to_confirmed(plain: zopa.model.scenario.Scenario) -> None:
    assert all(e.status == "confirmed" for e in plain.events)
    assert all(r.status == "confirmed" for r in plain.reactions)
    assert plain.confirmed() is plain
    assert plain.candidate_events == []
    assert plain.candidate_reactions == []


def test_candidates_are_kept_in_the_file_but_left_out_of_the_confirmed_view(
    candid: zopa.model.scenario.Scenario, plain: zopa.model.scenario.Scenario
) -> None:
    assert len(candid.candidate_events) == 2
    assert len(candid.candidate_reactions) == 2
    view = candid.confirmed()
    assert view is not candid
    assert view.events == plain.events
    assert view.reactions == plain.reactions
    assert view.model_dump(mode="json") == plain.model_dump(mode="json")


def test_a_candidate_may_be_dated_after_as_of_but_a_confirmed_entry_may_not() -> None:
    parse_scenario(with_candidates())  # 2025-12-20 and -21 are after as_of 2025-12-14
    confirmed = with_candidates().replace(
        "stance: accepts, source: src2, status: candidate", "stance: accepts, source: src2"
    )
    with pytest.raises(ScenarioError, match=r"reactions\[1\]\.date.*after the scenario's as_of"):
        parse_scenario(confirmed)
    event = with_candidates().replace("source: src1, status: candidate}", "source: src1}")
    with pytest.raises(ScenarioError, match=r"events\[1\]\.date.*after the scenario's as_of"):
        parse_scenario(event)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ScenarioError, match="status"):
        parse_scenario(with_candidates().replace("status: candidate}", "status: maybe}", 1))


@pytest.mark.parametrize("analysis", ["analyze", "timeline", "assumptions"])
def test_every_analysis_ignores_candidates(
    analysis: str, candid: zopa.model.scenario.Scenario, plain: zopa.model.scenario.Scenario
) -> None:
    run = getattr(zopa, analysis)
    assert run(candid).to_dict() == run(plain).to_dict()


def test_evaluate_and_as_of_ignore_candidates(
    candid: zopa.model.scenario.Scenario, plain: zopa.model.scenario.Scenario
) -> None:
    terms = {"nato": "closed", "army": "600"}
    assert zopa.evaluate(candid, terms).to_dict() == zopa.evaluate(plain, terms).to_dict()
    assert (
        zopa.analyze(candid, as_of="2025-12-12").to_dict()
        == zopa.analyze(plain, as_of="2025-12-12").to_dict()
    )


def test_the_record_a_contradicting_candidate_would_change_is_unchanged(
    candid: zopa.model.scenario.Scenario,
) -> None:
    """The candidate 'UA rejects its own offer' would contradict the assumptions if it counted."""
    confirmed = parse_scenario(
        with_candidates().replace(
            "stance: rejects, source: src1, status: candidate}", "stance: rejects, source: src1}"
        )
    )
    counted = zopa.analyze(confirmed).to_dict()["reactions"]
    ignored = zopa.analyze(candid).to_dict()["reactions"]
    assert len(counted) == len(ignored) + 1


def test_as_of_cut_leaves_out_candidates_dated_after_it(
    candid: zopa.model.scenario.Scenario,
) -> None:
    cut = as_of_cut(candid, "2025-12-12")
    assert [e.text for e in cut.scenario.candidate_events] == ["A candidate claim."]
    assert cut.scenario.candidate_reactions == []


def test_show_lists_candidates_apart(candid: zopa.model.scenario.Scenario) -> None:
    md = to_markdown(scenario_document(candid))
    assert "## Candidates awaiting review" in md
    head, candidates = md.split("## Candidates awaiting review")
    assert "A candidate claim." in candidates
    assert "Said later." in candidates
    assert "A candidate claim." not in head  # not among the confirmed events
    assert "4 entries marked `status: candidate`" in candidates
    assert "**Candidate reactions**" in candidates


def test_show_cli_lists_candidates(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "c.yaml"  # type: ignore[operator]
    path.write_text(with_candidates(), encoding="utf-8")
    shown = invoke("show", str(path))
    assert shown.exit_code == 0
    assert "Candidates awaiting review" in shown.stdout
    data = json.loads(invoke("show", str(path), "--format", "json").stdout)
    assert [e["status"] for e in data["events"]].count("candidate") == 2


def test_the_web_timeline_lists_confirmed_entries_only(
    candid: zopa.model.scenario.Scenario,
) -> None:
    pytest.importorskip("fastapi")
    from zopa.web.pages.timeline import entries_of

    texts = [e.title for _, day in entries_of(candid) for e in day]
    assert "A candidate claim." not in texts
    assert "Talks held." in texts


def test_aliases_are_names_of_a_party() -> None:
    s = parse_scenario(
        BASE.replace(
            "UA: {name: Ukraine, role: belligerent}",
            "UA: {name: Ukraine, role: belligerent, aliases: [Kyiv, Ukrainian government]}",
        )
    )
    assert s.parties["UA"].aliases == ["Kyiv", "Ukrainian government"]
    with pytest.raises(ScenarioError, match="aliases"):
        parse_scenario(
            BASE.replace(
                "UA: {name: Ukraine, role: belligerent}",
                "UA: {name: Ukraine, role: belligerent, aliases: Kyiv}",
            )
        )


def test_the_schema_knows_status_and_aliases() -> None:
    from zopa.io.schema import scenario_schema

    schema = json.dumps(scenario_schema())
    defs = scenario_schema()["$defs"]
    assert defs["Event"]["properties"]["status"]["enum"] == ["candidate", "confirmed"]
    assert defs["Reaction"]["properties"]["status"]["default"] == "confirmed"
    assert "aliases" in defs["Party"]["properties"]
    assert "candidate" in schema
