"""An HTML rendering of a report :class:`~zopa.render.document.Document` (Jupyter, the briefing).

The notebook shows the same headings, paragraphs and tables as the terminal report and the
Markdown report, because all three render the one Document a view builds. Every text is
escaped: scenario files are user input, and nothing in them may become markup.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from zopa.render.document import Document, Table

Inline = Callable[[str], str]
"""Turns one line of plain text into HTML (it must escape the text)."""


def _plain(text: str) -> str:
    return escape(text)


def _cell(text: object, tag: str, inline: Inline = _plain, short: int = 0) -> str:
    lines = str(text).split("\n")
    keep = short and all(len(line) <= short for line in lines)
    open_tag = f'<{tag} class="nw">' if keep else f"<{tag}>"
    return open_tag + "<br>".join(inline(line) for line in lines) + f"</{tag}>"


def _table(table: Table, inline: Inline = _plain, scroll: bool = False, short: int = 0) -> str:
    out: list[str] = []
    if scroll:  # the title stays in view when the table scrolls sideways
        if table.title:
            out.append(f'<p class="table-title">{inline(table.title)}</p>')
        out.append('<div class="table-scroll">')
    out.append('<table class="zopa-table">')
    if table.title and not scroll:
        out.append(f"<caption>{inline(table.title)}</caption>")
    out.append(
        "<thead><tr>" + "".join(_cell(c, "th", inline) for c in table.columns) + "</tr></thead>"
    )
    out.append("<tbody>")
    out.extend(
        "<tr>" + "".join(_cell(c, "td", inline, short) for c in row) + "</tr>" for row in table.rows
    )
    out.append("</tbody></table>")
    if scroll:
        out.append("</div>")
    return "\n".join(out)


def document_html(
    doc: Document,
    *,
    offset: int = 1,
    inline: Inline = _plain,
    lists: bool = False,
    scroll: bool = False,
    short: int = 0,
) -> str:
    """Render the blocks of a document as HTML (no wrapper element).

    Parameters
    ----------
    doc
        The report built by a view.
    offset
        A heading of ``n`` ``#`` becomes ``<h{n + offset}>`` (at most ``<h6>``).
    inline
        Renders one line of text (escaping it); e.g. to link citations.
    lists
        Whether consecutive ``- `` paragraphs become one ``<ul>`` list.
    scroll
        Whether each table is wrapped in ``<div class="table-scroll">`` (to scroll sideways on
        a narrow screen), its title in a ``<p class="table-title">`` before it.
    short
        Table cells whose every line has at most this many characters get ``class="nw"`` (to
        be kept on one line by the page's style); 0: none.
    """
    out: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items.clear()

    for block in doc.blocks:
        if isinstance(block, Table):
            close_list()
            out.append(_table(block, inline, scroll, short))
            continue
        text = str(block)
        if lists and text.startswith("- "):
            items.append(_cell(text[2:], "li", inline))
            continue
        if lists and text.startswith("  ") and items:  # a list item's continuation
            items[-1] = items[-1][: -len("</li>")] + "<br>" + inline(text.strip()) + "</li>"
            continue
        close_list()
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            tag = f"h{min(level + offset, 6)}"
            out.append(f"<{tag}>{inline(text[level:].strip())}</{tag}>")
        else:
            out.append(_cell(text, "p", inline))
    close_list()
    return "\n".join(out)


def to_html(doc: Document) -> str:
    """Render a document as an HTML fragment (headings, paragraphs, tables; all text escaped).

    Parameters
    ----------
    doc
        The report built by a view.

    Returns
    -------
    str
        A ``<div class="zopa-report">`` fragment; headings ``#``..``######`` become ``<h1>``..
        ``<h6>`` (one level deeper than the Markdown, so a notebook cell does not shout).
    """
    return '<div class="zopa-report">\n' + document_html(doc) + "\n</div>\n"
