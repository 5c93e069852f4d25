"""The forecast chart: positions by round, the median and mean, the Monte Carlo band, cycling."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.charts.results import result
from tests.conftest import invoke

import zopa
from zopa.charts.forecast import LABEL_GAP, spread_labels
from zopa.charts.palette import party_colours

# three actors whose positions cycle with period 3 from round 1 (found by search; the median
# goes 10, 9.42, 8.59, 10, ...)
CYCLE = "actor,capability,position,salience\nA,2,10,0.6\nB,6,6,0.4\nC,1,8,0.8\n"


def _panels(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("vconcat", [spec])


def _rows(panel: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The inline rows of the panel's layers whose data has ``field``."""
    return [
        row
        for layer in panel["layer"]
        for row in layer.get("data", {}).get("values", [])
        if field in row
    ]


def _layers(panel: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [layer for layer in panel["layer"] if layer["mark"]["type"] == mark]


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("forecast") / "cycle.csv"
    path.write_text(CYCLE, encoding="utf-8")
    return zopa.forecast(str(path), rounds=12)


def test_positions_is_the_main_chart() -> None:
    assert result("forecast").charts[0] == "positions"


def test_one_panel_per_issue_with_every_actor_and_round() -> None:
    r = result("forecast")
    issues = r.to_dict()["issues"]
    panels = _panels(r.chart().spec)
    assert len(panels) == len(issues) == 3
    for panel, item in zip(panels, issues, strict=True):
        rows = [row for row in _rows(panel, "actor") if "round" in row]
        expected = {
            (rd["round"], actor, pos)
            for rd in item["rounds"]
            for actor, pos in rd["positions"].items()
        }
        assert {(row["round"], row["actor"], row["position"]) for row in rows} == expected
        assert item["name"] in panel["title"]["subtitle"]


def test_median_and_mean_lines_are_the_models() -> None:
    r = result("forecast")
    for panel, item in zip(_panels(r.chart().spec), r.to_dict()["issues"], strict=True):
        stats = _rows(panel, "statistic")
        for name in ("median", "mean"):
            line = {
                row["round"]: row["position"]
                for row in stats
                if row["statistic"] == f"weighted {name}"
            }
            assert line == {rd["round"]: rd[name] for rd in item["rounds"]}
    svg = r.chart().to_svg()
    assert "weighted median" in svg
    assert "weighted mean" in svg


def test_band_only_with_samples() -> None:
    plain = result("forecast").chart().spec
    assert all(not _layers(p, "area") for p in _panels(plain))
    assert "Monte Carlo" not in json.dumps(plain["title"])
    mc = result("forecast-mc")
    spec = mc.chart().spec
    assert "40 Monte Carlo samples" in " ".join(spec["title"]["subtitle"])
    for panel, item in zip(_panels(spec), mc.to_dict()["issues"], strict=True):
        areas = _layers(panel, "area")
        assert len(areas) == 2  # 5-95 % and 25-75 %
        rows = areas[0]["data"]["values"]
        assert [row["round"] for row in rows] == [rd["round"] for rd in item["rounds"]]
        for row, rd in zip(rows, item["rounds"], strict=True):
            q = rd["quantiles"]["median"]
            assert (row["q5"], row["q25"], row["q75"], row["q95"]) == (
                q["5"],
                q["25"],
                q["75"],
                q["95"],
            )
            assert row["q5"] <= row["q25"] <= row["q75"] <= row["q95"]


def test_converged_issue_says_where_and_when_and_is_not_shaded() -> None:
    r = result("forecast")
    army = next(
        p
        for p, i in zip(_panels(r.chart().spec), r.to_dict()["issues"], strict=True)
        if i["issue"] == "army-cap"
    )
    assert army["title"]["text"].startswith("Positions converge on 800 by round 4")
    assert "E3 counter-proposal" in army["title"]["text"]  # the anchor it lands on
    assert not _layers(army, "rect")
    assert r.chart().title.startswith("Forecasts: army-cap converges on 800")


def test_a_cycle_is_shaded_with_a_rule_at_each_repeat(cycle: Any) -> None:
    conv = cycle.to_dict()["convergence"]
    assert conv["status"] == "cycle"
    k, p = conv["since_round"], conv["cycle_period"]
    assert (k, p) == (1, 3)
    chart = cycle.chart("positions")
    assert chart.title.startswith(f"Positions cycle from round {k}, repeating every {p} rounds")
    (panel,) = _panels(chart.spec)
    (shade,) = _layers(panel, "rect")
    assert shade["data"]["values"][0]["from"] == k
    assert shade["data"]["values"][0]["to"] == 12
    (repeats,) = [lay for lay in _layers(panel, "rule") if "x" in lay["encoding"]]
    assert [row["round"] for row in repeats["data"]["values"]] == [1, 4, 7, 10]
    assert any("rounds of a cycle" in line for line in chart.spec["title"]["subtitle"])
    assert chart.title in chart.to_svg()


def test_an_unsettled_run_shades_the_rounds_its_band_is_read_over() -> None:
    ec = zopa.forecast("ec-car-emissions")
    band = ec.to_dict()["convergence"]["band"]
    chart = ec.chart()
    assert chart.title.startswith("Positions do not settle within 10 rounds")
    (shade,) = _layers(_panels(chart.spec)[0], "rect")
    row = shade["data"]["values"][0]
    assert (row["from"], row["to"]) == (band["from_round"], band["to_round"]) == (5, 10)
    territory = next(
        p
        for p, i in zip(
            _panels(result("forecast").chart().spec),
            result("forecast").to_dict()["issues"],
            strict=True,
        )
        if i["issue"] == "territory"
    )
    assert territory["title"]["text"].startswith("Positions do not settle")
    assert _layers(territory, "rect")


def test_scenario_actors_keep_their_party_colours() -> None:
    r = result("forecast")
    colours = party_colours(list(r.scenario.parties))
    for panel in _panels(r.chart().spec):
        for layer in panel["layer"]:
            colour = layer.get("encoding", {}).get("color", {})
            if colour.get("field") == "actor":
                scale = colour["scale"]
                assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
                    p: colours[p] for p in scale["domain"]
                }
                assert set(scale["domain"]) == {"UA", "RU", "US", "EU", "CA", "JP"}


def test_csv_actors_are_labelled_at_their_line_ends() -> None:
    ec = zopa.forecast("ec-car-emissions")
    (panel,) = _panels(ec.chart().spec)
    labels = _rows(panel, "label_y")
    named = [a for row in labels for a in row["label"].split(", ")]
    actors = list(ec.to_dict()["rounds"][-1]["positions"])
    assert sorted(named) == sorted(actors)
    assert "France, Italy, UK" in {row["label"] for row in labels}  # they end together
    actor_layers = [
        lay
        for lay in panel["layer"]
        if lay.get("encoding", {}).get("color", {}).get("field") == "actor"
    ]
    assert all(lay["encoding"]["color"]["legend"] is None for lay in actor_layers)  # no legend
    svg = ec.chart().to_svg()
    assert "Netherlands, Germany, Denmark" in svg


def test_actors_sharing_a_path_are_dashed_so_both_show() -> None:
    r = result("forecast")
    panel = next(
        p
        for p, i in zip(_panels(r.chart().spec), r.to_dict()["issues"], strict=True)
        if i["issue"] == "territory"
    )
    rows = {row["actor"]: row["dashed"] for row in _rows(panel, "dashed")}
    assert rows["JP"] is True  # the same path as CA's, drawn over it
    assert rows["CA"] is False
    assert any(lay["mark"].get("strokeDash") for lay in _layers(panel, "line"))


def test_baseline_model_shows_the_stated_positions() -> None:
    r = zopa.forecast(model="median", issues="army-cap")
    chart = r.chart()
    assert chart.title.startswith(
        "Peacetime ceiling on Ukraine's armed forces: the weighted median"
    )
    assert "700" in chart.title
    chart.to_svg()


def test_html_works_offline() -> None:
    html = result("forecast").chart().to_html()
    assert "<html" in html.lower()
    assert "https://cdn" not in html


@given(
    st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=12),
    st.integers(min_value=60, max_value=400),
)
def test_line_end_labels_name_every_actor_once_and_keep_apart(
    ends: list[float], height: int
) -> None:
    rows = spread_labels([(x, f"a{k}", "#000") for k, x in enumerate(ends)], 0.0, 10.0, height)
    named = [a for row in rows for a in row["label"].split(", ")]
    assert sorted(named) == sorted(f"a{k}" for k in range(len(ends)))
    gap = LABEL_GAP * 10.0 / height
    ys = [row["label_y"] for row in rows]
    assert ys == sorted(ys)
    if len(ys) * gap <= 10.0:  # room for every label: they keep apart and stay on the scale
        assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ys))
        assert all(y <= 10.0 + 1e-9 for y in ys)


def test_cli_forecast_writes_each_format(tmp_path: Path) -> None:
    heads = {".svg": b"<svg", ".png": b"\x89PNG", ".pdf": b"%PDF", ".html": b"<!doctype html>"}
    for suffix, head in heads.items():
        path = tmp_path / f"forecast{suffix}"
        out = invoke("forecast", "ec-car-emissions", "--chart", str(path), "--format", "json")
        assert out.exit_code == 0, out.output
        json.loads(out.stdout)
        assert path.read_bytes().lstrip()[: len(head)].lower() == head.lower(), suffix
        assert f"chart 'positions' written to {path}" in out.stderr
    assert "Positions do not settle" in (tmp_path / "forecast.svg").read_text(encoding="utf-8")


def test_cli_forecast_chart_usage_errors(tmp_path: Path) -> None:
    for args, words in (
        (["--chart", str(tmp_path / "f.jpg")], "--chart"),
        (["--chart-name", "positions"], "--chart FILE"),
        (["--chart", str(tmp_path / "f.svg"), "--chart-name", "nope"], "--chart-name"),
    ):
        out = invoke("forecast", "ec-car-emissions", *args)
        assert out.exit_code == 2, (args, out.output)
        assert words in out.stderr, (args, out.stderr)
    assert not (tmp_path / "f.svg").exists()


def test_baseline_model_with_samples_shows_the_band_of_its_statistic() -> None:
    r = zopa.forecast(model="mean", issues="nato", samples=20)
    (panel,) = _panels(r.chart().spec)
    bands = _rows(panel, "lo")
    q = r.to_dict()["issues"][0]["rounds"][0]["quantiles"]["mean"]
    assert [(b["lo"], b["hi"]) for b in bands] == [(q["5"], q["95"]), (q["25"], q["75"])]
    assert "the mean in 90 %" in " ".join(r.chart().spec["title"]["subtitle"])
