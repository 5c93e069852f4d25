"""Command-line defects found by a new user (issue 12, section 3), each pinned by a test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from tests.conftest import invoke

import zopa
from zopa.cli import PROGRESS_STEP, _fail, _PlainProgress, _with_progress
from zopa.forecast import data as forecast_data

TESTS = Path(__file__).parent
SMALL = TESTS / "io" / "good_scenarios" / "small.yaml"


# -- robust on a scenario without proposals -------------------------------------------------


def test_robust_without_proposals_prints_one_message_and_suggests_stability() -> None:
    result = invoke("robust", "elmira", "--samples", "5")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1  # no progress line either: nothing was started
    assert lines[-1].startswith("error: ")
    assert "--engine stability" in lines[-1]
    assert not any(line.strip() == "error: 2" for line in lines)
    assert sum(line.startswith("error:") for line in lines) == 1


def test_an_exit_inside_a_progress_run_is_not_reported_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(typer.Exit) as info:
        _with_progress("sampling", 3, lambda progress: _fail("boom"))
    assert info.value.exit_code == 2
    assert capsys.readouterr().err == "error: boom\n"


def test_engine_runtime_errors_become_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise RuntimeError("cannot reach the scheduler")

    monkeypatch.setattr(zopa, "tournament", unreachable)
    result = invoke("tournament", "--samples", "1")
    assert result.exit_code == 2
    assert result.stderr == "error: cannot reach the scheduler\n"


# -- seeds and option names -----------------------------------------------------------------


def test_forecast_samples_without_seed_are_reproducible() -> None:
    runs = [
        invoke("forecast", "ec-car-emissions", "--samples", "30", "--format", "json")
        for _ in range(2)
    ]
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert runs[0].stdout == runs[1].stdout
    seeded = invoke(
        "forecast", "ec-car-emissions", "--samples", "30", "--seed", "0", "--format", "json"
    )
    assert seeded.stdout == runs[0].stdout


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["analyze", str(SMALL), "-p", "nope"], "--proposal"),
        (["analyze", "--engine", "fast"], "--engine"),
        (["evaluate", str(SMALL), "--terms", "natto=open"], "--terms"),
        (["evaluate", str(SMALL), "--by", "XX"], "--by"),
        (["stability", "elmira", "--concept", "XYZ"], "--concept"),
        (["stability", "elmira", "--coalition", "MoE+XX"], "--coalition"),
        (["stability", "elmira", "--from", "99"], "--from"),
        (["forecast", "--issue", "nope"], "--issue"),
        (["forecast", "--model", "oracle"], "--model"),
        (["simulate", "--strategy", "UA=stubborn"], "--strategy"),
        (["simulate", "--strategy", "XX=linear"], "--strategy"),
        (["tournament", "--strategies", "nope", "--samples", "1"], "--strategies"),
        (["tournament", "--parties", "XX", "--samples", "1"], "--parties"),
        (["robust", "--samples", "0"], "--samples"),
        (["robust", "--workers", "0"], "--workers"),
        (["robust", "--scheduler", "nowhere", "--samples", "5"], "--scheduler"),
        (["tournament", "--scheduler", "nowhere", "--samples", "1"], "--scheduler"),
    ],
)
def test_every_bad_option_value_names_its_option(args: list[str], option: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert option in result.stderr, result.stderr


# -- conflicting or ignored flags -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["simulate", "--plot-parties", "UA,RU"], "--plot-parties"),
        (["simulate", "--strategy", "UA=linear,UA=boulware"], "named twice"),
        (["simulate", "--strategy", "UA=linear,RU=conceder,UA=linear"], "named twice"),
        (["stability", "elmira", "--coalition", "MoE+MoE"], "named twice"),
        (["forecast", "--model", "median", "--variant", "scholz"], "--variant"),
        (["forecast", "--model", "mean", "--variant", "paper"], "--variant"),
        (["analyze", "--no-pareto"], "--format json"),
        (["analyze", "--limit", "3", "--format", "md"], "--format json"),
    ],
)
def test_conflicting_or_ignored_flags_are_refused(args: list[str], words: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert result.stdout == ""


def test_bare_strategy_name_is_everyones_and_is_documented() -> None:
    result = invoke("simulate", str(SMALL), "--strategy", "boulware", "--format", "json")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["strategies"].values()) == {"boulware"}
    mixed = invoke(
        "simulate", str(SMALL), "--strategy", "boulware,RU=hardliner", "--format", "json"
    )
    assert json.loads(mixed.stdout)["strategies"] == {
        "UA": "boulware",
        "RU": "hardliner",
        "US": "boulware",
    }
    help_text = invoke("simulate", "--help").stdout
    assert "bare" in help_text
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    assert "--strategy boulware" in readme


def test_forecast_variant_with_eum_is_accepted() -> None:
    result = invoke("forecast", "ec-car-emissions", "--variant", "paper", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["variant"] == "paper"


# -- evaluate without terms -----------------------------------------------------------------


def test_evaluate_without_terms_uses_the_if_silent_options() -> None:
    result = invoke("evaluate", str(SMALL), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    assert doc["filled"] == ["nato", "army"]
    assert doc["package"] == {"nato": "open", "army": "800"}
    partial = json.loads(
        invoke("evaluate", str(SMALL), "--terms", "army=600", "--format", "json").stdout
    )
    assert partial["filled"] == ["nato"]
    assert partial["package"] == {"nato": "open", "army": "600"}


def test_evaluate_terms_example_uses_the_scenarios_own_ids() -> None:
    small = invoke("evaluate", str(SMALL), "--terms", "nato")
    assert small.exit_code == 2
    assert "e.g. nato=open" in small.stderr
    berlin = invoke("evaluate", "--terms", "oops")
    assert "e.g. nato=" in berlin.stderr
    elsewhere = invoke("evaluate", "elmira", "--terms", "oops")
    assert elsewhere.exit_code == 2
    assert "no issues with preferences" in elsewhere.stderr


# -- validate and analyze inputs ------------------------------------------------------------


def test_validate_accepts_embedded_ids() -> None:
    result = invoke("validate", "berlin-2025-12", "elmira")
    assert result.exit_code == 0, result.output
    assert "berlin-2025-12: valid scenario 'berlin-2025-12'" in result.stdout
    assert "elmira: valid scenario 'elmira'" in result.stdout


@pytest.mark.parametrize("name", ["actors.csv", "actors.txt"])
def test_analyze_a_forecast_csv_hints_at_forecast(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    embedded = Path(forecast_data.__file__).parent / "data" / "ec-car-emissions.csv"
    shutil.copyfile(embedded, path)
    for command in ("analyze", "validate"):
        result = invoke(command, str(path))
        assert result.exit_code == 2
        assert "forecast inputs go to `zopa forecast`" in result.stderr


# -- JSON size ------------------------------------------------------------------------------


def test_analyze_json_no_pareto_and_limit() -> None:
    full = invoke("analyze", "--format", "json")
    lean = invoke("analyze", "--format", "json", "--no-pareto")
    limited = invoke("analyze", "--format", "json", "--limit", "1")
    assert full.exit_code == lean.exit_code == limited.exit_code == 0
    assert len(lean.stdout) * 10 < len(full.stdout)
    doc = json.loads(lean.stdout)
    assert "pareto" not in doc
    assert doc["truncated"]["pareto"]["shown"] == 0
    assert len(json.loads(limited.stdout)["pareto"]) == 1


# -- robust warns on tiny runs --------------------------------------------------------------


def test_robust_tiny_runs_warn_on_stderr_and_in_json() -> None:
    result = invoke("robust", "--engine", "forecast", "--samples", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "warning: only 1 sample:" in result.stderr
    assert json.loads(result.stdout)["warnings"][0].startswith("only 1 sample:")
    enough = invoke("robust", "--engine", "forecast", "--samples", "400", "--format", "json")
    assert json.loads(enough.stdout)["warnings"] == []
    assert "warning" not in enough.stderr


# -- progress without a terminal ------------------------------------------------------------


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal() -> None:
    result = invoke(
        "tournament",
        str(SMALL),
        "--samples",
        "3",
        "--strategies",
        "linear,hardliner",
        "--workers",
        "1",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "negotiating: 0/3 (0%)"
    assert lines[-1] == "negotiating: 3/3 (100%)"
    assert all(line.startswith("negotiating: ") for line in lines)
    assert "\r" not in result.stderr
    assert "\x1b" not in result.stderr
    json.loads(result.stdout)


def test_plain_progress_prints_about_every_tenth(capsys: pytest.CaptureFixture[str]) -> None:
    progress = _PlainProgress("sampling")
    for done in range(1001):
        progress(done, 1000)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == round(1 / PROGRESS_STEP) + 1
    assert lines[0] == "sampling: 0/1,000 (0%)"
    assert lines[-1] == "sampling: 1,000/1,000 (100%)"
