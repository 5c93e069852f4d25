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

import numpy as np
from numpy.typing import NDArray


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
