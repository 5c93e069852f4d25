"""The analysis charts: what must be on them (read from the spec and the rendered SVG)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.charts._svg import find, texts
from tests.charts.results import result
from tests.charts.test_every_chart import _validator as validator
from tests.conftest import SMALL_SCENARIO
from tests.space._scenarios import load_dict, scenario_dicts

import zopa
from zopa.charts.palette import DIVERGING, party_colours
from zopa.charts.space import CHAR_WIDTH, MAX_LINES, place_labels

BERLIN_PARTIES = ["UA", "RU", "US", "EU", "CA", "JP"]
KYIV = "Kyiv's offer before the Berlin talks"


@cache
def small() -> Any:
    return zopa.analyze(str(SMALL_SCENARIO))


@cache
def svg(kind: str, name: str, **options: Any) -> str:
    return str(result(kind).chart(name, **options).to_svg())


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit layer of a spec (nested layers and facets flattened)."""
    out: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        if "layer" in node:
            for child in node["layer"]:
                walk(child)
        elif "spec" in node:
            walk(node["spec"])
        else:
            out.append(node)

    walk(spec)
    return out


def mark_type(layer: dict[str, Any]) -> str:
    mark = layer.get("mark", "")
    return str(mark["type"] if isinstance(mark, dict) else mark)


# -- which charts ---------------------------------------------------------------------------------


def test_analysis_and_evaluation_offer_their_charts():
    analysis, evaluation = result("analysis").charts, result("evaluation").charts
    assert analysis[0] == evaluation[0] == "acceptance"  # the main chart
    assert set(analysis) == {"acceptance", "gaps", "space", "parallel", "bridging"}
    assert set(evaluation) == {"acceptance", "gaps", "bridging"}
    assert result("evaluation").chart().name == "acceptance"


def test_a_package_that_bridges_has_no_gaps_and_no_bridging():
    nash = result("analysis").result.solutions["nash"][0].package
    bridged = zopa.evaluate(terms=",".join(f"{i}={o}" for i, o in nash.items()))
    assert bridged.bridges
    assert bridged.charts == ("acceptance",)
    assert "does not bridge" not in bridged.chart().title


def test_an_option_a_chart_does_not_take_is_a_usage_error():
    with pytest.raises(zopa.UsageError, match="no option 'parties'") as err:
        result("analysis").chart("acceptance", parties=("UA", "RU"))
    assert err.value.parameter == "chart_parties"


# -- gap by issue ---------------------------------------------------------------------------------


def test_gaps_of_kyivs_offer_are_russias_sorted_and_labelled():
    chart = result("analysis").chart("gaps")
    assert chart.title == f"Russia loses most on territory in {KYIV}"
    rows = chart.spec["data"]["values"]
    assert {r["party"] for r in rows} == {"RU"}
    drawn = svg("analysis", "gaps")
    # the issue labels on the y axis, top to bottom, in order of decreasing cost
    issues = [r["issue"] for r in rows]
    labels = sorted((t for t in texts(drawn) if t.text in issues), key=lambda t: t.y)
    costs = {r["issue"]: r["cost"] for r in rows}
    shown = [costs[t.text] for t in labels]
    assert len(shown) == len(issues) == 9
    assert shown == sorted(shown, reverse=True)
    assert labels[0].text == "territory"
    assert find(drawn, "line-of-contact → donbas-rosgvardia")
    assert find(drawn, "0.270")
    assert find(drawn, "short by 0.312")


def test_gaps_facet_every_rejecting_party_and_filter_them():
    a = result("analysis")
    us28 = "us-28-point-2025-11-20"
    every = a.chart("gaps", proposal=us28)
    assert every.spec["data"]["values"][0]["party"] == "UA"
    assert {r["party"] for r in every.spec["data"]["values"]} == {"UA", "EU", "CA"}
    assert (
        every.title == "Ukraine, EU and Canada together lose most on guarantees in US 28-point plan"
    )
    one = a.chart("gaps", proposal=us28, party="EU")
    assert {r["party"] for r in one.spec["data"]["values"]} == {"EU"}
    assert one.title == "EU loses most on guarantees in US 28-point plan"
    with pytest.raises(zopa.UnknownId, match="rejecting party 'RU' of us-28") as err:
        a.chart("gaps", proposal=us28, parties=["RU"])
    assert err.value.parameter == "chart_parties"
    with pytest.raises(zopa.UsageError, match="not both"):
        a.chart("gaps", party="EU", parties=["EU"])
    with pytest.raises(zopa.UnknownId, match="unknown proposal 'nope'"):
        a.chart("gaps", proposal="nope")


def test_gaps_of_the_small_scenario_and_of_an_evaluation():
    chart = small().chart("gaps", proposal="plan")
    assert chart.title == "Ukraine loses most on nato in A plan"
    ev = result("evaluation").chart("gaps")
    assert ev.title == "Russia loses most on territory in the ad-hoc package"


def test_a_proposal_that_bridges_has_no_gaps(small_with_deal):
    a = zopa.analyze(str(small_with_deal))
    assert "deal" not in [p.id for p in a.result.proposals if p.verdict.rejecting]
    with pytest.raises(zopa.UnknownId, match="for this chart"):
        a.chart("gaps", proposal="deal")


# -- the agreement space --------------------------------------------------------------------------


def test_space_shows_ukraine_and_russia_by_default_with_their_walk_away_lines():
    chart = result("analysis").chart("space")
    colours = party_colours(BERLIN_PARTIES)
    rules = [layer for layer in layers(chart.spec) if mark_type(layer) == "rule"]
    by_colour = {r["mark"]["color"]: r for r in rules}
    assert "x" in by_colour[colours["UA"]]["encoding"]  # UA on the x axis: a vertical rule
    assert "y" in by_colour[colours["RU"]]["encoding"]
    assert by_colour[colours["UA"]]["data"]["values"] == [{"x": 0.45}]
    assert by_colour[colours["RU"]]["data"]["values"] == [{"y": 0.5}]
    drawn = svg("analysis", "space")
    assert find(drawn, "Ukraine walks away below 0.45")[0].attrs["fill"] == colours["UA"]
    assert find(drawn, "Russia walks away below 0.50")[0].attrs["fill"] == colours["RU"]
    assert find(drawn, "Ukraine's utility (0 = its worst package, 1 = its best)")
    assert (
        chart.title == "Ukraine and Russia can both clear their walk-away points, by at most 0.13"
    )


def test_space_labels_every_proposal_kyivs_in_bold_without_overlaps():
    drawn = svg("analysis", "space")
    kyiv = find(drawn, KYIV)
    assert len(kyiv) == 1
    assert kyiv[0].attrs["font-weight"] == "bold"
    labels = [
        "US 28-point plan",
        "E3 counter-proposal",
        "Geneva revision",
        "Russia's stated demands",
        KYIV,
    ]
    boxes = []
    for label in labels:
        (t,) = find(drawn, label)
        width = len(label) * CHAR_WIDTH
        anchor = t.attrs.get("text-anchor", "start")
        x0 = t.x - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
        boxes.append((x0, t.y - 6, x0 + width, t.y + 6))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_space_marks_the_bargaining_solutions_in_the_legend():
    chart = result("analysis").chart("space")
    points = [
        layer
        for layer in layers(chart.spec)
        if mark_type(layer) == "point" and "shape" in layer["encoding"]
    ]
    (solutions,) = points
    rows = solutions["data"]["values"]
    nash = result("analysis").result.solutions["nash"][0].utilities
    (row,) = [r for r in rows if "Nash" in r["solution"]]
    assert (row["x"], row["y"]) == (round(nash["UA"], 6), round(nash["RU"], 6))
    names = " ".join(r["solution"] for r in rows)
    for name in ("Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian"):
        assert name in names
    drawn = svg("analysis", "space")
    assert find(drawn, "Nash")
    assert find(drawn, "bargaining solution")


def test_space_draws_both_frontiers_and_the_zone():
    chart = result("analysis").chart("space")
    lines = [layer for layer in layers(chart.spec) if mark_type(layer) == "line"]
    series = {layer["data"]["values"][0]["series"]: layer["data"]["values"] for layer in lines}
    assert set(series) == {"of all packages", "of the packages acceptable to all"}
    everything, acceptable = series["of all packages"], series["of the packages acceptable to all"]
    assert len(acceptable) < len(everything)
    assert all(p["x"] >= 0.45 and p["y"] >= 0.5 for p in acceptable)
    (zone,) = [layer for layer in layers(chart.spec) if mark_type(layer) == "area"]
    assert {r["y2"] for r in zone["data"]["values"]} == {0.5}
    assert min(r["x"] for r in zone["data"]["values"]) == 0.45
    assert find(svg("analysis", "space"), "zone of agreement")


def test_space_takes_any_two_parties_in_axis_order():
    chart = result("analysis").chart("space", parties=("RU", "EU"))
    assert chart.spec["layer"][0]["encoding"]["x"]["title"].startswith("Russia's utility")
    assert chart.spec["layer"][0]["encoding"]["y"]["title"].startswith("EU's utility")


@pytest.mark.parametrize(
    ("parties", "error", "message"),
    [
        (("UA", "XX"), zopa.UnknownId, "unknown party 'XX'"),
        (("UA", "UA"), zopa.UsageError, "UA is named twice"),
        (("UA",), zopa.UsageError, "needs 2 parties, got 1"),
        (("UA", "RU", "EU"), zopa.UsageError, "needs 2 parties, got 3"),
    ],
)
def test_space_refuses_bad_parties(parties, error, message):
    with pytest.raises(error, match=message) as err:
        result("analysis").chart("space", parties=parties)
    assert err.value.parameter == "chart_parties"


def test_space_of_the_small_scenario_where_the_zone_is_one_package():
    chart = small().chart("space")
    assert chart.title == (
        "Ukraine and Russia can both reach their walk-away points, but not both exceed them"
    )
    assert "An offer falls short of Russia's walk-away point" in chart.spec["title"]["subtitle"][0]


# -- parallel coordinates -------------------------------------------------------------------------


def test_parallel_draws_a_sample_of_the_acceptable_frontier_with_walk_away_ticks():
    chart = result("analysis").chart("parallel")
    found = layers(chart.spec)
    lines = found[0]["data"]["values"]
    total = len(result("analysis").result.pareto_acceptable)
    assert total > MAX_LINES
    assert len({r["line"] for r in lines}) == MAX_LINES
    assert f"{MAX_LINES} of {total:,}" in chart.spec["title"]["subtitle"][0]
    (ticks,) = [layer for layer in found if mark_type(layer) == "tick"]
    assert [r["party_id"] for r in ticks["data"]["values"]] == BERLIN_PARTIES
    scale = ticks["encoding"]["color"]["scale"]
    assert scale["range"] == [party_colours(BERLIN_PARTIES)[p] for p in BERLIN_PARTIES]
    drawn = svg("analysis", "parallel")
    assert find(drawn, "Nash")
    assert chart.title.startswith("Russia gains least from the packages all accept")


def test_parallel_needs_three_parties():
    assert "parallel" in small().charts
    with pytest.raises(zopa.UsageError, match="at least 3 parties") as err:
        result("analysis").chart("parallel", parties=("UA", "RU"))
    assert err.value.parameter == "chart_parties"
    analysis = zopa.analyze(load_dict(TWO_PARTIES))
    assert "parallel" not in analysis.charts
    assert "space" in analysis.charts


TWO_PARTIES: dict[str, Any] = {
    "zopa": 1,
    "id": "two",
    "title": "Two parties",
    "sources": {"s": {"publisher": "Test", "title": "Test"}},
    "parties": {"A": {"name": "A", "role": "party"}, "B": {"name": "B", "role": "party"}},
    "issues": {"i": {"name": "i", "options": {"x": {"label": "x"}, "y": {"label": "y"}}}},
    "preferences": {
        p: {
            "weights": {"i": 1},
            "values": {"i": {"x": 1 - k, "y": k}},
            "reservation": 0.5,
            "basis": "Assumption.",
        }
        for k, p in enumerate("AB")
    },
}


# -- bridging -------------------------------------------------------------------------------------


def test_bridging_diverges_around_a_zero_line_one_panel_per_package():
    chart = result("analysis").chart("bridging")
    assert chart.title == (
        "The smallest bridge changes nato and territory, at a cost of 0.26 to Ukraine"
    )
    found = layers(chart.spec)
    zero = [
        layer
        for layer in found
        if mark_type(layer) == "rule" and layer["encoding"]["x"].get("datum") == 0
    ]
    assert len(zero) == 1
    (bars,) = [layer for layer in found if mark_type(layer) == "bar"]
    colour = bars["encoding"]["color"]["scale"]
    assert colour["scheme"] == DIVERGING
    assert colour["domainMid"] == 0
    assert colour["domain"][0] == -colour["domain"][1]
    rows = chart.spec["data"]["values"]
    packages = result("analysis").result.bridging["kyiv-2025-12-14"].packages
    assert len(rows) == len(packages) * len(BERLIN_PARTIES)
    drawn = svg("analysis", "bridging")
    assert find(drawn, "1. nato: set-aside → renounced-in-law")
    assert find(drawn, "territory: line-of-contact → donbas-ceded")
    assert find(drawn, "+0.345")
    assert find(drawn, "-0.263")


def test_bridging_options_and_evaluation():
    a = result("analysis")
    chart = a.chart("bridging", proposal="e3-counter-2025-11-23", parties=["RU", "EU"])
    assert {r["party"] for r in chart.spec["data"]["values"]} == {"Russia", "EU"}
    assert "to EU" in chart.title  # the E3 proposed it
    with pytest.raises(zopa.UnknownId):
        a.chart("bridging", parties=["XX"])
    ev = result("evaluation").chart("bridging")
    assert ev.title == "The smallest bridge changes territory and sanctions"


# -- every chart on generated scenarios --------------------------------------------------------


def _dominated(p: dict[str, Any], others: list[dict[str, Any]]) -> bool:
    return any(
        o["x"] >= p["x"] and o["y"] >= p["y"] and (o["x"], o["y"]) != (p["x"], p["y"])
        for o in others
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(max_parties=4, max_issues=3, max_options=4, silent=True))
def test_charts_of_generated_scenarios(data):
    analysis = zopa.analyze(load_dict(data), count="exact")
    names = analysis.charts
    assert ("space" in names) == (len(analysis.result.parties) >= 2)
    assert ("parallel" in names) == (len(analysis.result.parties) >= 3)
    for name in names:
        spec = analysis.chart(name).spec
        json.dumps(spec)
        errors = list(validator().iter_errors(spec))
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].path)}"
    if "space" not in names:
        return
    x, y = analysis.opposed_parties()
    spec = analysis.chart("space").spec
    series: dict[str, list[dict[str, Any]]] = {}
    for layer in layers(spec):
        if mark_type(layer) == "line":
            rows = layer["data"]["values"]
            series[rows[0]["series"]] = rows
    walk = analysis.walk_away
    core = set(analysis.result.bargainers)
    for rows in series.values():
        assert not any(_dominated(p, rows) for p in rows)  # mutually non-dominated
    for p in series.get("of the packages acceptable to all", []):
        if x in core:
            assert p["x"] >= walk[x] - 1e-9
        if y in core:
            assert p["y"] >= walk[y] - 1e-9
    assert ("of the packages acceptable to all" in series) == analysis.result.zone.exists


# -- label placement ------------------------------------------------------------------------------


def test_labels_avoid_each_other_and_the_plot_edge():
    alone = place_labels([(100.0, 100.0, "a label")], [], 520, 420)
    assert alone == [(107.0, 100.0, "left")]  # to the right of its point
    twins = place_labels([(100.0, 100.0, "a label"), (100.0, 100.0, "a label")], [], 520, 420)
    assert twins[0] != twins[1]
    edge = place_labels([(515.0, 200.0, "near the right edge")], [], 520, 420)
    assert edge[0][2] == "right"  # to the left of its point, inside the plot
