"""Runs: robustness runs, briefings, tournaments and sampled timelines, in worker processes.

The runs themselves belong to :class:`zopa.web.jobs.JobManager` (a child process each, or a
Dask cluster with ``zopa serve --scheduler``); this module only takes the parameters from the
page (``/robust``, ``/report``, ``/talks``, ``/timeline``), passes the open scenario's text,
and shows the job's progress and result. A client sees and cancels only its own runs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from zopa.errors import UsageError
from zopa.web.app import client_of, link, render, scenario_of
from zopa.web.jobs import KINDS, Job
from zopa.web.views import ChartView, data_table

NAV = ("Robustness", "/robust", 40)
router = APIRouter()

DEFAULT_SAMPLES = 2_000
REPORT_SAMPLES = 2_000
TOURNAMENT_SAMPLES = 5
TIMELINE_SAMPLES = 20

PAGES = {
    "robust": ("Robustness run", "/robust"),
    "report": ("Briefing", "/report"),
    "tournament": ("Tournament", "/talks"),
    "timeline": ("Timeline with uncertainty", "/timeline"),
}
"""Each kind of run: its title, and the page that starts it and lists its runs."""
LISTS = ("sections", "strategies")
"""The form fields that take several values (checkboxes)."""


def _integer(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise UsageError(f"{name} must be a whole number, got {value!r}", parameter=name) from None


def _flag(value: Any) -> bool | None:
    if value in (None, "", "auto"):
        return None
    return str(value).lower() in ("1", "true", "on", "yes")


def job_params(request: Request, kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """The job's parameters: the open scenario's text, the page's date, the form's values."""
    opened = request.app.state.shelf.get(given.get("s") or request.query_params.get("s"))
    as_of = given.get("as_of") or request.query_params.get("as_of") or None
    params: dict[str, Any] = {
        "yaml": opened.text,
        "name": opened.name,
        "as_of": as_of,
        "seed": _integer(given.get("seed"), "seed", 0),
    }
    default = {
        "robust": DEFAULT_SAMPLES,
        "report": REPORT_SAMPLES,
        "tournament": TOURNAMENT_SAMPLES,
        "timeline": TIMELINE_SAMPLES,
    }[kind]
    params["samples"] = _integer(given.get("samples"), "samples", default)
    if kind == "robust":
        params["engine"] = str(given.get("engine") or "space")
        if params["engine"] == "space":
            params["given_reactions"] = _flag(given.get("given_reactions"))
    elif kind == "tournament":
        rounds = given.get("rounds")
        params["rounds"] = None if rounds in (None, "") else _integer(rounds, "rounds", 0)
    for name in LISTS:  # a kind that does not take one is refused by the job manager
        value = given.get(name)
        if value:
            params[name] = value if isinstance(value, list) else str(value)
    return params


def _start(request: Request, kind: str, given: dict[str, Any]) -> Job:
    if kind not in KINDS:
        raise UsageError(
            f"unknown kind of run {kind!r} (expected one of {', '.join(KINDS)})",
            parameter="kind",
        )
    job: Job = request.app.state.jobs.start(
        client_of(request), kind, job_params(request, kind, given)
    )
    return job


def runs_of(request: Request, kind: str) -> list[dict[str, Any]]:
    """The runs of ``kind`` of the browser asking, oldest first, as the runs table shows them."""
    jobs = request.app.state.jobs.list(client_of(request))
    return [j.to_dict() for j in jobs if j.kind == kind]


def _job(request: Request, job_id: str) -> Job:
    job: Job | None = request.app.state.jobs.get(job_id, client_of(request))
    if job is None:
        raise HTTPException(
            404, "No such run (runs are visible only to the browser that started them)"
        )
    return job


def _engines(request: Request) -> list[str]:
    s = scenario_of(request)
    engines = []
    if s.issues and s.preferences:
        engines.append("space")
    if s.strategic is not None:
        engines.append("stability")
    if s.forecast is not None:
        engines.append("forecast")
    return engines


@router.get("/robust", response_class=HTMLResponse)
def robust_page(request: Request) -> HTMLResponse:
    """The form to start a robustness run, and this client's runs."""
    return render(
        request,
        "robust.html",
        engines=_engines(request),
        runs=runs_of(request, "robust"),
        limits=request.app.state.settings.limits,
        samples=DEFAULT_SAMPLES,
    )


@router.post("/runs", response_model=None)
async def start_from_form(request: Request) -> Response:
    """Start a run from the page's form (works without JavaScript); go to the run's page."""
    form = await request.form()
    given: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in LISTS:
        values = [v for v in form.getlist(name) if isinstance(v, str)]
        if values:
            given[name] = values
    job = _start(request, str(given.get("kind", "robust")), given)
    return RedirectResponse(link(f"/runs/{job.id}", request), status_code=303)


@router.post("/api/runs")
async def start_from_api(request: Request) -> JSONResponse:
    """Start a run: a JSON object with ``kind`` (one of :data:`KINDS`) and its parameters."""
    try:
        given = await request.json()
    except ValueError:
        raise UsageError("the body must be a JSON object", parameter="body") from None
    if not isinstance(given, dict):
        raise UsageError("the body must be a JSON object", parameter="body")
    job = _start(request, str(given.get("kind", "robust")), given)
    return JSONResponse(job.to_dict(), status_code=202)


@router.get("/api/runs")
def list_runs(request: Request) -> JSONResponse:
    """The runs of the client asking, newest first."""
    return JSONResponse([j.to_dict() for j in request.app.state.jobs.list(client_of(request))])


@router.get("/api/runs/{job_id}")
def run_state(request: Request, job_id: str) -> JSONResponse:
    """A run's state and progress."""
    return JSONResponse(_job(request, job_id).to_dict())


@router.post("/api/runs/{job_id}/cancel")
def cancel(request: Request, job_id: str) -> JSONResponse:
    """Cancel a run (its process is stopped); a finished run stays as it was."""
    job = request.app.state.jobs.cancel(job_id, client_of(request))
    if job is None:
        raise HTTPException(404, "No such run")
    return JSONResponse(job.to_dict())


def _result_context(job: Job) -> dict[str, Any]:
    title, page = PAGES[job.kind]
    shown: dict[str, Any] = {"title": title, "page": page}
    if job.status != "done" or job.result is None or job.kind == "report":
        return {**shown, "charts": [], "html": None, "warnings": []}
    charts = [
        ChartView(f"run-{name}", c["title"], c["description"], c["spec"], data_table(c["spec"]))
        for name, c in job.result["charts"].items()
    ]
    return {
        **shown,
        "charts": charts,
        "html": job.result["html"],
        "warnings": job.result["warnings"],
    }


@router.get("/runs/{job_id}", response_class=HTMLResponse)
def run_page(request: Request, job_id: str) -> HTMLResponse:
    """A run: its progress while it runs, its result (charts and tables) when done."""
    job = _job(request, job_id)
    return render(request, "run.html", job=job.to_dict(), **_result_context(job))


@router.get("/runs/{job_id}/result", response_class=HTMLResponse)
def run_result(request: Request, job_id: str) -> HTMLResponse:
    """The result panel of a run (what the page swaps in when the run ends)."""
    job = _job(request, job_id)
    return render(request, "run_result.html", job=job.to_dict(), **_result_context(job))


@router.get("/runs/{job_id}/briefing.html")
def briefing(request: Request, job_id: str) -> Response:
    """The briefing a report run built: one self-contained HTML page, as a download."""
    job = _job(request, job_id)
    if job.kind != "report" or job.status != "done" or job.result is None:
        raise HTTPException(409, "This run has no briefing (yet)")
    filename = str(job.result["filename"])
    return Response(
        str(job.result["html"]),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
