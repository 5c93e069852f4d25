"""The facade's assumption explorer: zopa.assumptions, zopa.explore, zopa.assume."""

from __future__ import annotations

import pytest
from tests.test_api import check_views

import zopa
from zopa.errors import UnknownId, UsageError

RU = "preferences.RU.reservation"


def test_assumptions_view() -> None:
    result = zopa.assumptions()
    check_views(result)
    data = result.to_dict()
    assert data["scenario"]["id"] == "berlin-2025-12"
    ru = next(a for a in data["assumptions"] if a["path"] == RU)
    assert ru["low"] == 0.35
    assert ru["high"] == 0.65
    assert ru["point"] == 0.5
    assert "[adaderana-2025-12-05]" in ru["basis"]
    assert len(result.to_frame()) == len(data["assumptions"])
    assert "RU walk-away" not in result.to_markdown()  # per-party tables drop the party
    assert "| walk-away | 0.35 | 0.5 | 0.65 |" in result.to_markdown()


def test_explore_view_and_values() -> None:
    result = zopa.explore(values={RU: 0.6})
    check_views(result)
    assert result.charts == ("acceptance",)
    data = result.to_dict()
    assert data["changed"] == [{"path": RU, "label": "RU walk-away", "point": 0.5, "value": 0.6}]
    assert data["values"][RU] == 0.6
    assert data["zone"]["exists"] is True
    assert result.margin < zopa.explore().margin
    rows = result.to_frame("proposals")
    assert set(rows.columns) >= {"proposal", "party", "utility", "walk_away", "gain", "accepted"}
    assert (rows[rows.party == "RU"].walk_away == 0.6).all()
    assert "RU walk-away" in result.headline()[0] or "1 assumption changed" in result.headline()[2]


def test_explore_refuses_unknown_paths_and_values_out_of_range() -> None:
    with pytest.raises(UnknownId, match=r"preferences\.RU\.reservatio"):
        zopa.explore(values={"preferences.RU.reservatio": 0.5})
    with pytest.raises(UsageError, match=r"range \[0\.35, 0\.65\], got 0\.9"):
        zopa.explore(values={RU: 0.9})
    with pytest.raises(UsageError, match="expected a number"):
        zopa.explore(values={RU: "0.5"})  # type: ignore[dict-item]
    with pytest.raises(UsageError, match="range"):
        zopa.explore(values={RU: float("nan")})


def test_explore_as_of_an_earlier_date() -> None:
    result = zopa.explore(values={RU: 0.4}, as_of="2025-11-24")
    assert [p.proposal for p in result.result.proposals] == [
        "us-28-point-2025-11-20",
        "e3-counter-2025-11-23",
        "geneva-19-point-2025-11-24",
    ]
    assert "as_of" in result.to_dict()


def test_assume_sets_the_point_value_and_marks_the_basis() -> None:
    s = zopa.assume(None, {RU: 0.48})
    number = s.preferences["RU"].reservation
    assert (number.low, number.high, number.mode) == (0.35, 0.65, 0.48)
    basis = s.preferences["RU"].basis
    assert isinstance(basis, dict)
    assert basis["reservation"].endswith(" (edited in the workspace: RU walk-away 0.5 → 0.48)")
    assert zopa.explore(s).to_dict()["zone"] == zopa.explore(values={RU: 0.48}).to_dict()["zone"]
    assert zopa.assume(None, {RU: 0.5}) == zopa.load()  # the point value: nothing edited
