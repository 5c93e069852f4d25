"""How much memory a graph-model run needs, checked before anything large is allocated.

A model with ``n`` options has ``2**n`` states, and every array of the compiler and of the
stability engine is indexed by state: the memory a run needs grows as ``2**n`` times a few bytes
per decision maker. Rather than fail half way with a ``MemoryError``, the compiler and the
stability report estimate what they need first and, when it exceeds what this process may
still allocate, stop with a :class:`MemoryBudgetError` that says both figures ("needs about
6.1 GiB; this process may use 2.0 GiB more").

The per-state figures below were measured (peak resident memory of ``zopa stability``, as a
table and as JSON, on the prioritization models of ``benchmarks/stability_report.py``: 22–26
options, 2 and 4 decision makers; the engine works in chunks, so its temporaries do not grow
with the model) and rounded up; they are estimates, not bounds. A table report of 26 options
and 2 decision makers peaks at about 3.0 GiB (24 options and 4 decision makers: 1.7 GiB); the
JSON document lists every state as Python objects, about 1.2 KB each, and is refused beyond what
memory allows.
"""

from __future__ import annotations

from pathlib import Path

GIB = float(1 << 30)

COMPILE_BYTES = (16, 8)
"""Compiling, per state: ``a + b·d`` bytes for ``d`` decision makers (feasibility, payoffs, the
priority scores being summed)."""

ENGINE_BYTES = (8, 20)
"""The stability engine, per state: ``a + b·d`` bytes (int32 ranks, payoff orders, sanction
minima, the stability tables; the temporaries are chunk-sized)."""

DOCUMENT_BYTES = (1000, 120)
"""The report as plain data (``StabilityReport.to_dict``), per feasible state: ``a + b·d``."""


class MemoryBudgetError(ValueError):
    """A run would need more memory than this process may use."""


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _address_space_in_use() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def _cgroup_available() -> int | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
        return max(0, int(limit) - used)
    except (OSError, ValueError):
        return None


def available_bytes() -> int | None:
    """Bytes this process may still allocate, as far as it can tell; None when unknown.

    The least of: the address-space limit (``RLIMIT_AS``, as set by ``ulimit -v``) minus the
    address space in use, the memory left in the process's control group, and the system's
    available memory (``MemAvailable``).
    """
    limits: list[int] = []
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft > 0:
            limits.append(max(0, soft - _address_space_in_use()))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not on Linux
        pass
    limits += [x for x in (_cgroup_available(), _meminfo_available()) if x is not None]
    return min(limits) if limits else None


def per_state(figures: tuple[int, int], n_dms: int) -> int:
    """Bytes per state for ``n_dms`` decision makers, from ``(a, b)``: ``a + b·n_dms``."""
    return figures[0] + figures[1] * n_dms


def check_memory(need: float, what: str, *, available: int | None = None) -> None:
    """Raise :class:`MemoryBudgetError` when ``need`` bytes exceed what may be allocated.

    Parameters
    ----------
    need
        The estimated bytes.
    what
        What needs them, for the message (e.g. "compiling 26 options (2**26 states)").
    available
        The bytes available; by default :func:`available_bytes`.
    """
    limit = available_bytes() if available is None else available
    if limit is None or need <= limit:
        return
    raise MemoryBudgetError(
        f"{what} needs about {need / GIB:.1f} GiB; this process may use {limit / GIB:.1f} GiB "
        "more "
        "(free memory, or the limit set by ulimit -v): use a model with fewer options, or "
        "run where more memory is available"
    )


__all__ = [
    "MemoryBudgetError",
    "available_bytes",
    "check_memory",
    "per_state",
]
