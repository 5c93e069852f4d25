"""The forecasting engines: baselines, the expected-utility model, Monte Carlo, the EC example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.forecast import forecast, parse_actors, read_actors, weighted_mean, weighted_median
from zopa.forecast.eum import positive_votes, probabilities, simulate
from zopa.forecast.run import perturb_inputs

# -- baselines against hand-computed values ---------------------------------------------------


def test_weighted_median_hand_computed() -> None:
    assert weighted_median([1.0, 2.0, 3.0], [1.0, 1.0, 2.0]) == 2.0
    assert weighted_median([3.0, 1.0, 2.0], [5.0, 1.0, 1.0]) == 3.0
    # cumulative weight hits exactly one half at 1: the lower median, not the midpoint 1.5
    assert weighted_median([1.0, 2.0], [1.0, 1.0]) == 1.0
    assert weighted_median([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]) == 0.2  # 0.1+0.2 == 0.3 (float)


def test_weighted_mean_hand_computed() -> None:
    assert weighted_mean([0.0, 10.0], [3.0, 1.0]) == 2.5
    assert weighted_mean([4.0, 7.0, 10.0], [1.0, 1.0, 2.0]) == pytest.approx(7.75)


def test_baselines_vectorised_over_samples() -> None:
    x = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    w = np.array([[1.0, 1.0, 2.0], [1.0, 1.0, 2.0]])
    np.testing.assert_array_equal(weighted_median(x, w), [2.0, 1.0])
    np.testing.assert_allclose(weighted_mean(x, w), [2.25, 1.75])


def test_baselines_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="total weight"):
        weighted_median([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="non-negative"):
        weighted_mean([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="shape"):
        weighted_median([1.0, 2.0], [1.0])


def test_ec_baselines_hand_computed() -> None:
    t = read_actors("ec-car-emissions")
    # weights c·s: 4: .064+.006+.128+.05 = .248; 7: .032+.005+.056 = .093; 10: .096+.096+.144
    # total .677, half .3385, reached at 7
    assert weighted_median(t.position, t.weights) == 7.0
    assert weighted_mean(t.position, t.weights) == pytest.approx(
        (4 * 0.248 + 7 * 0.093 + 10 * 0.336) / 0.677
    )


actors = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n),
        st.lists(st.floats(-100.0, 100.0), min_size=n, max_size=n),
        st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n),
    )
)


@given(actors, st.floats(-200.0, 200.0), st.floats(0.0, 1.0))
def test_zero_salience_never_pulls_the_median(
    data: tuple[list[float], list[float], list[float]], where: float, cap: float
) -> None:
    c, x, s = (np.array(v) for v in data)
    before = weighted_median(x, c * s)
    after = weighted_median(np.append(x, where), np.append(c, cap) * np.append(s, 0.0))
    assert after == before


# -- the expected-utility model ---------------------------------------------------------------


def _direct_votes(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    d = np.abs(x[:, :, None] - x[:, None, :])
    return np.einsum("sk,skij->sij", w, np.maximum(d[:, :, None, :] - d[:, :, :, None], 0.0))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20])
def test_positive_votes_match_the_n3_definition(n: int) -> None:
    rng = np.random.default_rng(n)
    for x in (rng.integers(0, 4, (5, n)).astype(float), rng.normal(size=(5, n))):
        w = rng.random((5, n))
        w[:, 0] = 0.0
        np.testing.assert_allclose(positive_votes(x, w), _direct_votes(x, w), atol=1e-12)


def _direct_risk_votes(x: np.ndarray, w: np.ndarray, r: np.ndarray, scale: float) -> np.ndarray:
    d = np.abs(x[:, :, None] - x[:, None, :]) / scale  # [s, k, i]
    u = d ** r[:, :, None]  # voter k's disutility of position i
    return np.einsum("sk,skij->sij", w, np.maximum(u[:, :, None, :] - u[:, :, :, None], 0.0))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20])
def test_risk_weighted_votes_match_the_n3_definition(n: int) -> None:
    rng = np.random.default_rng(100 + n)
    for x in (rng.integers(0, 4, (4, n)) / 3.0, rng.random((4, n))):
        w = rng.random((4, n))
        r = rng.uniform(0.5, 2.0, (4, n))
        got = positive_votes(x, w, r, np.ones(4))
        np.testing.assert_allclose(got, _direct_risk_votes(x, w, r, 1.0), atol=1e-12)


def test_probabilities_paper_sum_to_one_scholz_over_all_pairs() -> None:
    x = np.array([[4.0, 7.0, 10.0, 5.0]])
    w = np.array([[0.3, 0.2, 0.4, 0.1]])
    p = probabilities(x, w, "paper")
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose((p + p.transpose(0, 2, 1))[0][off], 1.0)
    votes = _direct_votes(x, w)
    np.testing.assert_allclose(probabilities(x, w, "scholz"), votes / (2 * votes.sum()))


@pytest.mark.parametrize("variant", ["scholz", "paper"])
@given(data=actors, q=st.sampled_from([1.0, 0.5]))
def test_positions_stay_within_the_initial_range(
    variant: str, data: tuple[list[float], list[float], list[float]], q: float
) -> None:
    c, x, s = (np.array(v) for v in data)
    run = simulate(c, x, s, variant=variant, rounds=6, q=q)  # type: ignore[arg-type]
    assert run.positions.shape == (1, 7, len(x))
    assert (run.positions >= x.min() - 1e-9).all()
    assert (run.positions <= x.max() + 1e-9).all()
    assert ((run.risk >= 0.5 - 1e-12) & (run.risk <= 2 + 1e-12)).all()


@pytest.mark.parametrize("variant", ["scholz", "paper"])
def test_permuting_actors_permutes_results(variant: str) -> None:
    rng = np.random.default_rng(7)
    c, x, s = rng.random(9), rng.random(9) * 10, rng.random(9)
    perm = rng.permutation(9)
    a = simulate(c, x, s, variant=variant)  # type: ignore[arg-type]
    b = simulate(c[perm], x[perm], s[perm], variant=variant)  # type: ignore[arg-type]
    np.testing.assert_allclose(b.positions, a.positions[:, :, perm], atol=1e-9)
    np.testing.assert_allclose(b.medians, a.medians, atol=1e-9)


def test_ec_permuted_rows_same_forecast() -> None:
    t = read_actors("ec-car-emissions")
    perm = np.arange(len(t.actors))[::-1]
    a = simulate(t.capability, t.position, t.salience)
    b = simulate(t.capability[perm], t.position[perm], t.salience[perm])
    np.testing.assert_allclose(b.positions, a.positions[:, :, perm], atol=1e-9)


def test_tolerance_stops_early() -> None:
    t = read_actors("ec-car-emissions")
    run = simulate(t.capability, t.position, t.salience, variant="paper", rounds=10, tol=0.0)
    assert run.positions.shape[1] < 11
    np.testing.assert_array_equal(run.positions[0, -1], run.positions[0, -2])


def test_simulate_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="variant"):
        simulate([1.0], [1.0], [1.0], variant="nope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="salience"):
        simulate([1.0], [1.0], [2.0])
    with pytest.raises(ValueError, match="probabilities"):
        simulate([1.0], [1.0], [1.0], q=1.5)


# REGRESSION TEST: the round-by-round weighted medians that THIS implementation of the `scholz`
# variant gives for the EC car-emission data (Bueno de Mesquita 1994, table 1), to 6 decimals.
# They guard against unintended changes; the comparison with the figures printed by Scholz,
# Calbert & Smith (2011, Table 2) is tests/forecast/test_reproduction.py.
EC_SCHOLZ_MEDIANS_REGRESSION = [
    7.0,
    8.415932,
    9.610859,
    9.96198,
    9.96198,
    9.96198,
    7.472046,
    8.824594,
    9.67113,
    9.67113,
    7.0,
]


def test_ec_scholz_medians_regression() -> None:
    t = read_actors("ec-car-emissions")
    run = simulate(t.capability, t.position, t.salience, variant="scholz", rounds=10)
    np.testing.assert_allclose(run.medians[0], EC_SCHOLZ_MEDIANS_REGRESSION, atol=1e-6)


# -- Monte Carlo ------------------------------------------------------------------------------


def test_monte_carlo_reproducible_with_the_same_seed() -> None:
    t = read_actors("ec-car-emissions")
    a = forecast(t, samples=50, rng=3).to_dict()
    b = forecast(t, samples=50, rng=3).to_dict()
    c = forecast(t, samples=50, rng=4).to_dict()
    assert a == b
    assert a["rounds"][-1]["quantiles"] != c["rounds"][-1]["quantiles"]
    assert set(a["rounds"][0]["quantiles"]["median"]) == {"5", "25", "50", "75", "95"}


@pytest.mark.parametrize("variant", ["scholz", "paper"])
def test_monte_carlo_batch_equals_one_by_one(variant: str) -> None:
    t = read_actors("ec-car-emissions")
    c, x, s = perturb_inputs(t, 20, 11, 0.2)
    batch = simulate(c, x, s, variant=variant)  # type: ignore[arg-type]
    for k in range(20):
        one = simulate(c[k], x[k], s[k], variant=variant)  # type: ignore[arg-type]
        np.testing.assert_allclose(one.positions[0], batch.positions[k], rtol=0, atol=1e-12)
        np.testing.assert_allclose(one.medians[0], batch.medians[k], rtol=0, atol=1e-12)


def test_perturbation_stays_in_valid_ranges() -> None:
    t = read_actors("ec-car-emissions")
    c, x, s = perturb_inputs(t, 500, 0, 1.0)
    assert (c >= 0).all()
    assert ((s >= 0) & (s <= 1)).all()
    assert ((x >= 4) & (x <= 10)).all()


def test_baseline_models() -> None:
    t = parse_actors("actor,capability,position,salience\nA,1,0,1\nB,1,10,0.5\n")
    med = forecast(t, model="median").to_dict()
    assert med["variant"] is None
    assert med["forecast"] == 0.0
    assert len(med["rounds"]) == 1
    mean = forecast(t, model="mean", samples=10, rng=0).to_dict()
    assert mean["forecast"] == pytest.approx(10 / 3, abs=1e-6)
    assert "quantiles" in mean["rounds"][0]
