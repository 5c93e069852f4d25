"""Scale invariance, overflow-free numerics and the documented size limits of the forecasts.

Issue 21: EUM must not depend on the scale of capabilities (only ratios matter, as the README
says); ``forecast --samples`` must not overflow on valid inputs such as capability 1.7e308.
Issue 12 §6: sizes are bounded with a documented limit named in the error, and memory is
estimated before allocating.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zopa.cli import app
from zopa.forecast import ForecastDataError, forecast, parse_actors, weighted_mean
from zopa.forecast.eum import simulate
from zopa.forecast.numerics import (
    MAX_ACTORS,
    MAX_ROUNDS,
    ForecastLimitError,
    from_unit,
    normalised_weights,
    unit_interval,
)

tables = st.integers(min_value=1, max_value=7).flatmap(
    lambda n: st.tuples(
        st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e3)), min_size=n, max_size=n).filter(
            lambda c: max(c) > 0
        ),
        st.lists(st.integers(0, 10).map(float), min_size=n, max_size=n),
        st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(
    tables,
    st.lists(st.integers(-300, 300), min_size=1, max_size=4),
    st.sampled_from(["scholz", "paper"]),
)
def test_scaling_capabilities_leaves_every_round_unchanged(
    data: tuple[list[float], list[float], list[float]], powers: list[int], variant: str
) -> None:
    c, x, s = (np.array(v) for v in data)
    base = simulate(c, x, s, variant=variant, rounds=6)  # type: ignore[arg-type]
    for k in powers:
        scaled = simulate(c * 10.0**k, x, s, variant=variant, rounds=6)  # type: ignore[arg-type]
        np.testing.assert_allclose(scaled.positions, base.positions, rtol=0, atol=1e-9)
        np.testing.assert_allclose(scaled.medians, base.medians, rtol=0, atol=1e-9)
        np.testing.assert_allclose(scaled.means, base.means, rtol=0, atol=1e-9)


@pytest.mark.parametrize("k", [-300, -200, -1, 0, 1, 200, 300])
def test_ec_scaled_by_powers_of_ten(k: int) -> None:
    t = parse_actors(
        "actor,capability,position,salience\n"
        + "".join(
            f"{a},{c * 10.0**k!r},{x},{s}\n"
            for a, c, x, s in [
                ("NL", 0.08, 4, 80),
                ("BE", 0.08, 7, 40),
                ("LU", 0.03, 4, 20),
                ("DE", 0.16, 4, 80),
                ("FR", 0.16, 10, 60),
                ("IT", 0.16, 10, 60),
                ("UK", 0.16, 10, 90),
                ("IE", 0.05, 7, 10),
                ("DK", 0.05, 4, 100),
                ("GR", 0.08, 7, 70),
            ]
        )
    )
    ref = [7.0, 8.415932, 9.610859, 9.96198, 9.96198, 9.96198, 7.472046, 8.824594, 9.67113]
    run = simulate(t.capability, t.position, t.salience, rounds=8)
    np.testing.assert_allclose(run.medians[0], ref, atol=1e-6)


def test_issue_21_two_actors_at_the_largest_capabilities() -> None:
    for cap in (1.0, 1e200, 1e308, 1.7e308):
        run = simulate([cap, cap], [0.0, 1.0], [1.0, 1.0], rounds=3)
        assert run.medians[0, 0] == 0.0
        assert run.means[0, 0] == 0.5
        np.testing.assert_array_equal(
            run.positions, simulate([1, 1], [0, 1], [1, 1], rounds=3).positions
        )


def test_samples_do_not_overflow_on_the_largest_capability() -> None:
    t = parse_actors(
        "actor,capability,position,salience\nA,1.7e308,0,1\nB,1,1,1\nC,1e308,0.5,0.3\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = forecast(t, samples=200, rng=0, perturb=2.0).to_dict()
    assert 0.0 <= d["rounds"][-1]["quantiles"]["median"]["95"] <= 1.0


def test_positions_at_the_ends_of_the_floats() -> None:
    run = simulate([1, 1, 2], [-1e308, 1e308, 1.7e308], [1, 1, 0.5], rounds=4, variant="paper")
    assert np.isfinite(run.positions).all()
    assert (run.positions >= -1e308).all()
    assert (run.positions <= 1.7e308).all()
    assert weighted_mean([-1.7e308, 1.7e308], [1, 1]) == 0.0
    assert weighted_mean([1.7e308, 1.7e308], [1e308, 1e308]) == 1.7e308


@given(st.lists(st.floats(-1.7e308, 1.7e308), min_size=1, max_size=6))
def test_unit_interval_round_trip(values: list[float]) -> None:
    x = np.array([values])
    u, lo, hi = unit_interval(x)
    assert ((u >= 0) & (u <= 1)).all()
    back = from_unit(u, lo, hi)
    assert ((back >= lo[0]) & (back <= hi[0])).all()
    assert back[0, int(np.argmin(x))] == lo[0]
    assert back[0, int(np.argmax(x))] == hi[0]
    span = hi[0] * 0.5 - lo[0] * 0.5
    np.testing.assert_allclose(back * 0.5, x * 0.5, rtol=0, atol=1e-12 * span + 1e-300)


def test_weights_keep_tiny_positive_actors() -> None:
    w = normalised_weights(np.array([[50.0, 5e-324]]), np.array([[0.0, 1.0]]))
    assert w.tolist() == [[0.0, 1.0]]
    w = normalised_weights(np.array([[1e308, 1e-300]]), np.array([[1e-300, 1.0]]))
    assert w[0, 0] == 1.0
    assert w[0, 1] == pytest.approx(1e-308, rel=1e-9)


def test_size_limits_are_named_in_the_errors() -> None:
    with pytest.raises(ValueError, match=f"rounds: expected 0 to {MAX_ROUNDS}"):
        simulate([1.0], [0.0], [1.0], rounds=MAX_ROUNDS + 1)
    n = MAX_ACTORS + 1
    with pytest.raises(ForecastLimitError, match=f"at most {MAX_ACTORS} actors"):
        simulate(np.ones(n), np.arange(n, dtype=float), np.ones(n))
    rows = "".join(f"a{i},1,{i},1\n" for i in range(n))
    with pytest.raises(ForecastDataError, match=rf"f.csv:{n + 1}: more than {MAX_ACTORS} actors"):
        parse_actors("actor,capability,position,salience\n" + rows, "f.csv")


def test_memory_is_checked_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOPA_MEMORY_LIMIT", str(64 * 2**20))
    with pytest.raises(
        ForecastLimitError, match=r"needs about .* GiB; this process may use 0\.1 GiB"
    ):
        simulate(
            np.ones((20_000, 50)), np.tile(np.arange(50.0), (20_000, 1)), np.ones((20_000, 50))
        )
    out = CliRunner().invoke(
        app,
        ["forecast", "ec-car-emissions", "--samples", "2000000"],
        env={"ZOPA_MEMORY_LIMIT": "1e8"},
    )
    assert out.exit_code == 2
    assert "this process may use" in out.output


def test_perturb_is_bounded() -> None:
    t = parse_actors("actor,capability,position,salience\nA,1,0,1\nB,1,1,1\n")
    with pytest.raises(ValueError, match=r"perturb: expected a relative noise size in \[0, 10\]"):
        forecast(t, samples=3, perturb=1e300)


def test_engine_default_seed_is_reproducible() -> None:
    t = parse_actors("actor,capability,position,salience\nA,1,0,1\nB,2,1,0.4\nC,1,0.3,0.9\n")
    assert forecast(t, samples=30).to_dict() == forecast(t, samples=30).to_dict()
    assert forecast(t, samples=30).to_dict()["parameters"]["seed"] == 0
