"""Forecast inputs: per issue, a one-dimensional scale and the actors' capability, position, salience.

A scenario's optional ``forecast:`` section gives, for each issue to forecast, what the
expected-utility model and its baselines (:mod:`zopa.forecast`) need::

    forecast:
      army-cap:                              # an issue of the scenario (a free id if it has none)
        scale: {min: 400, max: 1000, unit: thousand troops}   # default {min: 0, max: 100}
        anchors:                             # the issue's options (free labels if no issue)
          600: {at: 600, label: "600k: US 28-point plan"}
          800: 800                           # a bare number: the option's own label is used
        actors:                              # party ids of the scenario (free ids if none)
          UA:
            capability: {mode: 30, low: 20, high: 40}     # ≥ 0, any scale: only ratios matter
            position: 800                                 # on the scale
            salience: {mode: 0.6, low: 0.5, high: 0.7}    # on 0–1 (not 0–100)
            basis: "Assumption. ... [source-id]."

Every number may be uncertain (``{low, high}`` or ``{mode, low, high}``, see
:mod:`zopa.model.numbers`): deterministic runs use the point value, Monte Carlo runs sample it.
Capabilities and saliences are always analyst judgements, so every actor entry needs a ``basis``
that says ``Assumption`` and cites the statements it rests on as ``[source-id]``.

As in :mod:`zopa.model.strategic`, pydantic checks the shapes; :func:`check_forecast` checks what
only the whole scenario can tell (known issues, parties, options and sources; positions and
anchors on the scale) and returns ``(location, message, value)`` problems.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from zopa.model.base import ID_PATTERN, Model, Text, basis_problems
from zopa.model.numbers import (
    NonNegativeNumber,
    Uncertain,
    _dump,
    _parse,
    _schema,
    point,
)

Loc = tuple[str | int, ...]


def _salience(value: Any) -> float | Uncertain:
    try:
        return _parse(value, 0.0, 1.0)
    except PydanticCustomError as exc:
        if exc.type != "number_range":
            raise
        raise PydanticCustomError(
            "number_range",
            "{message}: salience is on 0–1 in scenario files (divide a 0–100 figure by 100)",
            {"message": exc.message()},
        ) from None


Salience = Annotated[
    float | Uncertain,
    PlainValidator(_salience),
    PlainSerializer(_dump),
    WithJsonSchema(_schema(0.0, 1.0)),
]
"""A salience in [0, 1], possibly uncertain."""

Position = Annotated[
    float | Uncertain,
    PlainValidator(lambda v: _parse(v, None, None)),
    PlainSerializer(_dump),
    WithJsonSchema(_schema(None, None)),
]
"""A point on the issue's scale, possibly uncertain (checked against the scale later)."""


class Scale(Model):
    """The one-dimensional scale an issue is forecast on."""

    min: float = 0.0
    max: float = 100.0
    unit: str | None = None


class Anchor(Model):
    """A labelled point of the scale: where one of the issue's options lies."""

    at: float = Field(strict=False, description="The point on the scale.")
    label: Text | None = Field(
        default=None, description="How to name it in reports (default: the option's label)."
    )
    source: Annotated[
        list[str],
        BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
        WithJsonSchema(
            {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
        ),
    ] = Field(default_factory=list)


def _anchor_form(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"at": value}
    return value


def _anchor_keys(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    from zopa.model.scenario import format_number

    return {
        format_number(k) if isinstance(k, int | float) and not isinstance(k, bool) else k: v
        for k, v in value.items()
    }


class ForecastActor(Model):
    """One actor on one issue: capability, position, salience, and what they rest on."""

    capability: NonNegativeNumber = Field(description="≥ 0, on any scale (only ratios matter).")
    position: Position = Field(description="The actor's position on the issue's scale.")
    salience: Salience = Field(description="How much the issue matters to the actor, on 0–1.")
    basis: Text = Field(
        description="What the numbers rest on: says 'Assumption' and cites [source-id]s."
    )


class ForecastIssue(Model):
    """One issue to forecast: its scale, labelled anchors and actors."""

    name: Text | None = None
    scale: Scale = Field(default_factory=Scale)
    anchors: Annotated[
        dict[
            str,
            Annotated[Anchor, BeforeValidator(_anchor_form, json_schema_input_type=float | Anchor)],
        ],
        BeforeValidator(_anchor_keys),
    ] = Field(
        default_factory=dict,
        description="Option id (a free label if the scenario has no issues) -> its point.",
    )
    actors: dict[str, ForecastActor] = Field(
        min_length=1, description="Party id (a free id if the scenario has no parties) -> inputs."
    )
    note: str | None = None


ForecastSection = dict[str, ForecastIssue]
"""Issue id -> what to forecast it from."""


def _bounds(x: float | Uncertain) -> tuple[float, float]:
    return (x.low, x.high) if isinstance(x, Uncertain) else (float(x), float(x))


def _shown(items: Collection[str], limit: int = 12) -> str:
    listed = list(items)
    return ", ".join(listed[:limit]) + (", …" if len(listed) > limit else "")


def check_forecast(
    section: Mapping[str, ForecastIssue],
    *,
    issues: Mapping[str, Collection[str] | None] | None,
    parties: Collection[str] | None,
    sources: Collection[str] | None,
) -> list[tuple[Loc, str, Any]]:
    """Check a forecast section against its scenario.

    Parameters
    ----------
    section
        The parsed section.
    issues
        Issue id -> its option ids (None: not checkable, e.g. a broken grid), or None/empty
        when the scenario has no issues (free ids and free anchor labels are then allowed).
    parties
        The scenario's party ids, or None/empty for free actor ids.
    sources
        The scenario's source ids (citations in bases are checked against them).

    Returns
    -------
    list
        ``(location in the section, message, offending value)``; empty when valid.
    """
    problems: list[tuple[Loc, str, Any]] = []

    def add(loc: Loc, message: str, value: Any = None) -> None:
        problems.append((loc, message, value))

    for issue_id, spec in section.items():
        loc: Loc = (issue_id,)
        options: Collection[str] | None = None
        free = not issues
        if issues:
            if issue_id not in issues:
                add(
                    loc, f"unknown issue {issue_id!r} (expected one of: {_shown(issues)})", issue_id
                )
            else:
                options = issues[issue_id]
        elif not ID_PATTERN.match(issue_id):
            add(loc, f"{issue_id!r} is not a valid id", issue_id)
        lo, hi = spec.scale.min, spec.scale.max
        scale_ok = lo < hi and math.isfinite(hi - lo)
        if not lo < hi:
            add((*loc, "scale"), f"min ({lo:g}) must be below max ({hi:g})")
        elif not scale_ok:
            add(
                (*loc, "scale"),
                f"the scale {lo:g}..{hi:g} is too wide: max − min must be a finite number",
            )
        where = f"the scale {lo:g}..{hi:g}"
        for key, anchor in spec.anchors.items():
            aloc = (*loc, "anchors", key)
            if options is not None and key not in options:
                add(
                    aloc,
                    f"unknown option {key!r} of issue {issue_id!r} "
                    f"(expected one of: {_shown(options)})",
                    key,
                )
            elif free and not ID_PATTERN.match(key):
                add(aloc, f"{key!r} is not a valid anchor id", key)
            if scale_ok and not lo <= anchor.at <= hi:
                # (a bare-number anchor has no 'at' key: the location falls back to the entry)
                add((*aloc, "at"), f"anchor {anchor.at:g} lies outside {where}", anchor.at)
            for i, ref in enumerate(anchor.source):
                if sources is not None and ref not in sources:
                    add(
                        (*aloc, "source", i) if len(anchor.source) > 1 else (*aloc, "source"),
                        f"unknown source {ref!r}",
                        ref,
                    )
        positive = False
        for actor_id, actor in spec.actors.items():
            aloc = (*loc, "actors", actor_id)
            if parties:
                if actor_id not in parties:
                    add(
                        aloc,
                        f"unknown party {actor_id!r} (expected one of: {_shown(parties)})",
                        actor_id,
                    )
            elif not ID_PATTERN.match(actor_id):
                add(aloc, f"{actor_id!r} is not a valid id", actor_id)
            plo, phi = _bounds(actor.position)
            if scale_ok and (plo < lo or phi > hi):
                bad = plo if plo < lo else phi
                add((*aloc, "position"), f"position {bad:g} lies outside {where}", bad)
            for message, value in basis_problems(actor.basis, sources, "capability and salience"):
                add((*aloc, "basis"), message, value)
            if point(actor.capability) > 0 and point(actor.salience) > 0:
                positive = True
        if not positive:
            add(
                (*loc, "actors"),
                "every actor has zero capability or zero salience: at least one needs both "
                "positive",
            )
    return problems
