"""A scenario as it was known on an earlier date: what was said after it is left out.

A scenario is written as of a date (``as_of``); its proposals, events, reactions and sources are
dated. :func:`as_of_cut` goes back to an earlier date: the proposals, events and reactions dated
after it are left out, and so are the reported (not hypothetical) shifts of walk-away points in the ``dynamics``
section, the ``outcome`` and interim outcomes dated after it (the analysis as of a date must not
see how the talks ended; the interim outcomes known by then stay, under a ``pending`` outcome)
and the sources dated after it that nothing kept still cites. The scenario's ``as_of``
becomes that date, and the result is validated again as a whole, like a file.

A source dated after the date that something kept still cites (an analyst's basis, an option's
source, a later report of a reaction made by then) stays, and the cut says so: the analyst wrote
the assumptions knowing it, and silently dropping the citation would hide that.

Nothing here computes an analysis: it is a view of the data, behind the ``as_of`` argument of
every facade function and the ``--as-of`` option of every analysis command.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zopa.model.base import cited_sources

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario


SHOWN = 4
"""At most this many source ids named in :meth:`AsOfCut.summary`."""


@dataclass(frozen=True)
class AsOfCut:
    """A scenario cut back to a date, and what was left out.

    Attributes
    ----------
    scenario
        The scenario as known on ``date`` (validated); the original object itself when nothing
        changes.
    date
        The date asked for.
    original_as_of
        The date the full scenario is written as of (None when it has none).
    proposals
        The ids of the proposals left out (dated after ``date``).
    events
        How many events were left out (dated after ``date``).
    reactions
        How many reactions were left out (dated after ``date``).
    sources
        The ids of the sources left out (dated after ``date`` and no longer cited).
    still_cited
        The ids of the sources dated after ``date`` that are kept because something kept cites
        them.
    shifts
        How many reported shifts of walk-away points were left out (dated after ``date``).
    outcome
        Whether the final outcome was left out (dated after ``date``: the analysis as of then
        must not see how the talks ended).
    interim
        How many interim outcomes were left out (dated after ``date``).
    """

    scenario: Scenario
    date: dt.date
    original_as_of: dt.date | None
    proposals: tuple[str, ...] = ()
    events: int = 0
    reactions: int = 0
    sources: tuple[str, ...] = ()
    still_cited: tuple[str, ...] = ()
    shifts: int = 0
    outcome: bool = False
    interim: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything was left out or the scenario's ``as_of`` moved."""
        return self.scenario.as_of != self.original_as_of or bool(
            self.proposals
            or self.events
            or self.reactions
            or self.sources
            or self.shifts
            or self.outcome
            or self.interim
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: the ``as_of`` member of every command's JSON document.

        ``date`` (asked for), ``scenario_as_of`` (the full scenario's date), ``left_out`` (how
        many ``proposals``, ``events``, ``reactions``, ``sources``, reported ``shifts`` and
        ``interim`` outcomes were left out, and whether the final ``outcome`` was),
        ``proposals_left_out`` and ``sources_left_out`` (their ids),
        ``sources_still_cited`` (dated later but kept, see the module) and ``summary`` (the
        sentence of :meth:`summary`).
        """
        return {
            "date": self.date.isoformat(),
            "scenario_as_of": (
                self.original_as_of.isoformat() if self.original_as_of is not None else None
            ),
            "left_out": {
                "proposals": len(self.proposals),
                "events": self.events,
                "reactions": self.reactions,
                "sources": len(self.sources),
                "shifts": self.shifts,
                "outcome": self.outcome,
                "interim": self.interim,
            },
            "proposals_left_out": list(self.proposals),
            "sources_left_out": list(self.sources),
            "sources_still_cited": list(self.still_cited),
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """One sentence saying what was left out (or that nothing was)."""
        from zopa.render.words import plural

        if self.original_as_of is None:
            return f"As of {self.date}: the scenario is not dated, so nothing is left out."
        if self.date >= self.original_as_of:
            return (
                f"As of {self.date}: the scenario is written as of {self.original_as_of}, "
                "so nothing is left out."
            )
        parts = [plural(len(self.proposals), "proposal"), plural(self.events, "event")]
        if self.reactions:
            parts.append(plural(self.reactions, "reaction"))
        parts.append(plural(len(self.sources), "source"))
        if self.shifts:
            parts.append(plural(self.shifts, "reported shift") + " of walk-away points")
        if self.interim:
            parts.append(plural(self.interim, "interim outcome"))
        if self.outcome:
            parts.append("the outcome")
        text = (
            f"As of {self.date}: {', '.join(parts[:-1])} and {parts[-1]} dated after it are "
            f"left out (the scenario is written as of {self.original_as_of})."
        )
        if self.still_cited:
            shown = ", ".join(self.still_cited[:SHOWN])
            if len(self.still_cited) > SHOWN:
                shown += f" and {len(self.still_cited) - SHOWN:,} more"
            text += (
                f" {plural(len(self.still_cited), 'source')} dated after it ({shown}) "
                f"{'is' if len(self.still_cited) == 1 else 'are'} kept because what is kept "
                "still cites them (the analyst's assumptions, the options, or the reports of an "
                "earlier statement)."
            )
        return text


def _cited(data: Any, found: set[str]) -> None:
    """Collect the source ids ``data`` (a dumped part of a scenario) refers to."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "source":
                found.update([value] if isinstance(value, str) else list(value or []))
            else:
                _cited(value, found)
    elif isinstance(data, list):
        for item in data:
            _cited(item, found)
    elif isinstance(data, str):
        found.update(cited_sources(data))


def as_of_cut(scenario: Scenario, date: dt.date | str) -> AsOfCut:
    """Return the scenario as known on ``date``, and what was left out.

    Parameters
    ----------
    scenario
        A validated scenario.
    date
        The date (a :class:`datetime.date` or an ISO ``YYYY-MM-DD`` string).

    Returns
    -------
    AsOfCut
        The scenario without the proposals, events, reactions, reported shifts and (uncited)
        sources dated after ``date``, its ``as_of`` set to ``date`` when that is earlier.

    Raises
    ------
    zopa.UsageError
        For a date that is not ``YYYY-MM-DD``, a date before the scenario's earliest proposal
        (nothing would be left to analyse), or a cut that leaves an invalid scenario (the
        message says why).
    """
    from pydantic import ValidationError

    from zopa.errors import UsageError
    from zopa.model.scenario import Scenario

    day = _parse_date(date)
    original = scenario.as_of
    if original is None or day >= original:
        return AsOfCut(scenario, day, original)
    if scenario.proposals:
        earliest = min(p.date for p in scenario.proposals.values())
        if day < earliest:
            raise UsageError(
                f"as of {day} there is nothing to analyse: the earliest proposal of "
                f"{scenario.id!r} is dated {earliest}",
                parameter="as_of",
            )
    data = scenario.model_dump(mode="json")
    left_proposals = [pid for pid, p in scenario.proposals.items() if p.date > day]
    data["proposals"] = {k: v for k, v in data["proposals"].items() if k not in left_proposals}
    kept_events = [
        e for e, ev in zip(data["events"], scenario.events, strict=True) if ev.date <= day
    ]
    left_events = len(data["events"]) - len(kept_events)
    data["events"] = kept_events
    kept_reactions = [
        raw for raw, r in zip(data["reactions"], scenario.reactions, strict=True) if r.date <= day
    ]
    left_reactions = len(data["reactions"]) - len(kept_reactions)
    data["reactions"] = kept_reactions
    left_shifts = 0
    if scenario.dynamics is not None:
        shifts = data["dynamics"]["shifts"]
        kept_shifts = [
            raw
            for raw, shift in zip(shifts, scenario.dynamics.shifts, strict=True)
            if shift.hypothetical or shift.date is None or shift.date <= day
        ]
        left_shifts = len(shifts) - len(kept_shifts)
        data["dynamics"]["shifts"] = kept_shifts
    left_outcome, left_interim = _cut_outcome(data, scenario, day)
    data["as_of"] = day.isoformat()
    later = [
        sid for sid, src in scenario.sources.items() if src.date is not None and src.date > day
    ]
    cited: set[str] = set()
    _cited({k: v for k, v in data.items() if k != "sources"}, cited)
    left_sources = [sid for sid in later if sid not in cited]
    data["sources"] = {k: v for k, v in data["sources"].items() if k not in left_sources}
    try:
        cut = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(
            f"the scenario as of {day} is not valid: {where}: {first['msg']}", parameter="as_of"
        ) from None
    return AsOfCut(
        cut,
        day,
        original,
        proposals=tuple(left_proposals),
        events=left_events,
        reactions=left_reactions,
        sources=tuple(left_sources),
        still_cited=tuple(sid for sid in later if sid in cited),
        shifts=left_shifts,
        outcome=left_outcome,
        interim=left_interim,
    )


def _cut_outcome(data: dict[str, Any], scenario: Scenario, day: dt.date) -> tuple[bool, int]:
    """Leave out of ``data`` the outcome and interim outcomes dated after ``day``.

    The final outcome dated after ``day`` goes; the interim outcomes known by then stay, under
    an outcome whose status is ``pending`` (the talks had not ended); with none known, the
    whole section goes. Returns whether the final outcome was left out and how many interim
    outcomes were.
    """
    outcome = scenario.outcome
    if outcome is None:
        return False, 0
    final_later = outcome.date is not None and outcome.date > day
    kept = [
        raw
        for raw, step in zip(data["outcome"]["interim"], outcome.interim, strict=True)
        if step.date <= day
    ]
    left_interim = len(outcome.interim) - len(kept)
    if not final_later and outcome.status != "pending":
        return False, 0  # every interim outcome is dated before the final one
    if kept:
        data["outcome"] = {"status": "pending", "interim": kept}
        if outcome.note is not None and not final_later:
            data["outcome"]["note"] = outcome.note
    else:
        data["outcome"] = None
    return final_later, left_interim


def scenario_as_of(scenario: Scenario, date: dt.date | str) -> Scenario:
    """Return the scenario as known on ``date`` (see :func:`as_of_cut`)."""
    return as_of_cut(scenario, date).scenario


def _parse_date(date: dt.date | str) -> dt.date:
    from zopa.errors import UsageError

    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(date.strip())
    except ValueError:
        raise UsageError(
            f"expected a date as YYYY-MM-DD, got {date!r}", parameter="as_of"
        ) from None
