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
class Convergence:
    """Whether the expected-utility model settled, and the band its forecast spans.

    Attributes
    ----------
    status
        ``"converged"`` (a fixed point: the positions of a round repeat the previous round's),
        ``"cycle"`` (they repeat an earlier round's: the run cycles), ``"not settled"`` (neither
        within the rounds run) or ``"not run"`` (0 rounds).
    since
        The first round of the fixed state or of the cycle (None otherwise).
    period
        The cycle's period (≥ 2), None otherwise.
    low, high
        The band of the forecast statistic (the weighted median): its last value when
        converged, its range over the cycle, or over the second half of the rounds run
        (rounds ⌈T/2⌉ to T) when the run did not settle.
    band_rounds
        The rounds ``(first, last)`` the band is taken over.
    samples
        With Monte Carlo: the share of samples that converged, cycled or did not settle.
    """

    status: str
    since: int | None
    period: int | None
    low: float
    high: float
    band_rounds: tuple[int, int]
    samples: dict[str, float] | None = None

    @property
    def converged(self) -> bool:
        """True for a fixed point."""
        return self.status == "converged"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "status": self.status,
            "converged": self.converged,
            "cycle_period": self.period,
            "since_round": self.since,
            "band": {
                "low": _round(self.low),
                "high": _round(self.high),
                "from_round": self.band_rounds[0],
                "to_round": self.band_rounds[1],
            },
            "samples": None
            if self.samples is None
            else {k: round(v, 6) for k, v in self.samples.items()},
        }


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
    convergence: Convergence | None = None
    """For ``eum``: whether the run settled (None for the baselines)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form.

        Keys: ``model``, ``variant``, ``rounds``, ``forecast`` (the last round's value),
        ``forecast_band`` (``[low, high]``: the band the forecast spans, equal ends when the
        run converged), ``converged`` and ``cycle_period`` (None for the baselines),
        ``convergence`` (:meth:`Convergence.to_dict`, None for the baselines), ``inputs``,
        ``parameters``, ``notes``.
        """
        conv = self.convergence
        band = [self.forecast, self.forecast] if conv is None else [conv.low, conv.high]
        return {
            "model": self.model,
            "variant": self.variant,
            "rounds": [r.to_dict() for r in self.rounds],
            "forecast": _round(self.forecast),
            "forecast_band": [_round(v) for v in band],
            "converged": None if conv is None else conv.converged,
            "cycle_period": None if conv is None else conv.period,
            "convergence": None if conv is None else conv.to_dict(),
            "inputs": dict(self.inputs),
            "parameters": dict(self.parameters),
            "notes": list(self.notes),
        }
