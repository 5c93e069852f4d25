"""Timeline: proposals, reactions and events in date order, and "are the sides converging?".

The record of the scenario as known on the page's date (proposals, the parties' reactions, and
events, each with its sources as links; claims marked with who claims them and whether they
were verified), each date linking to the whole workspace as of that day; and the result of
:func:`zopa.api.timeline` (its chart and report): each date's latest proposals, who accepts
them, the zone's margin and the gap between the sides, on the point assumptions (a fraction
of a second). With uncertainty (``samples`` per date) the timeline runs a robustness run per
date, which is slow (10–40 s for the default scenario on one core): the page's second form
starts it as a *run* of kind ``timeline`` (:mod:`zopa.web.pages.robust`, in a worker process,
with at most ``max_timeline_samples`` samples per date) and lists this browser's runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.web.app import render
from zopa.web.engines import Shown, context, kept, shown
from zopa.web.pages.robust import TIMELINE_SAMPLES, runs_of

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

NAV = ("Timeline", "/timeline", 80)
router = APIRouter()

KIND_ORDER = {"proposal": 0, "event": 1, "reaction": 2}
STANCES = {
    "accepts": "accepts",
    "basis-for-talks": "a basis for talks",
    "unacceptable-as-is": "unacceptable as it is",
    "rejects": "rejects",
}


@dataclass(frozen=True)
class Entry:
    """One dated item of the record, as the timeline lists it.

    Attributes
    ----------
    date
        When it happened (or was said).
    kind
        ``proposal``, ``reaction`` or ``event``.
    title
        What it was, in a line.
    who
        The parties involved (proposers, the reacting party, an event's parties).
    sources
        Its source ids (in the scenario's ``sources:``).
    detail
        A quote or note, when there is one.
    label
        The event's kind or the reaction's stance, for display.
    ref
        The proposal's id (a proposal, or the proposal reacted to).
    claimed_by, verified
        For a claim: who claims it, and whether it was verified (None: not said).
    """

    date: dt.date
    kind: str
    title: str
    who: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    detail: str | None = None
    label: str | None = None
    ref: str | None = None
    claimed_by: str | None = None
    verified: bool | None = None


def entries_of(s: Scenario) -> list[tuple[dt.date, list[Entry]]]:
    """The scenario's proposals, events and reactions, grouped by date in date order.

    Candidate events and reactions (awaiting review, ``status: candidate``) are not part of
    the record: :meth:`~zopa.model.scenario.Scenario.confirmed` leaves them out.
    """
    s = s.confirmed()
    found: list[Entry] = [
        Entry(p.date, "proposal", p.title, list(p.by), list(p.source), p.note, p.kind, pid)
        for pid, p in s.proposals.items()
    ]
    found += [
        Entry(
            e.date,
            "event",
            e.text,
            list(e.parties),
            list(e.source),
            None,
            e.kind,
            None,
            e.claimed_by,
            e.verified,
        )
        for e in s.events
    ]
    found += [
        Entry(
            r.date,
            "reaction",
            s.proposals[r.proposal].title if r.proposal in s.proposals else r.proposal,
            [r.party],
            list(r.source),
            r.quote,
            STANCES.get(r.stance, r.stance),
            r.proposal,
        )
        for r in s.reactions
    ]
    found.sort(key=lambda e: (e.date, KIND_ORDER[e.kind]))
    days: list[tuple[dt.date, list[Entry]]] = []
    for entry in found:
        if days and days[-1][0] == entry.date:
            days[-1][1].append(entry)
        else:
            days.append((entry.date, [entry]))
    return days


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    """The timeline page: the record by date, the converging-sides chart and report, the runs."""
    import zopa.api

    ctx = context(request)
    s = ctx.scenario
    days = entries_of(s)
    view = None
    applies = bool(s.issues and s.preferences and (s.proposals or s.confirmed().reactions))
    if applies:

        def compute() -> Shown:
            return shown(zopa.api.timeline(ctx.opened.scenario, as_of=ctx.as_of), "timeline")

        view = kept(request, "timeline", ctx, (), compute)
    return render(
        request,
        "timeline.html",
        s=s,
        days=days,
        view=view,
        cut=ctx.cut,
        samples=TIMELINE_SAMPLES,
        limits=request.app.state.settings.limits,
        runs=runs_of(request, "timeline"),
    )
