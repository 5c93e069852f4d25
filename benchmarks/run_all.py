"""Run every benchmark of ``benchmarks/`` in turn, each in its own process, printing its table.

Usage::

    .venv/bin/python benchmarks/run_all.py [--skip NAME ...]

``negmas_crosscheck`` and ``space_scale`` set up NegMAS in their own environment
(``benchmarks/.negmas-venv``) on first use, which needs the package index; ``analyze_vs_negmas``
uses the environment named by ``ZOPA_NEGMAS_PYTHON`` (or that one) and leaves its NegMAS columns
empty without it; the others need only zopa. Each benchmark's table goes to standard output; the exit code is the first non-zero one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = (
    "space_scale",
    "negmas_crosscheck",
    "analyze_vs_negmas",
    "engine_crossover",
    "count_speed",
    "gmcr_scale",
    "stability_report",
    "forecast_speed",
    "robust_speed",
    "condition_speed",
    "simulate_speed",
    "chart_speed",
    "report_speed",
    "timeline_speed",
    "explore_speed",
    "web_load",
    "store_speed",
    "startup",
    "extract_speed",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", nargs="*", default=[], choices=BENCHMARKS)
    args = parser.parse_args(argv)
    status = 0
    for name in BENCHMARKS:
        if name in args.skip:
            continue
        print(f"\n## {name}\n", flush=True)
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py")])
        status = status or code
    return status


if __name__ == "__main__":
    raise SystemExit(main())
