"""The backtest engine (:mod:`zopa.backtest`) on synthetic scenarios computed by hand.

See :mod:`tests.backtest.scenarios` for the utilities of every package.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from tests.backtest.scenarios import AGREED, BROKE_DOWN, scenario_text

import zopa
from zopa.backtest import backtest_scenario
from zopa.backtest.run import (
    THIN_MARGIN,
    THIN_PROBABILITY,
    ScenarioBacktest,
    TargetBacktest,
    classify_zone,
    p_fits,
    record_dates,
)
from zopa.io.scenario_file import parse_scenario
from zopa.model.scenario import Scenario

DATES = [dt.date(2020, 1, 10), dt.date(2020, 1, 12), dt.date(2020, 2, 1)]


def scenario(outcome: str = AGREED, **kwargs: str) -> Scenario:
    return parse_scenario(scenario_text(outcome, **kwargs))


@pytest.fixture(scope="module")
def point_run() -> ScenarioBacktest:
    return backtest_scenario(scenario(), samples=0)


@pytest.fixture(scope="module")
def sampled_run() -> ScenarioBacktest:
    return backtest_scenario(scenario(), samples=2_000, seed=3)


def final(run: ScenarioBacktest) -> TargetBacktest:
    return run.targets[0]


def test_every_date_of_the_record_before_the_outcome_is_analysed(
    point_run: ScenarioBacktest,
) -> None:
    t = final(point_run)
    assert [d.date for d in t.dates] == DATES
    assert [(d.proposals, d.reactions) for d in t.dates] == [(1, 0), (1, 1), (2, 1)]
    assert [d.new for d in t.dates] == [("east",), (), ("west",)]
    assert record_dates(scenario(), dt.date(2020, 2, 1)) == DATES[:2]  # strictly before


def test_the_agreed_package_is_acceptable_ranked_second_one_issue_from_the_solutions(
    point_run: ScenarioBacktest,
) -> None:
    for d in final(point_run).dates:
        assert d.acceptable is True
        assert d.rejecting == ()
        assert d.slack == pytest.approx(0.1)  # B: 0.4 - 0.3
        assert (d.rank, d.ranked) == (2, 2)  # products 0.05 and 0.035
        assert d.margin == pytest.approx(0.1)
        assert d.zone == "wide"  # no samples: the margin alone, 0.1 >= 0.05
        assert d.consistent is True
        assert d.nash is not None
        assert d.kalai_smorodinsky is not None
        assert (d.nash.issues, d.nash.differing, d.nash.solution) == (
            1,
            ("x",),
            {"x": "a0", "y": "b1"},
        )
        assert (d.kalai_smorodinsky.issues, d.kalai_smorodinsky.solution) == (
            1,
            {"x": "a0", "y": "b1"},
        )
        assert d.full is None
        assert d.dated is None
    assert final(point_run).consistent_dates == 3
    assert final(point_run).consistent_since == DATES[0]


def test_the_nash_package_ranks_first_at_distance_zero() -> None:
    nash = AGREED.replace("x: {option: a1, source: signed}", "x: {option: a0, source: signed}")
    d = final(backtest_scenario(scenario(nash), samples=0)).dates[-1]
    assert (d.rank, d.ranked) == (1, 2)
    assert d.nash is not None
    assert d.kalai_smorodinsky is not None
    assert (d.nash.issues, d.nash.differing) == (0, ())
    assert d.kalai_smorodinsky.issues == 0


def test_an_unacceptable_agreed_package_is_inconsistent_and_unranked() -> None:
    far = AGREED.replace("x: {option: a1, source: signed}", "x: {option: a2, source: signed}")
    d = final(backtest_scenario(scenario(far), samples=0)).dates[0]
    assert d.acceptable is False
    assert d.rejecting == ("B",)
    assert d.slack == pytest.approx(-0.3)
    assert d.rank is None
    assert d.ranked is None
    assert d.consistent is False


def test_a_space_too_large_to_rank_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from zopa.backtest import run  # the module (the attribute zopa.backtest is the facade)

    monkeypatch.setattr(run, "MAX_RANKED", 5)  # the space has 6 packages
    d = final(backtest_scenario(scenario(), samples=0)).dates[0]
    assert d.acceptable is True
    assert d.rank is None
    assert any("not ranked" in n for n in d.notes)


def test_the_probability_of_acceptance_is_the_walk_away_cdf(
    sampled_run: ScenarioBacktest,
) -> None:
    # accepted by B when r_B <= 0.4, r_B ~ triangular(0.2, 0.3, 0.5): 1 - 0.1²/(0.3·0.2)
    expected = 1 - 0.01 / 0.06
    tolerance = 4 * math.sqrt(expected * (1 - expected) / 2_000)
    for d in final(sampled_run).dates:
        assert d.full is not None
        assert d.full.p_acceptable == pytest.approx(expected, abs=tolerance)
        assert d.full.p_zone == 1.0  # (a0, b1) gives both a gain in every sample
        assert d.full.varied == 2
        assert d.zone == "wide"


def test_the_dated_run_holds_the_hindsight_numbers(sampled_run: ScenarioBacktest) -> None:
    # only r_A (basis dated before) varies; r_B held at 0.3 <= 0.4: always accepted
    for d in final(sampled_run).dates:
        assert d.dated is not None
        assert d.dated.varied == 1
        assert d.dated.p_acceptable == 1.0
    last = final(sampled_run).dates[-1]
    assert last.full is not None
    assert last.full.hinges[0].path == "preferences.B.reservation"
    assert last.full.hinges[0].dated_before is False
    assert last.full.hinges_on_hindsight


def test_the_runs_are_conditioned_on_the_reactions_known_then(
    sampled_run: ScenarioBacktest,
) -> None:
    methods = [d.full.conditioning for d in final(sampled_run).dates if d.full is not None]
    assert methods[0] == "none"  # no reaction yet on 2020-01-10
    assert methods[1] in ("rejection", "smc")


def test_a_rejected_interim_package_is_consistent_when_someone_rejects_it(
    sampled_run: ScenarioBacktest,
) -> None:
    interim = sampled_run.targets[1]
    assert interim.target.key == "interim-1"
    assert interim.target.status == "rejected"
    assert [d.date for d in interim.dates] == DATES[:2]  # before 2020-01-20
    for d in interim.dates:
        assert d.acceptable is False
        assert d.rejecting == ("B",)
        assert d.consistent is True
        assert p_fits(interim.target, d.full) == 1.0  # u_B = 0 < r_B in every sample


@pytest.mark.parametrize(
    ("r_a", "margin", "zone", "consistent"),
    [
        ("0.8", -0.05, "none", True),  # best: (a1, b1), A short by 0.05
        ("0.72", 0.03, "thin", True),  # (a1, b1): A +0.03, B +0.1
        ("0.4", 0.1, "wide", False),
    ],
)
def test_a_breakdown_is_consistent_with_no_zone_or_a_thin_one(
    r_a: str, margin: float, zone: str, consistent: bool
) -> None:
    t = final(backtest_scenario(scenario(BROKE_DOWN, r_a=r_a), samples=0))
    assert t.target.package is None
    for d in t.dates:
        assert d.margin == pytest.approx(margin)
        assert d.zone == zone
        assert d.consistent is consistent
        assert d.acceptable is None
        assert d.rank is None


def test_a_breakdown_with_samples_reports_the_chance_of_a_zone() -> None:
    t = final(backtest_scenario(scenario(BROKE_DOWN, r_a="0.72"), samples=200))
    d = t.dates[0]
    assert d.full is not None
    assert d.full.p_acceptable is None
    # (a1, b1) is acceptable to B when r_B <= 0.4 (5/6 of the draws); (a0, b1) never to A
    assert 0.7 < d.full.p_zone < 0.95
    assert p_fits(t.target, d.full) == pytest.approx(1 - d.full.p_zone)


def test_thin_is_a_small_margin_or_an_unlikely_zone() -> None:
    assert classify_zone(-1e-9, None) == "none"
    assert classify_zone(0.0, None) == "thin"
    assert classify_zone(THIN_MARGIN - 1e-9, 0.99) == "thin"
    assert classify_zone(THIN_MARGIN, None) == "wide"
    assert classify_zone(0.3, THIN_PROBABILITY - 0.01) == "thin"
    assert classify_zone(0.3, THIN_PROBABILITY) == "wide"


def test_no_dated_run_when_no_uncertain_number_is_dated_before() -> None:
    t = final(backtest_scenario(scenario(r_a="0.4"), samples=50))
    d = t.dates[0]
    assert d.full is not None
    assert d.dated is None
    assert any("nothing would vary" in n for n in d.notes)


def test_the_dated_run_is_the_full_run_when_every_uncertain_number_is_dated() -> None:
    text = scenario_text().replace("from the memoir [late]", "from the press [early]")
    t = final(backtest_scenario(parse_scenario(text), samples=50))
    assert all(d.dated is d.full for d in t.dates)
    assert t.dated_numbers == len(t.numbers) == 16


def test_the_same_seed_gives_the_same_backtest_serial_or_parallel() -> None:
    s = scenario()
    one = backtest_scenario(s, samples=300, seed=7, workers=1).to_dict()
    again = backtest_scenario(s, samples=300, seed=7, workers=1).to_dict()
    parallel = backtest_scenario(s, samples=300, seed=7, workers=2).to_dict()
    assert one == again == parallel
    other = backtest_scenario(s, samples=300, seed=8, workers=1).to_dict()
    assert other != one


def test_a_scenario_without_an_ended_outcome_cannot_be_backtested() -> None:
    with pytest.raises(ValueError, match="no outcome section"):
        backtest_scenario(zopa.load("tests/io/good_scenarios/reactions.yaml"), samples=0)
    pending = zopa.model.as_of_cut(scenario(), "2020-02-01").scenario
    assert pending.outcome is not None
    assert pending.outcome.status == "pending"
    with pytest.raises(ValueError, match="pending"):
        backtest_scenario(pending, samples=0)


def test_the_analysis_at_a_date_does_not_see_the_outcome() -> None:
    from zopa.space.timeline import dated_scenario

    s = scenario()
    early = dated_scenario(s, DATES[0])
    assert early.outcome is None  # the interim outcome (2020-01-20) is later too
    later = dated_scenario(s, DATES[-1])
    assert later.outcome is not None
    assert later.outcome.status == "pending"
    assert [step.date for step in later.outcome.interim] == [dt.date(2020, 1, 20)]
    assert "signed" not in later.sources  # cited only by the final outcome, dated on its day
