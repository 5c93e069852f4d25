"""Importing GENIUS files: GENIUS's utilities exactly, folders found, everything refused located.

The reference is ``genius_utility`` (tests/io/genius_files.py): GENIUS's formula in exact
arithmetic, computed from the test's own inputs, not from zopa's import.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from tests.io.genius_files import (
    COLOUR,
    FRUIT,
    PRICE,
    Issue,
    bids,
    domain,
    genius_evaluation,
    genius_utility,
    profile,
    two_party_folder,
    write_folder,
)

from zopa.errors import UsageError
from zopa.io.genius_import import (
    DEFAULT_REAL_STEPS,
    GeniusImport,
    find_genius_files,
    import_genius,
    import_genius_folder,
    make_id,
    yaml_number,
)
from zopa.io.scenario_file import ScenarioError, parse_scenario
from zopa.model.scenario import Scenario
from zopa.space.compile import compile_scenario


def utilities(s: Scenario) -> dict[tuple[str, ...], np.ndarray]:
    """Each package's utilities (parties in scenario order), from zopa's compiled model."""
    space = compile_scenario(s)
    contributions = space.contributions
    out = {}
    for idx in itertools.product(*[range(len(o)) for o in space.options]):
        key = tuple(space.options[i][k] for i, k in enumerate(idx))
        out[key] = sum(contributions[i][:, k] for i, k in enumerate(idx))
    return out


def imported(tmp_path: Path, issues: list[Issue], parties: dict[str, tuple], **kw) -> GeniusImport:  # type: ignore[no-untyped-def]
    files = {"d.xml": domain(issues)}
    for name, (weights, evaluations, extra) in parties.items():
        files[f"{name}.xml"] = profile(issues, weights, evaluations, **extra)
    folder = write_folder(tmp_path / "dom", files)
    return import_genius(folder / "d.xml", [folder / f"{n}.xml" for n in parties], **kw)


def check_against_genius(
    result: GeniusImport, issues: list[Issue], parties: dict[str, tuple]
) -> None:
    found = utilities(result.scenario)
    s = result.scenario
    for bid in bids(issues):
        key = tuple(
            next(o for o, opt in s.issues[iid].options.items() if opt.label == x)
            if issue.kind == "discrete"
            else str(x)
            for iid, issue, x in zip(s.issues, issues, bid, strict=True)
        )
        expected = [float(genius_utility(issues, w, e, bid)) for w, e, _ in parties.values()]
        assert found[key] == pytest.approx(expected, abs=1e-15), bid


# -- semantics ------------------------------------------------------------------------------


def test_discrete_values_are_divided_by_the_largest_evaluation(tmp_path: Path) -> None:
    parties = {
        "a": (["0.7", "0.3"], [["3", "6", "1.5"], ["10", "4"]], {"reservation": "0.25"}),
        "b": (["0.5", "0.5"], [["0", "1", "2"], ["0.000001", "0.000002"]], {}),
    }
    result = imported(tmp_path, [FRUIT, COLOUR], parties)
    prefs = result.scenario.preferences
    assert prefs["a"].values["Fruit"] == {"apple": 0.5, "pear": 1.0, "plum": 0.25}
    assert prefs["a"].weights == {"Fruit": 0.7, "Colour": 0.3}  # as written
    # GENIUS: a largest evaluation below 1e-5 makes every value 0
    assert prefs["b"].values["Colour"] == {"red": 0.0, "green": 0.0}
    assert prefs["a"].reservation == 0.25
    assert prefs["b"].reservation == 0  # absent: 0, as in GENIUS
    check_against_genius(result, [FRUIT, COLOUR], parties)


def test_integer_issues_become_ranges_with_exact_piecewise_values(tmp_path: Path) -> None:
    wide = Issue("Price", kind="integer", lower="-5", upper="20")
    parties = {
        # clipped at 1 from x = 5 on, at 0 below x = 0: kinks between grid points
        "a": (["0.5", "0.5"], [["1", "2", "3"], ("0.07", "-0.3")], {}),
        "b": (["0.2", "0.8"], [["3", "2", "1"], ("-0.04", "1")], {}),
    }
    result = imported(tmp_path, [FRUIT, wide], parties)
    issue = result.scenario.issues["Price"]
    assert issue.range is not None
    assert (issue.range.min, issue.range.max, issue.range.step) == (-5, 20, 1)
    spec = result.scenario.preferences["a"].values["Price"]
    knots = [x for x, _ in spec.piecewise]  # type: ignore[union-attr]
    assert knots[0] == -5
    assert knots[-1] == 20
    assert len(knots) < 26  # only where the slope changes
    check_against_genius(result, [FRUIT, wide], parties)


def test_real_issues_are_discretised_and_reported(tmp_path: Path) -> None:
    speed = Issue("Speed", kind="real", lower="0", upper="1")
    evaluations = [
        ["1", "2", "3"],
        ("triangular", {"parameter0": "0.1", "parameter1": "0.9", "parameter2": "0.3"}),
    ]
    parties = {"a": (["0.5", "0.5"], evaluations, {})}
    result = imported(tmp_path, [FRUIT, speed], parties, real_steps=3)
    issue = result.scenario.issues["Speed"]
    assert issue.option_ids() == ["0", "0.3333333333", "0.6666666667", "1"]
    assert "discretised into 4 points" in (issue.description or "")
    assert any("--real-steps 3" in n for n in result.notes)
    u = utilities(result.scenario)
    for x in issue.option_ids():
        value = genius_evaluation(speed, evaluations[1], Fraction(x))
        expected = float(Fraction(1, 2) * Fraction(1, 3) + Fraction(1, 2) * value)
        assert u[("apple", x)][0] == pytest.approx(expected, abs=1e-15)
    default = imported(tmp_path / "default", [FRUIT, speed], parties)
    assert len(default.scenario.issues["Speed"].option_ids()) == DEFAULT_REAL_STEPS + 1


def test_weights_summing_to_one_within_double_precision_are_used_as_given(tmp_path: Path) -> None:
    third = "0.3333333333333333"  # three of them sum to 1 - 1e-16
    issues = [FRUIT, COLOUR, Issue("Size", values=["s", "m"])]
    parties = {
        "a": ([third, third, "0.3333333333333334"], [["1", "2", "3"], ["1", "2"], ["2", "1"]], {}),
        "b": ([third, third, third], [["3", "2", "1"], ["2", "1"], ["1", "2"]], {}),
    }
    result = imported(tmp_path, issues, parties)
    assert result.scenario.preferences["b"].values["Fruit"]["apple"] == 1
    assert any("within the precision" in n for n in result.notes)
    check_against_genius(result, issues, parties)


def test_weights_summing_below_one_keep_genius_utilities(tmp_path: Path) -> None:
    # GENIUS uses them as given: no bid is worth more than 0.8 to a
    parties = {"a": (["0.5", "0.3"], [["1", "2", "4"], ["1", "3"]], {"reservation": "0.5"})}
    result = imported(tmp_path, [FRUIT, COLOUR], parties)
    best = max(u[0] for u in utilities(result.scenario).values())
    assert best == pytest.approx(0.8, abs=1e-15)
    assert "times 0.8" in str(result.scenario.preferences["a"].basis)
    assert any("sum to 0.8" in n for n in result.notes)
    check_against_genius(result, [FRUIT, COLOUR], parties)


def test_weights_summing_above_one_are_refused_unless_scaled(tmp_path: Path) -> None:
    parties = {"a": (["0.7", "0.6"], [["1", "2", "4"], ["1", "3"]], {})}
    with pytest.raises(ScenarioError) as info:
        imported(tmp_path, [FRUIT, COLOUR], parties)
    problem = info.value.problems[0]
    assert "sum to 1.3" in problem.message
    assert "caps every utility at 1" in problem.message
    assert "--scale-weights" in problem.message
    assert problem.mark is not None
    text = (tmp_path / "dom" / "a.xml").read_text().splitlines()
    assert "<weight" in text[problem.mark.line - 1]
    scaled = imported(tmp_path / "scaled", [FRUIT, COLOUR], parties, scale_weights=True)
    assert "--scale-weights" in str(scaled.scenario.preferences["a"].basis)
    best = max(u[0] for u in utilities(scaled.scenario).values())
    assert best == pytest.approx(1.0)


def test_discount_goes_to_dynamics_and_imported_marks_the_preferences(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = import_genius_folder(folder)
    s = result.scenario
    assert s.id == "shop"
    assert list(s.parties) == ["buyer", "seller"]
    assert s.dynamics is not None
    assert s.dynamics.discount == {"seller": 0.8}
    for party in ("buyer", "seller"):
        prefs = s.preferences[party]
        assert prefs.imported == [f"genius-{party}"]
        assert s.sources[f"genius-{party}"].title == f"{party}.xml"
        assert "SHA-256" in (s.sources[f"genius-{party}"].note or "")
        assert "Imported from the GENIUS utility file" in str(prefs.basis)
    assert s.sources["genius-domain"].title == "shop-domain.xml"
    assert s.issues["Fruit"].source == ["genius-domain"]
    # the text written is the scenario validated
    assert parse_scenario(result.text, "again") == s


def test_names_and_ids(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = import_genius_folder(folder, names=["The Buyer", "The Buyer"])
    assert list(result.scenario.parties) == ["The-Buyer", "The-Buyer-2"]
    assert result.scenario.parties["The-Buyer"].name == "The Buyer"
    with pytest.raises(UsageError, match="3 names for 2 utility files"):
        import_genius_folder(folder, names=["a", "b", "c"])
    assert make_id("  ¿Qué? price (€) ", set()) == "Qu-price"
    assert make_id("---", set(), "x") == "x"
    taken = {"a"}
    assert make_id("a", taken) == "a-2"
    assert yaml_number(Fraction(1, 100_000)) == "0.00001"
    assert yaml_number(Fraction(3)) == "3"


def test_awkward_names_and_values_survive_yaml(tmp_path: Path) -> None:
    odd = Issue('Size "big" #1: yes', values=["true", "1e5", "null", "a: b", "€ 5, - 6"])
    parties = {"p": (["1"], [["1", "2", "3", "4", "5"]], {})}
    result = imported(tmp_path, [odd], parties)
    issue = next(iter(result.scenario.issues.values()))
    assert issue.name == 'Size "big" #1: yes'
    assert [o.label for o in issue.options.values()] == odd.values  # type: ignore[union-attr]


def test_too_many_integer_points_refused_with_the_line(tmp_path: Path) -> None:
    huge = Issue("Count", kind="integer", lower="0", upper="20000")
    with pytest.raises(ScenarioError) as info:
        imported(tmp_path, [huge], {"p": (["1"], [("0.0001", "0")], {})})
    problem = info.value.problems[0]
    assert "20,001 values" in problem.message
    assert problem.file.endswith("d.xml")
    assert problem.mark is not None


def test_real_steps_out_of_range(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    with pytest.raises(UsageError, match="real steps"):
        import_genius_folder(folder, real_steps=0)


# -- folders --------------------------------------------------------------------------------


def test_folder_discovery_skips_pareto_and_other_roots(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    (folder / "pareto.xml").write_text("<pareto>\n<bid>not xml &", encoding="utf-8")
    (folder / "tournament.xml").write_text("<Tournament/>", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    d, profiles = find_genius_files(folder)
    assert d.name == "shop-domain.xml"
    assert [p.name for p in profiles] == ["buyer.xml", "seller.xml"]


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, "is a directory: expected a scenario file, or a folder of GENIUS files"),
        ({"pareto.xml": "<pareto>"}, "no GENIUS domain file"),
        ({"d.xml": domain([FRUIT])}, "no GENIUS utility file"),
        (
            {"a.xml": domain([FRUIT]), "b.xml": domain([FRUIT])},
            "several GENIUS domain files (a.xml, b.xml)",
        ),
    ],
)
def test_bad_folders(tmp_path: Path, files: dict[str, str], words: str) -> None:
    folder = write_folder(tmp_path / "f", files)
    with pytest.raises(ScenarioError) as info:
        import_genius_folder(folder)
    assert words in info.value.problems[0].message


def test_a_broken_file_in_a_folder_is_located(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    (folder / "seller.xml").write_text("<utility_space>\n<objective>\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        import_genius_folder(folder)
    problem = info.value.problems[0]
    assert problem.file.endswith("seller.xml")
    assert problem.mark is not None
    assert problem.mark.line == 3
    assert str(problem).startswith(f"{folder / 'seller.xml'}:3:")


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such folder"):
        import_genius_folder(tmp_path / "none")


def test_zopa_load_converts_a_folder_on_the_fly(tmp_path: Path) -> None:
    import zopa

    folder = two_party_folder(tmp_path / "shop")
    s = zopa.load(str(folder))
    assert s.id == "shop"
    result = zopa.analyze(folder).result
    assert result.zone.total == 15
    assert [p.package for p in result.solutions["nash"]]


def test_every_integer_bid_of_the_two_party_folder_matches_genius(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = import_genius_folder(folder)
    parties = {
        "buyer": (["0.6", "0.4"], [["3", "6", "1.5"], ("-0.25", "1")], {}),
        "seller": (["0.25", "0.75"], [["2", "2", "8"], ("0.25", "0")], {}),
    }
    check_against_genius(result, [FRUIT, PRICE], parties)
