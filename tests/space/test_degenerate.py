"""Degenerate numbers reaching the space compiler (sampled or fuzzed): defined answers, no warnings.

Issue 21 §4: ``fill_vector`` divided by zero and overflowed, ``to_grid`` cast NaN to int64, and
``evaluate_package`` computed with the results. Every case here runs with warnings as errors.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from zopa.io.scenario_file import load_scenario_file
from zopa.space.analysis import evaluate_package
from zopa.space.compile import space_template
from zopa.space.exact import SCALE, to_grid

from ..conftest import SMALL_SCENARIO


@pytest.fixture
def template():
    return space_template(load_scenario_file(SMALL_SCENARIO))


def _vector(template, **weights):
    from zopa.model.numbers import point

    v = np.array([point(n) for n in template.numbers], dtype=np.float64)
    for party, value in weights.items():
        r = template.parties.index(party)
        v[template.weight_index[r]] = value
    return v


@pytest.mark.parametrize("value", [0.0, -1.0, 1e308, np.inf, np.nan, 5e-324])
def test_weights_of_any_size_compile_without_warnings(template, value):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        space = template.fill_vector(_vector(template, UA=value))
        verdict = evaluate_package(space, np.zeros(len(space.issues), dtype=np.intp))
    row = space.weights[space.parties.index("UA")]
    assert np.isfinite(row).all()
    if value > 0 and np.isfinite(value):
        assert row.sum() == pytest.approx(1.0)  # equal huge or tiny weights: an even split
        assert row == pytest.approx([0.5, 0.5])
    else:
        assert (row == 0).all()  # no positive weight: the party is indifferent (utility 0)
        ua = next(p for p in verdict.parties if p.party == "UA")
        assert ua.utility == 0.0


def test_non_finite_values_and_walk_away_points_are_refused(template):
    v = _vector(template)
    bad = v.copy()
    bad[template.reservation_index[0]] = np.nan
    with pytest.raises(ValueError, match="walk-away"):
        template.fill_vector(bad)
    used = np.flatnonzero(template.value_maps[0].any(axis=0))[0]
    bad = v.copy()
    bad[used] = np.inf
    with pytest.raises(ValueError, match="finite"):
        template.fill_vector(bad)


def test_to_grid_refuses_non_finite_and_bounds_huge_numbers():
    with pytest.raises(ValueError, match="finite"):
        to_grid(np.array([0.5, np.nan]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_grid(1e300) == to_grid(1e3)
        assert to_grid(-1e300) == -1000 * SCALE
