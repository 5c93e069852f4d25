"""What kind of event a sentence reports: the triggers of each kind, and claims split apart.

Kinds (:func:`units`):

``battlefield-claim``
    A past or present military predicate in the reported part of the sentence: an
    interception ("shot down", "intercepted"), a strike ("struck", "attacked", "launched ...
    drones", "shelling"), a territorial claim ("captured", "took control of", "liberated",
    "advanced into"), casualties or losses ("killed", "wounded", "lost ... servicemen"),
    fighting ("186 combat clashes"). A predicate after a modal or "to" ("would strike", "ready
    to attack") or in a condition ("if Russia stopped its strikes") is not a claim. Predicates of different categories joined in one sentence are
    separate claims ("struck ..., claiming control of ..."), except that casualties belong to
    the strike that caused them ("a missile struck ..., killing five").
``diplomatic-event``
    A meeting, call, round of talks, visit, trip or summit ("talks in Berlin", "met", "will
    travel to Washington", "spoke by phone") with a place, a party or a date near the trigger
    in its clause ("ready to engage in detailed talks" is not an event; nor are talks in
    general, negated or conditional: "any talks", "no basis for a meeting", "if the talks").
``proposal``
    An offer, demand, condition or release of terms in the reported part ("offered to", "called
    for", "is seeking", "submitted a revised plan", "ready to ... if", "must withdraw", "in
    exchange for"). Without a speaker the trigger must be a verb ("Kyiv's offer" mentioned by
    the publisher is not a new proposal).
``statement``
    What a speaker says that is none of these.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

CATEGORIES = ("interception", "strike", "territorial", "casualties", "fighting")

_PREDICATES: list[tuple[str, re.Pattern[str]]] = [
    (
        "interception",
        re.compile(
            r"\b(?:shot\s+down|shoot\s+down|shooting\s+down|downed|intercepted|intercepting|"
            r"neutrali[sz]ed|jammed|repelled|repulsed|(?:were|was)\s+(?:destroyed|intercepted)\s+over)\b",
            re.I,
        ),
    ),
    (
        "territorial",
        re.compile(
            r"\b(?:captured|capturing|(?:the\s+)?capture\s+of|took\s+(?:full\s+)?control|"
            r"taken\s+(?:full\s+)?control|(?:taking|claiming|claimed|seized|seizing|gained|gaining|established)\s+(?:full\s+)?control|"
            r"control\s+of\s+the\s+(?:village|town|city|settlement)|seized|seizing|\"?liberated\"?|"
            r"liberation\s+of|advanced\s+(?:into|on|towards?|to)|advancing\s+(?:into|on|towards?)|"
            r"pushing\s+deeper|pushed\s+deeper|pushed\s+into|retook|recaptured|entered\s+the\s+(?:village|town|city)|"
            r"(?:took|taken)\s+(?:[\w-]+\s+){0,3}?(?:settlements?|villages?|towns?|positions)|"
            r"(?:has|have|had)\s+withdrawn|withdrew\s+(?:from|to)|gained\s+ground|broke\s+through)\b",
            re.I,
        ),
    ),
    (
        "casualties",
        re.compile(
            r"\b(?:killed|killing|kills|dead|died|wounded|wounding|injured|injuring|hurt|"
            r"casualties|death\s+toll|(?:has|have|had)\s+lost|lost\s+(?:up\s+to|about|more\s+than|nearly|over|some)?\s*[\d,.]+|"
            r"losses)\b",
            re.I,
        ),
    ),
    (
        "strike",
        re.compile(
            r"\b(?:struck|strikes?\s+(?:on|against|at)|hit|hitting|attacked|attacking|attacks?\s+on|"
            r"shelled|shelling|bombed|bombing|opened\s+fire|targeted|"
            r"launched\s+(?:[\w,-]+\s+){0,5}?(?:drones?|missiles?|rockets?|bombs?|attacks?|strikes?|offensive|assault)|"
            r"fired\s+(?:at|on|upon|(?:[\w,-]+\s+){0,4}?(?:missiles?|rockets?|shells|drones?))|"
            r"delivered\s+(?:a|an)\s+[\w -]*?strike|carried\s+out\s+[\w -]*?strikes?|"
            r"air\s*strikes?|drone\s+attack|missile\s+attack|missile\s+strike|destroyed|destroying|"
            r"set\s+fire)\b",
            re.I,
        ),
    ),
    (
        "fighting",
        re.compile(r"\b\d[\d,]*\s+(?:combat\s+)?(?:clashes|engagements|assaults|attacks)\b", re.I),
    ),
]
_INTERCEPTED_THINGS = re.compile(
    r"\b(?:drones?|missiles?|bombs?|rockets?|UAVs?|aircraft|boats?)\b", re.I
)
_NOT_A_CLAIM = re.compile(
    r"\b(?:would|could|might|may|will|shall|to|if|not|never|threatened\s+to|plans?\s+to|ready\s+to|"
    r"can|cannot|should|must)\s+(?:\w+\s+){0,1}$",
    re.I,
)

_NOT_AN_ATTACK = re.compile(
    r"\b(?:deal|agreement|accord|bargain|compromise|truce|ceasefire)\s+(?:was\s+|had\s+been\s+)?struck\b"
    r"|\bstr(?:uck|ike|iking)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:deal|agreement|accord|bargain|compromise|"
    r"balance|tone)\b"
    r"|\bbodies\s+of\s+(?:[\d,]+\s+|\w+\s+){0,3}killed\b",
    re.I,
)
"""Words around a strike or casualty predicate that make it no claim (a deal, repatriated dead)."""

_CONDITIONAL = re.compile(r"\b(?:if|unless|until|once|whether)\b[^,;.]*$", re.I)

DIPLOMATIC = re.compile(
    r"\b(?:talks|meeting|meetings|met|meet|meets|summit|negotiations|round\s+of\s+(?:talks|negotiations)|"
    r"(?:tele)?phone\s+(?:call|conversation)|spoke\s+(?:by|on\s+the|over\s+the)\s+(?:tele)?phone|"
    r"spoke\s+(?:\w+\s+){0,2}?with|held\s+talks|"
    r"call\s+with|video\s+call|video\s+conference|(?<!news\s)(?<!press\s)conference|visit|visited|visits|visiting|trip|"
    r"travel(?:led|ed|s|ling)?\s+to|arrived\s+in|arrives\s+in|has\s+arrived|host|hosted|hosts|hosting|"
    r"receive[sd]?\s+the\s+envoy|brief(?:ed)?\s+(?:[A-Z]\w+\s+)?officials|initial(?:l)?ed|"
    r"signed\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:agreement|deal|accord|treaty|declaration)|"
    r"gather(?:ed)?\s+in|address\s+the\s+summit|endorsed\s+(?:a|an|the)\s+[\w.\s-]*?plan|"
    # calls: "told Putin by phone", "spoke over a hotline" (not "told reporters by phone")
    r"(?<!reporters\s)(?<!journalists\s)by\s+(?:tele)?phone|over\s+(?:a|the)\s+hotline|"
    # exchanges: "a prisoner exchange", "exchanged 157 prisoners", "swap of bodies"
    r"(?:prisoner|POW|captive)s?(?:-of-war)?\s+(?:exchange|swap)|"
    r"(?:exchang|swapp?)(?:e|ed|es|ing)?\s+(?:of\s+)?(?:[\w,]+\s+){0,3}?(?:prisoners|POWs|captives|"
    r"detainees|bodies))\b",
    re.I,
)
_MEETING_VERBS = re.compile(
    r"\b(?:met|meet|meets|spoke|travel\w*|visit\w*|arrived|arrives|has\s+arrived|hosted|host|hosts|"
    r"hosting|initial\w*|signed|gather\w*|held|hold|holds|wrapped\s+up|address|brief\w*|receive\w*|"
    r"attend\w*|endorsed|told|exchang\w*|swap\w*|carried\s+out)\b",
    re.I,
)
PROPOSAL_VERBS = re.compile(
    r"\b(?:offer(?:ed|ing|s)?\s+(?:on\s+\w+\s+|again\s+|also\s+|publicly\s+)?to|offer(?:ed|ing|s)?\s+(?:a|an|the|its|their)|propos(?:ed|es|ing)|"
    r"demand(?:ed|s|ing)?\s+(?:that|the|a|an|to)|call(?:ed|s|ing)?\s+for|insist(?:ed|s|ing)?\s+(?:that|on)|"
    r"seek(?:s|ing)?\b|sought|want(?:s|ed)?\s+(?:a|an|the|to)|submit(?:ted|s)?|"
    r"sent\s+(?:\w+\s+){0,2}(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}(?:plan|proposal|framework|draft|document|text|offer)|"
    r"put\s+forward|present(?:ed|s)?\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,4}?(?:plan|proposal|framework|draft|version)|"
    r"unveil(?:ed|s)?|agreed\s+(?:on\s+\w+\s+)?to|agree\s+to|(?:is|are|was|were|be|stands?)\s+ready\s+(?:to|for)|ready\s+to\s+(?:put|send|hold|discuss|host|meet|sign)|"
    r"willing(?:ness)?\s+to|prepared\s+to|in\s+exchange\s+for|in\s+return\s+for|"
    r"only\s+(?:if|after|when|once)|unless|on\s+condition|provided\s+that|"
    r"must\s+(?:first\s+)?(?:withdraw|leave|give\s+up|accept|agree|stop|recogni[sz]e|renounce|pull|address|take|be)|"
    r"would\s+have\s+to|will\s+(?:not\s+)?(?:block|veto)|would\s+(?:not\s+)?(?:block|veto|keep|remain|decide|not\s+disarm|not\s+hand)|"
    r"will\s+not\s+(?:accept|disarm)|would\s+not\s+accept|"
    r"set\s+aside|give\s+up|drop(?:ped)?\s+(?:its|their|the)\s+(?:demand|bid|claim)|"
    r"could\s+be\s+stationed|could\s+form|would\s+deploy|pressing\s+(?:both\s+sides|\w+)\s+to|urged?\s+\w+\s+to)\b",
    re.I,
)
PROPOSAL_NOUNS = re.compile(
    r"\b(?:proposal|counter-?proposal|peace\s+plan|plan|framework|offer|terms|conditions|demands?|"
    r"ultimatum|concession|guarantees?)\b",
    re.I,
)
_INTRO = re.compile(
    r"^(?:Ahead\s+of|Before|After|Following|During|On\s+the\s+sidelines\s+of|At|Amid|As|While|"
    r"Despite|Since)\b[^,]*,",
)


@dataclass(frozen=True)
class Unit:
    """One event a sentence reports.

    Attributes
    ----------
    kind
        ``battlefield-claim``, ``diplomatic-event``, ``proposal`` or ``statement``.
    start, end
        The part of the sentence it rests on (a claim's clause; the trigger's neighbourhood).
    trigger
        The span of the words that made it (the predicate, the meeting noun...).
    category
        For a claim: ``interception``, ``strike``, ``territorial``, ``casualties`` or
        ``fighting``.
    """

    kind: str
    start: int
    end: int
    trigger: tuple[int, int]
    category: str | None = None


def predicates(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The battlefield predicates in ``text[start:end]``: ``(start, end, category)``."""
    found: list[tuple[int, int, str]] = []
    part = text[start:end]
    for category, pattern in _PREDICATES:
        for m in pattern.finditer(part):
            s, e = start + m.start(), start + m.end()
            if any(s < b and a < e for a, b, _ in found):
                continue
            if _NOT_A_CLAIM.search(text[max(0, s - 40) : s]) and category != "fighting":
                continue
            if re.search(
                r"\b(?:[Nn]o|[Nn]one|[Ww]ithout)\s+(?:\w+\s+){0,1}$", text[max(0, s - 25) : s]
            ):
                continue  # "No casualties were reported", "no one was hurt": nothing happened
            if _NOT_AN_ATTACK.search(text[max(0, s - 30) : e + 25]):
                continue  # "a deal struck at talks", "the bodies of soldiers killed in combat"
            if _CONDITIONAL.search(text[:s]):
                continue  # "if Russia stopped its strikes on ...": a condition, not a claim
            cat = category
            if (
                category == "strike"
                and m.group(0).lower().startswith("destroy")
                and _INTERCEPTED_THINGS.search(text[e : e + 60].split(".")[0])
                and re.search(r"\b(?:air\s+defen|intercept|shot\s+down)", text, re.I)
            ):
                cat = "interception"
            found.append((s, e, cat))
    found.sort()
    return found


def claim_units(text: str, start: int, end: int) -> list[Unit]:
    """The battlefield claims in ``text[start:end]``, split by category (see the module)."""
    preds = predicates(text, start, end)
    if not preds:
        return []
    groups: list[list[tuple[int, int, str]]] = []
    for p in preds:
        if groups:
            last = groups[-1][-1][2]
            cats = {q[2] for q in groups[-1]}
            same = p[2] == last or p[2] in cats
            merge = {p[2], last} <= {"strike", "casualties"} or (
                p[2] == "casualties" and "strike" in cats
            )
            if same or merge:
                groups[-1].append(p)
                continue
        groups.append([p])
    units: list[Unit] = []
    bounds = [start]
    for a, b in itertools.pairwise(groups):
        left, right = a[-1][1], b[0][0]
        between = text[left:right]
        cut = max(
            (
                m.start()
                for m in re.finditer(r",|;|\band\b|\bwhile\b|\bas\b|\bof\s+which\b", between)
            ),
            default=None,
        )
        bounds.append(left + cut if cut is not None else right)
    bounds.append(end)
    for i, group in enumerate(groups):
        category = group[0][2]
        if any(p[2] == "strike" for p in group):
            category = "strike"
        units.append(
            Unit(
                "battlefield-claim", bounds[i], bounds[i + 1], (group[0][0], group[-1][1]), category
            )
        )
    return units


def diplomatic_trigger(text: str, qualifiers: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first meeting trigger with a place, party or date near it (in its clause).

    Near: six words before the trigger, twelve after ("met ... at a meeting of the ceasefire
    monitoring committee in the border town of Naqoura").

    "any talks", "such talks", "future talks" speak of talks in general, not of an event.
    """
    for m in DIPLOMATIC.finditer(text):
        s, e = m.start(), m.end()
        if re.search(
            r"\b(?:any|such|future|possible|further|more)\s+(?:\w+\s+)?$",
            text[max(0, s - 25) : s],
            re.I,
        ):
            continue
        if re.search(
            r"\b(?:no|not|never|without|against|refus\w*|rul\w+\s+out|reject\w*)\s+(?:\w+\s+){0,3}$"
            r"|\b(?:if|unless|whether|until)\s+(?:the\s+)?$",
            text[max(0, s - 40) : s],
            re.I,
        ):
            continue
        window_start = _word_offset(text, s, -6)
        window_end = _word_offset(text, e, 12)
        # the window stays in the trigger's clause
        comma_before = max(text.rfind(",", 0, s), text.rfind(";", 0, s))
        window_start = max(window_start, comma_before + 1)
        comma_after = [i for i in (text.find(",", e), text.find(";", e)) if i >= 0]
        if comma_after:
            window_end = min(window_end, min(comma_after))
        if any(window_start <= a and b <= window_end for a, b in qualifiers):
            return (s, e)
    return None


def _word_offset(text: str, pos: int, words: int) -> int:
    if words < 0:
        before = text[:pos]
        spans = [m.start() for m in re.finditer(r"\S+", before)]
        return spans[words] if len(spans) >= -words else 0
    after = [m.end() for m in re.finditer(r"\S+", text[pos:])]
    return pos + after[words - 1] if len(after) >= words else len(text)


def is_meeting_verb(text: str, trigger: tuple[int, int]) -> bool:
    """Whether the trigger is (or sits next to) a verb of meeting, not only a noun."""
    s, e = trigger
    return bool(_MEETING_VERBS.search(text[max(0, s - 20) : e + 2]))


def intro_end(text: str) -> int:
    """The end of an introductory phrase ("Ahead of talks in Berlin with ..., X said"), or 0."""
    m = _INTRO.match(text)
    if not m:
        return 0
    end = m.end()
    # a relative clause after the phrase ("..., who are advocating a plan, Zelenskyy said")
    rel = re.match(r"\s*(?:who|which|where)\b[^,]*,", text[end:])
    return end + rel.end() if rel else end


def proposal_trigger(text: str, start: int, end: int, *, nouns: bool) -> tuple[int, int] | None:
    """The first proposal trigger in ``text[start:end]`` (verbs; nouns too when allowed)."""
    part = text[start:end]
    m = PROPOSAL_VERBS.search(part)
    if m:
        return (start + m.start(), start + m.end())
    if nouns:
        n = PROPOSAL_NOUNS.search(part)
        if n:
            return (start + n.start(), start + n.end())
    return None
