"""The columns layout is computed without rich and prints exactly what rich's table would.

:func:`zopa.render.document.column_lines` lays a table out directly (rich takes about 0.4 ms a
row, most of the time of ``zopa history`` over 1,000 versions); rich's own ``SIMPLE_HEAD``
table stays the reference, and a cell the direct layout does not reproduce (a tab, a word
wider than its column) is left to rich.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from zopa.render.document import (
    Document,
    Table,
    _UnusualCellError,
    column_lines,
    layout,
    to_console,
    transpose,
)

PIECES = [
    "a",
    "bb",
    "renounced-in-law",
    "é",
    "日本",
    "10.00",
    " ",
    "  ",
    "\n",
    "x y",
    "- item",
    "[s]",
]


def rich_table(table: Table, widths: tuple[int, ...], width: int) -> str:
    """What rich prints for the table at these widths (the layout zopa used before)."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    grid = RichTable(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False
    )
    for column, w in zip(table.columns, widths, strict=True):
        grid.add_column(Text(column), width=w, overflow="fold")
    for row in table.rows:
        grid.add_row(*(Text(cell) for cell in row))
    console.print(grid, soft_wrap=False, crop=False)
    return out.getvalue()


cells = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(cells, min_size=n, max_size=n), max_size=4))
    return Table(draw(st.lists(cells, min_size=n, max_size=n)), rows)


@settings(max_examples=400, deadline=None)
@given(tables(), st.integers(20, 120))
def test_the_direct_layout_prints_what_rich_prints(table: Table, width: int) -> None:
    plan = layout(table, width)
    if plan.kind == "stacked":
        return
    laid = table if plan.kind == "columns" else transpose(table)
    try:
        lines = column_lines(laid, plan.widths)
    except _UnusualCellError:
        return
    assert "".join(f"{line}\n" for line, _ in lines) == rich_table(laid, plan.widths, width)


def test_a_header_is_aligned_on_its_last_line_and_a_row_on_its_first() -> None:
    table = Table(["id", "a long header"], [["x", "one two three"]])
    lines = [line for line, _ in column_lines(table, (2, 7))]
    assert lines == [
        "     a long ",
        "id   header ",
        "────────────",
        "x    one two",
        "     three  ",
    ]
    assert [style for _, style in column_lines(table, (2, 7))][:2] == ["bold", "bold"]


@pytest.mark.parametrize("cell", ["tab\there", "  wide-word"])
def test_cells_rich_would_fold_or_expand_are_left_to_rich(cell: str) -> None:
    table = Table(["h"], [[cell]])
    with pytest.raises(_UnusualCellError):
        column_lines(table, (9,))
    out = io.StringIO()
    to_console(Document([table]), Console(file=out, width=40, color_system=None))
    assert out.getvalue().startswith(rich_table(table, layout(table, 40).widths, 40))


def test_a_table_without_rows_keeps_its_rule() -> None:
    assert [line for line, _ in column_lines(Table(["a", "b"]), (1, 1))] == ["a   b", "─────"]
