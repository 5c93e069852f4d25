"""Exporting to GENIUS: what cannot be expressed is refused, and import(export(s)) keeps utilities.

Two independent checks of an export: GENIUS's own formula applied to the written files (read
back with the standard library's ElementTree, not zopa's reader), and the round trip through
zopa's importer; both must give zopa's utility of every package.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io.genius_files import genius_utility, raw_utility, read_back, two_party_folder

import zopa
from zopa.errors import UsageError
from zopa.io.genius_import import import_genius_folder
from zopa.io.genius_write import GeniusExportError, decimal_text, export_genius
from zopa.io.scenario_file import parse_scenario
from zopa.model.numbers import point
from zopa.model.scenario import Scenario, format_number
from zopa.space.compile import compile_scenario


def package_utilities(s: Scenario) -> np.ndarray:
    """``(packages, parties)`` utilities, packages in index order (first issue slowest),
    parties in alphabetical order (a folder's utility files are read in file-name order)."""
    space = compile_scenario(s)
    u = np.zeros((space.n_parties, 1))
    for c in space.contributions:
        u = (u[:, :, None] + c[:, None, :]).reshape(space.n_parties, -1)
    order = np.argsort(space.parties)
    return np.asarray(u[order].T)


def exact_utilities(s: Scenario) -> list[list[Fraction | None]]:
    """Per package, each party's utility as a Fraction on zopa's exact grid (None: inexact);
    parties in alphabetical order."""
    space = compile_scenario(s)
    grid = space.grid
    order = sorted(range(space.n_parties), key=lambda r: space.parties[r])
    out = []
    for idx in itertools.product(*[range(len(o)) for o in space.options]):
        row: list[Fraction | None] = []
        for r in order:
            total = sum(int(grid.contributions[i][r, k]) for i, k in enumerate(idx))
            row.append(Fraction(total, int(grid.units[r])) if grid.exact[r] else None)
        out.append(row)
    return out


def round_trip(s: Scenario, folder: Path, **kw: Any) -> Scenario:
    export_genius(s, **kw).write(folder)
    return import_genius_folder(folder).scenario


def assert_same_utilities(before: Scenario, after: Scenario) -> None:
    assert np.abs(package_utilities(after) - package_utilities(before)).max() <= 1e-12
    if compile_scenario(before).size > 5_000:
        return
    for row_a, row_b in zip(exact_utilities(before), exact_utilities(after), strict=True):
        for a, b in zip(row_a, row_b, strict=True):
            if a is not None and b is not None:
                assert a == b
    for party, prefs in before.preferences.items():
        reservation = after.preferences[party].reservation
        assert float(reservation) == pytest.approx(point(prefs.reservation), abs=1e-15)  # type: ignore[arg-type]


def assert_genius_agrees(s: Scenario, folder: Path) -> None:
    """GENIUS's formula on the exported files gives zopa's utility of every package."""
    domain_file = next(folder.glob("*-domain.xml"))
    expected = package_utilities(s)
    for r, party in enumerate(sorted(compile_scenario(s).parties)):
        issues, weights, evaluations, reservation, _ = read_back(
            domain_file, folder / f"{party}.xml"
        )
        assert Fraction(reservation) == Fraction(repr(point(s.preferences[party].reservation)))
        labels = [
            issue.values
            if issue.kind == "discrete"
            else range(int(issue.lower), int(issue.upper) + 1)
            for issue in issues
        ]
        for n, bid in enumerate(itertools.product(*labels)):
            got = float(genius_utility(issues, weights, evaluations, bid))
            assert got == pytest.approx(expected[n, r], abs=1e-12), (party, bid)
            # and NegMAS's reading of the same files (raw evaluations, integers from 0) agrees
            raw = float(raw_utility(issues, weights, evaluations, bid))
            assert raw == pytest.approx(expected[n, r], abs=1e-12), (party, bid)


# -- random small scenarios -----------------------------------------------------------------

TENTHS = st.integers(0, 20).map(lambda k: k / 20)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_parties = draw(st.integers(1, 3))
    parties = [f"P{k}" for k in range(n_parties)]
    issues: dict[str, Any] = {}
    grids: dict[str, list[float]] = {}
    for k in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["named", "integer", "half"]))
        if kind == "named":
            n = draw(st.integers(2, 4))
            issues[f"i{k}"] = {
                "name": f"Issue {k}",
                "options": {f"o{j}": f"Option {j}" for j in range(n)},
            }
        else:
            low = draw(st.integers(-3, 3))
            n = draw(st.integers(2, 5))
            step = 1 if kind == "integer" else 0.5
            issues[f"i{k}"] = {
                "name": f"Number {k}",
                "range": {"min": low, "max": low + (n - 1) * step, "step": step},
            }
            grids[f"i{k}"] = [low + j * step for j in range(n)]
    preferences = {}
    for p in parties:
        weights = {i: draw(st.integers(0, 5)) * 0.1 for i in issues}
        if not any(weights.values()):
            weights[next(iter(issues))] = 0.4
        values: dict[str, Any] = {}
        for i, spec in issues.items():
            if "options" in spec:
                values[i] = {o: draw(TENTHS) for o in spec["options"]}
            elif draw(st.booleans()):
                grid = grids[i]
                ys = [draw(TENTHS) for _ in range(draw(st.integers(2, 3)))]
                xs = (
                    [grid[0], grid[-1]]
                    if len(ys) == 2
                    else [grid[0], (grid[0] + grid[-1]) / 2, grid[-1]]
                )
                values[i] = {"piecewise": [[x, y] for x, y in zip(xs, ys, strict=True)]}
            else:
                values[i] = {format_number(x): draw(TENTHS) for x in grids[i]}
        preferences[p] = {
            "weights": weights,
            "values": values,
            "reservation": draw(TENTHS),
            "basis": "Assumption.",
        }
    data: dict[str, Any] = {
        "zopa": 1,
        "id": "random",
        "title": "A random scenario",
        "parties": {p: {"name": p, "role": "party"} for p in parties},
        "issues": issues,
        "preferences": preferences,
    }
    if draw(st.booleans()):
        data["dynamics"] = {"discount": {parties[0]: draw(st.sampled_from([0.5, 0.9, 1.0]))}}
    return parse_scenario(json.dumps(data), "random.yaml")


@given(s=scenarios())
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_round_trip_keeps_every_utility(
    s: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("export")
    after = round_trip(s, folder)
    assert_genius_agrees(s, folder)
    assert [i.name for i in after.issues.values()] == [i.name for i in s.issues.values()]
    assert_same_utilities(s, after)
    discount_before = s.dynamics.discount if s.dynamics else {}
    discount_after = after.dynamics.discount if after.dynamics else {}
    assert {p: d for p, d in discount_before.items() if d < 1} == discount_after


def test_integer_linear_issues_are_written_as_integer_issues(tmp_path: Path) -> None:
    s = import_genius_folder(two_party_folder(tmp_path / "shop")).scenario
    files = export_genius(s).files
    integer = 'etype="integer" type="integer" vtype="integer" lowerbound="0" upperbound="4"'
    assert integer in files["shop-domain.xml"]
    assert 'slope="-0.25" offset="1"' in files["buyer.xml"]
    assert 'slope="0.25" offset="0"' in files["seller.xml"]
    assert '<discount_factor value="0.8">' in files["seller.xml"]
    # a kink for one party: the issue becomes a discrete issue of its grid points
    data = s.model_dump(mode="json", exclude_none=True)
    data["preferences"]["buyer"]["values"]["Price"] = {"piecewise": [[0, 1.0], [2, 0.2], [4, 0.0]]}
    files = export_genius(Scenario.model_validate(data)).files
    assert 'name="Price" index="2" etype="discrete"' in files["shop-domain.xml"]
    assert '<item index="2" value="1" evaluation="0.6">' in files["buyer.xml"]
    # integers not starting at 0 are written as discrete issues too (NegMAS reads an integer
    # evaluator from 0, GENIUS from the lower bound)
    data["preferences"]["buyer"]["values"]["Price"] = (
        s.preferences["buyer"].values["Price"].model_dump()
    )
    data["issues"]["Price"]["range"] = {"min": 1, "max": 5, "step": 1}
    data["preferences"]["buyer"]["values"]["Price"] = {"piecewise": [[1, 1.0], [5, 0.0]]}
    data["preferences"]["seller"]["values"]["Price"] = {"piecewise": [[1, 0.0], [5, 1.0]]}
    files = export_genius(Scenario.model_validate(data)).files
    assert 'name="Price" index="2" etype="discrete"' in files["shop-domain.xml"]


def test_round_trip_of_an_imported_domain_is_exact(tmp_path: Path) -> None:
    s = import_genius_folder(two_party_folder(tmp_path / "shop")).scenario
    after = round_trip(s, tmp_path / "out")
    assert_same_utilities(s, after)
    assert_genius_agrees(s, tmp_path / "out")


def exportable_berlin() -> Scenario:
    """The default scenario with its consent rules removed (every party must agree)."""
    data = zopa.load().model_dump(mode="json", exclude_none=True)
    for issue in data["issues"].values():
        issue.pop("consent", None)
        for option in (issue.get("options") or {}).values():
            option["consent"] = []
    for party in data["parties"].values():
        party["role"] = "party"
    for key in ("proposals", "events", "reactions"):
        data.pop(key, None)
    data.pop("dynamics", None)
    return Scenario.model_validate(data)


def test_the_default_scenario_round_trips_once_its_consent_rules_are_removed(
    tmp_path: Path,
) -> None:
    s = exportable_berlin()
    with pytest.raises(GeniusExportError, match="--point-values"):
        export_genius(s)
    after = round_trip(s, tmp_path / "berlin", point_values=True)
    before_u, after_u = package_utilities(s), package_utilities(after)
    assert after_u.shape == before_u.shape == (compile_scenario(s).size, 6)
    assert np.abs(after_u - before_u).max() <= 1e-12
    assert list(after.parties) == ["CA", "EU", "JP", "RU", "UA", "US"]  # file-name order


def test_shipped_scenarios_are_refused_with_every_reason() -> None:
    with pytest.raises(GeniusExportError) as info:
        export_genius(zopa.load())
    text = str(info.value)
    assert "need the consent of UA, RU only" in text
    assert "options need the consent of further parties" in text
    assert "uncertain" in text
    for sid in ("chicken", "elmira", "prisoners-dilemma"):
        with pytest.raises(GeniusExportError, match="needs issues"):
            export_genius(zopa.load(sid))


def test_left_out_sections_are_noted(small_path: Path) -> None:
    data = parse_scenario(small_path.read_text(), "small").model_dump(
        mode="json", exclude_none=True
    )
    for issue in data["issues"].values():
        issue.pop("consent", None)
        for option in (issue.get("options") or {}).values():
            option["consent"] = []
    data["parties"]["US"]["role"] = "party"
    data["parties"]["EU"] = {"name": "Europe", "role": "observer"}
    result = export_genius(Scenario.model_validate(data), point_values=True)
    notes = " ".join(result.notes)
    assert "parties without preferences are not exported: EU" in notes
    assert "2 proposals, 2 events" in notes
    assert "point values" in notes


def test_write_refuses_to_overwrite(tmp_path: Path) -> None:
    s = import_genius_folder(two_party_folder(tmp_path / "shop")).scenario
    export = export_genius(s)
    export.write(tmp_path / "out")
    with pytest.raises(UsageError, match="--force"):
        export.write(tmp_path / "out")
    export.write(tmp_path / "out", force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        export.write(tmp_path / "file")


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(3), "3"),
        (Fraction(-1, 8), "-0.125"),
        (Fraction(1, 3), "0.3333333333333333"),
        (Fraction(1, 10**12), "0.000000000001"),
        (Fraction(0), "0"),
    ],
)
def test_decimal_text(q: Fraction, text: str) -> None:
    assert decimal_text(q) == text
    assert float(text) == float(q)


def test_values_are_written_as_they_were_read(tmp_path: Path) -> None:
    # an ANAC value may end in a space ("BI-Tech founders get 5% + jobs "): GENIUS matches it as
    # written, so the export must keep it
    from tests.io.genius_files import Issue, domain, profile, write_folder

    odd = Issue("Deal", values=["jobs ", " jobs", "cash"])
    folder = write_folder(
        tmp_path / "odd",
        {"d.xml": domain([odd]), "a.xml": profile([odd], ["1"], [["1", "2", "3"]])},
    )
    s = import_genius_folder(folder).scenario
    files = export_genius(s).files
    assert 'value="jobs "' in files["odd-domain.xml"]
    assert 'value=" jobs" evaluation="0.6666666666666666"' in files["a.xml"]
    after = round_trip(s, tmp_path / "out")
    assert_same_utilities(s, after)
