"""Inputs that once crashed, hung or exhausted memory, kept as files: each is now a located error.

Each file in ``fuzz_regressions/`` says in its first line what it once did (a ``ValueError`` in
``resolve_plain``, a ``RecursionError`` in the statement parser, an ``OverflowError`` in the range
checks, NaN passing validation...) and in its second what must be reported now::

    # expect: issues.army.range.max | input should be a finite number

(the field path, then a fragment of the message). The command line must give exit code 2 and
no traceback for each, with ``validate`` and with ``stability``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zopa.io.scenario_file import ScenarioError, load_scenario_file

HERE = Path(__file__).parent / "fuzz_regressions"
CASES = sorted(HERE.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?P<field>\S+) \| (?P<fragment>.+)$")


def expectation(path: Path) -> tuple[str, str]:
    line = path.read_text(encoding="utf-8").split("\n")[1]
    m = EXPECT.match(line)
    assert m, f"{path.name}: second line must be '# expect: field | fragment'"
    return m["field"], m["fragment"]


def test_there_are_regression_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_regression_is_a_located_error(path: Path) -> None:
    field, fragment = expectation(path)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    problems = caught.value.problems
    assert all(p.mark is not None for p in problems), problems
    assert [(p.field, fragment in p.message) for p in problems] == [(field, True)], problems
    mark = problems[0].mark
    assert mark is not None
    assert str(problems[0]).startswith(f"{path}:{mark.line}:{mark.column}: {field}: ")


CLI_CASES = [
    "integer-of-5000-digits",
    "range-max-1e400",
    "piecewise-x-nan",
    "statement-deep-parentheses",
    "statement-deep-negations",
    "thirty-options",
]


def run_cli(
    *args: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    src = str(Path(__file__).parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "zopa", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
        preexec_fn=preexec_fn,
    )


@pytest.mark.parametrize("command", ["validate", "stability"])
@pytest.mark.parametrize("name", CLI_CASES)
def test_command_line_exits_2_without_traceback(name: str, command: str) -> None:
    path = HERE / f"{name}.yaml"
    assert path in CASES
    done = run_cli(command, str(path))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    field, _ = expectation(path)
    assert f"{path}:" in done.stderr
    assert f": {field}: " in done.stderr


def thirty_option_model(path: Path) -> Path:
    """A valid model of 30 options (2**30 states): it validates, but cannot be analysed in 2 GiB."""
    a = ", ".join(f"a{k}: x" for k in range(15))
    b = ", ".join(f"b{k}: y" for k in range(15))
    path.write_text(
        "zopa: 1\nid: thirty\ntitle: Thirty options\nstrategic:\n  decision_makers:\n"
        f"    A: {{options: {{{a}}}}}\n    B: {{options: {{{b}}}}}\n"
        '  infeasible: ["a0 & b0"]\n  preferences:\n'
        '    A: {prioritization: ["a0", "-b0"]}\n    B: {prioritization: ["b0 if a0"]}\n',
        encoding="utf-8",
    )
    return path


def limit_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_limited(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, preexec_fn=limit_memory)


def test_a_large_model_validates_within_2_gib(tmp_path: Path) -> None:
    done = run_limited("validate", str(thirty_option_model(tmp_path / "thirty.yaml")))
    assert done.returncode == 0, done.stderr
    assert "valid scenario 'thirty'" in done.stdout


def test_a_model_too_large_for_memory_exits_2(tmp_path: Path) -> None:
    done = run_limited("stability", str(thirty_option_model(tmp_path / "thirty.yaml")))
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert "compiling 30 options (2**30 states) needs about" in done.stderr
    assert "this process may use" in done.stderr


def test_a_three_member_coalition_is_analysed(tmp_path: Path) -> None:
    dms = "".join(
        f"    {d.upper()}: {{options: {{{', '.join(f'{d}{k}: x' for k in range(4))}}}}}\n"
        for d in "abc"
    )
    path = tmp_path / "coalition.yaml"
    path.write_text(
        "zopa: 1\nid: coal\ntitle: Coalition\nstrategic:\n  decision_makers:\n"
        f"{dms}  preferences:\n"
        '    A: {prioritization: ["a0", "-b0"]}\n    B: {prioritization: ["b0 if a0"]}\n'
        '    C: {prioritization: ["c0"]}\n',
        encoding="utf-8",
    )
    done = run_cli("stability", str(path), "--coalition", "A+B+C", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    coalitions = json.loads(done.stdout)["coalitions"]
    assert [c["members"] for c in coalitions] == [["A", "B", "C"]]
