"""Plain result dataclasses of the agreement-space analysis; ``to_dict()`` gives the stable JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.evidence.consistency import ReactionCheck


def _round(x: float) -> float:
    return round(float(x), 6)


@dataclass(frozen=True)
class PartyVerdict:
    """How one party rates a package.

    ``slack`` is the utility minus the walk-away point, computed exactly and then rounded (so
    that a package exactly 0.1 below the walk-away point is -0.1, not -0.1 minus a rounding
    error); None when the verdict was built without it.
    """

    party: str
    utility: float
    reservation: float
    needed: bool
    accepted: bool
    shortfall: float
    slack: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "utility": _round(self.utility),
            "reservation": _round(self.reservation),
            "needed": self.needed,
            "accepted": self.accepted,
            "shortfall": _round(self.shortfall),
        }


@dataclass(frozen=True)
class IssueGap:
    """What one issue of a package costs a party against its best option on that issue."""

    issue: str
    option: str
    best_option: str
    cost: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {**asdict(self), "cost": _round(self.cost)}


@dataclass(frozen=True)
class PackageVerdict:
    """Acceptability of one package for every party, and why the rejecting parties say no."""

    package: dict[str, str]
    parties: list[PartyVerdict]
    bridges: bool
    rejecting: list[str]
    gaps: dict[str, list[IssueGap]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "package": dict(self.package),
            "bridges": self.bridges,
            "rejecting": list(self.rejecting),
            "parties": {p.party: p.to_dict() for p in self.parties},
            "gaps": {party: [g.to_dict() for g in gaps] for party, gaps in self.gaps.items()},
        }


@dataclass(frozen=True)
class ProposalVerdict:
    """A proposal of the scenario and its verdict."""

    id: str
    title: str
    by: list[str]
    date: str
    source: list[str]
    undecided: list[str]
    verdict: PackageVerdict

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (``id``, ``parties`` with utility/reservation/accepted, ...)."""
        body = self.verdict.to_dict()
        return {
            "id": self.id,
            "title": self.title,
            "by": list(self.by),
            "date": self.date,
            "source": list(self.source),
            "undecided": list(self.undecided),
            **body,
        }


@dataclass(frozen=True)
class ScoredPackage:
    """A package with every party's utility and its gain over its walk-away point."""

    package: dict[str, str]
    utilities: dict[str, float]
    gains: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "package": dict(self.package),
            "utilities": {p: _round(u) for p, u in self.utilities.items()},
            "gains": {p: _round(g) for p, g in self.gains.items()},
        }


@dataclass(frozen=True)
class Zone:
    """The zone of possible agreement.

    Attributes
    ----------
    exists
        Whether some package is acceptable to every party whose consent it needs.
    size
        How many packages are (an exact count), or None when the space is too large to count.
    total
        How many packages there are.
    margin
        The largest uniform amount by which every walk-away point could rise with a zone still
        open (negative when none is open).
    lowering_needed
        When no zone exists, the smallest uniform lowering of every walk-away point that opens
        one (``-margin``); 0 otherwise.
    count
        How the size was found: ``exact``, ``bound`` (``size`` is None, ``bounds`` hold it) or
        ``skip`` (not counted).
    bounds
        Lower and upper bounds on the size (both the size when exact).
    count_note
        Why the size is a bound or was not counted.
    count_seconds
        The estimated time of an exact count, when estimated.
    """

    exists: bool
    size: int | None
    total: int
    margin: float
    lowering_needed: float
    count: str = "exact"
    bounds: tuple[int, int] | None = None
    count_note: str | None = None
    count_seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "exists": self.exists,
            "size": self.size,
            "total": self.total,
            "share": self.size / self.total if self.size is not None else None,
            "count": self.count,
            "size_bounds": list(self.bounds) if self.bounds is not None else None,
            "count_note": self.count_note,
            "count_estimated_seconds": (
                round(self.count_seconds, 3) if self.count_seconds is not None else None
            ),
            "margin": _round(self.margin),
            "lowering_needed": _round(self.lowering_needed),
        }


@dataclass(frozen=True)
class Change:
    """One issue changed by a concession."""

    issue: str
    before: str
    after: str


@dataclass(frozen=True)
class Concession:
    """A package near a proposal, what it changes and what that costs whom."""

    package: dict[str, str]
    changes: list[Change]
    utilities: dict[str, float]
    deltas: dict[str, float]
    proposer_loss: float
    acceptable: bool
    shortfall: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "package": dict(self.package),
            "changes": [asdict(c) for c in self.changes],
            "issues_changed": len(self.changes),
            "utilities": {p: _round(u) for p, u in self.utilities.items()},
            "deltas": {p: _round(d) for p, d in self.deltas.items()},
            "proposer_loss": _round(self.proposer_loss),
            "acceptable": self.acceptable,
            "shortfall": _round(self.shortfall),
        }


@dataclass(frozen=True)
class Bridging:
    """The smallest concessions that make a proposal acceptable to every needed party."""

    proposal: str
    already_bridges: bool
    found: bool
    packages: list[Concession]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "proposal": self.proposal,
            "already_bridges": self.already_bridges,
            "found": self.found,
            "packages": [c.to_dict() for c in self.packages],
        }


@dataclass(frozen=True)
class Analysis:
    """Everything ``zopa analyze`` reports about a scenario."""

    scenario: dict[str, Any]
    engine: str
    parties: dict[str, str]
    bargainers: list[str]
    proposals: list[ProposalVerdict]
    focus: str | None
    zone: Zone
    pareto: list[ScoredPackage]
    pareto_acceptable: list[ScoredPackage]
    solutions: dict[str, list[ScoredPackage]]
    bridging: dict[str, Bridging]
    assumptions: list[str] = field(default_factory=list)
    reactions: list[ReactionCheck] = field(default_factory=list)

    @property
    def contradicted(self) -> list[ReactionCheck]:
        """The reactions the point values of the assumptions contradict, in scenario order."""
        return [r for r in self.reactions if not r.consistent]

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON document described in the README."""
        return {
            "scenario": dict(self.scenario),
            "engine": self.engine,
            "parties": dict(self.parties),
            "bargainers": list(self.bargainers),
            "focus": self.focus,
            "proposals": [p.to_dict() for p in self.proposals],
            "any_bridges": any(p.verdict.bridges for p in self.proposals),
            "zopa": self.zone.to_dict(),
            "pareto": [s.package for s in self.pareto],
            "pareto_acceptable": [s.package for s in self.pareto_acceptable],
            "solutions": {
                name: ({**pkgs[0].to_dict(), "tied": [s.package for s in pkgs]} if pkgs else None)
                for name, pkgs in self.solutions.items()
            },
            "bridging": {pid: b.to_dict() for pid, b in self.bridging.items()},
            "assumptions": list(self.assumptions),
            "reactions": [r.to_dict() for r in self.reactions],
        }
