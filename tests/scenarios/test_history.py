"""The historical scenarios (issue 19): valid, listed, sourced term by term, and dated.

Each historical scenario is a negotiation whose ending is known. The tests hold them to the
standard of the default scenario: every proposal term, reaction, event and outcome term cites a
source that exists; every source carries the date it was published (or says why it cannot);
every preference number is labelled an assumption with a basis; and the outcome's package covers
every issue that has preferences.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
from tests.scenarios.sourcing import cited_ids
from typer.testing import CliRunner

import zopa
from zopa.catalog import embedded_ids, load
from zopa.cli import app
from zopa.model.base import cited_sources
from zopa.model.numbers import point
from zopa.model.scenario import BASIS_KEYS, Outcome, Scenario

HISTORY = ["camp-david-1978", "istanbul-2022"]


def path_of(scenario_id: str) -> Path:
    traversable = resources.files("zopa.catalog") / f"{scenario_id}.yaml"
    assert isinstance(traversable, Path)
    return traversable


def outcome_of(scenario_id: str) -> Outcome:
    """Return the scenario's ``outcome:`` section (every historical scenario has one)."""
    outcome = load(scenario_id).outcome
    assert outcome is not None, scenario_id
    return outcome


@pytest.fixture(scope="module", params=HISTORY)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load(request.param)


def test_listed_as_embedded() -> None:
    assert set(HISTORY) <= set(embedded_ids())
    assert set(HISTORY) <= set(zopa.scenarios())
    result = CliRunner().invoke(app, ["scenarios"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for sid in HISTORY:
        assert sid in result.stdout


@pytest.mark.parametrize("scenario_id", HISTORY)
def test_zopa_validate_accepts_the_file(scenario_id: str) -> None:
    result = CliRunner().invoke(
        app, ["validate", str(path_of(scenario_id))], env={"COLUMNS": "1000"}
    )
    assert result.exit_code == 0, result.output
    assert f"valid scenario '{scenario_id}'" in result.stdout
    assert load(path_of(scenario_id)) == load(scenario_id)


def test_outcome_space_is_modest(scenario: Scenario) -> None:
    packages = 1
    for issue in scenario.issues.values():
        packages *= len(issue.option_ids())
    assert 100 <= packages <= 5_000, packages


def test_every_proposal_term_cites_its_own_source(scenario: Scenario) -> None:
    assert len(scenario.proposals) >= 4
    for pid, proposal in scenario.proposals.items():
        assert proposal.source, pid
        assert proposal.terms, pid
        for issue, term in proposal.terms.items():
            assert term.source, (pid, issue)


def test_proposals_in_date_order(scenario: Scenario) -> None:
    dates = [p.date for p in scenario.proposals.values()]
    assert dates == sorted(dates)


def test_every_reaction_and_event_cites_a_source(scenario: Scenario) -> None:
    assert len(scenario.reactions) >= 4
    assert scenario.events
    for reaction in scenario.reactions:
        assert reaction.source, reaction
        assert reaction.date >= scenario.proposals[reaction.proposal].date
    for event in scenario.events:
        assert event.source, event


def test_every_cited_source_exists_and_is_dated(scenario: Scenario) -> None:
    cited = cited_ids(scenario)
    assert cited <= set(scenario.sources), cited - set(scenario.sources)
    assert scenario.as_of is not None
    for sid in cited:
        source = scenario.sources[sid]
        # a source without a date must say why (an undated web page)
        assert source.date is not None or "undated" in (source.note or ""), sid
        if source.date is not None:
            assert source.date <= scenario.as_of, sid


def test_every_source_is_cited(scenario: Scenario) -> None:
    cited = cited_ids(scenario)  # notes' citations included
    assert set(scenario.sources) <= cited, set(scenario.sources) - cited


def test_preferences_are_labelled_assumptions_with_ranges(scenario: Scenario) -> None:
    principals = {p for p, party in scenario.parties.items() if party.role == "belligerent"}
    assert principals <= set(scenario.preferences)
    for party, prefs in scenario.preferences.items():
        basis = prefs.basis
        assert isinstance(basis, dict), party
        needed = {"weights", "reservation"} | {
            issue for issue, w in prefs.weights.items() if point(w) != 0
        }
        assert needed <= set(basis), (party, needed - set(basis))
        assert set(basis) <= set(BASIS_KEYS) | set(scenario.issues)
        for text in basis.values():
            assert "Assumption" in text, (party, text)
        # the walk-away point is uncertain, with a range
        assert not isinstance(prefs.reservation, float | int), party


def test_bases_say_when_they_rest_on_later_sources(scenario: Scenario) -> None:
    """A basis citing a source published on or after the outcome's date says so in words."""
    outcome_date = outcome_of(scenario.id).date
    assert outcome_date is not None
    for party, prefs in scenario.preferences.items():
        assert isinstance(prefs.basis, dict)
        for key, text in prefs.basis.items():
            later = [
                sid
                for sid in cited_sources(text)
                if (date := scenario.sources[sid].date) is not None and date >= outcome_date
            ]
            if later:
                assert "after the outcome" in text or "knowing the outcome" in text, (
                    party,
                    key,
                    later,
                )


def test_outcome_section(scenario: Scenario) -> None:
    outcome = outcome_of(scenario.id)
    assert outcome.status in {"agreed", "broke-down"}
    assert outcome.date is not None
    assert outcome.text
    assert outcome.source
    assert all(p.date <= outcome.date for p in scenario.proposals.values())
    if outcome.status == "agreed":
        assert outcome.package is not None
        assert set(outcome.package) == set(scenario.issues)
        for issue, term in outcome.package.items():
            assert str(term.option) in scenario.issues[issue].option_ids(), (issue, term)
            assert term.source, issue
    else:
        assert outcome.package is None


def test_camp_david_agreed_package_bridges_the_gap() -> None:
    """Under the point assumptions the signed package is acceptable to Egypt, Israel and the US."""
    outcome = outcome_of("camp-david-1978")
    assert outcome.status == "agreed"
    assert outcome.package is not None
    terms = {issue: str(term.option) for issue, term in outcome.package.items()}
    evaluation = zopa.evaluate("camp-david-1978", terms)
    assert evaluation.bridges
    # and the last proposal before the signing, Begin's offer, is the one that bridges
    analysis = zopa.analyze("camp-david-1978")
    bridging = [row for row in analysis.to_frame("proposals").itertuples() if row.bridges]
    assert {row.proposal for row in bridging} == {"begin-offer-1978-09-16"}


def test_istanbul_nothing_on_the_table_bridges() -> None:
    outcome = outcome_of("istanbul-2022")
    assert outcome.status == "broke-down"
    assert outcome.date == dt.date(2022, 5, 17)
    analysis = zopa.analyze("istanbul-2022")
    frame = analysis.to_frame("proposals")
    assert not frame["bridges"].any()
