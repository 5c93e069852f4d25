import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import brute, dominated_by_any, spaces

from zopa.space._skyline import HAVE_NUMBA
from zopa.space.exact import grid_contributions
from zopa.space.pareto import additive_frontier, nondominated

points_strategy = st.integers(1, 4).flatmap(
    lambda d: st.lists(st.lists(st.integers(0, 5), min_size=d, max_size=d), min_size=1, max_size=60)
)


@given(points_strategy)
def test_nondominated_is_exactly_the_undominated_rows(rows):
    pts = np.array(rows, dtype=np.int64)
    mask = nondominated(pts)
    expected = ~dominated_by_any(pts, pts)
    np.testing.assert_array_equal(mask, expected)


@given(points_strategy)
def test_numba_and_numpy_paths_agree(rows):
    pts = np.array(rows, dtype=np.int64)
    np.testing.assert_array_equal(
        nondominated(pts, compiled=False), nondominated(pts, compiled=HAVE_NUMBA)
    )


def test_numba_kernel_is_available_where_installed():
    # the project depends on numba; the compiled path must be the one in use
    assert HAVE_NUMBA


def test_identical_points_are_ties_not_dominated():
    pts = np.array([[1, 1], [1, 1], [0, 2], [0, 1]], dtype=np.int64)
    assert nondominated(pts).tolist() == [True, True, True, False]


def test_empty_input():
    assert nondominated(np.empty((0, 3), dtype=np.int64)).shape == (0,)


@settings(max_examples=150)
@given(spaces(max_parties=3, max_issues=4, max_options=4))
def test_frontier_by_dynamic_programming_equals_enumeration(space):
    packages, utilities, _ = brute(space)
    expected = {tuple(r) for r in packages[nondominated(utilities)]}
    frontier = additive_frontier(grid_contributions(space))
    got = {tuple(r) for group in frontier.packages for r in group}
    assert got == expected
    # every package behind a frontier point reaches exactly that point
    for point, group in zip(frontier.points, frontier.packages, strict=True):
        for row in group:
            index = np.flatnonzero((packages == row).all(axis=1))[0]
            np.testing.assert_array_equal(utilities[index], point)


@settings(max_examples=100)
@given(spaces(max_parties=4, max_issues=3, max_options=3))
def test_frontier_is_nondominated_and_dominates_everything_else(space):
    packages, utilities, _ = brute(space)
    frontier = additive_frontier(grid_contributions(space))
    front = frontier.points
    assert not dominated_by_any(front, utilities).any()
    on_front = {tuple(r) for group in frontier.packages for r in group}
    off = np.array(
        [u for row, u in zip(packages, utilities, strict=True) if tuple(row) not in on_front]
    )
    if len(off):
        assert dominated_by_any(off, front).all()


@given(
    k=st.integers(1, 40),
    d=st.integers(1, 4),
    data=st.data(),
)
def test_useful_options_match_the_pairwise_definition(k, d, data):
    from zopa.space.pareto import _useful_options

    contribution = np.array(
        data.draw(
            st.lists(st.lists(st.integers(0, 4), min_size=k, max_size=k), min_size=d, max_size=d)
        ),
        dtype=np.int64,
    )
    masks = np.array(data.draw(st.lists(st.integers(0, 3), min_size=k, max_size=k)), dtype=np.int64)
    pts = contribution.T
    dominated = [
        any(
            (pts[j] >= pts[i]).all() and (pts[j] > pts[i]).any() and (masks[j] & ~masks[i]) == 0
            for j in range(k)
        )
        for i in range(k)
    ]
    assert _useful_options(contribution, masks).tolist() == [
        i for i in range(k) if not dominated[i]
    ]
