"""Which inputs a conclusion hinges on, and where it flips.

* Spearman's rank correlation between each sampled input and a continuous measure of the
  conclusion (a proposal's slack, a zone's margin, a forecast value) — Spearman (1904), "The
  proof and measurement of association between two things", Am. J. Psychology 15(1). Rank
  correlation rather than linear, because the measures are monotone but not linear in the inputs.
* For the input that matters most, the threshold at which the conclusion flips: the split of that
  input's sampled values that best separates the samples where it holds from those where it does
  not (a one-split decision stump), with how often that split is right. This is what a tornado
  table shows and what a briefing can say in one sentence ("bridges the gap when Russia's
  walk-away point is below 0.41").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

TAIL = 0.1
"""The tornado's bars compare the samples in the lowest and the highest tenth of an input."""


@dataclass(frozen=True)
class Hinge:
    """An input a conclusion depends on.

    Attributes
    ----------
    path
        The input.
    spearman
        Spearman's ρ between the input and the conclusion's measure.
    low, high
        The tornado bar: the mean of the measure over the samples whose input lies in its lowest
        (highest) tenth.
    p_low, p_high
        The share of those samples in which the conclusion holds.
    threshold, holds_when, accuracy
        For the most influential input only: the value at which the conclusion flips, on which
        side it holds (``below`` or ``above``), and how often that split is right.
    """

    path: str
    spearman: float
    low: float = 0.0
    high: float = 0.0
    p_low: float = 0.0
    p_high: float = 0.0
    threshold: float | None = None
    holds_when: str | None = None
    accuracy: float | None = None

    @property
    def swing(self) -> float:
        """How far the measure moves from the input's lowest to its highest tenth."""
        return self.high - self.low

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "input": self.path,
            "spearman": round(self.spearman, 4),
            "low": round(self.low, 6),
            "high": round(self.high, 6),
            "p_low": round(self.p_low, 4),
            "p_high": round(self.p_high, 4),
            "threshold": None if self.threshold is None else round(self.threshold, 4),
            "holds_when": self.holds_when,
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
        }


def ranks(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Average ranks along axis 0 (ties share their mean rank)."""
    order = np.argsort(x, axis=0, kind="stable")
    ranks = np.empty_like(x, dtype=float)
    n = x.shape[0]
    np.put_along_axis(
        ranks, order, np.arange(n, dtype=float)[:, None].repeat(x.shape[1], 1), axis=0
    )
    for j in range(x.shape[1]):  # average the ranks of tied values
        values = x[:, j]
        _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
        if (counts > 1).any():
            sums = np.bincount(inverse, weights=ranks[:, j])
            ranks[:, j] = (sums / counts)[inverse]
    return ranks


def spearman(
    inputs: NDArray[np.float64],
    outcome: NDArray[np.float64],
    input_ranks: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Spearman's rank correlation of each input column with the outcome (0 where constant).

    ``input_ranks`` (:func:`ranks` of ``inputs``) saves ranking the inputs again when several
    outcomes are correlated with the same samples.
    """
    a = ranks(inputs) if input_ranks is None else input_ranks
    b = ranks(outcome[:, None])[:, 0]
    a = a - a.mean(axis=0)
    b = b - b.mean()
    denom = np.sqrt((a**2).sum(axis=0) * (b**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (a * b[:, None]).sum(axis=0) / denom
    return np.where(denom > 0, rho, 0.0)


def flip_threshold(
    values: NDArray[np.float64], verdict: NDArray[np.bool_]
) -> tuple[float, str, float]:
    """The split of ``values`` that best separates ``verdict`` (a one-split decision stump).

    Returns
    -------
    threshold, side, accuracy
        The verdict is predicted true for values ``below`` (``<=``) or ``above`` (``>``) the
        threshold, and the share of samples that prediction gets right.
    """
    order = np.argsort(values, kind="stable")
    v, y = values[order], verdict[order].astype(np.int64)
    n = len(v)
    true_below = np.concatenate([[0], np.cumsum(y)])  # trues among the first k
    k = np.arange(n + 1)
    total_true = true_below[-1]
    below = true_below + ((n - k) - (total_true - true_below))  # true below, false above
    above = (k - true_below) + (total_true - true_below)  # false below, true above
    valid = np.concatenate([[True], v[1:] != v[:-1], [True]])  # split between distinct values
    below = np.where(valid, below, -1)
    above = np.where(valid, above, -1)
    best_below, best_above = int(below.argmax()), int(above.argmax())
    if below[best_below] >= above[best_above]:
        k_best, side, hits = best_below, "below", below[best_below]
    else:
        k_best, side, hits = best_above, "above", above[best_above]
    if k_best == 0:
        threshold = float(v[0])
    elif k_best == n:
        threshold = float(v[-1])
    else:
        threshold = float(v[k_best - 1] / 2 + v[k_best] / 2)  # no overflow near the float limit
    return threshold, side, float(hits) / n


def _mean(x: NDArray[np.float64]) -> float:
    """The mean of finite values, computed on values scaled to at most 1 so that it cannot overflow."""
    scale = float(np.abs(x).max()) if x.size else 0.0
    if scale == 0.0:
        return 0.0
    return scale * float((x / scale).mean())


def hinges(
    paths: list[str],
    rows: NDArray[np.float64],
    measure: NDArray[np.floating[Any]] | NDArray[np.integer[Any]],
    holds: NDArray[np.bool_],
    count: int,
    input_ranks: NDArray[np.float64] | None = None,
    scale: float = 1.0,
) -> list[Hinge]:
    """Rank inputs by |Spearman ρ| with ``measure``; tornado bars; the first's flip threshold.

    Parameters
    ----------
    paths
        The inputs' names, one per column of ``rows``.
    rows
        ``(samples, inputs)`` sampled values.
    measure
        ``(samples,)`` the continuous measure of the conclusion.
    holds
        ``(samples,)`` whether the conclusion holds in each sample.
    count
        How many inputs to return (those with ρ = 0 are left out). The first gets a flip
        threshold only when its split predicts the conclusion better than always guessing the
        more frequent verdict.
    input_ranks
        :func:`ranks` of ``rows``, when already computed.
    scale
        Multiplies the measure in the tornado bars (e.g. grid integers to utilities).
    """
    if len(measure) < 2 or not paths:
        return []
    rho = spearman(rows, np.asarray(measure, dtype=float), input_ranks)
    value = np.asarray(measure, dtype=float) * scale
    found = []
    for k in np.argsort(-np.abs(rho), kind="stable")[:count]:
        if rho[k] == 0:
            continue
        column = rows[:, k]
        low = column <= np.quantile(column, TAIL)
        high = column >= np.quantile(column, 1 - TAIL)
        found.append(
            Hinge(
                paths[k],
                float(rho[k]),
                low=_mean(value[low]),
                high=_mean(value[high]),
                p_low=float(holds[low].mean()),
                p_high=float(holds[high].mean()),
            )
        )
    share = float(holds.mean())
    if found and 0 < share < 1:
        top = paths.index(found[0].path)
        threshold, side, accuracy = flip_threshold(rows[:, top], holds)
        if accuracy > max(share, 1 - share):  # a split no better than the base rate says nothing
            found[0] = replace(found[0], threshold=threshold, holds_when=side, accuracy=accuracy)
    return found


@dataclass(frozen=True)
class Draws:
    """What a conclusion's hinges were computed from, kept per sample for flip charts.

    Only the inputs the conclusion hinges on are kept (a copy of their columns, not a view of
    the whole sample table), so the memory is a few floats per sample.

    Attributes
    ----------
    inputs
        Per hinge input (its path): the value sampled in each sample.
    measure
        The conclusion's continuous measure in each sample, in the units of the hinges' tornado
        bars (a slack or margin in utility, a forecast value).
    holds
        Whether the conclusion holds in each sample.
    """

    inputs: dict[str, NDArray[np.float64]] = field(repr=False)
    measure: NDArray[np.float64] = field(repr=False)
    holds: NDArray[np.bool_] = field(repr=False)

    @property
    def samples(self) -> int:
        """The number of samples."""
        return int(self.measure.size)


def keep_draws(
    paths: list[str],
    rows: NDArray[np.float64],
    measure: NDArray[np.floating[Any]] | NDArray[np.integer[Any]],
    holds: NDArray[np.bool_],
    found: list[Hinge],
    scale: float = 1.0,
    columns: dict[str, NDArray[np.float64]] | None = None,
) -> Draws:
    """Keep the samples behind ``found`` (the hinges :func:`hinges` returned).

    Parameters
    ----------
    paths, rows, measure, holds, scale
        As given to :func:`hinges`.
    found
        The hinges: their inputs' columns are kept.
    columns
        Columns already copied for other conclusions of the same samples (by path): shared,
        not copied again; new ones are added to it.
    """
    shared = columns if columns is not None else {}
    kept: dict[str, NDArray[np.float64]] = {}
    for h in found:
        if h.path not in shared:
            shared[h.path] = np.ascontiguousarray(rows[:, paths.index(h.path)], dtype=np.float64)
        kept[h.path] = shared[h.path]
    value = np.asarray(measure, dtype=np.float64) * scale
    return Draws(kept, value, np.asarray(holds, dtype=bool).copy())


@dataclass(frozen=True)
class Bin:
    """The samples whose input falls in one interval ``[low, high)`` (the last one closed).

    Attributes
    ----------
    low, high
        The interval.
    count
        How many samples fall in it.
    holds
        In how many of them the conclusion holds.
    q25, median, q75
        Quartiles of the conclusion's measure over them.
    """

    low: float
    high: float
    count: int
    holds: int
    q25: float
    median: float
    q75: float


def binned(values: NDArray[np.float64], draws: Draws, bins: int) -> list[Bin]:
    """Cut ``values`` (one input's samples) into equal-width intervals; summarise each.

    Empty intervals are left out. With a constant input there is one interval.
    """
    if values.size == 0:
        return []
    lo, hi = float(values.min()), float(values.max())
    edges = np.linspace(lo, hi, max(bins, 1) + 1) if hi > lo else np.array([lo, hi])
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)
    out = []
    for k in range(len(edges) - 1):
        inside = index == k
        n = int(inside.sum())
        if n == 0:
            continue
        q25, median, q75 = (float(v) for v in np.quantile(draws.measure[inside], [0.25, 0.5, 0.75]))
        out.append(
            Bin(
                float(edges[k]),
                float(edges[k + 1]),
                n,
                int(draws.holds[inside].sum()),
                q25,
                median,
                q75,
            )
        )
    return out
