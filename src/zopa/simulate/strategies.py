"""Negotiation strategies: how a party's aspiration moves from round to round.

A strategy decides one number per turn, the party's *aspiration*: the least utility it will
accept, and the utility it demands for itself when it makes an offer. The offer itself is chosen
by the common offer policy of :mod:`zopa.simulate.offers` (the package the other needed parties
like best among those giving the party at least its aspiration), and the protocol of
:mod:`zopa.simulate.protocol` applies the acceptance rule (accept the standing offer when it
reaches the aspiration and the walk-away point). Utilities and aspirations live on the exact
integer grid of :mod:`zopa.space.exact`.

Strategies (names as used on the command line and in :class:`StrategyProfile`):

``boulware``, ``linear``, ``conceder``
    Time-dependent tactics of Faratin, Sierra & Jennings (1998), "Negotiation decision
    functions for autonomous agents", Robotics and Autonomous Systems 24(3–4):
    ``a(t) = u_max − (u_max − r(t)) · F(t)``, ``F(t) = k + (1 − k) (t / T)^(1/e)``, with
    ``u_max`` the party's best utility over all packages, ``r(t)`` its walk-away point in round
    ``t``, ``T`` the last round and ``k = 0`` (the opening demand is the party's best package).
    ``e = 0.2`` (Boulware: holds firm until close to the deadline), ``e = 1`` (linear), ``e = 5``
    (conceder: gives ground early). At the last round ``F = 1``: the party will accept anything
    at its walk-away point.
``tft-relative``, ``tft-absolute``
    Behaviour-dependent (imitative, tit-for-tat) tactics of Faratin et al. (1998), with a window
    of one step: the party reproduces its opponents' last concession, in proportion (relative: Faratin's
    ``x_a(t+1) = x_b(t−2)/x_b(t) · x_a(t−1)``) or in amount (absolute: ``x_a(t+1) = x_a(t−1) +
    x_b(t−2) − x_b(t)``). Faratin et al. state the rule per issue for two agents; here it acts
    on utilities and is generalised to many parties as follows (an analyst's choice, see
    :func:`tit_for_tat`): the opponents' position, seen from party ``p``, is the **mean of p's
    utility over the latest offer of each other party that has made one**, and their
    concession is the rise of that mean between two of p's turns. Measuring the concession in
    the party's own utility needs no model of the opponents' preferences; taking the mean
    reciprocates every opponent's concession in proportion to its size, where the least would
    let one unmoving party freeze everybody and the most would reward the softest party for the
    others. With two parties all three coincide with bilateral tit-for-tat. The aspiration
    starts at ``u_max`` and moves within ``[0, u_max]`` (it rises again when opponents
    retract); the walk-away point ``r(t)`` is a floor on the aspiration used in each round, not
    a change of the tactic's state, so a walk-away point that rises and falls again does not
    ratchet the demand up.
``hardliner``
    Never concedes: its aspiration is its best utility ``u_max`` throughout, so it proposes a
    package at its best and accepts only such packages. It is the Boulware limit ``e → 0`` of
    Faratin et al.'s (1998) time-dependent family without the final concession at the deadline,
    the usual "take it or leave it" baseline of automated-negotiation studies.

A :class:`StrategyProfile` gives each party its strategy for one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

STRATEGIES: tuple[str, ...] = (
    "boulware",
    "linear",
    "conceder",
    "tft-relative",
    "tft-absolute",
    "hardliner",
)
"""Every strategy name, in a fixed order (their codes in the batched engine are indices here)."""

CONCESSION_EXPONENTS: dict[str, float] = {"boulware": 0.2, "linear": 1.0, "conceder": 5.0}
"""The exponent ``e`` of each time-dependent tactic (Faratin et al. 1998)."""

TIME_DEPENDENT = tuple(CONCESSION_EXPONENTS)
DEFAULT_STRATEGY = "linear"
"""The strategy of a party a profile or tournament does not name."""

CODE = {name: i for i, name in enumerate(STRATEGIES)}
"""Strategy name to its integer code in the batched engine."""


def check_strategy(name: str) -> str:
    """Return ``name`` if it is a known strategy.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    if name not in CODE:
        raise ValueError(f"unknown strategy {name!r} (expected one of: {', '.join(STRATEGIES)})")
    return name


def concession_fraction(t: ArrayLike, rounds: int, e: float, k: float = 0.0) -> NDArray[np.float64]:
    """Return Faratin et al.'s ``F(t) = k + (1 − k) (t / T)^(1/e)`` for rounds ``t``.

    Parameters
    ----------
    t
        Round indices ``0 … rounds − 1``.
    rounds
        Rounds before the deadline; ``T = rounds − 1`` is the last round (with a single round,
        ``t / T`` is taken as 1: the only round is the last).
    e
        Concession exponent: ``e < 1`` Boulware, ``e = 1`` linear, ``e > 1`` conceder.
    k
        Share of the range conceded at the start (0: open at the best package).

    Returns
    -------
    numpy.ndarray
        Values in ``[k, 1]``, rising from ``k`` at ``t = 0`` to 1 at ``t = T``.

    Notes
    -----
    The polynomial family of time-dependent decision functions of Faratin, Sierra & Jennings
    (1998), "Negotiation decision functions for autonomous agents", Robotics and Autonomous
    Systems 24.
    """
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    if e <= 0:
        raise ValueError("the concession exponent e must be positive")
    tau = np.asarray(t, dtype=np.float64) / (rounds - 1) if rounds > 1 else np.ones_like(t, float)
    tau = np.clip(tau, 0.0, 1.0)
    return np.asarray(k + (1.0 - k) * tau ** (1.0 / e), dtype=np.float64)


def time_dependent_aspiration(
    t: ArrayLike,
    rounds: int,
    best: ArrayLike,
    reservation: ArrayLike,
    e: float,
    k: float = 0.0,
) -> NDArray[np.float64]:
    """Return the aspiration ``u_max − (u_max − r(t)) · F(t)`` of a time-dependent tactic.

    Parameters
    ----------
    t, rounds, e, k
        As in :func:`concession_fraction`.
    best
        ``u_max``: the party's best utility over all packages.
    reservation
        ``r(t)``: its walk-away point in round ``t`` (broadcast against ``t``).

    Returns
    -------
    numpy.ndarray
        The aspiration per round (any units: floats in [0, 1] or grid integers as floats).

    Notes
    -----
    Time-dependent tactics of Faratin, Sierra & Jennings (1998), with the party's best utility and its (drifting)
    walk-away point as the two ends of its range, so that a falling walk-away point (the cost of
    war) lowers the whole concession curve.

    Examples
    --------
    >>> from zopa.simulate.strategies import time_dependent_aspiration
    >>> [round(float(a), 3) for a in time_dependent_aspiration([0, 5, 10], 11, 1.0, 0.4, 1.0)]
    [1.0, 0.7, 0.4]
    """
    f = concession_fraction(t, rounds, e, k)
    u = np.asarray(best, dtype=np.float64)
    r = np.asarray(reservation, dtype=np.float64)
    return np.asarray(u - (u - r) * f, dtype=np.float64)


def concession_curve(
    strategy: str, rounds: int, best: float, reservation: ArrayLike
) -> NDArray[np.float64]:
    """Return the aspiration of a strategy in every round, when it does not depend on opponents.

    Parameters
    ----------
    strategy
        ``boulware``, ``linear``, ``conceder`` or ``hardliner`` (the tit-for-tat tactics react to
        the other parties' offers and have no curve of their own).
    rounds
        Rounds before the deadline.
    best
        The party's best utility.
    reservation
        Its walk-away point, a number or one per round.

    Returns
    -------
    numpy.ndarray
        ``(rounds,)`` aspirations (never below the walk-away point of the round).

    Raises
    ------
    ValueError
        For a tit-for-tat or unknown strategy.
    """
    check_strategy(strategy)
    r = np.broadcast_to(np.asarray(reservation, dtype=np.float64), (rounds,))
    if strategy == "hardliner":
        return np.asarray(np.maximum(np.full(rounds, float(best)), r), dtype=np.float64)
    if strategy not in CONCESSION_EXPONENTS:
        raise ValueError(f"{strategy} reacts to the other parties' offers: it has no fixed curve")
    a = time_dependent_aspiration(
        np.arange(rounds), rounds, best, r, CONCESSION_EXPONENTS[strategy]
    )
    return np.maximum(a, r)


def tit_for_tat(
    aspiration: ArrayLike,
    before: ArrayLike,
    now: ArrayLike,
    *,
    relative: bool,
) -> NDArray[np.float64]:
    """Return the aspiration after reciprocating the opponents' last concession.

    Parameters
    ----------
    aspiration
        The party's current aspiration (its utility demand).
    before, now
        The opponents' position seen from the party (the mean of its utility over their latest
        offers) at its previous turn and now; their concession is ``now − before``.
    relative
        Relative tit-for-tat (concede in the same proportion, ``a · before / now``; no change
        when ``now`` is 0) or absolute (concede the same amount, ``a − (now − before)``).

    Returns
    -------
    numpy.ndarray
        The new aspiration, not yet clipped (the protocol keeps it in ``[0, u_max]`` and uses
        at least the walk-away point ``r(t)``).

    Notes
    -----
    Behaviour-dependent (imitative) tactics of Faratin, Sierra & Jennings (1998), on utilities,
    with a window of one step. A retraction by the opponents (``now < before``) raises the aspiration.

    Examples
    --------
    >>> from zopa.simulate.strategies import tit_for_tat
    >>> float(tit_for_tat(0.9, 0.3, 0.4, relative=False))
    0.8
    >>> round(float(tit_for_tat(0.9, 0.3, 0.4, relative=True)), 3)
    0.675
    """
    a = np.asarray(aspiration, dtype=np.float64)
    b = np.asarray(before, dtype=np.float64)
    n = np.asarray(now, dtype=np.float64)
    if not relative:
        return np.asarray(a - (n - b), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(n > 0, a * b / np.where(n > 0, n, 1.0), a), dtype=np.float64)


@dataclass(frozen=True)
class StrategyProfile:
    """Each party's strategy for one run.

    Attributes
    ----------
    strategies
        Party id to strategy name; parties not named play ``default``.
    default
        The strategy of every party not named.
    """

    strategies: Mapping[str, str] = field(default_factory=dict)
    default: str = DEFAULT_STRATEGY

    def __post_init__(self) -> None:
        check_strategy(self.default)
        for name in self.strategies.values():
            check_strategy(name)
        object.__setattr__(self, "strategies", dict(self.strategies))

    @classmethod
    def parse(cls, text: str, default: str = DEFAULT_STRATEGY) -> StrategyProfile:
        """Read ``"UA=boulware,RU=hardliner"`` (a bare name sets the default for everyone).

        Raises
        ------
        ValueError
            For an unknown strategy or a malformed item.
        """
        named: dict[str, str] = {}
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            if "=" not in item:
                default = check_strategy(item)
                continue
            party, _, name = (s.strip() for s in item.partition("="))
            if not party:
                raise ValueError(f"no party before '=' in {item!r}")
            named[party] = check_strategy(name)
        return cls(named, default)

    def of(self, party: str) -> str:
        """Return the strategy of ``party``."""
        return self.strategies.get(party, self.default)

    def check_parties(self, parties: Iterable[str]) -> None:
        """Raise ValueError when the profile names a party that is not among ``parties``."""
        known = set(parties)
        unknown = [p for p in self.strategies if p not in known]
        if unknown:
            raise ValueError(
                f"strategy given for unknown part{'ies' if len(unknown) > 1 else 'y'} "
                f"{', '.join(unknown)} (parties with preferences: {', '.join(sorted(known))})"
            )

    def codes(self, parties: Iterable[str]) -> NDArray[np.int8]:
        """Return the strategy code of each party, in the given order."""
        return np.array([CODE[self.of(p)] for p in parties], dtype=np.int8)

    def resolved(self, parties: Iterable[str]) -> dict[str, str]:
        """Return every party's strategy, defaults filled in."""
        return {p: self.of(p) for p in parties}

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"strategies": dict(self.strategies), "default": self.default}
