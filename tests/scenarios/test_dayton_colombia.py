"""The historical scenarios dayton-1995 and colombia-farc-2016: valid, sourced, dated and honest.

Every fact (proposal term, reaction, event, outcome term) must cite sources that exist, and
every source must carry a date, so that the backtest can tell which preference numbers rest
only on sources published before the talks ended. Every preference number is an analyst
assumption and must say so, with a basis for the weights, the walk-away point and every issue
that matters to the party. The scenario-specific tests pin the structure history gives each
case (who had to consent to what, which package was agreed, which was rejected).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
from tests.scenarios.sourcing import basis_texts, cited_ids
from typer.testing import CliRunner

import zopa
from zopa.catalog import embedded_ids, embedded_text, load
from zopa.cli import app
from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import BASIS_KEYS, Scenario
from zopa.robust.sampling import number_sites

IDS = ("dayton-1995", "colombia-farc-2016")


@pytest.fixture(scope="module", params=IDS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load(request.param)


def _path(scenario_id: str) -> Path:
    traversable = resources.files("zopa.catalog") / f"{scenario_id}.yaml"
    assert isinstance(traversable, Path)
    return traversable


@pytest.mark.parametrize("scenario_id", IDS)
def test_embedded_listed_and_valid(scenario_id: str) -> None:
    assert scenario_id in embedded_ids()
    assert embedded_text(scenario_id) == _path(scenario_id).read_bytes()
    result = CliRunner().invoke(app, ["validate", str(_path(scenario_id))], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"valid scenario '{scenario_id}'" in result.stdout


def test_zopa_scenarios_lists_both() -> None:
    result = CliRunner().invoke(app, ["scenarios", "--format", "json"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert set(IDS) <= set(result.stdout.split('"')), result.stdout


def test_every_proposal_term_has_its_own_existing_source(scenario: Scenario) -> None:
    assert len(scenario.proposals) >= 5
    for pid, proposal in scenario.proposals.items():
        assert proposal.source, pid
        assert set(proposal.source) <= set(scenario.sources), pid
        assert proposal.terms, pid
        for issue, term in proposal.terms.items():
            assert term.source, (pid, issue)
            assert set(term.source) <= set(scenario.sources), (pid, issue)


def test_proposals_are_in_date_order_and_full_packages(scenario: Scenario) -> None:
    dates = [p.date for p in scenario.proposals.values()]
    assert dates == sorted(dates)
    for pid in scenario.proposals:
        package = scenario.package_of(pid)
        assert set(package) == set(scenario.issues), pid


def test_every_reaction_is_sourced_and_after_its_proposal(scenario: Scenario) -> None:
    assert len(scenario.reactions) >= 10
    for i, reaction in enumerate(scenario.reactions):
        assert reaction.source, i
        assert set(reaction.source) <= set(scenario.sources), i
        assert reaction.party in scenario.preferences, i
        assert reaction.date >= scenario.proposals[reaction.proposal].date, i
    dates = [r.date for r in scenario.reactions]
    assert dates == sorted(dates)


def test_every_event_is_sourced(scenario: Scenario) -> None:
    assert scenario.events
    for event in scenario.events:
        assert event.source, event.text
        assert set(event.source) <= set(scenario.sources), event.text


def test_outcome_package_and_interims_are_sourced(scenario: Scenario) -> None:
    outcome = scenario.outcome
    assert outcome is not None
    assert outcome.status == "agreed"
    assert outcome.date is not None
    assert scenario.as_of is not None
    assert outcome.date <= scenario.as_of
    assert outcome.source
    assert set(outcome.source) <= set(scenario.sources)
    assert outcome.package is not None
    assert set(outcome.package) == set(scenario.issues)
    for issue, term in outcome.package.items():
        assert term.source, issue
        assert set(term.source) <= set(scenario.sources), issue
        assert str(term.option) in scenario.issues[issue].option_ids(), issue
    for step in outcome.interim:
        assert step.date < outcome.date
        assert step.source
        assert set(step.source) <= set(scenario.sources)
        if step.package is not None:
            for issue, term in step.package.items():
                assert term.source, issue
                assert set(term.source) <= set(scenario.sources), issue


def test_every_cited_source_exists_and_is_dated(scenario: Scenario) -> None:
    cited = cited_ids(scenario)
    assert cited <= set(scenario.sources), cited - set(scenario.sources)
    for sid in cited:
        assert scenario.sources[sid].date is not None, sid


def test_every_source_is_cited_and_dated(scenario: Scenario) -> None:
    cited = cited_ids(scenario)
    assert set(scenario.sources) <= cited, set(scenario.sources) - cited
    for sid, source in scenario.sources.items():
        assert source.date is not None, sid


def test_a_date_that_stands_for_a_month_or_year_says_so(scenario: Scenario) -> None:
    for sid, source in scenario.sources.items():
        assert source.date is not None
        if source.date.month == 1 and source.date.day == 1:
            assert source.note, sid
            assert "stands for the year" in source.note, sid


def test_every_basis_is_an_assumption_covering_what_matters(scenario: Scenario) -> None:
    assert set(scenario.preferences) <= set(scenario.parties)
    for party, prefs in scenario.preferences.items():
        assert isinstance(prefs.basis, dict), party
        assert set(prefs.basis) <= set(BASIS_KEYS) | set(scenario.issues), party
        needed = {"weights", "reservation"}
        needed |= {issue for issue, w in prefs.weights.items() if point(w) != 0}
        if "general" not in prefs.basis:
            assert needed <= set(prefs.basis), (party, needed - set(prefs.basis))
        assert {"weights", "reservation"} <= set(prefs.basis), party
        for text in basis_texts(prefs):
            assert text.startswith("Assumption"), (party, text)


def test_walk_away_points_and_weights_carry_ranges(scenario: Scenario) -> None:
    for party, prefs in scenario.preferences.items():
        assert isinstance(prefs.reservation, Uncertain), party
        for issue, weight in prefs.weights.items():
            assert isinstance(weight, Uncertain), (party, issue)
    for site in number_sites(scenario):
        if isinstance(site.number, Uncertain):
            assert site.number.low <= site.number.point <= site.number.high, site.path


def test_nothing_is_dated_after_as_of(scenario: Scenario) -> None:
    assert scenario.as_of is not None
    assert all(p.date <= scenario.as_of for p in scenario.proposals.values())
    assert all(e.date <= scenario.as_of for e in scenario.events)
    assert all(r.date <= scenario.as_of for r in scenario.reactions)


def test_the_header_says_the_analyst_knew_the_outcome(scenario: Scenario) -> None:
    text = embedded_text(scenario.id).decode()
    header = " ".join(
        line.lstrip("#").strip() for line in text.split("\nzopa: 1", 1)[0].splitlines()
    )
    assert "ANALYST ASSUMPTION" in header
    assert "knew how the" in header
    assert "not proof of" in header


# ---------------------------------------------------------------- dayton-1995


@pytest.fixture(scope="module")
def dayton() -> Scenario:
    return load("dayton-1995")


def test_dayton_parties_and_consent(dayton: Scenario) -> None:
    roles = {p: party.role for p, party in dayton.parties.items()}
    assert {p for p, r in roles.items() if r == "belligerent"} == {"BIH", "SRB", "HR"}
    assert roles["RS"] == "observer"  # Serbia negotiated for the Bosnian Serbs
    ifor = dayton.issues["ifor"].options
    assert ifor is not None
    assert set(ifor["nato-ifor"].consent) == {"US", "CG"}


def test_dayton_outcome_is_the_initialled_text(dayton: Scenario) -> None:
    assert dayton.outcome is not None
    assert dayton.outcome.package is not None
    agreed = {issue: str(term.option) for issue, term in dayton.outcome.package.items()}
    assert agreed == dayton.package_of("gfap-initialled-1995-11-21")
    assert agreed["brcko"] == "arbitration"
    assert agreed["territory"] == "51-49"
    assert dayton.outcome.date == dt.date(1995, 11, 21)
    # the earlier texts the brief names: the Contact Group plan and both sets of principles
    assert {
        "contact-group-plan-1994-07-05",
        "geneva-principles-1995-09-08",
        "new-york-principles-1995-09-26",
    } <= set(dayton.proposals)


def test_dayton_agreement_bridges_without_the_bosnian_serbs(dayton: Scenario) -> None:
    doc = zopa.analyze(dayton).to_dict()
    rows = {p["id"]: p for p in doc["proposals"]}
    gfap = rows["gfap-initialled-1995-11-21"]
    assert gfap["bridges"] is True
    assert gfap["parties"]["RS"]["needed"] is False
    assert gfap["parties"]["RS"]["accepted"] is False  # Krajišnik's no is consistent
    assert rows["contact-group-plan-1994-07-05"]["bridges"] is False


# ---------------------------------------------------------------- colombia-farc-2016


@pytest.fixture(scope="module")
def colombia() -> Scenario:
    return load("colombia-farc-2016")


def test_colombia_voters_consent_only_to_a_popular_vote(colombia: Scenario) -> None:
    assert colombia.parties["NO"].role == "observer"
    endorsement = colombia.issues["endorsement"].options
    assert endorsement is not None
    needs_no = {o for o, opt in endorsement.items() if "NO" in opt.consent}
    assert needs_no == {"plebiscite-entrenched", "popular-vote"}


def test_colombia_interim_is_the_rejected_first_agreement(colombia: Scenario) -> None:
    outcome = colombia.outcome
    assert outcome is not None
    assert outcome.package is not None
    (step,) = outcome.interim
    assert step.status == "rejected"
    assert step.date == dt.date(2016, 10, 2)
    assert step.package is not None
    first = {issue: str(term.option) for issue, term in step.package.items()}
    assert first == colombia.package_of("final-agreement-2016-08-24")
    final = {issue: str(term.option) for issue, term in outcome.package.items()}
    assert final == colombia.package_of("revised-agreement-signed-2016-11-24")
    assert final["endorsement"] == "congress"
    assert outcome.date == dt.date(2016, 11, 24)


def test_colombia_point_analysis_matches_the_record(colombia: Scenario) -> None:
    doc = zopa.analyze(colombia).to_dict()
    rows = {p["id"]: p for p in doc["proposals"]}
    first = rows["final-agreement-2016-08-24"]
    assert first["bridges"] is False
    assert first["rejecting"] == ["NO"]  # the government and the FARC signed it
    revised = rows["revised-agreement-signed-2016-11-24"]
    assert revised["bridges"] is True
    assert revised["parties"]["NO"]["needed"] is False
    assert revised["parties"]["NO"]["accepted"] is False


def test_backtest_at_the_point_values_agrees_on_every_date() -> None:
    result = zopa.backtest(list(IDS), samples=0, workers=1)
    targets = {(s.scenario, t.target.key): t for s in result.result.scenarios for t in s.targets}
    assert set(targets) == {
        ("dayton-1995", "final"),
        ("colombia-farc-2016", "final"),
        ("colombia-farc-2016", "interim-1"),
    } or {s for s, _ in targets} == set(IDS)
    for key, target in targets.items():
        assert target.checked_dates > 0, key
        assert target.consistent_dates == target.checked_dates, key
