"""Mapping a report to a scenario: parties (with aliases), proposals, reactions, --into."""

from __future__ import annotations

import datetime as dt

import pytest

import zopa
from zopa.extract.gazetteer import load_gazetteer
from zopa.extract.linking import Linker, event_text, source_id, stance_of
from zopa.io.scenario_file import parse_scenario

TODAY = "2025-12-15"


@pytest.fixture(scope="module")
def berlin() -> zopa.model.scenario.Scenario:
    return zopa.load("berlin-2025-12")


def test_aliases_and_officials_map_to_the_scenarios_parties(
    berlin: zopa.model.scenario.Scenario,
) -> None:
    linker = Linker(berlin, load_gazetteer())
    assert linker.party("UA") == "UA"
    assert linker.party("RU") == "RU"
    assert linker.party("FR") == "EU"
    assert linker.party("DE") == "EU"
    assert linker.party("GB") == "EU"
    assert linker.party("TR") is None  # no party stands for Turkey
    r = zopa.extract(
        "French President Emmanuel Macron said on Monday that Europe would send troops only after a ceasefire. "
        "The E3 said it backed the plan.",
        date=TODAY,
        scenario=berlin,
    )
    first, second = r.events
    assert (first["actor"], first["actor_party"], first["claimed_by_party"]) == (
        "Emmanuel Macron",
        "EU",
        "EU",
    )
    assert second["claimed_by_party"] == "EU"  # an alias the gazetteer does not know


def test_without_a_scenario_the_parties_are_gazetteer_sides() -> None:
    (e,) = zopa.extract(
        "French President Emmanuel Macron said talks were needed.", date=TODAY
    ).events
    assert e["actor_party"] == "FR"


def test_a_named_proposal_and_a_reaction_to_it(berlin: zopa.model.scenario.Scenario) -> None:
    r = zopa.extract(
        "Kremlin aide Yuri Ushakov said on Monday that the European counter-proposal was completely "
        "unconstructive and rejected it.",
        date=TODAY,
        scenario=berlin,
    )
    (e,) = r.events
    assert e["proposal"] == "e3-counter-2025-11-23"
    (reaction,) = r.to_dict()["reactions"]
    assert (reaction["party"], reaction["proposal"], reaction["stance"]) == (
        "RU",
        "e3-counter-2025-11-23",
        "rejects",
    )


def test_the_28_point_plan_is_named_by_its_number(berlin: zopa.model.scenario.Scenario) -> None:
    (e,) = zopa.extract(
        "Putin said on Monday the 28-point plan could form a basis for future agreements.",
        date=TODAY,
        scenario=berlin,
    ).events
    assert e["proposal"] == "us-28-point-2025-11-20"


@pytest.mark.parametrize(
    ("words", "stance"),
    [
        ("Moscow rejected the plan", "rejects"),
        ("the draft will require additional work", "unacceptable-as-is"),
        ("it could form a basis for talks", "basis-for-talks"),
        ("Kyiv accepted the framework", "accepts"),
        ("the talks went on", None),
    ],
)
def test_stances(words: str, stance: str | None) -> None:
    assert stance_of(words) == stance


def test_source_ids(berlin: zopa.model.scenario.Scenario) -> None:
    title = berlin.sources["cgtn-2025-12-14"].title
    assert source_id(berlin, "CGTN", title, None, "2025-12-14") == ("cgtn-2025-12-14", True)
    assert source_id(berlin, "CGTN", "Another report", None, "2025-12-14") == (
        "cgtn-2025-12-14-2",
        False,
    )
    assert source_id(berlin, "cgtn.com", None, None, "2025-12-20") == ("cgtn-2025-12-20", False)
    assert source_id(berlin, None, None, None, "2025-12-20") == ("report-2025-12-20", False)


def test_claims_read_from_one_sentence_have_distinct_texts() -> None:
    r = zopa.extract(
        "Russian forces struck depots at 142 locations, claiming control of the village of Varvarovka, "
        "the Russian Defence Ministry said.",
        date=TODAY,
    )
    texts = [event_text(e) for e in r.result.events]
    assert len(set(texts)) == 2
    assert texts[0].endswith("[strike; by Russian forces; locations 142]")
    assert texts[1].endswith("[territorial; by Russian forces; Varvarovka]")


def test_into_a_scenario_keeps_the_file_and_adds_valid_candidates(
    berlin: zopa.model.scenario.Scenario,
) -> None:
    text = (
        "Title: Russia claims Varvarovka\nDate: 2025-12-16\nURL: https://news.example/a\n\n"
        "Russia's Defence Ministry said its forces had taken the village of Varvarovka overnight. "
        "Putin said on Tuesday the 28-point plan could form a basis for agreements."
    )
    r = zopa.extract(text, publisher="Example News", scenario="berlin-2025-12")
    new = r.scenario_yaml()
    original = r.scenario_text
    assert original is not None
    kept = [line for line in original.splitlines() if line.strip()]
    assert all(line in new for line in kept[:40])  # comments and layout kept
    s = parse_scenario(new)
    assert s.sources["example-news-2025-12-16"].url == "https://news.example/a"
    assert len(s.candidate_events) == 2
    claim = s.candidate_events[0]
    assert (claim.kind, claim.claimed_by, claim.verified, claim.date) == (
        "battlefield-claim",
        "RU",
        False,
        dt.date(2025, 12, 15),
    )
    assert s.as_of is not None
    assert claim.date > s.as_of
    (reaction,) = s.candidate_reactions  # Russia on the US plan
    assert (reaction.party, reaction.stance) == ("RU", "basis-for-talks")
    assert s.confirmed().events == berlin.events
    # the analyses read the same scenario as before
    after, before = zopa.analyze(s).to_dict(), zopa.analyze(berlin).to_dict()
    assert after.pop("scenario")["sha256"] != before.pop("scenario")["sha256"]  # a new source
    assert after == before


def test_a_reaction_goes_in_as_a_candidate() -> None:
    r = zopa.extract(
        "Putin said on Monday the 28-point plan could form a basis for future agreements.",
        date=TODAY,
        publisher="Wire",
        scenario="berlin-2025-12",
    )
    s = parse_scenario(r.scenario_yaml())
    (reaction,) = s.candidate_reactions
    assert (reaction.party, reaction.proposal, reaction.stance, reaction.status) == (
        "RU",
        "us-28-point-2025-11-20",
        "basis-for-talks",
        "candidate",
    )
    assert reaction.source == ["wire-2025-12-15"]


def test_scenario_yaml_needs_a_scenario() -> None:
    r = zopa.extract("Peskov said talks would resume.", date=TODAY)
    with pytest.raises(zopa.UsageError, match="give one"):
        r.scenario_yaml()
