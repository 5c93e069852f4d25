"""Non-convergence of the expected-utility model: fixed points, cycles, runs that do not settle.

Issue 12 §3: EUM forecasts can cycle (the EC car-emission case oscillates between about 7 and 10
for hundreds of rounds; the default scenario's territory issue cycles). The run must say so
(``converged``, ``cycle_period``), report the band the forecast spans, and be able to stop at
convergence.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa.catalog import load
from zopa.cli import app
from zopa.forecast import forecast, parse_actors, read_actors
from zopa.forecast.eum import GRID, simulate
from zopa.forecast.scenario import forecast_scenario


def _grid(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.rint((x - lo) / (hi - lo) * GRID)


def test_ec_does_not_settle_in_ten_rounds_and_says_so() -> None:
    d = forecast(read_actors("ec-car-emissions")).to_dict()
    assert d["converged"] is False
    assert d["cycle_period"] is None
    conv = d["convergence"]
    assert conv["status"] == "not settled"
    band = conv["band"]
    assert (band["from_round"], band["to_round"]) == (5, 10)
    medians = [r["median"] for r in d["rounds"][5:]]
    assert band["low"] == pytest.approx(min(medians))
    assert band["high"] == pytest.approx(max(medians))
    assert band["low"] < band["high"]
    assert d["forecast_band"] == [band["low"], band["high"]]


def test_ec_cycle_is_a_true_repeat() -> None:
    t = read_actors("ec-car-emissions")
    run = simulate(t.capability, t.position, t.salience, rounds=1000, stop_at_convergence=True)
    repeat, period = int(run.repeat[0]), int(run.period[0])
    assert period >= 2
    assert run.positions.shape[1] == repeat + 1  # stopped at the repeat
    cells = _grid(run.positions[0], 4.0, 10.0)
    np.testing.assert_array_equal(cells[repeat], cells[repeat - period])
    # no earlier round repeats any round before it
    seen = {tuple(c) for c in cells[:repeat]}
    assert len(seen) == repeat
    # and running longer keeps cycling with that period
    longer = simulate(t.capability, t.position, t.salience, rounds=repeat + 2 * period)
    later = _grid(longer.positions[0], 4.0, 10.0)
    np.testing.assert_array_equal(later[repeat + period], later[repeat])


def test_fixed_point_converges_and_stopping_changes_nothing() -> None:
    t = read_actors("ec-car-emissions")
    full = forecast(t, variant="paper", rounds=30).to_dict()
    short = forecast(t, variant="paper", rounds=30, stop_at_convergence=True).to_dict()
    assert full["converged"] is True
    assert short["converged"] is True
    assert full["cycle_period"] is None
    since = full["convergence"]["since_round"]
    assert short["parameters"]["rounds_run"] == since + 1
    assert full["parameters"]["rounds_run"] == 30
    assert short["forecast"] == full["forecast"]
    assert short["rounds"] == full["rounds"][: since + 2]
    for r in full["rounds"][since:]:
        assert r["positions"] == full["rounds"][since]["positions"]


def test_default_scenario_reports_each_issue() -> None:
    found = {r.issue: r.to_dict() for r in forecast_scenario(load())}
    assert found["army-cap"]["converged"] is True
    assert found["nato"]["converged"] is True
    territory = found["territory"]
    assert territory["converged"] is False
    long = forecast_scenario(load(), ["territory"], rounds=200, stop_at_convergence=True)[0]
    conv = long.to_dict()["convergence"]
    assert conv["status"] == "cycle"
    assert conv["cycle_period"] >= 2
    # the weighted median stays at the US position throughout the cycle; the band says so
    assert conv["band"]["low"] == conv["band"]["high"] == 65.0


def test_zero_rounds_is_not_run() -> None:
    d = forecast(read_actors("ec-car-emissions"), rounds=0).to_dict()
    assert d["convergence"]["status"] == "not run"
    assert d["converged"] is False


def test_equal_positions_and_single_actor_converge_at_once() -> None:
    for text in (
        "actor,capability,position,salience\nA,1,5,1\n",
        "actor,capability,position,salience\nA,1,5,1\nB,2,5,0.5\nC,0,5,0\n",
    ):
        d = forecast(parse_actors(text), rounds=5).to_dict()
        assert d["forecast"] == 5.0
        assert d["converged"] is True
        assert d["convergence"]["since_round"] == 0


def test_samples_report_the_share_that_converged() -> None:
    t = read_actors("ec-car-emissions")
    d = forecast(t, samples=60, rng=1, rounds=40).to_dict()
    shares = d["convergence"]["samples"]
    assert set(shares) == {"converged", "cycle", "not_settled"}
    assert sum(shares.values()) == pytest.approx(1.0)
    run = simulate(*_perturbed(t, 60, 1), rounds=40)
    assert shares["converged"] == pytest.approx(run.converged.mean(), abs=1e-6)


def _perturbed(t: object, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from zopa.forecast.run import perturb_inputs

    return perturb_inputs(t, n, seed, 0.1)  # type: ignore[arg-type]


def test_stop_at_convergence_with_samples_stops_when_all_have_repeated() -> None:
    t = parse_actors("actor,capability,position,salience\nA,1,0,1\nB,1,10,0.2\nC,3,4,0.9\n")
    run = simulate(
        np.tile(t.capability, (5, 1)),
        np.tile(t.position, (5, 1)),
        np.tile(t.salience, (5, 1)),
        rounds=100,
        stop_at_convergence=True,
    )
    assert (run.repeat >= 0).all()
    assert run.positions.shape[1] == run.repeat.max() + 1


def test_cli_flag_and_reports() -> None:
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "forecast",
            "ec-car-emissions",
            "--rounds",
            "40",
            "--stop-at-convergence",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["parameters"]["stop_at_convergence"] is True
    assert {"converged", "cycle_period", "forecast_band", "convergence"} <= set(doc)
    table = runner.invoke(app, ["forecast", "ec-car-emissions"], env={"COLUMNS": "200"})
    assert "Did not settle within 10 rounds" in table.stdout
    assert "Forecast: between 7.000 and" in table.stdout
    paper = runner.invoke(
        app, ["forecast", "ec-car-emissions", "--variant", "paper"], env={"COLUMNS": "200"}
    )
    assert "Converged: the positions do not change from round" in paper.stdout
    scen = runner.invoke(app, ["forecast", "--rounds", "60"], env={"COLUMNS": "200"})
    assert scen.exit_code == 0
    assert "cycle" in scen.stdout or "not settled" in scen.stdout
    many = runner.invoke(
        app, ["forecast", "--samples", "40", "--seed", "0"], env={"COLUMNS": "200"}
    )
    assert "Monte Carlo samples:" in many.stdout
    assert "converged" in many.stdout


def test_long_runs_list_rounds_as_rows() -> None:
    runner = CliRunner()
    out = runner.invoke(
        app, ["forecast", "ec-car-emissions", "--rounds", "40"], env={"COLUMNS": "200"}
    )
    assert out.exit_code == 0
    header = next(line for line in out.stdout.splitlines() if "Netherlands" in line)
    assert header.split()[:2] == ["round", "Netherlands"]
    short = runner.invoke(app, ["forecast", "ec-car-emissions"], env={"COLUMNS": "200"})
    assert any(line.split()[:1] == ["Netherlands"] for line in short.stdout.splitlines())
