import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.space._build import brute, brute_acceptable, make_space, spaces

from zopa.space.engine import EnumerationEngine, make_engine
from zopa.space.exact import to_grid
from zopa.space.pareto import nondominated


@settings(max_examples=120)
@given(spaces(consent=True))
def test_zone_size_and_margin_match_brute_force(space):
    _packages, utilities, needed = brute(space)
    r = to_grid(space.reservation)
    ok = ((utilities >= r) | ~needed).all(axis=1)
    engine = EnumerationEngine(space)
    assert engine.count_acceptable() == int(ok.sum())
    slack = np.where(needed, utilities - r, np.iinfo(np.int64).max).min(axis=1)
    assert engine.margin() == int(slack.max())
    assert (engine.margin() >= 0) == bool(ok.any())


@settings(max_examples=120)
@given(spaces(consent=True))
def test_acceptable_pareto_matches_brute_force(space):
    packages, utilities, _ = brute_acceptable(space)
    expected = {tuple(r) for r in packages[nondominated(utilities)]} if len(packages) else set()
    got = EnumerationEngine(space).pareto(acceptable_only=True)
    assert {tuple(r) for r in got.packages} == expected


@settings(max_examples=80)
@given(spaces(consent=True), st.integers(0, 3), st.floats(0.0, 0.5))
def test_raising_a_walkaway_point_never_enlarges_the_zone(space, party, raise_by):
    party = party % space.n_parties
    before = EnumerationEngine(space).count_acceptable()
    r = space.reservation.copy()
    r[party] += raise_by
    raised = make_like(space, reservation=r)
    assert EnumerationEngine(raised).count_acceptable() <= before


def make_like(space, **changes):
    from dataclasses import replace

    return replace(space, **changes)


@settings(max_examples=120)
@given(spaces(consent=True), st.data())
def test_closest_acceptable_changes_fewest_issues(space, data):
    engine = EnumerationEngine(space)
    reference = np.array([data.draw(st.integers(0, k - 1)) for k in space.shape], dtype=np.intp)
    proposers = np.zeros(space.n_parties, dtype=bool)
    proposers[0] = True
    closest = engine.closest(reference, proposers, k=3)
    packages, utilities, needed = brute(space)
    r = to_grid(space.reservation)
    ok = ((utilities >= r) | ~needed).all(axis=1)
    distance = (packages != reference).sum(axis=1)
    ref_index = int(np.flatnonzero((packages == reference).all(axis=1))[0])
    loss = utilities[ref_index, 0] - utilities[:, 0]
    assert closest.found == bool(ok.any())
    if closest.found:
        best = min(zip(distance[ok], loss[ok], strict=True))
        first = closest.packages.packages[0]
        i = int(np.flatnonzero((packages == first).all(axis=1))[0])
        assert ok[i], "a bridging package must be acceptable"
        assert (distance[i], loss[i]) == best, "no acceptable package changes fewer issues"
        assert (closest.distance == np.sort(closest.distance)).all()
    else:
        shortfall = np.maximum(
            -np.where(needed, utilities - r, np.iinfo(np.int64).max).min(axis=1), 0
        )
        assert int(closest.shortfall[0]) == int(shortfall.min())


def test_consent_of_an_option_is_needed_only_when_it_is_chosen():
    # two issues; party 2 must consent only if issue 0 takes option 1, and rejects everything
    space = make_space(
        values=[[[1, 0.9], [0, 0.1], [0, 0]], [[1, 0], [0, 1], [0, 0]]],
        weights=[[1, 1], [1, 1], [1, 1]],
        reservation=[0.4, 0.4, 0.9],
        consent=[[[1, 1], [1, 1], [0, 1]], [[1, 1], [1, 1], [0, 0]]],
    )
    engine = EnumerationEngine(space)
    # u0 = (v00 + v01)/2, u1 = (v10 + v11)/2; acceptable: both >= 0.4 and option 1 on issue 0 excluded
    # issue0=o0, issue1=o1: u0 = 0.5, u1 = 0.5 -> ok; issue0=o1, issue1=o1: needs party 2 -> no
    assert engine.count_acceptable() == 1


def test_engine_refuses_spaces_beyond_its_limit(monkeypatch):
    import zopa.space.engine as eng

    monkeypatch.setattr(eng, "MAX_ENUMERATION", 3)
    space = make_space([[[0, 1], [1, 0]], [[0, 1], [1, 0]]], [[1, 1], [1, 1]], [0, 0])
    with pytest.raises(ValueError, match="exceed the enumeration limit"):
        make_engine(space)
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine(space, "quantum")


def test_analyze_reports_how_the_zone_was_sized():
    from zopa.catalog import load
    from zopa.space.analysis import analyze

    scenario = load()
    exact = analyze(scenario, count="exact").to_dict()["zopa"]
    assert exact["count"] == "exact"
    assert exact["size_bounds"] == [exact["size"], exact["size"]]
    skipped = analyze(scenario, count="skip").to_dict()["zopa"]
    assert skipped["count"] == "skip"
    assert skipped["size"] is None
    assert skipped["share"] is None
    assert skipped["count_note"]
    with pytest.raises(ValueError, match="unknown count"):
        analyze(scenario, count="roughly")


def test_auto_prefers_the_exact_engine_for_few_parties_and_many_packages():
    from zopa.space import engine as eng

    three = make_space([[[0.0] * 10] * 3] * 5, [[1] * 5] * 3, [0.5] * 3)  # 10^5 packages
    four = make_space([[[0.0] * 10] * 4] * 5, [[1] * 5] * 4, [0.5] * 4)
    small = make_space([[[0.0] * 10] * 3] * 4, [[1] * 4] * 3, [0.5] * 3)  # 10^4
    assert eng.auto_engine(three) == "exact"
    assert make_engine(three).name == "exact"
    assert eng.auto_engine(four) == "enumeration"
    assert eng.auto_engine(small) == "enumeration"
    assert eng.AUTO_EXACT_FROM <= three.size <= eng.AUTO_ENUMERATION_LIMIT
