"""zopa: analyse multi-party peace negotiations.

The facade for notebook users and scripts; the command line calls the same functions, with the
same names and defaults:

- :func:`load` a scenario (embedded id or path), :func:`scenarios` lists the embedded ids;
- :func:`analyze`, :func:`evaluate`, :func:`stability`, :func:`forecast`, :func:`robust`,
  :func:`simulate`, :func:`tournament`, :func:`timeline`, :func:`backtest` return result objects with a short
  ``repr``, Jupyter HTML and Markdown, ``to_dict()`` (the JSON document of the CLI) and
  ``to_frame(name)`` (pandas DataFrames);
- :func:`assumptions` lists the ranged assumptions, :func:`explore` re-runs the agreement space
  with some of them set to chosen values, :func:`assume` makes such values the point values;
- :func:`diff` says what changed between two versions of a scenario and in their results;
- :func:`save` stores a scenario as a new version in the store (SQLite by default),
  :func:`stored` lists the stored scenarios, :func:`history` a scenario's versions, :func:`checkout` returns a version's text,
  :func:`runs` lists stored analyses, :func:`database` creates, upgrades or inspects the store;
- :func:`report` composes them into a briefing (HTML, PDF or Markdown);
- errors: :class:`ScenarioError` (a file that cannot be read or is invalid, with every problem
  located), :class:`UnknownId` (an id that names nothing; lists the valid ids),
  :class:`UsageError` (contradictory arguments), all documented in :mod:`zopa.errors`.

Importing zopa imports neither numpy, pandas nor pydantic; each function imports what it needs.

>>> import zopa
>>> scenario = zopa.load()            # the default scenario, berlin-2025-12
>>> scenario.id
'berlin-2025-12'
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from zopa._version import __version__
from zopa.api import (
    analyze,
    assume,
    assumptions,
    backtest,
    checkout,
    database,
    diff,
    evaluate,
    explore,
    forecast,
    history,
    load,
    report,
    robust,
    runs,
    save,
    scenarios,
    simulate,
    stability,
    stored,
    timeline,
    tournament,
)
from zopa.errors import UnknownId, UsageError, ZopaError

if TYPE_CHECKING:
    from zopa.io.scenario_file import ScenarioError

__all__ = [
    "ScenarioError",
    "UnknownId",
    "UsageError",
    "ZopaError",
    "__version__",
    "analyze",
    "assume",
    "assumptions",
    "backtest",
    "checkout",
    "database",
    "diff",
    "evaluate",
    "explore",
    "forecast",
    "history",
    "load",
    "report",
    "robust",
    "runs",
    "save",
    "scenarios",
    "simulate",
    "stability",
    "stored",
    "timeline",
    "tournament",
]


FACADE = frozenset(
    {"analyze", "evaluate", "forecast", "load", "robust", "scenarios", "simulate", "stability"}
    | {"tournament", "backtest"}
)
"""Facade functions; four share their name with an engine subpackage (forecast, robust,
simulate, backtest)."""


class _Package(types.ModuleType):
    """The ``zopa`` module, whose facade functions an engine subpackage cannot shadow.

    Importing a submodule sets it as an attribute of its package: importing
    ``zopa.forecast.eum`` would replace the function ``zopa.forecast`` by the subpackage
    ``zopa.forecast``. The engine subpackages stay importable by their full names
    (``from zopa.forecast.eum import ...``, through ``sys.modules``); the attribute keeps
    naming the function.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in FACADE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """Provide :class:`ScenarioError` without importing the YAML reader at ``import zopa``."""
    if name == "ScenarioError":
        from zopa.io.scenario_file import ScenarioError

        return ScenarioError
    raise AttributeError(f"module 'zopa' has no attribute {name!r}")
