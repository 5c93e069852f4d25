"""Nash-package frequencies and the packages that bridge the gap in the most samples."""

import numpy as np
import pytest

from zopa.catalog import load
from zopa.io.scenario_file import load_scenario_file
from zopa.robust.packages import (
    SampleTables,
    gains,
    least_gain,
    nash_robustness,
    robust_bridges,
)
from zopa.robust.proposals import robust_proposals, space_inputs
from zopa.robust.sampling import chunk_plan, draw_for, sample_inputs
from zopa.space.bridging import option_positions, sub_concession
from zopa.space.compile import compile_scenario
from zopa.space.exact import grid_contributions, grid_utilities, to_grid
from zopa.space.nash_search import nash_packages


def _tables(scenario, rows, inputs):
    spaces = [compile_scenario(scenario, draw=draw_for(inputs, r)) for r in rows]
    tables = SampleTables(
        np.stack([np.concatenate(grid_contributions(s), axis=1) for s in spaces]),
        np.stack([to_grid(s.reservation) for s in spaces]),
    )
    return spaces, tables


def test_slack_equals_per_sample_utilities():
    scenario = load()
    inputs = space_inputs(scenario)
    rows = sample_inputs(inputs, 25, np.random.default_rng(4), "random")
    spaces, tables = _tables(scenario, rows, inputs)
    base = compile_scenario(scenario)
    rng = np.random.default_rng(5)
    packages = np.stack([rng.integers(0, k, size=150) for k in base.shape], axis=1)
    found, least = gains(tables, base, packages), least_gain(tables, base, packages)
    needed = base.needed(packages)
    for s, space in enumerate(spaces):
        expected = grid_utilities(space, packages) - to_grid(space.reservation)[None, :]
        assert (found[s] == expected).all()
        masked = np.where(needed, expected, np.iinfo(np.int64).max).min(axis=1)
        assert (least[s] == masked).all()


def _chunk_samples(scenario, samples, seed):
    """The samples robust_proposals draws, chunk by chunk (its chunk size is 250)."""
    from zopa.robust.proposals import CHUNK

    inputs = space_inputs(scenario)
    parts = [
        sample_inputs(inputs, c.count, np.random.default_rng(c.seed), "random")
        for c in chunk_plan(samples, CHUNK, seed)
    ]
    return inputs, np.concatenate(parts)


def test_nash_frequencies_and_robust_bridges_recomputed_by_hand():
    scenario = load()
    result = robust_proposals(scenario, samples=300, seed=9)
    inputs, rows = _chunk_samples(scenario, 300, 9)
    spaces, tables = _tables(scenario, rows, inputs)
    nash = [nash_packages(s).packages for s in spaces]
    base = compile_scenario(scenario)
    assert result.nash is not None
    for item in result.nash.packages:
        row = base.index_of(item.package)
        share = np.mean([any((row == p).all() for p in found) for found in nash])
        assert item.share == pytest.approx(share)
    shares = [p.share for p in result.nash.packages]
    assert shares == sorted(shares, reverse=True)
    # the robust bridges: recompute each reported package's share sample by sample
    assert result.bridges is not None
    for item in result.bridges.packages:
        row = base.index_of(item.package)
        needed = base.needed(row[None, :])[0]
        ok = [
            (grid_utilities(s, row[None, :])[0] >= to_grid(s.reservation))[needed].all()
            for s in spaces
        ]
        assert item.share == pytest.approx(np.mean(ok))
    top = result.bridges.packages[0].share
    # no proposal and no sample's Nash package does better than the top package
    candidates = [base.index_of(scenario.package_of(p)) for p in scenario.proposals]
    candidates += [p for found in nash for p in found]
    least = least_gain(tables, base, np.stack(candidates))
    assert (least >= 0).mean(axis=0).max() <= top + 1e-12


def test_robust_bridges_rank_by_share_then_fewer_changes():
    scenario = load_scenario_file_small()
    base = compile_scenario(scenario)
    inputs = space_inputs(scenario)
    rows = sample_inputs(inputs, 200, np.random.default_rng(1), "random")
    _, tables = _tables(scenario, rows, inputs)
    every = np.array(np.meshgrid(*[np.arange(k) for k in base.shape], indexing="ij"))
    packages = every.reshape(len(base.shape), -1).T
    reference = packages[0]
    ranked, first = robust_bridges(base, tables, packages, "ref", reference, top=len(packages))
    least = least_gain(tables, base, packages)
    shares = (least >= 0).mean(axis=0)
    # every candidate not dominated (a sub-concession bridging in as many samples) is listed
    sub = sub_concession(packages, reference, option_positions(base.options))
    count = (least >= 0).sum(axis=0)
    dominated = [
        any(a != b and sub[a, b] and count[a] >= count[b] for a in range(len(packages)))
        for b in range(len(packages))
    ]
    assert any(dominated)
    expected = sorted((s for s, d in zip(shares, dominated, strict=True) if not d), reverse=True)
    assert [p.share for p in ranked.packages] == expected
    best = base.index_of(ranked.packages[0].package)
    column = int(np.flatnonzero((packages == best).all(axis=1))[0])
    assert (first == least[:, column]).all()
    for a, b in zip(ranked.packages, ranked.packages[1:], strict=False):
        if a.share == b.share:
            assert len(a.changes) <= len(b.changes)


def test_nash_robustness_counts_tied_packages():
    base = compile_scenario(load())
    nash = [((0,) * 9,), ((0,) * 9, (1,) + (0,) * 8), ()]
    found = nash_robustness(base, nash, np.zeros(9, dtype=np.intp), None)
    assert found.distinct == 2
    assert found.packages[0].share == pytest.approx(2 / 3)
    assert found.point is not None
    assert found.point.share == pytest.approx(2 / 3)


def load_scenario_file_small():
    from tests.conftest import SMALL_SCENARIO

    return load_scenario_file(SMALL_SCENARIO)


def test_robust_bridges_drop_packages_dominated_for_the_proposers():
    scenario = load_scenario_file_small()
    base = compile_scenario(scenario)
    inputs = space_inputs(scenario)
    rows = sample_inputs(inputs, 100, np.random.default_rng(2), "random")
    _, tables = _tables(scenario, rows, inputs)
    every = np.array(np.meshgrid(*[np.arange(k) for k in base.shape], indexing="ij"))
    packages = every.reshape(len(base.shape), -1).T
    for reference in packages:
        ranked, _ = robust_bridges(
            base, tables, packages, "ref", reference, top=len(packages), proposers=["UA"]
        )
        listed = np.array([base.index_of(p.package) for p in ranked.packages])
        sub = sub_concession(listed, reference, option_positions(base.options))
        ua = grid_utilities(base, listed)[:, base.parties.index("UA")]
        count = (least_gain(tables, base, listed) >= 0).sum(axis=0)
        for a in range(len(listed)):
            for b in range(len(listed)):
                if a != b and sub[a, b]:
                    assert ua[a] < ua[b] or count[a] < count[b]
