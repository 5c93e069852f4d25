"""Speed of the robustness analysis of the default scenario's proposals.

For 10,000 samples of the 159 uncertain inputs of ``berlin-2025-12``, the time of
``zopa.robust.proposals.robust_proposals`` serially, with a local process pool of 2 and on a local
Dask cluster of 2 worker processes (cluster start-up included), and the per-sample cost. Results
are checked to be identical across executors.

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
    for label, workers, scheduler in (
        ("serial", 1, None),
        ("process pool", 2, None),
        ("local Dask cluster", 2, "local"),
    ):
        start = time.perf_counter()
        result = robust_proposals(
            scenario, samples=args.samples, seed=0, workers=workers, scheduler=scheduler
        )
        seconds = time.perf_counter() - start
        results.append(result.to_dict())
        rows.append((label, workers, seconds, seconds / args.samples * 1e3))
    print("| executor | workers | samples | seconds | ms per sample |")
    print("|---|---|---|---|---|")
    for label, workers, seconds, per in rows:
        print(f"| {label} | {workers} | {args.samples:,} | {seconds:.2f} | {per:.3f} |")
    same = all(r == results[0] for r in results)
    print(f"identical results across executors: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
