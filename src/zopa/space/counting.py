"""Exact counting of pairs ``(a, b)`` with ``a + b >= t`` in every coordinate.

This is the core of counting the zone of agreement without listing it (meet in the middle: ``a``
runs over the partial packages of one half of the issues, ``b`` over the other half). With
``q = t − a`` it is offline *dominance counting*: for every query ``q``, how many points ``b``
satisfy ``b >= q``.

* one coordinate: sorting and binary search, O(n log n);
* two: a sweep over the first coordinate with a Fenwick tree over the ranks of the second,
  O(n log n);
* three: divide and conquer over the first coordinate (Bentley 1980, "Multidimensional
  divide-and-conquer", CACM 23(4)), done bottom-up as a merge sort over the second coordinate
  with a Fenwick tree over the third, O(n log² n);
* more: blocks of the pairwise comparison, O(n_a · n_b · d) — exact, but only for moderate sizes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel

IntArray = NDArray[np.int64]
BRUTE_LIMIT = 2 * 10**10
"""Largest ``n_a · n_b`` the pairwise fallback (four or more coordinates) accepts."""


def _ranks(values: IntArray) -> IntArray:
    """Dense ranks from 1 (smallest) upwards."""
    return (np.unique(values, return_inverse=True)[1].reshape(-1) + 1).astype(np.int64)


@kernel
def _count_2d(kind: IntArray, y_rank: IntArray, n_ranks: int) -> int:  # pragma: no cover - numba
    # items sorted by first coordinate descending, points (kind 0) before queries (kind 1) on ties;
    # count, for each query, the points already inserted whose y rank is >= the query's
    tree = np.zeros(n_ranks + 2, dtype=np.int64)
    total = 0
    inserted = 0
    for j in range(kind.shape[0]):
        r = y_rank[j]
        if kind[j] == 0:
            i = r
            while i <= n_ranks:
                tree[i] += 1
                i += i & (-i)
            inserted += 1
        else:
            below = 0
            i = r - 1
            while i > 0:
                below += tree[i]
                i -= i & (-i)
            total += inserted - below
    return total


@kernel
def _count_3d(
    kind: IntArray, y: IntArray, z_rank: IntArray, n_ranks: int
) -> int:  # pragma: no cover
    # items sorted by first coordinate descending (points before queries on ties). Bottom-up
    # divide and conquer: at each level, points of a left block count for queries of the right
    # block when y(point) >= y(query) and z(point) >= z(query); blocks are kept sorted by y desc.
    n = kind.shape[0]
    order = np.arange(n)
    buffer = np.empty(n, dtype=np.int64)
    tree = np.zeros(n_ranks + 2, dtype=np.int64)
    total = 0
    width = 1
    while width < n:
        start = 0
        while start < n:
            mid = min(start + width, n)
            end = min(start + 2 * width, n)
            if mid < end:
                # merge left [start, mid) and right [mid, end) by y descending; a left point
                # comes before a right query of equal y (>= counts)
                a = start
                b = mid
                k = start
                inserted = 0
                while a < mid or b < end:
                    take_left = b >= end or (a < mid and y[order[a]] >= y[order[b]])
                    if take_left:
                        item = order[a]
                        a += 1
                        if kind[item] == 0:
                            i = z_rank[item]
                            while i <= n_ranks:
                                tree[i] += 1
                                i += i & (-i)
                            inserted += 1
                    else:
                        item = order[b]
                        b += 1
                        if kind[item] == 1:
                            below = 0
                            i = z_rank[item] - 1
                            while i > 0:
                                below += tree[i]
                                i -= i & (-i)
                            total += inserted - below
                    buffer[k] = item
                    k += 1
                # undo the insertions of the left block
                for t in range(start, mid):
                    item = order[t]
                    if kind[item] == 0:
                        i = z_rank[item]
                        while i <= n_ranks:
                            tree[i] -= 1
                            i += i & (-i)
                for t in range(start, end):
                    order[t] = buffer[t]
            else:
                for t in range(start, end):
                    buffer[t] = order[t]
            start = end
        width *= 2
    return total


@kernel
def _count_pairs_brute(a: IntArray, b: IntArray, t: IntArray) -> int:  # pragma: no cover - numba
    total = 0
    d = t.shape[0]
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            ok = True
            for k in range(d):
                if a[i, k] + b[j, k] < t[k]:
                    ok = False
                    break
            if ok:
                total += 1
    return total


def count_pairs(a: IntArray, b: IntArray, t: IntArray) -> int:
    """Count pairs of rows ``(a_i, b_j)`` with ``a_i + b_j >= t`` in every coordinate.

    Parameters
    ----------
    a, b
        ``(n_a, d)`` and ``(n_b, d)`` integer arrays (``d`` may be 0: every pair counts).
    t
        ``(d,)`` thresholds.

    Returns
    -------
    int
        The exact count.

    Raises
    ------
    ValueError
        With four or more coordinates, when ``n_a · n_b`` exceeds :data:`BRUTE_LIMIT`.
    """
    na, nb, d = a.shape[0], b.shape[0], t.shape[0]
    if na == 0 or nb == 0:
        return 0
    if d == 0:
        return int(na * nb)
    q = t[None, :] - a  # b must dominate q
    if d == 1:
        sorted_b = np.sort(b[:, 0])
        return int((nb - np.searchsorted(sorted_b, q[:, 0], side="left")).sum())
    if d > 3:
        if na * nb > BRUTE_LIMIT:
            raise ValueError(
                f"exact counting with {d} needed parties is limited to {BRUTE_LIMIT:.0e} pairs"
            )
        return int(_count_pairs_brute(np.ascontiguousarray(a), np.ascontiguousarray(b), t))
    items = np.concatenate([b, q])
    kind = np.concatenate([np.zeros(nb, np.int64), np.ones(na, np.int64)])
    # first coordinate descending; points before queries when equal
    order = np.lexsort((kind, -items[:, 0]))
    items, kind = items[order], kind[order]
    if d == 2:
        ranks = _ranks(items[:, 1])
        return int(_count_2d(kind, ranks, int(ranks.max())))
    ranks = _ranks(items[:, 2])
    return int(_count_3d(kind, np.ascontiguousarray(items[:, 1]), ranks, int(ranks.max())))
