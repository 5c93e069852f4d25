"""Load test of the web workspace on loopback: simulated analysts against ``zopa serve``.

The workspace is started as ``zopa serve`` runs it (one uvicorn process, the default scenario)
in a subprocess on a free loopback port, warmed (one request of each kind), then driven by
``--clients`` concurrent clients for ``--seconds`` seconds; it stops by itself. Each client is
a thread with one keep-alive connection (``http.client``: light on the benchmark's own CPU,
which it reports, since client and server share the machine's cores) and picks its requests
at random:

* **overview** ``GET /`` (weight 1),
* **builder** ``GET /builder/result?terms=...``, a random package drawn from the scenario's
  options (weight 2),
* **assumptions** ``GET /assumptions/result?v=path=value&v=...``, one to three ranged assumptions
  at random values inside their ranges (weight 2).

A kind whose route answers 404 on the warm-up (a page not built yet) is left out and said so.
An analyst thinks between requests: a uniform ``--think`` pause (default 0.2-0.6 s, the pace of
someone moving a slider or picking options); ``--no-think`` removes it, saturating the server
to show its throughput limit. ``--quick`` is 4 clients for 5 s.

Targets (issue 15): 0 errors; builder p95 < 100 ms; assumption re-run p95 < 300 ms; overview
p95 < 300 ms. Prints a Markdown table per mode and writes ``benchmarks/results/web_load.json``.

Usage::

    .venv/bin/python benchmarks/web_load.py [--clients 20] [--seconds 30] [--no-think]
        [--both] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUTPUT = HERE / "results" / "web_load.json"
KINDS = ("overview", "builder", "assumptions")
WEIGHTS = {"overview": 1, "builder": 2, "assumptions": 2}
TARGET_P95_MS = {"overview": 300.0, "builder": 100.0, "assumptions": 300.0}
START_TIMEOUT = 90.0


def free_port() -> int:
    """A TCP port free on loopback now (the server binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """``zopa serve --port PORT`` in a subprocess, waited for until it answers.

    Returns the process and the file its standard error goes to (a file, not a pipe, so that a
    server logging many errors can never block on it).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zopa", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            message = log.read().decode(errors="replace")
            log.close()
            raise RuntimeError(f"zopa serve exited: {message}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/open")
            conn.getresponse().read()
            conn.close()
            return proc, log
        except OSError:
            time.sleep(0.2)
    proc.kill()
    proc.wait()
    log.close()
    raise RuntimeError("zopa serve did not answer in time")


def stop_server(proc: subprocess.Popen[bytes], log: IO[bytes]) -> str:
    """Stop the server; return what it wrote to its standard error."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.seek(0)
    text = log.read().decode(errors="replace")
    log.close()
    return text


def server_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Inputs:
    """Random requests drawn from the default scenario: packages and assumption values."""

    def __init__(self, seed: int) -> None:
        import zopa
        from zopa.robust.sampling import uncertain_inputs

        scenario = zopa.load()
        self.rng = random.Random(seed)
        self.issues: dict[str, list[str]] = {}
        for iid, issue in scenario.issues.items():
            if issue.options:
                self.issues[iid] = list(issue.options)
            elif issue.range is not None:
                r = issue.range
                steps = round((r.max - r.min) / r.step)
                self.issues[iid] = [f"{r.min + k * r.step:g}" for k in range(steps + 1)]
        self.ranged = [
            (u.path, u.low, u.high)
            for u in uncertain_inputs(scenario)
            if u.path.startswith("preferences.") and " " not in u.path
        ]

    def path(self, kind: str) -> str:
        """The address of a request of a kind, with random inputs."""
        rng = self.rng
        if kind == "overview":
            return "/"
        if kind == "builder":
            terms = ",".join(f"{i}={rng.choice(opts)}" for i, opts in self.issues.items())
            return "/builder/result?" + urlencode({"terms": terms})
        chosen = rng.sample(self.ranged, k=rng.randint(1, 3))
        values = [("v", f"{p}={rng.uniform(lo, hi):.3f}") for p, lo, hi in chosen]
        return "/assumptions/result?" + urlencode(values)


@dataclass
class Tally:
    """What the clients saw, per kind: latencies (s) and errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    samples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool, detail: str) -> None:
        """Record one request."""
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                self.samples.setdefault(kind, detail)


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """One GET on a keep-alive connection (the body read in full)."""
    conn.request("GET", path, headers={"Accept": "text/html"})
    response = conn.getresponse()
    return response.status, response.read()


def client(
    port: int,
    kinds: list[str],
    inputs: Inputs,
    think: tuple[float, float] | None,
    until: float,
    tally: Tally,
    seed: int,
) -> None:
    """A simulated analyst: requests of random kinds, a think time between them, until ``until``."""
    rng = random.Random(seed)
    weights = [WEIGHTS[k] for k in kinds]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        with tally.lock:
            path = inputs.path(kind)
        start = time.perf_counter()
        try:
            status, _ = fetch(conn, path)
            ok, detail = 200 <= status < 300, f"HTTP {status} on {path}"
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        tally.add(kind, time.perf_counter() - start, ok, detail)
        if think is not None:  # an analyst's pause, cut short at the end of the run
            time.sleep(max(0.0, min(rng.uniform(*think), until - time.monotonic())))
    conn.close()


def available_kinds(port: int, inputs: Inputs) -> tuple[list[str], dict[str, str]]:
    """The kinds whose route exists (a 404 leaves a kind out); one warm-up request each."""
    kinds, skipped = [], {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for kind in KINDS:
        path = inputs.path(kind)
        status, _ = fetch(conn, path)
        if status == 404:
            skipped[kind] = f"{path.split('?')[0]} answers 404 (not on this branch)"
        else:
            kinds.append(kind)
            fetch(conn, inputs.path(kind))  # warm the caches of that kind
    conn.close()
    return kinds, skipped


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values in seconds, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank] * 1000


def run_mode(
    port: int,
    inputs: Inputs,
    kinds: list[str],
    clients: int,
    seconds: float,
    think: tuple[float, float] | None,
    server_pid: int,
) -> dict[str, Any]:
    """Drive the server with ``clients`` analysts for ``seconds``; return the measurements."""
    tally = Tally()
    cpu0, server0, wall0 = time.process_time(), server_cpu(server_pid), time.perf_counter()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client, args=(port, kinds, inputs, think, until, tally, 1000 + i), daemon=True
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.perf_counter() - wall0
    client_cpu = time.process_time() - cpu0
    rows = []
    for kind in kinds:
        lat = tally.latencies[kind]
        target = TARGET_P95_MS[kind]
        p95 = percentile(lat, 95)
        rows.append(
            {
                "kind": kind,
                "count": len(lat),
                "per_s": round(len(lat) / wall, 1),
                "p50_ms": round(percentile(lat, 50), 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(percentile(lat, 99), 1),
                "errors": tally.errors[kind],
                "target_p95_ms": target,
                "met": bool(lat) and p95 < target and tally.errors[kind] == 0,
                "first_error": tally.samples.get(kind),
            }
        )
    total = sum(r["count"] for r in rows)
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "think_s": list(think) if think else None,
        "requests": total,
        "per_s": round(total / wall, 1),
        "errors": sum(r["errors"] for r in rows),
        "client_cpu_pct": round(100 * client_cpu / wall, 1),
        "server_cpu_pct": round(100 * (server_cpu(server_pid) - server0) / wall, 1),
        "rows": rows,
    }


def table(result: dict[str, Any]) -> str:
    """A Markdown table of one mode's measurements."""
    think = result["think_s"]
    pace = f"think {think[0]:g}-{think[1]:g} s" if think else "no think time (saturation)"
    lines = [
        f"{result['clients']} clients, {result['seconds']} s, {pace}: "
        f"{result['requests']:,} requests, {result['per_s']} req/s, {result['errors']} errors; "
        f"CPU: server {result['server_cpu_pct']}%, load generator {result['client_cpu_pct']}% "
        "of one core",
        "",
        "| kind | count | req/s | p50 ms | p95 ms | p99 ms | errors | target p95 | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in result["rows"]:
        verdict = "met" if r["met"] else "NOT met"
        lines.append(
            f"| {r['kind']} | {r['count']:,} | {r['per_s']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p99_ms']} | {r['errors']} | < {r['target_p95_ms']:g} ms | {verdict} |"
        )
    lines += [
        f"\nfirst {r['kind']} error: {r['first_error']}" for r in result["rows"] if r["first_error"]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, nargs=2, default=(0.2, 0.6), metavar=("MIN", "MAX"))
    parser.add_argument("--no-think", action="store_true", help="saturation: no think time")
    parser.add_argument("--both", action="store_true", help="the analyst pace, then saturation")
    parser.add_argument("--quick", action="store_true", help="4 clients for 5 s")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.seconds = 4, 5.0
    if args.clients < 1 or not 0 < args.seconds <= 600:
        parser.error("--clients must be >= 1 and --seconds in (0, 600]")
    paces: list[tuple[float, float] | None] = (
        [tuple(args.think), None] if args.both else [None if args.no_think else tuple(args.think)]
    )
    inputs = Inputs(args.seed)
    port = free_port()
    proc, log = start_server(port)
    results = []
    try:
        kinds, skipped = available_kinds(port, inputs)
        for kind, why in skipped.items():
            print(f"{kind}: left out: {why}")
        if not kinds:
            print("no request kind answers: nothing to measure")
            return 1
        for pace in paces:
            result = run_mode(port, inputs, kinds, args.clients, args.seconds, pace, proc.pid)
            result["skipped"] = skipped
            results.append(result)
            print(table(result), end="\n\n", flush=True)
    finally:
        said = stop_server(proc, log)
    errors_logged = [line for line in said.splitlines() if "error" in line.lower()]
    if errors_logged:
        print(f"the server logged {len(errors_logged)} error line(s); first: {errors_logged[0]}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "peak_client_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.output.write_text(json.dumps({"meta": meta, "modes": results}, indent=2) + "\n")
    errors = sum(r["errors"] for r in results)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
