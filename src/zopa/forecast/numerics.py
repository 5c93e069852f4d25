"""Overflow-free numerics and size limits shared by the forecasting engines.

The expected-utility model and its baselines depend only on *ratios* of capabilities (Bueno de
Mesquita 1994; Scholz, Calbert & Smith 2011) and are equivariant under affine maps of the
position scale. The engines therefore compute in a normalised form (every finite input gives
finite intermediate values, whatever its magnitude):

* weights ``w_i = c_i s_i`` are divided by their largest value (per sample), so they lie in
  [0, 1] and their sums never overflow;
* positions are mapped to the unit interval ``u = (x − min x) / (max x − min x)`` and mapped
  back at the end; both maps are computed without forming a difference that could overflow
  (positions of ``±1e308`` have a range of ``2e308``, which is not a float).

Limits (documented in the README)
    :data:`MAX_ACTORS` actors and :data:`MAX_ROUNDS` rounds per run. Before a run allocates
    its arrays it estimates the memory it needs (:func:`check_memory`) and refuses, with the
    estimate and the limit, when that exceeds what the process may use.
"""

from __future__ import annotations

import contextlib
import os
import sys

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

MAX_ACTORS = 500
"""Largest actor table a forecast accepts: the pairwise arrays grow as actors², and 500 actors
take about 3 s for 10 rounds on one core (the published applications use a few dozen)."""

MAX_ROUNDS = 1000
"""Largest number of rounds a forecast accepts."""

_HUGE = float(np.finfo(np.float64).max) / 2.0


class ForecastLimitError(ValueError):
    """A forecast larger than the documented limits or than the memory the process may use."""


def normalised_weights(capability: FloatArray, salience: FloatArray) -> FloatArray:
    """Return the weights ``w = c · s`` divided by their largest value, per sample (rows).

    Computed as ``(c / max c) · s`` rescaled to a largest weight of 1; where that underflows
    for an actor with both capability and salience positive (ratios below about 1e-308), the
    row is computed in log space instead, ``exp(log c + log s − max(log c + log s))``, so that
    an actor with a positive weight never loses it to rounding unless it is negligible next to
    another actor's.

    Parameters
    ----------
    capability, salience
        Shape ``(S, n)``, finite, capability ≥ 0 and salience in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n)``, in [0, 1], with 1 at the heaviest actor; a row in which no actor has
        both capability and salience positive is all zeros.
    """
    positive = (capability > 0) & (salience > 0)
    top = capability.max(axis=1, keepdims=True)
    w: FloatArray = np.divide(capability, top, out=np.zeros_like(capability), where=top > 0)
    w *= salience
    peak = w.max(axis=1, keepdims=True)
    np.divide(w, peak, out=w, where=peak > 0)
    lost = (positive & (w <= 0)).any(axis=1) | (positive.any(axis=1) & (peak[:, 0] <= 0))
    if lost.any():
        pos = positive[lost]
        logc = np.log(capability[lost], out=np.zeros_like(capability[lost]), where=pos)
        logs = np.log(salience[lost], out=np.zeros_like(salience[lost]), where=pos)
        lw = np.where(pos, logc + logs, -np.inf)
        best = lw.max(axis=1, keepdims=True)
        w[lost] = np.exp(lw - best, out=np.zeros_like(lw), where=pos)
        # those below exp(-745) are negligible next to the heaviest actor, and are 0
    return w


def unit_interval(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Map positions to [0, 1] per sample: ``u = (x − lo) / (hi − lo)``.

    Parameters
    ----------
    x
        Shape ``(S, n)``, finite.

    Returns
    -------
    tuple of numpy.ndarray
        ``u`` (shape ``(S, n)``, 0 where ``hi = lo``), ``lo`` and ``hi`` (shape ``(S,)``).
    """
    lo = x.min(axis=1)
    hi = x.max(axis=1)
    half = hi * 0.5 - lo * 0.5  # never overflows
    wide = half >= _HUGE  # hi − lo itself would overflow
    u = np.zeros_like(x)
    narrow = ~wide & (hi > lo)
    if narrow.any():
        span = hi[narrow] - lo[narrow]
        u[narrow] = (x[narrow] - lo[narrow, None]) / span[:, None]
    if wide.any():
        u[wide] = (x[wide] * 0.5 - lo[wide, None] * 0.5) / half[wide, None]
    np.clip(u, 0.0, 1.0, out=u)
    return u, lo, hi


def from_unit(u: FloatArray, lo: FloatArray, hi: FloatArray) -> FloatArray:
    """Map points ``u`` in [0, 1] back to ``lo + u (hi − lo)``, clipped to ``[lo, hi]``.

    For ends below a quarter of the largest float this is ``lo + u (hi − lo)``; beyond, each
    half of the interval is reached from its own end (``lo + 2u·h`` below the midpoint,
    ``hi − 2(1 − u)·h`` above, with ``h = hi/2 − lo/2``), so no intermediate value leaves
    ``[lo, hi]`` and nothing overflows.

    Parameters
    ----------
    u
        Shape ``(S, ...)``, values in [0, 1].
    lo, hi
        Shape ``(S,)``.

    Returns
    -------
    numpy.ndarray
        Same shape as ``u``.
    """
    shape = (-1,) + (1,) * (u.ndim - 1)
    a = lo.reshape(shape)
    b = hi.reshape(shape)
    # ordinary ranges: lo + u (hi − lo), which maps back exactly in the common cases
    ordinary = (np.maximum(np.abs(lo), np.abs(hi)) < _HUGE / 4).reshape(shape)
    span = np.where(ordinary, b, 0.0) - np.where(ordinary, a, 0.0)
    plain = a + u * span
    # ranges near the largest float: reach each half of the interval from its own end
    half = b * 0.5 - a * 0.5
    below = a + (2.0 * np.minimum(u, 0.5)) * half
    above = b - (2.0 * np.minimum(1.0 - u, 0.5)) * half
    out = np.where(ordinary, plain, np.where(u <= 0.5, below, above))
    # exact ends: an actor at an end of the range stays exactly there
    out = np.where(u <= 0.0, a, np.where(u >= 1.0, b, out))
    return np.clip(out, a, b)


def memory_limit() -> int | None:
    """Return the bytes this process may use, or None when no limit is known.

    The smallest of the address-space and data-segment limits (``ulimit -v``, ``ulimit -d``)
    and, on Linux, the memory the system reports available (``MemAvailable``).
    """
    limits: list[int] = []
    if sys.platform != "win32":
        import resource

        for name in ("RLIMIT_AS", "RLIMIT_DATA"):
            kind = getattr(resource, name, None)
            if kind is None:
                continue
            soft, _ = resource.getrlimit(kind)
            if soft not in (resource.RLIM_INFINITY, -1) and soft > 0:
                limits.append(int(soft))
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    env = os.environ.get("ZOPA_MEMORY_LIMIT")
    if env:
        with contextlib.suppress(ValueError):
            limits.append(int(float(env)))
    return min(limits) if limits else None


def gib(nbytes: float) -> str:
    """Format a byte count in GiB with one decimal (``"6.1 GiB"``)."""
    return f"{nbytes / 2**30:.1f} GiB"


def check_memory(needed: float, what: str) -> None:
    """Refuse a run that needs more memory than the process may use.

    Parameters
    ----------
    needed
        The estimated peak in bytes.
    what
        What needs it, for the message (e.g. ``"this forecast (10 actors, 5,000 samples)"``).

    Raises
    ------
    ForecastLimitError
        ``"<what> needs about 6.1 GiB; this process may use 2.0 GiB"``.
    """
    limit = memory_limit()
    if limit is not None and needed > limit:
        raise ForecastLimitError(
            f"{what} needs about {gib(needed)}; this process may use {gib(limit)} "
            "(use fewer samples, actors or rounds)"
        )
