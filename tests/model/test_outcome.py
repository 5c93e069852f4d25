"""The ``outcome:`` section: how the talks ended, and what a scenario cut to a date knows of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zopa.io.scenario_file import load_scenario_file, parse_scenario
from zopa.model import as_of_cut
from zopa.model.scenario import Scenario
from zopa.render.document import to_markdown
from zopa.render.scenario_view import scenario_document

GOOD = Path(__file__).parents[1] / "io" / "good_scenarios" / "outcome.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario_file(GOOD)


def test_the_outcome_is_read(scenario: Scenario) -> None:
    outcome = scenario.outcome
    assert outcome is not None
    assert outcome.status == "agreed"
    assert outcome.date == dt.date(2025, 12, 14)
    assert outcome.package is not None
    assert {k: t.option for k, t in outcome.package.items()} == {"nato": "closed", "army": "600"}
    assert outcome.package["army"].source == ["src2"]
    assert [step.status for step in outcome.interim] == ["rejected"]


def test_a_breakdown_needs_no_package(scenario: Scenario) -> None:
    text = GOOD.read_text(encoding="utf-8")
    start = text.index("\noutcome:") + 1
    broke = text[:start] + (
        "outcome:\n  status: broke-down\n  date: 2025-12-14\n  text: Talks end.\n  source: src1\n"
    )
    outcome = parse_scenario(broke).outcome
    assert outcome is not None
    assert outcome.status == "broke-down"
    assert outcome.package is None


def test_on_or_after_the_outcome_date_the_cut_keeps_it(scenario: Scenario) -> None:
    cut = as_of_cut(scenario, "2025-12-14")
    assert cut.scenario.outcome == scenario.outcome
    assert not cut.outcome
    assert cut.interim == 0


def test_before_the_outcome_the_cut_leaves_it_out_and_keeps_known_interim_steps(
    scenario: Scenario,
) -> None:
    cut = as_of_cut(scenario, "2025-12-13")
    outcome = cut.scenario.outcome
    assert cut.outcome
    assert cut.interim == 0
    assert outcome is not None
    assert outcome.status == "pending"
    assert outcome.date is None
    assert outcome.package is None
    assert outcome.text is None
    assert outcome.interim == scenario.outcome.interim if scenario.outcome else False
    assert "the outcome dated after it" in cut.summary()
    assert cut.to_dict()["left_out"]["outcome"] is True


def test_before_every_interim_step_the_cut_has_no_outcome(scenario: Scenario) -> None:
    cut = as_of_cut(scenario, "2025-12-04")
    assert cut.scenario.outcome is None
    assert cut.outcome
    assert cut.interim == 1
    assert "1 interim outcome and the outcome dated after it" in cut.summary()
    assert cut.to_dict()["left_out"]["interim"] == 1


def test_a_pending_outcome_is_cut_again(scenario: Scenario) -> None:
    pending = as_of_cut(scenario, "2025-12-13").scenario
    again = as_of_cut(pending, "2025-12-04")
    assert again.scenario.outcome is None
    assert not again.outcome
    assert again.interim == 1


def test_a_source_cited_only_by_the_outcome_goes_with_it(scenario: Scenario) -> None:
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace(
        "  src2: {publisher: Wire, title: Another report}",
        "  src2: {publisher: Wire, title: Another report}\n"
        "  signed: {publisher: Gov, title: The deal, date: 2025-12-14}",
    ).replace("  source: [src1]\n  package:", "  source: [signed]\n  package:")
    s = parse_scenario(text)
    assert "signed" in s.sources
    cut = as_of_cut(s, "2025-12-13")
    assert "signed" not in cut.scenario.sources
    assert "signed" in cut.sources


def test_show_prints_the_outcome(scenario: Scenario) -> None:
    text = to_markdown(scenario_document(scenario))
    assert "Outcome" in text
    assert "Agreed on 2025-12-14: A deal is signed. [src1]" in text
    assert "600: 600 thousand" in text
    assert "| 2025-12-05 | rejected |" in text
    pending = to_markdown(scenario_document(as_of_cut(scenario, "2025-12-13").scenario))
    assert "had not ended as of 2025-12-13" in pending
    assert "A deal is signed" not in pending
