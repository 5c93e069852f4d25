"""The two-party frontiers (of all packages, of the acceptable ones) equal brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import brute, brute_acceptable, dominated_by_any, spaces

from zopa.catalog import load
from zopa.space.compile import compile_scenario
from zopa.space.engine import make_engine
from zopa.space.exact import from_grid, grid_utilities, grid_values
from zopa.space.projection import project_frontier, two_party_front, two_party_frontier


@settings(max_examples=80)
@given(spaces(max_parties=4))
def test_two_party_frontier_is_the_brute_force_frontier(space):
    _, utilities, _ = brute(space)
    pair = np.unique(utilities[:, [1, 0]], axis=0)
    expected = pair[~dominated_by_any(pair, pair)]
    found = two_party_frontier(space, space.parties[1], space.parties[0])
    assert np.array_equal(found, from_grid(expected))


def test_berlin_two_party_frontier_and_errors():
    space = compile_scenario(load())
    front = two_party_frontier(space, "UA", "RU")
    assert front.shape[1] == 2
    assert len(front) > 5
    # along the frontier, one party's gain is the other's loss
    order = np.argsort(front[:, 0])
    assert (np.diff(front[order, 1]) < 0).all()
    with pytest.raises(ValueError, match="unknown party"):
        two_party_frontier(space, "UA", "XX")
    with pytest.raises(ValueError, match="two different parties"):
        two_party_frontier(space, "UA", "UA")


@settings(max_examples=80)
@given(spaces(max_parties=4, consent=True), st.sampled_from(["enumeration", "exact"]))
def test_acceptable_two_party_frontier_is_the_brute_force_frontier(space, engine):
    packages, utilities, _ = brute_acceptable(space)
    pair = np.unique(utilities[:, [1, 0]], axis=0)
    expected = pair[~dominated_by_any(pair, pair)] if len(pair) else np.zeros((0, 2))
    front = two_party_front(
        space, space.parties[1], space.parties[0], acceptable_only=True, engine=engine
    )
    assert front.parties == (space.parties[1], space.parties[0])
    assert np.array_equal(front.points, from_grid(expected).reshape(-1, 2))
    # each point's package is acceptable and sits at that point
    rows = {tuple(p): tuple(u[[1, 0]]) for p, u in zip(packages, utilities, strict=True)}
    for package, point in zip(front.packages, expected, strict=True):
        assert rows[tuple(package)] == tuple(point)


def test_every_two_party_point_names_a_package_at_it():
    space = compile_scenario(load())
    front = two_party_front(space, "UA", "RU")
    assert len(front) == len(two_party_frontier(space, "UA", "RU"))
    utilities = grid_utilities(space, front.packages)
    assert np.allclose(grid_values(space, utilities)[:, :2], front.points)
    accepted = two_party_front(space, "UA", "RU", acceptable_only=True)
    assert 0 < len(accepted) < len(front)
    reservation = space.reservation[:2]
    assert (accepted.points >= reservation - 1e-12).all()  # UA and RU are always needed


@settings(max_examples=60)
@given(spaces(max_parties=4, consent=True))
def test_projecting_the_acceptable_all_party_frontier_gives_the_same_frontier(space):
    whole = make_engine(space, "exact").pareto(acceptable_only=True)
    projected = project_frontier(space, whole.packages, space.parties[0], space.parties[1])
    direct = two_party_front(space, space.parties[0], space.parties[1], acceptable_only=True)
    assert np.array_equal(projected.points, direct.points)
    assert np.array_equal(projected.packages, direct.packages)
