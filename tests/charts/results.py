"""One facade result of every kind, for the chart tests (built once per test session).

The default scenario, the shipped strategic examples (Elmira, chicken) and the shipped forecast
example: the charts every user sees first; and the default scenario with test reactions, for
the charts of a run conditioned on them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import zopa

MAKERS: dict[str, Callable[[], Any]] = {
    "analysis": lambda: zopa.analyze(),
    "evaluation": lambda: zopa.evaluate(terms="nato=set-aside"),
    "exploration": lambda: zopa.explore(values={"preferences.RU.reservation": 0.6}),
    "stability-elmira": lambda: zopa.stability("elmira"),
    "stability-chicken": lambda: zopa.stability("chicken"),
    "forecast": lambda: zopa.forecast(),
    "forecast-mc": lambda: zopa.forecast(samples=40, seed=3),
    "robust-space": lambda: zopa.robust(samples=300, seed=1, workers=1, given_reactions=False),
    "robust-space-given": lambda: zopa.robust(samples=300, seed=1, workers=1),
    "robust-stability": lambda: zopa.robust("elmira", engine="stability", samples=100, workers=1),
    "robust-forecast": lambda: zopa.robust(engine="forecast", samples=40, workers=1),
    "simulation": lambda: zopa.simulate(),
    "tournament": lambda: zopa.tournament(samples=8, workers=1),
    "timeline": lambda: zopa.timeline(),
    "timeline-sampled": lambda: zopa.timeline(samples=40, seed=2, workers=1),
}


@functools.cache
def result(name: str) -> Any:
    """The facade result ``name`` of :data:`MAKERS` (computed once)."""
    return MAKERS[name]()
