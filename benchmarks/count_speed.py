"""Sizing the zone of agreement on large spaces: exact counts, bounds and ``zopa analyze`` at 10^14.

For 3-party problems of ``k`` issues × 10 options, families ``random`` and ``opposed``
(generated as in ``negmas_crosscheck.py``), walk-away points fixed near the median utilities
(0.5942/0.5544/0.5707 ``random``, 0.5942/0.5035/0.5210 ``opposed``, the sampled medians of
``space_scale.py``), it times :meth:`ExactEngine.count_zone` with ``count="exact"`` (up to
``--exact-up-to`` issues) and ``count="bound"``, and prints the estimated time of an exact count
next to the measured one (the estimate is what ``count="auto"`` compares with its 10 s budget).
Then the whole analysis of ``zopa analyze`` (:func:`zopa.space.analysis.analyze` on a scenario
built from the 14-issue problem, 10^14 packages, default ``count="auto"``) is timed in process.

Usage::

    .venv/bin/python benchmarks/count_speed.py [--issues 10,12,14] [--exact-up-to 12]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analyze_vs_negmas import scenario_yaml  # noqa: E402
from negmas_crosscheck import build_space  # noqa: E402

RESERVATION = {"random": [0.5942, 0.5544, 0.5707], "opposed": [0.5942, 0.5035, 0.5210]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", default="10,12,14")
    parser.add_argument("--exact-up-to", type=int, default=12)
    parser.add_argument("--skip-analyze", action="store_true")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "count_speed.json")
    args = parser.parse_args(argv)
    from zopa.space.exact_engine import ExactEngine

    rows: list[dict[str, Any]] = []
    print(
        "| family | packages | count | size or bounds | seconds | estimated exact s |\n"
        "|---|---:|---|---|---:|---:|"
    )
    for k in (int(x) for x in args.issues.split(",")):
        for family in ("random", "opposed"):
            problem = {"parties": 3, "issues": k, "options": 10, "seed": 0, "family": family}
            engine = ExactEngine(build_space(problem, reservation=RESERVATION[family]))
            exists = engine.margin() >= 0
            modes = ("exact", "bound") if k <= args.exact_up_to else ("bound",)
            for mode in modes:
                start = time.perf_counter()
                zone = engine.count_zone(mode, exists=exists)
                seconds = time.perf_counter() - start
                answer = (
                    f"{zone.size:,}"
                    if zone.size is not None
                    else f"{zone.lower:,} – {zone.upper:,}"
                )
                estimate = zone.estimated_seconds or 0.0
                print(
                    f"| {family} | 10^{k} | {mode} | {answer} | {seconds:.2f} | {estimate:.1f} |",
                    flush=True,
                )
                rows.append(
                    {"family": family, "issues": k, "mode": mode, "seconds": seconds}
                    | {"size": zone.size, "lower": zone.lower, "upper": zone.upper}
                    | {"estimated_seconds": zone.estimated_seconds}
                )
    if not args.skip_analyze:
        from zopa.io.scenario_file import load_scenario_file
        from zopa.space.analysis import analyze

        print("\n| `analyze` (count=auto) | packages | seconds | zone |\n|---|---:|---:|---|")
        for family in ("random", "opposed"):
            problem = {"parties": 3, "issues": 14, "options": 10, "seed": 0, "family": family}
            text = scenario_yaml(problem, RESERVATION[family])
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "big.yaml"
                path.write_text(text + "\n")
                scenario = load_scenario_file(path)
            start = time.perf_counter()
            zone = analyze(scenario).zone
            seconds = time.perf_counter() - start
            shown = (
                f"{zone.count}: {zone.size:,}"
                if zone.size is not None
                else f"{zone.count}: {zone.bounds[0]:,} – {zone.bounds[1]:,}; {zone.count_note}"
                if zone.bounds
                else zone.count
            )
            print(f"| {family} | 10^14 | {seconds:.1f} | {shown} |", flush=True)
            rows.append({"analyze": family, "seconds": seconds, "zone": zone.to_dict()})
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
