"""Result dataclasses of the forecasting engines; ``to_dict()`` gives the stable JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _round(x: float) -> float:
    return round(float(x), 6)


@dataclass(frozen=True)
class RoundResult:
    """One round: the weighted median and mean, every actor's position, and Monte Carlo spread.

    Attributes
    ----------
    round
        0 for the input positions.
    quantiles
        With samples: ``{"median": {"5": ..., "25": ..., ...}, "mean": {...}}`` across samples.
    """

    round: int
    median: float
    mean: float
    positions: dict[str, float]
    quantiles: dict[str, dict[str, float]] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        out: dict[str, Any] = {
            "round": self.round,
            "median": _round(self.median),
            "mean": _round(self.mean),
            "positions": {a: _round(x) for a, x in self.positions.items()},
        }
        if self.quantiles is not None:
            out["quantiles"] = {
                stat: {q: _round(v) for q, v in qs.items()} for stat, qs in self.quantiles.items()
            }
        return out


@dataclass(frozen=True)
class Forecast:
    """A forecast: the model, its rounds and the forecast value.

    Attributes
    ----------
    model
        ``"eum"``, ``"median"`` or ``"mean"``.
    variant
        ``"scholz"`` or ``"paper"`` for the expected-utility model, None for the baselines.
    forecast
        The last round's weighted median (``eum``, ``median``) or weighted mean (``mean``), for
        the unperturbed inputs.
    inputs
        Where the actors came from, the salience scale detected, the number of actors.
    parameters
        Rounds, Q, T, tolerance; samples, seed and perturbation size for Monte Carlo runs.
    """

    model: str
    variant: str | None
    rounds: list[RoundResult]
    forecast: float
    inputs: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sampled: tuple[float, ...] | None = field(default=None, repr=False, compare=False)
    """With Monte Carlo: each sample's forecast (last round), not part of ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"model", "variant", "rounds", "forecast", "inputs", "parameters", "notes"}``."""
        return {
            "model": self.model,
            "variant": self.variant,
            "rounds": [r.to_dict() for r in self.rounds],
            "forecast": _round(self.forecast),
            "inputs": dict(self.inputs),
            "parameters": dict(self.parameters),
            "notes": list(self.notes),
        }
