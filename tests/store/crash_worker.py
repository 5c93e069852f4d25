"""Save versions and runs in a loop until killed: the processes of ``test_crash.py``.

Usage: ``python tests/store/crash_worker.py URL``. A fork server: it imports what saving needs
(and warms it up by saving once in a throw-away SQLite store), prints ``imported``, then for each
line ``go SEED`` on its standard input forks a fresh process, prints ``child PID``, waits for it
and prints ``ended PID SIGNAL`` (the signal that ended it, 0 if none). So each kill hits a new
process that opens the store itself, and no kill waits for Python to start.

The child opens the store, prints ``ready``, then after each commit returns (and never before)
one line, flushed::

    committed version <scenario>@<number> <sha256 of the text>
    committed run <id> <sha256 of the canonical JSON of the result>

Each step saves, on one of two scenarios, a new version (a random small change of the small
test scenario: its title, one party's walk-away point, an event's text) about one time in
seven, and always a run on the scenario's latest version, with a result of a few tens of
kilobytes so that a kill often lands in the middle of writing it. Imports only the store and
the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from zopa.store.store import Store

SMALL = Path(__file__).parent.parent / "io" / "good_scenarios" / "small.yaml"
SCENARIOS = ("crash-a", "crash-b")


def digest(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode()).hexdigest()


def edit(base: str, rng: random.Random) -> str:
    """A random small edit of the small scenario's text (always a change of its content)."""
    token = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(4, 40)))
    text = base.replace("title: Small test scenario", f"title: Small test scenario {token}", 1)
    text = text.replace("reservation: 0.4", f"reservation: {rng.randint(1, 99) / 100}", 1)
    return text.replace("text: Talks held.", f"text: Talks held ({rng.randint(1, 10**6)}).", 1)


def result_of(rng: random.Random, ref: str) -> dict[str, object]:
    """A synthetic analysis result of a few tens of kilobytes."""
    rows = [
        {"proposal": f"p{i}", "acceptance": rng.random(), "note": "x" * rng.randint(0, 200)}
        for i in range(rng.randint(20, 200))
    ]
    return {"kind": "crash-test", "version": ref, "rows": rows}


def warm_up(base: str, url: str) -> None:
    """Import what saving needs by saving once in a throw-away store, before the test counts."""
    if "+psycopg" in url:
        import psycopg  # noqa: F401

    with (
        tempfile.TemporaryDirectory() as scratch,
        Store.open(f"sqlite:///{scratch}/warm.db") as store,
    ):
        saved = store.save(base, scenario_id="warm-up")
        store.save_run(
            "warm-up",
            saved.version.number,
            "crash-test",
            {},
            None,
            "0+crash",
            result={},
            document=None,
            headline=[],
            started_at=datetime.now(UTC),
            finished_at=datetime.now(UTC),
        )


def work(url: str, seed: int, parent: int) -> None:
    """Open the store and save until killed (the forked child); stop if the server is gone."""
    rng = random.Random(seed)
    base = SMALL.read_text(encoding="utf-8")
    store = Store.open(url)
    print("ready", flush=True)
    latest: dict[str, int] = {}
    step = 0
    while os.getppid() == parent:  # an orphan (the test gave up on its server) stops
        step += 1
        scenario_id = rng.choice(SCENARIOS)
        if scenario_id not in latest or rng.random() < 0.15:
            text = edit(base, rng)
            saved = store.save(
                text, name="crash.yaml", message=f"step {step}", scenario_id=scenario_id
            )
            latest[scenario_id] = saved.version.number
            print(f"committed version {saved.version.ref} {digest(text)}", flush=True)
        number = latest[scenario_id]
        result = result_of(rng, f"{scenario_id}@{number}")
        started = datetime.now(UTC)
        failed = rng.random() < 0.2
        run = store.save_run(
            scenario_id,
            number,
            "crash-test",
            {"step": step, "seed": seed},
            seed,
            "0+crash",
            result=result,
            document=None if failed else {"blocks": [{"paragraph": f"step {step}"}]},
            headline=[f"step {step}"],
            started_at=started,
            finished_at=datetime.now(UTC),
            status="failed" if failed else "done",
            error="synthetic failure" if failed else None,
        )
        canonical = json.dumps(result, sort_keys=True, separators=(",", ":"))
        print(f"committed run {run.id} {digest(canonical)}", flush=True)


def main(url: str) -> None:
    """Serve ``go SEED`` lines: fork a child that works until killed, report how it ended."""
    warm_up(SMALL.read_text(encoding="utf-8"), url)
    print("imported", flush=True)
    for line in sys.stdin:
        seed = int(line.split()[1])
        # the child waits until "child PID" is out, so that it is always the first line
        go_read, go_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns into this loop
            try:
                os.close(go_write)
                os.read(go_read, 1)
                os.close(go_read)
                work(url, seed, parent)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        os.close(go_read)
        print(f"child {pid}", flush=True)
        os.write(go_write, b"g")
        os.close(go_write)
        _, status = os.waitpid(pid, 0)
        print(f"ended {pid} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
