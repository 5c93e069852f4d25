"""The interface every agreement-space engine implements, and the enumeration engine.

An engine answers four questions about a compiled space, in exact integer utilities
(:mod:`zopa.space.exact`):

* how many packages are acceptable to every party whose consent they need;
* the *margin*: the largest ``m`` such that some package gives every needed party at least its
  walk-away point plus ``m`` (negative when no package is acceptable: ``-m`` is then the smallest
  uniform lowering of all walk-away points that opens a zone of agreement);
* the Pareto frontier, of all packages or of the acceptable ones, with every package behind it;
* the packages closest to a given one that are acceptable (fewest issues changed, then least
  utility lost by the proposers), or, when none is, those that come closest.

Callers (:mod:`zopa.space.analysis`) use only this interface: :class:`EnumerationEngine` here
and :class:`zopa.space.exact_engine.ExactEngine`, which does not enumerate, answer identically
(the tests check it on every problem small enough to enumerate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from zopa.space.compile import CompiledSpace
from zopa.space.counting import COUNT_MODES, Progress, ZoneCount
from zopa.space.exact import grid_contributions, grid_reservation
from zopa.space.pareto import additive_frontier, nondominated

MAX_ENUMERATION = 5_000_000
"""Largest outcome space the enumeration engine accepts (memory ~ 9 bytes × parties × size)."""


@dataclass(frozen=True)
class PackageSet:
    """Packages as option-index rows with their integer utilities.

    Attributes
    ----------
    packages
        ``(k, n_issues)`` option indices.
    utilities
        ``(k, n_parties)`` integer utilities on the exact grid.
    """

    packages: NDArray[np.intp]
    utilities: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.packages.shape[0])


@dataclass(frozen=True)
class Closest:
    """The packages nearest to a reference package.

    Attributes
    ----------
    found
        Whether the packages are acceptable (False: none is, and these come closest).
    packages
        Ranked packages with their utilities.
    distance
        Issues changed from the reference, per package.
    shortfall
        Largest shortfall below a walk-away point among the needed parties, per package
        (integer grid; 0 when acceptable).
    """

    found: bool
    packages: PackageSet
    distance: NDArray[np.intp]
    shortfall: NDArray[np.int64]


class AgreementEngine(Protocol):
    """What :mod:`zopa.space.analysis` needs from an engine."""

    name: str
    space: CompiledSpace

    def count_acceptable(self) -> int:
        """Number of packages acceptable to every needed party."""
        ...

    def count_zone(
        self, mode: str = "auto", *, exists: bool | None = None, progress: Progress | None = None
    ) -> ZoneCount:
        """The zone's size: counted exactly, bounded or skipped (see ``count_zone``)."""
        ...

    def margin(self) -> int:
        """Max over packages of min over needed parties of utility minus walk-away point."""
        ...

    def pareto(self, *, acceptable_only: bool) -> PackageSet:
        """Pareto-efficient packages (over all parties with preferences), ties included."""
        ...

    def closest(self, reference: NDArray[np.intp], proposers: NDArray[np.bool_], k: int) -> Closest:
        """The ``k`` acceptable packages nearest ``reference`` (or nearest to acceptable)."""
        ...


@dataclass
class EnumerationEngine:
    """Answers by enumerating every package with numpy (no Python loop over packages).

    Suitable up to :data:`MAX_ENUMERATION` packages. Utilities are built by broadcasting the
    per-issue contribution tables over the mixed-radix index of packages.
    """

    space: CompiledSpace
    name: str = "enumeration"
    _utilities: NDArray[np.int64] = field(init=False, repr=False)
    _ok: NDArray[np.bool_] = field(init=False, repr=False)
    _slack: NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.space.size > MAX_ENUMERATION:
            raise ValueError(
                f"{self.space.size:,} packages exceed the enumeration limit of {MAX_ENUMERATION:,}"
            )
        p = self.space.n_parties
        utilities = np.zeros((p, 1), dtype=np.int64)
        needed = np.zeros((p, 1), dtype=bool)
        for contribution, consent in zip(
            grid_contributions(self.space), self.space.consent, strict=True
        ):
            utilities = (utilities[:, :, None] + contribution[:, None, :]).reshape(p, -1)
            needed = (needed[:, :, None] | consent[:, None, :]).reshape(p, -1)
        reservation = grid_reservation(self.space)
        gain = utilities - reservation[:, None]
        # slack: min gain over needed parties (a package needing nobody has unbounded slack)
        big = np.iinfo(np.int64).max
        self._slack = np.where(needed, gain, big).min(axis=0)
        self._ok = self._slack >= 0
        self._utilities = utilities

    def _rows(self, flat: NDArray[np.intp]) -> PackageSet:
        packages = np.column_stack(np.unravel_index(flat, self.space.shape)).astype(np.intp)
        packages = packages.reshape(len(flat), len(self.space.shape))
        return PackageSet(packages, self._utilities[:, flat].T.copy())

    def count_acceptable(self) -> int:
        """Number of packages acceptable to every needed party."""
        return int(self._ok.sum())

    def count_zone(
        self, mode: str = "auto", *, exists: bool | None = None, progress: Progress | None = None
    ) -> ZoneCount:
        """Exact unless ``mode`` is ``skip``: the enumeration has every package's verdict."""
        if mode not in COUNT_MODES:
            raise ValueError(f"unknown count {mode!r} (expected one of: {', '.join(COUNT_MODES)})")
        if mode == "skip":
            return ZoneCount("skip", None, 0, self.space.size, note="not counted (count=skip)")
        size = self.count_acceptable()
        return ZoneCount("exact", size, size, size)

    def margin(self) -> int:
        """Max over packages of the min gain over needed parties."""
        return int(self._slack.max())

    def pareto(self, *, acceptable_only: bool) -> PackageSet:
        """Pareto-efficient packages, ties included; all of them or the acceptable ones."""
        if not acceptable_only:
            frontier = additive_frontier(grid_contributions(self.space))
            rows, _ = frontier.expand(np.arange(len(frontier.points)))
            flat = np.ravel_multi_index(tuple(rows.T), self.space.shape)
            return self._rows(np.sort(flat).astype(np.intp))
        flat = np.flatnonzero(self._ok)
        keep = nondominated(self._utilities[:, flat].T)
        return self._rows(flat[keep])

    def closest(self, reference: NDArray[np.intp], proposers: NDArray[np.bool_], k: int) -> Closest:
        """Rank acceptable packages by issues changed, then proposers' loss, then flat index."""
        distance = np.zeros(1, dtype=np.int8)
        for i, n in enumerate(self.space.shape):
            mismatch = (np.arange(n) != reference[i]).astype(np.int8)
            distance = (distance[:, None] + mismatch[None, :]).reshape(-1)
        ref_flat = int(np.ravel_multi_index(tuple(reference), self.space.shape))
        if proposers.any():
            loss = (self._utilities[proposers, ref_flat][:, None] - self._utilities[proposers]).max(
                axis=0
            )
        else:
            loss = np.zeros(self._utilities.shape[1], dtype=np.int64)
        found = bool(self._ok.any())
        if found:
            candidates = np.flatnonzero(self._ok)
            order = np.lexsort((candidates, loss[candidates], distance[candidates]))
        else:
            candidates = np.arange(self._utilities.shape[1])
            shortfall = -self._slack
            order = np.lexsort((candidates, loss, distance, shortfall))
        chosen = candidates[order[:k]]
        return Closest(
            found=found,
            packages=self._rows(chosen),
            distance=distance[chosen].astype(np.intp),
            shortfall=np.maximum(-self._slack[chosen], 0),
        )


AUTO_ENUMERATION_LIMIT = 1_000_000
"""``auto`` never enumerates more packages than this."""

AUTO_EXACT_FROM = 100_000
"""``auto`` uses the exact engine from this many packages when few parties have preferences."""

AUTO_EXACT_MAX_PARTIES = 3
"""The most parties with preferences for which the exact engine wins from :data:`AUTO_EXACT_FROM`."""

ENGINES = ("auto", "enumeration", "exact")


def auto_engine(space: CompiledSpace) -> str:
    """The engine ``auto`` picks for a space: the one measured faster on spaces like it.

    Measured by ``benchmarks/engine_crossover.py`` (analysis work of ``zopa analyze``: margin,
    zone size, both frontiers, bargaining solutions) on random and opposed problems of 2-6
    parties × 10^3-10^6 packages, with and without consent patterns. The exact engine's cost
    follows the size of the Pareto frontier, which grows quickly with the number of parties;
    enumeration's follows the number of packages. With at most
    :data:`AUTO_EXACT_MAX_PARTIES` parties the exact engine is 1-7× faster at 10^5 packages and
    10-40× at 10^6; with 4 or more parties it is between 0.5× and 3× at 10^6 (0.5-1× with
    6 parties, 0.6× on berlin-2025-12), so enumeration stays the choice there up to
    :data:`AUTO_ENUMERATION_LIMIT`. Beyond that only the exact engine can answer.
    """
    if space.size > AUTO_ENUMERATION_LIMIT:
        return "exact"
    if space.n_parties <= AUTO_EXACT_MAX_PARTIES and space.size >= AUTO_EXACT_FROM:
        return "exact"
    return "enumeration"


def make_engine(space: CompiledSpace, engine: str = "auto") -> AgreementEngine:
    """Return an engine for a space.

    Parameters
    ----------
    space
        The compiled space.
    engine
        ``enumeration``, ``exact`` (:class:`zopa.space.exact_engine.ExactEngine`), or ``auto``
        (:func:`auto_engine`: the engine measured faster on such spaces).

    Raises
    ------
    ValueError
        For an unknown engine, or a space too large for enumeration.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (expected one of: {', '.join(ENGINES)})")
    chosen = auto_engine(space) if engine == "auto" else engine
    if chosen == "enumeration":
        return EnumerationEngine(space)
    from zopa.space.exact_engine import ExactEngine

    return ExactEngine(space)
