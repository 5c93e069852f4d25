"""Exploring assumptions: the robust engine's per-sample code on chosen values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zopa
from zopa.robust.explore import assumption_list, explore_values
from zopa.robust.proposals import robust_proposals, space_inputs

SCENARIO = zopa.load()
RU = "preferences.RU.reservation"
ARMY = "preferences.UA.values.army-cap.piecewise[1] (x=600)"


def test_the_assumptions_are_the_robust_engines_inputs() -> None:
    listed = assumption_list(SCENARIO)
    assert [a.path for a in listed] == [i.path for i in space_inputs(SCENARIO)]
    by_path = {a.path: a for a in listed}
    ru = by_path[RU]
    assert (ru.kind, ru.low, ru.mode, ru.high, ru.basis_key) == (
        "reservation",
        0.35,
        0.5,
        0.65,
        "reservation",
    )
    assert ru.basis.startswith("Assumption. Moscow expects to gain by force")
    army = by_path[ARMY]
    assert (army.issue, army.x, army.option, army.basis_key) == ("army-cap", 600, None, "army-cap")
    weight = by_path["preferences.UA.weights.nato"]
    assert weight.kind == "weight"
    assert weight.basis_key == "weights"
    assert weight.label == "UA weight of nato"
    value = by_path["preferences.RU.values.territory.donbas-dmz"]
    assert value.option == "donbas-dmz"
    assert value.label == "RU value of territory=donbas-dmz"


def test_point_values_give_the_conclusions_of_analyze() -> None:
    found = explore_values(SCENARIO, {})
    analysis = zopa.analyze(SCENARIO).result
    assert found.changes == []
    assert [p.verdict for p in found.proposals] == [v.verdict for v in analysis.proposals]
    assert found.zone_exists == analysis.zone.exists
    assert found.margin == pytest.approx(analysis.zone.margin, abs=1e-12)
    assert [n["package"] for n in found.nash] == [s.package for s in analysis.solutions["nash"]]


def test_explored_gains_are_the_robust_engines_for_that_sample() -> None:
    values = {RU: 0.41, ARMY: 0.3, "preferences.UA.weights.nato": 0.14}
    found = explore_values(SCENARIO, values)
    inputs = space_inputs(SCENARIO)
    row = np.array([[values.get(i.path, i.point) for i in inputs]])
    run = robust_proposals(SCENARIO, rows=row, hinges=0)
    assert run.gains is not None
    for j, p in enumerate(found.proposals):
        assert list(p.gains.values()) == pytest.approx(list(run.gains[0, j]), abs=1e-9)
        assert run.proposals[j].bridges == float(p.verdict.bridges)
    assert run.zone is not None
    assert run.zone.margin_quantiles["q50"] == pytest.approx(found.margin, abs=1e-12)
    # in the order of the inputs, whatever the order given
    order = [i.path for i in inputs]
    assert [c.assumption.path for c in found.changes] == sorted(values, key=order.index)


@settings(max_examples=12, deadline=None)
@given(a=st.floats(0.35, 0.65), b=st.floats(0.35, 0.65))
def test_a_higher_walk_away_point_never_widens_the_zone(a: float, b: float) -> None:
    """RU's consent every package needs: raising its walk-away point lowers every slack."""
    low, high = sorted((a, b))
    at_low = explore_values(SCENARIO, {RU: low})
    at_high = explore_values(SCENARIO, {RU: high})
    assert at_high.margin <= at_low.margin + 1e-12
    for p, q in zip(at_low.proposals, at_high.proposals, strict=True):
        assert q.gains["RU"] <= p.gains["RU"] + 1e-12
        assert q.gains["UA"] == p.gains["UA"]
