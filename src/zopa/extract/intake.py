"""Reading a news report: the checks on the raw input, and its header block.

A report is plain UTF-8 text. It may open with a header block, lines ``Title:``, ``Date:``,
``URL:`` (also ``Publisher:`` / ``Source:``, ``Author:`` / ``By:``) followed by a blank line;
what the header gives is used, and the rest is the body. A trailing reference block (a line
``Reference(s):`` or ``Sources:`` and what follows) is not part of the body either: its first
line is taken as the title and a line that looks like a domain (``cgtn.com``) as the
publisher, when the header does not give them.

Nothing here reads a file: the caller passes the bytes (or text) it read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MAX_BYTES = 1024 * 1024
"""The largest report read (1 MB): a news report is a few kilobytes."""

HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "url": "url",
    "link": "url",
    "publisher": "publisher",
    "source": "publisher",
    "outlet": "publisher",
    "author": "author",
    "by": "author",
    "byline": "author",
}
"""Header field names (lower case) and what they give."""

_HEADER_LINE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")
_REFERENCES = re.compile(r"^\s*(?:reference\(s\)|references?|sources?\(s\)|sources)\s*:\s*$", re.I)
_DOMAIN = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/?\s*$", re.I
)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y")


class ArticleError(ValueError):
    """A report that cannot be read: empty, binary, not UTF-8, too large, or a bad date.

    The message says what is wrong and what was expected; front ends show it as it is.

    Parameters
    ----------
    message
        What is wrong.
    field
        ``report`` (the text itself) or ``date`` (the date given or in the header).
    """

    def __init__(self, message: str, field: str = "report") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Article:
    """A news report ready for extraction.

    Attributes
    ----------
    body
        The text after the header block, without the reference block; newlines normalised.
    date
        The article's date (from the caller, else the ``Date:`` header).
    title, url, publisher, author
        From the caller, the header or the reference block; None when unknown.
    """

    body: str
    date: dt.date
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None

    @property
    def words(self) -> int:
        """The number of words in the body."""
        return len(self.body.split())


def decode(raw: bytes | str, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the text of a report, or raise :class:`ArticleError` saying why it is refused.

    Parameters
    ----------
    raw
        What was read (bytes), or text already decoded.
    max_bytes
        The largest report accepted.

    Raises
    ------
    ArticleError
        Empty (or only white space), larger than ``max_bytes``, binary (a NUL byte or many
        control characters), or not valid UTF-8 (the byte offset is named).
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise ArticleError(
            f"the report is {len(data):,} bytes; at most {max_bytes:,} (1 MB) are read: a news "
            "report is plain text of a few kilobytes"
        )
    if b"\x00" in data[:8192]:
        raise ArticleError(
            "the input looks binary (it contains NUL bytes): give a plain-text report"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the report is not valid UTF-8 (byte {exc.start:,}: {data[exc.start : exc.start + 1]!r}); "
            "save it as UTF-8 text"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > max(8, len(text[:8192]) // 100):
        raise ArticleError(
            "the input looks binary (many control characters): give a plain-text report"
        )
    if not text.strip():
        raise ArticleError("the report is empty")
    return text


def parse_date(text: str) -> dt.date:
    """Parse an article date: ``2025-12-14``, ``14 December 2025``, ``December 14, 2025``...

    An ISO date-time (``2025-12-14T09:30:00Z``) gives its day.

    Raises
    ------
    ArticleError
        When the text is none of these forms.
    """
    value = text.strip()
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", value)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(1))
        except ValueError:
            pass
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.replace(".", ""), form).date()
        except ValueError:
            continue
    raise ArticleError(
        f"cannot read the date {text!r}: expected YYYY-MM-DD (e.g. 2025-12-14)", "date"
    )


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a leading header block from the body.

    A header block is one or more ``Key: value`` lines with known keys (see
    :data:`HEADER_KEYS`), at the very start, ended by a blank line (or by the end of the text).
    Anything else at the start means there is no header.

    Returns
    -------
    (dict, str)
        The fields found (``title``, ``date``, ``url``, ``publisher``, ``author``) and the body.
    """
    lines = text.lstrip("\n").split("\n")
    fields: dict[str, str] = {}
    n = 0
    for line in lines:
        if not line.strip():
            break
        match = _HEADER_LINE.match(line)
        key = HEADER_KEYS.get(match.group(1).lower()) if match else None
        if match is None or key is None:
            return {}, text
        fields.setdefault(key, match.group(2))
        n += 1
    if not fields:
        return {}, text
    return fields, "\n".join(lines[n:]).strip("\n")


def split_references(body: str) -> tuple[str, list[str]]:
    """Cut a trailing reference block (``Reference(s):`` and what follows) from the body.

    Returns
    -------
    (str, list of str)
        The body before the block and the block's non-empty lines.
    """
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if _REFERENCES.match(line):
            rest = [x.strip() for x in lines[i + 1 :] if x.strip()]
            return "\n".join(lines[:i]).rstrip("\n"), rest
    return body, []


def read_article(
    raw: bytes | str,
    *,
    date: dt.date | str | None = None,
    title: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Article:
    """Read a report: check it, take its header and reference block, and date it.

    Parameters
    ----------
    raw
        The report (bytes as read, or text).
    date
        The article's date; overrides the ``Date:`` header. One of the two is required: every
        relative date ("on Tuesday", "last month") is resolved against it.
    title, url, publisher
        Override the header (and the reference block).
    max_bytes
        The largest report accepted.

    Raises
    ------
    ArticleError
        For a report :func:`decode` refuses, a bad date, no date at all, or no text once the
        header is taken off.
    """
    text = decode(raw, max_bytes=max_bytes)
    fields, body = split_header(text)
    body, references = split_references(body)
    if not body.strip():
        raise ArticleError("the report has a header but no text under it")
    ref_title = next((line for line in references if not _DOMAIN.match(line)), None)
    ref_site = next((m.group(1) for line in references if (m := _DOMAIN.match(line))), None)
    if date is None:
        if "date" not in fields:
            raise ArticleError(
                "the report has no date: give --date YYYY-MM-DD or a 'Date:' line in its header "
                "(relative dates such as 'on Tuesday' are resolved against it)"
            )
        day = parse_date(fields["date"])
    elif isinstance(date, dt.date):
        day = date
    else:
        day = parse_date(date)
    return Article(
        body=body,
        date=day,
        title=title or fields.get("title") or ref_title,
        url=url or fields.get("url"),
        publisher=publisher or fields.get("publisher") or ref_site,
        author=fields.get("author"),
    )
