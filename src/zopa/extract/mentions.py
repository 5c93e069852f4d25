"""Who and where one sentence names: the mentions the other steps read.

A :class:`Mention` is a span of the sentence with what it stands for. Found, in order of
precedence when spans overlap:

1. gazetteer names (:mod:`zopa.extract.gazetteer`): people, institutions, sides, places;
2. forces: a side's adjective or possessive, or a possessive pronoun, before a force noun
   ("Russian troops", "its air defences", "Israeli strikes", "Ukraine's naval drones");
3. people the gazetteer does not know, by their title ("regional governor Oleh Syniehubov",
   "former ambassador Simon Karam") or an apposition ("Oleh Kiper, the governor of the Odesa
   region, said"): their side is that of a name in the title (Odesa → Ukraine);
4. unnamed sources ("regional officials", "a diplomatic source", "two people familiar with the
   talks");
5. references back: a definite common noun ("the ministry", "the group") or a pronoun ("he",
   "its"), resolved later against the report so far (:mod:`zopa.extract.attribution`);
6. places the gazetteer does not know, by the words around them ("the village of Varvarovka",
   "the Darnytskyi district", "near Bint Jbeil").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from zopa.extract.gazetteer import Entity, Gazetteer

FORCE_NOUNS = (
    "forces|troops|soldiers|units|fighters|servicemen|paratroopers|marines|gunmen|militants|"
    "air defen[cs]es?|air defen[cs]e systems|air defen[cs]e units|"
    "drones?|naval drones?|unmanned boats?|missiles?|rockets?|glide bombs?|bombs?|aircraft|"
    "jets|warplanes|helicopters|artillery|shelling|strikes?|airstrikes?|air strikes?|attacks?|"
    "offensive|assault groups?|navy|fleet|Fleet|air force|Air Force|Black Sea Fleet|"
    "assault|bombardment|barrage"
)
"""Nouns that, after a side's adjective or a possessive, name that side's forces acting."""

TITLES = (
    "spokes(?:man|woman|person)|[Mm]inister|[Pp]resident|[Ee]nvoy|[Cc]ommander(?:-in-[Cc]hief)?|"
    "[Cc]hief|[Aa]dviser|[Aa]dvisor|[Aa]ide|[Aa]mbassador|[Gg]overnor|[Mm]ayor|[Oo]fficial|"
    "[Nn]egotiator|General|[Ss]ecretary|[Ll]eader|[Hh]ead|[Cc]hancellor|[Pp]remier|"
    "[Cc]ommissioner|Speaker|Colonel|Lieutenant|Major|Captain|[Dd]irector|Sheikh|Emir|King|"
    "Prince|[Cc]oordinator|[Mm]ediator|[Rr]epresentative|[Oo]mbudsman"
)
_NAME = (
    r"(?:[A-Z][a-zA-Z'’]+(?:-[A-Za-z][a-z'’]+)?|(?:al|el)-[A-Z][a-z'’]+)"
    r"(?:\s+(?:(?:al|el|bin|ibn|de|De|van|von|der|da|du|Al|El)[- ])?(?:[A-Z][a-zA-Z'’]+(?:-[A-Za-z][a-z'’]+)?|(?:al|el)-[A-Z][a-z'’]+)){1,3}"
)
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Or",
        "If",
        "As",
        "Since",
        "After",
        "Before",
        "Telegram",
        "Facebook",
        "Twitter",
        "English",
        "Russian",
        "Ukrainian",
        "Arabic",
        "Hebrew",
        "X",
    ]
)
_TITLED = re.compile(
    rf"(?P<title>(?:(?:[A-Z][\w.'’-]*|[a-z][\w-]*)\s+){{0,3}}?(?:{TITLES})"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?(?:[a-z]+|[A-Z][a-z]+)(?:\s+[a-z]+)?)?)\s+(?P<name>{_NAME})"
)
_APPOSED = re.compile(
    rf"(?:^|(?<=[,;:]\s))(?P<name>{_NAME}),\s+(?:the\s+|a\s+|an\s+)?(?P<title>[^,]*?\b(?:{TITLES})\b[^,]*),"
)
_SOURCES = re.compile(
    r"\b(?P<det>(?:[Aa]n?|[Tt]he|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Oo]ther)\s+)?"
    r"(?P<body>(?:(?:[Ll]ocal|[Ss]enior|[Rr]egional|[Ww]estern|[Dd]iplomatic|[Gg]overnment|[Mm]ilitary|"
    r"[Ss]ecurity|[Ii]ntelligence|[Hh]ealth|[Ee]mergency|[Hh]umanitarian|[Aa]id|[Ii]ndependent|"
    r"[Oo]fficial|[Ff]oreign|U\.S\.|UN|U\.N\.|[A-Z][a-z]+(?:ian|ish|ese|ean|an|i|ch))\s+){0,3}"
    r"(?:officials?|sources?|spokes(?:man|woman|person)|diplomats?|people familiar with (?:the )?[a-z]+|"
    r"governor|mayor|governor's office|"
    r"doctors|medics|witnesses|residents|analysts|agencies|authorities|military administration|"
    r"administration|rescuers|emergency services|prosecutors|investigators|police|negotiators|"
    r"mediators|observers|monitors))\b"
)
_GENERIC = re.compile(
    r"\b(?P<det>[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z]+['’]s\s+)?(?P<head>(?:(?:defen[cs]e|foreign|health|presidential|"
    r"regional|general)\s+)?(?:ministry|Ministry|group|army|military|movement|militia|paramilitary|"
    r"paramilitaries|general staff|General Staff|air force|Air Force|navy|fleet|office|council|"
    r"commission|agency|institute|government|department|staff|administration))\b"
)
_COMMON = frozenset(
    [
        "local",
        "senior",
        "regional",
        "western",
        "diplomatic",
        "government",
        "military",
        "security",
        "intelligence",
        "health",
        "emergency",
        "humanitarian",
        "aid",
        "independent",
        "official",
        "foreign",
        "officials",
        "sources",
        "people",
        "doctors",
        "medics",
        "witnesses",
        "residents",
        "analysts",
        "agencies",
        "authorities",
        "administration",
        "rescuers",
        "police",
        "negotiators",
        "mediators",
        "observers",
        "monitors",
        "prosecutors",
        "investigators",
        "source",
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "diplomats",
        "diplomat",
    ]
)
_PRONOUN = re.compile(
    r"\b(?P<p>[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Hh]im|[Tt]hem)\b"
)
_PLACE_PATTERNS = (
    re.compile(
        r"\b(?:border\s+)?(?:village|town|city|settlement|hamlet|port|district|township|camp)s?\s+of\s+"
        r"(?P<place>[A-Z][\w'’-]+(?:[ -](?:al-|el-)?[A-Z][\w'’-]+)?)"
    ),
    re.compile(
        r"\b(?:the\s+|its\s+)?(?:[a-z]+\s+)?(?P<place>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})\s+"
        r"(?:region|oblast|province|district|governorate|area|direction)\b"
    ),
    re.compile(r"\b(?:near|outside|around)\s+(?P<place>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"),
    re.compile(r"\b(?:in|from)\s+(?P<place>[A-Z][a-z][\w'’-]+)(?![\w'’-])(?!['’]s)(?!\s+[A-Z])"),
)
_MINISTRY = re.compile(
    r"(?P<noun>(?:[Ff]oreign|[Dd]efen[cs]e|[Hh]ealth|[Ee]nergy|[Ii]nterior|[Jj]ustice|[Ff]inance|"
    r"[Ee]conomy|[Ii]nformation|[Ee]mergencies|[Ee]mergency [Ss]ituations)\s+[Mm]inistry)\b"
)
_PRIORITY = {
    "person": 0,
    "institution": 0,
    "military": 0,
    "side": 1,
    "place": 1,
    "force": 0,
    "titled": 2,
    "ministry": 0,
    "source": 3,
    "generic": 4,
    "pronoun": 5,
    "place-pattern": 6,
}


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names, describes or refers back to someone or somewhere.

    Attributes
    ----------
    start, end
        Character offsets in the sentence.
    text
        The words as written.
    kind
        ``person``, ``institution``, ``military``, ``side``, ``place``, ``force``, ``source``
        (an unnamed source), ``generic`` ("the ministry") or ``pronoun``.
    entity
        What it stands for (None for a reference back not yet resolved).
    side
        The gazetteer id of its side, when known.
    adjective
        A side named by its adjective ("Ukrainian"): it modifies what follows.
    possessive
        Followed by ``'s``.
    head
        For a reference back, the noun or pronoun ("ministry", "its").
    """

    start: int
    end: int
    text: str
    kind: str
    entity: Entity | None = None
    side: str | None = None
    adjective: bool = False
    possessive: bool = False
    head: str | None = None

    @property
    def speaks(self) -> bool:
        """Whether it can be the one who says or claims something."""
        if self.kind in ("source", "generic", "pronoun"):
            return True
        if self.entity is None:
            return False
        if self.kind == "place":
            return self.entity.capital_of is not None
        return self.entity.speaks and not self.adjective


def _force_pattern(owners: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(o).replace("'", "['’]") for o in sorted(owners, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w-])(?P<owner>{alternatives}|(?i:its|their|his|her|our))\s+"
        rf"(?P<mods>(?:(?!(?:said|says|told|claimed|reported|that|and|or|the|its|their|his|her|of|in|on|"
        rf"at|to|were|was|had|has|have|is|are)\b)[a-zA-Z][\w-]*\s+){{0,3}}?)(?P<noun>{FORCE_NOUNS})(?![\w-])"
    )


def _owners(gaz: Gazetteer) -> tuple[dict[str, str], re.Pattern[str]]:
    """The forms that name a side before a noun, and the pattern of forces (built once)."""
    cached = gaz._cache.get("owners")
    if cached is None:
        owners = gaz.adjectives()
        cached = (owners, _force_pattern(tuple(owners)))
        gaz._cache["owners"] = cached
    return cached


def ministry_of(gaz: Gazetteer, side: str, noun: str) -> Entity:
    """Return the ministry of a side, by the noun that names it ("foreign ministry").

    The gazetteer's institution when it has one, else one named after the side's adjective
    ("Omani Foreign Ministry").
    """
    noun = " ".join(w.lower() for w in noun.split()).replace("defense", "defence")
    for entity in gaz.entities.values():
        if entity.kind == "institution" and entity.side == side and noun in entity.heads:
            return entity
    s = gaz.sides.get(side)
    adjective = s.adjectives[0] if s is not None and s.adjectives else (s.name if s else side)
    name = f"{adjective} {noun.title()}"
    return Entity(f"institution:{name}", name, "institution", side, heads=("ministry", noun))


def _possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s")


def _side_in(mentions: list[Mention], start: int, end: int) -> str | None:
    for m in mentions:
        if (
            m.start >= start
            and m.end <= end
            and m.side
            and m.kind
            in (
                "side",
                "place",
                "institution",
                "military",
                "person",
            )
        ):
            return m.side if m.kind != "place" or m.entity is None else m.entity.side
    return None


def find_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Return the mentions of one sentence, in order, without overlaps (see the module)."""
    found: list[Mention] = []
    for start, end, entity, adjective in gaz.find(text):
        kind = entity.kind
        found.append(
            Mention(
                start,
                end,
                text[start:end],
                kind,
                entity,
                entity.side if kind != "place" else (entity.capital_of or entity.side),
                adjective=adjective,
                possessive=_possessive(text, end),
            )
        )
    known = list(found)
    owners, force_pattern = _owners(gaz)
    for m in _MINISTRY.finditer(text):
        owner = next(
            (
                k
                for k in known
                if k.kind == "side"
                and (k.adjective or k.possessive)
                and 0 <= m.start() - k.end <= 3
            ),
            None,
        )
        if owner is None or owner.side is None:
            continue
        entity = ministry_of(gaz, owner.side, m.group("noun"))
        found.append(
            Mention(
                owner.start, m.end(), text[owner.start : m.end()], "ministry", entity, owner.side
            )
        )
    for m in force_pattern.finditer(text):
        owner_word = m.group("owner").replace("’", "'")
        side = owners.get(owner_word)
        pronoun = owner_word.lower() if side is None else None
        if pronoun is None and m.group("mods").strip()[:1].isupper():
            continue
        force = gaz.sides[side].forces if side in gaz.sides else None
        found.append(Mention(m.start(), m.end(), m.group(0), "force", force, side, head=pronoun))
    for m in _TITLED.finditer(text):
        name = m.group("name")
        if name.split()[0] in _NOT_NAMES:
            continue
        n_start = m.start("name")
        if any(k.start < m.end("name") and k.end > n_start and k.kind == "person" for k in known):
            continue
        side = _side_in(known, m.start(), n_start)
        entity = Entity(f"person:{name}", name, "person", side, role=m.group("title").strip())
        found.append(Mention(n_start, m.end("name"), name, "titled", entity, side))
    for m in _APPOSED.finditer(text):
        name = m.group("name")
        if name.split()[0] in _NOT_NAMES:
            continue
        if any(k.start < m.end("name") and k.end > m.start("name") for k in known):
            continue
        side = _side_in(known, m.start("title"), m.end("title"))
        entity = Entity(f"person:{name}", name, "person", side, role=m.group("title").strip())
        found.append(Mention(m.start("name"), m.end("name"), name, "titled", entity, side))
    for m in _SOURCES.finditer(text):
        body = m.group("body")
        side = _side_in(known, m.start("body"), m.end("body"))
        first = body.split()[0]
        label = body[0].lower() + body[1:] if first.lower() in _COMMON else body
        if m.group("det") and m.group("det").strip().lower() in (
            "two",
            "three",
            "several",
            "some",
            "other",
        ):
            label = f"{m.group('det').strip().lower()} {label}"
        entity = Entity(f"source:{label}", label, "source", side)
        found.append(Mention(m.start(), m.end(), m.group(0), "source", entity, side))
    for m in _GENERIC.finditer(text):
        head = m.group("head").lower()
        found.append(
            Mention(
                m.start(),
                m.end(),
                m.group(0),
                "generic",
                None,
                None,
                head=f"{m.group('det').lower()} {head}",
            )
        )
    found.extend(
        Mention(m.start(), m.end(), m.group(0), "pronoun", None, None, head=m.group("p").lower())
        for m in _PRONOUN.finditer(text)
    )
    for pattern in _PLACE_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group("place")
            if name.split()[0] in _NOT_NAMES:
                continue
            s, e = m.start("place"), m.end("place")
            inner = [k for k in known if k.start < e and k.end > s]
            if inner:
                continue
            entity = Entity(f"place:{name}", name, "place", None, speaks=False)
            found.append(Mention(s, e, name, "place-pattern", entity, None))
    return _without_overlaps(found)


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep, among overlapping mentions, the one of higher precedence (then the longer)."""
    ranked = sorted(found, key=lambda m: (_PRIORITY.get(m.kind, 9), -(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in ranked:
        if any(m.start < k.end and k.start < m.end for k in kept):
            if m.kind in ("force", "source") and m.entity is not None:
                # a force or a source absorbs the side adjective it starts with ("Russian
                # troops", "Ukrainian officials")
                clash = [k for k in kept if m.start < k.end and k.start < m.end]
                inside = all(m.start <= k.start and k.end <= m.end for k in clash)
                if all(
                    k.kind == "side"
                    and (k.adjective or k.possessive or (m.kind == "source" and inside))
                    for k in clash
                ):
                    kept = [k for k in kept if k not in clash]
                    kept.append(m)
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    renamed = {"titled": "person", "place-pattern": "place", "ministry": "institution"}
    return [replace(m, kind=renamed[m.kind]) if m.kind in renamed else m for m in kept]
