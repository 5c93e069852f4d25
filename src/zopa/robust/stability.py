"""How robust is strategic stability? Equilibria over uncertain preferences, and what they hinge on.

A decision maker of a strategic model may give *alternatives* to its main preferences (other
rankings or prioritizations, each with a weight: :mod:`zopa.model.strategic`). Decision makers
vary independently, each taking one of its preference orders with probability weight over
total; a *profile* is one order per decision maker. For every profile the model is analysed as
``zopa stability`` analyses it (Nash or R, GMR, SMR and SEQ: Fang, Hipel & Kilgour 1993,
*Interactive Decision Making: The Graph Model for Conflict Resolution*, ch. 3–4), and reported
per feasible state is the probability that it is an equilibrium under each concept:

* **exactly**, when there are at most ``samples`` distinct profiles: every profile is analysed
  and weighted by its probability (the product of its orders' probabilities);
* else by **Monte Carlo**: ``samples`` profiles are drawn in chunks seeded from one
  ``SeedSequence`` (:func:`zopa.robust.sampling.chunk_plan`); each distinct profile drawn is
  analysed once and counted as often as it was drawn.

**What a verdict hinges on.** For a state and concept whose probability ``p`` lies strictly
between 0 and 1, and for each decision maker ``d`` with alternatives: the probability of the
verdict *given* each of ``d``'s orders, ``p_k = P(equilibrium | d has order k)``. Reported are
the decision makers whose choice moves it, ranked by their *swing*, ``max_k p_k − min_k p_k``
(1: the verdict holds under one of ``d``'s orders and fails under another, whatever the others
do; 0: ``d``'s order does not matter), with their *explained share*, the first-order
variance-based sensitivity index ``Var_k(p_k) / (p (1 − p))`` (Sobol' 1993, "Sensitivity estimates
for nonlinear mathematical models", Math. Modeling Comput. Experiment 1(4); Saltelli et al. 2008,
*Global Sensitivity Analysis: The Primer*, ch. 1): the share of the verdict's variance that
knowing ``d``'s order removes.

**Method.** Under R, GMR and SMR, whether a state is stable for decision maker ``i`` depends on
``i``'s preferences and on everyone's moves, never on the opponents' preferences (their
sanctions may be any moves; Fang et al. 1993, ch. 4). Those verdicts are computed once per
order of each decision maker; only SEQ, whose sanctions are the opponents' unilateral
*improvements*, is computed per profile (and only when the profile has a GMR equilibrium, since
SEQ ⊆ GMR). Work runs in fixed batches of distinct
profiles through :func:`zopa.robust.executors.run_chunks`, whose results are summed in batch
order, so serial, process-pool and Dask runs give identical numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from zopa.gmcr.compile import UncertainGame, compile_uncertain
from zopa.gmcr.stability import CONCEPTS, analyse_stability
from zopa.robust.executors import run_chunks
from zopa.robust.sampling import chunk_plan

if TYPE_CHECKING:
    from zopa.model.strategic import StrategicModel

CHUNK = 250
"""Monte Carlo draws per seeded chunk."""

BATCH = 64
"""Distinct profiles per task."""

OWN = ("R", "GMR", "SMR")
"""Concepts under which a decision maker's stability depends on its own preferences only."""

ORDER = (*OWN, "SEQ")
"""The concepts in the order the arrays hold them (the order of :data:`CONCEPTS`)."""

SWING_TOLERANCE = 1e-9
"""Conditional probabilities closer than this count as equal (a decision maker does not matter)."""

if ORDER != CONCEPTS:  # pragma: no cover - guards a change of the engine's concepts
    raise ImportError(f"zopa.robust.stability expects the concepts {ORDER}, got {CONCEPTS}")


# -- the work: batches of distinct profiles ----------------------------------------------------


@dataclass(frozen=True)
class _Task:
    game: UncertainGame
    own: tuple[NDArray[np.bool_], ...]  # per slot (decision maker, order): (3, F) R/GMR/SMR
    offsets: tuple[int, ...]  # first slot of each decision maker
    profiles: NDArray[np.int64]  # (m, n_dms) order indices
    weights: NDArray[np.float64]  # (m,) probabilities, or counts of draws


@dataclass(frozen=True)
class _Tally:
    """Per slot (one decision maker's one order), over the profiles in which it is chosen.

    ``weight``: their total weight; ``holds``: ``(C, F)`` weight of those in which each state is
    an equilibrium under each concept; ``some`` / ``every``: whether it is in some / every one.
    """

    weight: NDArray[np.float64]
    holds: NDArray[np.float64]
    some: NDArray[np.bool_]
    every: NDArray[np.bool_]
    profiles: int

    def plus(self, other: _Tally) -> _Tally:
        """Combine two tallies (of disjoint sets of profiles)."""
        return _Tally(
            self.weight + other.weight,
            self.holds + other.holds,
            self.some | other.some,
            self.every & other.every,
            self.profiles + other.profiles,
        )


def _empty(slots: int, states: int, profiles: int = 0) -> _Tally:
    shape = (slots, len(ORDER), states)
    return _Tally(
        np.zeros(slots),
        np.zeros(shape),
        np.zeros(shape, dtype=bool),
        np.ones(shape, dtype=bool),
        profiles,
    )


def _evaluate(task: _Task) -> _Tally:
    """Equilibria of every profile of a batch, tallied per decision maker's order."""
    ug = task.game
    codes = ug.game.feasible_codes()
    tally = _empty(len(task.own), codes.size, len(task.profiles))
    eq = np.empty((len(ORDER), codes.size), dtype=bool)
    for profile, w in zip(task.profiles, task.weights, strict=True):
        slots = [task.offsets[d] + int(k) for d, k in enumerate(profile)]
        np.logical_and.reduce([task.own[s] for s in slots], out=eq[: len(OWN)])
        if eq[: len(OWN)].any():  # SEQ ⊆ GMR: no GMR equilibrium, no SEQ equilibrium
            seq = analyse_stability(ug.with_profile(profile), ("SEQ",)).stable["SEQ"]
            eq[len(OWN)] = seq[:, codes].all(axis=0)
        else:
            eq[len(OWN)] = False
        for s in slots:
            tally.weight[s] += w
            tally.holds[s] += w * eq
            tally.some[s] |= eq
            tally.every[s] &= eq
    return tally


def _own_stability(ug: UncertainGame) -> tuple[NDArray[np.bool_], ...]:
    """Per slot: whether each feasible state is R-, GMR- and SMR-stable for that DM and order."""
    counts = [len(o) for o in ug.orders]
    codes = ug.game.feasible_codes()
    rows: dict[tuple[int, int], NDArray[np.bool_]] = {}
    for k in range(max(counts)):
        profile = [min(k, c - 1) for c in counts]
        stable = analyse_stability(ug.with_profile(profile), OWN).stable
        for d, c in enumerate(counts):
            if k < c:
                rows[d, k] = np.stack([stable[concept][d][codes] for concept in OWN])
    return tuple(rows[d, k] for d, c in enumerate(counts) for k in range(c))


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderChoice:
    """One of a decision maker's preference orders, with its probability."""

    id: str
    probability: float
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"id": self.id, "probability": round(self.probability, 6), "basis": self.basis}


@dataclass(frozen=True)
class Hinge:
    """How much a verdict depends on which preferences one decision maker has.

    Attributes
    ----------
    decision_maker
        Its id.
    given
        Per order id (``main`` first): the probability of the verdict given that order, or
        None for an order never drawn (Monte Carlo).
    swing
        ``max − min`` of ``given``: 1 when the verdict holds under one order and fails under
        another whatever the other decision makers' orders.
    explained
        The first-order sensitivity index: the share of the verdict's variance due to this
        decision maker's order, ``Σ_k P(k) (given_k − p)² / (p (1 − p))``.
    """

    decision_maker: str
    given: dict[str, float | None]
    swing: float
    explained: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "decision_maker": self.decision_maker,
            "swing": round(self.swing, 6),
            "explained": round(self.explained, 6),
            "given": {k: None if v is None else round(v, 6) for k, v in self.given.items()},
        }


@dataclass(frozen=True)
class StateRobustness:
    """How often one feasible state is an equilibrium, and what that hinges on.

    Attributes
    ----------
    id, code, options
        The state's GMCR number, code and option vector.
    names
        Its names in the model's ``states``.
    status_quo
        Whether it is the status quo.
    p_equilibrium
        Per concept (``R``, ``GMR``, ``SMR``, ``SEQ``): the probability that it is an equilibrium.
    hinges
        Per concept whose probability is strictly between 0 and 1: the decision makers whose
        order moves the verdict, largest swing first.
    """

    id: int
    code: int
    options: str
    names: tuple[str, ...]
    status_quo: bool
    p_equilibrium: dict[str, float]
    hinges: dict[str, list[Hinge]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "id": self.id,
            "options": self.options,
            "names": list(self.names),
            "status_quo": self.status_quo,
            "p_equilibrium": {c: round(p, 6) for c, p in self.p_equilibrium.items()},
            "hinges": {c: [h.to_dict() for h in hs] for c, hs in self.hinges.items()},
        }


@dataclass(frozen=True)
class RobustStability:
    """How often each feasible state is an equilibrium under each concept.

    Attributes
    ----------
    samples, seed
        The sample budget and seed asked for.
    exact
        True when every profile was enumerated and weighted by its probability.
    profiles
        The number of distinct profiles (the product of the numbers of orders).
    draws
        Monte Carlo draws (0 when exact).
    evaluated
        Distinct profiles analysed.
    concepts
        The concepts, in order.
    orders
        Per decision maker: its orders (``main`` first) and their probabilities.
    states
        Every feasible state, by GMCR number.
    status_quo
        The status quo's state number, if the model gives one.
    """

    samples: int
    seed: int | None
    exact: bool
    profiles: int
    draws: int
    evaluated: int
    concepts: tuple[str, ...]
    orders: dict[str, list[OrderChoice]]
    states: list[StateRobustness]
    status_quo: int | None = None

    def state(self, ref: int | str) -> StateRobustness:
        """Return a state by GMCR number, option vector or name.

        Raises
        ------
        KeyError
            When no feasible state matches.
        """
        for s in self.states:
            if ref == s.id or ref == s.options or (isinstance(ref, str) and ref in s.names):
                return s
        raise KeyError(f"no feasible state {ref!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON document (see the README, *Robust stability*)."""
        sq = self.state(self.status_quo) if self.status_quo is not None else None
        return {
            "samples": self.samples,
            "seed": self.seed,
            "exact": self.exact,
            "profiles": self.profiles,
            "draws": self.draws,
            "evaluated": self.evaluated,
            "concepts": list(self.concepts),
            "decision_makers": {
                dm: [o.to_dict() for o in orders] for dm, orders in self.orders.items()
            },
            "states": [s.to_dict() for s in self.states],
            "status_quo": None
            if sq is None
            else {
                "id": sq.id,
                "options": sq.options,
                "p_equilibrium": {c: round(p, 6) for c, p in sq.p_equilibrium.items()},
            },
        }


# -- the analysis ------------------------------------------------------------------------------


def _profiles(
    ug: UncertainGame, samples: int, seed: int | None
) -> tuple[bool, NDArray[np.int64], NDArray[np.float64], int]:
    """The distinct profiles to analyse with their weights: (exact, profiles, weights, draws)."""
    counts = tuple(len(o) for o in ug.orders)
    total = math.prod(counts)
    if total <= samples:
        grid = np.unravel_index(np.arange(total), counts)
        profiles = np.stack(grid, axis=1).astype(np.int64)
        weights = np.ones(total)
        for d in range(len(counts)):
            weights = weights * ug.probabilities(d)[profiles[:, d]]
        return True, profiles, weights, 0
    parts = []
    for chunk in chunk_plan(samples, CHUNK, seed):
        rng = np.random.default_rng(chunk.seed)
        drawn = np.zeros((chunk.count, len(counts)), dtype=np.int64)
        for d, c in enumerate(counts):
            if c > 1:
                drawn[:, d] = rng.choice(c, size=chunk.count, p=ug.probabilities(d))
        parts.append(drawn)
    distinct, times = np.unique(np.concatenate(parts), axis=0, return_counts=True)
    return False, distinct.astype(np.int64), times.astype(np.float64), samples


def robust_stability(
    model: StrategicModel,
    *,
    samples: int = 10_000,
    seed: int | None = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RobustStability:
    """How often each state is an equilibrium when preferences are uncertain.

    Parameters
    ----------
    model
        A strategic model (its decision makers' ``alternatives`` give the uncertainty; without
        any, every probability is 0 or 1 and the result is ``zopa stability``'s).
    samples
        Enumerate every profile when there are at most this many, else draw this many.
    seed
        The seed of the Monte Carlo draws (unused when exact).
    workers
        1 for serial, more for a local process pool; results do not depend on it.
    scheduler
        A Dask scheduler address or ``local`` (see :func:`zopa.robust.executors.run_chunks`).
    progress
        Called with (profiles analysed, profiles in all) as batches finish when exact; with
        (draws analysed, draws in all) otherwise.

    Returns
    -------
    RobustStability

    Raises
    ------
    ValueError
        For an invalid model, or fewer than one sample.
    KeyboardInterrupt
        On Ctrl-C, with ``.samples_done`` (the draws, or profiles when exact, of the batches
        finished in order).
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    ug = compile_uncertain(model)
    game = ug.game
    counts = [len(o) for o in ug.orders]
    offsets = tuple(int(x) for x in np.cumsum([0, *counts[:-1]]))
    exact, profiles, weights, draws = _profiles(ug, samples, seed)
    own = _own_stability(ug)
    tasks = [
        _Task(ug, own, offsets, profiles[i : i + BATCH], weights[i : i + BATCH])
        for i in range(0, len(profiles), BATCH)
    ]
    # a batch stands for its profiles when exact, for the draws of its profiles otherwise
    sizes = [len(task.profiles) if exact else int(task.weights.sum()) for task in tasks]
    parts = run_chunks(
        _evaluate, tasks, workers, scheduler=scheduler, progress=progress, sizes=sizes
    )
    codes = game.feasible_codes()
    tally = _empty(len(own), codes.size)
    for part in parts:
        tally = tally.plus(part)
    return RobustStability(
        samples=samples,
        seed=seed,
        exact=exact,
        profiles=ug.n_profiles,
        draws=draws,
        evaluated=len(profiles),
        concepts=ORDER,
        orders={
            dm: [OrderChoice(o.id, o.probability, o.basis) for o in orders]
            for dm, orders in zip(game.dms, ug.orders, strict=True)
        },
        states=_states(ug, tally, offsets),
        status_quo=game.state_number(game.status_quo) if game.status_quo is not None else None,
    )


def _conditional(tally: _Tally, slots: slice) -> NDArray[np.float64]:
    """``(K, C, F)`` probabilities of the verdicts given each order (NaN for undrawn orders)."""
    weight = tally.weight[slots][:, None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.clip(tally.holds[slots] / weight, 0.0, 1.0)
    p = np.where(tally.every[slots], 1.0, np.where(tally.some[slots], p, 0.0))
    return np.where(weight > 0, p, np.nan)


def _states(ug: UncertainGame, tally: _Tally, offsets: tuple[int, ...]) -> list[StateRobustness]:
    game = ug.game
    codes = game.feasible_codes()
    # the overall verdicts, from the first decision maker's slots (they partition the profiles);
    # summed in the same order as the weights, so that holds <= total and R <= SEQ <= GMR hold
    first = range(offsets[0], offsets[0] + len(ug.orders[0]))
    always = tally.every[first[0] : first[-1] + 1].all(axis=0)
    never = ~tally.some[first[0] : first[-1] + 1].any(axis=0)
    holds = np.zeros(always.shape)
    total = 0.0
    for k in first:
        holds = holds + tally.holds[k]
        total += float(tally.weight[k])
    p = np.where(always, 1.0, np.where(never, 0.0, np.clip(holds / total, 0.0, 1.0)))
    uncertain = ~always & ~never
    given = [
        _conditional(tally, slice(offsets[d], offsets[d] + len(orders)))
        for d, orders in enumerate(ug.orders)
    ]
    shares = [
        tally.weight[offsets[d] : offsets[d] + len(o)] / total for d, o in enumerate(ug.orders)
    ]
    hinges: dict[tuple[int, int], list[Hinge]] = {}
    for c, f in zip(*np.nonzero(uncertain), strict=True):
        found = []
        for d, orders in enumerate(ug.orders):
            if len(orders) < 2:
                continue
            values = given[d][:, c, f]
            seen = ~np.isnan(values)
            if seen.sum() < 2:
                continue
            swing = float(values[seen].max() - values[seen].min())
            if swing <= SWING_TOLERANCE:
                continue
            q = float(p[c, f])
            spread = float(np.sum(shares[d][seen] * (values[seen] - q) ** 2))
            explained = spread / (q * (1 - q)) if 0 < q < 1 else 0.0
            found.append(
                (
                    -swing,
                    -explained,
                    d,
                    Hinge(
                        game.dms[d],
                        {
                            o.id: None if np.isnan(v) else float(v)
                            for o, v in zip(orders, values, strict=True)
                        },
                        swing,
                        min(1.0, explained),
                    ),
                )
            )
        found.sort(key=lambda item: item[:3])
        hinges[int(c), int(f)] = [item[3] for item in found]
    names: dict[int, list[str]] = {}
    for name, code in game.named.items():
        names.setdefault(code, []).append(name)
    out = []
    for f, code in enumerate(codes):
        code = int(code)
        out.append(
            StateRobustness(
                id=f + 1,
                code=code,
                options=game.vector(code),
                names=tuple(names.get(code, ())),
                status_quo=code == game.status_quo,
                p_equilibrium={concept: float(p[c, f]) for c, concept in enumerate(ORDER)},
                hinges={
                    concept: hinges[c, f] for c, concept in enumerate(ORDER) if (c, f) in hinges
                },
            )
        )
    return out


__all__ = [
    "Hinge",
    "OrderChoice",
    "RobustStability",
    "StateRobustness",
    "robust_stability",
]
