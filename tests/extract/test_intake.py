"""Reading a report: the checks on the input, the header block, the reference block."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.extract.intake import (
    MAX_BYTES,
    ArticleError,
    decode,
    parse_date,
    read_article,
    split_header,
)

HEADED = "Title: Talks resume\nDate: 2025-12-15\nURL: https://example.org/a\nPublisher: Wire\n\nBody text here.\n"


def test_the_header_block_is_read_and_taken_off() -> None:
    a = read_article(HEADED.encode())
    assert (a.title, a.date, a.url, a.publisher) == (
        "Talks resume",
        dt.date(2025, 12, 15),
        "https://example.org/a",
        "Wire",
    )
    assert a.body == "Body text here."


def test_arguments_override_the_header() -> None:
    a = read_article(HEADED, date="2025-12-16", publisher="Other", title="T", url="https://x.org")
    assert (a.date, a.publisher, a.title, a.url) == (
        dt.date(2025, 12, 16),
        "Other",
        "T",
        "https://x.org",
    )


def test_a_first_line_that_is_not_a_header_is_body() -> None:
    fields, body = split_header("Kyiv: talks resume\nMore text.")
    assert fields == {}
    assert body.startswith("Kyiv:")
    fields, body = split_header("Note: something\n\nText.")  # an unknown key: no header
    assert fields == {}


def test_the_reference_block_gives_title_and_publisher_and_is_not_body() -> None:
    text = "Some news. More news.\nReference(s):\nUkraine offers to drop NATO membership demands\ncgtn.com\n"
    a = read_article(text, date="2025-12-14")
    assert a.body == "Some news. More news."
    assert a.title == "Ukraine offers to drop NATO membership demands"
    assert a.publisher == "cgtn.com"


def test_bom_and_crlf_are_normalised() -> None:
    a = read_article("\ufeffTitle: T\r\nDate: 2025-12-14\r\n\r\nA line.\r\nAnother.\r\n".encode())
    assert a.title == "T"
    assert a.body == "A line.\nAnother."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x7fELF\x00\x01\x02", "binary"),
        (b"caf\xe9 au lait", r"not valid UTF-8 \(byte 3"),
        (b"a" * (MAX_BYTES + 1), "at most 1,048,576"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12", "binary"),
    ],
)
def test_bad_input_gets_a_clear_message(raw: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        read_article(raw, date="2025-12-14")


def test_a_date_is_required_and_checked() -> None:
    with pytest.raises(ArticleError, match="no date: give --date"):
        read_article("Some text.")
    with pytest.raises(ArticleError, match="cannot read the date") as info:
        read_article("Some text.", date="14/12/2025")
    assert info.value.field == "date"
    with pytest.raises(ArticleError, match="header but no text"):
        read_article("Title: T\nDate: 2025-12-14\n\n")


@pytest.mark.parametrize(
    "text",
    [
        "2025-12-14",
        "2025-12-14T09:30:00Z",
        "14 December 2025",
        "December 14, 2025",
        "Dec 14, 2025",
        "14 Dec 2025",
    ],
)
def test_article_dates_in_common_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 12, 14)


@given(st.binary(max_size=400))
def test_decode_accepts_or_refuses_any_bytes_with_an_article_error(raw: bytes) -> None:
    messages: list[str] = []
    try:
        text = decode(raw)
    except ArticleError as exc:
        messages.append(str(exc))
    else:
        assert text.strip()
    assert all(messages)
