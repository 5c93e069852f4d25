"""Quantities in a sentence, written as numerals or words, keyed by what they count.

Rules (:func:`find_numbers`):

- A quantity is a numeral ("290", "1,150", "1.2 million", "€90 billion", "45%") or number
  words ("four", "forty-five", "two hundred", "a dozen").
- Its key is the head noun of the phrase after it ("290 fixed-wing drones" → ``drones``,
  "two Iskander-M ballistic missiles" → ``missiles``, "64 of the drones" → ``drones``). People
  killed or injured are ``killed`` / ``injured`` ("killing four people", "12 were wounded",
  "Two people were killed and fifteen wounded"). Money is keyed by its currency (``usd``,
  ``eur``, ``gbp``), a percentage as ``percent``, an "N-point plan" as ``points``. A number
  with no noun after it takes the noun counted just before in the sentence ("94 drones, of
  which 70 were shot down") or a total named before it ("losses ... to 1.2 million").
- Not quantities: dates and times, years, durations ("24 hours", "three-month truce", "60 to
  90 days"), ages ("a 64-year-old man"), ordinals, designations ("Article 5", "Su-34"),
  number words after "the" ("the two leaders"), "one of", and vague amounts ("dozens").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SHORT_SCALES = {
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
}
CURRENCIES = {"$": "usd", "€": "eur", "£": "gbp", "dollars": "usd", "euros": "eur", "pounds": "gbp"}
DURATIONS = frozenset(
    [
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "century",
        "centuries",
        "night",
        "nights",
    ]
)
PEOPLE = frozenset(
    [
        "people",
        "persons",
        "person",
        "civilians",
        "civilian",
        "children",
        "child",
        "residents",
        "men",
        "women",
        "others",
        "Palestinians",
        "Israelis",
        "Ukrainians",
        "Russians",
        "Lebanese",
        "Sudanese",
        "soldiers",
        "soldier",
        "servicemen",
        "troops",
        "fighters",
        "militants",
        "patients",
        "workers",
        "passengers",
        "villagers",
    ]
)
_KILLED = re.compile(
    r"^(?:(?:were|was|have\s+been|had\s+been|are|is)\s+)?(?:reported\s+)?(killed|dead|died|slain)\b",
    re.I,
)
_INJURED = re.compile(
    r"^(?:(?:were|was|have\s+been|had\s+been|are|is)\s+)?(?:reported\s+)?(wounded|injured|hurt)\b",
    re.I,
)
_BEFORE_KILLED = re.compile(
    r"\b(killing|killed|kills)\s+(?:(?:at\s+least|up\s+to|more\s+than|about|nearly|some|over|around|another)\s+)?$",
    re.I,
)
_BEFORE_INJURED = re.compile(
    r"\b(wounding|wounded|injuring|injured)\s+(?:(?:at\s+least|up\s+to|more\s+than|about|nearly|some|over|around|another)\s+)?$",
    re.I,
)
_STOP = frozenset(
    [
        "of",
        "over",
        "in",
        "at",
        "on",
        "across",
        "during",
        "from",
        "to",
        "by",
        "near",
        "along",
        "with",
        "for",
        "against",
        "into",
        "since",
        "and",
        "or",
        "but",
        "were",
        "was",
        "are",
        "is",
        "be",
        "been",
        "had",
        "have",
        "has",
        "as",
        "after",
        "before",
        "while",
        "when",
        "which",
        "who",
        "that",
        "than",
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "these",
        "those",
        "said",
        "says",
        "say",
        "told",
        "per",
        "each",
        "including",
        "under",
        "killed",
        "wounded",
        "injured",
        "dead",
        "died",
        "overnight",
        "yesterday",
        "today",
        "tonight",
        "last",
        "next",
        "earlier",
        "later",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "could",
        "would",
        "will",
        "may",
        "might",
        "can",
        "should",
        "must",
        "did",
        "do",
        "does",
        "around",
        "within",
        "without",
        "among",
        "between",
        "through",
        "toward",
        "towards",
        "inside",
        "outside",
        "behind",
        "beyond",
    ]
)
_DESIGNATIONS = re.compile(
    r"(?:\b(?:Article|Resolution|No\.|Number|Section|Chapter|Phase|Point|Round|Paragraph|Item|"
    r"Flight|Highway|Route|Unit|Brigade|Division|Corps|Army)\s*$)|[A-Za-z]-?$"
)
_TOTAL_BEFORE = re.compile(r"\b(losses|casualties|death toll|toll|dead)\b[^.;]{0,60}$", re.I)
_WORD = r"(?:" + "|".join(sorted([*UNITS, *TENS], key=len, reverse=True)) + r")"
_WORDS = re.compile(
    rf"\b(?:a\s+dozen|(?:a|{_WORD}(?:-{_WORD})?)(?:\s+(?:and\s+)?(?:{_WORD}(?:-{_WORD})?|hundred|thousand|million|billion))*)\b",
    re.I,
)
_NUMERAL = re.compile(
    r"(?<![\w.,:/-])(?P<cur>[$€£])?\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!st\b|nd\b|rd\b|th\b)"
    r"(?:\s?(?P<short>bn|mn|m|k|b)\b|\s+(?P<scale>hundred|thousand|million|billion)\b)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?"
    r"(?P<hyph>-(?P<hnoun>[a-z]+)\b)?"
)


@dataclass(frozen=True)
class Quantity:
    """A number found in a sentence.

    Attributes
    ----------
    start, end
        Offsets in the sentence.
    value
        The number (an int when whole).
    key
        What it counts (see the module).
    """

    start: int
    end: int
    value: int | float
    key: str


def words_value(text: str) -> int | None:
    """Return the value of number words, None when they are not a number.

    ``"forty-five"`` → 45, ``"two hundred and fifty"`` → 250, ``"a dozen"`` → 12.
    """
    words = re.split(r"[\s-]+", text.lower().strip())
    if words == ["a", "dozen"]:
        return 12
    total = 0
    current = 0
    seen = False
    for i, w in enumerate(words):
        if w == "and":
            continue
        if w == "a" and i == 0 and len(words) > 1 and words[1] in SCALES:
            current = 1
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            scale = SCALES[w]
            current = max(current, 1) * scale
            if scale >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _clean(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _head(text: str, start: int) -> tuple[str | None, int]:
    """The head noun of the phrase starting at ``start`` (up to four words), and its end."""
    head: str | None = None
    end = start
    for count, m in enumerate(re.finditer(r"\s*([A-Za-z][\w'’-]*)", text[start:])):
        if count == 4 or (count and m.start() != end - start):
            break
        word = m.group(1)
        if word.lower() in _STOP or word in ("The", "A"):
            break
        if re.search(r"['’]s$", word):
            return "'s", start + m.end()  # "one side's troops": a possessor, not a count
        lower_head = head is not None and head[:1].islower()
        verb_like = re.search(r"(?:ed|ing)$", word) and not word.endswith(("ceed", "thing"))
        if count and lower_head and "-" not in word and verb_like:
            break
        if count and word[:1].isupper() and lower_head:
            break
        head = word
        end = start + m.end()
        after = text[end : end + 1]
        if after and not after.isspace():
            break
    return head, end


def _casualty(text: str, start: int, end: int, head: str | None, head_end: int) -> str | None:
    before = text[:start]
    if _BEFORE_KILLED.search(before):
        return "killed"
    if _BEFORE_INJURED.search(before):
        return "injured"
    after = text[head_end if head else end :].lstrip()
    if head is None or head in PEOPLE:
        if _KILLED.match(after):
            return "killed"
        if _INJURED.match(after):
            return "injured"
        if head is None and re.match(r"^(?:killed|dead)\b", after):
            return "killed"
    return None


def find_numbers(text: str, exclude: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Find the quantities of a sentence (see the module's rules).

    Parameters
    ----------
    text
        One sentence.
    exclude
        Spans that hold no quantity (date expressions, names of sources such as "two people
        familiar with the talks").

    Returns
    -------
    list of Quantity
        In the order of the text.
    """
    spans = list(exclude or [])
    found: list[Quantity] = []

    def excluded(s: int, e: int) -> bool:
        return any(s < b and a < e for a, b in spans)

    raw: list[tuple[int, int, float, str | None, str | None]] = []
    for m in _NUMERAL.finditer(text):
        s, e = m.start(), m.end()
        if excluded(s, e):
            continue
        n = float(m.group("n").replace(",", ""))
        if m.group("short"):
            n *= SHORT_SCALES[m.group("short")]
        if m.group("scale"):
            n *= SCALES[m.group("scale")]
        if (
            re.match(r"^\d{1,2}[:.]\d{2}$", m.group("n"))
            or re.match(r"^[:.]\d{2}\b", text[e:])
            or re.match(r"^\s*(?:[ap]\.m\.|GMT|CET|UTC)", text[e:])
        ):
            continue
        if _DESIGNATIONS.search(text[:s]) and not m.group("cur"):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", m.group("n")) and not m.group("cur"):
            continue
        hnoun = m.group("hnoun")
        if hnoun:
            if hnoun in DURATIONS or hnoun.rstrip("s") in DURATIONS or hnoun in ("year", "old"):
                continue
            if hnoun == "point":
                raw.append((s, e, n, "points", None))
                continue
        kind = None
        if m.group("cur"):
            kind = CURRENCIES[m.group("cur")]
        elif m.group("pct"):
            kind = "percent"
        raw.append((s, e, n, kind, None))
    for m in _WORDS.finditer(text):
        s, e = m.start(), m.end()
        words = m.group(0)
        if excluded(s, e) or any(s < b and a < e for a, b, *_ in raw):
            continue
        parsed = words_value(words)
        if parsed is None or words.lower() in ("a", "an"):
            continue
        if re.search(r"\b(?:the|both|these|those|its|their|his|her|no|any)\s+$", text[:s], re.I):
            continue
        if (words.lower() == "one" and re.match(r"^\s+of\b", text[e:])) or re.match(
            r"^-(?:year|month|day|week|hour)", text[e:]
        ):
            continue
        if words.lower() == "one" and not re.match(r"^\s+[a-z]", text[e:]):
            continue
        raw.append((s, e, float(parsed), None, None))
    raw.sort()
    last_key: str | None = None
    for i, (s, e, value, kind, _) in enumerate(raw):
        rest = text[e:]
        unit = re.match(r"^\s*(?:(?:to|-|–|and|or)\s*[\d,.]+\s*)?([A-Za-z]+)", rest)
        if kind is None and unit and unit.group(1).lower() in DURATIONS:
            continue
        if kind is None and re.match(r"^\s*(?:to|-|–)\s*\d", rest):
            # the first number of a range: "60 to 90 days" is a duration, "60,000 to 80,000 troops" a count
            nxt = raw[i + 1] if i + 1 < len(raw) else None
            if nxt is not None and re.match(r"^\s*(?:[A-Za-z]+)", text[nxt[1] :]):
                word = re.match(r"^\s*([A-Za-z]+)", text[nxt[1] :])
                if word and word.group(1).lower() in DURATIONS:
                    continue
        key = kind
        if key is None:
            head, head_end = _head(text, e)
            of = re.match(r"^\s+of\s+(?:the\s+|them\b|those\b|which\b)?", rest)
            if head is None and of:
                head, head_end = _head(text, e + of.end())
            if head is not None and (head.lower() in DURATIONS or head == "'s"):
                continue
            casualty = _casualty(text, s, e, head, head_end)
            if casualty:
                key = casualty
            elif (
                head is not None
                and head[:1].isalpha()
                and head.lower() not in ("more", "other", "people's")
            ):
                key = head.lower() if not head.isupper() else head
            elif head is not None:
                key = head.lower()
            else:
                total = _TOTAL_BEFORE.search(text[:s])
                key = total.group(1).lower() if total else last_key
        if key is None:
            continue
        if key not in ("killed", "injured", "percent") and kind is None:
            last_key = key
        found.append(Quantity(s, e, _clean(value), key))
    return found
