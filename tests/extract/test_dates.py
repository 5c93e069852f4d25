"""Date expressions resolved against the article's date (the rules of zopa.extract.dates)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.extract.dates import WEEKDAYS, find_dates

SUNDAY = dt.date(2025, 12, 14)
MONDAY = dt.date(2025, 12, 1)
NEW_YEAR = dt.date(2026, 1, 2)  # a Friday


def one(text: str, today: dt.date) -> tuple[str, str, str]:
    """The single expression of ``text``: (day, first, last) as ISO strings."""
    found = find_dates(text, today)
    assert len(found) == 1, found
    d = found[0]
    return d.day.isoformat(), d.first.isoformat(), d.last.isoformat()


@pytest.mark.parametrize(
    ("text", "today", "day", "first", "last"),
    [
        # weekdays: the most recent on or before the article date, the next one in the future
        ("He spoke on Tuesday.", SUNDAY, "2025-12-09", "2025-12-09", "2025-12-09"),
        ("They will meet on Tuesday.", SUNDAY, "2025-12-16", "2025-12-16", "2025-12-16"),
        ("It happened on Sunday.", SUNDAY, "2025-12-14", "2025-12-14", "2025-12-14"),
        ("It happened last Sunday.", SUNDAY, "2025-12-07", "2025-12-07", "2025-12-07"),
        ("They meet next Sunday.", SUNDAY, "2025-12-21", "2025-12-21", "2025-12-21"),
        ("Strikes on Sunday night.", MONDAY, "2025-11-30", "2025-11-30", "2025-11-30"),
        (
            "The words were posted late on Saturday.",
            SUNDAY,
            "2025-12-13",
            "2025-12-13",
            "2025-12-13",
        ),
        (
            "Erdogan spoke with Putin on Wednesday.",
            NEW_YEAR,
            "2025-12-31",
            "2025-12-31",
            "2025-12-31",
        ),
        # days around the article date
        ("Yesterday the ministry said.", SUNDAY, "2025-12-13", "2025-12-13", "2025-12-13"),
        ("Talks resume tomorrow.", SUNDAY, "2025-12-15", "2025-12-15", "2025-12-15"),
        ("Drones attacked overnight.", SUNDAY, "2025-12-13", "2025-12-13", "2025-12-14"),
        ("He said so this morning.", SUNDAY, "2025-12-14", "2025-12-14", "2025-12-14"),
        (
            "It shot down 290 drones over the past 24 hours.",
            SUNDAY,
            "2025-12-14",
            "2025-12-13",
            "2025-12-14",
        ),
        ("He said two days ago that it would.", SUNDAY, "2025-12-12", "2025-12-12", "2025-12-12"),
        # weekends
        ("This weekend, Zelenskyy offered.", SUNDAY, "2025-12-14", "2025-12-13", "2025-12-14"),
        (
            "Over the weekend, Russia launched drones.",
            MONDAY,
            "2025-11-30",
            "2025-11-29",
            "2025-11-30",
        ),
        (
            "They will meet this weekend.",
            dt.date(2025, 10, 27),
            "2025-11-01",
            "2025-11-01",
            "2025-11-02",
        ),
        ("It happened last weekend.", SUNDAY, "2025-12-07", "2025-12-06", "2025-12-07"),
        # weeks and months
        (
            "Earlier this week, Kyiv submitted a plan.",
            SUNDAY,
            "2025-12-13",
            "2025-12-08",
            "2025-12-13",
        ),
        ("They will meet later this week.", MONDAY, "2025-12-02", "2025-12-02", "2025-12-07"),
        ("It happened last week.", SUNDAY, "2025-12-07", "2025-12-01", "2025-12-07"),
        ("They will meet next week.", SUNDAY, "2025-12-15", "2025-12-15", "2025-12-21"),
        ("It was drafted last month.", MONDAY, "2025-11-30", "2025-11-01", "2025-11-30"),
        (
            "Macron said late last month.",
            dt.date(2026, 3, 1),
            "2026-02-28",
            "2026-02-21",
            "2026-02-28",
        ),
        (
            "Talks could open next month.",
            dt.date(2025, 11, 16),
            "2025-12-01",
            "2025-12-01",
            "2025-12-31",
        ),
        (
            "They will meet early next month.",
            dt.date(2025, 12, 30),
            "2026-01-01",
            "2026-01-01",
            "2026-01-10",
        ),
        (
            "Leaders will meet at the end of the month.",
            MONDAY,
            "2025-12-31",
            "2025-12-31",
            "2025-12-31",
        ),
        (
            "It announced a ceasefire earlier this month.",
            dt.date(2025, 11, 16),
            "2025-11-15",
            "2025-11-01",
            "2025-11-15",
        ),
        # explicit dates, with and without a year
        (
            "The navy said on December 29 that it struck.",
            NEW_YEAR,
            "2025-12-29",
            "2025-12-29",
            "2025-12-29",
        ),
        (
            "The committee will meet again on December 19.",
            dt.date(2025, 12, 5),
            "2025-12-19",
            "2025-12-19",
            "2025-12-19",
        ),
        (
            "Released on October 13.",
            dt.date(2025, 10, 27),
            "2025-10-13",
            "2025-10-13",
            "2025-10-13",
        ),
        ("Signed on 14 December 2025.", NEW_YEAR, "2025-12-14", "2025-12-14", "2025-12-14"),
        ("Dated 2025-11-20.", SUNDAY, "2025-11-20", "2025-11-20", "2025-11-20"),
        (
            "Delegations met in Istanbul in July.",
            NEW_YEAR,
            "2025-07-31",
            "2025-07-01",
            "2025-07-31",
        ),
        ("Fighting began in April 2023.", SUNDAY, "2023-04-30", "2023-04-01", "2023-04-30"),
    ],
)
def test_rules(text: str, today: dt.date, day: str, first: str, last: str) -> None:
    assert one(text, today) == (day, first, last)


def test_words_that_are_not_dates() -> None:
    assert find_dates("Leaders may meet; troops will march.", SUNDAY) == []
    assert find_dates("A three-month truce and an 18-month siege.", SUNDAY) == []


def test_since_marks_a_span_that_is_not_an_event_date() -> None:
    (d,) = find_dates("losses since February 2022", SUNDAY)
    assert d.since
    assert d.first == dt.date(2022, 2, 1)
    assert d.last == SUNDAY


def test_several_expressions_each_with_its_own_tense() -> None:
    found = find_dates("Peskov said on Monday that talks would resume on Friday.", SUNDAY)
    assert [(d.text, d.day.isoformat(), d.tense) for d in found] == [
        ("Monday", "2025-12-08", "past"),
        ("Friday", "2025-12-19", "future"),
    ]


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
weekday = st.sampled_from([w.capitalize() for w in WEEKDAYS])
PAST = [
    "It happened on {w}.",
    "It happened last {w}.",
    "It happened on {w} night.",
    "It happened late on {w}.",
    "Drones attacked overnight.",
    "Yesterday the army said so.",
    "This weekend they offered it.",
    "Over the weekend they struck.",
    "It happened last weekend.",
    "Earlier this week they met.",
    "It happened last week.",
    "It happened last month.",
    "Late last month they spoke.",
    "Earlier this month it began.",
    "It was done two days ago.",
    "They met on December 29.",
    "They met on 3 March.",
    "They met in July.",
    "It happened over the past 24 hours.",
]
FUTURE = [
    "They will meet on {w}.",
    "They will meet next {w}.",
    "They will meet tomorrow.",
    "They will meet this weekend.",
    "They will meet later this week.",
    "They will meet next week.",
    "They will meet next month.",
    "Leaders will meet at the end of the month.",
    "They will meet on December 29.",
    "The talks are due to open in July.",
]


@given(days, weekday, st.sampled_from(PAST))
def test_past_tense_is_never_after_the_article_date(today: dt.date, w: str, form: str) -> None:
    for d in find_dates(form.format(w=w), today):
        assert d.day <= today
        assert d.first <= d.day <= d.last


@given(days, weekday, st.sampled_from(FUTURE))
def test_future_tense_is_never_before_the_article_date(today: dt.date, w: str, form: str) -> None:
    for d in find_dates(form.format(w=w), today):
        assert d.day >= today
        assert d.first <= d.day <= d.last


@given(days, weekday, st.sampled_from(["on", "last", "next", "this"]), st.booleans())
def test_a_weekday_is_that_weekday_within_a_week(
    today: dt.date, w: str, mod: str, future: bool
) -> None:
    text = f"They {'will meet' if future else 'met'} {mod} {w}."
    (d,) = find_dates(text, today)
    assert d.day.strftime("%A") == w
    assert abs((d.day - today).days) <= 7


@given(days, st.text(max_size=200))
def test_any_text_gives_ordered_valid_ranges(today: dt.date, text: str) -> None:
    found = find_dates(text, today)
    assert found == find_dates(text, today)  # deterministic
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for d in found:
        assert d.first <= d.day <= d.last or d.since


def test_a_day_after_another_event_dates_that_event_the_day_before() -> None:
    today = dt.date(2026, 1, 21)
    text = "The strikes came a day after mediators met in Cairo."
    (d,) = find_dates(text, today)
    assert (d.text, d.day, d.offset) == ("a day after", dt.date(2026, 1, 20), True)
    (d,) = find_dates("The message came two days after the talks ended.", today)
    assert d.day == dt.date(2026, 1, 19)


def test_an_offset_counts_from_the_sentences_own_date() -> None:
    text = "The Kremlin said on Monday, a day before envoys were due to resume talks."
    said, offset = find_dates(text, dt.date(2026, 1, 21))  # a Wednesday
    assert said.day == dt.date(2026, 1, 19)
    assert offset.day == dt.date(2026, 1, 20)


def test_overnight_to_a_named_day_is_the_night_before_it() -> None:
    (d,) = find_dates("a strike overnight to February 12, the ministry said", dt.date(2026, 2, 14))
    assert (d.text, d.day, d.first, d.last) == (
        "overnight to February 12",
        dt.date(2026, 2, 11),
        dt.date(2026, 2, 11),
        dt.date(2026, 2, 12),
    )
