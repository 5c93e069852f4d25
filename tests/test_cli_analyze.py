"""`zopa analyze` and `zopa evaluate` from the command line."""

import json

import pytest
from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def berlin_json():
    result = run("analyze", "--format", "json")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_analyze_default_scenario_report_sections():
    result = run("analyze")
    assert result.exit_code == 0
    for heading in (
        "1. Who accepts which proposal",
        "2. Does any proposal bridge the gap?",
        "3. The zone of possible agreement",
        "4. Smallest concessions",
        "5. What these numbers rest on",
        "6. The record against the assumptions",
    ):
        assert heading in result.stdout
    assert "kyiv-2025-12-14" in result.stdout
    assert "assumption" in result.stdout


def test_analyze_json_keys(berlin_json):
    doc = berlin_json
    assert doc["scenario"]["id"] == "berlin-2025-12"
    assert {p["id"] for p in doc["proposals"]} >= {"kyiv-2025-12-14", "us-28-point-2025-11-20"}
    assert {"exists", "size"} <= set(doc["zopa"])
    assert isinstance(doc["pareto"], list)
    assert all(isinstance(p, dict) for p in doc["pareto"])
    assert {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"} == set(doc["solutions"])
    assert "kyiv-2025-12-14" in doc["bridging"]
    assert doc["reactions"]
    for r in doc["reactions"]:
        assert set(r) == {
            "date",
            "party",
            "proposal",
            "stance",
            "source",
            "quote",
            "consistent",
            "utility",
            "reservation",
            "slack",
            "likelihood",
        }
        assert r["slack"] == pytest.approx(r["utility"] - r["reservation"], abs=2e-6)
        assert r["consistent"] == (r["likelihood"] >= 0.5)
    assert "as_of" not in doc  # only when --as-of is given


def test_analyze_reports_each_contradicted_reaction_and_counts_the_others(berlin_json):
    table = run("analyze")
    assert table.exit_code == 0
    assert "6. The record against the assumptions" in table.stdout
    result = run("analyze", "--format", "md")  # paragraphs on one line each
    assert result.exit_code == 0
    text = result.stdout
    section = text[text.index("## 6. The record against the assumptions") :]
    reactions = berlin_json["reactions"]
    wrong = [r for r in reactions if not r["consistent"]]
    assert wrong, "the Berlin assumptions contradict some of the record"
    assert (
        f"Of the {len(reactions)} reactions of the parties on record, "
        f"{len(reactions) - len(wrong)} agree with the point values of the assumptions and "
        f"{len(wrong)} contradict them" in section
    )
    lines = [x for x in section.splitlines() if x.startswith("- The assumptions")]
    assert len(lines) == len(wrong)
    for r, line in zip(wrong, lines, strict=True):
        assert f"{r['party']}'s utility of {r['proposal']} at {r['utility']:.2f}" in line
        assert f"walk-away point of {r['reservation']:.2f}" in line
        assert "[" + r["source"][0] + "]" in line
        assert f'"{r["quote"]}"' in line
    # every reaction is in the table, the contradicted ones marked
    rows = [x for x in section.splitlines() if x.startswith("| 2025-")]
    assert len(rows) == len(reactions)
    assert sum(x.endswith("✗ |") for x in rows) == len(wrong)


def test_analyze_markdown():
    result = run("analyze", "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "| P1 |" in result.stdout


def test_exit_code_one_when_an_asked_proposal_does_not_bridge(berlin_json):
    kyiv = next(p for p in berlin_json["proposals"] if p["id"] == "kyiv-2025-12-14")
    result = run("analyze", "--proposal", "kyiv-2025-12-14", "--format", "json")
    assert result.exit_code == (0 if kyiv["bridges"] else 1)
    assert json.loads(result.stdout)["proposals"][0]["id"] == "kyiv-2025-12-14"


def test_exit_codes_on_a_scenario_with_a_bridging_proposal(small_with_deal):
    ok = run("analyze", str(small_with_deal), "-p", "deal", "--format", "json")
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    # RU's utility equals its walk-away point exactly (0.5): on the exact grid that accepts
    assert doc["proposals"][0]["parties"]["RU"]["utility"] == 0.5
    assert doc["proposals"][0]["bridges"] is True
    assert doc["bridging"]["deal"]["already_bridges"] is True
    bad = run("analyze", str(small_with_deal), "-p", "deal", "-p", "plan")
    assert bad.exit_code == 1
    unknown = run("analyze", str(small_with_deal), "-p", "nope")
    assert unknown.exit_code == 2
    assert "unknown proposal 'nope'" in unknown.output


def test_evaluate_ad_hoc_terms(small_with_deal):
    ok = run(
        "evaluate", str(small_with_deal), "--terms", "nato=closed,army=800", "--format", "json"
    )
    assert ok.exit_code == 0
    doc = json.loads(ok.stdout)
    assert doc["bridges"] is True
    assert doc["filled"] == []
    no = run("evaluate", str(small_with_deal), "--terms", "nato=open", "--by", "UA")
    assert no.exit_code == 1
    assert "does not bridge the gap" in no.stdout
    assert "Smallest concessions" in no.stdout


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("nato", "expected issue=option"),
        ("nato=closed,nato=open", "given twice"),
        ("natto=closed", "unknown issue 'natto'"),
        ("army=650", "unknown option '650'"),
    ],
)
def test_evaluate_bad_terms_exit_two(small_with_deal, terms, message):
    result = run("evaluate", str(small_with_deal), "--terms", terms)
    assert result.exit_code == 2
    assert message in result.output


def test_evaluate_unknown_party_in_by(small_with_deal):
    result = run("evaluate", str(small_with_deal), "--terms", "nato=open", "--by", "XX")
    assert result.exit_code == 2
    assert "unknown party 'XX'" in result.output


def test_the_readme_shows_the_record_section_as_printed():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    part = readme.split("### Does the record contradict the assumptions?", 1)[1]
    shown = part.split("```\n", 2)[1]
    result = runner.invoke(app, ["analyze"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    text = result.stdout
    printed = text[text.index("6. The record against the assumptions") : text.index("\nSlack: ")]
    assert [line.rstrip() for line in printed.strip().splitlines()] == shown.strip().splitlines()
