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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel
from zopa.space.pareto import distinct

IntArray = NDArray[np.int64]
BRUTE_LIMIT = 2 * 10**10
"""Largest ``n_a · n_b`` the pairwise fallback (four or more coordinates) accepts."""


def _ranks(values: IntArray) -> IntArray:
    """Dense ranks from 1 (smallest) upwards."""
    return (np.unique(values, return_inverse=True)[1].reshape(-1) + 1).astype(np.int64)


@kernel
def _count_2d_range(
    kind: IntArray,
    y_rank: IntArray,
    weight: IntArray,
    tree: IntArray,
    start: int,
    end: int,
    inserted: int,
) -> tuple[int, int]:  # pragma: no cover - numba
    # items sorted by first coordinate descending, points (kind 0) before queries (kind 1) on ties;
    # count, for each query of items[start:end], the points already inserted whose y rank is >=
    # the query's, each pair weighing the product of the two weights; ``tree`` (a Fenwick tree
    # over y ranks) and ``inserted`` carry over between consecutive ranges
    n_ranks = tree.shape[0] - 2
    total = 0
    for j in range(start, end):
        r = y_rank[j]
        if kind[j] == 0:
            i = r
            while i <= n_ranks:
                tree[i] += weight[j]
                i += i & (-i)
            inserted += weight[j]
        else:
            below = 0
            i = r - 1
            while i > 0:
                below += tree[i]
                i -= i & (-i)
            total += weight[j] * (inserted - below)
    return total, inserted


@kernel
def _count_3d_level(
    kind: IntArray,
    y: IntArray,
    z_rank: IntArray,
    weight: IntArray,
    order: IntArray,
    buffer: IntArray,
    tree: IntArray,
    width: int,
) -> int:  # pragma: no cover - numba
    # One level of a bottom-up divide and conquer over items sorted by first coordinate
    # descending (points before queries on ties): the points of each left block of ``width``
    # items count for the queries of the right block when y(point) >= y(query) and
    # z(point) >= z(query), each pair weighing the product of the two weights; blocks are merged
    # by y descending (``order`` holds the merged blocks of the previous level). ``tree`` is a
    # Fenwick tree over z ranks, left all zero.
    n = kind.shape[0]
    n_ranks = tree.shape[0] - 2
    total = 0
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
                            tree[i] += weight[item]
                            i += i & (-i)
                        inserted += weight[item]
                else:
                    item = order[b]
                    b += 1
                    if kind[item] == 1:
                        below = 0
                        i = z_rank[item] - 1
                        while i > 0:
                            below += tree[i]
                            i -= i & (-i)
                        total += weight[item] * (inserted - below)
                buffer[k] = item
                k += 1
            # undo the insertions of the left block
            for t in range(start, mid):
                item = order[t]
                if kind[item] == 0:
                    i = z_rank[item]
                    while i <= n_ranks:
                        tree[i] -= weight[item]
                        i += i & (-i)
            for t in range(start, end):
                order[t] = buffer[t]
        start = end
    return total


@kernel
def _count_pairs_brute(
    a: IntArray, b: IntArray, t: IntArray, wa: IntArray, wb: IntArray
) -> int:  # pragma: no cover - numba
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
                total += wa[i] * wb[j]
    return total


def count_pairs(
    a: IntArray,
    b: IntArray,
    t: IntArray,
    progress: Callable[[float], None] | None = None,
    *,
    weights: tuple[IntArray, IntArray] | None = None,
) -> int:
    """Count pairs of rows ``(a_i, b_j)`` with ``a_i + b_j >= t`` in every coordinate.

    Parameters
    ----------
    a, b
        ``(n_a, d)`` and ``(n_b, d)`` integer arrays (``d`` may be 0: every pair counts).
    t
        ``(d,)`` thresholds.
    progress
        Called with the fraction of the work done (between 0 and 1) as the count proceeds.
    weights
        Optional integer weights of the rows of ``a`` and of ``b``: a pair then counts as the
        product of its weights (rows standing for several partial packages).

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
    if weights is None:
        wa, wb = np.ones(na, dtype=np.int64), np.ones(nb, dtype=np.int64)
    else:
        wa, wb = (np.ascontiguousarray(w, dtype=np.int64) for w in weights)
    if d == 0:
        return int(wa.sum()) * int(wb.sum())
    q = t[None, :] - a  # b must dominate q
    if d == 1:
        order_b = np.argsort(b[:, 0], kind="stable")
        suffix = np.r_[np.cumsum(wb[order_b][::-1])[::-1], 0]
        at = np.searchsorted(b[order_b, 0], q[:, 0], side="left")
        return int((wa * suffix[at]).sum())
    if d > 3:
        if na * nb > BRUTE_LIMIT:
            raise ValueError(
                f"exact counting with {d} needed parties is limited to {BRUTE_LIMIT:.0e} pairs"
            )
        return int(_count_pairs_brute(np.ascontiguousarray(a), np.ascontiguousarray(b), t, wa, wb))
    items = np.concatenate([b, q])
    kind = np.concatenate([np.zeros(nb, np.int64), np.ones(na, np.int64)])
    weight = np.concatenate([wb, wa])
    # first coordinate descending; points before queries when equal
    order = np.lexsort((kind, -items[:, 0]))
    items, kind, weight = items[order], kind[order], weight[order]
    n = len(items)
    if d == 2:
        ranks = _ranks(items[:, 1])
        tree = np.zeros(int(ranks.max()) + 2, dtype=np.int64)
        total, inserted = 0, 0
        step = max(1, n // 16)
        for start in range(0, n, step):
            end = min(n, start + step)
            part, inserted = _count_2d_range(kind, ranks, weight, tree, start, end, inserted)
            total += int(part)
            if progress is not None:
                progress(end / n)
        return total
    ranks = _ranks(items[:, 2])
    y = np.ascontiguousarray(items[:, 1])
    tree = np.zeros(int(ranks.max()) + 2, dtype=np.int64)
    merged = np.arange(n, dtype=np.int64)
    buffer = np.empty(n, dtype=np.int64)
    levels = max(1, int(np.ceil(np.log2(n))))
    total = 0
    width, level = 1, 0
    while width < n:
        total += int(_count_3d_level(kind, y, ranks, weight, merged, buffer, tree, width))
        width *= 2
        level += 1
        if progress is not None:
            progress(level / levels)
    return total


# ---------------------------------------------------------------------------------------------
# Counting the zone of agreement: exact by meeting in the middle, or bounded, or skipped
# ---------------------------------------------------------------------------------------------

COUNT_MODES = ("auto", "exact", "bound", "skip")
"""``count=`` choices of :func:`count_zone` (``auto``: exact when fast enough, else a bound)."""

AUTO_COUNT_SECONDS = 10.0
"""``auto`` counts exactly when the estimated time is at most this many seconds."""

MAX_HALF = 20_000_000
"""Largest number of partial packages one half may have (exact counts and bounds)."""

# Seconds per unit of work of the exact counts, measured on a 2-core VM (benchmarks/count_speed.py):
# 3 needed parties: N log2(N)^2, 2: N log2(N), 1: N log2(N), 4 or more: n_a n_b d.
_COST = {1: 6e-9, 2: 4e-8, 3: 8e-9, 4: 1.5e-9}
_BOUND_CELLS = 64**3
"""At most this many grid cells per half (per consent pattern) for a bound."""

PROGRESS_SECONDS = 1.0
"""Exact counts estimated to take at least this long report their progress."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ZoneCount:
    """How many packages the zone of agreement holds, or bounds on it.

    Attributes
    ----------
    method
        ``exact``, ``bound`` or ``skip`` (the method used, never ``auto``).
    size
        The exact count (``exact``), else None.
    lower, upper
        Bounds on the count (both equal to ``size`` when exact; 0 and the space's size when
        skipped).
    estimated_seconds
        The estimated time of an exact count by meeting in the middle (None when not estimated:
        a trivial answer or a space counted by enumeration).
    note
        Why the count is a bound or skipped, for the reader.
    """

    method: str
    size: int | None
    lower: int
    upper: int
    estimated_seconds: float | None = None
    note: str | None = None


def split_issues(sizes: list[int]) -> tuple[list[int], list[int], float, float]:
    """Split issues into two halves of nearly equal numbers of partial packages.

    Returns the two halves (sorted issue indices) and the natural logs of their sizes.
    """
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    left: list[int] = []
    right: list[int] = []
    log_left = log_right = 0.0
    for i in order:
        if log_left <= log_right:
            left.append(i)
            log_left += float(np.log(sizes[i]))
        else:
            right.append(i)
            log_right += float(np.log(sizes[i]))
    return sorted(left), sorted(right), log_left, log_right


def half_points(
    contributions: list[IntArray], masks: list[IntArray], issues: list[int]
) -> tuple[IntArray, IntArray]:
    """Utilities ``(n, P)`` and consent bitmasks ``(n,)`` of every partial package of ``issues``."""
    p = contributions[0].shape[0]
    points = np.zeros((1, p), dtype=np.int64)
    point_masks = np.zeros(1, dtype=np.int64)
    for i in issues:
        c, m = contributions[i], masks[i]
        points = (points[:, None, :] + c.T[None, :, :]).reshape(-1, p)
        point_masks = (point_masks[:, None] | m[None, :]).reshape(-1)
    return points, point_masks


def estimate_seconds(n_a: int, n_b: int, d: int) -> float:
    """Estimated seconds of :func:`count_pairs` on ``n_a`` × ``n_b`` rows in ``d`` coordinates."""
    n = n_a + n_b
    if d == 0 or n_a == 0 or n_b == 0:
        return 0.0
    log = float(np.log2(max(n, 2)))
    if d == 1:
        return _COST[1] * n * log
    if d == 2:
        return _COST[2] * n * log
    if d == 3:
        return _COST[3] * n * log * log
    return _COST[4] * n_a * n_b * d


def _patterns(masks: IntArray) -> list[int]:
    """The distinct consent patterns, sorted (without sorting when there is only one)."""
    if masks.min() == masks.max():
        return [int(masks[0])]
    return [int(m) for m in distinct(masks)]


def _bits(mask: int, n_parties: int) -> NDArray[np.intp]:
    return np.flatnonzero((mask >> np.arange(n_parties)) & 1)


@kernel
def _classify(
    x: IntArray, low: IntArray, high: IntArray, t: IntArray
) -> NDArray[np.int8]:  # pragma: no cover
    # per row: 1 when x + low >= t everywhere (pairs with every row of the other side), 0 when
    # x + high < t somewhere (pairs with none), 2 otherwise
    n, d = x.shape
    out = np.empty(n, dtype=np.int8)
    for j in range(n):
        every = True
        none = False
        for k in range(d):
            v = x[j, k]
            if v + low[k] < t[k]:
                every = False
            if v + high[k] < t[k]:
                none = True
                break
        out[j] = 0 if none else (1 if every else 2)
    return out


def _prune(a: IntArray, b: IntArray, t: IntArray) -> tuple[int, IntArray, IntArray]:
    """Remove the rows whose pairs are all in or all out; return the pairs counted so far.

    A row ``a_i`` with ``a_i + max(b) < t`` somewhere has no pair; with ``a_i + min(b) >= t``
    everywhere it pairs with every ``b``; the same the other way round. What remains are the
    rows whose pairs need counting (one pass over each side).
    """
    if len(a) == 0 or len(b) == 0:
        return 0, a[:0], b[:0]
    a_class = _classify(a, b.min(axis=0), b.max(axis=0), t)
    b_class = _classify(b, a.min(axis=0), a.max(axis=0), t)
    a_mid, b_mid = a_class == 2, b_class == 2
    n_a_mid = int(a_mid.sum())
    counted = int((a_class == 1).sum()) * len(b) + n_a_mid * int((b_class == 1).sum())
    if n_a_mid < len(a):
        a = a[a_mid]
    if int(b_mid.sum()) < len(b):
        b = b[b_mid]
    return counted, a, b


@kernel
def _cell_ids(x: IntArray, cuts: IntArray) -> IntArray:  # pragma: no cover - numba
    # row-major cell id of each row: per coordinate, the number of cut points <= the value
    n, d = x.shape
    levels = cuts.shape[1] + 1
    cell = np.zeros(n, dtype=np.int64)
    for j in range(n):
        c = 0
        for k in range(d):
            level = 0
            while level < levels - 1 and cuts[k, level] <= x[j, k]:
                level += 1
            c = c * levels + level
        cell[j] = c
    return cell


@kernel
def _cell_corners(
    x: IntArray, cell: IntArray, n_cells: int
) -> tuple[IntArray, IntArray, IntArray]:  # pragma: no cover - numba
    # rows per cell and the lower and upper corners of each cell's rows, in one pass
    n, d = x.shape
    counts = np.zeros(n_cells, dtype=np.int64)
    lo = np.full((n_cells, d), np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full((n_cells, d), np.iinfo(np.int64).min, dtype=np.int64)
    for j in range(n):
        c = cell[j]
        counts[c] += 1
        for k in range(d):
            v = x[j, k]
            if v < lo[c, k]:
                lo[c, k] = v
            if v > hi[c, k]:
                hi[c, k] = v
    return counts, lo, hi


def _cells(x: IntArray, levels: int) -> tuple[IntArray, IntArray, IntArray]:
    """Group rows into grid cells of per-coordinate quantiles: counts, lower and upper corners."""
    n, d = x.shape
    sample = x[:: max(1, n // 65_536)]
    cuts = np.quantile(sample, np.arange(1, levels) / levels, axis=0, method="inverted_cdf")
    cell = _cell_ids(np.ascontiguousarray(x), np.ascontiguousarray(cuts.T.astype(np.int64)))
    counts, lo, hi = _cell_corners(np.ascontiguousarray(x), cell, levels**d)
    used = counts > 0
    return counts[used], lo[used], hi[used]


def _pair_bounds(a: IntArray, b: IntArray, t: IntArray) -> tuple[int, int]:
    """Lower and upper bounds on the pairs with ``a_i + b_j >= t`` from grid cells of each side.

    Each side's rows are grouped into cells of a grid of quantiles; the pairs of two cells all
    count when their lower corners' sum reaches ``t`` and none counts when their upper corners'
    sum falls short of it somewhere. Counting the cell pairs of each kind, weighted by the cells'
    sizes, is the same dominance count as the exact one (:func:`count_pairs`) on far fewer rows.
    """
    d = t.shape[0]
    levels = max(2, round(_BOUND_CELLS ** (1.0 / d)))
    na, alo, ahi = _cells(a, levels)
    nb, blo, bhi = _cells(b, levels)
    lower = count_pairs(alo, blo, t, weights=(na, nb))
    upper = count_pairs(ahi, bhi, t, weights=(na, nb))
    return lower, upper


def count_zone(
    contributions: list[IntArray],
    masks: list[IntArray],
    reservation: IntArray,
    *,
    mode: str = "auto",
    exists: bool | None = None,
    max_half: int = MAX_HALF,
    budget: float = AUTO_COUNT_SECONDS,
    progress: Progress | None = None,
) -> ZoneCount:
    """Count the packages acceptable to every party whose consent they need, or bound the count.

    Parameters
    ----------
    contributions, masks
        Per issue, ``(P, n_options)`` integer contributions and ``(n_options,)`` consent bitmasks
        (:func:`zopa.space.exact.grid_contributions`, :func:`zopa.space.exact.consent_masks`).
    reservation
        ``(P,)`` walk-away points on the integer grid.
    mode
        ``exact``; ``bound`` (lower and upper bounds from grid cells, fast); ``skip`` (no count);
        or ``auto``: exact when its estimated time is at most ``budget`` seconds, else a bound.
    exists
        Whether the zone is known to be open (the margin is at least 0) or closed; None if not
        known. A closed zone has size 0 without counting.
    max_half
        Largest number of partial packages of one half.
    budget
        Seconds ``auto`` allows an exact count.
    progress
        Called with (work done, work in all) during an exact count.

    Returns
    -------
    ZoneCount

    Raises
    ------
    ValueError
        For an unknown mode, or an exact count whose halves exceed ``max_half`` or whose
        pairwise fallback (four or more needed parties) exceeds :data:`BRUTE_LIMIT`.

    Notes
    -----
    Meet in the middle (Horowitz & Sahni 1974, "Computing partitions with applications to the
    knapsack problem", JACM 21(2)): the partial packages of two halves of the issues are listed
    and grouped by consent pattern, and for each pair of patterns the pairs whose sums reach every
    needed walk-away point are counted by offline dominance counting (:func:`count_pairs`).
    Work that cannot change the count is skipped first: a closed zone counts 0 (so does a space
    where a party every package needs cannot reach its walk-away point even with its best option
    on every issue), a space whose every package is acceptable (each party's least utility, issue by issue, reaches its
    walk-away point) counts all, and rows that pair with every row of the other half or with
    none are counted without comparison (:func:`_prune`).
    """
    if mode not in COUNT_MODES:
        raise ValueError(f"unknown count {mode!r} (expected one of: {', '.join(COUNT_MODES)})")
    sizes = [c.shape[1] for c in contributions]
    n_parties = contributions[0].shape[0]
    total = int(np.prod(np.array(sizes, dtype=object)))
    if mode == "skip":
        return ZoneCount("skip", None, 0, total, note="not counted (count=skip)")
    if exists is False:
        return ZoneCount("exact", 0, 0, 0)
    ever_needed = 0
    for m in masks:
        ever_needed |= int(np.bitwise_or.reduce(m))
    needed_parties = _bits(ever_needed, n_parties)
    least = np.sum([c.min(axis=1) for c in contributions], axis=0)
    if (least[needed_parties] >= reservation[needed_parties]).all():
        return ZoneCount("exact", total, total, total)
    core = 0  # parties every package needs: those every option of some issue needs
    for m in masks:
        core |= int(np.bitwise_and.reduce(m))
    most = np.sum([c.max(axis=1) for c in contributions], axis=0)
    if (most[_bits(core, n_parties)] < reservation[_bits(core, n_parties)]).any():
        return ZoneCount("exact", 0, 0, 0)
    left, right, log_left, log_right = split_issues(sizes)
    lower_trivial = 1 if exists else 0
    if max(log_left, log_right) > float(np.log(max_half)):
        message = (
            f"counting the zone exactly needs two halves of at most {max_half:,} partial "
            f"packages; this space's halves have about {np.exp(log_left):.3g} and "
            f"{np.exp(log_right):.3g}"
        )
        if mode == "exact":
            raise ValueError(message)
        return ZoneCount("bound", None, lower_trivial, total, note=f"not counted: {message}")
    a_points, a_masks = half_points(contributions, masks, left)
    b_points, b_masks = half_points(contributions, masks, right)
    jobs = []
    settled = 0
    a_patterns, b_patterns = _patterns(a_masks), _patterns(b_masks)
    for ma in a_patterns:
        a_all = a_points if len(a_patterns) == 1 else a_points[a_masks == ma]
        for mb in b_patterns:
            b_all = b_points if len(b_patterns) == 1 else b_points[b_masks == mb]
            needed = _bits(int(ma | mb), n_parties)
            t = reservation[needed]
            a_needed, b_needed = a_all, b_all
            if len(needed) < n_parties:
                a_needed = np.ascontiguousarray(a_all[:, needed])
                b_needed = np.ascontiguousarray(b_all[:, needed])
            counted, a, b = _prune(a_needed, b_needed, t)
            settled += counted
            if len(a) and len(b):
                jobs.append((a, b, t, estimate_seconds(len(a), len(b), len(needed))))
    estimate = float(sum(job[3] for job in jobs))
    exact = mode == "exact" or (mode == "auto" and estimate <= budget)
    if estimate < PROGRESS_SECONDS:
        progress = None  # short counts report nothing
    if exact:
        work = [max(1, int(job[3] * 1e6)) for job in jobs]
        done = 0
        all_work = int(sum(work))
        count = settled
        for (a, b, t, _), w in zip(jobs, work, strict=True):

            def tick(fraction: float, _done: int = done, _w: int = w) -> None:
                if progress is not None:
                    progress(_done + int(fraction * _w), all_work)

            count += count_pairs(a, b, t, tick)
            done += w
            if progress is not None:
                progress(done, all_work)
        return ZoneCount("exact", count, count, count, estimated_seconds=estimate)
    lower = upper = settled
    for a, b, t, _ in jobs:
        lo, hi = _pair_bounds(a, b, t)
        lower += lo
        upper += hi
    return ZoneCount(
        "bound",
        None,
        max(lower, lower_trivial),
        upper,
        estimated_seconds=estimate,
        note=(
            f"bounds from grid cells; an exact count would take about {estimate:,.0f} s "
            "(count=exact)"
        ),
    )
