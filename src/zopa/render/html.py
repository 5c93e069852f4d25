"""An HTML rendering of a report :class:`~zopa.render.document.Document` (for Jupyter).

The notebook shows the same headings, paragraphs and tables as the terminal report and the
Markdown report, because all three render the one Document a view builds. Every text is
escaped: scenario files are user input, and nothing in them may become markup.
"""

from __future__ import annotations

from html import escape

from zopa.render.document import Document, Table


def _cell(text: object, tag: str) -> str:
    lines = escape(str(text)).split("\n")
    return f"<{tag}>" + "<br>".join(lines) + f"</{tag}>"


def _table(table: Table) -> str:
    out = ['<table class="zopa-table">']
    if table.title:
        out.append(f"<caption>{escape(table.title)}</caption>")
    out.append("<thead><tr>" + "".join(_cell(c, "th") for c in table.columns) + "</tr></thead>")
    out.append("<tbody>")
    out.extend("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in table.rows)
    out.append("</tbody></table>")
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
    out = ['<div class="zopa-report">']
    for block in doc.blocks:
        if isinstance(block, Table):
            out.append(_table(block))
            continue
        text = str(block)
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            tag = f"h{min(level + 1, 6)}"
            out.append(f"<{tag}>{escape(text[level:].strip())}</{tag}>")
        else:
            out.append(_cell(text, "p"))
    out.append("</div>")
    return "\n".join(out) + "\n"
