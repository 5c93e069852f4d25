"""Building blocks of the Vega-Lite specifications every chart shares.

A chart is a plain dict (a Vega-Lite v6 specification with its data inline), so that it can be
written as JSON, rendered offline by :mod:`zopa.charts.render`, handed to Altair or embedded in a
web page. These helpers keep the look the same across charts: the title states the finding and
the subtitle what is shown, axes carry their units, fonts and sizes suit a briefing page.

References
----------
Satyanarayan, A., Moritz, D., Wongsuphasawat, K. and Heer, J. (2017). Vega-Lite: a grammar of
interactive graphics. *IEEE Transactions on Visualization and Computer Graphics* 23(1), 341-350.
"""

from __future__ import annotations

from typing import Any

VEGA_LITE_VERSION = "6.4"
"""The Vega-Lite version the specifications target (and vl-convert renders)."""

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
"""The specifications' ``$schema`` (an identifier: nothing is ever fetched from it)."""

WIDTH = 520
"""Default plot width in pixels: fits a phone held sideways and an A4 page's text column."""

FONT = "Liberation Sans, Helvetica, Arial, sans-serif"

Spec = dict[str, Any]


def title(finding: str, subtitle: str | list[str] | None = None) -> dict[str, Any]:
    """A title that states the finding, with what is plotted as the subtitle (lines: a list)."""
    t: dict[str, Any] = {"text": finding, "anchor": "start", "fontSize": 14}
    if subtitle:
        t["subtitle"] = subtitle
        t["subtitleColor"] = "#444444"
    return t


def base(finding: str, subtitle: str | list[str] | None, description: str, **rest: Any) -> Spec:
    """The top level of a chart: schema, title, text alternative, shared configuration.

    Parameters
    ----------
    finding
        The title: the chart's finding in one line ("Russia rejects Kyiv's offer").
    subtitle
        What is shown, with units (a list of strings: one line each).
    description
        A sentence or two a screen reader reads instead of the chart (Vega-Lite puts it in the
        SVG's ``aria-label``).
    **rest
        The rest of the specification (``data``, ``mark``, ``layer``, ...).
    """
    spec: Spec = {
        "$schema": SCHEMA_URL,
        "title": title(finding, subtitle),
        "description": description,
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridOpacity": 0.4},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "background": "white",
        },
    }
    spec.update(rest)
    return spec


def values(rows: list[dict[str, Any]], name: str | None = None) -> dict[str, Any]:
    """Inline data for a chart (the rows are copied as they are: keep them JSON types)."""
    data: dict[str, Any] = {"values": rows}
    if name:
        data["name"] = name
    return data


def tooltip(*fields: tuple[str, str] | tuple[str, str, str]) -> list[dict[str, Any]]:
    """Tooltip entries from ``(field, type[, title])`` triples; quantities shown to 3 decimals."""
    out: list[dict[str, Any]] = []
    for f in fields:
        entry: dict[str, Any] = {"field": f[0], "type": f[1]}
        if len(f) > 2:
            entry["title"] = f[2]
        if f[1] == "quantitative":
            entry["format"] = ".3f"
        out.append(entry)
    return out
