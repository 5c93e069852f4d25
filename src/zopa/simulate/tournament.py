"""Tournaments: every combination of strategies, over sampled uncertain inputs.

A tournament plays the stacked alternating offers protocol (:mod:`zopa.simulate.protocol`)
once per *strategy profile* and per *sample* of the scenario's uncertain inputs, in the manner
of Axelrod's round-robin tournaments (Axelrod 1980, "Effective choice in the prisoner's
dilemma", Journal of Conflict Resolution 24(1)) with every combination of strategies across
the varied parties instead of pairings.

* **Profiles.** Every combination of ``strategies`` across the ``parties`` that vary; the other
  parties play ``default``. When no parties are named, the parties whose consent every package
  needs vary (``space.core``: in berlin-2025-12 Ukraine, Russia and the European allies, 6³ =
  216 profiles with the six strategies), and the others — parties needed only for some
  packages (guarantors, mediators) — keep the default: their strategies matter less for
  whether a deal is reached, and varying all six parties would mean 46,656 profiles.
* **Samples.** The uncertain inputs (preferences and the ``dynamics:`` section) are sampled
  with :mod:`zopa.robust.sampling` in seeded chunks (:func:`zopa.robust.sampling.chunk_plan`)
  and run by :func:`zopa.robust.executors.run_chunks` (serially, in a process pool or on Dask,
  with identical results). For each sample the scenario is compiled, its schedule built and the
  candidate packages of the offer policy computed **once**, and all profiles then run as one
  lockstep batch (:func:`zopa.simulate.protocol.run_negotiations`). Ties in the offer policy
  are broken in the candidates' fixed order, so each negotiation is exactly what
  :func:`zopa.simulate.protocol.simulate` gives on the same sample (tested).

Reported per profile (:class:`~zopa.simulate.results.ProfileStats`): the agreement rate, each
party's mean final utility (the agreed package's, or its walk-away point when talks break
down), the mean number of rounds to agreement, and the mean distance of the agreements to the
Nash package of their sample. Per varied party and strategy, the same averaged over the other
parties' strategies (:class:`~zopa.simulate.results.StrategyStats`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.robust.executors import run_chunks
from zopa.robust.sampling import (
    Chunk,
    Method,
    chunk_plan,
    draw_for,
    sample_inputs,
    uncertain_inputs,
)
from zopa.simulate.offers import candidate_packages
from zopa.simulate.protocol import nash_candidate, run_negotiations
from zopa.simulate.results import ProfileStats, StrategyStats, TournamentResult
from zopa.simulate.schedule import compile_schedule
from zopa.simulate.strategies import CODE, DEFAULT_STRATEGY, STRATEGIES, check_strategy
from zopa.space.compile import compile_scenario
from zopa.space.exact import SCALE, from_grid, to_grid

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

CHUNK = 4
"""Samples per chunk (a Berlin sample runs 216 negotiations in about 0.6 s)."""


@dataclass(frozen=True)
class _Task:
    scenario: Scenario
    codes: NDArray[np.int8]
    rounds: int | None
    perturb: float
    method: Method
    chunk: Chunk


@dataclass(frozen=True)
class _ChunkResult:
    """Per sample × profile: outcome, end round, final utilities; Nash distance (NaN if none)."""

    agreed: NDArray[np.bool_]
    end_round: NDArray[np.int64]
    final: NDArray[np.int64]
    nash_distance: NDArray[np.float64]
    rounds: NDArray[np.int64]


def _run_chunk(task: _Task) -> _ChunkResult:
    """Run every profile on every sample of one chunk."""
    s = task.scenario
    inputs = uncertain_inputs(s, perturb=task.perturb)
    rows = sample_inputs(
        inputs, task.chunk.count, np.random.default_rng(task.chunk.seed), task.method
    )
    n_profiles, n_parties = task.codes.shape
    shape = (task.chunk.count, n_profiles)
    agreed = np.zeros(shape, dtype=bool)
    end_round = np.zeros(shape, dtype=np.int64)
    final = np.zeros((*shape, n_parties), dtype=np.int64)
    distance = np.full(shape, np.nan)
    rounds = np.zeros(task.chunk.count, dtype=np.int64)
    for i, row in enumerate(rows):
        draw = draw_for(inputs, row)
        space = compile_scenario(s, draw)
        schedule = compile_schedule(s, draw, task.rounds, space=space)
        candidates = candidate_packages(space)
        run = run_negotiations(candidates, schedule, task.codes, core=space.core)
        agreed[i] = run.agreed
        end_round[i] = run.end_round
        final[i] = run.final
        rounds[i] = schedule.rounds
        if not run.agreed.any():
            continue  # no agreement to measure against the Nash package
        nash = nash_candidate(candidates, to_grid(schedule.reservation[0]), space.core)
        if nash is not None:
            gap = from_grid(
                candidates.utilities[run.package[run.agreed]] - candidates.utilities[nash]
            )
            distance[i, run.agreed] = np.sqrt((gap[:, space.core] ** 2).sum(axis=1))
    return _ChunkResult(agreed, end_round, final, distance, rounds)


def strategy_profiles(
    parties: Sequence[str],
    varied: Sequence[str],
    strategies: Sequence[str] = STRATEGIES,
    default: str = DEFAULT_STRATEGY,
) -> list[dict[str, str]]:
    """Every combination of ``strategies`` across ``varied``; other parties play ``default``.

    Profiles come in lexicographic order of the varied parties' strategies (the first varied
    party's strategy changing slowest).
    """
    for name in (*strategies, default):
        check_strategy(name)
    out = []
    for combo in itertools.product(strategies, repeat=len(varied)):
        chosen = dict(zip(varied, combo, strict=True))
        out.append({p: chosen.get(p, default) for p in parties})
    return out


def tournament(
    scenario: Scenario,
    *,
    strategies: Sequence[str] = STRATEGIES,
    parties: Sequence[str] | None = None,
    default: str = DEFAULT_STRATEGY,
    samples: int = 100,
    seed: int | None = 0,
    rounds: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    perturb: float = 0.0,
    method: Method = "random",
    chunk_size: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> TournamentResult:
    """Play every strategy profile on every sample of the scenario's uncertain inputs.

    Parameters
    ----------
    scenario
        A validated scenario with issues and preferences.
    strategies
        The strategies to combine (default: all of :data:`~zopa.simulate.strategies.STRATEGIES`).
    parties
        The parties whose strategy varies; by default those whose consent every package needs.
    default
        The strategy of the parties that do not vary.
    samples, seed
        Number of samples of the uncertain inputs, and the seed of the whole run. The results
        do not depend on ``workers``, ``scheduler`` or ``chunk_size``'s execution order.
    rounds
        Rounds before the deadline; the scenario's ``dynamics:`` section (or 12) by default.
    workers, scheduler
        Executor (:func:`zopa.robust.executors.run_chunks`): 1 for serial, more for a process
        pool, a Dask scheduler address or ``local``.
    perturb, method
        Sampling options (:func:`zopa.robust.sampling.uncertain_inputs`,
        :func:`zopa.robust.sampling.sample_inputs`).
    chunk_size
        Samples per chunk. The samples drawn depend on it (each chunk has its own stream), the
        executor does not.
    progress
        Called with (samples finished, samples in all) as chunks finish.

    Returns
    -------
    TournamentResult

    Raises
    ------
    ValueError
        For an unknown party or strategy, or a scenario without an agreement space.
    KeyboardInterrupt
        On Ctrl-C, with ``.samples_done`` (the samples of the chunks finished in order).
    """
    from zopa.space.analysis import _require_issues, scenario_stamp

    _require_issues(scenario)
    base = compile_scenario(scenario)
    all_parties = list(base.parties)
    if parties is None:
        varied = [p for p, core in zip(all_parties, base.core, strict=True) if core]
    else:
        unknown = [p for p in parties if p not in all_parties]
        if unknown:
            raise ValueError(
                f"unknown part{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)} "
                f"(parties with preferences: {', '.join(all_parties)})"
            )
        varied = [p for p in all_parties if p in parties]
    chosen = list(dict.fromkeys(strategies))
    if not chosen:
        raise ValueError("a tournament needs at least one strategy")
    profiles = strategy_profiles(all_parties, varied, chosen, default)
    codes = np.array([[CODE[pr[p]] for p in all_parties] for pr in profiles], dtype=np.int8)
    plan = chunk_plan(samples, chunk_size, seed)
    tasks = [_Task(scenario, codes, rounds, perturb, method, c) for c in plan]
    parts = run_chunks(
        _run_chunk,
        tasks,
        workers,
        scheduler=scheduler,
        progress=progress,
        sizes=[c.count for c in plan],
    )
    n = len(profiles)
    if parts:
        agreed = np.concatenate([p.agreed for p in parts])
        end_round = np.concatenate([p.end_round for p in parts])
        final = np.concatenate([p.final for p in parts])
        distance = np.concatenate([p.nash_distance for p in parts])
        sample_rounds = np.concatenate([p.rounds for p in parts])
    else:
        agreed = np.zeros((0, n), dtype=bool)
        end_round = np.zeros((0, n), dtype=np.int64)
        final = np.zeros((0, n, len(all_parties)), dtype=np.int64)
        distance = np.zeros((0, n))
        sample_rounds = np.zeros(0, dtype=np.int64)
    stats = [
        _stats(profiles[k], all_parties, agreed[:, k], end_round[:, k], final[:, k], distance[:, k])
        for k in range(n)
    ]
    by_strategy = [
        _marginal(party, name, all_parties, profiles, agreed, final)
        for party in varied
        for name in chosen
    ]
    return TournamentResult(
        scenario=scenario_stamp(scenario),
        samples=samples,
        seed=seed,
        inputs=len(uncertain_inputs(scenario, perturb=perturb)),
        rounds=sorted({int(r) for r in sample_rounds}),
        parties=tuple(all_parties),
        varied=tuple(varied),
        strategies=tuple(chosen),
        default=default,
        profiles=stats,
        by_strategy=by_strategy,
    )


def _stats(
    profile: dict[str, str],
    parties: list[str],
    agreed: NDArray[np.bool_],
    end_round: NDArray[np.int64],
    final: NDArray[np.int64],
    distance: NDArray[np.float64],
) -> ProfileStats:
    count = len(agreed)
    hits = int(agreed.sum())
    # in utility units before summing: grid integers of many samples would overflow int64
    utilities = (final / SCALE).sum(axis=0) / count if count else np.zeros(len(parties))
    valid = agreed & ~np.isnan(distance)
    return ProfileStats(
        profile=profile,
        negotiations=count,
        agreements=hits,
        mean_utility={p: float(utilities[k]) for k, p in enumerate(parties)},
        mean_rounds=float((end_round[agreed] + 1).mean()) if hits else None,
        mean_nash_distance=float(distance[valid].mean()) if valid.any() else None,
    )


def _marginal(
    party: str,
    strategy: str,
    parties: list[str],
    profiles: list[dict[str, str]],
    agreed: NDArray[np.bool_],
    final: NDArray[np.int64],
) -> StrategyStats:
    columns = [k for k, pr in enumerate(profiles) if pr[party] == strategy]
    k = parties.index(party)
    hits = agreed[:, columns]
    count = hits.size
    return StrategyStats(
        party=party,
        strategy=strategy,
        negotiations=count,
        agreements=int(hits.sum()),
        mean_utility=float(final[:, columns, k].sum() / (count * SCALE)) if count else 0.0,
    )
