"""``zopa analyze FILE --format json`` end to end against NegMAS's in-process frontier and Nash.

What it measures
----------------
For 3-party problems of 6 issues × 10 options (10^6 packages), families ``random`` and
``opposed`` (generated as in :mod:`negmas_crosscheck`, walk-away points 0, every party's consent
needed), it writes the problem as a zopa scenario file and times

* **zopa**: ``python -m zopa analyze FILE --format json`` as a subprocess, wall clock from the
  start of the interpreter to its exit — imports, reading and validating the YAML file,
  compiling, the whole analysis (engine ``auto``: acceptability, margin, zone size, both Pareto
  frontiers, four bargaining solutions) and writing the JSON document; best of ``--repeats``;
* **NegMAS**: ``pareto_frontier`` + ``nash_points`` in process (imports and the construction of
  the utility functions excluded), in the NegMAS environment, best of ``--repeats``.

and checks that the frontiers agree: the set of utility vectors of zopa's ``pareto`` packages
and of NegMAS's frontier outcomes, both recomputed exactly as integers from the problem's
decimals (values to 3 places, weights to 4), must be equal, and every NegMAS outcome must be
among zopa's packages (zopa lists every package tied at a frontier point, NegMAS one).

NegMAS is AGPL and never a zopa dependency: its side runs in its own environment, given by
``--negmas-python PATH`` or the ``ZOPA_NEGMAS_PYTHON`` environment variable (e.g.
``python3 -m venv /work/negmas-venv && /work/negmas-venv/bin/pip install negmas``), else the
``benchmarks/.negmas-venv`` that ``negmas_crosscheck.py`` creates, if present. Without one the
NegMAS columns are left empty and the target is not evaluated. The worker protocol is
:func:`negmas_crosscheck.run_negmas`.

Target (issue 12): zopa end to end ≥ 10× faster than NegMAS, frontier identical.

Usage::

    ZOPA_NEGMAS_PYTHON=/work/negmas-venv/bin/python .venv/bin/python benchmarks/analyze_vs_negmas.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import negmas_crosscheck as nc  # noqa: E402

TARGET = 10.0


def scenario_yaml(problem: dict[str, Any], reservation: list[float] | None = None) -> str:
    """The problem as a zopa scenario file (walk-away points 0 unless given, every party needed)."""
    p, k, m = problem["parties"], problem["issues"], problem["options"]
    w, v = nc.generate(p, k, m, problem["seed"], problem["family"])
    lines = [
        "zopa: 1",
        f"id: {problem['family']}-{p}x{k}x{m}-{problem['seed']}",
        f"title: Generated {problem['family']} problem",
        "parties:",
        *(f"  p{q}: {{name: P{q}, role: belligerent}}" for q in range(p)),
        "issues:",
    ]
    for j in range(k):
        lines += [f"  i{j}:", f"    name: Issue {j}", "    options:"]
        lines += [f"      o{o}: {{label: option {o}}}" for o in range(m)]
    lines.append("preferences:")
    for q in range(p):
        lines += [f"  p{q}:", "    weights:"]
        lines += [f"      i{j}: {float(w[q, j])!r}" for j in range(k)]
        lines.append("    values:")
        for j in range(k):
            values = ", ".join(f"o{o}: {float(v[q, j, o])!r}" for o in range(m))
            lines.append(f"      i{j}: {{{values}}}")
        r = 0 if reservation is None else reservation[q]
        lines += [f"    reservation: {r}", "    basis: {weights: generated}"]
    return "\n".join(lines) + "\n"


def exact_utilities(
    problem: dict[str, Any], outcomes: np.ndarray[Any, Any]
) -> set[tuple[int, ...]]:
    """Utility vectors of option-index rows, as integers (values × 10^3 · weights × 10^4)."""
    p, k, m = problem["parties"], problem["issues"], problem["options"]
    w, v = nc.generate(p, k, m, problem["seed"], problem["family"])
    wi = np.rint(w * 10**4).astype(np.int64)
    vi = np.rint(v * 10**3).astype(np.int64)
    total = np.zeros((len(outcomes), p), dtype=np.int64)
    for j in range(k):
        total += (wi[:, j][None, :] * vi[:, j, :].T[outcomes[:, j]]).astype(np.int64)
    return {tuple(int(x) for x in row) for row in total}


def zopa_run(path: Path, repeats: int, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Best wall-clock seconds of ``python -m zopa analyze FILE --format json`` and its JSON."""
    best, doc = float("inf"), {}
    for _ in range(repeats):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "zopa", "analyze", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        best = min(best, time.perf_counter() - t)
        doc = json.loads(out.stdout)
    return best, doc


def negmas_frontier_nash(problem: dict[str, Any]) -> dict[str, Any]:
    """NegMAS side (runs in the NegMAS environment): ``pareto_frontier`` + ``nash_points``."""
    from negmas.outcomes.issue_ops import discretize_and_enumerate_issues
    from negmas.preferences import nash_points, pareto_frontier

    issues, ufuns = nc.negmas_ufuns(problem)
    t0 = time.perf_counter()
    frontier, indices = pareto_frontier(ufuns, issues=issues)
    t1 = time.perf_counter()
    nash_points(ufuns, frontier, issues=issues)
    t2 = time.perf_counter()
    outcomes = discretize_and_enumerate_issues(issues, max_cardinality=float("inf"))
    return {
        "time": {"frontier": t1 - t0, "nash": t2 - t1, "total": t2 - t0},
        "frontier_outcomes": [[int(x) for x in outcomes[i]] for i in indices],
    }


def negmas_python(option: str | None) -> Path | None:
    """The NegMAS interpreter: the option, ``ZOPA_NEGMAS_PYTHON``, or the crosscheck's venv."""
    chosen = option or os.environ.get("ZOPA_NEGMAS_PYTHON")
    if chosen:
        return Path(chosen)
    fallback = nc._venv_python(nc.VENV)
    return fallback if fallback.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--negmas-python", help="interpreter of an environment with negmas")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--issues", type=int, default=6, help="issues of 10 options (default 6)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "analyze_vs_negmas.json")
    parser.add_argument("--negmas-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.negmas_worker:
        nc.negmas_worker(*args.negmas_worker, solve=negmas_frontier_nash)
        return 0
    problems = [
        {"id": i, "parties": 3, "issues": args.issues, "options": 10, "family": fam, "seed": s}
        for i, (fam, s) in enumerate(
            (f, s) for f in ("random", "opposed") for s in range(args.seeds)
        )
    ]
    for q in problems:
        q["repeats"] = args.repeats
    python = negmas_python(args.negmas_python)
    negmas: dict[int, dict[str, Any]] = {}
    if python is not None:
        negmas = nc.run_negmas(problems, nc.VENV, 600, script=Path(__file__), python=python)
    else:
        print(
            "NegMAS: no environment (set ZOPA_NEGMAS_PYTHON); its columns stay empty",
            file=sys.stderr,
        )
    env = dict(os.environ)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for q in problems:
            path = Path(tmp) / f"{q['family']}-{q['seed']}.yaml"
            path.write_text(scenario_yaml(q))
            seconds, doc = zopa_run(path, args.repeats, env)
            packages = np.array(
                [[int(pkg[f"i{j}"][1:]) for j in range(q["issues"])] for pkg in doc["pareto"]],
                dtype=np.intp,
            )
            row: dict[str, Any] = {
                "problem": q,
                "zopa_seconds": seconds,
                "engine": doc["engine"],
                "zopa_frontier": len(packages),
            }
            n = negmas.get(q["id"])
            if n is not None and n.get("status") == "ok":
                outcomes = np.array(n["frontier_outcomes"], dtype=np.intp)
                same = exact_utilities(q, packages) == exact_utilities(q, outcomes)
                subset = {tuple(r) for r in outcomes.tolist()} <= {
                    tuple(r) for r in packages.tolist()
                }
                row |= {
                    "negmas_seconds": n["time"]["total"],
                    "negmas_frontier": len(outcomes),
                    "identical": bool(same and subset),
                    "ratio": n["time"]["total"] / seconds,
                }
            rows.append(row)
    load = os.getloadavg()
    print(
        "| parties | family | packages | seed | zopa analyze (subprocess) s | engine | "
        "NegMAS pareto_frontier + nash_points s | NegMAS / zopa | frontier z/N | identical |\n"
        "|---:|---|---:|---:|---:|---|---:|---:|---|---|"
    )
    for r in rows:
        q = r["problem"]
        negmas_s = f"{r['negmas_seconds']:.2f}" if "negmas_seconds" in r else "–"
        ratio = f"{r['ratio']:.1f}×" if "ratio" in r else "–"
        front = f"{r['zopa_frontier']}/{r.get('negmas_frontier', '–')}"
        same = {True: "yes", False: "NO"}.get(r.get("identical"), "–")  # type: ignore[call-overload]
        print(
            f"| {q['parties']} | {q['family']} | {10 ** q['issues']:,} | {q['seed']} | "
            f"{r['zopa_seconds']:.3f} | {r['engine']} | {negmas_s} | {ratio} | {front} | {same} |"
        )
    print(f"\nload average (1/5/15 min) at the end: {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}")
    verdict = 0
    if all("ratio" in r for r in rows):
        ok = all(r["ratio"] >= TARGET and r["identical"] for r in rows)
        worst = min(r["ratio"] for r in rows)
        print(
            f"target: >= {TARGET:.0f}x faster, frontier identical: {'PASS' if ok else 'FAIL'} (lowest {worst:.1f}x)"
        )
        verdict = 0 if ok else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1))
    return verdict


if __name__ == "__main__":
    raise SystemExit(main())
