"""Bridging lists without dominated variants (issue 12 §3): 52→65 is listed, 52→66 is not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from zopa.space.analysis import analyze
from zopa.space.bridging import option_positions, sub_concession, undominated
from zopa.space.compile import compile_scenario

from ._scenarios import load_dict, scenario_dicts


def wage_talks() -> dict:
    """The employer offers 52; the union needs 65, or 60 with shorter hours."""
    return {
        "zopa": 1,
        "id": "wages",
        "title": "Wage talks",
        "as_of": "2025-12-14",
        "sources": {"s": {"publisher": "T", "title": "T"}},
        "parties": {
            "EMP": {"name": "Employer", "role": "belligerent"},
            "UNI": {"name": "Union", "role": "belligerent"},
        },
        "issues": {
            "salary": {"name": "Salary", "range": {"min": 50, "max": 70, "step": 1}},
            "hours": {
                "name": "Hours",
                "options": {"h40": "40 hours", "h38": "38 hours", "h35": "35 hours"},
            },
        },
        "preferences": {
            "EMP": {
                "weights": {"salary": 3, "hours": 1},
                "values": {
                    "salary": {"piecewise": [[50, 1], [70, 0]]},
                    "hours": {"h40": 1, "h38": 0.9, "h35": 0.2},
                },
                "reservation": 0.2,
                "basis": "Assumption.",
            },
            "UNI": {
                "weights": {"salary": 1, "hours": 1},
                "values": {
                    "salary": {"piecewise": [[50, 0], [70, 1]]},
                    "hours": {"h40": 0, "h38": 0.4, "h35": 1},
                },
                "reservation": 0.75,
                "basis": "Assumption.",
            },
        },
        "proposals": {
            "offer": {
                "title": "Employer's offer",
                "by": "EMP",
                "date": "2025-12-14",
                "source": "s",
                "terms": {"salary": 52, "hours": "h40"},
            }
        },
    }


@pytest.mark.parametrize("engine", ["enumeration", "exact"])
def test_salary_variants_further_than_needed_are_dropped(engine):
    result = analyze(load_dict(wage_talks()), engine=engine, bridging=5)
    listed = result.bridging["offer"].packages
    assert listed
    salary_only = [c for c in listed if [ch.issue for ch in c.changes] == ["salary"]]
    # the union needs u = (s − 50)/20/2 ≥ 0.75 → s = 80: no salary alone; with 38 hours it
    # needs (s − 50)/40 + 0.2 ≥ 0.75 → s = 72 (out of range); with 35 hours s ≥ 60
    assert salary_only == []
    packages = [c.package for c in listed]
    assert {"salary": "60", "hours": "h35"} in packages
    assert {"salary": "61", "hours": "h35"} not in packages  # same direction, further
    for c in listed:
        assert c.acceptable


def test_a_one_issue_concession_hides_its_further_variants():
    data = wage_talks()
    data["preferences"]["UNI"]["reservation"] = 0.3  # salary 62 alone is enough, or 35 hours
    bridging = analyze(load_dict(data), bridging=5).bridging["offer"].packages
    listed = [c.package for c in bridging]
    assert listed[:2] == [{"salary": "52", "hours": "h35"}, {"salary": "62", "hours": "h40"}]
    for salary in range(63, 71):
        assert {"salary": str(salary), "hours": "h40"} not in listed
    # two-issue packages that cost the employer less than both one-issue ones stay listed
    assert {"salary": "54", "hours": "h38"} in listed
    for c in bridging[2:]:
        assert len(c.changes) == 2
        assert c.proposer_loss < bridging[0].proposer_loss


def test_sub_concession_definition():
    positions = option_positions((("50", "52", "60", "65"), ("a", "b", "c")))
    reference = np.array([1, 0])  # salary 52, option a
    rows = np.array(
        [
            [3, 0],  # 52→65
            [2, 0],  # 52→60: same direction, no further than 65
            [0, 0],  # 52→50: the other direction
            [2, 1],  # 52→60 and a→b
            [2, 2],  # 52→60 and a→c
            [1, 1],  # only a→b
        ]
    )
    sub = sub_concession(rows, reference, positions)
    assert sub[1, 0]  # 60 is on the way to 65
    assert not sub[0, 1]  # 65 goes further than 60
    assert not sub[2, 0]  # opposite direction
    assert not sub[0, 2]
    assert sub[1, 3]  # a subset of the issues, same direction
    assert sub[5, 3]  # a→b is part of (60, b)
    assert not sub[3, 4]  # b is not c on a categorical issue
    assert not sub[5, 4]
    assert sub.diagonal().all()
    # utilities: (60) serves the proposer better than (65) → 65 dominated; 50 is not
    utilities = np.array([[10], [20], [30], [15], [5], [25]])
    keep = undominated(rows, reference, positions, utilities)
    assert keep.tolist() == [False, True, True, False, False, True]


def _dominated_pairs(space, reference, packages, proposers):
    positions = option_positions(space.options)
    rows = np.array([space.index_of(p) for p in packages])
    sub = sub_concession(rows, reference, positions)
    mask = np.array([p in proposers for p in space.parties])
    u = space.grid.contributions[0][:, rows[:, 0]].T.copy()
    for i, c in enumerate(space.grid.contributions[1:], start=1):
        u += c[:, rows[:, i]].T
    u = u[:, mask]
    return [
        (a, b)
        for a in range(len(rows))
        for b in range(len(rows))
        if a != b and sub[a, b] and (u[a] >= u[b]).all()
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(max_issues=3, max_options=5))
def test_no_listed_bridging_package_is_dominated_by_another(data):
    scenario = load_dict(data)
    space = compile_scenario(scenario)
    reference = space.index_of(scenario.package_of("prop"))
    for engine in ("enumeration", "exact"):
        bridging = analyze(scenario, engine=engine, bridging=5).bridging["prop"]
        if not bridging.found or bridging.already_bridges:
            continue
        packages = [c.package for c in bridging.packages]
        assert _dominated_pairs(space, reference, packages, scenario.proposals["prop"].by) == []
