"""Conditioning the sampled inputs on the reactions: the samplers, the fallback, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.robust.reaction_scenarios import (
    CALIBRATION,
    CLOSED_FORM,
    berlin_with_reactions,
    reaction,
    with_reactions,
)

import zopa
from zopa.evidence.likelihood import likelihood
from zopa.robust.condition import condition, input_shifts
from zopa.robust.proposals import space_inputs
from zopa.robust.record import Record
from zopa.robust.sampling import Prior, sample_inputs
from zopa.robust.smc import kish, systematic

LOW, HIGH = 0.2, 0.8  # A's walk-away point in the closed-form scenario: uniform


def _ks_uniform(x: np.ndarray, a: float, b: float) -> float:
    """Kolmogorov–Smirnov distance between a sample and the uniform distribution on [a, b]."""
    x = np.sort(x)
    n = len(x)
    f = np.clip((x - a) / (b - a), 0, 1)
    i = np.arange(1, n + 1)
    return float(np.max(np.maximum(i / n - f, f - (i - 1) / n)))


def _closed(*reactions: tuple[str, str]) -> zopa.Scenario:
    return with_reactions(
        CLOSED_FORM, [reaction("A", p, s, day) for day, (p, s) in enumerate(reactions)]
    )


# -- exact posteriors --------------------------------------------------------------------------


def test_rejection_gives_the_truncated_uniform() -> None:
    found = condition(_closed(("half", "accepts")), 4000, seed=3)
    r = found.rows[:, 0]
    assert found.method == "rejection"
    assert found.explained
    assert found.ess == 4000
    assert r.min() >= LOW
    assert r.max() <= 0.5
    assert _ks_uniform(r, LOW, 0.5) < 1.36 / math.sqrt(len(r))  # 5% critical value
    assert found.acceptance_rate == pytest.approx((0.5 - LOW) / (HIGH - LOW), abs=0.01)
    assert found.marginal_likelihood == pytest.approx(0.5, abs=0.01)
    evidence = found.reactions[0]
    assert evidence.prior_consistent == pytest.approx(0.5, abs=0.01)
    assert evidence.mass_removed == pytest.approx(0.5, abs=0.01)
    assert evidence.posterior_consistent == 1.0


def test_a_rejection_keeps_the_other_side() -> None:
    found = condition(_closed(("half", "rejects")), 3000, seed=4)
    r = found.rows[:, 0]
    assert r.min() > 0.5
    assert r.max() <= HIGH
    assert _ks_uniform(r, 0.5, HIGH) < 1.36 / math.sqrt(len(r))


def test_rejection_with_a_soft_stance_matches_the_integral() -> None:
    found = condition(_closed(("half", "basis-for-talks")), 6000, seed=5)
    r = found.rows[:, 0]
    grid = np.linspace(LOW, HIGH, 20_001)
    weight = likelihood("basis-for-talks", 0.5 - grid)
    mean = float((grid * weight).sum() / weight.sum())
    sd = math.sqrt(float(((grid - mean) ** 2 * weight).sum() / weight.sum()))
    assert abs(r.mean() - mean) < 4 * sd / math.sqrt(len(r))
    assert found.marginal_likelihood == pytest.approx(float(weight.mean()), abs=0.01)
    assert found.reactions[0].mass_removed == pytest.approx(1 - float(weight.mean()), abs=0.01)


def test_smc_agrees_with_the_closed_form() -> None:
    found = condition(_closed(("half", "accepts")), 3000, seed=6, sampler="smc")
    r = found.rows[:, 0]
    assert found.method == "smc"
    assert found.run is not None
    assert found.run.reached
    assert r.min() >= LOW
    assert r.max() <= 0.5
    assert _ks_uniform(r, LOW, 0.5) < 0.05  # correlated particles: a looser bound
    assert found.marginal_likelihood == pytest.approx(0.5, abs=0.05)


def test_smc_agrees_with_rejection_on_several_inputs() -> None:
    s = with_reactions(
        CALIBRATION,
        [
            reaction("A", "p11", "accepts", 1),
            reaction("B", "p11", "rejects", 2),
            reaction("A", "p21", "basis-for-talks", 3),
            reaction("B", "p12", "unacceptable-as-is", 4),
            reaction("B", "p22", "accepts", 5),
        ],
    )
    exact = condition(s, 4000, seed=7, sampler="rejection")
    moved = condition(s, 4000, seed=7, sampler="smc")
    assert exact.method == "rejection"
    assert moved.method == "smc"
    prior_sd = sample_inputs(space_inputs(s), 20_000, 0).std(axis=0)
    for j in range(exact.rows.shape[1]):
        a, b = exact.rows[:, j], moved.rows[:, j]
        assert abs(a.mean() - b.mean()) < 0.1 * prior_sd[j], j
        assert abs(np.median(a) - np.median(b)) < 0.15 * prior_sd[j], j
    assert moved.marginal_likelihood == pytest.approx(exact.marginal_likelihood, rel=0.2)


def test_auto_switches_to_smc_when_rejection_would_exceed_its_budget() -> None:
    found = condition(_closed(("edge", "accepts")), 1000, seed=8)
    assert found.method == "smc"
    assert found.acceptance_rate == pytest.approx(0.003 / 0.6, abs=0.002)
    r = found.rows[:, 0]
    assert r.min() >= LOW
    assert r.max() <= 0.203
    assert found.ess > 0
    assert found.run is not None
    assert found.run.move_acceptance > 0


# -- a record the ranges cannot explain --------------------------------------------------------


def test_a_record_no_sample_explains_falls_back_to_the_prior_and_warns() -> None:
    s = _closed(("low", "accepts"), ("half", "accepts"))
    found = condition(s, 500, seed=9)
    assert found.method == "prior"
    assert not found.explained
    assert found.warnings
    assert "cannot explain the record" in found.warnings[0]
    assert "A accepts low" in found.warnings[0]
    first = found.warnings[0].index("A accepts low")
    assert first < found.warnings[0].index("A accepts half")  # the worst conflict first
    assert found.reactions[0].prior_consistent == 0.0
    r = zopa.robust(s, samples=300, workers=1)
    data = r.to_dict()
    assert any("cannot explain the record" in w for w in r.warnings)
    assert data["conditioning"]["method"] == "prior"
    assert data["proposals"] == data["prior"]["proposals"]  # the prior's conclusions
    assert not r.given_reactions
    assert "cannot explain the record" in r.to_markdown()


def test_a_record_only_a_sliver_of_the_ranges_explains_is_sampled_and_warned_about() -> None:
    found = condition(_closed(("sliver", "accepts")), 500, seed=15)
    assert found.method == "smc"
    assert found.explained
    assert found.accepted == 0
    r = found.rows[:, 0]
    assert r.min() >= LOW
    assert r.max() <= 0.20001
    assert found.marginal_likelihood == pytest.approx(0.00001 / 0.6, rel=0.5)
    assert "none of the 10,000 prior samples drawn explains the record" in found.warnings[0]


def test_two_reactions_in_conflict_are_named_with_what_the_rest_explains() -> None:
    s = _closed(("half", "rejects"), ("edge", "accepts"))
    found = condition(s, 300, seed=10)
    assert not found.explained
    by_proposal = {e.reaction.proposal: e for e in found.reactions}
    assert by_proposal["edge"].prior_consistent == pytest.approx(0.005, abs=0.003)
    assert by_proposal["edge"].rest_explained == pytest.approx(0.5, abs=0.02)
    assert by_proposal["half"].rest_explained == pytest.approx(0.005, abs=0.003)
    assert found.warnings[0].index("A accepts edge") < found.warnings[0].index("A rejects half")


# -- reproducibility ---------------------------------------------------------------------------


def _record_scenario() -> zopa.Scenario:
    return with_reactions(
        CALIBRATION,
        [
            reaction("A", "p11", "accepts", 1),
            reaction("B", "p01", "basis-for-talks", 2),
            reaction("B", "p20", "rejects", 3),
        ],
    )


def test_serial_and_pool_give_the_same_posterior() -> None:
    s = _record_scenario()
    serial = condition(s, 3000, seed=11, workers=1)
    pool = condition(s, 3000, seed=11, workers=2)
    assert np.array_equal(serial.rows, pool.rows)
    assert serial.to_dict() == pool.to_dict()
    again = condition(s, 3000, seed=11)
    assert np.array_equal(serial.rows, again.rows)
    other = condition(s, 3000, seed=12)
    assert not np.array_equal(serial.rows, other.rows)


def test_serial_and_pool_give_the_same_smc_posterior() -> None:
    s = _record_scenario()
    serial = condition(s, 1500, seed=13, workers=1, sampler="smc")
    pool = condition(s, 1500, seed=13, workers=2, sampler="smc")
    assert np.array_equal(serial.rows, pool.rows)


def test_local_dask_cluster_gives_the_serial_posterior() -> None:
    pytest.importorskip("distributed")
    s = _record_scenario()
    serial = condition(s, 1000, seed=14, workers=1)
    dask = condition(s, 1000, seed=14, workers=2, scheduler="local")
    assert np.array_equal(serial.rows, dask.rows)


def test_facade_runs_are_identical_serially_and_in_a_pool() -> None:
    s = _record_scenario()
    one = zopa.robust(s, samples=400, seed=2, workers=1).to_dict()
    two = zopa.robust(s, samples=400, seed=2, workers=2).to_dict()
    assert one == two


def test_the_prior_samples_are_those_of_the_unconditioned_run() -> None:
    s = _record_scenario()
    given = zopa.robust(s, samples=300, seed=5, workers=1)
    alone = zopa.robust(s, samples=300, seed=5, workers=1, given_reactions=False)
    prior = given.to_dict()["prior"]
    plain = alone.to_dict()
    for key in ("samples", "proposals", "zone", "nash", "robust_bridges"):
        assert prior[key] == plain[key]


# -- the record's slack ------------------------------------------------------------------------


@settings(max_examples=15)
@given(st.integers(0, 2**32 - 1))
def test_the_record_slack_is_the_analysis_slack(seed: int) -> None:
    from zopa.model.numbers import point
    from zopa.space.compile import space_template
    from zopa.space.exact import grid_reservation, grid_utilities

    s = _berlin()
    inputs = space_inputs(s)
    record = Record(s, inputs)
    rows = sample_inputs(inputs, 20, seed)
    slack = record.slack(rows)
    template = space_template(s)
    base = template.fill()
    values = np.array([point(n) for n in template.numbers])
    varying = template.positions([i.number for i in inputs])
    for k, row in enumerate(rows):
        v = values.copy()
        v[varying] = row
        space = template.fill_vector(v)
        for t, r in enumerate(record.reactions):
            p = base.parties.index(r.party)
            u = grid_utilities(space, base.index_of(s.package_of(r.proposal)))[0, p]
            assert abs(int(u - grid_reservation(space)[p]) - int(slack[k, t])) <= 4


_BERLIN: list[zopa.Scenario] = []


def _berlin() -> zopa.Scenario:
    if not _BERLIN:
        _BERLIN.append(berlin_with_reactions())
    return _BERLIN[0]


def test_a_fixed_party_keeps_its_exact_slack() -> None:
    # B's numbers are all points: its slack on 'half' is exactly 0.5 - 0.4
    s = with_reactions(CLOSED_FORM, [reaction("B", "half", "accepts")])
    record = Record(s, space_inputs(s))
    slack = record.slack(np.array([[0.3], [0.7]]))
    from zopa.space.exact import SCALE

    assert (slack == round(0.1 * SCALE)).all()


def test_reactions_of_parties_without_preferences_are_ignored_and_listed() -> None:
    import datetime as dt

    from zopa.model.scenario import Reaction

    s = with_reactions(CALIBRATION, [reaction("A", "p11", "accepts")])
    outsider = Reaction(
        date=dt.date(2025, 1, 3), party="C", proposal="p11", stance="rejects", source=["s"]
    )
    s = s.model_copy(update={"reactions": [*s.reactions, outsider]})
    record = Record(s, space_inputs(s))
    assert [r.party for r in record.reactions] == ["A"]
    assert record.ignored == [outsider]
    found = condition(s, 200, seed=1)
    assert found.to_dict()["ignored"] == [
        {"date": "2025-01-03", "party": "C", "proposal": "p11", "stance": "rejects"}
    ]


# -- the sampler's parts (properties) ----------------------------------------------------------


@given(
    st.floats(0.0, 0.9),
    st.floats(0.01, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.001, 0.999),
)
@example(0.0, 1.0, 5e-324, 0.5)  # a denormal mode: the discarded branch overflowed
def test_prior_quantile_inverts_the_cdf(low: float, width: float, at: float, q: float) -> None:
    high = low + width
    for mode in (float("nan"), low + at * width):
        prior = Prior(np.array([low]), np.array([high]), np.array([mode]))
        x = prior.quantile(q)
        assert prior.cdf(x[None, :])[0, 0] == pytest.approx(q, abs=1e-9)


@given(st.floats(0.0, 1.0), st.integers(0, 1000))
def test_prior_density_integrates_to_one(at: float, seed: int) -> None:
    low, high = 0.1, 0.7
    for mode in (float("nan"), low + at * (high - low)):
        prior = Prior(np.array([low]), np.array([high]), np.array([mode]))
        grid = np.linspace(low, high, 40_001)[:, None]
        density = np.exp(prior.log_density(grid))
        assert float(density.mean() * (high - low)) == pytest.approx(1.0, abs=2e-3)
    outside = Prior(np.array([low]), np.array([high]), np.array([np.nan]))
    assert outside.log_density(np.array([[high + 0.01]]))[0] == -np.inf


@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=60), st.integers(0, 2**16))
def test_systematic_resampling_keeps_each_index_about_n_w_times(
    weights: list[float], seed: int
) -> None:
    w = np.array(weights)
    if w.sum() <= 0:
        w = np.ones_like(w)
    index = systematic(w, np.random.default_rng(seed))
    counts = np.bincount(index, minlength=len(w))
    expected = len(w) * w / w.sum()
    assert (np.abs(counts - expected) < 1 + 1e-9).all()
    assert (np.diff(index) >= 0).all()
    assert 1 - 1e-9 <= kish(w) <= len(w) + 1e-9


def test_input_shifts_sort_the_most_moved_first() -> None:
    prior = Prior(np.array([0.0, 0.0]), np.array([1.0, 1.0]), np.array([np.nan, np.nan]))
    rng = np.random.default_rng(0)
    rows = np.column_stack([rng.random(2000), 0.8 + 0.2 * rng.random(2000)])
    found = input_shifts(["still", "moved"], prior, rows)
    assert [f.path for f in found] == ["moved", "still"]
    assert found[0].ks > 0.7
    assert found[1].ks < 0.05
    assert found[0].shift == pytest.approx((0.9 - 0.5) / 0.5, abs=0.02)
    assert found[0].prior == pytest.approx((0.05, 0.5, 0.95))


def test_reactions_that_bear_on_no_input_leave_the_prior_and_say_so() -> None:
    import datetime as dt

    from zopa.model.scenario import Reaction

    s = with_reactions(CALIBRATION, [])
    outsider = Reaction(
        date=dt.date(2025, 1, 3), party="C", proposal="p11", stance="rejects", source=["s"]
    )
    s = s.model_copy(update={"reactions": [outsider]})
    found = condition(s, 300, seed=2)
    assert found.acceptance_rate == 1.0
    assert "say nothing about the sampled inputs" in found.warnings[0]
    first = sample_inputs(
        space_inputs(s), 250, np.random.default_rng(np.random.SeedSequence(2).spawn(1)[0])
    )
    assert np.array_equal(found.rows[:250], first)  # the prior run's own samples
