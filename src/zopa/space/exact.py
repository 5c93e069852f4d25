"""Exact utility arithmetic on a fixed decimal grid.

Rule: every issue's contribution to a party's utility (normalised weight × value) and every
walk-away point is rounded to the nearest multiple of ``1 / SCALE`` (10⁻¹²) and held as an int64.
Utilities are then sums of integers, so acceptability (``u ≥ r``), ties and dominance are decided
exactly and do not depend on the order of floating-point additions. When the scenario's numbers
sit on a decimal grid no finer than 10⁻¹² after normalisation (e.g. weights that already sum to
one, written with a few decimals), the integers are the exact utilities; otherwise each
contribution carries a rounding error below 0.5 × 10⁻¹², and two utilities closer than the number
of issues × 10⁻¹² are treated as the grid says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.space.compile import CompiledSpace

SCALE = 10**12


def to_grid(x: NDArray[np.float64] | float) -> NDArray[np.int64]:
    """Round utilities to the integer grid."""
    return np.rint(np.asarray(x, dtype=np.float64) * SCALE).astype(np.int64)


def from_grid(q: NDArray[np.int64] | int) -> NDArray[np.float64]:
    """Return grid integers as floats."""
    return np.asarray(q, dtype=np.float64) / SCALE


def grid_contributions(space: CompiledSpace) -> list[NDArray[np.int64]]:
    """Per issue, ``(n_parties, n_options)`` integer contributions to utility."""
    return [to_grid(c) for c in space.contributions]


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
