"""Cross-check zopa's GENIUS import, Pareto frontier and Nash point against NegMAS on ANAC domains.

What it does
------------
For every folder under the given ``DOMAINS_FOLDER`` arguments that holds a GENIUS domain and its
utility files (the ANAC layout: :func:`zopa.io.genius_import.find_genius_files`):

* **zopa** imports the folder (:func:`zopa.io.genius_import.import_genius_folder`, GENIUS's
  semantics) and runs :func:`zopa.analyze` (``count="skip"``): its exact Pareto frontier over all
  packages (every tied package listed) and its Nash point over the acceptable packages, the
  reservation values as the disagreement point;
* **NegMAS** (AGPL: never a dependency of zopa, never imported by it) runs in its own environment,
  given by ``--negmas-python``: this script calls itself there as a subprocess
  (``--negmas-worker IN OUT``; that mode imports NegMAS and the standard library only). It loads
  the *same files* with ``negmas.inout.load_genius_domain`` (``ignore_discount=True``), computes
  ``pareto_frontier`` over every outcome (its reserved values set to −∞ for that call:
  ``pareto_frontier`` otherwise keeps only the outcomes every party rates at or above its reserved
  value) and ``nash_points`` over the frontier points every party rates at or above its reserved
  value, with ``ranges = (reserved value, maximum utility)`` so that its disagreement point is the
  reservation value as zopa's is (NegMAS otherwise takes the minimum utility when it is higher).

NegMAS's GENIUS reader keeps raw evaluations: it does not divide a discrete value's evaluation by
the issue's largest, as GENIUS does, and reads an integer evaluator as ``slope · x + offset``
where GENIUS uses ``clip(slope · (x − lowerbound) + offset, 0, 1)``. Left as is, NegMAS would
compare different utility functions. The worker therefore rewrites each of NegMAS's value
functions into GENIUS's (a ``TableFun`` per issue: evaluation ÷ largest, or the clipped integer
line computed with NegMAS's own function), keeping NegMAS's weights and reserved values as its
reader found them: the reading of the files is still NegMAS's (which issue a weight belongs to,
which value an evaluation belongs to), the rescaling is GENIUS's rule.

Exact adjudication
------------------
Both sides' frontiers are sets of outcomes, compared as GENIUS values. For every outcome either
side lists, the script decides exactly whether it is Pareto-optimal: each party's utility
``Σ_i W_i · e_i(x_i)`` is computed as a ``Fraction`` from the decimals of the files (weights as
written, GENIUS's rules; uncapped — no domain here has a utility above 1 beyond 1e-16), and the
outcome is checked against every outcome that could dominate it (a float pre-screen within 1e-9,
then exact comparison). Each difference is labelled:

* ``tie`` — zopa lists a package NegMAS does not, with *exactly* the utility vector of an outcome
  NegMAS lists: NegMAS keeps one outcome per frontier point, zopa every tied package;
* ``float`` — NegMAS lists an outcome that is exactly (weakly) dominated: its float sums put it a
  few ulps above the dominating outcome on an exactly equal coordinate;
* ``miss`` — a Pareto-optimal outcome one side left out, not tied with one it kept (an error of
  that side); ``wrong`` — a dominated outcome zopa lists (an error of zopa).

Nash: the exact product ``Π_p (U_p − r_p)`` of each side's answer; ``yes`` when both are the exact
maximum over the acceptable frontier (same package, or exactly tied ones), otherwise the side
below the maximum is named; ``(k NegMAS)``: NegMAS returns k points, all within its 1e-12 of the
best product (zopa returns exact ties only, narrowed by its documented tie-break).

Timing: "zopa s" is the import of the folder plus ``zopa.analyze``, the second of two runs (the
first may compile numba kernels for new shapes); "NegMAS s" is ``load_genius_domain`` plus the rewrite into GENIUS's value
functions, ``pareto_frontier`` and ``nash_points``, measured inside the worker (its Python and
NegMAS import, about a second per domain, excluded). The two sides run one after the other.

Usage
-----
::

    python3 -m venv /work/wt/negmas-venv && /work/wt/negmas-venv/bin/pip install negmas
    PYTHONPATH=src .venv/bin/python benchmarks/genius_crosscheck.py DOMAINS_FOLDER [...] \\
        --negmas-python /work/wt/negmas-venv/bin/python [--max-outcomes 200000] [--json OUT]

Folders zopa refuses (non-linear utility spaces, weights summing above 1, malformed files) are
listed with zopa's reason; folders with more than ``--max-outcomes`` outcomes are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

# -- the NegMAS side (run in NegMAS's environment: NegMAS and the standard library only) -----


def negmas_worker(in_path: str, out_path: str) -> None:
    """Load one domain with NegMAS, rewrite it into GENIUS's semantics, frontier and Nash."""
    job = json.loads(Path(in_path).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    from negmas.inout import load_genius_domain
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier
    from negmas.preferences.value_fun import TableFun

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    scenario = load_genius_domain(
        job["domain"], job["profiles"], ignore_discount=True, safe_parsing=False
    )
    issues = list(scenario.outcome_space.issues)
    ufuns = []
    for u in scenario.ufuns:
        values = []
        for issue, f in zip(issues, u.values, strict=True):
            if isinstance(f, TableFun):
                top = max(f.mapping.values())
                values.append(
                    TableFun({k: (v / top if top >= 1e-5 else 0.0) for k, v in f.mapping.items()})
                )
            else:  # an integer issue: GENIUS's clip(slope·(x − lowerbound) + offset, 0, 1)
                low = issue.min_value
                values.append(
                    TableFun({x: min(max(float(f(x - low)), 0.0), 1.0) for x in issue.all})
                )
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=values,
                weights=list(u.weights),
                outcome_space=scenario.outcome_space,
                reserved_value=u.reserved_value,
            )
        )
    outcomes = list(scenario.outcome_space.enumerate())
    reserved = [float(u.reserved_value) for u in ufuns]
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    # pareto_frontier keeps only the outcomes every party rates at or above its reserved value:
    # for the frontier over all outcomes, as zopa's, the reserved values are set aside first
    for u in ufuns:
        u.reserved_value = float("-inf")
    frontier, indices = pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=True)
    t_frontier = time.perf_counter() - t0
    t0 = time.perf_counter()
    for u, r in zip(ufuns, reserved, strict=True):
        u.reserved_value = r
    rational = [
        (point, i)
        for point, i in zip(frontier, indices, strict=True)
        if all(x >= r for x, r in zip(point, reserved, strict=True))
    ]
    best = [max(float(u(o)) for o in outcomes) for u in ufuns]
    ranges = [(r, top) for r, top in zip(reserved, best, strict=True)]
    nash = nash_points(ufuns, [p for p, _ in rational], ranges=ranges, outcomes=outcomes)
    t_nash = time.perf_counter() - t0
    out = {
        "issues": [issue.name for issue in issues],
        "frontier": [list(outcomes[i]) for i in indices],
        "nash": [list(outcomes[rational[k][1]]) for _, k in nash],
        "reserved": reserved,
        "seconds": {
            "import": t_import,
            "load": t_load,
            "frontier": t_frontier,
            "nash": t_nash,
            "total": t_load + t_frontier + t_nash,
        },
    }
    Path(out_path).write_text(json.dumps(out), encoding="utf-8")


# -- the zopa side ---------------------------------------------------------------------------


def folders_under(roots: list[str]) -> list[Path]:
    """Every folder under ``roots`` holding an XML file, in path order."""
    found = set()
    for root in roots:
        for here, _, files in os.walk(root):
            if any(f.lower().endswith(".xml") for f in files):
                found.add(Path(here))
    return sorted(found)


class Exact:
    """GENIUS's utilities in exact arithmetic, from zopa's reading of the files."""

    def __init__(self, domain_path: Path, profile_paths: list[Path]) -> None:
        from zopa.io.genius_import import MIN_MAX_EVALUATION
        from zopa.io.genius_read import evaluate, read_domain, read_profile
        from zopa.io.genius_xml import read_xml

        self.domain = read_domain(read_xml(domain_path), str(domain_path))
        profiles = [read_profile(read_xml(p), str(p), self.domain) for p in profile_paths]
        self.values: list[list[Any]] = []
        for issue in self.domain.issues:
            if issue.kind == "discrete":
                self.values.append(list(issue.values))
            else:
                assert issue.lower is not None
                assert issue.upper is not None
                self.values.append(list(range(int(issue.lower), int(issue.upper) + 1)))
        # keyed by text: NegMAS reads a discrete value such as "1" as the integer 1
        self.position = [{str(v): k for k, v in enumerate(vs)} for vs in self.values]
        # contributions[p][i][k] = W_pi · e_pi(value k), exact
        self.contributions: list[list[list[Fraction]]] = []
        self.reservation = [p.reservation for p in profiles]
        for p in profiles:
            rows = []
            for issue, values in zip(self.domain.issues, self.values, strict=True):
                ev = p.evaluators[issue.index]
                w = p.weights[issue.index]
                if issue.kind == "discrete":
                    top = max(ev.evaluations.values())
                    rows.append(
                        [
                            Fraction(0) if top < MIN_MAX_EVALUATION else w * ev.evaluations[v] / top
                            for v in values
                        ]
                    )
                else:
                    rows.append([w * evaluate(ev, Fraction(x)) for x in values])
            self.contributions.append(rows)

    def key(self, outcome: list[Any]) -> tuple[int, ...]:
        """Option indices of an outcome given as GENIUS values."""
        return tuple(self.position[i][str(v)] for i, v in enumerate(outcome))

    def utilities(self, key: tuple[int, ...]) -> tuple[Fraction, ...]:
        """Each party's exact utility."""
        return tuple(
            sum((rows[i][k] for i, k in enumerate(key)), Fraction(0)) for rows in self.contributions
        )

    def floats(self) -> Any:
        """``(outcomes, parties)`` float utilities, outcomes in index order (first issue slowest)."""
        import numpy as np

        n = len(self.contributions)
        u = np.zeros((n, 1))
        for i in range(len(self.values)):
            c = np.array([[float(x) for x in rows[i]] for rows in self.contributions])
            u = (u[:, :, None] + c[:, None, :]).reshape(n, -1)
        return u.T

    def unravel(self, flat: int) -> tuple[int, ...]:
        out = []
        for size in reversed([len(v) for v in self.values]):
            out.append(flat % size)
            flat //= size
        return tuple(reversed(out))


def optimal(exact: Exact, floats: Any, key: tuple[int, ...]) -> tuple[bool, tuple[int, ...] | None]:
    """Whether an outcome is exactly Pareto-optimal; else one outcome that dominates it."""
    import numpy as np

    mine = exact.utilities(key)
    flat = 0
    for size, k in zip([len(v) for v in exact.values], key, strict=True):
        flat = flat * size + k
    close = np.flatnonzero((floats >= floats[flat] - 1e-9).all(axis=1))
    for j in close:
        other_key = exact.unravel(int(j))
        if other_key == key:
            continue
        theirs = exact.utilities(other_key)
        if all(a >= b for a, b in zip(theirs, mine, strict=True)) and theirs != mine:
            return False, other_key
    return True, None


def nash_product(exact: Exact, key: tuple[int, ...]) -> Fraction | None:
    """``Π (U_p − r_p)``, or None when some party falls below its reservation value."""
    product = Fraction(1)
    for u, r in zip(exact.utilities(key), exact.reservation, strict=True):
        if u < r:
            return None
        product *= u - r
    return product


def zopa_side(folder: Path, max_outcomes: int) -> dict[str, Any]:
    import zopa
    from zopa.io.genius_import import find_genius_files, import_genius_folder
    from zopa.io.scenario_file import ScenarioError

    t0 = time.perf_counter()
    try:
        imported = import_genius_folder(folder)
    except ScenarioError as exc:
        problem = exc.problems[0]
        return {"refused": problem.message.split(":")[0][:70]}
    s = imported.scenario
    size = 1
    for issue in s.issues.values():
        size *= len(issue.option_ids())
    if size > max_outcomes:
        return {"skipped": size}
    analysis = zopa.analyze(s, count="skip").result
    seconds = time.perf_counter() - t0
    domain, profiles = find_genius_files(folder)

    def genius_values(package: dict[str, str]) -> list[Any]:
        out: list[Any] = []
        for iid, oid in package.items():
            issue = s.issues[iid]
            out.append(issue.options[oid].label if issue.options else int(float(oid)))
        return out

    return {
        "domain": str(domain),
        "profiles": [str(p) for p in profiles],
        "parties": len(s.parties),
        "outcomes": size,
        "frontier": [genius_values(p.package) for p in analysis.pareto],
        "nash": [genius_values(p.package) for p in analysis.solutions["nash"]],
        "seconds": seconds,
    }


def negmas_side(python: str, job: dict[str, Any], timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        request, answer = Path(tmp, "in.json"), Path(tmp, "out.json")
        request.write_text(json.dumps(job), encoding="utf-8")
        try:
            done = subprocess.run(
                [python, __file__, "--negmas-worker", str(request), str(answer)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:g} s"}
        if done.returncode != 0 or not answer.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": last[:80]}
        result: dict[str, Any] = json.loads(answer.read_text(encoding="utf-8"))
        return result


def adjudicate(zside: dict[str, Any], nside: dict[str, Any]) -> dict[str, Any]:
    """Compare the two frontiers and Nash points exactly (see the module's docstring)."""
    exact = Exact(Path(zside["domain"]), [Path(p) for p in zside["profiles"]])
    floats = exact.floats()
    names = [issue.name for issue in exact.domain.issues]  # zopa strips names; NegMAS does not
    extra = [name for name in nside["issues"] if name.strip() not in names]

    def ours(outcome: list[Any]) -> list[Any]:
        """A NegMAS outcome in the domain's issues (NegMAS may add a one-value DUMMY_ISSUE)."""
        by_name = {k.strip(): v for k, v in zip(nside["issues"], outcome, strict=True)}
        return [by_name[name] for name in names]

    z = {exact.key(o) for o in zside["frontier"]}
    n = {exact.key(ours(o)) for o in nside["frontier"]}
    verdict: dict[tuple[int, ...], bool] = {}
    labels: dict[str, int] = {"tie": 0, "float": 0, "miss-zopa": 0, "miss-negmas": 0, "wrong": 0}
    for key in z | n:
        verdict[key] = optimal(exact, floats, key)[0]
    negmas_points = {exact.utilities(k) for k in n}
    zopa_points = {exact.utilities(k) for k in z}
    for key in z - n:
        if not verdict[key]:
            labels["wrong"] += 1
        elif exact.utilities(key) in negmas_points:
            labels["tie"] += 1
        else:
            labels["miss-negmas"] += 1
    for key in n - z:
        if not verdict[key]:
            labels["float"] += 1
        elif exact.utilities(key) in zopa_points:
            labels["tie"] += 1  # zopa lists the point through another, tied package
        else:
            labels["miss-zopa"] += 1
    acceptable = [nash_product(exact, k) for k in z if verdict[k]]
    best = max((p for p in acceptable if p is not None), default=None)
    z_nash = [nash_product(exact, exact.key(o)) for o in zside["nash"]]
    n_nash = [nash_product(exact, exact.key(ours(o))) for o in nside["nash"]]
    z_ok = bool(z_nash) and all(p == best for p in z_nash) if best is not None else not z_nash
    n_ok = bool(n_nash) and any(p == best for p in n_nash) if best is not None else True
    nash = "yes" if z_ok and n_ok else ("zopa low" if not z_ok else "NegMAS low")
    if best is not None and len(n_nash) > 1:
        nash += f" ({len(n_nash)} NegMAS)"
    return {
        "zopa_packages": len(z),
        "zopa_points": len(zopa_points),
        "negmas": len(n),
        "optimal": sum(verdict.values()),
        "labels": labels,
        "nash": nash,
        "negmas_extra_issues": extra,
    }


def row(name: str, z: dict[str, Any], n: dict[str, Any], verdict: dict[str, Any]) -> str:
    diffs = ", ".join(f"{v} {k}" for k, v in verdict["labels"].items() if v) or "none"
    return (
        f"| {name} | {z['parties']} | {z['outcomes']:,} | {verdict['zopa_points']}"
        f"{'' if verdict['zopa_packages'] == verdict['zopa_points'] else ' (' + str(verdict['zopa_packages']) + ' pkg)'}"
        f" | {verdict['negmas']} | {diffs} | {verdict['nash']} | {z['seconds']:.2f} | "
        f"{n['seconds']['total']:.2f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", metavar="DOMAINS_FOLDER")
    parser.add_argument("--negmas-python", help="The Python of an environment with NegMAS.")
    parser.add_argument("--max-outcomes", type=int, default=200_000)
    parser.add_argument("--timeout", type=float, default=600.0, help="Per domain, NegMAS side.")
    parser.add_argument("--json", type=Path, help="Write every result to this JSON file.")
    parser.add_argument("--negmas-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.negmas_worker:
        negmas_worker(*args.negmas_worker)
        return 0
    if not args.folders or not args.negmas_python:
        parser.error("give DOMAINS_FOLDER(s) and --negmas-python")
    print(
        "| domain | parties | outcomes | frontier zopa | NegMAS | differences (exact) "
        "| Nash | zopa s | NegMAS s |"
    )
    print("|---|---:|---:|---:|---:|---|---|---:|---:|")
    results: list[dict[str, Any]] = []
    skipped: list[str] = []
    common = os.path.commonpath([str(Path(f).resolve()) for f in args.folders])
    for folder in folders_under(args.folders):
        name = (
            str(folder.resolve().relative_to(common))
            if str(folder.resolve()) != common
            else folder.name
        )
        z = zopa_side(folder, args.max_outcomes)
        if "seconds" in z:  # timed again: the first run may compile numba kernels for new shapes
            z["seconds"] = zopa_side(folder, args.max_outcomes)["seconds"]
        if "refused" in z or "skipped" in z:
            reason = z.get("refused") or f"{z['skipped']:,} outcomes > --max-outcomes"
            skipped.append(f"{name}: {reason}")
            results.append({"domain": name, **z})
            continue
        n = negmas_side(
            args.negmas_python, {"domain": z["domain"], "profiles": z["profiles"]}, args.timeout
        )
        if "error" in n:
            skipped.append(f"{name}: NegMAS: {n['error']}")
            results.append({"domain": name, "negmas_error": n["error"]})
            continue
        try:
            verdict = adjudicate(z, n)
        except (KeyError, ValueError) as exc:  # NegMAS read issues or values zopa does not know
            skipped.append(f"{name}: NegMAS's outcomes do not match the domain ({exc!r})")
            continue
        print(row(name, z, n, verdict), flush=True)
        results.append(
            {
                "domain": name,
                "parties": z["parties"],
                "outcomes": z["outcomes"],
                "zopa_seconds": z["seconds"],
                "negmas_seconds": n["seconds"],
                **verdict,
            }
        )
    if skipped:
        print("\nNot compared:")
        for line in skipped:
            print(f"- {line}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
