"""The timeline's chart: the gap between the sides over time, the proposals and the reactions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.charts._svg import find, texts
from tests.charts.results import result
from tests.test_timeline import A2, SHIFT, scenario

import zopa
from zopa.charts.palette import NEUTRAL, party_colours
from zopa.charts.spec import WIDTH
from zopa.charts.timeline import CHAR, LANE, STANCE_SHAPES, TOTAL_COLOUR, _lanes, _ms
from zopa.model.scenario import Scenario


def _layers(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == mark and layer["mark"].get("stroke") != "white"
    ]


def _rows(layer: dict[str, Any]) -> list[dict[str, Any]]:
    return list(layer["data"]["values"])


@pytest.fixture(scope="module")
def handmade() -> Any:
    return zopa.timeline(scenario())


def test_title_is_the_verdict(handmade: Any) -> None:
    chart = handmade.chart()
    verdict = handmade.result.verdicts[0]
    # long: the headline is the title, the cause leads the subtitle
    assert chart.title == "Converging: the gap A–B fell from 0.90 to 0.60 between 7 Jan and 10 Jan"
    assert chart.spec["title"]["subtitle"][0] == "Mostly by B's moves on x."
    assert verdict.text in chart.description
    svg = chart.to_svg()
    assert chart.title in svg
    assert find(svg, "Mostly by B's moves on x.")


def test_short_verdict_is_the_whole_title() -> None:
    data = scenario().model_dump(mode="json")
    del data["proposals"]["b1"], data["proposals"]["b2"]
    data["reactions"] = []
    t = zopa.timeline(Scenario.model_validate(data))
    chart = t.chart()
    assert chart.title == "Not enough proposals: B has made no proposal, so the gap A–B is unknown"


def test_before_any_side_proposes_the_chart_says_so() -> None:
    t = zopa.timeline(as_of="2025-11-23")
    assert t.verdict == (
        "not enough proposals: neither UA nor RU has made a proposal, so the gap UA–RU is unknown"
    )
    chart = t.chart()
    assert not _layers(chart.spec, "line")
    svg = chart.to_svg()
    assert find(svg, "No side has made a proposal yet: no gap to show.")
    assert find(svg, "us-28-point-2025-11-20")
    assert chart.to_png().startswith(b"\x89PNG")


def test_chart_without_two_sides_says_so() -> None:
    data = scenario().model_dump(mode="json")
    data["parties"]["B"]["role"] = "guarantor"
    t = zopa.timeline(Scenario.model_validate(data))
    assert t.verdict.startswith("not enough proposals: the scenario has 1 side (role party")
    chart = t.chart()
    assert chart.title.startswith("Not enough proposals: the scenario has 1 side")
    assert find(chart.to_svg(), "Fewer than two sides: no gap to measure.")


def test_lines_in_party_colours(handmade: Any) -> None:
    spec = handmade.chart().spec
    colours = party_colours(list(handmade.scenario.parties))
    lines = _layers(spec, "line")
    assert len(lines) == 1
    scale = lines[0]["encoding"]["color"]["scale"]
    mapping = dict(zip(scale["domain"], scale["range"], strict=True))
    assert mapping == {
        "gap A–B (both shortfalls)": TOTAL_COLOUR,
        "A's offer: short for B": colours["A"],
        "B's offer: short for A": colours["B"],
    }
    assert lines[0]["mark"]["interpolate"] == "step-after"
    values = {(r["date"], r["measure"]): r["value"] for r in _rows(lines[0])}
    assert values[("2025-01-07", "gap")] == pytest.approx(0.9)
    assert values[("2025-01-10", "gap")] == pytest.approx(0.6)
    assert values[("2025-01-10", "gap_b")] == pytest.approx(0.2)
    # each line holds to the right edge of the plot
    end = max(r["date"] for r in _rows(lines[0]))
    assert end > "2025-01-10"
    assert {r["measure"] for r in _rows(lines[0]) if r["date"] == end} == {"gap", "gap_a", "gap_b"}


def test_every_proposal_is_a_labelled_rule_in_its_authors_colour(handmade: Any) -> None:
    spec = handmade.chart().spec
    colours = party_colours(list(handmade.scenario.parties))
    rules = _layers(spec, "rule")
    assert len(rules) == 1
    rows = {r["proposal"]: r for r in _rows(rules[0])}
    assert set(rows) == {"m1", "a1", "b1", "b2"}
    assert rows["b2"]["party"] == "B"  # by B and M: the side's colour
    assert rows["m1"]["party"] == "M"
    scale = rules[0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True))["B"] == colours["B"]
    assert rows["b2"]["package"] == "x=split; y=b-wins"
    svg = handmade.chart().to_svg()
    for pid in rows:
        assert find(svg, pid), f"no label for {pid}"


def test_sides_proposals_are_points_on_their_lines(handmade: Any) -> None:
    spec = handmade.chart().spec
    big = [layer for layer in _layers(spec, "point") if layer["mark"].get("size") == 110]
    assert len(big) == 1
    on = {(r["proposal"], r["date"]): r["value"] for r in _rows(big[0])}
    assert on == {
        ("a1", "2025-01-05"): pytest.approx(0.4),
        ("b1", "2025-01-07"): pytest.approx(0.5),
        ("b2", "2025-01-10"): pytest.approx(0.2),
    }


def test_reactions_are_small_marks_by_stance(handmade: Any) -> None:
    spec = handmade.chart().spec
    marks = [layer for layer in _layers(spec, "point") if "shape" in layer["encoding"]]
    assert len(marks) == 1
    (row,) = _rows(marks[0])
    assert (row["party"], row["stance"], row["proposal"], row["quote"]) == (
        "A",
        "rejects",
        "b1",
        "No.",
    )
    scale = marks[0]["encoding"]["shape"]["scale"]
    # only the stances said appear in the legend
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "rejects": STANCE_SHAPES["rejects"]
    }
    # under the labels, above the data
    labels = [r for layer in _layers(spec, "text") for r in _rows(layer)]
    assert marks[0]["encoding"]["y"]["value"] > max(r["y_px"] for r in labels) + LANE - 4


def test_no_reaction_layer_without_reactions() -> None:
    t = zopa.timeline(scenario(reactions=False))
    spec = t.chart().spec
    assert not [layer for layer in _layers(spec, "point") if "shape" in layer["encoding"]]


def test_data_stay_below_the_labels(handmade: Any) -> None:
    spec = handmade.chart().spec
    line = _layers(spec, "line")[0]
    domain = line["encoding"]["y"]["scale"]["domain"]
    highest = max(r["value"] for r in _rows(line))
    height = spec["height"]
    lanes = 1 + max(r["lane"] for layer in _layers(spec, "text") for r in _rows(layer))
    # the highest value is drawn below the lanes of labels and the row of reactions
    assert (1 - highest / domain[1]) * height >= lanes * LANE + 8


def test_band_only_with_sampled_inputs(handmade: Any) -> None:
    assert not _layers(handmade.chart().spec, "area")
    sampled = result("timeline-sampled").chart().spec
    areas = _layers(sampled, "area")
    assert len(areas) == 1
    assert all(r["low"] <= r["value"] <= r["high"] + 1e-9 for r in _rows(areas[0]))
    assert "percentiles" in " ".join(sampled["title"]["subtitle"])


def test_x_axis_spans_every_date(handmade: Any) -> None:
    spec = handmade.chart().spec
    x = _layers(spec, "line")[0]["encoding"]["x"]
    low, high = x["scale"]["domain"]
    assert low < _ms(dt.date(2025, 1, 1))
    assert high > _ms(dt.date(2025, 1, 10))
    assert x["scale"]["type"] == "utc"


def test_reported_shift_is_a_labelled_rule() -> None:
    t = zopa.timeline(scenario(A2, SHIFT))
    spec = t.chart().spec
    rules = [layer for layer in _layers(spec, "rule") if layer["mark"].get("color") == NEUTRAL]
    assert len(rules) == 1
    assert [(r["date"], r["text"]) for r in _rows(rules[0])] == [
        ("2025-01-09", "walk-away: B +0.10")
    ]
    svg = t.chart().to_svg()
    assert find(svg, "walk-away: B +0.10")
    _no_overlap(svg, ["m1", "a1", "b1", "b2", "a2", "walk-away: B +0.10"])


def _no_overlap(svg: str, labels: list[str]) -> None:
    """The labels are all drawn, and no two of them overlap (widths estimated)."""
    found = [t for t in texts(svg) if t.text in labels and t.attrs.get("stroke") != "white"]
    assert {t.text for t in found} == set(labels)
    boxes = []
    for t in found:
        width = len(t.text) * CHAR
        left = t.x - width if t.attrs.get("text-anchor") == "end" else t.x
        boxes.append((left, left + width, t.y))
    for i, (a0, a1, ay) in enumerate(boxes):
        for b0, b1, by in boxes[i + 1 :]:
            assert abs(ay - by) >= LANE - 1 or a1 <= b0 or b1 <= a0


def test_berlin_labels_do_not_overlap() -> None:
    chart = result("timeline").chart()
    svg = chart.to_svg()
    ids = list(zopa.load().proposals)
    _no_overlap(svg, ids)


def test_html_works(handmade: Any) -> None:
    page = handmade.chart().to_html()
    assert "<html" in page
    assert "vegaEmbed" in page


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), min_size=1, max_size=15))
def test_label_lanes_never_overlap(items: list[tuple[int, int]]) -> None:
    x0, x1 = 0.0, 40.0
    labels = [{"x_ms": float(x), "text": "x" * n} for x, n in items]
    lanes = _lanes(labels, x0, x1)
    assert lanes == 1 + max(label["lane"] for label in labels)
    spans: dict[int, list[tuple[float, float]]] = {}
    for label in labels:
        px = label["x_ms"] / x1 * WIDTH
        width = len(label["text"]) * CHAR + 6
        span = (px, px + width) if label["align"] == "left" else (px - width, px)
        if label["align"] == "left":
            assert span[1] <= WIDTH
        for a, b in spans.get(label["lane"], []):
            assert span[1] <= a or span[0] >= b
        spans.setdefault(label["lane"], []).append(span)
