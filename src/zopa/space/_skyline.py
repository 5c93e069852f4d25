"""Compiled kernel of the sorted skyline filter (numba), with its pure-numpy twin in pareto.py.

numba is used when it can be imported; :func:`zopa.space.pareto.nondominated` falls back to the
numpy path otherwise, and the tests check that both agree.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

HAVE_NUMBA = importlib.util.find_spec("numba") is not None
"""Whether numba can be imported (it is imported only when a kernel first runs)."""

F = TypeVar("F", bound=Callable[..., Any])


class _LazyKernel:
    """A numba kernel compiled (or loaded from numba's cache) on its first call.

    Importing numba and loading its first kernel take about half a second, more than the
    whole analysis of most scenarios; deferring both keeps commands that end up not needing a
    kernel (or that have a fast numpy path for small inputs, see :func:`numba_loaded`) quick
    to start.
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.py_func = func
        self._compiled: Callable[..., Any] | None = None
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any) -> Any:
        if self._compiled is None:
            from numba import njit

            self._compiled = njit(cache=True, nogil=True)(self.py_func)
        return self._compiled(*args)


def kernel(func: F) -> F:
    """Compile ``func`` with numba (cached, releasing the GIL) when numba is available.

    Compilation (or loading from the cache) happens at the first call, not at import.
    """
    if HAVE_NUMBA:
        return cast(F, _LazyKernel(func))
    return func


def numba_loaded() -> bool:
    """Whether numba has been imported in this process (its start-up cost is already paid)."""
    return "numba" in sys.modules


def _skyline_sorted_py(pts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Mark the non-dominated rows of points sorted by decreasing coordinate sum.

    Each candidate is compared with the frontier found so far and stops at the first point that
    covers it (``>=`` everywhere): an identical point makes it a tie (kept, not added again), a
    different one dominates it. The covering point is moved to the front of the list (the
    "move-to-front" heuristic), since a point that dominates one candidate tends to dominate its
    neighbours. Rows may repeat; no deduplication is needed beforehand.
    """
    n, d = pts.shape
    front = np.empty(n, dtype=np.int64)
    m = 0
    keep = np.zeros(n, dtype=np.bool_)
    for j in range(n):
        covered = False
        equal = False
        for a in range(m):
            i = front[a]
            covers = True
            same = True
            for k in range(d):
                if pts[i, k] < pts[j, k]:
                    covers = False
                    break
                if pts[i, k] != pts[j, k]:
                    same = False
            if covers:
                covered = True
                equal = same
                if a > 0:
                    front[a] = front[0]
                    front[0] = i
                break
        if not covered:
            front[m] = j
            m += 1
            keep[j] = True
        elif equal:
            keep[j] = True
    return keep


_skyline_plain = kernel(_skyline_sorted_py) if HAVE_NUMBA else None

GRID_MAX_DIM = 12
"""Largest dimension for which the sorted skyline uses the cell index of :func:`_skyline_groups_py`."""


def _skyline_groups_py(
    pts: NDArray[np.int64],
    cell: NDArray[np.int64],
    n_cells: int,
    group_of_cell: NDArray[np.int64],
    n_groups: int,
) -> NDArray[np.bool_]:
    """The same mask as :func:`_skyline_sorted_py`, comparing each candidate with fewer points.

    The points are grouped into cells (``cell``, ids from 0 to ``n_cells - 1``), and the cells
    into groups (``group_of_cell``); any grouping is correct, a grid of quantiles and coarser
    blocks of it make it fast. The frontier found so far is kept cell by cell, each cell and
    each group with the upper corner of its points' bounding box; a candidate is compared only
    with the points of the cells whose corner covers it, in groups whose corner covers it (a
    point covering it must lie there), with move-to-front among groups, cells and points. This
    is the bounding-box pruning of index-based skyline algorithms (e.g. the minimum bounding
    rectangles of BBS, Papadias, Tao, Fu & Seeger 2005, "Progressive skyline computation in
    database systems", ACM TODS 30(1)), with two flat levels. Points must be sorted by
    decreasing coordinate sum; identical rows are kept as ties, as in the plain kernel.
    """
    n, d = pts.shape
    start = np.zeros(n_cells + 1, dtype=np.int64)
    for j in range(n):
        start[cell[j] + 1] += 1
    for c in range(n_cells):
        start[c + 1] += start[c]
    gstart = np.zeros(n_groups + 1, dtype=np.int64)
    for c in range(n_cells):
        gstart[group_of_cell[c] + 1] += 1
    for g in range(n_groups):
        gstart[g + 1] += gstart[g]
    size = np.zeros(n_cells, dtype=np.int64)
    items = np.empty(n, dtype=np.int64)
    top = np.full((n_cells, d), np.iinfo(np.int64).min, dtype=np.int64)
    gtop = np.full((n_groups, d), np.iinfo(np.int64).min, dtype=np.int64)
    gsize = np.zeros(n_groups, dtype=np.int64)
    gcells = np.empty(n_cells, dtype=np.int64)
    active = np.empty(n_groups, dtype=np.int64)
    n_active = 0
    keep = np.zeros(n, dtype=np.bool_)
    for j in range(n):
        covered = False
        equal = False
        for a in range(n_active):
            g = active[a]
            fits = True
            for k in range(d):
                if gtop[g, k] < pts[j, k]:
                    fits = False
                    break
            if not fits:
                continue
            gbase = gstart[g]
            for e in range(gsize[g]):
                c = gcells[gbase + e]
                fits = True
                for k in range(d):
                    if top[c, k] < pts[j, k]:
                        fits = False
                        break
                if not fits:
                    continue
                base = start[c]
                for b in range(size[c]):
                    i = items[base + b]
                    covers = True
                    same = True
                    for k in range(d):
                        if pts[i, k] < pts[j, k]:
                            covers = False
                            break
                        if pts[i, k] != pts[j, k]:
                            same = False
                    if covers:
                        covered = True
                        equal = same
                        if b > 0:
                            items[base + b] = items[base]
                            items[base] = i
                        break
                if covered:
                    if e > 0:
                        gcells[gbase + e] = gcells[gbase]
                        gcells[gbase] = c
                    break
            if covered:
                if a > 0:
                    active[a] = active[0]
                    active[0] = g
                break
        if not covered:
            c = cell[j]
            g = group_of_cell[c]
            if size[c] == 0:
                if gsize[g] == 0:
                    active[n_active] = g
                    n_active += 1
                gcells[gstart[g] + gsize[g]] = c
                gsize[g] += 1
            items[start[c] + size[c]] = j
            size[c] += 1
            for k in range(d):
                if pts[j, k] > top[c, k]:
                    top[c, k] = pts[j, k]
                if pts[j, k] > gtop[g, k]:
                    gtop[g, k] = pts[j, k]
            keep[j] = True
        elif equal:
            keep[j] = True
    return keep


_skyline_groups = kernel(_skyline_groups_py) if HAVE_NUMBA else None


def grid_cells(
    pts: NDArray[np.int64],
) -> tuple[NDArray[np.int64], int, NDArray[np.int64], int]:
    """Cells of a grid of per-coordinate quantiles (about ``(4n)^(1/d)`` levels each), in groups.

    The quantiles are taken over at most 4,096 evenly spaced rows (any cut points give the same
    skyline; good ones make it fast); a group gathers the cells of a block of about four levels
    per coordinate. Returns the compact cell id of every row, the number of cells, the group of
    every cell and the number of groups.
    """
    n, d = pts.shape
    levels = int(min(16, max(2, np.ceil((4.0 * n) ** (1.0 / d)))))
    coarse = max(1, levels // 4)
    sample = pts[:: max(1, n // 4096)]
    cuts = np.quantile(sample, np.arange(1, levels) / levels, axis=0, method="inverted_cdf")
    cell = np.zeros(n, dtype=np.int64)
    group = np.zeros(n, dtype=np.int64)
    for k in range(d):
        level = np.searchsorted(cuts[:, k], pts[:, k], side="right")
        cell = cell * levels + level
        group = group * coarse + (level * coarse) // levels
    cell_id, n_cells = _compact(cell, levels**d, n)
    group_id, n_groups = _compact(group, coarse**d, n)
    group_of_cell = np.zeros(n_cells, dtype=np.int64)
    group_of_cell[cell_id] = group_id
    return cell_id, n_cells, group_of_cell, n_groups


def _compact(ids: NDArray[np.int64], span: int, n: int) -> tuple[NDArray[np.int64], int]:
    """Renumber ids from 0 in increasing order; return them and how many there are."""
    if span <= 4 * n + 65_536:  # dense renumbering, no sort
        used = np.zeros(span, dtype=np.int64)
        used[ids] = 1
        number = np.cumsum(used) - 1
        return number[ids], int(used.sum())
    unique, inverse = np.unique(ids, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), len(unique)


def _skyline_sorted(pts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Non-dominated rows of points sorted by decreasing sum (compiled; with a cell index when apt)."""
    assert _skyline_plain is not None
    assert _skyline_groups is not None
    n, d = pts.shape
    if 2 <= d <= GRID_MAX_DIM and n >= 256:
        out: NDArray[np.bool_] = _skyline_groups(pts, *grid_cells(pts))
    else:
        out = _skyline_plain(pts)
    return out


skyline_sorted = _skyline_sorted if HAVE_NUMBA else None


def _skyline_3d_py(
    x: NDArray[np.int64], y_rank: NDArray[np.int64], z: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Mark the non-dominated points in three dimensions, in O(n log n).

    The points must be sorted lexicographically by decreasing ``(x, y, z)``; ``y_rank`` numbers the
    distinct y values from 0 (largest) upwards. Sweeping in that order, every point already seen
    has ``x' >= x``, so a point is dominated exactly when some earlier, different point has
    ``y' >= y`` and ``z' >= z``: a Fenwick tree over the y ranks keeps the largest z seen among
    ranks ``<= rank(y)`` (Bentley 1980, "Multidimensional divide-and-conquer", CACM 23(4); the
    maxima problem of Kung, Luccio & Preparata 1975, JACM 22(4)). Identical points share their
    status (ties are kept together).
    """
    n = x.shape[0]
    size = 1
    for i in range(n):
        if y_rank[i] + 1 > size:
            size = y_rank[i] + 1
    tree = np.full(size + 1, np.iinfo(np.int64).min, dtype=np.int64)
    keep = np.zeros(n, dtype=np.bool_)
    for j in range(n):
        if j > 0 and x[j] == x[j - 1] and y_rank[j] == y_rank[j - 1] and z[j] == z[j - 1]:
            keep[j] = keep[j - 1]
            continue
        # prefix maximum of z over ranks 0..y_rank[j]
        best = np.iinfo(np.int64).min
        i = y_rank[j] + 1
        while i > 0:
            if tree[i] > best:
                best = tree[i]
            i -= i & (-i)
        keep[j] = best < z[j]
        i = y_rank[j] + 1
        while i <= size:
            if tree[i] < z[j]:
                tree[i] = z[j]
            i += i & (-i)
    return keep


skyline_3d = kernel(_skyline_3d_py) if HAVE_NUMBA else None


def _sort_equal_x_runs_py(
    order: NDArray[np.int64], x: NDArray[np.int64], y: NDArray[np.int64], z: NDArray[np.int64]
) -> None:
    """In place: within each run of equal x in ``order``, sort by decreasing (y, z) (insertion)."""
    n = order.shape[0]
    start = 0
    while start < n:
        end = start + 1
        while end < n and x[order[end]] == x[order[start]]:
            end += 1
        for a in range(start + 1, end):
            item = order[a]
            b = a - 1
            while b >= start and (
                y[order[b]] < y[item] or (y[order[b]] == y[item] and z[order[b]] < z[item])
            ):
                order[b + 1] = order[b]
                b -= 1
            order[b + 1] = item
        start = end


sort_equal_x_runs = kernel(_sort_equal_x_runs_py) if HAVE_NUMBA else _sort_equal_x_runs_py
