"""Mapping what a report names to a scenario: its parties, its proposals, its reactions.

Parties (:class:`Linker`)
    Each party's ``name`` and ``aliases`` (``parties.EU.aliases: [France, Germany, ...]``)
    are looked up in the gazetteer: a side, a person, an institution or a capital found
    there maps its side to the party ("France" → the side FR → party EU, so Macron, a French
    official, counts for EU). A name the gazetteer does not know becomes a new name of the
    party. A party id that is a gazetteer side id (``UA``) maps that side when no name did.
    Sides no party stands for get no party id (``actor_party: null``).

Proposals
    A proposal or statement names a scenario proposal when the proposal's party made it (or
    reacts to it) and its sentence has one of the proposal's distinctive words (the number of
    an "N-point" plan, a capitalised word of its title that is not a party's name: "Geneva",
    "E3", "Berlin"), or when the proposal's party makes it on the proposal's own date.

Reactions
    A statement or proposal of a party that did not make the named proposal, in words of a
    known stance, is a candidate reaction: "rejected", "unacceptable" → ``rejects``; "needs more
    work", "as it stands" → ``unacceptable-as-is``; "a basis", "starting point" →
    ``basis-for-talks``; "accepted", "endorsed" → ``accepts``. Only parties with preferences
    react (a reaction is evidence about preferences), and never before the proposal's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from zopa.extract.dates import MONTHS
from zopa.extract.events import CandidateEvent, CandidateReaction
from zopa.extract.gazetteer import Gazetteer

if TYPE_CHECKING:
    from zopa.model.scenario import Proposal, Scenario

_STANCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "rejects",
        re.compile(
            r"\b(?:reject(?:ed|s|ing)?|unacceptable|(?:will|would|could)\s+not\s+accept|refus(?:ed|es|e)|"
            r"dismiss(?:ed|es)|non-starter|unconstructive|does\s+not\s+work\s+for\s+us)\b",
            re.I,
        ),
    ),
    (
        "unacceptable-as-is",
        re.compile(
            r"\b(?:requires?\s+(?:additional|more|further)\s+work|needs?\s+(?:additional|more|further)?\s*"
            r"(?:work|changes|amendments)|as\s+it\s+stands|in\s+its\s+current\s+form|provoked\s+criticism)\b",
            re.I,
        ),
    ),
    (
        "basis-for-talks",
        re.compile(
            r"\b(?:a|the)\s+basis\b|\bstarting\s+point\b|\bcould\s+form\b|\bworkable\b", re.I
        ),
    ),
    (
        "accepts",
        re.compile(r"\b(?:accept(?:ed|s)|endorse[sd]?|agreed\s+to|signed\s+up\s+to)\b", re.I),
    ),
)
_GENERIC_TITLE_WORDS = frozenset(
    [
        "plan",
        "proposal",
        "proposals",
        "peace",
        "offer",
        "counter-proposal",
        "revision",
        "points",
        "point",
        "the",
        "a",
        "an",
        "of",
        "and",
        "before",
        "after",
        "talks",
        "stated",
        "demands",
        "leaked",
        "draft",
        "text",
        "framework",
        "version",
        "us",
    ]
)
_MONTHS = frozenset(MONTHS)


def stance_of(text: str) -> str | None:
    """The stance a sentence's words express (see the module), or None."""
    for stance, pattern in _STANCES:
        if pattern.search(text):
            return stance
    return None


class Linker:
    """Maps a report's sides and proposals to one scenario (see the module).

    Parameters
    ----------
    scenario
        The scenario.
    gaz
        The gazetteer to extend with the scenario's party names.

    Attributes
    ----------
    gazetteer
        The gazetteer extended with the parties' names and aliases.
    parties
        Gazetteer side id → scenario party id.
    """

    def __init__(self, scenario: Scenario, gaz: Gazetteer) -> None:
        self.scenario = scenario
        names = {pid: [p.name, *p.aliases] for pid, p in scenario.parties.items()}
        self.gazetteer = gaz.extended(names)
        self.parties: dict[str, str] = {}
        for pid, forms in names.items():
            self.parties[f"scenario:{pid}"] = pid
            for form in forms:
                entity = self.gazetteer.lookup(form)
                if entity is None:
                    continue
                side = entity.capital_of if entity.kind == "place" else entity.side
                if side and not side.startswith("scenario:"):
                    self.parties.setdefault(side, pid)
        for pid in scenario.parties:
            if pid in gaz.sides:
                self.parties.setdefault(pid, pid)
        self._keywords = {key: self._distinctive(key, p) for key, p in scenario.proposals.items()}

    def party(self, side: str | None) -> str | None:
        """The scenario party a gazetteer side stands for (None when none)."""
        return self.parties.get(side or "")

    def _distinctive(self, key: str, proposal: Proposal) -> list[re.Pattern[str]]:
        words: list[re.Pattern[str]] = []
        party_names = {
            n.lower()
            for p in self.scenario.parties.values()
            for n in [p.name, *p.aliases]
            for n in [n, *n.split()]
        } | {pid.lower() for pid in self.scenario.parties}
        words += [
            re.compile(rf"\b{number}[- ]point", re.I)
            for number in re.findall(r"\b(\d+)[- ]points?\b", proposal.title + " " + key, re.I)
        ]
        for token in re.findall(r"[A-Za-z][\w-]*", proposal.title):
            low = token.lower()
            if not token[0].isupper() and not any(ch.isdigit() for ch in token):
                continue
            if (
                low in _GENERIC_TITLE_WORDS
                or low in party_names
                or low in _MONTHS
                or len(token) < 2
            ):
                continue
            known = self.gazetteer.lookup(token)
            if known is not None and (known.kind in ("side", "person") or known.capital_of):
                continue  # a party's name, capital or official names no particular proposal
            words.append(re.compile(rf"\b{re.escape(token)}\b"))
        if "counter" in proposal.title.lower():
            words.append(re.compile(r"\bcounter-?proposal\b", re.I))
        return words

    def proposal_for(self, event: CandidateEvent, party: str | None) -> str | None:
        """The scenario proposal an event names (see the module), or None."""
        if event.kind not in ("proposal", "statement"):
            return None
        found: list[str] = []
        for key, proposal in self.scenario.proposals.items():
            named = any(p.search(event.quote) for p in self._keywords[key])
            own = party is not None and party in proposal.by
            on_the_day = event.kind == "proposal" and event.date == proposal.date
            if (own and (named or on_the_day)) or (named and not own and party is not None):
                found.append(key)
        return found[0] if len(found) == 1 else None

    def link(self, event: CandidateEvent) -> CandidateEvent:
        """The event with party ids of the scenario and the proposal it names."""
        actor = self.party(event.actor_party)
        claimant = self.party(event.claimed_by_party)
        parties = tuple(dict.fromkeys(p for p in (self.party(s) for s in event.parties) if p))
        linked = replace(event, actor_party=actor, claimed_by_party=claimant, parties=parties)
        return replace(linked, proposal=self.proposal_for(linked, actor or claimant))

    def reactions(self, events: Iterable[CandidateEvent]) -> list[CandidateReaction]:
        """Candidate reactions among linked events (see the module)."""
        out: list[CandidateReaction] = []
        for e in events:
            if e.proposal is None or e.kind not in ("statement", "proposal"):
                continue
            party = e.claimed_by_party or e.actor_party
            proposal = self.scenario.proposals[e.proposal]
            if party is None or party in proposal.by or party not in self.scenario.preferences:
                continue
            if e.date < proposal.date:
                continue
            stance = stance_of(e.quote)
            if stance is None:
                continue
            out.append(CandidateReaction(e.date, party, e.proposal, stance, e.quote, e.sentence))
        return out


MAX_QUOTE = 300
"""A reaction's ``quote`` holds at most this many characters (the scenario format's limit)."""


def source_id(
    scenario: Scenario, publisher: str | None, title: str | None, url: str | None, date: str
) -> tuple[str, bool]:
    """The id of the report's entry in ``sources``, and whether the scenario already has it.

    A source with the same URL (or, without one, the same title) is the report itself; else a
    new id is made from the publisher (or "report") and the date, numbered when taken
    (``cgtn-2025-12-14-2``).
    """
    for sid, src in scenario.sources.items():
        if url and src.url and src.url.rstrip("/") == url.rstrip("/"):
            return sid, True
        if title and src.title.strip().lower() == title.strip().lower():
            return sid, True
    name = (publisher or "report").lower()
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name):  # a domain: "cgtn.com" is CGTN
        name = re.sub(r"^www\.", "", name).rsplit(".", 1)[0]
    base = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "report"
    candidate = f"{base}-{date}"
    n = 2
    while candidate in scenario.sources:
        candidate = f"{base}-{date}-{n}"
        n += 1
    return candidate, False


def event_text(e: CandidateEvent) -> str:
    """Return an event's ``text`` in a scenario.

    Its sentence, then what was read from it in brackets (so that two claims read from one
    sentence can be told apart).
    """
    details: list[str] = []
    if e.category:
        details.append(e.category)
    if e.actor and e.kind in ("battlefield-claim", "diplomatic-event"):
        details.append(f"by {e.actor}" if e.kind == "battlefield-claim" else f"with {e.actor}")
    if e.place:
        details.append(e.place)
    details += [
        f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}"
        for key, value in e.numbers.items()
    ]
    return f"{e.quote} [{'; '.join(details)}]" if details else e.quote


def scenario_entries(
    events: Iterable[CandidateEvent],
    reactions: Iterable[CandidateReaction],
    scenario: Scenario,
    source: str,
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The ``events`` and ``reactions`` entries for a scenario file, all ``status: candidate``.

    Parameters
    ----------
    events, reactions
        Linked candidates (party ids of ``scenario``).
    scenario
        The scenario they go into.
    source
        The id of the report's entry in ``sources``.

    Returns
    -------
    (list, list)
        Plain mappings in the scenario format: an event's ``text`` is the sentence, its
        ``claimed_by`` the claimant's party (left out when the claimant is no party of the
        scenario), ``verified: false`` for a battlefield claim, ``parties`` the parties
        involved; a reaction's ``quote`` the sentence (cut at 300 characters).
    """
    out_events: list[dict[str, object]] = []
    for e in events:
        entry: dict[str, object] = {
            "date": e.date.isoformat(),
            "kind": e.kind,
            "text": event_text(e),
            "source": source,
        }
        if e.claimed_by_party and e.claimed_by_party in scenario.parties:
            entry["claimed_by"] = e.claimed_by_party
        if e.verified is not None:
            entry["verified"] = e.verified
        parties = [p for p in e.parties if p in scenario.parties]
        if parties:
            entry["parties"] = parties
        entry["status"] = "candidate"
        out_events.append(entry)
    out_reactions: list[dict[str, object]] = []
    for r in reactions:
        quote = r.quote if len(r.quote) <= MAX_QUOTE else r.quote[: MAX_QUOTE - 1].rstrip() + "…"
        out_reactions.append(
            {
                "date": r.date.isoformat(),
                "party": r.party,
                "proposal": r.proposal,
                "stance": r.stance,
                "source": source,
                "quote": quote,
                "note": "Candidate from zopa extract: check the stance against the source.",
                "status": "candidate",
            }
        )
    return out_events, out_reactions
