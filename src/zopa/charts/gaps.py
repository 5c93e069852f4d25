"""Gap by issue: what each issue of a proposal costs a party that rejects it.

For a party that says no, each issue's cost is its weight times the value it loses against its
best option on that issue (:func:`zopa.space.analysis.evaluate_package`); the costs add up to
the party's distance from its ideal package. One bar per issue, longest first, labelled with the
proposed option and the party's best one; a dashed line marks how far the party falls short of
its walk-away point, so a bar that crosses it is an issue that would close the gap on its own
if moved to the party's best option (the other parties permitting).

The decomposition of a package's value into issue-by-issue contributions is the additive
scoring of multi-attribute negotiation analysis (Raiffa, H., Richardson, J. and Metcalfe, D.
(2002). *Negotiation Analysis*. Belknap Press, ch. 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zopa.charts import chart
from zopa.charts._analysis import (
    and_list,
    check_parties,
    choose_proposal,
    num,
    package_text,
    party_names,
    sentence,
    short_name,
    verdicts,
)
from zopa.charts.palette import BAD, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values
from zopa.errors import UsageError

ROW_HEIGHT = 34
"""Pixels per issue (the bar and its option label above it)."""


def _with_gaps(verdict: Any) -> list[str]:
    """The rejecting parties with something to gain on some issue, in the scenario's order.

    A party that gets its best option on every issue and still rejects (its walk-away point is
    above anything a package can give it) has no gap by issue to show.
    """
    return [p for p in verdict.rejecting if verdict.gaps.get(p)]


def _rejecting(result: Any) -> list[str]:
    return [pid for pid, _, v in verdicts(result) if _with_gaps(v)]


def _top_issues(gaps: list[Any]) -> list[str]:
    top = max(g.cost for g in gaps)
    return [g.issue for g in gaps if g.cost >= top - 1e-9]


def _finding(label: str, shown: list[str], verdict: Any, names: dict[str, str]) -> str:
    tops = {p: _top_issues(verdict.gaps[p]) for p in shown}
    who = and_list([short_name(p, names) for p in shown])
    if len(shown) == 1:
        return sentence(f"{who} loses most on {and_list(tops[shown[0]])} in {label}")
    if len({tuple(t) for t in tops.values()}) == 1:
        return sentence(f"{who} each lose most on {and_list(tops[shown[0]])} in {label}")
    totals: dict[str, float] = {}
    for p in shown:
        for g in verdict.gaps[p]:
            totals[g.issue] = totals.get(g.issue, 0.0) + g.cost
    issue = max(totals, key=lambda i: totals[i])
    return sentence(f"{who} together lose most on {issue} in {label}")


def gaps_spec(
    label: str,
    verdict: Any,
    shown: list[str],
    parties: list[str],
    names: dict[str, str],
) -> Spec:
    """The gap-by-issue chart of one package's rejecting parties.

    Parameters
    ----------
    label
        The package's display label ("Kyiv's offer before the Berlin talks").
    verdict
        Its :class:`~zopa.space.results.PackageVerdict`.
    shown
        The rejecting parties to show, in order (each has gaps in ``verdict.gaps``).
    parties
        Every party of the scenario, in order (fixes the colours).
    names
        Party id to display name.
    """
    by_party = {v.party: v for v in verdict.parties}
    package = package_text(verdict.package)
    rows: list[dict[str, Any]] = []
    headers: list[str] = []
    for p in shown:
        v = by_party[p]
        header = (
            f"{names.get(p, p)} ({p}): utility {v.utility:.3f} < walk-away "
            f"{v.reservation:.3f}, short by {v.shortfall:.3f}"
        )
        headers.append(header)
        rows += [
            {
                "party": p,
                "header": header,
                "issue": g.issue,
                "option": g.option,
                "best_option": g.best_option,
                "change": f"{g.option} → {g.best_option}",
                "cost": num(g.cost),
                "cost_text": f"{g.cost:.3f}",
                "shortfall": num(v.shortfall),
                "closes": bool(g.cost >= v.shortfall),
                "package": package,
            }
            for g in verdict.gaps[p]
        ]
    top = max([r["cost"] for r in rows] + [r["shortfall"] for r in rows])
    x_scale = {"domain": [0, round(top * 1.12 + 0.01, 3)], "nice": False}
    y = {
        "field": "issue",
        "type": "nominal",
        "sort": {"field": "cost", "op": "max", "order": "descending"},
        "title": None,
        "axis": {"labelFontWeight": "bold", "labelFontSize": 11, "ticks": False},
    }
    x_title = "cost to the party (utility 0-1 lost against its best option on the issue)"
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "height": {"band": 0.42}, "yOffset": 5},
            "encoding": {
                "y": y,
                "x": {"field": "cost", "type": "quantitative", "scale": x_scale, "title": x_title},
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(parties, shown),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("party", "nominal"),
                    ("issue", "nominal"),
                    ("option", "nominal", "proposed"),
                    ("best_option", "nominal", "party's best option"),
                    ("cost", "quantitative"),
                    ("shortfall", "quantitative", "short by"),
                    ("package", "nominal"),
                ),
            },
        },
        {
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dy": -8,
                "fontSize": 10,
                "color": "#333333",
            },
            "encoding": {
                "y": y,
                "x": {"datum": 0, "type": "quantitative"},
                "text": {"field": "change"},
            },
        },
        {
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dx": 4,
                "dy": 5,
                "fontSize": 10,
            },
            "encoding": {
                "y": y,
                "x": {"field": "cost", "type": "quantitative"},
                "text": {"field": "cost_text"},
            },
        },
        {
            "transform": [
                {
                    "aggregate": [{"op": "max", "field": "shortfall", "as": "shortfall"}],
                    "groupby": ["header"],
                },
                {"calculate": "'short by ' + format(datum.shortfall, '.3f')", "as": "label"},
            ],
            "layer": [
                {
                    "mark": {
                        "type": "rule",
                        "strokeDash": [5, 3],
                        "strokeWidth": 1.5,
                        "color": BAD,
                    },
                    "encoding": {"x": {"field": "shortfall", "type": "quantitative"}},
                },
                {
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "top",
                        "dx": 3,
                        "y": 1,
                        "fontSize": 10,
                        "color": BAD,
                        "fontWeight": "bold",
                    },
                    "encoding": {
                        "x": {"field": "shortfall", "type": "quantitative"},
                        "text": {"field": "label"},
                    },
                },
            ],
        },
    ]
    finding = _finding(label, shown, verdict, names)
    subtitle = [
        "What each issue costs each rejecting party against its best option there (utility 0-1).",
        "Dashed: how far it falls short of its walk-away point; a bar past the line would close "
        "the gap alone.",
    ]
    unreachable = [p for p in verdict.rejecting if not verdict.gaps.get(p)]
    if unreachable:
        subtitle.append(
            f"{and_list([short_name(p, names) for p in unreachable])} also reject it although it "
            "gives them their best option on every issue: no package reaches their walk-away point."
        )
    detail = "; ".join(
        f"{p}: "
        + ", ".join(
            f"{g.issue} {g.option} → {g.best_option} costs {g.cost:.3f}" for g in verdict.gaps[p]
        )
        + f" (short by {by_party[p].shortfall:.3f})"
        for p in shown
    )
    spec = base(
        finding,
        None,
        f"{finding}. {detail}.",
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
                    "labelFontSize": 12,
                },
            }
        },
        spec={"width": WIDTH, "height": {"step": ROW_HEIGHT}, "layer": layer},
        resolve={"scale": {"y": "independent"}},
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


def _options(
    result: Any, proposal: str | None, party: Sequence[str] | str | None, parties: Any
) -> tuple[str, str, Any, list[str]]:
    if party is not None and parties is not None:
        raise UsageError("give party or parties, not both", parameter="chart_parties")
    pid = choose_proposal(result, proposal, _rejecting(result))
    _, label, verdict = next(t for t in verdicts(result) if t[0] == pid)
    asked = check_parties(
        party if party is not None else parties,
        _with_gaps(verdict),
        kind="rejecting party",
        context=f"of {pid}",
    )
    return pid, label, verdict, asked if asked is not None else _with_gaps(verdict)


def _build(
    result: Any, proposal: str | None, party: Sequence[str] | str | None, parties: Any
) -> Spec:
    _, label, verdict, shown = _options(result, proposal, party, parties)
    names = party_names(result)
    return gaps_spec(label, verdict, shown, list(names), names)


@chart("analysis", "gaps")
def analysis_gaps(
    result: Any,
    proposal: str | None = None,
    party: Sequence[str] | str | None = None,
    parties: Sequence[str] | None = None,
) -> Spec:
    """What each issue of a proposal costs the parties that reject it.

    Parameters
    ----------
    result
        A :class:`zopa.results.Analysis`.
    proposal
        The proposal (default: the analysis's focus proposal if someone rejects it, else the
        first rejected one).
    party, parties
        The rejecting party or parties to show (default: every party whose consent the
        proposal needs and that rejects it).
    """
    return _build(result, proposal, party, parties)


analysis_gaps.applies = lambda result: bool(_rejecting(result))  # type: ignore[attr-defined]


@chart("evaluation", "gaps")
def evaluation_gaps(
    result: Any,
    proposal: str | None = None,
    party: Sequence[str] | str | None = None,
    parties: Sequence[str] | None = None,
) -> Spec:
    """What each issue of the evaluated package costs the parties that reject it.

    Parameters
    ----------
    result
        A :class:`zopa.results.Evaluation`.
    proposal
        ``ad-hoc`` (the only package), or None.
    party, parties
        The rejecting party or parties to show (default: all).
    """
    return _build(result, proposal, party, parties)


evaluation_gaps.applies = lambda result: bool(_with_gaps(result.verdict))  # type: ignore[attr-defined]
