"""Forecasting one-dimensional group decisions.

Bueno de Mesquita's expected-utility model and the weighted median and mean baselines,
vectorised over Monte Carlo samples.

Public API: :func:`read_actors`, :func:`forecast`, :func:`weighted_median`,
:func:`weighted_mean`, :func:`zopa.forecast.eum.simulate`.
"""

from __future__ import annotations

from zopa.forecast.baselines import weighted_mean, weighted_median
from zopa.forecast.data import ActorTable, ForecastDataError, parse_actors, read_actors
from zopa.forecast.results import Forecast, RoundResult
from zopa.forecast.run import forecast

__all__ = [
    "ActorTable",
    "Forecast",
    "ForecastDataError",
    "RoundResult",
    "forecast",
    "parse_actors",
    "read_actors",
    "weighted_mean",
    "weighted_median",
]
