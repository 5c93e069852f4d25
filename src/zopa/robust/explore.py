"""What if an assumption took another value? The agreement space for chosen input values.

Every ranged number of a scenario's preferences (a weight, an option's value, a walk-away
point) is an *assumption* (:func:`assumption_list`), with its range and the party's stated
basis for it. :func:`explore_values` sets some of them to chosen values (the others keep their
point values) and evaluates the conclusions of the agreement space for that one set of inputs
with the very per-sample code of the robustness engine
(:func:`zopa.robust.proposals.evaluate_sample`): who accepts each proposal, whether a zone of
agreement exists and its margin, the Nash package. :func:`assume` makes such values the
scenario's new point values, marking the bases of the numbers changed as edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.model.numbers import Uncertain
from zopa.robust.proposals import SampleSetup, evaluate_sample, sample_setup
from zopa.robust.sampling import number_sites
from zopa.space.analysis import package_verdict
from zopa.space.exact import from_grid, grid_utilities, grid_values

if TYPE_CHECKING:
    from zopa.model.scenario import Preferences, Scenario
    from zopa.space.results import PackageVerdict

KIND_NAMES = {"weight": "weight", "value": "value", "reservation": "walk-away"}


@dataclass(frozen=True)
class Assumption:
    """One ranged number of a scenario's preferences.

    Attributes
    ----------
    path
        Its path as :func:`zopa.robust.sampling.uncertain_inputs` names it, e.g.
        ``preferences.RU.reservation``.
    party
        Whose preferences it belongs to.
    kind
        ``weight``, ``value`` or ``reservation`` (the walk-away point).
    issue
        The issue of a weight or a value (None for a walk-away point).
    option
        The option of a value in a value table.
    x, index
        The ``x`` and the position of a point of a piecewise value function.
    low, high
        Its range.
    mode
        Its most likely value (None: uniform over the range).
    point
        The value deterministic analyses use (the mode, else the midpoint).
    basis
        The party's basis text for this part of its preferences ("" when it gives none).
    basis_key
        The key of that text in the party's ``basis`` mapping (the issue for a value,
        ``weights`` for a weight, ``reservation`` for the walk-away point; ``general`` when
        the text falls back to it), or None when ``basis`` is one text.
    """

    path: str
    party: str
    kind: str
    issue: str | None
    option: str | None
    x: float | None
    index: int | None
    low: float
    high: float
    mode: float | None
    point: float
    basis: str
    basis_key: str | None

    @property
    def label(self) -> str:
        """A short name for a reader: ``RU walk-away``, ``UA value of army-cap at 600``."""
        if self.kind == "reservation":
            return f"{self.party} walk-away"
        if self.kind == "weight":
            return f"{self.party} weight of {self.issue}"
        where = f"={self.option}" if self.option is not None else f" at {self.x:g}"
        return f"{self.party} value of {self.issue}{where}"

    @property
    def yaml_path(self) -> tuple[str | int, ...]:
        """Where the number stands in the scenario file's data."""
        base: tuple[str | int, ...] = ("preferences", self.party)
        if self.kind == "reservation":
            return (*base, "reservation")
        if self.kind == "weight":
            return (*base, "weights", str(self.issue))
        if self.option is not None:
            return (*base, "values", str(self.issue), self.option)
        return (*base, "values", str(self.issue), "piecewise", int(self.index or 0), 1)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "path": self.path,
            "label": self.label,
            "party": self.party,
            "kind": self.kind,
            "issue": self.issue,
            "option": self.option,
            "x": self.x,
            "low": self.low,
            "high": self.high,
            "mode": self.mode,
            "point": self.point,
            "basis": self.basis,
        }


def _basis_key(kind: str, issue: str | None) -> str:
    return {"weight": "weights", "reservation": "reservation"}.get(kind, str(issue))


def basis_entry(prefs: Preferences, key: str) -> tuple[str | None, str]:
    """The key and text of a party's basis for one part of its preferences.

    Parameters
    ----------
    prefs
        The party's preferences.
    key
        ``weights``, ``reservation`` or an issue id.

    Returns
    -------
    key, text
        ``key`` when the basis mapping has it, else ``general`` when it has that, else ``key``
        with an empty text; None and the text when the basis is one text.
    """
    if isinstance(prefs.basis, str):
        return None, prefs.basis
    for candidate in (key, "general"):
        if candidate in prefs.basis:
            return candidate, prefs.basis[candidate]
    return key, ""


def assumption_list(scenario: Scenario) -> list[Assumption]:
    """Every ranged number of a scenario's preferences, in the order of the robust inputs."""
    out = []
    for site in number_sites(scenario):
        number = site.number
        if not site.path.startswith("preferences.") or not isinstance(number, Uncertain):
            continue
        party = str(site.party)
        key, text = basis_entry(scenario.preferences[party], _basis_key(site.kind, site.issue))
        out.append(
            Assumption(
                path=site.path,
                party=party,
                kind=site.kind,
                issue=site.issue,
                option=site.option,
                x=site.x,
                index=site.index,
                low=number.low,
                high=number.high,
                mode=number.mode,
                point=number.point,
                basis=text,
                basis_key=key,
            )
        )
    return out


@dataclass(frozen=True)
class Change:
    """One assumption set to a value other than its point value."""

    assumption: Assumption
    value: float

    @property
    def note(self) -> str:
        """``RU walk-away 0.5 → 0.48``."""
        return f"{self.assumption.label} {self.assumption.point:g} → {self.value:g}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        a = self.assumption
        return {"path": a.path, "label": a.label, "point": a.point, "value": self.value}


def changes(assumptions: list[Assumption], values: dict[str, float]) -> list[Change]:
    """The values that differ from their assumption's point value, in the assumptions' order."""
    return [
        Change(a, values[a.path])
        for a in assumptions
        if a.path in values and values[a.path] != a.point
    ]


EDIT_MARK = " (edited in the workspace: {notes})"
"""How an edited basis is marked (parentheses: square brackets would read as a citation)."""


def edited_bases(scenario: Scenario, found: list[Change]) -> dict[str, str | dict[str, str]]:
    """The new ``basis`` of every party with a changed number: each part's text marked edited.

    Parameters
    ----------
    scenario
        The scenario the changes are to.
    found
        From :func:`changes`.

    Returns
    -------
    dict
        Party id → its whole new basis (one text, or the mapping with the edited entries).
    """
    notes: dict[tuple[str, str | None], list[str]] = {}
    for c in found:
        notes.setdefault((c.assumption.party, c.assumption.basis_key), []).append(c.note)
    out: dict[str, str | dict[str, str]] = {}
    for (party, key), listed in notes.items():
        basis = out.get(party, scenario.preferences[party].basis)
        mark = EDIT_MARK.format(notes="; ".join(listed))
        if isinstance(basis, str):
            out[party] = basis + mark
        else:
            text = basis.get(str(key), "")
            out[party] = {**basis, str(key): (text + mark) if text else mark.strip()}
    return out


def assume(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with some assumptions set as its new point values.

    Each changed number keeps its range and gets the value as its mode; the basis of each part
    changed is marked as edited (:data:`EDIT_MARK`). Values are not checked here (the facade,
    :func:`zopa.assume`, checks them against the ranges).

    Parameters
    ----------
    scenario
        A validated scenario.
    values
        Assumption path → new point value.
    """
    found = changes(assumption_list(scenario), values)
    if not found:
        return scenario
    bases = edited_bases(scenario, found)
    by_party: dict[str, list[Change]] = {}
    for c in found:
        by_party.setdefault(c.assumption.party, []).append(c)
    preferences = dict(scenario.preferences)
    for party, listed in by_party.items():
        prefs = preferences[party]
        weights = dict(prefs.weights)
        value_specs = dict(prefs.values)
        reservation = prefs.reservation
        for c in listed:
            a = c.assumption
            number = Uncertain(a.low, a.high, c.value)
            if a.kind == "reservation":
                reservation = number
            elif a.kind == "weight":
                weights[str(a.issue)] = number
            elif a.option is not None:
                table = value_specs[str(a.issue)]
                assert isinstance(table, dict)
                value_specs[str(a.issue)] = {**table, a.option: number}
            else:
                spec = value_specs[str(a.issue)]
                assert not isinstance(spec, dict)
                knots = list(spec.piecewise)
                knots[int(a.index or 0)] = (knots[int(a.index or 0)][0], number)
                value_specs[str(a.issue)] = spec.model_copy(update={"piecewise": knots})
        preferences[party] = prefs.model_copy(
            update={
                "weights": weights,
                "values": value_specs,
                "reservation": reservation,
                "basis": bases[party],
            }
        )
    return scenario.model_copy(update={"preferences": preferences})


@dataclass(frozen=True)
class ProposalOutcome:
    """One proposal's verdict under the explored values."""

    proposal: str
    title: str
    date: str
    verdict: PackageVerdict
    gains: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "proposal": self.proposal,
            "title": self.title,
            "date": self.date,
            **self.verdict.to_dict(),
            "gains": {p: round(g, 6) for p, g in self.gains.items()},
        }


@dataclass(frozen=True)
class ExploreResult:
    """The agreement space's conclusions for one set of input values.

    Attributes
    ----------
    values
        Every assumption's value used (path → value).
    changes
        Those that differ from their point value.
    proposals
        Each proposal's verdict (in the scenario's order).
    zone_exists
        Whether some package is acceptable to every party whose consent it needs.
    margin
        The zone's margin in utility (:func:`zopa.space.margin.widest_package`, as the
        robustness engine reports it): the most any package leaves the least content needed
        party above its walk-away point; negative when no zone exists (by how far the best
        package falls short).
    widest
        A package attaining the margin.
    nash
        The Nash package(s), each with every party's utility; empty when no zone exists.
    """

    values: dict[str, float]
    changes: list[Change]
    proposals: list[ProposalOutcome]
    zone_exists: bool
    margin: float
    widest: dict[str, str]
    nash: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "values": dict(self.values),
            "changed": [c.to_dict() for c in self.changes],
            "proposals": [p.to_dict() for p in self.proposals],
            "zone": {
                "exists": self.zone_exists,
                "margin": round(self.margin, 6),
                "widest_package": dict(self.widest),
            },
            "nash": self.nash,
        }


def explore_values(
    scenario: Scenario,
    values: dict[str, float],
    *,
    setup: SampleSetup | None = None,
    assumptions: list[Assumption] | None = None,
) -> ExploreResult:
    """Evaluate the agreement space with some assumptions set to the given values.

    Parameters
    ----------
    scenario
        A validated scenario.
    values
        Assumption path → value; the other assumptions keep their point values. Paths not
        among the assumptions are ignored (the facade, :func:`zopa.explore`, refuses them).
    setup, assumptions
        The scenario's :func:`~zopa.robust.proposals.sample_setup` for all its proposals and its
        :func:`assumption_list`, when the caller has them already (they depend only on the
        scenario).
    """
    ids = tuple(scenario.proposals)
    setup = setup if setup is not None else sample_setup(scenario, ids)
    listed = assumptions if assumptions is not None else assumption_list(scenario)
    row = np.array([values.get(i.path, i.point) for i in setup.inputs], dtype=np.float64)
    outcome = evaluate_sample(setup, row)
    space = outcome.space
    proposals = []
    for j, pid in enumerate(ids):
        prop = scenario.proposals[pid]
        gains = grid_values(space, outcome.gains[j])
        proposals.append(
            ProposalOutcome(
                proposal=pid,
                title=prop.title,
                date=str(prop.date),
                verdict=package_verdict(space, setup.packages[j], outcome.utilities[j]),
                gains={p: float(gains[k]) for k, p in enumerate(space.parties)},
            )
        )
    nash = []
    for rows in outcome.nash:
        indices = np.array(rows, dtype=np.intp)
        u = grid_values(space, grid_utilities(space, indices, outcome.grid)[0])
        nash.append(
            {
                "package": space.package_of(indices),
                "utilities": {p: round(float(u[k]), 6) for k, p in enumerate(space.parties)},
            }
        )
    big = np.iinfo(np.int64).max
    return ExploreResult(
        values={a.path: float(values.get(a.path, a.point)) for a in listed},
        changes=changes(listed, values),
        proposals=proposals,
        zone_exists=outcome.margin >= 0,
        margin=float(from_grid(outcome.margin if outcome.margin < big else 0)),
        widest=space.package_of(outcome.widest),
        nash=nash,
    )
