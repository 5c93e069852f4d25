"""``zopa backtest``: formats, exit codes, and a report that reads at 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.backtest.scenarios import BROKE_DOWN, scenario_text
from tests.conftest import invoke


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("cli-backtest")
    out = []
    for name, text in (
        ("agreed", scenario_text(sid="agreed")),
        ("broke", scenario_text(BROKE_DOWN, r_a="0.72", sid="broke")),
    ):
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        out.append(str(path))
    return out


QUICK = ["--samples", "40", "--workers", "1"]


def test_json(files: list[str]) -> None:
    result = invoke("backtest", *files, *QUICK, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "not proof of foresight" in data["honesty"]
    assert [r["scenario"] for r in data["summary"]] == ["agreed", "agreed", "broke"]
    assert data["summary"][2]["zone"] == "thin"
    assert data["settings"]["samples"] == 40


def test_markdown(files: list[str]) -> None:
    result = invoke("backtest", *files, *QUICK, "--format", "md")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# Backtest: what history says about the method")
    assert "not proof of foresight" in md
    assert "| scenario | point | P | P dated | Nash rank | to Nash / KS |" in md
    assert "| agreed | acceptable |" in md
    assert "| broke | thin zone |" in md


def test_the_table_reads_at_80_columns(files: list[str]) -> None:
    result = invoke("backtest", *files, *QUICK, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = result.stdout
    assert "not proof of foresight" in text
    assert "At the last date before each outcome" in text
    assert "Interim outcome 1: rejected on 2020-01-20" in text
    assert "2 of 2" in text  # the Nash rank


def test_same_seed_same_output(files: list[str]) -> None:
    one = invoke("backtest", files[0], *QUICK, "--seed", "5", "--format", "json").stdout
    two = invoke(
        "backtest", files[0], "--samples", "40", "--workers", "2", "--seed", "5", "--format", "json"
    ).stdout
    assert one == two


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["berlin-2025-12"], "has no outcome section"),
        (["no-such-scenario"], "unknown scenario 'no-such-scenario'"),
        (["--samples", "-1"], "--samples"),
        (["--format", "pdf"], "--format"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    result = invoke("backtest", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_broken_scenario_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(scenario_text().replace("status: agreed", "status: signed"), encoding="utf-8")
    result = invoke("backtest", str(path))
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr
    assert "outcome.status: expected 'agreed', 'broke-down' or 'pending', got 'signed'" in (
        result.stderr
    )
