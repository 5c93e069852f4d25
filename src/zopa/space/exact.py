"""Exact utility arithmetic on an integer grid.

Rule
----
Utilities are held as integers: ``1.0`` is :data:`SCALE`, a highly composite number
(720,720 × 10⁸, divisible by every integer up to 16 and by 10⁹). For every party whose numbers
are decimals (:class:`zopa.space.compile.ExactParty`), the contributions of its issues and its
walk-away point are computed in rational arithmetic from the numbers as written — ``Σ w·v`` is
set against ``r · Σ w``, weights are never renormalised in floating point — and put on the grid
as ``q · numerator`` with one positive integer ``q`` per party:

* when the party's common denominator ``M`` divides :data:`SCALE` (decimals of up to a few
  places, weights summing to any integer up to 16, to 20, 0.9, 1.05, ...), ``q = SCALE / M`` and
  the integers are the exact utilities × :data:`SCALE`: every comparison, within a party or
  across parties, is exact;
* otherwise (e.g. weights summing to 17 or 0.95) ``q = round(SCALE / M)``: the party's integers
  are still exactly proportional to its utilities, so its acceptability (``u ≥ r``), its ties
  and Pareto dominance remain exact; quantities that compare parties (the margin, the
  egalitarian and utilitarian solutions, the largest loss among several proposers) are then
  accurate to a relative ``M / (2 · SCALE)`` (below 10⁻⁶; usually far below).

Displayed utilities are ``integer / unit`` with the party's own unit (``q · M``), correctly
rounded: a utility of exactly 0.7 prints as 0.7. A party with a number that is not a decimal of
at most :data:`zopa.space.compile.DECIMALS` places (a sampled float, say) falls back to rounding
each float contribution to the nearest multiple of ``1 / SCALE``: its comparisons are then exact
only up to the number of issues × ``1 / SCALE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from zopa.space.compile import CompiledSpace

SCALE = 720_720 * 10**8
"""The integer that stands for utility 1.0."""
_TOLERANCE = 1e-9
_MAX_SHARE = SCALE // 10**6  # largest denominator put on the grid by a per-party factor


def to_grid(
    x: NDArray[np.float64] | float, units: NDArray[np.int64] | None = None
) -> NDArray[np.int64]:
    """Put numbers (walk-away points, utilities) on the integer grid.

    A decimal of at most :data:`zopa.space.compile.DECIMALS` places lands exactly where the
    rational it stands for does (rounded only when that is not a grid point).

    Parameters
    ----------
    x
        Numbers, finite.
    units
        Per party (the last axis of ``x``), the integer that stands for 1.0
        (:attr:`Grid.units`); :data:`SCALE` when None.

    Raises
    ------
    ValueError
        For a number that is not finite.
    """
    from zopa.space.compile import decimal_numerators

    array = np.asarray(x, dtype=np.float64)
    if not np.isfinite(array).all():
        raise ValueError("utilities and walk-away points must be finite numbers")
    shape = array.shape
    unit = np.broadcast_to(
        np.asarray(SCALE if units is None else units, dtype=np.int64), shape
    ).reshape(-1)
    flat = np.clip(array.reshape(-1), -1e3, 1e3)  # far outside [0, 1]: same verdicts, no overflow
    k, ok = decimal_numerators(flat)
    out = np.rint(flat * unit).astype(np.int64)
    exact = ok & (unit % 10**9 == 0)
    out[exact] = k[exact] * (unit[exact] // 10**9)
    for j in np.flatnonzero(ok & ~exact):
        out[j] = round(Fraction(int(k[j]), 10**9) * int(unit[j]))
    result: NDArray[np.int64] = out.reshape(shape)[()]
    return result


def from_grid(q: NDArray[np.int64] | int) -> NDArray[np.float64]:
    """Return grid integers as floats (in units of :data:`SCALE`)."""
    return np.asarray(q, dtype=np.float64) / SCALE


@dataclass(frozen=True)
class Grid:
    """A compiled space's utility model on the integer grid.

    Attributes
    ----------
    contributions
        Per issue, ``(n_parties, n_options)`` integer contributions to utility.
    reservation
        ``(n_parties,)`` integer walk-away points.
    units
        ``(n_parties,)`` the integer that stands for utility 1.0 for each party (:data:`SCALE`
        unless the party's denominator does not divide it).
    exact
        ``(n_parties,)`` whether the party's integers are exact (proportional to its rational
        utilities).
    """

    contributions: tuple[NDArray[np.int64], ...]
    reservation: NDArray[np.int64]
    units: NDArray[np.int64]
    exact: NDArray[np.bool_]

    def values(self, q: NDArray[np.int64] | int) -> NDArray[np.float64]:
        """Integer utilities (parties on the last axis) as floats, correctly rounded."""
        array = np.asarray(q, dtype=np.int64)
        return np.asarray(array.astype(np.float64) / self.units.astype(np.float64))


def space_grid(space: CompiledSpace) -> Grid:
    """Put a compiled space on the integer grid (see the module's rule).

    The space's :attr:`~zopa.space.compile.CompiledSpace.grid` caches this; call that instead.
    """
    p = space.n_parties
    floats = [space.weights[:, i, None] * v for i, v in enumerate(space.values)]
    contributions = [
        np.rint(np.nan_to_num(c, nan=0.0, posinf=0.0, neginf=0.0) * SCALE).astype(np.int64)
        for c in floats
    ]
    units = np.full(p, SCALE, dtype=np.int64)
    exact = np.zeros(p, dtype=bool)
    reservation = to_grid(space.reservation)
    parties = space.exact if space.exact is not None and len(space.exact) == p else ()
    for r, party in enumerate(parties):
        if party is None or (party.denominator > _MAX_SHARE and SCALE % party.denominator):
            continue
        m = party.denominator
        shapes = [len(row) for row in party.contributions]
        if (
            shapes != [c.shape[1] for c in floats]
            or abs(party.reservation / m - space.reservation[r]) > _TOLERANCE
            or any(
                abs(x / m - float(floats[i][r, o])) > _TOLERANCE
                for i, row in enumerate(party.contributions)
                for o, x in enumerate(row)
            )
        ):
            continue  # stale: the floats were changed after compilation
        q = SCALE // m if SCALE % m == 0 else max(1, round(SCALE / m))
        for i, row in enumerate(party.contributions):
            contributions[i][r] = [q * x for x in row]
        reservation[r] = q * max(min(party.reservation, 2 * m), -2 * m)
        units[r] = q * m
        exact[r] = True
    return Grid(tuple(contributions), reservation, units, exact)


def grid_contributions(space: CompiledSpace) -> list[NDArray[np.int64]]:
    """Per issue, ``(n_parties, n_options)`` integer contributions to utility."""
    return list(space.grid.contributions)


def grid_reservation(space: CompiledSpace) -> NDArray[np.int64]:
    """``(n_parties,)`` integer walk-away points."""
    return space.grid.reservation.copy()


def grid_values(space: CompiledSpace, q: NDArray[np.int64] | int) -> NDArray[np.float64]:
    """Integer utilities of ``space`` (parties on the last axis) as floats, correctly rounded."""
    return space.grid.values(q)


def grid_utilities(
    space: CompiledSpace,
    packages: NDArray[np.integer],
    contributions: list[NDArray[np.int64]] | None = None,
) -> NDArray[np.int64]:
    """Return ``(k, n_parties)`` integer utilities of packages given as option indices.

    ``contributions`` are the space's :func:`grid_contributions`, when already at hand.
    """
    packages = np.atleast_2d(packages)
    grid = contributions if contributions is not None else grid_contributions(space)
    out = np.zeros((packages.shape[0], space.n_parties), dtype=np.int64)
    for i, contribution in enumerate(grid):
        out += contribution[:, packages[:, i]].T
    return out


def consent_masks(space: CompiledSpace) -> list[NDArray[np.int64]]:
    """Per issue, ``(n_options,)`` bitmasks (bit p = party p) of whose consent each option needs."""
    bits = (1 << np.arange(space.n_parties, dtype=np.int64))[:, None]
    return [(c.astype(np.int64) * bits).sum(axis=0) for c in space.consent]


def core_bitmask(masks: list[NDArray[np.int64]]) -> int:
    """Bitmask of the parties every package needs: those every option of some issue needs."""
    core = 0
    for m in masks:
        core |= int(np.bitwise_and.reduce(m))
    return core


def pad_tables(
    contributions: list[NDArray[np.int64]],
    masks: list[NDArray[np.int64]],
    orders: list[NDArray[np.intp]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Stack ragged per-issue tables for compiled searches.

    Returns ``(n, P, kmax)`` contributions, ``(n, kmax)`` masks and ``(n,)`` option counts, each
    issue's options optionally reordered by ``orders``.
    """
    n, p = len(contributions), contributions[0].shape[0]
    kmax = max(c.shape[1] for c in contributions)
    contrib = np.zeros((n, p, kmax), dtype=np.int64)
    table = np.zeros((n, kmax), dtype=np.int64)
    for i, (c, m) in enumerate(zip(contributions, masks, strict=True)):
        order = orders[i] if orders is not None else np.arange(c.shape[1])
        contrib[i, :, : c.shape[1]] = c[:, order]
        table[i, : c.shape[1]] = m[order]
    return contrib, table, np.array([c.shape[1] for c in contributions], dtype=np.int64)


@dataclass(frozen=True)
class SearchTables:
    """The tables the depth-first searches over packages share (margin, Nash package).

    Options of each issue are ordered by decreasing total contribution to the parties whose
    consent every package needs, so good packages come early and bounds bite sooner.

    Attributes
    ----------
    core
        Bitmask of the parties every package needs.
    orders
        Per issue, the option order used (original option indices).
    contrib, masks, n_options
        The padded tables of :func:`pad_tables`, options in that order.
    suffix_best
        ``(n_issues + 1, P)``: each party's best possible contribution from issue ``i`` on.
    """

    core: int
    orders: list[NDArray[np.intp]]
    contrib: NDArray[np.int64]
    masks: NDArray[np.int64]
    n_options: NDArray[np.int64]
    suffix_best: NDArray[np.int64]

    def package(self, chosen: NDArray[np.int64]) -> NDArray[np.intp]:
        """Map a row of ordered option positions back to option indices."""
        return np.array([self.orders[i][chosen[i]] for i in range(len(self.orders))], dtype=np.intp)


def search_tables(
    contributions: list[NDArray[np.int64]], masks: list[NDArray[np.int64]]
) -> SearchTables:
    """Build the :class:`SearchTables` of a space's integer contributions and consent masks."""
    n, p = len(contributions), contributions[0].shape[0]
    core = core_bitmask(masks)
    core_rows = np.array([(core >> k) & 1 == 1 for k in range(p)])
    orders = [np.argsort(-c[core_rows].sum(axis=0), kind="stable") for c in contributions]
    contrib, table, n_options = pad_tables(contributions, masks, orders)
    best = np.stack([c.max(axis=1) for c in contributions])
    suffix = np.zeros((n + 1, p), dtype=np.int64)
    suffix[:n] = np.cumsum(best[::-1], axis=0)[::-1]
    return SearchTables(core, orders, contrib, table, n_options, suffix)
