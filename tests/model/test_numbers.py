"""Numbers an analyst may be unsure of: points, intervals and triangular distributions."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from zopa.model.numbers import NonNegativeNumber, Uncertain, UnitNumber, is_uncertain, point

unit: TypeAdapter[Any] = TypeAdapter(UnitNumber)
non_negative: TypeAdapter[Any] = TypeAdapter(NonNegativeNumber)


def test_point_is_the_mode_when_given() -> None:
    assert Uncertain(0.2, 0.9, mode=0.3).point == 0.3


def test_point_is_the_midpoint_without_a_mode() -> None:
    assert Uncertain(0.2, 0.6).point == pytest.approx(0.4)


def test_point_of_a_mode_equal_to_zero_is_zero() -> None:
    # a falsy mode is still a mode
    assert Uncertain(0.0, 0.5, mode=0.0).point == 0.0


def test_point_function() -> None:
    assert point(0.25) == 0.25
    assert isinstance(point(1), float)
    assert point(Uncertain(0.0, 1.0)) == 0.5
    assert is_uncertain(Uncertain(0.0, 1.0))
    assert not is_uncertain(0.5)


def test_to_dict() -> None:
    assert Uncertain(0.1, 0.3).to_dict() == {"low": 0.1, "high": 0.3}
    assert list(Uncertain(0.1, 0.3, 0.2).to_dict()) == ["mode", "low", "high"]


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        (0, 0.0),
        (1, 1.0),
        (0.5, 0.5),
        ({"low": 0.2, "high": 0.4}, Uncertain(0.2, 0.4)),
        ({"low": 0.2, "high": 0.2}, Uncertain(0.2, 0.2)),
        ({"mode": 0.3, "low": 0.2, "high": 0.4}, Uncertain(0.2, 0.4, 0.3)),
        ({"mode": 0.2, "low": 0.2, "high": 0.4}, Uncertain(0.2, 0.4, 0.2)),
        ({"low": 0, "high": 1}, Uncertain(0.0, 1.0)),
        (Uncertain(0.1, 0.2), Uncertain(0.1, 0.2)),
    ],
)
def test_unit_number_accepts(given_: Any, expected: Any) -> None:
    value = unit.validate_python(given_)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("given_", "message"),
    [
        (1.01, "must lie in [0, 1], got 1.01"),
        (-0.5, "must lie in [0, 1], got -0.5"),
        ({"low": -0.1, "high": 0.5}, "must lie in [0, 1], got -0.1"),
        ({"low": 0.1, "high": 1.5}, "must lie in [0, 1], got 1.5"),
        ({"low": 0.5, "high": 0.4}, "low (0.5) must not exceed high (0.4)"),
        ({"mode": 0.6, "low": 0.2, "high": 0.4}, "mode (0.6) must lie between low (0.2) and high"),
        ({"mode": 0.1, "low": 0.2, "high": 0.4}, "mode (0.1) must lie between"),
        ({"low": 0.2}, "got keys low"),
        ({"low": 0.2, "high": 0.4, "median": 0.3}, "got keys high, low, median"),
        ({}, "got keys none"),
        (True, "value must be a number, got True"),
        ("0.5", "value must be a number, got '0.5'"),
        (None, "value must be a number, got None"),
        ({"low": "a", "high": 1}, "low must be a number, got 'a'"),
        ({"low": 0, "high": False}, "high must be a number, got False"),
        (math.nan, "value must be a finite number"),
        (math.inf, "value must be a finite number"),
        ({"low": 0, "high": math.inf}, "high must be a finite number"),
    ],
)
def test_unit_number_refuses(given_: Any, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        unit.validate_python(given_)
    (error,) = info.value.errors()
    assert message in error["msg"]
    assert "{" not in error["msg"].replace("{low, high}", "").replace("{mode, low, high}", "")


def test_non_negative_number() -> None:
    assert non_negative.validate_python(0) == 0.0
    assert non_negative.validate_python(250) == 250.0
    assert non_negative.validate_python({"low": 0, "high": 7}) == Uncertain(0.0, 7.0)
    with pytest.raises(ValidationError, match=r"must be at least 0, got -0\.1"):
        non_negative.validate_python(-0.1)


def test_serialisation() -> None:
    assert unit.dump_python(Uncertain(0.1, 0.3, 0.2)) == {"mode": 0.2, "low": 0.1, "high": 0.3}
    assert unit.dump_python(0.4) == 0.4
    assert unit.validate_python(unit.dump_python(Uncertain(0.1, 0.3))) == Uncertain(0.1, 0.3)


def test_json_schema_has_the_bounds() -> None:
    schema = unit.json_schema()
    number, interval = schema["anyOf"]
    assert number == {"type": "number", "minimum": 0.0, "maximum": 1.0}
    assert interval["required"] == ["low", "high"]
    assert "maximum" not in non_negative.json_schema()["anyOf"][0]


bounds = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(bounds, bounds, bounds)
def test_point_lies_in_the_interval(a: float, b: float, c: float) -> None:
    low, mode, high = sorted([a, b, c])
    for spec in ({"low": low, "high": high}, {"mode": mode, "low": low, "high": high}):
        value = unit.validate_python(spec)
        assert low <= point(value) <= high
