"""The scenario model built from Python data: shapes, references, accessors."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from zopa.model.numbers import Uncertain
from zopa.model.scenario import (
    Issue,
    NumericRange,
    Option,
    Party,
    Piecewise,
    Scenario,
    Term,
    format_number,
    grid_is_valid,
)


def small() -> dict[str, Any]:
    """A valid scenario as plain Python data."""
    return {
        "zopa": 1,
        "id": "small",
        "title": "Small",
        "as_of": dt.date(2025, 12, 14),
        "sources": {"s1": {"publisher": "P", "title": "T"}},
        "parties": {
            "UA": {"name": "Ukraine", "role": "belligerent"},
            "RU": {"name": "Russia", "role": "belligerent"},
            "US": {"name": "United States", "role": "mediator"},
        },
        "issues": {
            "nato": {
                "name": "NATO",
                "options": {"open": "Door open", "closed": {"label": "Closed", "consent": ["US"]}},
                "if_silent": "open",
            },
            "army": {
                "name": "Army cap",
                "range": {"min": 400, "max": 600, "step": 50},
                "if_silent": 600,
            },
        },
        "preferences": {
            party: {
                "weights": {"nato": 0.5, "army": {"low": 0.4, "high": 0.6}},
                "values": {
                    "nato": {"open": 1, "closed": 0},
                    "army": {"piecewise": [[400, 0], [600, 1]]},
                },
                "reservation": 0.5,
                "basis": "Assumption [s1].",
            }
            for party in ("UA", "RU", "US")
        },
        "proposals": {
            "p1": {
                "title": "Plan",
                "by": "US",
                "date": "2025-12-01",
                "source": "s1",
                "terms": {"nato": "closed", "army": 450},
            },
            "p2": {
                "title": "Offer",
                "by": ["UA"],
                "date": dt.date(2025, 12, 14),
                "source": ["s1"],
                "terms": {"army": {"option": 600.0, "source": "s1"}},
                "undecided": ["nato"],
            },
        },
        "events": [
            {"date": "2025-12-10", "kind": "talks", "text": "Talks.", "source": "s1"},
        ],
    }


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors()]


def test_small_scenario_validates() -> None:
    s = Scenario.model_validate(small())
    assert s.id == "small"
    assert s.as_of == dt.date(2025, 12, 14)
    assert s.proposals["p1"].date == dt.date(2025, 12, 1)


def test_short_forms_are_normalised() -> None:
    s = Scenario.model_validate(small())
    assert s.issues["nato"].options == {
        "open": Option(label="Door open"),
        "closed": Option(label="Closed", consent=["US"]),
    }
    assert s.proposals["p1"].by == ["US"]
    assert s.proposals["p1"].source == ["s1"]
    assert s.proposals["p1"].terms["nato"] == Term(option="closed")
    assert s.proposals["p1"].terms["army"].option == "450"
    assert s.proposals["p2"].terms["army"].option == "600"
    assert s.issues["army"].if_silent == "600"
    assert s.preferences["UA"].weights["army"] == Uncertain(0.4, 0.6)
    assert s.preferences["UA"].values["army"] == Piecewise(piecewise=[(400.0, 0.0), (600.0, 1.0)])


def test_value_table_keys_may_be_numbers() -> None:
    data = small()
    data["preferences"]["RU"]["values"]["army"] = {400: 1, 450: 0.8, 500.0: 0.5, "550": 0.2, 600: 0}
    s = Scenario.model_validate(data)
    assert list(s.preferences["RU"].values["army"]) == ["400", "450", "500", "550", "600"]


def test_scenario_is_frozen() -> None:
    s = Scenario.model_validate(small())
    with pytest.raises(ValidationError):
        s.title = "Other"  # type: ignore[misc]


def test_model_dump_round_trips() -> None:
    s = Scenario.model_validate(small())
    assert Scenario.model_validate(s.model_dump(mode="json", exclude_none=True)) == s
    assert Scenario.model_validate(s.model_dump()) == s


# -- accessors --------------------------------------------------------------------------------


def test_package_of_fills_undecided_issues_with_if_silent() -> None:
    s = Scenario.model_validate(small())
    assert s.package_of("p1") == {"nato": "closed", "army": "450"}
    assert s.package_of("p2") == {"nato": "open", "army": "600"}


def test_issue_consent_defaults_to_the_belligerents() -> None:
    data = small()
    data["issues"]["army"]["consent"] = ["UA", "US"]
    s = Scenario.model_validate(data)
    assert s.issue_consent("nato") == ["UA", "RU"]
    assert s.issue_consent("army") == ["UA", "US"]


def test_numeric_grid_ids() -> None:
    issue = Issue(name="cap", range=NumericRange(min=400, max=1000, step=50))
    assert issue.option_ids() == [str(x) for x in range(400, 1001, 50)]
    assert issue.option_ids()[:3] == ["400", "450", "500"]
    assert issue.is_numeric
    assert issue.option_label("450") == "450"
    unit = Issue(name="cap", range=NumericRange(min=400, max=500, step=50, unit="k troops"))
    assert unit.option_label("450") == "450 k troops"


def test_fractional_grid_has_no_drift() -> None:
    issue = Issue(name="share", range=NumericRange(min=0, max=1, step=0.1))
    assert issue.option_ids() == [
        "0",
        "0.1",
        "0.2",
        "0.3",
        "0.4",
        "0.5",
        "0.6",
        "0.7",
        "0.8",
        "0.9",
        "1",
    ]


def test_named_options_in_order() -> None:
    s = Scenario.model_validate(small())
    assert s.issues["nato"].option_ids() == ["open", "closed"]
    assert s.issues["nato"].option_label("closed") == "Closed"
    assert not s.issues["nato"].is_numeric


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (400, "400"),
        (400.0, "400"),
        (-50, "-50"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.3"),
        (2.5, "2.5"),
        (1 / 3, "0.3333333333"),
        (1e-11, "0"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
    ],
)
def test_format_number(x: float, text: str) -> None:
    assert format_number(x) == text


def test_grid_is_valid() -> None:
    assert grid_is_valid(Issue(name="n", options={"a": Option(label="A"), "b": Option(label="B")}))
    assert grid_is_valid(Issue(name="n", range=NumericRange(min=0, max=10, step=5)))
    assert not grid_is_valid(Issue(name="n", range=NumericRange(min=0, max=10, step=3)))
    assert not grid_is_valid(Issue(name="n", range=NumericRange(min=10, max=0, step=5)))
    assert not grid_is_valid(Issue(name="n"))


# -- shape errors -----------------------------------------------------------------------------


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Party.model_validate({"name": "X", "role": "observer", "colour": "red"})


def test_strict_types() -> None:
    data = small()
    data["preferences"]["UA"]["reservation"] = "0.5"
    data["issues"]["army"]["range"]["min"] = "400"
    locs = [loc for loc, _ in errors_of(data)]
    assert ("preferences", "UA", "reservation") in locs
    assert ("issues", "army", "range", "min") in locs


# -- reference errors, all reported together ---------------------------------------------------


def test_reference_errors_are_reported_together() -> None:
    data = small()
    data["proposals"]["p1"]["by"] = "USA"
    data["proposals"]["p1"]["terms"]["navy"] = "big"
    data["events"][0]["claimed_by"] = "RUS"
    data["events"][0]["source"] = ["s1", "s9"]
    data["preferences"]["UA"]["basis"] = "Assumption [s1], [s2]."
    errors = errors_of(data)
    assert errors == [
        (("preferences", "UA", "basis"), "basis cites unknown source [s2]"),
        (("proposals", "p1", "by"), "unknown party 'USA' (expected one of: UA, RU, US)"),
        (
            ("proposals", "p1", "terms", "navy"),
            "unknown issue 'navy' (expected one of: nato, army)",
        ),
        (("events", 0, "source", 1), "unknown source 's9' (expected one of: s1)"),
        (("events", 0, "claimed_by"), "unknown party 'RUS' (expected one of: UA, RU, US)"),
    ]


def _one_option_only(d: dict[str, Any]) -> None:
    del d["issues"]["nato"]["options"]["closed"]
    for prefs in d["preferences"].values():
        del prefs["values"]["nato"]["closed"]
    d["proposals"]["p1"]["terms"]["nato"] = "open"


def _option_with_a_space(d: dict[str, Any]) -> None:
    d["issues"]["nato"]["options"]["a b"] = "Spaced"
    for prefs in d["preferences"].values():
        prefs["values"]["nato"]["a b"] = 0.5


@pytest.mark.parametrize(
    ("change", "loc", "fragment"),
    [
        (
            _one_option_only,
            ("issues", "nato", "options"),
            "at least two options",
        ),
        (
            lambda d: d["issues"]["army"].update(range={"min": 0, "max": 10_000, "step": 0.5}),
            ("issues", "army", "range", "step"),
            "the grid has 20,001 points; at most 10,000",
        ),
        (
            lambda d: d["issues"]["nato"].update(consent=[]),
            ("issues", "nato", "consent"),
            "consent lists nobody",
        ),
        (
            _option_with_a_space,
            ("issues", "nato", "options", "a b"),
            "'a b' is not a valid option id",
        ),
        (
            lambda d: d["parties"].update({"-X": {"name": "X", "role": "observer"}}),
            ("parties", "-X"),
            "'-X' is not a valid id",
        ),
        (
            lambda d: [p.update(role="observer") for p in d["parties"].values()],
            ("parties",),
            "no party has role 'party' or 'belligerent'",
        ),
        (
            lambda d: d["preferences"].pop("US"),
            ("preferences",),
            "party 'US' must consent to some issue or option but has no preferences",
        ),
        (
            lambda d: d["preferences"]["UA"]["values"]["army"].update(
                piecewise=[[400, 0], [400, 1]]
            ),
            ("preferences", "UA", "values", "army", "piecewise"),
            "the x coordinates must increase strictly",
        ),
        (
            lambda d: d["preferences"]["UA"].update(basis={"general": "A", "nato": "B", "x": "C"}),
            ("preferences", "UA", "basis", "x"),
            "unknown basis key 'x'",
        ),
        (
            lambda d: d["proposals"]["p2"].update(undecided=["nato", "army"]),
            ("proposals", "p2", "undecided", 1),
            "both decided in 'terms' and listed as undecided",
        ),
        (
            lambda d: d["proposals"]["p1"]["terms"].update(army=425),
            ("proposals", "p1", "terms", "army"),
            "unknown option '425' of issue 'army' (expected one of: 400, 450, 500, 550, 600)",
        ),
        (
            lambda d: d["events"][0].update(date="2025-12-15"),
            ("events", 0, "date"),
            "dated 2025-12-15 after the scenario's as_of 2025-12-14",
        ),
    ],
)
def test_reference_error(change: Any, loc: tuple[str | int, ...], fragment: str) -> None:
    data = copy.deepcopy(small())
    change(data)
    errors = errors_of(data)
    assert [e for e in errors if e[0] == loc and fragment in e[1]], errors
    assert len(errors) == 1, errors


def test_zero_weight_needs_no_values() -> None:
    data = small()
    data["preferences"]["US"]["weights"]["army"] = 0
    del data["preferences"]["US"]["values"]["army"]
    Scenario.model_validate(data)
    # an uncertain weight might not be zero: values are needed
    data["preferences"]["US"]["weights"]["army"] = {"low": 0, "high": 0.1}
    assert errors_of(data) == [(("preferences", "US", "values"), "no values for issue 'army'")]


def test_malformed_issue_is_reported_once() -> None:
    data = small()
    data["issues"]["nato"]["range"] = {"min": 0, "max": 1, "step": 1}
    assert errors_of(data) == [
        (
            ("issues", "nato"),
            "an issue needs exactly one of 'options' (named) or 'range' (numeric)",
        )
    ]
