"""Talks over time: the calendar of rounds, and how walk-away points move while the war goes on.

A scenario's optional ``dynamics:`` section says how long simulated talks last and how each
party's walk-away point (the utility of no agreement, ``preferences.<party>.reservation``) moves
from round to round (:mod:`zopa.simulate`)::

    dynamics:
      start: 2025-12-15          # date of round 0 (default: the scenario's as_of)
      round_days: 7              # days per round; without it the rounds are undated
      deadline: 2026-03-31       # the last date a round may fall on (needs round_days), or
      # rounds: 15               # the number of rounds; exactly one of the two (default 12)
      basis: "Assumption. Why this calendar ... [source-id]"
      drift:                     # per party with preferences; ANALYST ASSUMPTIONS
        UA:
          cost_of_war: {mode: 0.006, low: 0.002, high: 0.012}   # lost per round, >= 0
          territory: {mode: -0.002, low: -0.005, high: 0.0}     # gained (+) or lost (-) per round
          basis: "Assumption. ... [source-id]"
      shifts:                    # one-off changes of walk-away points, from their date on
        - date: 2026-02-01       # or `round: 7`; exactly one of the two
          event: "A Russian winter offensive takes more ground"
          hypothetical: true     # a what-if; default false: a reported event (dated, sourced)
          parties: {RU: {mode: 0.03, low: 0.0, high: 0.05}, UA: -0.02}
          basis: "Assumption. ... [source-id]"
          # source: [source-id]  # required when not hypothetical

The walk-away point of party ``p`` in round ``t`` is

    r_p(t) = clip(r_p + t · (territory_p − cost_of_war_p) + Σ shifts_p in force in round t, 0, 1)

with ``r_p`` the walk-away point under ``preferences``, read as the one at round 0 (``start``).
A party without a ``drift`` entry does not drift. A shift given by ``round: k`` is in force from
round ``k`` on; a dated shift from the first round dated on or after its date. A shift dated
*before* ``start`` is ignored: the walk-away points at ``start`` are taken to reflect it already
(so a reported event of the past matters only when ``start`` lies before it, e.g. to replay talks
from an earlier date with walk-away points as of that date). Clipping applies to each round's
value, not to a running total.

A party's utilities may also be discounted with time, as in GENIUS (Lin et al. 2014,
"Genius: An integrated environment for supporting the design of generic automated
negotiators", Computational Intelligence 30(1); used since ANAC 2011)::

    dynamics:
      discount: {A: 0.8, B: 0.5}  # GENIUS discount factors, 0 < d <= 1 (1: no discount)

At normalised time ``τ`` in [0, 1] of the talks (``τ = t / (rounds − 1)`` in round ``t``) party
``p``'s utility of any agreement *and* of no agreement is multiplied by ``d_p ** τ``. Both sides
of every comparison a party makes within a round (``u_p(x) ≥ r_p(t)``, one package against
another) are scaled alike, so a discount changes no acceptability, no Pareto frontier and no
bargaining solution: zopa's analyses, which compare within a round, give the same answers with
or without it. It is kept so that a scenario imported from GENIUS records it and
``zopa export genius`` writes it back; zopa's simulated strategies do not react to it. A
discount factor is imported data (a GENIUS file's ``discount_factor``), not a judgement: no
basis is required for it.

Every number may be uncertain (``{low, high}`` or ``{mode, low, high}``, see
:mod:`zopa.model.numbers`): deterministic runs use the point value, Monte Carlo runs sample it.
Drifts and the sizes of shifts are analyst judgements, so every ``basis`` must say
``Assumption`` and cite what it rests on as ``[source-id]``. A reported shift (not hypothetical)
is also a fact: it must be dated no later than the scenario's ``as_of`` and cite its ``source``.

As in :mod:`zopa.model.forecast_section`, pydantic checks the shapes; :func:`check_dynamics`
checks what only the whole scenario can tell (known parties and sources, dates, the calendar)
and returns ``(location, message, value)`` problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated, Any

from pydantic import Field

from zopa.model.base import IdList, Model, Text, basis_problems
from zopa.model.numbers import SignedUnitNumber, UnitNumber

Loc = tuple[str | int, ...]

DEFAULT_ROUNDS = 12
"""Rounds of talks when a scenario sets no deadline (or has no ``dynamics:`` section)."""

MAX_ROUNDS = 10_000
"""At most this many rounds (a deadline decades away in daily rounds is a typo)."""


class Drift(Model):
    """How one party's walk-away point moves per round while the war goes on."""

    cost_of_war: UnitNumber = Field(
        default=0.0,
        description="Walk-away utility lost per round of continued fighting (>= 0).",
    )
    territory: SignedUnitNumber = Field(
        default=0.0,
        description="Expected change of the walk-away utility per round from the battlefield "
        "(+: the party expects to gain ground, -: to lose it).",
    )
    basis: Text = Field(
        description="What the numbers rest on: says 'Assumption' and cites [source-id]s."
    )
    note: str | None = None


class Shift(Model):
    """A one-off change of walk-away points, in force from its date (or round) on."""

    date: dt.date | None = Field(
        default=None, strict=False, description="In force from the first round on or after it."
    )
    round: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="In force from this round on (instead of a date)."
    )
    event: Text = Field(description="What happens.")
    hypothetical: bool = Field(
        default=False,
        description="A what-if (may lie after as_of). Otherwise a reported event: dated no "
        "later than as_of and citing its source.",
    )
    parties: dict[str, SignedUnitNumber] = Field(
        min_length=1, description="Party id -> change of its walk-away point (signed)."
    )
    basis: Text = Field(
        description="What the sizes rest on: says 'Assumption' and cites [source-id]s."
    )
    source: IdList = Field(
        default_factory=list,
        description="Where the event is reported (required if not hypothetical).",
    )
    note: str | None = None


class Dynamics(Model):
    """The calendar of simulated talks, and the drift and shifts of walk-away points."""

    start: dt.date | None = Field(
        default=None, strict=False, description="Date of round 0 (default: the scenario's as_of)."
    )
    round_days: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Days per round; without it the rounds are undated."
    )
    rounds: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] | None = Field(
        default=None,
        description=f"The deadline in rounds (default {DEFAULT_ROUNDS}); or give 'deadline'.",
    )
    deadline: dt.date | None = Field(
        default=None,
        strict=False,
        description="The deadline as a date: the last round falls on or before it (needs "
        "round_days).",
    )
    basis: Text | None = Field(
        default=None, description="What the calendar rests on, citing [source-id]s."
    )
    drift: dict[str, Drift] = Field(
        default_factory=dict, description="Party id -> how its walk-away point drifts per round."
    )
    shifts: list[Shift] = Field(
        default_factory=list, description="Dated one-off changes of walk-away points."
    )
    discount: dict[str, Annotated[float, Field(gt=0, le=1)]] = Field(
        default_factory=dict,
        description="Party id -> GENIUS discount factor d (0 < d <= 1): the party's utilities "
        "of agreement and of no agreement alike are multiplied by d ** τ at normalised time τ "
        "in [0, 1] of the talks, which leaves every comparison within a round unchanged.",
    )
    note: str | None = None

    # -- the calendar (pure arithmetic on the section; no analysis) ---------------------------
    def start_date(self, as_of: dt.date | None) -> dt.date | None:
        """Return the date of round 0: ``start``, else the scenario's ``as_of`` (or None)."""
        return self.start if self.start is not None else as_of

    def is_dated(self, as_of: dt.date | None) -> bool:
        """Whether the rounds have dates (a start date and ``round_days`` are known)."""
        return self.round_days is not None and self.start_date(as_of) is not None

    def round_count(self, as_of: dt.date | None) -> int:
        """Return the number of rounds before the deadline.

        ``rounds`` when given; for a ``deadline`` date, the rounds dated on or before it,
        ``(deadline − start) // round_days + 1``; otherwise :data:`DEFAULT_ROUNDS`. Assumes a
        validated section.
        """
        if self.rounds is not None:
            return self.rounds
        start = self.start_date(as_of)
        if self.deadline is not None and self.round_days is not None and start is not None:
            return (self.deadline - start).days // self.round_days + 1
        return DEFAULT_ROUNDS

    def round_date(self, t: int, as_of: dt.date | None) -> dt.date | None:
        """Return the date of round ``t`` (None when the rounds are undated)."""
        start = self.start_date(as_of)
        if start is None or self.round_days is None:
            return None
        return start + dt.timedelta(days=t * self.round_days)

    def first_round(self, shift: Shift, as_of: dt.date | None) -> int | None:
        """Return the first round a shift is in force, or None when it is ignored.

        A shift by ``round`` is in force from that round; a dated shift from the first round
        dated on or after its date, ``ceil((date − start) / round_days)``. A shift dated before
        the start (or dated while the rounds are undated) is ignored.
        """
        if shift.round is not None:
            return shift.round
        start = self.start_date(as_of)
        if shift.date is None or start is None or self.round_days is None:
            return None
        days = (shift.date - start).days
        if days < 0:
            return None
        return -(-days // self.round_days)


def _shown(items: Collection[str], limit: int = 12) -> str:
    listed = list(items)
    return ", ".join(listed[:limit]) + (", …" if len(listed) > limit else "")


def check_dynamics(
    section: Dynamics,
    *,
    parties: Collection[str],
    preferences: Collection[str],
    sources: Collection[str],
    as_of: dt.date | None,
) -> list[tuple[Loc, str, Any]]:
    """Check a dynamics section against its scenario.

    Parameters
    ----------
    section
        The parsed section.
    parties
        The scenario's party ids.
    preferences
        The ids of the parties with preferences (those with a walk-away point to move).
    sources
        The scenario's source ids (``source`` lists and citations in bases are checked).
    as_of
        The scenario's date (the default start; reported shifts must not be later).

    Returns
    -------
    list
        ``(location in the section, message, offending value)``; empty when valid.
    """
    problems: list[tuple[Loc, str, Any]] = []

    def add(loc: Loc, message: str, value: Any = None) -> None:
        problems.append((loc, message, value))

    def party_with_preferences(loc: Loc, pid: str) -> None:
        if pid not in parties:
            add(
                loc,
                f"unknown party {pid!r} (expected a party with preferences: {_shown(preferences)})",
                pid,
            )
        elif pid not in preferences:
            add(loc, f"party {pid!r} has no preferences, so no walk-away point to move", pid)

    def basis(loc: Loc, text: str, *, judgement: bool) -> None:
        for message, value in basis_problems(
            text, sources, "drifts and shifts" if judgement else None
        ):
            add(loc, message, value)

    start = section.start_date(as_of)
    calendar_ok = True
    if section.round_days is not None and start is None:
        add(
            ("round_days",),
            "dated rounds need a start date: give 'start' (or the scenario's 'as_of')",
        )
        calendar_ok = False
    if section.deadline is not None:
        if section.rounds is not None:
            add(("deadline",), "give the deadline once: 'rounds' or 'deadline', not both")
            calendar_ok = False
        elif section.round_days is None:
            add(
                ("deadline",),
                "a deadline date needs 'round_days' (the length of a round) to count the rounds; "
                "or give 'rounds'",
            )
            calendar_ok = False
        elif start is not None:
            if section.deadline < start:
                add(
                    ("deadline",),
                    f"deadline {section.deadline} is before the start of the talks {start}",
                    section.deadline,
                )
                calendar_ok = False
            elif section.round_count(as_of) > MAX_ROUNDS:
                add(
                    ("deadline",),
                    f"the deadline gives {section.round_count(as_of):,} rounds; at most "
                    f"{MAX_ROUNDS:,}",
                    section.deadline,
                )
                calendar_ok = False
    if section.basis is not None:
        basis(("basis",), section.basis, judgement=False)

    for pid, drift in section.drift.items():
        loc: Loc = ("drift", pid)
        party_with_preferences(loc, pid)
        basis((*loc, "basis"), drift.basis, judgement=True)

    for pid in section.discount:
        party_with_preferences(("discount", pid), pid)

    rounds = section.round_count(as_of) if calendar_ok else None
    dated = section.is_dated(as_of) and calendar_ok
    for i, shift in enumerate(section.shifts):
        loc = ("shifts", i)
        if (shift.date is None) == (shift.round is None):
            add(loc, "a shift needs exactly one of 'date' or 'round'")
        elif shift.date is not None and section.round_days is None:
            add(
                (*loc, "date"),
                "a dated shift needs dated rounds: give 'round_days' (and 'start' or the "
                "scenario's 'as_of'), or give the shift a 'round'",
                shift.date,
            )
        elif rounds is not None and shift.round is not None and shift.round >= rounds:
            add(
                (*loc, "round"),
                f"round {shift.round} is past the deadline (rounds 0–{rounds - 1}): the shift "
                "would never be in force",
                shift.round,
            )
        elif rounds is not None and dated and shift.date is not None:
            last = section.round_date(rounds - 1, as_of)
            if last is not None and shift.date > last:
                add(
                    (*loc, "date"),
                    f"dated {shift.date}, after the last round ({last}): the shift would never "
                    "be in force",
                    shift.date,
                )
        if not shift.hypothetical:
            if shift.round is not None and shift.date is None:
                add(
                    (*loc, "round"),
                    "a reported shift (not hypothetical) is an event that happened: give its "
                    "'date', or mark it 'hypothetical: true'",
                    shift.round,
                )
            elif shift.date is not None and as_of is None:
                add(
                    (*loc, "date"),
                    "a reported shift (not hypothetical) needs the scenario's 'as_of' to be "
                    "checked against",
                    shift.date,
                )
            elif shift.date is not None and as_of is not None and shift.date > as_of:
                add(
                    (*loc, "date"),
                    f"dated {shift.date} after the scenario's as_of {as_of}: a reported event "
                    "cannot lie in the future (mark it 'hypothetical: true' for a what-if)",
                    shift.date,
                )
            if not shift.source:
                add(
                    loc,
                    "a reported shift (not hypothetical) must cite its 'source'; or mark it "
                    "'hypothetical: true'",
                )
        for j, ref in enumerate(shift.source):
            if ref not in sources:
                add(
                    (*loc, "source", j) if len(shift.source) > 1 else (*loc, "source"),
                    f"unknown source {ref!r} (expected one of: {_shown(sources)})",
                    ref,
                )
        for pid in shift.parties:
            party_with_preferences((*loc, "parties", pid), pid)
        basis((*loc, "basis"), shift.basis, judgement=True)
    return problems
