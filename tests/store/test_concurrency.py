"""Concurrent writers in separate processes (issue 16): conflicts are refused, nothing is lost.

Each writer is its own process (``concurrency_worker.py``) with its own connections, as two
analysts or eight batch jobs would be; they start together when the test creates a file they
all wait for. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SMALL_SCENARIO

import zopa
from zopa.store.store import Store

WORKER = Path(__file__).parent / "concurrency_worker.py"
ROUNDS = 6
"""Rounds of the two-writer race: the first saves a first version, the others an edit."""
WRITERS = 8
SECONDS = float(os.environ.get("ZOPA_TEST_CONCURRENCY_SECONDS", "20"))
"""How long the eight writers write runs at once (the issue says 20 s)."""


def start(*args: str) -> subprocess.Popen[str]:
    """Start a worker and wait until it has opened the store."""
    env = dict(os.environ)
    package_root = str(Path(zopa.__file__).parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line != "ready\n":
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"the worker did not start: {line!r}\n{err}")
    return proc


def line(proc: subprocess.Popen[str]) -> str:
    """The worker's next line."""
    assert proc.stdout is not None
    return proc.stdout.readline()


def finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    """Each worker's remaining output; every one must have ended cleanly."""
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=SECONDS + 120)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def test_two_processes_saving_on_one_parent_exactly_one_wins(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url):
        pass  # the schema first: the race is about versions, not about creating tables
    procs = [start("saves", db_url, str(tmp_path), name, str(ROUNDS)) for name in ("ana", "ben")]
    try:
        (tmp_path / "go").touch()
        for r in range(ROUNDS):
            (tmp_path / f"go.{r}").touch()
            outcomes = [json.loads(line(p)) for p in procs]
            assert [o["round"] for o in outcomes] == [r, r]
            winners = [o for o in outcomes if "saved" in o]
            losers = [o for o in outcomes if "conflict" in o]
            assert len(winners) == 1, outcomes
            assert len(losers) == 1, outcomes
            ref = f"race@{r + 1}"
            assert winners[0] == {"round": r, "saved": ref, "unchanged": False}
            assert losers[0]["existing"] == ref
            assert losers[0]["parent"] == (r if r else None)
            message = losers[0]["conflict"]
            assert ref in message
            if r:
                assert f"{ref} was saved on race@{r} meanwhile" in message
                assert f"your edit was based on race@{r}" in message
            assert "nothing saved" in message
    finally:  # let the workers run out (and never hang), without hiding a failure above
        (tmp_path / "go").touch()
        for r in range(ROUNDS):
            (tmp_path / f"go.{r}").touch()
        ends = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], ends
    with Store.open(db_url) as store:
        versions = store.versions("race")
        assert [v.number for v in versions] == list(range(1, ROUNDS + 1))
        assert [v.parent for v in versions] == [None, *range(1, ROUNDS)]
        for v in versions:  # the winner's text, and its author
            text = store.version("race", v.number).text
            assert text is not None
            assert f"title: Round {v.number - 1} by {v.author}\n" in text
        assert store.check() == []


def test_eight_processes_writing_runs_lose_none(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url) as store:
        store.save(SMALL_SCENARIO.read_text(encoding="utf-8"), scenario_id="race")
    names = [f"w{i}" for i in range(WRITERS)]
    procs = [start("runs", db_url, str(tmp_path), name, str(SECONDS)) for name in names]
    (tmp_path / "go").touch()
    reported: dict[int, tuple[str, int]] = {}
    for name, out in zip(names, finish(procs), strict=True):
        print(f"{name}: {len(out.splitlines()) - 1} runs")
        lines = out.splitlines()
        assert lines[-1] == f"done {len(lines) - 1}"
        for k, line in enumerate(lines[:-1]):
            word, run_id, writer, n = line.split()
            assert (word, writer, int(n)) == ("run", name, k)
            assert int(run_id) not in reported, "two writers got the same run id"
            reported[int(run_id)] = (writer, k)
    with Store.open(db_url) as store:
        stored = {run.id: (run.options["writer"], run.options["n"]) for run in store.runs("race")}
        assert stored == reported
        for run_id in (min(stored), max(stored)):
            assert store.run(run_id).result == dict(
                zip(("writer", "n"), stored[run_id], strict=True)
            )
        assert store.check() == []
    # Every writer got its turn: none was starved for the whole time.
    assert {writer for writer, _ in reported.values()} == set(names)
