"""The step table the speed benchmarks print: time one call, print ``| step | seconds | target |``.

Imported by the scripts run from this folder (``python benchmarks/NAME.py`` puts it on the path).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence


def timed(run: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def print_steps(rows: Sequence[tuple[str, float, float | None]], digits: int = 3) -> None:
    """Print the Markdown table of ``(step, seconds, target or None)`` rows, met or MISSED."""
    print("| step | seconds | target | |")
    print("|---|---:|---:|---|")
    for name, seconds, target in rows:
        verdict = "" if target is None else ("met" if seconds < target else "MISSED")
        shown = "" if target is None else f"< {target:g}"
        print(f"| {name} | {seconds:.{digits}f} | {shown} | {verdict} |")
