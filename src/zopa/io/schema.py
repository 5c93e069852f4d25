"""The JSON Schema of the scenario format, as published for editors and other tools.

The schema is shipped as ``zopa/schema/scenario-1.schema.json`` (``make schema`` regenerates it
with :func:`schema_text`); a test checks that the shipped file is not stale.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://zopa.invalid/schema/scenario-1.json"
SCHEMA_FILE = "scenario-1.schema.json"


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of scenario files, format version 1."""
    from zopa.model.scenario import Scenario

    schema = Scenario.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """Return the schema as shipped: JSON indented by 2, UTF-8 text, with a final newline."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
