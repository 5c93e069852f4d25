"""Documents print their text as written: citations in brackets are not console markup."""

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from zopa.render.document import (
    PROSE_WIDTH,
    Document,
    Table,
    column_widths,
    layout,
    stacked_lines,
    to_console,
    to_markdown,
    transpose,
    wrap,
)


def test_bracketed_citations_survive_in_table_cells_and_paragraphs():
    doc = Document()
    doc.para("A paragraph citing [src-a].")
    table = Table(["basis [col]"])
    table.rows.append(["Assumption citing [src-b] and [bold]not bold[/bold]"])
    doc.table(table)
    out = io.StringIO()
    to_console(doc, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "[src-a]" in text
    assert "[src-b]" in text
    assert "[bold]not bold[/bold]" in text
    assert "[col]" in text


# -- layout at any width -----------------------------------------------------------------------

WORD = st.one_of(
    st.from_regex(r"[a-z]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),  # ids: kyiv-offer
    st.from_regex(r"-?[0-9]{1,4}\.[0-9]{1,3}", fullmatch=True),  # numbers: 10.00
    st.sampled_from(["✓", "✗", "→", "(if", "silent)", "[src-a]"]),
)
CELL = st.lists(WORD, max_size=8).map(" ".join)


def _render(doc: Document, width: int) -> str:
    out = io.StringIO()
    to_console(doc, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def _words(text: str) -> set[str]:
    return {w.rstrip(":") for w in text.split() if not set(w) <= set("─ -")}


@settings(max_examples=30, deadline=None)
@given(
    columns=st.lists(WORD, min_size=1, max_size=7),
    data=st.data(),
    width=st.integers(min_value=20, max_value=220),
)
def test_no_word_is_ever_split_or_shortened(columns, data, width):
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=len(columns), max_size=len(columns)), max_size=6)
    )
    doc = Document()
    doc.para(" ".join(c for row in rows for c in row) or "empty")
    doc.table(Table(columns, rows, title="a title"))
    source = _words(to_markdown(doc).replace("|", " ").replace("*", " ")) | {"a", "title"}
    text = _render(doc, width)
    assert _words(text) <= source  # no fragment of a split word
    # a column whose cells are all empty may be left out of a stacked layout with its name
    empty = {c for k, c in enumerate(columns) if not any(row[k].strip() for row in rows)}
    shown = _words(" ".join(c for row in rows for c in row) + " " + " ".join(set(columns) - empty))
    for word in shown - {"a", "title"}:  # every word whole
        assert word in _words(text)
    assert "…" not in text
    for line in text.splitlines():
        assert len(line.rstrip()) <= width or max(map(len, line.split())) > width - 4


def test_prose_wraps_at_a_readable_width_on_a_wide_terminal():
    doc = Document()
    doc.heading("A heading " * 20, 1)
    doc.para("word " * 100)
    doc.para("- a list item " * 30)
    text = _render(doc, 200)
    assert max(len(line) for line in text.splitlines()) <= PROSE_WIDTH
    item = [line for line in text.splitlines() if "list item" in line]
    assert item[0].startswith("- ")
    assert all(line.startswith("  ") for line in item[1:])


def test_wrap_keeps_long_words_whole():
    assert wrap("a renounced-in-law b", 5) == ["a", "renounced-in-law", "b"]
    assert wrap("one\n  two three", 7) == ["one", "  two", "  three"]


def test_columns_get_their_longest_word_and_prose_the_rest():
    table = Table(
        ["id", "label"],
        [["renounced-in-law", "Ukraine renounces membership in its constitution " * 3]],
    )
    widths = column_widths(table, 60)
    assert widths is not None
    assert widths[0] == len("renounced-in-law")
    assert sum(widths) + 3 == 60  # the gap between two columns is three
    assert column_widths(table, len("renounced-in-law") + 3 + len("constitution")) is not None
    assert column_widths(table, len("renounced-in-law") + 2 + len("constitution")) is None


def test_a_table_too_wide_is_transposed_then_stacked():
    wide = Table(["", *(f"party-{k}" for k in range(8))], [["utility", *["0.500"] * 8]])
    assert layout(wide, 200).kind == "columns"
    assert layout(wide, 30).kind == "transposed"  # 8 columns, 1 row: the parties as rows
    assert transpose(wide).columns == ["", "utility"]
    assert transpose(wide).rows[0] == ["party-0", "0.500"]
    long = Table(["issue", "option", "label"], [["nato", "renounced-in-law", "x"]] * 4)
    assert layout(long, 20).kind == "stacked"


def test_stacked_rows_head_their_block_and_pack_short_cells():
    table = Table(
        ["issue", "option", "UA", "RU"],
        [["nato", "renounced-in-law", "0.1 (0 to 0.2)", "1"], ["", "set-aside", "0.6", "0.4"]],
    )
    lines = [line for line, _ in stacked_lines(table, 50)]
    assert lines[0] == "issue: nato"
    assert lines[1] == "  option: renounced-in-law   UA: 0.1 (0 to 0.2)"
    assert lines[2] == "    RU: 1"  # a continuation goes deeper than the record's first line
    assert lines[3] == "  option: set-aside   UA: 0.6   RU: 0.4"  # same group: no blank line
    assert not any(re.search(r"\s$", line) for line in lines)


def test_a_stacked_cell_continues_deeper_than_the_next_entry():
    table = Table(["", "UA", "RU"], [["P1", "0.257 ✗\nby 0.193", "0.810 ✓"]])
    lines = [line for line, _ in stacked_lines(table, 30)]
    assert lines == ["P1", "  UA: 0.257 ✗", "      by 0.193", "    RU: 0.810 ✓"]
