"""Pareto efficiency: non-dominated filters and the exact frontier of additive utilities.

All comparisons are on integer utilities (see :mod:`zopa.space.exact`), so ties and dominance do
not depend on the order of floating-point additions. ``a`` dominates ``b`` when ``a >= b`` in every
coordinate and ``a != b`` (weak Pareto dominance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import (
    HAVE_NUMBA,
    numba_loaded,
    skyline_3d,
    skyline_sorted,
    sort_equal_x_runs,
)

IntArray = NDArray[np.int64]
_BLOCK = 1024
MAX_FRONTIER_PACKAGES = 5_000_000
"""Most packages a frontier may stand for (ties included) before zopa refuses to list them."""
_CHUNK = 256
MAX_FRONTIER_WORK = 15 * 10**10
"""Most pairwise comparisons (candidates × frontier points × parties, summed over the issues)
:func:`additive_frontier` may need with four or more parties — about half a minute of work."""


def distinct(values: IntArray) -> IntArray:
    """The distinct values of an integer array, sorted: ``np.unique(values)``.

    Without ``np.unique``, which (numpy 2.x) imports ``numpy.ma`` to ask whether the array
    is masked: some 10 ms at the first call, more than a small analysis takes.
    """
    ordered = np.sort(values, axis=None)
    if ordered.size == 0:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


class FrontierTooLargeError(ValueError):
    """The exact Pareto frontier would take too long to compute (see :data:`MAX_FRONTIER_WORK`)."""


def nondominated(points: IntArray, *, compiled: bool | None = None) -> NDArray[np.bool_]:
    """Return the mask of the non-dominated rows of ``points``.

    Distinct rows are visited in order of decreasing coordinate sum, since only a point with a
    strictly larger sum can dominate another distinct point, and each is compared with the
    frontier found so far. Identical rows are all kept (they are ties, not dominated).

    Parameters
    ----------
    points
        ``(n, d)`` integer utilities.
    compiled
        Use the numba kernel (True), the pure-numpy blocks (False), or numba when available
        (None, the default). Both give the same mask.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` boolean mask.

    Notes
    -----
    The sort-filter-skyline algorithm of Chomicki, Godfrey, Gryz & Liang (2003), "Skyline with
    presorting", ICDE; cost O(n · f · d) in the worst case for a frontier of size f.
    """
    n, d = points.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    use_numba = HAVE_NUMBA if compiled is None else compiled
    if compiled is None and _numpy_first(n, d):
        use_numba = False
    if d == 1:
        return np.asarray(points[:, 0] == points[:, 0].max())
    if d == 2:
        return _skyline_2d(points)
    if d == 3 and use_numba and skyline_3d is not None:
        order = np.lexsort((-points[:, 2], -points[:, 1], -points[:, 0]))
        pts = points[order]
        y_rank = np.unique(-pts[:, 1], return_inverse=True)[1].reshape(-1).astype(np.int64)
        keep = np.zeros(n, dtype=bool)
        keep[order[skyline_3d(pts[:, 0].copy(), y_rank, pts[:, 2].copy())]] = True
        return keep
    if use_numba and skyline_sorted is not None:
        order = np.argsort(-points.sum(axis=1), kind="stable")
        keep = np.zeros(n, dtype=bool)
        keep[order[skyline_sorted(np.ascontiguousarray(points[order]))]] = True
        return keep
    unique, inverse = np.unique(points, axis=0, return_inverse=True)
    order = np.argsort(-unique.sum(axis=1), kind="stable")
    alive = _skyline_blocks(unique[order])
    keep = np.zeros(len(unique), dtype=bool)
    keep[order[alive]] = True
    return keep[inverse.reshape(-1)]


def _skyline_2d(points: IntArray) -> NDArray[np.bool_]:
    """Two-dimensional skyline by one sort and a running maximum (pure numpy, O(n log n))."""
    x, y = points[:, 0], points[:, 1]
    order = np.lexsort((-y, -x))
    keep = np.zeros(len(points), dtype=bool)
    keep[order[_skyline_2d_sorted(x[order], y[order])]] = True
    return keep


def _skyline_2d_sorted(xs: IntArray, ys: IntArray) -> NDArray[np.bool_]:
    """Survivors among points sorted by decreasing ``(x, y)``.

    A point survives when its y is the largest of its x-group and larger than every y of the
    groups before it (which all have a larger x).
    """
    breaks = np.r_[True, xs[1:] != xs[:-1]]
    starts = np.flatnonzero(breaks)
    group = np.cumsum(breaks) - 1
    group_top = ys[starts]
    before = np.maximum.accumulate(np.r_[np.iinfo(np.int64).min, group_top[:-1]])
    return np.asarray((ys == group_top[group]) & (ys > before[group]))


def _skyline_blocks(sorted_pts: IntArray) -> NDArray[np.bool_]:
    """Pure-numpy twin of the numba kernel: blocks of candidates against the frontier so far."""
    alive = np.zeros(len(sorted_pts), dtype=bool)
    front = np.empty((0, sorted_pts.shape[1]), dtype=sorted_pts.dtype)
    for start in range(0, len(sorted_pts), _BLOCK):
        ids = np.arange(start, min(start + _BLOCK, len(sorted_pts)))
        for f0 in range(0, len(front), _CHUNK):
            if len(ids) == 0:
                break
            chunk = front[f0 : f0 + _CHUNK]
            dominated = (chunk[:, None, :] >= sorted_pts[ids][None, :, :]).all(axis=2).any(axis=0)
            ids = ids[~dominated]
        block = sorted_pts[ids]
        ge: NDArray[np.bool_] = np.asarray((block[:, None, :] >= block[None, :, :]).all(axis=2))
        np.fill_diagonal(ge, False)
        ids = ids[~ge.any(axis=0)]
        alive[ids] = True
        front = np.concatenate([front, sorted_pts[ids]])
    return alive


Stages = list[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]]


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of an additive outcome space, with every package behind each point.

    Attributes
    ----------
    points
        ``(m, d)`` non-dominated integer utility vectors (distinct within a consent pattern).
    masks
        With consent patterns, the ``(m,)`` bitmask of the parties each point's packages need;
        points are then non-dominated within their pattern. None without patterns.
    stages
        The dynamic programme's back-pointers, from which packages are recovered.
    """

    points: IntArray
    masks: NDArray[np.int64] | None
    stages: Stages

    def expand(self, selected: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return every package behind the selected points, flat.

        Returns
        -------
        rows, point
            ``(N, n_issues)`` option indices and, per row, the index of its point in ``points``.
        """
        return _backtrack(self.stages, np.asarray(selected, dtype=np.intp))

    def packages_of(self, selected: NDArray[np.intp]) -> list[NDArray[np.intp]]:
        """For each selected point, the ``(t, n_issues)`` option indices of its ``t`` packages."""
        selected = np.asarray(selected, dtype=np.intp)
        rows, point = self.expand(selected)
        order = np.argsort(point, kind="stable")
        position = np.searchsorted(selected, point[order]) if len(selected) else order
        splits = np.searchsorted(position, np.arange(1, len(selected)))
        return np.split(rows[order], splits)

    @property
    def packages(self) -> list[NDArray[np.intp]]:
        """The packages behind every point (``t > 1`` rows where packages tie exactly)."""
        return self.packages_of(np.arange(len(self.points)))


def additive_frontier(
    contributions: list[IntArray], masks: list[NDArray[np.int64]] | None = None
) -> Frontier:
    """Return the exact Pareto frontier of ``Σ_i contributions[i][:, x_i]`` without enumeration.

    Dynamic programming over issues: a package can be Pareto-efficient only if the partial sum
    over its first ``i`` issues is non-dominated among all partial sums over those issues (else
    swapping in the dominating prefix gives a dominating package), so after adding each issue
    the dominated partial sums are pruned. Exact ties are kept, and every package behind each
    frontier point is recovered by back-tracking.

    Parameters
    ----------
    contributions
        Per issue, ``(d, n_options)`` integer utility contributions for ``d`` parties.
    masks
        Optional per issue ``(n_options,)`` consent bitmasks. When given, partial packages are
        compared only within the same accumulated bitmask (their *consent pattern*), giving the
        frontier of every pattern at once.

    Returns
    -------
    Frontier

    Raises
    ------
    FrontierTooLargeError
        With four or more parties, when a step's dominance filter would need more than
        :data:`MAX_FRONTIER_WORK` comparisons (the frontier of such spaces can reach millions of
        points; zopa says so at once instead of running for hours).

    Notes
    -----
    The prefix-pruning argument is the standard one for multi-objective knapsack-type dynamic
    programmes (e.g. Bazgan, Hugot & Vanderpooten 2009, "Solving efficiently the 0–1
    multi-objective knapsack problem", Computers & Operations Research 36(1)).
    """
    d = contributions[0].shape[0]
    points = np.zeros((1, d), dtype=np.int64)
    point_masks = np.zeros(1, dtype=np.int64)
    stages: Stages = []
    work = 0
    for i, contribution in enumerate(contributions):
        issue_masks = masks[i] if masks is not None else np.zeros(contribution.shape[1], np.int64)
        useful = _useful_options(contribution, issue_masks)
        k = len(useful)
        work += len(points) * k * len(points) * d
        # what is left if the frontier kept its present size (it usually grows): refuse early
        ahead = sum(c.shape[1] for c in contributions[i + 1 :]) * len(points) ** 2 * d
        if d >= 4 and work + ahead > MAX_FRONTIER_WORK:
            raise FrontierTooLargeError(
                f"the Pareto frontier of this space is too large to compute exactly: after "
                f"{i} of {len(contributions)} issues it already has {len(points):,} points for "
                f"{d} parties, and finishing needs about {work + ahead:.1e} comparisons or more "
                "(zopa stops "
                f"at {MAX_FRONTIER_WORK:.1e}, about half a minute); analyse fewer parties or "
                "issues, or coarser numeric ranges"
            )
        cand = (points[:, None, :] + contribution[:, useful].T[None, :, :]).reshape(-1, d)
        parent = np.repeat(np.arange(len(points)), k)
        option = np.tile(useful, len(points))
        cand_masks = (point_masks[:, None] | issue_masks[useful][None, :]).reshape(-1)
        kept: list[NDArray[np.intp]] = []
        groups: list[NDArray[np.intp]] = []
        n_groups = 0
        for m in distinct(cand_masks):
            members = np.flatnonzero(cand_masks == m) if masks is not None else np.arange(len(cand))
            survivors, group = _front_step(cand[members])
            kept.append(members[survivors])
            groups.append(group + n_groups)
            n_groups += int(group.max()) + 1 if len(group) else 0
        chosen = np.concatenate(kept)
        group_of = np.concatenate(groups)
        first = np.zeros(n_groups, dtype=np.intp)
        first[group_of[::-1]] = np.arange(len(group_of))[::-1]  # first member of each group
        stages.append((group_of, parent[chosen], option[chosen]))
        points, point_masks = cand[chosen][first], cand_masks[chosen][first]
    return Frontier(points=points, masks=point_masks if masks is not None else None, stages=stages)


def _useful_options(contribution: IntArray, masks: NDArray[np.int64]) -> NDArray[np.intp]:
    """Options not dominated within their issue by an option that needs no extra consent.

    An option with consent mask ``m`` can only be dominated by an option whose mask is a
    subset of ``m``; so for each distinct mask, the options of that mask that are on the
    skyline (:func:`nondominated`) of the pool of options with a subset mask are kept. This is
    the pairwise definition at the cost of one skyline per distinct mask instead of ``k²``
    comparisons (an issue may have thousands of options: a fine numeric range).
    """
    pts = contribution.T
    keep = np.zeros(pts.shape[0], dtype=bool)
    for m in distinct(masks):
        pool = np.flatnonzero((masks & ~m) == 0)
        front = np.zeros(pts.shape[0], dtype=bool)
        front[pool[nondominated(np.ascontiguousarray(pts[pool]))]] = True
        keep |= front & (masks == m)
    return np.flatnonzero(keep)


NUMPY_FIRST = 8192
"""Up to this many points in at most 3 dimensions, the numpy paths run while numba is not yet
imported: they give the same answers in the same order and cost less than starting numba."""

NUMPY_FIRST_HIGH = 2048
"""The same in more dimensions: the numpy blocks take at most about 60 ms on 2,048 points all on
the frontier (6 dimensions), against 0.3 s to import numba and load a cached kernel; a small
research domain with several profiles (GENIUS) then never starts numba."""


def _numpy_first(n: int, d: int) -> bool:
    limit = NUMPY_FIRST if d <= 3 else NUMPY_FIRST_HIGH
    return HAVE_NUMBA and n <= limit and not numba_loaded()


def _front_step(cand: IntArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Non-dominated candidates and their tie groups.

    Returns the indices of the surviving candidates and, for each, the id of its group of
    identical rows (ids from 0, in order of first appearance).
    """
    n, d = cand.shape
    small = _numpy_first(n, d)  # the same order and survivors without starting numba
    if d == 2:
        x, y = np.ascontiguousarray(cand[:, 0]), np.ascontiguousarray(cand[:, 1])
        if small:
            order = np.lexsort((-y, -x))
        else:
            order = np.argsort(-x, kind="stable")
            sort_equal_x_runs(order, x, y, np.zeros(n, dtype=np.int64))
        survivors = order[_skyline_2d_sorted(x[order], y[order])]
        rows = cand[survivors]
        new = np.r_[True, (rows[1:] != rows[:-1]).any(axis=1)]
        return survivors, np.cumsum(new) - 1
    if d == 3 and skyline_3d is not None:
        # one stable sort on x (cheap: the candidates are k sorted runs), then equal-x runs by
        # decreasing (y, z); survivors come out in that lexicographic order, ties adjacent
        x, y, z = (np.ascontiguousarray(cand[:, j]) for j in range(3))
        if small:
            order = np.lexsort((-z, -y, -x))
            alive = nondominated(cand[order], compiled=False)
        else:
            order = np.argsort(-x, kind="stable")
            sort_equal_x_runs(order, x, y, z)
            ys = y[order]
            by_y = np.argsort(-ys, kind="stable")
            ranks = np.empty(n, dtype=np.int64)
            ranks[by_y] = np.cumsum(np.r_[True, ys[by_y][1:] != ys[by_y][:-1]]) - 1
            alive = skyline_3d(x[order], ranks, z[order])
        survivors = order[alive]
        rows = cand[survivors]
        new = np.r_[True, (rows[1:] != rows[:-1]).any(axis=1)]
        return survivors, np.cumsum(new) - 1
    survivors = np.flatnonzero(nondominated(cand))
    _, first, group = np.unique(cand[survivors], axis=0, return_index=True, return_inverse=True)
    # renumber groups in order of first appearance
    rank = np.empty(len(first), dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return survivors, rank[group.reshape(-1)]


def _backtrack(
    stages: Stages, selected: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Expand selected final points (sorted ids) into the option-index rows of their packages.

    Each stage maps surviving entries (parent point, option) to the point they reach. Walking the
    stages backwards, every row of the expansion is replaced by one row per entry reaching its
    point; the options are then read off along each row's lineage, column by column.

    Raises
    ------
    ValueError
        When exact ties put more than :data:`MAX_FRONTIER_PACKAGES` packages behind the points.
    """
    paths: NDArray[np.float64] = np.ones(1)
    for group, parent, _ in stages:  # number of packages behind each point, stage by stage
        paths = np.bincount(group, weights=paths[parent], minlength=int(group.max()) + 1).astype(
            float
        )
    total = float(paths[selected].sum())
    if total > MAX_FRONTIER_PACKAGES:
        raise ValueError(
            f"{len(selected):,} frontier points stand for about {total:.3g} packages through "
            f"exact ties, more than the {MAX_FRONTIER_PACKAGES:,} zopa lists"
        )
    current = selected
    steps: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
    for group, parent, option in reversed(stages):
        order = np.argsort(group, kind="stable")
        starts = np.searchsorted(group[order], current, side="left")
        ends = np.searchsorted(group[order], current, side="right")
        counts = ends - starts
        rows = np.repeat(np.arange(len(current)), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        picks = order[np.repeat(starts, counts) + offsets]
        steps.append((rows, option[picks]))
        current = parent[picks]
    n_issues = len(stages)
    chosen = np.empty((len(current), n_issues), dtype=np.intp)
    lineage = np.arange(len(current))
    for t in range(len(steps) - 1, -1, -1):
        rows, options = steps[t]
        chosen[:, n_issues - 1 - t] = options[lineage]
        lineage = rows[lineage]
    return chosen, selected[lineage]
