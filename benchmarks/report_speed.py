"""Speed of ``zopa report`` on the default scenario (issue 13).

* The analyses the briefing runs (``zopa.report``: analyze, robust with 10,000 samples,
  stability, forecast, simulate), with the default workers (every core).
* Charts and HTML: building every chart of every section, rendering each to SVG, and the page
  (``Report.to_html()`` on a fresh copy of the results). Target: under 3 s.
* Each chart to SVG alone. Target: under 200 ms each.
* ``zopa report -o briefing.html`` as a user runs it, as a subprocess, wall clock from
  interpreter start to exit. Target: under 30 s on 2 cores.

Prints a Markdown table and writes ``benchmarks/results/report_speed.json``.

Usage::

    .venv/bin/python benchmarks/report_speed.py [--samples 10000] [--workers K] [--skip-cli]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steps import print_steps

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "report_speed.json"
CLI_TARGET_SECONDS = 30.0
PAGE_TARGET_SECONDS = 3.0
SVG_TARGET_SECONDS = 0.2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    import zopa
    from zopa.charts.render import to_svg

    start = time.perf_counter()
    report = zopa.report(samples=args.samples, workers=args.workers)
    analyses = time.perf_counter() - start

    fresh = dataclasses.replace(report)  # the same results, nothing rendered yet
    start = time.perf_counter()
    html = fresh.to_html()
    page = time.perf_counter() - start

    svgs: dict[str, float] = {}
    for figure in report.figures():
        if figure.chart is None:
            continue
        start = time.perf_counter()
        to_svg(figure.chart.spec)
        svgs[figure.key] = time.perf_counter() - start

    cli = None
    if not args.skip_cli:
        with tempfile.TemporaryDirectory() as tmp:
            command = [sys.executable, "-m", "zopa", "report", "--samples", str(args.samples)]
            if args.workers is not None:
                command += ["--workers", str(args.workers)]
            start = time.perf_counter()
            subprocess.run(
                [*command, "-o", str(Path(tmp) / "briefing.html")], check=True, capture_output=True
            )
            cli = time.perf_counter() - start

    rows = [
        ("analyses (zopa.report)", analyses, None),
        ("charts and HTML (to_html)", page, PAGE_TARGET_SECONDS),
        *((f"chart {key} to SVG", t, SVG_TARGET_SECONDS) for key, t in svgs.items()),
    ]
    if cli is not None:
        rows.append((f"zopa report --samples {args.samples} (subprocess)", cli, CLI_TARGET_SECONDS))
    print(f"cores: {os.cpu_count()}, samples: {args.samples:,}, page: {len(html) / 1e3:.0f} kB\n")
    print_steps(rows, digits=2)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "samples": args.samples,
                "seconds": {name: round(seconds, 4) for name, seconds, _ in rows},
                "page_bytes": len(html.encode()),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
