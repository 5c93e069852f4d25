"""The margin of an agreement space by branch and bound.

The margin is the max over packages of the min over needed parties of utility minus walk-away
point, found here without enumeration or frontiers.

Depth-first over the issues, options tried in decreasing total contribution to the parties whose
consent every package needs (so good packages come early), cutting every partial package whose
optimistic completion (each such party getting its best option on every remaining issue) cannot
beat the best margin found. It answers one number fast, which is what repeated analyses (one
per sample in :mod:`zopa.robust`) need; :class:`zopa.space.exact_engine.ExactEngine.margin` and
the enumeration engine give the same value (tested).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel
from zopa.space.exact import SearchTables, search_tables

IntArray = NDArray[np.int64]
UNBOUNDED = np.iinfo(np.int64).max


@kernel
def _margin_kernel(  # pragma: no cover - numba
    contrib: IntArray,  # (n, P, kmax), options of each issue pre-sorted (best first)
    n_options: IntArray,
    masks: IntArray,  # (n, kmax)
    core: int,
    reservation: IntArray,
    suffix_best: IntArray,  # (n + 1, P)
) -> tuple[int, IntArray]:
    n = contrib.shape[0]
    p_count = contrib.shape[1]
    unbounded = np.iinfo(np.int64).max
    best = -unbounded
    choice = np.full(n, -1, dtype=np.int64)
    argbest = np.zeros(n, dtype=np.int64)
    partial = np.zeros((n + 1, p_count), dtype=np.int64)
    mask = np.zeros(n + 1, dtype=np.int64)
    depth = 0
    while depth >= 0:
        choice[depth] += 1
        if choice[depth] >= n_options[depth]:
            choice[depth] = -1
            depth -= 1
            continue
        o = choice[depth]
        nxt = depth + 1
        for p in range(p_count):
            partial[nxt, p] = partial[depth, p] + contrib[depth, p, o]
        mask[nxt] = mask[depth] | masks[depth, o]
        if nxt < n:
            bound = unbounded
            for p in range(p_count):
                if (core >> p) & 1:
                    g = partial[nxt, p] + suffix_best[nxt, p] - reservation[p]
                    if g < bound:
                        bound = g
            if bound > best:
                depth = nxt
            continue
        value = unbounded
        for p in range(p_count):
            if (mask[n] >> p) & 1:
                g = partial[n, p] - reservation[p]
                if g < value:
                    value = g
        if value > best:
            best = value
            argbest[:] = choice
    return best, argbest


def margin_by_search(
    contributions: list[IntArray], masks: list[IntArray], reservation: IntArray
) -> int:
    """Return ``max_x min_{p needed by x} (u_p(x) − r_p)`` exactly (integer grid).

    See :func:`widest_package` for the parameters; this returns its margin alone.
    """
    return widest_package(contributions, masks, reservation)[0]


def widest_package(
    contributions: list[IntArray],
    masks: list[IntArray],
    reservation: IntArray,
    tables: SearchTables | None = None,
) -> tuple[int, NDArray[np.intp]]:
    """Return the margin and a package that attains it (the first the search meets).

    Parameters
    ----------
    contributions
        Per issue, ``(P, n_options)`` integer utility contributions.
    masks
        Per issue, ``(n_options,)`` consent bitmasks.
    reservation
        ``(P,)`` integer walk-away points.
    tables
        :func:`~zopa.space.exact.search_tables` of the first two, when the caller has them.

    Returns
    -------
    margin : int
        ``max_x min_{p needed by x} (u_p(x) − r_p)`` on the integer grid; ``int64`` max when
        some package needs nobody's consent.
    package : ndarray
        ``(n_issues,)`` option indices of a package whose least slack is the margin: the
        package most robust to a uniform rise of the needed parties' walk-away points.
    """
    t = tables if tables is not None else search_tables(contributions, masks)
    margin, chosen = _margin_kernel(
        t.contrib, t.n_options, t.masks, t.core, reservation, t.suffix_best
    )
    return int(margin), t.package(chosen)
