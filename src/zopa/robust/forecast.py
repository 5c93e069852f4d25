"""How robust is each forecast? The Monte Carlo of :mod:`zopa.forecast`, read as a briefing.

The sampling and the vectorised model runs are the forecast engine's own
(:func:`zopa.forecast.scenario.forecast_scenario` with ``samples``); this module states, per
issue, the conclusion a reader takes away — *the talks settle in this band of the scale* (the
band, among the anchors and the intervals between them, where most sampled forecasts land) —
how often it holds, and which actor's capability, position or salience it hinges on
(:mod:`zopa.robust.sensitivity`: Spearman's ρ between each sampled input and the forecast value,
and the threshold of the most influential input at which the forecast leaves the band).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.forecast.run import quantiles_of
from zopa.forecast.scenario import forecast_scenario
from zopa.robust.sensitivity import Draws, Hinge, hinges, keep_draws

if TYPE_CHECKING:
    from zopa.forecast.eum import Variant
    from zopa.forecast.run import Model
    from zopa.model.scenario import Scenario

INPUTS = ("capability", "position", "salience")


@dataclass(frozen=True)
class ForecastRobustness:
    """The distribution of one issue's forecast and what it hinges on."""

    issue: str
    name: str
    forecast: float
    band: dict[str, Any]
    bands: list[dict[str, Any]]
    quantiles: dict[str, float]
    hinges: list[Hinge] = field(default_factory=list)
    convergence: dict[str, float] | None = None
    """Share of samples whose run converged, cycled or did not settle (``eum`` only)."""
    draws: Draws | None = field(default=None, compare=False, repr=False)
    """The forecast value and whether it lands in the modal band, per sample, with the samples
    of the inputs it hinges on (for flip charts; not part of :meth:`to_dict`)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "issue": self.issue,
            "name": self.name,
            "forecast": self.forecast,
            "modal_band": self.band,
            "bands": self.bands,
            "quantiles": {k: round(v, 6) for k, v in self.quantiles.items()},
            "hinges": [h.to_dict() for h in self.hinges],
            "convergence": None
            if self.convergence is None
            else {k: round(v, 6) for k, v in self.convergence.items()},
        }


@dataclass(frozen=True)
class RobustForecast:
    """Every issue's robust forecast, with the run's settings."""

    samples: int
    seed: int | None
    model: str
    variant: str | None
    rounds: int
    issues: list[ForecastRobustness]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "model": self.model,
            "variant": self.variant,
            "rounds": self.rounds,
            "issues": [i.to_dict() for i in self.issues],
        }


def robust_forecast(
    scenario: Scenario,
    samples: int = 10_000,
    seed: int | None = 0,
    *,
    model: Model = "eum",
    variant: Variant = "scholz",
    rounds: int = 10,
    count: int = 5,
) -> RobustForecast:
    """Run the forecast Monte Carlo of every issue and summarise each as a robust conclusion.

    Parameters
    ----------
    scenario
        A validated scenario with a ``forecast:`` section.
    samples, seed
        Monte Carlo samples of the stated ranges and the seed (as ``zopa forecast``).
    model, variant, rounds
        As for :func:`zopa.forecast.scenario.forecast_scenario`.
    count
        How many inputs to report per issue.

    Raises
    ------
    ValueError
        Without a forecast section, or with ``samples < 1``.
    """
    if samples < 1:
        raise ValueError("a robust forecast needs at least one sample")
    results = forecast_scenario(
        scenario, model=model, variant=variant, rounds=rounds, samples=samples, seed=seed
    )
    out = []
    for item in results:
        assert item.bands is not None
        assert item.draws is not None
        assert item.result.sampled is not None
        values = np.asarray(item.result.sampled, dtype=np.float64)
        band = max(item.bands, key=lambda b: b["share"])
        eps = 1e-9 * item.scale["max"] - 1e-9 * item.scale["min"]
        if band["at_anchor"]:
            inside = np.abs(values * 0.5 - band["from"] * 0.5) <= eps * 0.5
        else:
            inside = (values > band["from"] + eps) & (values < band["to"] - eps)
        assert scenario.forecast is not None
        actors = list(scenario.forecast[item.issue].actors)
        rows = np.concatenate(item.draws, axis=1)
        paths = [f"forecast.{item.issue}.{a}.{kind}" for kind in INPUTS for a in actors]
        varying = rows.max(axis=0) > rows.min(axis=0)  # (std would overflow on ±1e308)
        kept = [p for p, v in zip(paths, varying, strict=True) if v]
        varied = rows[:, varying]
        found = hinges(kept, varied, values, inside, count)
        out.append(
            ForecastRobustness(
                issue=item.issue,
                name=item.name,
                forecast=item.result.forecast,
                band=dict(band),
                bands=[dict(b) for b in item.bands],
                quantiles=dict(
                    zip(
                        ("q05", "q50", "q95"),
                        (float(v) for v in quantiles_of(values, [0.05, 0.5, 0.95])),
                        strict=True,
                    )
                ),
                hinges=found,
                convergence=None
                if item.result.convergence is None
                else item.result.convergence.samples,
                draws=keep_draws(kept, varied, values, inside, found),
            )
        )
    first = results[0].result  # a forecast section has at least one issue
    return RobustForecast(samples, seed, first.model, first.variant, rounds, issues=out)
