"""The compiled skyline kernels: the cell-indexed filter against the plain one and numpy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import dominated_by_any, spaces

from zopa.space import _skyline
from zopa.space.pareto import nondominated

pytestmark = pytest.mark.skipif(not _skyline.HAVE_NUMBA, reason="numba kernels")


def _sorted(pts: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(pts[np.argsort(-pts.sum(axis=1), kind="stable")])


@settings(max_examples=60, deadline=None)
@given(
    d=st.integers(2, 8),
    n=st.integers(1, 700),
    spread=st.sampled_from([3, 20, 10**6]),
    correlated=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_cell_kernel_gives_the_plain_kernels_mask(d, n, spread, correlated, seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, spread, size=(n, d)).astype(np.int64)
    if correlated:  # most parties move together, one against them (as in berlin-2025-12)
        base = rng.integers(0, spread, size=n)
        pts[:, 1:] += base[:, None]
        pts[:, 0] -= base
    pts = _sorted(pts)
    cell, n_cells, group_of_cell, n_groups = _skyline.grid_cells(pts)
    assert cell.min() >= 0
    assert cell.max() < n_cells
    assert group_of_cell.max() < n_groups
    cells = _skyline._skyline_groups(pts, cell, n_cells, group_of_cell, n_groups)
    plain = _skyline._skyline_plain(pts)
    np.testing.assert_array_equal(cells, plain)
    np.testing.assert_array_equal(cells, ~dominated_by_any(pts, pts))


@settings(max_examples=20, deadline=None)
@given(d=st.integers(4, 7), seed=st.integers(0, 2**32 - 1))
def test_nondominated_uses_the_cells_and_agrees_with_numpy(d, seed):
    pts = np.random.default_rng(seed).integers(0, 6, size=(900, d)).astype(np.int64)
    np.testing.assert_array_equal(nondominated(pts), nondominated(pts, compiled=False))


def test_any_cell_grouping_is_correct():
    # one cell, or one cell per point, in one group or one group per cell: the kernel's answer
    # does not depend on the grid
    pts = _sorted(np.random.default_rng(3).integers(0, 4, size=(300, 5)).astype(np.int64))
    expected = _skyline._skyline_plain(pts)
    n = len(pts)
    one = np.zeros(n, dtype=np.int64)
    each = np.arange(n, dtype=np.int64)
    groups = _skyline._skyline_groups
    np.testing.assert_array_equal(groups(pts, one, 1, np.zeros(1, np.int64), 1), expected)
    np.testing.assert_array_equal(groups(pts, each, n, np.zeros(n, np.int64), 1), expected)
    np.testing.assert_array_equal(groups(pts, each, n, each, n), expected)
    np.testing.assert_array_equal(groups(pts, each, n, each // 7, -(-n // 7)), expected)


@settings(max_examples=40, deadline=None)
@given(
    space=spaces(max_parties=3, max_issues=4, max_options=5, consent=True), use_masks=st.booleans()
)
def test_numpy_first_paths_give_the_same_frontier_in_the_same_order(space, use_masks):
    from zopa.space import pareto
    from zopa.space.exact import consent_masks, grid_contributions

    contributions = grid_contributions(space)
    masks = consent_masks(space) if use_masks else None
    results = []
    original = pareto.numba_loaded
    try:
        for loaded in (True, False):  # numba already running, or not yet: numpy first
            pareto.numba_loaded = lambda loaded=loaded: loaded  # type: ignore[assignment]
            results.append(pareto.additive_frontier(contributions, masks))
    finally:
        pareto.numba_loaded = original
    compiled, numpy_first = results
    np.testing.assert_array_equal(compiled.points, numpy_first.points)
    if use_masks:
        np.testing.assert_array_equal(compiled.masks, numpy_first.masks)
    for a, b in zip(compiled.stages, numpy_first.stages, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)


def test_kernels_are_compiled_lazily():
    import importlib.util

    assert (importlib.util.find_spec("numba") is not None) == _skyline.HAVE_NUMBA
    probe = _skyline.kernel(lambda x: x + 1)
    assert probe(np.int64(1)) == 2
