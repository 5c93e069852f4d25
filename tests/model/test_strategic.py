"""The strategic model: standalone and mixed scenarios, whole-section checks, resolution."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from tests.model.test_scenario import small

from zopa.gmcr.statements import And, If, Lit, Not
from zopa.model.scenario import Scenario
from zopa.model.strategic import StrategicModel, resolve_strategic


def strategic() -> dict[str, Any]:
    return {
        "decision_makers": {
            "A": {"name": "Side A", "options": {"a1": "A escalates", "a2": "A negotiates"}},
            "B": {"options": {"b1": "B concedes"}},
        },
        "infeasible": ["a1 & a2"],
        "irreversible": {"b1": "forward"},
        "status_quo": "NNN",
        "states": {"deal": "a2 & b1"},
        "preferences": {
            "A": {"ranking": ["NYY", ["YNY", "NNY"], "NYN", "NNN", "YNN"], "basis": "A [s1]."},
            "B": {"prioritization": ["-a1", "a2 if b1", "-b1"]},
        },
    }


def standalone(**section: Any) -> dict[str, Any]:
    return {
        "zopa": 1,
        "id": "game",
        "title": "A game",
        "sources": {"s1": {"publisher": "P", "title": "T"}},
        "strategic": {**strategic(), **section},
    }


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors()]


def test_standalone_strategic_scenario() -> None:
    s = Scenario.model_validate(standalone())
    assert s.as_of is None
    assert s.parties == {}
    assert s.issues == {}
    assert s.proposals == {}
    assert s.strategic is not None
    assert s.strategic.option_ids() == ["a1", "a2", "b1"]
    assert s.strategic.irreversible == {"b1": "forward"}
    assert s.strategic.preferences["A"].ranking == ["NYY", ["YNY", "NNY"], "NYN", "NNN", "YNN"]


def test_minimal_standalone_file_fields() -> None:
    data = standalone()
    del data["sources"]
    data["strategic"]["preferences"]["A"].pop("basis")
    for key in ("infeasible", "irreversible", "status_quo", "states"):
        data["strategic"].pop(key)
    data["strategic"]["preferences"]["A"]["ranking"] = [
        "NYY", "YNY", "NNY", "NYN", "NNN", "YNN", "YYN", "YYY"
    ]  # fmt: skip
    s = Scenario.model_validate(data)
    assert s.strategic is not None
    assert s.strategic.status_quo is None


def test_round_trip() -> None:
    s = Scenario.model_validate(standalone())
    assert Scenario.model_validate(s.model_dump(mode="json", exclude_none=True)) == s


def test_statements_may_be_numbers() -> None:
    data = standalone()
    data["strategic"]["preferences"]["B"]["prioritization"] = [-1, "2 if 3", 3]
    s = Scenario.model_validate(data)
    assert s.strategic is not None
    assert s.strategic.preferences["B"].prioritization == ["-1", "2 if 3", "3"]
    resolved = resolve_strategic(s.strategic)
    assert resolved.priorities["B"] == [Not(Lit(0)), If(Lit(1), Lit(2)), Lit(2)]


def test_resolution() -> None:
    resolved = resolve_strategic(StrategicModel.model_validate(strategic()))
    assert resolved.problems == []
    assert resolved.dms == ["A", "B"]
    assert resolved.blocks == [(0, 2), (2, 1)]
    assert resolved.direction == [0, 0, 1]
    assert resolved.infeasible == [And((Lit(0), Lit(1)))]
    assert resolved.status_quo == 0
    assert resolved.named == {"deal": 6}
    assert resolved.rankings["A"] == [[6], [5, 4], [2], [0], [1]]
    assert resolved.feasible().tolist() == [True, True, True, False, True, True, True, False]


def test_a_scenario_needs_issues_or_a_strategic_section() -> None:
    data = standalone()
    del data["strategic"]
    assert errors_of(data) == [
        (
            ("issues",),
            "a scenario needs 'issues' (a negotiation), a 'strategic' section (a graph model), "
            "a 'forecast' section, or several of them",
        )
    ]


def test_proposals_and_events_need_as_of() -> None:
    data = small()
    del data["as_of"]
    ((loc, msg),) = errors_of(data)
    assert loc == ("as_of",)
    assert "needs the date" in msg
    data["proposals"] = {}
    data["events"] = []
    assert Scenario.model_validate(data).as_of is None


def test_issues_need_parties() -> None:
    data = small()
    data["parties"] = {}
    assert [loc for loc, _ in errors_of(data)] == [("parties",)]


# -- a strategic section inside a negotiation scenario -----------------------------------------


def mixed(**dm_b: Any) -> dict[str, Any]:
    data = small()
    section = strategic()
    section["decision_makers"]["A"]["party"] = "UA"
    section["decision_makers"]["B"].update(dm_b)
    data["strategic"] = section
    return data


def test_mixed_scenario_links_decision_makers_to_parties() -> None:
    s = Scenario.model_validate(mixed(party="RU"))
    assert s.strategic is not None
    assert s.strategic.decision_makers["A"].party == "UA"
    assert s.as_of == dt.date(2025, 12, 14)


def test_unknown_party_of_a_decision_maker() -> None:
    assert errors_of(mixed(party="XX")) == [
        (
            ("strategic", "decision_makers", "B", "party"),
            "unknown party 'XX' (expected one of: UA, RU, US)",
        )
    ]


def test_basis_citations_are_checked_against_the_scenario() -> None:
    data = standalone()
    data["strategic"]["preferences"]["B"]["basis"] = "See [s1, s2] and [s3]."
    assert errors_of(data) == [
        (("strategic", "preferences", "B", "basis"), "basis cites unknown source [s2]"),
        (("strategic", "preferences", "B", "basis"), "basis cites unknown source [s3]"),
    ]


# -- whole-section checks ----------------------------------------------------------------------


def one_error(data: dict[str, Any]) -> tuple[tuple[str | int, ...], str]:
    errors = errors_of(data)
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.parametrize(
    ("option", "fragment"),
    [
        ("12", "is a number"),
        ("NY", "reads as a state vector"),
        ("Y-N", "reads as a state vector"),
        ("if", "is an operator"),
        ("iff", "is an operator"),
        ("-x", "is not a valid option id"),
        ("a b", "is not a valid option id"),
    ],
)
def test_option_ids_that_statements_could_not_name(option: str, fragment: str) -> None:
    data = standalone()
    data["strategic"]["decision_makers"]["B"]["options"] = {"b1": "B concedes", option: "x"}
    data["strategic"]["preferences"]["A"]["ranking"] = ["NYNN"]  # checked, not the point here
    errors = [e for e in errors_of(data) if e[0][:2] == ("strategic", "decision_makers")]
    assert errors == [(("strategic", "decision_makers", "B", "options", option), errors[0][1])]
    assert fragment in errors[0][1]


def test_state_names() -> None:
    data = standalone(states={"3": "YNN", "NN": "NNN", "ok": "NNN"})
    errors = errors_of(data)
    assert [loc for loc, _ in errors] == [
        ("strategic", "states", "3"),
        ("strategic", "states", "NN"),
    ]


def test_irreversible_options_by_number() -> None:
    s = Scenario.model_validate(standalone(irreversible={"1": "backward", "b1": "forward"}))
    assert s.strategic is not None
    assert resolve_strategic(s.strategic).direction == [2, 0, 1]


def test_patterns_for_named_states() -> None:
    data = standalone(states={"one": "Y-N", "deal": "NY-"}, status_quo="-a1 & -a2 & -b1")
    errors = errors_of(data)
    assert errors == [
        (
            ("strategic", "states", "deal"),
            "'NY-' matches 2 feasible states (NYN, NYY): it must match exactly one",
        )
    ]
    data["strategic"]["states"]["deal"] = "NYY"
    s = Scenario.model_validate(data)
    assert s.strategic is not None
    resolved = resolve_strategic(s.strategic)
    assert resolved.named == {"one": 1, "deal": 6}
    assert resolved.status_quo == 0


def test_a_broken_infeasibility_condition_stops_checks_that_need_it() -> None:
    data = standalone(infeasible=["a1 &"])
    data["strategic"]["preferences"]["A"]["ranking"] = ["NYY"]  # incomplete, but not reported
    assert [loc for loc, _ in errors_of(data)] == [("strategic", "infeasible", 0)]


def test_ranking_problems_are_all_reported() -> None:
    data = standalone()
    data["strategic"]["preferences"]["A"]["ranking"] = ["NYY", "NYY", "YYY", ["YNY"], "NYN"]
    errors = errors_of(data)
    assert errors == [
        (
            ("strategic", "preferences", "A", "ranking", 1),
            "state NYY is listed twice (first at ranking[0])",
        ),
        (
            ("strategic", "preferences", "A", "ranking", 2),
            "state YYY is infeasible (ruled out by infeasible[0]: 'a1 & a2'): a ranking lists "
            "feasible states only",
        ),
        (
            ("strategic", "preferences", "A", "ranking"),
            "the ranking misses 3 feasible states: NNN, YNN, NNY (a ranking lists every feasible "
            "state exactly once)",
        ),
    ]


def test_too_many_statements() -> None:
    data = standalone()
    data["strategic"]["preferences"]["B"]["prioritization"] = ["a1"] * 63
    assert one_error(data) == (
        ("strategic", "preferences", "B", "prioritization"),
        "63 statements: at most 62 (scores are int64)",
    )


def test_thirty_options_are_allowed_and_checked_lazily() -> None:
    # 30 options: no ranking, exact vectors only, so validation need not build 2**30 states
    section = strategic()
    section["decision_makers"] = {
        "A": {"options": {f"a{k}": "x" for k in range(15)}},
        "B": {"options": {f"b{k}": "y" for k in range(15)}},
    }
    section["infeasible"] = ["a0 & b0"]
    section["irreversible"] = {}
    section["status_quo"] = "N" * 30
    section["states"] = {"both": "Y" + "N" * 14 + "N" * 15}
    section["preferences"] = {
        "A": {"prioritization": ["a0", "-b0"]},
        "B": {"prioritization": ["b0 if a0"]},
    }
    model = StrategicModel.model_validate(section)
    resolved = resolve_strategic(model)
    assert resolved.problems == []
    assert resolved._feasible is None
    assert resolved.named == {"both": 1}
    section["status_quo"] = "Y" + "N" * 14 + "Y" + "N" * 14
    problems = resolve_strategic(StrategicModel.model_validate(section)).problems
    assert [p[0] for p in problems] == [("status_quo",)]
    assert "is infeasible (ruled out by infeasible[0]: 'a0 & b0')" in problems[0][1]


def test_more_than_thirty_options() -> None:
    section = copy.deepcopy(strategic())
    section["decision_makers"]["B"]["options"] = {f"b{k}": "y" for k in range(29)}
    problems = resolve_strategic(StrategicModel.model_validate(section)).problems
    assert problems == [
        (
            ("decision_makers",),
            "31 options in all: at most 30 (a model with n options has 2**n states)",
            None,
        )
    ]
