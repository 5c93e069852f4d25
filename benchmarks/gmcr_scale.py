"""Benchmark of the graph-model stability engine (R, GMR, SMR and SEQ for every state and DM).

Problems (issue 5): three decision makers, the options split evenly, each DM controlling a
contiguous block; random strict preference rankings over all states (fixed seeds).

* family ``full``: every state feasible, every move reversible;
* family ``restricted``: random exclusion rules (two options that may not both be chosen),
  added until about a quarter of the states are infeasible, and a third of the options
  irreversible (forward or backward at random).

Each row runs in a fresh subprocess (``--worker``) so that its peak memory (``ru_maxrss``) is its
own; the time is the engine only (``analyse_stability``), after the numba kernels have been
compiled on a tiny game in the same process.

Usage::

    .venv/bin/python benchmarks/gmcr_scale.py            # the full table (a few minutes)
    .venv/bin/python benchmarks/gmcr_scale.py --quick    # small rows only
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
DEFAULT_OUTPUT = ROOT / "results" / "gmcr_scale.json"
TARGETS = {("full", 14): 0.1, ("full", 18): 1.0, ("full", 24): 60.0, ("restricted", 20): 60.0}
MEMORY_LIMIT_MIB = 4096


@dataclass
class Game:
    """The arrays the engine reads (the shape of ``zopa.gmcr.compile.CompiledGame``)."""

    dms: tuple[str, ...]
    blocks: tuple[tuple[int, int], ...]
    feasible: np.ndarray[Any, Any]
    payoff: np.ndarray[Any, Any]
    direction: np.ndarray[Any, Any]

    @property
    def n_options(self) -> int:
        return len(self.direction)


def make_game(n: int, family: str, seed: int) -> Game:
    rng = np.random.default_rng(seed)
    sizes = [n // 3 + (1 if k < n % 3 else 0) for k in range(3)]
    blocks, start = [], 0
    for count in sizes:
        blocks.append((start, count))
        start += count
    states = 1 << n
    feasible = np.ones(states, dtype=bool)
    direction = np.zeros(n, dtype=np.int8)
    if family == "restricted":
        codes = np.arange(states)
        while feasible.mean() > 0.75:
            a, b = rng.choice(n, 2, replace=False)
            feasible &= ~((((codes >> a) & 1) & ((codes >> b) & 1)).astype(bool))
        chosen = rng.choice(n, n // 3, replace=False)
        direction[chosen] = rng.integers(1, 3, len(chosen))
    payoff = np.stack([rng.permutation(states) for _ in range(3)]).astype(np.int64)
    return Game(("A", "B", "C"), tuple(blocks), feasible, payoff, direction)


def worker(n: int, family: str, seed: int) -> dict[str, Any]:
    from zopa.gmcr.stability import CONCEPTS, analyse_stability

    warm = make_game(3, "restricted", 0)
    analyse_stability(warm)
    analyse_stability(make_game(3, "full", 0))
    game = make_game(n, family, seed)
    start = time.perf_counter()
    result = analyse_stability(game)
    seconds = time.perf_counter() - start
    return {
        "options": n,
        "family": family,
        "seed": seed,
        "states": 1 << n,
        "feasible": int(game.feasible.sum()),
        "irreversible": int((game.direction != 0).sum()),
        "seconds": seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "equilibria": {c: len(result.equilibria(c)) for c in CONCEPTS},
    }


def run_row(n: int, family: str, seed: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(n), family, str(seed)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"options": n, "family": family, "seed": seed, "states": 1 << n, "timeout": timeout}
    except subprocess.CalledProcessError as exc:
        return {
            "options": n,
            "family": family,
            "seed": seed,
            "states": 1 << n,
            "error": exc.stderr[-500:],
        }
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def table(rows: list[dict[str, Any]]) -> str:
    head = "| options | family | states | feasible | irreversible | time (s) | peak MiB | R | GMR | SMR | SEQ | target |"
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        target = TARGETS.get((r["family"], r["options"]))
        if "seconds" not in r:
            status = "timeout" if "timeout" in r else "error"
            lines.append(
                f"| {r['options']} | {r['family']} | {r['states']:,} | | | {status} | | | | | | |"
            )
            continue
        verdict = ""
        if target is not None:
            ok = r["seconds"] < target and r["peak_mib"] < MEMORY_LIMIT_MIB
            verdict = f"< {target:g} s: {'PASS' if ok else 'FAIL'}"
        eq = r["equilibria"]
        lines.append(
            f"| {r['options']} | {r['family']} | {r['states']:,} | {r['feasible']:,} | "
            f"{r['irreversible']} | {r['seconds']:.3f} | {r['peak_mib']:.0f} | {eq['R']} | "
            f"{eq['GMR']:,} | {eq['SMR']:,} | {eq['SEQ']:,} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="rows up to 16 options")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per row")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        n, family, seed = int(args.worker[0]), args.worker[1], int(args.worker[2])
        print(json.dumps(worker(n, family, seed)))
        return 0
    full = [12, 14, 16, 18, 20, 22, 24]
    restricted = [12, 14, 16, 18, 20]
    if args.quick:
        full, restricted = [12, 14, 16], [12, 14]
    rows = []
    for family, sizes in (("full", full), ("restricted", restricted)):
        for n in sizes:
            rows.append(run_row(n, family, seed=n, timeout=args.timeout))
            print(f"{family} {n}: {rows[-1].get('seconds', rows[-1])}", file=sys.stderr, flush=True)
    print(table(rows))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
