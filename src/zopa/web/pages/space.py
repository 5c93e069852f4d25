"""The agreement space: the frontier chart of any two parties, and its points opened in the builder.

The chart is the ``space`` chart of :func:`zopa.analyze`'s result (:mod:`zopa.charts.space`): both
Pareto frontiers, the walk-away lines, the zone of agreement shaded, the proposals and the
bargaining solutions. The analysis is the overview's (computed once per scenario and date, see
:func:`zopa.web.pages.overview.overview_of`); each pair's chart is kept too. Every point of the
chart carries its package as ``terms``; ``static/space.js`` opens a clicked point in the builder,
and the tables below the chart offer the same as links (the keyboard's way in).

Route
-----
``GET /space?parties=X,Y``
    The plane of parties X (horizontal) and Y (vertical); default: the pair the analysis finds
    most opposed (:meth:`zopa.results.Analysis.opposed_parties`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.errors import UnknownId, UsageError
from zopa.web.app import link, render
from zopa.web.pages.builder import terms_text
from zopa.web.pages.overview import Overview, overview_of
from zopa.web.views import ChartView, chart_view

NAV = ("Space", "/space", 30)
router = APIRouter()


def _pair(request: Request) -> list[str]:
    """The parties asked for: ``parties=X,Y`` or ``parties=X&parties=Y`` (none: the default)."""
    return [
        part.strip()
        for value in request.query_params.getlist("parties")
        for part in value.split(",")
        if part.strip()
    ]


def space_chart(request: Request, view: Overview, pair: tuple[str, str]) -> ChartView:
    """The space chart of two parties, kept per scenario, date and pair (it takes ~0.1 s).

    Raises
    ------
    zopa.UnknownId, zopa.UsageError
        For a party without preferences, or the same party twice (the chart's own checks).
    """
    q = request.query_params
    opened = request.app.state.shelf.get(q.get("s"))
    key = ("space", opened.key, q.get("as_of") or None, pair)

    def compute() -> ChartView:
        return chart_view(view.analysis.chart("space", parties=pair), "space-chart")

    chart: ChartView = request.app.state.memo.get(key, compute)
    return chart


def _solutions(view: Overview, pair: tuple[str, str]) -> list[dict[str, Any]]:
    """The bargaining solutions, one row each, with the two parties' utilities and the terms."""
    from zopa.charts.space import SOLUTION_NAMES

    rows = []
    for key, sol in (view.data.get("solutions") or {}).items():
        if not sol:
            continue
        rows.append(
            {
                "name": SOLUTION_NAMES.get(key, key),
                "key": key,
                "x": sol["utilities"][pair[0]],
                "y": sol["utilities"][pair[1]],
                "package": sol["package"],
                "terms": terms_text(sol["package"]),
            }
        )
    return rows


@router.get("/space", response_class=HTMLResponse)
def space(request: Request) -> HTMLResponse:
    """The agreement space page."""
    q = request.query_params
    opened, cut = request.app.state.shelf.cut(q.get("s"), q.get("as_of") or None)
    s = opened.scenario if cut is None else cut.scenario
    if not s.issues or not s.preferences:
        return render(request, "space.html", s=s, view=None, parties=[], pair=None)
    view = overview_of(request)
    parties = list(view.analysis.result.parties)
    if len(parties) < 2:
        return render(request, "space.html", s=s, view=None, parties=parties, pair=None)
    asked = _pair(request)
    default = tuple(str(p) for p in view.analysis.opposed_parties())
    pair = (asked[0], asked[1]) if len(asked) == 2 else (default[0], default[1])
    error = None
    chart = None
    try:
        if asked and len(asked) != 2:
            raise UsageError(
                f"the space chart needs 2 parties, got {len(asked)}", parameter="parties"
            )
        chart = space_chart(request, view, pair)
    except (UnknownId, UsageError) as exc:
        error = str(exc)
    return render(
        request,
        "space.html",
        status=400 if error else 200,
        s=s,
        view=view,
        parties=parties,
        names={p: s.parties[p].name for p in parties if p in s.parties},
        pair=pair,
        chart=chart,
        error=error,
        solutions=_solutions(view, pair) if error is None else [],
        builder=lambda package: link("/builder", request, terms=terms_text(package)),
    )
