"""The ``zopa extract`` report: the candidate events of a news report, who claims what.

One block per event (kind, date and the words that dated it, who acted, who claims it, where,
the numbers, the proposal of the scenario it names, and its sentence), then the candidate
reactions and the lines set aside as not news. Built as a
:class:`~zopa.render.document.Document` (terminal, Markdown and HTML alike); blocks rather
than a wide table, so that it reads at 80 columns.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import plural

KIND_LABELS = {
    "proposal": "proposal",
    "statement": "statement",
    "battlefield-claim": "claim",
    "diplomatic-event": "meeting",
}
"""Short labels of the kinds, for the table."""


def _who(name: str | None, party: str | None) -> str:
    if name is None:
        return "actor not named"
    return f"{name} ({party})" if party else name


def _numbers(numbers: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {v:,}" if isinstance(v, int) else f"{k} {v:g}" for k, v in numbers.items()
    )


def _event_block(i: int, e: dict[str, Any]) -> str:
    """One event as a few lines: what and when, who, where and how many, the sentence."""
    kind = {"battlefield-claim": "battlefield claim", "diplomatic-event": "diplomatic event"}.get(
        e["kind"], e["kind"]
    )
    lines = [f"{i}. {kind}, {e['date']}"]
    if e.get("date_text"):
        span = f" ({e['date_range'][0]} to {e['date_range'][1]})" if e.get("date_range") else ""
        lines.append(f"   dated by “{e['date_text']}”{span}")
    if e["claimed_by"] is None:
        claim = "as the publisher reports it"
    else:
        claim = f"claimed by {_who(e['claimed_by'], e['claimed_by_party'])}"
    if e["kind"] == "battlefield-claim":
        claim += ", unverified"
    lines.append(f"   {_who(e['actor'], e['actor_party'])}; {claim}")
    details = []
    if e.get("place"):
        details.append(f"place: {e['place']}")
    if e.get("numbers"):
        details.append(f"numbers: {_numbers(e['numbers'])}")
    if e.get("proposal"):
        details.append(f"names proposal {e['proposal']}")
    if details:
        lines.append("   " + "; ".join(details))
    lines.append(f"   “{e['quote']}”")
    return "\n".join(lines)


def extraction_document(data: dict[str, Any]) -> Document:
    """Build the report from the JSON form of an extraction (``Extracted.to_dict()``)."""
    doc = Document()
    article = data["article"]
    title = article.get("title") or "Untitled report"
    doc.heading(f"Candidate events: {title} ({article['date']})", 1)
    events = data["events"]
    kinds = Counter(e["kind"] for e in events)
    said = ", ".join(
        plural(
            kinds[k],
            label.replace("claim", "battlefield claim").replace("meeting", "diplomatic event"),
        )
        for k, label in KIND_LABELS.items()
        if kinds[k]
    )
    where = ", ".join(x for x in (article.get("publisher"), article.get("url")) if x)
    parts = [f"From {where}." if where else "Publisher unknown."]
    parts.append(
        f"{plural(article['sentences'], 'sentence')}, {plural(article['words'], 'word')}: "
        f"{plural(len(events), 'candidate event')}" + (f" ({said})." if said else ".")
    )
    if data.get("scenario"):
        parts.append(f"Parties are those of {data['scenario']} (a side it lacks has none).")
    else:
        parts.append("Parties are the gazetteer's side ids (give a scenario to map them).")
    doc.para(" ".join(parts) + "\n")
    for i, e in enumerate(events, 1):
        doc.para(_event_block(i, e) + "\n")
    if data.get("reactions"):
        doc.heading("Candidate reactions")
        table = Table(["date", "party", "proposal", "stance"])
        for r in data["reactions"]:
            table.rows.append([r["date"], r["party"], r["proposal"], r["stance"]])
        doc.table(table)
    aside = data.get("set_aside") or []
    if aside:
        reasons = Counter(a["reason"] for a in aside)
        listed = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        doc.para(f"Set aside as not news: {plural(len(aside), 'line')} ({listed}).")
    doc.para(
        "Every entry is a candidate: a battlefield claim is one side's claim (verified: false); "
        "check each against the source before confirming it in a scenario (`--into` writes them "
        "with `status: candidate`, which no analysis reads)."
    )
    return doc
