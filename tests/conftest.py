"""Shared fixtures and the hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` selects a derandomized profile, so that CI runs are reproducible;
without it the ``dev`` profile (random, no deadline) is used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

# No deadlines: timings on shared machines are noise (and the first call compiles numba kernels).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

TESTS = Path(__file__).parent


@pytest.fixture(autouse=True)
def _private_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point ``ZOPA_DB`` at a fresh file for every test: no test touches the user's store.

    Only the URL is set; the database file is created by the first test that opens the store.
    """
    store_dir = tmp_path_factory.mktemp("store", numbered=True)
    monkeypatch.setenv("ZOPA_DB", f"sqlite:///{store_dir / 'zopa.db'}")


SMALL_SCENARIO = TESTS / "io" / "good_scenarios" / "small.yaml"
BAD_SCENARIOS = TESTS / "io" / "bad_scenarios"


@pytest.fixture
def small_text() -> str:
    """The text of a small valid scenario (parties UA, RU, US; issues nato, army)."""
    return SMALL_SCENARIO.read_text(encoding="utf-8")


@pytest.fixture
def small_path() -> Path:
    """The path of the small valid scenario file."""
    return SMALL_SCENARIO


DEAL = """
  deal:
    title: A deal at the edge
    by: US
    date: 2025-12-12
    source: src1
    terms: {nato: closed, army: 800}
"""


@pytest.fixture
def small_with_deal(tmp_path: Path) -> Path:
    """The small scenario plus a proposal that RU values exactly at its walk-away point (0.5)."""
    text = SMALL_SCENARIO.read_text(encoding="utf-8").replace(
        "proposals:\n", "proposals:" + DEAL, 1
    )
    path = tmp_path / "small-deal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


WIDE = {"COLUMNS": "1000"}  # rich wraps at the console width; keep each line whole


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the ``zopa`` command line in-process; it must never print a traceback."""
    from zopa.cli import app

    result = CliRunner().invoke(app, list(args), env=WIDE if env is None else env)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
