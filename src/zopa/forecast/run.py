"""Run a forecast on an actor table, optionally with Monte Carlo perturbation of the inputs.

Perturbation (documented choice)
    With ``samples = N > 0`` the inputs are perturbed ``N`` times with
    ``rng = np.random.default_rng(seed)`` (seed 0 by default, so runs are reproducible),
    drawing one array ``ε`` of shape ``(3, N, n)`` of standard normals, in this order:
    capability, salience, position:

    * capability ``c' = c · exp(perturb ε₀)`` (log-normal, relative), computed in log space on
      the capabilities divided by the largest one, and rescaled so that each sample's largest
      capability is 1 (only ratios matter), so no capability, however large, can overflow;
      a zero capability stays zero;
    * salience ``s' = clip(s (1 + perturb ε₁), 0, 1)`` (multiplicative);
    * position: on the input positions mapped to [0, 1] (``u = (x − min x)/(max x − min x)``),
      ``u' = clip(u + perturb ε₂, 0, 1)``, mapped back (additive noise of ``perturb`` times the
      range, clipped to that range so the scale is unchanged).

    ``perturb`` lies in [0, :data:`MAX_PERTURB`]. A sample whose weights ``c'·s'`` all vanish
    gets the unperturbed inputs back. All samples run at once through the vectorised engines;
    the result reports, per round, the 5/25/50/75/95 % quantiles (numpy's default linear
    interpolation) of the sampled weighted medians and means, and the share of samples that
    converged, cycled or did not settle. The rounds themselves (positions, median, mean,
    forecast, convergence) are those of the unperturbed inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast.baselines import weighted_mean, weighted_median
from zopa.forecast.data import ActorTable
from zopa.forecast.eum import VARIANTS, EUMRun, Variant, simulate
from zopa.forecast.numerics import (
    MAX_ACTORS,
    ForecastLimitError,
    check_memory,
    from_unit,
    normalised_weights,
    unit_interval,
)
from zopa.forecast.results import Convergence, Forecast, RoundResult

Model = Literal["eum", "median", "mean"]
MODELS: tuple[Model, ...] = ("eum", "median", "mean")
QUANTILES = (5, 25, 50, 75, 95)
MAX_PERTURB = 10.0
"""Largest relative noise size (1000 % of a value): beyond it the noise means nothing."""

FloatArray = npt.NDArray[np.float64]


def perturb_inputs(
    table: ActorTable, samples: int, rng: int | np.random.Generator | None, perturb: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return perturbed ``(capability, position, salience)``, each of shape ``(samples, n)``.

    Parameters
    ----------
    table
        The actors.
    samples
        Number of samples ``N ≥ 1``.
    rng
        A seed or generator for :func:`numpy.random.default_rng`.
    perturb
        The relative noise size, in [0, :data:`MAX_PERTURB`] (see the module docstring).

    Returns
    -------
    tuple of numpy.ndarray
        Capabilities relative to each sample's largest (in [0, 1]), positions within the input
        range, saliences in [0, 1]; all finite.
    """
    if samples < 1:
        raise ValueError("samples must be ≥ 1")
    if not 0.0 <= perturb <= MAX_PERTURB:
        raise ValueError(
            f"perturb: expected a relative noise size in [0, {MAX_PERTURB:g}], got {perturb:g}"
        )
    gen = np.random.default_rng(rng)
    n = len(table.actors)
    eps = gen.standard_normal((3, samples, n))
    alive = (table.capability > 0) & (table.salience > 0)  # the actors that carry weight
    base = np.log(table.capability, out=np.full(n, -np.inf), where=table.capability > 0)
    rel = _relative(base, np.broadcast_to(alive, (1, n)))[0]
    c = _relative(base + perturb * eps[0], np.broadcast_to(alive, (samples, n)))
    s = np.clip(table.salience * (1.0 + perturb * eps[1]), 0.0, 1.0)
    u, lo, hi = unit_interval(table.position[None, :])
    x = from_unit(
        np.clip(u + perturb * eps[2], 0.0, 1.0), np.repeat(lo, samples), np.repeat(hi, samples)
    )
    dead = ~((c > 0) & (s > 0)).any(axis=1)
    c[dead] = rel
    s[dead] = table.salience
    x[dead] = table.position
    return c, x, s


def quantiles_of(values: FloatArray, probs: Sequence[float]) -> FloatArray:
    """Return numpy's default (linear) quantiles of ``values`` at ``probs``.

    Computed on halved values, so that interpolating between neighbours of opposite sign near
    the largest float cannot overflow; doubling back is exact.
    """
    out: FloatArray = 2.0 * np.quantile(0.5 * values, probs)
    return out


def _relative(logc: FloatArray, alive: npt.NDArray[np.bool_]) -> FloatArray:
    """``exp(log c − max log c)`` per row, the maximum taken over the weighted actors.

    The heaviest weighted actor gets capability 1; actors without weight (salience 0) may
    underflow to 0 and, like actors of capability 0, stay at 0.
    """
    finite = np.isfinite(logc)
    peak = np.where(alive & finite, logc, -np.inf).max(axis=1, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    shifted = np.minimum(np.where(finite, logc, 0.0) - peak, 0.0)
    out: FloatArray = np.where(finite, np.exp(shifted), 0.0)
    return out


def convergence(run: EUMRun, statistic: FloatArray, samples: bool) -> Convergence:
    """Summarise whether run 0 (the unperturbed inputs) settled, and the band it spans.

    Parameters
    ----------
    run
        The model's run; sample 0 is the one reported.
    statistic
        The forecast statistic per round of sample 0 (the weighted median), shape ``(T + 1,)``.
    samples
        Whether samples 1… are Monte Carlo samples whose shares should be reported.

    Returns
    -------
    Convergence
        See :class:`zopa.forecast.results.Convergence` for the band's definition.
    """
    last = statistic.shape[0] - 1
    period = int(run.period[0])
    repeat = int(run.repeat[0])
    if last == 0:
        status, since, cyc, first = "not run", None, None, 0
    elif period == 1:
        status, since, cyc, first = "converged", repeat - 1, None, last
    elif period >= 2:
        status, since, cyc = "cycle", repeat - period, period
        first = since
    else:
        status, since, cyc, first = "not settled", None, None, last - last // 2
    band = statistic[first:]
    shares = None
    if samples and run.period.shape[0] > 1:
        rest = run.period[1:]
        shares = {
            "converged": float((rest == 1).mean()),
            "cycle": float((rest >= 2).mean()),
            "not_settled": float((rest == 0).mean()),
        }
    return Convergence(
        status=status,
        since=since,
        period=cyc,
        low=float(band.min()),
        high=float(band.max()),
        band_rounds=(first, last),
        samples=shares,
    )


def forecast(
    table: ActorTable,
    *,
    model: Model = "eum",
    variant: Variant = "scholz",
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    tol: float | None = None,
    stop_at_convergence: bool = False,
    samples: int = 0,
    rng: int | np.random.Generator | None = 0,
    perturb: float = 0.1,
    draws: tuple[FloatArray, FloatArray, FloatArray] | None = None,
) -> Forecast:
    """Forecast the outcome of a one-dimensional group decision.

    Parameters
    ----------
    table
        The actors (see :func:`zopa.forecast.data.read_actors`).
    model
        ``"eum"`` (:mod:`zopa.forecast.eum`), or the baselines ``"median"`` and ``"mean"``
        (:mod:`zopa.forecast.baselines`, a single round 0).
    variant, rounds, q, t, tol, stop_at_convergence
        Passed to :func:`zopa.forecast.eum.simulate` (``eum`` only).
    samples
        Monte Carlo samples (0: none).
    rng
        Seed or generator for the perturbation (default 0: reproducible).
    perturb
        Relative noise size (see the module docstring).
    draws
        Monte Carlo inputs drawn by the caller instead of the perturbation: ``(capability,
        position, salience)``, each of shape ``(N, n)`` (see
        :func:`zopa.forecast.scenario.sample_inputs`); ``samples`` and ``perturb`` are then
        ignored and ``samples`` is ``N``.

    Returns
    -------
    Forecast

    Raises
    ------
    ValueError
        On an unknown model or variant or bad parameters.
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (expected one of: {', '.join(MODELS)})")
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (expected one of: {', '.join(VARIANTS)})")
    c, x, s = table.capability, table.position, table.salience
    if len(table.actors) > MAX_ACTORS:
        raise ForecastLimitError(
            f"{len(table.actors)} actors: a forecast accepts at most {MAX_ACTORS} actors "
            "(the documented limit)"
        )
    if draws is not None:
        samples = draws[0].shape[0]
    if samples < 0:
        raise ValueError(f"samples: expected a whole number ≥ 0, got {samples}")
    check_memory(
        (samples + 1) * len(table.actors) * 8 * 12,
        f"drawing {samples} samples of {len(table.actors)} actors",
    )
    if samples:
        pc, px, ps = draws if draws is not None else perturb_inputs(table, samples, rng, perturb)
        c, x, s = np.vstack([c, pc]), np.vstack([x, px]), np.vstack([s, ps])
    else:
        c, x, s = c[None, :], x[None, :], s[None, :]
    conv = None
    if model == "eum":
        run = simulate(
            c,
            x,
            s,
            variant=variant,
            rounds=rounds,
            q=q,
            t=t,
            tol=tol,
            stop_at_convergence=stop_at_convergence,
        )
        positions, medians, means = run.positions, run.medians, run.means
        conv = convergence(run, medians[0], bool(samples))
    else:
        w = normalised_weights(c, s)
        positions = x[:, None, :]
        medians = np.asarray(weighted_median(x, w))[:, None]
        means = np.asarray(weighted_mean(x, w))[:, None]
    results = []
    for k in range(positions.shape[1]):
        quantiles = None
        if samples:
            quantiles = {
                name: dict(
                    zip(
                        (str(p) for p in QUANTILES),
                        (float(v) for v in quantiles_of(stat[1:, k], [p / 100 for p in QUANTILES])),
                        strict=True,
                    )
                )
                for name, stat in (("median", medians), ("mean", means))
            }
        results.append(
            RoundResult(
                round=k,
                median=float(medians[0, k]),
                mean=float(means[0, k]),
                positions=dict(zip(table.actors, positions[0, k].tolist(), strict=True)),
                quantiles=quantiles,
            )
        )
    value = results[-1].mean if model == "mean" else results[-1].median
    parameters: dict[str, object] = {"rounds": rounds if model == "eum" else 0}
    if model == "eum":
        parameters.update(
            {
                "q": q,
                "t": t,
                "tol": tol,
                "stop_at_convergence": stop_at_convergence,
                "rounds_run": len(results) - 1,
            }
        )
    if samples:
        seed = rng if isinstance(rng, int) or rng is None else "generator"
        parameters.update({"samples": samples, "seed": seed})
        if draws is None:
            parameters["perturb"] = perturb
        else:
            parameters["sampling"] = "stated ranges"
    final = means if model == "mean" else medians
    notes = [
        "Weights are capability × salience; the median is the lower weighted median.",
        f"Salience read on a {table.salience_scale.replace('-', '–')} scale"
        + (" and divided by 100." if table.salience_scale == "0-100" else "."),
    ]
    return Forecast(
        model=model,
        variant=variant if model == "eum" else None,
        rounds=results,
        forecast=value,
        inputs={
            "source": table.source,
            "actors": len(table.actors),
            "salience_scale": table.salience_scale,
        },
        parameters=parameters,
        notes=notes,
        sampled=tuple(final[1:, -1].tolist()) if samples else None,
        convergence=conv,
    )
