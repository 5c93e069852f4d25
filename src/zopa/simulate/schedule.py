"""The calendar of simulated talks and each party's walk-away point in every round.

A :class:`Schedule` is what the alternating-offers engine (:mod:`zopa.simulate`) needs to know
about time: how many rounds the talks last before the deadline, the date of each round when the
scenario gives a calendar, and the walk-away point of every party in every round. The walk-away
points move because the war goes on: a cost of continued fighting, an expected gain or loss of
territory, and dated events. :func:`compile_schedule` builds it from a scenario's ``dynamics:``
section; :meth:`Schedule.constant` builds one with fixed walk-away points (tests, scenarios
without a ``dynamics:`` section).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.model.dynamics import DEFAULT_ROUNDS
from zopa.model.numbers import point

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.space.compile import CompiledSpace, Draw


@dataclass(frozen=True, eq=False)
class Schedule:
    """Rounds, dates and walk-away points of simulated talks.

    Attributes
    ----------
    rounds
        Number of rounds before the deadline (round ``0 … rounds - 1``); in each round every
        party has one turn, in the order of :attr:`CompiledSpace.parties`.
    reservation
        ``(rounds, n_parties)``: each party's walk-away point in each round, in [0, 1].
    dates
        The date of each round, or None when the rounds are not dated.
    """

    rounds: int
    reservation: NDArray[np.float64]
    dates: tuple[dt.date, ...] | None = None

    def __post_init__(self) -> None:
        if self.rounds < 1:
            raise ValueError("a schedule needs at least one round")
        if self.reservation.ndim != 2 or self.reservation.shape[0] != self.rounds:
            raise ValueError("reservation must have shape (rounds, n_parties)")
        if self.dates is not None and len(self.dates) != self.rounds:
            raise ValueError("dates must give one date per round")

    @classmethod
    def constant(cls, reservation: NDArray[np.float64], rounds: int) -> Schedule:
        """Return a schedule whose walk-away points never move."""
        r = np.asarray(reservation, dtype=np.float64)
        return cls(rounds, np.broadcast_to(r, (rounds, r.shape[0])).copy())


def compile_schedule(
    scenario: Scenario,
    draw: Draw = point,
    rounds: int | None = None,
    *,
    space: CompiledSpace | None = None,
) -> Schedule:
    """Build the schedule of simulated talks from a scenario's ``dynamics:`` section.

    The walk-away point of party ``p`` in round ``t`` is (:mod:`zopa.model.dynamics`)

        r_p(t) = clip(r_p + t · (territory_p − cost_of_war_p) + Σ shifts_p in force in t, 0, 1)

    where ``r_p`` is the walk-away point under ``preferences`` (the one at round 0), a party
    without a ``drift`` entry does not drift, a shift is in force from its round (or the first
    round dated on or after its date) on, and a shift dated before the start is ignored. The
    clip applies to each round's value, not to a running total, so a walk-away point pushed to 0
    by drift comes back up with a later positive shift only once the sum exceeds 0.

    Parameters
    ----------
    scenario
        A validated scenario. Without a ``dynamics:`` section the walk-away points stay
        constant for :data:`~zopa.model.dynamics.DEFAULT_ROUNDS` rounds (or ``rounds``).
    draw
        Maps each (possibly uncertain) number to the float to use: the point value by default,
        :func:`zopa.robust.sampling.draw_for` in Monte Carlo runs. It must give the same value
        for the same number each time it is called (as both of those do), so that the schedule
        agrees with a space compiled with the same ``draw``.
    rounds
        Overrides the section's deadline (the number of rounds). Dates, when the section gives
        a calendar, continue past the section's deadline.
    space
        The scenario compiled with the same ``draw``, to take the walk-away points and the
        party order from; compiled here when None.

    Returns
    -------
    Schedule
        ``reservation`` has one column per party of ``space.parties`` (the parties with
        preferences, in scenario order), each value in [0, 1].

    Raises
    ------
    ValueError
        When ``rounds`` is given and below 1.
    """
    if rounds is not None and rounds < 1:
        raise ValueError("a schedule needs at least one round")
    if space is None:
        from zopa.space.compile import compile_scenario

        space = compile_scenario(scenario, draw)
    base = np.asarray(space.reservation, dtype=np.float64)
    section = scenario.dynamics
    if section is None:
        n = DEFAULT_ROUNDS if rounds is None else rounds
        return Schedule(n, np.clip(np.broadcast_to(base, (n, base.shape[0])), 0.0, 1.0))

    as_of = scenario.as_of
    n = section.round_count(as_of) if rounds is None else rounds
    column = {party: k for k, party in enumerate(space.parties)}
    per_round = np.zeros(base.shape[0])
    for party, drift in section.drift.items():
        per_round[column[party]] = draw(drift.territory) - draw(drift.cost_of_war)
    t = np.arange(n, dtype=np.float64)[:, None]
    path = base[None, :] + t * per_round[None, :]
    for shift in section.shifts:
        first = section.first_round(shift, as_of)
        if first is None or first >= n:
            continue  # dated before the start (already in the walk-away points), or too late
        for party, change in shift.parties.items():
            path[first:, column[party]] += draw(change)
    dates = None
    if section.is_dated(as_of):
        found = [section.round_date(k, as_of) for k in range(n)]
        dates = tuple(d for d in found if d is not None)
    return Schedule(n, np.clip(path, 0.0, 1.0), dates)
