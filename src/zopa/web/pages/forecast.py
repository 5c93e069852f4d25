"""Forecast: the expected-utility model of group decisions on the scenario's ``forecast:`` issues.

The parameters of ``zopa forecast`` for a scenario: the model (``eum``, ``median``, ``mean``),
the expected-utility model's variant, rounds, the probabilities ``q`` and ``t``, Monte Carlo
samples and their seed, the issues, and whether to stop at convergence. Rounds are bounded by
the server's ``max_rounds`` and samples by :data:`MAX_SAMPLES` (the page runs in the request),
and by the server's ``max_samples``. The page calls :func:`zopa.api.forecast`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.errors import UsageError
from zopa.web.app import render
from zopa.web.engines import (
    Shown,
    choice_param,
    context,
    flag_param,
    float_param,
    int_param,
    kept,
    shown,
)

NAV = ("Forecast", "/forecast", 60)
router = APIRouter()

MODELS = ("eum", "median", "mean")
"""The forecasting models (:data:`zopa.api.FORECAST_MODELS`)."""
VARIANTS = ("scholz", "paper")
"""The expected-utility model's interpretations (:data:`zopa.api.FORECAST_VARIANTS`)."""
MAX_SAMPLES = 1000
"""Monte Carlo samples one page request may run (about 2.5 s at 100 rounds on one core)."""


@router.get("/forecast", response_class=HTMLResponse)
def forecast_page(request: Request) -> HTMLResponse:
    """The forecast page: the form, the positions chart per issue, the report."""
    import zopa.api

    limits = request.app.state.settings.limits
    ctx = context(request)
    s = ctx.scenario
    model = choice_param(request, "model", MODELS) or "eum"
    variant = choice_param(request, "variant", VARIANTS)
    rounds = int_param(
        request, "rounds", 10, low=0, high=limits.max_rounds, why="the server's limit"
    )
    cap = min(MAX_SAMPLES, limits.max_samples)
    samples = int_param(
        request,
        "samples",
        0,
        low=0,
        high=cap,
        why="the limit of a page; zopa forecast --samples takes more",
    )
    seed = int_param(request, "seed", 0, low=0)
    q = float_param(request, "q", 1.0, low=0.0, high=1.0)
    t = float_param(request, "t", 1.0, low=0.0, high=1.0)
    stop = flag_param(request, "stop")
    issues = tuple(request.query_params.getlist("issue"))
    form = {
        "model": model,
        "variant": variant,
        "rounds": rounds,
        "samples": samples,
        "seed": seed,
        "q": q,
        "t": t,
        "stop": stop,
        "issues": issues,
    }
    if not s.forecast:
        return render(request, "forecast.html", s=s, form=form, view=None, cap=cap)
    if variant is not None and model != "eum":
        raise UsageError(
            f"variant applies to the eum model, not to model {model!r}: choose the default "
            "variant or the eum model",
            parameter="variant",
        )
    params = (model, variant, rounds, samples, seed, q, t, stop, issues)

    def compute() -> Shown:
        result = zopa.api.forecast(
            ctx.opened.scenario,
            issues=list(issues) or None,
            model=model,
            variant=variant,
            rounds=rounds or 0,
            q=q,
            t=t,
            samples=samples or 0,
            seed=seed or 0,
            stop_at_convergence=stop,
            as_of=ctx.as_of,
        )
        return shown(result, "forecast")

    view = kept(request, "forecast", ctx, params, compute)
    return render(request, "forecast.html", s=s, form=form, view=view, cap=cap)
