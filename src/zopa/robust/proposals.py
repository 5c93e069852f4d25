"""How robust is each proposal's verdict? Acceptance across sampled inputs, and what it hinges on.

For every sample of the scenario's uncertain inputs (:mod:`zopa.robust.sampling`) the scenario
is compiled with the sampled numbers and every proposal is evaluated exactly as ``zopa analyze``
evaluates it (:func:`zopa.space.analysis.evaluate_package`'s definitions: a needed party accepts
when its utility reaches its walk-away point on the exact grid). Reported per proposal:

* the probability that each needed party accepts, and that the proposal bridges the gap;
* the inputs the verdict hinges on: Spearman's rank correlation between each input and the
  proposal's *slack* (the least, over needed parties, of utility minus walk-away point; the
  proposal bridges the gap exactly when the slack is ≥ 0) — Spearman (1904), "The proof and
  measurement of association between two things", Am. J. Psychology 15(1);
* for the input that matters most, the threshold at which the verdict flips: the split of that
  input's sampled values that best separates bridging from non-bridging samples (a one-split
  decision stump), with how often it is right.

Work runs in chunks with their own seeds, through an executor (serial or a local process pool),
so the result is identical whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from zopa.robust.executors import run_chunks
from zopa.robust.sampling import (
    Chunk,
    Method,
    UncertainInput,
    chunk_plan,
    draw_for,
    sample_inputs,
    uncertain_inputs,
)
from zopa.space.compile import compile_scenario
from zopa.space.exact import (
    consent_masks,
    from_grid,
    grid_contributions,
    grid_utilities,
    to_grid,
)
from zopa.space.margin import margin_by_search

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

CHUNK = 250


@dataclass(frozen=True)
class _Task:
    scenario: Scenario
    proposals: tuple[str, ...]
    perturb: float
    method: Method
    chunk: Chunk


def _evaluate_chunk(
    task: _Task,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    """Sampled inputs; per sample × proposal × party: utility minus walk-away; needed; margins."""
    s = task.scenario
    inputs = uncertain_inputs(s, perturb=task.perturb)
    rows = sample_inputs(
        inputs, task.chunk.count, np.random.default_rng(task.chunk.seed), task.method
    )
    base = compile_scenario(s)
    packages = np.stack([base.index_of(s.package_of(p)) for p in task.proposals])
    needed = base.needed(packages)  # consent does not depend on the sampled numbers
    masks = consent_masks(base)
    gains = np.empty((task.chunk.count, len(task.proposals), base.n_parties), dtype=np.int64)
    margins = np.empty(task.chunk.count, dtype=np.int64)
    for r, row in enumerate(rows):
        space = compile_scenario(s, draw=draw_for(inputs, row))
        reservation = to_grid(space.reservation)
        gains[r] = grid_utilities(space, packages) - reservation[None, :]
        margins[r] = margin_by_search(grid_contributions(space), masks, reservation)
    return rows, gains, needed, margins


@dataclass(frozen=True)
class Hinge:
    """An input a proposal's verdict depends on."""

    path: str
    spearman: float
    threshold: float | None = None
    bridges_when: str | None = None  # "below" or "above" the threshold
    accuracy: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "input": self.path,
            "spearman": round(self.spearman, 4),
            "threshold": None if self.threshold is None else round(self.threshold, 4),
            "bridges_when": self.bridges_when,
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
        }


@dataclass(frozen=True)
class ProposalRobustness:
    """How often one proposal is accepted, by whom, and what its verdict hinges on."""

    proposal: str
    bridges: float
    accepts: dict[str, float]
    hinges: list[Hinge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "proposal": self.proposal,
            "p_bridges": round(self.bridges, 4),
            "p_accepts": {p: round(v, 4) for p, v in self.accepts.items()},
            "hinges": [h.to_dict() for h in self.hinges],
        }


@dataclass(frozen=True)
class ZoneRobustness:
    """How often a zone of agreement exists, how wide it is, and what that hinges on."""

    exists: float
    margin_quantiles: dict[str, float]
    hinges: list[Hinge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "p_exists": round(self.exists, 4),
            "margin_quantiles": {q: round(v, 6) for q, v in self.margin_quantiles.items()},
            "hinges": [h.to_dict() for h in self.hinges],
        }


@dataclass(frozen=True)
class RobustProposals:
    """The robustness of every proposal's verdict, and of the zone of agreement."""

    samples: int
    seed: int | None
    inputs: int
    proposals: list[ProposalRobustness]
    zone: ZoneRobustness | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "inputs": self.inputs,
            "proposals": [p.to_dict() for p in self.proposals],
            "zone": self.zone.to_dict() if self.zone is not None else None,
        }


def _ranks(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Average ranks along axis 0 (ties share their mean rank)."""
    order = np.argsort(x, axis=0, kind="stable")
    ranks = np.empty_like(x, dtype=float)
    n = x.shape[0]
    np.put_along_axis(
        ranks, order, np.arange(n, dtype=float)[:, None].repeat(x.shape[1], 1), axis=0
    )
    for j in range(x.shape[1]):  # average the ranks of tied values
        values = x[:, j]
        _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
        if (counts > 1).any():
            sums = np.bincount(inverse, weights=ranks[:, j])
            ranks[:, j] = (sums / counts)[inverse]
    return ranks


def spearman(inputs: NDArray[np.float64], outcome: NDArray[np.float64]) -> NDArray[np.float64]:
    """Spearman's rank correlation of each input column with the outcome (0 where constant)."""
    a = _ranks(inputs)
    b = _ranks(outcome[:, None])[:, 0]
    a = a - a.mean(axis=0)
    b = b - b.mean()
    denom = np.sqrt((a**2).sum(axis=0) * (b**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (a * b[:, None]).sum(axis=0) / denom
    return np.where(denom > 0, rho, 0.0)


def flip_threshold(
    values: NDArray[np.float64], verdict: NDArray[np.bool_]
) -> tuple[float, str, float]:
    """The split of ``values`` that best separates ``verdict`` (a one-split decision stump).

    Returns
    -------
    threshold, side, accuracy
        The verdict is predicted true for values ``below`` (``<=``) or ``above`` (``>``) the
        threshold, and the share of samples that prediction gets right.
    """
    order = np.argsort(values, kind="stable")
    v, y = values[order], verdict[order].astype(np.int64)
    n = len(v)
    true_below = np.concatenate([[0], np.cumsum(y)])  # trues among the first k
    k = np.arange(n + 1)
    total_true = true_below[-1]
    below = true_below + ((n - k) - (total_true - true_below))  # true below, false above
    above = (k - true_below) + (total_true - true_below)  # false below, true above
    valid = np.concatenate([[True], v[1:] != v[:-1], [True]])  # split between distinct values
    below = np.where(valid, below, -1)
    above = np.where(valid, above, -1)
    best_below, best_above = int(below.argmax()), int(above.argmax())
    if below[best_below] >= above[best_above]:
        k_best, side, hits = best_below, "below", below[best_below]
    else:
        k_best, side, hits = best_above, "above", above[best_above]
    if k_best == 0:
        threshold = float(v[0])
    elif k_best == n:
        threshold = float(v[-1])
    else:
        threshold = float((v[k_best - 1] + v[k_best]) / 2)
    return threshold, side, float(hits) / n


def robust_proposals(
    scenario: Scenario,
    samples: int = 10_000,
    seed: int | None = 0,
    *,
    workers: int = 1,
    perturb: float = 0.0,
    method: Method = "random",
    hinges: int = 5,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RobustProposals:
    """Acceptance and bridging probabilities of every proposal over sampled inputs.

    Parameters
    ----------
    scenario
        A validated scenario.
    samples, seed
        How many samples, and the seed of the whole run.
    workers
        1 for serial, more for a local process pool; results do not depend on it.
    perturb
        Also vary point values by this fraction (see :func:`uncertain_inputs`).
    method
        ``random`` or ``lhs`` (Latin hypercube within each chunk).
    hinges
        How many inputs to report per proposal.
    scheduler
        A Dask scheduler address or ``local`` (see :func:`run_chunks`).
    progress
        Called with (samples finished, samples in all) as chunks finish.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, with ``.samples_done`` (the samples of the chunks finished in order).
    """
    ids = tuple(scenario.proposals)
    plan = chunk_plan(samples, CHUNK, seed)
    tasks = [_Task(scenario, ids, perturb, method, c) for c in plan]

    def report(chunks_done: int) -> None:
        if progress is not None:
            progress(min(samples, chunks_done * CHUNK), samples)

    try:
        parts = run_chunks(_evaluate_chunk, tasks, workers, scheduler=scheduler, progress=report)
    except KeyboardInterrupt as stop:
        finished = getattr(stop, "partial", [])
        stop.samples_done = sum(len(p[3]) for p in finished)  # type: ignore[attr-defined]
        raise
    inputs = uncertain_inputs(scenario, perturb=perturb)
    if parts:
        rows = np.concatenate([p[0] for p in parts])
        gains = np.concatenate([p[1] for p in parts])
        needed = parts[0][2]
    else:
        rows = np.empty((0, len(inputs)))
        gains = np.empty((0, len(ids), 0), dtype=np.int64)
        needed = np.zeros((len(ids), 0), dtype=bool)
    margins = np.concatenate([p[3] for p in parts]) if parts else np.empty(0, dtype=np.int64)
    parties = [p for p in scenario.parties if p in scenario.preferences]
    out = []
    for j, pid in enumerate(ids):
        accept = gains[:, j, :] >= 0
        slack = np.where(needed[j][None, :], gains[:, j, :], np.iinfo(np.int64).max).min(axis=1)
        out.append(
            ProposalRobustness(
                proposal=pid,
                bridges=float((slack >= 0).mean()) if samples else 0.0,
                accepts={
                    p: float(accept[:, k].mean())
                    for k, p in enumerate(parties)
                    if needed[j][k] and samples
                },
                hinges=_hinges(inputs, rows, slack, hinges),
            )
        )
    zone = None
    if samples:
        finite = margins < np.iinfo(np.int64).max
        values = from_grid(np.where(finite, margins, 0))
        zone = ZoneRobustness(
            exists=float((margins >= 0).mean()),
            margin_quantiles={
                f"q{q:02d}": float(np.percentile(values, q)) for q in (5, 25, 50, 75, 95)
            },
            hinges=_hinges(inputs, rows, margins, hinges),
        )
    return RobustProposals(samples=samples, seed=seed, inputs=len(inputs), proposals=out, zone=zone)


def _hinges(
    inputs: list[UncertainInput], rows: NDArray[np.float64], slack: NDArray[np.int64], count: int
) -> list[Hinge]:
    """Inputs ranked by |Spearman ρ| with the slack; the flip threshold of the first."""
    if len(slack) < 2 or not inputs:
        return []
    rho = spearman(rows, slack.astype(float))
    found = [
        Hinge(inputs[k].path, float(rho[k]))
        for k in np.argsort(-np.abs(rho), kind="stable")[:count]
        if rho[k] != 0
    ]
    holds = slack >= 0
    if found and 0 < holds.mean() < 1:
        top = [i.path for i in inputs].index(found[0].path)
        threshold, side, accuracy = flip_threshold(rows[:, top], holds)
        found[0] = Hinge(found[0].path, found[0].spearman, threshold, side, accuracy)
    return found
