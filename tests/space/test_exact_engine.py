"""The exact engine answers exactly what enumeration answers, on every problem small enough."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import make_space, spaces

from zopa.space.counting import BRUTE_LIMIT, count_pairs
from zopa.space.engine import AUTO_ENUMERATION_LIMIT, EnumerationEngine, make_engine
from zopa.space.exact_engine import ExactEngine


def assert_same_answers(space, data):
    a, b = EnumerationEngine(space), ExactEngine(space)
    assert a.count_acceptable() == b.count_acceptable()
    assert a.margin() == b.margin()
    for acceptable_only in (False, True):
        pa, pb = (
            a.pareto(acceptable_only=acceptable_only),
            b.pareto(acceptable_only=acceptable_only),
        )
        assert sorted(map(tuple, pa.packages)) == sorted(map(tuple, pb.packages))
        rows_a = {tuple(r): tuple(u) for r, u in zip(pa.packages, pa.utilities, strict=True)}
        rows_b = {tuple(r): tuple(u) for r, u in zip(pb.packages, pb.utilities, strict=True)}
        assert rows_a == rows_b
    reference = np.array([data.draw(st.integers(0, k - 1)) for k in space.shape], dtype=np.intp)
    proposers = np.array([data.draw(st.booleans()) for _ in space.parties])
    k = data.draw(st.integers(1, 6))
    ca, cb = a.closest(reference, proposers, k), b.closest(reference, proposers, k)
    assert ca.found == cb.found
    assert ca.packages.packages.tolist() == cb.packages.packages.tolist()
    assert ca.packages.utilities.tolist() == cb.packages.utilities.tolist()
    assert ca.distance.tolist() == cb.distance.tolist()
    assert ca.shortfall.tolist() == cb.shortfall.tolist()


@settings(max_examples=200)
@given(spaces(consent=True), st.data())
def test_exact_engine_agrees_with_enumeration(space, data):
    assert_same_answers(space, data)


@st.composite
def tied_spaces(draw):
    """Problems built to tie: few distinct values, identical options and identical parties."""
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(2, 5))
    shape = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    grid = st.sampled_from([0.0, 0.5, 1.0])
    values = [[[draw(grid) for _ in range(k)] for _ in range(n_parties)] for k in shape]
    if draw(st.booleans()):  # two parties with the same preferences
        for v in values:
            v[1] = list(v[0])
    weights = [[1] * n_issues for _ in range(n_parties)]
    reservation = [draw(st.sampled_from([0.0, 0.25, 0.5])) for _ in range(n_parties)]
    return make_space(values, weights, reservation)


@settings(max_examples=150)
@given(tied_spaces(), st.data())
def test_exact_engine_agrees_on_problems_with_many_exact_ties(space, data):
    assert_same_answers(space, data)


@settings(max_examples=60)
@given(spaces(max_parties=4, max_issues=4, max_options=3, consent=True), st.data())
def test_exact_engine_agrees_with_four_parties(space, data):
    assert_same_answers(space, data)


@settings(max_examples=200)
@given(
    st.integers(0, 4).flatmap(
        lambda d: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=d, max_size=d), max_size=30),
            st.lists(st.lists(st.integers(-3, 3), min_size=d, max_size=d), max_size=30),
            st.lists(st.integers(-4, 4), min_size=d, max_size=d),
        )
    )
)
def test_dominance_counting_matches_brute_force(case):
    a_rows, b_rows, t = case
    d = len(t)
    a = np.array(a_rows, dtype=np.int64).reshape(len(a_rows), d)
    b = np.array(b_rows, dtype=np.int64).reshape(len(b_rows), d)
    threshold = np.array(t, dtype=np.int64)
    expected = sum(
        1
        for x in a_rows
        for y in b_rows
        if all(xi + yi >= ti for xi, yi, ti in zip(x, y, t, strict=True))
    )
    assert count_pairs(a, b, threshold) == expected


def test_brute_counting_refuses_beyond_its_limit(monkeypatch):
    import zopa.space.counting as counting

    monkeypatch.setattr(counting, "BRUTE_LIMIT", 10)
    a = np.zeros((4, 4), dtype=np.int64)
    with pytest.raises(ValueError, match="limited to"):
        counting.count_pairs(a, a, np.zeros(4, dtype=np.int64))
    assert BRUTE_LIMIT > 10


def test_counting_refuses_halves_too_large(monkeypatch):
    import zopa.space.exact_engine as exact

    monkeypatch.setattr(exact, "MAX_HALF", 3)
    space = make_space([[[0, 1], [1, 0]]] * 4, [[1] * 4, [1] * 4], [0.5, 0.5])
    with pytest.raises(ValueError, match="two halves"):
        exact.ExactEngine(space).count_acceptable()


def test_auto_picks_the_engine_by_size(monkeypatch):
    space = make_space([[[0, 1], [1, 0]]] * 3, [[1] * 3, [1] * 3], [0.5, 0.5])
    assert make_engine(space).name == "enumeration"
    assert make_engine(space, "exact").name == "exact"
    import zopa.space.engine as engine

    monkeypatch.setattr(engine, "AUTO_ENUMERATION_LIMIT", 4)
    assert make_engine(space).name == "exact"
    assert AUTO_ENUMERATION_LIMIT == 1_000_000


def test_exact_engine_on_a_space_far_beyond_enumeration():
    # 60 issues x 3 options = 3^60 (about 4e28) packages, 2 parties with random values
    rng = np.random.default_rng(7)
    values = [np.round(rng.random((2, 3)), 3).tolist() for _ in range(60)]
    space = make_space(values, [[1] * 60, [1] * 60], [0.5, 0.5])
    engine = ExactEngine(space)
    front = engine.pareto(acceptable_only=False)
    assert len(front) > 0
    # on a two-party frontier the utilities move in opposite directions
    u = front.utilities[np.lexsort((-front.utilities[:, 1], front.utilities[:, 0]))]
    assert (np.diff(u[:, 1]) <= 0).all()
    assert engine.margin() >= 0
    with pytest.raises(ValueError, match="two halves"):
        engine.count_acceptable()
    closest = engine.closest(np.zeros(60, dtype=np.intp), np.array([True, False]), 3)
    assert closest.found
    assert (closest.distance == np.sort(closest.distance)).all()


def test_ties_beyond_what_can_be_listed_are_refused_but_the_margin_is_known():
    # perfectly opposed values: every package is efficient, 3^30 of them
    values = [[[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]] for _ in range(30)]
    space = make_space(values, [[1] * 30, [1] * 30], [0.5, 0.5])
    engine = ExactEngine(space)
    # weights of 1/30 are off the decimal grid: the margin is 0 up to one grid step per issue
    assert abs(engine.margin()) <= 30
    with pytest.raises(ValueError, match="exact ties"):
        engine.pareto(acceptable_only=False)
