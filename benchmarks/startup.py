"""Start-up time of the command line (issue 17): ``zopa analyze`` on a small domain end to end.

A researcher runs zopa on dozens of small domains, one process each, so the time from
interpreter start to exit matters more than the analysis itself. Each command below runs
``--runs`` times, each in a fresh process (``python -m zopa ...``, output discarded), and the
table gives the median and the 90th percentile of the wall-clock times:

* ``import zopa``;
* ``zopa --version``;
* ``zopa validate SMALL`` and ``zopa analyze SMALL`` (table and ``--format json``), SMALL being
  ``tests/io/good_scenarios/small-domain.yaml`` (3 parties, 4 issues, 840 packages);
* ``zopa analyze`` on the default scenario (``berlin-2025-12``).

The runs use compiled bytecode, as an installed package does (the first run of each command,
not counted, writes it to a temporary folder); ``--no-bytecode`` measures a source checkout
run with ``PYTHONDONTWRITEBYTECODE=1`` instead, where every module of zopa is compiled at
every start.

Wall-clock times are noisy on a shared machine, so the table also gives, per command, the
shortest of ``--importtime-runs`` total import times that ``python -X importtime`` reports (the
sum of the top-level imports' cumulative times; importtime's own bookkeeping makes it larger
than the imports' share of the wall-clock time, but the shortest of a few runs varies much
less than the wall-clock time) and the number of modules imported. The load average when the runs started is printed above the table.

With ``--baseline-src DIR`` (the ``src`` folder of another checkout, e.g. of main before the
change) every command also runs against that code, interleaved with the runs of this one, and
the table shows both. Target: ``zopa analyze SMALL`` under 0.5 s (median).

Usage::

    .venv/bin/python benchmarks/startup.py [--runs 11] [--importtime-runs 5] [--baseline-src DIR]
        [--no-bytecode]
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SMALL = HERE.parent / "tests" / "io" / "good_scenarios" / "small-domain.yaml"
TARGET_SECONDS = 0.5
TARGET_ROW = "zopa analyze SMALL"

COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("import zopa", ("-c", "import zopa")),
    ("zopa --version", ("-m", "zopa", "--version")),
    ("zopa validate SMALL", ("-m", "zopa", "validate", str(SMALL))),
    ("zopa analyze SMALL", ("-m", "zopa", "analyze", str(SMALL))),
    ("zopa analyze SMALL --format json", ("-m", "zopa", "analyze", str(SMALL), "--format", "json")),
    ("zopa analyze (berlin-2025-12)", ("-m", "zopa", "analyze")),
)


BYTECODE = Path(tempfile.mkdtemp(prefix="zopa-startup-"))
"""Where the runs keep their compiled bytecode (``PYTHONPYCACHEPREFIX``), removed at exit."""
atexit.register(shutil.rmtree, BYTECODE, True)


NO_BYTECODE = False
"""Set by ``--no-bytecode``: compile zopa's modules at every start (no bytecode written)."""


def _environment(src: Path) -> dict[str, str]:
    """The environment of a run: ``src`` first on the module path, bytecode cached.

    An installed package has its modules compiled; so do the runs here, in :data:`BYTECODE`
    (``PYTHONDONTWRITEBYTECODE``, when set, would compile every module of zopa at every
    start: some 100 ms more). With ``--no-bytecode`` that is what is measured: a source
    checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (the packages installed in the
    environment keep the bytecode they were installed with).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    if NO_BYTECODE:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall_time(args: tuple[str, ...], src: Path) -> float:
    """Run ``python ARGS`` once in a fresh process; its wall-clock time in seconds."""
    import time

    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        env=_environment(src),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def import_time(args: tuple[str, ...], src: Path) -> tuple[float, int]:
    """Total import time (s) and number of modules that ``python -X importtime ARGS`` reports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        env=_environment(src),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    total, modules = 0, 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, cumulative, name = line.split("|")
        modules += 1
        if not name.startswith("  "):  # one space after the bar: a top-level import
            total += int(cumulative)
    return total / 1e6, modules


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="fresh processes per command")
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile zopa's modules at every start"
    )
    args = parser.parse_args(argv)
    global NO_BYTECODE
    NO_BYTECODE = args.no_bytecode
    if args.runs < 1 or args.importtime_runs < 1:
        parser.error("--runs and --importtime-runs must be at least 1")

    codes = {"this": SRC}
    if args.baseline_src is not None:
        codes = {"before": args.baseline_src.resolve(), "after": SRC}
    load = os.getloadavg()
    print(
        f"cores: {os.cpu_count()}, python {sys.version.split()[0]}, runs: {args.runs} "
        f"(importtime: {args.importtime_runs}), bytecode: "
        f"{'none (compiled at every start)' if NO_BYTECODE else 'cached'}, load average at "
        f"start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    rows: list[list[str]] = []
    missed = False
    for label, command in COMMANDS:
        walls: dict[str, list[float]] = {code: [] for code in codes}
        imports: dict[str, list[float]] = {code: [] for code in codes}
        modules: dict[str, int] = {}
        for src in codes.values():  # warm the file cache and write the compiled bytecode
            wall_time(command, src)
        for _ in range(args.runs):
            for code, src in codes.items():
                walls[code].append(wall_time(command, src))
        for _ in range(args.importtime_runs):
            for code, src in codes.items():
                seconds, modules[code] = import_time(command, src)
                imports[code].append(seconds)
        row = [label]
        for code in codes:
            row += [
                f"{statistics.median(walls[code]):.3f}",
                f"{percentile(walls[code], 90):.3f}",
                f"{min(imports[code]):.3f}",
                str(modules[code]),
            ]
        rows.append(row)
        if label == TARGET_ROW:
            missed = statistics.median(walls["after" if "after" in codes else "this"]) >= (
                TARGET_SECONDS
            )
        print(f"  measured {label}", file=sys.stderr, flush=True)

    columns = ["median s", "p90 s", "imports s (min)", "modules"]
    header = ["command"]
    for code in codes:
        header += [f"{code}: {c}" if len(codes) > 1 else c for c in columns]
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    verdict = "missed" if missed else "met"
    print(f"\ntarget: {TARGET_ROW} median < {TARGET_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
