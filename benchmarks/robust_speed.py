"""Speed of the robustness analysis of the default scenario's proposals.

For 10,000 samples of the 159 uncertain inputs of ``berlin-2025-12``, the time of
``zopa.robust.proposals.robust_proposals`` with 1 and 2 local worker processes, and the
per-sample cost. Results are checked to be identical across worker counts.

Usage::

    .venv/bin/python benchmarks/robust_speed.py [--samples N]
"""

from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args(argv)
    from zopa.robust.proposals import robust_proposals
    from zopa.scenarios import load

    scenario = load()
    robust_proposals(scenario, samples=50, seed=0)  # warm up imports and kernels
    rows = []
    results = []
    for workers in (1, 2):
        start = time.perf_counter()
        result = robust_proposals(scenario, samples=args.samples, seed=0, workers=workers)
        seconds = time.perf_counter() - start
        results.append(result.to_dict())
        rows.append((workers, seconds, seconds / args.samples * 1e3))
    print("| workers | samples | seconds | ms per sample |")
    print("|---|---|---|---|")
    for workers, seconds, per in rows:
        print(f"| {workers} | {args.samples:,} | {seconds:.2f} | {per:.3f} |")
    print(f"identical results across worker counts: {results[0] == results[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
