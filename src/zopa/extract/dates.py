"""Dates in a news report, resolved against the article's date with the standard library.

Every expression found (:func:`find_dates`) gives the range of days its words allow
(``first``..``last``) and one day (``day``) for the event. ``D`` is the article's date.

Tense
    An expression is *future* when its own words say so ("next", "later", "coming",
    "tomorrow", "by the end of") or when its clause does ("will", "would", "is due to", "is
    expected to", "plans to", "scheduled"...: the words before it back to a comma, or the
    four words after it); otherwise it is *past* (or present).

One day for a range
    Past: the latest day of the range that is not after ``D`` (so an event is never dated
    before it could have been known, and an as-of cut never counts it too early). Future:
    the earliest day of the range from ``D`` on.

Rules
    - *Explicit dates*: "December 14", "Dec. 14", "14 December", with or without the year,
      "2025-12-14". Without a year: the most recent such day on or before ``D`` (past), the
      next on or after ``D`` (future), so "on December 29" in a report of 2 January is the
      29th of the year before.
    - *Weekdays*: "on Tuesday", "Tuesday night", "late on Saturday": past, the most recent
      such day on or before ``D`` (the day itself when ``D`` is a Tuesday); future ("will
      meet on Tuesday"), the next on or after ``D``. "last Tuesday": strictly before ``D``;
      "next Tuesday": strictly after it.
    - *Days around D*: "today", "this morning", "tonight": ``D``; "yesterday": ``D`` − 1;
      "tomorrow": ``D`` + 1; "overnight", "last night", "during the night": the night before
      ``D``, day ``D`` − 1, range ``D`` − 1..``D``.
    - *Recent spans*: "over the past 24 hours" (48, 72), "the past day": ``D`` − 1..``D``
      (day ``D``); "the past week", "over the week", "during the week": ``D`` − 7..``D``; "the
      past N days": ``D`` − N..``D``; "N days ago", "two weeks ago": that day.
    - *Weekends*: "this weekend", "over the weekend", "at the weekend": the weekend containing
      ``D`` when ``D`` is a Saturday or Sunday; otherwise the last one (past) or the coming
      one (future). "last weekend": the latest weekend that ended before ``D``; "next
      weekend": the first that starts after ``D``. The range is Saturday..Sunday.
    - *Weeks* (Monday..Sunday): "this week"; "earlier this week": Monday..``D`` − 1; "later
      this week": ``D`` + 1..Sunday; "last week"; "next week", "the coming week".
    - *Months*: "this month", "earlier this month" (1st..``D`` − 1), "later this month",
      "last month", "next month"; "early", "mid" and "late" take days 1–10, 11–20, 21–end
      ("late last month"); "the end of the month": its last day, "the start of the month":
      its 1st; "in July", "since July", "late November": that month, the most recent one
      (past) or the next (future).
    - *Years*: "this year", "last year", "next year", "in 2022": the calendar year.
    - *Another event*: "a day after", "two days before", "hours after" date the event named after
      them, counted from the sentence's own date when one comes before them ("said on Monday, a
      day before the talks": Tuesday), else from ``D``; they date nothing before them.
    - "overnight to February 12", "overnight into Sunday": the night before the named day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3,
}  # fmt: skip

_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month-day",
        re.compile(
            rf"\b(?:(?P<mod>early|late)\s+on\s+)?{_MONTH}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            r"(?:,?\s+(?P<y>\d{4}))?"
        ),
    ),
    (
        "day-month",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<mod>last|next|this|coming|early\s+on|late\s+on|early|late)\s+)?{_WD}"
            r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
            re.I,
        ),
    ),
    (
        "relative-day",
        re.compile(
            r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|tomorrow|"
            r"today|tonight|this\s+(?:morning|afternoon|evening)|(?:earlier|later)\s+today|"
            r"last\s+night|overnight|during\s+the\s+night|in\s+the\s+night)\b",
            re.I,
        ),
    ),
    (
        "hours",
        re.compile(
            r"\b(?:over|in|during|within|for)\s+the\s+(?:past|last|previous)\s+(?P<n>24|48|72)\s+hours\b",
            re.I,
        ),
    ),
    (
        "span",
        re.compile(
            r"\b(?:(?:over|in|during|within|for)\s+)?(?:the\s+(?:past|last|previous)|past|previous)\s+"
            r"(?P<n>\d+|two|three|four|five|six|seven|ten|few|several)?\s*(?P<unit>days?|weeks?|months?)\b"
            r"|\b(?:over|during|in)\s+the\s+(?P<unit2>week|day)\b(?!end)",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+"
            r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
            re.I,
        ),
    ),
    (
        "weekend",
        re.compile(
            r"\b(?:(?P<mod>this|last|next|past|coming|the\s+coming)\s+weekend|(?:over|at|during|on)\s+the\s+weekend)\b",
            re.I,
        ),
    ),
    (
        "edge",
        re.compile(
            r"\b(?:at|by|before|until|towards?|around|from)?\s*the\s+(?P<edge>end|start|beginning)\s+of\s+"
            r"(?:(?P<rel>the|this|next|last)\s+)?(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?:(?P<pos>earlier|later|early|late|mid-?)\s+)?(?P<rel>this|last|next|the\s+coming|the\s+previous|"
            r"the\s+following|the\s+past)\s+(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<prep>in|since|until|by|from|during|of|last|next|this)\s+)?(?:(?P<pos>early|mid-?|late)\s*)?"
            rf"{_MONTH}\b(?:\s+(?P<y>\d{{4}}))?"
        ),
    ),
    ("year", re.compile(r"\b(?:in|since|until|by|from|during)\s+(?P<y>(?:19|20)\d{2})\b")),
    (
        "event-offset",
        re.compile(
            r"\b(?:(?P<n>\d+|an?|one|two|three|four|five|six|seven)\s+days?|the\s+day|(?P<h>hours))\s+"
            r"(?P<dir>after|before)\b(?!\s+(?:tomorrow|yesterday)\b)",
            re.I,
        ),
    ),
]

_FUTURE_INHERENT = re.compile(r"\b(?:next|coming|upcoming|later|tomorrow|by\s+the\s+end)\b", re.I)
_PAST_INHERENT = re.compile(
    r"\b(?:last|ago|yesterday|earlier|past|previous|overnight|since)\b", re.I
)
_FUTURE_CONTEXT = re.compile(
    r"\b(?:will|won't|shall|is\s+to|are\s+to|was\s+to|were\s+to|(?:is|are|was|were)\s+due|due\s+to|"
    r"(?:is|are|was|were)\s+expected|expected\s+to|plans?\s+to|planned|planning|scheduled|set\s+to|"
    r"going\s+to|would|intends?\s+to|upcoming|could\s+(?:open|start|begin|take\s+place|meet|resume)|"
    r"expects?|expected|to\s+(?:meet|travel|visit|host|hold|attend|sign|address|brief|discuss|open|"
    r"start|begin|resume|return|arrive|go|fly|receive|sit|join|deploy))\b|'ll\b",
    re.I,
)
_CLAUSE_START = re.compile(r"[,;:—–]|\bthat\b|\bbut\b|\bwhile\b|\bwhich\b|\bwho\b", re.I)


@dataclass(frozen=True)
class DateExpression:
    """Words that date something, and the days they stand for.

    Attributes
    ----------
    start, end
        Offsets in the sentence.
    text
        The words.
    day
        The one day given to the event (see the module's rules).
    first, last
        The range of days the words allow (equal for a single day).
    tense
        ``past`` or ``future``.
    since
        The words open a span that runs to now ("since February 2022"): not an event's date.
    offset
        The words date the event named after them from the sentence's own event ("a day after
        mediators met", "two days before the summit"): they date only what follows them.
    """

    start: int
    end: int
    text: str
    day: dt.date
    first: dt.date
    last: dt.date
    tense: str
    since: bool = False
    offset: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the words allow more than one day."""
        return self.first != self.last


def tense_at(text: str, start: int, end: int) -> str:
    """The tense of the clause around ``text[start:end]``: ``future`` or ``past``."""
    words = text[start:end]
    if _FUTURE_INHERENT.search(words):
        return "future"
    if _PAST_INHERENT.search(words):
        return "past"
    before = text[:start]
    cut = [m.end() for m in _CLAUSE_START.finditer(before)]
    clause = before[cut[-1] :] if cut else before
    after = " ".join(text[end:].split()[:4])
    after = _CLAUSE_START.split(after)[0]
    if _FUTURE_CONTEXT.search(clause) or _FUTURE_CONTEXT.search(after):
        return "future"
    return "past"


def _pick(first: dt.date, last: dt.date, today: dt.date, tense: str) -> dt.date:
    """One day of a range (see the module): latest not after today (past), else earliest from it."""
    if tense == "future":
        return (
            max(first, min(today, last))
            if first <= today <= last
            else (first if first > today else last)
        )
    return (
        min(last, max(today, first))
        if first <= today <= last
        else (last if last < today else first)
    )


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _part(first: dt.date, last: dt.date, pos: str | None) -> tuple[dt.date, dt.date]:
    """Days 1–10 (early), 11–20 (mid) or 21–end (late) of a month range."""
    if not pos:
        return first, last
    pos = pos.lower().rstrip("-")
    if pos == "early":
        return first, min(last, first + dt.timedelta(days=9))
    if pos == "mid":
        return min(last, first + dt.timedelta(days=10)), min(last, first + dt.timedelta(days=19))
    if pos == "late":
        return min(last, first + dt.timedelta(days=20)), last
    return first, last


def _count(word: str | None) -> int:
    if not word:
        return 1
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    return SMALL_NUMBERS.get(w, 3 if w == "few" else 1)


def _weekday(today: dt.date, target: int, mod: str, tense: str) -> dt.date:
    back = (today.weekday() - target) % 7
    ahead = (target - today.weekday()) % 7
    if mod == "last":
        return today - dt.timedelta(days=back or 7)
    if mod in ("next", "coming"):
        return today + dt.timedelta(days=ahead or 7)
    if tense == "future":
        return today + dt.timedelta(days=ahead)
    return today - dt.timedelta(days=back)


def _year_for(month: int, day: int | None, today: dt.date, tense: str) -> int:
    """The year of a month (and day) given without one, by tense (see the module)."""
    for year in (today.year, today.year - 1) if tense == "past" else (today.year, today.year + 1):
        try:
            if day is not None:
                candidate = dt.date(year, month, day)
                ok = candidate <= today if tense == "past" else candidate >= today
            else:
                first, last = _month_range(year, month)
                ok = first <= today if tense == "past" else last >= today
        except ValueError:
            continue
        if ok:
            return year
    return today.year


def _resolve(
    kind: str, m: re.Match[str], today: dt.date, tense: str
) -> tuple[dt.date, dt.date] | None:
    g = m.groupdict()
    one = dt.timedelta(days=1)
    if kind == "iso":
        day = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        return day, day
    if kind in ("month-day", "day-month"):
        month = MONTHS[g["month"].lower()]
        d = int(g["d"])
        year = int(g["y"]) if g.get("y") else _year_for(month, d, today, tense)
        day = dt.date(year, month, d)
        return day, day
    if kind == "weekday":
        mod = " ".join((g.get("mod") or "").lower().split())
        target = WEEKDAYS.index(g["wd"].lower())
        day = _weekday(
            today, target, "this" if mod in ("early on", "late on", "early", "late") else mod, tense
        )
        return day, day
    if kind == "relative-day":
        w = " ".join(g["w"].lower().split())
        if w == "yesterday":
            return today - one, today - one
        if w == "the day before yesterday":
            return today - 2 * one, today - 2 * one
        if w == "tomorrow":
            return today + one, today + one
        if w == "the day after tomorrow":
            return today + 2 * one, today + 2 * one
        if w in ("overnight", "last night", "during the night", "in the night"):
            if tense == "future" and w != "last night":
                return today, today + one
            return today - one, today
        return today, today
    if kind == "hours":
        return today - dt.timedelta(days=int(g["n"]) // 24), today
    if kind == "event-offset":  # "a day after the talks": the talks, dated from the report's day
        by = dt.timedelta(days=0 if g.get("h") else _count(g.get("n") or "one"))
        day = today - by if g["dir"].lower() == "after" else today + by
        return day, day
    if kind == "span":
        unit = (g.get("unit") or g.get("unit2") or "day").lower().rstrip("s")
        n = _count(g.get("n"))
        days = {"day": 1, "week": 7, "month": 30}[unit] * n
        return today - dt.timedelta(days=days), today
    if kind == "ago":
        unit = g["unit"].lower().rstrip("s")
        n = _count(g["n"])
        if unit == "month":
            y, mo = _shift_month(today.year, today.month, -n)
            day = dt.date(y, mo, min(today.day, calendar.monthrange(y, mo)[1]))
        elif unit == "year":
            day = dt.date(
                today.year - n, today.month, min(today.day, 28 if today.month == 2 else today.day)
            )
        else:
            day = today - dt.timedelta(days=n * (7 if unit == "week" else 1))
        return day, day
    if kind == "weekend":
        mod = " ".join((g.get("mod") or "").lower().split())
        wd = today.weekday()
        this_sat = today - dt.timedelta(days=wd - 5) if wd >= 5 else None
        last_sat = (
            today - dt.timedelta(days=wd + 2) if wd < 5 else today - dt.timedelta(days=wd - 5 + 7)
        )
        next_sat = (
            today + dt.timedelta(days=5 - wd) if wd < 5 else today + dt.timedelta(days=12 - wd)
        )
        if mod in ("last", "past"):
            sat = last_sat
        elif mod in ("next", "coming", "the coming"):
            sat = next_sat
        elif this_sat is not None:
            sat = this_sat
        else:
            sat = next_sat if tense == "future" else last_sat
        return sat, sat + one
    if kind == "edge":
        unit = g["unit"].lower()
        rel = (g.get("rel") or "the").lower()
        start_of = g["edge"].lower() in ("start", "beginning")
        if unit == "week":
            monday = today - dt.timedelta(days=today.weekday())
            monday += dt.timedelta(days=7 * {"next": 1, "last": -1}.get(rel, 0))
            day = monday if start_of else monday + dt.timedelta(days=6)
        elif unit == "month":
            y, mo = _shift_month(today.year, today.month, {"next": 1, "last": -1}.get(rel, 0))
            first, last = _month_range(y, mo)
            day = first if start_of else last
        else:
            y = today.year + {"next": 1, "last": -1}.get(rel, 0)
            day = dt.date(y, 1, 1) if start_of else dt.date(y, 12, 31)
        return day, day
    if kind == "relative":
        unit = g["unit"].lower()
        rel = " ".join(g["rel"].lower().split())
        pos = (g.get("pos") or "").lower().rstrip("-")
        shift = {
            "last": -1,
            "the previous": -1,
            "next": 1,
            "the coming": 1,
            "the following": 1,
        }.get(rel, 0)
        if rel == "the past":
            days = {"week": 7, "month": 30, "year": 365}[unit]
            return today - dt.timedelta(days=days), today
        if unit == "week":
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7 * shift)
            first, last = monday, monday + dt.timedelta(days=6)
        elif unit == "month":
            first, last = _month_range(*_shift_month(today.year, today.month, shift))
        else:
            y = today.year + shift
            first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
        if shift == 0 and pos == "earlier":
            last = max(first, today - one)
            return first, last
        if shift == 0 and pos == "later":
            first = min(last, today + one)
            return first, last
        if unit == "month":
            return _part(first, last, pos)
        return first, last
    if kind == "month":
        month = MONTHS[g["month"].lower()]
        prep = (g.get("prep") or "").lower()
        if g.get("y"):
            year = int(g["y"])
        elif prep == "last":
            year = today.year - 1 if month >= today.month else today.year
        elif prep == "next":
            year = today.year + 1 if month <= today.month else today.year
        else:
            year = _year_for(month, None, today, tense)
        return _part(*_month_range(year, month), g.get("pos"))
    if kind == "year":
        y = int(g["y"])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None  # pragma: no cover - every kind is handled above


def _bare_month_ok(kind: str, m: re.Match[str]) -> bool:
    """A month name alone is a date only with a preposition, a year or early/mid/late."""
    if kind != "month":
        return True
    g = m.groupdict()
    return bool(g.get("y") or g.get("prep") or g.get("pos"))


def find_dates(text: str, today: dt.date) -> list[DateExpression]:
    """Find and resolve the date expressions of a sentence (see the module's rules).

    Parameters
    ----------
    text
        One sentence.
    today
        The article's date.

    Returns
    -------
    list of DateExpression
        In the order of the text, without overlaps (the longer expression wins).
    """
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    candidates = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not m.group(0).strip() or not _bare_month_ok(kind, m):
                continue
            candidates.append((kind, m))
    candidates.sort(key=lambda c: (-(c[1].end() - c[1].start()), c[1].start()))
    for kind, m in candidates:
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if any(start < e and s < end for s, e in taken):
            continue
        tense = tense_at(text, start, end)
        try:
            span = _resolve(kind, m, today, tense)
        except (ValueError, OverflowError):
            continue
        if span is None:
            continue
        first, last = span
        day = _pick(first, last, today, tense)
        if kind == "relative-day" and first == today - dt.timedelta(days=1) and last == today:
            day = first  # overnight, last night: the night that began the day before
        if kind == "event-offset":
            day, tense = first, "past" if first <= today else "future"
        since = bool(re.match(r"since\b", text[start:end], re.I))
        if since:
            first, last = first, max(last, today)
        found.append(
            DateExpression(
                start, end, text[start:end], day, first, last, tense, since, kind == "event-offset"
            )
        )
        taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return _anchor_offsets(_overnight_to(text, found), today)


def _anchor_offsets(found: list[DateExpression], today: dt.date) -> list[DateExpression]:
    """Count "a day before the talks" from the sentence's own date when one comes before it.

    "said on Monday, a day before the talks": the talks on Tuesday; with no date before the
    words, they count from the article's date.
    """
    out: list[DateExpression] = []
    for d in found:
        anchor = next((a for a in reversed(out) if not a.offset and not a.since), None)
        if d.offset and anchor is not None:
            day = anchor.day + (d.day - today)
            tense = "past" if day <= today else "future"
            d = DateExpression(d.start, d.end, d.text, day, day, day, tense, offset=True)
        out.append(d)
    return out


def _overnight_to(text: str, found: list[DateExpression]) -> list[DateExpression]:
    """Join "overnight to February 12" (or "into Sunday"): the night before the named day."""
    out: list[DateExpression] = []
    for d in found:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.text.lower() in ("overnight", "during the night", "in the night")
            and re.fullmatch(r"\s+(?:to|into)\s+(?:on\s+)?", text[previous.end : d.start])
            and not d.is_range
        ):
            night = d.day - dt.timedelta(days=1)
            out[-1] = DateExpression(
                previous.start, d.end, text[previous.start : d.end], night, night, d.day, d.tense
            )
            continue
        out.append(d)
    return out
