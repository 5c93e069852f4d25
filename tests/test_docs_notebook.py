"""``docs/notebook.md`` and the README's Python API section run as written (so they cannot rot)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def test_the_notebook_walkthrough_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = python_blocks((ROOT / "docs" / "notebook.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    namespace: dict[str, object] = {}
    for n, code in enumerate(blocks, 1):
        exec(compile(code, f"docs/notebook.md block {n}", "exec"), namespace)
    out = capsys.readouterr().out
    assert "berlin-2025-12" in out
    assert "Nash package" in out


def test_the_readme_python_example_names_only_real_functions() -> None:
    import zopa

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (example,) = python_blocks(section)
    for name in re.findall(r"zopa\.([a-z_]+)\(", example):
        assert callable(getattr(zopa, name)), name
    compile(example, "README.md", "exec")  # valid Python


def test_python_blocks_are_found() -> None:
    assert python_blocks("x\n```python\na = 1\n```\n") == ["a = 1\n"]
