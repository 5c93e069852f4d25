"""Robustness charts: the margin, P(accept) with Wilson intervals, tornado, flip, engines' mains."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.charts.results import result
from tests.charts.test_every_chart import _validator
from tests.conftest import DEAL, SMALL_SCENARIO, invoke

import zopa
from zopa.charts.robustness import flip_bins, input_label
from zopa.robust.intervals import wilson


@cache
def small() -> Any:
    """The small scenario with a deal RU values at exactly its walk-away point's median (0.5)."""
    return zopa.robust(_small_path(), samples=400, seed=3, workers=1)


@cache
def _small_path() -> Path:
    import tempfile

    text = SMALL_SCENARIO.read_text(encoding="utf-8").replace(
        "proposals:\n", "proposals:" + DEAL, 1
    )
    path = Path(tempfile.mkdtemp()) / "small-deal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every layer of a spec (top-level, faceted or concatenated), depth first."""
    found: list[dict[str, Any]] = []
    for part in [spec, spec.get("spec", {}), *spec.get("vconcat", []), *spec.get("hconcat", [])]:
        found.extend(part.get("layer", []))
    return found


def _valid(spec: dict[str, Any]) -> None:
    errors = list(_validator().iter_errors(spec))
    assert not errors, errors[0].message
    json.dumps(spec)


# -- Wilson score interval ----------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_contains_the_share_and_stays_in_0_1(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    assert low < high
    assert (low == 0.0) == (k == 0)
    assert (high == 1.0) == (k == n)


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=100))
def test_wilson_interval_narrows_with_more_samples(n: int, percent: int) -> None:
    k = n * percent // 100
    small_low, small_high = wilson(k, n)
    big_low, big_high = wilson(4 * k, 4 * n)  # the same share from four times the samples
    assert big_high - big_low < small_high - small_low


def test_wilson_interval_known_values() -> None:
    # Wilson (1927); e.g. Brown, Cai & DasGupta (2001): 5 of 10 -> 0.237 to 0.763
    low, high = wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="successes"):
        wilson(11, 10)


# -- the facade ---------------------------------------------------------------------------------


def test_per_sample_draws_stay_out_of_the_json_document() -> None:
    r = result("robust-space")
    doc = r.result.to_dict()
    assert "draws" not in doc
    assert r.to_dict() == r.data  # the CLI's JSON: unchanged by the draws kept for charts
    draws = r.result.draws
    assert set(draws) == set(r.targets)
    for target, d in draws.items():
        assert d.samples == r.data["samples"]
        assert list(d.inputs) == [h["input"] for h in r.hinges(target)]
        for column in d.inputs.values():  # copies of the hinge inputs, not views of all inputs
            assert column.base is None
            assert column.shape == (d.samples,)
    # an input two conclusions hinge on is kept once
    ru = [
        d.inputs["preferences.RU.reservation"]
        for d in draws.values()
        if "preferences.RU.reservation" in d.inputs
    ]
    assert len(ru) > 1
    assert all(c is ru[0] for c in ru)


def test_margins_agree_with_the_zone_verdict_and_quantiles() -> None:
    r = small()
    margins = np.array(r.margins())
    assert len(margins) == 400
    assert (margins >= 0).mean() == pytest.approx(r.data["zone"]["p_exists"])
    assert np.median(margins) == pytest.approx(r.data["zone"]["margin_quantiles"]["q50"], abs=1e-4)
    bins = r.margin_histogram()
    assert sum(b["count"] for b in bins) == 400
    assert sum(b["share"] for b in bins) == pytest.approx(1.0)
    for b in bins:  # zero is a bin edge: no bin mixes samples with and without a zone
        assert not b["from"] < 0 < b["to"] or math.isclose(b["from"], 0, abs_tol=1e-12)
    assert any(b["to"] <= 1e-12 for b in bins)
    assert any(b["from"] >= -1e-12 for b in bins)


def test_acceptance_intervals_contain_the_share_and_lie_in_0_1() -> None:
    r = result("robust-space")
    rows = r.acceptance()
    n = r.data["samples"]
    for row in rows:
        assert 0.0 <= row["low"] <= row["p"] <= row["high"] <= 1.0
        assert row["samples"] == n
    for p in r.data["proposals"]:
        mine = [row for row in rows if row["proposal"] == p["proposal"]]
        assert {row["party"] for row in mine} == {*p["p_accepts"], None}
        bridges = next(row for row in mine if row["party"] is None)
        assert bridges["p"] == pytest.approx(p["p_bridges"], abs=1e-4)
    assert any(row["proposal"] == "robust_bridges" for row in rows)
    # an interval from 300 samples of a share strictly inside (0, 1) has width > 0
    inner = [row for row in rows if 0 < row["p"] < 1]
    assert inner
    assert all(row["high"] - row["low"] > 0.01 for row in inner)


def test_flip_bins_hold_every_sample() -> None:
    r = small()
    bins = r.flip("deal", "preferences.RU.reservation", bins=8)
    assert sum(b["samples"] for b in bins) == 400
    assert all(b["low"] <= b["p"] <= b["high"] for b in bins)
    assert all(b["q25"] <= b["median"] <= b["q75"] for b in bins)
    # the deal bridges exactly when RU's walk-away point is at most 0.5
    assert bins[0]["p"] == 1.0
    assert bins[-1]["p"] == 0.0
    with pytest.raises(zopa.UnknownId, match="unknown input 'nope'"):
        r.flip("deal", "nope")
    with pytest.raises(zopa.UnknownId, match="unknown target"):
        r.flip("nope", "preferences.RU.reservation")
    with pytest.raises(zopa.UsageError, match="engine"):
        result("robust-stability").flip("1:R", "x")


def test_input_labels_read_as_words() -> None:
    assert input_label("preferences.RU.reservation") == "RU walk-away point"
    assert input_label("preferences.EU.weights.sanctions") == "EU weight of sanctions"
    assert input_label("preferences.UA.values.nato.set-aside") == "UA value of nato=set-aside"
    assert input_label("forecast.army-cap.RU.salience") == "RU salience"
    assert input_label("dynamics.drift.RU.cost_of_war") == "dynamics.drift.RU.cost_of_war"
    assert flip_bins(40) == 6
    assert flip_bins(10_000) == 12
    assert flip_bins(4) == 5


# -- which charts each engine offers --------------------------------------------------------------


def test_each_engine_offers_its_own_charts() -> None:
    assert _prior_only().charts == ("margin", "acceptance", "tornado", "flip")
    assert result("robust-space-given").charts == (
        "margin",
        "acceptance",
        "posterior",
        "tornado",
        "flip",
    )
    assert result("robust-forecast").charts == ("bands", "tornado", "flip")
    # elmira has no alternative rankings: no verdict hinges on anything
    assert result("robust-stability").charts == ("equilibria",)
    berlin = zopa.robust(engine="stability", samples=50, workers=1)
    assert berlin.charts == ("equilibria", "tornado")


# -- margin -------------------------------------------------------------------------------------


def test_margin_chart_has_the_zero_line_and_colours_no_zone() -> None:
    spec = small().chart("margin").to_dict()
    _valid(spec)
    layers = _layers(spec)
    zero = [
        layer
        for layer in layers
        if layer["mark"]["type"] == "rule"
        and layer.get("data", {}).get("values") == [{"x": 0.0, "label": "0: no zone below"}]
    ]
    assert zero, "the zero line"
    bars = next(layer for layer in layers if layer["mark"]["type"] == "bar")
    assert bars["encoding"]["color"]["scale"]["domain"] == ["zone exists", "no zone"]
    sides = {row["side"] for row in spec["data"]["values"]}
    assert sides == {"zone exists", "no zone"}
    assert spec["title"]["text"] == "A zone of agreement exists in 54% of the 400 samples"
    svg = small().chart("margin").to_svg()
    assert "no zone | zone" in svg
    assert "median" in svg


def test_margin_chart_title_when_the_zone_always_exists() -> None:
    chart = result("robust-space").chart("margin")
    assert chart.title == "A zone of agreement exists in every one of the 300 samples"
    assert "95% interval" in " ".join(chart.spec["title"]["subtitle"])


# -- acceptance ---------------------------------------------------------------------------------


def test_acceptance_chart_draws_every_interval_and_bridging_row() -> None:
    r = result("robust-space")
    spec = r.chart("acceptance").to_dict()
    rows = spec["data"]["values"]
    assert len(rows) == len(r.acceptance())
    for row in rows:
        assert 0 <= row["low"] <= row["p"] <= row["high"] <= 1
    bridging = [row for row in rows if row["who"] == "bridges the gap"]
    assert len(bridging) == len(r.data["proposals"]) + 1  # each proposal and the robust bridge
    rule = _layers(spec)[0]
    assert rule["mark"]["type"] == "rule"
    assert rule["encoding"]["x"]["field"] == "low"
    assert rule["encoding"]["x2"]["field"] == "high"
    colours = rule["encoding"]["color"]["scale"]
    assert colours["domain"][:2] == ["UA", "RU"]
    assert colours["range"][:2] == ["#0072B2", "#D55E00"]  # the parties' fixed colours
    svg = r.chart("acceptance").to_svg()
    assert "Kyiv&apos;s offer" in svg or "Kyiv's offer" in svg
    assert "65%" in svg  # the US's P(accept) of Kyiv's offer


# -- tornado ------------------------------------------------------------------------------------


def test_tornado_is_sorted_by_swing_and_follows_the_target() -> None:
    r = result("robust-space")
    for target in r.targets:
        spec = r.chart("tornado", target=target).to_dict()
        _valid(spec)
        hinges = r.hinges(target)
        order = spec["layer"][0]["encoding"]["y"]["sort"]
        assert len(order) == len(hinges)
        swing = {}
        for row in spec["data"]["values"]:
            swing.setdefault(row["input"], []).append(row["value"])
        swings = [abs(swing[label][1] - swing[label][0]) for label in order]
        assert swings == sorted(swings, reverse=True)
    default = r.chart("tornado")
    assert default.title.startswith("Zone of agreement: the margin hinges most on")
    with pytest.raises(zopa.UnknownId) as info:
        r.chart("tornado", target="nope")
    assert info.value.parameter == "chart_target"


def test_tornado_bars_start_at_the_mean_and_mark_the_threshold() -> None:
    spec = small().chart("tornado", target="deal").to_dict()
    mean = small().conclusion("deal")["mean"]
    assert all(row["mean"] == pytest.approx(mean, abs=1e-6) for row in spec["data"]["values"])
    labels = {row["input"] for row in spec["data"]["values"]}
    assert "RU walk-away point (flips at 0.5)" in labels
    zero = [
        layer
        for layer in spec["layer"]
        if layer.get("data", {}).get("values", [{}])[0].get("label") == "rejected below 0"
    ]
    assert zero


def test_stability_engine_tornado_shows_each_order() -> None:
    berlin = zopa.robust(engine="stability", samples=50, workers=1)
    chart = berlin.chart("tornado")
    _valid(chart.to_dict())
    assert chart.title.startswith("Whether state 1 (NNNNNN) is an R equilibrium hinges on RU")
    rows = [
        r
        for layer in chart.spec["layer"]
        for r in layer.get("data", {}).get("values", [])
        if "order" in r
    ]
    assert {r["order"] for r in rows} == {"main", "freeze-for-neutrality"}
    other = berlin.chart("tornado", target="27:R")
    assert "state 27" in other.title


# -- flip ---------------------------------------------------------------------------------------


def _threshold_marks(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        layer
        for layer in _layers(spec)
        if layer["mark"]["type"] == "rule"
        and any(
            str(v.get("label", "")).startswith("flips at")
            for v in layer.get("data", {}).get("values", [])
        )
    ]


def test_flip_chart_marks_the_threshold_where_the_hinge_has_one() -> None:
    chart = small().chart("flip", target="deal")
    spec = chart.to_dict()
    _valid(spec)
    marks = _threshold_marks(spec)
    assert len(marks) == 2  # in both panels
    assert marks[0]["data"]["values"][0]["x"] == pytest.approx(0.5, abs=0.01)
    assert chart.title.startswith(
        "A deal at the edge: bridges the gap when RU walk-away point is below 0.5"
    )
    assert "flips at 0.5" in chart.to_svg()
    forecast = result("robust-forecast").chart("flip")
    assert _threshold_marks(forecast.to_dict())
    assert "when RU salience is below" in forecast.title


def test_flip_chart_without_a_threshold_has_no_threshold_mark() -> None:
    r = result("robust-space")
    hinge = r.hinges("zone")[0]
    assert hinge["threshold"] is None
    chart = r.chart("flip")  # the zone exists in every sample: nothing to flip
    assert not _threshold_marks(chart.to_dict())
    assert "in every sample" in chart.title
    second = r.hinges("kyiv-2025-12-14")[1]["input"]
    other = r.chart("flip", target="kyiv-2025-12-14", input=second)
    assert input_label(second) in other.title
    with pytest.raises(zopa.UnknownId) as info:
        r.chart("flip", target="zone", input="preferences.XX.reservation")
    assert info.value.parameter == "chart_input"


# -- engines' main charts -----------------------------------------------------------------------


def test_equilibria_heat_table_has_every_state_and_concept() -> None:
    r = result("robust-stability")
    spec = r.chart("equilibria").to_dict()
    cells = {(row["id"], row["concept"]) for row in spec["data"]["values"]}
    assert cells == {(s["id"], c) for s in r.data["states"] for c in r.data["concepts"]}
    assert spec["title"]["text"] == "States 7, 10, 11 and 12 are equilibria under every concept"
    status_quo = [row["state"] for row in spec["data"]["values"] if row["id"] == 1]
    assert all(label.endswith("status quo") for label in status_quo)


def test_forecast_bands_stack_to_one_per_issue_with_the_modal_band_marked() -> None:
    r = result("robust-forecast")
    spec = r.chart("bands").to_dict()
    rows = spec["data"]["values"]
    for issue in r.data["issues"]:
        mine = [row for row in rows if row["issue"] == issue["issue"]]
        assert len(mine) == len(issue["bands"])
        assert mine[-1]["end"] == pytest.approx(1.0, abs=1e-6)
        modal = [row for row in mine if row["kind"] == "modal band"]
        assert len(modal) == 1
        assert modal[0]["label"] == issue["modal_band"]["label"]


# -- reproducibility ----------------------------------------------------------------------------


def test_same_seed_gives_the_same_specs() -> None:
    first = zopa.robust(_small_path(), samples=60, seed=9, workers=1)
    again = zopa.robust(_small_path(), samples=60, seed=9, workers=1)
    for name in first.charts:
        assert first.chart(name).to_dict() == again.chart(name).to_dict()
    other = zopa.robust(_small_path(), samples=60, seed=10, workers=1)
    assert other.chart("margin").to_dict() != first.chart("margin").to_dict()


def test_html_output_is_self_contained() -> None:
    html = small().chart("flip", target="deal").to_html()
    assert "vegaEmbed" in html
    assert "https://cdn" not in html


# -- the command line ---------------------------------------------------------------------------


def test_cli_robust_writes_the_chart(tmp_path: Path) -> None:
    out = tmp_path / "flip.svg"
    r = invoke(
        "robust",
        str(_small_path()),
        "--samples",
        "60",
        "--workers",
        "1",
        "--chart",
        str(out),
        "--chart-name",
        "flip",
        "--chart-target",
        "deal",
        "--chart-input",
        "preferences.RU.reservation",
    )
    assert r.exit_code == 0, r.stderr
    assert "chart 'flip' written" in r.stderr
    assert out.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chart-target", "zone"], "give --chart FILE as well"),
        (["--chart-input", "x"], "give --chart FILE as well"),
        (["--chart", "x.svg", "--chart-target", "zone"], "--chart-name tornado or flip"),
        (
            ["--chart", "x.svg", "--chart-name", "tornado", "--chart-input", "x"],
            "--chart-name flip",
        ),
        (["--chart", "x.gif"], "ends in none of them"),
    ],
)
def test_cli_robust_refuses_chart_options_before_sampling(args: list[str], message: str) -> None:
    r = invoke("robust", str(_small_path()), "--samples", "20", "--workers", "1", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "sampling" not in r.stderr  # refused before any work


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--chart-name", "flip", "--chart-target", "nope"],
            "--chart-target: unknown target 'nope'",
        ),
        (["--chart-name", "flip", "--chart-input", "nope"], "--chart-input: unknown input 'nope'"),
        (["--chart-name", "equilibria"], "--chart-name: unknown chart 'equilibria'"),
    ],
)
def test_cli_robust_bad_chart_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    r = invoke(
        "robust",
        str(_small_path()),
        "--samples",
        "20",
        "--workers",
        "1",
        "--chart",
        str(tmp_path / "x.svg"),
        *args,
    )
    assert r.exit_code == 2
    assert message in r.stderr
    assert not (tmp_path / "x.svg").exists()


# -- a run conditioned on the reactions ----------------------------------------------------------


@cache
def _prior_only() -> Any:
    """The default scenario's run on the stated ranges alone (whatever reactions it has)."""
    return zopa.robust(samples=300, seed=1, workers=1, given_reactions=False)


def test_posterior_chart_shows_each_moved_input_before_and_after() -> None:
    r = result("robust-space-given")
    assert r.given_reactions
    assert "posterior" in r.charts
    chart = r.chart("posterior")
    spec = chart.to_dict()
    _valid(spec)
    rows = spec["data"]["values"]
    items = r.input_shifts(12)
    assert [row["path"] for row in rows[::2]] == [i["input"] for i in items]
    assert {row["when"] for row in rows} == {"before the reactions", "given the reactions"}
    top = items[0]
    assert input_label(top["input"]) in chart.title
    assert f"{top['prior_q50']:.3f} → {top['posterior_q50']:.3f}" in chart.title
    for row, item in zip(rows[1::2], items, strict=True):  # drawn on the stated range
        width = item["high"] - item["low"]
        assert row["mid"] == pytest.approx((item["posterior_q50"] - item["low"]) / width, abs=1e-5)
        assert 0 <= row["from"] <= row["mid"] <= row["to"] <= 1
    svg = chart.to_svg()
    assert input_label(top["input"]) in svg
    assert "→" in svg


def test_acceptance_chart_rings_the_shares_before_the_reactions() -> None:
    r = result("robust-space-given")
    spec = r.chart("acceptance").to_dict()
    rings = [
        layer
        for layer in _layers(spec)
        if layer.get("mark", {}).get("type") == "point" and layer["mark"].get("filled") is False
    ]
    assert len(rings) == 1
    before = {(x["proposal"], x["party"]): x["p"] for x in r.acceptance(prior=True)}
    rows = spec["data"]["values"]
    party_rows = [x for x in rows if x["proposal"] != "robust_bridges"]
    for row in party_rows:
        party = None if row["who"] == "bridges the gap" else row["who"]
        assert row["prior"] == pytest.approx(before[(row["proposal"], party)], abs=1e-6)
    assert "before them (rings" in " ".join(spec["title"]["subtitle"])
    plain = _prior_only().chart("acceptance").to_dict()
    assert not any(layer.get("mark", {}).get("filled") is False for layer in _layers(plain))
    assert "posterior" not in _prior_only().charts


def test_margin_chart_says_the_samples_are_given_the_reactions() -> None:
    spec = result("robust-space-given").chart("margin").to_dict()
    assert "given the parties' reactions" in " ".join(spec["title"]["subtitle"])
    plain = _prior_only().chart("margin").to_dict()
    assert "reactions" not in " ".join(plain["title"]["subtitle"])


def test_input_shifts_and_prior_acceptance_need_a_conditioned_run() -> None:
    plain = _prior_only()
    assert plain.input_shifts() == []
    with pytest.raises(zopa.UsageError):
        plain.acceptance(prior=True)
    given_run = result("robust-space-given")
    frame = given_run.to_frame("inputs")
    assert len(frame) == given_run.to_dict()["inputs"]
    assert {"input", "party", "prior_q50", "posterior_q50", "shift", "ks"} <= set(frame.columns)
