"""Speed of the web workspace's package builder and assumption explorer (issue 15).

Times, on one scenario object (the default scenario unless ``--scenario``):

* ``zopa.evaluate`` cold: the scenario's compiled space and engine built for the call (the
  cache cleared first), as every call was before they were cached;
* ``zopa.evaluate`` warm: the same scenario object again (the space and engine reused), a
  different package each call — the builder's update (target p95 < 100 ms under load);
* ``zopa.explore`` warm: one assumption moved to a different value each call — the slider's
  re-run (target p95 < 300 ms under load; < 30 ms alone);
* ``zopa.analyze``, for comparison.

Each row gives the calls, the median and the 95th percentile in milliseconds.

Usage::

    .venv/bin/python benchmarks/explore_speed.py [--scenario ID_OR_PATH] [--calls N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np


def _time(calls: int, work: Callable[[int], object]) -> tuple[float, float]:
    """Median and 95th percentile (ms) of ``work(k)`` for k in 0..calls-1."""
    spent = []
    for k in range(calls):
        start = time.perf_counter()
        work(k)
        spent.append((time.perf_counter() - start) * 1000)
    return float(np.median(spent)), float(np.percentile(spent, 95))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help="an embedded id or a path")
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args(argv)
    import zopa
    from zopa.space.cache import CACHE

    s = zopa.load(args.scenario)
    issues = list(s.issues.items())
    packages = [
        {
            issue: spec.option_ids()[k % len(spec.option_ids())]
            for issue, spec in issues[: k % 4 + 1]
        }
        for k in range(args.calls)
    ]
    slider = next(a for a in zopa.assumptions(s).items if a.kind == "reservation")
    steps = np.linspace(slider.low, slider.high, args.calls)

    def cold(k: int) -> object:
        CACHE.clear()
        return zopa.evaluate(s, packages[k])

    zopa.evaluate(s, {})  # warm up imports and the cache
    zopa.explore(s)
    rows = [
        ("evaluate, cold", args.calls, *_time(args.calls, cold)),
        ("evaluate, warm", args.calls, *_time(args.calls, lambda k: zopa.evaluate(s, packages[k]))),
        (
            f"explore, warm ({slider.label})",
            args.calls,
            *_time(args.calls, lambda k: zopa.explore(s, {slider.path: float(steps[k])})),
        ),
        ("analyze", 5, *_time(5, lambda k: zopa.analyze(s))),
    ]
    print(f"scenario {s.id}")
    print(f"{'call':<34} {'calls':>5} {'median ms':>10} {'p95 ms':>8}")
    for name, calls, median, p95 in rows:
        print(f"{name:<34} {calls:>5} {median:>10.1f} {p95:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
