"""Plain results of simulated talks; ``to_dict()`` gives the stable JSON.

Rounds are numbered from 0 everywhere, as in a scenario's ``dynamics:`` section (round 0 falls on
its ``start`` date): the trace's ``round``, ``agreed_round`` and a tournament profile's
``mean_agreed_round``. ``rounds`` and a profile's ``mean_rounds`` are counts (a simulation of
``rounds`` rounds ends at round ``rounds - 1``; an agreement in round ``t`` took ``t + 1`` rounds).

JSON of a :class:`SimulationResult` (``zopa simulate --format json``)::

    {
      "scenario": {...} | null,          # id, title, hash, version (when run from a scenario)
      "parties": ["UA", ...], "bargainers": ["UA", "RU", "EU"],
      "order": ["UA", ...],              # turn order within a round
      "strategies": {"UA": "boulware", ...},
      "rounds": 12, "dates": ["2025-12-15", ...] | null,
      "walk_away": {"UA": [0.45, ...], ...},   # per round
      "outcome": "agreement" | "deadline" | "walk-out",
      "agreement": {issue: option} | null,
      "agreed_round": 7 | null, "agreed_date": "..." | null,
      "walked_out": "RU" | null,
      "final_utilities": {"UA": 0.61, ...},    # agreement, or walk-away point at breakdown
      "nash": {"package": {...}, "utilities": {...}} | null,
      "nash_distance": {"utility": 0.08, "issues": 2} | null,
      "trace": [{"round": 0, "turn": 0, "proposer": "UA", "date": ... | null,
                 "package": {issue: option}, "options": [0, 3, ...],
                 "utilities": {"UA": 1.0, ...}, "accepted_by": ["UA", "RU"]}, ...]
    }
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


def _round(x: float) -> float:
    return round(float(x), 6)


def _utilities(values: dict[str, float]) -> dict[str, float]:
    return {p: _round(v) for p, v in values.items()}


@dataclass(frozen=True)
class Offer:
    """One offer of the trace.

    Attributes
    ----------
    round, turn
        When it was made (turn: position of the proposer in the round's order).
    proposer
        Who made it.
    options
        The package as option indices, one per issue.
    package
        The package as ``{issue: option}``.
    utilities
        Every party's utility of the package.
    date
        The round's date, when the schedule is dated.
    accepted_by
        The parties that accepted it while it stood (the proposer first).
    """

    round: int
    turn: int
    proposer: str
    options: tuple[int, ...]
    package: dict[str, str]
    utilities: dict[str, float]
    date: dt.date | None = None
    accepted_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "round": self.round,
            "turn": self.turn,
            "proposer": self.proposer,
            "date": None if self.date is None else self.date.isoformat(),
            "package": dict(self.package),
            "options": list(self.options),
            "utilities": _utilities(self.utilities),
            "accepted_by": list(self.accepted_by),
        }


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of one simulated negotiation.

    Attributes
    ----------
    parties
        Parties with preferences, in scenario order.
    bargainers
        The parties whose consent every package needs (the Nash distance is measured over them).
    order
        Turn order within each round.
    strategies
        Each party's strategy.
    rounds
        Rounds before the deadline.
    dates
        Each round's date, or None.
    walk_away
        Each party's walk-away point per round (the schedule).
    outcome
        ``agreement``, ``deadline`` (no agreement by the last round) or ``walk-out`` (a party
        every package needs left the talks: its walk-away point exceeded its best utility).
    trace
        The offers in order.
    agreement
        The agreed package, or None.
    agreement_options
        Its option indices, or None.
    agreed_round
        The round of agreement, or None.
    walked_out
        The party that walked out, or None.
    final_utilities
        Utility of the agreed package, or on breakdown each party's walk-away point in the round
        the talks ended.
    nash
        A Nash bargaining package over the packages acceptable under the round-0 walk-away points
        (:mod:`zopa.space.solutions`), or None when none is acceptable.
    nash_utilities
        Its utilities, or None.
    nash_distance
        Euclidean distance in utility over the bargainers between the agreement and the Nash
        package, or None (no agreement or no Nash package).
    issues_from_nash
        Number of issues on which the agreement differs from the Nash package, or None.
    scenario
        The scenario stamp (:func:`zopa.space.analysis.scenario_stamp`), when run from one.
    seed
        The seed of the tie-breaking order, when one was given as an integer.
    """

    parties: tuple[str, ...]
    bargainers: tuple[str, ...]
    order: tuple[str, ...]
    strategies: dict[str, str]
    rounds: int
    dates: tuple[dt.date, ...] | None
    walk_away: dict[str, tuple[float, ...]]
    outcome: str
    trace: list[Offer]
    agreement: dict[str, str] | None
    agreement_options: tuple[int, ...] | None
    agreed_round: int | None
    walked_out: str | None
    final_utilities: dict[str, float]
    nash: dict[str, str] | None
    nash_utilities: dict[str, float] | None
    nash_distance: float | None
    issues_from_nash: int | None
    scenario: dict[str, str | None] | None = None
    seed: int | None = None

    @property
    def agreed(self) -> bool:
        """Whether the talks ended in agreement."""
        return self.agreement is not None

    @property
    def agreed_date(self) -> dt.date | None:
        """The date of the agreement, when the schedule is dated."""
        if self.agreed_round is None or self.dates is None:
            return None
        return self.dates[self.agreed_round]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (see the module docstring)."""
        agreed_date = self.agreed_date
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "parties": list(self.parties),
            "bargainers": list(self.bargainers),
            "order": list(self.order),
            "strategies": dict(self.strategies),
            "rounds": self.rounds,
            "dates": None if self.dates is None else [d.isoformat() for d in self.dates],
            "walk_away": {p: [_round(v) for v in vs] for p, vs in self.walk_away.items()},
            "outcome": self.outcome,
            "agreement": None if self.agreement is None else dict(self.agreement),
            "agreed_round": self.agreed_round,
            "agreed_date": None if agreed_date is None else agreed_date.isoformat(),
            "walked_out": self.walked_out,
            "final_utilities": _utilities(self.final_utilities),
            "nash": None
            if self.nash is None or self.nash_utilities is None
            else {"package": dict(self.nash), "utilities": _utilities(self.nash_utilities)},
            "nash_distance": None
            if self.nash_distance is None or self.issues_from_nash is None
            else {"utility": _round(self.nash_distance), "issues": self.issues_from_nash},
            "trace": [o.to_dict() for o in self.trace],
        }


@dataclass(frozen=True)
class ProfileStats:
    """How one strategy profile fared over the samples of a tournament.

    Attributes
    ----------
    profile
        Every party's strategy.
    negotiations, agreements
        Negotiations played (one per sample) and how many ended in agreement.
    mean_utility
        Each party's final utility (agreed package, or walk-away point at breakdown), averaged
        over all negotiations.
    mean_rounds
        Mean number of rounds played up to and including the round of agreement, over
        agreements (None without any): a count, one more than :attr:`mean_agreed_round`.
    mean_nash_distance
        Mean Euclidean distance in utility over the bargainers between the agreement and its
        sample's Nash package, over agreements (None without any).
    """

    profile: dict[str, str]
    negotiations: int
    agreements: int
    mean_utility: dict[str, float]
    mean_rounds: float | None
    mean_nash_distance: float | None

    @property
    def agreement_rate(self) -> float:
        """Share of negotiations that ended in agreement."""
        return self.agreements / self.negotiations if self.negotiations else 0.0

    @property
    def mean_agreed_round(self) -> float | None:
        """Mean round of agreement, numbered as everywhere else (round 0 is the first round).

        The same numbering as :attr:`SimulationResult.agreed_round`, the trace's ``round`` and a
        ``dynamics:`` shift's ``round``; None without any agreement.
        """
        return None if self.mean_rounds is None else self.mean_rounds - 1

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        agreed_round = self.mean_agreed_round
        return {
            "profile": dict(self.profile),
            "negotiations": self.negotiations,
            "agreements": self.agreements,
            "agreement_rate": _round(self.agreement_rate),
            "mean_utility": _utilities(self.mean_utility),
            "mean_rounds": None if self.mean_rounds is None else _round(self.mean_rounds),
            "mean_agreed_round": None if agreed_round is None else _round(agreed_round),
            "mean_nash_distance": None
            if self.mean_nash_distance is None
            else _round(self.mean_nash_distance),
        }


@dataclass(frozen=True)
class StrategyStats:
    """One varied party's results with one strategy, over every profile where it plays it."""

    party: str
    strategy: str
    negotiations: int
    agreements: int
    mean_utility: float

    @property
    def agreement_rate(self) -> float:
        """Share of negotiations that ended in agreement."""
        return self.agreements / self.negotiations if self.negotiations else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "party": self.party,
            "strategy": self.strategy,
            "negotiations": self.negotiations,
            "agreement_rate": _round(self.agreement_rate),
            "mean_utility": _round(self.mean_utility),
        }


@dataclass(frozen=True)
class TournamentResult:
    """Every strategy profile's results over sampled inputs.

    JSON (``zopa tournament --format json``)::

        {"scenario": {...}, "samples": 47, "seed": 0, "inputs": 170, "rounds": [16],
         "parties": [...], "varied": ["UA", "RU", "EU"], "strategies": [...],
         "default": "linear", "negotiations": 10152,
         "profiles": [{"profile": {...}, "negotiations": 47, "agreements": 30,
                       "agreement_rate": 0.64, "mean_utility": {...}, "mean_rounds": 9.1,
                       "mean_agreed_round": 8.1, "mean_nash_distance": 0.12}, ...],
         "by_strategy": [{"party": "UA", "strategy": "boulware", "negotiations": 1692,
                          "agreement_rate": 0.3, "mean_utility": 0.52}, ...]}

    Attributes
    ----------
    scenario
        The scenario stamp.
    samples, seed, inputs
        Samples drawn, the seed, and how many uncertain inputs vary.
    rounds
        The distinct numbers of rounds of the samples' schedules.
    parties, varied
        All parties with preferences, and those whose strategy varies.
    strategies, default
        The strategies combined, and the strategy of the other parties.
    profiles
        One entry per profile, in :func:`zopa.simulate.tournament.strategy_profiles` order.
    by_strategy
        Per varied party and strategy, averaged over the other parties' strategies.
    """

    scenario: dict[str, str | None] | None
    samples: int
    seed: int | None
    inputs: int
    rounds: list[int]
    parties: tuple[str, ...]
    varied: tuple[str, ...]
    strategies: tuple[str, ...]
    default: str
    profiles: list[ProfileStats]
    by_strategy: list[StrategyStats]

    @property
    def negotiations(self) -> int:
        """Negotiations played in all."""
        return sum(p.negotiations for p in self.profiles)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "inputs": self.inputs,
            "rounds": list(self.rounds),
            "parties": list(self.parties),
            "varied": list(self.varied),
            "strategies": list(self.strategies),
            "default": self.default,
            "negotiations": self.negotiations,
            "profiles": [p.to_dict() for p in self.profiles],
            "by_strategy": [s.to_dict() for s in self.by_strategy],
        }
