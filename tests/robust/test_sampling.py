"""Sampling uncertain scenario inputs: ranges, distributions, Latin hypercube, chunking."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.catalog import load
from zopa.model.numbers import Uncertain
from zopa.robust.sampling import chunk_plan, draw_for, sample_inputs, uncertain_inputs
from zopa.space.compile import compile_scenario


@pytest.fixture(scope="module")
def berlin():
    return load()


def test_every_uncertain_preference_number_is_listed(berlin):
    every = uncertain_inputs(berlin)
    inputs = [i for i in every if i.path.startswith("preferences.")]
    assert len(inputs) == 159  # the ranged numbers of the default scenario's preferences
    assert every[: len(inputs)] == inputs  # the preferences first, then the dynamics
    paths = {i.path for i in inputs}
    assert "preferences.RU.reservation" in paths
    assert all(isinstance(i.number, Uncertain) for i in inputs)
    assert all(i.low <= i.point <= i.high for i in inputs)


def test_perturbation_adds_point_values_within_their_bounds(berlin):
    plain = uncertain_inputs(berlin)
    perturbed = uncertain_inputs(berlin, perturb=0.1)
    assert len(perturbed) > len(plain)
    for item in perturbed:
        if not item.path.startswith("preferences."):
            continue  # the dynamics: see test_dynamics_numbers_are_listed_with_their_bounds
        assert 0 <= item.low <= item.high
        if ".weights." not in item.path:
            assert item.high <= 1


def test_dynamics_numbers_are_listed_with_their_bounds(berlin):
    dynamics = [i for i in uncertain_inputs(berlin) if i.path.startswith("dynamics.")]
    paths = [i.path for i in dynamics]
    assert "dynamics.drift.RU.cost_of_war" in paths
    assert "dynamics.drift.UA.territory" in paths
    assert "dynamics.shifts[0].parties.RU" in paths
    assert "dynamics.drift.US.territory" not in paths  # a point value (0), fixed
    for item in dynamics:
        assert -1 <= item.low <= item.point <= item.high <= 1
        if item.path.endswith(".cost_of_war"):
            assert item.low >= 0


def test_perturbing_a_negative_point_value_keeps_low_below_high(small_text):
    from zopa.io.scenario_file import parse_scenario

    text = small_text + (
        "dynamics:\n"
        "  rounds: 4\n"
        "  drift:\n"
        "    UA: {cost_of_war: 0.01, territory: -0.02, basis: Assumption.}\n"
        "  shifts:\n"
        "    - {round: 1, event: E, hypothetical: true, parties: {RU: -0.995}, basis: Assumption.}\n"
    )
    s = parse_scenario(text)
    found = {i.path: i for i in uncertain_inputs(s, perturb=0.1)}
    cost = found["dynamics.drift.UA.cost_of_war"]
    assert (cost.low, cost.high) == pytest.approx((0.009, 0.011))
    territory = found["dynamics.drift.UA.territory"]
    assert (territory.low, territory.high) == pytest.approx((-0.022, -0.018))
    shift = found["dynamics.shifts[0].parties.RU"]
    assert (shift.low, shift.high) == pytest.approx((-1.0, -0.8955))  # clipped at -1
    for item in found.values():
        assert item.low <= item.point <= item.high


def test_samples_stay_in_range_and_are_reproducible(berlin):
    inputs = uncertain_inputs(berlin)
    a = sample_inputs(inputs, 500, 7)
    b = sample_inputs(inputs, 500, 7)
    np.testing.assert_array_equal(a, b)
    lows = np.array([i.low for i in inputs])
    highs = np.array([i.high for i in inputs])
    assert (a >= lows).all()
    assert (a <= highs).all()
    assert not np.array_equal(a, sample_inputs(inputs, 500, 8))


def test_triangular_and_uniform_means():
    from zopa.robust.sampling import UncertainInput

    tri = UncertainInput("t", Uncertain(0.0, 1.0, 0.2), 0.0, 1.0, 0.2)
    uni = UncertainInput("u", Uncertain(0.2, 0.6), 0.2, 0.6, None)
    x = sample_inputs([tri, uni], 200_000, 1)
    assert x[:, 0].mean() == pytest.approx((0 + 0.2 + 1) / 3, abs=0.005)
    assert x[:, 1].mean() == pytest.approx(0.4, abs=0.002)
    # mode of the triangular draws near 0.2: the densest tenth of the interval
    counts, _ = np.histogram(x[:, 0], bins=10, range=(0, 1))
    assert counts.argmax() in (1, 2)


@settings(max_examples=50)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_latin_hypercube_hits_every_stratum_once(n, seed):
    from zopa.robust.sampling import UncertainInput

    inputs = [UncertainInput(f"x{j}", Uncertain(0.0, 1.0), 0.0, 1.0, None) for j in range(3)]
    x = sample_inputs(inputs, n, seed, method="lhs")
    for j in range(3):
        strata = np.floor(x[:, j] * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


def test_draws_feed_the_compiler_with_constraints_kept(berlin):
    inputs = uncertain_inputs(berlin, perturb=0.2)
    rows = sample_inputs(inputs, 20, 3)
    for row in rows:
        space = compile_scenario(berlin, draw=draw_for(inputs, row))
        np.testing.assert_allclose(space.weights.sum(axis=1), 1.0)
        assert all(((v >= 0) & (v <= 1)).all() for v in space.values)
        assert ((space.reservation >= 0) & (space.reservation <= 1)).all()
    point = compile_scenario(berlin)
    mid = compile_scenario(berlin, draw=draw_for([], np.empty(0)))
    np.testing.assert_array_equal(point.weights, mid.weights)


@given(st.integers(0, 5000), st.integers(1, 700), st.integers(0, 99))
def test_chunk_plan_covers_the_samples_and_does_not_depend_on_workers(n, size, seed):
    plan = chunk_plan(n, size, seed)
    assert sum(c.count for c in plan) == n
    assert [c.start for c in plan] == [i * size for i in range(len(plan))]
    again = chunk_plan(n, size, seed)
    for a, b in zip(plan, again, strict=True):
        assert a.seed.generate_state(2).tolist() == b.seed.generate_state(2).tolist()


def test_chunked_sampling_equals_itself_in_any_order(berlin):
    inputs = uncertain_inputs(berlin)
    plan = chunk_plan(1000, 128, 42)
    forward = np.concatenate(
        [sample_inputs(inputs, c.count, np.random.default_rng(c.seed)) for c in plan]
    )
    backward = {
        c.index: sample_inputs(inputs, c.count, np.random.default_rng(c.seed))
        for c in reversed(plan)
    }
    np.testing.assert_array_equal(forward, np.concatenate([backward[i] for i in range(len(plan))]))
    with pytest.raises(ValueError, match="chunk_size"):
        chunk_plan(10, 0, 1)
