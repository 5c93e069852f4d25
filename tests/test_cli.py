"""The command line: scenarios, show, validate, schema; exit codes and messages, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from tests.conftest import invoke

import zopa
from zopa.catalog import embedded_ids, load
from zopa.io.schema import SCHEMA_FILE
from zopa.model.scenario import Scenario

TESTS = Path(__file__).parent
GOOD = TESTS / "io" / "good_scenarios" / "small.yaml"
BAD = TESTS / "io" / "bad_scenarios"


# -- scenarios --------------------------------------------------------------------------------


def test_scenarios_table() -> None:
    result = invoke("scenarios")
    assert result.exit_code == 0
    assert "berlin-2025-12 (default)" in result.stdout
    assert "2025-12-14" in result.stdout


def test_scenarios_json() -> None:
    result = invoke("scenarios", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == embedded_ids()
    assert {
        "id": "berlin-2025-12",
        "title": load().title,
        "as_of": "2025-12-14",
        "default": True,
    } in rows
    assert [row["id"] for row in rows if row["default"]] == ["berlin-2025-12"]


def test_scenarios_bad_format() -> None:
    result = invoke("scenarios", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


# -- show -------------------------------------------------------------------------------------


def test_show_table() -> None:
    result = invoke("show")
    assert result.exit_code == 0
    assert "berlin-2025-12" in result.stdout
    for name in ("Ukraine", "Russia", "Canada", "Japan"):
        assert name in result.stdout


def test_show_json_is_the_scenario() -> None:
    result = invoke("show", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == load().model_dump(mode="json", exclude_none=True)
    assert Scenario.model_validate(data) == load()


def test_show_file() -> None:
    result = invoke("show", str(GOOD), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "small"


def test_show_bad_file() -> None:
    path = BAD / "negative-weight.yaml"
    result = invoke("show", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:28:13: preferences.UA.weights.nato: must be at least 0" in result.stderr


def test_show_unknown_scenario() -> None:
    result = invoke("show", "no-such-scenario")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: unknown scenario 'no-such-scenario': no such file, and no embedded scenario"
    )
    assert "berlin-2025-12" in result.stderr  # the valid ids are listed


# -- validate ---------------------------------------------------------------------------------


def test_validate_good_file() -> None:
    result = invoke("validate", str(GOOD))
    assert result.exit_code == 0
    assert result.stdout == f"{GOOD}: valid scenario 'small'\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("negative-weight", "28:13: preferences.UA.weights.nato: must be at least 0, got -0.4"),
        ("unknown-party-proposal-by", "56:9: proposals.plan.by: unknown party 'USA'"),
        ("duplicate-party-id", "14:3: parties.UA: duplicate key 'UA'"),
        ("syntax-error", "13:5: YAML syntax error"),
        ("python-object-tag", "33:18: preferences.UA.reservation: unsupported YAML tag"),
    ],
)
def test_validate_bad_file(name: str, line: str) -> None:
    path = BAD / f"{name}.yaml"
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"{path}:{line}")
    assert result.stderr.splitlines()[-1] == "1 problem found."


def test_validate_reports_every_problem() -> None:
    path = BAD / "unknown-party-preferences-key.yaml"
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:26:1: preferences: party 'US' must consent")
    assert lines[1].startswith(f"{path}:46:3: preferences.USA: unknown party 'USA'")
    assert lines[2] == "2 problems found."


def test_validate_several_files() -> None:
    bad = BAD / "bad-date.yaml"
    result = invoke("validate", str(GOOD), str(bad), str(GOOD))
    assert result.exit_code == 2
    assert result.stdout.count("valid scenario 'small'") == 2
    assert f"{bad}:57:11: proposals.plan.date: expected a date" in result.stderr


def test_validate_json() -> None:
    bad = BAD / "negative-weight.yaml"
    result = invoke("validate", "--format", "json", str(GOOD), str(bad))
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [
        {"file": str(GOOD), "valid": True, "id": "small", "problems": []},
        {
            "file": str(bad),
            "valid": False,
            "problems": [
                {
                    "file": str(bad),
                    "line": 28,
                    "column": 13,
                    "field": "preferences.UA.weights.nato",
                    "message": "must be at least 0, got -0.4",
                }
            ],
        },
    ]


def test_validate_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"{path}: no such file\n1 problem found.\n"


def test_validate_directory(tmp_path: Path) -> None:
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path}: is a directory")


def test_validate_needs_a_file() -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_problem_lines_are_not_wrapped_on_a_narrow_console() -> None:
    path = BAD / "unknown-party-preferences-key.yaml"
    result = invoke("validate", str(path), env={"COLUMNS": "80"})
    assert result.stderr.splitlines()[1].startswith(f"{path}:46:3: ")
    assert len(result.stderr.splitlines()) == 3


# -- schema, version, help --------------------------------------------------------------------


def test_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    shipped = (resources.files("zopa") / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert result.stdout == shipped


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"zopa {zopa.__version__}\n"


def test_help() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("scenarios", "show", "validate", "schema"):
        assert command in result.stdout


# -- as a real process ------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "1000"}
    result = subprocess.run(
        args, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def zopa_script() -> str:
    script = Path(sys.executable).parent / "zopa"
    found = str(script) if script.exists() else shutil.which("zopa")
    assert found, "the zopa script is not installed next to the interpreter nor on PATH"
    return found


def test_python_m_zopa_help() -> None:
    result = run(sys.executable, "-m", "zopa", "--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_zopa_version() -> None:
    result = run(zopa_script(), "--version")
    assert result.returncode == 0
    assert result.stdout == f"zopa {zopa.__version__}\n"


def test_zopa_validate_process(tmp_path: Path) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"zopa: 1\n\xff\xfe\x00\x00")
    result = run(zopa_script(), "validate", str(GOOD), str(junk), str(BAD / "local-tag.yaml"))
    assert result.returncode == 2
    assert f"{GOOD}: valid scenario 'small'" in result.stdout
    assert f"{junk}:2:3: binary data (a NUL byte)" in result.stderr
    assert f"{BAD / 'local-tag.yaml'}:51:18: preferences.US.reservation:" in result.stderr
