"""Robust forecasts: the forecast engine's Monte Carlo summarised as conclusions and hinges."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa.catalog import load
from zopa.cli import app
from zopa.forecast.scenario import forecast_scenario
from zopa.robust.forecast import robust_forecast


def test_robust_forecast_agrees_with_the_forecast_monte_carlo():
    scenario = load()
    run = robust_forecast(scenario, 800, 3)
    assert (run.samples, run.seed, run.model, run.variant, run.rounds) == (
        800,
        3,
        "eum",
        "scholz",
        10,
    )
    found = run.issues
    direct = forecast_scenario(scenario, samples=800, seed=3)
    assert [f.issue for f in found] == [d.issue for d in direct]
    for f, d in zip(found, direct, strict=True):
        assert d.bands is not None
        assert f.band["share"] == max(b["share"] for b in d.bands)
        assert f.forecast == d.result.forecast
        assert f.quantiles["q05"] <= f.quantiles["q50"] <= f.quantiles["q95"]
        for h in f.hinges:
            assert h.path.startswith(f"forecast.{f.issue}.")
            assert -1 <= h.spearman <= 1
        # a threshold is only reported when it beats always guessing the majority verdict
        top = f.hinges[0] if f.hinges else None
        if top is not None and top.accuracy is not None:
            assert top.accuracy > max(f.band["share"], 1 - f.band["share"])


def test_robust_forecast_is_reproducible():
    a = robust_forecast(load(), 300, 8).to_dict()
    b = robust_forecast(load(), 300, 8).to_dict()
    assert a == b


def test_robust_forecast_needs_samples_and_a_section():
    with pytest.raises(ValueError, match="at least one sample"):
        robust_forecast(load(), 0, 1)
    runner = CliRunner()
    none = runner.invoke(app, ["robust", "elmira", "--engine", "forecast"])
    assert none.exit_code == 2
    for extra in (["--lhs"], ["--perturb", "0.1"], ["--scheduler", "local"]):
        out = runner.invoke(app, ["robust", "--engine", "forecast", *extra])
        assert out.exit_code == 2, extra
        assert "applies to" in out.output or "apply to" in out.output


def test_robust_forecast_cli():
    runner = CliRunner()
    out = runner.invoke(
        app, ["robust", "--engine", "forecast", "--samples", "300", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["engine"] == "forecast"
    assert {"issue", "modal_band", "bands", "quantiles", "hinges"} <= set(doc["issues"][0])
    table = runner.invoke(
        app, ["robust", "--engine", "forecast", "--samples", "300"], env={"COLUMNS": "160"}
    )
    assert "how robust are the forecasts" in " ".join(table.stdout.lower().split())


CAPABILITY_AT_THE_FLOAT_LIMIT = """
zopa: 1
id: cap
title: Capability up to the largest float
forecast:
  x:
    scale: {min: 0, max: 100}
    anchors: {low: 10, high: 90}
    actors:
      A: {capability: {low: 0, high: 1.7e308}, position: 10, salience: 0.5, basis: Assumption.}
      B: {capability: {mode: 1e308, low: 1e300, high: 1.7e308}, position: {low: 50, high: 90},
          salience: 1, basis: Assumption.}
      C: {capability: 1, position: 90, salience: {low: 0, high: 1}, basis: Assumption.}
"""


def test_robust_forecast_on_capabilities_at_the_float_limit(tmp_path):
    """Issue 12 §6 / issue 21: sampled inputs near 1.7e308 once ended in a ValueError."""
    from zopa.io.scenario_file import parse_scenario

    scenario = parse_scenario(CAPABILITY_AT_THE_FLOAT_LIMIT, "cap.yaml")
    run = robust_forecast(scenario, 300, 0)
    (issue,) = run.issues
    assert 10 <= issue.quantiles["q05"] <= issue.quantiles["q95"] <= 90
    assert issue.convergence is not None
    assert sum(issue.convergence.values()) == pytest.approx(1.0)
    path = tmp_path / "cap.yaml"
    path.write_text(CAPABILITY_AT_THE_FLOAT_LIMIT)
    out = CliRunner().invoke(
        app, ["robust", str(path), "--engine", "forecast", "--samples", "200", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["issues"][0]["convergence"]["converged"] >= 0


def test_robust_forecast_beyond_the_memory_is_exit_2():
    out = CliRunner().invoke(
        app,
        ["robust", "--engine", "forecast", "--samples", "100000000"],
        env={"ZOPA_MEMORY_LIMIT": "1e8"},
    )
    assert out.exit_code == 2
    assert "this process may use 0.1 GiB" in out.output


POSITIONS_AT_THE_FLOAT_LIMIT = """
zopa: 1
id: far
title: Positions near the largest float
forecast:
  x:
    scale: {min: -8e307, max: 8e307}
    anchors: {low: -7e307, high: 7e307}
    actors:
      A: {capability: {low: 1, high: 1.7e308}, position: -8e307, salience: 0.5, basis: Assumption.}
      B: {capability: 1e308, position: {low: 5e307, high: 8e307}, salience: 0.6, basis: Assumption.}
      C: {capability: 3, position: 1e307, salience: {low: 0.2, high: 0.9}, basis: Assumption.}
"""


def test_hinges_of_forecasts_near_the_float_limit_do_not_overflow():
    from zopa.io.scenario_file import parse_scenario

    s = parse_scenario(POSITIONS_AT_THE_FLOAT_LIMIT.encode(), "far.yaml")
    result = robust_forecast(s, 300, 0).to_dict()  # warnings are errors in the suite
    for hinge in result["issues"][0]["hinges"]:
        assert -1e308 <= hinge["low"] <= 1e308
        assert -1e308 <= hinge["high"] <= 1e308


def test_flip_threshold_between_the_largest_floats():
    from zopa.robust.sensitivity import flip_threshold

    values = np.array([-1.0, 0.0, 1.6e308, 1.7e308])
    threshold, side, accuracy = flip_threshold(values, np.array([True, True, True, False]))
    assert side == "below"
    assert accuracy == 1.0
    assert threshold == pytest.approx(1.65e308)
