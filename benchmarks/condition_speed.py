"""Speed of conditioning the default scenario on its reactions (issue 14: under 60 s on 2 cores).

Times, for 10,000 posterior samples of the default scenario's uncertain preference numbers given
its ``reactions:``:

* the sampler alone (``zopa.robust.condition.condition``), as chosen automatically (exact
  rejection sampling while affordable, else sequential Monte Carlo), and sequential Monte Carlo
  forced, for comparison;
* the whole of ``zopa robust`` with the reactions (``zopa.robust``): the prior run, the sampler
  and the full analysis of every posterior sample — what a user waits for.

Each row gives the prior samples scored, how many rejection sampling kept, the acceptance rate,
the effective sample size and the seconds. A scenario without reactions has nothing to condition
on: the script says so and exits with 1.

Usage::

    .venv/bin/python benchmarks/condition_speed.py [--scenario ID_OR_PATH] [--samples N]
        [--workers N]
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario", default=None, help="an embedded id or a path (default: the default scenario)"
    )
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    import zopa
    from zopa.catalog import load
    from zopa.robust.condition import condition

    scenario = load(args.scenario)
    if not scenario.reactions:
        print(
            f"scenario {scenario.id!r} has no reactions: nothing to condition on (add its "
            "reactions: section, or give --scenario with a scenario that has one)",
            file=sys.stderr,
        )
        return 1
    condition(scenario, 50, seed=0)  # warm up imports
    rows = []
    for label, sampler in (("sampler (auto)", "auto"), ("sampler (smc forced)", "smc")):
        start = time.perf_counter()
        found = condition(scenario, args.samples, seed=0, workers=args.workers, sampler=sampler)
        seconds = time.perf_counter() - start
        rows.append((label, found, seconds))
    start = time.perf_counter()
    run = zopa.robust(scenario, samples=args.samples, seed=0, workers=args.workers)
    seconds = time.perf_counter() - start
    rows.append(("zopa robust (prior, sampler, posterior analysis)", run.conditioning, seconds))
    print(
        f"{scenario.id}: {len(scenario.reactions)} reactions, {args.samples:,} posterior "
        f"samples, {args.workers} workers"
    )
    print()
    print("| run | method | prior draws | accepted | acceptance rate | ESS | seconds |")
    print("|---|---|---|---|---|---|---|")
    for label, found, secs in rows:
        print(
            f"| {label} | {found.method} | {found.prior_draws:,} | {found.accepted:,} | "
            f"{found.acceptance_rate:.2%} | {found.ess:,.0f} | {secs:.1f} |"
        )
    smc = rows[1][1].run
    if smc is not None:
        print()
        print(
            f"sequential Monte Carlo: {smc.stages} reweightings, {smc.steps} Metropolis steps, "
            f"{smc.move_acceptance:.1%} of moves accepted, smallest ESS {smc.min_ess:,.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
