"""Talks over time: the simulated alternating-offers talks, and the tournament as a run.

The parameters of ``zopa simulate``: each party's strategy (or one for everyone), the rounds
before the deadline (bounded by the server's ``max_rounds``), the tie-breaking seed, and the
two parties on the trace chart's axes; the page calls :func:`zopa.api.simulate` (a fraction
of a second). The tournament (``zopa tournament``: every combination of strategies over
sampled inputs) is slower — about half a second per sample on one core for the default
scenario — so its form starts a *run* of kind ``tournament`` (:mod:`zopa.web.pages.robust`,
in a worker process, with at most ``max_tournament_samples`` samples); the page lists this
browser's tournaments.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.errors import UsageError
from zopa.web.app import render
from zopa.web.engines import Shown, choice_param, context, int_param, kept, shown
from zopa.web.pages.robust import TOURNAMENT_SAMPLES, runs_of

NAV = ("Talks", "/talks", 70)
router = APIRouter()

STRATEGIES = ("boulware", "linear", "conceder", "tft-relative", "tft-absolute", "hardliner")
"""The negotiation strategies (:data:`zopa.simulate.strategies.STRATEGIES`)."""


def strategy_of(request: Request, parties: list[str]) -> str | None:
    """The facade's strategy string from the form: ``everyone`` and ``st_<party>`` fields.

    Returns None when nothing was chosen (every party plays the default, linear).
    """
    everyone = choice_param(request, "everyone", STRATEGIES)
    named = []
    for pid in parties:
        chosen = choice_param(request, f"st_{pid}", STRATEGIES)
        if chosen is not None:
            named.append(f"{pid}={chosen}")
    items = ([everyone] if everyone else []) + named
    return ",".join(items) or None


def axes_of(request: Request, parties: list[str]) -> tuple[str, str] | None:
    """The trace chart's two parties (``x``, ``y``); None for the chart's default.

    Raises
    ------
    zopa.UsageError
        For one axis without the other, or an unknown party.
    """
    x = choice_param(request, "x", parties)
    y = choice_param(request, "y", parties)
    if (x is None) != (y is None):
        raise UsageError("choose both parties of the trace's axes (x and y), or neither")
    return None if x is None or y is None else (x, y)


@router.get("/talks", response_class=HTMLResponse)
def talks_page(request: Request) -> HTMLResponse:
    """The talks page: the simulation's trace and report; the form of a tournament run."""
    import zopa.api
    from zopa.web.views import chart_view

    limits = request.app.state.settings.limits
    ctx = context(request)
    s = ctx.scenario
    parties = list(s.preferences)
    strategy = strategy_of(request, parties)
    rounds = int_param(
        request, "rounds", None, low=1, high=limits.max_rounds, why="the server's limit"
    )
    seed = int_param(request, "seed", None, low=0)
    axes = axes_of(request, parties)
    form: dict[str, Any] = {
        "everyone": request.query_params.get("everyone") or "",
        "per_party": {pid: request.query_params.get(f"st_{pid}") or "" for pid in parties},
        "rounds": rounds,
        "seed": seed,
        "x": axes[0] if axes else "",
        "y": axes[1] if axes else "",
        "tsamples": TOURNAMENT_SAMPLES,
    }
    context_ = {
        "s": s,
        "form": form,
        "parties": parties,
        "strategies": STRATEGIES,
        "choices": [(name, name) for name in STRATEGIES],
        "axis_choices": [(pid, f"{pid} ({s.parties[pid].name})") for pid in parties],
        "limits": limits,
        "runs": runs_of(request, "tournament"),
    }
    if not s.issues or not s.preferences:
        return render(request, "talks.html", view=None, **context_)

    def simulate() -> Shown:
        result = zopa.api.simulate(
            ctx.opened.scenario, strategy=strategy, rounds=rounds, seed=seed, as_of=ctx.as_of
        )
        return shown(result, "talks")

    view = kept(request, "talks", ctx, (strategy, rounds, seed), simulate)
    if axes is not None:
        trace = chart_view(view.result.chart("trace", parties=axes), "talks-trace")
        view = Shown(view.result, [trace, *view.charts[1:]], view.html, view.cut)
    return render(request, "talks.html", view=view, **context_)
