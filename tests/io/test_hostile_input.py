"""Hostile or broken files are refused cheaply with a positioned message, never a traceback.

Every input is generated in ``tmp_path``. None of these tests measures time: the reader's limits
(size, depth, nodes after alias expansion) bound the work, and the tests check that the limit,
not the exhaustion of memory or of the stack, is what stops the reading.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io.scenario_file import ScenarioError, load_scenario_file, parse_scenario
from zopa.io.yaml_tree import MAX_BYTES, Mark, YamlReadError, read_yaml

WIDE = {"COLUMNS": "1000"}  # keep each problem on one line in the CLI's output


def laughs(levels: int, fan: int = 9) -> str:
    """A "billion laughs" document: each anchor is a list of ``fan`` aliases of the previous."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * fan)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def block_mapping(depth: int) -> str:
    return "".join(" " * i + "k:\n" for i in range(depth))


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "billion-laughs": (lambda: laughs(9).encode(), "expands to more than"),
    "flow-sequences-10000-deep": (
        lambda: ("x: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
        "nesting deeper than",
    ),
    "flow-sequences-10000-unclosed": (lambda: b"[" * 10_000, "nesting deeper than"),
    "flow-mappings-10000-deep": (
        lambda: ("{a: " * 10_000 + "}" * 10_000).encode(),
        "nesting deeper than",
    ),
    "block-sequences-10000-deep": (lambda: ("- " * 10_000 + "x\n").encode(), "nesting deeper than"),
    "block-mappings-1500-deep": (lambda: block_mapping(1_500).encode(), "nesting deeper than"),
    "block-mappings-10000-deep": (lambda: block_mapping(10_000).encode(), "larger than 2 MiB"),
    "five-mebibytes": (
        lambda: b"zopa: 1\nnote: " + b"x" * (5 * 1024 * 1024) + b"\n",
        "larger than 2 MiB",
    ),
    "binary-junk-with-nul": (lambda: bytes(range(256)) * 64, "binary data (a NUL byte)"),
    "random-bytes": (lambda: random.Random(0).randbytes(4096), "binary data (a NUL byte)"),
    "utf-16": (lambda: "zopa: 1\n".encode("utf-16"), "binary data (a NUL byte)"),
    "invalid-utf-8": (lambda: b"zopa: 1\ntitle: caf\xe9\n", "invalid UTF-8 byte 0xe9"),
    "control-character": (lambda: b"zopa: 1\nid: a\x1bb\n", "U+001B is not allowed"),
    "empty": (lambda: b"", "the file is empty"),
    "whitespace-only": (lambda: b"  \n\t\n\r\n   ", "the file is empty"),
    "bom-only": (lambda: b"\xef\xbb\xbf\n", "the file is empty"),
}

POSITIONS = {
    "binary-junk-with-nul": (1, 1),
    "invalid-utf-8": (2, 11),
    "control-character": (2, 6),
    "billion-laughs": (6, 15),
    "flow-sequences-10000-deep": (1, 4 + 63),  # the 64th "[" opens the 65th level
    "block-sequences-10000-deep": (1, 1 + 2 * 64),  # the 65th "-"
}


@pytest.fixture(params=sorted(HOSTILE), ids=sorted(HOSTILE))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, str]:
    make, fragment = HOSTILE[request.param]
    path = tmp_path / f"{request.param}.yaml"
    path.write_bytes(make())
    return path, fragment, request.param


def test_hostile_file_is_refused(hostile: tuple[Path, str, str]) -> None:
    path, fragment, name = hostile
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    (problem,) = info.value.problems
    assert fragment in problem.message
    assert problem.file == str(path)
    assert len(str(problem)) < 300
    if name in POSITIONS:
        assert problem.mark is not None
        assert (problem.mark.line, problem.mark.column) == POSITIONS[name]


def _is_utf8(name: str) -> bool:
    try:
        HOSTILE[name][0]().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


TEXTUAL = [name for name in sorted(HOSTILE) if _is_utf8(name)]


@pytest.mark.parametrize("name", TEXTUAL)
def test_hostile_text_is_refused_like_the_file(name: str) -> None:
    make, fragment = HOSTILE[name]
    text = make().decode("utf-8")
    if "\x00" in text:
        fragment = "U+0000 is not allowed"  # a str has no bytes to report: the reader does it
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "x.yaml")
    (problem,) = info.value.problems
    assert fragment in problem.message


def test_hostile_file_via_cli(hostile: tuple[Path, str, str]) -> None:
    path, fragment, _ = hostile
    result = CliRunner().invoke(app, ["validate", str(path)], env=WIDE)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"{path}:")
    assert fragment in result.stderr
    assert "1 problem found." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_file_is_read_no_further_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 10))
    seen: list[bytes] = []
    import zopa.io.scenario_file as scenario_file

    real = scenario_file.parse_scenario

    def spy(text: str | bytes, file: str = "<scenario>") -> object:
        assert isinstance(text, bytes)
        seen.append(text)
        return real(text, file)

    monkeypatch.setattr(scenario_file, "parse_scenario", spy)
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario_file(path)
    assert [len(b) for b in seen] == [MAX_BYTES + 1]


# -- the limits themselves, with small values so that the work stays tiny -------------------


def test_aliases_are_shared_not_copied() -> None:
    doc = read_yaml(laughs(2, fan=3))
    assert doc.data["a2"][0] is doc.data["a1"]
    assert doc.data["a1"][1] is doc.data["a0"]


def test_node_limit_counts_aliases_expanded() -> None:
    # the root and its 3 keys; a0: a list of 3 = 4; a1: a list of 3 x a0 = 13; a2: 1 + 3 x 13
    text = laughs(2, fan=3)
    total = 1 + 3 + 4 + 13 + 40
    assert read_yaml(text, max_nodes=total).data["a0"] == ["lol"] * 3
    with pytest.raises(YamlReadError, match=f"expands to more than {total - 1} values"):
        read_yaml(text, max_nodes=total - 1)


@pytest.mark.parametrize("levels", [3, 6, 30])
def test_alias_bomb_is_refused_before_it_is_expanded(levels: int) -> None:
    # 9**30 values if expanded: refused at the first alias past the limit
    with pytest.raises(YamlReadError, match="expands to more than 1,000 values"):
        read_yaml(laughs(levels), max_nodes=1_000)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 9 + "]" * 9,
        "{a: " * 9 + "}" * 9,
        "- " * 9 + "x",
        block_mapping(8) + " " * 8 + "k: x\n",
    ],
    ids=["flow-seq", "flow-map", "block-seq", "block-map"],
)
def test_depth_limit_is_exact(text: str) -> None:
    read_yaml(text, max_depth=10)  # nine or ten levels: the innermost scalar is the tenth
    with pytest.raises(YamlReadError, match="nesting deeper than 8 levels"):
        read_yaml(text, max_depth=8)


def test_unknown_alias() -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml("a: *nowhere\n")
    assert "unknown alias *nowhere" in info.value.message
    assert info.value.mark == Mark(1, 4)
