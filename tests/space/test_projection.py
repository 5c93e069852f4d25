"""The two-party frontier equals brute force on the two parties' utilities."""

import numpy as np
import pytest
from hypothesis import given, settings
from tests.space._build import brute, dominated_by_any, spaces

from zopa.catalog import load
from zopa.space.compile import compile_scenario
from zopa.space.exact import from_grid
from zopa.space.projection import two_party_frontier


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
