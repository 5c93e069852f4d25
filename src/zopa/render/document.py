"""A tiny report document (headings, paragraphs, tables) rendered to the terminal or Markdown.

Views build a :class:`Document` once; :func:`to_console` and :func:`to_markdown` render it, so the
terminal report and the Markdown report always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


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


def to_console(doc: Document, console: Console) -> None:
    """Print a document with rich."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    for block in doc.blocks:
        if isinstance(block, Table):
            rich = RichTable(
                title=block.title,
                title_justify="left",
                title_style="bold",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
            )
            for col in block.columns:
                rich.add_column(Text(col), overflow="fold")
            for row in block.rows:  # plain text: "[source-id]" is a citation, not markup
                rich.add_row(*(Text(cell) for cell in row))
            console.print(rich)
        elif block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            text = block[level:].strip()
            console.print()
            console.print(Text(text.upper() if level == 1 else text, style="bold"))
        else:
            console.print(Text(block))


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
