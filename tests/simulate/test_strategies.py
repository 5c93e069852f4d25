"""Concession curves and tit-for-tat (Faratin, Sierra & Jennings 1998), and strategy profiles."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.simulate.strategies import (
    CODE,
    STRATEGIES,
    StrategyProfile,
    concession_curve,
    concession_fraction,
    time_dependent_aspiration,
    tit_for_tat,
)

unit = st.floats(0.0, 1.0, allow_nan=False)


def test_strategy_names_and_codes():
    assert STRATEGIES == (
        "boulware",
        "linear",
        "conceder",
        "tft-relative",
        "tft-absolute",
        "hardliner",
    )
    assert [CODE[s] for s in STRATEGIES] == list(range(6))


def test_boulware_above_linear_above_conceder_at_mid_time():
    curves = {s: concession_curve(s, 11, 1.0, 0.4) for s in ("boulware", "linear", "conceder")}
    mid = 5
    assert curves["boulware"][mid] > curves["linear"][mid] > curves["conceder"][mid]
    assert curves["linear"][mid] == pytest.approx(0.7)
    # Faratin et al.'s F(t) = (t/T)^(1/e) at t/T = 0.5: 0.5^5 and 0.5^0.2
    assert curves["boulware"][mid] == pytest.approx(1 - 0.6 * 0.5**5)
    assert curves["conceder"][mid] == pytest.approx(1 - 0.6 * 0.5**0.2)


@given(
    rounds=st.integers(2, 40),
    best=unit,
    reservation=unit,
    data=st.data(),
)
def test_time_dependent_curves_are_ordered_and_span_best_to_walk_away(
    rounds, best, reservation, data
):
    reservation = min(reservation, best)
    t = data.draw(st.integers(0, rounds - 1))
    a = {
        s: time_dependent_aspiration(t, rounds, best, reservation, e)
        for s, e in (("boulware", 0.2), ("linear", 1.0), ("conceder", 5.0))
    }
    assert a["boulware"] >= a["linear"] - 1e-12
    assert a["linear"] >= a["conceder"] - 1e-12
    curve = concession_curve("linear", rounds, best, reservation)
    assert curve[0] == pytest.approx(best)
    assert curve[-1] == pytest.approx(reservation)
    assert (np.diff(curve) <= 1e-12).all()


def test_concession_fraction_edges():
    assert concession_fraction([0, 9], 10, 1.0).tolist() == [0.0, 1.0]
    assert concession_fraction([0], 1, 0.2).tolist() == [1.0]  # the only round is the last
    assert concession_fraction([0], 5, 1.0, k=0.3).tolist() == [0.3]
    with pytest.raises(ValueError, match="positive"):
        concession_fraction([0], 5, 0.0)


def test_hardliner_curve_is_flat_and_tft_has_none():
    assert concession_curve("hardliner", 4, 0.9, [0.5, 0.4, 0.95, 0.3]).tolist() == [
        0.9,
        0.9,
        0.95,
        0.9,
    ]
    with pytest.raises(ValueError, match="reacts"):
        concession_curve("tft-relative", 4, 0.9, 0.5)


def test_tit_for_tat_absolute_and_relative():
    # opponents' offers rose from 0.3 to 0.4 in my utility
    assert float(tit_for_tat(0.9, 0.3, 0.4, relative=False)) == pytest.approx(0.8)
    assert float(tit_for_tat(0.9, 0.3, 0.4, relative=True)) == pytest.approx(0.9 * 0.75)
    # a retraction raises the demand; no movement, no change
    assert float(tit_for_tat(0.7, 0.4, 0.3, relative=False)) == pytest.approx(0.8)
    assert float(tit_for_tat(0.7, 0.4, 0.4, relative=True)) == pytest.approx(0.7)
    assert float(tit_for_tat(0.7, 0.4, 0.0, relative=True)) == pytest.approx(0.7)


def test_profile_parse_and_codes():
    profile = StrategyProfile.parse("UA=boulware, RU=hardliner")
    assert profile.of("UA") == "boulware"
    assert profile.of("US") == "linear"
    assert profile.codes(["UA", "RU", "US"]).tolist() == [0, 5, 1]
    assert StrategyProfile.parse("conceder,RU=hardliner").resolved(["UA", "RU"]) == {
        "UA": "conceder",
        "RU": "hardliner",
    }
    assert profile.to_dict() == {
        "strategies": {"UA": "boulware", "RU": "hardliner"},
        "default": "linear",
    }


def test_profile_errors():
    with pytest.raises(ValueError, match="unknown strategy 'tough'"):
        StrategyProfile.parse("UA=tough")
    with pytest.raises(ValueError, match="no party"):
        StrategyProfile.parse("=linear")
    with pytest.raises(ValueError, match="unknown party XX"):
        StrategyProfile({"XX": "linear"}).check_parties(["UA", "RU"])
