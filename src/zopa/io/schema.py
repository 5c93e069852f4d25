"""The JSON Schema of the scenario format, as published for editors and other tools."""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://zopa.invalid/schema/scenario-1.json"


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of scenario files, format version 1."""
    from zopa.model.scenario import Scenario

    schema = Scenario.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
