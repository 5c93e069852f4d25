"""Numbers an analyst may be unsure of.

Every judgement in a scenario (a weight, an option's value, a walk-away point) can be written as a
point, ``0.4``, or with its uncertainty: ``{low: 0.3, high: 0.5}`` (uniform over the interval) or
``{mode: 0.4, low: 0.3, high: 0.5}`` (triangular). Deterministic analyses use :attr:`point`: the
mode when given, otherwise the midpoint. The robustness engine samples the distribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Uncertain:
    """A number known only to lie in ``[low, high]``, optionally with a most likely value.

    Attributes
    ----------
    low, high
        The interval of plausible values.
    mode
        The most likely value (triangular distribution), or None (uniform).
    """

    low: float
    high: float
    mode: float | None = None

    @property
    def point(self) -> float:
        """The value deterministic analyses use: the mode, or else the midpoint."""
        return self.mode if self.mode is not None else (self.low + self.high) / 2

    def to_dict(self) -> dict[str, float]:
        """Return the scenario-file form."""
        out = {"low": self.low, "high": self.high}
        if self.mode is not None:
            out = {"mode": self.mode, **out}
        return out


def point(x: float | Uncertain) -> float:
    """Return the point value of a possibly uncertain number."""
    return x.point if isinstance(x, Uncertain) else float(x)


def is_uncertain(x: object) -> bool:
    """Whether ``x`` carries a range."""
    return isinstance(x, Uncertain)


def _real(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "number",
            "{what} must be a number, got {got}",
            {"what": what, "got": shown_value(value)},
        )
    try:
        x = float(value)  # an int beyond the float range overflows
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise PydanticCustomError(
            "number",
            "{what} must be a finite number, got {got}",
            {"what": what, "got": shown_value(value)},
        )
    return x


def shown_value(value: Any) -> str:
    """A value as written for a message, short even when it is a huge int or a long text."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1
        return f"{'-' if value < 0 else ''}an integer of about {digits:,} digits"
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(value, ".nan")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse(value: Any, lo: float | None, hi: float | None) -> float | Uncertain:
    if isinstance(value, Uncertain):
        value = value.to_dict()
    if isinstance(value, dict):
        unknown = set(value) - {"low", "high", "mode"}
        missing = {"low", "high"} - set(value)
        if unknown or missing:
            raise PydanticCustomError(
                "uncertain_number",
                "expected a number or an uncertain number {low, high} or {mode, low, high}; "
                "got keys {keys}",
                {"keys": ", ".join(sorted(value)) or "none"},
            )
        low = _real(value["low"], "low")
        high = _real(value["high"], "high")
        mode = _real(value["mode"], "mode") if "mode" in value else None
        if low > high:
            raise PydanticCustomError(
                "uncertain_number",
                "low ({low}) must not exceed high ({high})",
                {"low": low, "high": high},
            )
        if mode is not None and not low <= mode <= high:
            raise PydanticCustomError(
                "uncertain_number",
                "mode ({mode}) must lie between low ({low}) and high ({high})",
                {"mode": mode, "low": low, "high": high},
            )
        checked: float | Uncertain = Uncertain(low, high, mode)
        bounds_of = [low, high]
    else:
        checked = _real(value, "value")
        bounds_of = [checked]
    for x in bounds_of:
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            # pydantic fills ``{name}`` placeholders only, without format specs: format here
            bound = f"lie in [{lo:g}, {hi:g}]" if hi is not None else f"be at least {lo:g}"
            raise PydanticCustomError(
                "number_range", "must {bound}, got {got}", {"bound": bound, "got": f"{x:g}"}
            )
    return checked


def _schema(lo: float | None, hi: float | None) -> dict[str, Any]:
    bounds: dict[str, float] = {}
    if lo is not None:
        bounds["minimum"] = lo
    if hi is not None:
        bounds["maximum"] = hi
    return {
        "anyOf": [
            {"type": "number", **bounds},
            {
                "type": "object",
                "description": "uncertain: uniform on [low, high], or triangular with a mode",
                "properties": {
                    "low": {"type": "number", **bounds},
                    "high": {"type": "number", **bounds},
                    "mode": {"type": "number", **bounds},
                },
                "required": ["low", "high"],
                "additionalProperties": False,
            },
        ]
    }


def _dump(x: float | Uncertain) -> float | dict[str, float]:
    return x.to_dict() if isinstance(x, Uncertain) else x


def _number_type(lo: float | None, hi: float | None) -> Any:
    return Annotated[
        float | Uncertain,
        PlainValidator(lambda v: _parse(v, lo, hi)),
        PlainSerializer(_dump),
        WithJsonSchema(_schema(lo, hi)),
    ]


UnitNumber = _number_type(0.0, 1.0)
"""A number in [0, 1], possibly uncertain (option values, walk-away points)."""

NonNegativeNumber = _number_type(0.0, None)
"""A number >= 0, possibly uncertain (importance weights)."""

SignedUnitNumber = _number_type(-1.0, 1.0)
"""A number in [-1, 1], possibly uncertain (a change of a utility: a drift, a shift)."""
