"""Bridging: what the closest packages that bridge the gap change, and what each party gains.

For a proposal that does not bridge the gap, the analysis finds the acceptable packages that
change the fewest issues, then cost the proposers least (:func:`zopa.space.analysis.
bridging_packages`). This chart draws one panel per such package, headed by its changes
(``territory: line-of-contact → donbas-ceded``), with one bar per party: its utility change
against the proposal, on a diverging blue (gain) to orange (loss) scale around a zero line.

Searching for the smallest change to a proposal that makes it acceptable to all is the
"bridging" of negotiation analysis (Pruitt, D. G. (1981). *Negotiation Behavior*. Academic
Press, ch. 5; Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. 16).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zopa.charts import chart
from zopa.charts._analysis import (
    and_list,
    bridgings,
    check_parties,
    choose_proposal,
    num,
    package_text,
    party_names,
    sentence,
    short_name,
    verdicts,
)
from zopa.charts.palette import DIVERGING
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values

ROW_HEIGHT = 16
"""Pixels per party row within a package's panel."""


def _usable(result: Any) -> list[str]:
    return [pid for pid, b in bridgings(result).items() if b.packages]


def _proposers(result: Any, pid: str) -> list[str]:
    if result.kind != "analysis":
        return []
    prop = next(p for p in result.result.proposals if p.id == pid)
    return [p for p in prop.by if p in result.result.parties]


def _change_text(con: Any) -> str:
    return "; ".join(f"{c.issue}: {c.before} → {c.after}" for c in con.changes)


def _finding(bridging: Any, proposers: list[str], names: dict[str, str]) -> str:
    first = bridging.packages[0]
    issues = and_list([c.issue for c in first.changes])
    if not bridging.found:
        return sentence(
            f"No package bridges the gap: the closest changes {issues} and is still short by "
            f"{first.shortfall:.3f}"
        )
    head = f"The smallest bridge changes {issues}"
    if proposers:
        costs = [(p, -first.deltas[p]) for p in proposers]
        worst = max(costs, key=lambda c: c[1])
        if worst[1] > 0:
            return sentence(f"{head}, at a cost of {worst[1]:.2f} to {short_name(worst[0], names)}")
        return sentence(
            f"{head}, at no cost to {and_list([short_name(p, names) for p in proposers])}"
        )
    return sentence(head)


def bridging_spec(
    label: str,
    bridging: Any,
    shown: list[str],
    names: dict[str, str],
    proposers: list[str],
    reservation: dict[str, float],
) -> Spec:
    """The diverging chart of the bridging packages of one proposal.

    Parameters
    ----------
    label
        The proposal's display label.
    bridging
        Its :class:`~zopa.space.results.Bridging` (with at least one package).
    shown
        The parties to show, in order.
    names
        Party id to display name.
    proposers
        The proposal's proposers with preferences (whose loss the ranking minimises).
    reservation
        Each party's walk-away point (tooltips).
    """
    rows: list[dict[str, Any]] = []
    headers: list[str] = []
    for rank, con in enumerate(bridging.packages, 1):
        header = f"{rank}. {_change_text(con)}"
        headers.append(header)
        rows += [
            {
                "header": header,
                "rank": rank,
                "party": short_name(p, names),
                "party_name": names.get(p, p),
                "delta": num(con.deltas[p]),
                "delta_text": f"{con.deltas[p]:+.3f}",
                "utility": num(con.utilities[p]),
                "walk_away": num(reservation[p]),
                "accepts": bool(con.utilities[p] >= reservation[p] - 1e-12),
                "changes": _change_text(con),
                "package": package_text(con.package),
            }
            for p in shown
        ]
    top = max(abs(r["delta"]) for r in rows) or 1.0
    reach = round(top * 1.25 + 0.02, 3)
    x_scale = {"domain": [-reach, reach], "nice": False}
    y = {
        "field": "party",
        "type": "nominal",
        "sort": [short_name(p, names) for p in shown],
        "title": None,
        "axis": {"ticks": False, "labelFontSize": 10},
    }
    x = {
        "field": "delta",
        "type": "quantitative",
        "scale": x_scale,
        "title": "utility change against the proposal (0-1 scale; right = gain, left = loss)",
    }
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "height": {"band": 0.75}},
            "encoding": {
                "y": y,
                "x": x,
                "color": {
                    "field": "delta",
                    "type": "quantitative",
                    "scale": {
                        "scheme": DIVERGING,
                        "domain": [-reach, reach],
                        "domainMid": 0,
                        "reverse": True,
                    },
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("party_name", "nominal", "party"),
                    ("delta", "quantitative", "utility change"),
                    ("utility", "quantitative", "utility after"),
                    ("walk_away", "quantitative", "walk-away point"),
                    ("accepts", "nominal"),
                    ("changes", "nominal"),
                    ("package", "nominal"),
                ),
            },
        },
        {
            "transform": [{"filter": "datum.delta >= 0"}],
            "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 3, "fontSize": 9},
            "encoding": {"y": y, "x": x, "text": {"field": "delta_text"}},
        },
        {
            "transform": [{"filter": "datum.delta < 0"}],
            "mark": {
                "type": "text",
                "align": "right",
                "baseline": "middle",
                "dx": -3,
                "fontSize": 9,
            },
            "encoding": {"y": y, "x": x, "text": {"field": "delta_text"}},
        },
        {
            "mark": {"type": "rule", "color": "black", "strokeWidth": 1},
            "encoding": {"x": {"datum": 0, "type": "quantitative", "scale": x_scale}},
        },
    ]
    finding = _finding(bridging, proposers, names)
    kind = (
        "acceptable to every party whose consent they need"
        if bridging.found
        else "closest to acceptable (none is acceptable)"
    )
    n = len(bridging.packages)
    subtitle = [
        f"The {n} package{'s' if n != 1 else ''} nearest {label} that are {kind},",
        "fewest issues changed first; each party's utility change (blue: gain, orange: loss).",
    ]
    description = f"{finding}. " + " ".join(
        f"Package {rank}: {_change_text(con)}; "
        + ", ".join(f"{p} {con.deltas[p]:+.3f}" for p in shown)
        + "."
        for rank, con in enumerate(bridging.packages, 1)
    )
    spec = base(
        finding,
        None,
        description,
        data=values(rows),
        facet={
            "row": {
                "field": "header",
                "type": "nominal",
                "sort": headers,
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelOrient": "top",
                    "labelBaseline": "top",
                    "labelPadding": 4,
                    "labelFontWeight": "bold",
                    "labelFontSize": 11,
                    "labelLimit": 0,
                    "labelExpr": "split(datum.value, '; ')",
                },
            }
        },
        spec={"width": WIDTH, "height": {"step": ROW_HEIGHT}, "layer": layer},
        spacing=12,
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


def _build(result: Any, proposal: str | None, parties: Sequence[str] | None) -> Spec:
    pid = choose_proposal(result, proposal, _usable(result))
    label = next(lab for p, lab, _ in verdicts(result) if p == pid)
    names = party_names(result)
    bridging = bridgings(result)[pid]
    valid = list(bridging.packages[0].deltas)
    shown = check_parties(parties, valid) or valid
    reservation = {
        v.party: v.reservation for v in next(v for p, _, v in verdicts(result) if p == pid).parties
    }
    return bridging_spec(label, bridging, shown, names, _proposers(result, pid), reservation)


@chart("analysis", "bridging")
def analysis_bridging(
    result: Any, proposal: str | None = None, parties: Sequence[str] | None = None
) -> Spec:
    """The closest bridging packages of a proposal, as each party's utility change.

    Parameters
    ----------
    result
        A :class:`zopa.results.Analysis`.
    proposal
        The proposal (default: the focus proposal if it has bridging packages, else the first
        that has).
    parties
        The parties to show, in order (default: every party with preferences).
    """
    return _build(result, proposal, parties)


analysis_bridging.applies = lambda result: bool(_usable(result))  # type: ignore[attr-defined]


@chart("evaluation", "bridging")
def evaluation_bridging(
    result: Any, proposal: str | None = None, parties: Sequence[str] | None = None
) -> Spec:
    """The closest bridging packages of the evaluated package, as each party's utility change.

    Parameters
    ----------
    result
        A :class:`zopa.results.Evaluation`.
    proposal
        ``ad-hoc`` (the only package), or None.
    parties
        The parties to show, in order (default: every party with preferences).
    """
    return _build(result, proposal, parties)


evaluation_bridging.applies = lambda result: bool(_usable(result))  # type: ignore[attr-defined]
