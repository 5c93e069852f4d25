"""zopa.diff: what changed in a scenario, in its own terms, and in what the analysis says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SMALL_SCENARIO, invoke

import zopa
from zopa.io.scenario_file import parse_scenario
from zopa.store.diff import Change, result_changes, scenario_changes

SMALL = SMALL_SCENARIO.read_text(encoding="utf-8")


def _edit(old: str, new: str, text: str = SMALL) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _pair(new_text: str) -> tuple[object, object]:
    return parse_scenario(SMALL, "old.yaml"), parse_scenario(new_text, "new.yaml")


def _one(changes: list[Change], key: str) -> Change:
    found = [c for c in changes if c.key == key]
    assert len(found) == 1, [c.key for c in changes]
    return found[0]


def test_the_same_scenario_has_no_changes() -> None:
    a, b = _pair(SMALL)
    assert scenario_changes(a, b) == []  # type: ignore[arg-type]


def test_a_walk_away_point_with_its_range_is_reported_with_old_and_new_values() -> None:
    a, b = _pair(_edit("reservation: {low: 0.4, high: 0.6}", "reservation: {low: 0.3, high: 0.4}"))
    changes = scenario_changes(a, b)  # type: ignore[arg-type]
    c = _one(changes, "preferences.RU.reservation")
    assert (c.section, c.kind, c.label) == ("assumptions", "changed", "RU walk-away")
    assert c.old == {"point": 0.5, "low": 0.4, "high": 0.6, "mode": None}
    assert c.new == {"point": 0.35, "low": 0.3, "high": 0.4, "mode": None}
    assert c.note == "-0.150"
    assert len(changes) == 1


def test_point_values_without_a_range_and_weights_and_values_are_named_as_the_explorer_does() -> (
    None
):
    text = _edit("    reservation: 0.5\n", "    reservation: 0.55\n")
    text = _edit("      nato: 0.4\n", "      nato: {mode: 0.4, low: 0.3, high: 0.5}\n", text)
    text = _edit("army: {400: 1, 600: 0.5, 800: 0}", "army: {400: 1, 600: 0.7, 800: 0}", text)
    changes = scenario_changes(*_pair(text))  # type: ignore[arg-type]
    walk = _one(changes, "preferences.UA.reservation")
    assert (walk.old["point"], walk.new["point"], walk.new["low"]) == (0.5, 0.55, None)
    weight = _one(changes, "preferences.UA.weights.nato")
    assert weight.label == "UA weight of nato"
    assert weight.note == "range only"
    assert weight.new["low"] == 0.3
    value = _one(changes, "preferences.RU.values.army.600")
    assert value.label == "RU value of army=600"
    assert (value.old["point"], value.new["point"]) == (0.5, 0.7)


def test_an_added_proposal_and_a_changed_term_are_reported_issue_by_issue() -> None:
    text = _edit("      nato: closed\n", "      nato: open\n")
    text = _edit(
        "events:\n",
        "  counter:\n    title: A counter\n    by: RU\n    date: 2025-12-12\n"
        "    source: src2\n    terms:\n      nato: closed\n      army: 400\n"
        "events:\n",
        text,
    )
    changes = scenario_changes(*_pair(text))  # type: ignore[arg-type]
    term = _one(changes, "plan.terms.nato")
    assert (term.kind, term.old, term.new) == ("changed", "closed", "open")
    added = _one(changes, "counter")
    assert (added.section, added.kind, added.old) == ("proposals", "added", None)
    assert "A counter" in added.new
    assert "2025-12-12" in added.new


def test_sources_events_and_basis_edits_are_reported() -> None:
    text = _edit(
        "  src2: {publisher: Wire, title: Another report}\n",
        "  src2: {publisher: Wire, title: Another report, date: 2025-12-02}\n"
        "  src3: {publisher: Daily, title: A third report}\n",
    )
    text = _edit("text: Talks held.", "text: Talks held in Geneva.", text)
    text = _edit(
        'basis: "Assumption: see [src1]."', 'basis: "Assumption: see [src1], [src3]."', text
    )
    changes = scenario_changes(*_pair(text))  # type: ignore[arg-type]
    assert _one(changes, "src3").kind == "added"
    date = _one(changes, "src2.date")
    assert (date.old, date.new) == (None, "2025-12-02")
    kinds = {(c.section, c.kind) for c in changes if c.section == "events"}
    assert kinds == {("events", "added"), ("events", "removed")}
    basis = _one(changes, "preferences.UA.basis")
    assert basis.new == "Assumption: see [src1], [src3]."


def test_removed_party_issue_option_are_reported() -> None:
    text = _edit(
        "      closed: {label: Door closed, consent: [US], source: src1}\n",
        "      closed: {label: Door closed, consent: [US], source: src1}\n"
        "      neutral: {label: Neutral}\n",
    )
    text = _edit("nato: {open: 1, closed: 0}", "nato: {open: 1, closed: 0, neutral: 0.5}", text)
    text = _edit("nato: {open: 0, closed: 1}", "nato: {open: 0, closed: 1, neutral: 0.6}", text)
    text = _edit(
        "nato: {open: 0.3, closed: 0.7}", "nato: {open: 0.3, closed: 0.7, neutral: 0.5}", text
    )
    changes = scenario_changes(*_pair(text))  # type: ignore[arg-type]
    assert _one(changes, "nato.neutral").kind == "added"
    assert _one(changes, "preferences.RU.values.nato.neutral").new["point"] == 0.6


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_result_changes_match_the_two_analyses(tmp_path: Path) -> None:
    new_text = _edit("reservation: {low: 0.4, high: 0.6}", "reservation: {low: 0.8, high: 0.9}")
    old_path, new_path = _write(tmp_path, "a.yaml", SMALL), _write(tmp_path, "b.yaml", new_text)
    d = zopa.diff(old_path, new_path)
    ra, rb = zopa.analyze(old_path).to_dict(), zopa.analyze(new_path).to_dict()
    assert d.old.origin == d.new.origin == "computed now"
    # every acceptance flip of the two analyses is reported, and nothing else flips
    flips = {
        (p["id"], party)
        for p, q in zip(ra["proposals"], rb["proposals"], strict=True)
        for party in p["parties"]
        if p["parties"][party]["accepted"] != q["parties"][party]["accepted"]
    }
    assert flips, "the test needs a walk-away change that flips an acceptance"
    reported = {tuple(c.key.split(".")[:2]) for c in d.results if c.key.endswith(".accepted")}
    assert reported == flips
    for pid, party in flips:
        c = _one(list(d.results), f"{pid}.{party}.accepted")
        was = ra["proposals"][[p["id"] for p in ra["proposals"]].index(pid)]["parties"][party]
        assert c.old == ("accepts" if was["accepted"] else "rejects")
    margin = [c for c in d.results if c.key == "zopa.margin"]
    if ra["zopa"]["margin"] != rb["zopa"]["margin"]:
        assert (margin[0].old, margin[0].new) == (ra["zopa"]["margin"], rb["zopa"]["margin"])
    nash_a = (ra["solutions"].get("nash") or {}).get("package") or {}
    nash_b = (rb["solutions"].get("nash") or {}).get("package") or {}
    changed = {i for i in nash_b if nash_a.get(i) != nash_b.get(i)}
    assert {c.key.removeprefix("nash.") for c in d.results if c.section == "nash"} == (
        changed if nash_a and nash_b else {c.key for c in d.results if c.section == "nash"}
    )
    assert result_changes(ra, rb) == list(d.results)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 1.0).map(lambda x: round(x, 2)))
def test_any_walk_away_point_diffs_as_the_analyses_do(x: float) -> None:
    a = parse_scenario(SMALL, "a.yaml")
    b = parse_scenario(_edit("    reservation: 0.4\n", f"    reservation: {x}\n"), "b.yaml")
    ra, rb = zopa.analyze(a).to_dict(), zopa.analyze(b).to_dict()
    changes = result_changes(ra, rb)
    for p, q in zip(ra["proposals"], rb["proposals"], strict=True):
        flip = p["parties"]["US"]["accepted"] != q["parties"]["US"]["accepted"]
        assert any(c.key == f"{p['id']}.US.accepted" for c in changes) == flip
    walk = [c for c in scenario_changes(a, b) if c.key == "preferences.US.reservation"]
    assert bool(walk) == (x != 0.4)


def test_zopa_diff_reads_well_at_80_columns_and_in_json(tmp_path: Path) -> None:
    new_text = _edit("reservation: {low: 0.4, high: 0.6}", "reservation: {low: 0.1, high: 0.2}")
    a, b = _write(tmp_path, "a.yaml", SMALL), _write(tmp_path, "b.yaml", new_text)
    out = invoke("diff", str(a), str(b), env={"COLUMNS": "80"})
    assert out.exit_code == 0, out.output
    assert max(len(line) for line in out.stdout.splitlines()) <= 80
    assert "RU walk-away" in out.stdout
    assert "0.5 (0.4–0.6)" in out.stdout
    assert "0.15 (0.1–0.2)" in out.stdout
    assert "computed now" in out.stdout
    data = json.loads(invoke("diff", str(a), str(b), "--format", "json").stdout)
    assert data["scenario"][0]["key"] == "preferences.RU.reservation"
    assert data["old"]["results_from"] == "computed now"
    md = invoke("diff", str(a), str(b), "--format", "md").stdout
    assert md.startswith("# From ")


def test_a_stored_analysis_answers_for_its_version(tmp_path: Path) -> None:
    from zopa.store.store import Store

    new_text = _edit("reservation: {low: 0.4, high: 0.6}", "reservation: {low: 0.1, high: 0.2}")
    new_text = new_text.replace("{low: 0.1, high: 0.2}", "{low: 0.8, high: 0.9}")
    with Store.open() as store:
        store.save(SMALL, name="small.yaml")
        store.save(new_text, name="small.yaml")
    assert invoke("analyze", "small@1", "--save-run").exit_code in (0, 1)
    d = zopa.diff("small@1", "small@2")
    assert d.old.origin.startswith("stored run #")
    assert d.old.run_id is not None
    assert d.new.origin == "computed now"
    assert any(c.key.endswith(".accepted") for c in d.results)
    assert d.results == result_changes(
        zopa.analyze("small@1").to_dict(), zopa.analyze("small@2").to_dict()
    )


def test_an_unknown_version_lists_the_stored_ones() -> None:
    from zopa.store.store import Store

    with Store.open() as store:
        store.save(SMALL, name="small.yaml")
    out = invoke("diff", "small@1", "small@7")
    assert out.exit_code == 2
    assert "small@7" in out.stderr
    assert "small@1" in out.stderr
    assert "Traceback" not in out.output


@pytest.mark.parametrize("name", ["nosuch@1", "nosuch@latest"])
def test_a_reference_with_nothing_stored_is_a_clear_error(name: str) -> None:
    out = invoke("analyze", name)
    assert out.exit_code == 2
    assert "nosuch" in out.stderr
