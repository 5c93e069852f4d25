"""The scenario as known on an earlier date (``zopa.model.as_of``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zopa
from zopa.errors import UsageError
from zopa.model import as_of_cut, scenario_as_of
from zopa.space.analysis import scenario_stamp


@pytest.fixture(scope="module")
def berlin() -> zopa.model.Scenario:
    return zopa.load()


def test_a_date_on_or_after_as_of_changes_nothing(berlin: zopa.model.Scenario) -> None:
    for day in ("2025-12-14", "2026-06-01"):
        cut = as_of_cut(berlin, day)
        assert cut.scenario is berlin
        assert not cut.changed
        assert "nothing is left out" in cut.summary()


def test_proposals_events_and_sources_after_the_date_are_left_out(
    berlin: zopa.model.Scenario,
) -> None:
    cut = as_of_cut(berlin, dt.date(2025, 11, 23))
    s = cut.scenario
    assert s.as_of == dt.date(2025, 11, 23)
    assert list(s.proposals) == ["us-28-point-2025-11-20", "e3-counter-2025-11-23"]
    assert cut.proposals == (
        "geneva-19-point-2025-11-24",
        "russia-demands-2025-12-12",
        "kyiv-2025-12-14",
    )
    assert all(e.date <= s.as_of for e in s.events)
    assert cut.events == len(berlin.events) - len(s.events) == 11
    for sid in cut.sources:  # left out: dated later and cited by nothing kept
        date = berlin.sources[sid].date
        assert date is not None
        assert date > s.as_of
        assert sid not in s.sources
    for sid in cut.still_cited:  # kept, and said so
        assert sid in s.sources
    assert cut.sources
    assert cut.still_cited
    summary = cut.summary()
    assert f"3 proposals, 11 events, {cut.reactions} reactions and" in summary
    assert f"{len(cut.sources)} sources dated after it are left out" in summary
    assert "still cite" in summary


def test_reactions_after_the_date_are_left_out_and_counted(berlin: zopa.model.Scenario) -> None:
    day = dt.date(2025, 11, 24)
    cut = as_of_cut(berlin, day)
    kept = [r for r in berlin.reactions if r.date <= day]
    assert 0 < len(kept) < len(berlin.reactions)
    assert list(cut.scenario.reactions) == kept
    assert cut.reactions == len(berlin.reactions) - len(kept)
    assert f"{cut.reactions} reaction" in cut.summary()
    assert cut.changed


def test_a_reaction_reported_later_keeps_its_source(berlin: zopa.model.Scenario) -> None:
    # Putin spoke on 27 Nov; China Daily reported it on 28 Nov: as of 27 Nov the reaction
    # stays, and so does its later source, which the cut names as still cited
    cut = as_of_cut(berlin, "2025-11-27")
    r = next(r for r in cut.scenario.reactions if r.date == dt.date(2025, 11, 27))
    assert "chinadaily-2025-11-28" in r.source
    assert "chinadaily-2025-11-28" in cut.scenario.sources
    assert "chinadaily-2025-11-28" in cut.still_cited


def test_the_json_form_says_how_many_were_left_out(berlin: zopa.model.Scenario) -> None:
    cut = as_of_cut(berlin, "2025-11-24")
    data = cut.to_dict()
    assert data["date"] == "2025-11-24"
    assert data["scenario_as_of"] == "2025-12-14"
    assert data["left_out"] == {
        "proposals": len(cut.proposals),
        "events": cut.events,
        "reactions": cut.reactions,
        "sources": len(cut.sources),
        "shifts": cut.shifts,
        "outcome": False,
        "interim": 0,
    }
    assert data["proposals_left_out"] == list(cut.proposals)
    assert data["sources_left_out"] == list(cut.sources)
    assert data["sources_still_cited"] == list(cut.still_cited)
    assert data["summary"] == cut.summary()
    nothing = as_of_cut(berlin, "2026-01-01").to_dict()
    assert set(nothing["left_out"].values()) == {0}


def test_the_cut_is_a_valid_scenario_with_its_own_hash(berlin: zopa.model.Scenario) -> None:
    s = scenario_as_of(berlin, "2025-12-01")
    again = zopa.model.Scenario.model_validate(s.model_dump(mode="json"))
    assert again == s
    assert scenario_stamp(s)["sha256"] != scenario_stamp(berlin)["sha256"]
    assert scenario_stamp(s)["as_of"] == "2025-12-01"


def test_a_date_before_the_earliest_proposal_is_refused(berlin: zopa.model.Scenario) -> None:
    with pytest.raises(UsageError, match=r"earliest proposal .* 2025-11-20") as info:
        as_of_cut(berlin, "2025-11-19")
    assert info.value.parameter == "as_of"


@pytest.mark.parametrize("text", ["yesterday", "2025-13-01", "14.12.2025", ""])
def test_a_bad_date_is_refused(berlin: zopa.model.Scenario, text: str) -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        as_of_cut(berlin, text)


def test_reported_shifts_after_the_date_are_left_out(small_text: str, tmp_path: Path) -> None:
    text = small_text + (
        "dynamics:\n"
        "  round_days: 7\n"
        "  rounds: 4\n"
        "  drift:\n"
        "    UA: {cost_of_war: 0.01, basis: 'Assumption [src1].'}\n"
        "  shifts:\n"
        "    - {date: 2025-12-12, event: A reported setback., parties: {UA: -0.02},"
        " basis: 'Assumption [src1].', source: src1}\n"
        "    - {date: 2025-12-20, event: A what-if., hypothetical: true, parties: {UA: 0.01},"
        " basis: 'Assumption [src1].'}\n"
    )
    path = tmp_path / "shifts.yaml"
    path.write_text(text, encoding="utf-8")
    s = zopa.load(path)
    cut = as_of_cut(s, "2025-12-11")
    assert cut.shifts == 1
    assert cut.scenario.dynamics is not None
    assert [x.hypothetical for x in cut.scenario.dynamics.shifts] == [True]
    assert "1 reported shift of walk-away points" in cut.summary()
    assert list(cut.scenario.proposals) == ["plan"]


def test_an_undated_scenario_is_left_as_it_is() -> None:
    elmira = zopa.load("elmira")
    cut = as_of_cut(elmira, "2000-01-01")
    assert cut.scenario is elmira
    assert "not dated" in cut.summary()


@given(st.dates(dt.date(2025, 11, 20), dt.date(2026, 1, 31)))
def test_nothing_dated_after_the_cut_survives(day: dt.date) -> None:
    s = scenario_as_of(_berlin(), day)
    assert s.as_of == min(day, dt.date(2025, 12, 14))
    assert all(p.date <= day for p in s.proposals.values())
    assert all(e.date <= day for e in s.events)
    assert all(r.date <= day for r in s.reactions)
    assert all(r.proposal in s.proposals for r in s.reactions)
    assert s.proposals  # never before the earliest proposal here


_CACHE: dict[str, zopa.model.Scenario] = {}


def _berlin() -> zopa.model.Scenario:
    if "berlin" not in _CACHE:
        _CACHE["berlin"] = zopa.load()
    return _CACHE["berlin"]
