"""Which packages hold up across sampled inputs: the Nash package's stability, robust bridges.

Two questions a mediator asks of an uncertain model, answered from the per-sample tables that
:func:`zopa.robust.proposals.robust_proposals` collects:

* **How often is each package the Nash package?** Each sample's Nash package
  (:func:`zopa.space.nash_search.nash_packages`, the package ``zopa analyze`` would name for those
  inputs) is counted; a package that is the Nash package in most samples is a robust focal point,
  one that wins only at the point values is an artefact of them.
* **Which packages bridge the gap in the most samples?** Searching all packages for the one
  acceptable most often is a hard problem of its own, so the candidates are the packages that are
  best for *some* sample: every sample's Nash package and its *widest* package (the one whose
  least slack is the margin, :func:`zopa.space.margin.widest_package`), the closest bridging
  packages of the focus proposal at the point values, and the proposals themselves. Every
  candidate is then evaluated exactly in every sample; the report ranks them by the share of
  samples in which every needed party accepts. A package outside the candidates could do better
  — the report says how many candidates were searched. A candidate *dominated for the proposers*
  is left out: another candidate is a sub-concession of it (it departs from the focus proposal on
  a subset of its issues, in the same direction and no further:
  :func:`zopa.space.bridging.sub_concession`), bridges the gap in at least as many samples and
  gives every proposer at least as much utility at the point values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel
from zopa.space.bridging import option_positions, undominated
from zopa.space.compile import CompiledSpace
from zopa.space.exact import grid_utilities


@dataclass(frozen=True)
class SampleTables:
    """Per-sample integer utility tables, enough to evaluate any package in any sample.

    Attributes
    ----------
    contributions
        ``(samples, n_parties, total_options)``: each option's grid contribution to each party's
        utility, issues side by side in scenario order.
    reservation
        ``(samples, n_parties)`` grid walk-away points.
    """

    contributions: NDArray[np.int64]
    reservation: NDArray[np.int64]


@kernel
def _least_kernel(  # pragma: no cover - numba
    contributions: NDArray[np.int64],  # (S, P, T)
    reservation: NDArray[np.int64],  # (S, P)
    flat: NDArray[np.int64],  # (C, n) columns of the options chosen
    needed: NDArray[np.bool_],  # (C, P)
) -> NDArray[np.int64]:
    samples, parties = reservation.shape
    count, n = flat.shape
    out = np.empty((samples, count), dtype=np.int64)
    for s in range(samples):
        for c in range(count):
            least = np.iinfo(np.int64).max
            for p in range(parties):
                if needed[c, p]:
                    u = -reservation[s, p]
                    for i in range(n):
                        u += contributions[s, p, flat[c, i]]
                    if u < least:
                        least = u
            out[s, c] = least
    return out


def _columns(space: CompiledSpace, packages: NDArray[np.intp]) -> NDArray[np.int64]:
    offsets = np.concatenate([[0], np.cumsum(space.shape)[:-1]]).astype(np.int64)
    rows: NDArray[np.int64] = np.atleast_2d(packages).astype(np.int64)
    return rows + offsets[None, :]


def least_gain(
    tables: SampleTables, space: CompiledSpace, packages: NDArray[np.intp]
) -> NDArray[np.int64]:
    """``(samples, k)``: per sample and package, the least gain over the needed parties.

    A package bridges the gap in a sample exactly when this is ≥ 0 (``int64`` max when it needs
    nobody's consent).
    """
    packages = np.atleast_2d(packages)
    return np.asarray(
        _least_kernel(
            tables.contributions,
            tables.reservation,
            _columns(space, packages),
            space.needed(packages),
        )
    )


def gains(
    tables: SampleTables, space: CompiledSpace, packages: NDArray[np.intp]
) -> NDArray[np.int64]:
    """``(samples, k, n_parties)``: every party's utility minus walk-away point, per sample."""
    flat = _columns(space, packages)
    total = tables.contributions[:, :, flat].sum(axis=3)  # (S, P, k)
    return np.asarray(total.transpose(0, 2, 1) - tables.reservation[:, None, :])


@dataclass(frozen=True)
class PackageShare:
    """A package and the share of samples in which something holds for it."""

    package: dict[str, str]
    share: float
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "package": self.package,
            "share": round(self.share, 4),
            "changes": [{"issue": i, "from": a, "to": b} for i, a, b in self.changes],
        }


@dataclass(frozen=True)
class NashRobustness:
    """How often each package is the Nash package."""

    distinct: int
    packages: list[PackageShare]
    point: PackageShare | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "distinct": self.distinct,
            "packages": [p.to_dict() for p in self.packages],
            "point_package": self.point.to_dict() if self.point is not None else None,
        }


@dataclass(frozen=True)
class RobustBridges:
    """The packages acceptable to every needed party in the most samples."""

    reference: str | None
    candidates: int
    packages: list[PackageShare]
    accepts: list[dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "reference": self.reference,
            "candidates": self.candidates,
            "packages": [
                {**p.to_dict(), "p_accepts": {k: round(v, 4) for k, v in a.items()}}
                for p, a in zip(self.packages, self.accepts, strict=True)
            ],
        }


def _changes(
    space: CompiledSpace, row: NDArray[np.intp], reference: NDArray[np.intp] | None
) -> list[tuple[str, str, str]]:
    if reference is None:
        return []
    return [
        (space.issues[i], space.options[i][reference[i]], space.options[i][row[i]])
        for i in range(len(space.issues))
        if row[i] != reference[i]
    ]


def nash_robustness(
    space: CompiledSpace,
    nash: list[tuple[tuple[int, ...], ...]],
    point: NDArray[np.intp] | None,
    reference: NDArray[np.intp] | None,
    top: int = 5,
) -> NashRobustness:
    """Count each sample's Nash package(s).

    Parameters
    ----------
    space
        The scenario compiled at its point values (for names).
    nash
        Per sample, the tied Nash packages as option-index tuples (empty: no zone).
    point
        The Nash package at the point values, if any.
    reference
        The package changes are reported against (the focus proposal), if any.
    top
        How many packages to report.
    """
    counts: Counter[tuple[int, ...]] = Counter(row for rows in nash for row in rows)
    n = max(len(nash), 1)

    def share(row: tuple[int, ...]) -> PackageShare:
        array = np.array(row, dtype=np.intp)
        return PackageShare(
            space.package_of(array), counts.get(row, 0) / n, _changes(space, array, reference)
        )

    ranked = sorted(counts, key=lambda r: (-counts[r], r))[:top]
    return NashRobustness(
        distinct=len(counts),
        packages=[share(r) for r in ranked],
        point=share(tuple(int(x) for x in point)) if point is not None else None,
    )


def robust_bridges(
    space: CompiledSpace,
    tables: SampleTables,
    candidates: NDArray[np.intp],
    reference_id: str | None,
    reference: NDArray[np.intp] | None,
    top: int = 5,
    *,
    proposers: Sequence[str] = (),
) -> tuple[RobustBridges, NDArray[np.int64]]:
    """Rank candidate packages by the share of samples in which they bridge the gap.

    Ties are broken by fewer issues changed from the reference package, then by the package's
    position in the candidate list (deterministic). With a reference package, candidates
    dominated for the ``proposers`` (see the module's docstring) are left out.

    Returns
    -------
    RobustBridges
        The ranked packages.
    least : ndarray
        ``(samples,)`` the least gain of the top package per sample (for its hinges).
    """
    candidates = np.unique(np.atleast_2d(candidates), axis=0)
    least = least_gain(tables, space, candidates)
    bridges = (least >= 0).mean(axis=0) if len(least) else np.zeros(len(candidates))
    distance = (
        (candidates != reference[None, :]).sum(axis=1)
        if reference is not None
        else np.zeros(len(candidates), dtype=np.intp)
    )
    order = np.lexsort((np.arange(len(candidates)), distance, -bridges))
    if reference is not None and len(candidates):
        mask = np.array([p in proposers for p in space.parties], dtype=bool)
        served = grid_utilities(space, candidates)[:, mask]
        count = (least >= 0).sum(axis=0)[:, None] if len(least) else np.zeros((len(order), 1))
        keep = undominated(
            candidates,
            reference,
            option_positions(space.options),
            np.concatenate([served, count.astype(np.int64)], axis=1),
        )
        order = order[keep[order]]
    order = order[:top]
    needed = space.needed(candidates[order])
    top_gains = gains(tables, space, candidates[order])
    packages, accepts = [], []
    for j, c in enumerate(order):
        row = candidates[c]
        packages.append(
            PackageShare(space.package_of(row), float(bridges[c]), _changes(space, row, reference))
        )
        accepts.append(
            {
                p: float((top_gains[:, j, k] >= 0).mean()) if len(top_gains) else 0.0
                for k, p in enumerate(space.parties)
                if needed[j, k]
            }
        )
    first = least[:, order[0]] if len(order) else np.empty(0, dtype=np.int64)
    return RobustBridges(reference_id, len(candidates), packages, accepts), first
