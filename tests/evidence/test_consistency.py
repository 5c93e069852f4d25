"""Reactions against the point values of the assumptions (``zopa.evidence.consistency``)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.model.test_scenario import small

import zopa
from zopa.evidence.consistency import check_reactions
from zopa.evidence.likelihood import SOFT_OFFSET, likelihood
from zopa.model.scenario import Scenario
from zopa.space.analysis import analyze
from zopa.space.results import PackageVerdict, PartyVerdict


def verdict(utility: float, reservation: float, slack: float | None = None) -> PackageVerdict:
    """A verdict in which RU rates the package ``utility`` against ``reservation``."""
    accepted = utility >= reservation
    party = PartyVerdict(
        "RU", utility, reservation, True, accepted, max(0.0, reservation - utility), slack
    )
    return PackageVerdict({}, [party], accepted, [] if accepted else ["RU"], {})


def scenario_with(stance: str) -> Scenario:
    data = copy.deepcopy(small())
    data["reactions"] = [
        {"date": "2025-12-02", "party": "RU", "proposal": "p1", "stance": stance, "source": "s1"}
    ]
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    ("stance", "utility", "consistent"),
    [
        ("accepts", 0.6, True),
        ("accepts", 0.4, False),
        ("rejects", 0.4, True),
        ("rejects", 0.6, False),
        ("rejects", 0.5, False),  # at the walk-away point a party accepts
        ("accepts", 0.5, True),
        ("basis-for-talks", 0.45, True),  # 0.05 short: near enough to be a basis
        ("basis-for-talks", 0.3, False),  # 0.2 short: too far
        ("unacceptable-as-is", 0.55, True),  # 0.05 above: bargaining
        ("unacceptable-as-is", 0.7, False),  # 0.2 above: too far above
    ],
)
def test_each_stance_against_the_slack(stance: str, utility: float, consistent: bool) -> None:
    s = scenario_with(stance)
    (check,) = check_reactions(s, {"p1": verdict(utility, 0.5)})
    assert check.consistent is consistent
    assert check.party == "RU"
    assert check.proposal == "p1"
    assert check.proposal_title == "Plan"
    assert check.slack == pytest.approx(utility - 0.5)
    assert (check.likelihood >= 0.5) is consistent


def test_hard_stances_follow_the_exact_verdict_not_the_float_slack() -> None:
    # a utility that rounds to the walk-away point but was accepted exactly
    s = scenario_with("rejects")
    (check,) = check_reactions(s, {"p1": verdict(0.5, 0.5, slack=-1e-17)})
    assert check.accepted
    assert not check.consistent
    assert check.likelihood == 0.0


def test_soft_stances_use_the_exact_slack() -> None:
    # 0.3 - 0.4 in floats is -0.10000000000000003; the exact slack is -0.1: even odds
    s = scenario_with("basis-for-talks")
    (check,) = check_reactions(s, {"p1": verdict(0.3, 0.4, slack=-0.1)})
    assert check.likelihood == pytest.approx(0.5)
    assert check.consistent


@given(st.floats(-1, 1), st.sampled_from(["basis-for-talks", "unacceptable-as-is"]))
def test_soft_likelihood_is_the_documented_logistic(slack: float, stance: str) -> None:
    s = scenario_with(stance)
    (check,) = check_reactions(s, {"p1": verdict(0.5 + slack, 0.5, slack=slack)})
    assert check.likelihood == pytest.approx(float(likelihood(stance, slack)))
    midpoint = -SOFT_OFFSET if stance == "basis-for-talks" else SOFT_OFFSET
    if abs(slack - midpoint) > 1e-9:
        rising = stance == "basis-for-talks"
        assert check.consistent == ((slack > midpoint) == rising)


def test_the_json_form() -> None:
    s = scenario_with("rejects")
    (check,) = check_reactions(s, {"p1": verdict(0.62, 0.5, slack=0.12)})
    assert check.to_dict() == {
        "date": "2025-12-02",
        "party": "RU",
        "proposal": "p1",
        "stance": "rejects",
        "source": ["s1"],
        "quote": None,
        "consistent": False,
        "utility": 0.62,
        "reservation": 0.5,
        "slack": 0.12,
        "likelihood": 0.0,
    }


def test_analyze_checks_every_reaction_even_of_a_proposal_not_analysed() -> None:
    data: dict[str, Any] = copy.deepcopy(small())
    data["reactions"] = [
        {
            "date": "2025-12-02",
            "party": "RU",
            "proposal": "p1",
            "stance": "rejects",
            "source": "s1",
        },
        {
            "date": "2025-12-14",
            "party": "UA",
            "proposal": "p2",
            "stance": "accepts",
            "source": "s1",
        },
    ]
    s = Scenario.model_validate(data)
    only_p2 = analyze(s, ["p2"])
    assert [p.id for p in only_p2.proposals] == ["p2"]
    assert [(r.proposal, r.party) for r in only_p2.reactions] == [("p1", "RU"), ("p2", "UA")]
    full = analyze(s)
    assert only_p2.reactions == full.reactions
    for r in full.reactions:  # the same utility and walk-away point as the proposal's verdict
        pv = next(p for p in full.proposals if p.id == r.proposal)
        party = next(v for v in pv.verdict.parties if v.party == r.party)
        assert (r.utility, r.reservation, r.accepted) == (
            party.utility,
            party.reservation,
            party.accepted,
        )
    assert full.to_dict()["reactions"] == [r.to_dict() for r in full.reactions]


def test_a_scenario_without_reactions_has_an_empty_list() -> None:
    a = analyze(Scenario.model_validate(small()))
    assert a.reactions == []
    assert a.to_dict()["reactions"] == []


# -- the Berlin scenario ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin() -> zopa.results.Analysis:
    return zopa.analyze()


def test_berlin_has_sourced_reactions_within_its_dates(berlin: zopa.results.Analysis) -> None:
    s = berlin.scenario
    assert len(s.reactions) >= 8
    for r in s.reactions:
        assert s.as_of is not None
        assert s.proposals[r.proposal].date <= r.date <= s.as_of
        assert all(src in s.sources for src in r.source)
        assert r.quote
        assert len(r.quote) <= 300
    assert s.as_of == dt.date(2025, 12, 14)


def test_berlin_records_russia_rejecting_the_e3_text(berlin: zopa.results.Analysis) -> None:
    found = [
        r
        for r in berlin.result.reactions
        if (r.party, r.proposal) == ("RU", "e3-counter-2025-11-23")
    ]
    assert [r.stance for r in found] == ["rejects"]
    assert found[0].source == ["protothema-2025-11-24"]
    assert "unconstructive" in (found[0].quote or "")


def test_berlin_contradictions_are_those_whose_stance_is_unlikely(
    berlin: zopa.results.Analysis,
) -> None:
    checks = berlin.result.reactions
    assert checks
    assert berlin.result.contradicted == [r for r in checks if r.likelihood < 0.5]
    # at the analyst's point values the EU rates the 28 points far below its walk-away point,
    # yet called them "a basis": the record contradicts that reading
    eu = next(
        r
        for r in checks
        if (r.party, r.proposal, r.stance) == ("EU", "us-28-point-2025-11-20", "basis-for-talks")
    )
    assert eu.slack < -SOFT_OFFSET
    assert eu in berlin.result.contradicted
