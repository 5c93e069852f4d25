"""Who accepts what: each proposal's utility for each party against the party's walk-away point.

One row per party within a panel per proposal; the walk-away point is a tick in the party's
colour, the utility a dot, joined by a grey line when the proposal reaches the walk-away
point and a dashed vermillion one when it falls short, with the shortfall written beside it.
Parties whose consent a proposal does not need are drawn pale.

The comparison of a package's utility with the party's reservation value is the acceptability
test of negotiation analysis (Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard
University Press, ch. 4).
"""

from __future__ import annotations

from typing import Any

from zopa.charts import chart
from zopa.charts.palette import BAD, NEUTRAL, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values

ROW_HEIGHT = 18
"""Pixels per party row."""


def _rows(proposals: list[tuple[str, str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "proposal": pid,
            "label": label,
            "party": v.party,
            "party_name": names.get(v.party, v.party),
            "utility": round(v.utility, 6),
            "walk_away": round(v.reservation, 6),
            "needed": v.needed,
            "accepted": v.accepted,
            "verdict": (
                "accepts"
                if v.accepted
                else ("rejects" if v.needed else "rejects (consent not needed)")
            ),
            "shortfall": round(v.shortfall, 6),
            "note": f"short by {v.shortfall:.3f}" if not v.accepted else "",
            "package": "; ".join(f"{i}={o}" for i, o in verdict.package.items()),
        }
        for pid, label, verdict in proposals
        for v in verdict.parties
    ]


def _finding(proposals: list[tuple[str, str, Any]], focus: str | None) -> tuple[str, str]:
    bridging = [label for _, label, v in proposals if v.bridges]
    if bridging:
        head = f"{bridging[0]} is acceptable to every party whose consent it needs"
        if len(bridging) > 1:
            head = f"{len(bridging)} of {len(proposals)} proposals bridge the gap"
    elif len(proposals) == 1:
        head = f"{proposals[0][1]} does not bridge the gap"
    else:
        head = "No proposal is acceptable to every party whose consent it needs"
    chosen = next((p for p in proposals if p[0] == focus), proposals[-1])
    rejecting = chosen[2].rejecting
    if rejecting:
        worst = max(
            (v for v in chosen[2].parties if v.party in rejecting), key=lambda v: v.shortfall
        )
        detail = (
            f"{chosen[1]}: rejected by {', '.join(rejecting)}"
            f" ({worst.party} short by {worst.shortfall:.3f})"
        )
    else:
        detail = f"{chosen[1]}: accepted by every party whose consent it needs"
    return head, detail


def acceptance_spec(
    proposals: list[tuple[str, str, Any]],
    parties: list[str],
    names: dict[str, str],
    focus: str | None = None,
) -> Spec:
    """The "who accepts what" chart of ``(id, label, PackageVerdict)`` triples.

    Parameters
    ----------
    proposals
        Each proposal's id, display label and verdict, in the order to show them.
    parties
        Every party of the scenario, in order (fixes the colours).
    names
        Party id to display name (tooltips).
    focus
        The proposal the subtitle describes (default: the last one).
    """
    rows = _rows(proposals, names)
    head, detail = _finding(proposals, focus)
    shown = [p for p in parties if any(r["party"] == p for r in rows)]
    y = {"field": "party", "type": "nominal", "sort": shown, "title": None}
    x_scale = {"domain": [0, 1]}
    layer = [
        {
            "mark": {"type": "rule", "strokeWidth": 2},
            "encoding": {
                "strokeDash": {
                    "field": "accepted",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": [[1, 0], [4, 2]]},
                    "legend": None,
                },
                "y": y,
                "x": {"field": "walk_away", "type": "quantitative", "scale": x_scale},
                "x2": {"field": "utility"},
                "color": {
                    "field": "accepted",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": [NEUTRAL, BAD]},
                    "legend": None,
                },
                "opacity": {
                    "field": "needed",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": [0.9, 0.3]},
                    "legend": None,
                },
            },
        },
        {
            "mark": {"type": "tick", "thickness": 3, "size": ROW_HEIGHT - 4},
            "encoding": {
                "y": y,
                "x": {"field": "walk_away", "type": "quantitative", "scale": x_scale},
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(parties, shown),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("party_name", "nominal", "party"),
                    ("walk_away", "quantitative", "walk-away point"),
                ),
            },
        },
        {
            "mark": {
                "type": "point",
                "filled": True,
                "size": 70,
                "stroke": "black",
                "strokeWidth": 0.5,
            },
            "encoding": {
                "y": y,
                "x": {
                    "field": "utility",
                    "type": "quantitative",
                    "scale": x_scale,
                    "title": "utility (0 = worst package for the party, 1 = best); tick = walk-away point",
                },
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(parties, shown),
                    "legend": None,
                },
                "shape": {
                    "field": "verdict",
                    "type": "nominal",
                    "scale": {
                        "domain": ["accepts", "rejects", "rejects (consent not needed)"],
                        "range": ["circle", "diamond", "square"],
                    },
                    "legend": {"title": None},
                },
                "opacity": {
                    "field": "needed",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": [1, 0.35]},
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("label", "nominal", "proposal"),
                    ("party_name", "nominal", "party"),
                    ("utility", "quantitative"),
                    ("walk_away", "quantitative", "walk-away point"),
                    ("verdict", "nominal"),
                    ("shortfall", "quantitative"),
                    ("package", "nominal"),
                ),
            },
        },
        {
            "transform": [{"filter": "datum.needed && !datum.accepted"}],
            "mark": {
                "type": "text",
                "align": "left",
                "dx": 8,
                "fontSize": 10,
                "color": BAD,
                "fontWeight": "bold",
            },
            "encoding": {
                "y": y,
                "x": {"field": "max_x", "type": "quantitative", "scale": x_scale},
                "text": {"field": "note"},
            },
        },
    ]
    return base(
        head,
        detail,
        f"{head}. {detail}. For each proposal and party: the party's utility of the proposal "
        "against its walk-away point.",
        data=values(rows),
        transform=[{"calculate": "max(datum.utility, datum.walk_away)", "as": "max_x"}],
        facet={
            "row": {
                "field": "label",
                "type": "nominal",
                "sort": [label for _, label, _ in proposals],
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelFontWeight": "bold",
                    "labelOrient": "top",
                    "labelFontSize": 12,
                },
            }
        },
        spec={
            "width": WIDTH,
            "height": {"step": ROW_HEIGHT},
            "layer": layer,
            "resolve": {"scale": {"color": "independent", "opacity": "independent"}},
        },
        resolve={"scale": {"y": "independent"}},
    )


def _proposal_label(p: Any) -> str:
    return f"{p.title} ({p.date})" if p.date else p.title


@chart("analysis", "acceptance", main=True)
def analysis_acceptance(result: Any) -> Spec:
    """Who accepts which proposal on the table (the analysis's first table, as a picture)."""
    a = result.result
    names = {pid: p.name for pid, p in result.scenario.parties.items()}
    triples = [(p.id, _proposal_label(p), p.verdict) for p in a.proposals]
    return acceptance_spec(triples, list(result.scenario.parties), names, a.focus)


analysis_acceptance.applies = lambda result: bool(result.result.proposals)  # type: ignore[attr-defined]


@chart("evaluation", "acceptance", main=True)
def evaluation_acceptance(result: Any) -> Spec:
    """Who accepts the evaluated package (``zopa evaluate``'s table, as a picture)."""
    names = {pid: p.name for pid, p in result.scenario.parties.items()}
    triples = [("ad-hoc", "Ad-hoc package", result.verdict)]
    return acceptance_spec(triples, list(result.scenario.parties), names, "ad-hoc")


@chart("exploration", "acceptance", main=True)
def exploration_acceptance(result: Any) -> Spec:
    """Who accepts which proposal with the explored values (the verdicts already computed)."""
    names = {pid: p.name for pid, p in result.scenario.parties.items()}
    from zopa.space.analysis import focus_proposal

    triples = [(p.proposal, f"{p.title} ({p.date})", p.verdict) for p in result.result.proposals]
    focus = focus_proposal(result.scenario)
    return acceptance_spec(triples, list(result.scenario.parties), names, focus)


exploration_acceptance.applies = lambda result: bool(result.result.proposals)  # type: ignore[attr-defined]
