"""Document.to_dict / from_dict: a faithful round trip, so a stored report renders as the fresh one."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import zopa
from zopa.render.document import Document, Table, to_console, to_markdown
from zopa.render.html import to_html

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
HEADING = st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), TEXT)
HASHY = st.builds(lambda n, t: "#" * n + t, st.integers(1, 4), TEXT)  # '#x', '## ', '#'


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n = draw(st.integers(0, 5))
    columns = draw(st.lists(TEXT, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=5))
    return Table(columns, rows, draw(st.none() | TEXT))


DOCS = st.lists(st.one_of(TEXT, HEADING, HASHY, tables()), max_size=12).map(
    lambda blocks: Document(blocks=blocks)
)


def _through_json(doc: Document) -> Document:
    return Document.from_dict(json.loads(json.dumps(doc.to_dict())))


@settings(max_examples=200, deadline=None)
@given(DOCS)
def test_any_document_survives_the_round_trip_through_json(doc: Document) -> None:
    back = _through_json(doc)
    assert back == doc
    assert [type(b) for b in back.blocks] == [type(b) for b in doc.blocks]
    assert back.to_dict() == doc.to_dict()


def test_blocks_are_described_in_their_own_terms() -> None:
    doc = Document()
    doc.heading("Title", 1)
    doc.heading("Section")
    doc.para("#not-a-heading")
    doc.para("Text [src-a].")
    doc.table(Table(["a", "b"], [["1", "2\nthree"]], title="T"))
    assert doc.to_dict()["blocks"] == [
        {"kind": "heading", "level": 1, "text": "Title"},
        {"kind": "heading", "level": 2, "text": "Section"},
        {"kind": "paragraph", "text": "#not-a-heading"},
        {"kind": "paragraph", "text": "Text [src-a]."},
        {"kind": "table", "columns": ["a", "b"], "rows": [["1", "2\nthree"]], "title": "T"},
    ]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"blocks": []}, "format"),
        ({"format": "zopa-document", "version": 99, "blocks": []}, "version"),
        ({"format": "zopa-document", "version": 1, "blocks": {}}, "blocks"),
        ({"format": "zopa-document", "version": 1, "blocks": [{"kind": "x", "text": ""}]}, "kind"),
        ({"format": "zopa-document", "version": 1, "blocks": [{"kind": "heading"}]}, "text"),
        (
            {"format": "zopa-document", "version": 1, "blocks": [{"kind": "heading", "text": "a"}]},
            "level",
        ),
        (
            {
                "format": "zopa-document",
                "version": 1,
                "blocks": [{"kind": "table", "columns": ["a"], "rows": [[1]]}],
            },
            "rows[0]",
        ),
    ],
)
def test_data_that_is_no_document_is_refused_saying_where(data: Any, where: str) -> None:
    with pytest.raises(ValueError, match=r"\S") as err:
        Document.from_dict(data)
    assert where in str(err.value)


MAKERS: dict[str, Callable[[], Any]] = {
    "analyze": lambda: zopa.analyze(),
    "evaluate": lambda: zopa.evaluate(terms="nato=set-aside"),
    "stability": lambda: zopa.stability("elmira"),
    "forecast": lambda: zopa.forecast(samples=20, seed=3),
    "robust": lambda: zopa.robust(samples=30, seed=1, workers=1, given_reactions=False),
    "simulate": lambda: zopa.simulate(),
    "tournament": lambda: zopa.tournament(samples=4, workers=1),
    "timeline": lambda: zopa.timeline(as_of="2025-12-10"),
}


@functools.cache
def _result(kind: str) -> Any:
    return MAKERS[kind]()


def _console_text(doc: Document, width: int) -> str:
    out = io.StringIO()
    to_console(doc, Console(file=out, width=width, color_system=None))
    return out.getvalue()


@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_stored_report_renders_exactly_as_the_fresh_one(kind: str) -> None:
    doc = _result(kind).document()
    back = _through_json(doc)
    assert any(isinstance(b, Table) for b in doc.blocks)  # the test covers tables
    for width in (60, 80, 200):
        assert _console_text(back, width) == _console_text(doc, width)
    assert to_markdown(back) == to_markdown(doc)
    assert to_html(back) == to_html(doc)
