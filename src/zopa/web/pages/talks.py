"""Talks over time: the simulated alternating-offers talks and, on request, a tournament.

The parameters of ``zopa simulate``: each party's strategy (or one for everyone), the rounds
before the deadline (bounded by the server's ``max_rounds``), the tie-breaking seed, and the
two parties on the trace chart's axes. The tournament (``zopa tournament``: every combination
of strategies over sampled inputs) is slower — about 0.4 s per sample on one core for the
default scenario — so it runs only when asked (``tournament=1``), on one core, with at most
:data:`MAX_TOURNAMENT_SAMPLES` samples. The page calls :func:`zopa.api.simulate` and
:func:`zopa.api.tournament`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.errors import UsageError
from zopa.web.app import render
from zopa.web.engines import Shown, choice_param, context, flag_param, int_param, kept, shown

NAV = ("Talks", "/talks", 70)
router = APIRouter()

STRATEGIES = ("boulware", "linear", "conceder", "tft-relative", "tft-absolute", "hardliner")
"""The negotiation strategies (:data:`zopa.simulate.strategies.STRATEGIES`)."""
MAX_TOURNAMENT_SAMPLES = 30
"""Samples of a tournament run within a page request (about 12 s on one core)."""
DEFAULT_TOURNAMENT_SAMPLES = 5


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
    """The talks page: the simulation's trace and report; the tournament when asked."""
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
    run_tournament = flag_param(request, "tournament")
    cap = min(MAX_TOURNAMENT_SAMPLES, limits.max_samples)
    tsamples = int_param(
        request,
        "tsamples",
        DEFAULT_TOURNAMENT_SAMPLES,
        low=1,
        high=cap,
        why="the limit of a page; zopa tournament --samples takes more",
    )
    tseed = int_param(request, "tseed", 0, low=0)
    tstrategies = tuple(request.query_params.getlist("tstrategy"))
    for name in tstrategies:
        if name not in STRATEGIES:
            raise UsageError(
                f"tstrategy must be one of {', '.join(STRATEGIES)}, got {name!r}",
                parameter="tstrategy",
            )
    form: dict[str, Any] = {
        "everyone": request.query_params.get("everyone") or "",
        "per_party": {pid: request.query_params.get(f"st_{pid}") or "" for pid in parties},
        "rounds": rounds,
        "seed": seed,
        "x": axes[0] if axes else "",
        "y": axes[1] if axes else "",
        "tournament": run_tournament,
        "tsamples": tsamples,
        "tseed": tseed,
        "tstrategies": tstrategies,
    }
    context_ = {
        "s": s,
        "form": form,
        "parties": parties,
        "strategies": STRATEGIES,
        "choices": [(name, name) for name in STRATEGIES],
        "axis_choices": [(pid, f"{pid} ({s.parties[pid].name})") for pid in parties],
        "cap": cap,
    }
    if not s.issues or not s.preferences:
        return render(request, "talks.html", view=None, tour=None, **context_)

    def simulate() -> Shown:
        result = zopa.api.simulate(
            ctx.opened.scenario, strategy=strategy, rounds=rounds, seed=seed, as_of=ctx.as_of
        )
        return shown(result, "talks")

    view = kept(request, "talks", ctx, (strategy, rounds, seed), simulate)
    if axes is not None:
        trace = chart_view(view.result.chart("trace", parties=axes), "talks-trace")
        view = Shown(view.result, [trace, *view.charts[1:]], view.html, view.cut)
    tour = None
    if run_tournament:

        def play() -> Shown:
            result = zopa.api.tournament(
                ctx.opened.scenario,
                samples=tsamples or DEFAULT_TOURNAMENT_SAMPLES,
                seed=tseed or 0,
                strategies=list(tstrategies) or None,
                rounds=rounds,
                workers=1,
                as_of=ctx.as_of,
            )
            return shown(result, "tournament")

        tour = kept(request, "tournament", ctx, (tsamples, tseed, tstrategies, rounds), play)
    return render(request, "talks.html", view=view, tour=tour, **context_)
