"""Compiling strategic models to arrays: payoffs, feasibility, numbering, vectors, parse_state."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from zopa.gmcr.compile import BACKWARD, FORWARD, CompiledGame, compile_arrays, compile_game
from zopa.model.strategic import StrategicModel


def model(**changes: Any) -> StrategicModel:
    data: dict[str, Any] = {
        "decision_makers": {
            "A": {"name": "Side A", "options": {"a1": "A escalates", "a2": "A negotiates"}},
            "B": {"options": {"b1": "B concedes"}},
        },
        "infeasible": ["a1 & a2"],
        "irreversible": {"b1": "forward", "a1": "backward"},
        "status_quo": "NNN",
        "states": {"deal": "a2 & b1", "war": "YNN"},
        "preferences": {
            "A": {"ranking": ["NYY", ["YNY", "NNY"], "NYN", "NNN", "YNN"]},
            "B": {"prioritization": ["-a1", "a2 if b1", "-b1"]},
        },
    }
    data.update(changes)
    return StrategicModel.model_validate(data)


@pytest.fixture
def game() -> CompiledGame:
    return compile_game(model())


def test_shapes_and_order(game: CompiledGame) -> None:
    assert game.dms == ("A", "B")
    assert game.options == ("a1", "a2", "b1")
    assert game.labels == ("A escalates", "A negotiates", "B concedes")
    assert game.blocks == ((0, 2), (2, 1))
    assert (game.n_options, game.n_dms) == (3, 2)
    assert game.feasible.shape == (8,)
    assert game.feasible.dtype == np.bool_
    assert game.payoff.shape == (2, 8)
    assert game.payoff.dtype == np.int64
    assert game.direction.dtype == np.int8
    assert game.direction.tolist() == [BACKWARD, 0, FORWARD]


def test_feasibility(game: CompiledGame) -> None:
    # a1 & a2 (codes 3 and 7) is infeasible
    assert game.feasible.tolist() == [True, True, True, False, True, True, True, False]
    assert game.feasible_codes().tolist() == [0, 1, 2, 4, 5, 6]
    assert game.feasible_codes().dtype == np.int64


def test_payoff_from_a_ranking_with_ties(game: CompiledGame) -> None:
    # five tiers: NYY=5, {YNY, NNY}=4, NYN=3, NNN=2, YNN=1; infeasible codes 0
    by_vector = {game.vector(c): int(game.payoff[0, c]) for c in range(8)}
    assert by_vector == {
        "NYY": 5,
        "YNY": 4,
        "NNY": 4,
        "NYN": 3,
        "NNN": 2,
        "YNN": 1,
        "YYN": 0,
        "YYY": 0,
    }


def test_payoff_from_a_prioritization(game: CompiledGame) -> None:
    # score = 4 [-a1] + 2 [a2 if b1] + 1 [-b1]
    expected = {}
    for code in range(8):
        a1, a2, b1 = (bool(code >> k & 1) for k in range(3))
        expected[code] = 4 * (not a1) + 2 * (a2 or not b1) + (not b1)
    for code in range(8):
        want = expected[code] if game.feasible[code] else 0
        assert game.payoff[1, code] == want, game.vector(code)


def test_status_quo_and_named_states(game: CompiledGame) -> None:
    assert game.status_quo == 0
    assert game.named == {"deal": 6, "war": 1}


def test_state_numbers_follow_gmcr(game: CompiledGame) -> None:
    assert [game.state_number(int(c)) for c in game.feasible_codes()] == [1, 2, 3, 4, 5, 6]
    assert game.state_number(4) == 4  # NNY: the fourth feasible code
    with pytest.raises(ValueError, match="not a feasible state"):
        game.state_number(3)
    with pytest.raises(ValueError, match="not a feasible state"):
        game.state_number(99)


def test_vectors(game: CompiledGame) -> None:
    assert game.vector(0) == "NNN"
    assert game.vector(1) == "YNN"
    assert game.vector(6) == "NYY"


def test_parse_state(game: CompiledGame) -> None:
    assert game.parse_state("NYY") == 6
    assert game.parse_state(" YNN ") == 1
    assert game.parse_state("4") == 4
    assert game.parse_state("1") == 0
    assert game.parse_state("deal") == 6
    for code in game.feasible_codes():
        assert game.parse_state(game.vector(int(code))) == code
        assert game.parse_state(str(game.state_number(int(code)))) == code


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("YYN", "state YYN is infeasible"),
        ("YN", "write exactly 3 letters Y or N, one per option in option order (a1 a2 b1)"),
        ("Y-N", "write exactly 3 letters Y or N"),
        ("7", "no state number 7: the states are numbered 1 to 6"),
        ("0", "no state number 0"),
        ("peace", "cannot read 'peace' as a state"),
        ("yny", "or a named state (deal, war)"),
    ],
)
def test_parse_state_errors(game: CompiledGame, text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        game.parse_state(text)


def test_invalid_model_raises_with_every_problem() -> None:
    bad = model(status_quo="YYN", states={"x": "a9"})
    with pytest.raises(ValueError, match="invalid strategic model") as info:
        compile_game(bad)
    text = str(info.value)
    assert "status_quo: state YYN is infeasible" in text
    assert "states.x: statement 'a9', column 1: unknown option 'a9'" in text


def test_compile_arrays_from_rankings() -> None:
    # the prisoner's dilemma, c = stays silent
    game = compile_arrays(
        ["P1", "P2"],
        [["c1"], ["c2"]],
        [["NY", "YY", "NN", "YN"], ["YN", "YY", "NN", "NY"]],
        status_quo="NN",
    )
    assert game.payoff.tolist() == [[2, 1, 4, 3], [2, 4, 1, 3]]
    assert game.status_quo == 0
    assert game.direction.tolist() == [0, 0]


def test_compile_arrays_with_ties_infeasibility_and_irreversibility() -> None:
    game = compile_arrays(
        ["A", "B"],
        [["x", "y"], ["z"]],
        [
            [["NNN", "YNN"], "NYN", ["NNY", "YNY", "NYY"]],
            ["NYY", "NYN", "YNY", "YNN", "NNY", "NNN"],
        ],
        infeasible=["x & y"],
        irreversible={"z": "backward"},
        states={"both": "-x & y & z"},
    )
    assert game.payoff[0].tolist() == [3, 3, 2, 0, 1, 1, 1, 0]
    assert game.payoff[1].tolist() == [1, 3, 5, 0, 2, 4, 6, 0]
    assert game.direction.tolist() == [0, 0, BACKWARD]
    assert game.named == {"both": 6}


def test_compile_arrays_from_payoffs() -> None:
    payoffs = [[5, 6, 7, 8], [1, 2, 3, 4]]
    game = compile_arrays(["A", "B"], [["a"], ["b"]], payoffs=payoffs, infeasible=["YY"])
    assert game.payoff.tolist() == [[5, 6, 7, 0], [1, 2, 3, 0]]
    with pytest.raises(ValueError, match="expected"):
        compile_arrays(["A", "B"], [["a"], ["b"]], payoffs=[[1, 2]])


def test_compile_arrays_argument_errors() -> None:
    with pytest.raises(ValueError, match="exactly one of rankings or payoffs"):
        compile_arrays(["A", "B"], [["a"], ["b"]])
    with pytest.raises(ValueError, match="2 decision makers but 1 option lists"):
        compile_arrays(["A", "B"], [["a"]], [["NN"]])
    with pytest.raises(ValueError, match="2 decision makers but 1 rankings"):
        compile_arrays(["A", "B"], [["a"], ["b"]], [["NN"]])
    with pytest.raises(ValueError, match="the ranking misses 3 feasible states"):
        compile_arrays(["A", "B"], [["a"], ["b"]], [["NN"], ["NN", "YN", "NY", "YY"]])


def test_many_options_compile() -> None:
    # 20 options: arrays over a million states, built without a loop over states
    game = compile_arrays(
        ["A", "B"],
        [[f"a{k}" for k in range(10)], [f"b{k}" for k in range(10)]],
        payoffs=np.zeros((2, 1 << 20), dtype=np.int64),
        infeasible=["a0 & b0"],
    )
    assert game.feasible.sum() == 3 << 18
    assert game.state_number(int(game.feasible_codes()[-1])) == 3 << 18


# -- the shipped examples ----------------------------------------------------------------------


def order(game: CompiledGame, dm: int) -> list[list[str]]:
    """A decision maker's preference order: tiers of state vectors, most preferred first."""
    codes = game.feasible_codes()
    values = sorted({int(game.payoff[dm, c]) for c in codes}, reverse=True)
    return [[game.vector(int(c)) for c in codes if game.payoff[dm, c] == v] for v in values]


def test_prisoners_dilemma() -> None:
    import zopa

    s = zopa.load("prisoners-dilemma")
    assert s.strategic is not None
    game = compile_game(s.strategic)
    # c = stays silent; each prefers defecting on a silent partner, then mutual silence,
    # then mutual defection, then being the one who stays silent
    assert order(game, 0) == [["NY"], ["YY"], ["NN"], ["YN"]]
    assert order(game, 1) == [["YN"], ["YY"], ["NN"], ["NY"]]
    assert game.status_quo == game.parse_state("NN")


def test_chicken() -> None:
    import zopa

    s = zopa.load("chicken")
    assert s.strategic is not None
    game = compile_game(s.strategic)
    assert order(game, 0) == [["NY"], ["YY"], ["YN"], ["NN"]]
    assert order(game, 1) == [["YN"], ["YY"], ["NY"], ["NN"]]


def test_elmira() -> None:
    import zopa

    s = zopa.load("elmira")
    assert s.strategic is not None
    game = compile_game(s.strategic)
    assert game.dms == ("MoE", "UR", "LG")
    assert game.options == ("modify", "delay", "accept", "abandon", "insist")
    assert game.blocks == ((0, 1), (1, 3), (4, 1))
    assert game.direction.tolist() == [FORWARD, BACKWARD, 0, FORWARD, 0]
    assert len(game.feasible_codes()) == 12
    # Uniroyal does exactly one of delay, accept and abandon
    for code in game.feasible_codes():
        assert game.vector(int(code))[1:4].count("Y") == 1
    assert game.vector(game.status_quo or 0) == "NYNNN"
    assert game.state_number(game.status_quo or 0) == 1
    # MoE and the local government both like best: no modification, Uniroyal accepts, LG insists
    assert order(game, 0)[0] == ["NNYNY"]
    assert order(game, 2)[0] == ["NNYNY"]
    assert order(game, 1)[0] == ["NYNNN"]  # Uniroyal: the status quo (delay, unmodified)
    # every decision maker's order is strict on the 12 states
    for dm in range(3):
        assert all(len(tier) == 1 for tier in order(game, dm))
    numbers = {
        dm: [game.state_number(game.parse_state(t[0])) for t in order(game, d)]
        for d, dm in enumerate(game.dms)
    }
    assert numbers == {
        "MoE": [9, 3, 4, 10, 7, 1, 2, 8, 11, 5, 6, 12],
        "UR": [1, 4, 10, 7, 5, 11, 2, 3, 9, 8, 6, 12],
        "LG": [9, 3, 7, 1, 10, 8, 4, 2, 11, 5, 12, 6],
    }
