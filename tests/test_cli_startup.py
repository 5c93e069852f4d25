"""Start-up of the command line (issue 17): what a command imports and builds, not how long it takes.

``zopa analyze`` on a small domain must stay well under half a second end to end, and most of
that is start-up. Timing it here would be flaky, so these tests guard the causes instead: each
command runs in a fresh interpreter, which then reports the modules it imported; the heavy ones
a command does not need must not be among them. And the application builds only the command it
runs (``zopa.cli._Zopa``), which must parse, help and fail exactly as the whole application.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command

import zopa
from zopa.cli import app

TESTS = Path(__file__).parent
SMALL = TESTS / "io" / "good_scenarios" / "small-domain.yaml"
SRC = Path(zopa.__file__).resolve().parents[1]

RUN = """
import json, sys
out, sys.argv = sys.argv[1], ["zopa", *sys.argv[2:]]
from zopa.cli import app
try:
    app()
except SystemExit as exc:
    code = exc.code
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""
"""Run the command line as the ``zopa`` script does, then write its exit code and modules."""

NEVER = (
    "alembic",
    "dask",
    "fastapi",
    "jinja2",
    "numba",
    "pandas",
    "scipy",
    "sqlalchemy",
    "uvicorn",
    "vl_convert",
    "zopa.briefing",
    "zopa.store.store",
    "zopa.web",
)
"""Modules no command below needs (the store, the web workspace, the report, the frames)."""

DEFERRED = (
    "click",  # typer brings its own; cli.py no longer imports click to catch its Exit
    "ruamel.yaml",  # only to report a file libyaml cannot parse
    "numpy.ma",  # np.unique imports it; the frontier uses zopa.space.pareto.distinct
    "zopa.charts",  # only with --chart
)
"""Modules the analysis of a small domain used to import for nothing."""


def modules_after(*args: str, tmp_path: Path) -> set[str]:
    """Run ``zopa ARGS`` in a fresh interpreter; the modules it imported (exit code 0)."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["code"] in (0, None), done.stderr
    return set(report["modules"])


def loaded(modules: set[str], name: str) -> bool:
    """Whether ``name`` or one of its submodules is among ``modules``."""
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_analyze_small_domain_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    modules = modules_after("analyze", str(SMALL), tmp_path=tmp_path)
    assert "numpy" in modules  # the analysis did run
    assert "zopa.space.analysis" in modules
    assert "rich.console" in modules  # the terminal report
    assert [m for m in NEVER + DEFERRED if loaded(modules, m)] == []


def test_analyze_json_needs_no_terminal(tmp_path: Path) -> None:
    modules = modules_after("analyze", str(SMALL), "--format", "json", tmp_path=tmp_path)
    assert "zopa.space.analysis" in modules
    assert [m for m in (*NEVER, *DEFERRED, "rich") if loaded(modules, m)] == []


def test_validate_needs_no_engine(tmp_path: Path) -> None:
    modules = modules_after("validate", str(SMALL), tmp_path=tmp_path)
    assert "zopa.model.scenario" in modules
    heavy = (*NEVER, *DEFERRED, "numpy", "zopa.space", "zopa.results")
    assert [m for m in heavy if loaded(modules, m)] == []


def test_version_needs_no_scenario_model(tmp_path: Path) -> None:
    modules = modules_after("--version", tmp_path=tmp_path)
    heavy = (*NEVER, *DEFERRED, "numpy", "pydantic", "zopa.model", "zopa.io", "yaml")
    assert [m for m in heavy if loaded(modules, m)] == []


# -- building only the command that runs ------------------------------------------------------


def command_names() -> list[str]:
    """Every command of the application (not the sub-groups), as typed on the command line."""
    return sorted(
        name for name, cmd in get_command(app).commands.items() if not hasattr(cmd, "commands")
    )  # type: ignore[attr-defined]


def test_only_builds_the_named_command() -> None:
    one = app.only(["analyze", str(SMALL)])
    assert one is not None
    assert [info.callback.__name__ for info in one.registered_commands if info.callback] == [
        "analyze"
    ]
    assert one.registered_groups == []
    assert len(app.registered_commands) > 10  # the application itself is unchanged
    assert app.registered_groups
    version = app.only(["--version"])
    assert version is not None
    assert version.registered_commands == []


@pytest.mark.parametrize(
    "words",
    [[], ["--help"], ["--version", "--help"], ["analyz"], ["db", "status"], ["-x", "analyze"]],
)
def test_anything_but_a_command_runs_the_whole_application(words: list[str]) -> None:
    assert app.only(words) is None


def test_shell_completion_runs_the_whole_application(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_ZOPA_COMPLETE", "bash_complete")
    assert app.only(["analyze"]) is None


@pytest.mark.parametrize("name", command_names())
def test_a_command_alone_is_the_same_command(name: str) -> None:
    whole = get_command(app).commands[name]  # type: ignore[attr-defined]
    one = app.only([name])
    assert one is not None
    group = get_command(one)
    assert list(group.commands) == [name]  # type: ignore[attr-defined]
    alone = group.commands[name]  # type: ignore[attr-defined]
    assert (alone.help, alone.hidden, alone.no_args_is_help) == (
        whole.help,
        whole.hidden,
        whole.no_args_is_help,
    )
    assert [described(p) for p in alone.params] == [described(p) for p in whole.params]
    assert [described(p) for p in group.params] == [described(p) for p in get_command(app).params]


def described(value: Any, depth: int = 3) -> object:
    """What a click parameter accepts and says, as plain data: attributes, nested ones too.

    Functions and classes by their names (typer wraps callbacks and copies its parameter
    descriptions at each build, so the objects differ).
    """
    if callable(value):
        return getattr(value, "__qualname__", type(value).__qualname__)
    if depth and hasattr(value, "__dict__") and not isinstance(value, Enum):
        return {key: described(item, depth - 1) for key, item in vars(value).items()}
    return repr(value)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--help"],
        ["validate", "--help"],
        ["analyze", str(SMALL), "--format", "json", "--limit", "2"],
        ["analyze", str(SMALL), "--bogus"],
        ["analyze", str(SMALL), "--proposal", "board-plan"],
        ["validate", str(SMALL)],
        ["--version"],
    ],
)
def test_the_command_alone_prints_what_the_whole_application_prints(
    args: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    def run(command: typer.Typer | None) -> tuple[object, str, str]:
        try:
            if command is None:
                get_command(app).main(args, prog_name="zopa")
            else:
                command(args, prog_name="zopa")
        except SystemExit as exc:
            code: object = exc.code
        else:
            code = 0
        out, err = capfd.readouterr()
        return code, out, err

    assert app.only(args) is not None
    assert run(app) == run(None)


def test_a_small_genius_folder_with_many_profiles_starts_no_numba(tmp_path: Path) -> None:
    """Five parties (more than 3 dimensions) on 6 packages: the numpy skyline, not numba's."""
    from tests.io.genius_files import COLOUR, FRUIT, domain, profile, write_folder

    issues = [FRUIT, COLOUR]
    files = {"market-domain.xml": domain(issues, name="Market")}
    for k in range(5):
        fruit = [str((k + j) % 3 + 1) for j in range(3)]
        files[f"party{k}.xml"] = profile(issues, ["0.5", "0.5"], [fruit, [str(k % 2 + 1), "1"]])
    folder = write_folder(tmp_path / "market", files)
    modules = modules_after("analyze", str(folder), tmp_path=tmp_path)
    assert "zopa.space.analysis" in modules  # the analysis did run
    assert not loaded(modules, "numba")
