"""Tournaments: profiles, sampled inputs, executors that agree exactly."""

import json

import numpy as np
import pytest
from tests.conftest import SMALL_SCENARIO

from zopa.catalog import load
from zopa.io.scenario_file import load_scenario_file
from zopa.robust.sampling import chunk_plan, draw_for, sample_inputs, uncertain_inputs
from zopa.simulate.protocol import simulate
from zopa.simulate.schedule import compile_schedule
from zopa.simulate.strategies import STRATEGIES
from zopa.simulate.tournament import strategy_profiles, tournament
from zopa.space.compile import compile_scenario


@pytest.fixture(scope="module")
def small():
    return load_scenario_file(SMALL_SCENARIO)


def test_profiles_cover_every_combination():
    profiles = strategy_profiles(["A", "B", "C"], ["A", "C"], ["linear", "hardliner"], "conceder")
    assert profiles == [
        {"A": "linear", "B": "conceder", "C": "linear"},
        {"A": "linear", "B": "conceder", "C": "hardliner"},
        {"A": "hardliner", "B": "conceder", "C": "linear"},
        {"A": "hardliner", "B": "conceder", "C": "hardliner"},
    ]
    with pytest.raises(ValueError, match="unknown strategy"):
        strategy_profiles(["A"], ["A"], ["nice"])


def test_serial_and_process_pool_agree_exactly(small):
    serial = tournament(small, samples=7, seed=11, chunk_size=2, workers=1)
    pool = tournament(small, samples=7, seed=11, chunk_size=2, workers=2)
    assert pool.to_dict() == serial.to_dict()


def test_default_varies_the_core_parties(small):
    result = tournament(small, samples=2, seed=0)
    assert result.varied == ("UA", "RU")  # US is needed only for a closed NATO door
    assert len(result.profiles) == len(STRATEGIES) ** 2
    assert all(p.profile["US"] == "linear" for p in result.profiles)
    assert result.negotiations == 2 * 36
    assert result.rounds == [12]


def test_a_tournament_replays_simulate_on_each_sample(small):
    seed, samples, chunk = 5, 5, 2
    result = tournament(
        small,
        strategies=["conceder", "boulware"],
        parties=["UA", "US"],
        default="linear",
        samples=samples,
        seed=seed,
        chunk_size=chunk,
    )
    inputs = uncertain_inputs(small)
    rows = np.concatenate(
        [
            sample_inputs(inputs, c.count, np.random.default_rng(c.seed))
            for c in chunk_plan(samples, chunk, seed)
        ]
    )
    for stats in result.profiles:
        outcomes = []
        for row in rows:
            draw = draw_for(inputs, row)
            space = compile_scenario(small, draw)
            outcomes.append(
                simulate(space, compile_schedule(small, draw, None, space=space), stats.profile)
            )
        agreed = [o for o in outcomes if o.agreement is not None]
        assert stats.agreements == len(agreed)
        for party in small.preferences:
            mean = sum(o.final_utilities[party] for o in outcomes) / samples
            assert stats.mean_utility[party] == pytest.approx(mean, abs=1e-9)
        if agreed:
            assert stats.mean_rounds == pytest.approx(
                sum(o.agreed_round + 1 for o in agreed) / len(agreed)
            )
            # the same numbering as a simulation's agreed_round
            assert stats.mean_agreed_round == pytest.approx(
                sum(o.agreed_round for o in agreed) / len(agreed)
            )
            distances = [o.nash_distance for o in agreed if o.nash_distance is not None]
            if distances:
                assert stats.mean_nash_distance == pytest.approx(sum(distances) / len(distances))
        else:
            assert stats.mean_rounds is None
            assert stats.mean_agreed_round is None


def test_by_strategy_averages_the_profiles(small):
    result = tournament(small, strategies=["linear", "hardliner", "conceder"], samples=3, seed=2)
    for entry in result.by_strategy:
        matching = [p for p in result.profiles if p.profile[entry.party] == entry.strategy]
        assert entry.negotiations == sum(p.negotiations for p in matching)
        assert entry.agreement_rate == pytest.approx(
            sum(p.agreements for p in matching) / entry.negotiations
        )
        assert entry.mean_utility == pytest.approx(
            sum(p.mean_utility[entry.party] for p in matching) / len(matching)
        )


def test_errors(small):
    with pytest.raises(ValueError, match="unknown party XX"):
        tournament(small, parties=["XX"], samples=1)
    with pytest.raises(ValueError, match="at least one strategy"):
        tournament(small, strategies=[], samples=1)


def test_berlin_tournament_json():
    result = tournament(load(), strategies=["linear", "hardliner"], samples=1, seed=0)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["varied"] == ["UA", "RU", "EU"]
    assert len(data["profiles"]) == 8
    first = data["profiles"][0]
    assert set(first) == {
        "profile",
        "negotiations",
        "agreements",
        "agreement_rate",
        "mean_utility",
        "mean_rounds",
        "mean_agreed_round",
        "mean_nash_distance",
    }
    hard = [p for p in data["profiles"] if p["profile"]["RU"] == "hardliner"]
    assert len(hard) == 4
    assert all(p["agreements"] == 0 for p in hard)  # Russia's best is nobody else's


def test_progress_and_a_clean_interrupt(small):
    seen = []
    tournament(
        small,
        strategies=["linear"],
        samples=5,
        chunk_size=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as interrupted:
        tournament(small, strategies=["linear"], samples=5, chunk_size=2, progress=stop)
    assert interrupted.value.samples_done == 2
