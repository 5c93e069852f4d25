"""Coalition reachable lists by the compiled search equal the definition's (issue 21)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zopa
from zopa.gmcr import paths
from zopa.gmcr.compile import compile_game
from zopa.gmcr.paths import coalition_improvements, coalition_nash_stable, evolution

from ._reference import TinyGame, reachable


@st.composite
def tiny_games(draw: st.DrawFn) -> TinyGame:
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    n = sum(sizes)
    blocks, start = [], 0
    for size in sizes:
        blocks.append((start, size))
        start += size
    feasible = np.array(draw(st.lists(st.booleans(), min_size=1 << n, max_size=1 << n)))
    if not feasible.any():
        feasible[0] = True
    payoff = np.array(
        [draw(st.lists(st.integers(0, 4), min_size=1 << n, max_size=1 << n)) for _ in sizes]
    )
    payoff = np.where(feasible[None, :], payoff, 0)
    direction = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    return TinyGame(
        tuple(f"D{i}" for i in range(len(sizes))), tuple(blocks), feasible, payoff, direction
    )


@settings(max_examples=120)
@given(game=tiny_games(), data=st.data())
def test_compiled_reach_equals_the_definition(game: TinyGame, data: st.DataObject) -> None:
    k = len(game.dms)
    coalition = sorted(
        data.draw(st.sets(st.integers(0, k - 1), min_size=1, max_size=k), label="coalition")
    )
    stable = coalition_nash_stable(game, coalition)  # type: ignore[arg-type]
    for code in np.flatnonzero(game.feasible):
        code = int(code)
        legal = reachable(game, coalition, code, improving=False) - {code}
        expected = sorted(
            z for z in legal if all(game.payoff[m][z] > game.payoff[m][code] for m in coalition)
        )
        assert coalition_improvements(game, coalition, code) == expected  # type: ignore[arg-type]
        assert stable[code] == (not expected)
    assert not stable[~game.feasible].any()


def test_status_quo_analysis_refuses_more_transitions_than_it_can_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    game = compile_game(zopa.load("elmira").strategic)  # type: ignore[arg-type]
    coalition = [game.dms.index("MoE"), game.dms.index("UR")]
    full = evolution(game, game.status_quo, set(), [coalition])  # type: ignore[arg-type]
    assert len(full.transitions) == 2
    monkeypatch.setattr(paths, "MAX_TRANSITIONS", 1)
    with pytest.raises(ValueError, match="more than 1 transitions"):
        evolution(game, game.status_quo, set(), [coalition])  # type: ignore[arg-type]
    monkeypatch.setattr(paths, "MAX_TRANSITIONS", 10**6)
    monkeypatch.setattr(paths, "MAX_MOVES", 1)
    # elmira's options include irreversible ones, so the searches cannot share components
    with pytest.raises(ValueError, match="could examine"):
        evolution(game, game.status_quo, set(), [coalition])  # type: ignore[arg-type]
