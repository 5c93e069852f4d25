"""Forecast: every actor's position round by round, with the weighted median and mean.

One panel per issue. Each actor's path is a line: a scenario party in its fixed colour; the
actors of a CSV file, who are not parties, in the party palette by their order (without its
pale yellow, dashed once the colours repeat) and labelled at the end of their line. The
weighted median of the positions (weights capability × salience, as the model defines them) is
a wide grey band under the actors' lines, the weighted mean a dashed black line; with Monte
Carlo samples a grey ribbon shows where the model's statistic falls in 90 % and 50 % of the
samples, round by round. A run that does not converge is made visible: the rounds of a detected
cycle are shaded with a rule at every repeat, the rounds over which an unsettled run's band is
read are shaded, and the panel's title says so.

The model is Bueno de Mesquita's expected-utility model as specified by Scholz, J. B.,
Calbert, G. J. and Smith, G. A. (2011). Unravelling Bueno De Mesquita's group decision model.
*Journal of Theoretical Politics* 23(4), 510-531 (see :mod:`zopa.forecast.eum`).
"""

from __future__ import annotations

from typing import Any

from zopa.charts import chart
from zopa.charts.palette import NEUTRAL, OKABE_ITO, party_scale
from zopa.charts.spec import WIDTH, Spec, base, title, tooltip, values

HEIGHT = 210
"""Pixels per issue panel."""

LABEL_GAP = 12
"""Minimum vertical distance, in pixels, between two line-end labels."""

ACTOR_COLOURS = OKABE_ITO[:6]
"""Colours of actors that are not scenario parties: the party palette without its black (the
median and mean are black) and pale yellow."""

STATISTICS = ("weighted median", "weighted mean")
"""The two summary lines, in legend order."""

STAT_DASH = {"weighted median": [1, 0], "weighted mean": [5, 3]}
"""The summary lines' strokes: the median solid, the mean dashed (both black)."""

SHADE = "#efe3c8"
"""Shading of the rounds of a cycle, or of an unsettled run's band (a pale sand: not the grey
of the Monte Carlo band)."""


def _g(x: float) -> str:
    """A position for a title: four significant digits, thousands separated."""
    if abs(x) >= 1e4:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _issues(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data["issues"]) if "issues" in data else [data]


def _issue_label(item: dict[str, Any]) -> str:
    return str(item.get("issue") or item["inputs"]["source"])


def _statistic(item: dict[str, Any]) -> str:
    """The statistic the model forecasts: the weighted mean for ``mean``, else the median."""
    return "mean" if item["model"] == "mean" else "median"


def finding(item: dict[str, Any], *, short: bool = False) -> str:
    """One issue's finding in a sentence: where the positions settle, or how they fail to.

    Parameters
    ----------
    item
        One issue of :meth:`zopa.results.Forecast.to_dict` (or a CSV forecast's document).
    short
        A clause for a summary of several issues, starting with the issue's id.
    """
    stat = _statistic(item)
    conv = item.get("convergence")
    status = conv["status"] if conv else None
    what = _issue_label(item)
    if conv is None or status == "not run":
        value = _g(item["forecast"])
        if short:
            return f"{what}: weighted {stat} {value}"
        return f"The weighted {stat} of the stated positions is {value}"
    band = conv["band"]
    same = band["low"] == band["high"]
    span = _g(band["low"]) if same else f"{_g(band['low'])}–{_g(band['high'])}"
    if status == "converged":
        since = conv["since_round"]
        value = _g(item["forecast"])
        anchor = item.get("anchor")
        near = f" — {anchor['label']}" if anchor and anchor["at"] == item["forecast"] else ""
        if short:
            return f"{what} converges on {value}"
        if since == 0:
            return f"The positions never move; the forecast is {value}{near}"
        return f"Positions converge on {value} by round {since}{near}"
    if status == "cycle":
        k, p = conv["since_round"], conv["cycle_period"]
        if short:
            return f"{what} cycles (median {span})"
        return (
            f"Positions cycle from round {k}, repeating every {p} rounds; "
            f"the median stays {'at' if same else 'within'} {span}"
        )
    rounds = item["parameters"].get("rounds_run", len(item["rounds"]) - 1)
    if short:
        return f"{what} does not settle (median {span})"
    return (
        f"Positions do not settle within {rounds} rounds; the median "
        f"{'stays at' if same else 'spans'} {span} over rounds "
        f"{band['from_round']}–{band['to_round']}"
    )


def _dashed(rounds: list[dict[str, Any]], actors: list[str], *, repeat_colours: bool) -> set[str]:
    """The actors drawn dashed.

    Those whose path repeats an earlier actor's (so that both colours show), and with
    ``repeat_colours`` those past the palette's length.
    """
    paths: dict[tuple[float, ...], str] = {}
    out: set[str] = set()
    for i, a in enumerate(actors):
        path = tuple(round(r["positions"][a], 9) for r in rounds)
        if path in paths or (repeat_colours and i >= len(ACTOR_COLOURS)):
            out.add(a)
        paths.setdefault(path, a)
    return out


def spread_labels(
    ends: list[tuple[float, str, str]], low: float, high: float, height: int
) -> list[dict[str, Any]]:
    """Place line-end labels: actors ending together share one, and labels keep apart.

    Parameters
    ----------
    ends
        ``(final position, actor, colour)`` per actor.
    low, high
        The y scale's domain.
    height
        The panel's height in pixels.

    Returns
    -------
    list of dict
        ``position``, ``label_y`` (where the label goes, in data units), ``label`` (the actors
        ending there, comma-separated) and ``colour`` (the actor's, dark grey for a group), in
        increasing order of position; neighbouring labels are at least :data:`LABEL_GAP`
        pixels apart where the scale leaves room.
    """
    groups: dict[float, list[tuple[str, str]]] = {}
    for pos, actor, colour in ends:
        groups.setdefault(round(pos, 9), []).append((actor, colour))
    gap = LABEL_GAP * ((high - low) or 1.0) / height
    placed: list[dict[str, Any]] = []
    for pos in sorted(groups):
        members = groups[pos]
        y = pos if not placed else max(pos, placed[-1]["label_y"] + gap)
        placed.append(
            {
                "position": pos,
                "label_y": y,
                "label": ", ".join(a for a, _ in members),
                "colour": members[0][1] if len(members) == 1 else "#333333",
            }
        )
    # labels pushed above the scale move back down, keeping their gaps
    top = high
    for row in reversed(placed):
        if row["label_y"] <= top:
            break
        row["label_y"] = top
        top -= gap
    return placed


def _domain(item: dict[str, Any]) -> tuple[float, float]:
    scale = item.get("scale")
    if scale:
        return float(scale["min"]), float(scale["max"])
    seen = [x for r in item["rounds"] for x in r["positions"].values()]
    for r in item["rounds"]:
        for qs in r.get("quantiles", {}).values():
            seen += list(qs.values())
    low, high = min(seen), max(seen)
    pad = (high - low) * 0.04 or 1.0
    return low - pad, high + pad


def _stat_layer(stats: list[dict[str, Any]], name: str, x: Spec, y: Spec, *, point: bool) -> Spec:
    """One summary line (weighted median or mean); both share one legend."""
    return {
        "data": values([r for r in stats if r["statistic"] == name]),
        "mark": {"type": "line", "color": "black", "strokeWidth": 2.2, "point": point},
        "encoding": {
            "x": x,
            "y": y,
            "strokeDash": {
                "field": "statistic",
                "type": "nominal",
                "scale": {"domain": list(STATISTICS), "range": [STAT_DASH[s] for s in STATISTICS]},
                "legend": {
                    "title": None,
                    "symbolStrokeColor": "black",
                    "symbolStrokeWidth": 2.2,
                    "orient": "bottom",
                },
            },
            "tooltip": tooltip(
                ("statistic", "nominal"), ("round", "quantitative"), ("position", "quantitative")
            ),
        },
    }


def _unsettled(item: dict[str, Any], last: int, x_scale: Spec) -> list[Spec]:
    """Shading (and rules at each repeat) over the rounds a run cycles or does not settle in."""
    conv = item.get("convergence")
    if not conv or conv["status"] not in ("cycle", "not settled"):
        return []
    if conv["status"] == "cycle":
        k, p = conv["since_round"], conv["cycle_period"]
        shade = {"from": k, "to": last, "label": f"the positions repeat every {p} rounds"}
        repeats = [{"round": r} for r in range(k, last + 1, p)]
    else:
        band = conv["band"]
        shade = {
            "from": band["from_round"],
            "to": band["to_round"],
            "label": "the rounds over which the unsettled forecast's band is read",
        }
        repeats = []
    layers: list[Spec] = [
        {
            "data": values([shade]),
            "mark": {"type": "rect", "color": SHADE},
            "encoding": {
                "x": {"field": "from", "type": "quantitative", "scale": x_scale},
                "x2": {"field": "to"},
                "tooltip": [{"field": "label", "type": "nominal", "title": "shaded"}],
            },
        }
    ]
    if repeats:
        layers.append(
            {
                "data": values(repeats),
                "mark": {"type": "rule", "color": "#777777", "strokeDash": [3, 3]},
                "encoding": {"x": {"field": "round", "type": "quantitative", "scale": x_scale}},
            }
        )
    return layers


def _band(item: dict[str, Any], x: Spec, y_scale: Spec, y_title: str) -> list[Spec]:
    """The Monte Carlo ribbons of the model's statistic (none without samples)."""
    rounds = item["rounds"]
    if "quantiles" not in rounds[0]:
        return []
    stat = _statistic(item)
    q = [
        {"round": r["round"], **{f"q{k}": r["quantiles"][stat][k] for k in ("5", "25", "75", "95")}}
        for r in rounds
    ]
    return [
        {
            "data": values(q),
            "mark": {"type": "area", "color": "#555555", "opacity": opacity},
            "encoding": {
                "x": x,
                "y": {"field": lo, "type": "quantitative", "scale": y_scale, "title": y_title},
                "y2": {"field": hi},
                "tooltip": tooltip(
                    ("round", "quantitative"),
                    (lo, "quantitative", f"{stat}, {lo[1:]} % of samples below"),
                    (hi, "quantitative", f"{stat}, {hi[1:]} % of samples below"),
                ),
            },
        }
        for lo, hi, opacity in (("q5", "q95", 0.15), ("q25", "q75", 0.25))
    ]


def _anchors(item: dict[str, Any], y: Spec) -> list[Spec]:
    """The scale's labelled points (a scenario's anchors) as dotted rules, labelled right."""
    rows = [{"position": a["at"], "label": a["label"]} for a in item.get("anchors") or []]
    if not rows:
        return []
    return [
        {
            "data": values(rows),
            "mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 2]},
            "encoding": {"y": y},
        },
        {
            "data": values(rows),
            "mark": {
                "type": "text",
                "align": "right",
                "baseline": "bottom",
                "dx": -2,
                "dy": -1,
                "fontSize": 9,
                "color": "#666666",
            },
            "encoding": {"y": y, "x": {"value": WIDTH}, "text": {"field": "label"}},
        },
    ]


def _panel(
    item: dict[str, Any],
    parties: list[str] | None,
    names: dict[str, str],
    *,
    with_title: bool,
) -> Spec:
    """One issue's panel: a layered Vega-Lite specification."""
    rounds = item["rounds"]
    if len(rounds) == 1:
        return _dot_panel(item, parties, names, with_title=with_title)
    actors = list(rounds[0]["positions"])
    last = rounds[-1]["round"]
    low, high = _domain(item)
    y_scale = {"domain": [low, high], "nice": False, "zero": False}
    x_scale = {"domain": [0, max(last, 1)], "nice": False}
    x = {
        "field": "round",
        "type": "quantitative",
        "scale": x_scale,
        "axis": {"tickMinStep": 1, "format": "d"},
        "title": "round (0 = the stated positions)",
    }
    scale = item.get("scale")
    y_title = f"position ({_g(low)}–{_g(high)})" if scale else "position (as in the input)"
    y = {"field": "position", "type": "quantitative", "scale": y_scale, "title": y_title}
    stats = [
        {"round": r["round"], "statistic": f"weighted {s}", "position": r[s]}
        for r in rounds
        for s in ("median", "mean")
    ]
    layers = [
        *_unsettled(item, last, x_scale),
        *_band(item, x, y_scale, y_title),
        *_anchors(item, y),
    ]
    colours = {a: ACTOR_COLOURS[i % len(ACTOR_COLOURS)] for i, a in enumerate(actors)}
    dashed = _dashed(rounds, actors, repeat_colours=parties is None)
    rows = [
        {
            "round": r["round"],
            "actor": a,
            "actor_name": names.get(a, a),
            "position": r["positions"][a],
            "same_position": ", ".join(
                b for b in actors if b != a and abs(r["positions"][b] - r["positions"][a]) < 1e-9
            ),
            "dashed": a in dashed,
        }
        for r in rounds
        for a in actors
    ]
    encoding: dict[str, Any] = {
        "x": x,
        "y": y,
        "tooltip": tooltip(
            ("actor_name", "nominal", "actor"),
            ("round", "quantitative"),
            ("position", "quantitative"),
            ("same_position", "nominal", "also there"),
        ),
    }
    if parties is not None:
        encoding["color"] = {
            "field": "actor",
            "type": "nominal",
            "scale": party_scale(parties, parties_shown(parties, [actors])),
            "legend": {"title": "actor", "orient": "bottom"},
        }
    else:
        encoding["color"] = {
            "field": "actor",
            "type": "nominal",
            "scale": {"domain": actors, "range": [colours[a] for a in actors]},
            "legend": None,
        }
    # the actors' lines (dashed over a line they share, or once the colours repeat), the
    # median and mean over them, then the actors' points on top: an actor sitting on the
    # median shows as dots in its colour along the black line
    for dash in (False, True):
        if any(r["dashed"] == dash for r in rows):
            mark: dict[str, Any] = {"type": "line", "strokeWidth": 1.6}
            if dash:
                mark["strokeDash"] = [5, 4]
            layers.append(
                {
                    "data": values(rows),
                    "transform": [{"filter": f"{'' if dash else '!'}datum.dashed"}],
                    "mark": mark,
                    "encoding": encoding,
                }
            )
    layers += [_stat_layer(stats, s, x, y, point=len(rounds) == 1) for s in STATISTICS]
    layers.append(
        {
            "data": values(rows),
            "mark": {"type": "point", "filled": True, "size": 18, "opacity": 1},
            "encoding": {**encoding, "color": {**encoding["color"], "legend": None}},
        }
    )
    if parties is None:
        ends = [(rounds[-1]["positions"][a], a, colours[a]) for a in actors]
        labels = spread_labels(ends, low, high, HEIGHT)
        layers.append(
            {
                "data": values([{**row, "round": last} for row in labels]),
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10},
                "encoding": {
                    "x": {"field": "round", "type": "quantitative", "scale": x_scale},
                    "y": {"field": "label_y", "type": "quantitative", "scale": y_scale},
                    "text": {"field": "label"},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                },
            }
        )
    return _titled({"width": WIDTH, "height": HEIGHT, "layer": layers}, item, with_title)


def _titled(panel: Spec, item: dict[str, Any], with_title: bool) -> Spec:
    """Give a panel of several its issue's finding as title, its name and unit as subtitle."""
    if with_title:
        unit = (item.get("scale") or {}).get("unit")
        sub = f"{item.get('name') or _issue_label(item)}" + (f" ({unit})" if unit else "")
        panel["title"] = {**title(finding(item), sub), "fontSize": 12}
    return panel


def _dot_panel(
    item: dict[str, Any],
    parties: list[str] | None,
    names: dict[str, str],
    *,
    with_title: bool,
) -> Spec:
    """A run without rounds (the baselines, or 0 rounds): each actor's stated position.

    One row per actor on the issue's scale, the weighted median and mean as vertical lines and
    the scale's anchors as dotted ones.
    """
    (first,) = item["rounds"]
    actors = list(first["positions"])
    low, high = _domain(item)
    x_scale = {"domain": [low, high], "nice": False, "zero": False}
    scale = item.get("scale")
    x_title = f"position ({_g(low)}–{_g(high)})" if scale else "position (as in the input)"
    x = {"field": "position", "type": "quantitative", "scale": x_scale, "title": x_title}
    rows = [
        {"actor": a, "actor_name": names.get(a, a), "position": first["positions"][a]}
        for a in actors
    ]
    shown = actors if parties is None else parties_shown(parties, [actors])
    if parties is not None:
        colour_scale = party_scale(parties, shown)
    else:
        colour_scale = {
            "domain": actors,
            "range": [ACTOR_COLOURS[i % len(ACTOR_COLOURS)] for i in range(len(actors))],
        }
    stats = [
        {"statistic": f"weighted {name}", "position": first[name]} for name in ("median", "mean")
    ]
    anchors = [{"position": a["at"], "label": a["label"]} for a in item.get("anchors") or []]
    layers: list[Spec] = []
    if "quantiles" in first:
        q = first["quantiles"][_statistic(item)]
        layers += [
            {
                "data": values([{"lo": q[lo], "hi": q[hi], "share": share}]),
                "mark": {"type": "rect", "color": "#555555", "opacity": opacity},
                "encoding": {
                    "x": {
                        "field": "lo",
                        "type": "quantitative",
                        "scale": x_scale,
                        "title": x_title,
                    },
                    "x2": {"field": "hi"},
                    "tooltip": tooltip(
                        ("share", "nominal", f"{_statistic(item)} in this share of samples"),
                        ("lo", "quantitative", "from"),
                        ("hi", "quantitative", "to"),
                    ),
                },
            }
            for lo, hi, share, opacity in (("5", "95", "90 %", 0.15), ("25", "75", "50 %", 0.25))
        ]
    if anchors:
        layers.append(
            {
                "data": values(anchors),
                "mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 2]},
                "encoding": {
                    "x": x,
                    "tooltip": [{"field": "label", "type": "nominal", "title": "anchor"}],
                },
            }
        )
    layers += [
        {
            "data": values(stats),
            "mark": {"type": "rule", "color": "black", "strokeWidth": 2.2},
            "encoding": {
                "x": x,
                "strokeDash": {
                    "field": "statistic",
                    "type": "nominal",
                    "scale": {
                        "domain": list(STATISTICS),
                        "range": [STAT_DASH[s] for s in STATISTICS],
                    },
                    "legend": {"title": None, "symbolStrokeColor": "black", "orient": "bottom"},
                },
                "tooltip": tooltip(("statistic", "nominal"), ("position", "quantitative")),
            },
        },
        {
            "data": values(rows),
            "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
            "encoding": {
                "x": x,
                "y": {"field": "actor", "type": "nominal", "sort": actors, "title": None},
                "color": {
                    "field": "actor",
                    "type": "nominal",
                    "scale": colour_scale,
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("actor_name", "nominal", "actor"), ("position", "quantitative")
                ),
            },
        },
    ]
    panel: Spec = {"width": WIDTH, "height": {"step": 22}, "layer": layers}
    return _titled(panel, item, with_title)


def parties_shown(parties: list[str], actors: list[list[str]]) -> list[str]:
    """The scenario's parties that appear among any issue's actors, in the scenario's order."""
    seen = {a for group in actors for a in group}
    return [p for p in parties if p in seen]


def _subtitle(issues: list[dict[str, Any]]) -> list[str]:
    """What the chart shows, in two or three lines that fit its width."""
    first = issues[0]
    model = first["model"] + (f" ({first['variant']})" if first.get("variant") else "")
    what = "Each actor's position by round" if len(first["rounds"]) > 1 else "The stated positions"
    lines = [
        f"{what} (model {model}); black lines: the weighted median (solid) and mean (dashed)",
        "of the positions, weights capability × salience",
    ]
    if "quantiles" in first["rounds"][0]:
        samples = first["parameters"].get("samples")
        lines.append(
            f"Grey band: the {_statistic(first)} in 90 % (darker: 50 %) of "
            f"{samples} Monte Carlo samples"
        )
    if any(i.get("anchors") for i in issues):
        lines.append("Dotted: the scale's labelled points (anchors)")
    statuses = {(i.get("convergence") or {}).get("status") for i in issues}
    shaded = [
        text
        for status, text in (
            ("cycle", "the rounds of a cycle (dotted: each repeat)"),
            ("not settled", "the rounds over which an unsettled run's band is read"),
        )
        if status in statuses
    ]
    if shaded:
        lines.append("Shaded: " + "; ".join(shaded))
    unit = (first.get("scale") or {}).get("unit")
    if len(issues) == 1 and unit:
        lines.append(f"Scale: {unit}")
    return lines


def forecast_spec(data: dict[str, Any], parties: list[str] | None, names: dict[str, str]) -> Spec:
    """The positions-by-round chart of a forecast document.

    Parameters
    ----------
    data
        :meth:`zopa.results.Forecast.to_dict`: a scenario's ``{"scenario", "issues"}`` or a
        CSV forecast's document.
    parties
        The scenario's parties in order (fixes the colours), or None for a CSV input.
    names
        Actor id to display name (tooltips).
    """
    issues = _issues(data)
    first = issues[0]
    subtitle = _subtitle(issues)
    if len(issues) == 1:
        head = finding(first)
        if "scenario" in data:
            head = f"{first.get('name') or _issue_label(first)}: {head[0].lower()}{head[1:]}"
        description = f"{head}. {' '.join(subtitle)}."
        spec = base(head, None, description, **_panel(first, parties, names, with_title=False))
    else:
        head = "Forecasts: " + "; ".join(finding(i, short=True) for i in issues)
        details = " ".join(f"{i.get('name') or _issue_label(i)}: {finding(i)}." for i in issues)
        description = f"{head}. {' '.join(subtitle)}. {details}"
        shown = parties_shown(parties or [], [list(i["rounds"][0]["positions"]) for i in issues])
        panels = [_panel(i, parties, names, with_title=True) for i in issues]
        for panel in panels:  # every panel's colour scale lists every party shown
            for layer in panel["layer"]:
                colour = layer.get("encoding", {}).get("color", {})
                if parties is not None and colour.get("field") == "actor":
                    colour["scale"] = party_scale(parties, shown)
        spec = base(head, None, description, vconcat=panels, spacing=30)
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


@chart("forecast", "positions", main=True)
def forecast_positions(result: Any) -> Spec:
    """Positions by round per actor, with the weighted median and mean (and Monte Carlo band)."""
    scenario = result.scenario
    if scenario is None:
        return forecast_spec(result.to_dict(), None, {})
    names = {pid: p.name for pid, p in scenario.parties.items()}
    return forecast_spec(result.to_dict(), list(scenario.parties), names)
