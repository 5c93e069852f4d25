"""Scenarios with reactions, for the conditioning tests (built from shipped or test scenarios).

:func:`berlin_with_reactions` replaces the default scenario's sourced reactions with a few
plausible ones that rejection sampling can serve (the sourced record needs sequential Monte
Carlo): they are test data, not a record.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from zopa.io.scenario_file import parse_scenario
from zopa.model.scenario import Scenario

TESTS = Path(__file__).resolve().parents[1]
SMALL = TESTS / "io" / "good_scenarios" / "small.yaml"
BERLIN = TESTS.parent / "src" / "zopa" / "catalog" / "berlin-2025-12.yaml"

BERLIN_REACTIONS: list[dict[str, Any]] = [
    {
        "party": "UA",
        "proposal": "us-28-point-2025-11-20",
        "stance": "rejects",
        "date": dt.date(2025, 11, 21),
        "source": ["kyivindependent-2025-11-21"],
    },
    {
        "party": "RU",
        "proposal": "us-28-point-2025-11-20",
        "stance": "basis-for-talks",
        "date": dt.date(2025, 11, 21),
        "source": ["reuters-report-az-2025-11-24"],
    },
    {
        "party": "RU",
        "proposal": "e3-counter-2025-11-23",
        "stance": "rejects",
        "date": dt.date(2025, 11, 24),
        "source": ["reuters-report-az-2025-11-24"],
    },
    {
        "party": "UA",
        "proposal": "geneva-19-point-2025-11-24",
        "stance": "basis-for-talks",
        "date": dt.date(2025, 11, 25),
        "source": ["caliber-2025-11-24"],
    },
    {
        "party": "US",
        "proposal": "geneva-19-point-2025-11-24",
        "stance": "accepts",
        "date": dt.date(2025, 11, 25),
        "source": ["caliber-2025-11-24"],
    },
    {
        "party": "RU",
        "proposal": "geneva-19-point-2025-11-24",
        "stance": "unacceptable-as-is",
        "date": dt.date(2025, 11, 26),
        "source": ["caliber-2025-11-24"],
    },
    {
        "party": "UA",
        "proposal": "russia-demands-2025-12-12",
        "stance": "rejects",
        "date": dt.date(2025, 12, 13),
        "source": ["cgtn-2025-12-14"],
    },
    {
        "party": "RU",
        "proposal": "kyiv-2025-12-14",
        "stance": "rejects",
        "date": dt.date(2025, 12, 14),
        "source": ["cgtn-2025-12-14"],
    },
]
"""Development reactions for the default scenario (plausible, not a sourced record)."""


def _text(path: Path, reactions: list[dict[str, Any]]) -> str:
    """The scenario text at ``path`` with its ``reactions:`` section replaced by ``reactions``.

    The text is edited, not re-dumped, so that every other section keeps its order (the order
    of parties, issues and options shapes the analysis, and its speed).
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("reactions:")), None)
    if start is not None:
        end = next(
            (
                j
                for j in range(start + 1, len(lines))
                if lines[j][:1] not in (" ", "\t", "#", "\n", "") and lines[j].strip()
            ),
            len(lines),
        )
        del lines[start:end]
    block = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.dump({"reactions": reactions}, block)
    text = "".join(lines)
    return text + ("" if text.endswith("\n") else "\n") + block.getvalue()


def with_reactions(path: Path, reactions: list[dict[str, Any]]) -> Scenario:
    """The scenario at ``path`` with its reactions replaced by ``reactions``."""
    return parse_scenario(_text(path, reactions), str(path))


def berlin_with_reactions(reactions: list[dict[str, Any]] | None = None) -> Scenario:
    """The default scenario with :data:`BERLIN_REACTIONS` (or the reactions given)."""
    return with_reactions(BERLIN, BERLIN_REACTIONS if reactions is None else reactions)


def write_berlin_with_reactions(path: Path) -> Path:
    """Write the default scenario with :data:`BERLIN_REACTIONS` to ``path`` (for the CLI)."""
    path.write_text(_text(BERLIN, BERLIN_REACTIONS), encoding="utf-8")
    return path


CLOSED_FORM = Path(__file__).parent / "scenarios" / "closed_form.yaml"
CALIBRATION = Path(__file__).parent / "scenarios" / "calibration.yaml"


def reaction(party: str, proposal: str, stance: str, day: int = 1) -> dict[str, Any]:
    """One reaction of a test scenario (source ``s``), dated ``day`` days into 2025."""
    return {
        "date": dt.date(2025, 1, 1) + dt.timedelta(days=day),
        "party": party,
        "proposal": proposal,
        "stance": stance,
        "source": ["s"],
    }


def write_with_reactions(path: Path, reactions: list[dict[str, Any]], out: Path) -> Path:
    """Write the scenario at ``path`` with its reactions replaced by ``reactions`` to ``out``."""
    out.write_text(_text(path, reactions), encoding="utf-8")
    return out
