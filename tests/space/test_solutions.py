"""Bargaining solutions: analytic cases and invariance properties."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.space._build import brute_acceptable, make_space, spaces

from zopa.space.engine import EnumerationEngine, PackageSet
from zopa.space.exact import SCALE, from_grid, to_grid
from zopa.space.pareto import nondominated
from zopa.space.solutions import bargaining_solutions


def one_issue(u1, u2, r=(0.0, 0.0)):
    """A single issue whose options give the two parties the utilities u1, u2."""
    return make_space(values=[[list(u1), list(u2)]], weights=[[1], [1]], reservation=list(r))


def solve(space):
    engine = EnumerationEngine(space)
    front = engine.pareto(acceptable_only=True)
    return bargaining_solutions(front, to_grid(space.reservation), np.ones(space.n_parties, bool))


def shares(space, result):
    return sorted(float(from_grid(u[0])) for u in result.utilities)


def test_linear_split_of_a_unit_nash_at_midpoint():
    # Nash (1950): with u1 = x, u2 = 1 - x and d = 0 the product x(1-x) peaks at x = 1/2
    x = np.linspace(0, 1, 101)
    sol = solve(one_issue(x, 1 - x))
    assert shares(None, sol["nash"]) == [pytest.approx(0.5)]
    assert shares(None, sol["kalai_smorodinsky"]) == [pytest.approx(0.5)]
    assert shares(None, sol["egalitarian"]) == [pytest.approx(0.5)]


def test_linear_split_with_walkaway_points_splits_the_gains():
    # d = (0.2, 0.4): gains x - 0.2 and 0.6 - x are equal at x = 0.4
    x = np.linspace(0, 1, 101)
    sol = solve(one_issue(x, 1 - x, r=(0.2, 0.4)))
    assert shares(None, sol["nash"]) == [pytest.approx(0.4)]


def test_nash_share_with_concave_utility_is_two_thirds():
    # u2 = sqrt(1 - x): max x * sqrt(1 - x) at x = 2/3 (Osborne & Rubinstein 1990, ch. 2)
    x = np.arange(301) / 300
    sol = solve(one_issue(x, np.sqrt(1 - x)))
    assert shares(None, sol["nash"]) == [pytest.approx(2 / 3)]


def test_kalai_smorodinsky_with_asymmetric_ideal_points():
    # u1 = x, u2 = 0.6 (1 - x): ideal point (1, 0.6). KS equalises the shares of the ideal gains:
    # x / 1 = 0.6 (1 - x) / 0.6  ->  x = 1/2; the egalitarian solution equalises absolute gains:
    # x = 0.6 (1 - x) -> x = 0.375; Nash maximises 0.6 x (1 - x) -> x = 1/2.
    x = np.arange(1001) / 1000
    space = one_issue(x, 0.6 * (1 - x))
    sol = solve(space)
    assert float(from_grid(sol["kalai_smorodinsky"].utilities[0, 0])) == pytest.approx(0.5)
    assert float(from_grid(sol["egalitarian"].utilities[0, 0])) == pytest.approx(0.375)
    assert float(from_grid(sol["nash"].utilities[0, 0])) == pytest.approx(0.5)


def test_kalai_smorodinsky_differs_from_nash_on_a_curved_frontier():
    # u2 = 1 - x^2: KS solves x = 1 - x^2 (x = 0.618...), Nash maximises x - x^3 (x = 1/sqrt 3)
    x = np.arange(1001) / 1000
    sol = solve(one_issue(x, 1 - x**2))
    assert float(from_grid(sol["kalai_smorodinsky"].utilities[0, 0])) == pytest.approx(
        0.618, abs=1e-3
    )
    assert float(from_grid(sol["nash"].utilities[0, 0])) == pytest.approx(1 / np.sqrt(3), abs=1e-3)


def test_no_candidates_gives_empty_solutions():
    empty = PackageSet(np.empty((0, 1), np.intp), np.empty((0, 2), np.int64))
    out = bargaining_solutions(empty, np.zeros(2, np.int64), np.ones(2, bool))
    assert all(len(v) == 0 for v in out.values())


def brute_solutions(space):
    packages, utilities, _ = brute_acceptable(space)
    return bargaining_solutions(
        PackageSet(packages, utilities), to_grid(space.reservation), space.core
    )


@settings(max_examples=150)
@given(spaces(consent=True))
def test_solutions_from_the_acceptable_frontier_equal_those_over_all_acceptable_packages(space):
    front = EnumerationEngine(space).pareto(acceptable_only=True)
    fast = bargaining_solutions(front, to_grid(space.reservation), space.core)
    slow = brute_solutions(space)
    for name in fast:
        assert {tuple(r) for r in fast[name].packages} == {tuple(r) for r in slow[name].packages}


@settings(max_examples=150)
@given(spaces(consent=True))
def test_every_solution_is_pareto_efficient_among_acceptable_packages(space):
    packages, utilities, _ = brute_acceptable(space)
    assume(len(packages) > 0)
    efficient = {tuple(r) for r in packages[nondominated(utilities)]}
    for name, result in brute_solutions(space).items():
        for row in result.packages:
            assert tuple(row) in efficient, name


@settings(max_examples=100)
@given(spaces(), st.integers(0, 3), st.integers(2, 5), st.integers(0, 5))
def test_nash_and_ks_are_invariant_to_positive_affine_rescaling(space, party, scale, shift):
    # rescale party p's utility u -> a u + b (and its walk-away point likewise), exactly on the grid
    party = party % space.n_parties
    values = [v.copy() for v in space.values]
    weights = space.weights.copy()
    b = shift / 10
    # a u + b: multiply contributions by a, add b through the first issue's contributions
    contributions = [space.weights[:, i, None] * v for i, v in enumerate(space.values)]
    new_contrib = [c.copy() for c in contributions]
    for c in new_contrib:
        c[party] *= scale
    new_contrib[0][party] += b
    # express the new contributions as weights 1 and values = contributions (values may exceed 1;
    # the engine only uses weight x value)
    weights = np.ones_like(weights)
    values = [c.copy() for c in new_contrib]
    reservation = space.reservation.copy()
    reservation[party] = scale * reservation[party] + b
    rescaled = replace(space, values=tuple(values), weights=weights, reservation=reservation)
    np.testing.assert_allclose(
        rescaled.contributions[0][party], new_contrib[0][party], rtol=0, atol=1 / SCALE
    )
    before, after = solve_core(space), solve_core(rescaled)
    for name in ("nash", "kalai_smorodinsky"):
        assert {tuple(r) for r in before[name].packages} == {tuple(r) for r in after[name].packages}


def solve_core(space):
    engine = EnumerationEngine(space)
    return bargaining_solutions(
        engine.pareto(acceptable_only=True),
        to_grid(space.reservation),
        np.ones(space.n_parties, bool),
    )


@settings(max_examples=100)
@given(spaces(consent=True), st.permutations(range(3)))
def test_relabelling_parties_permutes_results(space, perm):
    perm = [p for p in perm if p < space.n_parties]
    assume(len(perm) == space.n_parties)
    permuted = replace(
        space,
        parties=tuple(space.parties[p] for p in perm),
        values=tuple(v[perm] for v in space.values),
        weights=space.weights[perm],
        reservation=space.reservation[perm],
        consent=tuple(c[perm] for c in space.consent),
    )
    a, b = EnumerationEngine(space), EnumerationEngine(permuted)
    assert a.count_acceptable() == b.count_acceptable()
    assert a.margin() == b.margin()
    for acceptable_only in (False, True):
        pa, pb = (
            a.pareto(acceptable_only=acceptable_only),
            b.pareto(acceptable_only=acceptable_only),
        )
        assert {tuple(r) for r in pa.packages} == {tuple(r) for r in pb.packages}
    sa, sb = solve_core(space), solve_core(permuted)
    for name in sa:
        assert {tuple(r) for r in sa[name].packages} == {tuple(r) for r in sb[name].packages}
        np.testing.assert_array_equal(sa[name].utilities[:, perm], sb[name].utilities)
