"""Simulation and tournament reports: one round numbering, turn order, neutral footers."""

import copy
import re

from zopa.render.document import Table, to_markdown
from zopa.render.simulate_view import simulation_document, tournament_document
from zopa.simulate.results import ProfileStats

PACKAGE = {"a": "x", "b": "y"}


def _offer(round_, proposer, a, u):
    return {
        "round": round_,
        "proposer": proposer,
        "package": {"a": a, "b": "y"},
        "utilities": {"P": u, "Q": 1 - u, "R": 0.5},
    }


DATA = {
    "parties": ["P", "Q", "R"],
    "bargainers": ["Q", "P"],
    "order": ["P", "R", "Q"],
    "strategies": {"Q": "boulware", "P": "linear", "R": "linear"},
    "rounds": 4,
    "dates": None,
    "walk_away": {"P": [0.4] * 4, "Q": [0.4] * 4, "R": [0.2] * 4},
    "outcome": "agreement",
    "agreement": PACKAGE,
    "agreed_round": 2,
    "walked_out": None,
    "final_utilities": {"Q": 0.5, "P": 0.5, "R": 0.5},
    "nash": {"package": PACKAGE, "utilities": {"P": 0.5, "Q": 0.5, "R": 0.5}},
    "nash_distance": {"utility": 0.0, "issues": 1},
    # Q's first offer comes before R's in the trace, but R moves before Q in each round
    "trace": [
        _offer(0, "P", "x", 0.9),
        _offer(0, "Q", "z", 0.1),
        _offer(1, "R", "w", 0.5),
        _offer(1, "P", "w", 0.7),
        _offer(2, "Q", "x", 0.5),
    ],
}


def _tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_party_columns_follow_the_turn_order():
    doc = simulation_document("T", DATA)
    opening = next(t for t in _tables(doc) if t.title == "Opening offers")
    assert opening.columns == ["issue", "P", "R", "Q"]
    md = to_markdown(doc)
    assert "strategies: P linear, R linear, Q boulware" in md
    assert "Utilities of the agreement: P 0.500, R 0.500, Q 0.500" in md
    assert "P 0.70, Q 0.30" in md  # the bargainers' utilities, in turn order
    assert "differs on 1 issue." in md  # singular


def test_rounds_are_numbered_from_zero_like_the_json():
    md = to_markdown(simulation_document("T", DATA))
    assert "over 4 rounds, from round 0 to the deadline, round 3" in md
    assert f"Agreement in round {DATA['agreed_round']} on" in md


def test_the_cost_of_war_is_mentioned_only_when_dynamics_move_walk_away_points():
    still = to_markdown(simulation_document("T", DATA))
    assert not re.search(r"\bwar\b", still)
    assert "no dynamics section moves them" in still
    moving = copy.deepcopy(DATA)
    moving["walk_away"]["P"] = [0.4, 0.39, 0.38, 0.37]
    assert "cost of war" in to_markdown(simulation_document("T", moving))


def test_tournament_rounds_use_the_simulation_numbering():
    stats = ProfileStats(
        profile={"P": "linear", "Q": "linear"},
        negotiations=2,
        agreements=2,
        mean_utility={"P": 0.5, "Q": 0.5},
        mean_rounds=3.0,  # agreements in round 2 on average: three rounds played
        mean_nash_distance=0.1,
    )
    assert stats.mean_agreed_round == 2.0
    data = {
        "negotiations": 2,
        "profiles": [stats.to_dict()],
        "samples": 2,
        "inputs": 1,
        "seed": 0,
        "parties": ["P", "Q"],
        "varied": ["Q", "P"],
        "strategies": ["linear"],
        "default": "linear",
        "by_strategy": [
            {"party": "P", "strategy": "linear", "agreement_rate": 1.0, "mean_utility": 0.5}
        ],
    }
    doc = tournament_document("T", data)
    table = _tables(doc)[0]
    assert table.columns[:4] == ["P", "Q", "agree", "round"]  # turn order, then the round
    assert table.rows[0][3] == "2.0"
    md = to_markdown(doc)
    assert "2 negotiations: 1 strategy profile × 2 samples of 1 uncertain input" in md
    assert not re.search(r"\bwar\b", md)
