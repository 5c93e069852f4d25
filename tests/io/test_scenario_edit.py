"""Writing explored values into a scenario file: round trip through the safe loader."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_api import SMALL

import zopa
from zopa.api import scenario_yaml
from zopa.catalog import embedded_text
from zopa.io.scenario_file import parse_scenario
from zopa.robust.explore import assumption_list

BERLIN = embedded_text("berlin-2025-12").decode()
# the small scenario, with an uncertain value under a numeric option key and no mode
SMALL_TEXT = SMALL.read_text().replace(
    "army: {400: 1, 600: 0.5, 800: 0}", "army: {400: 1, 600: {low: 0.3, high: 0.7}, 800: 0}"
)
RU = "preferences.RU.reservation"
ARMY = "preferences.UA.values.army-cap.piecewise[1] (x=600)"
NATO = "preferences.UA.weights.nato"


def _round_trip(text: str, values: dict[str, float]) -> str:
    out = scenario_yaml(text, values)
    assert parse_scenario(out) == zopa.assume(parse_scenario(text), values)
    return out


def test_berlin_round_trip_with_a_piecewise_point_a_weight_and_a_walk_away_point() -> None:
    values = {RU: 0.48, ARMY: 0.3, NATO: 0.12}
    out = _round_trip(BERLIN, values)
    changed = [(a, b) for a, b in zip(BERLIN.splitlines(), out.splitlines(), strict=True) if a != b]
    # three numbers, three bases: nothing else (comments, flow style, quoting) moves
    assert len(changed) == 6
    assert "      nato: {mode: 0.12, low: 0.05, high: 0.15}" in out
    assert "[600, {mode: 0.3, low: 0.25, high: 0.45}]" in out
    assert "    reservation: {mode: 0.48, low: 0.35, high: 0.65}" in out
    assert '(edited in the workspace: UA value of army-cap at 600 0.35 → 0.3)"' in out
    assert out.count("# ") == BERLIN.count("# ")


def test_small_round_trip_adds_a_mode_and_marks_one_text_bases() -> None:
    s = parse_scenario(SMALL_TEXT)
    paths = [a.path for a in assumption_list(s)]
    assert paths == [
        "preferences.UA.weights.army",
        "preferences.RU.values.army.600",
        "preferences.RU.reservation",
    ]
    out = _round_trip(SMALL_TEXT, {paths[0]: 0.55, paths[1]: 0.45, paths[2]: 0.42})
    assert "600: {mode: 0.45, low: 0.3, high: 0.7}" in out
    assert "reservation: {mode: 0.42, low: 0.4, high: 0.6}" in out
    # one basis text for UA; RU's falls back to its general entry
    assert (
        'basis: "Assumption: see [src1]. (edited in the workspace: UA weight of army 0.6 → 0.55)"'
        in out
    )
    assert (
        'general: "Assumption. (edited in the workspace: RU value of army=600 0.5 → 0.45; RU walk-away 0.5 → 0.42)"'
        in out
    )
    assert out.startswith("# A small valid scenario")


def test_point_values_leave_the_text_alone() -> None:
    assert scenario_yaml(BERLIN, {RU: 0.5}) is BERLIN


BERLIN_SCENARIO = parse_scenario(BERLIN)
ITEMS = [a for a in assumption_list(BERLIN_SCENARIO) if a.party in ("UA", "RU")]


@st.composite
def edits(draw: st.DrawFn) -> dict[str, float]:
    chosen = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True))
    return {a.path: draw(st.floats(a.low, a.high)) for a in chosen}


@settings(max_examples=15, deadline=None)
@given(values=edits())
def test_any_values_in_range_round_trip(values: dict[str, float]) -> None:
    out = scenario_yaml(BERLIN, values)
    loaded = parse_scenario(out)
    assert loaded == zopa.assume(BERLIN_SCENARIO, values)
    assert zopa.explore(loaded).margin == zopa.explore(BERLIN_SCENARIO, values).margin
