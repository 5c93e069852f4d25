"""The assumption explorer: a slider per ranged assumption; each move re-runs the analysis.

Every weight, option value and walk-away point written with a range gets a slider bounded by
that range, with its basis; the explored values travel in the address (``v=path=value``,
repeated), so a link reproduces the view. The analysis of the explored values is
:func:`zopa.api.explore` (the robust engine's per-sample evaluation: every proposal's
acceptance, the zone and its margin, the Nash package); the new scenario file is
:func:`zopa.api.scenario_yaml` (the changed numbers and their bases marked as edited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from zopa.errors import UsageError
from zopa.web.app import render, scenario_of
from zopa.web.views import chart_view

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.results import Assumptions

NAV = ("Assumptions", "/assumptions", 20)
router = APIRouter()
MAX_VALUES = 500
"""Explored values one address may carry (a scenario has fewer ranged numbers than this)."""


STEP = 0.001


def slider_step(item: Any) -> str:
    """A slider's step: 0.001 when its bounds and point lie on that grid, else any value.

    A range input snaps its value to ``min + k * step``; a step off the point's grid would move
    every slider off its point value before the user touched it.
    """
    on_grid = all(abs(x / STEP - round(x / STEP)) < 1e-6 for x in (item.low, item.high, item.point))
    return str(STEP) if on_grid else "any"


def explored_values(request: Request) -> dict[str, float]:
    """The ``v=path=value`` parameters as a mapping (the facade checks paths and ranges)."""
    given = request.query_params.getlist("v")
    if len(given) > MAX_VALUES:
        raise UsageError(f"at most {MAX_VALUES} explored values, got {len(given)}", parameter="v")
    values: dict[str, float] = {}
    for item in given:
        path, sep, number = item.rpartition("=")
        if not sep or not path:
            raise UsageError(f"bad value {item!r}: expected path=number", parameter="v")
        try:
            values[path] = float(number)
        except ValueError:
            raise UsageError(
                f"bad value {item!r}: {number!r} is not a number", parameter="v"
            ) from None
    return values


def _assumptions(request: Request, s: Scenario) -> Assumptions:
    import zopa.api

    key = (request.query_params.get("s"), request.query_params.get("as_of") or None)
    found: Assumptions = request.app.state.memo.get(
        ("assumptions", *key), lambda: zopa.api.assumptions(s)
    )
    return found


def _explored(request: Request) -> dict[str, Any]:
    import zopa.api

    s = scenario_of(request)
    values = explored_values(request)
    result = zopa.api.explore(s, values)
    data = result.to_dict()
    chart = chart_view(result.chart("acceptance"), "explore-acceptance") if result.charts else None
    return {
        "data": data,
        "headline": result.headline(),
        "chart": chart,
        "parties": {pid: p.name for pid, p in s.parties.items()},
    }


@router.get("/assumptions", response_class=HTMLResponse)
def explorer(request: Request) -> HTMLResponse:
    """The sliders and, beside them, the analysis of the explored values."""
    s = scenario_of(request)
    if not s.issues or not s.preferences:
        return render(request, "assumptions.html", items=[], result=None)
    items = _assumptions(request, s).items
    values = explored_values(request)
    try:
        result, error = _explored(request), None
    except UsageError as exc:  # an explored value out of its range: say so beside the sliders
        result, error = None, str(exc)
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.party, []).append(item)
    return render(
        request,
        "assumptions.html",
        groups=groups,
        slider_step=slider_step,
        parties={pid: p.name for pid, p in s.parties.items()},
        values=values,
        result=result,
        error=error,
    )


@router.get("/assumptions/result", response_class=HTMLResponse)
def explored(request: Request) -> HTMLResponse:
    """The analysis of the explored values: the panel the sliders update."""
    return render(request, "assumptions_result.html", result=_explored(request), error=None)


@router.get("/assumptions/scenario.yaml")
def download(request: Request) -> Response:
    """The open scenario's file with the explored values written in as new point values."""
    import zopa.api

    opened = request.app.state.shelf.get(request.query_params.get("s"))
    text = zopa.api.scenario_yaml(opened.text, explored_values(request))
    return Response(
        text,
        media_type="application/yaml",
        headers={
            "Content-Disposition": f'attachment; filename="{opened.scenario.id}-explored.yaml"'
        },
    )
