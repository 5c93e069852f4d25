"""What extraction returns: candidate events and reactions, as plain data.

The JSON form (:meth:`Extraction.to_dict`) is what ``zopa extract --format json`` prints and
what ``--format yaml`` prints as YAML; scripts and tests read it, so it is stable:

``article``
    ``title``, ``date``, ``url``, ``publisher``, ``words``, ``sentences``.
``scenario``
    The id of the scenario the parties were mapped to (None without one).
``events``
    One mapping per candidate event: ``kind``, ``actor``, ``actor_party``, ``claimed_by``,
    ``claimed_by_party``, ``date`` (ISO day), ``date_range`` (``[first, last]`` when the words
    allow several days, else None), ``date_text`` (the words, None when the article's date was
    used), ``place``, ``numbers`` (key → number), ``quote`` (the sentence, verbatim),
    ``verified`` (false for every battlefield claim, else None), ``parties`` (every side
    involved), ``proposal`` (the scenario proposal it names, or None), ``category`` (a claim's
    category), ``sentence`` (its index in the report).
``reactions``
    Candidate reactions to a scenario's proposals: ``date``, ``party``, ``proposal``,
    ``stance``, ``quote``, ``sentence``.
``set_aside``
    The lines that are not news: ``text`` and ``reason`` (``caption``, ``see-also``,
    ``credit``, ``timestamp``, ``heading``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zopa.extract.intake import Article
from zopa.extract.sentences import SetAside

KINDS = ("proposal", "statement", "battlefield-claim", "diplomatic-event")
"""The kinds of candidate event, as the issue defines them."""


@dataclass(frozen=True)
class CandidateEvent:
    """One event a report tells of, with who claims it (see the module for the fields)."""

    kind: str
    quote: str
    date: dt.date
    sentence: int
    actor: str | None = None
    actor_party: str | None = None
    claimed_by: str | None = None
    claimed_by_party: str | None = None
    date_range: tuple[dt.date, dt.date] | None = None
    date_text: str | None = None
    place: str | None = None
    numbers: dict[str, int | float] = field(default_factory=dict)
    verified: bool | None = None
    parties: tuple[str, ...] = ()
    proposal: str | None = None
    category: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the module)."""
        return {
            "kind": self.kind,
            "actor": self.actor,
            "actor_party": self.actor_party,
            "claimed_by": self.claimed_by,
            "claimed_by_party": self.claimed_by_party,
            "date": self.date.isoformat(),
            "date_range": (
                [self.date_range[0].isoformat(), self.date_range[1].isoformat()]
                if self.date_range
                else None
            ),
            "date_text": self.date_text,
            "place": self.place,
            "numbers": dict(self.numbers),
            "quote": self.quote,
            "verified": self.verified,
            "parties": list(self.parties),
            "proposal": self.proposal,
            "category": self.category,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class CandidateReaction:
    """A party's reaction to a scenario proposal, as a report tells it (a candidate).

    Attributes
    ----------
    date, party, proposal, stance
        As in a scenario's ``reactions`` (the stance one of accepts, basis-for-talks,
        unacceptable-as-is, rejects).
    quote
        The sentence it rests on.
    sentence
        Its index in the report.
    """

    date: dt.date
    party: str
    proposal: str
    stance: str
    quote: str
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the module)."""
        return {
            "date": self.date.isoformat(),
            "party": self.party,
            "proposal": self.proposal,
            "stance": self.stance,
            "quote": self.quote,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Extraction:
    """What :func:`zopa.extract.extract_events` found in a report.

    Attributes
    ----------
    article
        The report as read.
    sentences
        How many sentences were read.
    events
        The candidate events, in the order of the report.
    reactions
        Candidate reactions (only with a scenario whose proposals the report names).
    set_aside
        The lines that are not news.
    scenario
        The id of the scenario the parties were mapped to, None without one.
    """

    article: Article
    sentences: int
    events: tuple[CandidateEvent, ...]
    reactions: tuple[CandidateReaction, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    scenario: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the module)."""
        a = self.article
        return {
            "article": {
                "title": a.title,
                "date": a.date.isoformat(),
                "url": a.url,
                "publisher": a.publisher,
                "words": a.words,
                "sentences": self.sentences,
            },
            "scenario": self.scenario,
            "events": [e.to_dict() for e in self.events],
            "reactions": [r.to_dict() for r in self.reactions],
            "set_aside": [{"text": s.text, "reason": s.reason} for s in self.set_aside],
        }
