"""The package builder: pick an option per issue and see who accepts it and what would bridge it.

The page's address encodes the package (``terms=issue=option,...``, or ``proposal=ID`` to start
from a proposal's package) and the proposers (``by=PARTY,...``, whose loss the bridging packages
minimise), so a link reproduces the view. Every verdict comes from :func:`zopa.evaluate`; this
module only reads the request and lays out what the facade returns.

Routes
------
``GET /builder``
    The page: one select per issue, a "start from proposal" select, the proposers, and the
    result panel. A form submitted without JavaScript (``i.<issue>=option`` fields) is redirected
    to the canonical ``terms=`` address.
``GET /builder/result``
    The result panel alone, an HTML fragment (``static/builder.js`` swaps it in as each choice
    changes); bad terms give 400 with the facade's message inside the panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zopa.errors import UnknownId, UsageError
from zopa.web.app import link, render, scenario_of
from zopa.web.views import ChartView, chart_view

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

NAV = ("Builder", "/builder", 10)
router = APIRouter()

BRIDGING = 5
"""Bridging packages the panel lists."""
FIELD = "i."
"""Prefix of the per-issue form fields a form submitted without JavaScript sends."""


def terms_text(package: dict[str, str]) -> str:
    """A package as the ``terms`` parameter: ``issue=option,issue=option``."""
    return ",".join(f"{issue}={option}" for issue, option in package.items())


def _names(request: Request, name: str) -> list[str]:
    """A list parameter given once comma-separated (``by=UA,RU``) or repeated (``by=UA&by=RU``)."""
    return [
        part.strip()
        for value in request.query_params.getlist(name)
        for part in value.split(",")
        if part.strip()
    ]


def _latest(s: Scenario) -> str | None:
    """The most recent proposal (the last in the file among ties): where the builder starts."""
    if not s.proposals:
        return None
    latest = max(p.date for p in s.proposals.values())
    return [pid for pid, p in s.proposals.items() if p.date == latest][-1]


@dataclass
class Asked:
    """What the builder was asked: the terms, the proposers, the proposal started from."""

    terms: dict[str, str]
    by: list[str]
    proposal: str | None
    error: str | None = None


def _read(request: Request, s: Scenario) -> Asked:
    """Read the package and the proposers from the address (no analysis: the facade judges).

    ``proposal`` gives the proposal's package (undecided issues at their if-silent option, as
    :meth:`zopa.model.scenario.Scenario.package_of` and the facade fill them) and, unless
    ``by`` is given, its proposers; ``terms`` are laid over it. With neither, the builder starts
    from the most recent proposal (or, without proposals, from the if-silent options).
    """
    import zopa.api

    q = request.query_params
    proposal = q.get("proposal") or None
    by = _names(request, "by")
    text = q.get("terms")
    if proposal is None and text is None:
        proposal = _latest(s)
    terms: dict[str, str] = {}
    if proposal is not None:
        if proposal not in s.proposals:
            raise UnknownId("proposal", proposal, list(s.proposals), parameter="proposal")
        terms = s.package_of(proposal)
        if not by:
            by = list(s.proposals[proposal].by)
    if text:
        terms = {**terms, **zopa.api.parse_terms(text, s)}
    return Asked(terms, by, proposal)


@dataclass
class Panel:
    """The result panel: what :func:`zopa.evaluate` said, laid out for the template."""

    data: dict[str, Any] | None
    error: str | None
    chart: ChartView | None = None
    names: dict[str, str] = field(default_factory=dict)
    by: list[str] = field(default_factory=list)


def evaluate(request: Request, s: Scenario, asked: Asked) -> Panel:
    """Evaluate the package with the facade; a bad package gives the facade's message."""
    import zopa.api

    names = {pid: p.name for pid, p in s.parties.items()}
    try:
        result = zopa.api.evaluate(s, asked.terms, by=asked.by, bridging=BRIDGING)
    except (UnknownId, UsageError, ValueError) as exc:
        return Panel(None, str(exc), names=names, by=asked.by)
    chart = (
        chart_view(result.chart("acceptance"), "builder-acceptance")
        if "acceptance" in result.charts
        else None
    )
    return Panel(result.to_dict(), None, chart, names, asked.by)


def _option_label(s: Scenario, issue: str, option: str) -> str:
    """An option's label (the option id itself when it names nothing)."""
    try:
        return s.issues[issue].option_label(option)
    except (KeyError, AttributeError):
        return option


def _context(request: Request, s: Scenario, asked: Asked, panel: Panel) -> dict[str, Any]:
    """What both the page and the fragment show."""
    if panel.data:
        package = panel.data["package"]
    else:  # bad terms: the selects show the valid ones over where the builder starts
        latest = _latest(s)
        package = {
            **(s.package_of(latest) if latest else {}),
            **{
                i: o
                for i, o in asked.terms.items()
                if i in s.issues and o in s.issues[i].option_ids()
            },
        }
    matches = [pid for pid in s.proposals if s.package_of(pid) == package]
    return {
        "s": s,
        "panel": panel,
        "package": package,
        "terms": terms_text(package),
        "by": asked.by,
        "by_text": ",".join(asked.by),
        "matches": matches,
        "label": lambda issue, option: _option_label(s, issue, option),
        "builder_link": lambda terms: link(
            "/builder", request, terms=terms_text(terms), by=",".join(asked.by) or None
        ),
    }


def _require_space(s: Scenario) -> None:
    if not s.issues or not s.preferences:
        raise UsageError(
            "this scenario has no issues with preferences: there is no package to build",
            parameter="s",
        )


def _asked_and_panel(request: Request, s: Scenario) -> tuple[Asked, Panel]:
    """The package the address asks for and its verdict (or the message saying what is wrong)."""
    try:
        asked = _read(request, s)
    except (UnknownId, UsageError) as exc:
        asked = Asked({}, _names(request, "by"), None, str(exc))
    panel = (
        Panel(None, asked.error, names={p: x.name for p, x in s.parties.items()}, by=asked.by)
        if asked.error
        else evaluate(request, s, asked)
    )
    return asked, panel


@router.get("/builder", response_model=None)
def builder(request: Request) -> Response:
    """The package builder page."""
    fields = {
        k[len(FIELD) :]: v for k, v in request.query_params.multi_items() if k.startswith(FIELD)
    }
    if fields:  # a form submitted without JavaScript: go to the address that encodes it
        by = _names(request, "by")
        target = link("/builder", request, terms=terms_text(fields), by=",".join(by) or None)
        return RedirectResponse(target, status_code=303)
    s = scenario_of(request)
    _require_space(s)
    asked, panel = _asked_and_panel(request, s)
    proposals = sorted(s.proposals.items(), key=lambda item: item[1].date)
    packages = {pid: terms_text(s.package_of(pid)) for pid in s.proposals}
    return render(
        request,
        "builder.html",
        status=400 if panel.error else 200,
        proposals=proposals,
        packages={
            pid: {"terms": t, "by": list(s.proposals[pid].by)} for pid, t in packages.items()
        },
        started=asked.proposal,
        **_context(request, s, asked, panel),
    )


@router.get("/builder/result", response_class=HTMLResponse)
def builder_result(request: Request) -> HTMLResponse:
    """The result panel for a package, as an HTML fragment (400 with the message when bad)."""
    s = scenario_of(request)
    _require_space(s)
    asked, panel = _asked_and_panel(request, s)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        "builder_result.html",
        {"request": request, **_context(request, s, asked, panel)},
        status_code=400 if panel.error else 200,
    )
    return response
