"""The overview: the question, parties, issues, proposals with sources, who accepts what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.web.app import render
from zopa.web.views import ChartView, chart_view

if TYPE_CHECKING:
    from zopa.results import Analysis

NAV = ("Overview", "/", 0)
router = APIRouter()


@dataclass(frozen=True)
class Overview:
    """What the overview shows, computed once per scenario and date."""

    analysis: Analysis
    data: dict[str, Any]
    chart: ChartView | None


def overview_of(request: Request) -> Overview:
    """The analysis of the open scenario as of the page's date (kept: it takes about 0.5 s)."""
    import zopa.api

    key = request.query_params.get("s")
    as_of = request.query_params.get("as_of") or None
    shelf = request.app.state.shelf
    opened = shelf.get(key)

    def compute() -> Overview:
        analysis = zopa.api.analyze(opened.scenario, as_of=as_of, pareto=False, limit=0)
        chart = (
            chart_view(analysis.chart("acceptance"), "who-accepts-what")
            if analysis.charts
            else None
        )
        return Overview(analysis, analysis.to_dict(), chart)

    memo = request.app.state.memo
    return memo.get(("overview", opened.key, as_of), compute)  # type: ignore[no-any-return]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """The overview page."""
    shelf = request.app.state.shelf
    as_of = request.query_params.get("as_of") or None
    opened, cut = shelf.cut(request.query_params.get("s"), as_of)
    s = opened.scenario if cut is None else cut.scenario
    if not s.issues or not s.preferences:
        return render(request, "overview.html", s=s, cut=cut, view=None)
    view = overview_of(request)
    return render(request, "overview.html", s=s, cut=cut, view=view)
