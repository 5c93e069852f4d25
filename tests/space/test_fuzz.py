"""Fuzzing ``analyze`` on generated scenarios (issue 12 §6, issue 21 §4).

Valid scenarios of every shape the format allows — up to four parties, issues and numeric
ranges with piecewise values, consent of issues and options, weights that are zero, all on one
issue, integer, equal or decimal, walk-away points of 0 and 1 — are analysed by both engines,
which must agree on everything and neither raise nor warn. Minimised failures are kept in
``regressions/`` and replayed by :func:`test_regression_files`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from zopa.io.scenario_file import load_scenario_file
from zopa.model.scenario import Scenario
from zopa.space.analysis import analyze

from ._scenarios import load_dict, scenario_dicts

REGRESSIONS = sorted((Path(__file__).parent / "regressions").glob("*.yaml"))


def _both_engines_agree(scenario: Scenario) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [analyze(scenario, engine=e).to_dict() for e in ("enumeration", "exact")]
    for result in results:
        del result["engine"]
        # how long an exact count would take is the exact engine's estimate; enumeration
        # counts as it goes and estimates nothing
        del result["zopa"]["count_estimated_seconds"]
    assert results[0] == results[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(max_parties=4, max_issues=4, max_options=5))
def test_analyze_on_generated_scenarios(data):
    _both_engines_agree(load_dict(data))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_regression_files(path):
    _both_engines_agree(load_scenario_file(path))
