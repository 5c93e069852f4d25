"""The exact agreement-space engine: the enumeration engine's answers without enumeration.

* **Pareto frontiers** by dynamic programming over issues (:func:`zopa.space.pareto.additive_frontier`),
  keeping one frontier per *consent pattern* (the set of parties a partial package already needs)
  when options carry consent of their own: within a pattern, a dominated partial package can never
  complete to an acceptable, efficient package that its dominator does not beat.
* **Margin** (the largest uniform rise of walk-away points that keeps a zone open) from those
  frontiers: ``max_x min_{p needed} (u_p − r_p)`` is attained on the frontier of x's pattern.
* **Size of the zone** counted exactly by meeting in the middle: the partial packages of the two
  halves of the issues are listed (about the square root of the space each), grouped by consent
  pattern, and pairs whose sums reach every needed walk-away point are counted by offline
  dominance counting (:mod:`zopa.space.counting`).
* **Closest packages** by branch and bound (:mod:`zopa.space.bridging`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from zopa.space.bridging import closest_packages
from zopa.space.compile import CompiledSpace
from zopa.space.counting import Progress, ZoneCount, count_zone
from zopa.space.engine import Closest, PackageSet
from zopa.space.exact import (
    consent_masks,
    core_bitmask,
    grid_contributions,
    grid_reservation,
)
from zopa.space.pareto import Frontier, additive_frontier, nondominated

MAX_HALF = 20_000_000
"""Largest number of partial packages one half may have for exact counting."""

_UNBOUNDED = np.iinfo(np.int64).max


@dataclass
class ExactEngine:
    """Answers exactly by dynamic programming, meet in the middle and branch and bound.

    Handles spaces far beyond enumeration (the frontier's size, not the space's, sets the cost).
    """

    space: CompiledSpace
    name: str = "exact"
    _contributions: list[NDArray[np.int64]] = field(init=False, repr=False)
    _masks: list[NDArray[np.int64]] = field(init=False, repr=False)
    _reservation: NDArray[np.int64] = field(init=False, repr=False)
    _patterned: Frontier | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self._contributions = grid_contributions(self.space)
        self._masks = consent_masks(self.space)
        self._reservation = grid_reservation(self.space)

    # -- helpers -------------------------------------------------------------------------
    def _needed(self, masks: NDArray[np.int64]) -> NDArray[np.bool_]:
        """``(m, P)`` booleans from bitmasks."""
        return ((masks[:, None] >> np.arange(self.space.n_parties)) & 1).astype(bool)

    def _slack(self, points: NDArray[np.int64], masks: NDArray[np.int64]) -> NDArray[np.int64]:
        gain = points - self._reservation[None, :]
        slack: NDArray[np.int64] = np.where(self._needed(masks), gain, _UNBOUNDED).min(axis=1)
        return slack

    def _pattern_frontier(self) -> Frontier:
        if self._patterned is None:
            self._patterned = additive_frontier(self._contributions, self._masks)
        return self._patterned

    @staticmethod
    def _expand(frontier: Frontier, keep: NDArray[np.bool_]) -> PackageSet:
        rows, point = frontier.expand(np.flatnonzero(keep))
        order = np.lexsort(rows.T[::-1]) if len(rows) else np.arange(0)
        return PackageSet(rows[order], frontier.points[point[order]])

    # -- the engine interface ------------------------------------------------------------
    def pareto(self, *, acceptable_only: bool) -> PackageSet:
        """Pareto-efficient packages, ties included; all of them or the acceptable ones."""
        if not acceptable_only:
            frontier = additive_frontier(self._contributions)
            return self._expand(frontier, np.ones(len(frontier.points), dtype=bool))
        frontier = self._pattern_frontier()
        assert frontier.masks is not None
        ok = self._slack(frontier.points, frontier.masks) >= 0
        keep = np.zeros(len(ok), dtype=bool)
        if ok.any():
            candidates = np.flatnonzero(ok)
            keep[candidates[nondominated(frontier.points[candidates])]] = True
        return self._expand(frontier, keep)

    def margin(self) -> int:
        """Max over packages of the min gain over needed parties."""
        frontier = self._pattern_frontier()
        assert frontier.masks is not None
        return int(self._slack(frontier.points, frontier.masks).max())

    def count_acceptable(self) -> int:
        """Number of acceptable packages, counted exactly by meeting in the middle.

        Raises
        ------
        ValueError
            When a half of the issues has more than :data:`MAX_HALF` partial packages.
        """
        return self.count_zone("exact").lower

    def count_zone(
        self, mode: str = "auto", *, exists: bool | None = None, progress: Progress | None = None
    ) -> ZoneCount:
        """Count the zone exactly, bound it or skip it (:func:`zopa.space.counting.count_zone`)."""
        return count_zone(
            self._contributions,
            self._masks,
            self._reservation,
            mode=mode,
            exists=exists,
            max_half=MAX_HALF,
            progress=progress,
        )

    def closest(self, reference: NDArray[np.intp], proposers: NDArray[np.bool_], k: int) -> Closest:
        """The ``k`` acceptable packages nearest ``reference`` (or nearest to acceptable)."""
        found = self.margin() >= 0
        rows, keys = closest_packages(
            self._contributions,
            self._masks,
            core_bitmask(self._masks),
            reference,
            self._reservation,
            proposers,
            k,
            acceptable_exists=found,
        )
        utilities = np.zeros((len(rows), self.space.n_parties), dtype=np.int64)
        for i, c in enumerate(self._contributions):
            utilities += c[:, rows[:, i]].T
        distance = (rows != np.asarray(reference)[None, :]).sum(axis=1).astype(np.intp)
        shortfall = np.zeros(len(rows), dtype=np.int64) if found else keys[:, 0].copy()
        return Closest(
            found=found,
            packages=PackageSet(rows, utilities),
            distance=distance,
            shortfall=shortfall,
        )
