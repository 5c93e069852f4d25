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

With ``--memory``, it measures instead the peak resident memory (``ru_maxrss``) and wall time
of ``zopa stability FILE`` (the terminal report) and ``zopa stability FILE --format json``, each
run in a fresh subprocess, on models of ``--dms`` decision makers (issue 21: 26 options in
under 4 GiB). A run that the memory check refuses shows ``refused`` (exit code 2).

Usage::

    .venv/bin/python benchmarks/stability_report.py [--options 12 16 20 22]
    .venv/bin/python benchmarks/stability_report.py --memory --dms 2 --options 22 24 26 [--no-json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def peak_memory(n: int, dms: int, *, as_json: bool) -> dict[str, float | int | str]:
    """Peak resident memory and wall time of one ``zopa stability`` run in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench-{n}.yaml"
        path.write_text(model_text(n, seed=n, dms=dms), encoding="utf-8")
        cmd = [sys.executable, "-m", "zopa", "stability", str(path)]
        if as_json:
            cmd += ["--format", "json"]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "options": n,
        "dms": dms,
        "output": "json" if as_json else "table",
        "exit": proc.returncode,
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def memory_table(options: list[int], dms: int, *, with_json: bool) -> list[dict[str, Any]]:
    """Print (as a Markdown table) and return the peak memory of each size and output."""
    rows: list[dict[str, Any]] = []
    print("| options | DMs | output | peak RSS MiB | bytes/state | seconds | exit |")
    print("|---|---|---|---|---|---|---|")
    for n in options:
        for as_json in (False, True) if with_json else (False,):
            r = peak_memory(n, dms, as_json=as_json)
            rows.append(r)
            per_state = float(r["peak_mib"]) * 2**20 / (1 << n)
            status = "ok" if r["exit"] == 0 else ("refused" if r["exit"] == 2 else str(r["exit"]))
            print(
                f"| {n} | {dms} | {r['output']} | {r['peak_mib']:,.0f} | {per_state:.0f} | "
                f"{r['seconds']:.1f} | {status} |",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", nargs="*", type=int, default=[12, 16, 18, 20, 22])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--memory", action="store_true", help="peak memory, one process per run")
    parser.add_argument("--dms", type=int, default=2, help="decision makers (with --memory)")
    parser.add_argument("--no-json", action="store_true", help="table runs only (with --memory)")
    args = parser.parse_args(argv)
    if args.memory:
        rows_m = memory_table(args.options, args.dms, with_json=not args.no_json)
        out = args.output.with_name(f"stability_memory_{args.dms}dms.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(rows_m, indent=2) + "\n", encoding="utf-8")
        return 0
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
