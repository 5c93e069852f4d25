"""The JSON Schema of the scenario format: shipped, up to date, and accepting real scenarios."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from zopa.catalog import DEFAULT, embedded_text
from zopa.io.schema import SCHEMA_FILE, SCHEMA_ID, scenario_schema, schema_text
from zopa.io.yaml_tree import read_yaml

BAD = Path(__file__).parent / "bad_scenarios"
GOOD = Path(__file__).parent / "good_scenarios" / "small.yaml"


def shipped() -> str:
    return (resources.files("zopa") / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")


def test_schema_is_draft_2020_12() -> None:
    schema = scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    # as_of, parties and issues are optional since standalone strategic scenarios (checked by
    # the model: issues or a strategic section; as_of with proposals or events)
    assert set(schema["required"]) == {"zopa", "id", "title"}
    assert {"as_of", "parties", "issues", "strategic"} <= set(schema["properties"])


def test_shipped_schema_is_up_to_date() -> None:
    # run `make schema` after changing the model
    assert shipped() == schema_text()


def test_shipped_schema_format() -> None:
    text = shipped()
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert text.startswith('{\n  "$schema": ')
    assert json.loads(text) == scenario_schema()


def yaml_data(raw: bytes) -> Any:
    data = read_yaml(raw.decode("utf-8")).data
    # plain YAML data is JSON data already (dates stay strings); check it survives JSON
    return json.loads(json.dumps(data, allow_nan=False))


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shipped())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_party_is_a_role() -> None:
    roles = scenario_schema()["$defs"]["Party"]["properties"]["role"]["enum"]
    assert roles[0] == "party"
    assert "belligerent" in roles


def test_default_scenario_matches_the_schema(validator: Any) -> None:
    errors = [
        f"{e.json_path}: {e.message}"
        for e in validator.iter_errors(yaml_data(embedded_text(DEFAULT)))
    ]
    assert errors == []


def test_small_scenario_matches_the_schema(validator: Any) -> None:
    assert validator.is_valid(yaml_data(GOOD.read_bytes()))


def test_reactions_scenario_matches_the_schema(validator: Any) -> None:
    path = GOOD.with_name("reactions.yaml")
    assert list(validator.iter_errors(yaml_data(path.read_bytes()))) == []


def test_strategic_scenario_matches_the_schema(validator: Any) -> None:
    path = GOOD.with_name("strategic.yaml")
    assert list(validator.iter_errors(yaml_data(path.read_bytes()))) == []


@pytest.mark.parametrize(
    "name",
    [
        "unknown-field",
        "unknown-field-party",
        "missing-required-field",
        "missing-required-top",
        "value-above-one",
        "negative-weight",
        "wrong-role",
        "wrong-type-quoted-number",
        "wrong-type-list-for-table",
        "uncertain-unknown-key",
        "wrong-version",
        "invalid-id",
        "strategic-bad-irreversible",
        "strategic-ranking-not-a-state",
        "strategic-one-decision-maker",
        "dynamics-unknown-field",
        "dynamics-negative-cost-of-war",
        "dynamics-rounds-zero",
        "dynamics-shift-above-one",
        "piecewise-single-point",
        "reaction-bad-stance",
        "reaction-quote-too-long",
        "reaction-without-source",
    ],
)
def test_shape_mistakes_fail_the_schema_too(validator: Any, name: str) -> None:
    assert not validator.is_valid(yaml_data((BAD / f"{name}.yaml").read_bytes()))
