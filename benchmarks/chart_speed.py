"""Speed of the chart layer: every chart of every result kind, to a specification and to SVG.

* Every chart of every result kind (the default scenario, Elmira, the forecast, a simulation and
  a tournament): building the Vega-Lite specification, and rendering it to SVG (best of
  ``--repeats``, after one warm-up render that loads the Vega engine). Target: each chart to SVG
  under 200 ms.

``benchmarks/report_speed.py`` times the briefing as a whole.

Prints a Markdown table and writes ``benchmarks/results/chart_speed.json``.

Usage::

    .venv/bin/python benchmarks/chart_speed.py [--repeats 3]
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
DEFAULT_OUTPUT = HERE / "results" / "chart_speed.json"
SVG_TARGET_MS = 200.0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    charts = chart_rows(args.repeats)

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
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"charts": charts}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
