"""Published graph-model analyses reproduced from the shipped scenario files, and the CLI."""

import json

from typer.testing import CliRunner

from zopa.catalog import load
from zopa.cli import app
from zopa.gmcr.analysis import stability_report, status_quo_report
from zopa.gmcr.compile import compile_game

runner = CliRunner()


def report_of(scenario_id, coalitions=None):
    game = compile_game(load(scenario_id).strategic)
    return game, stability_report(game, coalitions)


def test_prisoners_dilemma_file():
    # mutual defection (state 1, NN) is the Nash equilibrium; mutual silence (state 4, YY) is
    # also GMR, SMR and SEQ stable (Fang, Hipel & Kilgour 1993, sec. 4.2)
    _, report = report_of("prisoners-dilemma")
    eq = report.to_dict()["equilibria"]
    assert eq == {"R": [1], "GMR": [1, 4], "SMR": [1, 4], "SEQ": [1, 4]}


def test_chicken_file():
    _, report = report_of("chicken")
    eq = report.to_dict()["equilibria"]
    assert eq == {"R": [2, 3], "GMR": [2, 3, 4], "SMR": [2, 3, 4], "SEQ": [2, 3]}


def test_elmira_equilibria_and_evolution():
    # Hipel, Fang, Kilgour & Haight (1993) and Fang, Hipel & Kilgour (1993) analyse the Elmira
    # conflict with 9 states (the abandonment states merged into one). In our 12-state option
    # form, their state 5 (delay, insist) is 7 (NYNNY), their state 8 (modify, accept, insist)
    # is 10 (YNYNY) and their state 9 (abandon) is 5, 6, 11, 12. Their Nash and SEQ equilibria
    # 5, 8 and 9 appear as 7, 10 and the abandonment states with insistence (11, 12); from the
    # status quo the local government insists (1 -> 5) and MoE and Uniroyal jointly move to the
    # modified order (5 -> 8), the actual outcome.
    game, report = report_of("elmira", [["MoE", "UR"]])
    data = report.to_dict()
    assert data["equilibria"]["R"] == [7, 10, 11, 12]
    assert data["equilibria"]["SEQ"] == [7, 10, 11, 12]
    assert data["status_quo"] == 1
    # the coalition of MoE and Uniroyal can improve on state 7 but not on 10
    coalition = data["coalitions"][0]
    assert 7 not in coalition["nash_stable"]
    assert 10 in coalition["nash_stable"]
    evolution = status_quo_report(report, game.status_quo, "R", [["MoE", "UR"]])
    path = evolution["paths"]["10"]
    assert [(t["from"], t["to"], t["by"]) for t in path] == [(1, 7, ["LG"]), (7, 10, ["MoE", "UR"])]


def test_stability_cli_json_keys():
    result = runner.invoke(app, ["stability", "elmira", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {"states", "stable", "equilibria"} <= set(doc)
    assert doc["states"][0] == {"id": 1, "options": "NYNNN"}
    assert set(doc["stable"]) == {"R", "GMR", "SMR", "SEQ"}
    assert set(doc["stable"]["R"]) == {"MoE", "UR", "LG"}
    assert doc["alternative_rankings"] == []


def test_stability_cli_says_which_rankings_are_uncertain():
    doc = json.loads(runner.invoke(app, ["stability", "--format", "json"]).stdout)
    assert set(doc["alternative_rankings"]) == {"US", "RU"}
    table = runner.invoke(app, ["stability"], env={"COLUMNS": "200"})
    assert "zopa robust --engine stability" in table.stdout


def test_stability_cli_status_quo_and_errors():
    ok = runner.invoke(app, ["stability", "elmira", "--from", "NYNNN", "--coalition", "MoE+UR"])
    assert ok.exit_code == 0
    assert "1 → 7 (LG) → 10 (MoE+UR)" in ok.stdout
    bad_state = runner.invoke(app, ["stability", "elmira", "--from", "NNNNN"])
    assert bad_state.exit_code == 2
    bad_dm = runner.invoke(app, ["stability", "elmira", "--coalition", "MoE+XX"])
    assert bad_dm.exit_code == 2
    assert "unknown decision maker 'XX'" in bad_dm.output
    bad_concept = runner.invoke(app, ["stability", "elmira", "--from", "1", "--concept", "XYZ"])
    assert bad_concept.exit_code == 2


def test_default_scenario_strategic_model_reports_the_packages_on_the_table():
    result = runner.invoke(app, ["stability", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {"kyiv-offer", "us-28-point", "e3-counter"} <= set(doc["named"])
    for named in doc["named"].values():
        assert set(named["equilibrium"]) <= {"R", "GMR", "SMR", "SEQ"}
    table = runner.invoke(app, ["stability"], env={"COLUMNS": "200"})
    assert "kyiv-offer" in table.stdout
    assert "analyst assumptions" in table.stdout


def test_stability_needs_a_strategic_section(tmp_path):
    from tests.conftest import SMALL_SCENARIO

    result = runner.invoke(app, ["stability", str(SMALL_SCENARIO)])
    assert result.exit_code == 2
    assert "no strategic section" in result.output
