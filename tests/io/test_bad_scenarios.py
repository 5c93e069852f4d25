"""Every kind of mistake in a scenario file is reported at the right place, with a clear message.

Each file in ``bad_scenarios/`` is a near-copy of ``good_scenarios/small.yaml`` (the
``strategic-*`` files: of ``good_scenarios/strategic.yaml``, a standalone strategic scenario; the
``forecast-*``, ``dynamics-*``, ``reaction-*`` and ``outcome-*`` files: of ``forecast.yaml``,
``dynamics.yaml``, ``reactions.yaml`` and ``outcome.yaml``) with one
mistake, and says in its header what must be reported, one line per problem, in order::

    # expect: 12:7 preferences.UA.weights.nato | must lie in

that is ``line:column`` (or ``-`` when no position applies), the field path (omitted for a
problem with the file as a whole) and a fragment of the message. Adding a case is adding a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from zopa.io.scenario_file import Problem, ScenarioError, load_scenario_file, parse_scenario

BAD = Path(__file__).parent / "bad_scenarios"
GOOD = Path(__file__).parent / "good_scenarios" / "small.yaml"
EXPECT = re.compile(r"^# expect: (?P<pos>\d+:\d+|-)(?: (?P<field>\S+))? \| (?P<fragment>.+)$")


@dataclass(frozen=True)
class Expected:
    line: int | None
    column: int | None
    field: str
    fragment: str


def expectations(path: Path) -> list[Expected]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect:"):
            m = EXPECT.match(line)
            assert m, f"{path.name}: malformed expectation {line!r}"
            pos = m["pos"]
            row, col = (int(x) for x in pos.split(":")) if pos != "-" else (None, None)
            out.append(Expected(row, col, m["field"] or "", m["fragment"]))
    return out


CASES = sorted(BAD.glob("*.yaml"))


def test_there_are_many_cases() -> None:
    assert len(CASES) >= 30


def test_the_base_scenario_is_valid() -> None:
    assert load_scenario_file(GOOD).id == "small"
    assert load_scenario_file(GOOD.with_name("strategic.yaml")).id == "strategic"
    assert load_scenario_file(GOOD.with_name("dynamics.yaml")).id == "dynamics"
    assert len(load_scenario_file(GOOD.with_name("reactions.yaml")).reactions) == 3
    outcome = load_scenario_file(GOOD.with_name("outcome.yaml")).outcome
    assert outcome is not None
    assert outcome.status == "agreed"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_scenario_is_reported_precisely(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' header"
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    problems = info.value.problems
    got = [str(p) for p in problems]
    assert len(problems) == len(expected), got
    for problem, want in zip(problems, expected, strict=True):
        where = (problem.mark.line, problem.mark.column) if problem.mark else (None, None)
        assert where == (want.line, want.column), got
        assert problem.field == want.field, got
        assert want.fragment in problem.message, got
        assert problem.file == str(path)
        # the printed form is file:line:column: field: message
        prefix = str(path)
        if want.line is not None:
            prefix += f":{want.line}:{want.column}"
        prefix += f": {want.field}:" if want.field else ":"
        assert str(problem).startswith(prefix + " "), str(problem)
        assert "\n" not in str(problem)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bytes_and_text_give_the_same_problems(path: Path) -> None:
    raw = path.read_bytes()
    with pytest.raises(ScenarioError) as from_bytes:
        parse_scenario(raw, "x.yaml")
    with pytest.raises(ScenarioError) as from_text:
        parse_scenario(raw.decode("utf-8"), "x.yaml")
    assert from_bytes.value.problems == from_text.value.problems


def test_python_tag_is_never_executed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    with pytest.raises(ScenarioError, match="unsupported YAML tag"):
        load_scenario_file(BAD / "python-object-tag.yaml")
    assert calls == []


@pytest.mark.parametrize(
    ("mistakes", "fields"),
    [
        pytest.param(
            [
                ("      nato: 0.4\n", "      nato: -0.4\n"),  # a negative weight
                ("nato: {open: 1, closed: 0}", "nato: {open: 1.5, closed: 0}"),  # a value > 1
                ("role: mediator", "role: arbiter"),  # a role that does not exist
            ],
            [
                "preferences.UA.weights.nato",
                "preferences.UA.values.nato.open",
                "parties.US.role",
            ],
            id="field-checks",
        ),
        pytest.param(
            [
                ("    by: US\n", "    by: USA\n"),  # an unknown party
                ("    date: 2025-12-14\n", "    date: 2025-12-24\n"),  # after as_of
                ("claimed_by: RU", "claimed_by: RUS"),  # another unknown party
            ],
            ["proposals.plan.by", "proposals.offer.date", "events[1].claimed_by"],
            id="reference-checks",
        ),
    ],
)
def test_several_problems_are_reported_at_once(
    tmp_path: Path, mistakes: list[tuple[str, str]], fields: list[str]
) -> None:
    text = GOOD.read_text(encoding="utf-8")
    for old, new in mistakes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    problems = info.value.problems
    assert len(problems) == 3, [str(p) for p in problems]
    assert sorted(p.field for p in problems) == sorted(fields)
    lines = [p.mark.line for p in problems if p.mark]
    assert len(lines) == 3
    assert lines == sorted(lines)
    # the exception's text holds one line per problem
    assert str(info.value).splitlines() == [str(p) for p in problems]


def test_problem_to_dict() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(BAD / "negative-weight.yaml")
    (problem,) = info.value.problems
    assert problem.to_dict() == {
        "file": str(BAD / "negative-weight.yaml"),
        "line": 28,
        "column": 13,
        "field": "preferences.UA.weights.nato",
        "message": "must be at least 0, got -0.4",
    }


def test_problem_without_position_prints_file_only() -> None:
    assert str(Problem("f.yaml", None, "", "no such file")) == "f.yaml: no such file"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    assert [str(p) for p in info.value.problems] == [f"{path}: no such file"]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(tmp_path)
    (problem,) = info.value.problems
    assert problem.mark is None
    assert "is a directory" in problem.message
