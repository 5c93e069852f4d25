"""Speed of ``zopa extract`` on a 10,000-word report (issue 18). Target: under 1 s.

The report is built by concatenating the annotated test reports of ``tests/extract/data``
(their bodies, without headers) until it has at least ``--words`` words; it is dated
2025-12-14.

* In-process: ``zopa.extract()`` the first time in a process (which reads the gazetteer) and
  the best of ``--repeat`` calls; the same with the default scenario (parties mapped, proposals
  linked); the JSON document and the terminal report.
* ``zopa extract`` as a user runs it, as a subprocess: wall clock from interpreter start to exit,
  JSON to a pipe.

Prints a Markdown table and writes ``benchmarks/results/extract_speed.json``.

Usage::

    .venv/bin/python benchmarks/extract_speed.py [--words 10000] [--repeat 3] [--skip-cli]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steps import print_steps, timed

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "extract" / "data"
DEFAULT_OUTPUT = HERE / "results" / "extract_speed.json"
TARGET_SECONDS = 1.0


def build_report(words: int) -> str:
    """The test reports' bodies, concatenated (and repeated) to at least ``words`` words."""
    bodies = []
    for path in sorted(DATA.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n\n", 1)[1] if text.startswith("Title:") else text)
    out: list[str] = []
    count = 0
    while count < words:
        for body in bodies:
            out.append(body.strip())
            count += len(body.split())
            if count >= words:
                break
    return "Title: Benchmark report\nDate: 2025-12-14\n\n" + "\n\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Time the steps, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    report = build_report(args.words)
    start = time.perf_counter()
    import zopa

    imported = time.perf_counter() - start
    first = timed(lambda: zopa.extract(report))
    best = min(timed(lambda: zopa.extract(report)) for _ in range(max(args.repeat, 1)))
    scenario = zopa.load()
    linked = min(
        timed(lambda: zopa.extract(report, scenario=scenario)) for _ in range(max(args.repeat, 1))
    )
    result = zopa.extract(report)

    from rich.console import Console

    from zopa.render.document import to_console

    as_json = timed(lambda: json.dumps(result.to_dict()))
    table = timed(lambda: to_console(result.document(), Console(file=io.StringIO(), width=80)))
    words = len(report.split())
    rows: list[tuple[str, float, float | None]] = [
        ("import zopa", imported, None),
        ("zopa.extract() first call (reads the gazetteer)", first, TARGET_SECONDS),
        (f"zopa.extract() best of {args.repeat}", best, TARGET_SECONDS),
        (f"zopa.extract(scenario=berlin) best of {args.repeat}", linked, TARGET_SECONDS),
        ("JSON", as_json, None),
        ("terminal report (80 columns)", table, None),
    ]
    if not args.skip_cli:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.txt"
            path.write_text(report, encoding="utf-8")
            command = [sys.executable, "-m", "zopa", "extract", str(path), "--format", "json"]
            cli = timed(lambda: subprocess.run(command, check=True, capture_output=True))
        rows.append(("zopa extract FILE --format json (subprocess)", cli, None))

    print(
        f"cores: {os.cpu_count()}, report: {words:,} words, "
        f"{result.result.sentences:,} sentences, {len(result.result.events):,} events\n"
    )
    print_steps(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "words": words,
                "sentences": result.result.sentences,
                "events": len(result.result.events),
                "seconds": {name: round(seconds, 4) for name, seconds, _ in rows},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
