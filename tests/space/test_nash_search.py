"""The branch-and-bound Nash package equals the one ``zopa analyze`` computes."""

import numpy as np
from hypothesis import given, settings
from tests.space._build import brute_acceptable, make_space, spaces

from zopa.catalog import load
from zopa.space.compile import compile_scenario
from zopa.space.engine import EnumerationEngine, PackageSet
from zopa.space.exact import to_grid
from zopa.space.nash_search import nash_packages
from zopa.space.pareto import nondominated
from zopa.space.solutions import bargaining_solutions


def _reference(space):
    engine = EnumerationEngine(space)
    front = engine.pareto(acceptable_only=True)
    return bargaining_solutions(front, to_grid(space.reservation), space.core)["nash"]


def _rows(packages: PackageSet) -> set[tuple[int, ...]]:
    return {tuple(int(x) for x in row) for row in packages.packages}


@settings(max_examples=300)
@given(spaces(consent=True))
def test_nash_by_search_equals_the_frontier_solution(space):
    assert _rows(nash_packages(space)) == _rows(_reference(space))


@settings(max_examples=80)
@given(spaces(max_parties=4, max_issues=4, max_options=3, consent=True))
def test_nash_by_search_with_four_parties(space):
    assert _rows(nash_packages(space)) == _rows(_reference(space))


@settings(max_examples=100)
@given(spaces(consent=True))
def test_nash_package_maximises_the_product_over_brute_force(space):
    found = nash_packages(space)
    packages, utilities, _ = brute_acceptable(space)
    if len(packages) == 0:
        assert len(found) == 0
        return
    core = space.core
    gains = (utilities - to_grid(space.reservation))[:, core]
    products = [int(np.prod([int(g) for g in row], dtype=object)) for row in gains]
    best = max(products)
    for u in found.utilities:
        g = (u - to_grid(space.reservation))[core]
        assert int(np.prod([int(x) for x in g], dtype=object)) == best
    assert nondominated(found.utilities).all()


def test_no_acceptable_package_gives_no_nash_package():
    space = make_space([[[1.0, 0.0], [0.0, 1.0]]], [[1], [1]], [0.9, 0.9])
    assert len(nash_packages(space)) == 0


def test_linear_split_meets_in_the_middle():
    # one issue, 11 options: u1 = x, u2 = 1 - x; Nash at x = 0.5
    xs = [k / 10 for k in range(11)]
    space = make_space([[xs, [1 - x for x in xs]]], [[1], [1]], [0.0, 0.0])
    assert _rows(nash_packages(space)) == {(5,)}


def test_berlin_nash_package_equals_analyze():
    space = compile_scenario(load("berlin-2025-12"))
    from zopa.space.engine import make_engine

    engine = make_engine(space, "exact")
    front = engine.pareto(acceptable_only=True)
    expected = bargaining_solutions(front, to_grid(space.reservation), space.core)["nash"]
    assert _rows(nash_packages(space)) == _rows(expected)


def test_search_settles_generic_spaces_without_the_exact_engine(monkeypatch):
    # with continuous values exact ties have probability zero: the search alone must decide
    import zopa.space.nash_search as module

    def refuse(space):
        raise AssertionError("fell back to the exact engine")

    rng = np.random.default_rng(7)
    for _ in range(40):
        n_parties, shape = int(rng.integers(2, 4)), rng.integers(2, 6, size=int(rng.integers(2, 5)))
        values = [rng.random((n_parties, int(k))).round(6).tolist() for k in shape]
        weights = rng.random((n_parties, len(shape))).round(6).tolist()
        space = make_space(values, weights, rng.uniform(0, 0.5, n_parties).round(6).tolist())
        expected = _rows(_reference(space))
        if not expected:
            continue
        monkeypatch.setattr(module, "_exact_engine_nash", refuse)
        assert _rows(nash_packages(space)) == expected
        monkeypatch.undo()
