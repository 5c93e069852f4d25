"""The HTML rendering of a report document (what Jupyter shows)."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.render.document import Document, Table
from zopa.render.html import to_html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def test_headings_paragraphs_and_tables() -> None:
    doc = Document()
    doc.heading("Title", 1)
    doc.heading("Section")
    doc.para("A paragraph\non two lines.")
    doc.table(Table(["issue", "option"], [["nato", "set-aside"]], title="Terms"))
    html = to_html(doc)
    c = parse(html)
    assert c.tags == [
        "div",
        "h2",
        "h3",
        "p",
        "br",
        "table",
        "caption",
        "thead",
        "tr",
        "th",
        "th",
        "tbody",
        "tr",
        "td",
        "td",
    ]
    assert "".join(c.text).count("set-aside") == 1


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_all_text_is_escaped(para: str, cell: str) -> None:
    doc = Document()
    doc.para(para.lstrip("#") or "x")
    doc.table(Table(["c"], [[cell]]))
    c = parse(to_html(doc))
    # only the renderer's own tags: nothing in the text became markup
    assert set(c.tags) <= {"div", "p", "br", "table", "thead", "tbody", "tr", "th", "td"}
