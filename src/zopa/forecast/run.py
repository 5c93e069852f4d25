"""Run a forecast on an actor table, optionally with Monte Carlo perturbation of the inputs.

Perturbation (documented choice)
    With ``samples = N > 0`` the inputs are perturbed ``N`` times with
    ``rng = np.random.default_rng(seed)``, drawing one array ``ε`` of shape ``(3, N, n)`` of
    standard normals, in this order: capability, salience, position:

    * capability ``c' = max(0, c (1 + perturb ε₀))`` (multiplicative);
    * salience ``s' = clip(s (1 + perturb ε₁), 0, 1)`` (multiplicative);
    * position ``x' = clip(x + perturb R ε₂, min x, max x)`` (additive, scaled by the range ``R``
      of the input positions, clipped to that range so the scale is unchanged).

    A sample whose weights ``c'·s'`` all vanish (possible only for very large ``perturb``) gets
    the unperturbed weights back. All samples run at once through the vectorised engines;
    the result reports, per round, the 5/25/50/75/95 % quantiles (numpy's default linear
    interpolation) of the sampled weighted medians and means. The rounds themselves
    (positions, median, mean, forecast) are those of the unperturbed inputs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast.baselines import weighted_mean, weighted_median
from zopa.forecast.data import ActorTable
from zopa.forecast.eum import VARIANTS, Variant, simulate
from zopa.forecast.results import Forecast, RoundResult

Model = Literal["eum", "median", "mean"]
MODELS: tuple[Model, ...] = ("eum", "median", "mean")
QUANTILES = (5, 25, 50, 75, 95)

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
        The relative noise size (≥ 0), see the module docstring.

    Returns
    -------
    tuple of numpy.ndarray
    """
    if samples < 1:
        raise ValueError("samples must be ≥ 1")
    if perturb < 0:
        raise ValueError("perturb must be ≥ 0")
    gen = np.random.default_rng(rng)
    n = len(table.actors)
    eps = gen.standard_normal((3, samples, n))
    c = np.maximum(0.0, table.capability * (1.0 + perturb * eps[0]))
    s = np.clip(table.salience * (1.0 + perturb * eps[1]), 0.0, 1.0)
    lo, hi = float(table.position.min()), float(table.position.max())
    x = np.clip(table.position + perturb * (hi - lo) * eps[2], lo, hi)
    dead = (c * s).sum(axis=1) <= 0
    c[dead] = table.capability
    s[dead] = table.salience
    return c, x, s


def forecast(
    table: ActorTable,
    *,
    model: Model = "eum",
    variant: Variant = "scholz",
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    tol: float | None = None,
    samples: int = 0,
    rng: int | np.random.Generator | None = None,
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
    variant, rounds, q, t, tol
        Passed to :func:`zopa.forecast.eum.simulate` (``eum`` only).
    samples
        Monte Carlo samples (0: none).
    rng
        Seed or generator for the perturbation.
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
    if draws is not None:
        samples = draws[0].shape[0]
    if samples:
        pc, px, ps = draws if draws is not None else perturb_inputs(table, samples, rng, perturb)
        c, x, s = np.vstack([c, pc]), np.vstack([x, px]), np.vstack([s, ps])
    else:
        c, x, s = c[None, :], x[None, :], s[None, :]
    if model == "eum":
        run = simulate(c, x, s, variant=variant, rounds=rounds, q=q, t=t, tol=tol)
        positions, medians, means = run.positions, run.medians, run.means
    else:
        w = c * s
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
                        (float(v) for v in np.quantile(stat[1:, k], [p / 100 for p in QUANTILES])),
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
        parameters.update({"q": q, "t": t, "tol": tol, "rounds_run": len(results) - 1})
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
    )
