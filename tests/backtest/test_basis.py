"""Which preference numbers rest only on sources dated before the outcome (:mod:`zopa.backtest.basis`)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.backtest.scenarios import scenario_text
from tests.conftest import TESTS

from zopa.backtest.basis import basis_texts, hold_at_point, number_bases
from zopa.io.scenario_file import parse_scenario
from zopa.model.numbers import Uncertain
from zopa.model.scenario import Piecewise
from zopa.robust.sampling import uncertain_inputs

OUTCOME = dt.date(2020, 3, 1)
REACTIONS = TESTS / "io" / "good_scenarios" / "reactions.yaml"


def bases(text: str) -> dict[str, tuple[bool, str, tuple[str, ...]]]:
    s = parse_scenario(text)
    return {n.path: (n.dated_before, n.reason, n.sources) for n in number_bases(s, OUTCOME)}


def test_a_number_citing_only_earlier_sources_is_dated_before() -> None:
    found = bases(scenario_text())
    dated, reason, sources = found["preferences.A.weights.x"]
    assert dated
    assert sources == ("early",)
    assert "dated before the outcome (the latest 2019-12-01)" in reason
    assert found["preferences.B.values.x.a1"][0]  # B's general basis: [early]


def test_a_specific_basis_adds_to_the_general_one() -> None:
    dated, reason, sources = bases(scenario_text())["preferences.B.reservation"]
    assert not dated
    assert sources == ("late", "early")  # its own entry, then the general one
    assert "[late], dated 2021-01-01, not before the outcome" in reason


def test_a_source_dated_on_the_outcome_day_is_not_before() -> None:
    text = scenario_text().replace("from the memoir [late]", "from the text [signed]")
    dated, reason, _ = bases(text)["preferences.B.reservation"]
    assert not dated
    assert "[signed], dated 2020-03-01" in reason


def test_an_undated_source_cannot_be_placed_before() -> None:
    text = scenario_text().replace('basis: "Assumption [early]."', 'basis: "Assumption [undated]."')
    dated, reason, _ = bases(text)["preferences.A.reservation"]
    assert not dated
    assert "[undated], which has no date" in reason


def test_a_basis_citing_nothing_is_not_dated() -> None:
    text = scenario_text().replace('basis: "Assumption [early]."', 'basis: "Assumption."')
    dated, reason, sources = bases(text)["preferences.A.weights.y"]
    assert not dated
    assert sources == ()
    assert "cites no source" in reason


@pytest.mark.parametrize(
    ("kind", "issue", "keys"),
    [
        ("weight", None, ["weights", "general"]),
        ("value", "x", ["x", "general"]),
        ("reservation", None, ["general"]),
    ],
)
def test_which_entries_speak_for_a_number(kind: str, issue: str | None, keys: list[str]) -> None:
    text = scenario_text().replace(
        '      reservation: "Assumption, from the memoir [late]."',
        '      weights: "W [early]."\n      x: "X [early]."',
    )
    prefs = parse_scenario(text).preferences["B"]
    assert isinstance(prefs.basis, dict)
    assert basis_texts(prefs, kind, issue) == [prefs.basis[k] for k in keys]


def test_every_number_is_listed_once_with_its_kind() -> None:
    found = number_bases(parse_scenario(scenario_text()), OUTCOME)
    assert len(found) == len({n.path for n in found}) == 16
    assert {n.kind for n in found} == {"weight", "value", "reservation"}
    assert [n.path for n in found if n.uncertain] == [
        "preferences.A.reservation",
        "preferences.B.reservation",
    ]
    data = found[0].to_dict()
    assert data["basis_dated_before_outcome"] is True
    assert set(data) == {
        "path",
        "party",
        "kind",
        "uncertain",
        "sources",
        "basis_dated_before_outcome",
        "reason",
    }


def test_holding_numbers_at_their_point_values() -> None:
    text = scenario_text(r_a="{mode: 0.4, low: 0.3, high: 0.5}").replace(
        "x: {a0: 0, a1: 0.5, a2: 1}", "x: {a0: 0, a1: {low: 0.4, high: 0.6}, a2: 1}"
    )
    s = parse_scenario(text)
    held = hold_at_point(s, {"preferences.B.reservation", "preferences.A.values.x.a1"})
    assert held.preferences["B"].reservation == 0.3
    assert held.preferences["A"].values["x"] == {"a0": 0, "a1": 0.5, "a2": 1}
    assert isinstance(held.preferences["A"].reservation, Uncertain)
    assert [i.path for i in uncertain_inputs(held)] == ["preferences.A.reservation"]
    assert hold_at_point(s, set()) is s
    assert hold_at_point(s, {"preferences.A.weights.x"}) is s  # a point value already


def test_holding_a_weight_and_a_point_of_a_piecewise_function() -> None:
    text = REACTIONS.read_text(encoding="utf-8")
    held = hold_at_point(parse_scenario(text), {"preferences.UA.weights.army"})
    assert held.preferences["UA"].weights["army"] == 0.6
    piecewise = parse_scenario(
        text.replace(
            "army: {piecewise: [[400, 0], [800, 1]]}",
            "army: {piecewise: [[400, {low: 0, high: 0.2}], [800, 1]]}",
        )
    )
    site = "preferences.UA.values.army.piecewise[0] (x=400)"
    assert site in [i.path for i in uncertain_inputs(piecewise)]
    fixed = hold_at_point(piecewise, {site})
    assert site not in [i.path for i in uncertain_inputs(fixed)]
    spec = fixed.preferences["UA"].values["army"]
    assert isinstance(spec, Piecewise)
    assert spec.piecewise[0] == (400, pytest.approx(0.1))
