"""Robustness charts: how often each conclusion holds over the samples, and what it hinges on.

For a ``space`` run (:func:`zopa.robust` on the agreement space):

* ``margin`` (main): the distribution of the zone of agreement's margin over the samples, with
  the zero line (below it there is no zone);
* ``acceptance``: P(accept) of every needed party and P(bridges) of every proposal, with 95%
  Wilson score intervals (Wilson, E. B. (1927). "Probable inference, the law of succession,
  and statistical inference". *JASA* 22(158), 209-212), computed by
  :meth:`zopa.results.Robust.acceptance`;
* ``tornado``: the hinges of one conclusion (option ``target``): the conclusion's measure when
  each input lies in its lowest against its highest tenth, sorted by swing (the tornado
  diagram of decision analysis: Howard, R. A. (1988). "Decision analysis: practice and
  promise". *Management Science* 34(6), 679-695);
* ``flip``: one input's effect (option ``input``): the share of samples in which the
  conclusion holds, and its measure, across the input's sampled range, with the flip
  threshold (:func:`zopa.robust.sensitivity.flip_threshold`) marked;
* ``posterior`` (a run conditioned on the parties' reactions): the inputs the reactions moved
  most, each one's median and 90% interval before and after, on its stated range (option
  ``top``: how many). The ``acceptance`` chart of such a run also rings each share before the
  reactions.

For a ``stability`` run: ``equilibria`` (main), P(equilibrium) per state and concept as a heat
table, and ``tornado``, how a verdict depends on each decision maker's preference order. For a
``forecast`` run: ``bands`` (main), the share of samples whose forecast lands in each band of
each issue's scale, with ``tornado`` and ``flip``.

Every number comes from the result object (:class:`zopa.results.Robust`): the charts bin and
arrange, they never sample or analyse.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from zopa.charts import chart
from zopa.charts.palette import BAD, GOOD, NEUTRAL, SEQUENTIAL, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values
from zopa.errors import UnknownId
from zopa.render.words import input_label

NEVER = "#F2F2F2"
"""A cell whose probability is 0: pale grey, so that the colours pick out the equilibria."""

LOW_END, HIGH_END = "#A6A6A6", "#3A3A3A"
"""The tornado's bars: the input in its lowest tenth (light grey) and its highest (dark)."""

BRIDGES = "#333333"
"""P(bridges), drawn beside the parties' P(accept) (no party's colour)."""

ROW = 18
"""Pixels per row of the acceptance and tornado charts."""

MAX_STATES = 40
"""The equilibria heat table shows at most this many states."""


# -- labels ------------------------------------------------------------------------------------


def _proposal_label(result: Any, pid: str) -> str:
    s = result.scenario
    if s is None or pid not in s.proposals:
        return pid
    p = s.proposals[pid]
    return f"{p.title} ({p.date})" if p.date else str(p.title)


def _parties(result: Any) -> tuple[list[str], dict[str, str]]:
    """Every party in the scenario's order (fixes the colours) and their names."""
    s = result.scenario
    if s is not None:
        return list(s.parties), {pid: p.name for pid, p in s.parties.items()}
    seen: list[str] = []
    for p in result.data.get("proposals", []):
        seen += [party for party in p["p_accepts"] if party not in seen]
    return seen, {}


def _num(v: float) -> str:
    """A measure for a label: 3 decimals for utilities, 3 significant digits for larger scales."""
    return f"{v:.3f}" if abs(v) < 10 else f"{v:,.0f}"


def _pct(p: float) -> str:
    """A share as a percentage that never rounds a share short of 1 (or above 0) to 100% (0%)."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def lines(text: str, width: int = WIDTH) -> list[str]:
    """Cut a subtitle into lines that fit ``width`` pixels (about 6 pixels a character)."""
    return textwrap.wrap(text, max(40, width // 6))


def _subtitle(spec: Spec, width: int = WIDTH) -> Spec:
    """Wrap the subtitle :func:`~zopa.charts.spec.base` set into lines of the chart's width."""
    subtitle = spec["title"].get("subtitle")
    if isinstance(subtitle, str):
        spec["title"]["subtitle"] = lines(subtitle, width)
    return spec


def article(concept: str) -> str:
    """``a`` or ``an`` before a concept's abbreviation, as it is read: an R, a GMR, an SMR."""
    return "an" if concept[:1] in "AEFHILMNORSX" else "a"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _issue(result: Any, target: str) -> dict[str, Any]:
    issue: dict[str, Any] = next(i for i in result.data["issues"] if i["issue"] == target)
    return issue


def _unit(result: Any, issue: str) -> str:
    s = result.scenario
    if s is not None and s.forecast is not None and issue in s.forecast:
        unit = s.forecast[issue].scale.unit
        if unit:
            return str(unit)
    return "the issue's scale"


def _describe(result: Any, target: str) -> dict[str, str]:
    """How a conclusion reads in titles and on axes.

    ``name`` (what it is about, in a title), ``subject`` (the same in a sentence), ``verb`` (what holding means, after the name), ``short``
    (inside ``P(...)``), ``measure`` (its continuous measure in a word), ``axis`` (the
    measure with units) and ``zero`` (the label of the measure's zero line, if it has one).
    """
    if result.engine == "forecast":
        band = _issue(result, target)["modal_band"]
        return {
            "name": target,
            "subject": f"the forecast of {target}",
            "verb": f"lands {_band_name(band)}",
            "short": "in the modal band",
            "measure": "forecast",
            "axis": f"forecast of {target} ({_unit(result, target)})",
            "zero": "",
        }
    slack = "least slack of a needed party (utility; below 0: rejected)"
    if target == "zone":
        return {
            "name": "Zone of agreement",
            "subject": "a zone of agreement",
            "verb": "exists",
            "short": "a zone exists",
            "measure": "margin",
            "axis": "zone's margin (utility; below 0: no zone)",
            "zero": "no zone below 0",
        }
    if target == "robust_bridges":
        return {
            "name": "Most robust bridging package",
            "subject": "the most robust bridging package",
            "verb": "bridges the gap",
            "short": "it bridges",
            "measure": "slack",
            "axis": slack,
            "zero": "rejected below 0",
        }
    s = result.scenario
    name = str(s.proposals[target].title) if s is not None and target in s.proposals else target
    return {
        "name": name,
        "subject": name,
        "verb": "bridges the gap",
        "short": "it bridges",
        "measure": "slack",
        "axis": slack,
        "zero": "rejected below 0",
    }


def flip_bins(samples: int) -> int:
    """Intervals of a flip chart: about √n, from 5 to 12 (a few samples per interval at least)."""
    return max(5, min(12, round(math.sqrt(samples))))


def _check_target(result: Any, target: str | None, default: str) -> str:
    chosen = default if target is None else target
    if chosen not in result.targets:
        raise UnknownId("target", chosen, result.targets, parameter="chart_target")
    return chosen


# -- margin ------------------------------------------------------------------------------------


@chart("robustness", "margin", main=True)
def margin(result: Any) -> Spec:
    """The zone's margin over the samples: a histogram, with the zero line and the median."""
    bins = result.margin_histogram()
    zone = result.conclusion("zone")
    n, p = zone["samples"], zone["p"]
    rows = [
        {
            **b,
            "side": "no zone" if b["to"] <= 0 else "zone exists",
            "range": f"{b['from']:.3f} to {b['to']:.3f}",
        }
        for b in bins
    ]
    every = "the one sample" if n == 1 else f"every one of the {n:,} samples"
    if p >= 1:
        head = f"A zone of agreement exists in {every}"
    elif p <= 0:
        head = (
            f"No zone of agreement in {'the one sample' if n == 1 else f'any of the {n:,} samples'}"
        )
    else:
        head = f"A zone of agreement exists in {_pct(p)} of the {n:,} samples"
    lo = min([b["from"] for b in bins] + [0.0])
    hi = max([b["to"] for b in bins] + [0.0])
    pad = (hi - lo) * 0.04 or 0.01
    x_scale = {"domain": [lo - pad, hi + pad], "nice": False}
    detail = (
        f"Margin: how far every needed party's walk-away point can rise before no package is "
        f"acceptable to all of them. P(zone) {_pct(p)} (95% interval {zone['low']:.1%} to "
        f"{zone['high']:.1%}); median margin {zone['median']:.3f}."
    )
    if result.given_reactions:
        detail += " Samples of the inputs given the parties' reactions."
    top = max((b["share"] for b in bins), default=0.0) or 1.0
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "stroke": "white", "strokeWidth": 0.5},
            "encoding": {
                "x": {
                    "field": "from",
                    "type": "quantitative",
                    "scale": x_scale,
                    "title": "zone's margin (utility, 0 to 1 scale): below 0, no zone of agreement",
                },
                "x2": {"field": "to"},
                "y2": {"datum": 0},
                "y": {
                    "field": "share",
                    "type": "quantitative",
                    "title": "share of samples",
                    "axis": {"format": "%"},
                    "scale": {"domain": [0, top * 1.18]},
                },
                "color": {
                    "field": "side",
                    "type": "nominal",
                    "scale": {"domain": ["zone exists", "no zone"], "range": [GOOD, BAD]},
                    "legend": {"title": None},
                },
                "tooltip": tooltip(
                    ("range", "nominal", "margin"),
                    ("count", "quantitative", "samples"),
                    ("share", "quantitative", "share"),
                ),
            },
        },
        {
            "data": values([{"x": 0.0, "label": "0: no zone below"}]),
            "mark": {"type": "rule", "strokeWidth": 2, "color": "black"},
            "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
        },
        {
            "data": values([{"x": 0.0, "label": "← no zone | zone →"}]),
            "mark": {"type": "text", "dy": -4, "fontSize": 10, "baseline": "bottom"},
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "scale": x_scale},
                "y": {"value": 0},
                "text": {"field": "label"},
            },
        },
        {
            "data": values(
                [{"x": round(zone["median"], 6), "label": f"median {zone['median']:.3f}"}]
            ),
            "mark": {"type": "rule", "strokeDash": [4, 3], "color": NEUTRAL},
            "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
        },
        {
            "data": values(
                [{"x": round(zone["median"], 6), "label": f"median {zone['median']:.3f}"}]
            ),
            "mark": {"type": "text", "align": "left", "dx": 4, "dy": 10, "fontSize": 10},
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "scale": x_scale},
                "y": {"value": 0},
                "text": {"field": "label"},
            },
        },
    ]
    spec = base(
        head,
        detail,
        f"{head}. {detail} Histogram of the margin over {n:,} samples.",
        data=values(rows),
        width=WIDTH,
        height=220,
        layer=layer,
    )
    return _subtitle(spec)


margin.applies = lambda result: result.engine == "space" and bool(result.margins())  # type: ignore[attr-defined]


# -- equilibria (stability engine) -------------------------------------------------------------


def _option_ids(result: Any) -> list[str]:
    s = result.scenario
    if s is None or s.strategic is None:
        return []
    return [o for dm in s.strategic.decision_makers.values() for o in dm.options]


def _state_label(state: dict[str, Any]) -> str:
    names = ", ".join(state.get("names") or [])
    label = f"{state['id']} · {state['options']}"
    if names:
        label += f" · {names}"
    if state.get("status_quo"):
        label += " · status quo"
    return label


def _shown_states(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most :data:`MAX_STATES` states: the status quo, named states, the likeliest equilibria."""
    if len(states) <= MAX_STATES:
        return states
    must = [s for s in states if s.get("status_quo") or s.get("names")]
    rest = sorted(
        (s for s in states if s not in must and max(s["p_equilibrium"].values()) > 0),
        key=lambda s: (-sum(s["p_equilibrium"].values()), s["id"]),
    )
    chosen = {s["id"] for s in [*must, *rest][:MAX_STATES]}
    return [s for s in states if s["id"] in chosen]


@chart("robustness", "equilibria")
def equilibria(result: Any) -> Spec:
    """P(equilibrium) per state and stability concept, as a heat table (stability engine)."""
    d = result.data
    concepts = list(d["concepts"])
    states = d["states"]
    shown = _shown_states(states)
    rows = [
        {
            "state": _state_label(st),
            "id": st["id"],
            "concept": c,
            "p": st["p_equilibrium"][c],
            "text": _pct(st["p_equilibrium"][c]),
        }
        for st in shown
        for c in concepts
    ]
    sure = [st for st in states if all(st["p_equilibrium"][c] >= 1 for c in concepts)]
    if d["exact"]:
        how = "" if d["profiles"] == 1 else " in every preference profile"
    else:
        how = f" in all {d['draws']:,} draws"
    if sure:
        ids = [str(st["id"]) for st in sure]
        head = (
            f"State {ids[0]} is an equilibrium under every concept{how}"
            if len(ids) == 1
            else f"States {_listing(ids)} are equilibria under every concept{how}"
        )
    else:
        best = max(states, key=lambda st: (min(st["p_equilibrium"].values()), -st["id"]))
        floor = min(best["p_equilibrium"].values())
        head = (
            f"No state is a sure equilibrium under every concept; state {best['id']} comes "
            f"closest (≥ {_pct(floor)} under each)"
            if floor > 0
            else "No state is an equilibrium under every concept"
        )
    sq = d.get("status_quo")
    sq_text = (
        f" Status quo (state {sq['id']}): "
        + ", ".join(f"{c} {_pct(p)}" for c, p in sq["p_equilibrium"].items())
        + "."
        if sq
        else ""
    )
    basis = (
        "one preference profile (no alternative rankings: each is 0 or 1)"
        if d["exact"] and d["profiles"] == 1
        else f"exact over {d['profiles']:,} preference profiles"
        if d["exact"]
        else f"{d['draws']:,} Monte Carlo draws of the preference profiles"
    )
    cut = f" {len(shown)} of {len(states)} states shown." if len(shown) < len(states) else ""
    options = _option_ids(result)
    vector = f" Options in the vectors: {' '.join(options)} (Y: taken)." if options else ""
    detail = f"P(the state is an equilibrium) per stability concept, {basis}.{sq_text}{cut}{vector}"
    y = {
        "field": "state",
        "type": "nominal",
        "sort": [_state_label(st) for st in shown],
        "title": "state · option vector",
        "axis": {"grid": False},
    }
    x = {
        "field": "concept",
        "type": "nominal",
        "sort": concepts,
        "title": "stability concept",
        "axis": {"orient": "top", "labelAngle": 0, "grid": False},
    }
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        width={"step": 64},
        height={"step": 16},
        layer=[
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "condition": {"test": "datum.p === 0", "value": NEVER},
                        "field": "p",
                        "type": "quantitative",
                        "scale": {"scheme": SEQUENTIAL, "domain": [0, 1], "reverse": True},
                        "legend": {
                            "title": "P(equilibrium)",
                            "format": "%",
                            "values": [0, 0.5, 1],
                        },
                    },
                    "tooltip": tooltip(
                        ("state", "nominal"),
                        ("concept", "nominal"),
                        ("p", "quantitative", "P(equilibrium)"),
                    ),
                },
            },
            {
                "mark": {"type": "text", "fontSize": 10},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "text"},
                    "color": {
                        "condition": {"test": "datum.p > 0.55", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    )
    return _subtitle(spec)


equilibria.applies = lambda result: result.engine == "stability"  # type: ignore[attr-defined]


# -- bands (forecast engine) -------------------------------------------------------------------


def _segment_text(band: dict[str, Any]) -> str:
    """A band's label on its segment, or nothing when it would not fit."""
    text = f"{_short_band(band)}: {_pct(band['share'])}"
    return text if len(text) * 6.2 + 8 < band["share"] * WIDTH else ""


def _band_name(band: dict[str, Any]) -> str:
    """A band's label without the sources in brackets."""
    label = str(band["label"])
    return label.split(" (")[0] if label.endswith(")") else label


def _short_band(band: dict[str, Any]) -> str:
    if band["at_anchor"]:
        return f"at {band['from']:g}"
    return f"{band['from']:g}–{band['to']:g}"


@chart("robustness", "bands")
def bands(result: Any) -> Spec:
    """Where each issue's sampled forecasts land: the shares of its scale's bands, stacked."""
    rows: list[dict[str, Any]] = []
    issues = result.data["issues"]
    for issue in issues:
        start = 0.0
        modal = issue["modal_band"]
        for k, b in enumerate(issue["bands"]):
            end = start + b["share"]
            is_modal = b["label"] == modal["label"]
            rows.append(
                {
                    "issue": issue["issue"],
                    "k": k,
                    "label": b["label"],
                    "short": _short_band(b),
                    "share": b["share"],
                    "start": start,
                    "end": end,
                    "mid": (start + end) / 2,
                    "kind": "modal band"
                    if is_modal
                    else ("at an anchor" if b["at_anchor"] else "between anchors"),
                    "text": _segment_text(b),
                }
            )
            start = end
    ranked = sorted(issues, key=lambda i: -i["modal_band"]["share"])
    first = ranked[0]
    head = (
        f"{first['issue']}: {_band_name(first['modal_band'])} in "
        f"{_pct(first['modal_band']['share'])} of samples"
    )
    if len(ranked) > 1:
        last = ranked[-1]
        head = (
            f"Most settled, {head}; least, {last['issue']}: "
            f"{_band_name(last['modal_band'])} ({_pct(last['modal_band']['share'])})"
        )
    n = result.data["samples"]
    detail = (
        f"Share of {n:,} sampled forecasts landing at each anchor of the issue's scale or between "
        "two, low end of the scale on the left; the modal band highlighted."
    )
    y = {
        "field": "issue",
        "type": "nominal",
        "sort": [i["issue"] for i in issues],
        "title": None,
    }
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        width=WIDTH,
        height={"step": 34},
        layer=[
            {
                "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1.5},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "start",
                        "type": "quantitative",
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": "%"},
                        "title": "share of samples (bands in the order of the issue's scale)",
                    },
                    "x2": {"field": "end"},
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "scale": {
                            "domain": ["modal band", "at an anchor", "between anchors"],
                            "range": [GOOD, "#8C8C8C", "#D0D0D0"],
                        },
                        "legend": {"title": None},
                    },
                    "tooltip": tooltip(
                        ("issue", "nominal"),
                        ("label", "nominal", "band"),
                        ("share", "quantitative", "share of samples"),
                    ),
                },
            },
            {
                "mark": {"type": "text", "fontSize": 10},
                "encoding": {
                    "y": y,
                    "x": {"field": "mid", "type": "quantitative"},
                    "text": {"field": "text"},
                    "color": {
                        "condition": {"test": "datum.kind === 'at an anchor'", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    )
    return _subtitle(spec)


bands.applies = lambda result: result.engine == "forecast"  # type: ignore[attr-defined]


# -- acceptance --------------------------------------------------------------------------------


@chart("robustness", "acceptance")
def acceptance(result: Any) -> Spec:
    """P(accept) per needed party and P(bridges) per proposal, with 95% Wilson intervals."""
    parties, names = _parties(result)
    raw = result.acceptance()
    bridge_pkg = (result.data.get("robust_bridges") or {}).get("packages") or []
    order: list[str] = []
    for r in raw:
        if r["proposal"] not in order:
            order.append(r["proposal"])

    def label(pid: str) -> str:
        if pid == "robust_bridges":
            changes = len(bridge_pkg[0]["changes"]) if bridge_pkg else 0
            return f"Most robust bridging package ({changes} change{'' if changes == 1 else 's'})"
        return _proposal_label(result, pid)

    package = {
        pid: "; ".join(
            f"{i}={o}"
            for i, o in (
                bridge_pkg[0]["package"]
                if pid == "robust_bridges"
                else (
                    dict(result.scenario.package_of(pid))
                    if result.scenario is not None and pid in result.scenario.proposals
                    else {}
                )
            ).items()
        )
        for pid in order
    }
    before = _prior_acceptance(result)
    rows = [
        {
            "proposal": r["proposal"],
            "label": label(r["proposal"]),
            "prior": before.get((r["proposal"], r["party"])),
            "who": r["party"] if r["party"] is not None else "bridges the gap",
            "who_name": names.get(r["party"], r["party"])
            if r["party"] is not None
            else "all needed parties accept (bridges the gap)",
            "p": round(r["p"], 6),
            "low": round(r["low"], 6),
            "high": round(r["high"], 6),
            "text": _pct(r["p"]),
            "package": package[r["proposal"]],
        }
        for r in raw
    ]
    n = raw[0]["samples"] if raw else result.data["samples"]
    bridging = {r["proposal"]: r["p"] for r in raw if r["party"] is None}
    proposals = [pid for pid in order if pid != "robust_bridges"]
    if proposals:
        best = max(proposals, key=lambda pid: bridging[pid])
        if bridging[best] <= 0:
            head = f"No proposal on the table bridges the gap in any of the {n:,} samples"
        else:
            head = f"{label(best)} bridges the gap in {_pct(bridging[best])} of samples"
    else:
        head = "No proposal on the table"
    if "robust_bridges" in bridging:
        head += f"; the most robust bridging package does in {_pct(bridging['robust_bridges'])}"
    detail = (
        f"P(accept) of each party whose consent is needed and P(bridges the gap), over {n:,} "
        "samples; the line is the 95% Wilson score interval of the share."
    )
    if before:
        detail = (
            f"P(accept) of each party whose consent is needed and P(bridges the gap), over {n:,} "
            "samples of the inputs given the parties' reactions (dots; the line is the 95% "
            "Wilson score interval) and before them (rings: the stated ranges alone)."
        )
    who_order = [*parties, "bridges the gap"]
    colours = party_scale(parties)
    colour = {
        "field": "who",
        "type": "nominal",
        "scale": {
            "domain": [*colours["domain"], "bridges the gap"],  # type: ignore[misc]
            "range": [*colours["range"], BRIDGES],  # type: ignore[misc]
        },
        "legend": None,
    }
    y = {"field": "who", "type": "nominal", "sort": who_order, "title": None}
    x_scale = {"domain": [0, 1]}
    layer = [
        {
            "mark": {"type": "rule", "strokeWidth": 2.5},
            "encoding": {
                "y": y,
                "x": {"field": "low", "type": "quantitative", "scale": x_scale},
                "x2": {"field": "high"},
                "color": colour,
            },
        },
        {
            "mark": {
                "type": "point",
                "filled": True,
                "size": 60,
                "stroke": "black",
                "strokeWidth": 0.5,
            },
            "encoding": {
                "y": y,
                "x": {
                    "field": "p",
                    "type": "quantitative",
                    "scale": x_scale,
                    "axis": {"format": "%"},
                    "title": f"probability over {n:,} samples (line: 95% Wilson interval)",
                },
                "color": colour,
                "shape": {
                    "condition": {"test": "datum.who === 'bridges the gap'", "value": "diamond"},
                    "value": "circle",
                },
                "tooltip": tooltip(
                    ("label", "nominal", "proposal"),
                    ("who_name", "nominal", "who"),
                    ("p", "quantitative", "probability"),
                    ("low", "quantitative", "95% interval from"),
                    ("high", "quantitative", "95% interval to"),
                    ("package", "nominal"),
                ),
            },
        },
        *(
            [
                {
                    "transform": [{"filter": "datum.prior != null"}],
                    "mark": {"type": "point", "filled": False, "size": 70, "strokeWidth": 1.5},
                    "encoding": {
                        "y": y,
                        "x": {"field": "prior", "type": "quantitative", "scale": x_scale},
                        "color": colour,
                        "tooltip": tooltip(
                            ("label", "nominal", "proposal"),
                            ("who_name", "nominal", "who"),
                            ("prior", "quantitative", "probability before the reactions"),
                            ("p", "quantitative", "given the reactions"),
                            ("package", "nominal"),
                        ),
                    },
                }
            ]
            if before
            else []
        ),
        {
            "mark": {"type": "text", "align": "left", "dx": 7, "fontSize": 10},
            "encoding": {
                "y": y,
                "x": {"field": "high", "type": "quantitative", "scale": x_scale},
                "text": {"field": "text"},
                "color": {
                    "condition": {"test": "datum.who === 'bridges the gap'", "value": "black"},
                    "value": "#444444",
                },
            },
        },
    ]
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        facet={
            "row": {
                "field": "label",
                "type": "nominal",
                "sort": [label(pid) for pid in order],
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
        spec={"width": WIDTH - 60, "height": {"step": ROW}, "layer": layer},
        resolve={"scale": {"y": "independent"}},
    )
    return _subtitle(spec)


acceptance.applies = lambda result: result.engine == "space" and bool(result.data["proposals"])  # type: ignore[attr-defined]


def _prior_acceptance(result: Any) -> dict[tuple[str, str | None], float]:
    """For a run conditioned on the reactions: each (proposal, party)'s share before them.

    The most robust bridging package has one only when the prior run ranked the same package
    first.
    """
    if not result.given_reactions:
        return {}
    rows = result.acceptance(prior=True)
    before = (result.data.get("prior") or {}).get("robust_bridges") or {}
    after = result.data.get("robust_bridges") or {}
    same = (
        bool(before.get("packages"))
        and bool(after.get("packages"))
        and before["packages"][0]["package"] == after["packages"][0]["package"]
    )
    return {
        (r["proposal"], r["party"]): round(r["p"], 6)
        for r in rows
        if r["proposal"] != "robust_bridges" or same
    }


# -- posterior ---------------------------------------------------------------------------------

MOVED = 12
"""The posterior chart shows the inputs the reactions moved most, at most this many."""


def _value(v: float) -> str:
    return f"{v:.3f}"


@chart("robustness", "posterior")
def posterior(result: Any, top: int = MOVED) -> Spec:
    """Each input's 90% interval and median before and given the reactions, most moved first.

    Every input is drawn on its own stated range, from its low end (0) to its high end (1), so
    that weights, values and walk-away points can share an axis; the tooltips give the values.
    """
    items = result.input_shifts(top)
    parties, names = _parties(result)
    rows: list[dict[str, Any]] = []
    for item in items:
        width = item["high"] - item["low"]

        def at(v: float, item: dict[str, Any] = item, width: float = width) -> float:
            return round((v - item["low"]) / width, 6) if width > 0 else 0.5

        label = input_label(item["input"])
        for when, key in (("before the reactions", "prior"), ("given the reactions", "posterior")):
            rows.append(
                {
                    "input": label,
                    "path": item["input"],
                    "when": when,
                    "party": item["party"] or "",
                    "party_name": names.get(item["party"] or "", item["party"] or ""),
                    "from": at(item[f"{key}_q05"]),
                    "to": at(item[f"{key}_q95"]),
                    "mid": at(item[f"{key}_q50"]),
                    "values": (
                        f"{_value(item[f'{key}_q50'])} (90%: {_value(item[f'{key}_q05'])} to "
                        f"{_value(item[f'{key}_q95'])})"
                    ),
                    "range": f"{_value(item['low'])} to {_value(item['high'])}",
                    "moved": f"{item['shift']:+.2f} interquartile ranges (KS {item['ks']:.2f})",
                    "text": f"{_value(item['prior_q50'])} → {_value(item['posterior_q50'])}"
                    if key == "posterior"
                    else "",
                }
            )
    first = items[0]
    head = (
        f"The reactions moved {input_label(first['input'])} most: median "
        f"{_value(first['prior_q50'])} → {_value(first['posterior_q50'])}"
    )
    n = result.data["samples"]
    detail = (
        f"The {len(items)} inputs the parties' reactions moved most (Kolmogorov–Smirnov "
        "distance from the prior): each one's median and 90% interval before the reactions "
        f"(grey) and given them (the party's colour; {n:,} samples), drawn on its stated range "
        "from its low end (0) to its high end (1); the text gives the median's values."
    )
    order = [input_label(i["input"]) for i in items]
    y = {
        "field": "input",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelLimit": 280},
        "scale": {"paddingInner": 0.25, "paddingOuter": 0.15},
    }
    offset = {
        "field": "when",
        "type": "nominal",
        "sort": ["before the reactions", "given the reactions"],
        "scale": {"paddingInner": 0.1},
    }
    x_scale = {"domain": [0, 1]}
    shown = [p for p in parties if any(i["party"] == p for i in items)]
    colours = party_scale(parties, shown)
    colour = {
        "condition": {"test": "datum.when === 'before the reactions'", "value": NEUTRAL},
        "field": "party",
        "type": "nominal",
        "scale": colours,
        "legend": {"title": "given the reactions"} if shown else None,
    }
    tips = tooltip(
        ("path", "nominal", "input"),
        ("when", "nominal"),
        ("values", "nominal", "median (90% interval)"),
        ("range", "nominal", "stated range"),
        ("moved", "nominal", "median moved by"),
    )
    layer = [
        {
            "mark": {"type": "rule", "strokeWidth": 4},
            "encoding": {
                "y": y,
                "yOffset": offset,
                "x": {
                    "field": "from",
                    "type": "quantitative",
                    "scale": x_scale,
                    "title": "position within the input's stated range (0: low end, 1: high end)",
                },
                "x2": {"field": "to"},
                "color": colour,
                "tooltip": tips,
            },
        },
        {
            "mark": {"type": "tick", "thickness": 2, "size": 10, "color": "black"},
            "encoding": {
                "y": y,
                "yOffset": offset,
                "x": {"field": "mid", "type": "quantitative", "scale": x_scale},
                "tooltip": tips,
            },
        },
        {
            "transform": [{"filter": "datum.text != ''"}],
            "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10},
            "encoding": {
                "y": y,
                "yOffset": offset,
                "x": {"datum": 1, "type": "quantitative", "scale": x_scale},
                "text": {"field": "text"},
            },
        },
    ]
    spec = base(
        head,
        detail,
        f"{head}. {detail} "
        + "; ".join(
            f"{input_label(i['input'])}: {_value(i['prior_q50'])} → {_value(i['posterior_q50'])}"
            for i in items
        )
        + ".",
        data=values(rows),
        width=WIDTH - 200,
        height={"step": 11},
        layer=layer,
    )
    return _subtitle(spec)


posterior.applies = lambda result: result.engine == "space" and bool(result.input_shifts(1))  # type: ignore[attr-defined]


# -- tornado -----------------------------------------------------------------------------------


def _default_target(result: Any) -> str:
    targets = result.targets
    if result.engine == "space":
        return "zone" if "zone" in targets else targets[0]
    if result.engine == "stability":
        sq = next((st for st in result.data["states"] if st.get("status_quo")), None)
        if sq is not None:
            mine = [t for t in targets if t.split(":")[0] == str(sq["id"])]
            if mine:
                return str(max(mine, key=lambda t: (result.hinges(t)[0]["swing"], -mine.index(t))))
    return str(targets[0])


@chart("robustness", "tornado")
def tornado(result: Any, target: str | None = None) -> Spec:
    """The hinges of one conclusion as a tornado chart, sorted by swing.

    Parameters
    ----------
    target
        One of ``result.targets`` (default: the zone for a ``space`` run, the first issue for
        a ``forecast`` run, the status quo's most uncertain verdict for a ``stability`` run).
    """
    chosen = _check_target(result, target, _default_target(result))
    if result.engine == "stability":
        return _order_tornado(result, chosen)
    hinges = result.hinges(chosen)
    summary = result.conclusion(chosen)
    text = _describe(result, chosen)
    mean = summary["mean"]
    ranked = sorted(hinges, key=lambda h: -abs(h["high"] - h["low"]))

    def row_label(h: dict[str, Any]) -> str:
        label = input_label(h["input"])
        if h.get("threshold") is not None:
            label += f" (flips at {h['threshold']:.3g})"
        return label

    rows = [
        {
            "input": row_label(h),
            "path": h["input"],
            "end": end,
            "value": round(h[key], 6),
            "mean": round(mean, 6),
            "p": h[pkey],
            "spearman": h["spearman"],
            "text": f"{_num(h[key])} ({_pct(h[pkey])})",
            "right": h[key] >= mean,
        }
        for h in ranked
        for end, key, pkey in (
            ("input in its lowest tenth", "low", "p_low"),
            ("input in its highest tenth", "high", "p_high"),
        )
    ]
    top = ranked[0]
    head = (
        f"{text['name']}: the {text['measure']} hinges most on {input_label(top['input'])} "
        f"({_num(top['low'])} at its low end, {_num(top['high'])} at its high end)"
    )
    detail = (
        f"Mean {text['axis'].split(' (')[0]} when each input lies in its lowest or highest "
        f"tenth (in brackets: how often {text['subject']} {text['verb']} there); bars "
        f"start at the mean over all {summary['samples']:,} samples, {_num(mean)}."
    )
    spread = [r["value"] for r in rows] + [mean]
    zero = bool(text["zero"])
    if zero:
        spread.append(0.0)
    lo, hi = min(spread), max(spread)
    pad = (hi - lo) * 0.28 or abs(hi) * 0.1 or 0.01
    x_scale = {"domain": [lo - pad, hi + pad], "nice": False, "zero": False}
    y = {
        "field": "input",
        "type": "nominal",
        "sort": [row_label(h) for h in ranked],
        "title": None,
        "axis": {"labelLimit": 260},
        "scale": {"paddingInner": 0.3, "paddingOuter": 0.15},
    }
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "y": y,
                "yOffset": {
                    "field": "end",
                    "type": "nominal",
                    "sort": ["input in its lowest tenth", "input in its highest tenth"],
                },
                "x": {
                    "field": "mean",
                    "type": "quantitative",
                    "scale": x_scale,
                    "title": text["axis"],
                    "axis": {"tickCount": 6},
                },
                "x2": {"field": "value"},
                "color": {
                    "field": "end",
                    "type": "nominal",
                    "scale": {
                        "domain": ["input in its lowest tenth", "input in its highest tenth"],
                        "range": [LOW_END, HIGH_END],
                    },
                    "legend": {"title": None},
                },
                "tooltip": tooltip(
                    ("path", "nominal", "input"),
                    ("end", "nominal", "samples"),
                    ("value", "quantitative", "mean measure"),
                    ("p", "quantitative", "share in which it holds"),
                    ("spearman", "quantitative", "Spearman's ρ"),
                ),
            },
        },
        {
            "mark": {"type": "text", "fontSize": 9.5, "dx": 4, "align": "left"},
            "transform": [{"filter": "datum.right"}],
            "encoding": {
                "y": y,
                "yOffset": {
                    "field": "end",
                    "type": "nominal",
                    "sort": ["input in its lowest tenth", "input in its highest tenth"],
                },
                "x": {"field": "value", "type": "quantitative", "scale": x_scale},
                "text": {"field": "text"},
            },
        },
        {
            "mark": {"type": "text", "fontSize": 9.5, "dx": -4, "align": "right"},
            "transform": [{"filter": "!datum.right"}],
            "encoding": {
                "y": y,
                "yOffset": {
                    "field": "end",
                    "type": "nominal",
                    "sort": ["input in its lowest tenth", "input in its highest tenth"],
                },
                "x": {"field": "value", "type": "quantitative", "scale": x_scale},
                "text": {"field": "text"},
            },
        },
        {
            "data": values([{"x": round(mean, 6)}]),
            "mark": {"type": "rule", "color": "black", "strokeWidth": 1},
            "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
        },
    ]
    if zero:
        layer.append(
            {
                "data": values([{"x": 0.0, "label": text["zero"]}]),
                "mark": {"type": "rule", "color": BAD, "strokeDash": [4, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
            }
        )
        layer.append(
            {
                "data": values([{"x": 0.0, "label": text["zero"]}]),
                "mark": {
                    "type": "text",
                    "color": BAD,
                    "fontSize": 10,
                    "align": "right",
                    "dx": -3,
                    "baseline": "bottom",
                },
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": x_scale},
                    "y": {"value": 0},
                    "text": {"field": "label"},
                },
            }
        )
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        width=WIDTH - 160,
        height={"step": 15},
        layer=layer,
    )
    return _subtitle(spec)


def _order_tornado(result: Any, target: str) -> Spec:
    """How a state's verdict depends on each decision maker's preference order."""
    state_id, _, concept = target.partition(":")
    state = next(st for st in result.data["states"] if str(st["id"]) == state_id)
    p = state["p_equilibrium"][concept]
    hinges = sorted(result.hinges(target), key=lambda h: -h["swing"])
    rows = [
        {
            "dm": h["decision_maker"],
            "order": order,
            "p": given,
            "text": f"{order} {_pct(given)}",
            "swing": h["swing"],
            "explained": h["explained"],
        }
        for h in hinges
        for order, given in h["given"].items()
        if given is not None
    ]
    ranges = [
        {
            "dm": h["decision_maker"],
            "low": min(v for v in h["given"].values() if v is not None),
            "high": max(v for v in h["given"].values() if v is not None),
        }
        for h in hinges
    ]
    top = hinges[0]
    seen = {k: v for k, v in top["given"].items() if v is not None}
    hi_order = max(seen, key=lambda k: seen[k])
    lo_order = min(seen, key=lambda k: seen[k])
    what = f"state {state['id']} ({state['options']})"
    head = (
        f"Whether {what} is {article(concept)} {concept} equilibrium hinges on "
        f"{top['decision_maker']}: "
        f"{_pct(seen[hi_order])} under {hi_order}, {_pct(seen[lo_order])} under {lo_order}"
    )
    detail = (
        f"P({what} is {article(concept)} {concept} equilibrium) given each decision maker's "
        "preference order; "
        f"the vertical line is the overall {_pct(p)}."
    )
    y = {
        "field": "dm",
        "type": "nominal",
        "sort": [h["decision_maker"] for h in hinges],
        "title": None,
    }
    x_scale = {"domain": [0, 1]}
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        width=WIDTH - 100,
        height={"step": 40},
        layer=[
            {
                "data": values(ranges),
                "mark": {"type": "rule", "strokeWidth": 3, "color": NEUTRAL},
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "high"},
                },
            },
            {
                "data": values(rows),
                "mark": {"type": "point", "filled": True, "size": 80, "color": "black"},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "p",
                        "type": "quantitative",
                        "scale": x_scale,
                        "axis": {"format": "%"},
                        "title": f"P(state {state['id']} is {article(concept)} {concept} "
                        "equilibrium | the order)",
                    },
                    "tooltip": tooltip(
                        ("dm", "nominal", "decision maker"),
                        ("order", "nominal", "preference order"),
                        ("p", "quantitative", "P(equilibrium | order)"),
                        ("explained", "quantitative", "share of variance explained"),
                    ),
                },
            },
            *(
                {
                    "data": values(rows),
                    "transform": [{"filter": test}],
                    "mark": {"type": "text", "dy": -11, "fontSize": 10, "align": align, "dx": dx},
                    "encoding": {
                        "y": y,
                        "x": {"field": "p", "type": "quantitative", "scale": x_scale},
                        "text": {"field": "text"},
                    },
                }
                # labels run into the plot from the ends of the axis
                for test, align, dx in (
                    ("datum.p < 0.5", "left", -6),
                    ("datum.p >= 0.5", "right", 6),
                )
            ),
            {
                "data": values([{"x": p}]),
                "mark": {"type": "rule", "color": BAD, "strokeDash": [4, 3]},
                "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
            },
        ],
    )
    return _subtitle(spec)


def _has_hinges(result: Any) -> bool:
    return any(result.hinges(t) for t in result.targets)


tornado.applies = _has_hinges  # type: ignore[attr-defined]


# -- flip --------------------------------------------------------------------------------------


@chart("robustness", "flip")
def flip(result: Any, target: str | None = None, input: str | None = None) -> Spec:
    """How a conclusion changes across one input's range, with its flip threshold.

    Parameters
    ----------
    target
        One of ``result.targets`` (default: the zone, or the first issue).
    input
        One of the target's hinge inputs (default: the top hinge).
    """
    chosen = _check_target(result, target, _default_target(result))
    hinges = result.hinges(chosen)
    inputs = [h["input"] for h in hinges]
    if not inputs:
        raise UnknownId(
            "input", input or "", inputs, parameter="chart_input", context=f"of {chosen}"
        )
    picked = inputs[0] if input is None else input
    if picked not in inputs:
        raise UnknownId("input", picked, inputs, parameter="chart_input", context=f"of {chosen}")
    hinge = hinges[inputs.index(picked)]
    summary = result.conclusion(chosen)
    bins = result.flip(chosen, picked, bins=flip_bins(summary["samples"]))
    text = _describe(result, chosen)
    label = input_label(picked)
    rows = [
        {
            **{k: round(v, 6) if isinstance(v, float) else v for k, v in b.items()},
            "range": f"{b['from']:.4g} to {b['to']:.4g}",
        }
        for b in bins
    ]
    threshold = hinge.get("threshold")
    if threshold is not None:
        head = (
            f"{text['name']}: {text['verb']} when {label} is {hinge['holds_when']} "
            f"{threshold:.3g} (right in {_pct(hinge['accuracy'])} of samples)"
        )
    else:
        ps = [b["p"] for b in bins]
        if max(ps) - min(ps) < 1e-9:
            how = {0.0: "in no sample", 1.0: "in every sample"}.get(
                ps[0], f"in {_pct(ps[0])} of samples"
            )
            head = (
                f"{text['name']}: {text['verb']} {how} across {label}'s range; median "
                f"{text['measure']} {_num(bins[0]['median'])} → {_num(bins[-1]['median'])}"
            )
        else:
            head = (
                f"{text['name']}: {text['verb']} in {_pct(ps[0])} of samples at the low end "
                f"of {label}, {_pct(ps[-1])} at the high end"
            )
    detail = (
        f"The {summary['samples']:,} samples cut into {len(bins)} intervals of {label}: top, "
        f"how often {text['subject']} {text['verb']} (band: 95% Wilson interval); "
        f"bottom, the median {text['axis'].split(' (')[0]} (band: middle half of the samples)."
    )
    x_scale = {"zero": False, "nice": False, "domain": [bins[0]["from"], bins[-1]["to"]]}
    x = {
        "field": "mid",
        "type": "quantitative",
        "scale": x_scale,
        "title": f"{label} (sampled value)",
    }
    marks: list[dict[str, Any]] = []
    if threshold is not None:
        marks = [
            {
                "data": values([{"x": threshold, "label": f"flips at {threshold:.3g}"}]),
                "mark": {
                    "type": "rule",
                    "color": "black",
                    "strokeDash": [5, 3],
                    "strokeWidth": 1.5,
                },
                "encoding": {"x": {"field": "x", "type": "quantitative", "scale": x_scale}},
            },
            {
                "data": values([{"x": threshold, "label": f"flips at {threshold:.3g}"}]),
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 4,
                    "baseline": "top",
                    "fontSize": 10,
                },
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": x_scale},
                    "y": {"value": 2},
                    "text": {"field": "label"},
                },
            },
        ]
    probability = {
        "width": WIDTH,
        "height": 130,
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25, "color": GOOD},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "color": GOOD, "point": {"filled": True, "color": GOOD}},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "p",
                        "type": "quantitative",
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": "%"},
                        "title": f"P({text['short']})",
                    },
                    "tooltip": tooltip(
                        ("range", "nominal", label),
                        ("samples", "quantitative", "samples"),
                        ("p", "quantitative", "share in which it holds"),
                        ("low", "quantitative", "95% interval from"),
                        ("high", "quantitative", "95% interval to"),
                    ),
                },
            },
            *marks,
        ],
    }
    measure_layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "area", "opacity": 0.25, "color": NEUTRAL},
            "encoding": {
                "x": x,
                "y": {"field": "q25", "type": "quantitative"},
                "y2": {"field": "q75"},
            },
        },
        {
            "mark": {"type": "line", "color": "black", "point": {"filled": True, "color": "black"}},
            "encoding": {
                "x": x,
                "y": {
                    "field": "median",
                    "type": "quantitative",
                    "scale": {"zero": False},
                    "title": text["axis"].split(" (")[0],
                },
                "tooltip": tooltip(
                    ("range", "nominal", label),
                    ("median", "quantitative", "median"),
                    ("q25", "quantitative", "lower quartile"),
                    ("q75", "quantitative", "upper quartile"),
                ),
            },
        },
        *marks,
    ]
    if text["zero"]:
        measure_layers.insert(
            0,
            {
                "data": values([{"y": 0.0}]),
                "mark": {"type": "rule", "color": BAD, "strokeDash": [4, 3]},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
        )
    elif result.engine == "forecast":
        band = _issue(result, chosen)["modal_band"]
        edges = sorted({band["from"], band["to"]})
        measure_layers.insert(
            0,
            {
                "data": values([{"y": e, "label": "modal band"} for e in edges]),
                "mark": {"type": "rule", "color": GOOD, "strokeDash": [4, 3]},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
        )
    measure = {"width": WIDTH, "height": 130, "layer": measure_layers}
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        vconcat=[probability, measure],
        spacing=12,
    )
    return _subtitle(spec)


flip.applies = lambda result: result.engine in ("space", "forecast") and _has_hinges(result)  # type: ignore[attr-defined]
