"""Baseline forecasts: the capability×salience-weighted median and mean of the actors' positions.

Both are the customary benchmarks of the expected-utility model: Bueno de Mesquita (1994, 2009)
reports the weighted median voter position as the forecast, and the weighted mean is the
alternative he and his critics compare it with (Scholz, Calbert & Smith 2011, section 2).

Each actor ``i`` carries the weight ``w_i = c_i s_i`` (capability times salience).

Tie handling of the median (documented choice)
    The weighted median is the *lower* weighted median: the smallest position ``x`` such that the
    actors at or below ``x`` hold at least half of the total weight. When the cumulative weight
    hits exactly one half at some position, that position (the lower one) is the median, not the
    midpoint between it and the next position. This keeps the forecast at a position some actor
    actually holds (as the median *voter* of Bueno de Mesquita does) and, since a zero-weight
    actor never raises the cumulative weight, an actor with zero capability or salience never
    becomes or moves the median. "Exactly one half" is tested with a relative tolerance of 1e-12
    so that floating-point rounding of ``c·s`` products does not decide ties.

    For linear (absolute-distance) utilities the weighted median is also the position that wins
    every pairwise vote ``Σ_k w_k (|x_k − b| − |x_k − a|)`` (a Condorcet position), which is how
    Bueno de Mesquita defines the median voter; the two definitions agree except on ties.

Numerics: the weights are divided by their largest value first (only ratios matter), and the
mean is computed on positions mapped to [0, 1] (:mod:`zopa.forecast.numerics`), so neither
function overflows for any finite input.

Both functions are vectorised over samples: they accept arrays of shape ``(n,)`` (one set of
actors) or ``(S, n)`` (a leading Monte Carlo sample axis) and return a float or an array ``(S,)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zopa.forecast.numerics import from_unit, unit_interval

FloatArray = npt.NDArray[np.float64]

TIE_RTOL = 1e-12


def _prepare(positions: npt.ArrayLike, weights: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(positions, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.shape != w.shape:
        raise ValueError(f"positions {x.shape} and weights {w.shape} differ in shape")
    if x.ndim not in (1, 2) or x.shape[-1] == 0:
        raise ValueError(f"expected arrays of shape (n,) or (S, n) with n ≥ 1, got {x.shape}")
    if not (np.isfinite(x).all() and np.isfinite(w).all()):
        raise ValueError("positions and weights must be finite")
    if (w < 0).any():
        raise ValueError("weights must be non-negative")
    x2, w2 = np.atleast_2d(x), np.atleast_2d(w)
    top = w2.max(axis=-1, keepdims=True)
    if (top <= 0).any():
        raise ValueError("the total weight (Σ capability × salience) must be positive")
    return x2, w2 / top  # only ratios matter; in [0, 1], so sums cannot overflow


def weighted_median(positions: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray | float:
    """Return the lower weighted median of the positions.

    Parameters
    ----------
    positions
        Positions on the issue scale, shape ``(n,)`` or ``(S, n)``.
    weights
        Non-negative weights (capability × salience), same shape, positive total per sample.

    Returns
    -------
    float or numpy.ndarray
        The smallest position at which the cumulative weight reaches one half of the total
        (see the module docstring for ties); a float for 1-D input, shape ``(S,)`` otherwise.

    Raises
    ------
    ValueError
        On mismatched shapes, non-finite values, negative weights or a zero total weight.

    Examples
    --------
    >>> weighted_median([1.0, 2.0, 3.0], [1.0, 1.0, 2.0])
    2.0
    >>> weighted_median([1.0, 2.0], [1.0, 1.0])  # cumulative weight hits exactly 1/2 at 1
    1.0
    """
    x, w = _prepare(positions, weights)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    cum = np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    half = 0.5 * cum[:, -1:]
    reached = cum >= half * (1.0 - TIE_RTOL)
    idx = np.argmax(reached, axis=-1)
    out = xs[np.arange(xs.shape[0]), idx]
    return float(out[0]) if np.ndim(positions) == 1 else out


def weighted_mean(positions: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray | float:
    """Return the weighted mean ``Σ w_i x_i / Σ w_i`` of the positions.

    Parameters
    ----------
    positions
        Positions on the issue scale, shape ``(n,)`` or ``(S, n)``.
    weights
        Non-negative weights (capability × salience), same shape, positive total per sample.

    Returns
    -------
    float or numpy.ndarray
        A float for 1-D input, shape ``(S,)`` otherwise.

    Examples
    --------
    >>> weighted_mean([0.0, 10.0], [3.0, 1.0])
    2.5
    """
    x, w = _prepare(positions, weights)
    u, lo, hi = unit_interval(x)  # Σ w x could overflow for positions near the largest float
    mean_u = np.clip((w * u).sum(axis=-1) / w.sum(axis=-1), 0.0, 1.0)
    out = from_unit(mean_u, lo, hi)
    return float(out[0]) if np.ndim(positions) == 1 else out
