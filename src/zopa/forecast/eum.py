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
   ``v_k(i, j) = c_k s_k (|x_k − x_j| − |x_k − x_i|) / R`` (Bueno de Mesquita 1994, eq. 1, with
   linear utilities; ``R`` cancels in both variants below). The probability that ``i`` prevails
   over ``j``:

   * ``paper``: ``P_i(j) = Σ_{k: v_k>0} v_k(i, j) / Σ_k |v_k(i, j)|``, so ``P_i + P_j = 1``
     (Bueno de Mesquita 1994, eq. 2, read literally);
   * ``scholz``: the same numerator over ``Σ_k Σ_{a,b} |v_k(a, b)|``, the absolute votes summed
     over *all* pairs of actors (Scholz et al. 2011 report their code does this; the public
     replication jmckib/bdm-scholz-expected-utility-model does the same). Probabilities are then
     small, which in practice stops actors from confronting one another at every round.

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
   al. 2011 set Q = 1) and ``T = 1.0``. With ``Q = 1`` the last term vanishes and ``T`` has no
   effect; ``T = 1.0`` is our choice (no sourced value found; it makes ``Q < 1`` mean "if the
   status quo changes, it changes in i's favour"), so set ``T`` explicitly whenever ``Q < 1``.

4. **Risk.** Utilities are first evaluated with ``r = 1`` for everyone. Actor ``i``'s exposure is
   ``D_i = Σ_{j≠i} EU_j(i)`` (what the others expect from challenging ``i``), normalised over
   the actors to ``R_i = (2 D_i − max D − min D) / (max D − min D)`` ∈ [−1, 1] (Scholz et al.
   2011, who normalise across actors; Bueno de Mesquita 1985 normalises over the positions an
   actor could take), and ``r_i = (1 − R_i/3) / (1 + R_i/3)`` ∈ [0.5, 2]. All actors get
   ``r = 1`` when all ``D_i`` are equal. Risk is recomputed at every round.

5. **Offers.** Actor ``a`` weighs an offer from ``b`` (``x_a ≠ x_b``) with both expected
   utilities computed with ``a``'s own risk exponent ``r_a`` (the perceiver's view, as in Scholz
   et al.'s code and the jmckib replication): ``A = EU_a(b)``, ``B = EU_b(a)``.

   * conflict (confrontation): ``B > A > 0`` — ``a`` expects to lose: it moves to ``x_b``;
   * compromise: ``B > 0 > A`` and ``B > |A|`` — ``a`` moves to ``x_a + (x_b − x_a)|A / B|``
     (Scholz et al. 2011; the fraction ``|A/B|`` of the way, the mover's stake over the
     proposer's, which is < 1 so the move stays between the two positions);
   * capitulation: ``B > 0 > A`` and ``B < |A|`` — ``a`` moves to ``x_b``;
   * stalemate: anything else — no offer.

   (The jmckib replication tests capitulation with ``B < |B|``, which never holds; here the
   condition is the one stated in Scholz et al.'s table of outcomes.)

6. **Choice and move.** Every actor picks one offer — a conflict offer if it has any, else a
   compromise, else a capitulation — and all actors move at once (Scholz et al. 2011). Within a
   type the offer requiring the least movement is chosen (Bueno de Mesquita 1994; variant
   ``paper``), except that in variant ``scholz`` a compromise is chosen by the smallest
   expected-utility-weighted average position ``(|A| x_a + |B| x_b) / (|A| + |B|)`` ("among
   compromise offers the one with the smallest expected-utility-weighted average position", as in
   Scholz et al.'s code, per the jmckib replication). Remaining ties go to the lower new position,
   so results do not depend on the order of the actors.

Range
    ``scholz``: ``R`` is the range of the *initial* positions, fixed for all rounds (Scholz et
    al.'s code and the jmckib replication). ``paper``: ``R`` is the range of the current
    positions at each round (our reading of the printed equations, which normalise by the range
    of the positions in the data; an interpretation, not a sourced choice). When ``R = 0`` nobody
    moves.

Since every move goes to another actor's position or between two positions, positions never leave
the initial range.

Rounds
    A fixed number of rounds (default 10, enough for the examples of Scholz et al. 2011 to
    settle); with ``tol`` the run stops after the first round in which no actor (in any sample)
    moves by more than ``tol``.

Vectorisation
    All pairwise quantities are ``(S, n, n)`` arrays (a leading Monte Carlo sample axis ``S``); the
    vote totals are computed from sorted prefix sums in ``O(S n² log n)`` (see
    :func:`positive_votes`). No Python loop runs over pairs or samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast.baselines import weighted_mean, weighted_median

FloatArray = npt.NDArray[np.float64]
Variant = Literal["scholz", "paper"]
VARIANTS: tuple[Variant, ...] = ("scholz", "paper")


@dataclass(frozen=True)
class EUMRun:
    """Positions round by round.

    Attributes
    ----------
    positions
        Shape ``(S, rounds + 1, n)``: round 0 is the input.
    medians, means
        Shape ``(S, rounds + 1)``: weighted median and mean of each round's positions.
    risk
        Shape ``(S, rounds, n)``: the risk exponents ``r_i`` used in each round.
    """

    positions: FloatArray
    medians: FloatArray
    means: FloatArray
    risk: FloatArray


def _as_samples(a: npt.ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name}: expected shape (n,) or (S, n) with n ≥ 1, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: values must be finite")
    return arr


def positive_votes(x: FloatArray, w: FloatArray) -> FloatArray:
    """Return ``V[s, i, j] = Σ_k max(0, w_k (|x_k − x_j| − |x_k − x_i|))`` (votes for i over j).

    Computed in ``O(S n² log n)`` without forming the ``n³`` individual votes: for ``x_i < x_j``
    voter ``k`` favours ``i`` iff ``x_k < m = (x_i + x_j)/2`` and then gives
    ``w_k (x_i + x_j − 2 x_k)`` if ``x_k > x_i`` or ``w_k (x_j − x_i)`` if ``x_k ≤ x_i``, so

        V = (x_i + x_j) W(<m) − 2 WX(<m) − 2 Σ_k w_k max(0, x_i − x_k)

    with ``W``, ``WX`` prefix sums of ``w`` and ``w·x`` over the voters sorted by position (and
    symmetrically for ``x_i > x_j``). Voters exactly at ``m`` contribute 0, so ties in the
    batched rank search cannot change the result.

    Parameters
    ----------
    x, w
        Positions and weights ``c·s``, shape ``(S, n)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n, n)``; not divided by the range ``R`` (it cancels in every probability).
    """
    n_samples, n = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    ys = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    zero = np.zeros((n_samples, 1))
    cw = np.concatenate([zero, np.cumsum(ws, axis=1)], axis=1)  # W of the first k voters
    cwx = np.concatenate([zero, np.cumsum(ws * ys, axis=1)], axis=1)
    twice_m = (x[:, :, None] + x[:, None, :]).reshape(n_samples, n * n)
    # batched rank search: how many voters have 2 x_k ≤ x_i + x_j (voters sort first on ties)
    keys = np.concatenate([2.0 * ys, twice_m], axis=1)
    srt = np.argsort(keys, axis=1, kind="stable")
    count = np.cumsum(srt < n, axis=1)
    rank = np.empty_like(srt)
    np.put_along_axis(rank, srt, np.arange(keys.shape[1])[None, :], axis=1)
    below = np.take_along_axis(count, rank[:, n:], axis=1)
    w_le = np.take_along_axis(cw, below, axis=1).reshape(n_samples, n, n)
    wx_le = np.take_along_axis(cwx, below, axis=1).reshape(n_samples, n, n)
    gap = x[:, :, None] - x[:, None, :]  # [s, i, k] = x_i − x_k
    left = (w[:, None, :] * np.maximum(gap, 0.0)).sum(axis=2)[:, :, None]  # Σ w_k (x_i − x_k)+
    right = (w[:, None, :] * np.maximum(-gap, 0.0)).sum(axis=2)[:, :, None]
    pair = twice_m.reshape(n_samples, n, n)
    low = pair * w_le - 2.0 * wx_le - 2.0 * left  # x_i < x_j
    tw = cw[:, -1][:, None, None]
    twx = cwx[:, -1][:, None, None]
    high = 2.0 * (twx - wx_le) - pair * (tw - w_le) - 2.0 * right  # x_i > x_j
    out = np.where(gap < 0, low, np.where(gap > 0, high, 0.0))
    return np.maximum(out, 0.0)


def probabilities(x: FloatArray, w: FloatArray, variant: Variant) -> FloatArray:
    """Return ``P[s, i, j]``, the probability that ``i`` prevails over ``j``.

    Parameters
    ----------
    x, w
        Positions and weights ``c·s``, shape ``(S, n)``.
    variant
        ``"paper"`` (``P_i + P_j = 1``) or ``"scholz"`` (denominator over all pairs); see the
        module docstring.

    Returns
    -------
    numpy.ndarray
        Shape ``(S, n, n)``, 0 on the diagonal and wherever ``x_i = x_j``.
    """
    pos = positive_votes(x, w)
    if variant == "paper":
        denom = pos + pos.transpose(0, 2, 1)
    else:
        # Σ_k Σ_{a,b} |v_k(a,b)| = 2 Σ_{a,b} pos[a,b], since v_k(a,b) = −v_k(b,a)
        denom = np.broadcast_to(2.0 * pos.sum(axis=(1, 2))[:, None, None], pos.shape)
    p = np.divide(pos, denom, out=np.zeros_like(pos), where=denom > 0)
    p[x[:, :, None] == x[:, None, :]] = 0.0
    return p


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
        ``|x_i − x_j| / R``, shape ``(S, n, n)``.
    dmu
        ``|x_i − μ| / R``, shape ``(S, n)``.
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
) -> EUMRun:
    """Run the expected-utility model.

    Parameters
    ----------
    capability, position, salience
        Shape ``(n,)`` or ``(S, n)`` (a leading Monte Carlo sample axis); salience on 0–1,
        capability ≥ 0.
    variant
        ``"scholz"`` or ``"paper"`` (see the module docstring).
    rounds
        Number of rounds (≥ 0).
    q, t
        The probabilities ``Q`` (status quo persists) and ``T`` (it improves if it changes).
    tol
        If given, stop after the first round in which no position (in any sample) moves by more
        than ``tol``.

    Returns
    -------
    EUMRun
        Always with a sample axis (``S = 1`` for 1-D input).

    Raises
    ------
    ValueError
        On a bad variant, shapes, negative rounds, or values outside their ranges.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (expected one of: {', '.join(VARIANTS)})")
    if rounds < 0:
        raise ValueError("rounds must be ≥ 0")
    if not (0.0 <= q <= 1.0 and 0.0 <= t <= 1.0):
        raise ValueError("Q and T are probabilities: expected values in [0, 1]")
    c = _as_samples(capability, "capability")
    x = _as_samples(position, "position").copy()
    s = _as_samples(salience, "salience")
    if not (c.shape == x.shape == s.shape):
        raise ValueError(
            f"shapes differ: capability {c.shape}, position {x.shape}, salience {s.shape}"
        )
    if (c < 0).any() or (s < 0).any() or (s > 1).any():
        raise ValueError("capability must be ≥ 0 and salience in [0, 1]")
    w = c * s
    range0 = x.max(axis=1) - x.min(axis=1)
    history = [x.copy()]
    risks: list[FloatArray] = []
    for _ in range(rounds):
        big_r = range0 if variant == "scholz" else x.max(axis=1) - x.min(axis=1)
        scale = np.where(big_r > 0, big_r, 1.0)
        d = np.abs(x[:, :, None] - x[:, None, :]) / scale[:, None, None]
        mu = np.asarray(weighted_median(x, w))
        dmu = np.abs(x - mu[:, None]) / scale[:, None]
        p = probabilities(x, w, variant)
        r = risk_exponents(expected_utilities(d, dmu, p, s, np.ones(1), q, t))
        a_eu = expected_utilities(d, dmu, p, s, r[:, :, None], q, t)  # EU_a(b), a's risk
        b_eu = expected_utilities(d, dmu, p, s, r[:, None, :], q, t).transpose(0, 2, 1)
        new = _choose(x, a_eu, b_eu, variant)
        moved = np.abs(new - x).max() if new.size else 0.0
        x = new
        history.append(x.copy())
        risks.append(r)
        if tol is not None and moved <= tol:
            break
    positions = np.stack(history, axis=1)
    n_samples, n_rounds, n = positions.shape
    flat = positions.reshape(-1, n)
    flat_w = np.repeat(w, n_rounds, axis=0)
    medians = np.asarray(weighted_median(flat, flat_w)).reshape(n_samples, n_rounds)
    means = np.asarray(weighted_mean(flat, flat_w)).reshape(n_samples, n_rounds)
    risk = np.stack(risks, axis=1) if risks else np.zeros((n_samples, 0, n))
    return EUMRun(positions=positions, medians=medians, means=means, risk=risk)
