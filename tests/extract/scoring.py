"""Score ``zopa extract`` against the annotated reports of ``tests/extract/data``.

Matching: a predicted event matches a gold event when its kind is one the gold allows and the
gold's ``text`` (a verbatim piece of the sentence) is in its quote; when several could match,
pairs are taken greedily by how many fields agree. Then

- recall: required gold events matched / required gold events (a predicted event goes to a
  required gold event before an optional one);
- precision: predicted events matched to a required event / predicted events not matched to an
  optional one (an optional event neither helps nor hurts);
- field accuracy, over the matched required events: ``actor``, ``claimed_by``, ``date``,
  ``place`` and ``numbers`` (the whole mapping right), and ``numbers`` again over the events whose
  gold has numbers at all (``numbers*``), since an empty mapping is easy to get right.

Names compare without case, a leading "the"/"a"/"an" and curly quotes; a gold field may list
alternatives; a number key may name alternatives as ``a|b``.

Run ``python -m tests.extract.scoring`` (from the repository root, with zopa importable) for
the table of both sets.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SETS = ("tune", "heldout", "heldout2", "heldout3")
FIELDS = ("actor", "claimed_by", "date", "place", "numbers")


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("’", "'").replace("“", '"').replace("”", '"').strip().lower()
    return re.sub(r"^(?:the|a|an)\s+", "", text)


def _options(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def field_ok(name: str, predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Whether one field of a predicted event agrees with the gold."""
    if name not in gold:
        return True
    if name == "numbers":
        return numbers_ok(predicted.get("numbers") or {}, gold.get("numbers") or {})
    got = _norm(predicted.get(name))
    return any(_norm(option) == got for option in _options(gold[name]))


def numbers_ok(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Whether the predicted numbers are the gold's (keys may list alternatives ``a|b``)."""
    if len(predicted) != len(gold):
        return False
    left = dict(predicted)
    for key, value in gold.items():
        names = [k.strip().lower() for k in str(key).split("|")]
        hit = next((k for k in left if k.lower() in names and float(left[k]) == float(value)), None)
        if hit is None:
            return False
        del left[hit]
    return True


def _text_in(gold_text: str, quote: str) -> bool:
    clean = lambda s: s.replace("’", "'").replace("“", '"').replace("”", '"')  # noqa: E731
    return clean(gold_text) in clean(quote)


def _kind_ok(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    return predicted["kind"] in _options(gold["kind"])


@dataclass
class Score:
    """Counts for one report or a whole set."""

    reports: int = 0
    required: int = 0
    predicted: int = 0
    matched: int = 0
    optional_matched: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    numbers_nonempty: int = 0
    numbers_nonempty_ok: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.reports += other.reports
        self.required += other.required
        self.predicted += other.predicted
        self.matched += other.matched
        self.optional_matched += other.optional_matched
        for k in FIELDS:
            self.fields[k] += other.fields[k]
        self.numbers_nonempty += other.numbers_nonempty
        self.numbers_nonempty_ok += other.numbers_nonempty_ok
        self.misses += other.misses
        self.extras += other.extras
        self.wrong += other.wrong

    @property
    def recall(self) -> float:
        """Required events matched / required events."""
        return self.matched / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        """Predicted events matched to required ones / predicted events not optional."""
        counted = self.predicted - self.optional_matched
        return self.matched / counted if counted else 1.0

    def accuracy(self, name: str) -> float:
        """Share of matched required events whose field agrees with the gold."""
        return self.fields[name] / self.matched if self.matched else 1.0

    @property
    def numbers_nonempty_accuracy(self) -> float:
        """Numbers right among matched events whose gold has numbers."""
        return self.numbers_nonempty_ok / self.numbers_nonempty if self.numbers_nonempty else 1.0


def score_events(events: Sequence[dict[str, Any]], gold: dict[str, Any], name: str = "") -> Score:
    """Score one report's predicted events (JSON form) against its gold annotation."""
    required = list(gold.get("events") or [])
    optional = list(gold.get("optional") or [])
    s = Score(reports=1, required=len(required), predicted=len(events))
    pairs: list[tuple[int, int, int, bool]] = []
    for gi, g in enumerate([*required, *optional]):
        for pi, p in enumerate(events):
            if _kind_ok(p, g) and _text_in(str(g["text"]), p["quote"]):
                agree = sum(field_ok(f, p, g) for f in FIELDS)
                pairs.append((agree, gi, pi, gi < len(required)))
    pairs.sort(key=lambda x: (not x[3], -x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi, is_required in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        if not is_required:
            s.optional_matched += 1
            continue
        s.matched += 1
        g, p = required[gi], events[pi]
        for f in FIELDS:
            ok = field_ok(f, p, g)
            s.fields[f] += ok
            if not ok:
                s.wrong.append(
                    f"{name}: {f}: got {p.get(f)!r}, want {g.get(f)!r} — {str(g['text'])[:50]}"
                )
        if g.get("numbers"):
            s.numbers_nonempty += 1
            s.numbers_nonempty_ok += field_ok("numbers", p, g)
    s.misses = [
        f"{name}: missed {g['kind']}: {str(g['text'])[:70]}"
        for gi, g in enumerate(required)
        if gi not in used_g
    ]
    s.extras = [
        f"{name}: extra {p['kind']}: {p['quote'][:70]}"
        for pi, p in enumerate(events)
        if pi not in used_p
    ]
    return s


def gold_of(report: Path) -> dict[str, Any]:
    """The gold annotation of a report (its ``.yaml`` next to it)."""
    from zopa.io.yaml_tree import read_yaml

    data = read_yaml(report.with_suffix(".yaml").read_text(encoding="utf-8")).data
    return data if isinstance(data, dict) else {}


def predicted(report: Path, gold: dict[str, Any]) -> list[dict[str, Any]]:
    """The extractor's events for a report (JSON form)."""
    from zopa.extract.intake import read_article
    from zopa.extract.pipeline import extract_events

    article = read_article(report.read_bytes(), date=gold.get("date"))
    return extract_events(article).to_dict()["events"]


def score_set(name: str) -> Score:
    """Score every report of one set (``tune``, ``heldout``, ``heldout2`` or ``heldout3``)."""
    total = Score()
    for report in sorted((DATA / name).glob("*.txt")):
        gold = gold_of(report)
        total.add(score_events(predicted(report, gold), gold, report.stem))
    return total


def table(scores: dict[str, Score]) -> str:
    """A Markdown table of the scores of each set."""
    head = "| set | reports | required | predicted | recall | precision | actor | claimed_by | date | place | numbers | numbers* |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    rows = [head, rule]
    for name, s in scores.items():
        rows.append(
            f"| {name} | {s.reports} | {s.required} | {s.predicted} | {s.recall:.2f} | {s.precision:.2f} | "
            + " | ".join(f"{s.accuracy(f):.2f}" for f in FIELDS)
            + f" | {s.numbers_nonempty_accuracy:.2f} ({s.numbers_nonempty}) |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    """Print the table (``--details`` also lists misses, extras and wrong fields)."""
    sets = [a for a in argv if a in SETS] or list(SETS)
    scores = {name: score_set(name) for name in sets}
    print(table(scores))
    if "--details" in argv:
        for name, s in scores.items():
            print(f"\n## {name}")
            for line in [*s.misses, *s.extras, *s.wrong]:
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
