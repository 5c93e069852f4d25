"""Speed of simulated talks on the default scenario: one negotiation, and a 10,000-game tournament.

* One negotiation of ``berlin-2025-12`` (everyone ``linear``): end to end
  (``simulate_scenario``: compile, schedule, candidate packages, protocol, Nash), and the
  protocol alone once the candidates are computed.
* A tournament of at least 10,000 negotiations: the 6 strategies over the 3 parties every
  package needs (216 profiles) × ``ceil(10,000 / 216) = 47`` samples of the scenario's
  uncertain inputs, serially and with a process pool of 2 workers; the results are checked to
  be identical. Target: under 60 s with the pool on a 2-core machine.
* ``zopa tournament`` as a user runs it: the default scenario, 100 samples (the command's
  default), the default workers (every core), ``--format json``, as a subprocess, wall clock from
  interpreter start to exit (issue 12). Target: under 30 s on 2 cores. With ``--baseline-src
  DIR`` (e.g. another checkout's ``src``) the same command also runs on that code, for a
  before/after ratio under the same load, and each profile's agreements and mean utilities are
  compared (other keys may differ between versions).

Prints a Markdown table and writes ``benchmarks/results/simulate_speed.json``.

Usage::

    .venv/bin/python benchmarks/simulate_speed.py [--negotiations N] [--workers K]
        [--cli-samples 100] [--skip-cli] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "simulate_speed.json"
TARGET_SECONDS = 60.0
CLI_TARGET_SECONDS = 30.0


def _outcomes(doc: dict[str, object]) -> list[tuple[object, ...]]:
    """What must not change between versions: each profile's agreements and mean utilities."""
    profiles = doc["profiles"]
    assert isinstance(profiles, list)
    return [(p["profile"], p["agreements"], p["mean_utility"]) for p in profiles]


def cli_tournament(samples: int, src: str | None) -> tuple[float, str]:
    """Wall-clock seconds of ``python -m zopa tournament --samples N --format json``, its output."""
    import subprocess

    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "zopa", "tournament", "--samples", str(samples), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return time.perf_counter() - start, out.stdout


def _best_of(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--negotiations", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cli-samples", type=int, default=100)
    parser.add_argument("--skip-cli", action="store_true", help="skip the `zopa tournament` run")
    parser.add_argument("--skip-library", action="store_true", help="only the CLI run")
    parser.add_argument("--baseline-src", help="also run the CLI on this source tree (ratio)")
    args = parser.parse_args(argv)
    cli: dict[str, object] = {}
    if not args.skip_cli:
        print("| command | cores | wall clock | |\n|---|---|---|---|")
        seconds, text = cli_tournament(args.cli_samples, None)
        cli = {"samples": args.cli_samples, "seconds": seconds}
        print(
            f"| `zopa tournament --samples {args.cli_samples}` (subprocess, all cores) | "
            f"{os.cpu_count()} | {seconds:.1f} s | target < {CLI_TARGET_SECONDS:.0f} s: "
            f"{'met' if seconds < CLI_TARGET_SECONDS else 'NOT met'} |"
        )
        if args.baseline_src:
            base_seconds, base_text = cli_tournament(args.cli_samples, args.baseline_src)
            same_doc = _outcomes(json.loads(base_text)) == _outcomes(json.loads(text))
            cli |= {"baseline_seconds": base_seconds, "baseline_identical": same_doc}
            print(
                f"| same command on {args.baseline_src} | {os.cpu_count()} | {base_seconds:.1f} s "
                f"| {base_seconds / seconds:.1f}× slower; identical results: {same_doc} |"
            )
        load = os.getloadavg()
        print(f"load average at the end: {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}\n")
        cli["load"] = list(load)
    if args.skip_library:
        return 0

    import numpy as np

    from zopa.catalog import load
    from zopa.simulate.offers import candidate_packages
    from zopa.simulate.protocol import run_negotiations, simulate_scenario
    from zopa.simulate.schedule import compile_schedule
    from zopa.simulate.strategies import STRATEGIES, StrategyProfile
    from zopa.simulate.tournament import tournament
    from zopa.space.compile import compile_scenario

    scenario = load()
    space = compile_scenario(scenario)
    schedule = compile_schedule(scenario, space=space)
    simulate_scenario(scenario)  # warm up imports and numba kernels
    candidates = candidate_packages(space)
    codes = StrategyProfile().codes(space.parties)[None, :]

    one = _best_of(lambda: simulate_scenario(scenario), 3)
    setup = _best_of(lambda: candidate_packages(space), 3)
    protocol = _best_of(lambda: run_negotiations(candidates, schedule, codes, core=space.core), 5)

    profiles = len(STRATEGIES) ** int(space.core.sum())
    samples = -(-args.negotiations // profiles)
    rows = []
    results = []
    for label, workers in (("serial", 1), ("process pool", args.workers)):
        start = time.perf_counter()
        result = tournament(scenario, samples=samples, seed=args.seed, workers=workers)
        seconds = time.perf_counter() - start
        results.append(result.to_dict())
        rows.append((label, workers, result.negotiations, seconds))
    same = all(r == results[0] for r in results)

    print(
        f"berlin-2025-12: {space.size:,} packages, {len(candidates):,} candidate packages, "
        f"{schedule.rounds} rounds, {space.n_parties} parties\n"
    )
    print("| run | workers | negotiations | seconds | ms per negotiation |")
    print("|---|---|---|---|---|")
    print(f"| one negotiation, end to end | 1 | 1 | {one:.3f} | {one * 1e3:.0f} |")
    print(f"| candidate packages (once per sample) | 1 | – | {setup:.3f} | – |")
    print(f"| protocol alone, one negotiation | 1 | 1 | {protocol:.4f} | {protocol * 1e3:.2f} |")
    for label, workers, n, seconds in rows:
        print(
            f"| tournament {profiles} profiles × {samples} samples, {label} | {workers} | "
            f"{n:,} | {seconds:.2f} | {seconds / n * 1e3:.2f} |"
        )
    pool_seconds = rows[-1][3]
    print(f"\nidentical results serial and pool: {same}")
    print(
        f"target: {args.negotiations:,} negotiations < {TARGET_SECONDS:.0f} s with the pool: "
        f"{'met' if pool_seconds < TARGET_SECONDS else 'NOT met'} ({pool_seconds:.1f} s)"
    )
    agreement = np.mean([p["agreement_rate"] for p in results[0]["profiles"]])
    print(f"mean agreement rate over profiles: {agreement:.3f}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "packages": space.size,
        "candidates": len(candidates),
        "rounds": schedule.rounds,
        "one_negotiation_seconds": one,
        "candidates_seconds": setup,
        "protocol_seconds": protocol,
        "profiles": profiles,
        "samples": samples,
        "tournament": [
            {"run": label, "workers": w, "negotiations": n, "seconds": s} for label, w, n, s in rows
        ],
        "identical": same,
        "target_seconds": TARGET_SECONDS,
        "cli_tournament": cli,
    }
    args.output.write_text(json.dumps(payload, indent=1))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
