"""Sizing the zone of agreement: exact counts, bounds, skips, pruning and progress."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import make_space, spaces

from zopa.space import counting
from zopa.space.counting import ZoneCount, count_pairs, count_zone
from zopa.space.engine import EnumerationEngine
from zopa.space.exact import consent_masks, grid_contributions, to_grid
from zopa.space.exact_engine import ExactEngine


def _tables(space):
    return grid_contributions(space), consent_masks(space), to_grid(space.reservation)


@settings(max_examples=60, deadline=None)
@given(space=spaces(max_parties=5, max_issues=5, max_options=4, consent=True))
def test_exact_count_and_bounds_agree_with_enumeration(space):
    expected = EnumerationEngine(space).count_acceptable()
    c, m, r = _tables(space)
    for mode in ("exact", "auto"):
        result = count_zone(c, m, r, mode=mode)
        assert result.method == "exact"
        assert result.size == expected
        assert result.lower == result.upper == expected
    bound = count_zone(c, m, r, mode="bound")
    assert bound.lower <= expected <= bound.upper
    assert bound.upper <= space.size
    # knowing that the zone is open or closed changes nothing but the work
    margin_open = EnumerationEngine(space).margin() >= 0
    assert count_zone(c, m, r, mode="exact", exists=margin_open).size == expected


@settings(max_examples=40, deadline=None)
@given(
    d=st.integers(0, 5),
    na=st.integers(0, 30),
    nb=st.integers(0, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_weighted_pairs_count_as_repeated_rows(d, na, nb, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(-3, 4, size=(na, d)).astype(np.int64)
    b = rng.integers(-3, 4, size=(nb, d)).astype(np.int64)
    t = rng.integers(-2, 3, size=d).astype(np.int64)
    wa = rng.integers(1, 4, size=na).astype(np.int64)
    wb = rng.integers(1, 4, size=nb).astype(np.int64)
    expected = count_pairs(np.repeat(a, wa, axis=0), np.repeat(b, wb, axis=0), t)
    assert count_pairs(a, b, t, weights=(wa, wb)) == expected
    brute = sum(
        int(wa[i] * wb[j]) for i in range(na) for j in range(nb) if (a[i] + b[j] >= t).all()
    )
    assert expected == brute


def test_progress_is_reported_up_to_the_whole_work(monkeypatch):
    monkeypatch.setattr(counting, "PROGRESS_SECONDS", 0.0)
    rng = np.random.default_rng(1)
    values = [np.round(rng.random((3, 6)), 2).tolist() for _ in range(6)]
    space = make_space(values, [[1] * 6] * 3, [0.5, 0.5, 0.5])
    calls = []
    result = ExactEngine(space).count_zone("exact", progress=lambda d, t: calls.append((d, t)))
    assert result.size == EnumerationEngine(space).count_acceptable()
    assert calls
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1]


def test_skip_closed_and_full_zones_need_no_count():
    space = make_space([[[0.6, 1.0], [0.7, 0.9]]] * 3, [[1] * 3, [1] * 3], [0.5, 0.5])
    c, m, r = _tables(space)
    assert count_zone(c, m, r, mode="skip") == ZoneCount(
        "skip", None, 0, 8, note="not counted (count=skip)"
    )
    full = count_zone(c, m, r, mode="exact")
    assert (full.size, full.estimated_seconds) == (8, None)  # every package acceptable
    closed = count_zone(c, m, r, mode="exact", exists=False)
    assert (closed.size, closed.lower, closed.upper) == (0, 0, 0)


def test_auto_bounds_a_count_over_its_budget_and_says_why():
    rng = np.random.default_rng(2)
    values = [np.round(rng.random((3, 5)), 2).tolist() for _ in range(6)]
    space = make_space(values, [[1] * 6] * 3, [0.5, 0.5, 0.5])
    c, m, r = _tables(space)
    exact = count_zone(c, m, r, mode="exact").size
    bounded = count_zone(c, m, r, mode="auto", budget=0.0)
    assert bounded.method == "bound"
    assert bounded.size is None
    assert bounded.lower <= exact <= bounded.upper
    assert "exact count would take about" in (bounded.note or "")
    assert bounded.estimated_seconds is not None


def test_halves_too_large_bound_in_auto_and_refuse_in_exact():
    space = make_space([[[0, 1], [1, 0]]] * 4, [[1] * 4, [1] * 4], [0.5, 0.5])
    c, m, r = _tables(space)
    result = count_zone(c, m, r, mode="auto", exists=True, max_half=3)
    assert (result.method, result.lower, result.upper) == ("bound", 1, 16)
    assert "two halves" in (result.note or "")
    with pytest.raises(ValueError, match="two halves"):
        count_zone(c, m, r, mode="exact", max_half=3)
    with pytest.raises(ValueError, match="unknown count"):
        count_zone(c, m, r, mode="fast")


def test_enumeration_engine_counts_exactly_unless_skipped():
    space = make_space([[[0, 1], [1, 0]]] * 3, [[1] * 3, [1] * 3], [0.5, 0.5])
    engine = EnumerationEngine(space)
    for mode in ("auto", "exact", "bound"):
        assert engine.count_zone(mode).size == engine.count_acceptable()
    assert engine.count_zone("skip").method == "skip"


def test_a_needed_party_that_cannot_reach_its_walk_away_point_closes_the_zone():
    space = make_space([[[0.0, 0.4], [0.6, 1.0]]] * 2, [[1, 1], [1, 1]], [0.5, 0.5])
    c, m, r = _tables(space)
    result = count_zone(c, m, r, mode="exact")  # P0's best package is worth 0.4 < 0.5
    assert (result.size, result.estimated_seconds) == (0, None)
    assert EnumerationEngine(space).count_acceptable() == 0
