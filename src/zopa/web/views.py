"""Turning facade results into what templates show: charts with their text alternative."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.charts import Chart

MAX_TABLE_ROWS = 300
"""Rows of a chart's data shown as its text alternative (the rest is said to be left out)."""


@dataclass(frozen=True)
class DataTable:
    """A plain table for a template: column names and rows of text."""

    columns: list[str]
    rows: list[list[str]]
    note: str | None = None


@dataclass(frozen=True)
class ChartView:
    """A chart as a page shows it: the element id, the specification, its text alternative."""

    id: str
    title: str
    description: str
    spec: dict[str, Any]
    table: DataTable | None = field(default=None)


def _inline_data(node: Any, found: list[list[dict[str, Any]]]) -> None:
    if isinstance(node, dict):
        values = node.get("values")
        if isinstance(values, list) and values and all(isinstance(v, dict) for v in values):
            found.append(values)
        for key, value in node.items():
            if key != "values":
                _inline_data(value, found)
    elif isinstance(node, list):
        for item in node:
            _inline_data(item, found)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value == value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def data_table(spec: dict[str, Any]) -> DataTable | None:
    """The largest inline dataset of a Vega-Lite specification, as a table of its plain fields.

    This is the chart's text alternative: the numbers it draws, one row per data point.
    """
    found: list[list[dict[str, Any]]] = []
    _inline_data(spec.get("data"), found)
    _inline_data({k: v for k, v in spec.items() if k != "data"}, found)
    if not found:
        return None
    rows = max(found, key=len)
    columns: list[str] = []
    for row in rows:
        for key, value in row.items():
            if key not in columns and not isinstance(value, dict | list):
                columns.append(key)
    shown = rows[:MAX_TABLE_ROWS]
    note = f"first {MAX_TABLE_ROWS} of {len(rows):,} rows" if len(rows) > MAX_TABLE_ROWS else None
    return DataTable(columns, [[_text(r.get(c)) for c in columns] for r in shown], note)


def chart_view(chart: Chart, element_id: str) -> ChartView:
    """A chart for a template (drawn in the browser by Vega-Embed from ``spec``)."""
    return ChartView(element_id, chart.title, chart.description, chart.spec, data_table(chart.spec))
