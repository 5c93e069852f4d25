"""Uncertain preferences in a strategic model: alternative rankings, weights, checks, compiling."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from zopa.gmcr.compile import compile_game, compile_uncertain
from zopa.model.scenario import Scenario
from zopa.model.strategic import MAIN, StrategicModel, resolve_strategic


def strategic(**a_pref: Any) -> dict[str, Any]:
    return {
        "decision_makers": {
            "A": {"name": "Side A", "options": {"a1": "A escalates", "a2": "A negotiates"}},
            "B": {"options": {"b1": "B concedes"}},
        },
        "infeasible": ["a1 & a2"],
        "status_quo": "NNN",
        "preferences": {
            "A": {"ranking": ["NYY", ["YNY", "NNY"], "NYN", "NNN", "YNN"], **a_pref},
            "B": {"prioritization": ["-a1", "a2 if b1", "-b1"]},
        },
    }


DEFIANT = {"ranking": ["YNN", "NNN", "NYN", ["YNY", "NNY"], "NYY"], "weight": 1, "basis": "T [s1]."}
DOVISH = {"prioritization": ["a2", "-a1"], "weight": 2, "basis": "T [s1]."}


def problems(data: dict[str, Any], **kwargs: Any) -> list[tuple[tuple[str | int, ...], str]]:
    resolved = resolve_strategic(StrategicModel.model_validate(data), **kwargs)
    return [(loc, message) for loc, message, _ in resolved.problems]


def test_without_alternatives_preferences_are_certain() -> None:
    model = StrategicModel.model_validate(strategic())
    assert model.preferences["A"].weight == 1.0
    assert model.preferences["A"].alternatives == []
    resolved = resolve_strategic(model)
    assert [o.id for o in resolved.orders("A")] == [MAIN]
    uncertain = compile_uncertain(model)
    assert uncertain.n_profiles == 1
    assert [len(o) for o in uncertain.orders] == [1, 1]
    assert np.array_equal(uncertain.with_profile([0, 0]).payoff, compile_game(model).payoff)
    assert uncertain.orders[0][0].probability == 1.0


def test_probabilities_are_weights_over_the_total() -> None:
    data = strategic(weight=3, alternatives=[{**DEFIANT, "id": "defiant"}, DOVISH])
    model = StrategicModel.model_validate(data)
    uncertain = compile_uncertain(model)
    orders = uncertain.orders[0]
    assert [o.id for o in orders] == ["main", "defiant", "alt2"]  # default ids by position
    assert [o.probability for o in orders] == pytest.approx([0.5, 1 / 6, 1 / 3])
    assert orders[1].basis == "T [s1]."
    assert uncertain.n_profiles == 3
    assert uncertain.probabilities(0).sum() == pytest.approx(1.0)
    # each alternative compiles exactly as it would as the main preferences
    for k, alt in enumerate([DEFIANT, DOVISH], 1):
        as_main = strategic()
        as_main["preferences"]["A"] = {
            key: alt[key] for key in alt if key in ("ranking", "prioritization")
        }
        expected = compile_game(StrategicModel.model_validate(as_main)).payoff
        assert np.array_equal(uncertain.with_profile([k, 0]).payoff, expected)
    # the main game is untouched
    assert np.array_equal(uncertain.game.payoff, compile_game(model).payoff)


def test_round_trip_and_standalone_scenario() -> None:
    data = strategic(weight=0.7, alternatives=[{**DEFIANT, "id": "defiant", "weight": 0.3}])
    scenario = Scenario.model_validate(
        {
            "zopa": 1,
            "id": "game",
            "title": "A game",
            "sources": {"s1": {"publisher": "P", "title": "T"}},
            "strategic": data,
        }
    )
    dumped = scenario.model_dump(mode="json", exclude_none=True)
    assert Scenario.model_validate(dumped) == scenario


def test_alternatives_are_checked_like_the_main_preferences_all_at_once() -> None:
    data = strategic(
        ranking=["NYY", "YNY", "NNY", "NYN", "NNN"],  # the main ranking misses YNN
        alternatives=[
            {
                "ranking": ["YNN", "YNN", "NYN", "NNN", "YNY", "NNY", "NYY"],
                "weight": 1,
                "basis": "x",
            },
            {"prioritization": ["a1 |", "b9"], "weight": 1, "basis": "x [s9]"},
            {"id": "main", "ranking": ["YYN"], "weight": 1, "basis": "x"},
            {"id": "alt1", "weight": 1, "basis": "x"},
        ],
    )
    got = problems(data, sources={"s1"})
    alt = ("preferences", "A", "alternatives")
    every = "(a ranking lists every feasible state exactly once)"
    assert got == [
        (("preferences", "A", "ranking"), f"the ranking misses 1 feasible state: YNN {every}"),
        ((*alt, 0, "ranking", 1), "state YNN is listed twice (first at ranking[0])"),
        (
            (*alt, 1, "prioritization", 0),
            "statement 'a1 |', column 5: expected an option, an option number, '-' or '(', "
            "found the end of the statement",
        ),
        (
            (*alt, 1, "prioritization", 1),
            "statement 'b9', column 1: unknown option 'b9' (expected one of: a1, a2, b1; or a "
            "number 1 to 3)",
        ),
        ((*alt, 1, "basis"), "basis cites unknown source [s9]"),
        ((*alt, 2, "id"), "alternative id 'main' is reserved for the main preferences"),
        (
            (*alt, 2, "ranking", 0),
            "state YYN is infeasible (ruled out by infeasible[0]: 'a1 & a2'): a ranking lists "
            "feasible states only",
        ),
        (
            (*alt, 2, "ranking"),
            f"the ranking misses 6 feasible states: NNN, YNN, NYN, NNY, YNY, NYY {every}",
        ),
        ((*alt, 3, "id"), "alternative id 'alt1' is used twice (first by alternatives[0])"),
        (
            (*alt, 3),
            "give exactly one of 'ranking' (states, most preferred first) or 'prioritization' "
            "(statements, most important first)",
        ),
    ]
    with pytest.raises(ValueError, match="invalid strategic model"):
        compile_uncertain(StrategicModel.model_validate(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": 0}, "greater than 0"),
        ({"weight": -1}, "greater than 0"),
        ({"weight": float("inf")}, "finite number"),
        ({"weight": None}, "valid number"),
        ({"basis": ""}, "at least 1 character"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_alternative_shapes(change: dict[str, Any], message: str) -> None:
    alt = {**DEFIANT, **change}
    with pytest.raises(ValidationError, match=message):
        StrategicModel.model_validate(strategic(alternatives=[alt]))


def test_an_alternative_needs_a_weight_and_a_basis() -> None:
    for missing in ("weight", "basis"):
        alt = {k: v for k, v in DEFIANT.items() if k != missing}
        with pytest.raises(ValidationError, match="Field required"):
            StrategicModel.model_validate(strategic(alternatives=[alt]))


def test_main_weight_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        StrategicModel.model_validate(strategic(weight=0))


def test_alternative_ids_follow_the_id_rules() -> None:
    got = problems(strategic(alternatives=[{**DEFIANT, "id": "no spaces"}]))
    assert got == [
        (
            ("preferences", "A", "alternatives", 0, "id"),
            "'no spaces' is not a valid alternative id (letters, digits, '_', '.', '+', '-'; "
            "starting with a letter or digit)",
        )
    ]
