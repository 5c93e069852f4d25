"""The offer policy finds, from its candidates, the best package over the whole space."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from tests.space._build import brute, make_space, spaces

from zopa.catalog import load
from zopa.simulate.offers import NO_OPPONENT, candidate_packages, offer_tables, opponent_scores
from zopa.space.compile import compile_scenario
from zopa.space.exact import to_grid


def brute_offer(space, proposer, aspiration, reservation):
    """(score, own utility) of the best offer over every package, by enumeration."""
    _, utilities, needed = brute(space)
    scores = []
    for u, n in zip(utilities, needed, strict=True):
        others = [u[q] - reservation[q] for q in range(space.n_parties) if q != proposer and n[q]]
        scores.append(min(others) if others else NO_OPPONENT)
    scores = np.array(scores)
    feasible = utilities[:, proposer] >= aspiration
    if not feasible.any():  # nothing reaches the aspiration: the proposer's best package
        feasible = utilities[:, proposer] == utilities[:, proposer].max()
    best = scores[feasible].max()
    own = utilities[feasible & (scores == best), proposer].max()
    return best, own


@given(space=spaces(max_parties=4, max_issues=3, consent=True), data=st.data())
def test_offer_is_the_best_package_of_the_whole_space(space, data):
    reservation = to_grid(
        np.array([data.draw(st.integers(0, 10)) / 10 for _ in range(space.n_parties)])
    )
    candidates = candidate_packages(space)
    tables = offer_tables(candidates, reservation)
    scores = opponent_scores(candidates, reservation)
    for p in range(space.n_parties):
        aspiration = to_grid(data.draw(st.integers(0, 11)) / 10)
        x = int(tables.offer(p, np.array([aspiration]))[0])
        assert (scores[x, p], candidates.utilities[x, p]) == brute_offer(
            space, p, aspiration, reservation
        )


@given(space=spaces(max_parties=3, max_issues=3, consent=True), seed=st.integers(0, 100))
def test_candidates_carry_their_true_utilities_and_consent(space, seed):
    candidates = candidate_packages(space, rng=seed)
    packages, utilities, needed = brute(space)
    index = {tuple(row): k for k, row in enumerate(packages)}
    for row, u, n in zip(candidates.packages, candidates.utilities, candidates.needed, strict=True):
        k = index[tuple(row)]
        assert (utilities[k] == u).all()
        assert (needed[k] == n).all()
    assert (candidates.best == utilities.max(axis=0)).all()
    for p in range(space.n_parties):  # each party's order sorts its utility, best first
        assert (np.diff(candidates.utilities[candidates.order[p], p]) <= 0).all()


def test_a_package_needing_only_the_proposer_scores_without_opponents():
    space = make_space(
        values=[[[1.0, 0.0], [0.0, 1.0]]],
        weights=[[1], [1]],
        reservation=[0.5, 0.5],
        consent=[[[True, True], [False, True]]],  # option 0 needs only P0
    )
    candidates = candidate_packages(space)
    scores = opponent_scores(candidates, to_grid(space.reservation))
    alone = int(np.flatnonzero(candidates.packages[:, 0] == 0)[0])
    assert scores[alone, 0] == NO_OPPONENT


def test_berlin_candidates():
    space = compile_scenario(load())
    candidates = candidate_packages(space)
    assert len(candidates) == 23_794
    assert (candidates.best == to_grid(np.ones(6)) - to_grid([0, 0, 0, 0, 0.035, 0.04])).all()


@given(
    space=spaces(max_parties=4, max_issues=3, consent=True),
    seed=st.integers(0, 100),
    data=st.data(),
)
def test_compiled_and_numpy_offer_tables_agree(space, seed, data):
    candidates = candidate_packages(space, rng=seed)
    reservation = to_grid(
        np.array([data.draw(st.integers(-2, 12)) / 10 for _ in range(space.n_parties)])
    )
    compiled = offer_tables(candidates, reservation, compiled=True)
    numpy_path = offer_tables(candidates, reservation, compiled=False)
    np.testing.assert_array_equal(compiled.choice, numpy_path.choice)
    np.testing.assert_array_equal(compiled.descending, numpy_path.descending)


def test_compiled_and_numpy_offer_tables_agree_on_berlin():
    space = compile_scenario(load())
    candidates = candidate_packages(space)
    for shift in (-0.2, 0.0, 0.1):
        reservation = to_grid(space.reservation + shift)
        compiled = offer_tables(candidates, reservation, compiled=True)
        numpy_path = offer_tables(candidates, reservation, compiled=False)
        np.testing.assert_array_equal(compiled.choice, numpy_path.choice)
