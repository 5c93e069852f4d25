"""Stability: the graph model's stable states (R, GMR, SMR, SEQ) and where a start state leads.

The parameters of ``zopa stability``: a start state (``from``: a state number or option vector,
for the status quo analysis), the concept whose equilibria it traces paths to, coalitions whose
coalition stability to report, and whether the report lists every state. The page calls
:func:`zopa.api.stability` and renders its result (its charts and its report).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zopa.web.app import render
from zopa.web.engines import Shown, choice_param, context, flag_param, kept, shown, text_param

NAV = ("Stability", "/stability", 50)
router = APIRouter()

CONCEPTS = ("R", "GMR", "SMR", "SEQ")
"""The stability concepts (those of :data:`zopa.gmcr.stability.CONCEPTS`)."""
MAX_COALITIONS = 8
"""Coalitions one request may ask about."""
MAX_STATE_CHOICES = 300
"""Largest model whose states the start control lists (beyond it: a text field)."""


def coalitions_of(text: str | None) -> tuple[str, ...]:
    """The coalitions of the ``coalitions`` field: ``A+B, C+D`` (commas or spaces between).

    Raises
    ------
    zopa.UsageError
        For more than :data:`MAX_COALITIONS` coalitions.
    """
    from zopa.errors import UsageError

    found = tuple(c for c in re.split(r"[,\s]+", text or "") if c)
    if len(found) > MAX_COALITIONS:
        raise UsageError(
            f"coalitions: at most {MAX_COALITIONS} at once, got {len(found)}",
            parameter="coalitions",
        )
    return found


@router.get("/stability", response_class=HTMLResponse)
def stability_page(request: Request) -> HTMLResponse:
    """The stability page: the form, the charts (stability; evolution from a start state)."""
    import zopa.api

    ctx = context(request)
    s = ctx.scenario
    start = text_param(request, "from")
    concept = choice_param(request, "concept", CONCEPTS) or "GMR"
    groups = coalitions_of(text_param(request, "coalitions"))
    show_all = flag_param(request, "all")
    form = {"from": start, "concept": concept, "coalitions": " ".join(groups), "all": show_all}
    if s.strategic is None:
        return render(request, "stability.html", s=s, form=form, view=None, states=[])

    def base() -> Shown:
        result = zopa.api.stability(ctx.opened.scenario, as_of=ctx.as_of)
        return shown(result, "stability")

    states = kept(request, "stability", ctx, (None, "GMR", (), False), base).result.to_dict()

    def compute() -> Shown:
        result = zopa.api.stability(
            ctx.opened.scenario,
            start=start,
            coalitions=groups,
            concept=concept,
            show_all=show_all,
            as_of=ctx.as_of,
        )
        return shown(result, "stability")

    view = kept(request, "stability", ctx, (start, concept, groups, show_all), compute)
    names = {v["id"]: k for k, v in states.get("named", {}).items()}
    choices = (
        [
            (
                str(st["id"]),
                f"{st['id']} · {st['options']}"
                + (f" · {names[st['id']]}" if st["id"] in names else ""),
            )
            for st in states["states"]
        ]
        if len(states["states"]) <= MAX_STATE_CHOICES
        else []
    )
    return render(
        request,
        "stability.html",
        s=s,
        form=form,
        view=view,
        states=choices,
        status_quo=states.get("status_quo"),
        example="+".join(list(states.get("decision_makers") or ["A", "B"])[:2]),
    )
