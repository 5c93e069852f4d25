"""Robustness of proposal verdicts: probabilities, hinges, thresholds, executors, CLI."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa.catalog import load
from zopa.cli import app
from zopa.io.scenario_file import load_scenario_file
from zopa.robust.proposals import robust_proposals
from zopa.robust.sensitivity import flip_threshold, spearman


def test_threshold_of_a_verdict_that_hinges_on_one_walkaway_point(small_with_deal):
    scenario = load_scenario_file(small_with_deal)
    # RU values the deal at exactly 0.5 and its walk-away point is uniform on [0.4, 0.6]: the deal
    # bridges the gap exactly when that walk-away point is at most 0.5
    result = robust_proposals(scenario, samples=2000, seed=3)
    deal = next(p for p in result.proposals if p.proposal == "deal")
    assert deal.bridges == pytest.approx(0.5, abs=0.05)
    top = deal.hinges[0]
    assert top.path == "preferences.RU.reservation"
    assert top.spearman < -0.8
    assert top.holds_when == "below"
    assert top.threshold == pytest.approx(0.5, abs=0.005)
    assert top.accuracy == pytest.approx(1.0)
    # tornado bar: with RU's walk-away point in its lowest tenth (~0.40-0.42) the deal always
    # bridges with slack ~ +0.09; in its highest (~0.58-0.60) never, slack ~ -0.09
    assert top.p_low == 1.0
    assert top.p_high == 0.0
    assert top.low == pytest.approx(0.09, abs=0.01)
    assert top.high == pytest.approx(-0.09, abs=0.01)
    assert deal.accepts["UA"] == 1.0
    # the deal itself is acceptable whenever it bridges, so a zone exists at least as often
    assert result.zone is not None
    assert result.zone.exists >= deal.bridges
    assert 0.0 <= result.zone.exists <= 1.0


def test_serial_and_process_pool_runs_are_identical():
    scenario = load()
    serial = robust_proposals(scenario, samples=600, seed=11, workers=1)
    pooled = robust_proposals(scenario, samples=600, seed=11, workers=2)
    assert serial.to_dict() == pooled.to_dict()
    again = robust_proposals(scenario, samples=600, seed=11, workers=1, method="random")
    assert again.to_dict() == serial.to_dict()
    other = robust_proposals(scenario, samples=600, seed=12, workers=1)
    assert other.to_dict() != serial.to_dict()


def test_probabilities_are_shares_of_samples():
    result = robust_proposals(load(), samples=300, seed=1, perturb=0.1, method="lhs")
    for p in result.proposals:
        assert 0.0 <= p.bridges <= 1.0
        assert all(0.0 <= v <= 1.0 for v in p.accepts.values())
        # bridging needs every needed party to accept
        assert p.bridges <= min(p.accepts.values())


def test_spearman_rank_correlation():
    x = np.array([[1.0, 5.0, 2.0], [2.0, 4.0, 2.0], [3.0, 3.0, 2.0], [4.0, 2.0, 2.0]])
    y = np.array([10.0, 20.0, 30.0, 100.0])
    rho = spearman(x, y)
    assert rho[0] == pytest.approx(1.0)
    assert rho[1] == pytest.approx(-1.0)
    assert rho[2] == 0.0  # a constant input does not correlate


def test_flip_threshold_finds_the_separating_split():
    values = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7])
    verdict = np.array([True, True, True, True, False, False])
    threshold, side, accuracy = flip_threshold(values, verdict)
    assert (side, accuracy) == ("below", 1.0)
    assert threshold == pytest.approx(0.5)
    threshold, side, accuracy = flip_threshold(values, ~verdict)
    assert (side, accuracy) == ("above", 1.0)


def test_robust_cli():
    runner = CliRunner()
    result = runner.invoke(app, ["robust", "--samples", "200", "--seed", "5", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {"scenario", "samples", "seed", "inputs", "proposals", "zone"} <= set(doc)
    assert {"p_exists", "margin_quantiles", "hinges"} <= set(doc["zone"])
    assert {"distinct", "packages", "point_package"} <= set(doc["nash"])
    assert {"reference", "candidates", "packages", "hinges"} <= set(doc["robust_bridges"])
    assert doc["robust_bridges"]["reference"] == "kyiv-2025-12-14"
    assert doc["samples"] == 200
    assert {p["proposal"] for p in doc["proposals"]} == set(load().proposals)
    table = runner.invoke(app, ["robust", "--samples", "200"], env={"COLUMNS": "200"})
    assert "Conclusions that hold in more than 90% of samples" in table.stdout
    assert "zone of agreement" in table.stdout
    none = runner.invoke(app, ["robust", "elmira"])
    assert none.exit_code == 2


def test_hinges_tornado_bars_and_threshold_only_when_informative():
    from zopa.robust.sensitivity import hinges

    rng = np.random.default_rng(0)
    rows = rng.random((4000, 3))
    measure = 2.0 * rows[:, 0] - 0.5 * rows[:, 1]
    found = hinges(["a", "b", "c"], rows, measure, measure > 0.5, 3)
    assert [h.path for h in found[:2]] == ["a", "b"]
    a, b = found[0], found[1]
    # lowest tenth of a: mean 2*0.05 - 0.25 = -0.15; highest: 2*0.95 - 0.25 = 1.65
    assert a.low == pytest.approx(-0.15, abs=0.05)
    assert a.high == pytest.approx(1.65, abs=0.05)
    assert a.swing > 0 > b.swing
    assert a.threshold is not None
    assert b.threshold is None
    # a conclusion that the inputs cannot predict gets no threshold
    coin = rng.random(4000) < 0.3
    noise = hinges(["a", "b", "c"], rows, rng.random(4000), coin, 1)
    assert noise[0].threshold is None
