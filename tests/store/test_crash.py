"""Durability: a process killed with SIGKILL while saving leaves the store consistent (issue 16).

A subprocess (forked by ``crash_worker.py``, so that it need not start Python each time) opens
the store, saves versions and runs in a loop and reports each commit after it returns; it is
killed with SIGKILL at a random moment (seeded), ``KILLS`` times, each time a fresh process.
After every kill the store must open, pass its own integrity check (and SQLite's), hold every
version and run reported committed byte for byte, and hold no partial run. The kill lands
anywhere: while the store opens, while a scenario is parsed, in the middle of a transaction,
between a commit and its report. A second test kills the first open, which creates the schema.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from tests.conftest import SMALL_SCENARIO

import zopa
from zopa.store.store import Store

WORKER = Path(__file__).parent / "crash_worker.py"
SEED = int(os.environ.get("ZOPA_TEST_CRASH_SEED", "16"))
KILLS = int(os.environ.get("ZOPA_TEST_CRASH_KILLS", "50"))
MOST_COMMITS = 8
"""Most kills land after the child has reported 0 to this many commits (see ``kill_one``)."""
SLACK_S = 0.015
OPENING = 0.1
"""The share of kills that land while the child opens the store, within ``OPEN_WINDOW_S``."""
OPEN_WINDOW_S = 0.05


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Committed:
    """What the killed workers reported committed, and where the kills landed.

    ``versions``: ref → SHA-256 of the text; ``runs``: id → SHA-256 of the result's JSON;
    ``before_ready``: kills before the store was open; ``idle``: kills after it opened but
    before any commit was reported.
    """

    versions: dict[str, str] = field(default_factory=dict, repr=False)
    runs: dict[int, str] = field(default_factory=dict, repr=False)
    before_ready: int = 0
    idle: int = 0

    def read(self, output: str) -> bool:
        """Record the complete lines of a worker's output; whether it reported a commit."""
        reported = False
        for line in output.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut by the kill: a report is only a whole line
            words = line.split()
            if words[:2] == ["committed", "version"]:
                assert words[2] not in self.versions, f"{words[2]} reported twice"
                self.versions[words[2]] = words[3]
                reported = True
            elif words[:2] == ["committed", "run"]:
                self.runs[int(words[2])] = words[3]
                reported = True
        return reported


def start_server(url: str) -> subprocess.Popen[str]:
    """Start the worker's fork server and wait until it has imported what saving needs."""
    package_root = str(Path(zopa.__file__).parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    server = subprocess.Popen(
        [sys.executable, str(WORKER), url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    expect(server, "imported")
    return server


def expect(server: subprocess.Popen[str], word: str) -> list[str]:
    """The next line of the server, which must start with ``word``, split in words."""
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith(word):
        server.kill()
        _, err = server.communicate()
        pytest.fail(f"the crash worker said {line!r}, not {word}...:\n{err}")
    return line.split()


def kill_one(server: subprocess.Popen[str], seed: int, rng: random.Random) -> tuple[str, int]:
    """Fork a child, SIGKILL it at a random point of its work; what it printed, and the point.

    The point is counted in commits, so that it does not depend on the machine's speed: one
    kill in ``OPENING`` lands while the child opens the store (within ``OPEN_WINDOW_S`` of its
    birth); the others after the child has reported between 0 and ``MOST_COMMITS`` commits,
    plus a random fraction of the next one (up to ``SLACK_S``).
    """
    assert server.stdin is not None
    assert server.stdout is not None
    server.stdin.write(f"go {seed}\n")
    server.stdin.flush()
    pid = int(expect(server, "child")[1])
    output: list[str] = []
    target = -1
    if rng.random() < OPENING:
        time.sleep(rng.uniform(0, OPEN_WINDOW_S))
    else:
        target = rng.randint(0, MOST_COMMITS)
        seen = -1  # the "ready" line first
        while seen < target:
            line = server.stdout.readline()
            output.append(line)
            if not line or f"ended {pid} " in line:
                break
            seen += 1
        time.sleep(rng.uniform(0, SLACK_S))
    with contextlib.suppress(ProcessLookupError):  # ended by itself: reported below
        os.kill(pid, signal.SIGKILL)
    # a child killed in the middle of a report leaves half a line, which the server's "ended"
    # line then completes: look for it anywhere in the line, keep what comes before
    mark = f"ended {pid} "
    if output and mark in output[-1]:
        last = output.pop()
        output.append(last[: last.index(mark)])
        ending = last[last.index(mark) :]
    else:
        ending = ""
        for line in server.stdout:
            if mark in line:
                output.append(line[: line.index(mark)])
                ending = line[line.index(mark) :]
                break
            output.append(line)
    if not ending or int(ending.split()[2]) != signal.SIGKILL:
        server.kill()
        _, err = server.communicate()
        pytest.fail(f"the child ended by itself:\n{''.join(output)}\n{err}")
    return "".join(output), target


def verify(url: str, committed: Committed, new_runs: set[int]) -> None:
    """The store after a kill: sound, with everything reported committed, byte for byte.

    Every version reported so far is read back; the runs reported by the last worker are
    read back whole (the others were, after their own kill, and the store never rewrites one).
    """
    with Store.open(url) as store:
        assert store.check() == []
        for ref, sha in committed.versions.items():
            scenario_id, number = ref.rsplit("@", 1)
            text = store.version(scenario_id, int(number)).text
            assert text is not None
            assert digest(text) == sha, f"{ref} was reported committed: changed"
        for run_id in new_runs:
            run = store.run(run_id)
            canonical = json.dumps(run.result, sort_keys=True, separators=(",", ":"))
            assert digest(canonical) == committed.runs[run_id], f"run #{run_id} changed"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            ids = set(connection.scalars(sql("SELECT id FROM runs")))
            partial = connection.execute(
                sql(
                    "SELECT id FROM runs WHERE status NOT IN ('done', 'failed') OR result IS NULL"
                    " OR finished_at IS NULL OR finished_at < started_at"
                )
            ).all()
            if url.startswith("sqlite"):
                integrity = connection.exec_driver_sql("PRAGMA integrity_check").all()
                assert integrity == [("ok",)]
    finally:
        engine.dispose()
    assert set(committed.runs) <= ids, "a run reported committed is missing"
    assert partial == [], "partial runs"


def test_sigkill_at_random_points_loses_nothing_committed(db_url: str) -> None:
    rng = random.Random(SEED)
    committed = Committed()
    with Store.open(db_url):
        pass  # the schema first (killing its creation is the next test)
    server = start_server(db_url)
    targets = 0
    try:
        for _ in range(KILLS):
            output, target = kill_one(server, rng.randrange(2**31), rng)
            targets += max(target, 0)
            reported_runs = set(committed.runs)
            if "ready\n" not in output:
                committed.before_ready += 1
            elif not committed.read(output):
                committed.idle += 1
            verify(db_url, committed, set(committed.runs) - reported_runs)
    finally:
        server.kill()
        server.communicate()
    print(
        f"{KILLS} kills: {len(committed.versions)} versions and {len(committed.runs)} runs"
        f" reported committed; {committed.before_ready} kills before the store opened,"
        f" {committed.idle} before a commit"
    )
    assert len(committed.versions) + len(committed.runs) >= targets


FIRST_OPEN = """
import sys
from zopa.store.store import Store
print("imported", flush=True)
sys.stdin.readline()
Store.open(sys.argv[1]).close()
print("opened", flush=True)
"""


@pytest.mark.parametrize("seed", range(4))
def test_sigkill_while_the_schema_is_created_leaves_a_store_that_opens(
    db_url: str, seed: int
) -> None:
    package_root = str(Path(zopa.__file__).parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", FIRST_OPEN, db_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stdout.readline() == "imported\n"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    time.sleep(random.Random(seed).uniform(0, 0.3))
    proc.kill()
    proc.communicate()
    with Store.open(db_url) as store:  # an interrupted creation is redone, not half-kept
        assert store.check() == []
        assert store.status().current
        assert store.save(SMALL_SCENARIO.read_text(encoding="utf-8")).version.ref == "small@1"
