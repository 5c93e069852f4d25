"""The briefing of what is on screen (``zopa report``), built as a run and downloaded."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.web.app import render
from zopa.web.pages.robust import REPORT_SAMPLES, runs_of

NAV = ("Report", "/report", 85)
router = APIRouter()


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request) -> HTMLResponse:
    """The form to build the briefing of what is on screen."""
    from zopa.briefing import SECTIONS

    return render(
        request,
        "report.html",
        sections=SECTIONS,
        runs=runs_of(request, "report"),
        limits=request.app.state.settings.limits,
        samples=REPORT_SAMPLES,
    )
