"""Speed of the chart layer and of ``zopa report`` on the default scenario (issue 13).

* Every chart of every result kind (the default scenario, Elmira, the forecast, a simulation and
  a tournament): building the Vega-Lite specification, and rendering it to SVG (best of
  ``--repeats``, after one warm-up render that loads the Vega engine). Target: each chart to SVG
  under 200 ms.
* ``zopa.report`` on the default scenario with ``--samples`` robust samples (default 10,000) on
  ``--workers`` processes: the analyses (computing the results) and then the charts and HTML
  (``Report.to_html``), timed separately. Targets: under 30 s in all, charts and HTML under 3 s.

Prints a Markdown table and writes ``benchmarks/results/report_speed.json``.

Usage::

    .venv/bin/python benchmarks/report_speed.py [--samples 10000] [--workers 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "report_speed.json"
SVG_TARGET_MS = 200.0
REPORT_TARGET_S = 30.0
HTML_TARGET_S = 3.0


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _results() -> dict[str, Any]:
    import zopa

    return {
        "analysis": zopa.analyze(),
        "evaluation": zopa.evaluate(terms="nato=set-aside"),
        "stability (elmira)": zopa.stability("elmira"),
        "forecast (200 samples)": zopa.forecast(samples=200),
        "robust space (1,000)": zopa.robust(samples=1000, workers=1),
        "robust stability (elmira, 300)": zopa.robust(
            "elmira", engine="stability", samples=300, workers=1
        ),
        "robust forecast (100)": zopa.robust(engine="forecast", samples=100, workers=1),
        "simulation": zopa.simulate(),
        "tournament (20)": zopa.tournament(samples=20, workers=1),
    }


def chart_rows(repeats: int) -> list[dict[str, Any]]:
    """Spec-building and SVG-rendering time of every chart of every result kind."""
    from zopa.charts.render import to_svg

    rows = []
    warm = False
    for label, result in _results().items():
        for name in result.charts:
            spec_s, chart = _timed(lambda r=result, n=name: r.chart(n))
            if not warm:
                to_svg(chart.spec)
                warm = True
            svg_s = min(_timed(lambda c=chart: c.to_svg())[0] for _ in range(repeats))
            rows.append(
                {
                    "result": label,
                    "chart": name,
                    "spec_ms": round(spec_s * 1000, 1),
                    "svg_ms": round(svg_s * 1000, 1),
                    "marks": len(json.dumps(chart.spec)),
                }
            )
    return rows


def report_row(samples: int, workers: int) -> dict[str, Any]:
    """Seconds to compute the default scenario's briefing, and to render it as HTML."""
    import zopa

    compute_s, report = _timed(lambda: zopa.report(samples=samples, workers=workers))
    html_s, html = _timed(report.to_html)
    return {
        "samples": samples,
        "workers": workers,
        "analyses_s": round(compute_s, 2),
        "charts_html_s": round(html_s, 2),
        "total_s": round(compute_s + html_s, 2),
        "html_bytes": len(html.encode("utf-8")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    charts = chart_rows(args.repeats)
    report = report_row(args.samples, args.workers)

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print("| result | chart | spec (ms) | SVG (ms) | spec size (bytes) |")
    print("|---|---|---:|---:|---:|")
    for r in charts:
        print(
            f"| {r['result']} | {r['chart']} | {r['spec_ms']:.1f} | {r['svg_ms']:.1f} "
            f"| {r['marks']:,} |"
        )
    slowest = max(charts, key=lambda r: r["svg_ms"])
    print()
    print(
        f"Slowest SVG: {slowest['result']} / {slowest['chart']}, {slowest['svg_ms']:.0f} ms "
        f"(target < {SVG_TARGET_MS:.0f} ms): {'met' if slowest['svg_ms'] < SVG_TARGET_MS else 'MISSED'}"
    )
    print()
    print("| briefing | samples | workers | analyses (s) | charts + HTML (s) | total (s) | HTML |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| berlin-2025-12 | {report['samples']:,} | {report['workers']} | "
        f"{report['analyses_s']:.1f} | {report['charts_html_s']:.2f} | {report['total_s']:.1f} | "
        f"{report['html_bytes'] / 1024:,.0f} KiB |"
    )
    ok = report["total_s"] < REPORT_TARGET_S and report["charts_html_s"] < HTML_TARGET_S
    print(
        f"\nTargets: total < {REPORT_TARGET_S:.0f} s, charts + HTML < {HTML_TARGET_S:.0f} s: "
        f"{'met' if ok else 'MISSED'}"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"charts": charts, "report": report}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
