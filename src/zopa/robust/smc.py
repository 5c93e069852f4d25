"""Sequential Monte Carlo for a prior restricted by hard constraints and tilted by soft evidence.

The target is ``π(x) ∝ p(x) · 1[V(x) = 0] · exp(S(x))``: ``p`` the prior
(:class:`zopa.robust.sampling.Prior`, independent uniforms and triangulars on a box), ``V ≥ 0``
how far the hard evidence is from holding and ``S`` the soft evidence's log-likelihood. When
exact rejection sampling from the prior accepts too rarely, a population of particles drawn
from the prior is moved to ``π`` through the intermediate targets

    ``π_t(x) ∝ p(x) · 1[V(x) ≤ ε_t] · exp(β_t S(x))``

first lowering the tolerance ``ε`` to 0 with ``β = 0`` (each step keeps the share ``ρ`` of the
particles with the smallest ``V``: the adaptive tolerances of Del Moral, Doucet & Jasra 2012),
then raising ``β`` from 0 to 1 (each step chosen by bisection so that the importance weights'
effective sample size is ``ρ N``: adaptive tempering, Jasra, Stephens, Doucet & Tsagaris 2011).
After every reweighting the particles are resampled (systematic resampling) and moved by
random-walk Metropolis steps that leave ``π_t`` invariant: a Gaussian proposal with the
particles' covariance (scaled from ``2.38/√d`` and adapted to the acceptance rate), refused
outside the prior's support, accepted with the ratio of prior densities times the tempered
likelihood ratio (Chopin 2002). Steps repeat until the particles have moved a few times each.

The run is a deterministic function of the initial particles and the generator, so a seed gives
the same posterior whatever executor drew the initial particles.

References
----------
Chopin, N. (2002). A sequential particle filter method for static models. *Biometrika* 89(3),
539-551. Del Moral, P., Doucet, A. & Jasra, A. (2012). An adaptive sequential Monte Carlo method
for approximate Bayesian computation. *Statistics and Computing* 22(5), 1009-1020. Jasra, A.,
Stephens, D. A., Doucet, A. & Tsagaris, T. (2011). Inference for Lévy-driven stochastic
volatility models via adaptive sequential Monte Carlo. *Scandinavian Journal of Statistics*
38(1), 1-22. Kish, L. (1965). *Survey Sampling*. Wiley (the effective sample size of weights).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.robust.sampling import Prior

Target = Callable[[NDArray[np.float64]], tuple[NDArray[np.float64], NDArray[np.float64]]]
"""Rows → (violation ``V ≥ 0`` of the hard evidence, soft log-likelihood ``S``), per row."""

RHO = 0.5
"""The share of the particles' effective size kept at each reweighting."""

MOVES = 3.0
"""Metropolis steps continue until the particles have each moved this many times on average."""

MIN_STEPS, MAX_STEPS = 2, 30
"""Bounds on the Metropolis steps after one reweighting."""

MAX_STAGES = 100
"""At most this many reweightings (a hard evidence of prior probability 2⁻⁵⁰ needs about 50)."""

STALL = 10
"""Give up when the tolerance has fallen by less than :data:`PROGRESS` of itself for this many
reweightings in a row: the particles are stuck short of the hard evidence."""

PROGRESS = 1e-3
"""The relative fall of the tolerance that counts as progress."""


@dataclass(frozen=True)
class SmcRun:
    """The particles and the diagnostics of a sequential Monte Carlo run.

    Attributes
    ----------
    rows
        ``(N, k)`` equally weighted particles: samples of the target when ``reached``.
    reached
        Whether every particle satisfies the hard evidence and the soft evidence is at full
        weight (``ε = 0``, ``β = 1``); if not, ``rows`` are the last population, not samples of
        the target.
    stages
        Reweightings done.
    ess
        The Kish effective sample size ``(Σw)² / Σw²`` of the last reweighting, before
        resampling (Kish 1965).
    min_ess
        The smallest of those over all stages.
    steps
        Metropolis steps in all (each moves every particle once).
    move_acceptance
        The share of proposed Metropolis moves accepted, over all steps.
    log_evidence
        The log of the estimated normalising constant ``∫ p · 1[V = 0] · exp(S)``: the prior
        probability of the hard evidence times the mean soft likelihood under it.
    violation
        The smallest violation ``V`` among the particles at the end (0 when ``reached``).
    """

    rows: NDArray[np.float64]
    reached: bool
    stages: int
    ess: float
    min_ess: float
    steps: int
    move_acceptance: float
    log_evidence: float
    violation: float


def kish(weights: NDArray[np.float64]) -> float:
    """The Kish effective sample size of non-negative weights (0 when they are all 0)."""
    top = float(weights.max()) if weights.size else 0.0
    if top <= 0:
        return 0.0
    w = weights / top  # tiny weights would underflow when squared
    return float(w.sum()) ** 2 / float((w**2).sum())


def systematic(weights: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.intp]:
    """Systematic resampling: ``N`` indices, index ``i`` about ``N · w_i`` times, in order."""
    n = weights.size
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    positions = (rng.random() + np.arange(n)) / n
    out: NDArray[np.intp] = np.minimum(np.searchsorted(cumulative, positions, side="right"), n - 1)
    return out


def _next_beta(soft: NDArray[np.float64], beta: float, rho: float) -> float:
    """The largest ``β' ≤ 1`` whose weights ``exp((β' − β) S)`` keep an ESS of ``ρ N``."""
    n = soft.size

    def ess(b: float) -> float:
        logw = (b - beta) * soft
        return kish(np.exp(logw - logw.max()))

    if ess(1.0) >= rho * n:
        return 1.0
    lo, hi = beta, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ess(mid) >= rho * n else (lo, mid)
    return max(lo, beta + 1e-12)


def smc(
    initial: NDArray[np.float64],
    prior: Prior,
    target: Target,
    rng: np.random.Generator,
    *,
    rho: float = RHO,
) -> SmcRun:
    """Move prior particles to the posterior (see the module's description).

    Parameters
    ----------
    initial
        ``(N, k)`` draws from ``prior``.
    prior
        The prior: its support bounds the moves and its density enters their acceptance.
    target
        The evidence: rows → ``(V, S)``.
    rng
        The generator of the resampling, the proposals and the acceptances.
    rho
        The share of the effective sample size kept at each reweighting.

    Returns
    -------
    SmcRun
    """
    x = np.array(initial, dtype=np.float64)
    n = x.shape[0]
    moving = prior.high > prior.low
    violation, soft = target(x)
    log_prior = prior.log_density(x)
    eps, beta = math.inf, 0.0
    has_soft = bool(np.any(soft != 0))
    log_z = 0.0
    stages = steps = stall = 0
    proposed = accepted = 0
    ess = min_ess = float(n)
    scale = 2.38 / math.sqrt(max(int(moving.sum()), 1))
    if not (violation > 0).any():
        eps = 0.0  # the hard evidence holds everywhere already
    while stages < MAX_STAGES:
        if eps > 0:
            kept = float(np.sort(violation)[math.ceil(rho * n) - 1])
            new_eps = max(kept, 0.0)
            stall = stall + 1 if eps - new_eps <= PROGRESS * new_eps else 0
            if stall >= STALL:
                break
            weights = (violation <= new_eps).astype(np.float64)
            log_z += math.log(float(weights.mean()))
            eps = new_eps
        elif has_soft and beta < 1.0:
            new_beta = _next_beta(soft, beta, rho)
            logw = (new_beta - beta) * soft
            top = float(logw.max())
            weights = np.exp(logw - top)
            log_z += top + math.log(float(weights.mean()))
            beta = new_beta
        else:
            break
        stages += 1
        ess = kish(weights)
        min_ess = min(min_ess, ess)
        index = systematic(weights, rng)
        x, violation, soft, log_prior = x[index], violation[index], soft[index], log_prior[index]
        if not moving.any():
            continue
        moved = np.zeros(n)
        for step in range(MAX_STEPS):
            cov = np.atleast_2d(np.cov(x[:, moving], rowvar=False))
            span = (prior.high - prior.low)[moving]
            cov = cov + np.diag((1e-6 * span) ** 2)
            try:
                chol = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                chol = np.diag(np.sqrt(np.diag(cov)))
            proposal = x.copy()
            proposal[:, moving] += scale * (rng.standard_normal((n, chol.shape[0])) @ chol.T)
            u = rng.random(n)
            new_prior = prior.log_density(proposal)
            inside = np.isfinite(new_prior)
            new_violation = np.full(n, np.inf)
            new_soft = np.zeros(n)
            if inside.any():
                new_violation[inside], new_soft[inside] = target(proposal[inside])
            with np.errstate(invalid="ignore"):
                log_ratio = new_prior - log_prior + beta * (new_soft - soft)
            ok = inside & (new_violation <= eps) & (np.log(u) < log_ratio)
            x[ok], violation[ok], soft[ok], log_prior[ok] = (
                proposal[ok],
                new_violation[ok],
                new_soft[ok],
                new_prior[ok],
            )
            rate = float(ok.mean())
            moved += ok
            steps += 1
            proposed += n
            accepted += int(ok.sum())
            if rate < 0.15:
                scale *= 0.6
            elif rate > 0.45:
                scale *= 1.5
            if step + 1 >= MIN_STEPS and moved.mean() >= MOVES:
                break
    reached = eps == 0 and (beta >= 1.0 or not has_soft)
    return SmcRun(
        rows=x,
        reached=reached,
        stages=stages,
        ess=ess,
        min_ess=min_ess,
        steps=steps,
        move_acceptance=accepted / proposed if proposed else 0.0,
        log_evidence=log_z if reached else -math.inf,
        violation=float(violation.min()) if n else 0.0,
    )
