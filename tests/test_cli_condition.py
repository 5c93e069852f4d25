"""``zopa robust --given-reactions/--prior-only``: conditioning on the reactions from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import SMALL_SCENARIO, invoke
from tests.robust.reaction_scenarios import (
    BERLIN_REACTIONS,
    CALIBRATION,
    CLOSED_FORM,
    reaction,
    write_with_reactions,
)

from zopa.catalog import load

RUN_KEYS = {"samples", "seed", "inputs", "proposals", "zone", "nash", "robust_bridges"}
CONDITIONING_KEYS = {
    "given_reactions",
    "reactions",
    "note",
    "method",
    "explained",
    "samples",
    "budget",
    "prior_draws",
    "accepted",
    "acceptance_rate",
    "ess",
    "marginal_likelihood",
    "smc",
    "evidence",
    "ignored",
    "inputs",
}


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calibration scenario with three reactions."""
    out = tmp_path_factory.mktemp("reactions") / "record.yaml"
    return write_with_reactions(
        CALIBRATION,
        [
            reaction("A", "p11", "accepts", 1),
            reaction("B", "p01", "basis-for-talks", 2),
            reaction("B", "p20", "rejects", 3),
        ],
        out,
    )


def _json(*args: str) -> dict[str, object]:
    result = invoke("robust", *args, "--workers", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_a_scenario_with_reactions_is_conditioned_by_default(record: Path) -> None:
    data = _json(str(record), "--samples", "300")
    assert RUN_KEYS | {"scenario", "engine", "prior", "conditioning", "warnings"} == set(data)
    c = data["conditioning"]
    assert isinstance(c, dict)
    assert set(c) == CONDITIONING_KEYS
    assert c["given_reactions"] is True
    assert c["reactions"] == 3
    assert c["method"] == "rejection"
    assert c["explained"] is True
    assert 0 < c["acceptance_rate"] < 1
    assert c["ess"] == 300
    assert [e["stance"] for e in c["evidence"]] == ["accepts", "basis-for-talks", "rejects"]
    assert set(c["evidence"][0]) == {
        "date",
        "party",
        "proposal",
        "stance",
        "source",
        "prior_consistent",
        "mass_removed",
        "rest_explained",
        "posterior_consistent",
    }
    assert set(c["inputs"][0]) == {"input", "range", "prior", "posterior", "shift", "ks"}
    assert set(c["inputs"][0]["prior"]) == {"q05", "q50", "q95"}
    prior = data["prior"]
    assert isinstance(prior, dict)
    assert set(prior) == RUN_KEYS
    explicit = _json(str(record), "--samples", "300", "--given-reactions")
    assert explicit == data


def test_prior_only_samples_the_ranges_alone_and_says_so(record: Path) -> None:
    data = _json(str(record), "--samples", "300", "--prior-only")
    assert data["prior"] is None
    assert data["conditioning"] == {
        "given_reactions": False,
        "reactions": 3,
        "note": "prior only: the scenario's 3 reactions were not used "
        "(given_reactions=False, --prior-only)",
    }
    table = invoke("robust", str(record), "--samples", "300", "--workers", "1", "--prior-only")
    assert "Reactions: prior only" in table.stdout


def test_a_scenario_without_reactions_runs_as_before() -> None:
    data = _json(str(SMALL_SCENARIO), "--samples", "200")
    assert data["prior"] is None
    assert data["conditioning"] == {"given_reactions": False, "reactions": 0, "note": None}


def test_given_reactions_without_reactions_is_a_usage_error() -> None:
    result = invoke("robust", str(SMALL_SCENARIO), "--given-reactions", "--samples", "200")
    assert result.exit_code == 2
    assert "has no reactions to condition on" in result.stderr


def test_given_reactions_with_another_engine_is_a_usage_error() -> None:
    result = invoke("robust", "elmira", "--engine", "stability", "--given-reactions")
    assert result.exit_code == 2
    assert "cannot be conditioned" in result.stderr


def test_the_other_engines_say_they_are_not_conditioned(tmp_path: Path) -> None:
    from tests.robust.reaction_scenarios import BERLIN

    path = write_with_reactions(BERLIN, BERLIN_REACTIONS, tmp_path / "berlin.yaml")
    result = invoke(
        "robust", str(path), "--engine", "forecast", "--samples", "20", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)["conditioning"]
    assert c["given_reactions"] is False
    assert c["reactions"] == len(BERLIN_REACTIONS)
    assert "only the space engine is conditioned" in c["note"]
    table = invoke("robust", str(path), "--engine", "forecast", "--samples", "20")
    assert "only the space engine is conditioned" in " ".join(table.stdout.split())
    assert load(str(path)).reactions


def test_the_table_reports_the_method_and_prior_against_posterior(record: Path) -> None:
    result = invoke("robust", str(record), "--samples", "300", "--workers", "1")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "given the parties' reactions?" in text
    assert "Method: exact rejection sampling" in text
    assert "effective sample size 300" in text
    for heading in (
        "What the reactions changed",
        "Before → given the reactions: each proposal",
        "Before → given the reactions: the zone and the bridges",
        "inputs the reactions moved most",
        "Each reaction as evidence",
    ):
        assert heading in text
    assert "A walk-away point" in text or "B walk-away point" in text


def test_a_record_the_ranges_cannot_explain_warns_on_stderr(tmp_path: Path) -> None:
    path = write_with_reactions(
        CLOSED_FORM, [reaction("A", "low", "accepts")], tmp_path / "contradicted.yaml"
    )
    result = invoke("robust", str(path), "--samples", "200", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "warning: the assumptions' ranges cannot explain the record" in result.stderr
    assert "A accepts low" in result.stderr
    assert "Not conditioned" in " ".join(result.stdout.split())


def test_the_posterior_chart_is_written_and_refused_without_reactions(
    record: Path, tmp_path: Path
) -> None:
    out = tmp_path / "posterior.svg"
    result = invoke(
        "robust",
        str(record),
        "--samples",
        "300",
        "--workers",
        "1",
        "--chart",
        str(out),
        "--chart-name",
        "posterior",
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")
    refused = invoke(
        "robust",
        str(record),
        "--prior-only",
        "--samples",
        "300",
        "--workers",
        "1",
        "--chart",
        str(tmp_path / "no.svg"),
        "--chart-name",
        "posterior",
    )
    assert refused.exit_code == 2
    assert "posterior" in refused.stderr
