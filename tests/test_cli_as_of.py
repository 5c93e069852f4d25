"""`--as-of DATE` on every analysis command: the scenario as an analyst knew it that day."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.conftest import invoke

import zopa
from zopa.model import as_of_cut

DAY = "2025-11-24"
"""After the 28 points, the E3 text and the Geneva revision; before Moscow's and Kyiv's texts."""

COMMANDS = {
    "analyze": ["analyze"],
    "evaluate": ["evaluate", "--terms", "nato=set-aside"],
    "stability": ["stability"],
    "forecast": ["forecast", "--issue", "nato"],
    "robust": ["robust", "--samples", "20", "--workers", "1"],
    "simulate": ["simulate"],
    "tournament": [
        "tournament",
        "--samples",
        "2",
        "--strategies",
        "linear,boulware",
        "--workers",
        "1",
    ],
}
"""Each command with options that keep it quick."""


@pytest.fixture(scope="module")
def cut() -> zopa.model.as_of.AsOfCut:
    return as_of_cut(zopa.load(), DAY)


def _json(command: str, *extra: str) -> dict[str, object]:
    small = ["--no-pareto"] if command == "analyze" else []
    result = invoke(*COMMANDS[command], *small, *extra, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr  # evaluate: 1 when it does not bridge
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_json_says_what_was_left_out(command: str, cut: zopa.model.as_of.AsOfCut) -> None:
    data = _json(command, "--as-of", DAY)
    as_of = data["as_of"]
    assert isinstance(as_of, dict)
    assert as_of == cut.to_dict()
    assert as_of["left_out"]["proposals"] == 2
    assert as_of["left_out"]["reactions"] == cut.reactions > 0
    scenario = data.get("scenario")
    if isinstance(scenario, dict):  # the inputs' stamp is the cut scenario's
        assert scenario["as_of"] == DAY


@pytest.mark.parametrize("command", ["analyze", "simulate", "stability"])
def test_without_as_of_there_is_no_as_of_member(command: str) -> None:
    assert "as_of" not in _json(command)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_report_says_it_under_its_title(command: str, cut: zopa.model.as_of.AsOfCut) -> None:
    result = invoke(*COMMANDS[command], "--as-of", DAY)
    assert result.exit_code in (0, 1), result.stderr
    assert cut.summary() in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", [*COMMANDS, "show"])
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("yesterday", "--as-of: expected a date as YYYY-MM-DD, got 'yesterday'"),
        ("2025-13-01", "--as-of: expected a date as YYYY-MM-DD"),
        ("2025-11-19", "--as-of: as of 2025-11-19 there is nothing to analyse"),
    ],
)
def test_a_bad_date_is_refused_with_exit_code_2(command: str, day: str, message: str) -> None:
    args = COMMANDS.get(command, [command])
    result = invoke(*args, "--as-of", day)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_analyze_as_of_leaves_later_proposals_and_reactions_out() -> None:
    data = _json("analyze", "--as-of", DAY)
    day = dt.date.fromisoformat(DAY)
    proposals = data["proposals"]
    assert isinstance(proposals, list)
    assert [p["id"] for p in proposals] == [
        "us-28-point-2025-11-20",
        "e3-counter-2025-11-23",
        "geneva-19-point-2025-11-24",
    ]
    reactions = data["reactions"]
    assert isinstance(reactions, list)
    assert reactions
    assert all(dt.date.fromisoformat(r["date"]) <= day for r in reactions)
    full = _json("analyze")
    assert len(full["reactions"]) > len(reactions)  # type: ignore[arg-type]


def test_a_date_after_the_scenario_leaves_nothing_out() -> None:
    data = _json("analyze", "--as-of", "2026-01-01")
    as_of = data["as_of"]
    assert isinstance(as_of, dict)
    assert set(as_of["left_out"].values()) == {0}
    assert "nothing is left out" in as_of["summary"]


def test_show_as_of_prints_the_cut_scenario() -> None:
    table = invoke("show", "--as-of", DAY)
    assert table.exit_code == 0
    text = " ".join(table.stdout.split())
    assert as_of_cut(zopa.load(), DAY).summary() in text
    assert "kyiv-2025-12-14" not in table.stdout
    assert "Reactions" in table.stdout
    as_json = invoke("show", "--as-of", DAY, "--format", "json")
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    again = zopa.model.Scenario.model_validate(data)  # still a valid scenario
    assert again.as_of == dt.date.fromisoformat(DAY)
    assert "kyiv-2025-12-14" not in again.proposals
    assert all(r.date <= again.as_of for r in again.reactions)
    assert "left out" in as_json.stderr


def test_forecast_of_a_csv_refuses_as_of() -> None:
    result = invoke("forecast", "ec-car-emissions", "--as-of", DAY)
    assert result.exit_code == 2
    assert "--as-of: as_of applies to scenarios" in result.stderr


def test_the_facade_takes_as_of_everywhere(cut: zopa.model.as_of.AsOfCut) -> None:
    assert zopa.load(as_of=DAY) == cut.scenario
    assert zopa.analyze(as_of=DAY).cut == cut
    assert zopa.evaluate(terms="nato=set-aside", as_of=DAY).cut == cut
    assert zopa.stability(as_of=DAY).cut == cut
    assert zopa.forecast(issues="nato", as_of=DAY).cut == cut
    assert zopa.simulate(as_of=DAY).cut == cut
    assert zopa.analyze().cut is None
    s = zopa.load()
    assert zopa.analyze(s, as_of=dt.date.fromisoformat(DAY)).to_dict()["as_of"] == cut.to_dict()
