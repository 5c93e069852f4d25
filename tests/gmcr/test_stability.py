"""The stability engine against the definitions, published small games, and invariances."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.gmcr._reference import TinyGame, random_game, stable

from zopa.gmcr.stability import CONCEPTS, analyse_stability


def tiny(payoffs, blocks=((0, 1), (1, 1)), infeasible=(), direction=None):
    n = sum(c for _, c in blocks)
    feasible = np.ones(1 << n, dtype=bool)
    feasible[list(infeasible)] = False
    dirs = np.zeros(n, np.int8) if direction is None else np.array(direction, np.int8)
    dms = tuple(f"D{i}" for i in range(len(blocks)))
    return TinyGame(dms, tuple(blocks), feasible, np.array(payoffs, dtype=np.int64), dirs)


def equilibria(game):
    result = analyse_stability(game)
    return {c: result.equilibria(c).tolist() for c in CONCEPTS}


def test_prisoners_dilemma():
    # codes: bit 0 = P1 stays silent, bit 1 = P2 stays silent. Each prefers defecting against a
    # silent partner > both silent > both defect > silent against a defector. Mutual defection
    # is the only Nash equilibrium; mutual silence is also GMR, SMR and SEQ stable (Fang, Hipel &
    # Kilgour 1993, Interactive Decision Making, sec. 4.2; Fraser & Hipel 1984, Conflict
    # Analysis, ch. 2).
    game = tiny([[2, 1, 4, 3], [2, 4, 1, 3]])
    assert equilibria(game) == {"R": [0], "GMR": [0, 3], "SMR": [0, 3], "SEQ": [0, 3]}


def test_chicken():
    # bit 0 = driver 1 swerves, bit 1 = driver 2 swerves. Each prefers: the other swerves alone >
    # both swerve > swerving alone > crash. One swerving is Nash; both swerving is GMR and SMR
    # stable (the crash threat sanctions) but not SEQ (crashing is no improvement for the
    # sanctioner) (Fang, Hipel & Kilgour 1993, sec. 4.2).
    game = tiny([[1, 2, 4, 3], [1, 4, 2, 3]])
    assert equilibria(game) == {"R": [1, 2], "GMR": [1, 2, 3], "SMR": [1, 2, 3], "SEQ": [1, 2]}


@st.composite
def games(draw, max_dms=3):
    seed = draw(st.integers(0, 2**32 - 1))
    n_dms = draw(st.integers(2, max_dms))
    options = [draw(st.integers(1, 2)) for _ in range(n_dms)]
    rng = np.random.default_rng(seed)
    return random_game(
        rng,
        n_dms,
        options,
        infeasible_share=draw(st.sampled_from([0.0, 0.2])),
        irreversible_share=draw(st.sampled_from([0.0, 0.4])),
        ties=draw(st.booleans()),
    )


def assert_matches_definitions(game):
    result = analyse_stability(game)
    for concept in CONCEPTS:
        for i in range(len(game.dms)):
            for x in np.flatnonzero(game.feasible):
                assert result.stable[concept][i][x] == stable(game, concept, i, int(x)), (
                    concept,
                    i,
                    x,
                )


@settings(max_examples=150)
@given(games(max_dms=2))
def test_two_decision_makers_match_the_definitions(game):
    assert_matches_definitions(game)


@settings(max_examples=100)
@given(games(max_dms=3))
def test_three_decision_makers_match_the_definitions(game):
    assert_matches_definitions(game)


@settings(max_examples=150)
@given(games(max_dms=3))
def test_inclusions_between_concepts(game):
    # R ⊆ SMR ⊆ GMR and R ⊆ SEQ ⊆ GMR, for every decision maker (Fang et al. 1993, Thm. 4.1)
    s = analyse_stability(game).stable
    f = game.feasible
    for i in range(len(game.dms)):
        r, gmr, smr, seq = (s[c][i] & f for c in CONCEPTS)
        assert not (r & ~smr).any()
        assert not (smr & ~gmr).any()
        assert not (r & ~seq).any()
        assert not (seq & ~gmr).any()


def permute_options(game, perm):
    """Renumber options within each decision maker's block by ``perm`` (new position -> old)."""
    n = game.n_options
    codes = np.arange(1 << n)
    new_of_old = np.zeros(1 << n, dtype=np.int64)
    for new_bit, old_bit in enumerate(perm):
        new_of_old |= ((codes >> old_bit) & 1) << new_bit
    feasible = np.zeros_like(game.feasible)
    feasible[new_of_old] = game.feasible
    payoff = np.zeros_like(game.payoff)
    payoff[:, new_of_old] = game.payoff
    direction = game.direction[list(perm)]
    return (
        TinyGame(game.dms, game.blocks, feasible, payoff, direction),
        new_of_old,
    )


@settings(max_examples=100)
@given(games(max_dms=3), st.randoms(use_true_random=False))
def test_renumbering_options_does_not_change_results(game, rnd):
    perm = []
    for start, count in game.blocks:
        block = list(range(start, start + count))
        rnd.shuffle(block)
        perm += block
    renumbered, new_of_old = permute_options(game, perm)
    a, b = analyse_stability(game), analyse_stability(renumbered)
    for concept in CONCEPTS:
        np.testing.assert_array_equal(a.stable[concept], b.stable[concept][:, new_of_old])


def test_large_game_runs_on_the_state_array():
    # 3 DMs x 6 options: 262,144 states, random strict preferences; every move reversible
    rng = np.random.default_rng(3)
    n = 18
    game = TinyGame(
        ("A", "B", "C"),
        ((0, 6), (6, 6), (12, 6)),
        np.ones(1 << n, bool),
        np.stack([rng.permutation(1 << n) for _ in range(3)]).astype(np.int64),
        np.zeros(n, np.int8),
    )
    result = analyse_stability(game)
    for concept in CONCEPTS:
        assert result.stable[concept].shape == (3, 1 << n)
    # a random sample of states checked against the definitions
    for x in rng.choice(1 << n, 5, replace=False):
        for i in range(3):
            assert result.stable["R"][i][x] == stable(game, "R", i, int(x))


@pytest.mark.parametrize("concept", CONCEPTS)
def test_equilibria_are_feasible(concept):
    game = tiny([[1, 2, 4, 3], [1, 4, 2, 3]], infeasible=[3])
    assert 3 not in analyse_stability(game).equilibria(concept).tolist()
