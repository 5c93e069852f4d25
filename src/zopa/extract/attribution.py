"""Who says it: the speaker of each sentence, and references back resolved against the report.

Attribution patterns (:func:`attribute`), tried on the reporting verbs outside quotations
("said", "told", "claimed", "according to", "wrote", "warned", "denied"...; verbs of offering or
demanding are not among them: "Moscow demanded X" is the publisher's report of a demand):

- ``X said (that) ...``, ``X, the governor of Y, said ...``: the nearest name before the verb,
  over an apposition or a relative clause between commas;
- ``..., X said.``, ``"...," said X.``: a speaker after the content;
- ``..., he said, ...``: an attribution in the middle of a sentence;
- ``according to X``;
- ``..., saying/claiming/adding ...``: the subject of the sentence, when it can speak (a force
  cannot: "Russian forces struck ..., claiming control of ..." has no speaker of its own).

A reporting verb introduced by "what" or "as" ("what Kyiv described as talks") does not make
its subject the sentence's speaker. A quotation standing alone takes its speaker from an
attribution in the next two sentences ("The words were posted late on Saturday by ...",
"Those words came from ...") or else from the sentence before it in the same paragraph.

References back (:class:`Resolver`): "he"/"she" → the previous sentence's speaker if a
person, else the first person named before; "it"/"its" → the nearest institution or side named
before in the sentence, else the previous non-person speaker; "they"/"their" likewise; "the
ministry", "the group" → the latest entity with that noun among its ``heads``; "the army" with
no such entity → the military of the side named last. An unnamed source ("the regional
governor") is replaced by a person named with that title in the next two sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from zopa.extract.dates import DateExpression
from zopa.extract.gazetteer import Entity, Gazetteer
from zopa.extract.mentions import Mention, ministry_of

REPORTING = re.compile(
    r"\b(?:according\s+to|said|says|say|saying|told|tells|telling|stated|states|claimed|claims|"
    r"claiming|announced|announces|announcing|reported|reports|reporting|added|adds|adding|wrote|"
    r"writes|writing|posted|warned|warns|warning|insisted|insists|insisting|accused|accuses|"
    r"accusing|noted|notes|stressed|stresses|confirmed|confirms|denied|denies|denying|urged|urges|"
    r"urging|argued|argues|declared|declares|acknowledged|acknowledges|admitted|admits|"
    r"emphasi[sz]ed|emphasi[sz]es|described|describes|describing|alleged|alleges|explained|"
    r"explains|vowed|vows|vowing|pledged|pledges|promised|promises|rejected|rejects|rejecting|"
    r"dismissed|dismisses|welcomed|welcomes|condemned|condemns|asserted|asserts|reiterated|"
    r"reiterates|tweeted|commented|responded|replied|expressed|expresses|quoted|reaffirmed|"
    r"reaffirms|affirmed|underscored|underlined|highlighted|cautioned|conceded|recalled|"
    r"called(?!\s+for)|calls(?!\s+for))\b",
    re.I,
)
PARTICIPLES = frozenset(
    [
        "saying",
        "claiming",
        "adding",
        "warning",
        "insisting",
        "accusing",
        "denying",
        "urging",
        "announcing",
        "reporting",
        "vowing",
        "rejecting",
        "describing",
        "writing",
        "telling",
    ]
)
_APPOSITIVE = re.compile(
    r"^(?:[a-z]|the\b|a\b|an\b|who\b|which\b|whose\b|speaking\b|led\b|U\.S\.\s+[a-z])", re.I
)
_APPOSITIVE_LOWER = re.compile(r"^(?:[a-z]|(?:the|a|an)\s|(?:U\.S\.|US)\s+[a-z])")
_ADVERBIAL = re.compile(
    r"^(?:\s*(?:on|in|at|to|via|late|early|during|after|before|afterwards|later|earlier|also|"
    r"again|separately|publicly|then|on\s+\w+|in\s+a\s+[\w-]+(?:\s+[\w-]+)?|to\s+reporters|"
    r"reporters|Telegram|X|Facebook|television|social|media|a|an|the|statement|televised|"
    r"address|speech|briefing|interview|video|post|news|conference|message|[A-Z][a-z]+|"
    r"shortly|after|landing|morning|afternoon|evening|night|its|his|her|their|weekly|daily|"
    r"summary|update|report)\b)*\s*[.!?\"”']*\s*$"
)
_LEADING_ADVERBIALS = re.compile(
    r"^(?:\s*(?:(?:on|in|at|late\s+on|early\s+on|during|via)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*|(?:televised\s+|video\s+|written\s+|joint\s+|news\s+)?"
    r"(?:statement|address|speech|interview|briefing|post|video|conference|chat|call|message|"
    r"morning|afternoon|evening|night)|[\w'-]+\s+(?:statement|address|chat|post|interview))"
    r"|reporters|journalists|the\s+[A-Z]{2,5}|a\s+news\s+conference|"
    r"(?:a|the)\s+(?:[\w-]+\s+)?(?:ceremony|meeting|summit|conference|parliament|cabinet)))*"
    r"\s*(?:,\s*)?(?:that\b)?\s*"
)
_QUOTE_OPEN = '"“'
_QUOTE_CLOSE = '"”'
_TITLE_GAP = re.compile(
    r"(?:\s*(?:['’]s|spokes\w+|minister|president|envoy|aide|adviser|advisor|chief|commander|"
    r"official|secretary|foreign|policy|senior|special|deputy|[A-Z][\w.'’-]*))*\s*"
)
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][\w'’-]*(?![\w-])")
_META = re.compile(
    r"^(?:The|Those|These|That|This|His|Her|Its|Their)\s+(?:words|remarks|comments|statement|"
    r"message|post|quote|position|warning|demand|pledge|threat)s?\b[^.]*?\b(?:by|from|of)\s+",
    re.I,
)
_SOURCE_TITLE = re.compile(
    r"(governor|mayor|spokes\w+|commander|minister|envoy|official|chief)", re.I
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the quotations of a sentence (straight or curly double quotes)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if start is None and ch in _QUOTE_OPEN:
            start = i
        elif start is not None and ch in _QUOTE_CLOSE and (ch != '"' or i > start):
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a position lies inside one of the spans."""
    return any(a <= pos < b for a, b in spans)


def quote_only(text: str) -> bool:
    """Whether a sentence is a quotation standing alone (nothing said outside the quotes)."""
    spans = quote_spans(text)
    if not spans:
        return False
    outside = "".join(ch for i, ch in enumerate(text) if not inside(i, spans))
    return not re.search(r"\w", outside)


@dataclass
class Attribution:
    """Who says a sentence, and what part of it is what they say.

    Attributes
    ----------
    speaker
        The mention of the speaker (resolved), None when the publisher speaks.
    verb
        The span of the reporting verb.
    content
        The span of what is reported (the whole sentence when there is no speaker).
    speech_date
        A date attached to the verb ("said on Monday").
    speech_place
        A place attached to the verb ("said in Cairo").
    borrowed
        The speaker comes from a neighbouring sentence (a quotation standing alone).
    """

    speaker: Mention | None
    verb: tuple[int, int] | None
    content: tuple[int, int]
    speech_date: DateExpression | None = None
    speech_place: Mention | None = None
    borrowed: bool = False


@dataclass
class Resolver:
    """References back resolved against what the report has named so far.

    Feed sentences in order (:meth:`resolve`, then :meth:`remember`).
    """

    gaz: Gazetteer
    history: list[Mention] = field(default_factory=list)
    speakers: list[Mention | None] = field(default_factory=list)
    people: dict[str, Entity] = field(default_factory=dict)

    def _previous_speaker(self) -> Mention | None:
        return self.speakers[-1] if self.speakers else None

    def _entity_mention(self, m: Mention, entity: Entity) -> Mention:
        return replace(
            m, entity=entity, side=entity.side if entity.kind != "place" else entity.capital_of
        )

    def _person_before(self, mentions: list[Mention]) -> Entity | None:
        people = [m.entity for m in mentions if m.kind == "person" and m.entity is not None]
        return people[0] if people else None

    def resolve(self, mentions: list[Mention]) -> list[Mention]:
        """Resolve the pronouns and definite nouns of one sentence (in order)."""
        out: list[Mention] = []
        for m in mentions:
            if m.kind == "pronoun" or (m.kind == "force" and m.head):
                entity = self._pronoun(m.head or "", out)
                if m.kind == "force":
                    side = entity.side if entity is not None else None
                    forces = self.gaz.sides[side].forces if side in self.gaz.sides else None
                    out.append(replace(m, entity=forces, side=side))
                    continue
                out.append(self._entity_mention(m, entity) if entity is not None else m)
            elif m.kind == "generic":
                entity = self._generic(m.head or "", out)
                if entity is not None:
                    out.append(self._entity_mention(m, entity))
                else:
                    label = (m.head or "").split(" ", 1)[-1]
                    out.append(
                        replace(m, kind="source", entity=Entity(f"source:{label}", label, "source"))
                    )
            else:
                out.append(m)
        return out

    def _pronoun(self, word: str, before: list[Mention]) -> Entity | None:
        word = word.lower()
        speaker = self._previous_speaker()
        if word in ("he", "she", "his", "her", "him"):
            person = self._person_before(before)
            if person is not None:
                return person
            if (
                speaker is not None
                and speaker.entity is not None
                and speaker.entity.kind == "person"
            ):
                return speaker.entity
            for m in reversed(self.history):
                if m.kind == "person" and m.entity is not None:
                    return m.entity
            return None
        # it, its, they, their, them
        for m in reversed(before):
            if (
                m.entity is not None
                and m.kind in ("institution", "military", "side", "source", "generic")
                and not m.adjective
            ):
                return m.entity
        if speaker is not None and speaker.entity is not None and speaker.entity.kind != "person":
            return speaker.entity
        for m in reversed(self.history):
            if (
                m.entity is not None
                and m.kind in ("institution", "military", "side")
                and not m.adjective
            ):
                return m.entity
        return None

    def _generic(self, head: str, before: list[Mention]) -> Entity | None:
        det, _, noun = head.partition(" ")
        if det in ("his", "her", "its", "their"):
            owner = self._pronoun(det, before)
            if owner is None or noun == "office":
                return owner
            return self._owned(owner, noun)
        for m in [*reversed(before), *reversed(self.history)]:
            e = m.entity
            if e is None or m.adjective:
                continue
            if noun in e.heads or (
                noun.endswith("ministry") and noun == e.name.lower()[-len(noun) :]
            ):
                return e
        if noun in ("army", "military", "armed forces"):
            for m in [*reversed(before), *reversed(self.history)]:
                side = self.gaz.sides.get(m.side or "")
                if side is not None and side.kind == "state":
                    return side.military
        return None

    def _owned(self, owner: Entity, noun: str) -> Entity:
        """Resolve "his ministry" to an institution.

        The institution of the owner's side that the owner's office names ("foreign minister"
        → the foreign ministry), else an unnamed source of that side.
        """
        role = (owner.role or "").lower()
        if noun == "ministry":
            for word in (
                "foreign",
                "defence",
                "defense",
                "health",
                "energy",
                "interior",
                "justice",
                "finance",
            ):
                if word not in role:
                    continue
                if owner.side:
                    return ministry_of(self.gaz, owner.side, f"{word} ministry")
                for m in reversed(
                    self.history
                ):  # the ministry named before ("Ukraine's energy ministry")
                    if m.entity is not None and f"{word} ministry" in m.entity.heads:
                        return m.entity
        return Entity(f"source:{owner.name} {noun}", f"{owner.name}'s {noun}", "source", owner.side)

    def surnames(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Add the people named before by their full name and now by their surname alone.

        "Oleh Syniehubov" named once, "Syniehubov said" later is the same person (the
        gazetteer knows the surnames of the officials it lists; this covers everyone else).
        """
        people = self.people
        if not people:
            return mentions
        added = list(mentions)
        for found in _CAPITALISED.finditer(text):
            entity = people.get(found.group(0))
            if entity is None or any(
                k.start < found.end() and found.start() < k.end for k in added
            ):
                continue
            added.append(
                Mention(found.start(), found.end(), found.group(0), "person", entity, entity.side)
            )
        added.sort(key=lambda m: m.start)
        return added

    def remember(self, mentions: list[Mention], speaker: Mention | None) -> None:
        """Add a sentence's resolved mentions and speaker to the history."""
        self.history.extend(m for m in mentions if m.entity is not None)
        for m in mentions:
            if m.kind == "person" and m.entity is not None and len(m.entity.name.split()) > 1:
                self.people[m.entity.name.split()[-1]] = m.entity
        del self.history[:-200]
        self.speakers.append(speaker)


def _left_speaker(text: str, mentions: list[Mention], verb_start: int) -> Mention | None:
    """The speaker written before a reporting verb (over appositions between commas)."""
    trimmed = text[:verb_start].rstrip()
    while trimmed.endswith(","):
        opening = trimmed[:-1].rfind(",")
        inner = trimmed[opening + 1 : -1].strip() if opening >= 0 else ""
        if opening >= 0 and _APPOSITIVE_LOWER.match(inner):
            trimmed = trimmed[:opening].rstrip()
            continue
        trimmed = trimmed[:-1].rstrip()
        break
    limit = len(trimmed)
    candidates = [m for m in mentions if m.end <= limit and m.speaks and not m.adjective]
    if not candidates:
        return None
    if re.search(r"(?:^|[^,]\s)and\s*$", trimmed) or re.search(r",\s*and\s*$", trimmed):
        # "X thanked Y for ... and said ...": the subject of the coordinated verbs
        first = candidates[0]
        if not re.search(r"[;:\"“”]", text[first.end : limit]) and not first.adjective:
            return replace(first, head="coordinated")
    m = candidates[-1]
    for earlier in reversed(candidates[-3:-1]):  # "a source in Ukraine's SBU security service told"
        if earlier.kind == "source" and re.fullmatch(
            r"\s+(?:in|at|from|within|close\s+to|familiar\s+with|with)\s+[^,;\"“”]*",
            text[earlier.end : limit],
        ):
            return earlier
    gap = text[m.end : limit]
    gap_clean = re.sub(
        r"^['’]s\s+(?:press\s+)?(?:office|administration|government)\b", "", gap.strip()
    )
    if re.search(r"[,;:\"“”()]", gap_clean) or not all(
        w.lower() in _GAP_WORDS for w in gap_clean.split()
    ):
        return None
    if re.search(r"\b(?:what|as|which|whom|that)\s*$", text[: phrase_start(text, m.start)]):
        return None
    return m


_GAP_WORDS = frozenset(
    [
        "also",
        "has",
        "have",
        "had",
        "repeatedly",
        "again",
        "later",
        "then",
        "on",
        "in",
        "a",
        "an",
        "the",
        "statement",
        "video",
        "post",
        "speech",
        "earlier",
        "previously",
        "publicly",
        "separately",
        "itself",
        "himself",
        "herself",
        "now",
        "yesterday",
        "today",
        "overnight",
        "late",
        "early",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "morning",
        "afternoon",
        "evening",
        "night",
        "last",
        "this",
        "week",
        "weekend",
        "month",
        "officially",
        "quickly",
        "immediately",
        "swiftly",
        "subsequently",
        "meanwhile",
        "reportedly",
        "once",
        "first",
        "however",
    ]
)
_TITLE_WORDS = re.compile(
    r"(?:[A-Z][\w.'’-]*|spokes\w+|minister|president|envoy|commander|chief|adviser|advisor|aide|"
    r"ambassador|governor|mayor|official|negotiator|general|secretary|leader|head|chancellor|"
    r"foreign|policy|defen[cs]e|senior|former|deputy|special|regional|military|intelligence|"
    r"prime|vice|['’]s|of|for|the|a|an)\s*$"
)


def phrase_start(text: str, start: int) -> int:
    """Return where the noun phrase of a name starts.

    The start is moved back over the name's titles ("Kremlin spokesman", "the", "Secretary of
    State").
    """
    pos = start
    for _ in range(8):
        m = _TITLE_WORDS.search(text[:pos])
        if not m or m.start() == pos:
            break
        if text[m.start() : pos].strip().lower() in ("of", "for") and not re.search(
            r"[A-Z]\w*\s+(?:of|for)\s*$", text[:pos]
        ):
            break
        pos = m.start()
    return pos


def _right_speaker(text: str, mentions: list[Mention], verb_end: int) -> Mention | None:
    """The speaker written after the verb ("said Kremlin spokesman Dmitry Peskov")."""
    after = [m for m in mentions if m.start >= verb_end and m.speaks and not m.adjective]
    chosen: Mention | None = None
    for m in after:
        gap = text[verb_end : m.start]
        if re.search(r"[,;:.\"“”]", gap) or len(gap.split()) > 4:
            break
        chosen = m
        if m.kind == "person":
            break
    return chosen


def _subject(text: str, mentions: list[Mention], before: int) -> Mention | None:
    """The first mention that can speak, before ``before`` (the sentence's subject)."""
    for m in mentions:
        if m.start >= before:
            break
        if m.speaks and not m.adjective and m.kind != "source":
            return m
        if m.kind == "force":
            return None
    return None


def attribute(text: str, mentions: list[Mention], dates: list[DateExpression]) -> Attribution:
    """Find the speaker of a sentence and the part of it that is reported (see the module)."""
    quotes = quote_spans(text)
    whole = (0, len(text))
    for verb in REPORTING.finditer(text):
        vs, ve = verb.start(), verb.end()
        if inside(vs, quotes):
            continue
        word = verb.group(0).lower()
        before = text[:vs]
        speaker: Mention | None
        if word.startswith("according"):
            following = [m for m in mentions if m.start >= ve and m.speaks and not m.adjective]
            if not following or len(text[ve : following[0].start].split()) > 2:
                continue
            speaker = following[0]
            for m in following[1:]:  # "according to Kremlin spokesman Dmitry Peskov"
                between = text[speaker.end : m.start]
                if m.kind == "person" and len(between) <= 40 and _TITLE_GAP.fullmatch(between):
                    speaker = m
            if not text[:vs].strip():  # According to X, CONTENT
                rest = text[speaker.end :]
                gap = len(rest) - len(rest.lstrip(" ,"))
                content = (speaker.end + gap, len(text))
            else:
                content = (0, len(text[:vs].rstrip(" ,")))
            return _finish(text, Attribution(speaker, (vs, ve), content), dates, mentions)
        if re.search(r"\b(?:be|been|being|was|were|is|are)\s+(?:\w+ly\s+)?$", before):
            by = re.match(r"\s+by\s+", text[ve:])
            if not by:
                continue
            speaker = next((m for m in mentions if m.start >= ve + by.end() and m.speaks), None)
            if speaker is None:
                continue
            return _finish(text, Attribution(speaker, (vs, ve), whole), dates, mentions)
        if word in PARTICIPLES:
            if not re.search(r",\s*$", before):
                continue
            subject = _subject(text, mentions, vs)
            if subject is None:
                continue
            return _finish(text, Attribution(subject, (vs, ve), whole), dates, mentions)
        speaker = _left_speaker(text, mentions, vs)
        if speaker is not None and speaker.head == "coordinated":
            # "X did Y ... and said Z": X is the subject of both; all of it is reported
            first = speaker.start
            speaker = next(m for m in mentions if m.start == first)
            return _finish(text, Attribution(speaker, (vs, ve), whole), dates, mentions)
        inverted = False
        if speaker is None and re.search(r"[,\"”']\s*$", before):
            speaker = _right_speaker(text, mentions, ve)
            inverted = speaker is not None
        if speaker is None:
            continue
        start = min(phrase_start(text, speaker.start), vs)
        end = max(speaker.end, ve) if inverted else ve
        tail = text[end:]
        lead = text[:start].rstrip()
        comma = tail.find(",")
        if (
            lead.endswith(",")
            and comma >= 0
            and _ADVERBIAL.match(tail[:comma])
            and not _ADVERBIAL.match(tail)
        ):
            # "..., he said, and ...": the attribution sits inside the content; "..., he said,
            # a day before ...": what follows it is circumstance, not content
            continuation = tail[comma + 1 :]
            if re.match(r"\s*(?:and|but|\w+ing)\b", continuation):
                content = (0, len(text))
            else:
                content = (0, len(lead.rstrip(" ,")))
            return _finish(text, Attribution(speaker, (vs, ve), content), dates, mentions)
        if re.search(r"[\"”]\s*$", lead) and lead.lstrip()[:1] in _QUOTE_OPEN:
            # '"...," X told reporters, adding that ...': the quotation and what follows
            content = (0, len(text))
        elif lead and _ADVERBIAL.match(tail):
            content = (0, len(lead.rstrip(" ,")))
        else:
            skip = _LEADING_ADVERBIALS.match(tail)
            content = (end + (skip.end() if skip else 0), len(text))
            if inverted or not tail.strip(' .!?"”'):
                content = (0, len(lead.rstrip(" ,")))
        return _finish(text, Attribution(speaker, (vs, ve), content), dates, mentions)
    return Attribution(None, None, whole)


def _finish(
    text: str,
    att: Attribution,
    dates: list[DateExpression],
    mentions: list[Mention],
) -> Attribution:
    """Attach the date and place of the speech: next to the verb or the speaker."""
    assert att.verb is not None
    vs, ve = att.verb
    sp = att.speaker
    zone_start = min(vs, sp.start if sp is not None else vs)
    zone_end = ve + 40
    if sp is not None and sp.start < vs:
        # an apposition on the speaker: "Zelenskyy, speaking in Dublin on Tuesday, said"
        zone_start = sp.start
    relative = [
        (m.start(), m.end()) for m in re.finditer(r",\s*(?:who|which|whose)\b[^,]*,", text[:vs])
    ]
    for d in dates:
        if any(a <= d.start < b for a, b in relative):
            continue  # "X, who visited Israel last week, said": not when X spoke
        if (
            d.tense == "past"
            and not d.since
            and (zone_start <= d.start <= zone_end)
            and (d.start >= ve or (sp is not None and d.start >= sp.end))
        ):
            if d.start >= ve and re.search(r"[,;]|\bthat\b", text[ve : d.start]):
                continue
            att.speech_date = d
            break
    if att.speech_date is None and sp is not None and sp.start > 0:
        for d in dates:  # "On Tuesday, X said" / "X on Sunday rejected"
            if d.tense == "past" and not d.since and d.end <= vs and d.start >= sp.start - 30:
                att.speech_date = d
                break
    for m in mentions:
        if m.kind == "place" and ve <= m.start <= ve + 30:
            between = text[ve : m.start]
            if re.fullmatch(r"\s*(?:on\s+\w+\s+)?(?:in|at)\s+(?:the\s+)?", between):
                att.speech_place = m
                break
    start, end = att.content
    while start < end and text[start].isspace():
        start += 1
    att.content = (start, end)
    return att


def meta_speaker(text: str, mentions: list[Mention]) -> Mention | None:
    """The speaker named by an attribution sentence ("The words were posted ... by X")."""
    match = _META.match(text) or re.match(r"^\s*[—–-]+\s*", text)
    if not match:
        return None
    for m in mentions:
        if m.start >= match.end() - 1 and m.speaks and not m.adjective:
            later = [
                k
                for k in mentions
                if k.start >= m.end and k.kind == "person" and k.start - m.end < 25
            ]
            if m.kind != "person" and later:
                return later[0]
            return m
    return None


def titled_after(source: Mention, following: list[list[Mention]]) -> Mention | None:
    """A person named in the next sentences with the title an unnamed source bears."""
    if source.entity is None:
        return None
    title = _SOURCE_TITLE.search(source.entity.name)
    if not title:
        return None
    for mentions in following:
        for m in mentions:
            e = m.entity
            if (
                m.kind == "person"
                and e is not None
                and e.role
                and title.group(1).lower() in e.role.lower()
            ):
                return m
    return None
