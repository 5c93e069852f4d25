"""Speed of ``zopa timeline`` on the default scenario (issue 14). Target: under 3 s.

* In-process: ``zopa.timeline()`` (point assumptions, the default), its table and JSON, and its
  chart's specification and SVG; the first call of a process pays for loading numba's cached
  kernels, so the first and the best of ``--repeat`` calls are shown.
* ``zopa timeline`` as a user runs it, as a subprocess, wall clock from interpreter start to
  exit (table to a pipe), and with ``--chart FILE.svg``.
* Optionally (``--samples N``), the timeline with quantiles over N sampled inputs per date (one
  ``zopa.robust`` run per date); no target.

Prints a Markdown table and writes ``benchmarks/results/timeline_speed.json``.

Usage::

    .venv/bin/python benchmarks/timeline_speed.py [--repeat 3] [--samples 0] [--skip-cli]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steps import print_steps, timed

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "timeline_speed.json"
TARGET_SECONDS = 3.0


def main(argv: list[str] | None = None) -> int:
    """Time the steps, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--samples", type=int, default=0)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import zopa

    imported = time.perf_counter() - start
    scenario = zopa.load()
    first = timed(lambda: zopa.timeline(scenario))
    best = min(timed(lambda: zopa.timeline(scenario)) for _ in range(max(args.repeat, 1)))
    result = zopa.timeline(scenario)

    from rich.console import Console

    from zopa.render.document import to_console

    table = timed(lambda: to_console(result.document(), Console(file=io.StringIO(), width=80)))
    as_json = timed(lambda: json.dumps(result.to_dict()))
    spec = timed(lambda: result.chart())
    svg = timed(lambda: result.chart().to_svg())

    rows: list[tuple[str, float, float | None]] = [
        ("import zopa", imported, None),
        ("zopa.timeline() first call (loads numba's cache)", first, TARGET_SECONDS),
        (f"zopa.timeline() best of {args.repeat}", best, TARGET_SECONDS),
        ("table (80 columns)", table, None),
        ("JSON", as_json, None),
        ("chart spec", spec, None),
        ("chart to SVG", svg, None),
    ]
    if args.samples:
        sampled = timed(lambda: zopa.timeline(scenario, samples=args.samples))
        rows.append((f"zopa.timeline(samples={args.samples:,})", sampled, None))
    if not args.skip_cli:
        command = [sys.executable, "-m", "zopa", "timeline"]
        cli = timed(lambda: subprocess.run(command, check=True, capture_output=True))
        rows.append(("zopa timeline (subprocess)", cli, TARGET_SECONDS))
        cli_json = timed(
            lambda: subprocess.run([*command, "--format", "json"], check=True, capture_output=True)
        )
        rows.append(("zopa timeline --format json (subprocess)", cli_json, TARGET_SECONDS))
        with tempfile.TemporaryDirectory() as tmp:
            chart = Path(tmp) / "timeline.svg"
            cli_chart = timed(
                lambda: subprocess.run(
                    [*command, "--chart", str(chart)], check=True, capture_output=True
                )
            )
        rows.append(("zopa timeline --chart FILE.svg (subprocess)", cli_chart, None))

    print(f"cores: {os.cpu_count()}, scenario: {scenario.id}, dates: {len(result.result.dates)}\n")
    print_steps(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "scenario": scenario.id,
                "seconds": {name: round(seconds, 4) for name, seconds, _ in rows},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
