"""Scenarios shipped inside the package (the catalog); ``berlin-2025-12`` is the default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

DEFAULT = "berlin-2025-12"


def embedded_ids() -> list[str]:
    """Return the ids of the scenarios shipped with zopa, sorted."""
    folder = resources.files(__name__)
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def embedded_text(scenario_id: str) -> bytes:
    """Return the YAML bytes of an embedded scenario."""
    return (resources.files(__name__) / f"{scenario_id}.yaml").read_bytes()


def load(name: str | Path | None = None) -> Scenario:
    """Load a scenario by embedded id or by path; the default scenario when ``name`` is None.

    Raises
    ------
    zopa.io.scenario_file.ScenarioError
        When the file is missing, unreadable or invalid.
    """
    from zopa.io.scenario_file import Problem, ScenarioError, load_scenario_file, parse_scenario

    if name is None:
        name = DEFAULT
    if isinstance(name, str) and not Path(name).exists():
        if name in embedded_ids():
            return parse_scenario(embedded_text(name), f"<embedded>/{name}.yaml")
        message = f"no such file, and no embedded scenario of that id ({', '.join(embedded_ids())})"
        raise ScenarioError([Problem(name, None, "", message)])
    return load_scenario_file(name)
