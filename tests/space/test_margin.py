"""The branch-and-bound margin equals the enumeration engine's."""

import numpy as np
from hypothesis import given, settings
from tests.space._build import spaces

from zopa.space.engine import EnumerationEngine
from zopa.space.exact import consent_masks, grid_contributions, to_grid
from zopa.space.margin import margin_by_search, widest_package


@settings(max_examples=200)
@given(spaces(consent=True))
def test_margin_by_search_equals_enumeration(space):
    masks = consent_masks(space)
    found = margin_by_search(grid_contributions(space), masks, to_grid(space.reservation))
    assert found == EnumerationEngine(space).margin()


@settings(max_examples=60)
@given(spaces(max_parties=4, max_issues=4, max_options=3, consent=True))
def test_margin_by_search_with_four_parties(space):
    masks = consent_masks(space)
    found = margin_by_search(grid_contributions(space), masks, to_grid(space.reservation))
    assert found == EnumerationEngine(space).margin()


@settings(max_examples=150)
@given(spaces(consent=True))
def test_widest_package_attains_the_margin(space):
    from tests.space._build import brute

    masks = consent_masks(space)
    reservation = to_grid(space.reservation)
    margin, package = widest_package(grid_contributions(space), masks, reservation)
    packages, utilities, needed = brute(space)
    row = int(np.flatnonzero((packages == package).all(axis=1))[0])
    slack = np.where(needed[row], utilities[row] - reservation, np.iinfo(np.int64).max).min()
    assert slack == margin
