"""Speed of the expected-utility forecasting engine (issue 6).

Rows, for both variants (``scholz``, ``paper``):

* 200 actors × 10 rounds, one run (target: well under 1 s);
* 10,000 Monte Carlo samples of a 10-actor, 10-round model, all at once (target: under 10 s).

Inputs are random (fixed seed): capability and salience uniform on [0, 1), positions uniform on
[0, 100). Each time is the best of ``--repeat`` runs of :func:`zopa.forecast.eum.simulate`,
after one warm-up run.

Usage::

    .venv/bin/python benchmarks/forecast_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from zopa.forecast.eum import simulate

CASES = [
    ("200 actors × 10 rounds", 1, 200, 1.0),
    ("10,000 MC × 10 actors × 10 rounds", 10_000, 10, 10.0),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'case':36} {'variant':8} {'seconds':>8} {'target':>7}  ok")
    for label, samples, n, target in CASES:
        c, x, s = rng.random((samples, n)), 100 * rng.random((samples, n)), rng.random((samples, n))
        for variant in ("scholz", "paper"):
            simulate(c, x, s, variant=variant, rounds=10)  # warm-up
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                simulate(c, x, s, variant=variant, rounds=10)
                best = min(best, time.perf_counter() - start)
            ok = "yes" if best < target else "NO"
            print(f"{label:36} {variant:8} {best:8.3f} {target:7.1f}  {ok}")


if __name__ == "__main__":
    main()
