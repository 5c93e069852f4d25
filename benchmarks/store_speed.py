"""Speed of the store (issue 16): saving, history, a stored run, history among many runs.

Measured on a fresh SQLite file, and on a fresh database of a PostgreSQL server when one is
named (``--pg URL`` or ``$ZOPA_TEST_PG_URL``; the database is created and dropped here):

* **save**: ``zopa.save(text, db=URL)`` of an edit of the default scenario
  (``berlin-2025-12``, 68 KB of YAML; each edit changes its title, so each is a new version),
  as ``zopa save`` does after start-up: validate, open the store, write one version. Also
  ``Store.save`` on an open store. Target < 50 ms.
* **history, 1,000 versions**: ``zopa.history(ID, db=URL)`` rendered as ``zopa history``
  prints it (the terminal table at 80 columns), on a scenario with 1,000 versions. Target
  < 200 ms. The 1,000 versions (the default scenario's text, numbered, each the child of the
  previous) are inserted with SQL through the store's own models: saving them one by one would
  validate 1,000 copies of the scenario first.
* **stored run**: the stored result of ``zopa analyze`` on the default scenario, found by its
  cache key and read back whole (``Store.find_run`` + ``Store.run`` on an open store): the
  part of a cached ``zopa analyze`` that the store answers.
* **cached analyze**: ``zopa analyze hist@1`` (the default scenario) answered from the
  store, end to end in process after start-up (typer's test runner; output to a buffer),
  as JSON and as the terminal table. Target < 100 ms.
* **history, 10,000 runs**: the same history once 10,000 runs (10 per version, each with a
  2 KB result) are stored: it must not be slower than with 1,000 runs. The rows "history()
  without printing" time the facade call alone, to tell the store's share from the table's.

Each figure is the median and the 95th percentile of ``--repeat`` timings (after one warm-up).
Prints a Markdown table.

Usage::

    .venv/bin/python benchmarks/store_speed.py [--repeat 30] [--pg URL]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console

import zopa
from zopa.catalog import embedded_text
from zopa.render.document import to_console
from zopa.store.models import RunRow, VersionRow
from zopa.store.store import Store, cache_key

DEFAULT = "berlin-2025-12"
TITLE = "title: "
TARGETS_MS = {"save": 50.0, "history": 200.0, "stored run": 100.0, "cached analyze": 100.0}


def timings(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds, of ``repeat`` calls after a warm-up."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def edited(text: str, n: int) -> str:
    """The default scenario with a title of its own (a new version each time)."""
    line_start = text.index("\ntitle: ") + 1
    line_end = text.index("\n", line_start)
    return f"{text[:line_start]}title: Edit {n}{text[line_end:]}"


def history_printed(url: str, scenario_id: str) -> str:
    """``zopa history ID`` after start-up: the facade call and the terminal table."""
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=False, color_system=None)
    to_console(zopa.history(scenario_id, db=url).document(), console)
    return out.getvalue()


def cached_analyze(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    """``zopa analyze hist@1`` answered from the store, in process after start-up.

    The run is stored by the command itself (``--save-run``), so the repeats find it by the
    command's own cache key; the output goes to a buffer.
    """
    from typer.testing import CliRunner

    from zopa.cli import app

    runner = CliRunner()

    def command(*extra: str) -> Callable[[], None]:
        def call() -> None:
            out = runner.invoke(app, ["analyze", "hist@1", "--db", url, *extra])
            assert out.exit_code == 0, out.output
            assert "answered from the store" in out.stderr, out.stderr

        return call

    first = runner.invoke(app, ["analyze", "hist@1", "--db", url, "--save-run"])
    assert first.exit_code == 0, first.output
    return {
        "cached analyze: JSON": timings(command("--format", "json"), repeat),
        "cached analyze: table": timings(command(), repeat),
    }


def add_versions(url: str, scenario_id: str, text: str, count: int) -> None:
    """``count`` versions on ``scenario_id`` after its first, inserted with SQL in one go."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        last = session.scalars(
            select(VersionRow).where(VersionRow.scenario_id == scenario_id)
        ).one()
        moment = last.created_at
        for number in range(2, count + 1):
            moment += timedelta(minutes=1)
            row = VersionRow(
                scenario_id=scenario_id,
                number=number,
                parent_id=last.id,
                sha256=last.sha256,
                text=text,
                file_name="berlin.yaml",
                author="bench",
                message=f"revision {number}",
                created_at=moment,
            )
            session.add(row)
            session.flush()
            last = row
    engine.dispose()


def add_runs(url: str, scenario_id: str, per_version: int) -> int:
    """``per_version`` runs with a 2 KB result on each version, inserted with SQL in one go."""
    from sqlalchemy import create_engine, insert, select

    engine = create_engine(url)
    result = json.dumps({"filler": "x" * 2000})
    now = datetime.now(UTC)
    with engine.begin() as conn:
        versions = conn.execute(
            select(VersionRow.id, VersionRow.sha256).where(VersionRow.scenario_id == scenario_id)
        ).all()
        rows = [
            {
                "version_id": vid,
                "command": "analyze",
                "options": json.dumps({"k": k}),
                "seed": k,
                "zopa_version": "bench",
                "cache_key": cache_key(sha, "analyze", {"k": k}, k, "bench"),
                "status": "done",
                "result": result,
                "document": None,
                "headline": json.dumps([f"filler {k}"]),
                "error": None,
                "started_at": now,
                "finished_at": now,
                "duration_s": 0.0,
            }
            for vid, sha in versions
            for k in range(per_version)
        ]
        conn.execute(insert(RunRow), rows)
    engine.dispose()
    return len(rows)


def measure(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    """Every figure of the table on one database."""
    text = embedded_text(DEFAULT).decode("utf-8")
    figures: dict[str, tuple[float, float]] = {}
    counter = iter(range(10**9))
    figures["save: zopa.save"] = timings(
        lambda: zopa.save(edited(text, next(counter)), as_id="saves", db=url), repeat
    )
    with Store.open(url) as store:
        figures["save: Store.save"] = timings(
            lambda: store.save(edited(text, next(counter)), scenario_id="saves"), repeat
        )
        first = store.save(text, scenario_id="hist")
    add_versions(url, "hist", text, 1000)

    analysis = zopa.analyze(DEFAULT)
    result = analysis.to_dict()
    # The report document is stored too once Document.to_dict() is merged (issue 16's
    # "answer from the store"); until then the run holds the result only.
    to_dict = getattr(analysis.document(), "to_dict", None)
    document = to_dict() if to_dict is not None else None
    options = {"engine": "auto"}
    with Store.open(url) as store:
        now = datetime.now(UTC)
        store.save_run(
            "hist", 1000, "analyze", options, None, zopa.__version__, result=result,
            document=document, headline=["stored"], started_at=now, finished_at=now,
        )  # fmt: skip

        def answer() -> None:
            found = store.find_run("hist", 1000, "analyze", options, None, zopa.__version__)
            assert found is not None
            full = store.run(found.id)
            assert full.result == result

        figures["stored run: find_run + run"] = timings(answer, repeat)
    assert first.version.number == 1
    figures.update(cached_analyze(url, repeat))
    add_runs(url, "hist", 1)  # about as many runs as versions first
    printed = history_printed(url, "hist")
    assert "revision 1000" in printed or "1000" in printed, printed[-500:]
    figures["history: 1,000 versions, 1,000 runs"] = timings(
        lambda: history_printed(url, "hist"), repeat
    )
    figures["history() without printing, 1,000 runs"] = timings(
        lambda: zopa.history("hist", db=url), repeat
    )
    add_runs(url, "hist", 9)
    figures["history: 1,000 versions, 10,000 runs"] = timings(
        lambda: history_printed(url, "hist"), repeat
    )
    figures["history() without printing, 10,000 runs"] = timings(
        lambda: zopa.history("hist", db=url), repeat
    )
    with Store.open(url) as store:
        status = store.status()
    assert status.runs >= 10_000, status
    return figures


def fresh_pg_database(server: str) -> tuple[str, Callable[[], None]]:
    """A new database on the server, and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server)
    name = f"zopa_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg", default=os.environ.get("ZOPA_TEST_PG_URL"))
    args = parser.parse_args(argv)
    columns: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        columns["SQLite"] = measure(f"sqlite:///{Path(scratch) / 'bench.db'}", args.repeat)
    if args.pg:
        url, drop = fresh_pg_database(args.pg)
        try:
            columns["PostgreSQL"] = measure(url, args.repeat)
        finally:
            drop()
    else:
        print("(no PostgreSQL: pass --pg URL or set ZOPA_TEST_PG_URL)", file=sys.stderr)
    header = "| measure | " + " | ".join(f"{db} median / p95 ms" for db in columns)
    print(header + " | target |")
    print("|---|" + "---:|" * len(columns) + "---|")
    for measure_name in next(iter(columns.values())):
        cells = [
            f"{columns[db][measure_name][0]:.1f} / {columns[db][measure_name][1]:.1f}"
            for db in columns
        ]
        target = TARGETS_MS.get(measure_name.split(":")[0])
        print(
            f"| {measure_name} | "
            + " | ".join(cells)
            + f" | {f'< {target:.0f} ms' if target else ''} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
