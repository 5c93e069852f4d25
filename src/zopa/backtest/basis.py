"""Which preference numbers rest only on sources dated before the outcome.

Every number under ``preferences`` (a weight, an option's value, a walk-away point) is an analyst
assumption with a ``basis`` that cites sources as ``[source-id]``. For a backtest, a number
whose basis cites only sources published before the talks ended *could* have been set then; a
number whose basis cites a later source (a memoir, a post-mortem), an undated source, or no
source at all carries, or may carry, knowledge of the outcome.

Which text is a number's basis
------------------------------
``basis`` is one text for all of a party's numbers, or a mapping whose keys are ``general``,
``weights``, ``reservation`` or an issue id (:class:`zopa.model.scenario.Preferences`). A
weight's basis is the ``weights`` entry, a value's the entry of its issue, a walk-away point's
the ``reservation`` entry — each *together with* the ``general`` entry, which speaks for all of
the party's numbers. Taking the union is the cautious reading: a number counts as dated before
the outcome only when everything that may stand behind it is.

The rule
--------
``dated_before`` is true when the number's basis cites at least one source and every source it
cites has a ``date`` strictly before the outcome's date. Otherwise it is false, and
:attr:`NumberBasis.reason` says why: no source cited, a cited source without a date (its
publication cannot be placed before the outcome), or a cited source dated on or after the
outcome's date.

Nothing here computes an analysis: it reads the scenario's texts and dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zopa.model.base import cited_sources
from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import Piecewise

if TYPE_CHECKING:
    from collections.abc import Collection

    from zopa.model.scenario import Preferences, Scenario
    from zopa.robust.sampling import NumberSite


@dataclass(frozen=True)
class NumberBasis:
    """One preference number, the sources its basis cites, and whether they predate the outcome.

    Attributes
    ----------
    path
        The number's path, as the robust engine names its inputs (e.g.
        ``preferences.EG.weights.sinai``).
    party
        The party whose preferences it belongs to.
    kind
        ``weight``, ``value`` or ``reservation``.
    uncertain
        Whether it is written with a range (the robust engine samples it).
    sources
        The source ids its basis cites (its own entry, then the ``general`` one), in order,
        each once.
    dated_before
        Whether every cited source is dated before the outcome (and at least one is cited).
    reason
        Why (a short sentence).
    """

    path: str
    party: str
    kind: str
    uncertain: bool
    sources: tuple[str, ...]
    dated_before: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "path": self.path,
            "party": self.party,
            "kind": self.kind,
            "uncertain": self.uncertain,
            "sources": list(self.sources),
            "basis_dated_before_outcome": self.dated_before,
            "reason": self.reason,
        }


def basis_texts(prefs: Preferences, kind: str, issue: str | None) -> list[str]:
    """The basis texts that speak for one number: its own entry and the ``general`` one.

    Parameters
    ----------
    prefs
        The party's preferences.
    kind
        ``weight``, ``value`` or ``reservation``.
    issue
        The issue of a value.
    """
    basis = prefs.basis
    if isinstance(basis, str):
        return [basis]
    key = {"weight": "weights", "reservation": "reservation"}.get(kind, issue or "")
    return [basis[k] for k in (key, "general") if k in basis]


def _judge(scenario: Scenario, cited: list[str], before: dt.date) -> tuple[bool, str]:
    """Whether cited sources all predate ``before``, and why (see the module's rule)."""
    if not cited:
        return False, "its basis cites no source, so nothing dates it"
    undated = [sid for sid in cited if scenario.sources[sid].date is None]
    if undated:
        shown = ", ".join(f"[{sid}]" for sid in undated)
        return False, f"it cites {shown}, which has no date"
    later = [sid for sid in cited if (scenario.sources[sid].date or before) >= before]
    if later:
        sid = later[0]
        more = f" (and {len(later) - 1} more)" if len(later) > 1 else ""
        return False, (
            f"it cites [{sid}], dated {scenario.sources[sid].date}, not before the outcome{more}"
        )
    latest = max(scenario.sources[sid].date or before for sid in cited)
    return True, f"every source it cites is dated before the outcome (the latest {latest})"


def preference_sites(scenario: Scenario) -> list[NumberSite]:
    """The numbers under ``preferences`` (weights, values, walk-away points), in the robust order."""
    from zopa.robust.sampling import number_sites

    return [s for s in number_sites(scenario) if s.kind in ("weight", "value", "reservation")]


def number_bases(scenario: Scenario, outcome_date: dt.date) -> list[NumberBasis]:
    """Every preference number with the sources of its basis, judged against the outcome's date.

    Parameters
    ----------
    scenario
        A validated scenario (its bases cite only known sources).
    outcome_date
        The date the talks ended (agreed or broke down).

    Returns
    -------
    list of NumberBasis
        In the order of :func:`preference_sites`.
    """
    out = []
    for site in preference_sites(scenario):
        party = str(site.party)
        prefs = scenario.preferences[party]
        cited: list[str] = []
        for text in basis_texts(prefs, site.kind, site.issue):
            cited += [sid for sid in cited_sources(text) if sid not in cited]
        dated, reason = _judge(scenario, cited, outcome_date)
        out.append(
            NumberBasis(
                path=site.path,
                party=party,
                kind=site.kind,
                uncertain=isinstance(site.number, Uncertain),
                sources=tuple(cited),
                dated_before=dated,
                reason=reason,
            )
        )
    return out


def hold_at_point(scenario: Scenario, paths: Collection[str]) -> Scenario:
    """The scenario with the numbers at ``paths`` written as their point values (no range).

    What the robust engine then samples are the other uncertain numbers only; deterministic
    analyses are unchanged (they use the point values anyway). Nothing is validated again:
    only uncertain numbers become their own point values.

    Parameters
    ----------
    scenario
        A validated scenario.
    paths
        Paths of preference numbers (:func:`preference_sites`); others are ignored.
    """
    held = set(paths)
    if not held:
        return scenario
    by_party: dict[str, dict[str, Any]] = {}
    for site in preference_sites(scenario):
        if site.path in held and isinstance(site.number, Uncertain):
            by_party.setdefault(str(site.party), {})[site.path] = site
    if not by_party:
        return scenario
    preferences = dict(scenario.preferences)
    for party, sites in by_party.items():
        preferences[party] = _held(preferences[party], f"preferences.{party}", sites)
    return scenario.model_copy(update={"preferences": preferences})


def _held(prefs: Preferences, base: str, sites: dict[str, NumberSite]) -> Preferences:
    """One party's preferences with the numbers of ``sites`` at their point values."""

    def fixed(path: str, x: Any) -> Any:
        return point(x) if path in sites else x

    weights = {i: fixed(f"{base}.weights.{i}", w) for i, w in prefs.weights.items()}
    values: dict[str, Any] = {}
    for issue, spec in prefs.values.items():
        if isinstance(spec, Piecewise):
            points = [
                (x, fixed(f"{base}.values.{issue}.piecewise[{k}] (x={x:g})", v))
                for k, (x, v) in enumerate(spec.piecewise)
            ]
            values[issue] = spec.model_copy(update={"piecewise": points})
        else:
            values[issue] = {o: fixed(f"{base}.values.{issue}.{o}", v) for o, v in spec.items()}
    reservation = fixed(f"{base}.reservation", prefs.reservation)
    return prefs.model_copy(
        update={"weights": weights, "values": values, "reservation": reservation}
    )
