"""What changed between two versions of a scenario, and between their analyses (pure; no database).

:func:`scenario_changes` compares two validated scenarios in their own terms: the proposals
(added, removed, their terms issue by issue, dates, proposers), the events and reactions, the
sources, the parties, the issues and their options, every assumption with its old and new value
(weights, values and walk-away points, with their ranges, named by their path as
:func:`zopa.robust.sampling.number_sites` names them and labelled as the assumption explorer
labels them), and the edits to the basis texts.

:func:`result_changes` compares two ``analyze`` documents (:meth:`zopa.results.Analysis.to_dict`):
who accepts each proposal (flips and utility changes), whether each proposal bridges the gap,
the zone's existence, size and margin, and the Nash package issue by issue.

Both return :class:`Change` records; :class:`zopa.results.Diff` renders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.model.numbers import Uncertain
    from zopa.model.scenario import Scenario
    from zopa.robust.sampling import NumberSite

TOLERANCE = 1e-9
"""Two numbers closer than this are the same number."""

SECTIONS = (
    "scenario",
    "parties",
    "issues",
    "options",
    "sources",
    "proposals",
    "events",
    "reactions",
    "assumptions",
    "basis",
    "sections",
)
"""The sections of :func:`scenario_changes`, in the order a report lists them."""

RESULT_SECTIONS = ("proposals", "acceptance", "zone", "nash")
"""The sections of :func:`result_changes`, in order."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions.

    Attributes
    ----------
    section
        What part it concerns: one of :data:`SECTIONS` (scenario changes) or
        :data:`RESULT_SECTIONS` (result changes).
    kind
        ``added``, ``removed`` or ``changed``.
    key
        The thing changed, by id or path, e.g. ``kyiv-2025-12-14.terms.nato``,
        ``preferences.RU.reservation``, ``zopa.margin``.
    label
        The same for a reader, e.g. ``RU walk-away``.
    old, new
        The values before and after (JSON-ready; None for what did not exist).
    note
        Anything more, e.g. the change of a number (``+0.050``) or an acceptance flip.
    """

    section: str
    kind: str
    key: str
    label: str
    old: Any = None
    new: Any = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "section": self.section,
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }


# -- formatting values -------------------------------------------------------------------------


def fmt_number(x: float) -> str:
    """A number as a scenario file would write it (``0.45``, ``600``)."""
    from zopa.model.scenario import format_number

    return format_number(x)


def number_value(number: float | Uncertain) -> dict[str, float | None]:
    """A possibly uncertain number as data: point, and low, high and mode when it has a range."""
    from zopa.model.numbers import Uncertain

    if isinstance(number, Uncertain):
        return {"point": number.point, "low": number.low, "high": number.high, "mode": number.mode}
    return {"point": float(number), "low": None, "high": None, "mode": None}


def shown(value: Any) -> str:
    """A value of a :class:`Change` as a short text (``—`` for none)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return fmt_number(float(value))
    if isinstance(value, Mapping) and "point" in value:
        text = fmt_number(float(value["point"]))
        if value.get("low") is not None:
            text += f" ({fmt_number(float(value['low']))}–{fmt_number(float(value['high']))})"
        return text
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or "none"
    return str(value)


def _delta(old: float, new: float) -> str:
    return f"{new - old:+.3f}"


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > TOLERANCE


# -- the scenario ------------------------------------------------------------------------------


def _dump(model: Any) -> Any:
    """A pydantic model (or a value) as comparable JSON data."""
    return (
        model.model_dump(mode="json", exclude_none=True) if hasattr(model, "model_dump") else model
    )


def _added_removed(
    section: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    describe: Any,
    prefix: str = "",
) -> tuple[list[Change], list[str]]:
    """Added and removed entries of two id-keyed mappings, and the ids in both (in new's order)."""
    out = [
        Change(section, "removed", prefix + key, key, old=describe(old[key]))
        for key in old
        if key not in new
    ]
    out.extend(
        Change(section, "added", prefix + key, key, new=describe(new[key]))
        for key in new
        if key not in old
    )
    return out, [k for k in new if k in old]


def _field_changes(
    section: str, key: str, label: str, old: Any, new: Any, fields: Iterable[str]
) -> Iterator[Change]:
    """Changed fields of two versions of one entry (compared as JSON data)."""
    a, b = _dump(old), _dump(new)
    for name in fields:
        if a.get(name) != b.get(name):
            yield Change(
                section, "changed", f"{key}.{name}", f"{label} {name}", a.get(name), b.get(name)
            )


def _parties(old: Scenario, new: Scenario) -> list[Change]:
    out, both = _added_removed(
        "parties", old.parties, new.parties, lambda p: f"{p.name} ({p.role})"
    )
    for pid in both:
        out.extend(
            _field_changes(
                "parties", pid, pid, old.parties[pid], new.parties[pid], ("name", "role")
            )
        )
    return out


def _issues(old: Scenario, new: Scenario) -> tuple[list[Change], list[Change]]:
    issues, both = _added_removed("issues", old.issues, new.issues, lambda i: i.name)
    options: list[Change] = []
    for iid in both:
        a, b = old.issues[iid], new.issues[iid]
        issues.extend(
            _field_changes("issues", iid, iid, a, b, ("name", "consent", "if_silent", "range"))
        )
        if a.range is not None and b.range is not None:
            continue  # a numeric issue's options are its grid: the range change says it
        a_opts, b_opts = a.option_ids(), b.option_ids()
        for o in a_opts:
            if o not in b_opts:
                label = f"{iid}: {a.option_label(o)}"
                options.append(Change("options", "removed", f"{iid}.{o}", label, old=o))
        for o in b_opts:
            if o not in a_opts:
                label = f"{iid}: {b.option_label(o)}"
                options.append(Change("options", "added", f"{iid}.{o}", label, new=o))
        for o in b_opts:
            if o in a_opts and a.range is None and b.range is None:
                options.extend(
                    _field_changes(
                        "options",
                        f"{iid}.{o}",
                        f"{iid}={o}",
                        (a.options or {})[o],
                        (b.options or {})[o],
                        ("label", "consent"),
                    )
                )
    return issues, options


def _sources(old: Scenario, new: Scenario) -> list[Change]:
    def describe(src: Any) -> str:
        date = f", {src.date}" if src.date else ""
        return f"{src.publisher}: {src.title}{date}"

    out, both = _added_removed("sources", old.sources, new.sources, describe)
    for sid in both:
        out.extend(
            _field_changes(
                "sources",
                sid,
                sid,
                old.sources[sid],
                new.sources[sid],
                ("publisher", "title", "url", "date", "note"),
            )
        )
    return out


def _proposals(old: Scenario, new: Scenario) -> list[Change]:
    def describe(p: Any) -> str:
        return f"{p.title} ({'+'.join(p.by)}, {p.date})"

    out, both = _added_removed("proposals", old.proposals, new.proposals, describe)
    for pid in both:
        a, b = old.proposals[pid], new.proposals[pid]
        out.extend(
            _field_changes("proposals", pid, pid, a, b, ("title", "by", "date", "kind", "source"))
        )
        for issue in [*a.terms, *(i for i in b.terms if i not in a.terms)]:
            ta, tb = a.terms.get(issue), b.terms.get(issue)
            oa = ta.option if ta is not None else None
            ob = tb.option if tb is not None else None
            if oa != ob:
                kind = "added" if oa is None else "removed" if ob is None else "changed"
                out.append(
                    Change("proposals", kind, f"{pid}.terms.{issue}", f"{pid}: {issue}", oa, ob)
                )
            elif ta is not None and tb is not None and _dump(ta) != _dump(tb):
                out.append(
                    Change(
                        "proposals",
                        "changed",
                        f"{pid}.terms.{issue}.source",
                        f"{pid}: {issue} (its source or note)",
                        _dump(ta),
                        _dump(tb),
                    )
                )
        if a.undecided != b.undecided:
            out.append(
                Change(
                    "proposals",
                    "changed",
                    f"{pid}.undecided",
                    f"{pid}: undecided issues",
                    list(a.undecided),
                    list(b.undecided),
                )
            )
    return out


def _listed(
    section: str, old: Sequence[Any], new: Sequence[Any], describe: Any
) -> Iterator[Change]:
    """Added and removed entries of two lists without ids (events, reactions), as a multiset."""
    a = [_dump(x) for x in old]
    b = [_dump(x) for x in new]
    left = list(b)
    for item, data in zip(old, a, strict=True):
        if data in left:
            left.remove(data)
        else:
            yield Change(section, "removed", describe(item), describe(item), old=data)
    right = list(a)
    for item, data in zip(new, b, strict=True):
        if data in right:
            right.remove(data)
        else:
            yield Change(section, "added", describe(item), describe(item), new=data)


def _event_label(e: Any) -> str:
    return f"{e.date} {e.kind}: {e.text}"


def _reaction_label(r: Any) -> str:
    return f"{r.date} {r.party} {r.stance} {r.proposal}"


def site_label(site: NumberSite) -> str:
    """A short name for a number of a scenario, as the assumption explorer names it.

    ``RU walk-away``, ``UA weight of nato``, ``UA value of nato=renounced-in-law``,
    ``UA value of army-cap at 600``; for the dynamics, ``RU cost_of_war`` and the like.
    """
    if site.kind == "reservation":
        return f"{site.party} walk-away"
    if site.kind == "weight":
        return f"{site.party} weight of {site.issue}"
    if site.kind == "value":
        where = f"={site.option}" if site.option is not None else f" at {site.x:g}"
        return f"{site.party} value of {site.issue}{where}"
    if site.kind == "shift":
        return f"{site.party} shift #{(site.index or 0) + 1}"
    return f"{site.party} {site.kind.replace('_', ' ')}"


def _assumptions(old: Scenario, new: Scenario) -> list[Change]:
    from zopa.robust.sampling import number_sites

    a = {site.path: site for site in number_sites(old)}
    b = {site.path: site for site in number_sites(new)}
    out: list[Change] = []
    for path, site in a.items():
        if path not in b:
            out.append(
                Change("assumptions", "removed", path, site_label(site), number_value(site.number))
            )
    for path, site in b.items():
        if path not in a:
            out.append(
                Change(
                    "assumptions", "added", path, site_label(site), new=number_value(site.number)
                )
            )
            continue
        va, vb = number_value(a[path].number), number_value(site.number)
        if any(_none_or_differs(va[k], vb[k]) for k in va):
            note = _delta(float(va["point"] or 0), float(vb["point"] or 0))
            if not _differs(float(va["point"] or 0), float(vb["point"] or 0)):
                note = "range only"
            out.append(Change("assumptions", "changed", path, site_label(site), va, vb, note))
    return out


def _none_or_differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return _differs(a, b)


def _basis_texts(basis: str | Mapping[str, str]) -> dict[str, str]:
    return {"basis": basis} if isinstance(basis, str) else dict(basis)


def _basis(old: Scenario, new: Scenario) -> list[Change]:
    out: list[Change] = []
    for party in new.preferences:
        if party not in old.preferences:
            continue
        a = _basis_texts(old.preferences[party].basis)
        b = _basis_texts(new.preferences[party].basis)
        for key in [*a, *(k for k in b if k not in a)]:
            ta, tb = a.get(key), b.get(key)
            if ta == tb:
                continue
            kind = "added" if ta is None else "removed" if tb is None else "changed"
            path = f"preferences.{party}.basis" + ("" if key == "basis" else f".{key}")
            label = f"{party} basis" + ("" if key == "basis" else f" ({key})")
            out.append(Change("basis", kind, path, label, ta, tb))
    return out


def _sections(old: Scenario, new: Scenario) -> list[Change]:
    """The strategic, forecast, dynamics and outcome sections, each as a whole."""
    out: list[Change] = []
    for name in ("strategic", "forecast", "dynamics", "outcome"):
        a, b = getattr(old, name), getattr(new, name)
        if a is None and b is None:
            continue
        da = _dump(a) if not isinstance(a, dict) else {k: _dump(v) for k, v in a.items()}
        db = _dump(b) if not isinstance(b, dict) else {k: _dump(v) for k, v in b.items()}
        if da == db:
            continue
        kind = "added" if a is None else "removed" if b is None else "changed"
        out.append(Change("sections", kind, name, f"the {name} section", note="see the file"))
    return out


def _top(old: Scenario, new: Scenario) -> list[Change]:
    out: list[Change] = []
    for name in ("id", "title", "as_of", "description"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(
                Change(
                    "scenario",
                    "changed",
                    name,
                    name,
                    None if a is None else str(a),
                    None if b is None else str(b),
                )
            )
    return out


def scenario_changes(old: Scenario, new: Scenario) -> list[Change]:
    """What changed from one version of a scenario to another, in the scenario's own terms.

    Parameters
    ----------
    old, new
        Two validated scenarios (usually two versions of one).

    Returns
    -------
    list of Change
        In the order of :data:`SECTIONS`: the title and date, parties, issues, options,
        sources, proposals (terms issue by issue, with the old and new option), events,
        reactions, assumptions (every preference and dynamics number whose point or range
        changed, with both values; point values without a range too), basis texts, and the
        strategic, forecast, dynamics and outcome sections as a whole. Empty when nothing changed.
    """
    issues, options = _issues(old, new)
    return [
        *_top(old, new),
        *_parties(old, new),
        *issues,
        *options,
        *_sources(old, new),
        *_proposals(old, new),
        *_listed("events", old.events, new.events, _event_label),
        *_listed("reactions", old.reactions, new.reactions, _reaction_label),
        *_assumptions(old, new),
        *_basis(old, new),
        *_sections(old, new),
    ]


# -- the results -------------------------------------------------------------------------------


def _by_id(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(p["id"]): p for p in items}


def _acceptance(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    a, b = _by_id(old.get("proposals", [])), _by_id(new.get("proposals", []))
    out = [
        Change("proposals", "removed", pid, pid, old=_verdict(a[pid]), note="not analysed")
        for pid in a
        if pid not in b
    ]
    for pid, pb in b.items():
        pa = a.get(pid)
        if pa is None:
            out.append(Change("proposals", "added", pid, pid, new=_verdict(pb), note="new"))
            continue
        if bool(pa.get("bridges")) != bool(pb.get("bridges")):
            out.append(
                Change(
                    "proposals",
                    "changed",
                    f"{pid}.bridges",
                    f"{pid} bridges the gap",
                    bool(pa.get("bridges")),
                    bool(pb.get("bridges")),
                    "now bridges" if pb.get("bridges") else "no longer bridges",
                )
            )
        parties_a, parties_b = pa.get("parties", {}), pb.get("parties", {})
        for party, vb in parties_b.items():
            va = parties_a.get(party)
            if va is None:
                continue
            acc_a, acc_b = bool(va.get("accepted")), bool(vb.get("accepted"))
            ua, ub = float(va.get("utility", 0.0)), float(vb.get("utility", 0.0))
            rb = float(vb.get("reservation", 0.0))
            if acc_a != acc_b:
                out.append(
                    Change(
                        "acceptance",
                        "changed",
                        f"{pid}.{party}.accepted",
                        f"{party} on {pid}",
                        "accepts" if acc_a else "rejects",
                        "accepts" if acc_b else "rejects",
                        f"now {'accepts' if acc_b else 'rejects'} "
                        f"(utility {fmt_number(ub)} vs walk-away {fmt_number(rb)})",
                    )
                )
            elif _differs(ua, ub):  # a walk-away point's change is a scenario change
                note = f"utility {_delta(ua, ub)}"
                out.append(
                    Change(
                        "acceptance",
                        "changed",
                        f"{pid}.{party}.utility",
                        f"{party} on {pid}",
                        ua,
                        ub,
                        f"{note}; still {'accepts' if acc_b else 'rejects'}",
                    )
                )
    return out


def _verdict(p: Mapping[str, Any]) -> str:
    parties = p.get("parties", {})
    accepting = [k for k, v in parties.items() if v.get("accepted")]
    bridges = "bridges" if p.get("bridges") else "does not bridge"
    return f"{bridges}; accepted by {', '.join(accepting) or 'none'}"


def _zone(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    a, b = old.get("zopa") or {}, new.get("zopa") or {}
    out: list[Change] = []
    if bool(a.get("exists")) != bool(b.get("exists")):
        out.append(
            Change(
                "zone",
                "changed",
                "zopa.exists",
                "a zone of agreement exists",
                bool(a.get("exists")),
                bool(b.get("exists")),
                "the zone opened" if b.get("exists") else "the zone closed",
            )
        )
    ma, mb = a.get("margin"), b.get("margin")
    if ma is not None and mb is not None and _differs(float(ma), float(mb)):
        out.append(
            Change("zone", "changed", "zopa.margin", "the zone's margin", ma, mb, _delta(ma, mb))
        )
    elif (ma is None) != (mb is None):
        out.append(Change("zone", "changed", "zopa.margin", "the zone's margin", ma, mb))
    sa, sb = a.get("size"), b.get("size")
    if sa is not None and sb is not None and sa != sb:
        ta, tb = a.get("total"), b.get("total")
        note = f"{int(sb) - int(sa):+,} packages"
        if ta != tb:
            note += f" (of {shown(ta)} → {shown(tb)})"
        out.append(Change("zone", "changed", "zopa.size", "packages in the zone", sa, sb, note))
    return out


def _nash(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    a = ((old.get("solutions") or {}).get("nash") or {}).get("package")
    b = ((new.get("solutions") or {}).get("nash") or {}).get("package")
    if a is None and b is None:
        return []
    if a is None or b is None:
        kind = "added" if a is None else "removed"
        return [
            Change("nash", kind, "nash", "the Nash package", a, b, "no zone" if b is None else "")
        ]
    return [
        Change("nash", "changed", f"nash.{issue}", issue, a.get(issue), b.get(issue))
        for issue in [*a, *(i for i in b if i not in a)]
        if a.get(issue) != b.get(issue)
    ]


def result_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """What changed between two analyses (``analyze`` JSON documents) of a scenario.

    Parameters
    ----------
    old, new
        :meth:`zopa.results.Analysis.to_dict` of the two versions (fresh or stored).

    Returns
    -------
    list of Change
        Proposals analysed in only one; for each proposal in both, whether it bridges the gap
        (a flip), and per party an acceptance flip (``accepts`` → ``rejects``) or, when the
        verdict holds, the change of its utility; the zone's existence,
        margin and size; the Nash package issue by issue.
    """
    return [*_acceptance(old, new), *_zone(old, new), *_nash(old, new)]
