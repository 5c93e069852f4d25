"""The gazetteer: who and where a news report can name, and a fast matcher for the names.

The data ship with zopa (``gazetteer.yaml`` next to this module; its header documents the
format): sides (states, blocs, armed groups) with their names, adjectives and capital;
officials by name and title; institutions (ministries, general staffs, air forces...); places
with their variant spellings (Kyiv/Kiev, Kharkiv/Kharkov, Odesa/Odessa...). A scenario extends
it (:meth:`Gazetteer.extended`): each party's name and ``aliases`` become names of a side.

Names are matched on word tokens (:func:`tokens`), longest first, so "Russia's Defence
Ministry" is one institution and not the side "Russia" followed by other words; matching is a
dictionary look-up per token, so a 10,000-word report is matched in milliseconds.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_TOKEN = re.compile(r"\w+(?:[-.]\w+)*|['’]s\b|[^\w\s]")
_BRACES = re.compile(r"\{([^{}]*)\}")
_FORCE_SUFFIX = "forces"


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Cut text into word tokens: ``(start, end, form)``, the possessive ``'s`` its own token.

    Curly apostrophes are read as straight ones, so "Russia’s" and "Russia's" are the same
    tokens; "U.S." is the tokens ``U.S`` and ``.``.
    """
    return [(m.start(), m.end(), m.group(0).replace("’", "'")) for m in _TOKEN.finditer(text)]


def expand(name: str) -> list[str]:
    """Expand brace alternatives: ``"{A|B} C"`` → ``["A C", "B C"]``."""
    parts = _BRACES.split(name)
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return ["".join(combo).strip() for combo in itertools.product(*choices)]


@dataclass(frozen=True)
class Entity:
    """Someone or somewhere a report can name.

    Attributes
    ----------
    key
        Unique, e.g. ``side:UA``, ``person:Vladimir Putin``, ``place:Kyiv``.
    name
        The canonical name shown in the output (``Volodymyr Zelenskyy`` for Zelensky).
    kind
        ``side`` (a state, bloc, organisation or armed group), ``person``, ``institution``,
        ``military`` (a side's armed forces as a speaker: "the Israeli military said"),
        ``force`` (a side's forces as actors: "Russian forces struck"), ``place`` or
        ``source`` (an unnamed source: "regional officials").
    side
        The gazetteer id of the side it belongs to (``UA``, ``RU``...), None when none.
    speaks
        Whether it can make a statement or a claim (forces and places cannot).
    military
        Whether what it reports is military: "its air defences" are its side's forces.
    heads
        Common nouns that refer back to it ("the ministry", "the group").
    capital_of
        For a place that also stands for a government ("Moscow said"), that side.
    role
        A person's office, when known.
    """

    key: str
    name: str
    kind: str
    side: str | None = None
    speaks: bool = True
    military: bool = False
    heads: tuple[str, ...] = ()
    capital_of: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Side:
    """A side as the gazetteer describes it: the entities that stand for it."""

    id: str
    name: str
    kind: str
    adjectives: tuple[str, ...]
    entity: Entity
    forces: Entity
    military: Entity


@dataclass
class Gazetteer:
    """The names zopa knows, and the token index that finds them in a text.

    Use :func:`load_gazetteer` for the shipped data; :meth:`extended` adds a scenario's
    parties. Instances are not modified after construction.
    """

    sides: dict[str, Side] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    _index: dict[str, list[tuple[tuple[str, ...], Entity, bool]]] = field(default_factory=dict)
    _adjectives: dict[str, str] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- building -------------------------------------------------------------------------------
    def add_name(self, name: str, entity: Entity, *, adjective: bool = False) -> None:
        """Make ``name`` (braces expanded) a name of ``entity``."""
        self._cache.clear()
        self.entities.setdefault(entity.key, entity)
        for form in expand(name):
            words = tuple(t[2] for t in tokens(form))
            if not words:
                continue
            bucket = self._index.setdefault(words[0], [])
            if any(w == words and e.key == entity.key for w, e, _ in bucket):
                continue
            bucket.append((words, entity, adjective))
            bucket.sort(key=lambda item: -len(item[0]))
            if adjective:
                self._adjectives.setdefault(form, entity.side or "")

    def adjectives(self) -> dict[str, str]:
        """Return every form that modifies a noun for a side, with its side id.

        The side's adjectives ("Ukrainian") and the possessives of its names ("Ukraine's",
        "Moscow's").
        """
        if "adjectives" in self._cache:
            return dict(self._cache["adjectives"])
        found = dict(self._adjectives)
        for words_list in self._index.values():
            for words, entity, adjective in words_list:
                if adjective or (entity.kind != "side" and entity.capital_of is None):
                    continue
                side = entity.side if entity.kind == "side" else entity.capital_of
                if side and all(w[:1].isalnum() for w in words):
                    found.setdefault(" ".join(words) + "'s", side)
        self._cache["adjectives"] = found
        return dict(found)

    def side_of(self, side_id: str | None) -> Side | None:
        """The side of that id, None when unknown."""
        return self.sides.get(side_id) if side_id else None

    # -- matching -------------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, Entity, bool]]:
        """Find every known name in ``text``, longest match first, without overlaps.

        Returns
        -------
        list of (start, end, Entity, adjective)
            Character offsets in ``text``; ``adjective`` is True when the form matched is one
            of a side's adjectives ("Ukrainian").
        """
        toks = tokens(text)
        out: list[tuple[int, int, Entity, bool]] = []
        i = 0
        n = len(toks)
        while i < n:
            bucket = self._index.get(toks[i][2])
            hit = None
            if bucket:
                for words, entity, adjective in bucket:
                    k = len(words)
                    if i + k <= n and all(toks[i + j][2] == words[j] for j in range(1, k)):
                        # a name must not end inside a hyphenated word ("U.S.-led" is "U.S.")
                        hit = (toks[i][0], toks[i + k - 1][1], entity, adjective, k)
                        break
            if hit is None:
                i += 1
                continue
            out.append(hit[:4])
            i += hit[4]
        return out

    # -- scenario -------------------------------------------------------------------------------
    def extended(self, names: Mapping[str, Iterable[str]]) -> Gazetteer:
        """A copy that also knows a scenario's parties.

        Parameters
        ----------
        names
            Party id → its names (name and aliases). A name the gazetteer knows as a side (or
            a side's adjective, capital, person or institution) is left as it is (the linker
            maps that side to the party); an unknown name becomes a new side ``scenario:ID``.

        Returns
        -------
        Gazetteer
        """
        copy = Gazetteer(
            dict(self.sides),
            dict(self.entities),
            {k: list(v) for k, v in self._index.items()},
            dict(self._adjectives),
            {},
        )
        for party, forms in names.items():
            for form in forms:
                if copy.lookup(form) is not None:
                    continue
                side_id = f"scenario:{party}"
                entity = Entity(f"side:{side_id}", form, "side", side_id)
                if side_id not in copy.sides:
                    forces = Entity(
                        f"force:{side_id}", f"{form} forces", "force", side_id, speaks=False
                    )
                    copy.sides[side_id] = Side(side_id, form, "party", (), entity, forces, entity)
                copy.add_name(form, copy.sides[side_id].entity)
        return copy

    def lookup(self, name: str) -> Entity | None:
        """The entity a whole name stands for (None when it is not a known name)."""
        found = self.find(name)
        if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(name.strip()):
            return found[0][2]
        return None


def _side_entities(
    sid: str, spec: Mapping[str, Any]
) -> tuple[Side, list[tuple[str, Entity, bool]]]:
    name = str(spec["name"])
    kind = str(spec.get("kind", "state"))
    adjectives = tuple(str(a) for a in spec.get("adjectives", []))
    heads = tuple(str(h) for h in spec.get("heads", []))
    entity = Entity(f"side:{sid}", name, "side", sid, heads=heads)
    adjective = adjectives[0] if adjectives else name
    military_name = str(spec.get("military", f"{adjective} military"))
    default_forces = name if kind == "group" else f"{adjective} {_FORCE_SUFFIX}"
    forces_name = str(spec.get("forces", default_forces))
    if military_name == name:
        military = entity
    else:
        military = Entity(
            f"military:{sid}",
            military_name,
            "military",
            sid,
            military=True,
            heads=("military", "army", "armed forces"),
        )
    forces = Entity(f"force:{sid}", forces_name, "force", sid, speaks=False)
    names: list[tuple[str, Entity, bool]] = [(name, entity, False)]
    names += [(str(n), entity, False) for n in spec.get("names", [])]
    names += [(a, entity, True) for a in adjectives]
    if military is not entity:
        for owner in [f"{name}'s", *adjectives]:
            names += [(f"{owner} {{military|army|armed forces|Armed Forces}}", military, False)]
        names += [(str(n), military, False) for n in spec.get("military_names", [])]
        names.append((military.name, military, False))
    side = Side(sid, name, kind, adjectives, entity, forces, military)
    return side, names


def build_gazetteer(data: Mapping[str, Any]) -> Gazetteer:
    """Build a gazetteer from data in the form of ``gazetteer.yaml``."""
    g = Gazetteer()
    for sid, spec in (data.get("sides") or {}).items():
        side, names = _side_entities(str(sid), spec)
        g.sides[side.id] = side
        for form, entity, adjective in names:
            g.add_name(form, entity, adjective=adjective)
        g.entities.setdefault(side.forces.key, side.forces)
    for spec in data.get("people") or []:
        person = Entity(
            f"person:{spec['name']}",
            str(spec["name"]),
            "person",
            spec.get("side"),
            role=spec.get("role"),
        )
        for form in [spec["name"], *(spec.get("names") or [])]:
            g.add_name(str(form), person)
    for spec in data.get("institutions") or []:
        inst = Entity(
            f"institution:{spec['name']}",
            str(spec["name"]),
            "institution",
            spec.get("side"),
            military=bool(spec.get("military", False)),
            heads=tuple(str(h) for h in spec.get("heads", [])),
        )
        for form in [spec["name"], *(spec.get("names") or [])]:
            g.add_name(str(form), inst)
    listed = {str(spec["name"]) for spec in data.get("places") or []}
    for sid, spec in (data.get("sides") or {}).items():
        capital = spec.get("capital")
        if capital and str(capital) not in listed:
            place = Entity(
                f"place:{capital}",
                str(capital),
                "place",
                str(sid),
                speaks=False,
                capital_of=str(sid),
            )
            g.add_name(str(capital), place)
    for spec in data.get("places") or []:
        capital = bool(spec.get("capital", False))
        place = Entity(
            f"place:{spec['name']}",
            str(spec["name"]),
            "place",
            spec.get("side"),
            speaks=False,
            capital_of=spec.get("side") if capital else None,
        )
        for form in [spec["name"], *(spec.get("names") or [])]:
            g.add_name(str(form), place)
    return g


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Return the gazetteer shipped with zopa (read once per process)."""
    from zopa.io.yaml_tree import read_yaml

    text = (resources.files(__package__) / "gazetteer.yaml").read_text(encoding="utf-8")
    return build_gazetteer(read_yaml(text).data)
