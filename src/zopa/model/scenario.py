"""The scenario model: one negotiation as validated, typed data.

A :class:`Scenario` holds the parties, the issues on the table and their options, each party's
preferences and walk-away point (analyst assumptions, with their basis), the dated proposals and
events with their sources, the parties' dated and sourced reactions to the proposals (evidence
about their preferences, :mod:`zopa.evidence`), and optionally the conflict in option form for the graph model
(:mod:`zopa.model.strategic`), the forecast inputs (:mod:`zopa.model.forecast_section`) and the
dynamics of talks over time (:mod:`zopa.model.dynamics`). A *standalone strategic* scenario has
only ``zopa``, ``id``, ``title`` and ``strategic`` (with optional ``description`` and
``sources``). Nothing here computes an analysis; the engines read a compiled form.

Validation happens on construction, in two layers: pydantic checks the shape and types of every
field (``extra="forbid"``: an unknown field is an error, not silently ignored), then
:meth:`Scenario._check_references` checks what only the whole scenario can tell: broken references,
coverage of options by values, grids of numeric issues, undecided proposal terms, dates. All
problems are reported at once, each with the path of the field it concerns: when the first layer
finds a wrong shape, pydantic does not run the second, so :func:`scenario_problems` runs it on
the entries whose shape is right (the file reader does this).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from zopa.model.base import ID_PATTERN, IdList, Model, Text, basis_problems
from zopa.model.dynamics import Dynamics, check_dynamics
from zopa.model.forecast_section import ForecastIssue, check_forecast
from zopa.model.numbers import NonNegativeNumber, Uncertain, UnitNumber, point
from zopa.model.strategic import StrategicModel, resolve_strategic

MAX_GRID_POINTS = 10_000
FORMAT_VERSION = 1

Role = Literal["party", "belligerent", "mediator", "guarantor", "observer"]
PRINCIPALS = ("party", "belligerent")
"""Roles whose consent every issue needs unless it names its own ``consent``: ``party`` (a side
to any negotiation: a union, an employer, a state) and ``belligerent`` (a side to a war)."""
BASIS_KEYS = ("general", "weights", "reservation")


SourceRefs = IdList
"""One source id or a list of them."""


def format_number(x: float) -> str:
    """Return the canonical option id of a point on a numeric issue's grid.

    Non-finite numbers (never a grid point) are written ``.inf``, ``-.inf``, ``.nan`` as in YAML.
    """
    try:
        x = float(x)
    except OverflowError:  # an int beyond the float range
        x = math.inf if x > 0 else -math.inf
    if not math.isfinite(x):
        return ".nan" if math.isnan(x) else ("-.inf" if x < 0 else ".inf")
    x = round(x, 10)  # the grid's precision: 1e-11 is the point 0, not "0.0"
    if x.is_integer():
        return str(int(x))
    return repr(x)


def _option_key(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if not _finite(value):
            from zopa.model.numbers import shown_value

            raise PydanticCustomError(
                "number",
                "expected an option id, or a finite number on the issue's grid; got {got}",
                {"got": shown_value(value)},
            )
        return format_number(value)
    return value


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond the float range
        return False


OptionRef = Annotated[str, BeforeValidator(_option_key, json_schema_input_type=str | float)]
"""An option id, or a number on a numeric issue's grid."""


class Source(Model):
    """Where a fact comes from."""

    publisher: Text
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    date: dt.date | None = Field(default=None, strict=False)
    note: str | None = None


class Party(Model):
    """A side to the negotiation."""

    name: Text
    role: Role
    note: str | None = None


class Option(Model):
    """One way an issue may be settled."""

    label: Text
    consent: list[str] = Field(
        default_factory=list,
        description="Parties whose consent is needed, in addition to the issue's, when this "
        "option is chosen (e.g. a guarantor for the guarantee it gives).",
    )
    source: SourceRefs = Field(default_factory=list)
    note: str | None = None


def _option_form(value: Any) -> Any:
    return {"label": value} if isinstance(value, str) else value


class NumericRange(Model):
    """A numeric issue, discretised on a grid from ``min`` to ``max`` in steps of ``step``."""

    min: float
    max: float
    step: Annotated[float, Field(gt=0)]
    unit: str | None = None

    def grid(self) -> list[float]:
        """Return the grid points (rounded to 10 decimals against drift)."""
        n = round((self.max - self.min) / self.step)
        return [round(self.min + k * self.step, 10) for k in range(n + 1)]


class Issue(Model):
    """A question the agreement must settle, with its options or numeric range."""

    name: Text
    description: str | None = None
    options: (
        dict[
            str,
            Annotated[Option, BeforeValidator(_option_form, json_schema_input_type=str | Option)],
        ]
        | None
    ) = None
    range: NumericRange | None = None
    consent: list[str] | None = Field(
        default=None,
        description="Parties whose agreement this issue needs (default: every party whose role "
        "is party or belligerent).",
    )
    if_silent: OptionRef | None = Field(
        default=None,
        description="What holds when a proposal leaves this issue undecided (e.g. the status quo).",
    )
    source: SourceRefs = Field(default_factory=list)

    @property
    def is_numeric(self) -> bool:
        """Whether the issue is a numeric range."""
        return self.range is not None

    def option_ids(self) -> list[str]:
        """Return the ids of the options, in order (grid points for a numeric issue)."""
        if self.range is not None:
            return [format_number(x) for x in self.range.grid()]
        return list(self.options or {})

    def option_label(self, option: str) -> str:
        """Return a readable label for one option."""
        if self.range is not None:
            unit = f" {self.range.unit}" if self.range.unit else ""
            return f"{option}{unit}"
        return (self.options or {})[option].label


def _pair(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) != 2:
            raise ValueError("a point is a pair [x, value]")
        return tuple(value)
    return value


class Piecewise(Model):
    """A value function on a numeric issue, linear between the given ``[x, value]`` points."""

    piecewise: list[Annotated[tuple[float, UnitNumber], BeforeValidator(_pair)]] = Field(
        min_length=1,
        description="At least two points, x increasing strictly, from x <= the range's min to "
        "x >= its max.",
        json_schema_extra={"minItems": 2},
    )


def _value_form(value: Any) -> Any:
    if isinstance(value, dict) and "piecewise" not in value:
        return {_option_key(k) if not isinstance(k, str) else k: v for k, v in value.items()}
    return value


def _value_kind(value: Any) -> str | None:
    if isinstance(value, Piecewise) or (isinstance(value, dict) and "piecewise" in value):
        return "piecewise function"
    return "value table" if isinstance(value, dict) else None


ValueTable = dict[str, UnitNumber]
# A tagged union: a value table's errors are reported as such, not mixed with Piecewise's.
# (The tags are not valid ids, so that they cannot be mistaken for keys of the data.)
ValueSpec = Annotated[
    Annotated[Piecewise, Tag("piecewise function")] | Annotated[ValueTable, Tag("value table")],
    Discriminator(
        _value_kind,
        custom_error_type="value_spec",
        custom_error_message="expected a value per option {option: value, ...} "
        "or a piecewise function {piecewise: [[x, value], ...]}",
    ),
    BeforeValidator(_value_form),
]


class Preferences(Model):
    """One party's preferences: additive utility, Σ weight × value, and a walk-away point.

    Every number here is an analyst assumption; ``basis`` says what it rests on, citing sources
    as ``[source-id]``. ``basis`` is one text for all, or a mapping from ``general``,
    ``weights``, ``reservation`` or an issue id to the text for that part.
    """

    weights: dict[str, NonNegativeNumber]
    values: dict[str, ValueSpec]
    reservation: UnitNumber = Field(description="Utility of no agreement (walk-away point).")
    basis: Text | dict[str, Text]


class Term(Model):
    """What a proposal says on one issue."""

    option: OptionRef
    source: SourceRefs = Field(default_factory=list)
    note: str | None = None


def _term_form(value: Any) -> Any:
    return value if isinstance(value, dict) else {"option": value}


class Proposal(Model):
    """A dated package put forward by one or more parties."""

    title: Text
    by: IdList = Field(min_length=1, description="The proposing party or parties.")
    date: dt.date = Field(strict=False)
    kind: str | None = None
    source: SourceRefs = Field(min_length=1)
    terms: dict[
        str, Annotated[Term, BeforeValidator(_term_form, json_schema_input_type=str | float | Term)]
    ]
    undecided: list[str] = Field(
        default_factory=list,
        description="Issues the proposal leaves open; they take the issue's if_silent option.",
    )
    note: str | None = None


class Event(Model):
    """Something that happened (or was claimed to) during the talks."""

    date: dt.date = Field(strict=False)
    kind: Text
    text: Text
    source: SourceRefs = Field(min_length=1)
    claimed_by: str | None = None
    verified: bool | None = None
    parties: list[str] = Field(default_factory=list)


Stance = Literal["accepts", "basis-for-talks", "unacceptable-as-is", "rejects"]
"""What a party said of a proposal, from the firmest yes to the firmest no.

``accepts`` / ``rejects`` are hard evidence (the party's utility of the proposal is at least /
below its walk-away point); ``basis-for-talks`` and ``unacceptable-as-is`` are soft evidence,
with the likelihoods of :mod:`zopa.evidence.likelihood`.
"""


class Reaction(Model):
    """A party's public reaction to a proposal: evidence about its preferences."""

    date: dt.date = Field(strict=False)
    party: str
    proposal: str
    stance: Stance
    source: SourceRefs = Field(min_length=1)
    quote: Annotated[str, Field(min_length=1, max_length=300)] | None = Field(
        default=None, description="The words reported, short (at most 300 characters)."
    )
    note: str | None = None


OutcomeStatus = Literal["agreed", "broke-down", "pending"]
"""How the talks ended: ``agreed`` (on the outcome's ``package``), ``broke-down``, or
``pending`` (not ended as of the scenario's date; only interim outcomes are known, e.g. in a
scenario cut back to a date before the end, :mod:`zopa.model.as_of`)."""

InterimStatus = Literal["agreed", "rejected", "broke-down"]
"""How an interim step ended: a deal ``agreed`` on the way, one ``rejected`` (by a party, a
parliament, a plebiscite), or a round that ``broke-down`` before talks resumed."""

Package = dict[
    str, Annotated[Term, BeforeValidator(_term_form, json_schema_input_type=str | float | Term)]
]
"""A package as the outcome states it: issue id -> term (option and source)."""


class InterimOutcome(Model):
    """A step on the way to the final outcome (e.g. a deal agreed, then rejected)."""

    status: InterimStatus
    date: dt.date = Field(strict=False)
    text: Text
    source: SourceRefs = Field(min_length=1)
    package: Package | None = Field(
        default=None,
        description="The package at stake (optional): an option for every issue, each term "
        "citing its source.",
    )
    note: str | None = None


class Outcome(Model):
    """How the talks ended, as history records it: the test of a backtest (:mod:`zopa.backtest`).

    ``agreed`` needs the final ``package`` (an option for every issue, each term citing its
    source); ``broke-down`` has none. Both need ``date``, ``text`` and ``source``. ``pending``
    (talks not ended as of the scenario's date) has none of these, only ``interim`` outcomes.
    """

    status: OutcomeStatus
    date: dt.date | None = Field(
        default=None, strict=False, description="When the talks ended (not for pending)."
    )
    text: Text | None = Field(default=None, description="What happened, in a sentence.")
    source: SourceRefs = Field(
        default_factory=list, description="Where it is reported (required unless pending)."
    )
    package: Package | None = Field(
        default=None,
        description="The agreed package (required when agreed): an option for every issue, "
        "each term citing its source.",
    )
    interim: list[InterimOutcome] = Field(
        default_factory=list,
        description="Earlier steps, in date order, each dated before the final outcome.",
    )
    note: str | None = None


class Scenario(Model):
    """A negotiation: parties, issues, preferences, proposals and events, with sources.

    And, or instead (a standalone strategic scenario), a strategic model for the graph model.
    """

    zopa: Literal[1] = Field(description="Scenario format version.")
    id: Annotated[str, Field(pattern=ID_PATTERN.pattern)]
    title: Text
    as_of: dt.date | None = Field(
        default=None,
        strict=False,
        description="The analyst's 'today' for this scenario (required with proposals or events).",
    )
    description: str | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    parties: dict[str, Party] = Field(default_factory=dict)
    issues: dict[str, Issue] = Field(default_factory=dict)
    preferences: dict[str, Preferences] = Field(default_factory=dict)
    proposals: dict[str, Proposal] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)
    reactions: list[Reaction] = Field(
        default_factory=list,
        description="What the parties said of the proposals, dated and sourced: evidence about "
        "their preferences.",
    )
    strategic: StrategicModel | None = Field(
        default=None,
        description="The conflict in option form, for the graph model (stability analysis).",
    )
    forecast: dict[str, ForecastIssue] | None = Field(
        default=None,
        description="Per issue: a scale, labelled anchors and each actor's capability, position "
        "and salience (0–1), for the expected-utility model and its baselines.",
    )
    dynamics: Dynamics | None = Field(
        default=None,
        description="Talks over time: the calendar of rounds and the deadline, and how each "
        "party's walk-away point drifts per round and shifts with events (analyst assumptions).",
    )
    outcome: Outcome | None = Field(
        default=None,
        description="How the talks ended (agreed on a package, or broke down), dated and "
        "sourced, with optional interim outcomes: what zopa backtest compares the analysis with.",
    )

    # -- accessors (pure data, no analysis) -------------------------------------------------
    def issue_consent(self, issue_id: str) -> list[str]:
        """Return the parties whose consent an issue needs, whatever option is chosen."""
        issue = self.issues[issue_id]
        if issue.consent is not None:
            return list(issue.consent)
        return [p for p, party in self.parties.items() if party.role in PRINCIPALS]

    def package_of(self, proposal_id: str) -> dict[str, str]:
        """Return the full package a proposal stands for (undecided issues: ``if_silent``)."""
        proposal = self.proposals[proposal_id]
        package = {}
        for issue_id, issue in self.issues.items():
            term = proposal.terms.get(issue_id)
            package[issue_id] = term.option if term is not None else str(issue.if_silent)
        return package

    # -- whole-scenario validation ----------------------------------------------------------
    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get(_PARTIAL):
            return self  # checked by scenario_problems, knowing which parts were left out
        problems = _Problems()
        _run_checks(self, problems)
        if problems.items:
            raise ValidationError.from_exception_data("Scenario", problems.items)
        return self


_PARTIAL = "zopa-partial-scenario"

_SECTION_OF = {
    "party": "parties",
    "issue": "issues",
    "source": "sources",
    "proposal": "proposals",
}
"""Which section a reference of each kind points into."""

_ENTRY_SECTIONS = ("sources", "parties", "issues", "preferences", "proposals")

_LIST_SECTIONS = ("events", "reactions")
"""Sections that are lists: an entry with a wrong shape is left out by its position."""

_PLACEHOLDERS: dict[str, Any] = {"zopa": 1, "id": "x", "title": "x"}
"""Stand-ins for required fields whose own value is wrong (no whole-scenario check reads them)."""


@dataclass
class _LeftOut:
    """The parts of a scenario left out of the whole-scenario checks because their shape is wrong.

    Attributes
    ----------
    fields
        Top-level fields left out whole (a section that is not a mapping, a bad ``as_of``...).
    ids
        Per section (``parties``, ``issues``...): the ids of its entries left out.
    events
        The position in the file of each event kept (None: every event was kept).
    reactions
        The position in the file of each reaction kept (None: every reaction was kept).
    strategic
        Per part of the strategic section (``preferences``, ``states``, ``irreversible``,
        ``infeasible``, ``status_quo``): the entries left out.
    """

    fields: set[str] = field(default_factory=set)
    ids: dict[str, list[str]] = field(default_factory=dict)
    events: list[int] | None = None
    reactions: list[int] | None = None
    strategic: dict[str | int, set[str | int]] = field(default_factory=dict)

    def covers(self, what: str, ref: str) -> bool:
        """Whether a reference may point at a left-out entry (so it must not be called unknown)."""
        section = _SECTION_OF.get(what)
        return section is not None and (section in self.fields or ref in self.ids.get(section, ()))

    def complete(self, *sections: str) -> bool:
        """Whether nothing of these sections was left out."""
        return not any(sec in self.fields or self.ids.get(sec) for sec in sections)

    def whole(self, section: str) -> bool:
        """Whether a section (or field) was left out entirely."""
        return section in self.fields

    def all_ids(self, s: Scenario, section: str) -> list[str]:
        """A section's ids, left-out entries included."""
        return [*getattr(s, section), *self.ids.get(section, [])]

    def event_index(self, i: int) -> int:
        """The position in the file of the ``i``-th event kept."""
        return i if self.events is None else self.events[i]

    def reaction_index(self, i: int) -> int:
        """The position in the file of the ``i``-th reaction kept."""
        return i if self.reactions is None else self.reactions[i]


def _run_checks(s: Scenario, problems: _Problems) -> None:
    if _check_sections(s, problems):
        _check_ids(s, problems)
        _check_issues(s, problems)
        _check_preferences(s, problems)
        _check_proposals(s, problems)
        _check_events(s, problems)
        _check_reactions(s, problems)
        _check_strategic(s, problems)
        _check_forecast(s, problems)
        _check_dynamics(s, problems)
        _check_outcome(s, problems)


def _leave_out(data: dict[str, Any], errors: list[ErrorDetails]) -> tuple[dict[str, Any], _LeftOut]:
    """Drop from ``data`` the entries (or fields) that shape errors were found in."""
    out = _LeftOut()
    bad: dict[str, set[str | int]] = {}
    for error in errors:
        loc = error["loc"]
        top = loc[0] if loc else None
        if not isinstance(top, str):
            continue
        section = data.get(top)
        entry = loc[1] if len(loc) > 1 else None
        if top == "strategic" and isinstance(section, dict) and _strategic_part(section, loc):
            out.strategic.setdefault(loc[1], set()).add(loc[2] if len(loc) > 2 else "")
            continue
        if (top in _ENTRY_SECTIONS and isinstance(section, dict) and entry in section) or (
            top in _LIST_SECTIONS
            and isinstance(section, list)
            and isinstance(entry, int)
            and 0 <= entry < len(section)
        ):
            assert entry is not None
            bad.setdefault(top, set()).add(entry)
        else:
            out.fields.add(top)
    kept = {k: v for k, v in data.items() if k not in out.fields or k in _PLACEHOLDERS}
    for name in out.fields & set(_PLACEHOLDERS):
        kept[name] = _PLACEHOLDERS[name]
    if out.strategic and "strategic" not in out.fields:
        kept["strategic"] = _strategic_kept(data["strategic"], out.strategic)
    for name, entries in bad.items():
        if name in out.fields:
            continue
        if name in _LIST_SECTIONS:
            positions = [i for i in range(len(data[name])) if i not in entries]
            setattr(out, name, positions)
            kept[name] = [data[name][i] for i in positions]
        else:
            out.ids[name] = [k for k in data[name] if k in entries]
            kept[name] = {k: v for k, v in data[name].items() if k not in entries}
    return kept, out


_STRATEGIC_ENTRIES = ("preferences", "states", "irreversible")


def _strategic_part(section: dict[str, Any], loc: tuple[str | int, ...]) -> bool:
    """Whether an error in the strategic section concerns one entry that can be left out."""
    part = loc[1] if len(loc) > 1 else None
    if part == "status_quo":
        return True
    if len(loc) < 3:
        return False
    inner = section.get(str(part))
    if part in _STRATEGIC_ENTRIES:
        return isinstance(inner, dict) and loc[2] in inner
    return (
        part == "infeasible"
        and isinstance(inner, list)
        and isinstance(loc[2], int)
        and 0 <= loc[2] < len(inner)
    )


def _strategic_kept(
    section: dict[str, Any], bad: dict[str | int, set[str | int]]
) -> dict[str, Any]:
    """The strategic section without its broken entries.

    A broken infeasibility condition is replaced by one that never holds (``1 & -1``), so that
    the others keep their positions; feasibility is then unknown to the checks.
    """
    kept = dict(section)
    for part, entries in bad.items():
        if part == "status_quo":
            kept.pop("status_quo", None)
        elif part == "infeasible":
            kept["infeasible"] = [
                "1 & -1" if i in entries else text for i, text in enumerate(section["infeasible"])
            ]
        else:
            kept[str(part)] = {k: v for k, v in section[str(part)].items() if k not in entries}
    return kept


def scenario_problems(data: Any, errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Run the whole-scenario checks on the parts of a scenario whose shape is right.

    Pydantic does not run a model's whole-model checks once a field is wrong, so a mistake in
    one party's ``role`` would hide, say, a proposal that is silent on an issue. Given the shape
    errors of ``Scenario.model_validate(data)``, this validates ``data`` again without the
    entries (or fields) those errors are in, and runs the whole-scenario checks on the rest:
    a reference to a left-out entry is not called unknown, and a check that needs a left-out
    part (e.g. which parties are principals, when one party's role is wrong) is skipped.

    Parameters
    ----------
    data
        The scenario as plain data.
    errors
        The errors pydantic raised on it.

    Returns
    -------
    list
        Further errors, in pydantic's form (type ``scenario``); empty when ``errors`` came from
        the whole-scenario checks already (the shapes were right) or nothing more is wrong.
    """
    if not isinstance(data, dict) or all(e["type"] == "scenario" for e in errors):
        return []
    kept, left_out = _leave_out(data, errors)
    try:
        partial = Scenario.model_validate(kept, context={_PARTIAL: True})
    except ValidationError:  # pragma: no cover - leaving out what failed leaves valid parts
        return []
    problems = _Problems(left_out)
    _run_checks(partial, problems)
    if not problems.items:
        return []
    return ValidationError.from_exception_data("Scenario", problems.items).errors(include_url=False)


class _Problems:
    def __init__(self, left_out: _LeftOut | None = None) -> None:
        self.items: list[InitErrorDetails] = []
        self.left_out = left_out or _LeftOut()

    def add(self, loc: tuple[str | int, ...], message: str, value: Any = None) -> None:
        error = PydanticCustomError("scenario", "{message}", {"message": message})
        self.items.append(InitErrorDetails(type=error, loc=loc, input=value))

    def known(
        self,
        loc: tuple[str | int, ...],
        ref: str,
        pool: dict[str, Any] | list[str],
        what: str,
        of: str = "",
    ) -> bool:
        if ref in pool or self.left_out.covers(what, ref):
            return True
        choices = ", ".join(pool) if len(pool) <= 12 else ", ".join(list(pool)[:12]) + ", …"
        owner = f" of issue {of!r}" if of else ""
        self.add(loc, f"unknown {what} {ref!r}{owner} (expected one of: {choices})", ref)
        return False


def _check_sections(s: Scenario, problems: _Problems) -> bool:
    """Check which sections a scenario has; return False when the rest cannot be checked."""
    gone = problems.left_out
    issues = gone.all_ids(s, "issues") or gone.whole("issues")
    if (
        not issues
        and not (s.strategic or gone.whole("strategic"))
        and not (s.forecast or gone.whole("forecast"))
    ):
        problems.add(
            ("issues",),
            "a scenario needs 'issues' (a negotiation), a 'strategic' section (a graph model), "
            "a 'forecast' section, or several of them",
        )
    if issues and not gone.all_ids(s, "parties"):
        if gone.whole("parties"):
            return False  # the section's own problem is reported
        problems.add(
            ("parties",), "missing required field 'parties': a scenario with issues needs parties"
        )
        return False  # every reference to a party would be reported too
    dated = (
        gone.all_ids(s, "proposals")
        or s.outcome is not None
        or gone.whole("outcome")
        or any(getattr(s, name) or getattr(gone, name) for name in _LIST_SECTIONS)
        or any(gone.whole(name) for name in _LIST_SECTIONS)
    )
    if s.as_of is None and dated and not gone.whole("as_of"):
        problems.add(
            ("as_of",),
            "missing required field 'as_of': a scenario with proposals or events needs the date "
            "it is written as of",
        )
    return True


def _check_strategic(s: Scenario, problems: _Problems) -> None:
    if s.strategic is None:
        return
    gone = problems.left_out
    resolved = resolve_strategic(
        s.strategic,
        parties=None if gone.whole("parties") else gone.all_ids(s, "parties"),
        sources=None if gone.whole("sources") else gone.all_ids(s, "sources"),
        unchecked=[str(dm) for dm in gone.strategic.get("preferences", ())],
        feasibility_unknown=bool(gone.strategic.get("infeasible")),
    )
    for loc, message, value in resolved.problems:
        problems.add(("strategic", *loc), message, value)


def _check_forecast(s: Scenario, problems: _Problems) -> None:
    if s.forecast is None:
        return
    gone = problems.left_out
    if gone.whole("issues"):
        return  # which issues exist is unknown
    issues: dict[str, list[str] | None] = {
        k: i.option_ids() if _grid_ok(i) else None for k, i in s.issues.items()
    }
    issues.update(dict.fromkeys(gone.ids.get("issues", [])))
    found = check_forecast(
        s.forecast,
        issues=issues,
        parties=None if gone.whole("parties") else gone.all_ids(s, "parties"),
        sources=None if gone.whole("sources") else gone.all_ids(s, "sources"),
    )
    for loc, message, value in found:
        problems.add(("forecast", *loc), message, value)


def _check_dynamics(s: Scenario, problems: _Problems) -> None:
    gone = problems.left_out
    if s.dynamics is None or not gone.complete("as_of") or gone.whole("parties"):
        return
    if gone.whole("preferences") or gone.whole("sources"):
        return
    if not gone.all_ids(s, "preferences"):
        problems.add(
            ("dynamics",),
            "a dynamics section moves walk-away points, but no party has preferences",
        )
        return
    found = check_dynamics(
        s.dynamics,
        parties=gone.all_ids(s, "parties"),
        preferences=gone.all_ids(s, "preferences"),
        sources=gone.all_ids(s, "sources"),
        as_of=s.as_of,
    )
    for loc, message, value in found:
        problems.add(("dynamics", *loc), message, value)


def _check_ids(s: Scenario, problems: _Problems) -> None:
    for section in _ENTRY_SECTIONS:
        for key in problems.left_out.all_ids(s, section):
            if not ID_PATTERN.match(key):
                problems.add(
                    (section, key),
                    f"{key!r} is not a valid id (letters, digits, '_', '.', '+', '-'; "
                    "starting with a letter or digit)",
                    key,
                )
    for key, issue in s.issues.items():
        for opt in issue.options or {}:
            if not ID_PATTERN.match(opt):
                problems.add(
                    ("issues", key, "options", opt), f"{opt!r} is not a valid option id", opt
                )


def _check_sources(
    s: Scenario, problems: _Problems, loc: tuple[str | int, ...], refs: list[str]
) -> None:
    for i, ref in enumerate(refs):
        problems.known((*loc, i) if len(refs) > 1 else loc, ref, s.sources, "source")


def _check_issues(s: Scenario, problems: _Problems) -> None:
    roles_known = problems.left_out.complete("parties")
    if (
        roles_known
        and not any(p.role in PRINCIPALS for p in s.parties.values())
        and any(i.consent is None for i in s.issues.values())
    ):
        problems.add(
            ("parties",),
            "no party has role 'party' or 'belligerent', so issues without 'consent' need nobody",
        )
    for key, issue in s.issues.items():
        loc: tuple[str | int, ...] = ("issues", key)
        _check_sources(s, problems, (*loc, "source"), issue.source)
        if (issue.options is None) == (issue.range is None):
            problems.add(
                loc, "an issue needs exactly one of 'options' (named) or 'range' (numeric)"
            )
            continue
        if issue.options is not None and len(issue.options) < 2:
            problems.add((*loc, "options"), "an issue needs at least two options")
        if issue.range is not None:
            _check_range(issue.range, problems, (*loc, "range"))
        for i, party in enumerate(issue.consent or []):
            problems.known((*loc, "consent", i), party, s.parties, "party")
        if issue.consent is not None and not issue.consent:
            problems.add(
                (*loc, "consent"),
                "consent lists nobody: name the parties whose agreement is needed",
            )
        for opt_id, opt in (issue.options or {}).items():
            for i, party in enumerate(opt.consent):
                problems.known((*loc, "options", opt_id, "consent", i), party, s.parties, "party")
            _check_sources(s, problems, (*loc, "options", opt_id, "source"), opt.source)
        if issue.if_silent is not None and _grid_ok(issue):
            problems.known((*loc, "if_silent"), issue.if_silent, issue.option_ids(), "option", key)


def _grid_steps(r: NumericRange) -> float:
    """The number of steps of a range's grid, as a float (``inf`` when it overflows)."""
    span = r.max - r.min  # finite bounds, but their difference may overflow
    return span / r.step if math.isfinite(span) else math.inf


def _check_range(r: NumericRange, problems: _Problems, loc: tuple[str | int, ...]) -> None:
    if r.min >= r.max:
        problems.add(loc, f"min ({r.min:g}) must be below max ({r.max:g})")
        return
    n = _grid_steps(r)
    if n + 1 > MAX_GRID_POINTS:  # also when it overflows: no need to know how far beyond
        shown = f"{round(n) + 1:,}" if n < 1e15 else f"about {n:.3g}"
        problems.add(
            (*loc, "step"),
            f"the grid has {shown} points; at most {MAX_GRID_POINTS:,}"
            if math.isfinite(n)
            else f"the grid from {r.min:g} to {r.max:g} has too many points to count; at most "
            f"{MAX_GRID_POINTS:,}",
        )
    elif abs(n - round(n)) > 1e-9 * max(1.0, abs(n)):
        problems.add(
            (*loc, "step"), f"step {r.step:g} does not divide the range {r.min:g}..{r.max:g}"
        )
    elif not _grid_distinct(r):
        problems.add(
            (*loc, "step"),
            f"step {r.step:g} is finer than the grid's precision: grid points are written "
            "with 10 decimals, so some would share an id",
        )


def _grid_distinct(r: NumericRange) -> bool:
    """Whether the grid's points have distinct ids (a step below 1e-10 merges them)."""
    ids = [format_number(x) for x in r.grid()]
    return len(set(ids)) == len(ids)


def _grid_ok(issue: Issue) -> bool:
    if (issue.options is None) == (issue.range is None):
        return False  # reported once on the issue; references to its options are not checked
    return issue.range is None or _range_ok(issue.range)


def _range_ok(r: NumericRange) -> bool:
    """Whether a range makes a well-formed grid (each problem is reported by _check_range)."""
    if r.min >= r.max:
        return False
    n = _grid_steps(r)
    return (
        n + 1 <= MAX_GRID_POINTS
        and abs(n - round(n)) <= 1e-9 * max(1.0, abs(n))
        and _grid_distinct(r)
    )


def _needed_parties(s: Scenario) -> set[str]:
    needed: set[str] = set()
    for key, issue in s.issues.items():
        needed.update(s.issue_consent(key))
        for opt in (issue.options or {}).values():
            needed.update(opt.consent)
    return needed & set(s.parties)


def _check_preferences(s: Scenario, problems: _Problems) -> None:
    gone = problems.left_out
    issue_ids = gone.all_ids(s, "issues")
    # who must consent depends on every party's role and every issue's consent
    needed = _needed_parties(s) if gone.complete("parties", "issues") else set()
    for party in sorted(needed - set(gone.all_ids(s, "preferences"))):
        problems.add(
            ("preferences",),
            f"party {party!r} must consent to some issue or option but has no preferences",
        )
    for party, prefs in s.preferences.items():
        loc: tuple[str | int, ...] = ("preferences", party)
        problems.known(loc, party, s.parties, "party")
        for issue_id in prefs.weights:
            problems.known((*loc, "weights", issue_id), issue_id, s.issues, "issue")
        for issue_id in issue_ids:
            if issue_id not in prefs.weights:
                problems.add(
                    (*loc, "weights"),
                    f"no weight for issue {issue_id!r} (write 0 if it does not matter)",
                )
        if prefs.weights and all(point(w) == 0 for w in prefs.weights.values()):
            problems.add((*loc, "weights"), "all weights are zero: at least one issue must matter")
        highs = [w.high if isinstance(w, Uncertain) else float(w) for w in prefs.weights.values()]
        if not math.isfinite(sum(highs)):
            problems.add(
                (*loc, "weights"),
                "the weights add up to more than the largest number a float holds: scale them "
                "down (only their ratios matter)",
            )
        for issue_id, spec in prefs.values.items():
            known = problems.known((*loc, "values", issue_id), issue_id, s.issues, "issue")
            if known and issue_id in s.issues:
                _check_values(s.issues[issue_id], spec, problems, (*loc, "values", issue_id))
        for issue_id in issue_ids:
            weight = prefs.weights.get(issue_id)
            ignored = weight is not None and not isinstance(weight, Uncertain) and weight == 0
            if issue_id not in prefs.values and not ignored:
                problems.add((*loc, "values"), f"no values for issue {issue_id!r}")
        if isinstance(prefs.basis, dict):
            for key in prefs.basis:
                if key not in BASIS_KEYS and key not in issue_ids and not gone.whole("issues"):
                    problems.add(
                        (*loc, "basis", key),
                        f"unknown basis key {key!r} (expected general, weights, reservation or an issue id)",
                        key,
                    )
        texts = prefs.basis.values() if isinstance(prefs.basis, dict) else [prefs.basis]
        for text in texts:
            sources = None if gone.whole("sources") else gone.all_ids(s, "sources")
            for message, value in basis_problems(text, sources):
                problems.add((*loc, "basis"), message, value)


def _check_values(
    issue: Issue, spec: Piecewise | ValueTable, problems: _Problems, loc: tuple[str | int, ...]
) -> None:
    if isinstance(spec, Piecewise):
        if issue.range is None:
            problems.add(
                loc, "a piecewise value function needs a numeric issue (one with a 'range')"
            )
            return
        _check_piecewise(issue.range, [p[0] for p in spec.piecewise], problems, loc)
        return
    if not _grid_ok(issue):
        return
    ids = issue.option_ids()
    for opt in spec:
        problems.known((*loc, opt), opt, ids, "option", str(loc[-1]))
    missing = [o for o in ids if o not in spec]
    if missing:
        shown = ", ".join(missing[:8]) + (", …" if len(missing) > 8 else "")
        problems.add(loc, f"no value for option(s) {shown}")


def _check_piecewise(
    r: NumericRange, xs: list[float], problems: _Problems, loc: tuple[str | int, ...]
) -> None:
    """A piecewise function needs two points or more, x increasing, covering ``[min, max]``."""
    where = (*loc, "piecewise")
    if len(xs) < 2:
        problems.add(
            where,
            f"a piecewise function needs at least two points [x, value], the first at x <= "
            f"{r.min:g} (the range's min) and the last at x >= {r.max:g} (its max); got one",
        )
        return
    if any(b <= a for a, b in itertools.pairwise(xs)):
        problems.add(where, "the x coordinates must increase strictly")
        return
    if not _range_ok(r):
        return  # the range is wrong (reported): which points it needs is unclear
    if xs[0] > r.min:
        problems.add(
            (*where, 0),
            f"the first point is at x = {xs[0]:g}, inside the range {r.min:g}..{r.max:g}: the "
            f"points must cover the whole range (start at x <= {r.min:g})",
        )
    if xs[-1] < r.max:
        problems.add(
            (*where, len(xs) - 1),
            f"the last point is at x = {xs[-1]:g}, inside the range {r.min:g}..{r.max:g}: the "
            f"points must cover the whole range (end at x >= {r.max:g})",
        )


def _check_proposals(s: Scenario, problems: _Problems) -> None:
    for key, prop in s.proposals.items():
        loc: tuple[str | int, ...] = ("proposals", key)
        for i, party in enumerate(prop.by):
            problems.known(
                (*loc, "by", i) if len(prop.by) > 1 else (*loc, "by"), party, s.parties, "party"
            )
        _check_sources(s, problems, (*loc, "source"), prop.source)
        if s.as_of is not None and prop.date > s.as_of:
            problems.add((*loc, "date"), f"dated {prop.date} after the scenario's as_of {s.as_of}")
        for issue_id, term in prop.terms.items():
            tloc = (*loc, "terms", issue_id)
            if not problems.known(tloc, issue_id, s.issues, "issue"):
                continue
            if issue_id in s.issues and _grid_ok(s.issues[issue_id]):
                problems.known(
                    tloc, term.option, s.issues[issue_id].option_ids(), "option", issue_id
                )
            _check_sources(s, problems, (*tloc, "source"), term.source)
        for i, issue_id in enumerate(prop.undecided):
            uloc = (*loc, "undecided", i)
            if not problems.known(uloc, issue_id, s.issues, "issue"):
                continue
            if issue_id in prop.terms:
                problems.add(
                    uloc, f"issue {issue_id!r} is both decided in 'terms' and listed as undecided"
                )
            elif issue_id in s.issues and s.issues[issue_id].if_silent is None:
                problems.add(
                    uloc,
                    f"issue {issue_id!r} is left undecided but has no 'if_silent' option saying what "
                    "then holds",
                )
        silent = [
            i
            for i in problems.left_out.all_ids(s, "issues")
            if i not in prop.terms and i not in prop.undecided
        ]
        if silent and not problems.left_out.whole("issues"):
            problems.add(
                (*loc, "terms"),
                "the proposal says nothing on "
                + ", ".join(repr(i) for i in silent)
                + ": give a term or list the issue under 'undecided'",
            )


def _check_events(s: Scenario, problems: _Problems) -> None:
    for i, event in enumerate(s.events):
        loc: tuple[str | int, ...] = ("events", problems.left_out.event_index(i))
        _check_sources(s, problems, (*loc, "source"), event.source)
        if event.claimed_by is not None:
            problems.known((*loc, "claimed_by"), event.claimed_by, s.parties, "party")
        for j, party in enumerate(event.parties):
            problems.known((*loc, "parties", j), party, s.parties, "party")
        if s.as_of is not None and event.date > s.as_of:
            problems.add((*loc, "date"), f"dated {event.date} after the scenario's as_of {s.as_of}")


def _check_reactions(s: Scenario, problems: _Problems) -> None:
    gone = problems.left_out
    preferences = None if gone.whole("preferences") else gone.all_ids(s, "preferences")
    for i, reaction in enumerate(s.reactions):
        loc: tuple[str | int, ...] = ("reactions", gone.reaction_index(i))
        party = reaction.party
        if problems.known((*loc, "party"), party, s.parties, "party") and (
            party in s.parties and preferences is not None and party not in preferences
        ):
            problems.add(
                (*loc, "party"),
                f"party {party!r} has no preferences, so its reaction is evidence about nothing "
                f"(it cannot agree or disagree with any assumption): give {party} preferences, "
                "or leave the reaction out",
                party,
            )
        problems.known((*loc, "proposal"), reaction.proposal, s.proposals, "proposal")
        _check_sources(s, problems, (*loc, "source"), reaction.source)
        proposal = s.proposals.get(reaction.proposal)
        if proposal is not None and reaction.date < proposal.date:
            problems.add(
                (*loc, "date"),
                f"dated {reaction.date}, before the proposal it reacts to "
                f"({reaction.proposal!r}, dated {proposal.date})",
            )
        if s.as_of is not None and reaction.date > s.as_of:
            problems.add(
                (*loc, "date"), f"dated {reaction.date} after the scenario's as_of {s.as_of}"
            )


def grid_is_valid(issue: Issue) -> bool:
    """Whether an issue's options are well defined: named options, or a well-formed grid."""
    return _grid_ok(issue)


def _check_outcome(s: Scenario, problems: _Problems) -> None:
    """Check the outcome: required parts by status, dates, packages, references."""
    outcome = s.outcome
    if outcome is None:
        return
    loc: tuple[str | int, ...] = ("outcome",)
    if outcome.status == "pending":
        for name in ("date", "text", "package"):
            if getattr(outcome, name) is not None:
                problems.add(
                    (*loc, name),
                    f"a pending outcome has no {name}: the talks have not ended as of the "
                    "scenario's date (give the status they ended with)",
                )
        if outcome.source:
            problems.add(
                (*loc, "source"),
                "a pending outcome has no source: cite the sources of its interim outcomes",
            )
        if not outcome.interim:
            problems.add(
                loc,
                "a pending outcome records interim outcomes; without any, leave the outcome "
                "section out",
            )
    else:
        for name in ("date", "text", "source"):
            if not getattr(outcome, name):
                problems.add(
                    loc,
                    f"missing required field {name!r}: an outcome that is {outcome.status} "
                    f"needs its {name}",
                )
        if outcome.status == "agreed" and outcome.package is None:
            problems.add(
                loc,
                "missing required field 'package': an agreed outcome needs the agreed package "
                "(an option for every issue, each term citing its source)",
            )
        if outcome.status == "broke-down" and outcome.package is not None:
            problems.add(
                (*loc, "package"),
                "talks that broke down agreed on no package: leave 'package' out (or give the "
                "status 'agreed')",
            )
    _check_sources(s, problems, (*loc, "source"), outcome.source)
    if outcome.date is not None and s.as_of is not None and outcome.date > s.as_of:
        problems.add((*loc, "date"), f"dated {outcome.date} after the scenario's as_of {s.as_of}")
    if outcome.package is not None:
        _check_package(s, problems, (*loc, "package"), outcome.package)
    previous: dt.date | None = None
    for i, step in enumerate(outcome.interim):
        iloc: tuple[str | int, ...] = (*loc, "interim", i)
        _check_sources(s, problems, (*iloc, "source"), step.source)
        if outcome.date is not None and step.date >= outcome.date:
            problems.add(
                (*iloc, "date"),
                f"dated {step.date}, not before the final outcome ({outcome.date}): an interim "
                "outcome comes before the end",
            )
        elif s.as_of is not None and step.date > s.as_of:
            problems.add((*iloc, "date"), f"dated {step.date} after the scenario's as_of {s.as_of}")
        if previous is not None and step.date < previous:
            problems.add(
                (*iloc, "date"),
                f"dated {step.date}, before the interim outcome listed above it ({previous}): "
                "list interim outcomes in date order",
            )
        previous = step.date if previous is None else max(previous, step.date)
        if step.package is not None:
            _check_package(s, problems, (*iloc, "package"), step.package)


def _check_package(
    s: Scenario, problems: _Problems, loc: tuple[str | int, ...], package: dict[str, Term]
) -> None:
    """An outcome's package: an option for every issue, each known and citing its source."""
    gone = problems.left_out
    for issue_id, term in package.items():
        tloc = (*loc, issue_id)
        if not problems.known(tloc, issue_id, s.issues, "issue"):
            continue
        if (
            issue_id in s.issues
            and _grid_ok(s.issues[issue_id])
            and not problems.known(
                tloc, term.option, s.issues[issue_id].option_ids(), "option", issue_id
            )
        ):
            continue  # one problem per term at a time: the missing source, once the option is right
        if not term.source:
            problems.add(
                tloc,
                f"the term on {issue_id!r} cites no source: write it as "
                "{option: ..., source: [source-id]}",
            )
        _check_sources(s, problems, (*tloc, "source"), term.source)
    missing = [i for i in gone.all_ids(s, "issues") if i not in package]
    if missing and not gone.whole("issues"):
        problems.add(
            loc,
            "the package says nothing on "
            + ", ".join(repr(i) for i in missing)
            + ": an outcome's package gives an option for every issue",
        )
