"""Validation reports every problem at once: a wrong shape in one entry hides nothing else.

Pydantic skips a model's whole-model checks once a field is wrong; :func:`scenario_problems`
runs them on the entries whose shape is right. These tests pin what is still checked, and
that nothing is reported because of the entry left out (no false "unknown party").
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from tests.model.test_scenario import small

from zopa.model.scenario import Scenario, scenario_problems


def all_errors(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    errors: list[ErrorDetails] = info.value.errors()
    errors += scenario_problems(data, errors)
    return [(tuple(e["loc"]), e["msg"]) for e in errors]


def silent_p2(d: dict[str, Any]) -> None:
    d["proposals"]["p2"]["undecided"] = []  # p2 now says nothing on 'nato'


SILENT = (("proposals", "p2", "terms"), "says nothing on 'nato'")


@pytest.mark.parametrize(
    ("break_shape", "shape_loc"),
    [
        (lambda d: d["parties"]["US"].update(role="arbiter"), ("parties", "US", "role")),
        (lambda d: d["issues"]["army"].update(name=""), ("issues", "army", "name")),
        (
            lambda d: d["preferences"]["RU"].update(reservation=2),
            ("preferences", "RU", "reservation"),
        ),
        (lambda d: d["sources"]["s1"].update(publisher=3), ("sources", "s1", "publisher")),
        (lambda d: d["events"][0].update(kind=""), ("events", 0, "kind")),
        (lambda d: d.update(as_of="soon"), ("as_of",)),
        (lambda d: d.update(title=""), ("title",)),
        (lambda d: d.update(extra=1), ("extra",)),
    ],
)
def test_a_shape_error_does_not_hide_a_silent_proposal(
    break_shape: Callable[[dict[str, Any]], None], shape_loc: tuple[str | int, ...]
) -> None:
    data = copy.deepcopy(small())
    break_shape(data)
    silent_p2(data)
    errors = all_errors(data)
    assert [loc for loc, _ in errors if loc[: len(shape_loc)] == shape_loc], errors
    assert [e for e in errors if e[0] == SILENT[0] and SILENT[1] in e[1]], errors
    assert len(errors) == 2, errors  # and nothing caused by the entry left out


def test_references_to_a_left_out_entry_are_not_unknown() -> None:
    data = copy.deepcopy(small())
    data["parties"]["US"]["role"] = "arbiter"  # US is referred to by an option's consent,
    data["sources"]["s1"]["title"] = ""  # s1 by every proposal, event and basis
    data["issues"]["nato"]["name"] = ""  # nato by weights, values and terms
    errors = all_errors(data)
    assert sorted(loc for loc, _ in errors) == [
        ("issues", "nato", "name"),
        ("parties", "US", "role"),
        ("sources", "s1", "title"),
    ]


def test_checks_that_need_the_left_out_entry_are_skipped() -> None:
    data = copy.deepcopy(small())
    for party in data["parties"].values():
        party["role"] = "mediator"
    data["parties"]["RU"]["role"] = "combatant"  # is there a principal? unknown: not reported
    errors = all_errors(data)
    assert [loc for loc, _ in errors] == [("parties", "RU", "role")]
    data["parties"]["RU"]["role"] = "mediator"  # now every role is known: reported
    assert [msg for _, msg in all_errors(data) if "no party has role" in msg]


def test_independent_problems_in_other_entries_are_reported() -> None:
    data = copy.deepcopy(small())
    data["parties"]["US"]["role"] = "arbiter"
    data["preferences"]["UA"]["weights"]["navy"] = 0.1  # unknown issue
    data["proposals"]["p1"]["terms"]["nato"] = "ajar"  # unknown option
    data["events"][0]["source"] = "s9"  # unknown source
    data["issues"]["army"]["range"]["step"] = 70  # does not divide 400..600
    errors = all_errors(data)
    locs = {loc for loc, _ in errors}
    assert {
        ("parties", "US", "role"),
        ("preferences", "UA", "weights", "navy"),
        ("proposals", "p1", "terms", "nato"),
        ("events", 0, "source"),
        ("issues", "army", "range", "step"),
    } <= locs


def test_event_positions_survive_a_left_out_event() -> None:
    data = copy.deepcopy(small())
    good = data["events"][0]
    data["events"] = [{**good, "kind": ""}, {**good, "source": "s9"}]
    errors = all_errors(data)
    assert ("events", 1, "source") in {loc for loc, _ in errors}


def test_nothing_more_when_the_shapes_are_right() -> None:
    data = copy.deepcopy(small())
    silent_p2(data)
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    errors = info.value.errors()
    assert scenario_problems(data, errors) == []  # the whole-scenario checks ran already
    assert [tuple(e["loc"]) for e in errors] == [SILENT[0]]


def reaction(**changes: Any) -> dict[str, Any]:
    """A valid reaction of RU to p1 in :func:`small`, with ``changes``."""
    return {
        "date": "2025-12-02",
        "party": "RU",
        "proposal": "p1",
        "stance": "basis-for-talks",
        "source": "s1",
        **changes,
    }


def test_reaction_positions_survive_a_left_out_reaction() -> None:
    data = copy.deepcopy(small())
    data["reactions"] = [reaction(stance="welcomes"), reaction(source="s9")]
    errors = all_errors(data)
    assert [loc for loc, _ in errors] == [("reactions", 0, "stance"), ("reactions", 1, "source")]


def test_a_reaction_to_a_left_out_proposal_is_not_unknown() -> None:
    data = copy.deepcopy(small())
    data["proposals"]["p1"]["title"] = ""  # p1 is left out of the whole-scenario checks
    data["reactions"] = [reaction(date="2025-11-01")]  # before p1: unknown, so not reported
    errors = all_errors(data)
    assert [loc for loc, _ in errors] == [("proposals", "p1", "title")]


def test_a_reaction_by_a_party_whose_preferences_are_left_out_is_not_reported() -> None:
    data = copy.deepcopy(small())
    data["preferences"]["RU"]["reservation"] = 2  # RU's preferences are left out
    data["reactions"] = [reaction()]
    errors = all_errors(data)
    assert [loc for loc, _ in errors] == [("preferences", "RU", "reservation")]


def test_a_reaction_shape_error_does_not_hide_a_silent_proposal() -> None:
    data = copy.deepcopy(small())
    data["reactions"] = [reaction(quote="x" * 301)]
    silent_p2(data)
    errors = all_errors(data)
    assert [loc for loc, _ in errors] == [("reactions", 0, "quote"), SILENT[0]]
