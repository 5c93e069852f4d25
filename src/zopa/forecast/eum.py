r"""Bueno de Mesquita's expected-utility model of group decisions, vectorised with numpy.

The model follows the reconstruction by Scholz, Calbert & Smith (2011), "Unravelling Bueno de
Mesquita's group decision model", *Journal of Theoretical Politics* 23(4): 510–531, of
Bueno de Mesquita (1985, "The war trap revisited", *APSR* 79(1); 1994, "Political forecasting:
an expected utility method", in Stokman & Bueno de Mesquita (eds.), *European Community Decision
Making*; 2009, *The Predictioneer's Game*). Two interpretations ship as named variants,
``scholz`` (what Scholz et al. implemented) and ``paper`` (the printed equations read literally);
every point where they differ is listed below.

Notation: actors ``i = 1..n`` with capability ``c_i``, salience ``s_i`` ∈ [0, 1] and position
``x_i``; weights ``w_i = c_i s_i``; ``R`` the range of positions; ``d_ij = |x_i − x_j| / R``.

One round
---------
1. **Votes and probability of prevailing.** Third party ``k`` votes on the pair ``(i, j)`` with
   the difference of its utilities for the two positions (Bueno de Mesquita 1994, eq. 1),
   ``v_k(i, j) = c_k s_k (d_kj^{r_k} − d_ki^{r_k})``:

   * ``scholz``: ``r_k`` is voter ``k``'s current risk exponent (step 4) — all ones while the
     risk exponents themselves are computed, then each voter's own. Scholz et al.'s code does
     this, as its public port jmckib/bdm-scholz-expected-utility-model (``Actor.compare``,
     called by ``probability`` after ``update_risk_aversions``) shows; it is what reproduces
     their Table 2 (see *Reproduction* below);
   * ``paper``: linear votes (``r_k = 1`` throughout), the reading of eq. 1 with the linear
     utilities of Bueno de Mesquita's tables.

   The probability that ``i`` prevails over ``j``:

   * ``paper``: ``P_i(j) = Σ_{k: v_k>0} v_k(i, j) / Σ_k |v_k(i, j)|``, so ``P_i + P_j = 1``
     (Bueno de Mesquita 1994, eq. 2, read literally);
   * ``scholz``: the same numerator over ``Σ_k Σ_{a,b} |v_k(a, b)|``, the absolute votes summed
     over *all* pairs of actors (Scholz et al. 2011 report their code does this; the jmckib
     port does the same). Probabilities are then small, which in practice stops actors from
     confronting one another at every round.

   ``P = 0`` when ``x_i = x_j``.

2. **Utilities** (Scholz et al. 2011, eqs. 3–7, from Bueno de Mesquita 1994), with risk
   exponent ``r``, the median voter position ``μ`` and ``δ_ij = (|x_i − μ| + |x_i − x_j|)/R``::

       U_s  = 2 − 4 (0.5 − 0.5 d_ij)^r       success: j moves to x_i
       U_f  = 2 − 4 (0.5 + 0.5 d_ij)^r       failure: i moves to x_j
       U_b  = 2 − 4 (0.5 − 0.25 δ_ij)^r      status quo gets better
       U_w  = 2 − 4 (0.5 + 0.25 δ_ij)^r      status quo gets worse
       U_sq = 2 − 4 (0.5)^r

   ``μ`` is the capability × salience weighted median of the current positions (the lower
   median, see :mod:`zopa.forecast.baselines`); with linear votes it is the position that wins
   all pairwise votes, Bueno de Mesquita's median voter. It only enters through ``U_b`` and
   ``U_w``, i.e. only when ``Q < 1``.

3. **Expected utility of a challenge** (Bueno de Mesquita 1994, eq. 3; Scholz et al. eq. 2)::

       EU_i(j) = s_j (P U_s + (1 − P) U_f) + (1 − s_j) U_s − Q U_sq − (1 − Q)(T U_b + (1 − T) U_w)

   ``Q`` is the probability that the status quo persists, ``T`` the probability that it gets
   better for ``i`` if it changes. Defaults: ``Q = 1.0`` (Bueno de Mesquita 1994 and Scholz et
   al. 2011, Table 2, set Q = 1) and ``T = 1.0``. With ``Q = 1`` the last term vanishes and
   ``T`` has no effect; ``T = 1.0`` is our choice (no sourced value found; it makes ``Q < 1``
   mean "if the status quo changes, it changes in i's favour"), so set ``T`` explicitly
   whenever ``Q < 1``.

4. **Risk.** Utilities are first evaluated with ``r = 1`` for everyone. Actor ``i``'s exposure is
   ``D_i = Σ_{j≠i} EU_j(i)`` (what the others expect from challenging ``i``), normalised over
   the actors to ``R_i = (2 D_i − max D − min D) / (max D − min D)`` ∈ [−1, 1] (Scholz et al.
   2011, who normalise across actors; Bueno de Mesquita 1985 normalises over the positions an
   actor could take), and ``r_i = (1 − R_i/3) / (1 + R_i/3)`` ∈ [0.5, 2]. All actors get
   ``r = 1`` when all ``D_i`` are equal. Risk is recomputed at every round.

5. **Offers.** Actor ``a`` weighs an offer from ``b`` (``x_a ≠ x_b``) with both expected
   utilities computed with ``a``'s own risk exponent ``r_a`` (the perceiver's view, as in Scholz
   et al.'s code and the jmckib port): ``A = EU_a(b)``, ``B = EU_b(a)``.

   * conflict (confrontation): ``B > A > 0`` — ``a`` expects to lose: it moves to ``x_b``;
   * compromise: ``B > 0 > A`` and ``B > |A|`` — ``a`` moves to ``x_a + (x_b − x_a)|A / B|``
     (Scholz et al. 2011; the fraction ``|A/B|`` of the way, the mover's stake over the
     proposer's, which is < 1 so the move stays between the two positions);
   * capitulation: ``B > 0 > A`` and ``B < |A|`` — ``a`` moves to ``x_b``;
   * stalemate: anything else — no offer.

   (The jmckib port tests capitulation with ``B < |B|``, which never holds; here the
   condition is the one stated in Scholz et al.'s table of outcomes. On the EC data no
   capitulation is ever chosen, so the two agree there.)

6. **Choice and move.** Every actor picks one offer — a conflict offer if it has any, else a
   compromise, else a capitulation — and all actors move at once (Scholz et al. 2011). Within a
   type the offer requiring the least movement is chosen (Bueno de Mesquita 1994; variant
   ``paper``), except that in variant ``scholz`` a compromise is chosen by the smallest
   expected-utility-weighted average position ``(|A| x_a + |B| x_b) / (|A| + |B|)`` ("among
   compromise offers the one with the smallest expected-utility-weighted average position", as in
   Scholz et al.'s code, per the jmckib port). Remaining ties go to the lower new position,
   so results do not depend on the order of the actors (the jmckib port takes the first
   actor in table order instead; no such tie arises on the EC data).

Range
    ``scholz``: ``R`` is the range of the *initial* positions, fixed for all rounds (Scholz et
    al.'s code and the jmckib port). ``paper``: ``R`` is the range of the current
    positions at each round (our reading of the printed equations, which normalise by the range
    of the positions in the data; an interpretation, not a sourced choice). When ``R = 0`` nobody
    moves.

Since every move goes to another actor's position or between two positions, positions never leave
the initial range.

Rounds and convergence
    Round 0 is the input; round ``k`` holds the positions after the ``k``-th simultaneous
    move. The model is deterministic, so once the positions of a round repeat those of an
    earlier round the run repeats itself from then on: a repeat of the previous round is a
    *fixed point* (converged), a repeat of an earlier round a *cycle* whose period is the
    distance between the two (the default scenario's territory issue cycles with period 5).
    Positions are compared on a grid of ``2⁻⁴⁰`` of their range (exact repeats in practice).
    A run that does neither within its rounds has *not settled* (the EC case does not settle
    within 10 rounds; its positions lock into a cycle of period 18 only after about 300). ``stop_at_convergence`` stops the run
    as soon as every sample has repeated a state (nothing later can differ from what was
    already seen); ``tol`` stops after the first round in which no position moves by more than
    ``tol`` (the samples then count as converged). Default: 10 rounds.

Reproduction (Scholz et al. 2011, Table 2; tested in ``tests/forecast/test_reproduction.py``)
    Table 2 prints the weighted median and mean of the EC car-emission case (Bueno de Mesquita
    1994, table 1) with Q = 1 for rounds 1–8. Its round 1 is the first *update* (our round 1:
    median 8.416, printed 8.4; the input median is 7.0), the median is the weighted median of
    positions (the Condorcet winner of the linear pairwise votes, which the jmckib port
    computes and which equals the weighted median except on exact ties), and the mean weighs
    positions by capability × salience. With the voter's risk exponent in the votes (step 1)
    every printed median is met within 0.1 except round 2 (ours 9.611, printed 9.9; the
    jmckib port also gives 9.61), and every printed mean within 0.07. Before, with linear
    votes, round 6 gave 7.524 against the printed 7.4.

Numerics
    Only ratios of capabilities matter, so the weights are divided by their largest value
    first; positions are mapped to [0, 1] (:mod:`zopa.forecast.numerics`) and back at the end.
    Scaling every capability by ``10^k`` leaves every round unchanged, and inputs up to the
    largest floats neither overflow nor lose the result. Sizes are bounded by
    :data:`~zopa.forecast.numerics.MAX_ACTORS` and :data:`~zopa.forecast.numerics.MAX_ROUNDS`,
    and the memory a run needs is checked before it allocates.

Vectorisation
    All pairwise quantities are ``(S, n, n)`` arrays (a leading Monte Carlo sample axis ``S``,
    processed in chunks that bound the working memory); the vote totals are computed from
    prefix sums over the voters sorted by position in ``O(S n² log n)`` (see
    :func:`positive_votes`). No Python loop runs over pairs or samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast.baselines import weighted_median
from zopa.forecast.numerics import (
    MAX_ACTORS,
    MAX_ROUNDS,
    ForecastLimitError,
    check_memory,
    from_unit,
    normalised_weights,
    unit_interval,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Variant = Literal["scholz", "paper"]
VARIANTS: tuple[Variant, ...] = ("scholz", "paper")

GRID = 2.0**40
"""Positions (on [0, 1]) are compared on a grid of this many steps when detecting repeats."""

_PAIR_ARRAYS = 40
"""Upper bound on the number of live ``(n, n)`` float arrays per sample within a round."""

_CHUNK_BYTES = 256 * 2**20

_SEARCH_FROM = 48
"""From this many actors on, voters are ranked by a binary search per sample."""
"""Working memory of one chunk of samples."""

_MULTIPLIERS = np.random.default_rng(20110701).integers(
    1, 2**62, size=MAX_ACTORS, dtype=np.int64
).astype(np.uint64) * np.uint64(2) + np.uint64(1)


@dataclass(frozen=True)
class EUMRun:
    """Positions round by round, and whether each sample settled.

    Attributes
    ----------
    positions
        Shape ``(S, rounds_run + 1, n)``: round 0 is the input.
    medians, means
        Shape ``(S, rounds_run + 1)``: weighted median and mean of each round's positions.
    risk
        Shape ``(S, rounds_run, n)``: the risk exponents ``r_i`` used in each round.
    repeat
        Shape ``(S,)``: the first round whose positions repeat an earlier round's (−1: none).
    period
        Shape ``(S,)``: 1 for a fixed point, ``p ≥ 2`` for a cycle, 0 when the run did not
        settle within its rounds.
    """

    positions: FloatArray
    medians: FloatArray
    means: FloatArray
    risk: FloatArray
    repeat: IntArray
    period: IntArray

    @property
    def converged(self) -> npt.NDArray[np.bool_]:
        """Shape ``(S,)``: the sample reached a fixed point."""
        out: npt.NDArray[np.bool_] = self.period == 1
        return out

    @property
    def cycling(self) -> npt.NDArray[np.bool_]:
        """Shape ``(S,)``: the sample's positions cycle with a period ≥ 2."""
        out: npt.NDArray[np.bool_] = self.period >= 2
        return out


def _as_samples(a: npt.ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name}: expected shape (n,) or (S, n) with n ≥ 1, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: values must be finite")
    return arr


Ranks = tuple[IntArray, FloatArray, IntArray]


def voter_ranks(x: FloatArray) -> Ranks:
    """Sort the voters and count, for every pair, the voters at or below its midpoint.

    Returns ``(order, sorted positions, below)`` with ``below[s, i, j]`` the number of voters
    ``k`` with ``2 x_k ≤ x_i + x_j``. For few actors all samples are ranked at once (one stable
    sort of voters and midpoints, voters first on ties); from :data:`_SEARCH_FROM` actors on,
    a binary search per sample is faster than sorting the ``n²`` midpoints.
    """
    n_samples, n = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    ys = np.take_along_axis(x, order, axis=1)
    twice_m = (x[:, :, None] + x[:, None, :]).reshape(n_samples, n * n)
    if n >= _SEARCH_FROM:
        twice_y = 2.0 * ys
        below = np.empty((n_samples, n * n), dtype=np.int64)
        for k in range(n_samples):  # n ≥ _SEARCH_FROM: each search is itself O(n² log n)
            below[k] = np.searchsorted(twice_y[k], twice_m[k], side="right")
        return order, ys, below.reshape(n_samples, n, n)
    keys = np.concatenate([2.0 * ys, twice_m], axis=1)
    srt = np.argsort(keys, axis=1, kind="stable")
    count = np.cumsum(srt < n, axis=1)
    rank = np.empty_like(srt)
    np.put_along_axis(rank, srt, np.arange(n + n * n)[None, :], axis=1)
    found = np.take_along_axis(count, rank[:, n:], axis=1).reshape(n_samples, n, n)
    return order, ys, found


def positive_votes(
    x: FloatArray,
    w: FloatArray,
    r: FloatArray | None = None,
    scale: FloatArray | None = None,
    ranks: Ranks | None = None,
) -> FloatArray:
    """Return ``V[s, i, j] = Σ_k max(0, w_k (d_kj^{r_k} − d_ki^{r_k}))`` (votes for i over j).

    ``d_ki = |x_k − x_i| / scale``. Voter ``k`` favours ``i`` exactly when it is closer to
    ``x_i`` than to ``x_j`` (``t ↦ t^r`` increases for ``r > 0``), i.e. for ``x_i < x_j`` when
    ``x_k`` lies below the midpoint ``m = (x_i + x_j)/2``. With ``U[k, j] = w_k d_kj^{r_k}``
    and its prefix sums ``C`` over the voters sorted by position,

        V[i, j] = C[b, j] − C[b, i]                                  (x_i < x_j)
        V[i, j] = (C[n, j] − C[b, j]) − (C[n, i] − C[b, i])          (x_i > x_j)

    where ``b`` counts the voters with ``x_k ≤ m``; a voter exactly at ``m`` is indifferent
    and contributes 0 on either side. Cost ``O(S n² log n)`` time and ``O(S n²)`` memory
    instead of the ``n³`` individual votes.

    Parameters
    ----------
    x, w
        Positions and weights ``c·s``, shape ``(S, n)``.
    r
        Each voter's risk exponent, shape ``(S, n)``; None for linear votes (``r = 1``).
    scale
        The range ``R`` per sample, shape ``(S,)`` (positive); None for 1.
    ranks
        :func:`voter_ranks` of ``x`` when already computed.

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n, n)``.
    """
    n_samples, n = x.shape
    order, ys, below = voter_ranks(x) if ranks is None else ranks
    ws = np.take_along_axis(w, order, axis=1)
    dist = np.abs(ys[:, :, None] - x[:, None, :])  # [s, k (sorted), j]
    if scale is not None:
        dist /= scale[:, None, None]
    if r is not None:
        dist **= np.take_along_axis(r, order, axis=1)[:, :, None]
    dist *= ws[:, :, None]
    cum = np.concatenate([np.zeros((n_samples, 1, n)), np.cumsum(dist, axis=1)], axis=1)
    del dist
    flat = cum.reshape(n_samples, (n + 1) * n)
    cols = np.arange(n)
    at_j = np.take_along_axis(flat, (below * n + cols[None, None, :]).reshape(n_samples, -1), 1)
    at_i = np.take_along_axis(flat, (below * n + cols[None, :, None]).reshape(n_samples, -1), 1)
    at_j = at_j.reshape(n_samples, n, n)
    at_i = at_i.reshape(n_samples, n, n)
    total = cum[:, n, :]
    low = at_j - at_i
    high = (total[:, None, :] - at_j) - (total[:, :, None] - at_i)
    gap = x[:, :, None] - x[:, None, :]
    out = np.where(gap < 0, low, np.where(gap > 0, high, 0.0))
    return np.maximum(out, 0.0)


def probabilities(
    x: FloatArray,
    w: FloatArray,
    variant: Variant,
    r: FloatArray | None = None,
    scale: FloatArray | None = None,
    ranks: Ranks | None = None,
) -> FloatArray:
    """Return ``P[s, i, j]``, the probability that ``i`` prevails over ``j``.

    Parameters
    ----------
    x, w
        Positions and weights ``c·s``, shape ``(S, n)``.
    variant
        ``"paper"`` (``P_i + P_j = 1``) or ``"scholz"`` (denominator over all pairs); see the
        module docstring.
    r, scale, ranks
        As for :func:`positive_votes`.

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n, n)``, 0 on the diagonal and wherever ``x_i = x_j``.
    """
    pos = positive_votes(x, w, r, scale, ranks)
    if variant == "paper":
        denom = pos + pos.transpose(0, 2, 1)
    else:
        # Σ_k Σ_{a,b} |v_k(a,b)| = 2 Σ_{a,b} pos[a,b], since v_k(a,b) = −v_k(b,a)
        denom = np.broadcast_to(2.0 * pos.sum(axis=(1, 2))[:, None, None], pos.shape)
    p = np.divide(pos, denom, out=np.zeros_like(pos), where=denom > 0)
    p[x[:, :, None] == x[:, None, :]] = 0.0
    return np.minimum(p, 1.0)


def expected_utilities(
    d: FloatArray,
    dmu: FloatArray,
    p: FloatArray,
    s: FloatArray,
    r: FloatArray,
    q: float,
    t: float,
) -> FloatArray:
    """Return ``EU[s, i, j]``, the expected utility of ``i`` challenging ``j``.

    Parameters
    ----------
    d
        ``|x_i − x_j| / R``, shape ``(S, n, n)``, in [0, 1].
    dmu
        ``|x_i − μ| / R``, shape ``(S, n)``, in [0, 1].
    p
        Probabilities ``P_i(j)``, shape ``(S, n, n)``.
    s
        Saliences, shape ``(S, n)``.
    r
        Risk exponents broadcastable to ``(S, n, n)``.
    q, t
        The status-quo parameters ``Q`` and ``T``.

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n, n)``, zero on the diagonal.
    """
    u_s = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    u_f = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    u_sq = 2.0 - 4.0 * 0.5**r
    sj = s[:, None, :]
    eu = sj * (p * u_s + (1.0 - p) * u_f) + (1.0 - sj) * u_s - q * u_sq
    if q != 1.0:
        delta = np.minimum(0.25 * (dmu[:, :, None] + d), 0.5)
        u_b = 2.0 - 4.0 * (0.5 - delta) ** r
        u_w = 2.0 - 4.0 * (0.5 + delta) ** r
        eu = eu - (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    n = d.shape[-1]
    eu[:, np.arange(n), np.arange(n)] = 0.0
    return eu


def risk_exponents(eu1: FloatArray) -> FloatArray:
    """Return ``r_i = (1 − R_i/3)/(1 + R_i/3)`` from expected utilities computed with ``r = 1``.

    Parameters
    ----------
    eu1
        ``EU[s, i, j]`` with every risk exponent 1 (zero diagonal).

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n)``, in [0.5, 2].
    """
    danger = eu1.sum(axis=1)  # D_j = Σ_{i≠j} EU_i(j)
    hi = danger.max(axis=1, keepdims=True)
    lo = danger.min(axis=1, keepdims=True)
    span = hi - lo
    big_r: FloatArray = np.divide(
        2.0 * danger - hi - lo, span, out=np.zeros_like(danger), where=span > 0
    )
    np.clip(big_r, -1.0, 1.0, out=big_r)
    out: FloatArray = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
    return out


def _choose(x: FloatArray, a_eu: FloatArray, b_eu: FloatArray, variant: Variant) -> FloatArray:
    """Return each actor's new position from the offers it receives (``a`` rows, ``b`` columns)."""
    xa = x[:, :, None]
    xb = x[:, None, :]
    differ = xa != xb
    conflict = differ & (b_eu > a_eu) & (a_eu > 0)
    stake = (b_eu > 0) & (a_eu < 0) & differ
    compromise = stake & (b_eu > np.abs(a_eu))
    capitulation = stake & (b_eu < np.abs(a_eu))
    ratio = np.divide(np.abs(a_eu), b_eu, out=np.zeros_like(a_eu), where=compromise)
    target = np.where(compromise, xa + (xb - xa) * ratio, xb)
    target = np.clip(target, np.minimum(xa, xb), np.maximum(xa, xb))
    rank = np.full(a_eu.shape, 3, dtype=np.int8)
    rank[capitulation] = 2
    rank[compromise] = 1
    rank[conflict] = 0
    key = np.abs(target - xa)
    if variant == "scholz":
        weight = np.abs(a_eu) + np.abs(b_eu)
        avg = np.divide(
            np.abs(a_eu) * xa + np.abs(b_eu) * xb, weight, out=np.zeros_like(a_eu), where=weight > 0
        )
        key = np.where(compromise, avg, key)
    best = rank.min(axis=2, keepdims=True)
    chosen = (rank == best) & (rank < 3)
    key = np.where(chosen, key, np.inf)
    chosen &= key == key.min(axis=2, keepdims=True)
    new = np.where(chosen, target, np.inf).min(axis=2)
    return np.where(np.isfinite(new), new, x)


def _step(
    y: FloatArray, w: FloatArray, s: FloatArray, variant: Variant, q: float, t: float
) -> tuple[FloatArray, FloatArray]:
    """One round on positions ``y`` in [0, 1] (the initial range is 1, or 0 if all agree)."""
    if variant == "scholz":
        big_r = (y.max(axis=1) > y.min(axis=1)).astype(np.float64)  # R0 = 1 on the unit scale
    else:
        big_r = y.max(axis=1) - y.min(axis=1)
    scale = np.where(big_r > 0, big_r, 1.0)
    d = np.minimum(np.abs(y[:, :, None] - y[:, None, :]) / scale[:, None, None], 1.0)
    mu = np.asarray(weighted_median(y, w))
    dmu = np.minimum(np.abs(y - mu[:, None]) / scale[:, None], 1.0)
    ranks = voter_ranks(y)
    p = probabilities(y, w, variant, None, scale, ranks)
    r = risk_exponents(expected_utilities(d, dmu, p, s, np.ones(1), q, t))
    if variant == "scholz":
        p = probabilities(y, w, variant, r, scale, ranks)
    a_eu = expected_utilities(d, dmu, p, s, r[:, :, None], q, t)  # EU_a(b), a's risk
    b_eu = expected_utilities(d, dmu, p, s, r[:, None, :], q, t).transpose(0, 2, 1)
    new = np.clip(_choose(y, a_eu, b_eu, variant), 0.0, 1.0)
    return new, r


def _grid(y: FloatArray) -> IntArray:
    out: IntArray = np.rint(y * GRID).astype(np.int64)
    return out


def _keys(cells: IntArray) -> npt.NDArray[np.uint64]:
    """A 64-bit key of each sample's grid cells (wrapping arithmetic; verified on a match)."""
    mult = _MULTIPLIERS[: cells.shape[1]]
    out: npt.NDArray[np.uint64] = (cells.astype(np.uint64) * mult[None, :]).sum(
        axis=1, dtype=np.uint64
    )
    return out


def memory_estimate(samples: int, actors: int, rounds: int) -> tuple[int, int]:
    """Return ``(bytes, chunk)``: the peak memory of a run and its samples per chunk.

    The working set of one round is at most :data:`_PAIR_ARRAYS` float arrays of ``n × n``
    per sample, processed ``chunk`` samples at a time; the history keeps every round's
    positions (twice: on the unit scale and on the input scale), risks and keys.
    """
    per_sample = _PAIR_ARRAYS * 8 * (actors + 1) * (actors + 1)
    chunk = max(1, min(samples, _CHUNK_BYTES // per_sample))
    history = samples * (rounds + 1) * (actors * 8 * 4 + 8 * 4)
    return chunk * per_sample + history, chunk


def simulate(
    capability: npt.ArrayLike,
    position: npt.ArrayLike,
    salience: npt.ArrayLike,
    *,
    variant: Variant = "scholz",
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    tol: float | None = None,
    stop_at_convergence: bool = False,
) -> EUMRun:
    """Run the expected-utility model.

    Parameters
    ----------
    capability, position, salience
        Shape ``(n,)`` or ``(S, n)`` (a leading Monte Carlo sample axis), finite; salience on
        0–1, capability ≥ 0 on any scale (only ratios matter).
    variant
        ``"scholz"`` or ``"paper"`` (see the module docstring).
    rounds
        Number of rounds, 0 to :data:`~zopa.forecast.numerics.MAX_ROUNDS`.
    q, t
        The probabilities ``Q`` (status quo persists) and ``T`` (it improves if it changes).
    tol
        If given (≥ 0), stop after the first round in which no position (in any sample) moves
        by more than ``tol``; the samples then count as converged.
    stop_at_convergence
        Stop as soon as every sample's positions repeat an earlier round's (a fixed point or a
        cycle; see the module docstring).

    Returns
    -------
    EUMRun
        Always with a sample axis (``S = 1`` for 1-D input).

    Raises
    ------
    ValueError
        On a bad variant, shapes, rounds, values outside their ranges, or a sample in which no
        actor has both capability and salience positive.
    ForecastLimitError
        Beyond :data:`~zopa.forecast.numerics.MAX_ACTORS` actors or when the run would need
        more memory than the process may use.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (expected one of: {', '.join(VARIANTS)})")
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)):
        raise ValueError(f"rounds: expected a whole number, got {rounds!r}")
    if not 0 <= rounds <= MAX_ROUNDS:
        raise ValueError(f"rounds: expected 0 to {MAX_ROUNDS} (the documented limit), got {rounds}")
    if not (0.0 <= q <= 1.0 and 0.0 <= t <= 1.0):
        raise ValueError("Q and T are probabilities: expected values in [0, 1]")
    if tol is not None and not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol: expected a finite number ≥ 0, got {tol}")
    c = _as_samples(capability, "capability")
    x = _as_samples(position, "position")
    s = _as_samples(salience, "salience")
    if not (c.shape == x.shape == s.shape):
        raise ValueError(
            f"shapes differ: capability {c.shape}, position {x.shape}, salience {s.shape}"
        )
    n_samples, n = x.shape
    if n > MAX_ACTORS:
        raise ForecastLimitError(
            f"{n} actors: a forecast accepts at most {MAX_ACTORS} actors (the documented limit)"
        )
    if (c < 0).any() or (s < 0).any() or (s > 1).any():
        raise ValueError("capability must be ≥ 0 and salience in [0, 1]")
    w = normalised_weights(c, s)
    dead = ~(w > 0).any(axis=1)
    if dead.any():
        raise ValueError(
            f"sample {int(np.argmax(dead))}: every actor has zero capability or zero salience "
            "(expected at least one actor with both positive)"
        )
    rounds = int(rounds)
    needed, chunk = memory_estimate(n_samples, n, rounds)
    check_memory(needed, f"this forecast ({n} actors, {n_samples} runs, {rounds} rounds)")

    y, lo, hi = unit_interval(x)
    hist = np.empty((n_samples, rounds + 1, n))
    hist[:, 0] = y
    keys = np.empty((n_samples, rounds + 1), dtype=np.uint64)
    keys[:, 0] = _keys(_grid(y))
    risks = np.empty((n_samples, rounds, n))
    repeat = np.full(n_samples, -1, dtype=np.int64)
    period = np.zeros(n_samples, dtype=np.int64)
    done = 0
    for k in range(1, rounds + 1):
        new = np.empty_like(y)
        for a in range(0, n_samples, chunk):
            part = slice(a, a + chunk)
            new[part], risks[part, k - 1] = _step(y[part], w[part], s[part], variant, q, t)
        hist[:, k] = new
        cells = _grid(new)
        keys[:, k] = _keys(cells)
        open_ = np.flatnonzero(repeat < 0)
        if open_.size:
            match = keys[open_, :k] == keys[open_, k][:, None]
            found = match.any(axis=1)
            if found.any():
                rows = open_[found]
                last = k - 1 - np.argmax(match[found, ::-1], axis=1)
                same = (_grid(hist[rows, last]) == cells[rows]).all(axis=1)
                repeat[rows[same]] = k
                period[rows[same]] = k - last[same]
        still = False
        if tol is not None:
            # compare on the input scale, halved so that a move across ±1e308 cannot overflow
            before, after = from_unit(y, lo, hi), from_unit(new, lo, hi)
            still = bool((np.abs(after * 0.5 - before * 0.5) <= tol * 0.5).all())
        y = new
        done = k
        if still:
            settled = repeat < 0
            repeat[settled] = k
            period[settled] = 1
            break
        if stop_at_convergence and (repeat >= 0).all():
            break
    hist = hist[:, : done + 1]
    risk = risks[:, :done]
    flat = hist.reshape(-1, n)
    flat_w = np.repeat(w, done + 1, axis=0)
    med_u = np.asarray(weighted_median(flat, flat_w)).reshape(n_samples, done + 1)
    mean_u = ((flat * flat_w).sum(axis=1) / flat_w.sum(axis=1)).reshape(n_samples, done + 1)
    return EUMRun(
        positions=from_unit(hist, lo, hi),
        medians=from_unit(med_u, lo, hi),
        means=from_unit(np.clip(mean_u, 0.0, 1.0), lo, hi),
        risk=risk,
        repeat=repeat,
        period=period,
    )


__all__ = [
    "GRID",
    "MAX_ACTORS",
    "MAX_ROUNDS",
    "VARIANTS",
    "EUMRun",
    "ForecastLimitError",
    "Variant",
    "expected_utilities",
    "memory_estimate",
    "positive_votes",
    "probabilities",
    "risk_exponents",
    "simulate",
    "voter_ranks",
]
