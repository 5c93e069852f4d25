"""The FastAPI application: settings, the scenario shelf, templates, errors, static files.

Pages live in :mod:`zopa.web.pages`, one module per page, each with a ``router`` and a ``NAV``
entry (label, path, position) for the navigation bar; they are found and mounted here.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

import zopa.api
from zopa.errors import UnknownId, UsageError
from zopa.io.scenario_file import ScenarioError
from zopa.store.errors import ConflictError, StoreError
from zopa.web.jobs import JobLimit, JobManager
from zopa.web.jobs import Limits as JobLimits
from zopa.web.security import CSRF_FIELD, CSRF_HEADER, SECURITY_HEADERS, Guard, check_csrf
from zopa.web.settings import Settings
from zopa.web.shelf import Memo, Shelf, describe, opened_from_source

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

log = logging.getLogger("zopa.web")
HERE = Path(__file__).parent


class CsrfRefusedError(Exception):
    """A request refused as a possible forgery (CSRF)."""


async def csrf_guard(request: Request) -> None:
    """Refuse a POST that does not echo the client's CSRF token (see :mod:`zopa.web.security`)."""
    if request.method != "POST":
        return
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
    why = check_csrf(
        request.scope.get("state", {}),
        request.method,
        request.headers.get("origin"),
        request.headers.get("host"),
        supplied,
    )
    if why is not None:
        if content_type_is_form(request):
            await (await request.form()).close()  # the uploaded file's spool, if any
        raise CsrfRefusedError(why)


def content_type_is_form(request: Request) -> bool:
    """Whether a request's body is a form (which Starlette parses, spooling files to disk)."""
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


class Vega:
    """The Vega, Vega-Lite and Vega-Embed bundle, built once by vl-convert, offline."""

    def __init__(self) -> None:
        self._text: bytes | None = None
        self._lock = threading.Lock()

    def get(self) -> bytes:
        """Return the bundle (built on first use)."""
        with self._lock:
            if self._text is None:
                from zopa.charts.render import javascript_bundle

                self._text = javascript_bundle().encode()
            return self._text


def page_modules() -> list[Any]:
    """The page modules under :mod:`zopa.web.pages`, in navigation order."""
    import zopa.web.pages as pages

    found = [
        importlib.import_module(f"zopa.web.pages.{info.name}")
        for info in pkgutil.iter_modules(pages.__path__)
    ]
    return sorted(found, key=lambda m: getattr(m, "NAV", ("", "", 99))[2])


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the workspace application.

    Parameters
    ----------
    settings
        Where it listens, its token, its limits and the scenario it opens first.

    Raises
    ------
    zopa.ScenarioError, zopa.UnknownId
        When the start scenario cannot be opened.
    """
    settings = settings or Settings()
    jobs = job_manager(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="zopa workspace",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
        lifespan=lifespan,
    )
    app.state.jobs = jobs
    app.state.settings = settings
    app.state.shelf = Shelf(
        opened_from_source(settings.source),
        settings.limits.scenarios,
        stored=lambda ref: zopa.api.checkout(ref, db=settings.db),
    )
    app.state.memo = Memo[Any](64)
    app.state.vega = Vega()
    app.state.templates = templates()
    modules = page_modules()
    app.state.nav = [m.NAV for m in modules if hasattr(m, "NAV")]
    for module in modules:
        app.include_router(module.router)

    @app.get("/vega.js", include_in_schema=False)
    def vega_bundle() -> Response:
        """The Vega bundle generated by vl-convert (the only third-party script)."""
        return Response(
            app.state.vega.get(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app)
    app.add_middleware(Guard, token=settings.token, body_limit=settings.limits.upload_bytes)
    return app


def job_manager(settings: Settings) -> JobManager:
    """The manager of the workspace's long runs, bounded by the settings' limits."""
    limits = settings.limits
    return JobManager(
        max_running=limits.max_runs,
        max_per_client=limits.max_runs_per_client,
        scheduler=settings.scheduler,
        limits=JobLimits(
            max_samples=limits.max_samples,
            max_report_samples=limits.max_samples,
            max_tournament_samples=limits.max_tournament_samples,
            max_timeline_samples=limits.max_timeline_samples,
            max_rounds=limits.max_rounds,
            max_yaml_bytes=limits.upload_bytes,
        ),
    )


def scenario_of(request: Request) -> Scenario:
    """The open scenario (``s=``) as known on the page's date (``as_of=``).

    The same object on every call for the same key and date, so that the facade's caches (the
    compiled space, the engine) apply across requests.
    """
    q = request.query_params
    scenario: Scenario = request.app.state.shelf.scenario(q.get("s"), q.get("as_of") or None)
    return scenario


def client_of(request: Request) -> str:
    """Who is asking: a hash of the client's CSRF cookie (random per browser), never the cookie."""
    import hashlib

    secret = str(request.scope.get("state", {}).get("csrf", ""))
    return hashlib.sha256(secret.encode()).hexdigest()[:24]


def templates() -> Jinja2Templates:
    """The Jinja2 templates, autoescaped, with the helpers pages use."""
    t = Jinja2Templates(directory=HERE / "templates")
    t.env.globals["link"] = link
    t.env.trim_blocks = True
    t.env.lstrip_blocks = True
    return t


def link(path: str, request: Request, **params: Any) -> str:
    """An address within the workspace keeping the open scenario and date (``s``, ``as_of``)."""
    keep = {k: request.query_params.get(k) for k in ("s", "as_of")}
    merged = {**keep, **params}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")}, doseq=True)
    return path + (f"?{query}" if query else "")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with what every page shows (navigation, the open scenario, the date)."""
    app = request.app
    key = request.query_params.get("s")
    as_of = request.query_params.get("as_of") or ""
    try:
        opened = describe(app.state.shelf.get(key))
    except UnknownId:
        opened = describe(app.state.shelf.get(None))
    from zopa.charts.render import EMBED_OPTIONS

    base = {
        "request": request,
        "nav": app.state.nav,
        "opened": opened,
        "as_of": as_of,
        "csrf_token": request.scope.get("state", {}).get("csrf", ""),
        "embed_options": {
            **EMBED_OPTIONS,
            "defaultStyle": False,
            "tooltip": {"disableDefaultStyle": True},
        },
    }
    response: HTMLResponse = app.state.templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status
    )
    return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _error(request: Request, status: int, title: str, messages: list[str]) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": title, "messages": messages}, status_code=status)
    return render(request, "error.html", status=status, title=title, messages=messages)


def _errors(app: FastAPI) -> None:
    """Typed errors become clear pages (or JSON for the API); anything else gets an id."""

    @app.exception_handler(ScenarioError)
    async def scenario_error(request: Request, exc: ScenarioError) -> Response:
        return _error(request, 422, "The scenario is not valid", [str(p) for p in exc.problems])

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        return _error(request, 409, "Not saved: someone saved first", [str(exc)])

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, "The store cannot be used", [str(exc)])

    @app.exception_handler(UnknownId)
    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: Exception) -> Response:
        return _error(request, 400, "Bad request", [str(exc)])

    @app.exception_handler(JobLimit)
    async def busy(request: Request, exc: JobLimit) -> Response:
        return _error(request, 429, "Too many runs", [str(exc)])

    @app.exception_handler(CsrfRefusedError)
    async def forbidden(request: Request, exc: CsrfRefusedError) -> Response:
        return _error(request, 403, "Refused", [str(exc)])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        messages = [
            f"{'.'.join(str(x) for x in e.get('loc', ()) if x not in ('query', 'body'))}: "
            f"{e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        return _error(request, 400, "Bad request", messages)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), [])

    @app.exception_handler(ValueError)
    async def engine_said(request: Request, exc: ValueError) -> Response:
        return _error(request, 400, "The analysis cannot run on this input", [str(exc)])

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        error_id = secrets.token_hex(4)
        log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
        response = _error(
            request,
            500,
            "Internal error",
            [f"Something went wrong on the server (error id {error_id}); it has been logged."],
        )
        # Starlette answers an unhandled error from its outermost layer, outside the Guard
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response
