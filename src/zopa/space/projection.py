"""The Pareto frontier of an agreement space seen by two of its parties.

A trace plot in utility space has two axes; what it should show as the frontier is the set of
packages that no other package beats for *both* of those parties — the frontier of the space
restricted to them, not the projection of the all-party frontier (which fills the plane). It is
computed exactly, by the engines of :mod:`zopa.space` run on the two parties alone.

The frontier of the *acceptable* packages (those every party whose consent they need accepts)
cannot be found on the two parties alone, since the other parties' walk-away points decide what
is acceptable. It is read off the all-party frontier of the acceptable packages, which the
engines compute exactly without enumeration (:meth:`~zopa.space.engine.AgreementEngine.pareto`):
every acceptable package is weakly dominated by a member of that frontier, and so is weakly
dominated by it on any two axes too; the two-party frontier of the acceptable packages is
therefore the two-party frontier of that frontier's projection, found by one 2-D skyline sort.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from zopa.space.compile import CompiledSpace
from zopa.space.engine import PackageSet, make_engine
from zopa.space.exact import grid_utilities
from zopa.space.pareto import nondominated


@dataclass(frozen=True)
class TwoPartyFrontier:
    """The Pareto frontier of a space seen by two parties, one package per point.

    Attributes
    ----------
    parties
        The two parties, in axis order.
    points
        ``(k, 2)`` utilities (0-1), sorted by the first party's utility, then the second's.
    packages
        ``(k, n_issues)`` option indices of one package at each point (the first in index
        order among those tied there).
    """

    parties: tuple[str, str]
    points: NDArray[np.float64]
    packages: NDArray[np.intp]

    def __len__(self) -> int:
        return int(self.points.shape[0])


def _pair_rows(space: CompiledSpace, first: str, second: str) -> list[int]:
    for party in (first, second):
        if party not in space.parties:
            raise ValueError(
                f"unknown party {party!r} (expected one of: {', '.join(space.parties)})"
            )
    if first == second:
        raise ValueError("a utility plot needs two different parties")
    return [space.parties.index(first), space.parties.index(second)]


def _front(
    space: CompiledSpace, rows: list[int], found: PackageSet, units: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Keep the packages of ``found`` non-dominated on ``rows``; one per distinct point."""
    if len(found) == 0:
        return np.zeros((0, 2)), np.zeros((0, len(space.shape)), dtype=np.intp)
    points = found.utilities[:, rows]
    keep = np.flatnonzero(nondominated(points))
    flat = np.ravel_multi_index(tuple(found.packages[keep].T), space.shape)
    # sort by point, then by the package's index, so the first of each run represents it
    order = np.lexsort((flat, points[keep, 1], points[keep, 0]))
    kept = points[keep][order]
    first = np.r_[True, (np.diff(kept, axis=0) != 0).any(axis=1)]
    values = kept[first].astype(np.float64) / units.astype(np.float64)
    return values, found.packages[keep][order][first]


def two_party_front(
    space: CompiledSpace,
    first: str,
    second: str,
    *,
    acceptable_only: bool = False,
    engine: str = "auto",
) -> TwoPartyFrontier:
    """Return the packages Pareto-efficient for two parties, with one package per point.

    Parameters
    ----------
    space
        A compiled agreement space.
    first, second
        The two parties (ids of ``space.parties``), in axis order.
    acceptable_only
        Only the packages acceptable to every party whose consent they need (all parties'
        walk-away points count; see the module's note).
    engine
        The engine (:func:`zopa.space.engine.make_engine`).

    Raises
    ------
    ValueError
        For an unknown party, or the same party twice.
    """
    rows = _pair_rows(space, first, second)
    if acceptable_only:
        found = make_engine(space, engine).pareto(acceptable_only=True)
        return project_frontier(space, found.packages, first, second)
    pair = replace(
        space,
        parties=(first, second),
        values=tuple(v[rows] for v in space.values),
        weights=space.weights[rows],
        reservation=space.reservation[rows],
        consent=tuple(np.ones_like(c[rows]) for c in space.consent),
        exact=None if space.exact is None else tuple(space.exact[r] for r in rows),
    )
    found = make_engine(pair, engine).pareto(acceptable_only=False)
    points, packages = _front(pair, [0, 1], found, pair.grid.units)
    return TwoPartyFrontier((first, second), points, packages)


def project_frontier(
    space: CompiledSpace, packages: NDArray[np.intp], first: str, second: str
) -> TwoPartyFrontier:
    """Return the two-party frontier of a set of packages, one package per point.

    Given an engine's all-party frontier (of all packages, or of the acceptable ones, ties
    included) this is the two-party frontier of the same set (see the module's note), found
    by one 2-D skyline sort of exact grid utilities; no engine runs again.

    Parameters
    ----------
    space
        A compiled agreement space.
    packages
        ``(k, n_issues)`` option indices.
    first, second
        The two parties (ids of ``space.parties``), in axis order.

    Raises
    ------
    ValueError
        For an unknown party, or the same party twice.
    """
    rows = _pair_rows(space, first, second)
    packages = np.asarray(packages, dtype=np.intp).reshape(-1, len(space.shape))
    utilities = (
        grid_utilities(space, packages)
        if len(packages)
        else np.zeros((0, space.n_parties), dtype=np.int64)
    )
    points, kept = _front(space, rows, PackageSet(packages, utilities), space.grid.units[rows])
    return TwoPartyFrontier((first, second), points, kept)


def two_party_frontier(space: CompiledSpace, first: str, second: str) -> NDArray[np.float64]:
    """Return ``(k, 2)`` utilities of the packages Pareto-efficient for two parties.

    Parameters
    ----------
    space
        A compiled agreement space.
    first, second
        The two parties (ids of ``space.parties``), in axis order.

    Raises
    ------
    ValueError
        For an unknown party, or the same party twice.
    """
    return two_party_front(space, first, second).points
