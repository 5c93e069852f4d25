"""One of several processes writing to the same store at once: the workers of ``test_concurrency.py``.

Usage::

    python tests/store/concurrency_worker.py saves URL DIR NAME ROUNDS
    python tests/store/concurrency_worker.py runs URL DIR NAME SECONDS

Each opens the store, prints ``ready`` and waits for the file ``DIR/go`` to appear (the test
creates it once every worker is ready, so they start together).

``saves``: for each round ``r`` = 0, 1, …, ``ROUNDS - 1``, waits for ``DIR/go`` then
``DIR/go.r``, saves an edit of the small test scenario (its title names the worker and round)
as scenario ``race`` on parent ``r`` (``None`` in round 0: a first version), and prints one
JSON line: ``{"round": r, "saved": "race@N"}`` or ``{"round": r, "conflict": message,
"existing": "race@N", "parent": r}``.

``runs``: writes runs on ``race@1`` (options ``{"writer": NAME, "n": k}``) for ``SECONDS``,
printing ``run ID NAME k`` after each commit returns, then ``done K``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from zopa.store.errors import ConflictError
from zopa.store.store import Store

SMALL = Path(__file__).parent.parent / "io" / "good_scenarios" / "small.yaml"
TITLE = "title: Small test scenario"


def wait_for(path: Path) -> None:
    """Poll (every 0.2 ms) until ``path`` exists."""
    while not path.exists():
        time.sleep(0.0002)


def saves(store: Store, folder: Path, name: str, rounds: int) -> None:
    """Race the other workers to save on each round's parent."""
    base = SMALL.read_text(encoding="utf-8")
    for r in range(rounds):
        text = base.replace(TITLE, f"title: Round {r} by {name}", 1)
        wait_for(folder / f"go.{r}")
        parent = r if r > 0 else None
        try:
            saved = store.save(text, scenario_id="race", parent=parent, author=name)
        except ConflictError as exc:
            outcome = {"conflict": str(exc), "existing": exc.existing.ref, "parent": exc.parent}
        else:
            outcome = {"saved": saved.version.ref, "unchanged": saved.unchanged}
        print(json.dumps({"round": r, **outcome}), flush=True)


def runs(store: Store, name: str, seconds: float) -> None:
    """Write runs until the time is up, reporting each after its commit."""
    deadline = time.monotonic() + seconds
    k = 0
    while time.monotonic() < deadline:
        now = datetime.now(UTC)
        run = store.save_run(
            "race",
            1,
            "concurrency",
            {"writer": name, "n": k},
            k,
            "0+concurrency",
            result={"writer": name, "n": k},
            document=None,
            headline=[f"{name} {k}"],
            started_at=now,
            finished_at=datetime.now(UTC),
        )
        print(f"run {run.id} {name} {k}", flush=True)
        k += 1
    print(f"done {k}", flush=True)


def main(mode: str, url: str, folder: str, name: str, amount: str) -> None:
    """Open the store, say ready, wait for the start, work."""
    with Store.open(url) as store:
        print("ready", flush=True)
        wait_for(Path(folder) / "go")
        if mode == "saves":
            saves(store, Path(folder), name, int(amount))
        else:
            runs(store, name, float(amount))


if __name__ == "__main__":
    main(*sys.argv[1:6])
