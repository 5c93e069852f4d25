"""The shipped standalone strategic scenarios: they load, validate, cite their sources, compile."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.catalog import embedded_ids, embedded_text, load
from zopa.cli import app
from zopa.gmcr.compile import compile_game
from zopa.io.yaml_tree import read_yaml
from zopa.model.base import cited_sources

EXAMPLES = ["chicken", "elmira", "prisoners-dilemma"]


def path_of(scenario_id: str) -> Path:
    traversable = resources.files("zopa.catalog") / f"{scenario_id}.yaml"
    assert isinstance(traversable, Path)
    return traversable


@pytest.mark.parametrize("scenario_id", EXAMPLES)
def test_loads_by_id_and_by_path(scenario_id: str) -> None:
    assert scenario_id in embedded_ids()
    s = load(scenario_id)
    assert s.id == scenario_id
    assert load(path_of(scenario_id)) == s
    assert s.strategic is not None
    assert s.as_of is None
    assert not s.parties
    assert not s.issues


@pytest.mark.parametrize("scenario_id", EXAMPLES)
def test_zopa_validate_accepts_the_file(scenario_id: str) -> None:
    result = CliRunner().invoke(
        app, ["validate", str(path_of(scenario_id))], env={"COLUMNS": "1000"}
    )
    assert result.exit_code == 0, result.output
    assert f"valid scenario '{scenario_id}'" in result.stdout


@pytest.mark.parametrize("scenario_id", EXAMPLES)
def test_matches_the_json_schema(scenario_id: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((resources.files("zopa") / "schema" / "scenario-1.schema.json").read_text())
    data = json.loads(json.dumps(read_yaml(embedded_text(scenario_id).decode()).data))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


@pytest.mark.parametrize("scenario_id", EXAMPLES)
def test_every_preference_cites_a_source(scenario_id: str) -> None:
    s = load(scenario_id)
    assert s.strategic is not None
    assert s.description
    for dm, pref in s.strategic.preferences.items():
        assert pref.basis, dm
        cited = cited_sources(pref.basis)
        assert cited, dm
        assert set(cited) <= set(s.sources)


@pytest.mark.parametrize("scenario_id", EXAMPLES)
def test_compiles(scenario_id: str) -> None:
    s = load(scenario_id)
    assert s.strategic is not None
    game = compile_game(s.strategic)
    assert game.status_quo is not None
    assert game.feasible[game.status_quo]
    for code in game.named.values():
        assert game.feasible[code]


def test_descriptions_cite_the_literature() -> None:
    assert "Rapoport & Chammah 1965" in (load("prisoners-dilemma").description or "")
    assert "Rapoport & Guyer" in (load("chicken").description or "")
    elmira = load("elmira").description or ""
    assert "Hipel" in elmira
    assert "Fang, Hipel & Kilgour (1993)" in elmira
