"""Every report reads at 60, 80, 120 and 200 columns: no id or number is split, none shortened.

Each command runs once on the default scenario (berlin-2025-12) or a small shipped scenario; the
documents it prints are captured and rendered again at each width. Against a rendering wide
enough that no table wraps, no word may appear that the wide rendering lacks (a split
``kyiv-offe/r`` or ``10./00`` leaves such a fragment), every id of the scenario and every decimal
number must occur at least as often, whole (a stacked layout repeats column names), and no ``…``
may appear that the wide rendering does not have.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import zopa.render.document as document
import zopa.render.scenario_view as scenario_view
from zopa.catalog import load
from zopa.cli import app
from zopa.render.document import Document, to_console

WIDTHS = (60, 80, 120, 200)
WIDE = 10_000
RULES = set("─━│┃┏┓┗┛┡┩╇┳┻┣┫╋┼├┤┬┴ ")
NUMBER = re.compile(r"(?<![\w.])[-+−]?\d+\.\d+(?![\w.])")

COMMANDS: list[tuple[str, list[str]]] = [
    ("berlin-2025-12", ["show"]),
    ("berlin-2025-12", ["analyze"]),
    ("berlin-2025-12", ["evaluate", "--terms", "nato=set-aside,territory=donbas-dmz"]),
    ("berlin-2025-12", ["stability"]),
    ("berlin-2025-12", ["forecast"]),
    ("berlin-2025-12", ["robust", "--samples", "5", "--workers", "1"]),
    ("berlin-2025-12", ["simulate"]),
    (
        "berlin-2025-12",
        ["tournament", "--samples", "1", "--strategies", "linear", "--workers", "1"],
    ),
    ("elmira", ["show"]),
    ("elmira", ["stability"]),
    ("elmira", ["robust", "--engine", "stability"]),
    ("chicken", ["show"]),
    ("prisoners-dilemma", ["stability"]),
]


def _ids(scenario_id: str) -> set[str]:
    """Every id a user may type or look up: parties, issues, options, proposals, sources..."""
    s = load(scenario_id)
    ids = {s.id, *s.parties, *s.issues, *s.proposals, *s.sources, *s.preferences}
    for issue in s.issues.values():
        ids.update(issue.option_ids() if issue.options else [])
    if s.strategic is not None:
        ids.update(s.strategic.decision_makers)
        ids.update(s.strategic.option_ids())
        ids.update(s.strategic.states)
    for spec in (s.forecast or {}).values():
        ids.update(spec.actors)
        ids.update(spec.anchors)
    return {i for i in ids if len(i) > 1}


def _render(doc: Document, width: int) -> str:
    out = io.StringIO()
    to_console(doc, Console(file=out, width=width, color_system=None, legacy_windows=False))
    return out.getvalue()


def _occurrences(text: str, ident: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", text))


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, ...], list[Document]]:
    """The documents each command prints, captured while it runs."""
    captured: dict[tuple[str, ...], list[Document]] = {}
    original = document.to_console
    key: tuple[str, ...] = ()

    def capture(doc: Document, console: Any) -> None:
        captured.setdefault(key, []).append(doc)

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(document, "to_console", capture)
        mp.setattr(scenario_view, "to_console", capture)
        for scenario_id, args in COMMANDS:
            key = (scenario_id, *args)
            result = runner.invoke(app, [args[0], scenario_id, *args[1:]])
            assert result.exit_code in (0, 1), (key, result.output)
            assert key in captured, f"{key}: no document printed"
    assert document.to_console is original
    return captured


def _words(text: str) -> set[str]:
    """The words of a rendering, without the rules of tables and a label's colon."""
    return {w.rstrip(":") for w in text.split() if not set(w) <= RULES}


@pytest.mark.parametrize(("scenario_id", "args"), COMMANDS, ids=lambda v: str(v))
def test_no_id_or_number_is_split_at_any_width(documents, scenario_id, args):
    docs = documents[(scenario_id, *args)]
    ids = _ids(scenario_id)
    for doc in docs:
        wide = _render(doc, WIDE)
        id_counts = {i: _occurrences(wide, i) for i in ids}
        assert any(id_counts.values())  # the check has something to check
        numbers = Counter(NUMBER.findall(wide))
        words = _words(wide)
        for width in WIDTHS:
            text = _render(doc, width)
            # a split word leaves a fragment no wide rendering has ("kyiv-offe", "10.")
            assert _words(text) <= words, (width, sorted(_words(text) - words)[:5])
            # ... and loses an occurrence of the whole (a stacked layout repeats column names)
            for ident, count in id_counts.items():
                assert _occurrences(text, ident) >= count, (width, ident)
            found = Counter(NUMBER.findall(text))
            assert all(found[n] >= k for n, k in numbers.items()), width
            assert text.count("…") == wide.count("…"), width
            assert not re.search(r"[\w-]…", text), width  # a truncated word
            for line in text.splitlines():
                # a line is wider than the terminal only for a word that is
                assert len(line.rstrip()) <= width or max(map(len, line.split())) > width - 4


def test_show_at_60_columns_end_to_end():
    """Through the command line, with the width from COLUMNS: option ids whole, never '…'."""
    out = CliRunner().invoke(app, ["show"], env={"COLUMNS": "60"})
    assert out.exit_code == 0, out.output
    assert not re.search(r"[\w-]…", out.stdout)  # no truncated id (a basis may quote "…")
    for option in ("renounced-in-law", "frozen-until-compensation", "donbas-rosgvardia"):
        assert _occurrences(out.stdout, option) > 0
    assert _occurrences(out.stdout, "kyiv-2025-12-14") > 0
    assert max(len(line.rstrip()) for line in out.stdout.splitlines()) <= 60
