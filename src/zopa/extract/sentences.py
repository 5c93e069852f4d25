"""Cutting a report's body into paragraphs and sentences, and setting aside what is not news.

Lines that carry no event are set aside with the reason: live-blog time stamps (``10:42 GMT``),
"SEE ALSO" / "READ MORE" / "Related" lines, photo captions (``Photo:``, ``Pictured:``, a line
with a photo credit such as ``REUTERS/``), bylines and editing credits, and headings (a short
line, at most :data:`HEADING_WORDS` words, that does not end a sentence). A dateline at the start
of a paragraph (``KYIV, Dec 14 (Reuters) -``) and a time stamp before an entry's text are cut
off the text.

Sentences end at ``.``, ``!`` or ``?`` (and the closing quotes or brackets after it) followed by
white space and a capital letter, a digit or an opening quote, except after an abbreviation
(``Gen.``, ``Dec.``, an initial) and inside a quotation, so that ``"We are ready. Now," he
said.`` stays one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING_WORDS = 14
"""A line without final punctuation and at most this many words is a heading, not news."""

MAX_QUOTE = 600
"""A quotation left open longer than this (characters) is taken as unbalanced."""

_NON_EVENT = re.compile(
    r"^\s*(?:"
    r"(?P<see>see also|also see|read more|read also|also read|related(?: stories| articles| coverage)?|"
    r"more on this|more:|watch|listen|explainer|recommended|top stories|trending|most read|"
    r"further reading|in pictures|live updates)\b"
    r"|(?P<caption>(?:file )?photo(?:graph)?s?\b|pictured\b|picture\b|image\b|caption\b|video\b|"
    r"photo credit|gallery\b)"
    r"|(?P<credit>\(?(?:reporting|writing|editing|additional reporting|compiled|edited) by\b|by [A-Z][a-z]+ [A-Z][a-z]+\s*$|"
    r"©|copyright\b|advertisement\b|subscribe\b|sign up\b|follow us\b|share this\b|click here\b)"
    r")",
    re.I,
)
_PHOTO_CREDIT = re.compile(
    r"(?:\b(?:REUTERS|Reuters|AP Photo|AFP|Getty Images|EPA|Anadolu|Sputnik|TASS|Xinhua|"
    r"Pool)\s*/|\((?:Photo|Image|Satellite image|Picture)[^)]*\)\s*$|/\s*(?:AFP|AP|EPA|Reuters)\b|"
    r"\bvia Getty\b|\bREUTERS/[A-Z])"
)
_TIMESTAMP = re.compile(
    r"^\s*(?:updated\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|GMT|UTC|CET|CEST|EET|EEST|BST|MSK|ET|EST|EDT|"
    r"PT|local time|Kyiv time|Moscow time))?(?:\s*[-—–:|]\s*|\s*$)",
    re.I,
)
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+){0,3}"  # KYIV, PORT SUDAN, GAZA/JERUSALEM
    r"(?:\s*,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"  # , Dec 14
    r"(?:\s*\([^)]{1,40}\))?"  # (Reuters)
    r"(?:\s*\.?\s*/[A-Z][\w .-]{1,30}/)?"  # . /TASS/ (the agency between slashes)
    r"\s*(?:[-—–]+|\.(?=\s+[A-Z]))\s*"
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "sen",
        "rep",
        "gov",
        "prof",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "approx",
        "est",
        "fig",
        "gov't",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
    ]
)
_STARTERS = frozenset(
    [
        "The",
        "He",
        "She",
        "It",
        "They",
        "We",
        "But",
        "In",
        "On",
        "A",
        "An",
        "This",
        "That",
        "Its",
        "His",
        "Her",
        "Their",
        "There",
        "Meanwhile",
    ]
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the body.

    Attributes
    ----------
    index
        Its position among the kept sentences (0-based).
    paragraph
        The paragraph it belongs to (0-based; paragraphs are separated by blank lines).
    text
        The sentence, verbatim (white space at its ends removed).
    """

    index: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class SetAside:
    """A line of the body that is not news, and why.

    The reason is ``caption``, ``see-also``, ``credit``, ``timestamp`` or ``heading``.
    """

    text: str
    reason: str


def line_kind(line: str) -> str | None:
    """Return why a line is not news (see :class:`SetAside`), or None when it is."""
    stripped = line.strip()
    if not stripped:
        return None
    if re.match(r"^[—–]\s*[A-Z]", stripped):
        return None  # "— Yuri Ushakov, Kremlin aide": the attribution of a block quotation
    match = _NON_EVENT.match(re.sub(r"^[\[(]\s*", "", stripped))
    if match:
        return (
            "see-also" if match.group("see") else "caption" if match.group("caption") else "credit"
        )
    if _PHOTO_CREDIT.search(_clean_start(stripped)):
        return "caption"  # the credit of a photo; an agency's dateline ("/TASS/.") is not one
    if _TIMESTAMP.match(stripped) and not _TIMESTAMP.sub("", stripped, count=1).strip():
        return "timestamp"
    if not re.search(r"[.!?][\"'”’)\]]*$", stripped) and len(stripped.split()) <= HEADING_WORDS:
        return "heading"
    return None


def _clean_start(line: str) -> str:
    """Cut a time stamp and a dateline off the start of a line."""
    text = _TIMESTAMP.sub("", line, count=1) if _TIMESTAMP.match(line) else line
    match = _DATELINE.match(text)
    if match and len(re.sub(r"[^A-Z]", "", match.group(0))) >= 3:
        text = text[match.end() :]
    return text.strip()


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` closes an abbreviation rather than a sentence."""
    word = re.search(r"([A-Za-z][A-Za-z.']*)\.$", text[:end])
    if not word:
        return False
    token = word.group(1).lower()
    if len(token) == 1:  # an initial: "J. D."
        return True
    if token in ("u.s", "u.n", "u.k", "e.u"):
        following = re.match(r"\s+[\"“]?([A-Za-z]+)", text[end:])
        return not (following and following.group(1) in _STARTERS)
    return token in _ABBREVIATIONS


def _inside_quote(text: str) -> bool:
    """Whether a quotation opened in ``text`` is still open at its end (and not too long)."""
    straight = text.count('"')
    opened = text.count("“") - text.count("”")
    if straight % 2 == 1:
        start = text.rfind('"')
    elif opened > 0:
        start = text.rfind("“")
    else:
        return False
    return len(text) - start <= MAX_QUOTE


def split_sentences(text: str) -> list[str]:
    """Split one paragraph's text into sentences (see the module's rules)."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        piece = text[start:end]
        if match.group(0)[0] == "." and _is_abbreviation(text, match.start() + 1):
            continue
        if _inside_quote(piece):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def segment(body: str) -> tuple[list[Sentence], list[SetAside]]:
    """Cut a body into sentences, setting aside the lines that are not news.

    Returns
    -------
    (list of Sentence, list of SetAside)
        The sentences in order, and the lines set aside in order.
    """
    sentences: list[Sentence] = []
    aside: list[SetAside] = []
    paragraph = -1
    fresh = True
    for raw in body.split("\n"):
        if not raw.strip():
            fresh = True
            continue
        if fresh:
            paragraph += 1
            fresh = False
        reason = line_kind(raw)
        if reason is not None:
            aside.append(SetAside(raw.strip(), reason))
            continue
        text = _clean_start(raw)
        if not text:
            continue
        for piece in split_sentences(text):
            sentences.append(Sentence(len(sentences), paragraph, piece))
    return sentences, aside
