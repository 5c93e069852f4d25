"""Are the sides converging? The gap between the sides over time, with the proposals and reactions.

For each pair of sides (:mod:`zopa.space.timeline`), three step lines over the dates: the gap
(dark grey, thick: the sum of both shortfalls) and each side's part of it — how far its latest
proposal falls short of the other side's walk-away point — in the side's colour. A step holds
from the date a proposal appeared until the next one. With sampled inputs, a pale band spans the
5th to 95th percentiles of each line. Every proposal is a dashed rule on its date in its
(first) author's colour, labelled at the top; a side's proposal is also a point on its own
line. Reactions are small marks under the labels (shape: the stance). The title is the
verdict.

References
----------
The shortfall below a walk-away point as the distance to agreement: Raiffa, H. (1982). *The Art
and Science of Negotiation*. Harvard University Press, ch. 4.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zopa.charts import chart
from zopa.charts.palette import NEUTRAL, party_colours, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values
from zopa.charts.talks import halo

HEIGHT = 300
"""Pixels of the plot."""

LANE = 14
"""Pixels per row of proposal labels at the top of the plot."""

CHAR = 5.6
"""Estimated pixels per character of a 10-pixel label (Liberation Sans), for label lanes."""

TOTAL_COLOUR = "#444444"
"""The gap's own line (no party's: the sum of both sides' shortfalls)."""

STANCE_SHAPES = {
    "accepts": "triangle-up",
    "basis-for-talks": "circle",
    "unacceptable-as-is": "square",
    "rejects": "triangle-down",
}
"""The mark of each stance of a reaction, from the firmest yes to the firmest no."""

PAD_DAYS = 1.0
"""Days of margin either side of the dates, at least..."""

PAD_SHARE = 0.06
"""...or this share of the timeline's span: the last step shows (each line holds to the edge)."""


def _ms(day: dt.date, hours: float = 0.0) -> float:
    """Milliseconds since the epoch at UTC midnight of ``day`` (plus ``hours``)."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
    return (at - epoch).total_seconds() * 1000


def _colour_party(by: list[str], sides: tuple[str, ...]) -> str:
    """Whose colour a proposal takes: its first author that is a side, else its first author."""
    return next((p for p in by if p in sides), by[0])


def _package(scenario: Any, pid: str) -> str:
    """A proposal's package as ``issue=option`` pairs (tooltips)."""
    return "; ".join(f"{i}={o}" for i, o in scenario.package_of(pid).items())


def _lanes(labels: list[dict[str, Any]], x0: float, x1: float) -> int:
    """Give each label a lane (row) in which it overlaps no other; return the number of lanes.

    A label is written from its date to the right, or to the left when it would pass the right
    edge; its width is estimated from its length (:data:`CHAR`).
    """
    taken: list[list[tuple[float, float]]] = []
    for label in labels:
        px = (label["x_ms"] - x0) / (x1 - x0) * WIDTH
        width = len(label["text"]) * CHAR + 6
        right = px + width <= WIDTH
        span = (px, px + width) if right else (px - width, px)
        label["align"] = "left" if right else "right"
        for k, spans in enumerate(taken):
            if all(span[1] <= a or span[0] >= b for a, b in spans):
                spans.append(span)
                label["lane"] = k
                break
        else:
            taken.append([span])
            label["lane"] = len(taken) - 1
    return len(taken)


def _series(pair: str, measure: str, a: str, b: str) -> str:
    """The legend's name of one line of a pair."""
    if measure == "gap":
        return f"gap {pair} (both shortfalls)"
    side, other = (a, b) if measure == "gap_a" else (b, a)
    return f"{side}'s offer: short for {other}"


def _title(result: Any) -> tuple[str, list[str]]:
    """The verdict as the title (its cause in the subtitle when it is long)."""
    verdicts = result.result.verdicts
    first = verdicts[0]
    text = first.text[0].upper() + first.text[1:]
    lines: list[str] = []
    if len(verdicts) == 1 and len(text) <= 80:
        return text, lines
    head = first.headline[0].upper() + first.headline[1:]
    if first.cause:
        lines.append(first.cause[0].upper() + first.cause[1:] + ".")
    lines += [v.text[0].upper() + v.text[1:] + "." for v in verdicts[1:]]
    return head, lines


@chart("timeline", "gaps", main=True)
def timeline_gaps(result: Any) -> Spec:
    """The gap between the sides on each date, with the proposals and reactions that moved it."""
    r = result.result
    scenario = result.scenario
    parties = list(scenario.parties)
    colours = party_colours(parties)
    days = [d.date for d in r.dates]
    span_days = max((days[-1] - days[0]).days, 1)
    pad = max(PAD_DAYS, span_days * PAD_SHARE)
    x0, x1 = _ms(days[0], -24 * pad), _ms(days[-1], 24 * pad)
    x_scale = {"type": "utc", "domain": [x0, x1], "nice": False}
    x = {
        "field": "date",
        "type": "temporal",
        "scale": x_scale,
        "title": "date",
        "axis": {"format": "%-d %b", "labelOverlap": True, "tickCount": 8},
    }

    # the gap lines
    points = result.gap_points()
    series_order: list[str] = []
    series_colour: list[str] = []
    for a, b in r.pairs:
        pair = f"{a}–{b}"
        for measure, colour in (
            ("gap", TOTAL_COLOUR),
            ("gap_a", colours[a]),
            ("gap_b", colours[b]),
        ):
            series_order.append(_series(pair, measure, a, b))
            series_colour.append(colour)
    for p in points:
        p["series"] = _series(p["pair"], p["measure"], p["a"], p["b"])
        p["what"] = (
            "the sum of both sides' shortfalls"
            if p["measure"] == "gap"
            else f"{p['party']}'s latest proposal falls short of "
            f"{p['b'] if p['measure'] == 'gap_a' else p['a']}'s walk-away point by this much"
        )
    # each line holds its last value to the right edge (until something new appears)
    end = dt.datetime.fromtimestamp(x1 / 1000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    last_of: dict[str, dict[str, Any]] = {}
    for p in points:
        last_of[p["series"]] = p
    extended = points + [{**p, "date": end} for p in last_of.values()]
    shown = [s for s in series_order if any(p["series"] == s for p in points)]
    colour_scale = {
        "domain": shown,
        "range": [series_colour[series_order.index(s)] for s in shown],
    }
    top = max((p.get("high", p["value"]) for p in points), default=0.0)
    top = max(top, 0.05)

    # proposals and reactions
    proposals = [
        {
            "proposal": pid,
            "title": scenario.proposals[pid].title,
            "by": ", ".join(scenario.proposals[pid].by),
            "party": _colour_party(scenario.proposals[pid].by, r.sides),
            "date": d.date.isoformat(),
            "x_ms": _ms(d.date),
            "package": _package(scenario, pid),
            "text": pid,
        }
        for d in r.dates
        for pid in d.new_proposals
    ]
    shifts = [
        {
            "date": shift["date"],
            "x_ms": _ms(dt.date.fromisoformat(shift["date"])),
            "event": shift["event"],
            "text": "walk-away: " + ", ".join(f"{p} {v:+.2f}" for p, v in shift["parties"].items()),
        }
        for shift in r.shifts
        if shift["date"] is not None
    ]
    # proposals and shifts share the lanes, in date order
    lanes = _lanes(sorted([*proposals, *shifts], key=lambda label: label["x_ms"]), x0, x1)
    reactions = [
        {
            "date": d.date.isoformat(),
            "at": _ms(d.date, 6 * k),
            "party": note.party,
            "stance": note.stance,
            "proposal": note.proposal,
            "quote": note.quote or "",
            "source": ", ".join(note.source),
        }
        for d in r.dates
        for k, note in enumerate(d.reactions)
    ]
    reaction_row = lanes * LANE + 8
    reserved = reaction_row + (12 if reactions else 0) + 6
    y_max = top * HEIGHT / max(HEIGHT - reserved, HEIGHT / 2)
    y_scale = {"domain": [0, round(y_max, 6)], "nice": False}
    for p in [*proposals, *shifts]:
        p["y_px"] = 4 + p["lane"] * LANE

    # a side's proposal is also a point on its own line
    on_line = []
    for p in points:
        if p["measure"] == "gap" or p["proposal"] is None:
            continue
        pid = p["proposal"]
        if any(q["proposal"] == pid and q["date"] == p["date"] for q in proposals):
            on_line.append({**p, "title": scenario.proposals[pid].title})

    y = {
        "field": "value",
        "type": "quantitative",
        "scale": y_scale,
        "title": "gap (utility below the other side's walk-away point)",
    }
    legend = {"title": None, "orient": "bottom", "columns": 1, "labelLimit": 300}
    layers: list[Spec] = [
        {
            "data": values(proposals),
            "mark": {"type": "rule", "strokeDash": [3, 3], "opacity": 0.6},
            "encoding": {
                "x": x,
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(
                        parties, [q for q in parties if any(p["party"] == q for p in proposals)]
                    ),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("proposal", "nominal"),
                    ("title", "nominal"),
                    ("by", "nominal"),
                    ("date", "temporal"),
                    ("package", "nominal"),
                ),
            },
        },
    ]
    if any("low" in p for p in points):
        layers.append(
            {
                "data": values([p for p in extended if "low" in p]),
                "mark": {"type": "area", "interpolate": "step-after", "opacity": 0.14},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "low"},
                    "y2": {"field": "high"},
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "scale": colour_scale,
                        "legend": None,
                    },
                    "detail": {"field": "series"},
                },
            }
        )
    layers += [
        {
            "data": values(extended),
            "mark": {"type": "line", "interpolate": "step-after"},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "scale": colour_scale,
                    "legend": legend,
                },
                "strokeWidth": {
                    "field": "measure",
                    "type": "nominal",
                    "scale": {"domain": ["gap", "gap_a", "gap_b"], "range": [3, 1.6, 1.6]},
                    "legend": None,
                },
            },
        },
        {
            "data": values(points),
            "mark": {"type": "point", "filled": True, "size": 30, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "scale": colour_scale,
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("date", "temporal"),
                    ("series", "nominal", "line"),
                    ("value", "quantitative", "utility"),
                    ("proposal", "nominal", "latest proposal(s)"),
                    ("what", "nominal", "meaning"),
                ),
            },
        },
        {
            "data": values(on_line),
            "mark": {
                "type": "point",
                "filled": True,
                "size": 110,
                "stroke": "black",
                "strokeWidth": 1,
            },
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(
                        parties, [q for q in parties if any(p["party"] == q for p in on_line)]
                    ),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("proposal", "nominal", "new proposal"),
                    ("title", "nominal"),
                    ("party", "nominal", "by"),
                    ("date", "temporal"),
                    ("value", "quantitative", "short for the other side by"),
                ),
            },
        },
    ]
    if not points:
        layers.append(
            {
                "data": values(
                    [
                        {
                            "note": "No side has made a proposal yet: no gap to show."
                            if r.pairs
                            else "Fewer than two sides: no gap to measure."
                        }
                    ]
                ),
                "mark": {"type": "text", "fontSize": 12, "color": "#444444"},
                "encoding": {
                    "x": {"value": WIDTH / 2},
                    "y": {"value": HEIGHT / 2},
                    "text": {"field": "note"},
                },
            }
        )
    layers = [layer for layer in layers if layer["data"]["values"]]  # an empty one draws nothing
    for align in ("left", "right"):
        mine = [p for p in proposals if p["align"] == align]
        if not mine:
            continue
        text_layer = {
            "data": values(mine),
            "mark": {
                "type": "text",
                "align": align,
                "baseline": "top",
                "dx": 3 if align == "left" else -3,
                "fontSize": 10,
            },
            "encoding": {
                "x": x,
                "y": {"field": "y_px", "type": "quantitative", "scale": None},
                "text": {"field": "text"},
                "color": {
                    "field": "party",
                    "type": "nominal",
                    "scale": party_scale(
                        parties, [q for q in parties if any(p["party"] == q for p in mine)]
                    ),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("proposal", "nominal"), ("title", "nominal"), ("by", "nominal")
                ),
            },
        }
        layers += halo(text_layer)
    if shifts:  # the rules behind every label, the labels in their lanes
        layers[1:1] = [
            {
                "data": values(shifts),
                "mark": {
                    "type": "rule",
                    "strokeDash": [1, 3],
                    "color": NEUTRAL,
                    "strokeWidth": 1.5,
                },
                "encoding": {
                    "x": x,
                    "tooltip": tooltip(
                        ("date", "temporal"), ("event", "nominal"), ("text", "nominal", "shift")
                    ),
                },
            },
        ]
        for align in ("left", "right"):
            mine = [p for p in shifts if p["align"] == align]
            if mine:
                layers += halo(
                    {
                        "data": values(mine),
                        "mark": {
                            "type": "text",
                            "align": align,
                            "baseline": "top",
                            "dx": 3 if align == "left" else -3,
                            "fontSize": 10,
                            "color": NEUTRAL,
                        },
                        "encoding": {
                            "x": x,
                            "y": {"field": "y_px", "type": "quantitative", "scale": None},
                            "text": {"field": "text"},
                            "tooltip": tooltip(("event", "nominal")),
                        },
                    }
                )
    if reactions:
        stances = [x for x in STANCE_SHAPES if any(q["stance"] == x for q in reactions)]
        layers.append(
            {
                "data": values(reactions),
                "mark": {"type": "point", "filled": True, "size": 45, "opacity": 0.9},
                "encoding": {
                    "x": {**x, "field": "at"},
                    "y": {"value": reaction_row + 4},
                    "color": {
                        "field": "party",
                        "type": "nominal",
                        "scale": party_scale(
                            parties, [q for q in parties if any(p["party"] == q for p in reactions)]
                        ),
                        "legend": None,
                    },
                    "shape": {
                        "field": "stance",
                        "type": "nominal",
                        "scale": {
                            "domain": stances,
                            "range": [STANCE_SHAPES[x] for x in stances],
                        },
                        "legend": {"title": "reactions", "orient": "bottom", "columns": 1},
                    },
                    "tooltip": tooltip(
                        ("date", "temporal"),
                        ("party", "nominal"),
                        ("stance", "nominal"),
                        ("proposal", "nominal"),
                        ("quote", "nominal"),
                        ("source", "nominal"),
                    ),
                },
            }
        )
    head, extra = _title(result)
    dist = {
        "point": "on the point assumptions",
        "prior": f"band: 5th–95th percentiles over {r.samples:,} samples of the inputs' ranges",
        "posterior": f"band: 5th–95th percentiles over {r.samples:,} samples given the reactions",
    }[r.distribution]
    shown_what = [
        "How far each side's latest proposal falls short of the other side's walk-away",
        "point (in the other side's utility), and the sum of both: the gap.",
        dist[0].upper() + dist[1:] + ".",
    ]
    sentences = [
        f"{d.date.isoformat()}: "
        + ", ".join(
            f"gap {g.a}–{g.b} {g.gap:.2f}" if g.gap is not None else f"gap {g.a}–{g.b} unknown"
            for g in d.gaps
        )
        for d in r.dates
    ]
    description = (
        f"{r.verdict}. {' '.join(shown_what)} Proposals: "
        + "; ".join(f"{p['proposal']} by {p['by']} on {p['date']}" for p in proposals)
        + (f". {len(reactions)} reactions" if reactions else "")
        + ". "
        + "; ".join(sentences)
        + "."
    )
    return base(
        head,
        [*extra, *shown_what],
        description,
        width=WIDTH,
        height=HEIGHT,
        layer=layers,
        resolve={"scale": {"color": "independent"}},
    )


timeline_gaps.applies = lambda result: bool(result.result.dates)  # type: ignore[attr-defined]
