"""Speed of the robustness analyses of the default scenario.

For 10,000 samples of the 159 uncertain preference numbers of ``berlin-2025-12``, the time of
``zopa.robust.proposals.robust_proposals`` (every proposal, the zone's margin, each sample's Nash
package, the robust bridges and the hinges) serially, with a local process pool of 2 and on a
local Dask cluster of 2 worker processes (cluster start-up included), and the per-sample cost.
Results are checked to be identical across executors. Then, for reference, the other two engines
of ``zopa robust``: the forecast Monte Carlo (10,000 samples, every issue) and robust stability
(exact over the preference profiles).

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
    from zopa.catalog import load
    from zopa.robust.proposals import robust_proposals

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

    from zopa.robust.forecast import robust_forecast
    from zopa.robust.stability import robust_stability

    print()
    print("| engine | samples | seconds |")
    print("|---|---|---|")
    start = time.perf_counter()
    robust_forecast(scenario, args.samples, 0)
    print(
        f"| forecast (every issue, serial) | {args.samples:,} | {time.perf_counter() - start:.2f} |"
    )
    assert scenario.strategic is not None
    start = time.perf_counter()
    found = robust_stability(scenario.strategic, samples=args.samples, seed=0)
    kind = "exact" if found.exact else "Monte Carlo"
    print(
        f"| stability ({kind}, {found.profiles} profiles, serial) | {args.samples:,} | "
        f"{time.perf_counter() - start:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
