"""The Nash bargaining package by branch and bound, without enumeration or frontiers.

The Nash package (Nash 1950, "The bargaining problem", Econometrica 18(2)) maximises the product of
the bargainers' gains ``Π_p (u_p − r_p)`` over the acceptable packages (every party whose consent
the package needs reaches its walk-away point). :func:`zopa.space.solutions.bargaining_solutions`
finds it from the acceptable Pareto frontier; repeated analyses (one per sample in
:mod:`zopa.robust`) need it faster, so this module searches for it directly.

Depth-first over the issues, options tried in decreasing total contribution to the bargainers
(the ordering :mod:`zopa.space.margin` uses), cutting every partial package that

* cannot become acceptable: a party whose consent it already needs cannot reach its walk-away
  point even with its best option on every remaining issue; or
* cannot beat the best product found: the product of the bargainers' optimistic gains (each with
  its best option on every remaining issue — a valid bound, since the product of non-negative
  factors grows with each factor) is below it.

The product is computed in floating point; every package within a relative ``1e-9`` of the best
is kept, and :func:`nash_packages` then decides among them with the exact integer products and the
same tie-breaking rule as :func:`~zopa.space.solutions.bargaining_solutions`. The rare cases the
search cannot settle on its own — an exact tie of the product between different gain vectors
(the tie-break needs every bargainer's ideal point), a best product of zero, or more near-ties than
it keeps — are handed to the exact engine, so the answer is always the one ``zopa analyze`` gives
(tested).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel
from zopa.space.compile import CompiledSpace
from zopa.space.engine import PackageSet, make_engine
from zopa.space.exact import (
    SearchTables,
    consent_masks,
    grid_contributions,
    grid_reservation,
    grid_utilities,
    search_tables,
)
from zopa.space.pareto import nondominated
from zopa.space.solutions import bargaining_solutions

IntArray = NDArray[np.int64]
KEEP = 256
"""Most near-best packages the search keeps before handing over to the exact engine."""
RELATIVE = 1e-9


@kernel
def _nash_kernel(  # pragma: no cover - numba
    contrib: IntArray,  # (n, P, kmax), options of each issue pre-sorted
    n_options: IntArray,
    masks: IntArray,  # (n, kmax)
    core: int,
    reservation: IntArray,
    suffix_best: IntArray,  # (n + 1, P)
    keep: int,
    relative: float,
) -> tuple[float, IntArray, NDArray[np.float64], int, bool]:
    n = contrib.shape[0]
    p_count = contrib.shape[1]
    best = 0.0
    kept = np.zeros((keep, n), dtype=np.int64)
    kept_value = np.zeros(keep, dtype=np.float64)
    n_kept = 0
    overflow = False
    choice = np.full(n, -1, dtype=np.int64)
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
        feasible = True
        bound = 1.0
        for p in range(p_count):
            gain = partial[nxt, p] + suffix_best[nxt, p] - reservation[p]
            if gain < 0 and ((mask[nxt] >> p) & 1 or (core >> p) & 1):
                feasible = False
                break
            if (core >> p) & 1:
                bound *= float(gain)
        if not feasible or bound <= 0.0 or bound < best * (1.0 - relative):
            continue
        if nxt < n:
            depth = nxt
            continue
        # a whole package: bound is its exact product (no remaining issues)
        if bound > best:
            best = bound
            # drop kept packages that fell out of the tolerance
            m = 0
            for a in range(n_kept):
                if kept_value[a] >= best * (1.0 - relative):
                    kept[m] = kept[a]
                    kept_value[m] = kept_value[a]
                    m += 1
            n_kept = m
        if n_kept < keep:
            kept[n_kept] = choice
            kept_value[n_kept] = bound
            n_kept += 1
        else:
            overflow = True
    return best, kept[:n_kept], kept_value[:n_kept], n_kept, overflow


def _exact_engine_nash(space: CompiledSpace) -> PackageSet:
    engine = make_engine(space, "exact")
    front = engine.pareto(acceptable_only=True)
    return bargaining_solutions(front, grid_reservation(space), space.core)["nash"]


def nash_packages(
    space: CompiledSpace,
    *,
    contributions: list[IntArray] | None = None,
    masks: list[IntArray] | None = None,
    tables: SearchTables | None = None,
) -> PackageSet:
    """Return the Nash package(s) of a compiled space, as ``zopa analyze`` defines them.

    Parameters
    ----------
    space
        A compiled agreement space; the bargainers are the parties whose consent every package
        needs (:attr:`CompiledSpace.core`), the disagreement point their walk-away points.
    contributions, masks, tables
        The space's :func:`~zopa.space.exact.grid_contributions`,
        :func:`~zopa.space.exact.consent_masks` and :func:`~zopa.space.exact.search_tables`,
        when the caller has them already.

    Returns
    -------
    PackageSet
        The tied Nash packages (usually one); empty when no package is acceptable.
    """
    if contributions is None:
        contributions = grid_contributions(space)
    if masks is None:
        masks = consent_masks(space)
    reservation = grid_reservation(space)
    p = space.n_parties
    t = tables if tables is not None else search_tables(contributions, masks)
    bargainers = np.array([(t.core >> k) & 1 == 1 for k in range(p)])
    best, kept, _, count, overflow = _nash_kernel(
        t.contrib, t.n_options, t.masks, t.core, reservation, t.suffix_best, KEEP, RELATIVE
    )
    if overflow or count == 0 or best <= 0.0:
        # zero products tie everywhere and near-tie floods need the full tie-break
        return _exact_engine_nash(space)
    packages = np.stack([t.package(row) for row in kept])
    utilities = grid_utilities(space, packages, contributions)
    gains = (utilities - reservation[None, :])[:, bargainers]
    products = [_product(g) for g in gains]
    top = max(products)
    tied = np.array([k for k, v in enumerate(products) if v == top], dtype=np.intp)
    if len(tied) > 1 and bool((gains[tied] != gains[tied][0]).any()):  # unequal gains
        return _exact_engine_nash(space)  # the tie-break needs the ideal points
    rows = tied if len(tied) == 1 else tied[nondominated(utilities[tied])]
    return PackageSet(packages[rows], utilities[rows])


def _product(gains: IntArray) -> int:
    out = 1
    for g in gains:
        out *= int(g)
    return out
