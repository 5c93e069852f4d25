"""A tiny report document (headings, paragraphs, tables) rendered to the terminal or Markdown.

Views build a :class:`Document` once; :func:`to_console` and :func:`to_markdown` render it, so the
terminal report and the Markdown report always say the same thing.

Terminal layout rules (:func:`to_console`), the same for every report:

* A line is only ever broken at a space: an identifier (``renounced-in-law``), an option id
  (``kyiv-offer``) or a number (``10.00``) is never split across lines, and never shortened
  with ``…``.
* Paragraphs and headings wrap at :data:`PROSE_WIDTH` columns at most, however wide the terminal,
  with a hanging indent for ``- `` list items.
* A table is laid out with every column at least as wide as its longest word; the spare width
  goes first to the columns that then fit on one line (ids, numbers, short labels), the rest is
  shared by the prose columns, none of which grows past :data:`PROSE_WIDTH`. When even the
  narrowest such layout is wider than the terminal, the table is printed transposed (its
  columns as rows) if that fits and it has fewer rows than columns, and otherwise *stacked*:
  one block per row, one ``column: value`` line per cell.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

PROSE_WIDTH = 100
"""Paragraphs wrap at this many columns at most, even on a wider terminal."""

_GAP = 3
"""Columns between two table columns: a space of padding either side of a blank rule."""


@dataclass
class Table:
    """A table: column headers and rows of cell texts."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str | None = None


@dataclass
class Document:
    """A report: a sequence of headings (str starting with '#'), paragraphs (str) and tables."""

    blocks: list[str | Table] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        """Add a heading."""
        self.blocks.append("#" * level + " " + text)

    def para(self, text: str) -> None:
        """Add a paragraph."""
        self.blocks.append(text)

    def table(self, table: Table) -> None:
        """Add a table."""
        self.blocks.append(table)

    def to_dict(self) -> dict[str, Any]:
        """Return the document as JSON-ready data (what a stored run keeps of its report).

        Each block becomes an object with a ``kind``: ``heading`` (``level`` and ``text``, for a
        string that is ``#`` × level, one space, then the text), ``paragraph`` (``text``, any
        other string, kept exactly) or ``table`` (``columns``, ``rows``, ``title``).
        :meth:`from_dict` gives back an equal document, so a stored report renders exactly as
        the fresh one at any width and in every format.

        Returns
        -------
        dict
            ``{"format": "zopa-document", "version": 1, "blocks": [...]}``.
        """
        blocks: list[dict[str, Any]] = []
        for block in self.blocks:
            if isinstance(block, Table):
                blocks.append(
                    {
                        "kind": "table",
                        "columns": list(block.columns),
                        "rows": [list(row) for row in block.rows],
                        "title": block.title,
                    }
                )
                continue
            level = len(block) - len(block.lstrip("#"))
            text = block[level + 1 :]
            if level and block[level : level + 1] == " " and "#" * level + " " + text == block:
                blocks.append({"kind": "heading", "level": level, "text": text})
            else:
                blocks.append({"kind": "paragraph", "text": block})
        return {"format": DOCUMENT_FORMAT, "version": DOCUMENT_VERSION, "blocks": blocks}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """Rebuild a document from :meth:`to_dict`'s data.

        Parameters
        ----------
        data
            What :meth:`to_dict` returned (e.g. read back from JSON).

        Returns
        -------
        Document
            Equal to the document that was serialised.

        Raises
        ------
        ValueError
            For data that is not a serialised document (the message says where).
        """
        if not isinstance(data, Mapping) or data.get("format") != DOCUMENT_FORMAT:
            raise ValueError("not a serialised zopa document (no format 'zopa-document')")
        if data.get("version") != DOCUMENT_VERSION:
            raise ValueError(
                f"serialised document version {data.get('version')!r} is not supported "
                f"(this zopa reads version {DOCUMENT_VERSION})"
            )
        raw = data.get("blocks")
        if not isinstance(raw, list):
            raise ValueError("serialised document: 'blocks' must be a list")
        doc = cls()
        for n, item in enumerate(raw):
            doc.blocks.append(_block_from_dict(item, f"blocks[{n}]"))
        return doc


DOCUMENT_FORMAT = "zopa-document"
"""The ``format`` member of :meth:`Document.to_dict`."""

DOCUMENT_VERSION = 1
"""The ``version`` member of :meth:`Document.to_dict`."""


def _texts(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"serialised document: {where} must be a list of strings")
    return list(value)


def _block_from_dict(item: object, where: str) -> str | Table:
    """One block of :meth:`Document.from_dict` (``where`` locates it in error messages)."""
    if not isinstance(item, Mapping):
        raise ValueError(f"serialised document: {where} must be an object")
    kind = item.get("kind")
    if kind == "table":
        columns = _texts(item.get("columns"), f"{where}.columns")
        rows_raw = item.get("rows")
        if not isinstance(rows_raw, list):
            raise ValueError(f"serialised document: {where}.rows must be a list")
        rows = [_texts(row, f"{where}.rows[{k}]") for k, row in enumerate(rows_raw)]
        title = item.get("title")
        if title is not None and not isinstance(title, str):
            raise ValueError(f"serialised document: {where}.title must be a string or null")
        return Table(columns, rows, title)
    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError(f"serialised document: {where}.text must be a string")
    if kind == "paragraph":
        return text
    if kind == "heading":
        level = item.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or level < 1:
            raise ValueError(f"serialised document: {where}.level must be a positive integer")
        return "#" * level + " " + text
    raise ValueError(
        f"serialised document: {where}.kind must be heading, paragraph or table, got {kind!r}"
    )


# -- measuring ---------------------------------------------------------------------------------


def _cells(text: str) -> int:
    """The terminal cells a text takes (printable ASCII: one per character)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def longest_word(text: str) -> int:
    """Width of the longest run of text without a space: the narrowest a cell may be."""
    return max((_cells(w) for w in text.split()), default=0)


def longest_line(text: str) -> int:
    """Width of the longest line of a cell: the width at which it needs no wrapping."""
    return max((_cells(line) for line in text.split("\n")), default=0)


def wrap(text: str, width: int) -> list[str]:
    """Wrap text at spaces only: a word longer than ``width`` stays whole on its own line.

    Explicit line breaks are kept. A line starting with spaces keeps them (up to half the
    width, so that a deep indent never pushes a word past the edge); a line starting with ``- ``
    (a list item) continues under the item's text.
    """
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = line[: min(len(line) - len(stripped), max(width, 1) // 2)]
        line = indent + stripped
        hanging = indent + ("  " if stripped.startswith("- ") else "")
        out.extend(
            textwrap.wrap(
                line,
                width=max(width, 1),
                subsequent_indent=hanging,
                break_long_words=False,
                break_on_hyphens=False,
                replace_whitespace=False,
                drop_whitespace=True,
            )
            or [""]
        )
    return out


@dataclass(frozen=True)
class Layout:
    """How a table is printed at a given width.

    Attributes
    ----------
    kind
        ``columns`` (a table), ``transposed`` (a table with the columns as rows) or
        ``stacked`` (one block per row).
    widths
        The column widths of the (possibly transposed) table; empty when stacked.
    """

    kind: str
    widths: tuple[int, ...] = ()


def transpose(table: Table) -> Table:
    """The same table with its columns as rows (the first column becomes the header)."""
    grid = [table.columns, *table.rows]
    return Table(
        [row[0] for row in grid],
        [[row[j] for row in grid] for j in range(1, len(table.columns))],
        table.title,
    )


def column_widths(table: Table, width: int) -> tuple[int, ...] | None:
    """Column widths that fit ``table`` in ``width`` columns without breaking a word, or None.

    Every column gets at least its longest word. The spare width then goes to the columns in
    increasing order of what they lack to fit on one line, each taking all it needs while that
    is no more than an equal share of what is left; the columns still lacking share the rest
    in proportion to what they lack. No column grows past :data:`PROSE_WIDTH` unless a word forces it.
    """
    n = len(table.columns)
    if n == 0:
        return ()
    texts = [[table.columns[j], *(row[j] for row in table.rows)] for j in range(n)]
    least = [max(1, *(longest_word(t) for t in col)) for col in texts]
    full = [
        max(lo, min(PROSE_WIDTH, max(longest_line(t) for t in col)))
        for lo, col in zip(least, texts, strict=True)
    ]
    spare = width - sum(least) - _GAP * (n - 1)
    if spare < 0:
        return None
    widths = list(least)
    pending = sorted(range(n), key=lambda j: full[j] - least[j])
    while pending:
        share = spare // len(pending)
        j = pending[0]
        if full[j] - widths[j] <= share:
            spare -= full[j] - widths[j]
            widths[j] = full[j]
            pending.pop(0)
            continue
        lacking = [full[j] - widths[j] for j in pending]
        total = sum(lacking)
        given = [spare * lack // total for lack in lacking]
        for k in range(spare - sum(given)):  # the remainder, one column each
            given[k % len(given)] += 1
        for j, extra, lack in zip(pending, given, lacking, strict=True):
            widths[j] += min(extra, lack)
        break
    return tuple(widths)


def layout(table: Table, width: int) -> Layout:
    """Choose how to print a table in ``width`` columns (see the module docstring)."""
    widths = column_widths(table, width)
    if widths is not None:
        return Layout("columns", widths)
    if table.rows and len(table.rows) + 1 < len(table.columns):
        widths = column_widths(transpose(table), width)
        if widths is not None:
            return Layout("transposed", widths)
    return Layout("stacked")


# -- the terminal ------------------------------------------------------------------------------


def _print_styled(console: Console, lines: list[tuple[str, str]]) -> None:
    """Print ready-made lines, each with its style, as one text.

    One ``console.print`` for the whole block instead of one per line: rich's per-call
    overhead (about 0.1 ms) was most of the time of a long table (1,000 rows of ``zopa
    history``). soft_wrap: the lines are laid out already; rich must neither re-wrap nor crop
    them.
    """
    from rich.text import Text

    if not lines:
        return
    text = Text()
    for line, style in lines:
        text.append(line, style=style or None)
        text.append("\n")
    console.print(text, soft_wrap=True, end="")


def _print_lines(console: Console, lines: list[str], style: str = "") -> None:
    _print_styled(console, [(line, style) for line in lines])


_WORD = re.compile(r"\s*\S+\s*")
"""A word with the spaces around it, as rich's word wrapping divides a line."""


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


class _UnusualCellError(Exception):
    """A cell :func:`cell_lines` does not lay out as rich would: let rich do it."""


def cell_lines(text: str, width: int) -> list[str]:
    """A table cell's lines at ``width`` columns, each padded to ``width``.

    Rich's wrapping of a table cell (greedy; a word carries the spaces after it and fits when
    its non-space part does; spaces past the edge are dropped), which :func:`column_lines`
    reproduces so that a table prints the same with or without rich laying it out. The
    widths of :func:`column_widths` are never narrower than a cell's longest word; a word that
    is wider all the same (with the spaces that start its cell) or a tab raise
    :class:`_UnusualCellError`.
    """
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            raise _UnusualCellError
        pieces: list[str] = []
        current, used = "", 0
        for match in _WORD.finditer(line):
            word = match.group()
            needed = _cells(word.rstrip())
            if needed > width:
                raise _UnusualCellError
            if current and used + needed > width:
                pieces.append(current)
                current, used = "", 0
            current += word
            used += _cells(word)
        pieces.append(current if current or pieces else line)
        for piece in pieces:
            if _cells(piece) > width:  # only spaces can be past the edge
                piece = piece.rstrip()
                if _cells(piece) > width:
                    raise _UnusualCellError
            out.append(_pad(piece, width))
    return out


def column_lines(table: Table, widths: tuple[int, ...]) -> list[tuple[str, str]]:
    """A table laid out in columns: ``(line, style)`` pairs, the header bold.

    The look of rich's ``box.SIMPLE_HEAD`` table without its edges (columns three spaces
    apart, the header's cells aligned on their last line, a rule under the header, each row's
    cells on their first), computed directly: rich lays out
    each row through its whole rendering pipeline, about 0.4 ms a row.
    """
    gap = " " * _GAP

    def row_lines(cells: list[str], bottom: bool = False) -> list[str]:
        columns = [cell_lines(cell, w) for cell, w in zip(cells, widths, strict=True)]
        height = max(len(c) for c in columns)
        for k, w in enumerate(widths):
            blank = [" " * w] * (height - len(columns[k]))
            columns[k] = [*blank, *columns[k]] if bottom else [*columns[k], *blank]
        return [gap.join(c[k] for c in columns) for k in range(height)]

    out = [(line, "bold") for line in row_lines(table.columns, bottom=True)]
    out.append(("─" * (sum(widths) + _GAP * (len(widths) - 1)), ""))
    for row in table.rows:
        out.extend((line, "") for line in row_lines(row))
    return out


def _print_columns(table: Table, widths: tuple[int, ...], console: Console) -> None:
    if not (console.options.ascii_only or console.legacy_windows):
        try:
            lines = column_lines(table, widths)
        except _UnusualCellError:
            pass
        else:
            _print_styled(console, lines)
            return
    # A terminal without box characters (rich substitutes its ASCII rules), or a cell rich
    # would fold or expand a tab in: rich lays the table out.
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    rich = RichTable(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False
    )
    for col, w in zip(table.columns, widths, strict=True):
        rich.add_column(Text(col), width=w, overflow="fold")
    for row in table.rows:  # plain text: "[source-id]" is a citation, not markup
        rich.add_row(*(Text(cell) for cell in row))
    console.print(rich, soft_wrap=False, crop=False)


def stacked_lines(table: Table, width: int) -> list[tuple[str, str]]:
    """The stacked layout of a table: ``(line, style)`` pairs, one block per row.

    A row's first cell heads its block (omitted when empty: the row continues the group above);
    every other non-empty cell follows as ``column: value``, indented by two spaces on the
    block's first line and four after. Short one-line cells are packed side by side, three
    spaces apart; longer ones get lines of their own, their further lines (wrapped at spaces,
    or the cell's own lines) indented by six. A blank line separates the groups.
    """
    if not table.rows:  # only the column names to show
        return [(line, "bold") for line in wrap("   ".join(table.columns), width)]
    first, *others = table.columns
    out: list[tuple[str, str]] = []
    for n, row in enumerate(table.rows):
        head, *cells = row
        if head.strip():
            if n:
                out.append(("", ""))
            label = head if first in ("", "#") else f"{first}: {head}"
            out.extend((line, "bold") for line in wrap(label, width))
        packed = ""
        lead = "  "  # the record's first line; its continuation lines go deeper
        for name, cell in zip(others, cells, strict=True):
            if not cell.strip():
                continue
            lines = cell.split("\n")
            text = f"{name}: {lines[0]}" if name else lines[0]
            if len(lines) == 1 and _cells(text) + 4 <= width:
                if packed and _cells(packed) + 3 + _cells(text) <= width:
                    packed += "   " + text
                    continue
                if packed:
                    out.append((packed, ""))
                    lead = "    "
                packed = lead + text
                continue
            if packed:
                out.append((packed, ""))
                packed, lead = "", "    "
            for k, line in enumerate([text, *lines[1:]]):
                wrapped = textwrap.wrap(
                    line,
                    width=max(width, 1),
                    initial_indent=lead if k == 0 else "      ",
                    subsequent_indent="      ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                out.extend((_within(w, width), "") for w in wrapped)
            lead = "    "
        if packed:
            out.append((packed, ""))
    return out


def _within(line: str, width: int) -> str:
    """Give up as much of a line's indent as it takes to end within ``width``."""
    if len(line) <= width:
        return line
    text = line.lstrip(" ")
    return " " * max(0, min(len(line) - len(text), width - len(text))) + text


def _print_stacked(table: Table, console: Console, width: int) -> None:
    _print_styled(console, stacked_lines(table, width))


def print_table(table: Table, console: Console) -> None:
    """Print one table at the console's width, choosing its layout with :func:`layout`."""
    width = console.width
    if table.title:
        _print_lines(console, wrap(table.title, min(width, PROSE_WIDTH)), "bold")
    plan = layout(table, width)
    if plan.kind == "columns":
        _print_columns(table, plan.widths, console)
    elif plan.kind == "transposed":
        _print_columns(transpose(table), plan.widths, console)
    else:
        _print_stacked(table, console, width)


def to_console(doc: Document, console: Console) -> None:
    """Print a document with rich, following the layout rules of the module docstring."""
    prose = min(console.width, PROSE_WIDTH)
    spaced = True  # a blank line was just printed
    for block in doc.blocks:
        if isinstance(block, Table):
            print_table(block, console)
            console.print()
            spaced = True
        elif block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            if not spaced:
                console.print()
            style = "bold underline" if level == 1 else "bold"
            _print_lines(console, wrap(block[level:].strip(), prose), style)
            spaced = False
        else:
            _print_lines(console, wrap(block, prose))
            spaced = False


# -- Markdown ----------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def to_markdown(doc: Document) -> str:
    """Render a document as GitHub-flavoured Markdown."""
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            if block.title:
                out.append(f"**{block.title}**\n")
            out.append("| " + " | ".join(_md_cell(c) for c in block.columns) + " |")
            out.append("|" + "---|" * len(block.columns))
            out.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows)
            out.append("")
        else:
            out.append(block + "\n")
    return "\n".join(out).rstrip() + "\n"
