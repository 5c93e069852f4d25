"""The agreement space: two parties' utility plane, and every party's axis side by side.

``space`` shows the plane of two parties (by default the two bargainers a bargain is hardest to
strike between, :meth:`zopa.results.Analysis.opposed_parties`): the Pareto frontier of all
packages and of the packages acceptable to every party whose consent they need (both exact,
:meth:`zopa.results.Analysis.frontier`), each party's walk-away line in its colour, the zone of
agreement shaded (the points below the acceptable frontier and above both walk-away lines), the
proposals as labelled points and the bargaining solutions of the whole negotiation.

``parallel`` shows, for three or more parties, the acceptable Pareto frontier in parallel
coordinates (Inselberg, A. (1985). The plane with parallel coordinates. *The Visual Computer*
1(2), 69-91): one line per package across the parties' utility axes, each party's walk-away
point marked on its axis, the bargaining solutions drawn over the rest.

The bargaining solutions are Nash's (1950), Kalai and Smorodinsky's (1975), the egalitarian
(Kalai 1977) and the utilitarian one, as :mod:`zopa.space.solutions` computes them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from zopa.charts import chart
from zopa.charts._analysis import (
    amount,
    check_parties,
    num,
    package_text,
    party_names,
    possessive,
    sentence,
    short_name,
    short_title,
)
from zopa.charts.palette import GOOD, NEUTRAL, party_colours, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values

HEIGHT = 420
"""Plot height of the two-party plane in pixels."""

SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}
SOLUTION_SHAPES = ("diamond", "square", "triangle-up", "cross")
SOLUTION_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3])
FRONTIER_ALL = "of all packages"
FRONTIER_OK = "of the packages acceptable to all"
LEGEND_LABEL_LIMIT = 400
TOLERANCE = 1e-9
"""Utility differences below this are taken as zero (float sums of exact grid values)."""
ACCEPTABLE_COLOUR = "#222222"

MAX_LINES = 250
"""The parallel-coordinates view draws at most this many packages (evenly spaced)."""

LABEL_FONT = 10
LABEL_GAPS = (7.0, 16.0, 28.0)
"""How far from its point a label may sit (pixels), nearest first."""
FAR_COST = 60.0
"""What moving a label one step further from its point costs, in pixels² of overlap."""
CHAR_WIDTH = 5.6
"""Approximate width of a character of a 10-px label, in pixels (for placing labels)."""


def terms_text(package: dict[str, str]) -> str:
    """A package as ``issue=option,...``: the ``terms`` of :func:`zopa.evaluate` and the builder.

    Every point of the space chart that stands for a package carries it in a ``terms`` field,
    so that a front end can open the package (the workspace loads it in its package builder).
    """
    return ",".join(f"{issue}={option}" for issue, option in package.items())


# -- labels that do not collide ------------------------------------------------------------------

Box = tuple[float, float, float, float]


def _overlap(boxes: Any, others: Any) -> float:
    """Total area shared by each of ``boxes`` (k, 4) with each of ``others`` (n, 4)."""
    import numpy as np

    a = np.asarray(boxes, dtype=float).reshape(-1, 1, 4)
    b = np.asarray(others, dtype=float).reshape(1, -1, 4)
    w = np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0])
    h = np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])
    return float(np.sum(np.clip(w, 0.0, None) * np.clip(h, 0.0, None)))


def place_labels(
    points: list[tuple[float, float, str]],
    obstacles: list[tuple[float, float]],
    width: float,
    height: float,
    taken: list[Box] | None = None,
) -> list[tuple[float, float, str]]:
    """Place a text label beside each point so that labels and points do not overlap.

    A greedy placement: each label tries the positions right, left, above, below and the four
    corners of its point (in that order), first close to the point and then further away
    (:data:`LABEL_GAPS`), and takes the one that overlaps least what is placed so far, stays
    inside the plot and is nearest its point (each step further costs :data:`FAR_COST`); a label
    away from its point gets a leader line, which must not cross what is placed either.

    Parameters
    ----------
    points
        ``(x, y, text)`` in pixels (y downwards).
    obstacles
        Other marks' centres in pixels (a 10-pixel square each).
    width, height
        The plot's size in pixels.
    taken
        Boxes already occupied (e.g. other labels), ``(x0, y0, x1, y1)``.

    Returns
    -------
    list
        ``(x, y, align)`` for each point: the label's anchor in pixels and its alignment
        (``left``, ``right`` or ``center``; the anchor is the label's vertical middle).
    """
    boxes: list[Box] = list(taken or [])
    boxes += [(x - 5, y - 5, x + 5, y + 5) for x, y in obstacles]
    boxes += [(x - 5, y - 5, x + 5, y + 5) for x, y, _ in points]
    half = LABEL_FONT * 0.65
    placed: list[tuple[float, float, str]] = []
    for x, y, text in points:
        w = len(text) * CHAR_WIDTH
        occupied = boxes if boxes else [(0.0, 0.0, 0.0, 0.0)]
        best: tuple[float, tuple[float, float, str], list[Box]] | None = None
        for ring, gap in enumerate(LABEL_GAPS):
            candidates = [
                (x + gap, y, "left"),
                (x - gap, y, "right"),
                (x, y - gap - half, "center"),
                (x, y + gap + half, "center"),
                (x + gap, y - gap - half, "left"),
                (x + gap, y + gap + half, "left"),
                (x - gap, y - gap - half, "right"),
                (x - gap, y + gap + half, "right"),
            ]
            for ax, ay, align in candidates:
                x0 = ax if align == "left" else (ax - w if align == "right" else ax - w / 2)
                box = (x0, ay - half, x0 + w, ay + half)
                outside = (
                    max(0.0, -box[0])
                    + max(0.0, box[2] - width)
                    + max(0.0, -box[1])
                    + max(0.0, box[3] - height)
                )
                cost = _overlap([box], occupied) + 100 * outside + FAR_COST * ring
                line = _leader_boxes((x, y), (ax, ay, align))
                if line:
                    cost += _overlap(line, occupied)
                if best is None or cost < best[0]:
                    best = (cost, (ax, ay, align), [box, *line])
            if best is not None and best[0] <= FAR_COST * ring:
                break  # a free place at this distance: no need to look further away
        assert best is not None
        placed.append(best[1])
        boxes += best[2]
    return placed


def _leader_boxes(point: tuple[float, float], anchor: tuple[float, float, str]) -> list[Box]:
    """Small boxes along the leader line a label at ``anchor`` would need (none when close)."""
    start, end = _leader(point, anchor)
    if start is None:
        return []
    n = max(1, int(math.hypot(end[0] - start[0], end[1] - start[1]) // 3))
    along = [
        (start[0] + (end[0] - start[0]) * i / n, start[1] + (end[1] - start[1]) * i / n)
        for i in range(n + 1)
    ]
    return [(u - 3, v - 3, u + 3, v + 3) for u, v in along]


def _leader(
    point: tuple[float, float], anchor: tuple[float, float, str]
) -> tuple[tuple[float, float] | None, tuple[float, float]]:
    """A line from a point to its label when the label sits away from it (else no start).

    Returns the line's start (on the point's edge) and end (at the label), in pixels.
    """
    (x, y), (ax, ay, align) = point, anchor
    half = LABEL_FONT * 0.65
    if align == "center":
        end = (ax, ay + half if ay < y else ay - half)
    else:
        end = (ax - 2 if align == "left" else ax + 2, ay)
    length = math.hypot(end[0] - x, end[1] - y)
    if length <= LABEL_GAPS[0] + half + 2:
        return None, end
    start = (x + (end[0] - x) * 5 / length, y + (end[1] - y) * 5 / length)
    return start, end


def _along(
    vertices: list[tuple[float, float]], *, staircase: bool = True, step: float = 3.0
) -> list[tuple[float, float]]:
    """Points every ``step`` pixels along a polyline (a frontier's staircase or a straight line).

    A staircase is drawn ``step-before``: from one point down (or up) to the next one's height,
    then across to it.
    """
    corners: list[tuple[float, float]] = []
    for k, (u, v) in enumerate(vertices):
        if staircase and k:
            corners.append((vertices[k - 1][0], v))
        corners.append((u, v))
    out = corners[:1]
    for (u0, v0), (u1, v1) in itertools.pairwise(corners):
        n = max(1, int(math.hypot(u1 - u0, v1 - v0) // step))
        out += [(u0 + (u1 - u0) * i / n, v0 + (v1 - v0) * i / n) for i in range(1, n + 1)]
    return out


def _rule_label(
    text: str, at: float, vertical: bool, taken: list[Box]
) -> tuple[tuple[float, float, str, str], Box]:
    """Where a walk-away line's label goes: beside the line's end that is freest.

    Parameters
    ----------
    text
        The label.
    at
        The line's position in pixels (x of a vertical line, y of a horizontal one).
    vertical
        Whether the line is vertical.
    taken
        Boxes already occupied.

    Returns
    -------
    anchor, box
        ``(x, y, align, baseline)`` of the text in pixels, and the box it covers.
    """
    w, h, gap = len(text) * CHAR_WIDTH, LABEL_FONT * 1.3, 4.0
    options: list[tuple[tuple[float, float, str, str], Box]] = []
    if vertical:
        for right in (True, False):
            x0 = at + gap if right else at - gap - w
            align = "left" if right else "right"
            anchor_x = at + gap if right else at - gap
            options += [
                ((anchor_x, HEIGHT - 3, align, "bottom"), (x0, HEIGHT - 3 - h, x0 + w, HEIGHT - 3)),
                ((anchor_x, 3, align, "top"), (x0, 3, x0 + w, 3 + h)),
            ]
    else:
        for above in (True, False):
            y0 = at - 3 - h if above else at + 3
            baseline = "bottom" if above else "top"
            anchor_y = at - 3 if above else at + 3
            options += [
                ((WIDTH - 2, anchor_y, "right", baseline), (WIDTH - 2 - w, y0, WIDTH - 2, y0 + h)),
                ((gap, anchor_y, "left", baseline), (gap, y0, gap + w, y0 + h)),
            ]

    def cost(box: Box) -> float:
        outside = max(0.0, -box[0]) + max(0.0, box[2] - WIDTH) + max(0.0, -box[1])
        outside += max(0.0, box[3] - HEIGHT)
        return (_overlap([box], taken) if taken else 0.0) + 100 * outside

    return min(options, key=lambda o: cost(o[1]))


# -- the two-party plane ---------------------------------------------------------------------------


def _solution_groups(solutions: dict[str, list[Any]], x: str, y: str) -> list[dict[str, Any]]:
    """One row per distinct point of the solutions in this plane; coincident ones share it."""
    groups: dict[tuple[float, float], list[tuple[str, Any]]] = {}
    for key, tied in solutions.items():
        if tied:
            s = tied[0]
            groups.setdefault((num(s.utilities[x]), num(s.utilities[y])), []).append((key, s))
    rows = []
    for (ux, uy), members in groups.items():
        rows.append(
            {
                "solution": " = ".join(SOLUTION_NAMES.get(k, k) for k, _ in members),
                "x": ux,
                "y": uy,
                "package": package_text(members[0][1].package),
                "terms": terms_text(members[0][1].package),
            }
        )
    return rows


def _staircase(points: list[tuple[float, float]], rx: float, ry: float) -> list[dict[str, float]]:
    """The zone's outline: the acceptable frontier's staircase above both walk-away points."""
    inside = sorted((px, py) for px, py in points if px >= rx and py >= ry)
    if not inside:
        return []
    rows = [{"x": num(rx), "y": num(inside[0][1]), "y2": num(ry)}]
    rows += [{"x": num(px), "y": num(py), "y2": num(ry)} for px, py in inside]
    return rows


def _pair(result: Any, parties: Sequence[str] | None) -> tuple[str, str]:
    valid = list(result.result.parties)
    chosen = check_parties(parties, valid, count=2, chart="the space chart")
    if chosen is None:
        x, y = result.opposed_parties()
        return str(x), str(y)
    return chosen[0], chosen[1]


def _space_finding(
    label: dict[str, str], front_ok: list[Any], walk: dict[str, float], x: str, y: str, zone: Any
) -> str:
    if not front_ok:
        return (
            "No package is acceptable to every party whose consent it needs: walk-away points "
            f"must drop by {zone.lowering_needed:.3f}"
        )
    joint = max(min(p.x - walk[x], p.y - walk[y]) for p in front_ok)
    both = f"{label[x]} and {label[y]}"
    if joint < -TOLERANCE:
        return f"No package all accept gives both {both} their walk-away points"
    if joint <= TOLERANCE:
        return f"{both} can both reach their walk-away points, but not both exceed them"
    return f"{both} can both clear their walk-away points, by at most {amount(joint)}"


def _focus_line(
    focus: dict[str, Any], label: dict[str, str], x: str, y: str, rx: float, ry: float
) -> str:
    below = [
        f"{possessive(label[p])} walk-away point ({focus[axis]:.2f} < {r:.2f})"
        for p, axis, r in ((x, "x", rx), (y, "y", ry))
        if focus[axis] < r
    ]
    where = f"falls short of {' and '.join(below)}" if below else "clears both walk-away points"
    verdict = focus["verdict"] if focus["bridges"] else f"is {focus['verdict']}"
    return sentence(f"{focus['label']} {where}; it {verdict}.")


@chart("analysis", "space")
def analysis_space(result: Any, parties: Sequence[str] | None = None) -> Spec:
    """The agreement space of two parties: frontiers, walk-away lines, zone, proposals, solutions.

    Parameters
    ----------
    result
        A :class:`zopa.results.Analysis`.
    parties
        The two parties on the axes, ``(x, y)``; default: the two bargainers whose interests
        conflict most (:meth:`zopa.results.Analysis.opposed_parties`).

    Raises
    ------
    zopa.UnknownId
        For a party without preferences (``parameter="chart_parties"``).
    zopa.UsageError
        For a party named twice, or not two parties.
    """
    a = result.result
    x, y = _pair(result, parties)
    names = party_names(result)
    label = {p: short_name(p, names) for p in names}
    colours = party_colours(list(names))
    walk = result.walk_away
    rx, ry = walk[x], walk[y]
    front_all = result.frontier(x, y)
    front_ok = result.frontier(x, y, acceptable=True)

    def frontier_rows(front: list[Any], series: str) -> list[dict[str, Any]]:
        return [
            {
                "x": num(p.x),
                "y": num(p.y),
                "series": series,
                "package": package_text(p.package),
                "terms": terms_text(p.package),
            }
            for p in front
        ]

    series_scale = {"domain": [FRONTIER_ALL, FRONTIER_OK], "range": [NEUTRAL, ACCEPTABLE_COLOUR]}
    x_enc = {
        "field": "x",
        "type": "quantitative",
        "scale": {"domain": [0, 1]},
        "title": f"{possessive(label[x])} utility (0 = its worst package, 1 = its best)",
    }
    y_enc = {
        "field": "y",
        "type": "quantitative",
        "scale": {"domain": [0, 1]},
        "title": f"{possessive(label[y])} utility (0 = its worst package, 1 = its best)",
    }
    pkg_tip = tooltip(
        ("x", "quantitative", f"{x} utility"),
        ("y", "quantitative", f"{y} utility"),
        ("package", "nominal", "package"),
    )
    layer: list[dict[str, Any]] = []
    zone_rows = _staircase([(p.x, p.y) for p in front_ok], rx, ry)
    if zone_rows:
        layer.append(
            {
                "data": values(zone_rows),
                "mark": {
                    "type": "area",
                    "interpolate": "step-before",
                    "color": GOOD,
                    "opacity": 0.16,
                },
                "encoding": {"x": x_enc, "y": y_enc, "y2": {"field": "y2"}},
            }
        )
        layer.append(
            {
                "data": values([{"x": num(rx), "y": num(ry), "text": "zone of agreement"}]),
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 4,
                    "dy": -3,
                    "fontSize": 10,
                    "fontStyle": "italic",
                    "color": "#00684C",
                },
                "encoding": {"x": x_enc, "y": y_enc, "text": {"field": "text"}},
            }
        )
    for rows, dash, width in (
        (frontier_rows(front_all, FRONTIER_ALL), [4, 3], 1.5),
        (frontier_rows(front_ok, FRONTIER_OK), [1, 0], 2.0),
    ):
        if not rows:
            continue
        encoding = {
            "x": x_enc,
            "y": y_enc,
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": series_scale,
                "legend": {
                    "title": "Pareto frontier",
                    "orient": "bottom",
                    "direction": "vertical",
                    "symbolType": "stroke",
                    "symbolStrokeWidth": 2,
                    "labelLimit": LEGEND_LABEL_LIMIT,
                },
            },
            "tooltip": pkg_tip,
        }
        layer.append(
            {
                "data": values(rows),
                "mark": {
                    "type": "line",
                    "interpolate": "step-before",
                    "strokeDash": dash,
                    "strokeWidth": width,
                    "point": {"size": 12, "filled": True},
                },
                "encoding": encoding,
            }
        )
    # walk-away lines, labelled on the plot (labels placed after the proposals are known)
    layer += [
        {
            "data": values([{"x": num(rx)}]),
            "mark": {"type": "rule", "strokeWidth": 2, "color": colours[x], "opacity": 0.9},
            "encoding": {"x": x_enc},
        },
        {
            "data": values([{"y": num(ry)}]),
            "mark": {"type": "rule", "strokeWidth": 2, "color": colours[y], "opacity": 0.9},
            "encoding": {"y": y_enc},
        },
    ]
    # proposals: labelled points
    proposals = []
    for p in a.proposals:
        u = {v.party: v for v in p.verdict.parties}
        proposals.append(
            {
                "id": p.id,
                "label": short_title(p.title),
                "title": p.title,
                "x": num(u[x].utility),
                "y": num(u[y].utility),
                "focus": p.id == a.focus,
                "bridges": p.verdict.bridges,
                "verdict": "bridges the gap"
                if p.verdict.bridges
                else "rejected by " + ", ".join(p.verdict.rejecting),
                "package": package_text(p.verdict.package),
                "terms": terms_text(p.verdict.package),
            }
        )
    solutions = _solution_groups(a.solutions, x, y)

    def px(ux: float, uy: float) -> tuple[float, float]:
        return ux * WIDTH, (1 - uy) * HEIGHT

    strokes = [
        _along([px(p.x, p.y) for p in front_all]),
        _along([px(p.x, p.y) for p in front_ok]),
        _along([px(rx, 0), px(rx, 1)], staircase=False),
        _along([px(0, ry), px(1, ry)], staircase=False),
    ]
    # lines weigh less than marks: a label may cross a line, but should not run along one
    taken: list[Box] = [(u - 1, v - 1, u + 1, v + 1) for line in strokes for u, v in line]
    dots = [px(p.x, p.y) for p in [*front_all, *front_ok]]
    taken += [(u - 3, v - 3, u + 3, v + 3) for u, v in dots]  # the frontiers' points
    points = [px(r["x"], r["y"]) for r in proposals] + [px(s["x"], s["y"]) for s in solutions]
    taken += [(u - 5, v - 5, u + 5, v + 5) for u, v in points]
    walk_labels = []
    for party, value, vertical in ((x, rx, True), (y, ry, False)):
        text = f"{label[party]} walks away below {value:.2f}"
        anchor, box = _rule_label(
            text, px(value, 0)[0] if vertical else px(0, value)[1], vertical, taken
        )
        taken.append(box)
        ax, ay, align, baseline = anchor
        walk_labels.append(
            {
                "data": values([{"x": num(ax / WIDTH), "y": num(1 - ay / HEIGHT), "text": text}]),
                "mark": {
                    "type": "text",
                    "align": align,
                    "baseline": baseline,
                    "fontSize": LABEL_FONT,
                    "fontWeight": "bold",
                    "color": colours[party],
                },
                "encoding": {"x": x_enc, "y": y_enc, "text": {"field": "text"}},
            }
        )
    layer += walk_labels
    # the focus proposal's label is placed first: it gets the best place
    order = sorted(range(len(proposals)), key=lambda k: not proposals[k]["focus"])
    ranked = place_labels(
        [(*px(proposals[k]["x"], proposals[k]["y"]), proposals[k]["label"]) for k in order],
        [],
        WIDTH,
        HEIGHT,
        taken,
    )
    placed = [ranked[order.index(k)] for k in range(len(proposals))]
    leaders = []
    for r, (lx, ly, align) in zip(proposals, placed, strict=True):
        r["label_x"] = num(lx / WIDTH)
        r["label_y"] = num(1 - ly / HEIGHT)
        r["align"] = align
        start, end = _leader(px(r["x"], r["y"]), (lx, ly, align))
        if start is not None:
            leaders.append(
                {
                    "x": num(start[0] / WIDTH),
                    "y": num(1 - start[1] / HEIGHT),
                    "x2": num(end[0] / WIDTH),
                    "y2": num(1 - end[1] / HEIGHT),
                }
            )
    if leaders:
        layer.append(
            {
                "data": values(leaders),
                "mark": {"type": "rule", "color": "#555555", "strokeWidth": 0.8},
                "encoding": {"x": x_enc, "y": y_enc, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
            }
        )
    prop_tip = tooltip(
        ("title", "nominal", "proposal"),
        ("x", "quantitative", f"{x} utility"),
        ("y", "quantitative", f"{y} utility"),
        ("verdict", "nominal"),
        ("package", "nominal"),
    )
    if proposals:
        layer.append(
            {
                "data": values(proposals),
                "mark": {
                    "type": "point",
                    "filled": True,
                    "fill": "white",
                    "stroke": "black",
                    "strokeWidth": 1.5,
                    "size": 60,
                },
                "encoding": {"x": x_enc, "y": y_enc, "tooltip": prop_tip},
            }
        )
        for align in ("left", "right", "center"):
            for bold in (True, False):
                group = [r for r in proposals if r["align"] == align and r["focus"] is bold]
                if not group:
                    continue
                layer.append(
                    {
                        "data": values(group),
                        "mark": {
                            "type": "text",
                            "align": align,
                            "baseline": "middle",
                            "fontSize": LABEL_FONT,
                            "fontWeight": "bold" if bold else "normal",
                        },
                        "encoding": {
                            "x": {**x_enc, "field": "label_x"},
                            "y": {**y_enc, "field": "label_y"},
                            "text": {"field": "label"},
                            "tooltip": prop_tip,
                        },
                    }
                )
    if solutions:
        layer.append(
            {
                "data": values(solutions),
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 110,
                    "color": "black",
                    "stroke": "white",
                    "strokeWidth": 0.8,
                },
                "encoding": {
                    "x": x_enc,
                    "y": y_enc,
                    "shape": {
                        "field": "solution",
                        "type": "nominal",
                        "scale": {
                            "domain": [s["solution"] for s in solutions],
                            "range": list(SOLUTION_SHAPES[: len(solutions)]),
                        },
                        "legend": {
                            "title": "bargaining solution",
                            "orient": "bottom",
                            "direction": "vertical",
                            "labelLimit": LEGEND_LABEL_LIMIT,
                        },
                    },
                    "tooltip": tooltip(
                        ("solution", "nominal"),
                        ("x", "quantitative", f"{x} utility"),
                        ("y", "quantitative", f"{y} utility"),
                        ("package", "nominal"),
                    ),
                },
            }
        )
    finding = _space_finding(label, front_ok, walk, x, y, a.zone)
    focus = next((r for r in proposals if r["focus"]), None)
    lines = [
        f"Pareto frontiers for {names[x]} and {names[y]}: of all packages, and of those "
        "acceptable to every party whose consent they need.",
        "Shaded: the zone of agreement; circles: proposals; black: bargaining solutions of "
        "all bargainers, in this plane.",
    ]
    if focus is not None:
        lines.insert(0, _focus_line(focus, label, x, y, rx, ry))
    description = (
        f"{finding}. Walk-away points: {names[x]} {rx:.3f}, {names[y]} {ry:.3f}. "
        f"{len(front_all)} frontier points of all packages, {len(front_ok)} of the acceptable "
        "ones. Proposals: "
        + "; ".join(f"{r['label']} ({x} {r['x']:.3f}, {y} {r['y']:.3f})" for r in proposals)
        + ". Solutions: "
        + "; ".join(f"{s['solution']} ({x} {s['x']:.3f}, {y} {s['y']:.3f})" for s in solutions)
        + "."
    )
    spec = base(finding, None, description, width=WIDTH, height=HEIGHT, layer=layer)
    spec["title"]["subtitle"] = lines
    spec["title"]["subtitleColor"] = "#444444"
    return spec


analysis_space.applies = lambda result: len(result.result.parties) >= 2  # type: ignore[attr-defined]


# -- parallel coordinates ----------------------------------------------------------------------


def _sample(n: int, limit: int) -> list[int]:
    if n <= limit:
        return list(range(n))
    return sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})


@chart("analysis", "parallel")
def analysis_parallel(result: Any, parties: Sequence[str] | None = None) -> Spec:
    """The acceptable Pareto frontier in parallel coordinates, one axis per party.

    Parameters
    ----------
    result
        A :class:`zopa.results.Analysis` with three or more parties.
    parties
        The axes, in order (three or more; default: every party with preferences).

    Raises
    ------
    zopa.UnknownId
        For a party without preferences (``parameter="chart_parties"``).
    zopa.UsageError
        For a party named twice, or fewer than three parties.
    """
    a = result.result
    axes = check_parties(parties, list(a.parties), least=3, chart="the parallel chart") or list(
        a.parties
    )
    names = party_names(result)
    label = {p: short_name(p, names) for p in names}
    walk = result.walk_away
    packages = list(a.pareto_acceptable)
    which = "the acceptable Pareto frontier"
    if not packages:
        packages = list(a.pareto)
        which = "the Pareto frontier (no package is acceptable to all)"
    first = axes[0]
    ranked = sorted(
        range(len(packages)),
        key=lambda i: tuple(packages[i].utilities[p] for p in axes),
    )
    kept = [ranked[i] for i in _sample(len(ranked), MAX_LINES)]
    rows = [
        {
            "line": k,
            "party": label[p],
            "utility": num(packages[i].utilities[p]),
            "gain": num(packages[i].gains[p]),
            "package": package_text(packages[i].package),
        }
        for k, i in enumerate(kept)
        for p in axes
    ]
    order = [label[p] for p in axes]
    x = {
        "field": "party",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelAngle": 0, "labelFontWeight": "bold", "domain": False, "grid": True},
        "scale": {"padding": 0.2},
    }
    solution_rows: list[dict[str, Any]] = []
    seen: dict[tuple[float, ...], int] = {}
    for key, tied in a.solutions.items():
        if not tied:
            continue
        s = tied[0]
        point = tuple(num(s.utilities[p]) for p in axes)
        if point in seen:
            solution_rows = [
                {**r, "solution": f"{r['solution']} = {SOLUTION_NAMES.get(key, key)}"}
                if r["group"] == seen[point]
                else r
                for r in solution_rows
            ]
            continue
        seen[point] = len(seen)
        solution_rows += [
            {
                "group": seen[point],
                "solution": SOLUTION_NAMES.get(key, key),
                "party": label[p],
                "utility": num(s.utilities[p]),
                "package": package_text(s.package),
            }
            for p in axes
        ]
    lowest = min(
        [float(packages[i].utilities[p]) for i in kept for p in axes]
        + [float(r["utility"]) for r in solution_rows]
        + [walk[p] for p in axes]
    )
    y = {
        "field": "utility",
        "type": "quantitative",
        "scale": {"domain": [math.floor(lowest * 10) / 10, 1]},
        "title": "utility (0 = the party's worst package, 1 = its best)",
    }
    solution_names = list(dict.fromkeys(r["solution"] for r in solution_rows))
    walk_rows = [
        {"party": label[p], "party_id": p, "utility": num(walk[p]), "text": f"{walk[p]:.2f}"}
        for p in axes
    ]
    layer: list[dict[str, Any]] = [
        {
            "data": values(rows),
            "mark": {"type": "line", "strokeWidth": 1, "opacity": 0.18, "color": NEUTRAL},
            "encoding": {
                "x": x,
                "y": y,
                "detail": {"field": "line", "type": "nominal"},
                "tooltip": tooltip(
                    ("party", "nominal"), ("utility", "quantitative"), ("package", "nominal")
                ),
            },
        },
        {
            "data": values(walk_rows),
            "mark": {"type": "tick", "thickness": 4, "size": 34},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "party_id",
                    "type": "nominal",
                    "scale": party_scale(list(names), axes),
                    "legend": None,
                },
                "tooltip": tooltip(
                    ("party", "nominal"), ("utility", "quantitative", "walk-away point")
                ),
            },
        },
        {
            "data": values(walk_rows),
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dx": 19,
                "fontSize": 9,
                "fontWeight": "bold",
            },
            "encoding": {
                "x": x,
                "y": y,
                "text": {"field": "text"},
                "color": {
                    "field": "party_id",
                    "type": "nominal",
                    "scale": party_scale(list(names), axes),
                    "legend": None,
                },
            },
        },
    ]
    if solution_rows:
        layer.append(
            {
                "data": values(solution_rows),
                "mark": {
                    "type": "line",
                    "strokeWidth": 2.2,
                    "color": "black",
                    "point": {"size": 25, "filled": True, "color": "black"},
                },
                "encoding": {
                    "x": x,
                    "y": y,
                    "detail": {"field": "solution", "type": "nominal"},
                    "strokeDash": {
                        "field": "solution",
                        "type": "nominal",
                        "scale": {
                            "domain": solution_names,
                            "range": [list(d) for d in SOLUTION_DASHES[: len(solution_names)]],
                        },
                        "legend": {
                            "title": "bargaining solution",
                            "symbolType": "stroke",
                            "symbolStrokeWidth": 2,
                            "symbolSize": 300,
                            "labelLimit": LEGEND_LABEL_LIMIT,
                        },
                    },
                    "tooltip": tooltip(
                        ("solution", "nominal"),
                        ("party", "nominal"),
                        ("utility", "quantitative"),
                        ("package", "nominal"),
                    ),
                },
            }
        )
    gains = {p: max(s.gains[p] for s in packages) for p in axes}
    tight = min(axes, key=lambda p: gains[p])
    if a.pareto_acceptable:
        finding = (
            f"{label[tight]} gains least from the packages all accept: at most "
            f"{amount(gains[tight])} over its walk-away point"
            if gains[tight] > TOLERANCE
            else f"{label[tight]} gains nothing over its walk-away point from any package all accept"
        )
    else:
        finding = "No package is acceptable to every party whose consent it needs"
    shown = (
        ("the only one" if len(packages) == 1 else f"all {len(packages):,}")
        if len(kept) == len(packages)
        else f"{len(kept):,} of {len(packages):,}, evenly spaced by {possessive(label[first])} utility"
    )
    subtitle = [
        f"Each line: a package on {which} ({shown}).",
        "Coloured ticks: walk-away points; black lines: bargaining solutions of all bargainers.",
    ]
    description = (
        f"{finding}. Parallel coordinates of {which}, {shown}. Walk-away points: "
        + ", ".join(f"{p} {walk[p]:.3f}" for p in axes)
        + ". Most each party gains over its walk-away point: "
        + ", ".join(f"{p} {gains[p]:.3f}" for p in axes)
        + "."
    )
    spec = base(
        finding,
        None,
        description,
        width=WIDTH,
        height=360,
        layer=layer,
        resolve={"scale": {"color": "independent"}},
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


analysis_parallel.applies = lambda result: len(result.result.parties) >= 3  # type: ignore[attr-defined]
