"""Strategic stability charts: the stability table and the status quo's evolution.

* ``stability`` (main): states × stability concepts as a heat table. For every concept, one
  column per decision maker (is the state stable for it?) and one for the state as a whole
  (an equilibrium when it is stable for every decision maker). The concepts are those of the
  graph model for conflict resolution: Nash (R), general metarationality (GMR), symmetric
  metarationality (SMR) and sequential stability (SEQ), Fang, L., Hipel, K. W. and Kilgour,
  D. M. (1993). *Interactive Decision Making: The Graph Model for Conflict Resolution*. Wiley,
  ch. 3.
* ``evolution``: where the conflict can go from a start state by unilateral (and coalition)
  improvements, as a graph: states as nodes, moves as arrows labelled with who moves, the
  start state and the equilibria marked (status quo analysis: Li, K. W., Kilgour, D. M. and
  Hipel, K. W. (2004). "Status quo analysis of the Flathead River conflict". *Water Resources
  Research* 40(5)). Offered when the result has a status quo analysis (``zopa.stability(...,
  start=...)``, ``zopa stability --from``).

Vega-Lite has no graph layout: the nodes are placed here, deterministically, in layers by
breadth-first depth from the start state (left to right), ordered within a layer by the mean
position of their predecessors (the barycentre heuristic of layered graph drawing: Sugiyama,
K., Tagawa, S. and Toda, M. (1981). "Methods for visual understanding of hierarchical system
structures". *IEEE Trans. Systems, Man, and Cybernetics* 11(2), 109-125), and drawn in pixel
coordinates so that the arrow heads point along their edges.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from zopa.charts import chart
from zopa.charts.palette import BAD, GOOD, party_scale
from zopa.charts.robustness import lines
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values

STABLE, UNSTABLE = "#CDEBDF", "#F7D3BE"
"""A decision maker's cell: stable (pale green) or unstable (pale vermillion, marked ✗)."""

EQUILIBRIUM, NOT_EQUILIBRIUM = GOOD, "#FFFFFF"
"""The state's cell under a concept: an equilibrium (green, ``EQ``) or not (white)."""

STATUSES = ("stable", "unstable", "equilibrium", "not an equilibrium")

MAX_NODES = 12
"""An evolution with more reachable states shows only those on the shortest paths."""

MAX_EDGES = 24
"""... and so does one with more improving moves than this."""

EQUILIBRIUM_NODE = "#3A3A3A"
"""An equilibrium's node (dark grey: the party colours are taken by the movers' arrows)."""

RADIUS = 17
"""Node radius in pixels."""


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _state_label(state: dict[str, Any], names: dict[int, str], status_quo: int | None) -> str:
    label = f"{state['id']} · {state['options']}"
    if state["id"] in names:
        label += f" · {names[state['id']]}"
    if state["id"] == status_quo:
        label += " · status quo"
    return label


# -- the stability table -----------------------------------------------------------------------


@chart("stability", "stability", main=True)
def stability(result: Any) -> Spec:
    """States × concepts: stable or not for each decision maker, equilibrium or not."""
    from zopa.render.stability_view import MAX_ROWS

    data = result.report.to_dict(None if result.show_all else MAX_ROWS)
    dms = list(data["decision_makers"])
    concepts = list(data["equilibria"])
    names = {v["id"]: k for k, v in data["named"].items()}
    sq = data["status_quo"]
    stable = {c: {dm: set(data["stable"][c][dm]) for dm in dms} for c in concepts}
    rows = []
    for st in data["states"]:
        label = _state_label(st, names, sq)
        for c in concepts:
            unstable = [dm for dm in dms if st["id"] not in stable[c][dm]]
            for dm in dms:
                ok = dm not in unstable
                rows.append(
                    {
                        "state": label,
                        "concept": c,
                        "column": dm,
                        "status": "stable" if ok else "unstable",
                        "mark": "" if ok else "✗",
                        "what": f"{'stable' if ok else 'unstable'} for {dm} under {c}",
                    }
                )
            rows.append(
                {
                    "state": label,
                    "concept": c,
                    "column": "EQ",
                    "status": "equilibrium" if not unstable else "not an equilibrium",
                    "mark": "EQ" if not unstable else "",
                    "what": f"{c} equilibrium"
                    if not unstable
                    else f"not a {c} equilibrium (unstable for {', '.join(unstable)})",
                }
            )
    common = result.common_equilibria()
    counts = data["counts"]
    if common:
        ids = [str(i) for i in common]
        head = (
            f"State {ids[0]} is an equilibrium under every concept"
            if len(ids) == 1
            else f"States {_listing(ids)} are equilibria under every concept"
            if len(ids) <= 6
            else f"{len(ids):,} states are equilibria under every concept, "
            f"among them {', '.join(ids[:4])}"
        )
    else:
        head = "No state is an equilibrium under every concept (" + ", ".join(
            f"{c}: {counts['equilibria'][c]:,}" for c in concepts
        )
        head += ")"
    options = [o["id"] for o in data["options"]]
    shown = len(data["states"])
    cut = (
        f" {shown} of {counts['states']:,} states shown: the status quo, the named states and "
        "the states that are equilibria under the most concepts."
        if data.get("summarised")
        else ""
    )
    detail = (
        "For each concept, whether the state is stable for each decision maker (a cross: not) and "
        f"whether it is an equilibrium (EQ: stable for all).{cut} Options in the vectors: "
        f"{' '.join(options)} (Y: taken)."
    )
    sort = [_state_label(st, names, sq) for st in data["states"]]
    columns = [*dms, "EQ"]
    angle = 0 if max(len(c) for c in columns) <= 4 else -45
    x = {
        "field": "column",
        "type": "nominal",
        "sort": columns,
        "title": None,
        "axis": {"orient": "top", "labelAngle": angle, "grid": False, "domain": False},
    }
    y = {"field": "state", "type": "nominal", "sort": sort, "title": None, "axis": {"grid": False}}
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        data=values(rows),
        facet={
            "column": {
                "field": "concept",
                "type": "nominal",
                "sort": concepts,
                "title": None,
                "header": {"labelFontWeight": "bold", "labelFontSize": 12},
            }
        },
        spec={
            "width": {"step": 28},
            "height": {"step": 17},
            "layer": [
                {
                    "mark": {"type": "rect", "stroke": "#BBBBBB", "strokeWidth": 0.5},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "color": {
                            "field": "status",
                            "type": "nominal",
                            "scale": {
                                "domain": list(STATUSES),
                                "range": [STABLE, UNSTABLE, EQUILIBRIUM, NOT_EQUILIBRIUM],
                            },
                            "legend": {"title": None},
                        },
                        "tooltip": tooltip(("state", "nominal"), ("what", "nominal", "verdict")),
                    },
                },
                {
                    # only the cells that carry a symbol: an empty text mark still costs a node
                    "transform": [{"filter": "datum.mark !== ''"}],
                    "mark": {"type": "text", "fontSize": 10},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "text": {"field": "mark"},
                        "color": {
                            "condition": {"test": "datum.mark === 'EQ'", "value": "white"},
                            "value": BAD,
                        },
                    },
                },
            ],
        },
        spacing=8,
    )
    spec["title"]["subtitle"] = lines(detail, max(WIDTH, 40 * len(columns) * len(concepts)))
    return spec


# -- the status quo's evolution ----------------------------------------------------------------


def _layers(
    start: int, nodes: list[int], edges: list[tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """Each node's (layer, position in layer): breadth-first depth, then barycentre order."""
    out_edges: dict[int, list[int]] = {n: [] for n in nodes}
    into: dict[int, list[int]] = {n: [] for n in nodes}
    for a, b in edges:
        out_edges[a].append(b)
        into[b].append(a)
    depth = {start: 0}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        for m in sorted(out_edges[n]):
            if m not in depth:
                depth[m] = depth[n] + 1
                queue.append(m)
    deepest = max(depth.values(), default=0)
    for n in nodes:  # not reached along the edges shown: one layer further
        depth.setdefault(n, deepest + 1)
    layer_of = depth
    place: dict[int, tuple[int, int]] = {}
    for d in range(max(depth.values()) + 1):
        layer = [n for n in nodes if depth[n] == d]

        def centre(n: int) -> float:
            before = [place[m][1] for m in into[n] if m in place and place[m][0] == layer_of[n] - 1]
            return sum(before) / len(before) if before else math.inf

        for k, n in enumerate(sorted(layer, key=lambda n: (centre(n), n))):
            place[n] = (d, k)
    return place


def _nearest_paths(start: int, paths: dict[int, list[int]]) -> set[int]:
    """The states on the shortest paths to the nearest equilibria, at most :data:`MAX_NODES`.

    Paths are taken shortest first (ties by equilibrium number); at least the first.
    """
    kept = {start}
    for eq in sorted(paths, key=lambda e: (len(paths[e]), e)):
        more = kept | set(paths[eq])
        if len(more) > MAX_NODES and len(kept) > 1:
            break
        kept = more
    return kept


Point = tuple[float, float]


def _unit(p: Point, q: Point) -> Point:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def _normal(p: Point, q: Point) -> Point:
    """The unit normal of ``p → q`` on its right-hand side (screen coordinates, y down)."""
    ux, uy = _unit(p, q)
    return -uy, ux


def _towards(p: Point, q: Point, distance: float) -> Point:
    """The point ``distance`` pixels from ``p`` towards ``q``."""
    ux, uy = _unit(p, q)
    return p[0] + ux * distance, p[1] + uy * distance


def _bend(p: Point, q: Point, others: list[Point]) -> float:
    """How far an edge ``p → q`` curves (pixels) to pass clear of the other nodes: 0 if it can."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length2 = dx * dx + dy * dy or 1.0
    for o in others:
        t = ((o[0] - p[0]) * dx + (o[1] - p[1]) * dy) / length2
        if 0 < t < 1:
            near = (p[0] + t * dx - o[0], p[1] + t * dy - o[1])
            if math.hypot(*near) < RADIUS + 8:
                return 34.0
    return 0.0


@chart("stability", "evolution")
def evolution(result: Any) -> Spec:
    """Where the conflict can go from the start state: states, moves and who makes them."""
    evo = result.evolution()
    start, concept = evo["from"], evo["concept"]
    nodes = {n["id"]: n for n in evo["nodes"]}
    edges = evo["edges"]
    kept = list(nodes)
    total = len(kept)
    if total > MAX_NODES or len(edges) > MAX_EDGES:
        on_paths = _nearest_paths(start, evo["paths"])
        kept = [n for n in kept if n in on_paths]
        edges = [e for e in edges if e["from"] in on_paths and e["to"] in on_paths]
    place = _layers(start, kept, [(e["from"], e["to"]) for e in edges])
    n_layers = max(d for d, _ in place.values()) + 1
    widest = max(sum(1 for d, _ in place.values() if d == layer) for layer in range(n_layers))
    col = 150 if n_layers > 1 else 0
    row = 86
    width = max(WIDTH, col * (n_layers - 1) + 160)
    height = max(150, row * widest + 40)
    left = (width - col * (n_layers - 1)) / 2

    def xy(n: int) -> tuple[float, float]:
        d, k = place[n]
        size = sum(1 for dd, _ in place.values() if dd == d)
        return left + d * col, height / 2 + (k - (size - 1) / 2) * row

    dms = list(result.report.game.dms)
    movers = sorted({"+".join(e["by"]) for e in edges} - set(dms))
    colours = party_scale(dms, [dm for dm in dms if any(e["by"] == [dm] for e in edges)])
    colour_scale = {
        "domain": [*colours["domain"], *movers],  # type: ignore[misc]
        "range": [*colours["range"], *(["#000000"] * len(movers))],  # type: ignore[misc]
    }
    centres = {n: xy(n) for n in kept}
    pairs = {(e["from"], e["to"]) for e in edges}
    edge_rows: list[dict[str, Any]] = []
    arrow_rows, label_rows = [], []
    for k, e in enumerate(edges):
        p, q = centres[e["from"]], centres[e["to"]]
        bend = _bend(p, q, [c for n, c in centres.items() if n not in (e["from"], e["to"])])
        if (e["to"], e["from"]) in pairs:  # two-way moves: each curves to its own side
            bend = max(bend, 16.0)
        mid, normal = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2), _normal(p, q)
        # a B-spline passes half way to its middle control point: pull it twice as far
        c = (mid[0] + normal[0] * 2 * bend, mid[1] + normal[1] * 2 * bend)
        a = _towards(p, c, RADIUS)
        b = _towards(q, c, RADIUS + 2)
        by = "+".join(e["by"])
        common = {"from": e["from"], "to": e["to"], "by": by, "edge": k}
        edge_rows += [{**common, "order": i, "x": x, "y": y} for i, (x, y) in enumerate((a, c, b))]
        ux, uy = _unit(c, b)
        arrow_rows.append(
            {
                **common,
                "x": b[0] - ux * 5,
                "y": b[1] - uy * 5,
                "angle": math.degrees(math.atan2(uy, ux)) % 360,
            }
        )
        # the label beside the curve's middle ((a + 4c + b) / 6 for a uniform B-spline)
        side = 1.0 if bend >= 0 else -1.0
        label_rows.append(
            {
                **common,
                "x": (a[0] + 4 * c[0] + b[0]) / 6 + normal[0] * 10 * side,
                "y": (a[1] + 4 * c[1] + b[1]) / 6 + normal[1] * 10 * side + 4,
                "text": by,
            }
        )
    node_rows = []
    for n in kept:
        x, y = xy(n)
        node = nodes[n]
        role = "start" if n == start else ""
        node_rows.append(
            {
                "id": n,
                "x": x,
                "y": y,
                "label": str(n),
                "options": node["options"],
                "names": ", ".join(node["names"]),
                "kind": f"{concept} equilibrium" if node["equilibrium"] else "other state",
                "role": role,
                "caption": node["options"],
                "tag": ("status quo" if evo["status_quo"] else "start") if role else "",
            }
        )
    start_word = "the status quo" if evo["status_quo"] else "the start state"
    reached = sorted(e for e in evo["paths"] if e != start)
    itself = start in evo["paths"]
    article = "an" if concept[:1] in "AEFHILMNORSX" else "a"
    if len(reached) > 4:
        nearest = sorted(reached, key=lambda e: (len(evo["paths"][e]), e))[:3]
        head = (
            f"From {start_word} (state {start}), improving moves lead to {len(reached)} "
            f"{concept} equilibria, the nearest {_listing([str(e) for e in nearest])}"
        )
        if itself:
            head += f"; {start_word} is itself one"
    elif reached:
        plural = "um" if len(reached) == 1 else "a"
        head = (
            f"From {start_word} (state {start}), improving moves lead to {concept} "
            f"equilibri{plural} {_listing([str(e) for e in reached])}"
        )
        if itself:
            head += f"; {start_word} is itself one"
    elif itself:
        head = (
            f"{start_word[0].upper()}{start_word[1:]} (state {start}) is {article} {concept} "
            "equilibrium" + ("" if edges else " and no decision maker can improve on it")
        )
    elif edges:
        head = f"From {start_word} (state {start}), no improving path leads to {article} {concept} equilibrium"
    else:
        head = f"No decision maker can improve on {start_word} (state {start}) by moving"
    shortest = [
        " → ".join(str(s) for s in evo["paths"][e])
        for e in sorted(reached, key=lambda e: (len(evo["paths"][e]), e))[:3]
    ]
    cut = (
        f" {len(kept)} of {total} reachable states shown: those on the shortest paths to the "
        "nearest equilibria."
        if len(kept) < total
        else ""
    )
    detail = (
        f"States reachable from state {start} by unilateral (and coalition) improvements; "
        f"arrows: moves, labelled with who moves; dark: {concept} equilibria; ringed: "
        f"{start_word}." + (f" Shortest paths: {'; '.join(shortest)}." if shortest else "") + cut
    )
    scale_x = {"domain": [0, width], "range": [0, width]}
    scale_y = {"domain": [0, height], "range": [0, height]}
    off = {"axis": None}
    pos_x = {"field": "x", "type": "quantitative", "scale": scale_x, **off}
    pos_y = {"field": "y", "type": "quantitative", "scale": scale_y, **off}
    mover_colour = {
        "field": "by",
        "type": "nominal",
        "scale": colour_scale,
        "legend": {"title": "who moves"} if edges else None,
    }
    layer: list[dict[str, Any]] = []
    if edges:
        layer += [
            {
                "data": values(edge_rows),
                "mark": {"type": "line", "strokeWidth": 2, "interpolate": "basis"},
                "encoding": {
                    "x": pos_x,
                    "y": pos_y,
                    "detail": {"field": "edge", "type": "nominal"},
                    "order": {"field": "order", "type": "quantitative"},
                    "color": mover_colour,
                    "tooltip": tooltip(
                        ("from", "quantitative", "from state"),
                        ("to", "quantitative", "to state"),
                        ("by", "nominal", "who moves"),
                    ),
                },
            },
            {
                "data": values(arrow_rows),
                "mark": {"type": "point", "shape": "triangle-right", "filled": True, "size": 110},
                "encoding": {
                    "x": pos_x,
                    "y": pos_y,
                    "angle": {"field": "angle", "type": "quantitative", "scale": None},
                    "color": mover_colour,
                    "opacity": {"value": 1},
                },
            },
            {
                "data": values(label_rows),
                "mark": {"type": "text", "fontSize": 11, "fontWeight": "bold"},
                "encoding": {
                    "x": pos_x,
                    "y": pos_y,
                    "text": {"field": "text"},
                    "color": mover_colour,
                },
            },
        ]
    layer += [
        {
            "data": values([{"x": r["x"], "y": r["y"]} for r in node_rows if r["role"]]),
            "mark": {
                "type": "point",
                "filled": False,
                "size": (2 * RADIUS + 12) ** 2,
                "stroke": "black",
                "strokeWidth": 2.5,
                "opacity": 1,
            },
            "encoding": {"x": pos_x, "y": pos_y},
        },
        {
            "data": values(node_rows),
            "mark": {"type": "point", "filled": True, "size": (2 * RADIUS) ** 2, "opacity": 1},
            "encoding": {
                "x": pos_x,
                "y": pos_y,
                "fill": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": {
                        "domain": [f"{concept} equilibrium", "other state"],
                        "range": [EQUILIBRIUM_NODE, "#FFFFFF"],
                    },
                    "legend": {"title": None},
                },
                "stroke": {"value": "#555555"},
                "strokeWidth": {"value": 1.5},
                "tooltip": tooltip(
                    ("id", "quantitative", "state"),
                    ("options", "nominal", "option vector"),
                    ("names", "nominal", "named"),
                    ("kind", "nominal", "kind"),
                ),
            },
        },
        {
            "data": values(node_rows),
            "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold"},
            "encoding": {
                "x": pos_x,
                "y": pos_y,
                "text": {"field": "label"},
                "color": {
                    "condition": {
                        "test": f"datum.kind === '{concept} equilibrium'",
                        "value": "white",
                    },
                    "value": "black",
                },
            },
        },
        {
            "data": values(node_rows),
            "mark": {"type": "text", "fontSize": 10, "dy": RADIUS + 16, "font": "monospace"},
            "encoding": {"x": pos_x, "y": pos_y, "text": {"field": "caption"}},
        },
        {
            "data": values(node_rows),
            "mark": {"type": "text", "fontSize": 10, "dy": RADIUS + 28, "fontStyle": "italic"},
            "encoding": {"x": pos_x, "y": pos_y, "text": {"field": "names"}},
        },
        {
            "data": values(node_rows),
            "mark": {"type": "text", "fontSize": 10, "dy": -(RADIUS + 14), "fontStyle": "italic"},
            "encoding": {"x": pos_x, "y": pos_y, "text": {"field": "tag"}},
        },
    ]
    spec = base(
        head,
        detail,
        f"{head}. {detail}",
        width=width,
        height=height,
        layer=layer,
        resolve={"scale": {"color": "shared"}},
    )
    spec["config"]["axis"] = {**spec["config"]["axis"], "grid": False}
    spec["title"]["subtitle"] = lines(detail, width)
    return spec


evolution.applies = lambda result: result.evolution() is not None  # type: ignore[attr-defined]
