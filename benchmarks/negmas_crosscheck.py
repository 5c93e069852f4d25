"""Cross-check zopa's agreement-space engine against NegMAS on random linear-additive problems.

What it does
------------
For each problem (``p`` parties, ``k`` issues × ``m`` options, a family and a seed) it computes,
once with zopa and once with NegMAS, the Pareto frontier of the whole outcome space and the Nash,
Kalai–Smorodinsky and egalitarian bargaining points, compares them and times both sides.

NegMAS is AGPL, so it is never a dependency of zopa: this script creates its own virtual
environment at ``benchmarks/.negmas-venv`` (``python -m venv`` + ``pip install negmas==X``, see
:data:`NEGMAS_REQUIREMENT`) and runs the NegMAS side as a subprocess of that environment's Python
(``negmas_crosscheck.py --negmas-worker IN.json OUT.jsonl``: problems go in as JSON, results come
back as JSON lines). The worker imports numpy and negmas only; the zopa side runs in the calling
interpreter (the project's ``.venv``) and imports zopa only.

Problems
--------
Generated exactly as in the issue, for ``family`` in ``random`` and ``opposed``::

    rng = np.random.default_rng(seed)
    w = rng.random((p, k)); w /= w.sum(1, keepdims=True)
    v = rng.random((p, k, m))
    if family == "opposed":
        v[1:] = 0.5 * (1 - v[0]) + 0.5 * v[1:]
    v = np.round(v, 3); w = np.round(w, 4); w[:, -1] = 1 - w[:, :-1].sum(1)

plus a third family, ``coarse`` (not in the issue): ``random`` with ``v`` rounded to 1 and ``w``
to 2 decimals, so that exactly tied utility vectors, tied bargaining points and float-summation
artifacts actually occur (with 3 decimals they essentially never do, and the tie handling of both
libraries would go untested).

Default sizes: ``k`` = 2..6 issues × ``m`` = 10 options (10² … 10⁶ outcomes), 2 and 3 parties,
the three families, seeds 0, 1, 2 up to 10⁵ outcomes and seed 0 at 10⁶ (78 problems, about
1.5 minutes on 2 cores, most of it NegMAS evaluating 10⁶ outcomes in Python).

zopa gets a :class:`zopa.space.compile.CompiledSpace` with these weights and values, reservation
0 and full consent; NegMAS gets one ``LinearAdditiveUtilityFunction`` per party with the same
floats (value tables over ``make_issue(m)`` issues, weights as given, ``reserved_value=0``), and
``pareto_frontier(ufuns, issues=issues)`` enumerates the outcome space itself.

What exactly is compared
------------------------
* **Frontier.** zopa: ``EnumerationEngine(space).pareto(acceptable_only=False)`` (the exact
  dynamic programme of :func:`zopa.space.pareto.additive_frontier`), every package behind each
  point. NegMAS: ``pareto_frontier`` (enumerate, evaluate, ``pareto_frontier_numpy``). Both use
  weak Pareto dominance. They are compared (a) as sets of utility vectors rounded to 1e-9 and (b) as
  sets of outcomes: NegMAS keeps **one** outcome per distinct utility vector (its filter drops a
  point equal to one already kept; which one survives depends on an unstable argsort), zopa keeps
  **all** tied packages, so the outcome check is "NegMAS's outcomes ⊆ zopa's packages and cover
  every zopa point"; "frontier z/N" shows zopa's distinct points (``+t tied``: extra packages at
  the same points) / NegMAS's outcomes. Label ``float``: NegMAS additionally returns outcomes that
  are exactly weakly dominated — equal to a frontier point on some party's utility and worse on
  another — because its float sums put them one ulp *above* the dominating point on the equal
  coordinate, and ``pareto_frontier_numpy`` tests dominance with a strict ``>`` and ignores its
  ``eps`` argument. The script checks each such point (dominator, both float vectors in the JSON).
  zopa sums contributions as integers on a 1e-12 grid (:mod:`zopa.space.exact`), so it has no such
  artifacts. Minimal NegMAS reproduction (2 parties, 2 binary issues, weights 0.5/0.5)::

      party a: i0 {0: 0.4, 1: 0.6}, i1 {0: 1.0, 1: 0.0}
      party b: i0 {0: 0.6, 1: 0.2}, i1 {0: 0.0, 1: 0.4}
      outcome (0, 0): (0.7, 0.3)    outcome (1, 1): (0.3, 0.1 + 0.2 = 0.30000000000000004)

  ``pareto_frontier`` returns 4 points including (1, 1), which (0, 0) dominates exactly; zopa
  returns the 3 efficient ones.
* **Disagreement point.** NegMAS's ``nash_points``/``ks_points``/``kalai_points`` take the
  disagreement point per party as the reserved value *only if it is finite and not below the
  ufun's minimum over the outcome space*; otherwise they use that minimum (``minmax()[0]``). With
  ``reserved_value=0`` and utilities whose minimum is above 0 (the usual case here: values are not
  stretched to reach 0 on every issue), NegMAS's default disagreement point is therefore the
  **minimum utility**, not 0. The main comparison passes ``ranges=[(0, max_p)]`` explicitly to
  NegMAS (max from NegMAS's own ``minmax``), so both sides use d = 0 and ideal point = the maximum
  utility. A second check ("d=min" below) calls NegMAS with its defaults and gives zopa
  ``reservation = min utility``, which is the same problem stated the other way round.
* **Nash.** Both maximise ``Π_p (u_p − d_p)`` over the frontier. NegMAS returns every frontier
  point within an absolute 1e-12 of the best product (in floats); zopa compares exact integer
  products and breaks exact ties by its own rule, documented in :mod:`zopa.space.solutions`
  (at the time of writing: total normalised gain, then dropping dominated ties), returning all
  packages still tied. The script checks only that zopa's answer is a non-empty subset of the exact
  optimum, so it does not depend on that rule.
* **Kalai–Smorodinsky.** Naming trap: NegMAS's ``kalai_points`` is the *egalitarian* (Kalai 1977)
  solution, ``max min_p (u_p − d_p)``; the Kalai–Smorodinsky point is ``ks_points``. And the two
  libraries use different discrete versions of KS: NegMAS ``ks_points`` *minimises the spread*
  ``max_p a_p − min_p a_p`` of the normalised gains ``a_p = (u_p − d_p)/(I_p − d_p)``; zopa
  *maximises the minimum* ``min_p a_p`` (then its tie-break). On a continuous
  frontier both pick the point where the ray to the ideal point crosses it; on a finite frontier
  they can pick different points. KS is compared against ``ks_points``; when they differ the script
  recomputes both criteria exactly (fractions of grid integers) over the frontier and labels the
  difference ``def`` only if each side is exactly optimal for its own definition.
* **Egalitarian.** NegMAS ``kalai_points`` against zopa's ``egalitarian`` solution (same
  criterion, ``max min_p (u_p − d_p)``).

Labels in the solution columns: ``yes`` identical sets of utility vectors (rounded to 1e-9);
``tie`` NegMAS returns several exactly tied points and zopa's documented tie-break keeps a subset;
``eps`` NegMAS's 1e-12 tolerance admitted a point that is not an exact tie; ``def`` definition
difference (KS only, see above); ``NO`` an unexplained disagreement (the script prints details).
Every zopa and NegMAS answer is also re-checked against an exact recomputation of its own
criterion over the frontier (``zopa_ok``/``negmas_ok`` in the JSON).

Timing
------
"zopa s" is ``EnumerationEngine(space)`` + ``pareto(acceptable_only=False)`` +
``pareto(acceptable_only=True)`` + ``bargaining_solutions``; "NegMAS s" is ``pareto_frontier``
(which enumerates and evaluates every outcome in Python) + ``minmax`` + ``nash_points`` +
``ks_points`` + ``kalai_points``. Both exclude imports and problem construction; numba is warmed up
first; each is the best of 3 runs up to 10⁴ outcomes and a single run above. "zopa DP s" is
:func:`zopa.space.pareto.additive_frontier` alone (the frontier without enumeration); the JSON also
has :func:`zopa.space.pareto.nondominated` over all enumerated utility vectors, and every phase
of both sides. The two sides run one after the other, never concurrently.

Findings (NegMAS 0.16.0, default run, 78 problems)
--------------------------------------------------
The table is in ``benchmarks/README.md``. No zopa error was found.

* Frontier: identical on 74/78 problems, as sets of points and of outcomes. The 4 others are all
  ``coarse`` problems where NegMAS returns extra, exactly dominated outcomes (float artifacts, see
  above); zopa's frontier is exactly right there and NegMAS misses none of its points. zopa's
  packages (all ties included) are the same from the DP and from the exhaustive skyline filter,
  and NegMAS's one outcome per point is always among them.
* Nash: identical on 78/78, under both disagreement points.
* Egalitarian (NegMAS ``kalai_points``): identical on 76/78; the 2 others (``coarse``, 3 parties)
  are exact ties that NegMAS returns in full and zopa narrows by its tie-break (``tie``).
* Kalai–Smorodinsky: identical on 49/78 (d = 0) and 53/78 (d = min); every difference is the
  min-spread vs max-min definition difference (``def``), both sides exactly optimal for their own
  definition. Example (2 parties, ``random``, 2×10, seed 1): zopa picks (0.7633, 0.6589),
  normalised gains (0.823, 0.713); NegMAS picks (0.5967, 0.6833), normalised (0.643, 0.740) — a
  smaller spread bought by giving the first party 0.18 less of its range for 0.026 more to the
  second. Both are legitimate discretisations that coincide when the frontier has a point with
  equal normalised gains; zopa's is the one documented in :mod:`zopa.space.solutions`, NegMAS's
  the one documented in ``ks_points``. Neither is a bug.
* Speed: zopa's whole pipeline is 3-9× faster than NegMAS from 10⁴ outcomes up, about even at
  10³ and 2-3× slower at 10², where zopa's fixed overhead of 1-2 ms dominates (timings move by
  up to ±50% between runs on the shared 2-core machine). Almost all of zopa's time at 10⁵-10⁶ is
  ``pareto(acceptable_only=True)``, i.e. :func:`zopa.space.pareto.nondominated` over every
  acceptable package, and within it ``np.unique(axis=0)`` (≈1 s of it at 10⁶ × 2 parties; the
  numba skyline takes ≈5 ms). The frontier DP alone ("zopa DP s") takes 1-19 ms even at 10⁶. When
  every package needs the same parties' consent (as here), a package dominating an acceptable one is
  acceptable, so the acceptable frontier is the DP frontier filtered by acceptability; using that
  would remove most of zopa's time (a suggestion for ``EnumerationEngine.pareto``, not made here).

Usage
-----
::

    .venv/bin/python benchmarks/negmas_crosscheck.py            # default run, ~1.5 minutes
    .venv/bin/python benchmarks/negmas_crosscheck.py --quick    # a few tiny problems
    .venv/bin/python benchmarks/negmas_crosscheck.py --sizes 3x10,4x10 --parties 3 --seeds 5
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

NEGMAS_REQUIREMENT = "negmas==0.16.0"
HERE = Path(__file__).resolve().parent
VENV = HERE / ".negmas-venv"
DEFAULT_OUTPUT = HERE / "results" / "negmas_crosscheck.json"
DECIMALS = 9
FAMILIES = ("random", "opposed", "coarse")
SOLUTIONS = ("nash", "ks", "egal")
NEGMAS_EPS = 1e-12  # the tolerance NegMAS's solution functions use by default


# --------------------------------------------------------------------------------------------
# Problems (shared by both sides: numpy only)
# --------------------------------------------------------------------------------------------


def generate(
    p: int, k: int, m: int, seed: int, family: str
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return ``(w, v)``: weights ``(p, k)`` and values ``(p, k, m)``, as in the issue."""
    rng = np.random.default_rng(seed)
    w = rng.random((p, k))
    w /= w.sum(1, keepdims=True)
    v = rng.random((p, k, m))
    if family == "opposed":
        v[1:] = 0.5 * (1 - v[0]) + 0.5 * v[1:]
    if family == "coarse":  # not from the issue: one decimal, so exact ties are common
        v = np.round(v, 1)
        w = np.round(w, 2)
    else:
        v = np.round(v, 3)
        w = np.round(w, 4)
    w[:, -1] = 1 - w[:, :-1].sum(1)
    return w, v


def problem_list(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Expand the command line into problem specs (sorted small to large)."""
    if args.quick:
        cells = [(p, k, m) for p in (2, 3) for (k, m) in ((2, 5), (3, 4))]
        seeds_for = lambda n: [0]  # noqa: E731
    else:
        if args.sizes:
            sizes = [tuple(int(x) for x in s.lower().split("x")) for s in args.sizes.split(",")]
            cells = [(p, k, m) for p in args.parties for (k, m) in sizes]
        else:
            cells = [(p, k, 10) for p in args.parties for k in (2, 3, 4, 5, 6)]

        def seeds_for(n: int) -> list[int]:
            count = args.seeds if args.seeds else (3 if n <= 10**5 else 1)
            return list(range(count))

    problems = [
        {"parties": p, "issues": k, "options": m, "family": family, "seed": seed}
        for p, k, m in cells
        for family in args.families
        for seed in seeds_for(m**k)
    ]
    order = {f: i for i, f in enumerate(args.families)}
    problems.sort(
        key=lambda q: (q["options"] ** q["issues"], q["parties"], order[q["family"]], q["seed"])
    )
    for i, q in enumerate(problems):
        q["id"] = i
        q["outcomes"] = q["options"] ** q["issues"]
        q["repeats"] = 3 if q["outcomes"] <= 10**4 else 1
    return problems


# --------------------------------------------------------------------------------------------
# NegMAS side: runs inside benchmarks/.negmas-venv, imports negmas (never zopa)
# --------------------------------------------------------------------------------------------


class _TimeoutError(BaseException):
    """Raised by SIGALRM; a BaseException because NegMAS's ``pareto_frontier`` catches any
    Exception raised while evaluating an outcome and silently skips that outcome."""


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeoutError


def negmas_worker(
    in_path: str,
    out_path: str,
    solve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Solve every problem of ``in_path`` with NegMAS, one JSON line per problem to ``out_path``.

    ``solve`` (default: this script's full cross-check, :func:`_negmas_solve`) maps a problem to
    a JSON-able dict with a ``time`` dict of seconds; the best of ``problem["repeats"]`` runs is
    kept per key. Other benchmarks pass their own ``solve`` (see ``space_scale.py``).
    """
    warnings.simplefilter("ignore")
    import negmas

    solve = _negmas_solve if solve is None else solve
    job = json.loads(Path(in_path).read_text())
    solve({"parties": 2, "issues": 2, "options": 3, "family": "random", "seed": 0})
    has_alarm = hasattr(signal, "SIGALRM")
    if has_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    with open(out_path, "w") as out:
        for problem in job["problems"]:
            record: dict[str, Any] = {"id": problem["id"], "negmas_version": negmas.__version__}
            try:
                if has_alarm:
                    signal.alarm(int(job["timeout"]))
                best: dict[str, float] = {}
                for _ in range(problem["repeats"]):
                    result = solve(problem)
                    for key, t in result["time"].items():
                        best[key] = min(t, best.get(key, math.inf))
                result["time"] = best
                record.update(result, status="ok")
            except _TimeoutError:
                record["status"] = "timeout"
            except Exception as exc:
                record.update(status="error", error=repr(exc))
            finally:
                if has_alarm:
                    signal.alarm(0)
            out.write(json.dumps(record) + "\n")
            out.flush()


def negmas_ufuns(problem: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """NegMAS issues and one ``LinearAdditiveUtilityFunction`` per party (reserved value 0)."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    p, k, m = problem["parties"], problem["issues"], problem["options"]
    w, v = generate(p, k, m, problem["seed"], problem["family"])
    issues = [make_issue(m, f"i{j}") for j in range(k)]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values=[{o: float(v[q, j, o]) for o in range(m)} for j in range(k)],
            weights=[float(x) for x in w[q]],
            issues=issues,
            reserved_value=0.0,
        )
        for q in range(p)
    ]
    return issues, ufuns


def _negmas_solve(problem: dict[str, Any]) -> dict[str, Any]:
    from negmas.outcomes.issue_ops import discretize_and_enumerate_issues
    from negmas.preferences import kalai_points, ks_points, nash_points, pareto_frontier

    issues, ufuns = negmas_ufuns(problem)
    t0 = time.perf_counter()
    frontier, indices = pareto_frontier(ufuns, issues=issues)
    t1 = time.perf_counter()
    minmax = [u.minmax(issues=issues) for u in ufuns]
    ranges = [(0.0, float(hi)) for _, hi in minmax]
    t2 = time.perf_counter()
    nash = nash_points(ufuns, frontier, ranges=ranges)
    ks = ks_points(ufuns, frontier, ranges=ranges)
    kalai = kalai_points(ufuns, frontier, ranges=ranges)
    t3 = time.perf_counter()
    # NegMAS's own default disagreement point (the ufun minimum when reserved_value < minimum)
    default = {
        "nash": nash_points(ufuns, frontier, issues=issues),
        "ks": ks_points(ufuns, frontier, issues=issues),
        "egal": kalai_points(ufuns, frontier, issues=issues),
    }
    outcomes = discretize_and_enumerate_issues(issues, max_cardinality=float("inf"))
    return {
        "time": {"frontier": t1 - t0, "minmax": t2 - t1, "solutions": t3 - t2, "total": t3 - t0},
        "frontier_outcomes": [[int(x) for x in outcomes[i]] for i in indices],
        "frontier_utilities": [[float(x) for x in u] for u in frontier],
        "minmax": [[float(lo), float(hi)] for lo, hi in minmax],
        "main": {
            "nash": [i for _, i in nash],
            "ks": [i for _, i in ks],
            "egal": [i for _, i in kalai],
        },
        "default": {name: [i for _, i in pts] for name, pts in default.items()},
    }


# --------------------------------------------------------------------------------------------
# Driver: creates the NegMAS venv and runs the worker
# --------------------------------------------------------------------------------------------


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_negmas_venv(venv: Path) -> str:
    """Create ``venv`` with NegMAS if needed; return the installed NegMAS version."""
    python = _venv_python(venv)
    wanted = NEGMAS_REQUIREMENT.split("==")[1]
    probe = [str(python), "-c", "import negmas; print(negmas.__version__)"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip() == wanted:
            return wanted
    else:
        print(f"creating {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    print(f"installing {NEGMAS_REQUIREMENT} into {venv} ...", file=sys.stderr)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", NEGMAS_REQUIREMENT],
        check=True,
    )
    return subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


def run_negmas(
    problems: list[dict[str, Any]],
    venv: Path,
    timeout: float,
    script: Path | None = None,
    python: Path | None = None,
) -> dict[int, dict[str, Any]]:
    """Run the NegMAS worker on all problems; return its records by problem id.

    ``script`` is the file run as ``SCRIPT --negmas-worker IN OUT`` in the NegMAS environment
    (default: this one); ``python`` that environment's interpreter (default: ``venv``'s).
    """
    script = Path(__file__).resolve() if script is None else script
    with tempfile.TemporaryDirectory() as tmp:
        in_path, out_path = Path(tmp) / "in.json", Path(tmp) / "out.jsonl"
        in_path.write_text(json.dumps({"problems": problems, "timeout": timeout}))
        cmd = [str(python or _venv_python(venv)), str(script), "--negmas-worker"]
        cmd += [str(in_path), str(out_path)]
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout * len(problems) + 120,
        )
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, sep="\n", file=sys.stderr)
            raise SystemExit(f"NegMAS worker failed with exit code {proc.returncode}")
        records = [json.loads(line) for line in out_path.read_text().splitlines() if line]
    return {r["id"]: r for r in records}


# --------------------------------------------------------------------------------------------
# zopa side: runs in the project's venv, imports zopa (never negmas)
# --------------------------------------------------------------------------------------------


def build_space(problem: dict[str, Any], reservation: Any = None) -> Any:
    """Return the zopa CompiledSpace of a problem (full consent; reservation 0 unless given)."""
    from zopa.space.compile import CompiledSpace

    p, k, m = problem["parties"], problem["issues"], problem["options"]
    w, v = generate(p, k, m, problem["seed"], problem["family"])
    return CompiledSpace(
        parties=tuple(f"p{q}" for q in range(p)),
        issues=tuple(f"i{j}" for j in range(k)),
        options=tuple(tuple(str(o) for o in range(m)) for _ in range(k)),
        values=tuple(np.ascontiguousarray(v[:, j, :]) for j in range(k)),
        weights=w,
        reservation=np.zeros(p) if reservation is None else np.asarray(reservation, dtype=float),
        consent=tuple(np.ones((p, m), dtype=bool) for _ in range(k)),
    )


def all_grid_utilities(space: Any) -> np.ndarray[Any, Any]:
    """``(size, n_parties)`` exact utilities of every package, in C (row-major) order."""
    from zopa.space.exact import grid_contributions

    p = space.n_parties
    utilities = np.zeros((p, 1), dtype=np.int64)
    for contribution in grid_contributions(space):
        utilities = (utilities[:, :, None] + contribution[:, None, :]).reshape(p, -1)
    return np.ascontiguousarray(utilities.T)


def zopa_solve(problem: dict[str, Any]) -> dict[str, Any]:
    """Frontier and bargaining solutions with zopa, timed (best of ``repeats``)."""
    from zopa.space.engine import EnumerationEngine
    from zopa.space.exact import grid_contributions, to_grid
    from zopa.space.pareto import additive_frontier, nondominated
    from zopa.space.solutions import bargaining_solutions

    space = build_space(problem)
    bargainers = np.ones(space.n_parties, dtype=bool)
    reservation = to_grid(space.reservation)
    best: dict[str, float] = {}
    for _ in range(problem["repeats"]):
        t0 = time.perf_counter()
        engine = EnumerationEngine(space)
        t1 = time.perf_counter()
        frontier = engine.pareto(acceptable_only=False)
        t2 = time.perf_counter()
        candidates = engine.pareto(acceptable_only=True)
        t3 = time.perf_counter()
        solutions = bargaining_solutions(candidates, reservation, bargainers)
        t4 = time.perf_counter()
        contributions = grid_contributions(space)
        t5 = time.perf_counter()
        dp = additive_frontier(contributions)
        t6 = time.perf_counter()
        every = all_grid_utilities(space)
        t7 = time.perf_counter()
        mask = nondominated(every)
        t8 = time.perf_counter()
        times = {
            "engine": t1 - t0,
            "frontier": t2 - t1,
            "acceptable_frontier": t3 - t2,
            "solutions": t4 - t3,
            "total": t4 - t0,
            "additive_frontier": t6 - t5,
            "nondominated_all": t8 - t7,
        }
        for key, t in times.items():
            best[key] = min(t, best.get(key, math.inf))
    # NegMAS's default disagreement point: each party's minimum utility (exact on the grid)
    d_min = np.array([sum(int(c[q].min()) for c in contributions) for q in range(space.n_parties)])
    default = bargaining_solutions(candidates, d_min, bargainers)
    points = {tuple(int(x) for x in row) for row in frontier.utilities}
    consistent = (
        points == {tuple(int(x) for x in row) for row in candidates.utilities}
        and points == {tuple(int(x) for x in row) for row in dp.points}
        and points == {tuple(int(x) for x in row) for row in every[mask]}
        and {tuple(int(x) for x in row) for row in frontier.packages}
        == {tuple(int(x) for x in row) for row in candidates.packages}
        and len(candidates) == len(frontier) == int(mask.sum())
    )
    return {
        "space": space,
        "time": best,
        "frontier": frontier,
        "solutions": solutions,
        "default": default,
        "d_min": d_min,
        "u_max": every.max(axis=0),
        "internally_consistent": bool(consistent),
    }


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

Vec = tuple[int, ...]


def _rounded(points: Any, scale: float = 1.0) -> set[tuple[float, ...]]:
    return {tuple(round(float(x) / scale, DECIMALS) for x in row) for row in points}


def _criteria(name: str, gains: Vec, span: Vec) -> tuple[Any, Any]:
    """Exact (NegMAS criterion, zopa primary criterion) of a gain vector; larger is better."""
    if name == "nash":
        value = math.prod(gains)
        return value, value
    if name == "egal":
        return min(gains), min(gains)
    ratios = [Fraction(g, s) if s > 0 else Fraction(1) for g, s in zip(gains, span, strict=True)]
    return -(max(ratios) - min(ratios)), min(ratios)


def compare_solution(
    name: str,
    zopa_points: set[Vec],
    negmas_points: set[Vec],
    zopa_frontier: set[Vec],
    negmas_frontier: set[Vec],
    d: Vec,
    span: Vec,
) -> dict[str, Any]:
    """Compare one solution's point sets (exact grid integers) and explain any difference."""
    from zopa.space.exact import SCALE

    def gains(u: Vec) -> Vec:
        return tuple(a - b for a, b in zip(u, d, strict=True))

    # zopa's rule: its criterion, exactly; exact ties are broken by zopa's own documented rule
    # (see zopa.space.solutions), so only "a non-empty subset of the exact optimum" is checked
    zkeys = {u: _criteria(name, gains(u), span)[1] for u in zopa_frontier}
    zbest = max(zkeys.values())
    z_exact = {u for u, key in zkeys.items() if key == zbest}
    # NegMAS's rule: its criterion, exact optimum plus anything within its float tolerance
    nkeys = {u: _criteria(name, gains(u), span)[0] for u in negmas_frontier}
    nbest = max(nkeys.values())
    n_exact = {u for u, key in nkeys.items() if key == nbest}
    scale = {"nash": float(SCALE) ** len(d), "egal": float(SCALE), "ks": 1.0}[name]
    n_eps = {u for u, key in nkeys.items() if float(nbest - key) / scale <= NEGMAS_EPS}
    zopa_ok = bool(zopa_points) and zopa_points <= z_exact
    negmas_ok = n_exact <= negmas_points <= n_eps
    same_criterion = name != "ks"
    if zopa_points == negmas_points:
        label = "yes"
    elif not (zopa_ok and negmas_ok):
        label = "NO"
    elif same_criterion and zopa_points <= n_exact and negmas_points == n_exact:
        label = "tie"
    elif same_criterion and zopa_points <= n_exact:
        label = "eps"
    elif not same_criterion:
        label = "def"
    else:
        label = "NO"
    return {
        "label": label,
        "zopa_ok": zopa_ok,
        "negmas_ok": negmas_ok,
        "exact_ties_zopa_criterion": len(z_exact),
        "exact_ties_negmas_criterion": len(n_exact),
        "zopa": sorted(_to_float(u) for u in zopa_points),
        "negmas": sorted(_to_float(u) for u in negmas_points),
    }


def _to_float(u: Vec) -> list[float]:
    from zopa.space.exact import SCALE

    return [round(x / SCALE, DECIMALS) for x in u]


def _float_artifact(
    point: Vec, zopa_points: set[Vec], n_exact: Any, n_float: Any
) -> dict[str, Any] | None:
    """Explain a NegMAS frontier point that zopa excludes, or return None.

    The point is a float artifact when, exactly, some zopa frontier point ``z`` weakly dominates
    it while equal to it on some coordinate, and NegMAS's float utilities put the point strictly
    above ``z`` on such an equal coordinate (so its strict ``>`` test saw no dominance).
    """
    rows = {tuple(int(x) for x in u): i for i, u in enumerate(n_exact)}
    mine = n_float[rows[point]]
    for z in zopa_points:
        if z == point or not all(a >= b for a, b in zip(z, point, strict=True)):
            continue
        if z not in rows:
            continue
        theirs = n_float[rows[z]]
        flipped = [
            i
            for i, (a, b) in enumerate(zip(z, point, strict=True))
            if a == b and mine[i] > theirs[i]
        ]
        if flipped:
            return {
                "point": _to_float(point),
                "dominated_by": _to_float(z),
                "negmas_floats": [float(x) for x in mine],
                "dominator_negmas_floats": [float(x) for x in theirs],
            }
    return None


def compare(problem: dict[str, Any], z: dict[str, Any], n: dict[str, Any]) -> dict[str, Any]:
    """All comparisons for one problem."""
    from zopa.space.exact import SCALE, grid_utilities

    space = z["space"]
    frontier = z["frontier"]
    zopa_points = {tuple(int(x) for x in row) for row in frontier.utilities}
    zopa_packages = {tuple(int(x) for x in row) for row in frontier.packages}
    n_outcomes = np.array(n["frontier_outcomes"], dtype=np.intp).reshape(-1, len(space.issues))
    n_exact = grid_utilities(space, n_outcomes)
    n_float = np.array(n["frontier_utilities"], dtype=float).reshape(-1, space.n_parties)
    negmas_points = {tuple(int(x) for x in row) for row in n_exact}
    negmas_packages = {tuple(int(x) for x in row) for row in n_outcomes}
    float_error = float(np.abs(n_float - n_exact / SCALE).max()) if len(n_float) else 0.0
    frontier_same_points = _rounded(frontier.utilities, SCALE) == _rounded(n_float)
    frontier_same_outcomes = negmas_packages <= zopa_packages and negmas_points == zopa_points
    identical = frontier_same_points and frontier_same_outcomes
    extra, missing = negmas_points - zopa_points, zopa_points - negmas_points
    explained = [_float_artifact(u, zopa_points, n_exact, n_float) for u in sorted(extra)]
    if identical:
        label = "yes"
    elif (
        not missing
        and all(explained)
        and negmas_packages - zopa_packages
        == {
            tuple(int(x) for x in row)
            for row, u in zip(n_outcomes, n_exact, strict=True)
            if tuple(int(x) for x in u) in extra
        }
    ):
        label = "float"
    else:
        label = "NO"
    out: dict[str, Any] = {
        "frontier": {
            "label": label,
            "identical": bool(identical),
            "same_points": bool(frontier_same_points),
            "negmas_outcomes_subset_of_zopa_packages": bool(negmas_packages <= zopa_packages),
            "zopa_points": len(zopa_points),
            "zopa_packages": len(zopa_packages),
            "negmas_outcomes": len(negmas_packages),
            "negmas_points_rounded": len(_rounded(n_float)),
            "negmas_extra_points": [e for e in explained if e]
            if all(explained)
            else sorted(_to_float(u) for u in extra),
            "negmas_missing_points": sorted(_to_float(u) for u in missing),
            "max_abs_negmas_float_error": float_error,
        },
        "ranges_agree": bool(
            np.allclose(np.array(n["minmax"])[:, 1], z["u_max"] / SCALE, rtol=0, atol=1e-12)
            and np.allclose(np.array(n["minmax"])[:, 0], z["d_min"] / SCALE, rtol=0, atol=1e-12)
        ),
    }
    zero = tuple(0 for _ in range(space.n_parties))
    for config, d, zsol in (
        ("main", zero, z["solutions"]),
        ("default", tuple(int(x) for x in z["d_min"]), z["default"]),
    ):
        span = tuple(int(hi) - lo for hi, lo in zip(z["u_max"], d, strict=True))
        results = {}
        for name, zname in (("nash", "nash"), ("ks", "kalai_smorodinsky"), ("egal", "egalitarian")):
            zset = {tuple(int(x) for x in row) for row in zsol[zname].utilities}
            nset = {tuple(int(x) for x in n_exact[i]) for i in n[config][name]}
            results[name] = compare_solution(name, zset, nset, zopa_points, negmas_points, d, span)
        out[config] = results
    return out


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

HEADER = (
    "parties",
    "family",
    "k×m",
    "outcomes",
    "seed",
    "zopa s",
    "zopa DP s",
    "NegMAS s",
    "N/z",
    "frontier z/N",
    "frontier =",
    "Nash =",
    "KS =",
    "Egal =",
    "d=min N/KS/E",
)


def table_rows(records: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Rows of the printed table."""
    rows = []
    for r in records:
        q = r["problem"]
        head = (
            str(q["parties"]),
            q["family"],
            f"{q['issues']}×{q['options']}",
            f"{q['outcomes']:,}",
            str(q["seed"]),
            f"{r['zopa']['time']['total']:.4f}",
            f"{r['zopa']['time']['additive_frontier']:.4f}",
        )
        if r["negmas"]["status"] != "ok":
            rows.append((*head, r["negmas"]["status"], *("-" for _ in range(7))))
            continue
        c = r["compare"]
        f = c["frontier"]
        tz, tn = r["zopa"]["time"]["total"], r["negmas"]["time"]["total"]
        size = f"{f['zopa_points']}/{f['negmas_outcomes']}"
        if f["zopa_packages"] != f["zopa_points"]:
            size += f" (+{f['zopa_packages'] - f['zopa_points']} tied)"
        rows.append(
            (
                *head,
                f"{tn:.4f}",
                f"{tn / tz:.1f}×",
                size,
                f["label"],
                c["main"]["nash"]["label"],
                c["main"]["ks"]["label"],
                c["main"]["egal"]["label"],
                "/".join(c["default"][s]["label"] for s in SOLUTIONS),
            )
        )
    return rows


def markdown_table(
    rows: list[tuple[str, ...]],
    header: tuple[str, ...] = HEADER,
    right: frozenset[int] = frozenset({0, 3, 4, 5, 6, 7, 8}),
) -> str:
    """Render rows as a GitHub-flavoured Markdown table with aligned columns.

    ``right`` holds the indices of the right-aligned (numeric) columns.
    """
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(parts) + " |"

    sep = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of each label per comparison."""
    summary: dict[str, Any] = {"problems": len(records)}
    ok = [r for r in records if r["negmas"]["status"] == "ok"]
    summary["negmas_not_ok"] = len(records) - len(ok)
    summary["frontier_identical"] = sum(r["compare"]["frontier"]["identical"] for r in ok)
    summary["zopa_internally_consistent"] = sum(r["zopa"]["internally_consistent"] for r in ok)
    summary["ranges_agree"] = sum(r["compare"]["ranges_agree"] for r in ok)
    for config in ("main", "default"):
        for name in SOLUTIONS:
            labels = [r["compare"][config][name]["label"] for r in ok]
            summary[f"{config}.{name}"] = {lab: labels.count(lab) for lab in sorted(set(labels))}
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few tiny problems (< 1 min)")
    parser.add_argument("--sizes", help="comma-separated KxM cells, e.g. 2x10,3x10,4x10")
    parser.add_argument("--parties", default="2,3", help="comma-separated party counts")
    parser.add_argument("--families", default=",".join(FAMILIES), help="random,opposed")
    parser.add_argument(
        "--seeds", type=int, default=0, help="seeds per cell (0: 3 up to 1e5 outcomes, else 1)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="NegMAS seconds per problem")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    parser.add_argument("--venv", type=Path, default=VENV, help="NegMAS virtual environment")
    parser.add_argument("--negmas-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.negmas_worker:
        negmas_worker(*args.negmas_worker)
        return 0
    args.parties = [int(x) for x in args.parties.split(",")]
    args.families = [x for x in args.families.split(",") if x]
    problems = problem_list(args)

    version = ensure_negmas_venv(args.venv)
    print(f"NegMAS {version}: {len(problems)} problems ...", file=sys.stderr)
    t0 = time.perf_counter()
    negmas_records = run_negmas(problems, args.venv, args.timeout)
    print(f"NegMAS side done in {time.perf_counter() - t0:.1f} s; zopa ...", file=sys.stderr)

    import zopa

    zopa_solve({**problems[0], "repeats": 1})  # warm up numba and imports
    records = []
    for problem in problems:
        z = zopa_solve(problem)
        n = negmas_records.get(problem["id"], {"status": "missing"})
        record: dict[str, Any] = {"problem": problem, "negmas": n}
        if n["status"] == "ok":
            record["compare"] = compare(problem, z, n)
            if record["compare"]["frontier"]["label"] == "NO":
                print(
                    f"DISAGREEMENT {problem} frontier: {record['compare']['frontier']}",
                    file=sys.stderr,
                )
            for config in ("main", "default"):
                for name in SOLUTIONS:
                    res = record["compare"][config][name]
                    if res["label"] == "NO":
                        print(f"DISAGREEMENT {problem} {config} {name}: {res}", file=sys.stderr)
        record["zopa"] = {"time": z["time"], "internally_consistent": z["internally_consistent"]}
        if n["status"] == "ok":
            record["negmas"] = {
                key: n[key] for key in ("status", "time", "minmax", "negmas_version")
            }
        records.append(record)

    rows = table_rows(records)
    table = markdown_table(rows)
    summary = summarise(records)
    print(table)
    print()
    print(json.dumps(summary, indent=1))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "negmas_version": version,
        "zopa_version": zopa.__version__ if hasattr(zopa, "__version__") else None,
        "zopa_commit": _git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "summary": summary,
        "table": table,
        "records": records,
    }
    args.output.write_text(json.dumps(payload, indent=1, default=_json_default))
    print(f"\nwrote {args.output}", file=sys.stderr)
    return 0


def _git_commit() -> str | None:
    """The repository's HEAD, with ``+dirty`` when files under src/ differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def _json_default(x: Any) -> Any:
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(type(x))


if __name__ == "__main__":
    sys.exit(main())
