"""Quantities keyed by what they count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.extract.numbers import find_numbers, words_value


def numbers(text: str) -> dict[str, int | float]:
    """The quantities as an event keeps them: the first of each key."""
    out: dict[str, int | float] = {}
    for q in find_numbers(text):
        out.setdefault(q.key, q.value)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "its air defenses shot down four guided bombs and 290 fixed-wing drones",
            {"bombs": 4, "drones": 290},
        ),
        ("struck fuel depots and temporary deployment sites at 142 locations", {"locations": 142}),
        ("A drone attack killed three people and wounded eleven.", {"killed": 3, "injured": 11}),
        ("Two people were killed and fifteen wounded.", {"killed": 2, "injured": 15}),
        ("gunmen opened fire, killing one soldier", {"killed": 1}),
        (
            "Israeli strikes killed 25 Palestinians and wounded 77 others",
            {"killed": 25, "injured": 77},
        ),
        ("at least 460 people were killed", {"killed": 460}),
        ("87 drones and two Iskander-M ballistic missiles", {"drones": 87, "missiles": 2}),
        (
            "shot down 1,150 Ukrainian fixed-wing drones, nineteen guided aerial bombs and six HIMARS rockets",
            {"drones": 1150, "bombs": 19, "rockets": 6},
        ),
        ("forty-five Ukrainian drones were destroyed", {"drones": 45}),
        ("more than four hundred drones and forty-five missiles", {"drones": 400, "missiles": 45}),
        ("Ukrainian forces lost up to 1,330 servicemen", {"servicemen": 1330}),
        ("bringing its total losses to more than 1.2 million.", {"losses": 1200000}),
        ("a plan to lend Ukraine up to €90 billion", {"eur": 90_000_000_000}),
        ("a $100bn fund", {"usd": 100_000_000_000}),
        ("a 45% share", {"percent": 45}),
        ("a revised 20-point framework", {"points": 20}),
        ("some 30 other leaders", {"leaders": 30}),
        ("five hilltop positions", {"positions": 5}),
        ("a dozen villages", {"villages": 12}),
        ("of which 70 were shot down, 94 drones", {"drones": 94}),
        ("94 drones, of which 70 were shot down", {"drones": 94}),
        ("destroyed five Ukrainian unmanned boats overnight", {"boats": 5}),
    ],
)
def test_quantities(text: str, expected: dict[str, int | float]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "over the past 24 hours",
        "a three-month humanitarian truce and an 18-month siege",
        "elections within 60 to 90 days",
        "a 64-year-old man",
        "guarantees under Article 5",
        "Su-34 jets and G7 leaders",
        "the two leaders and both sides",
        "one of them; no one was hurt",
        "dozens of soldiers and hundreds of homes",
        "in 2026 and 2027",
        "at 10:42 GMT",
        "for the second time",
    ],
)
def test_not_quantities(text: str) -> None:
    assert numbers(text) == {}


def test_the_second_of_two_numbers_with_one_noun_takes_it() -> None:
    found = find_numbers("Russia attacked with 94 drones, of which 70 were shot down.")
    assert [(q.key, q.value) for q in found] == [("drones", 94), ("drones", 70)]


def test_excluded_spans_hold_no_quantity() -> None:
    text = "two people familiar with the talks said 14 tanks were hit"
    assert [q.key for q in find_numbers(text, [(0, 34)])] == ["tanks"]


UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken(n: int) -> str:
    """English words for 1 <= n < 1,000,000 (written for this test)."""
    parts = []
    if n >= 1000:
        parts.append(spoken(n // 1000) + " thousand")
        n %= 1000
    if n >= 100:
        parts.append(UNITS[n // 100] + " hundred")
        n %= 100
    if n >= 20:
        parts.append(TENS[n // 10] + (f"-{UNITS[n % 10]}" if n % 10 else ""))
    elif n:
        parts.append(UNITS[n])
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_read_back(n: int) -> None:
    assert words_value(spoken(n)) == n
    assert numbers(f"They fired {spoken(n)} drones.") == {"drones": n}


@given(st.integers(min_value=1, max_value=10**9))
def test_numerals_with_thousands_separators(n: int) -> None:
    assert numbers(f"The army lost {n:,} soldiers.") == {"soldiers": n}


@given(st.text(max_size=300))
def test_any_text_gives_quantities_inside_it(text: str) -> None:
    for q in find_numbers(text):
        assert 0 <= q.start < q.end <= len(text)
        assert q.key
