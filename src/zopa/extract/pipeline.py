"""From a report to candidate events: the steps of :mod:`zopa.extract` put together.

For each sentence, in order: its mentions (:mod:`~zopa.extract.mentions`), references back
resolved (:class:`~zopa.extract.attribution.Resolver`), its dates
(:mod:`~zopa.extract.dates`) and its speaker (:func:`~zopa.extract.attribution.attribute`).
A quotation standing alone then takes the speaker named next to it. Each sentence gives its
events (:mod:`~zopa.extract.classify`), each with:

actor
    A statement's speaker; a proposal's proposer (the subject of the reported clause when it
    offers or demands itself: "he said Kyiv is seeking ..." → Kyiv; else the speaker); a
    meeting's first named participant; a claim's force (the subject of the predicate, a side's
    forces for "its air defences" or "Russia launched"; the "by" agent of a passive; for an
    interception with no subject, the claimant's side; else the force of a claim in the last
    three sentences).
claimed_by
    The speaker, for what lies in the reported part of the sentence; a claim with no speaker of
    its own continues the claimant of the claim before it in the same paragraph ("According to
    the ministry, ... Russian forces also struck ..."); otherwise None (the publisher's).
date
    A claim or meeting: the date words nearest its trigger in its clause, else the date of the
    speech, else the article's date. A statement or proposal: the date of the speech ("said on
    Monday"), else past date words in the reported part, else the article's date (what a party
    says about the future is dated when it says it).
place
    A claim: the most specific place in its clause (a place after the predicate first). A
    meeting: the place nearest the trigger ("talks in Berlin", "at the White House"). A
    proposal: the first place in the reported part (a capital only after "in", "at"...). A
    statement: where it was made ("said in Cairo").

Meetings mentioned twice (same place and day) are kept once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from zopa.extract.attribution import (
    Attribution,
    Resolver,
    attribute,
    meta_speaker,
    phrase_start,
    quote_only,
    quote_spans,
    titled_after,
)
from zopa.extract.classify import (
    Unit,
    claim_units,
    diplomatic_trigger,
    intro_end,
    proposal_trigger,
)
from zopa.extract.dates import DateExpression, find_dates
from zopa.extract.events import CandidateEvent, Extraction
from zopa.extract.gazetteer import Entity, Gazetteer, load_gazetteer
from zopa.extract.intake import Article
from zopa.extract.mentions import Mention, find_mentions
from zopa.extract.numbers import find_numbers
from zopa.extract.sentences import Sentence, segment

if TYPE_CHECKING:
    from zopa.extract.linking import Linker
    from zopa.model.scenario import Scenario

CLAIM_MEMORY = 3
"""A claim with no force named takes the force of a claim at most this many sentences back."""

_PROPOSER_VERBS = re.compile(
    r"^(?:offer|propos|demand|call|insist|seek|sought|want|submit|sent|put|present|unveil|agreed|agree|"
    r"is\s+ready|are\s+ready|was\s+ready|were\s+ready|stands?\s+ready|willing|prepared|ready)",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:were|was|been|be|being|are|is)\s+(?:\w+ly\s+)?$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|over|into|around|across)\s+(?:the\s+)?$", re.I)


@dataclass
class Reading:
    """One sentence as read: resolved mentions, dates and attribution."""

    sentence: Sentence
    mentions: list[Mention]
    dates: list[DateExpression]
    attribution: Attribution
    meta: bool = False
    quotes: list[tuple[int, int]] = field(default_factory=list)


_CALL = re.compile(r"by\s+(?:tele)?phone|over\s+(?:a|the)\s+hotline", re.I)
"""A call's trigger: what follows it is what was said in the call."""

_OBJECT_BEFORE = re.compile(
    r"\b(?:of|against|on|at|targeting|used\s+by|interests\s+of)\s+(?:the\s+)?$", re.I
)
"""A force named right after these words is what was hit, not who acted."""

_UNITS = re.compile(
    r"\b(?:units?|troops|battlegroups?|brigades?|regiments?|divisions?|battalions?|aviation|"
    r"artillery|air\s+defen[cs]es?|navy|fighters|servicemen|crews?|assault\s+groups?)\b",
    re.I,
)
"""Nouns of armed units: a subject made of them, with no side named, is the claimant's own."""


def _read(sentences: list[Sentence], gaz: Gazetteer, today: dt.date) -> list[Reading]:
    resolver = Resolver(gaz)
    raw = [find_mentions(s.text, gaz) for s in sentences]
    readings: list[Reading] = []
    for i, s in enumerate(sentences):
        mentions = resolver.resolve(resolver.surnames(s.text, raw[i]))
        dates = find_dates(s.text, today)
        att = attribute(s.text, mentions, dates)
        if att.speaker is not None and att.speaker.kind == "source":
            better = titled_after(att.speaker, raw[i + 1 : i + 3])
            if better is not None:
                att.speaker = replace(
                    att.speaker, entity=better.entity, side=better.side, kind="person"
                )
        readings.append(Reading(s, mentions, dates, att, quotes=quote_spans(s.text)))
        resolver.remember(mentions, att.speaker)
    for i, r in enumerate(readings):
        if r.attribution.speaker is not None or not quote_only(r.sentence.text):
            continue
        for j in (i + 1, i + 2):
            if j >= len(readings) or readings[j].sentence.paragraph - r.sentence.paragraph > 1:
                break
            speaker = meta_speaker(readings[j].sentence.text, readings[j].mentions)
            if speaker is not None:
                spoken = next(
                    (d for d in readings[j].dates if d.tense == "past" and not d.since), None
                )
                r.attribution = Attribution(
                    speaker, None, (0, len(r.sentence.text)), spoken, None, borrowed=True
                )
                readings[j].meta = True
                for k in range(i + 1, j):  # a second quotation between them
                    if (
                        quote_only(readings[k].sentence.text)
                        and readings[k].attribution.speaker is None
                    ):
                        readings[k].attribution = replace(r.attribution)
                break
        if r.attribution.speaker is None and i > 0:
            prev = readings[i - 1]
            if (
                prev.sentence.paragraph == r.sentence.paragraph
                and prev.attribution.speaker
                and prev.quotes
            ):
                r.attribution = Attribution(
                    prev.attribution.speaker,
                    None,
                    (0, len(r.sentence.text)),
                    prev.attribution.speech_date,
                    None,
                    borrowed=True,
                )
    return readings


def _speaker_entity(m: Mention | None) -> Entity | None:
    if m is None or m.entity is None:
        return None
    return m.entity


def _side_entity(gaz: Gazetteer, side: str | None) -> Entity | None:
    s = gaz.sides.get(side or "")
    return s.entity if s is not None else None


def _modifier(m: Mention, mentions: list[Mention], text: str) -> bool:
    """Whether a side's name only qualifies the name after it.

    As in "Russian President Vladimir Putin", "Qatar's prime minister, Sheikh ...".
    """
    if m.kind != "side":
        return False
    for k in mentions:
        if (
            k.start >= m.end
            and k.start - m.end <= 45
            and k.kind in ("person", "institution", "military", "source")
        ):
            between = text[m.end : k.start]
            if m.adjective or m.possessive:
                return not re.search(r"[;:.\"“”]|\band\b", between)
            return bool(_TITLE_ONLY.fullmatch(between))
    return False


_TITLE_ONLY = re.compile(
    r"(?:\s*(?:['’]s|[A-Z][\w.'’-]*|spokes\w+|minister|president|envoy|special|senior|foreign|"
    r"policy|prime|vice|deputy|former|chief|commander|adviser|advisor|aide|ambassador|official|"
    r"officials|secretary|defen[cs]e|military|intelligence|regional|army|navy|state|of|for|the|"
    r"negotiator|negotiators|delegation|team|representative|general)\b)*\s*"
)


def _actor_of_mention(gaz: Gazetteer, m: Mention) -> Entity | None:
    """The entity a mention stands for as an actor (a side's adjective → the side)."""
    if m.entity is None:
        return None
    if m.kind == "place":
        return _side_entity(gaz, m.entity.capital_of) if m.entity.capital_of else None
    if m.adjective:
        return _side_entity(gaz, m.side)
    return m.entity


def _forces(gaz: Gazetteer, side: str | None) -> Entity | None:
    s = gaz.sides.get(side or "")
    return s.forces if s is not None else None


def _nearest(
    dates: list[DateExpression], start: int, end: int, anchor: int, *, past_only: bool = False
) -> DateExpression | None:
    chosen = [
        d
        for d in dates
        if start <= d.start
        and d.end <= end
        and not d.since
        and not (d.offset and anchor < d.start)
        and (not past_only or d.tense == "past")
    ]
    if not chosen:
        return None
    return min(chosen, key=lambda d: min(abs(d.start - anchor), abs(d.end - anchor)))


class _Builder:
    """Turns readings into candidate events (see the module for the rules)."""

    def __init__(self, gaz: Gazetteer, today: dt.date, readings: list[Reading]) -> None:
        self.gaz = gaz
        self.today = today
        self.readings = readings
        self.events: list[CandidateEvent] = []
        self.last_claim: tuple[int, Entity | None, Entity | None, int] | None = None
        self.last_attacker: tuple[int, Entity] | None = None
        self.last_defender: tuple[int, Entity] | None = None
        self.sentence_actor: tuple[int, Entity] | None = None

    # -- one sentence ---------------------------------------------------------------------
    def sentence(self, r: Reading) -> None:
        if r.meta:
            return
        text = r.sentence.text
        att = r.attribution
        speaker = att.speaker
        cs, ce = att.content
        intro = intro_end(text)
        units: list[Unit] = []
        claims = claim_units(text, cs, ce)
        units.extend(claims)
        zone = (phrase_start(text, speaker.start), speaker.end) if speaker is not None else (-1, -1)
        qualifiers = [
            (m.start, m.end)
            for m in r.mentions
            if m.kind in ("place", "person", "side", "institution", "military", "source")
            and not (zone[0] <= m.start < zone[1])
        ] + [(d.start, d.end) for d in r.dates if not d.since]
        dip = diplomatic_trigger(text, qualifiers)
        prop_start = max(cs, intro) if cs < intro < ce else cs
        prop = proposal_trigger(text, prop_start, ce, nouns=speaker is not None)
        dip_in_content = dip is not None and cs <= dip[0] < ce and dip[0] >= intro
        if dip is not None and not claims:
            if prop is not None and prop[0] < dip[0] and dip[0] - prop[1] < 40:
                dip = None
            if dip is not None:
                units.append(Unit("diplomatic-event", 0, len(text), dip))
        call = dip is not None and bool(_CALL.match(text, dip[0]))
        if (
            prop is not None
            and not claims
            and not (dip_in_content and dip is not None and prop[0] > dip[0] and not call)
        ):  # "told Putin by phone that Turkey was ready to host ...": the call and the offer
            units.append(Unit("proposal", prop_start, ce, prop))
        if (
            speaker is not None
            and not claims
            and not any(u.kind == "proposal" for u in units)
            and not (dip is not None and dip_in_content)
        ):
            units.append(Unit("statement", cs, ce, (cs, ce)))
        for unit in units:
            event = self.event(r, unit, dip_in_content)
            if event is not None:
                self.events.append(event)

    # -- one event --------------------------------------------------------------------------
    def event(self, r: Reading, unit: Unit, dip_in_content: bool) -> CandidateEvent | None:
        text = r.sentence.text
        att = r.attribution
        in_content = att.content[0] <= unit.trigger[0] < att.content[1]
        speaker = _speaker_entity(att.speaker) if in_content else None
        if unit.kind == "diplomatic-event" and not dip_in_content:
            speaker = None
        actor: Entity | None
        parties: list[str] = []
        if unit.kind == "battlefield-claim":
            actor, claimant = self.claim_actor(r, unit, speaker)
            date = self.claim_date(r, unit)
            place = self.claim_place(r, unit)
        elif unit.kind == "diplomatic-event":
            actor, parties = self.participants(r, unit, dip_in_content)
            claimant = speaker
            region = att.content if dip_in_content else (0, len(text))
            usable = [d for d in r.dates if dip_in_content or d is not att.speech_date]
            if not dip_in_content:
                region = _clause(text, unit.trigger)
            date = _nearest(usable, region[0], region[1], unit.trigger[0]) or (
                att.speech_date if dip_in_content else None
            )
            place = self.meeting_place(r, unit)
        else:
            claimant = speaker
            actor = self.proposer(r, unit) if unit.kind == "proposal" else speaker
            date = att.speech_date or _nearest(
                r.dates, unit.start, unit.end, unit.trigger[0], past_only=True
            )
            if date is None and att.speaker is None:
                date = _nearest(r.dates, 0, len(text), unit.trigger[0], past_only=True)
            place = (
                self.proposal_place(r, unit)
                if unit.kind == "proposal"
                else (
                    att.speech_place.entity.name
                    if att.speech_place is not None and att.speech_place.entity
                    else None
                )
            )
        if unit.kind in ("proposal", "statement") and actor is None:
            return None
        if (
            unit.kind == "battlefield-claim"
            and actor is None
            and claimant is None
            and not r.mentions
            and not r.dates
        ):
            return None  # a claim needs someone who claims or acted, a place or a date
        exclude = [(d.start, d.end) for d in r.dates] + [
            (m.start, m.end) for m in r.mentions if m.kind in ("source", "person")
        ]
        numbers: dict[str, int | float] = {}
        region = (unit.start, unit.end) if unit.kind == "battlefield-claim" else att.content
        if unit.kind == "diplomatic-event" and not dip_in_content:
            region = _clause(text, unit.trigger)
        for q in find_numbers(text, exclude):
            if region[0] <= q.start < region[1]:
                numbers.setdefault(q.key, q.value)
        for e in (actor, claimant):
            if e is not None and e.side and e.side not in parties:
                parties.insert(0 if e is actor else len(parties), e.side)
        event = CandidateEvent(
            kind=unit.kind,
            quote=text,
            date=date.day if date is not None else self.today,
            sentence=r.sentence.index,
            actor=actor.name if actor is not None else None,
            actor_party=actor.side if actor is not None else None,
            claimed_by=claimant.name if claimant is not None else None,
            claimed_by_party=claimant.side if claimant is not None else None,
            date_range=(date.first, date.last) if date is not None and date.is_range else None,
            date_text=date.text if date is not None else None,
            place=place,
            numbers=numbers,
            verified=False if unit.kind == "battlefield-claim" else None,
            parties=tuple(dict.fromkeys(parties)),
            category=unit.category,
        )
        if unit.kind == "battlefield-claim":
            self.last_claim = (r.sentence.index, actor, claimant, r.sentence.paragraph)
            if actor is not None:
                self.sentence_actor = (r.sentence.index, actor)
            if actor is not None:
                if unit.category == "interception":
                    self.last_defender = (r.sentence.index, actor)
                elif unit.category in ("strike", "casualties"):
                    self.last_attacker = (r.sentence.index, actor)
        return event

    # -- claims -----------------------------------------------------------------------------
    def claim_actor(
        self, r: Reading, unit: Unit, speaker: Entity | None
    ) -> tuple[Entity | None, Entity | None]:
        text = r.sentence.text
        claimant = speaker
        if claimant is None and self.last_claim is not None:
            index, _, previous, paragraph = self.last_claim
            if (
                previous is not None
                and paragraph == r.sentence.paragraph
                and index >= r.sentence.index - 1
            ):
                claimant = previous
        actor: Entity | None = None
        trigger_start = unit.trigger[0]
        passive = bool(_PASSIVE.search(text[max(0, trigger_start - 30) : trigger_start])) or bool(
            re.match(r"(?:were|was)\b", text[trigger_start:])
        )
        candidates = [m for m in r.mentions if unit.start <= m.start < trigger_start]
        if att_speaker := r.attribution.speaker:
            candidates = [m for m in candidates if m.start != att_speaker.start]
        if not passive:
            for m in reversed(candidates):
                actor = self._as_force(m)
                if actor is not None:
                    break
        if actor is None:
            by = re.search(r"\bby\s+", text[unit.trigger[1] : unit.end])
            if passive and by:
                at = unit.trigger[1] + by.end()
                agent = next((m for m in r.mentions if m.start >= at), None)
                if agent is not None and agent.start - at < 30:
                    actor = self._as_force(agent)
        if actor is None:
            for m in r.mentions:  # "killed in a Russian strike"
                if (
                    unit.start <= m.start < unit.end
                    and m.kind == "force"
                    and m.entity is not None
                    and not (passive and m.start < trigger_start)
                    and not (m.start > trigger_start and _OBJECT_BEFORE.search(text[: m.start]))
                ):
                    actor = m.entity
                    break
        if actor is None and unit.category == "interception" and claimant is not None:
            actor = _forces(self.gaz, claimant.side)
        if (
            actor is None
            and self.sentence_actor is not None
            and self.sentence_actor[0] == r.sentence.index
        ):
            actor = self.sentence_actor[
                1
            ]  # "its fighters repelled ... and killed ...": one subject
        if (
            actor is None
            and not passive
            and claimant is not None
            and claimant.military
            and _UNITS.search(text[unit.start : trigger_start])
        ):
            actor = _forces(self.gaz, claimant.side)  # "units of the Battlegroup Center took"
        memory = self.last_defender if unit.category == "interception" else self.last_attacker
        if actor is None and memory is not None:
            index, previous_actor = memory
            if index >= r.sentence.index - CLAIM_MEMORY:
                actor = previous_actor
        return actor, claimant

    def _as_force(self, m: Mention) -> Entity | None:
        if m.kind == "force":
            return m.entity
        if m.entity is None or m.adjective:
            return None
        kind = m.entity.kind if m.kind in ("generic", "pronoun") else m.kind
        if kind in ("side", "military") or (kind == "institution" and m.entity.military):
            return _forces(self.gaz, m.side) or m.entity
        if m.kind == "place" and m.entity.capital_of:
            return _forces(self.gaz, m.entity.capital_of)
        return None

    def claim_date(self, r: Reading, unit: Unit) -> DateExpression | None:
        att = r.attribution
        return (
            _nearest(r.dates, unit.start, unit.end, unit.trigger[0])
            or _nearest(r.dates, att.content[0], att.content[1], unit.trigger[0])
            or att.speech_date
        )

    def claim_place(self, r: Reading, unit: Unit) -> str | None:
        places = [
            m
            for m in r.mentions
            if m.kind == "place"
            and unit.start <= m.start < unit.end
            and m.entity is not None
            and (r.attribution.speech_place is None or m.start != r.attribution.speech_place.start)
        ]
        if not places:
            return None
        after = [m for m in places if m.start >= unit.trigger[0]]
        chosen = (after or places)[0]
        return chosen.entity.name if chosen.entity else None

    # -- meetings -----------------------------------------------------------------------------
    def participants(
        self, r: Reading, unit: Unit, in_content: bool
    ) -> tuple[Entity | None, list[str]]:
        att = r.attribution
        region = att.content if in_content else _clause(r.sentence.text, unit.trigger)
        found: list[Entity] = []
        for m in r.mentions:
            if not region[0] <= m.start < region[1]:
                continue
            if att.speaker is not None and m.start == att.speaker.start and in_content:
                continue
            if m.kind in ("place", "force", "generic"):
                continue
            # "it would host talks": "it" and "they" are participants only as the subject
            if (
                m.kind == "pronoun"
                and (m.head or "") not in ("he", "she", "him")
                and (
                    (m.head or "") not in ("it", "they")
                    or not (0 <= unit.trigger[0] - m.end <= 20 and m.entity is not None)
                )
            ):
                continue
            if m.kind == "source" and m.entity is not None and m.entity.side is None:
                continue
            if _modifier(m, r.mentions, r.sentence.text):
                continue
            if m.adjective and re.match(
                r"\s+(?:capital|city|border|region|coast|province|town|port|territory|soil)\b",
                r.sentence.text[m.end :],
            ):
                continue  # "the Hungarian capital": a place, not a participant
            entity = _actor_of_mention(self.gaz, m)
            if entity is not None and all(entity.key != f.key for f in found):
                found.append(entity)
        sides = [e.side for e in found if e.side]
        return (found[0] if found else None), list(dict.fromkeys(sides))

    def meeting_place(self, r: Reading, unit: Unit) -> str | None:
        text = r.sentence.text
        anchor = unit.trigger[0]
        options: list[tuple[int, str]] = []
        for m in r.mentions:
            if m.entity is None:
                continue
            before = text[max(0, m.start - 12) : m.start]
            origin = re.search(r"\bfrom\s+$", before) and not re.match(
                r"\s*,\s*where\b", text[m.end :]
            )
            if m.kind == "place" and not origin:
                attributive = re.match(
                    r"\s+(?:peace\s+)?(?:talks|summit|meeting|negotiations|conference)\b",
                    text[m.end :],
                )
                if (
                    m.entity.capital_of
                    and not attributive
                    and not re.search(
                        r"\b(?:in|at|to|near|outside|from|visit(?:s|ed|ing)?)\s+(?:the\s+)?$",
                        before,
                    )
                ):
                    continue
                options.append((m.start, m.entity.name))
            elif m.kind == "institution" and re.search(r"\b(?:in|at)\s+the\s+$", before):
                options.append((m.start, m.entity.name))
        if not options:
            return None
        return min(options, key=lambda o: abs(o[0] - anchor) + (0 if o[0] >= anchor else 5))[1]

    # -- proposals -----------------------------------------------------------------------------
    def proposer(self, r: Reading, unit: Unit) -> Entity | None:
        text = r.sentence.text
        att = r.attribution
        speaker = att.speaker
        start = max(unit.start, intro_end(text)) if speaker is None else unit.start
        for m in r.mentions:
            if m.start < start or m.start >= unit.trigger[0]:
                continue
            if speaker is not None and m.start == speaker.start:
                continue
            if not m.speaks and not (
                m.kind == "place" and m.entity is not None and m.entity.capital_of
            ):
                continue
            if _modifier(m, r.mentions, text):
                continue
            if m.kind == "source" and speaker is not None:
                continue
            gap = text[m.end : unit.trigger[0]]
            if speaker is not None and (
                len(gap.split()) > 6 or not _PROPOSER_VERBS.match(text[unit.trigger[0] :])
            ):
                break
            entity = _actor_of_mention(self.gaz, m)
            if entity is not None:
                return entity
        if speaker is not None:
            return _speaker_entity(speaker)
        for m in r.mentions:  # the publisher's report: its subject
            if m.start < start or _modifier(m, r.mentions, text):
                continue
            entity = (
                _actor_of_mention(self.gaz, m)
                if (m.speaks or m.adjective or m.kind == "place")
                else None
            )
            if entity is not None and entity.kind != "place":
                return entity
        return None

    def proposal_place(self, r: Reading, unit: Unit) -> str | None:
        text = r.sentence.text
        for m in r.mentions:
            if m.kind != "place" or m.entity is None or not unit.start <= m.start < unit.end:
                continue
            if m.entity.capital_of and not _LOCATIVE.search(text[max(0, m.start - 12) : m.start]):
                continue
            return m.entity.name
        return None


def _clause(text: str, trigger: tuple[int, int]) -> tuple[int, int]:
    """Return the part of a sentence that a meeting outside its reported part belongs to.

    An introductory phrase ("Ahead of talks in Berlin with ..., X said"), or the commas around
    the trigger.
    """
    intro = intro_end(text)
    if trigger[0] < intro:
        return (0, intro)
    start = max(text.rfind(",", 0, trigger[0]), text.rfind(";", 0, trigger[0])) + 1
    ends = [i for i in (text.find(",", trigger[1]), text.find(";", trigger[1])) if i >= 0]
    return (start, min(ends) if ends else len(text))


def _dedupe(events: list[CandidateEvent]) -> list[CandidateEvent]:
    """Keep one of the meetings with the same place and day, and drop exact repeats."""
    kept: list[CandidateEvent] = []
    seen: set[tuple[object, ...]] = set()
    for e in events:
        key: tuple[object, ...]
        if e.kind == "diplomatic-event" and e.place is not None:
            key = (e.kind, e.place, e.date)
        else:
            key = (e.kind, e.sentence, e.actor, e.date, e.place, tuple(sorted(e.numbers.items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(e)
    return kept


def extract_events(
    article: Article,
    *,
    scenario: Scenario | None = None,
    gazetteer: Gazetteer | None = None,
) -> Extraction:
    """Extract the candidate events of a report (see the module for the rules).

    Parameters
    ----------
    article
        The report (:func:`zopa.extract.intake.read_article`).
    scenario
        A scenario to map the parties to (its ids in ``actor_party`` and ``claimed_by_party``;
        its parties' names and ``aliases`` extend the gazetteer) and whose proposals to link.
    gazetteer
        The names known (default: the one shipped with zopa).

    Returns
    -------
    Extraction
        Deterministic: the same report (and scenario) gives the same result.
    """
    gaz = gazetteer or load_gazetteer()
    linker: Linker | None = None
    if scenario is not None:
        from zopa.extract.linking import Linker

        linker = Linker(scenario, gaz)
        gaz = linker.gazetteer
    sentences, aside = segment(article.body)
    readings = _read(sentences, gaz, article.date)
    builder = _Builder(gaz, article.date, readings)
    for r in readings:
        builder.sentence(r)
    events = _dedupe(builder.events)
    reactions: tuple[object, ...] = ()
    if linker is not None:
        events = [linker.link(e) for e in events]
        reactions = tuple(linker.reactions(events))
    return Extraction(
        article,
        len(sentences),
        tuple(events),
        reactions,  # type: ignore[arg-type]
        tuple(aside),
        scenario.id if scenario is not None else None,
    )
