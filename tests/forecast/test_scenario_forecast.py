"""A scenario's forecast section: validation, runs per issue, Monte Carlo, the command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import invoke

from zopa.catalog import load
from zopa.forecast.scenario import bands, forecast_scenario, nearest_anchor, sample_inputs
from zopa.io.scenario_file import ScenarioError, load_scenario_file, parse_scenario

IO = Path(__file__).parents[1] / "io"
GOOD = IO / "good_scenarios" / "forecast.yaml"
BAD = sorted((IO / "bad_scenarios").glob("forecast-*.yaml"))


def test_the_section_validates() -> None:
    s = load_scenario_file(GOOD)
    assert s.forecast is not None
    assert list(s.forecast) == ["army", "nato"]
    army = s.forecast["army"]
    assert (army.scale.min, army.scale.max) == (400, 800)
    assert army.anchors["800"].at == 800
    assert s.forecast["nato"].scale.max == 100  # the default scale


def test_there_are_bad_forecast_files() -> None:
    assert len(BAD) >= 10


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_forecast_files_are_rejected(path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    assert all(p.field.startswith("forecast") for p in info.value.problems)


def test_free_ids_without_issues() -> None:
    text = """
zopa: 1
id: free
title: Free forecast
forecast:
  budget:
    anchors: {low: 10, high: 90}
    actors:
      A: {capability: 1, position: 10, salience: 0.5, basis: Assumption.}
      B: {capability: 2, position: 90, salience: 1, basis: Assumption.}
"""
    s = parse_scenario(text, "free.yaml")
    (result,) = forecast_scenario(s)
    assert result.issue == "budget"
    assert result.anchor is not None
    assert result.anchor.id == "high"


def test_default_scenario_forecasts_lie_on_their_scales() -> None:
    s = load()
    assert s.forecast is not None
    assert len(s.forecast) >= 3
    results = forecast_scenario(s, samples=50, seed=3)
    for r in results:
        lo, hi = r.scale["min"], r.scale["max"]
        d = r.to_dict()
        assert lo <= d["forecast"] <= hi
        assert lo <= d["baselines"]["median"] <= hi
        assert lo <= d["baselines"]["mean"] <= hi
        for rnd in d["rounds"]:
            assert all(lo <= x <= hi for x in rnd["positions"].values())
        assert d["anchor"]["at"] in [a["at"] for a in d["anchors"]]
        assert sum(b["share"] for b in d["bands"]) == pytest.approx(1.0)
        qs = d["rounds"][-1]["quantiles"]["median"]
        assert lo <= qs["5"] <= qs["95"] <= hi


def test_monte_carlo_is_reproducible() -> None:
    s = load()
    a = [r.to_dict() for r in forecast_scenario(s, samples=40, seed=11)]
    b = [r.to_dict() for r in forecast_scenario(s, samples=40, seed=11)]
    c = [r.to_dict() for r in forecast_scenario(s, samples=40, seed=12)]
    assert a == b
    assert a != c
    # an issue's draws do not depend on the other issues run
    (alone,) = forecast_scenario(s, ["territory"], samples=40, seed=11)
    assert alone.to_dict() == next(d for d in a if d["issue"] == "territory")


def test_sampling_respects_the_ranges() -> None:
    s = load_scenario_file(GOOD)
    assert s.forecast is not None
    c, x, sal = sample_inputs(s.forecast["army"], 5000, 0)
    assert c.shape == x.shape == sal.shape == (5000, 3)
    assert (c[:, 0] == 1).all()  # a plain number stays fixed
    assert c[:, 1].min() >= 1
    assert c[:, 1].max() <= 2
    assert abs(c[:, 1].mean() - 1.5) < 0.02
    assert x[:, 2].min() >= 550
    assert x[:, 2].max() <= 650
    assert abs(np.median(x[:, 2]) - 600) < 3
    assert sal[:, 0].min() >= 0.5
    assert sal[:, 0].max() <= 0.7


def test_nearest_anchor_and_bands() -> None:
    s = load_scenario_file(GOOD)
    (r,) = forecast_scenario(s, ["army"])
    anchors = r.anchors
    assert [a.at for a in anchors] == [600, 800]
    assert nearest_anchor(anchors, 700).at == 600  # type: ignore[union-attr]
    assert nearest_anchor(anchors, 701).at == 800  # type: ignore[union-attr]
    assert nearest_anchor([], 1) is None
    found = bands(anchors, 400, 800, [450, 600, 600, 700])
    assert [(b["label"], b["share"]) for b in found] == [
        ("between 400 and 600", 0.25),
        ("at 600k: the plan", 0.5),
        ("between 600 and 800", 0.25),
        ("at 800 thousand", 0.0),
    ]


def test_unknown_issue_is_an_error() -> None:
    with pytest.raises(ValueError, match="no forecast"):
        forecast_scenario(load(), ["assets"])


def test_cli_json_keys_per_issue() -> None:
    result = invoke("forecast", "--format", "json", "--samples", "20", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"]["id"] == "berlin-2025-12"
    issues = [d["issue"] for d in data["issues"]]
    assert {"army-cap", "territory", "nato"} <= set(issues)
    for item in data["issues"]:
        assert {"model", "variant", "rounds", "forecast", "inputs", "parameters", "notes"} <= set(
            item
        )
        assert {"issue", "anchor", "anchors", "baselines", "scale", "bands"} <= set(item)
        assert item["parameters"]["sampling"] == "stated ranges"


def test_cli_issue_and_table() -> None:
    result = invoke("forecast", "berlin-2025-12", "--issue", "army-cap")
    assert result.exit_code == 0, result.stderr
    assert "closest to" in result.stdout
    assert "territory" not in result.stdout
    one = invoke("forecast", "--issue", "army-cap", "--format", "json", "--model", "median")
    assert [d["issue"] for d in json.loads(one.stdout)["issues"]] == ["army-cap"]


def test_cli_errors() -> None:
    bad = invoke("forecast", "--issue", "nowhere")
    assert bad.exit_code == 2
    assert "no forecast" in bad.stderr
    assert invoke("forecast", "--perturb", "0.2").exit_code == 2
    assert invoke("forecast", "ec-car-emissions", "--issue", "x").exit_code == 2
    assert invoke("forecast", str(IO / "good_scenarios" / "small.yaml")).exit_code == 2


def test_cli_csv_still_works() -> None:
    result = invoke("forecast", "ec-car-emissions", "--format", "json")
    assert result.exit_code == 0
    assert "issues" not in json.loads(result.stdout)
