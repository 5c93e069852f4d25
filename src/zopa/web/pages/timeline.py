"""Timeline: proposals, reactions and events in date order, and "are the sides converging?".

The record of the scenario as known on the page's date (proposals, the parties' reactions, and
events, each with its sources as links; claims marked with who claims them and whether they
were verified), each date linking to the whole workspace as of that day; and the result of
:func:`zopa.api.timeline` (its chart and report): each date's latest proposals, who accepts
them, the zone's margin and the gap between the sides. With ``samples`` the timeline also runs
a robustness run per date; that is slow (10–20 s for the default scenario,
on one core), so it is bounded by :data:`MAX_SAMPLES` and kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.web.app import render
from zopa.web.engines import Shown, context, int_param, kept, shown

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

NAV = ("Timeline", "/timeline", 80)
router = APIRouter()

MAX_SAMPLES = 20
"""Samples per date a page request may run (a sampled timeline of the default scenario takes 10–20 s on one core)."""
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
    """The scenario's proposals, events and reactions, grouped by date in date order."""
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
    """The timeline page: the record by date, and the converging-sides chart and report."""
    import zopa.api

    limits = request.app.state.settings.limits
    ctx = context(request)
    s = ctx.scenario
    cap = min(MAX_SAMPLES, limits.max_samples)
    samples = int_param(
        request,
        "samples",
        0,
        low=0,
        high=cap,
        why="the limit of a page; zopa timeline --samples takes more",
    )
    seed = int_param(request, "seed", 0, low=0)
    form: dict[str, Any] = {"samples": samples, "seed": seed}
    days = entries_of(s)
    view = None
    applies = bool(s.issues and s.preferences and (s.proposals or s.reactions))
    if applies:

        def compute() -> Shown:
            result = zopa.api.timeline(
                ctx.opened.scenario,
                samples=samples or 0,
                seed=seed or 0,
                workers=1,
                as_of=ctx.as_of,
            )
            return shown(result, "timeline")

        view = kept(request, "timeline", ctx, (samples, seed if samples else 0), compute)
    return render(
        request, "timeline.html", s=s, days=days, view=view, form=form, cap=cap, cut=ctx.cut
    )
