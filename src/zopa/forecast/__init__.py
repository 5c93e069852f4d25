"""Forecasting one-dimensional group decisions.

Bueno de Mesquita's expected-utility model and the weighted median and mean baselines,
vectorised over Monte Carlo samples.

Public API: :func:`read_actors`, :func:`forecast`, :func:`weighted_median`,
:func:`weighted_mean`, :func:`zopa.forecast.eum.simulate`; results :class:`Forecast` (with its
:class:`Convergence`); errors :class:`ForecastDataError` (a bad actor table, located) and
:class:`ForecastLimitError` (beyond the documented sizes or the memory the process may use),
both ``ValueError``.
"""

from __future__ import annotations

from zopa.forecast.baselines import weighted_mean, weighted_median
from zopa.forecast.data import ActorTable, ForecastDataError, parse_actors, read_actors
from zopa.forecast.numerics import MAX_ACTORS, MAX_ROUNDS, ForecastLimitError
from zopa.forecast.results import Convergence, Forecast, RoundResult
from zopa.forecast.run import forecast

__all__ = [
    "MAX_ACTORS",
    "MAX_ROUNDS",
    "ActorTable",
    "Convergence",
    "Forecast",
    "ForecastDataError",
    "ForecastLimitError",
    "RoundResult",
    "forecast",
    "parse_actors",
    "read_actors",
    "weighted_mean",
    "weighted_median",
]
