"""The facade's two-party views of an analysis: frontiers, walk-away points, the default pair."""

from __future__ import annotations

import itertools

import pytest
from tests.charts.results import result
from tests.conftest import SMALL_SCENARIO

import zopa
from zopa.space.compile import compile_scenario
from zopa.space.projection import two_party_front


def test_walk_away_points_are_the_verdicts_reservations():
    a = result("analysis")
    verdict = a.result.proposals[0].verdict
    assert a.walk_away == {v.party: v.reservation for v in verdict.parties}


def test_the_opposed_pair_is_the_one_that_can_gain_least_together():
    a = result("analysis")
    assert a.opposed_parties() == ("UA", "RU")

    def joint(p: str, q: str) -> float:
        return max(min(s.gains[p], s.gains[q]) for s in a.result.pareto)

    pairs = list(itertools.combinations(a.result.bargainers, 2))
    assert joint("UA", "RU") == min(joint(p, q) for p, q in pairs)
    small = zopa.analyze(str(SMALL_SCENARIO))
    assert small.opposed_parties() == ("UA", "RU")


def test_frontier_points_carry_a_package_at_that_point():
    a = result("analysis")
    front = a.frontier("UA", "RU", acceptable=True)
    assert [p.x for p in front] == sorted(p.x for p in front)
    for point in (front[0], front[len(front) // 2], front[-1]):
        ev = zopa.evaluate(terms=",".join(f"{i}={o}" for i, o in point.package.items()))
        assert ev.bridges
        utilities = {v.party: v.utility for v in ev.verdict.parties}
        assert utilities["UA"] == pytest.approx(point.x)
        assert utilities["RU"] == pytest.approx(point.y)
    everything = a.frontier("UA", "RU")
    assert len(everything) > len(front)
    # no acceptable point beats the frontier of all packages for both parties
    for p in front:
        assert not any(q.x > p.x and q.y > p.y for q in front)
        assert any(q.x >= p.x and q.y >= p.y for q in everything)


def test_frontier_refuses_unknown_and_repeated_parties():
    a = result("analysis")
    with pytest.raises(zopa.UnknownId, match="unknown party 'XX'"):
        a.frontier("UA", "XX")
    with pytest.raises(zopa.UsageError, match="two different parties"):
        a.frontier("RU", "RU")


def test_the_acceptable_frontier_is_the_engines_read_off_the_analysis():
    a = result("analysis")
    engine = two_party_front(compile_scenario(a.scenario), "RU", "EU", acceptable_only=True)
    facade = a.frontier("RU", "EU", acceptable=True)
    assert [(p.x, p.y) for p in facade] == [tuple(u) for u in engine.points.tolist()]
