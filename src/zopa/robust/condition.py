"""Conditioning the sampled preferences on the parties' reactions: the posterior given the record.

The robust run samples each party's weights, option values and walk-away point from the ranges
the analyst wrote (the prior, :mod:`zopa.robust.sampling`). The scenario's ``reactions:`` say
what the parties made of the proposals; each is evidence with a likelihood
``P(stance | slack)`` in the party's slack on the proposal (:mod:`zopa.evidence.likelihood`).
Taking the reactions as independent given the preferences, the posterior is

    ``p(x | record) ∝ p(x) · Π_reactions P(stance | slack_party,proposal(x))``.

Two samplers, chosen by how much of the prior explains the record:

* **exact rejection sampling** while it is affordable: prior samples are drawn in seeded chunks
  (the very samples of the unconditioned run, continued) and each is kept with probability
  equal to its likelihood (the likelihoods are at most 1), using a uniform drawn from the
  chunk's own stream after its samples; the first ``samples`` kept, in sample order, are the
  posterior sample — independent draws from the exact posterior, so its effective size is its
  size. Draws stop at a budget of :data:`BUDGET` prior samples per posterior sample;
* **sequential Monte Carlo** (:mod:`zopa.robust.smc`) when the acceptance rate of the first
  draws says the budget would not suffice: the first ``samples`` prior samples are moved to the
  posterior through tempered targets and Metropolis moves within the prior's support.

When no sampler finds a sample in the assumptions' ranges that satisfies every hard reaction,
the record cannot be explained by the ranges: the run warns, names the reactions that conflict
most (each one's share of prior samples consistent with it, smallest first), and falls back to
the prior — never silently.

Everything is a deterministic function of the seed: chunks carry their own streams
(:func:`zopa.robust.sampling.chunk_plan`), the decisions between waves of chunks depend only on
the chunks' results, and the sequential Monte Carlo runs in one process from a stream of its
own; serial runs, process pools and Dask clusters give the same posterior.

Reported besides the conclusions: per uncertain input its prior and posterior quantiles and how
far the evidence moved it (the median's shift in units of the prior's interquartile range, and
the Kolmogorov–Smirnov distance between the posterior sample and the prior's distribution
function); per reaction the prior mass it removes on its own.

References
----------
von Neumann, J. (1951). Various techniques used in connection with random digits. *National
Bureau of Standards Applied Mathematics Series* 12, 36-38 (rejection sampling). Kolmogorov, A.
(1933). Sulla determinazione empirica di una legge di distribuzione. *Giornale dell'Istituto
Italiano degli Attuari* 4, 83-91; Smirnov, N. (1948). Table for estimating the goodness of fit
of empirical distributions. *Annals of Mathematical Statistics* 19(2), 279-281.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from zopa.robust.executors import run_chunks
from zopa.robust.proposals import CHUNK, RobustProposals, robust_proposals, space_inputs
from zopa.robust.record import Record
from zopa.robust.sampling import Chunk, Method, Prior, chunk_plan, sample_inputs
from zopa.robust.smc import SmcRun, smc

if TYPE_CHECKING:
    from zopa.model.scenario import Reaction, Scenario

Sampler = Literal["auto", "rejection", "smc"]

BUDGET = 100
"""Rejection sampling draws at most this many prior samples per posterior sample: it is used
while at least 1% of the prior samples are kept."""

FIRST_WAVE = 10_000
"""Prior samples drawn first (at least; ``samples`` when more): the acceptance rate measured on
them decides between rejection and sequential Monte Carlo, and the prior mass each reaction
removes is measured on every prior sample drawn."""

GROUP = 40
"""Chunks of prior samples per task of the rejection pass (10,000 samples)."""

SMC_STREAM = 0x5EC
"""The sequential Monte Carlo's stream: ``SeedSequence(seed, spawn_key=(SMC_STREAM, 0))``, which
no chunk's stream (``spawn_key=(i,)``) can equal."""

SHOWN = 3
"""How many conflicting reactions a warning names."""


def _round(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def reaction_label(r: Reaction) -> str:
    """``RU rejects e3-counter-2025-11-23 (2025-11-24)``: a reaction in a line."""
    return f"{r.party} {r.stance} {r.proposal} ({r.date.isoformat()})"


@dataclass(frozen=True)
class ReactionEvidence:
    """How much one reaction tells, measured on the prior samples.

    Attributes
    ----------
    reaction
        The reaction.
    prior_consistent
        The share of prior samples consistent with it (for a soft stance: likelihood ≥ ½).
    mass_removed
        ``1 −`` its mean likelihood over the prior samples: the prior mass it removes on its own
        (for a hard stance, ``1 − prior_consistent``).
    rest_explained
        The mean joint likelihood of all the *other* reactions: the prior mass that explains the
        rest of the record. When the whole record is explained nowhere but the rest is, this
        reaction is the one in conflict.
    posterior_consistent
        The share of posterior samples consistent with it (None for a run that fell back to
        the prior).
    """

    reaction: Reaction
    prior_consistent: float
    mass_removed: float
    rest_explained: float
    posterior_consistent: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        r = self.reaction
        return {
            "date": r.date.isoformat(),
            "party": r.party,
            "proposal": r.proposal,
            "stance": r.stance,
            "source": list(r.source),
            "prior_consistent": _round(self.prior_consistent),
            "mass_removed": _round(self.mass_removed),
            "rest_explained": _round(self.rest_explained, 6),
            "posterior_consistent": (
                None if self.posterior_consistent is None else _round(self.posterior_consistent)
            ),
        }


@dataclass(frozen=True)
class InputShift:
    """One uncertain input before and after the evidence.

    Attributes
    ----------
    path
        The input (``preferences.RU.reservation``).
    low, high
        Its stated range (the prior's support).
    prior, posterior
        Its 5%, 50% and 95% quantiles: the prior's exact ones, the posterior sample's.
    shift
        The median's move, in units of the prior's interquartile range (signed).
    ks
        The Kolmogorov–Smirnov distance between the posterior sample and the prior's
        distribution function (0: unmoved; 1: disjoint).
    """

    path: str
    low: float
    high: float
    prior: tuple[float, float, float]
    posterior: tuple[float, float, float]
    shift: float
    ks: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""

        def q(v: tuple[float, float, float]) -> dict[str, float]:
            return {"q05": _round(v[0], 6), "q50": _round(v[1], 6), "q95": _round(v[2], 6)}

        return {
            "input": self.path,
            "range": {"low": self.low, "high": self.high},
            "prior": q(self.prior),
            "posterior": q(self.posterior),
            "shift": _round(self.shift),
            "ks": _round(self.ks),
        }


@dataclass(frozen=True)
class Conditioning:
    """The posterior sample of the inputs given the reactions, and how it was obtained.

    Attributes
    ----------
    method
        ``rejection``, ``smc``, or ``prior`` when the record could not be explained and the run
        fell back to the prior.
    explained
        Whether some sample in the ranges satisfies every hard reaction (False: fell back).
    samples
        Posterior samples.
    budget
        The most prior samples rejection sampling would draw.
    prior_draws
        Prior samples drawn by the rejection pass (all of them scored against the record).
    accepted
        How many of them rejection sampling kept (all kept, even beyond ``samples``).
    ess
        The effective sample size: the sample's size for rejection (independent draws); the
        Kish size of the last reweighting for sequential Monte Carlo; 0 for the fallback.
    marginal_likelihood
        The estimated probability of the record under the prior: the mean joint likelihood of
        the prior samples drawn (rejection), or the sequential Monte Carlo estimate.
    reactions
        Per reaction that is evidence about the space: :class:`ReactionEvidence`.
    ignored
        Reactions by parties without preferences (no sampled input bears on them).
    inputs
        Per uncertain input, :class:`InputShift`, most moved first.
    run
        The sequential Monte Carlo run, when it was used.
    warnings
        Why the posterior deserves care (the record unexplained, or explained by a sliver of
        the ranges).
    rows
        ``(samples, inputs)`` the posterior sample (the prior's first samples after a fallback).
    """

    method: str
    explained: bool
    samples: int
    budget: int
    prior_draws: int
    accepted: int
    ess: float
    marginal_likelihood: float
    reactions: list[ReactionEvidence]
    ignored: list[Reaction]
    inputs: list[InputShift]
    run: SmcRun | None = None
    warnings: list[str] = field(default_factory=list)
    rows: NDArray[np.float64] = field(
        default_factory=lambda: np.empty((0, 0)), compare=False, repr=False
    )

    @property
    def acceptance_rate(self) -> float:
        """The share of the prior samples drawn that rejection sampling kept."""
        return self.accepted / self.prior_draws if self.prior_draws else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (the ``conditioning`` member of ``zopa robust``'s document).

        ``evidence`` lists :attr:`reactions`; the warnings go to the document's own.
        """
        run = self.run
        return {
            "given_reactions": True,
            "method": self.method,
            "explained": self.explained,
            "samples": self.samples,
            "budget": self.budget,
            "prior_draws": self.prior_draws,
            "accepted": self.accepted,
            "acceptance_rate": _round(self.acceptance_rate, 6),
            "ess": round(self.ess, 1),
            "marginal_likelihood": float(f"{self.marginal_likelihood:.4g}"),
            "smc": (
                None
                if run is None
                else {
                    "reached": run.reached,
                    "stages": run.stages,
                    "steps": run.steps,
                    "move_acceptance": _round(run.move_acceptance),
                    "min_ess": round(run.min_ess, 1),
                }
            ),
            "evidence": [e.to_dict() for e in self.reactions],
            "ignored": [
                {
                    "date": r.date.isoformat(),
                    "party": r.party,
                    "proposal": r.proposal,
                    "stance": r.stance,
                }
                for r in self.ignored
            ],
            "inputs": [i.to_dict() for i in self.inputs],
        }


@dataclass(frozen=True)
class _PassTask:
    scenario: Scenario
    perturb: float
    method: Method
    chunks: tuple[Chunk, ...]


@dataclass(frozen=True)
class _PassResult:
    rows: NDArray[np.float64]  # the kept samples
    index: NDArray[np.int64]  # their sample numbers
    count: int
    likelihood: NDArray[np.float64]  # (R,) sums of each reaction's likelihood
    consistent: NDArray[np.float64]  # (R,) how many samples are consistent with each
    rest: NDArray[np.float64]  # (R,) sums of the other reactions' joint likelihood
    joint: float  # the sum of the joint likelihood


def _score(record: Record, rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(n, R)`` each reaction's likelihood in each sample."""
    return record.likelihoods(record.slack(rows))


def _pass_chunks(task: _PassTask) -> _PassResult:
    """Draw the prior samples of some chunks, score them, keep each with its likelihood."""
    inputs = space_inputs(task.scenario, task.perturb)
    record = Record(task.scenario, inputs)
    n_r = len(record)
    kept: list[NDArray[np.float64]] = []
    index: list[NDArray[np.int64]] = []
    likelihood = np.zeros(n_r)
    consistent = np.zeros(n_r)
    rest = np.zeros(n_r)
    joint_sum = 0.0
    count = 0
    for chunk in task.chunks:
        gen = np.random.default_rng(chunk.seed)
        rows = sample_inputs(inputs, chunk.count, gen, task.method)
        u = gen.random(chunk.count)  # after the samples: the samples are the prior run's
        each = _score(record, rows)
        joint = each.prod(axis=1)
        keep = u < joint
        kept.append(rows[keep])
        index.append(chunk.start + np.flatnonzero(keep).astype(np.int64))
        likelihood += each.sum(axis=0)
        consistent += (each >= 0.5).sum(axis=0)
        for t in range(n_r):
            rest[t] += np.delete(each, t, axis=1).prod(axis=1).sum()
        joint_sum += float(joint.sum())
        count += chunk.count
    return _PassResult(
        np.concatenate(kept) if kept else np.empty((0, len(inputs))),
        np.concatenate(index) if index else np.empty(0, dtype=np.int64),
        count,
        likelihood,
        consistent,
        rest,
        joint_sum,
    )


def _ks(prior: Prior, rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per input, the Kolmogorov–Smirnov distance between the sample and the prior's CDF."""
    n = rows.shape[0]
    if n == 0:
        return np.zeros(rows.shape[1])
    f = prior.cdf(np.sort(rows, axis=0))
    steps = np.arange(1, n + 1, dtype=np.float64)[:, None]
    out: NDArray[np.float64] = np.maximum(steps / n - f, f - (steps - 1) / n).max(axis=0)
    return out


def input_shifts(paths: list[str], prior: Prior, rows: NDArray[np.float64]) -> list[InputShift]:
    """Each input's prior and posterior quantiles and how far it moved, most moved first.

    Sorted by the Kolmogorov–Smirnov distance, then by the size of the median's shift.
    """
    q = [prior.quantile(x) for x in (0.05, 0.25, 0.5, 0.75, 0.95)]
    post = np.percentile(rows, [5, 50, 95], axis=0) if len(rows) else np.zeros((3, len(paths)))
    iqr = q[3] - q[1]
    shift = np.where(iqr > 0, (post[1] - q[2]) / np.where(iqr > 0, iqr, 1.0), 0.0)
    ks = _ks(prior, rows)
    out = [
        InputShift(
            path,
            float(prior.low[j]),
            float(prior.high[j]),
            (float(q[0][j]), float(q[2][j]), float(q[4][j])),
            (float(post[0][j]), float(post[1][j]), float(post[2][j])),
            float(shift[j]),
            float(ks[j]),
        )
        for j, path in enumerate(paths)
    ]
    order = sorted(range(len(out)), key=lambda j: (-round(out[j].ks, 6), -abs(out[j].shift), j))
    return [out[j] for j in order]


def _conflict_warning(evidence: list[ReactionEvidence], whole: str, heading: str) -> str:
    """``whole``, then the reactions the prior explains least (at most :data:`SHOWN`).

    Each with the share of prior samples consistent with it and the share that explains the
    rest of the record; reactions every prior sample agrees with are left out.
    """
    worst = sorted(evidence, key=lambda e: (e.prior_consistent, -e.rest_explained))
    named = [e for e in worst if e.prior_consistent < 0.999][:SHOWN] or worst[:1]
    listed = "; ".join(
        f"{reaction_label(e.reaction)}, consistent with {e.prior_consistent:.1%} of prior "
        f"samples (the rest of the record with {e.rest_explained:.1%})"
        for e in named
    )
    return f"{whole}. {heading}: {listed}" if listed else whole


def condition(
    scenario: Scenario,
    samples: int,
    seed: int | None = 0,
    *,
    workers: int = 1,
    perturb: float = 0.0,
    method: Method = "random",
    scheduler: str | None = None,
    sampler: Sampler = "auto",
    budget: int = BUDGET,
) -> Conditioning:
    """Sample the space's uncertain inputs given the scenario's reactions.

    Parameters
    ----------
    scenario
        A validated scenario with reactions.
    samples
        Posterior samples wanted.
    seed
        The seed of the whole run (the prior samples are the unconditioned run's).
    workers, scheduler
        Who scores the prior samples (see :func:`zopa.robust.executors.run_chunks`); the
        result does not depend on them.
    perturb, method
        As for :func:`zopa.robust.proposals.robust_proposals`.
    sampler
        ``auto`` (rejection while affordable, else sequential Monte Carlo), or force one for
        tests and comparisons: ``rejection`` draws until ``samples`` are kept or the budget is
        spent (falling back to sequential Monte Carlo only when it keeps nothing); ``smc``
        scores the first wave of prior samples (for the reactions' prior mass) and moves the
        first ``samples`` of them.
    budget
        At most ``budget × samples`` prior samples for rejection sampling.

    Returns
    -------
    Conditioning
    """
    inputs = space_inputs(scenario, perturb)
    record = Record(scenario, inputs)
    limit = max(budget * samples, samples)
    plan = chunk_plan(limit, CHUNK, seed)
    parts: list[_PassResult] = []
    position = 0
    want = -(-max(samples, FIRST_WAVE) // CHUNK)
    use_smc = False
    while True:
        wave = plan[position : position + want]
        position += len(wave)
        tasks = [
            _PassTask(scenario, perturb, method, tuple(wave[i : i + GROUP]))
            for i in range(0, len(wave), GROUP)
        ]
        parts += run_chunks(_pass_chunks, tasks, workers, scheduler=scheduler)
        kept = sum(len(p.index) for p in parts)
        drawn = sum(p.count for p in parts)
        if sampler == "smc":
            use_smc = True
            break
        if kept >= samples:
            break
        rate = kept / drawn
        need = (samples - kept) / rate if rate > 0 else math.inf
        if position >= len(plan) or (sampler == "auto" and need > limit - drawn):
            use_smc = sampler != "rejection" or kept == 0
            break
        want = min(len(plan) - position, -(-math.ceil(need * 1.1) // CHUNK) + 1)
    drawn = sum(p.count for p in parts)
    kept = sum(len(p.index) for p in parts)
    n_r = len(record)
    evidence = [
        ReactionEvidence(
            r,
            prior_consistent=float(sum(p.consistent[t] for p in parts) / drawn),
            mass_removed=1.0 - float(sum(p.likelihood[t] for p in parts) / drawn),
            rest_explained=float(sum(p.rest[t] for p in parts) / drawn),
        )
        for t, r in enumerate(record.reactions)
    ]
    marginal = sum(p.joint for p in parts) / drawn
    prior = Prior.of(inputs)
    paths = [i.path for i in inputs]
    warnings: list[str] = []
    if not n_r:
        warnings.append(
            "none of the scenario's reactions is by a party with preferences on one of its "
            "proposals: they say nothing about the sampled inputs, and the posterior is the prior"
        )
    run: SmcRun | None = None
    if not use_smc:
        rows = np.concatenate([p.rows for p in parts])[:samples]
        chosen, ess = "rejection", float(len(rows))
    else:
        first = plan[: -(-samples // CHUNK)]
        initial = np.concatenate(
            [sample_inputs(inputs, c.count, np.random.default_rng(c.seed), method) for c in first]
        )[:samples]

        def target(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
            slack = record.slack(x)
            return record.violation(slack), record.soft_log_likelihood(slack)

        stream = np.random.SeedSequence(seed, spawn_key=(SMC_STREAM, 0))
        run = smc(initial, prior, target, np.random.default_rng(stream))
        if run.reached:
            rows, chosen, ess = run.rows, "smc", run.ess
            marginal = math.exp(run.log_evidence)
            if kept == 0:
                warnings.append(
                    _conflict_warning(
                        evidence,
                        f"none of the {drawn:,} prior samples drawn explains the record (by "
                        f"sequential Monte Carlo's estimate, a share of {marginal:.2g} of the "
                        "prior does): the posterior rests on a sliver of the assumptions' ranges",
                        "The reactions the ranges explain least",
                    )
                )
        else:
            rows, chosen, ess = initial, "prior", 0.0
            warnings.append(
                _conflict_warning(
                    evidence,
                    "the assumptions' ranges cannot explain the record: no sample found in "
                    "them satisfies every hard reaction (the closest falls short by "
                    f"{run.violation:.3f} utility), so the results are the prior's, not "
                    "conditioned on the reactions",
                    "The reactions that conflict most",
                )
            )
    if chosen != "prior" and n_r:
        each = _score(record, rows)
        evidence = [
            ReactionEvidence(
                e.reaction,
                e.prior_consistent,
                e.mass_removed,
                e.rest_explained,
                float((each[:, t] >= 0.5).mean()) if len(rows) else 0.0,
            )
            for t, e in enumerate(evidence)
        ]
    return Conditioning(
        method=chosen,
        explained=chosen != "prior",
        samples=len(rows),
        budget=limit,
        prior_draws=drawn,
        accepted=kept,
        ess=ess,
        marginal_likelihood=marginal if chosen != "prior" else 0.0,
        reactions=evidence,
        ignored=list(record.ignored),
        inputs=input_shifts(paths, prior, rows),
        run=run,
        warnings=warnings,
        rows=rows,
    )


@dataclass(frozen=True)
class GivenReactions:
    """A robust run conditioned on the reactions: the posterior, the prior, and how.

    Attributes
    ----------
    posterior
        The conclusions over the posterior sample (the prior's after a fallback).
    prior
        The same conclusions over the prior samples (the unconditioned run).
    conditioning
        The sampler, its diagnostics, and what the evidence moved.
    """

    posterior: RobustProposals
    prior: RobustProposals
    conditioning: Conditioning


def robust_given_reactions(
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
    sampler: Sampler = "auto",
    budget: int = BUDGET,
) -> GivenReactions:
    """The robust run of the agreement space before and after conditioning on the reactions.

    Parameters are those of :func:`zopa.robust.proposals.robust_proposals` and of
    :func:`condition`. ``progress`` counts the prior run's samples, then the posterior's
    (``2 × samples`` in all).

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, with ``.samples_done``: the samples analysed (prior run, then posterior).

    Returns
    -------
    GivenReactions
    """

    def step(offset: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        report = progress
        return lambda done, _total: report(offset + done, 2 * samples)

    run = functools.partial(
        robust_proposals,
        scenario,
        samples,
        seed,
        workers=workers,
        perturb=perturb,
        method=method,
        hinges=hinges,
        scheduler=scheduler,
    )
    prior = run(progress=step(0))
    try:
        found = condition(
            scenario,
            samples,
            seed,
            workers=workers,
            perturb=perturb,
            method=method,
            scheduler=scheduler,
            sampler=sampler,
            budget=budget,
        )
    except KeyboardInterrupt as stop:
        stop.samples_done = samples  # type: ignore[attr-defined]  # the prior run's
        raise
    if not found.explained:
        if progress is not None:
            progress(2 * samples, 2 * samples)
        return GivenReactions(prior, prior, found)
    try:
        posterior = run(progress=step(samples), rows=found.rows)
    except KeyboardInterrupt as stop:
        done = getattr(stop, "samples_done", 0)
        stop.samples_done = samples + done  # type: ignore[attr-defined]
        raise
    return GivenReactions(posterior, prior, found)
