"""compile_schedule: the walk-away point of every party in every round, from ``dynamics:``.

r_p(t) = clip(r_p + t · (territory_p − cost_of_war_p) + Σ shifts in force, 0, 1); the small
scenario's walk-away points are UA 0.5, RU 0.5 (the point of 0.4–0.6) and US 0.4, in that order.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from zopa.catalog import load
from zopa.io.scenario_file import load_scenario_file, parse_scenario
from zopa.model.dynamics import DEFAULT_ROUNDS
from zopa.model.numbers import Uncertain
from zopa.model.scenario import Scenario
from zopa.robust.sampling import draw_for, sample_inputs, uncertain_inputs
from zopa.simulate.schedule import compile_schedule
from zopa.space.compile import compile_scenario

SMALL = Path(__file__).parents[1] / "io" / "good_scenarios" / "small.yaml"
GOOD = SMALL.with_name("dynamics.yaml")


def small(dynamics: str) -> Scenario:
    """The small scenario with a ``dynamics:`` section (YAML, indented as under the key)."""
    text = (
        SMALL.read_text(encoding="utf-8")
        + "dynamics:\n"
        + textwrap.indent(textwrap.dedent(dynamics), "  ")
    )
    return parse_scenario(text, "small+dynamics.yaml")


# -- without a dynamics section ------------------------------------------------------------------


def test_without_dynamics_the_walk_away_points_stay_put() -> None:
    s = load_scenario_file(SMALL)
    schedule = compile_schedule(s)
    assert schedule.rounds == DEFAULT_ROUNDS == 12
    assert schedule.dates is None
    expected = compile_scenario(s).reservation
    assert_array_equal(schedule.reservation, np.tile(expected, (12, 1)))
    assert_array_equal(expected, [0.5, 0.5, 0.4])
    assert compile_schedule(s, rounds=3).reservation.shape == (3, 3)


def test_rounds_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one round"):
        compile_schedule(load_scenario_file(SMALL), rounds=0)


# -- drift ---------------------------------------------------------------------------------------


def test_drift_arithmetic() -> None:
    s = small(
        """
        rounds: 5
        drift:
          UA: {cost_of_war: 0.01, territory: -0.02, basis: Assumption.}
          RU: {territory: 0.05, basis: Assumption.}
          US: {cost_of_war: 0.1, basis: Assumption.}
        """
    )
    schedule = compile_schedule(s)
    assert schedule.rounds == 5
    assert schedule.dates is None  # no round_days: undated
    t = np.arange(5.0)
    expected = np.column_stack([0.5 - 0.03 * t, 0.5 + 0.05 * t, 0.4 - 0.1 * t])
    expected[4, 2] = 0.0  # 0.4 - 0.4 = 0 (to rounding), clipped
    assert_allclose(schedule.reservation, expected, rtol=0, atol=1e-12)
    assert_array_equal(schedule.reservation[0], [0.5, 0.5, 0.4])  # round 0 is the given point


def test_parties_without_drift_do_not_drift() -> None:
    s = small("rounds: 4\ndrift:\n  UA: {cost_of_war: 0.1, basis: Assumption.}\n")
    reservation = compile_schedule(s).reservation
    assert_array_equal(reservation[:, 1], 0.5)
    assert_array_equal(reservation[:, 2], 0.4)
    assert_allclose(reservation[:, 0], [0.5, 0.4, 0.3, 0.2], atol=1e-12)


def test_walk_away_points_are_clipped_to_the_unit_interval() -> None:
    s = small(
        """
        rounds: 10
        drift:
          UA: {cost_of_war: 0.2, basis: Assumption.}
          RU: {territory: 0.3, basis: Assumption.}
        shifts:
          - {round: 2, event: E, hypothetical: true, parties: {US: 1.0}, basis: Assumption.}
          - {round: 6, event: F, hypothetical: true, parties: {UA: 0.5}, basis: Assumption.}
        """
    )
    reservation = compile_schedule(s).reservation
    assert reservation.min() >= 0.0
    assert reservation.max() <= 1.0
    assert_allclose(reservation[:, 0], [0.5, 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0], atol=1e-12)
    assert_array_equal(reservation[2:, 1], 1.0)
    assert_array_equal(reservation[:, 2], [0.4, 0.4] + [1.0] * 8)
    # the clip applies to each round, not to a running total: UA's shift of +0.5 in round 6
    # lifts 0.5 - 1.2 = -0.7 to -0.2, still clipped to 0
    assert reservation[6, 0] == 0.0


# -- shifts --------------------------------------------------------------------------------------

WEEKLY = """
start: 2025-12-15
round_days: 7
deadline: 2026-03-31
"""


def test_shifts_by_date_and_by_round() -> None:
    s = small(
        WEEKLY
        + textwrap.dedent(
            """
        shifts:
          - {date: 2025-12-22, event: on a round's date, hypothetical: true, parties: {UA: -0.1}, basis: Assumption.}
          - {date: 2026-02-01, event: between rounds, hypothetical: true, parties: {RU: 0.2}, basis: Assumption.}
          - {round: 10, event: by round, hypothetical: true, parties: {US: 0.3, UA: 0.05}, basis: Assumption.}
        """
        )
    )
    schedule = compile_schedule(s)
    assert schedule.rounds == 16
    assert schedule.dates is not None
    assert schedule.dates[1] == dt.date(2025, 12, 22)
    assert schedule.dates[7] == dt.date(2026, 2, 2)  # the first round on or after 1 Feb
    ua, ru, us = schedule.reservation.T
    assert_allclose(ua, [0.5] + [0.4] * 9 + [0.45] * 6, atol=1e-12)
    assert_allclose(ru, [0.5] * 7 + [0.7] * 9, atol=1e-12)
    assert_allclose(us, [0.4] * 10 + [0.7] * 6, atol=1e-12)


def test_shifts_dated_before_the_start_are_ignored() -> None:
    s = small(
        WEEKLY
        + textwrap.dedent(
            """
        shifts:
          - {date: 2025-12-10, event: reported, parties: {UA: -0.3}, basis: Assumption., source: src1}
          - {date: 2025-12-14, event: the day before, parties: {RU: 0.3}, basis: Assumption., source: src1}
        """
        )
    )
    assert_array_equal(compile_schedule(s).reservation, np.tile([0.5, 0.5, 0.4], (16, 1)))


def test_a_shift_on_the_start_date_applies_from_round_0() -> None:
    s = small(
        "start: 2025-12-14\nround_days: 7\nrounds: 3\nshifts:\n"
        "  - {date: 2025-12-14, event: E, parties: {UA: -0.1}, basis: Assumption., source: src1}\n"
    )
    assert_allclose(compile_schedule(s).reservation[:, 0], [0.4, 0.4, 0.4], atol=1e-12)


def test_replaying_from_an_earlier_start_applies_reported_shifts() -> None:
    s = small(
        "start: 2025-12-01\nround_days: 7\nrounds: 4\nshifts:\n"
        "  - {date: 2025-12-10, event: E, parties: {UA: -0.1}, basis: Assumption., source: src1}\n"
    )
    assert_allclose(compile_schedule(s).reservation[:, 0], [0.5, 0.5, 0.4, 0.4], atol=1e-12)


# -- the calendar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "rounds", "last"),
    [
        ("2026-03-31", 16, "2026-03-30"),  # 106 days: rounds on days 0, 7, ..., 105
        ("2026-03-30", 16, "2026-03-30"),  # a deadline on a round's date includes that round
        ("2026-03-29", 15, "2026-03-23"),
        ("2025-12-15", 1, "2025-12-15"),
    ],
)
def test_deadline_to_rounds(deadline: str, rounds: int, last: str) -> None:
    s = small(f"start: 2025-12-15\nround_days: 7\ndeadline: {deadline}\n")
    schedule = compile_schedule(s)
    assert schedule.rounds == rounds
    assert schedule.dates is not None
    assert schedule.dates[0] == dt.date(2025, 12, 15)
    assert schedule.dates[-1] == dt.date.fromisoformat(last)
    steps = {(b - a).days for a, b in zip(schedule.dates, schedule.dates[1:], strict=False)}
    assert steps <= {7}


def test_start_defaults_to_as_of() -> None:
    schedule = compile_schedule(small("round_days: 2\nrounds: 3\n"))
    assert schedule.dates == (dt.date(2025, 12, 14), dt.date(2025, 12, 16), dt.date(2025, 12, 18))


def test_rounds_argument_overrides_the_deadline() -> None:
    s = small(WEEKLY + "drift:\n  UA: {cost_of_war: 0.01, basis: Assumption.}\n")
    longer = compile_schedule(s, rounds=20)
    assert longer.rounds == 20
    assert longer.dates is not None
    assert longer.dates[-1] == dt.date(2025, 12, 15) + dt.timedelta(days=7 * 19)
    assert longer.reservation[19, 0] == pytest.approx(0.5 - 0.19)
    shorter = compile_schedule(s, rounds=2)
    assert shorter.reservation.shape == (2, 3)
    assert_array_equal(shorter.reservation, longer.reservation[:2])


def test_a_shift_after_an_overridden_deadline_never_applies() -> None:
    s = small(
        "rounds: 8\nshifts:\n"
        "  - {round: 5, event: E, hypothetical: true, parties: {UA: 0.2}, basis: Assumption.}\n"
    )
    assert_array_equal(compile_schedule(s, rounds=5).reservation[:, 0], 0.5)
    assert compile_schedule(s, rounds=6).reservation[5, 0] == pytest.approx(0.7)


# -- draws ---------------------------------------------------------------------------------------


def test_draw_is_used_for_every_number() -> None:
    s = load_scenario_file(GOOD)  # UA drifts with ranges, RU 0.002, shifts with ranges

    def high(x: float | Uncertain) -> float:
        return x.high if isinstance(x, Uncertain) else float(x)

    reservation = compile_schedule(s, draw=high).reservation
    ua, ru = reservation[:, 0], reservation[:, 1]
    t = np.arange(16)
    # UA: 0.5 + t(0 − 0.012), +0.02 from round 3, −0.02 from round 7 (2 Feb)
    assert_allclose(ua, 0.5 - 0.012 * t + 0.02 * (t >= 3) - 0.02 * (t >= 7), atol=1e-12)
    # RU: walk-away high 0.6, 0.6 − 0.002 t, +0.05 from round 7
    assert_allclose(ru, 0.6 - 0.002 * t + 0.05 * (t >= 7), atol=1e-12)


def test_sampled_draws_match_the_compiled_space() -> None:
    s = load_scenario_file(GOOD)
    inputs = uncertain_inputs(s)
    rows = sample_inputs(inputs, 20, 5)
    paths = [i.path for i in inputs]
    for row in rows:
        draw = draw_for(inputs, row)
        space = compile_scenario(s, draw=draw)
        schedule = compile_schedule(s, draw=draw)
        assert_array_equal(schedule.reservation[0], np.clip(space.reservation, 0, 1))
        assert_array_equal(
            compile_schedule(s, draw=draw, space=space).reservation, schedule.reservation
        )
        slope = (
            row[paths.index("dynamics.drift.UA.territory")]
            - row[paths.index("dynamics.drift.UA.cost_of_war")]
        )
        assert schedule.reservation[2, 0] - schedule.reservation[1, 0] == pytest.approx(slope)


# -- the default scenario ------------------------------------------------------------------------


def test_berlin_schedule() -> None:
    s = load()
    schedule = compile_schedule(s)
    space = compile_scenario(s)
    assert schedule.rounds == 16
    assert schedule.dates is not None
    assert schedule.dates[0] == dt.date(2025, 12, 15)
    assert schedule.dates[-1] == dt.date(2026, 3, 30)
    assert schedule.reservation.shape == (16, len(space.parties))
    assert_array_equal(schedule.reservation[0], space.reservation)
    ua, ru = space.parties.index("UA"), space.parties.index("RU")
    assert schedule.reservation[-1, ua] < schedule.reservation[0, ua]  # the war wears Kyiv down
    assert schedule.reservation[-1, ru] >= schedule.reservation[0, ru]
    for p in ("CA", "JP"):  # no drift, no shifts
        assert_array_equal(
            schedule.reservation[:, space.parties.index(p)],
            space.reservation[space.parties.index(p)],
        )


def test_berlin_sampled_schedules_stay_in_range() -> None:
    s = load()
    inputs = uncertain_inputs(s)
    for row in sample_inputs(inputs, 50, 11, method="lhs"):
        reservation = compile_schedule(s, draw=draw_for(inputs, row)).reservation
        assert reservation.shape == (16, 6)
        assert ((reservation >= 0) & (reservation <= 1)).all()


# -- a property ----------------------------------------------------------------------------------

unit = st.floats(0, 1, allow_nan=False)
drift_entry = st.fixed_dictionaries(
    {"cost_of_war": unit, "territory": st.floats(-1, 0, allow_nan=False)}
)


@settings(max_examples=60)
@given(
    st.lists(unit, min_size=3, max_size=3),
    st.dictionaries(st.sampled_from(["UA", "RU", "US"]), drift_entry),
    st.integers(1, 40),
)
def test_non_positive_drift_never_raises_a_walk_away_point(
    reservations: list[float], drift: dict[str, dict[str, float]], rounds: int
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    for party, value in zip(("UA", "RU", "US"), reservations, strict=True):
        old = {"UA": "0.5", "RU": "{low: 0.4, high: 0.6}", "US": "0.4"}[party]
        text = text.replace(f"    reservation: {old}\n", f"    reservation: {value!r}\n", 1)
    entries = "".join(
        f"    {p}: {{cost_of_war: {d['cost_of_war']!r}, territory: {d['territory']!r}, "
        "basis: Assumption.}\n"
        for p, d in drift.items()
    )
    text += f"dynamics:\n  rounds: {rounds}\n" + (f"  drift:\n{entries}" if entries else "")
    schedule = compile_schedule(parse_scenario(text))
    assert_allclose(schedule.reservation[0], reservations)
    assert (np.diff(schedule.reservation, axis=0) <= 0).all()
    assert ((schedule.reservation >= 0) & (schedule.reservation <= 1)).all()
