"""One chart layer for every front end: result objects in, Vega-Lite specifications out.

Each chart is a pure function from a facade result (:mod:`zopa.results`) to a Vega-Lite
specification (a dict with its data inline). Rendering is separate (:mod:`zopa.charts.render`):
SVG, PNG and PDF offline through ``vl-convert-python``, interactive HTML with the JavaScript
bundle vl-convert produces. The command line (``--chart FILE``), ``zopa report``, the web
workspace and notebooks (``result.chart(name)``) all draw the same charts.

Charts register themselves with :func:`chart`; :func:`names` lists what a result offers and
:func:`make` builds one. Importing this package imports the chart modules (plain Python, no
numpy) but not the renderer.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zopa.errors import UnknownId, UsageError

Builder = Callable[..., dict[str, Any]]

_REGISTRY: dict[str, dict[str, Builder]] = {}
_MAIN: dict[str, str] = {}

CHART_MODULES = (
    "acceptance",
    "gaps",
    "space",
    "bridging",
    "robustness",
    "stability",
    "forecast",
    "talks",
    "timeline",
)
"""The modules under :mod:`zopa.charts` that register charts (imported on first use)."""


def chart(kind: str, name: str, *, main: bool = False) -> Callable[[Builder], Builder]:
    """Register ``builder(result, **options) -> spec`` as chart ``name`` of results of ``kind``.

    Parameters
    ----------
    kind
        The result's :attr:`~zopa.results.ResultView.kind` (``analysis``, ``robustness``, ...).
    name
        The chart's name, as ``result.chart(name)`` and ``--chart-name`` take it.
    main
        Whether this is the chart a result shows by default (one per kind).
    """

    def register(builder: Builder) -> Builder:
        _REGISTRY.setdefault(kind, {})[name] = builder
        if main:
            _MAIN[kind] = name
        return builder

    return register


def _load_modules() -> None:
    for module in CHART_MODULES:
        try:
            importlib.import_module(f"zopa.charts.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"zopa.charts.{module}":
                raise


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite chart: the specification, and ways to render or display it.

    In Jupyter it displays as SVG (rendered offline); :meth:`to_altair` gives an Altair chart
    when Altair is installed.

    Attributes
    ----------
    name
        The chart's name (e.g. ``acceptance``).
    spec
        The Vega-Lite v6 specification, data inline.
    """

    name: str
    spec: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        """The chart's title: its finding."""
        t = self.spec.get("title", "")
        return str(t.get("text", "") if isinstance(t, dict) else t)

    @property
    def description(self) -> str:
        """The chart's text alternative."""
        return str(self.spec.get("description", ""))

    def to_dict(self) -> dict[str, Any]:
        """Return a copy of the Vega-Lite specification."""
        return copy.deepcopy(self.spec)

    def to_svg(self) -> str:
        """Return the chart as an SVG document."""
        from zopa.charts.render import to_svg

        return to_svg(self.spec)

    def to_png(self, scale: float = 2.0) -> bytes:
        """Return the chart as PNG bytes (``scale`` pixels per chart pixel)."""
        from zopa.charts.render import to_png

        return to_png(self.spec, scale)

    def to_pdf(self) -> bytes:
        """Return the chart as a one-page PDF."""
        from zopa.charts.render import to_pdf

        return to_pdf(self.spec)

    def to_html(self) -> str:
        """Return a standalone interactive HTML page of the chart (works offline)."""
        from zopa.charts.render import to_html

        return to_html(self.spec)

    def save(self, path: str | Path) -> Path:
        """Write the chart as .svg, .png, .pdf or .html, by the path's suffix."""
        from zopa.charts.render import write

        return write(self.spec, path)

    def to_altair(self) -> Any:
        """Return the chart as an Altair object (needs ``pip install altair``)."""
        import altair as alt

        kinds: dict[str, Any] = {
            "layer": alt.LayerChart,
            "hconcat": alt.HConcatChart,
            "vconcat": alt.VConcatChart,
            "concat": alt.ConcatChart,
            "facet": alt.FacetChart,
            "repeat": alt.RepeatChart,
        }
        cls: Any = next((c for key, c in kinds.items() if key in self.spec), alt.Chart)
        return cls.from_dict(self.to_dict())

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:  # pragma: no cover - Jupyter's display hook
        return {"image/svg+xml": self.to_svg(), "text/plain": repr(self)}


def names(result: Any) -> tuple[str, ...]:
    """Return the names of the charts ``result`` offers: its main chart, then module order.

    The order does not depend on which chart module happened to be imported first: charts are
    listed in the order of :data:`CHART_MODULES`, then of registration within a module.
    """
    _load_modules()
    registered = _REGISTRY.get(result.kind, {})
    rank = {f"zopa.charts.{m}": i for i, m in enumerate(CHART_MODULES)}
    available = sorted(
        registered,
        key=lambda n: rank.get(registered[n].__module__, len(rank)),
    )
    main = _MAIN.get(result.kind)
    if main in available:
        available.remove(main)
        available.insert(0, main)
    return tuple(n for n in available if _applies(result, n))


def _applies(result: Any, name: str) -> bool:
    check = getattr(_REGISTRY[result.kind][name], "applies", None)
    return bool(check(result)) if check is not None else True


def make(result: Any, name: str | None = None, **options: Any) -> Chart:
    """Build chart ``name`` (default: the result's main chart) of a facade result.

    Parameters
    ----------
    result
        A :mod:`zopa.results` object.
    name
        One of :func:`names` ``(result)``.
    **options
        The chart's own options (e.g. ``parties=("UA", "RU")`` for the agreement space).

    Raises
    ------
    zopa.UnknownId
        For a chart this result does not offer.
    zopa.UsageError
        For an option the chart does not take (``parameter`` is ``chart_<option>``).
    """
    offered = names(result)
    chosen = name if name is not None else (offered[0] if offered else "")
    if chosen not in offered:
        raise UnknownId("chart", chosen, offered, parameter="chart_name")
    builder = _REGISTRY[result.kind][chosen]
    _check_options(chosen, builder, options)
    spec = builder(result, **options)
    return Chart(chosen, spec)


def _check_options(name: str, builder: Builder, options: dict[str, Any]) -> None:
    """Refuse an option the chart does not take (a UsageError naming it, not a TypeError)."""
    import inspect

    accepted = inspect.signature(builder).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return
    takes = [
        k for k in list(accepted)[1:] if accepted[k].kind is not inspect.Parameter.VAR_POSITIONAL
    ]
    for key in options:
        if key not in takes:
            offered = f"it takes {', '.join(takes)}" if takes else "it takes no options"
            raise UsageError(
                f"the {name} chart has no option {key!r} ({offered})", parameter=f"chart_{key}"
            )
