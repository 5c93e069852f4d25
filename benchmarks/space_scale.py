"""Scale benchmark of zopa's exact agreement-space engine (issue 4), with its targets.

What it measures
----------------
Random linear-additive problems generated exactly as in the issue (via
:func:`negmas_crosscheck.generate`: families ``random`` and ``opposed``, seed 0, values rounded to
3 decimals, weights to 4), 2 and 3 parties, full consent, in four sections:

* **frontier**: ``k`` issues × 10 options, ``k`` = 2 … 300 (2 parties) and 2 … 50 (3 parties;
  ``opposed`` up to 40), i.e. 10² … 10³⁰⁰ outcomes. zopa time = ``ExactEngine(space)`` +
  ``pareto(acceptable_only=False)`` + ``bargaining_solutions`` over that frontier with reservation
  0 and every party bargaining (which computes the Nash packages, and KS, egalitarian and
  utilitarian with them). NegMAS 0.16 time = ``pareto_frontier`` (enumerates and evaluates every
  outcome) + ``nash_points`` (disagreement point 0: ``ranges`` = (0, each party's maximum over the
  frontier), which costs nothing). NegMAS runs only up to 10⁶ outcomes, in its own environment
  (``benchmarks/.negmas-venv``, created and driven by :mod:`negmas_crosscheck`; NegMAS is AGPL and
  is never imported by zopa or by the zopa side of this script). Where both ran, the frontiers
  are compared as sets of utility vectors rounded to 1e-9, and so are the Nash points.
* **options100**: the frontier measurement with 100 options per issue, ``k`` = 3 … 10
  (10⁶ … 10²⁰ outcomes); NegMAS at 10⁶ only.
* **count**: the size of the zone of agreement, ``ExactEngine(space).count_acceptable()``, for 3
  parties and ``k`` = 6 … 12 issues × 10 options, walk-away points at each party's *median*
  utility. The median over 10¹² packages cannot be enumerated: it is estimated from
  1,000,000 packages drawn uniformly (numpy ``default_rng(12345)``, :data:`SAMPLE_SEED`), the same
  way at every size. At 10⁶ outcomes the count is checked against
  ``EnumerationEngine(space).count_acceptable()``.
* **bridging**: the closest acceptable package to the first party's ideal package (per issue the
  option maximising party 0's contribution), proposers = party 0, 3 parties, ``k`` = 10, 20, 30
  issues × 10 options, walk-away points at each party's sampled *60th percentile* utility. Time =
  ``ExactEngine(space).closest(reference, proposers, k=1)`` (including the ``margin()`` it computes
  internally; the JSON also has ``margin()`` timed alone on a fresh engine).

Every zopa problem runs in a fresh subprocess of this script (``--zopa-worker SPEC``), which
first warms up (imports, numba's cached kernels) on a tiny problem of the same kind, then times
the engine calls with ``time.perf_counter`` (best of 5 up to 10⁶ outcomes, one run beyond) and
reports its own peak resident memory (``getrusage(RUSAGE_SELF).ru_maxrss``: interpreter, numpy,
numba and the problem; about 100-150 MiB of it is the interpreter and libraries). A child that
exceeds ``--timeout`` is killed and shows as ``timeout``. NegMAS problems run one after another in
one worker process (``--negmas-worker``, best of the same number of runs). zopa and NegMAS never
run at the same time.

Targets (issue 4), evaluated at the end (PASS / FAIL / NOT RUN)
---------------------------------------------------------------
1. 10⁶ outcomes (6 issues × 10): frontier identical to NegMAS's and zopa at least 1,000× faster,
   for 2 and 3 parties and both families.
2. Exact frontier and Nash packages within 60 s and 4 GiB: 3 parties at 10⁵⁰ (``random``) and
   10⁴⁰ (``opposed``); 2 parties at 10³⁰⁰ with both families.
3. Zone size counted exactly at 10¹² outcomes (12 × 10, 3 parties, medians) in under 60 s, both
   families, and the count method equal to enumeration at 10⁶.
4. The closest bridging package at 20 issues × 10 options, 3 parties, in under 10 s, both
   families.

Usage
-----
::

    .venv/bin/python benchmarks/space_scale.py                # full run, ~10 minutes
    .venv/bin/python benchmarks/space_scale.py --quick        # a few small rows, < 1 minute
    .venv/bin/python benchmarks/space_scale.py --only count,bridging --no-negmas
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import negmas_crosscheck as nc

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "space_scale.json"
SECTIONS = ("frontier", "options100", "count", "bridging")
FAMILIES = ("random", "opposed")
SEED = 0
NEGMAS_LIMIT = 10**6
"""NegMAS runs only up to this many outcomes (it enumerates and evaluates every one)."""
SAMPLES = 1_000_000
SAMPLE_SEED = 12345
"""Seed of the uniform package sample that estimates the walk-away quantiles."""
SMALL = 10**6
"""Up to this many outcomes, times are the best of :data:`REPEATS` runs; one run beyond."""
REPEATS = 5
GIB = 2**30
RATIO_TARGET = 1000.0
FRONTIER_SECONDS = 60.0
FRONTIER_BYTES = 4 * GIB
COUNT_SECONDS = 60.0
BRIDGING_SECONDS = 10.0


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


def _spec(section: str, task: str, p: int, k: int, m: int, family: str) -> dict[str, Any]:
    outcomes = m**k
    return {
        "section": section,
        "task": task,
        "parties": p,
        "issues": k,
        "options": m,
        "family": family,
        "seed": SEED,
        "log10_outcomes": k * math.log10(m),
        "outcomes": outcomes if outcomes < 2**63 else None,
        "repeats": REPEATS if outcomes <= SMALL else 1,
    }


def problem_list(sections: list[str], quick: bool) -> list[dict[str, Any]]:
    """Every problem of the requested sections, in table order."""
    problems: list[dict[str, Any]] = []
    if "frontier" in sections:
        if quick:
            cells = [(2, "random", 4), (3, "opposed", 4)]
        else:
            sizes = {
                (2, "random"): [2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200, 300],
                (2, "opposed"): [2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200, 300],
                (3, "random"): [2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 40, 50],
                (3, "opposed"): [2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 40],
            }
            cells = [(p, f, k) for (p, f), ks in sizes.items() for k in ks]
        problems += [_spec("frontier", "frontier", p, k, 10, f) for p, f, k in cells]
    if "options100" in sections:
        ks = [2] if quick else [3, 4, 5, 6, 8, 10]
        families = ["random"] if quick else list(FAMILIES)
        problems += [
            _spec("options100", "frontier", p, k, 100, f)
            for p in (2, 3)
            for f in families
            for k in ks
        ]
    if "count" in sections:
        ks = [6, 8] if quick else [6, 8, 10, 12]
        families = ["random"] if quick else list(FAMILIES)
        for f in families:
            for k in ks:
                spec = _spec("count", "count", 3, k, 10, f)
                spec["quantile"] = 0.5
                spec["verify"] = 10**k <= 10**6
                problems.append(spec)
    if "bridging" in sections:
        ks = [10] if quick else [10, 20, 30]
        families = ["random"] if quick else list(FAMILIES)
        for f in families:
            for k in ks:
                spec = _spec("bridging", "bridging", 3, k, 10, f)
                spec["quantile"] = 0.6
                problems.append(spec)
    for i, q in enumerate(problems):
        q["id"] = i
    return problems


def sample_quantiles(problem: dict[str, Any], q: float) -> list[float]:
    """Each party's ``q``-quantile utility over :data:`SAMPLES` uniformly drawn packages.

    Utilities are summed in floats from the same weight × value products zopa uses; the sample
    is drawn in chunks of 100,000 packages from ``default_rng(SAMPLE_SEED)``.
    """
    p, k, m = problem["parties"], problem["issues"], problem["options"]
    w, v = nc.generate(p, k, m, problem["seed"], problem["family"])
    contributions = w[:, :, None] * v  # (p, k, m)
    rng = np.random.default_rng(SAMPLE_SEED)
    chunk = 100_000
    utilities = np.empty((SAMPLES, p))
    for start in range(0, SAMPLES, chunk):
        x = rng.integers(0, m, size=(min(chunk, SAMPLES - start), k))
        u = np.zeros((len(x), p))
        for j in range(k):
            u += contributions[:, j, x[:, j]].T
        utilities[start : start + len(x)] = u
    return [float(x) for x in np.quantile(utilities, q, axis=0)]


# --------------------------------------------------------------------------------------------
# zopa side: runs in a fresh child process per problem (imports zopa, never negmas)
# --------------------------------------------------------------------------------------------


def _peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def _best(best: dict[str, float], times: dict[str, float]) -> None:
    for key, t in times.items():
        best[key] = min(t, best.get(key, math.inf))


def _frontier_task(problem: dict[str, Any]) -> dict[str, Any]:
    from zopa.space.exact import SCALE
    from zopa.space.exact_engine import ExactEngine
    from zopa.space.solutions import bargaining_solutions

    space = nc.build_space(problem)
    p = space.n_parties
    reservation = np.zeros(p, dtype=np.int64)
    everyone = np.ones(p, dtype=bool)
    best: dict[str, float] = {}
    for _ in range(problem["repeats"]):
        t0 = time.perf_counter()
        engine = ExactEngine(space)
        frontier = engine.pareto(acceptable_only=False)
        t1 = time.perf_counter()
        solutions = bargaining_solutions(frontier, reservation, everyone)
        t2 = time.perf_counter()
        _best(best, {"frontier": t1 - t0, "solutions": t2 - t1, "total": t2 - t0})
    peak = _peak_mib()
    nash = solutions["nash"]
    out: dict[str, Any] = {
        "status": "ok",
        "time": best,
        "peak_mib": peak,
        "frontier_packages": len(frontier),
        "frontier_points": len(np.unique(frontier.utilities, axis=0)),
        "nash_packages": nash.packages.tolist(),
        "nash_utilities": sorted(nc._rounded(nash.utilities, SCALE)),
    }
    if problem["outcomes"] is not None and problem["outcomes"] <= NEGMAS_LIMIT:
        out["frontier_utilities"] = sorted(nc._rounded(frontier.utilities, SCALE))
    return out


def _count_task(problem: dict[str, Any]) -> dict[str, Any]:
    from zopa.space.engine import EnumerationEngine
    from zopa.space.exact_engine import ExactEngine

    space = nc.build_space(problem, reservation=problem["reservation"])
    best: dict[str, float] = {}
    for _ in range(problem["repeats"]):
        t0 = time.perf_counter()
        count = ExactEngine(space).count_acceptable()
        t1 = time.perf_counter()
        _best(best, {"total": t1 - t0})
    out: dict[str, Any] = {
        "status": "ok",
        "time": best,
        "peak_mib": _peak_mib(),
        "count": count,
        "share": count / space.size,
    }
    if problem.get("verify"):
        t0 = time.perf_counter()
        enumerated = EnumerationEngine(space).count_acceptable()
        out["time"]["enumeration"] = time.perf_counter() - t0
        out["enumeration_count"] = enumerated
        out["agree"] = enumerated == count
    return out


def _ideal_of_first(space: Any) -> np.ndarray[Any, Any]:
    from zopa.space.exact import grid_contributions

    return np.array([int(c[0].argmax()) for c in grid_contributions(space)], dtype=np.intp)


def _bridging_task(problem: dict[str, Any]) -> dict[str, Any]:
    from zopa.space.exact import SCALE, grid_utilities, to_grid
    from zopa.space.exact_engine import ExactEngine

    space = nc.build_space(problem, reservation=problem["reservation"])
    reference = _ideal_of_first(space)
    proposers = np.zeros(space.n_parties, dtype=bool)
    proposers[0] = True
    best: dict[str, float] = {}
    for _ in range(problem["repeats"]):
        t0 = time.perf_counter()
        result = ExactEngine(space).closest(reference, proposers, k=1)
        t1 = time.perf_counter()
        _best(best, {"total": t1 - t0})
    peak = _peak_mib()
    t0 = time.perf_counter()
    margin = ExactEngine(space).margin()
    best["margin_alone"] = time.perf_counter() - t0
    u_ref = grid_utilities(space, reference)[0]
    out: dict[str, Any] = {
        "status": "ok",
        "time": best,
        "peak_mib": peak,
        "found": bool(result.found),
        "margin": margin / SCALE,
        "reference": reference.tolist(),
        "reference_utilities": (u_ref / SCALE).tolist(),
        "reference_acceptable": bool((u_ref >= to_grid(space.reservation)).all()),
    }
    if len(result.packages):
        u = result.packages.utilities[0]
        out.update(
            package=result.packages.packages[0].tolist(),
            utilities=(u / SCALE).tolist(),
            distance=int(result.distance[0]),
            proposer_loss=float((u_ref - u)[proposers].max() / SCALE),
            shortfall=float(result.shortfall[0] / SCALE),
        )
    return out


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "frontier": _frontier_task,
    "count": _count_task,
    "bridging": _bridging_task,
}


def zopa_worker(spec: str) -> None:
    """Child process: warm up, solve one problem, print one JSON line."""
    problem = json.loads(spec)
    task = TASKS[problem["task"]]
    tiny = {**problem, "issues": 3, "options": 4, "outcomes": 64, "repeats": 1, "verify": False}
    task(tiny)  # imports, numba kernels (loaded from numba's cache or compiled here)
    warm = _peak_mib()
    result = task(problem)
    result["rss_after_warmup_mib"] = warm
    result["zopa_files"] = _loaded_zopa_files()
    print(json.dumps(result, default=nc._json_default))


def _loaded_zopa_files() -> dict[str, str]:
    """Hashes of the zopa source files this process imported (the code the row really ran)."""
    files = {}
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.split(".")[0] == "zopa" and path:
            files[name] = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return files


def code_versions(records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """How many zopa modules the rows ran, and those whose source differed between rows.

    The engine may be edited while the benchmark runs (each row imports zopa afresh).
    """
    seen: dict[str, set[str]] = {}
    for r in records:
        for name, digest in r["zopa"].get("zopa_files", {}).items():
            seen.setdefault(name, set()).add(digest)
    return len(seen), sorted(name for name, digests in seen.items() if len(digests) > 1)


def run_zopa(problem: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one problem in a fresh child; ``timeout`` kills it."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--zopa-worker", json.dumps(problem)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-3:]
        return {"status": "error", "returncode": proc.returncode, "error": tail, "wall": wall}
    result: dict[str, Any] = json.loads(lines[-1])
    result["wall"] = wall
    return result


# --------------------------------------------------------------------------------------------
# NegMAS side: runs inside benchmarks/.negmas-venv (imports negmas, never zopa)
# --------------------------------------------------------------------------------------------


def negmas_frontier_nash(problem: dict[str, Any]) -> dict[str, Any]:
    """NegMAS ``pareto_frontier`` + ``nash_points`` (disagreement point 0), timed."""
    from negmas.preferences import nash_points, pareto_frontier

    issues, ufuns = nc.negmas_ufuns(problem)
    t0 = time.perf_counter()
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    t1 = time.perf_counter()
    ranges = [(0.0, max(float(u[q]) for u in frontier)) for q in range(len(ufuns))]
    nash = nash_points(ufuns, frontier, ranges=ranges)
    t2 = time.perf_counter()
    return {
        "time": {"frontier": t1 - t0, "nash": t2 - t1, "total": t2 - t0},
        "frontier_utilities": sorted(nc._rounded(frontier)),
        "nash_utilities": sorted(nc._rounded([u for u, _ in nash])),
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _outcomes(problem: dict[str, Any]) -> str:
    n = problem["options"] ** problem["issues"]
    return f"{n:,}" if n <= 10**6 else f"10^{round(problem['log10_outcomes'])}"


def _seconds(t: float) -> str:
    return f"{t:.4f}" if t < 1 else f"{t:.2f}"


def _zopa_time(z: dict[str, Any]) -> str:
    return _seconds(z["time"]["total"]) if z["status"] == "ok" else z["status"]


def _mib(z: dict[str, Any]) -> str:
    return f"{z['peak_mib']:,.0f}" if z["status"] == "ok" else "—"


def _head(q: dict[str, Any]) -> tuple[str, ...]:
    return (str(q["parties"]), q["family"], str(q["issues"]), str(q["options"]), _outcomes(q))


FRONTIER_HEADER = (
    "parties",
    "family",
    "k",
    "options",
    "outcomes",
    "zopa s",
    "NegMAS s",
    "N/z",
    "frontier",
    "peak MiB",
    "frontier =",
    "Nash =",
)
COUNT_HEADER = (
    "parties",
    "family",
    "k",
    "options",
    "outcomes",
    "walk-away (sampled medians)",
    "zone size (exact)",
    "share",
    "zopa s",
    "peak MiB",
    "= enumeration",
)
BRIDGING_HEADER = (
    "parties",
    "family",
    "k",
    "options",
    "outcomes",
    "walk-away (sampled 60th pct)",
    "found",
    "distance",
    "proposer loss",
    "zopa s",
    "peak MiB",
)


def frontier_row(r: dict[str, Any]) -> tuple[str, ...]:
    """One row of the frontier table."""
    q, z, n = r["problem"], r["zopa"], r.get("negmas")
    size = "—"
    if z["status"] == "ok":
        size = f"{z['frontier_points']:,}"
        if z["frontier_packages"] != z["frontier_points"]:
            size += f" (+{z['frontier_packages'] - z['frontier_points']} tied)"
    negmas_time = ratio = same = nash_same = "—"
    if n is not None:
        negmas_time = _seconds(n["time"]["total"]) if n["status"] == "ok" else n["status"]
        if n["status"] == "ok" and z["status"] == "ok":
            ratio = f"{r['ratio']:,.0f}×" if r["ratio"] >= 10 else f"{r['ratio']:.1f}×"
            same = "yes" if r["frontier_identical"] else "NO"
            nash_same = "yes" if r["nash_identical"] else "NO"
    return (
        *_head(q),
        _zopa_time(z),
        negmas_time,
        ratio,
        size,
        _mib(z),
        same,
        nash_same,
    )


def count_row(r: dict[str, Any]) -> tuple[str, ...]:
    """One row of the zone-size table."""
    q, z = r["problem"], r["zopa"]
    walk = "/".join(f"{x:.4f}" for x in q["reservation"])
    if z["status"] != "ok":
        return (*_head(q), walk, "—", "—", _zopa_time(z), "—", "—")
    check = "—"
    if "agree" in z:
        check = "yes" if z["agree"] else f"NO ({z['enumeration_count']:,})"
    return (
        *_head(q),
        walk,
        f"{z['count']:,}",
        f"{100 * z['share']:.2f}%",
        _zopa_time(z),
        _mib(z),
        check,
    )


def bridging_row(r: dict[str, Any]) -> tuple[str, ...]:
    """One row of the bridging table."""
    q, z = r["problem"], r["zopa"]
    walk = "/".join(f"{x:.4f}" for x in q["reservation"])
    if z["status"] != "ok":
        return (*_head(q), walk, "—", "—", "—", _zopa_time(z), "—")
    found = "yes" if z["found"] else "none acceptable"
    return (
        *_head(q),
        walk,
        found,
        str(z.get("distance", "—")),
        f"{z['proposer_loss']:.6f}" if "proposer_loss" in z else "—",
        _zopa_time(z),
        _mib(z),
    )


def compare(record: dict[str, Any]) -> None:
    """Add the NegMAS comparison to a frontier record (both sides ran)."""
    z, n = record["zopa"], record["negmas"]
    zf = {tuple(u) for u in z.pop("frontier_utilities")}
    nf = {tuple(u) for u in n.pop("frontier_utilities")}
    record["frontier_identical"] = zf == nf
    record["frontier_only_zopa"] = sorted(zf - nf)
    record["frontier_only_negmas"] = sorted(nf - zf)
    record["negmas_frontier_points"] = len(nf)
    record["nash_identical"] = {tuple(u) for u in z["nash_utilities"]} == {
        tuple(u) for u in n["nash_utilities"]
    }
    record["ratio"] = n["time"]["total"] / z["time"]["total"]


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------


def _find(
    records: list[dict[str, Any]], section: str, p: int, family: str, k: int
) -> dict[str, Any] | None:
    for r in records:
        q = r["problem"]
        if (q["section"], q["parties"], q["family"], q["issues"]) == (section, p, family, k):
            return r
    return None


def _verdict(checks: list[tuple[str, bool | None]]) -> str:
    if any(ok is None for _, ok in checks):
        return "NOT RUN" if all(ok is None for _, ok in checks) else "INCOMPLETE"
    return "PASS" if all(ok for _, ok in checks) else "FAIL"


def evaluate_targets(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The four targets of issue 4, each with its per-problem checks."""
    targets = []

    checks: list[tuple[str, bool | None]] = []
    for p in (2, 3):
        for f in FAMILIES:
            r = _find(records, "frontier", p, f, 6)
            label = f"{p} parties {f} 6×10"
            if r is None or "ratio" not in r:
                checks.append((f"{label}: not run (needs NegMAS)", None))
                continue
            ok = r["frontier_identical"] and r["ratio"] >= RATIO_TARGET
            same = "identical" if r["frontier_identical"] else "DIFFERENT"
            checks.append((f"{label}: frontier {same}, {r['ratio']:,.0f}× faster", ok))
    targets.append(
        {
            "target": "1. 10^6 outcomes: frontier identical to NegMAS, >= 1,000x faster",
            "checks": checks,
        }
    )

    checks = []
    for p, f, k in ((3, "random", 50), (3, "opposed", 40), (2, "random", 300), (2, "opposed", 300)):
        r = _find(records, "frontier", p, f, k)
        label = f"{p} parties {f} 10^{k}"
        if r is None:
            checks.append((f"{label}: not run", None))
            continue
        z = r["zopa"]
        if z["status"] != "ok":
            checks.append((f"{label}: {z['status']}", False))
            continue
        ok = z["time"]["total"] <= FRONTIER_SECONDS and z["peak_mib"] * 2**20 <= FRONTIER_BYTES
        checks.append(
            (
                f"{label}: {z['time']['total']:.1f} s, {z['peak_mib'] / 1024:.2f} GiB, "
                f"{z['frontier_points']:,} frontier points, "
                f"{len(z['nash_packages'])} Nash package(s)",
                ok,
            )
        )
    targets.append(
        {"target": "2. exact frontier + Nash within 60 s and 4 GiB at scale", "checks": checks}
    )

    checks = []
    for f in FAMILIES:
        for k, limit in ((12, COUNT_SECONDS), (6, None)):
            r = _find(records, "count", 3, f, k)
            label = f"3 parties {f} 10^{k}"
            if r is None:
                checks.append((f"{label}: not run", None))
                continue
            z = r["zopa"]
            if z["status"] != "ok":
                checks.append((f"{label}: {z['status']}", False))
            elif limit is not None:
                ok = z["time"]["total"] < limit
                checks.append(
                    (f"{label}: {z['count']:,} counted in {z['time']['total']:.1f} s", ok)
                )
            else:
                checks.append(
                    (
                        f"{label}: exact {z['count']:,} vs enumeration {z['enumeration_count']:,}",
                        z["agree"],
                    )
                )
    targets.append(
        {"target": "3. zone size at 10^12 exactly in < 60 s (checked at 10^6)", "checks": checks}
    )

    checks = []
    for f in FAMILIES:
        r = _find(records, "bridging", 3, f, 20)
        label = f"3 parties {f} 20×10"
        if r is None:
            checks.append((f"{label}: not run", None))
            continue
        z = r["zopa"]
        if z["status"] != "ok":
            checks.append((f"{label}: {z['status']}", False))
            continue
        ok = z["found"] and z["time"]["total"] < BRIDGING_SECONDS
        checks.append(
            (
                f"{label}: {z['time']['total']:.2f} s, distance {z.get('distance')}, "
                f"proposer loss {z.get('proposer_loss', math.nan):.6f}",
                ok,
            )
        )
    targets.append({"target": "4. closest bridging package at 10^20 in < 10 s", "checks": checks})

    for t in targets:
        t["verdict"] = _verdict(t["checks"])
        t["checks"] = [{"check": text, "ok": ok} for text, ok in t["checks"]]
    return targets


def render(records: list[dict[str, Any]], targets: list[dict[str, Any]]) -> str:
    """The printed report: one table per section, then the target verdicts."""
    parts = []
    for section, title in (
        ("frontier", "Frontier + Nash, 10 options per issue"),
        ("options100", "Frontier + Nash, 100 options per issue"),
    ):
        rows = [frontier_row(r) for r in records if r["problem"]["section"] == section]
        if rows:
            right = frozenset({0, 2, 3, 4, 5, 6, 7, 8, 9})
            parts += [f"### {title}", "", nc.markdown_table(rows, FRONTIER_HEADER, right), ""]
    rows = [count_row(r) for r in records if r["problem"]["section"] == "count"]
    if rows:
        right = frozenset({0, 2, 3, 4, 6, 7, 8, 9})
        parts += [
            "### Zone of agreement size (count_acceptable), walk-away = sampled medians",
            "",
            nc.markdown_table(rows, COUNT_HEADER, right),
            "",
            f"Medians estimated from {SAMPLES:,} uniformly sampled packages "
            f"(numpy default_rng({SAMPLE_SEED})); '= enumeration': EnumerationEngine's count.",
            "",
        ]
    rows = [bridging_row(r) for r in records if r["problem"]["section"] == "bridging"]
    if rows:
        right = frozenset({0, 2, 3, 4, 7, 8, 9, 10})
        parts += [
            "### Closest bridging package to party 0's ideal (closest, k=1, proposers = party 0)",
            "",
            nc.markdown_table(rows, BRIDGING_HEADER, right),
            "",
            f"60th percentiles estimated from {SAMPLES:,} uniformly sampled packages "
            f"(numpy default_rng({SAMPLE_SEED})); distance = issues changed from party 0's ideal.",
            "",
        ]
    parts += ["### Targets (issue 4)", ""]
    for t in targets:
        parts.append(f"* **{t['verdict']}** {t['target']}")
        for c in t["checks"]:
            mark = {True: "ok", False: "MISS", None: "n/a"}[c["ok"]]
            parts.append(f"  * {mark}: {c['check']}")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def engine_state() -> dict[str, Any]:
    """The last commit touching ``src/zopa/space`` and whether the folder has uncommitted edits."""
    state: dict[str, Any] = {}
    try:
        git = ["git", "-C", str(HERE.parent)]
        log = [*git, "log", "-1", "--format=%h %s", "--", "src/zopa/space"]
        state["last_commit"] = subprocess.run(
            log, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = [*git, "status", "--porcelain", "--", "src/zopa/space"]
        state["edited"] = bool(
            subprocess.run(status, capture_output=True, text=True, check=True).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        pass
    return state


def _describe(q: dict[str, Any]) -> str:
    return (
        f"{q['section']:<10} {q['parties']}p {q['family']:<7} {q['issues']}×{q['options']} "
        f"({_outcomes(q)})"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few small rows (< 1 minute)")
    parser.add_argument(
        "--only", help=f"comma-separated sections to run: {', '.join(SECTIONS)} (default: all)"
    )
    parser.add_argument("--no-negmas", action="store_true", help="skip the NegMAS comparison")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per zopa problem")
    parser.add_argument(
        "--negmas-timeout", type=float, default=600, help="seconds per NegMAS problem"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    parser.add_argument("--venv", type=Path, default=nc.VENV, help="NegMAS virtual environment")
    parser.add_argument("--zopa-worker", metavar="SPEC", help=argparse.SUPPRESS)
    parser.add_argument("--negmas-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.zopa_worker:
        zopa_worker(args.zopa_worker)
        return 0
    if args.negmas_worker:
        nc.negmas_worker(*args.negmas_worker, solve=negmas_frontier_nash)
        return 0
    sections = list(SECTIONS) if not args.only else [s.strip() for s in args.only.split(",")]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    problems = problem_list(sections, args.quick)
    started = time.perf_counter()
    engine_at_start = engine_state()
    load_at_start = os.getloadavg()

    for q in problems:
        if "quantile" in q:
            q["reservation"] = sample_quantiles(q, q["quantile"])

    negmas_version = None
    negmas_records: dict[int, dict[str, Any]] = {}
    negmas_problems = [
        q
        for q in problems
        if q["task"] == "frontier" and q["outcomes"] is not None and q["outcomes"] <= NEGMAS_LIMIT
    ]
    if negmas_problems and not args.no_negmas:
        negmas_version = nc.ensure_negmas_venv(args.venv)
        print(f"NegMAS {negmas_version}: {len(negmas_problems)} problems ...", file=sys.stderr)
        t0 = time.perf_counter()
        negmas_records = nc.run_negmas(
            negmas_problems, args.venv, args.negmas_timeout, script=Path(__file__).resolve()
        )
        print(f"NegMAS done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    records = []
    for i, q in enumerate(problems):
        print(f"[{i + 1}/{len(problems)}] {_describe(q)} ...", end="", file=sys.stderr, flush=True)
        z = run_zopa(q, args.timeout)
        shown = _zopa_time(z) + (" s" if z["status"] == "ok" else "")
        print(f" {shown} (child wall {z['wall']:.1f} s)", file=sys.stderr)
        record: dict[str, Any] = {"problem": q, "zopa": z}
        if q["id"] in negmas_records:
            n = negmas_records[q["id"]]
            record["negmas"] = n
            if n["status"] == "ok" and z["status"] == "ok":
                compare(record)
            n.pop("frontier_utilities", None)
        if q["task"] == "frontier":
            z.pop("frontier_utilities", None)
        records.append(record)

    targets = evaluate_targets(records)
    report = render(records, targets)
    engine_at_end = engine_state()
    load_at_end = os.getloadavg()
    report += (
        f"\n\nEngine: src/zopa/space at {engine_at_start.get('last_commit', '?')}"
        f"{' (+ uncommitted edits)' if engine_at_start.get('edited') else ''}. "
        "Load average (1/5/15 min) at start "
        + "/".join(f"{x:.2f}" for x in load_at_start)
        + ", at end "
        + "/".join(f"{x:.2f}" for x in load_at_end)
        + "."
    )
    n_modules, changed = code_versions(records)
    if changed:
        report += (
            f"\nWARNING: zopa's code changed during the run ({', '.join(changed)}; src/zopa/space "
            f"now at {engine_at_end.get('last_commit', '?')}): rows ran different versions."
        )
    else:
        report += f" Every row ran the same code ({n_modules} zopa modules hashed in each child)."
    print(report)
    elapsed = time.perf_counter() - started
    print(f"\n(total {elapsed / 60:.1f} min)", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "negmas_version": negmas_version,
        "zopa_commit": nc._git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "engine": {"start": engine_at_start, "end": engine_at_end},
        "load_average": {"start": load_at_start, "end": load_at_end},
        "sample": {"packages": SAMPLES, "seed": SAMPLE_SEED},
        "elapsed_seconds": elapsed,
        "targets": targets,
        "report": report,
        "records": records,
    }
    args.output.write_text(json.dumps(payload, indent=1, default=nc._json_default))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
