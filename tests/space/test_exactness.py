"""Exact decisions for decimal inputs (issue 12 §3): ties at the walk-away point, Pareto ties and
bargaining ties survive weights whose renormalised values are not short decimals."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from zopa.io.scenario_file import load_scenario_file
from zopa.space.analysis import analyze, evaluate_package, evaluate_terms
from zopa.space.compile import compile_scenario
from zopa.space.exact import SCALE, to_grid

from ._scenarios import brute_force, load_dict, scenario_dicts

TIE = Path(__file__).parent / "regressions" / "exact-tie.yaml"
AAA = {"x": "a", "y": "a", "z": "a"}


@pytest.mark.parametrize("engine", ["enumeration", "exact"])
def test_the_issue_case_keeps_its_tie(engine):
    scenario = load_scenario_file(TIE)
    result = analyze(scenario, engine=engine)
    assert result.zone.size == 2
    assert result.zone.margin == 0.0
    assert AAA in [s.package for s in result.pareto]
    assert AAA in [s.package for s in result.pareto_acceptable]
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        assert AAA in [s.package for s in result.solutions[name]], name
    verdict = result.proposals[0].verdict
    assert verdict.bridges
    a = next(v for v in verdict.parties if v.party == "A")
    assert a.utility == 0.7  # the exact decimal, not 0.699999999999
    assert a.accepted
    assert a.shortfall == 0.0


def test_the_issue_case_evaluates_as_bridging():
    scenario = load_scenario_file(TIE)
    verdict, bridging, _ = evaluate_terms(scenario, AAA)
    assert verdict.bridges
    assert bridging.already_bridges
    assert [v.utility for v in verdict.parties] == [0.7, 0.5]


def test_the_issue_case_on_the_command_line():
    from typer.testing import CliRunner

    from zopa.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(TIE), "--terms", "x=a,y=a,z=a"])
    assert result.exit_code == 0, result.output
    assert "short by 0.000" not in result.output
    assert "0.700" in result.output


def test_to_grid_puts_decimals_exactly_on_the_grid():
    assert to_grid(0.7) == 7 * SCALE // 10
    assert to_grid(np.array([0.1, 0.2, 0.3])).tolist() == [SCALE // 10, SCALE // 5, 3 * SCALE // 10]
    assert int(to_grid(1 / 3)) == SCALE // 3


def test_equal_integer_weights_are_exact():
    data = {
        "zopa": 1,
        "id": "equal",
        "title": "Equal weights",
        "sources": {"s": {"publisher": "T", "title": "T"}},
        "parties": {"A": {"name": "A", "role": "belligerent"}},
        "issues": {f"i{k}": {"name": "i", "options": {"a": "a", "b": "b"}} for k in range(7)},
        "preferences": {
            "A": {
                "weights": {f"i{k}": 1 for k in range(7)},
                "values": {f"i{k}": {"a": 0.1, "b": 0.8} for k in range(7)},
                "reservation": 0.4,
                "basis": "Assumption.",
            }
        },
    }
    space = compile_scenario(load_dict(data))
    assert space.grid.exact.all()
    # 3 × 0.8 + 4 × 0.1 = 2.8 over 7 issues is exactly 0.4: a tie with the walk-away point
    package = np.array([1, 1, 1, 0, 0, 0, 0])
    verdict = evaluate_package(space, package)
    assert verdict.bridges
    assert verdict.parties[0].utility == 0.4


def test_weights_whose_total_does_not_divide_the_grid_are_still_exact_per_party():
    # 17 issues of weight 1: the denominator 170 does not divide SCALE, yet the tie holds
    issues = {f"i{k}": {"name": "i", "options": {"a": "a", "b": "b"}} for k in range(17)}
    data = {
        "zopa": 1,
        "id": "seventeen",
        "title": "Seventeen",
        "sources": {"s": {"publisher": "T", "title": "T"}},
        "parties": {"A": {"name": "A", "role": "belligerent"}},
        "issues": issues,
        "preferences": {
            "A": {
                "weights": dict.fromkeys(issues, 1),
                "values": {key: {"a": 0.1, "b": 0.9} for key in issues},
                "reservation": 0.5,
                "basis": "Assumption.",
            }
        },
    }
    space = compile_scenario(load_dict(data))
    assert space.grid.exact.all()
    assert SCALE % 170 != 0
    # u = (0.9 k + 0.1 (17 − k)) / 17 for k issues at b: compared with 0.5 exactly
    for k in range(18):
        package = np.array([1] * k + [0] * (17 - k))
        u = (Fraction(9, 10) * k + Fraction(1, 10) * (17 - k)) / 17
        verdict = evaluate_package(space, package)
        assert verdict.parties[0].accepted == (u >= Fraction(1, 2))
        assert verdict.parties[0].utility == float(u)


def _check_against_brute(data, engine):
    scenario = load_dict(data)
    brute = brute_force(data, scenario)
    space = compile_scenario(scenario)
    result = analyze(scenario, engine=engine)
    zone = brute.zone()
    assert result.zone.size == len(zone)
    for k, package in enumerate(brute.packages):
        verdict = evaluate_package(space, space.index_of(package))
        assert verdict.bridges == brute.acceptable(k)
        for v, u, r in zip(verdict.parties, brute.utilities[k], brute.reservation, strict=True):
            assert v.accepted == (u >= r)
            assert v.utility == float(u)
    key = lambda p: tuple(sorted(p.items()))  # noqa: E731
    pareto = {key(brute.packages[k]) for k in brute.pareto(list(range(len(brute.packages))))}
    assert {key(s.package) for s in result.pareto} == pareto
    acceptable = {key(brute.packages[k]) for k in brute.pareto(zone)}
    assert {key(s.package) for s in result.pareto_acceptable} == acceptable
    nash = {key(brute.packages[k]) for k in brute.nash()}
    assert {key(s.package) for s in result.solutions["nash"]} == nash


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(weights="integer"))
def test_integer_weights_agree_with_rational_arithmetic(data):
    _check_against_brute(data, "enumeration")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(weights="equal"))
def test_equal_weights_agree_with_rational_arithmetic(data):
    _check_against_brute(data, "exact")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(weights="decimal"))
def test_decimal_weights_agree_with_rational_arithmetic(data):
    _check_against_brute(data, "exact")
