"""The ``dynamics:`` section: its calendar arithmetic, and every rule it is checked against.

Positions in files are checked by ``tests/io/bad_scenarios/dynamics-*.yaml``; here the section
is built from Python data (a copy of ``tests/io/good_scenarios/dynamics.yaml``), one change at a
time.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from zopa.catalog import load
from zopa.io.scenario_file import load_scenario_file
from zopa.io.yaml_tree import read_yaml
from zopa.model.dynamics import DEFAULT_ROUNDS, MAX_ROUNDS, Dynamics, Shift
from zopa.model.numbers import Uncertain
from zopa.model.scenario import Scenario

GOOD = Path(__file__).parents[1] / "io" / "good_scenarios" / "dynamics.yaml"
AS_OF = dt.date(2025, 12, 14)


def data() -> dict[str, Any]:
    """The good dynamics scenario as plain data (dates as text, as read from YAML)."""
    return copy.deepcopy(read_yaml(GOOD.read_text(encoding="utf-8")).data)


def problems(d: dict[str, Any]) -> list[tuple[str, str]]:
    """Validate; return ``(dotted location, message)`` of every problem."""
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(d)
    return [
        (".".join(str(part) for part in e["loc"]), str(e["msg"]))
        for e in info.value.errors(include_url=False)
    ]


def one_problem(d: dict[str, Any]) -> tuple[str, str]:
    found = problems(d)
    assert len(found) == 1, found
    return found[0]


def dyn(**fields: Any) -> Dynamics:
    return Dynamics.model_validate(fields)


# -- the good file and its accessors ------------------------------------------------------------


def test_the_good_file_is_valid() -> None:
    s = load_scenario_file(GOOD)
    d = s.dynamics
    assert d is not None
    assert d.start == dt.date(2025, 12, 15)
    assert d.round_days == 7
    assert d.deadline == dt.date(2026, 3, 31)
    assert d.rounds is None
    assert set(d.drift) == {"UA", "RU"}
    assert d.drift["UA"].cost_of_war == Uncertain(0.002, 0.012, 0.006)
    assert d.drift["RU"].territory == 0.0  # the default: no expected change of ground
    assert [sh.hypothetical for sh in d.shifts] == [True, True, False]
    assert d.shifts[2].source == ["src1"]  # one id is a list of one


def test_json_round_trip() -> None:
    s = load_scenario_file(GOOD)
    dumped = s.model_dump(mode="json", exclude_none=True)
    assert json.loads(json.dumps(dumped))["dynamics"]["start"] == "2025-12-15"
    assert Scenario.model_validate(dumped) == s


def test_the_good_file_matches_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    from zopa.io.schema import SCHEMA_FILE

    schema = json.loads((resources.files("zopa") / "schema" / SCHEMA_FILE).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(data())] == []
    bad = data()
    bad["dynamics"]["drift"]["RU"]["cost_of_war"] = -0.1
    assert not validator.is_valid(bad)


@pytest.mark.parametrize(
    ("fields", "rounds"),
    [
        ({}, DEFAULT_ROUNDS),
        ({"rounds": 5}, 5),
        ({"rounds": 5, "round_days": 7}, 5),
        # 15 Dec to 31 Mar is 106 days: rounds on days 0, 7, ..., 105
        ({"start": "2025-12-15", "round_days": 7, "deadline": "2026-03-31"}, 16),
        ({"start": "2025-12-15", "round_days": 7, "deadline": "2026-03-30"}, 16),
        ({"start": "2025-12-15", "round_days": 7, "deadline": "2026-03-29"}, 15),
        ({"start": "2025-12-15", "round_days": 14, "deadline": "2025-12-29"}, 2),
        ({"start": "2025-12-15", "round_days": 7, "deadline": "2025-12-15"}, 1),
        ({"round_days": 1, "deadline": "2025-12-24"}, 11),  # from as_of, 14 Dec
    ],
)
def test_round_count(fields: dict[str, Any], rounds: int) -> None:
    assert dyn(**fields).round_count(AS_OF) == rounds


def test_round_dates() -> None:
    d = dyn(start="2025-12-15", round_days=7)
    assert d.is_dated(AS_OF)
    assert d.round_date(0, AS_OF) == dt.date(2025, 12, 15)
    assert d.round_date(3, AS_OF) == dt.date(2026, 1, 5)
    # the start defaults to the scenario's as_of
    assert dyn(round_days=7).round_date(1, AS_OF) == dt.date(2025, 12, 21)
    # undated without round_days, or without any start date
    assert not dyn(start="2025-12-15").is_dated(AS_OF)
    assert dyn(start="2025-12-15").round_date(2, AS_OF) is None
    assert not dyn(round_days=7).is_dated(None)


def shift(**fields: Any) -> Shift:
    base = {"event": "E", "hypothetical": True, "parties": {"UA": 0.1}, "basis": "Assumption."}
    return Shift.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("when", "first"),
    [
        ({"round": 0}, 0),
        ({"round": 4}, 4),
        ({"date": "2025-12-15"}, 0),  # on the start: in force from round 0
        ({"date": "2025-12-16"}, 1),  # between rounds: from the next round
        ({"date": "2025-12-22"}, 1),  # on a round's date: from that round
        ({"date": "2025-12-23"}, 2),
        ({"date": "2026-02-01"}, 7),  # 48 days: round 7 falls on 2 Feb
        ({"date": "2025-12-14"}, None),  # before the start: ignored
        ({"date": "2025-01-01"}, None),
    ],
)
def test_first_round_of_a_shift(when: dict[str, Any], first: int | None) -> None:
    d = dyn(start="2025-12-15", round_days=7)
    assert d.first_round(shift(**when), AS_OF) == first


def test_dated_shift_in_undated_rounds_has_no_round() -> None:
    assert dyn(rounds=4).first_round(shift(date="2025-12-20"), None) is None


# -- valid variations ----------------------------------------------------------------------------


def test_start_may_lie_after_or_before_as_of() -> None:
    d = data()
    d["dynamics"]["start"] = "2026-01-05"
    s = Scenario.model_validate(d)
    assert s.dynamics is not None
    assert s.dynamics.round_count(s.as_of) == 13  # 5 Jan to 30 Mar
    d = data()
    d["dynamics"]["start"] = "2025-12-01"  # replaying the talks from an earlier date
    s = Scenario.model_validate(d)
    assert s.dynamics is not None
    assert s.dynamics.first_round(s.dynamics.shifts[2], s.as_of) == 2  # 10 Dec: round 2 (15 Dec)


def test_rounds_without_a_calendar_are_fine_with_round_shifts() -> None:
    d = data()
    d["dynamics"] = {
        "rounds": 6,
        "shifts": [
            {
                "round": 5,
                "event": "E",
                "hypothetical": True,
                "parties": {"UA": -0.1},
                "basis": "An Assumption.",
            }
        ],
    }
    s = Scenario.model_validate(d)
    assert s.dynamics is not None
    assert not s.dynamics.is_dated(s.as_of)


def test_an_empty_section_is_valid() -> None:
    d = data()
    d["dynamics"] = {}
    s = Scenario.model_validate(d)
    assert s.dynamics == Dynamics()
    assert s.dynamics.round_count(s.as_of) == DEFAULT_ROUNDS


def test_hypothetical_shift_may_lie_after_as_of_without_a_source() -> None:
    d = data()
    assert d["dynamics"]["shifts"][0]["date"] > "2025-12-14"
    assert "source" not in d["dynamics"]["shifts"][0]
    Scenario.model_validate(d)


def test_basis_may_cite_several_sources() -> None:
    d = data()
    d["dynamics"]["drift"]["UA"]["basis"] = "Assumption [src1, src2]."
    Scenario.model_validate(d)


# -- problems ------------------------------------------------------------------------------------


def edit(path: list[str | int], value: Any) -> dict[str, Any]:
    d = data()
    node: Any = d["dynamics"]
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return d


@pytest.mark.parametrize(
    ("path", "value", "where", "fragment"),
    [
        (["rounds"], 10, "dynamics.deadline", "not both"),
        (["round_days"], 0, "dynamics.round_days", "greater than or equal to 1"),
        (["rounds"], MAX_ROUNDS + 1, "dynamics.rounds", "less than or equal to"),
        (["deadline"], "2025-12-01", "dynamics.deadline", "before the start of the talks"),
        (["deadline"], "3025-12-01", "dynamics.deadline", "at most 10,000"),
        (["deadline"], "31 March", "dynamics.deadline", "date"),
        (["start"], "2025-13-01", "dynamics.start", "date"),
        (["drift", "UA", "territory"], 1.5, "dynamics.drift.UA.territory", "[-1, 1]"),
        (
            ["drift", "UA", "cost_of_war"],
            {"low": 0.2, "high": 0.1},
            "dynamics.drift.UA.cost_of_war",
            "must not exceed",
        ),
        (["drift", "UA", "basis"], KeyError, "dynamics.drift.UA.basis", "required"),
        (
            ["drift", "UA", "basis"],
            "Known [src1].",
            "dynamics.drift.UA.basis",
            "must say 'Assumption'",
        ),
        (
            ["drift", "UA", "basis"],
            "Assumption [nowhere].",
            "dynamics.drift.UA.basis",
            "unknown source [nowhere]",
        ),
        (["drift", "UA", "speed"], 1, "dynamics.drift.UA.speed", "Extra inputs"),
        (["basis"], "Assumption [nowhere].", "dynamics.basis", "unknown source [nowhere]"),
        (["shifts", 0, "parties"], {}, "dynamics.shifts.0.parties", "at least 1"),
        (["shifts", 0, "parties", "UA"], "-0.02", "dynamics.shifts.0.parties.UA", "number"),
        (["shifts", 0, "parties", "TR"], 0.1, "dynamics.shifts.0.parties.TR", "has no preferences"),
        (["shifts", 0, "date"], KeyError, "dynamics.shifts.0", "exactly one of 'date' or 'round'"),
        (["shifts", 0, "round"], -1, "dynamics.shifts.0.round", "greater than or equal to 0"),
        (["shifts", 0, "basis"], "A what-if.", "dynamics.shifts.0.basis", "must say 'Assumption'"),
        (
            ["shifts", 2, "source"],
            ["src1", "nope"],
            "dynamics.shifts.2.source.1",
            "unknown source 'nope'",
        ),
        (["shifts", 2, "source"], [], "dynamics.shifts.2", "must cite its 'source'"),
        (
            ["shifts", 2, "date"],
            "2025-12-15",
            "dynamics.shifts.2.date",
            "after the scenario's as_of",
        ),
        (["shifts", 1, "round"], 99, "dynamics.shifts.1.round", "past the deadline"),
    ],
)
def test_one_problem(path: list[str | int], value: Any, where: str, fragment: str) -> None:
    found = problems(edit(path, value))
    assert [w for w, _ in found] == [where], found
    assert fragment in found[0][1], found


def test_a_deadline_date_needs_round_days() -> None:
    d = data()
    d["dynamics"] = {"deadline": "2026-03-31"}
    assert one_problem(d) == (
        "dynamics.deadline",
        "a deadline date needs 'round_days' (the length of a round) to count the rounds; or give "
        "'rounds'",
    )


def without_as_of(d: dict[str, Any]) -> dict[str, Any]:
    for key in ("as_of", "proposals", "events"):
        del d[key]
    return d


def test_round_days_need_a_start_date() -> None:
    d = without_as_of(data())
    d["dynamics"] = {"round_days": 7, "rounds": 4}
    assert one_problem(d)[0] == "dynamics.round_days"
    d["dynamics"]["start"] = "2025-12-15"  # an explicit start will do
    Scenario.model_validate(d)


def test_a_reported_shift_needs_as_of() -> None:
    d = without_as_of(data())
    d["dynamics"]["start"] = "2025-12-01"
    where, message = one_problem(d)
    assert where == "dynamics.shifts.2.date"
    assert "needs the scenario's 'as_of'" in message


def test_a_reported_shift_needs_a_date_not_a_round() -> None:
    d = data()
    reported = d["dynamics"]["shifts"][2]
    del reported["date"]
    reported["round"] = 0
    where, message = one_problem(d)
    assert where == "dynamics.shifts.2.round"
    assert "give its 'date'" in message


def test_dated_shift_needs_dated_rounds() -> None:
    d = data()
    d["dynamics"] = {"rounds": 4, "shifts": [d["dynamics"]["shifts"][0]]}
    where, message = one_problem(d)
    assert where == "dynamics.shifts.0.date"
    assert "needs dated rounds" in message


def test_unknown_party_in_drift_and_shift() -> None:
    d = data()
    d["dynamics"]["drift"]["XX"] = {"basis": "Assumption."}
    d["dynamics"]["shifts"][1]["parties"]["YY"] = 0.1
    found = problems(d)
    assert [w for w, _ in found] == ["dynamics.drift.XX", "dynamics.shifts.1.parties.YY"]
    assert all("expected a party with preferences: UA, RU, US" in m for _, m in found)


def test_several_problems_are_reported_at_once() -> None:
    d = data()
    d["dynamics"]["rounds"] = 3
    d["dynamics"]["drift"]["UA"]["basis"] = "Assumption [nowhere]."
    d["dynamics"]["shifts"][2]["source"] = []
    assert [w for w, _ in problems(d)] == [
        "dynamics.deadline",
        "dynamics.drift.UA.basis",
        "dynamics.shifts.2",
    ]


def test_dynamics_need_parties_with_preferences() -> None:
    strategic = read_yaml((GOOD.parent / "strategic.yaml").read_text(encoding="utf-8")).data
    strategic["dynamics"] = {"rounds": 3}
    where, message = one_problem(strategic)
    assert where == "dynamics"
    assert "no party has preferences" in message


# -- the default scenario ----------------------------------------------------------------------


def test_berlin_dynamics_are_labelled_assumptions() -> None:
    s = load()
    d = s.dynamics
    assert d is not None
    assert d.start == dt.date(2025, 12, 15)  # the day after as_of
    assert d.round_days == 7
    assert d.round_count(s.as_of) == 16  # 15 Dec 2025 to 30 Mar 2026
    assert {"UA", "RU"} <= set(d.drift)  # both belligerents drift
    assert d.basis is not None
    assert "Assumption" in d.basis
    for entry in d.drift.values():
        assert "Assumption" in entry.basis
    assert 1 <= len(d.shifts) <= 3
    for one in d.shifts:
        assert one.hypothetical  # what-ifs, not reported events
        assert "Assumption" in one.basis
        assert "what-if" in one.basis


def test_berlin_belligerents_drift_with_ranges() -> None:
    d = load().dynamics
    assert d is not None
    for party in ("UA", "RU"):
        entry = d.drift[party]
        assert isinstance(entry.cost_of_war, Uncertain)
        assert isinstance(entry.territory, Uncertain)
    # the battlefield favours Moscow in the analyst's reading (unverified claims), not Kyiv
    assert d.drift["UA"].territory.high <= 0  # type: ignore[union-attr]
    assert d.drift["RU"].territory.low >= 0  # type: ignore[union-attr]


# -- zopa show -----------------------------------------------------------------------------------


def test_show_prints_the_dynamics_as_assumptions() -> None:
    from typer.testing import CliRunner

    from zopa.cli import app

    result = CliRunner().invoke(app, ["show", str(GOOD)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # paragraphs wrap at 100 columns
    assert "Dynamics (analyst assumptions)" in out
    assert "16 rounds of 7 days, numbered 0 (on 2025-12-15) to 15 (on 2026-03-30)" in out
    assert "deadline 2026-03-31" in out
    assert "0.006 (0.002 to 0.012)" in out  # UA's cost of war
    assert "2026-02-01 (round 7)" in out
    assert "2025-12-10 (before the start)" in out
    assert "reported [src1]" in out  # source ids survive rich markup
    assert "hypothetical" in out
    assert "every drift and shift of walk-away points is an analyst assumption" in out
