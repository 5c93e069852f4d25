"""Where the exact engine overtakes enumeration: the measurement behind ``--engine auto``.

For random and opposed linear-additive problems (generated as in ``negmas_crosscheck.py``) of
2, 3, 4 and 6 parties × 3-6 issues of 10 options (10^3 … 10^6 packages), walk-away points 0.5,
with every party's consent needed (``full``) or with *consent patterns* (``patterns``: parties 0
and 1 needed for every package, party 2 only for three options of each issue, party 3 for
three others), plus the default scenario ``berlin-2025-12``, it times the analysis work of
``zopa analyze`` with each engine — margin, zone size (``count="auto"``), the frontier of all
packages and of the acceptable ones, bargaining solutions — best of 2 after a warm-up, and
prints which engine ``auto`` picks (:func:`zopa.space.engine.auto_engine`) next to the faster
one. ``enum/exact`` above 1 means the exact engine is faster.

Usage::

    .venv/bin/python benchmarks/engine_crossover.py [--quick] [--output FILE.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from negmas_crosscheck import build_space  # noqa: E402


def _analysis_time(engine_cls: Any, space: Any) -> float:
    from zopa.space.exact import to_grid
    from zopa.space.solutions import bargaining_solutions

    t = time.perf_counter()
    engine = engine_cls(space)
    margin = engine.margin()
    engine.count_zone("auto", exists=margin >= 0)
    acceptable = engine.pareto(acceptable_only=True)
    engine.pareto(acceptable_only=False)
    bargaining_solutions(acceptable, to_grid(space.reservation), space.core)
    return time.perf_counter() - t


def with_patterns(space: Any) -> Any:
    """The same space with consent patterns (parties 2 and 3 needed for some options only)."""
    consent = []
    for values in space.values:
        c = np.ones_like(values, dtype=bool)
        c[2:, :] = False
        c[2, :3] = True
        if c.shape[0] > 3:
            c[3, -3:] = True
        consent.append(c)
    return dataclasses.replace(space, consent=tuple(consent))


def measure(space: Any) -> dict[str, float]:
    from zopa.space.engine import EnumerationEngine
    from zopa.space.exact_engine import ExactEngine

    out = {}
    for name, cls in (("enumeration", EnumerationEngine), ("exact", ExactEngine)):
        _analysis_time(cls, space)
        out[name] = min(_analysis_time(cls, space) for _ in range(2))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 and 3 parties, up to 10^5")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "engine_crossover.json")
    args = parser.parse_args(argv)
    from zopa.catalog import load
    from zopa.space.compile import compile_scenario
    from zopa.space.engine import auto_engine

    parties = (2, 3) if args.quick else (2, 3, 4, 6)
    issues = (3, 4, 5) if args.quick else (3, 4, 5, 6)
    rows = []
    for p in parties:
        for consent in ("full", "patterns") if p >= 3 else ("full",):
            for k in issues:
                for family in ("random", "opposed"):
                    problem = {"parties": p, "issues": k, "options": 10, "seed": 0}
                    space = build_space({**problem, "family": family}, reservation=[0.5] * p)
                    if consent == "patterns":
                        space = with_patterns(space)
                    rows.append(
                        {"problem": f"{p} parties {family} {consent}", "packages": space.size}
                        | measure(space)
                        | {"auto": auto_engine(space)}
                    )
                    print(f"measured {rows[-1]['problem']} {space.size:,}", file=sys.stderr)
    berlin = compile_scenario(load())
    rows.append(
        {"problem": "berlin-2025-12 (6 parties, patterns)", "packages": berlin.size}
        | measure(berlin)
        | {"auto": auto_engine(berlin)}
    )
    print(
        "\n| problem | packages | enumeration s | exact s | enum/exact | faster | auto |\n"
        "|---|---:|---:|---:|---:|---|---|"
    )
    for row in rows:
        print(_line(row))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1))
    return 0


def _line(row: dict[str, Any]) -> str:
    ratio = row["enumeration"] / row["exact"]
    faster = "exact" if ratio > 1 else "enumeration"
    return (
        f"| {row['problem']} | {row['packages']:,} | {row['enumeration']:.4f} | "
        f"{row['exact']:.4f} | {ratio:.2f} | {faster} | {row['auto']} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
