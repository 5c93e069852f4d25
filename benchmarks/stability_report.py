"""Benchmark: the cost of the ``zopa stability`` report against the engine (issue 21).

A report must cost no more than the analysis it reports. For strategic models of 12 to 22
options (four decision makers, every state feasible, random prioritizations of six statements,
fixed seeds) this times, in one process after a warm-up on a tiny model:

* ``engine``: compiling the model and ``stability_report`` (R, GMR, SMR, SEQ for every state);
* ``report``: the terminal report as printed by ``zopa stability`` (the summarised document,
  rendered at 80 columns into a string);
* ``json``: the full JSON document (every state) as printed by ``zopa stability --format json``;
* ``coalition``: the engine plus coalition Nash stability for two decision makers and for all
  four (``zopa stability --coalition D0+D1 --coalition D0+D1+D2+D3``), up to the 65,536 states
  coalition analyses serve.

Usage::

    .venv/bin/python benchmarks/stability_report.py [--options 12 16 20 22]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from pathlib import Path

from rich.console import Console

from zopa.gmcr.analysis import stability_report
from zopa.gmcr.compile import compile_game
from zopa.gmcr.paths import MAX_STATES
from zopa.io.scenario_file import parse_scenario
from zopa.render.document import to_console
from zopa.render.stability_view import MAX_ROWS, stability_document

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "stability_report.json"


def model_text(n: int, seed: int, dms: int = 4) -> str:
    """A strategic model of ``n`` options in option form, as a scenario file's text."""
    rng = random.Random(seed)
    options = [f"o{i}" for i in range(n)]
    lines = ["zopa: 1", f"id: bench-{n}", f"title: {n} options", "strategic:", "  decision_makers:"]
    for d in range(dms):
        own = ", ".join(f"{o}: 'option {o}'" for o in options[d::dms])
        lines += [f"    D{d}:", f"      options: {{{own}}}"]
    lines += [f'  status_quo: "{"N" * n}"', "  preferences:"]
    for d in range(dms):
        statements = [
            ("-" if rng.random() < 0.5 else "") + o for o in rng.sample(options, min(6, n))
        ]
        lines.append(f"    D{d}: {{prioritization: [{', '.join(statements)}]}}")
    return "\n".join(lines) + "\n"


def measure(n: int) -> dict[str, float | int | None]:
    """Time the engine, the terminal report and the JSON document for one model."""
    scenario = parse_scenario(model_text(n, seed=n).encode(), f"bench-{n}.yaml")
    assert scenario.strategic is not None
    start = time.perf_counter()
    report = stability_report(compile_game(scenario.strategic))
    engine = time.perf_counter() - start

    start = time.perf_counter()
    out = io.StringIO()
    console = Console(file=out, width=80, highlight=False)
    to_console(stability_document("bench", report.to_dict(MAX_ROWS)), console)
    text = time.perf_counter() - start

    start = time.perf_counter()
    document = json.dumps(report.to_dict())
    as_json = time.perf_counter() - start

    coalition: float | None = None
    if report.game.feasible_codes().size <= MAX_STATES:  # coalition analyses stop there
        start = time.perf_counter()
        stability_report(compile_game(scenario.strategic), [["D0", "D1"], ["D0", "D1", "D2", "D3"]])
        coalition = time.perf_counter() - start
    return {
        "options": n,
        "states": int(report.game.feasible_codes().size),
        "engine_s": engine,
        "report_s": text,
        "report_chars": len(out.getvalue()),
        "json_s": as_json,
        "json_mb": len(document) / 1e6,
        "coalition_s": coalition,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", nargs="*", type=int, default=[12, 16, 18, 20, 22])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    measure(4)  # compile the numba kernels outside the timings
    rows = [measure(n) for n in args.options]
    print(
        "| options | states | engine s | report s | report chars | report / engine | json s "
        "| json MB | with coalitions s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = float(r["report_s"]) / max(float(r["engine_s"]), 1e-9)
        print(
            f"| {r['options']} | {r['states']:,} | {r['engine_s']:.2f} | {r['report_s']:.2f} | "
            f"{r['report_chars']:,} | {ratio:.2f} | {r['json_s']:.2f} | {r['json_mb']:.1f} | "
            + ("- |" if r["coalition_s"] is None else f"{r['coalition_s']:.2f} |")
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
