"""``zopa.backtest``: choosing the scenarios, refusing what cannot be backtested, the result object."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.backtest.scenarios import BROKE_DOWN, scenario_text

import zopa
from zopa.backtest import HONESTY
from zopa.errors import UsageError
from zopa.results import Backtest


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("backtest")
    out = {}
    for name, text in (
        ("agreed", scenario_text(sid="agreed")),
        ("broke", scenario_text(BROKE_DOWN, r_a="0.8", sid="broke")),
    ):
        out[name] = folder / f"{name}.yaml"
        out[name].write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def result(files: dict[str, Path]) -> Backtest:
    return zopa.backtest([files["agreed"], files["broke"]], samples=100, seed=1, workers=1)


def test_one_summary_row_per_outcome_across_scenarios(result: Backtest) -> None:
    rows = result.to_dict()["summary"]
    assert [(r["scenario"], r["target"], r["status"]) for r in rows] == [
        ("agreed", "final", "agreed"),
        ("agreed", "interim-1", "rejected"),
        ("broke", "final", "broke-down"),
    ]
    agreed, _, broke = rows
    assert agreed["consistent_dates"] == agreed["checked_dates"] == agreed["dates"] == 3
    assert (agreed["nash_rank"], agreed["acceptable_packages"]) == (2, 2)
    assert (agreed["distance_nash"], agreed["distance_kalai_smorodinsky"]) == (1, 1)
    assert agreed["p_fits_dated"] == 1.0
    assert agreed["numbers_dated_before_outcome"] == 15
    assert broke["zone"] == "none"
    assert broke["p_fits"] == 1.0  # r_A = 0.8: no zone in any sample
    assert broke["nash_rank"] is None


def test_the_json_says_the_preferences_were_set_with_hindsight(result: Backtest) -> None:
    data = result.to_dict()
    assert data["honesty"] == HONESTY
    assert "not proof of foresight" in data["honesty"]
    assert data["settings"] == {
        "samples": 100,
        "seed": 1,
        "thin_margin": 0.05,
        "thin_probability": 0.5,
    }
    numbers = data["scenarios"][0]["targets"][0]["numbers"]
    flags = {n["path"]: n["basis_dated_before_outcome"] for n in numbers}
    assert flags["preferences.B.reservation"] is False
    assert flags["preferences.A.reservation"] is True
    assert set(data["definitions"]) >= {"p_fits", "nash_rank", "zone", "basis_dated_before_outcome"}


def test_every_report_carries_the_statement(result: Backtest) -> None:
    for text in (result.to_markdown(), result.to_html()):
        assert "not proof of foresight" in text
    assert "not proof of foresight" in "\n".join(
        b for b in result.document().blocks if isinstance(b, str)
    )


def test_the_headline_and_the_frames(result: Backtest) -> None:
    lines = result.headline()
    assert lines[0] == "2 scenarios backtested"
    assert "agreed: agreed 2020-03-01, consistent on 3 of 3 dates" in lines
    assert "broke: broke down 2020-03-01, consistent on 3 of 3 dates" in lines
    assert result.frames == ("summary", "dates", "numbers")
    assert len(result.to_frame("summary")) == 3
    dates = result.to_frame("dates")
    assert len(dates) == 3 + 2 + 3
    assert set(dates["consistent"]) == {True}
    numbers = result.to_frame("numbers")
    assert len(numbers) == 16 * 3
    assert result.charts == ()
    assert repr(result).startswith("<zopa backtest: 2 scenarios backtested>")


def test_a_scenario_without_an_outcome_is_refused() -> None:
    with pytest.raises(UsageError, match="no outcome section") as info:
        zopa.backtest("berlin-2025-12", samples=0)
    assert info.value.parameter == "scenario"


def test_a_pending_outcome_is_refused() -> None:
    pending = zopa.model.as_of_cut(
        zopa.load(Path("tests/io/good_scenarios/outcome.yaml")), "2025-12-10"
    )
    with pytest.raises(UsageError, match="had not ended"):
        zopa.backtest(pending.scenario, samples=0)


def test_a_scenario_named_twice_and_bad_samples_are_refused(files: dict[str, Path]) -> None:
    with pytest.raises(UsageError, match="named twice"):
        zopa.backtest([files["agreed"], files["agreed"]], samples=0)
    with pytest.raises(UsageError, match="samples must be at least 0"):
        zopa.backtest(files["agreed"], samples=-1)
    with pytest.raises(UsageError, match="no scenario"):
        zopa.backtest([], samples=0)


def test_without_scenarios_every_embedded_one_with_an_outcome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zopa.catalog

    monkeypatch.setattr(zopa.catalog, "embedded_ids", lambda: ["berlin-2025-12", "chicken"])
    with pytest.raises(UsageError, match="no embedded scenario has an outcome"):
        zopa.backtest(samples=0)


def test_progress_counts_every_analysis(files: dict[str, Path]) -> None:
    calls: list[tuple[int, int]] = []
    zopa.backtest(files["broke"], samples=0, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
