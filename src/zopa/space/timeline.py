"""Are the sides converging? The talks as a sequence of dated proposals and reactions.

:func:`compute_timeline` is the engine behind ``zopa timeline``: one row per date on which a
proposal or a reaction appeared, each with what was on the table that day and how far apart the
sides were. Everything here is computed from the scenario's point assumptions;
:func:`attach_samples` adds quantiles over sampled inputs (prior, or posterior given the
reactions) that the facade obtains from the robustness engine, date by date.

Definitions
-----------
* The *latest proposal* of a party on date ``t`` is the last proposal dated on or before ``t``
  whose ``by`` names the party (a joint proposal counts for each of its authors; among
  proposals of one date, the last in the file).
* *Acceptance*: a party accepts a proposal when its utility reaches its walk-away point
  (``u ≥ r``, exact, as in :mod:`zopa.space.analysis`); listed for the parties whose consent
  the proposal needs.
* The *margin* of the zone of agreement is ``max_x min_p (u_p(x) − r_p)`` over packages ``x``
  and the parties ``p`` whose consent ``x`` needs (:func:`zopa.space.margin.widest_package`):
  positive when a zone exists. It depends on the preferences only, not on the proposals.
* The *sides* are the parties whose role is ``belligerent`` (with preferences); when there are
  fewer than two, the parties whose role is ``party`` or ``belligerent``. For a pair ``(a, b)``
  with latest proposals ``P_a`` and ``P_b`` on date ``t``:

  - ``gap_a = max(0, r_b(t) − u_b(P_a))``: how far a's offer falls short of what b can accept,
    in b's utility (0 when b accepts it); ``gap_b = max(0, r_a(t) − u_a(P_b))`` likewise;
  - ``gap = gap_a + gap_b``, the distance between the sides (each part in the utility of the
    party that would have to accept; the sum adds two parties' units, as the shortfalls of
    :mod:`zopa.space.analysis` do when they are compared);
  - ``own_a = u_a(P_a)`` and ``own_slack_a = u_a(P_a) − r_a(t)``: how far a's offer is from a's
    own walk-away point (what it keeps for itself).

Walk-away points over time
--------------------------
The walk-away points of ``preferences`` are those at the start of the ``dynamics:`` section
(its ``start``, by default the scenario's ``as_of``); a reported shift dated before the start is
already reflected in them (:mod:`zopa.model.dynamics`). On a date ``t`` on or after the start,
the walk-away point of ``p`` is ``clip(r_p + Σ s_p, 0, 1)`` over the reported (not hypothetical)
shifts dated from the start to ``t`` (their point sizes); before the start, ``r_p``. Hypothetical
shifts are what-ifs and the per-round drift describes simulated talks, so neither applies to
dates on record. Without such shifts the margin is the same on every date, and the result says
why (:attr:`TimelineResult.margin_note`).

The verdict
-----------
For each pair, the first and the last date on which both sides have a proposal are compared.
The change of the gap is split into each side's moves (the change of its own shortfall term
when its latest proposal changes, the other's walk-away point held at the first date) and the
rest (shifts of walk-away points). A side's move is split by issue: the utility its change of
option brings the other side, ``w̄_b,i · (v_b,i(new) − v_b,i(old))`` for each issue ``i``
whose option changed (additive utility, so these sum to the change of ``u_b``). The verdict
names the side that drove the change and the issues that make up at least
:data:`ISSUE_SHARE` of its move.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import PRINCIPALS

if TYPE_CHECKING:
    from zopa.model.dynamics import Shift
    from zopa.model.scenario import Scenario
    from zopa.space.compile import CompiledSpace
    from zopa.space.results import PackageVerdict

TOLERANCE = 0.005
"""A gap that changes by less than this (half the shown precision, 0.01) has not changed."""

MOSTLY = 2 / 3
"""A side's moves drove a change 'mostly' when they make up at least this share of it."""

ISSUE_SHARE = 2 / 3
"""The verdict names the issues that make up at least this share of a side's move..."""

MAX_ISSUES = 3
"""...but at most this many."""

QUANTILES = (5, 25, 50, 75, 95)
"""Quantiles (percent) of the margin and the gaps over sampled inputs."""

Trend = Literal["converging", "diverging", "no change", "not enough proposals"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _round(x: float | None) -> float | None:
    """A number for JSON: rounded to 6 decimals (None stays None)."""
    return None if x is None else round(float(x), 6)


def short_date(day: dt.date, *, year: bool = False) -> str:
    """``20 Nov`` (``20 Nov 2025`` with ``year``), the same in every locale."""
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


# -- result objects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionNote:
    """A reaction on the timeline: who said what of which proposal."""

    party: str
    proposal: str
    stance: str
    source: tuple[str, ...] = ()
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "party": self.party,
            "proposal": self.proposal,
            "stance": self.stance,
            "source": list(self.source),
            "quote": self.quote,
        }


@dataclass(frozen=True)
class PairGap:
    """How far apart two sides were on one date (see the module's definitions).

    Attributes
    ----------
    a, b
        The two parties, in the scenario's order.
    proposal_a, proposal_b
        Their latest proposals (None when a side has made none yet).
    gap_a, gap_b
        ``max(0, r_b − u_b(P_a))`` and ``max(0, r_a − u_a(P_b))`` (None without the proposal).
    other_a, other_b
        ``u_b(P_a)`` and ``u_a(P_b)``: what each side's offer is worth to the other.
    own_a, own_b
        ``u_a(P_a)`` and ``u_b(P_b)``: what each side's offer is worth to itself.
    walk_away_a, walk_away_b
        The two walk-away points on the date.
    quantiles
        With sampled inputs: ``{"gap_a": {...}, "gap_b": {...}, "gap": {...}}``, each mapping
        ``q05`` ... ``q95`` to a quantile, for the terms defined on the date (None when not
        sampled or not available).
    """

    a: str
    b: str
    proposal_a: str | None
    proposal_b: str | None
    gap_a: float | None
    gap_b: float | None
    other_a: float | None
    other_b: float | None
    own_a: float | None
    own_b: float | None
    walk_away_a: float
    walk_away_b: float
    quantiles: dict[str, dict[str, float]] | None = None

    @property
    def gap(self) -> float | None:
        """``gap_a + gap_b`` when both sides have a proposal, else None."""
        if self.gap_a is None or self.gap_b is None:
            return None
        return self.gap_a + self.gap_b

    @property
    def own_slack_a(self) -> float | None:
        """``u_a(P_a) − r_a``: how far a's own offer lies above its walk-away point."""
        return None if self.own_a is None else self.own_a - self.walk_away_a

    @property
    def own_slack_b(self) -> float | None:
        """``u_b(P_b) − r_b``."""
        return None if self.own_b is None else self.own_b - self.walk_away_b

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "a": self.a,
            "b": self.b,
            "gap_a": _round(self.gap_a),
            "gap_b": _round(self.gap_b),
            "gap": _round(self.gap),
            "proposal_a": self.proposal_a,
            "proposal_b": self.proposal_b,
            "other_a": _round(self.other_a),
            "other_b": _round(self.other_b),
            "own_a": _round(self.own_a),
            "own_b": _round(self.own_b),
            "own_slack_a": _round(self.own_slack_a),
            "own_slack_b": _round(self.own_slack_b),
            "walk_away_a": _round(self.walk_away_a),
            "walk_away_b": _round(self.walk_away_b),
            "quantiles": self.quantiles,
        }


@dataclass(frozen=True)
class TimelineDate:
    """One date of the timeline.

    Attributes
    ----------
    date
        The date.
    new_proposals
        The proposals dated that day, in file order.
    reactions
        The reactions dated that day, in file order.
    proposals
        Each party's latest proposal (parties in the scenario's order; those without one left
        out).
    acceptance
        For each distinct latest proposal (in order of date): whether each party whose consent
        it needs accepts it.
    walk_away
        Each party's walk-away point on the date (parties with preferences).
    margin
        The zone's margin on the date (point assumptions).
    gaps
        One entry per pair of sides.
    margin_quantiles
        With sampled inputs: ``q05`` ... ``q95`` of the margin.
    """

    date: dt.date
    new_proposals: tuple[str, ...]
    reactions: tuple[ReactionNote, ...]
    proposals: dict[str, str]
    acceptance: dict[str, dict[str, bool]]
    walk_away: dict[str, float]
    margin: float
    gaps: tuple[PairGap, ...]
    margin_quantiles: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (the keys of ``zopa timeline --format json``)."""
        return {
            "date": self.date.isoformat(),
            "proposals": dict(self.proposals),
            "acceptance": {pid: dict(who) for pid, who in self.acceptance.items()},
            "margin": _round(self.margin),
            "gaps": [g.to_dict() for g in self.gaps],
            "margin_quantiles": self.margin_quantiles,
            "new": {
                "proposals": list(self.new_proposals),
                "reactions": [r.to_dict() for r in self.reactions],
            },
            "walk_away": {p: _round(r) for p, r in self.walk_away.items()},
        }


@dataclass(frozen=True)
class IssueMove:
    """One issue of a side's move: the option before and after, and what it gave the other side.

    ``change`` is ``w̄_b,i · (v_b,i(after) − v_b,i(before))`` in the other side's utility.
    """

    issue: str
    before: str
    after: str
    change: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "issue": self.issue,
            "before": self.before,
            "after": self.after,
            "change": _round(self.change),
        }


@dataclass(frozen=True)
class Move:
    """How one side's proposals changed between the verdict's two dates.

    Attributes
    ----------
    party
        The side.
    before, after
        Its latest proposal on the first and on the last date.
    gap_change
        The change of its shortfall term of the gap due to the move (the other side's
        walk-away point held at the first date): negative when it brought the sides closer.
    issues
        Per issue whose option changed, what the change gave the other side, largest first.
    """

    party: str
    before: str
    after: str
    gap_change: float
    issues: tuple[IssueMove, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "party": self.party,
            "before": self.before,
            "after": self.after,
            "gap_change": _round(self.gap_change),
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class PairVerdict:
    """Whether one pair of sides converged, and who moved.

    Attributes
    ----------
    a, b
        The pair.
    trend
        ``converging``, ``diverging``, ``no change`` or ``not enough proposals``.
    start, end
        The first and the last date on which both sides had a proposal (None when never).
    gap_start, gap_end
        The gap on those dates.
    moves
        Each side's move between the two dates.
    shifts
        The part of the change due to shifts of walk-away points.
    drivers
        The sides (party ids, or ``shifts``) that drove the change, main driver first.
    named
        Per driving side, the issues the verdict names.
    text
        The verdict as one line.
    cause
        Its last clause, who drove the change ("mostly by A's moves on I and J"; empty when
        nothing changed).
    """

    a: str
    b: str
    trend: Trend
    start: dt.date | None
    end: dt.date | None
    gap_start: float | None
    gap_end: float | None
    moves: tuple[Move, ...]
    shifts: float
    drivers: tuple[str, ...]
    named: dict[str, tuple[str, ...]]
    text: str
    cause: str = ""

    @property
    def headline(self) -> str:
        """The verdict without its cause: the trend, the gap's change and the dates."""
        return self.text[: -len(self.cause) - 2] if self.cause else self.text

    @property
    def change(self) -> float | None:
        """``gap_end − gap_start`` (None without two dates to compare)."""
        if self.gap_start is None or self.gap_end is None:
            return None
        return self.gap_end - self.gap_start

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "a": self.a,
            "b": self.b,
            "trend": self.trend,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "gap_start": _round(self.gap_start),
            "gap_end": _round(self.gap_end),
            "change": _round(self.change),
            "moves": [m.to_dict() for m in self.moves],
            "shifts": _round(self.shifts),
            "drivers": list(self.drivers),
            "named_issues": {k: list(v) for k, v in self.named.items()},
            "text": self.text,
            "cause": self.cause,
        }


@dataclass(frozen=True)
class TimelineResult:
    """The timeline of a scenario's talks (what ``zopa timeline`` prints).

    Attributes
    ----------
    scenario
        The scenario's stamp (:func:`zopa.space.analysis.scenario_stamp`).
    parties
        Party id to name, parties with preferences in the scenario's order.
    sides
        The parties whose distance is measured (see the module's definitions).
    sides_rule
        ``belligerent`` or ``principal``: which roles made them sides.
    pairs
        The pairs of sides, in the scenario's order.
    dates
        One entry per date on which a proposal or a reaction appeared, in order.
    verdicts
        One per pair.
    margin_note
        Why the margin is the same on every date, or which shifts move it.
    shifts
        The reported shifts of walk-away points applied (date, event, sizes by party).
    distribution
        ``point`` (point assumptions only), ``prior`` or ``posterior`` (quantiles over inputs
        sampled from their ranges, conditioned on the reactions for ``posterior``).
    samples, seed
        The sampled inputs per date (0 for ``point``) and their seed.
    warnings
        Things the reader must know about the sampled quantiles.
    """

    scenario: dict[str, str | None]
    parties: dict[str, str]
    sides: tuple[str, ...]
    sides_rule: str
    pairs: tuple[tuple[str, str], ...]
    dates: tuple[TimelineDate, ...]
    verdicts: tuple[PairVerdict, ...]
    margin_note: str
    shifts: tuple[dict[str, Any], ...] = ()
    distribution: Literal["point", "prior", "posterior"] = "point"
    samples: int = 0
    seed: int | None = None
    warnings: tuple[str, ...] = ()
    issues: dict[str, str] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """The verdict line: each pair's, joined by ``; ``."""
        return "; ".join(v.text for v in self.verdicts)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``dates``, ``verdict`` and what they rest on."""
        return {
            "scenario": dict(self.scenario),
            "dates": [d.to_dict() for d in self.dates],
            "verdict": self.verdict,
            "verdicts": [v.to_dict() for v in self.verdicts],
            "sides": list(self.sides),
            "sides_rule": self.sides_rule,
            "pairs": [{"a": a, "b": b} for a, b in self.pairs],
            "margin_note": self.margin_note,
            "shifts": [dict(s) for s in self.shifts],
            "distribution": self.distribution,
            "samples": self.samples,
            "seed": self.seed,
            "warnings": list(self.warnings),
        }


# -- the sides ---------------------------------------------------------------------------------


def sides_of(scenario: Scenario) -> tuple[tuple[str, ...], str]:
    """The parties whose distance the timeline measures, and the rule that chose them.

    Returns
    -------
    sides, rule
        The belligerents with preferences (rule ``belligerent``); when there are fewer than
        two, the parties with role ``party`` or ``belligerent`` and preferences (rule
        ``principal``).
    """
    with_prefs = [p for p in scenario.parties if p in scenario.preferences]
    fighting = [p for p in with_prefs if scenario.parties[p].role == "belligerent"]
    if len(fighting) >= 2:
        return tuple(fighting), "belligerent"
    return tuple(p for p in with_prefs if scenario.parties[p].role in PRINCIPALS), "principal"


# -- dates and walk-away points ----------------------------------------------------------------


def timeline_dates(scenario: Scenario) -> list[dt.date]:
    """The dates on which a proposal or a reaction appeared (on or before ``as_of``), sorted."""
    found = {p.date for p in scenario.proposals.values()}
    found |= {r.date for r in scenario.reactions}
    if scenario.as_of is not None:
        found = {d for d in found if d <= scenario.as_of}
    return sorted(found)


def shifts_in_force(scenario: Scenario, day: dt.date) -> list[Shift]:
    """The reported shifts of walk-away points in force on ``day`` (module docstring).

    Reported (not hypothetical) shifts with a date, from the dynamics section's start (its
    ``start``, by default the scenario's ``as_of``) to ``day``, both included; in file order.
    """
    section = scenario.dynamics
    if section is None:
        return []
    start = section.start_date(scenario.as_of)
    if start is None:
        return []
    return [
        s
        for s in section.shifts
        if not s.hypothetical and s.date is not None and start <= s.date <= day
    ]


def _moved(x: float | Uncertain, by: float) -> float | Uncertain:
    """A walk-away point moved by ``by`` (an uncertain one as a whole), clipped to [0, 1]."""

    def clip(v: float) -> float:
        """One value moved and clipped, rounded to 9 decimals."""
        return round(min(max(v + by, 0.0), 1.0), 9)  # a short decimal stays exact

    if isinstance(x, Uncertain):
        return Uncertain(clip(x.low), clip(x.high), None if x.mode is None else clip(x.mode))
    return clip(float(x))


def with_walk_away(scenario: Scenario, shifts: list[Shift]) -> Scenario:
    """The scenario with ``shifts`` added to the walk-away points (point sizes; clipped to [0, 1]).

    An uncertain walk-away point moves as a whole (its low, mode and high by the point size of
    the shift). Nothing is validated again: only walk-away points change, within [0, 1].
    """
    if not shifts:
        return scenario
    total: dict[str, float] = {}
    for s in shifts:
        for party, size in s.parties.items():
            total[party] = total.get(party, 0.0) + point(size)
    preferences = {
        pid: (
            prefs.model_copy(update={"reservation": _moved(prefs.reservation, total[pid])})
            if pid in total
            else prefs
        )
        for pid, prefs in scenario.preferences.items()
    }
    return scenario.model_copy(update={"preferences": preferences})


def dated_scenario(scenario: Scenario, day: dt.date) -> Scenario:
    """The scenario as known on ``day``, with the walk-away points in force then.

    :func:`zopa.model.as_of.as_of_cut` (proposals, events, sources and reported shifts dated
    after ``day`` left out; reactions too where the cut drops them) and
    :func:`with_walk_away` with :func:`shifts_in_force` (computed on the full scenario, whose
    ``dynamics`` start fixes when the walk-away points of ``preferences`` hold). Reactions
    dated after ``day`` are left out here in any case.
    """
    from zopa.model.as_of import as_of_cut

    cut = as_of_cut(scenario, day).scenario
    later = [r for r in cut.reactions if r.date > day]
    if later:
        cut = cut.model_copy(update={"reactions": [r for r in cut.reactions if r.date <= day]})
    return with_walk_away(cut, shifts_in_force(scenario, day))


def margin_note(scenario: Scenario, dates: list[dt.date], applied: list[Shift]) -> str:
    """Say why the margin is the same on every date, or which reported shifts move it."""
    from zopa.render.words import plural

    if applied:
        listed = "; ".join(
            f"{s.date}: {', '.join(f'{p} {point(v):+.3f}' for p, v in s.parties.items())}"
            for s in applied
        )
        return (
            f"The zone depends only on the preferences; the walk-away points move with "
            f"{plural(len(applied), 'reported shift')} from the dynamics section ({listed}), so "
            "the margin and the gaps of each date use the walk-away points in force then."
        )
    section = scenario.dynamics
    reason = "the scenario has no dynamics section"
    if section is not None:
        reported = [s for s in section.shifts if not s.hypothetical]
        hypothetical = len(section.shifts) - len(reported)
        start = section.start_date(scenario.as_of)
        if not section.shifts:
            reason = "its dynamics section has no shifts"
        elif not reported:
            reason = (
                f"the {plural(hypothetical, 'shift')} of its dynamics section "
                f"{'is a hypothetical what-if' if hypothetical == 1 else 'are hypothetical what-ifs'}"
            )
        else:
            reason = (
                f"its {plural(len(reported), 'reported shift')} "
                f"{'is' if len(reported) == 1 else 'are'} dated before the start of the talks "
                f"({start}), so the walk-away points already reflect "
                f"{'it' if len(reported) == 1 else 'them'}"
            )
        if dates and start is not None and start > dates[-1]:
            reason += f"; the per-round drift applies to simulated talks from {start} on"
        elif section.drift:
            reason += "; the per-round drift applies to simulated talks only"
    return (
        "The margin is the same on every date: the zone depends only on the preferences, and "
        f"no reported shift moves a walk-away point over the timeline ({reason})."
    )


# -- the computation ---------------------------------------------------------------------------


def _latest(scenario: Scenario, day: dt.date) -> dict[str, str]:
    """Each party's latest proposal on ``day`` (scenario party order; last in file among ties)."""
    found: dict[str, tuple[dt.date, int, str]] = {}
    for k, (pid, prop) in enumerate(scenario.proposals.items()):
        if prop.date > day:
            continue
        for party in prop.by:
            if party not in found or (prop.date, k) >= found[party][:2]:
                found[party] = (prop.date, k, pid)
    return {p: found[p][2] for p in scenario.parties if p in found}


@dataclass
class _State:
    """The compiled space under one set of walk-away shifts, and the verdicts computed on it."""

    space: CompiledSpace
    margin: float
    verdicts: dict[str, PackageVerdict] = field(default_factory=dict)


def _state(scenario: Scenario, shifts: list[Shift]) -> _State:
    """Compile the scenario under ``shifts`` and find its margin (branch and bound)."""
    from zopa.space.compile import compile_scenario
    from zopa.space.exact import consent_masks, from_grid, grid_contributions, grid_reservation
    from zopa.space.margin import widest_package

    space = compile_scenario(with_walk_away(scenario, shifts))
    raw, _ = widest_package(
        grid_contributions(space), consent_masks(space), grid_reservation(space)
    )
    margin = 1.0 if raw == np.iinfo(np.int64).max else float(from_grid(raw))
    return _State(space, margin)


def _verdict(scenario: Scenario, state: _State, pid: str) -> PackageVerdict:
    """Every party's verdict on a proposal under one state (computed once per state)."""
    from zopa.space.analysis import evaluate_package

    if pid not in state.verdicts:
        package = state.space.index_of(scenario.package_of(pid))
        state.verdicts[pid] = evaluate_package(state.space, package)
    return state.verdicts[pid]


def _party(verdict: PackageVerdict, party: str) -> tuple[float, float, float]:
    """``(utility, walk-away point, shortfall)`` of one party in a verdict."""
    v = next(x for x in verdict.parties if x.party == party)
    return v.utility, v.reservation, v.shortfall


def compute_timeline(scenario: Scenario) -> TimelineResult:
    """The timeline of a scenario on its point assumptions (see the module's definitions).

    Parameters
    ----------
    scenario
        A validated scenario with issues and preferences.

    Returns
    -------
    TimelineResult

    Raises
    ------
    ValueError
        For a scenario without issues and preferences, or without a dated proposal or reaction.
    """
    from zopa.space.analysis import _require_issues, scenario_stamp

    _require_issues(scenario)
    dates = timeline_dates(scenario)
    if not dates:
        raise ValueError(
            f"scenario {scenario.id!r} has no proposals or reactions: there is nothing to put "
            "on a timeline"
        )
    sides, rule = sides_of(scenario)
    pairs = tuple(itertools.combinations(sides, 2))
    states: dict[tuple[int, ...], _State] = {}
    all_shifts = list(scenario.dynamics.shifts) if scenario.dynamics is not None else []
    applied: list[Shift] = []
    rows: list[TimelineDate] = []
    for day in dates:
        shifts = shifts_in_force(scenario, day)
        key = tuple(next(k for k, s in enumerate(all_shifts) if s is x) for x in shifts)
        if key not in states:
            states[key] = _state(scenario, shifts)
        applied += [s for s in shifts if all(s is not x for x in applied)]
        state = states[key]
        latest = _latest(scenario, day)
        acceptance: dict[str, dict[str, bool]] = {}
        ordered = sorted(
            dict.fromkeys(latest.values()),
            key=lambda pid: (scenario.proposals[pid].date, list(scenario.proposals).index(pid)),
        )
        for pid in ordered:
            verdict = _verdict(scenario, state, pid)
            acceptance[pid] = {v.party: v.accepted for v in verdict.parties if v.needed}
        walk_away = {
            p: float(r) for p, r in zip(state.space.parties, state.space.reservation, strict=True)
        }
        gaps = []
        for a, b in pairs:
            pa, pb = latest.get(a), latest.get(b)
            va = _verdict(scenario, state, pa) if pa is not None else None
            vb = _verdict(scenario, state, pb) if pb is not None else None
            gaps.append(
                PairGap(
                    a=a,
                    b=b,
                    proposal_a=pa,
                    proposal_b=pb,
                    gap_a=_party(va, b)[2] if va is not None else None,
                    gap_b=_party(vb, a)[2] if vb is not None else None,
                    other_a=_party(va, b)[0] if va is not None else None,
                    other_b=_party(vb, a)[0] if vb is not None else None,
                    own_a=_party(va, a)[0] if va is not None else None,
                    own_b=_party(vb, b)[0] if vb is not None else None,
                    walk_away_a=walk_away[a],
                    walk_away_b=walk_away[b],
                )
            )
        rows.append(
            TimelineDate(
                date=day,
                new_proposals=tuple(pid for pid, p in scenario.proposals.items() if p.date == day),
                reactions=tuple(
                    ReactionNote(r.party, r.proposal, r.stance, tuple(r.source), r.quote)
                    for r in scenario.reactions
                    if r.date == day
                ),
                proposals=latest,
                acceptance=acceptance,
                walk_away=walk_away,
                margin=state.margin,
                gaps=tuple(gaps),
            )
        )
    first_space = next(iter(states.values())).space
    verdicts = tuple(
        pair_verdict(scenario, first_space, rows, k, a, b) for k, (a, b) in enumerate(pairs)
    )
    if not pairs:
        verdicts = (_no_pairs(sides, rule),)
    return TimelineResult(
        scenario=scenario_stamp(scenario),
        parties={p: scenario.parties[p].name for p in first_space.parties},
        sides=sides,
        sides_rule=rule,
        pairs=pairs,
        dates=tuple(rows),
        verdicts=verdicts,
        margin_note=margin_note(scenario, dates, applied),
        shifts=tuple(
            {
                "date": s.date.isoformat() if s.date else None,
                "event": s.event,
                "parties": {p: round(point(v), 6) for p, v in s.parties.items()},
            }
            for s in applied
        ),
        issues={i: scenario.issues[i].name for i in scenario.issues},
    )


def _no_pairs(sides: tuple[str, ...], rule: str) -> PairVerdict:
    """The verdict when there are fewer than two sides."""
    from zopa.render.words import plural

    what = "belligerent" if rule == "belligerent" else "side (role party or belligerent)"
    many = "belligerents" if rule == "belligerent" else "sides (role party or belligerent)"
    text = (
        f"not enough proposals: the scenario has {plural(len(sides), what, many)} with "
        "preferences, so no pair of sides to compare"
    )
    return PairVerdict(
        "", "", "not enough proposals", None, None, None, None, (), 0.0, (), {}, text
    )


# -- the verdict -------------------------------------------------------------------------------


def _issue_moves(
    scenario: Scenario, space: CompiledSpace, before: str, after: str, other: str
) -> tuple[IssueMove, ...]:
    """Per issue whose option changed from ``before`` to ``after``: what it gave ``other``."""
    old, new = scenario.package_of(before), scenario.package_of(after)
    p = space.parties.index(other)
    moves = []
    for i, issue in enumerate(space.issues):
        if old[issue] == new[issue]:
            continue
        row = space.contributions[i][p]
        k_old, k_new = space.options[i].index(old[issue]), space.options[i].index(new[issue])
        moves.append(IssueMove(issue, old[issue], new[issue], float(row[k_new] - row[k_old])))
    return tuple(sorted(moves, key=lambda m: -abs(m.change)))


def _named(moves: tuple[IssueMove, ...], direction: float) -> tuple[str, ...]:
    """The issues making up at least :data:`ISSUE_SHARE` of a move's part in the change.

    ``direction`` is the sign of the gap's change: an issue drives a fall of the gap when it
    raised the other side's utility (``change > 0``), a rise when it lowered it.
    """
    helping = sorted((m for m in moves if -direction * m.change > 0), key=lambda m: -abs(m.change))
    total = sum(abs(m.change) for m in helping)
    out: list[str] = []
    covered = 0.0
    for m in helping:
        if covered >= ISSUE_SHARE * total or len(out) >= MAX_ISSUES:
            break
        out.append(m.issue)
        covered += abs(m.change)
    return tuple(out)


def _join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def pair_verdict(
    scenario: Scenario,
    space: CompiledSpace,
    rows: list[TimelineDate],
    k: int,
    a: str,
    b: str,
) -> PairVerdict:
    """Whether the pair ``(a, b)`` (the ``k``-th) converged: see the module's verdict rules."""
    both = [r for r in rows if r.gaps[k].gap is not None]
    pair = f"{a}–{b}"
    if not both:
        missing = [
            p
            for p, g in ((a, "proposal_a"), (b, "proposal_b"))
            if all(getattr(r.gaps[k], g) is None for r in rows)
        ]
        # a latest proposal persists, so a pair never both on record has a side with none
        who = (
            f"neither {a} nor {b} has made a proposal"
            if len(missing) != 1
            else f"{missing[0]} has made no proposal"
        )
        text = f"not enough proposals: {who}, so the gap {pair} is unknown"
        return PairVerdict(
            a, b, "not enough proposals", None, None, None, None, (), 0.0, (), {}, text
        )
    first, last = both[0], both[-1]
    g0, g1 = first.gaps[k], last.gaps[k]
    gap0, gap1 = float(g0.gap or 0.0), float(g1.gap or 0.0)
    if first is last:
        text = (
            f"not enough proposals: the gap {pair} is {gap1:.2f} on {short_date(last.date)}, "
            "the only date on which both sides have a proposal"
        )
        return PairVerdict(
            a, b, "not enough proposals", first.date, last.date, gap0, gap1, (), 0.0, (), {}, text
        )
    change = gap1 - gap0
    moves = []
    parts: dict[str, float] = {}
    for side, other, p0, p1, term0, walk0 in (
        (a, b, g0.proposal_a, g1.proposal_a, g0.gap_a, g0.walk_away_b),
        (b, a, g0.proposal_b, g1.proposal_b, g0.gap_b, g0.walk_away_a),
    ):
        assert p0 is not None  # both sides have proposals on both dates
        assert p1 is not None
        assert term0 is not None
        utility_new = g1.other_a if side == a else g1.other_b
        assert utility_new is not None
        moved = max(0.0, walk0 - utility_new) - term0 if p0 != p1 else 0.0
        parts[side] = moved
        moves.append(
            Move(
                side,
                p0,
                p1,
                moved,
                _issue_moves(scenario, space, p0, p1, other) if p0 != p1 else (),
            )
        )
    parts["shifts"] = change - parts[a] - parts[b]
    shifts = parts["shifts"]
    years = first.date.year != last.date.year
    span = f"between {short_date(first.date, year=years)} and {short_date(last.date, year=years)}"
    if abs(change) < TOLERANCE:
        text = f"no change: the gap {pair} stayed at {gap1:.2f} {span}"
        if all(m.before == m.after for m in moves):
            text += "; neither side made a new proposal"
        return PairVerdict(
            a, b, "no change", first.date, last.date, gap0, gap1, tuple(moves), shifts, (), {}, text
        )
    direction = 1.0 if change > 0 else -1.0
    trend: Trend = "diverging" if change > 0 else "converging"
    pushing = sorted(
        ((name, direction * v) for name, v in parts.items() if direction * v > 1e-12),
        key=lambda item: -item[1],
    )
    total = sum(v for _, v in pushing)
    named = {
        m.party: _named(m.issues, direction) for m in moves if any(n == m.party for n, _ in pushing)
    }

    def phrase(name: str) -> str:
        """What one driver of the change did, in words."""
        if name == "shifts":
            return "shifts of walk-away points"
        issues = named.get(name, ())
        return f"{name}'s moves" + (f" on {_join(list(issues))}" if issues else "")

    drivers = tuple(name for name, _ in pushing)
    if pushing and pushing[0][1] >= MOSTLY * total:
        cause = "mostly by " + phrase(pushing[0][0])
    else:
        cause = "by " + _join([phrase(n) for n in drivers])
    verb = "rose" if change > 0 else "fell"
    text = f"{trend}: the gap {pair} {verb} from {gap0:.2f} to {gap1:.2f} {span}, {cause}"
    return PairVerdict(
        a,
        b,
        trend,
        first.date,
        last.date,
        gap0,
        gap1,
        tuple(moves),
        shifts,
        drivers,
        named,
        text,
        cause,
    )


# -- sampled inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DateSamples:
    """What a run over sampled inputs gives the timeline on one date.

    Attributes
    ----------
    margins
        The zone's margin in every sample.
    gains
        Per proposal, per party: utility minus walk-away point in every sample (the same
        samples as ``margins``, in the same order); None when the run does not keep them.
    conditioned
        Whether the samples are conditioned on the reactions known on the date (a posterior;
        with no reaction known yet, the posterior is the prior).
    """

    margins: NDArray[np.float64]
    gains: dict[str, dict[str, NDArray[np.float64]]] | None
    conditioned: bool


def quantiles(x: NDArray[np.float64]) -> dict[str, float]:
    """``q05`` ... ``q95`` of ``x`` (:data:`QUANTILES`), rounded to 6 decimals."""
    return {f"q{q:02d}": round(float(np.percentile(x, q)), 6) for q in QUANTILES}


def attach_samples(
    result: TimelineResult,
    samples: dict[dt.date, DateSamples],
    count: int,
    seed: int | None,
    warnings: list[str] | None = None,
) -> TimelineResult:
    """Add quantiles of the margin and the gaps over sampled inputs to each date.

    ``gap_a`` in a sample is ``max(0, −gain_b(P_a))``; ``gap`` adds the two sides' terms in the
    same sample. The distribution is ``posterior`` when every date's samples are conditioned on
    the reactions known then and the timeline has reactions, else ``prior``.
    """
    rows = []
    notes = list(warnings or [])
    for row in result.dates:
        got = samples.get(row.date)
        if got is None:
            rows.append(row)
            continue
        gaps = []
        for g in row.gaps:
            q: dict[str, dict[str, float]] = {}
            terms = {}
            if got.gains is not None:
                for name, pid, other in (
                    ("gap_a", g.proposal_a, g.b),
                    ("gap_b", g.proposal_b, g.a),
                ):
                    if pid is not None:
                        terms[name] = np.maximum(0.0, -got.gains[pid][other])
                        q[name] = quantiles(terms[name])
                if len(terms) == 2:
                    q["gap"] = quantiles(terms["gap_a"] + terms["gap_b"])
            gaps.append(replace(g, quantiles=q or None))
        rows.append(replace(row, gaps=tuple(gaps), margin_quantiles=quantiles(got.margins)))
    if samples and any(s.gains is None for s in samples.values()):
        notes.append(
            "the sampled run does not keep each proposal's utilities per sample: the gaps are "
            "shown on the point assumptions only"
        )
    conditioned = bool(samples) and all(s.conditioned for s in samples.values())
    has_reactions = any(row.reactions for row in result.dates)
    return replace(
        result,
        dates=tuple(rows),
        distribution="posterior" if conditioned and has_reactions else "prior",
        samples=count,
        seed=seed,
        warnings=tuple(dict.fromkeys(notes)),
    )
