"""Stability charts: the states × concepts heat table and the status quo's evolution graph."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.charts.results import result
from tests.charts.test_every_chart import BUILD, _validator
from tests.conftest import invoke

import zopa
from zopa.charts.stability import MAX_NODES, RADIUS, _layers, _nearest_paths


@cache
def evolving(name: str, start: str | int, concept: str = "GMR", coalition: str = "") -> Any:
    """A stability result with a status quo analysis (computed once)."""
    return zopa.stability(
        name, start=start, concept=concept, coalitions=[coalition] if coalition else None
    )


def _valid(spec: dict[str, Any]) -> None:
    errors = list(_validator().iter_errors(spec))
    assert not errors, errors[0].message
    json.dumps(spec)


def _data(spec: dict[str, Any], mark: str, field: str | None = None) -> list[dict[str, Any]]:
    """The rows of the layers drawing ``mark`` (and, if given, with that text field)."""
    rows: list[dict[str, Any]] = []
    for layer in spec["layer"]:
        kind = layer["mark"]["type"]
        if kind != mark:
            continue
        if field is not None and layer["encoding"].get("text", {}).get("field") != field:
            continue
        rows.extend(layer["data"]["values"])
    return rows


# -- the heat table -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["stability-elmira", "stability-chicken"])
def test_heat_table_has_every_state_concept_and_column(kind: str) -> None:
    r = result(kind)
    data = r.report.to_dict()
    spec = r.chart("stability").to_dict()
    rows = spec["data"]["values"]
    dms = list(data["decision_makers"])
    concepts = list(data["equilibria"])
    assert len(rows) == len(data["states"]) * len(concepts) * (len(dms) + 1)
    cells = {(row["state"].split(" · ")[0], row["concept"], row["column"]) for row in rows}
    assert cells == {
        (str(s["id"]), c, col) for s in data["states"] for c in concepts for col in [*dms, "EQ"]
    }
    for row in rows:
        state = int(row["state"].split(" · ")[0])
        if row["column"] == "EQ":
            assert (row["status"] == "equilibrium") == (state in data["equilibria"][row["concept"]])
            assert (row["mark"] == "EQ") == (row["status"] == "equilibrium")
        else:
            stable = state in data["stable"][row["concept"]][row["column"]]
            assert row["status"] == ("stable" if stable else "unstable")
            assert (row["mark"] == "✗") == (not stable)


def test_heat_table_labels_states_with_their_vectors_and_the_status_quo() -> None:
    spec = result("stability-elmira").chart("stability").to_dict()
    labels = {row["state"] for row in spec["data"]["values"]}
    assert "1 · NYNNN · status quo" in labels
    assert "9 · NNYNY · original-order" in labels
    assert "10 · YNYNY · modified-order" in labels
    assert spec["title"]["text"] == "States 7, 10, 11 and 12 are equilibria under every concept"
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "modify delay accept abandon insist" in subtitle
    svg = result("stability-elmira").chart("stability").to_svg()
    for concept in ("R", "GMR", "SMR", "SEQ"):
        assert f">{concept}<" in svg


def test_heat_table_title_follows_the_common_equilibria() -> None:
    chicken = result("stability-chicken")
    assert chicken.common_equilibria() == [2, 3]
    assert chicken.chart().title == "States 2 and 3 are equilibria under every concept"
    pd = zopa.stability("prisoners-dilemma")
    assert (
        pd.chart().title
        == f"State {pd.common_equilibria()[0]} is an equilibrium under every concept"
    )


def test_heat_table_of_a_large_model_lists_a_summary() -> None:
    r = zopa.stability("berlin-2025-12")
    spec = r.chart("stability").to_dict()
    states = {row["state"] for row in spec["data"]["values"]}
    assert len(states) <= 40
    assert "1 · NNNNNN · status quo" in states
    assert "of 48 states shown" in " ".join(spec["title"]["subtitle"])
    full = zopa.stability("berlin-2025-12", show_all=True).chart("stability").to_dict()
    assert len({row["state"] for row in full["data"]["values"]}) == 48


# -- the evolution graph ------------------------------------------------------------------------


def test_evolution_is_offered_only_with_a_status_quo_analysis() -> None:
    assert result("stability-elmira").charts == ("stability",)
    assert evolving("elmira", "NYNNN").charts == ("stability", "evolution")
    with pytest.raises(zopa.UnknownId, match="unknown chart 'evolution'"):
        result("stability-elmira").chart("evolution")


@pytest.mark.parametrize(
    ("name", "start", "concept", "coalition"),
    [
        ("elmira", "NYNNN", "GMR", ""),
        ("elmira", "NYNNN", "GMR", "MoE+UR"),
        ("chicken", 1, "GMR", ""),
        ("prisoners-dilemma", 1, "R", ""),
        ("berlin-2025-12", 21, "R", ""),
    ],
)
def test_evolution_graph_has_the_start_node_and_an_edge_per_move(
    name: str, start: str | int, concept: str, coalition: str
) -> None:
    r = evolving(name, start, concept, coalition)
    evo = r.evolution()
    chart = r.chart("evolution")
    spec = chart.to_dict()
    _valid(spec)
    nodes = [n for n in _data(spec, "point") if "kind" in n]
    start_node = [n for n in nodes if n.get("role") == "start"]
    assert start_node
    assert all(n["id"] == evo["from"] for n in start_node)
    assert start_node[0]["tag"] == ("status quo" if evo["status_quo"] else "start")
    shown = {n["id"] for n in nodes}
    moves = [e for e in evo["edges"] if e["from"] in shown and e["to"] in shown]
    edges = {row["edge"]: row for row in _data(spec, "line")}
    assert len(edges) == len(moves)
    arrows = [row for row in _data(spec, "point") if "angle" in row]
    assert len(arrows) == len(moves)
    labels = sorted(row["text"] for row in _data(spec, "text", "text"))
    assert labels == sorted("+".join(e["by"]) for e in moves)
    equilibrium = {m["id"]: m["equilibrium"] for m in evo["nodes"]}
    for n in nodes:
        assert (n["kind"] == f"{concept} equilibrium") == equilibrium[n["id"]]
    svg = chart.to_svg()
    assert chart.title in svg
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / f"stability-{name}-evolution.png").write_bytes(chart.to_png())


def test_arrows_point_along_their_edges_and_stop_at_the_node() -> None:
    spec = evolving("chicken", 1).chart("evolution").to_dict()
    nodes = {n["id"]: n for n in _data(spec, "point") if "kind" in n}
    lines: dict[int, list[dict[str, Any]]] = {}
    for row in _data(spec, "line"):
        lines.setdefault(row["edge"], []).append(row)
    arrows = {(a["from"], a["to"]): a for a in _data(spec, "point") if "angle" in a}
    for points in lines.values():
        points.sort(key=lambda p: p["order"])
        first, last = points[0], points[-1]
        source, target = nodes[first["from"]], nodes[first["to"]]
        assert math.dist((first["x"], first["y"]), (source["x"], source["y"])) == pytest.approx(
            RADIUS
        )
        assert math.dist((last["x"], last["y"]), (target["x"], target["y"])) == pytest.approx(
            RADIUS + 2
        )
        arrow = arrows[first["from"], first["to"]]
        heading = (
            math.degrees(math.atan2(target["y"] - source["y"], target["x"] - source["x"])) % 360
        )
        assert arrow["angle"] == pytest.approx(heading, abs=1e-6)  # a straight edge


def test_evolution_title_states_the_equilibria_reached() -> None:
    assert evolving("chicken", 1).chart("evolution").title == (
        "From the status quo (state 1), improving moves lead to GMR equilibria 2 and 3"
    )
    assert evolving("elmira", "NYNNN").chart("evolution").title == (
        "From the status quo (state 1), improving moves lead to GMR equilibrium 7; "
        "the status quo is itself one"
    )
    assert evolving("prisoners-dilemma", 1, "R").chart("evolution").title == (
        "The status quo (state 1) is an R equilibrium and no decision maker can improve on it"
    )
    other = evolving("berlin-2025-12", 21, "R").chart("evolution")
    assert other.title.startswith("From the start state (state 21)")


def test_a_large_evolution_shows_the_paths_to_the_nearest_equilibria() -> None:
    r = evolving("berlin-2025-12", 22)
    evo = r.evolution()
    assert len(evo["nodes"]) > MAX_NODES
    spec = r.chart("evolution").to_dict()
    nodes = [n for n in _data(spec, "point") if "kind" in n]
    assert len(nodes) <= MAX_NODES
    ids = {n["id"] for n in nodes}
    nearest = min(evo["paths"], key=lambda e: (len(evo["paths"][e]), e))
    assert set(evo["paths"][nearest]) <= ids
    assert "reachable states shown" in " ".join(spec["title"]["subtitle"])


def test_layers_are_breadth_first_and_deterministic() -> None:
    edges = [(1, 2), (1, 3), (2, 4), (3, 4), (4, 1), (3, 5)]
    place = _layers(1, [1, 2, 3, 4, 5], edges)
    assert place[1] == (0, 0)
    assert {place[2][0], place[3][0]} == {1}
    assert place[4][0] == place[5][0] == 2
    assert _layers(1, [5, 4, 3, 2, 1], edges) == place  # not the order the nodes come in
    lonely = _layers(1, [1, 2, 9], [(1, 2)])
    assert lonely[9] == (2, 0)  # not reached along the edges shown: one layer further
    paths = {2: [1, 2], 7: [1, 3, 5, 7]}
    assert _nearest_paths(1, paths) == {1, 2, 3, 5, 7}


def test_evolution_spec_is_reproducible() -> None:
    first = zopa.stability("berlin-2025-12", start=21, concept="R").chart("evolution").to_dict()
    again = zopa.stability("berlin-2025-12", start=21, concept="R").chart("evolution").to_dict()
    assert first == again


# -- the command line ---------------------------------------------------------------------------


def test_cli_stability_writes_the_charts(tmp_path: Path) -> None:
    table = tmp_path / "table.svg"
    r = invoke("stability", "elmira", "--chart", str(table))
    assert r.exit_code == 0, r.stderr
    assert "chart 'stability' written" in r.stderr
    assert "States 7, 10, 11 and 12" in table.read_text(encoding="utf-8")
    graph = tmp_path / "evolution.png"
    r = invoke(
        "stability", "elmira", "--from", "NYNNN", "--chart", str(graph), "--chart-name", "evolution"
    )
    assert r.exit_code == 0, r.stderr
    assert graph.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chart", "x.svg", "--chart-name", "evolution"], "give --from STATE as well"),
        (["--chart-name", "stability"], "give --chart FILE as well"),
        (["--chart", "x.bmp"], "ends in none of them"),
        (["--chart", "x.svg", "--chart-name", "nope"], "--chart-name: unknown chart 'nope'"),
    ],
)
def test_cli_stability_bad_chart_options_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    r = invoke("stability", "elmira", *[a.replace("x.", str(tmp_path / "x.")) for a in args])
    assert r.exit_code == 2
    assert message in r.stderr
