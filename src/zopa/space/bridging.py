"""Exact search for the packages closest to a reference package, without enumeration.

Branch and bound over the issues in order, choosing options in ascending order so that the first
package found among equals is the one with the smallest option indices (the tie-break the
enumeration engine uses). Two searches:

* **bridging** (some package is acceptable): rank acceptable packages by the number of issues
  changed, then by the proposers' loss. Iterative deepening on the number of changes ``D``: a
  partial package is cut when a party whose consent every package needs cannot reach its
  walk-away point even if the remaining changes (at most ``D`` minus those made) go to the issues
  that help it most — ``T_p[i][b]``, the best sum of ``b`` improvements among issues ``i..n-1``, a
  small knapsack table — or when even that optimistic completion cannot beat the ``k``-th best
  package found so far;
* **closest** (none is acceptable): rank all packages by their largest shortfall below a
  walk-away point, then changes, then loss, with the optimistic bound of every issue's best option.

Both return exactly what ranking every package would, as the tests check against enumeration.

Dominated variants
------------------
A ranked list padded with variants of one concession (salary 52→65, then 52→66, 52→67) tells
the reader nothing. :func:`undominated` drops them: with the proposal ``x⁰`` as reference,
package ``A`` is a *sub-concession* of package ``B`` when on every issue where ``A`` departs
from ``x⁰``, ``B`` departs from it *in the same direction, no further*:

* on an ordered issue (a numeric range: every option id is a number), ``A``'s value lies on the
  same side of ``x⁰``'s value as ``B``'s and no farther from it (``x⁰ < A ≤ B`` or
  ``B ≤ A < x⁰``);
* on any other issue, ``A`` takes the same option as ``B``.

So ``A`` changes a subset of ``B``'s issues, each no further than ``B`` does. ``B`` is
*dominated for the proposers* when some other listed package ``A`` is a sub-concession of it that
gives every proposer at least as much utility as ``B`` does and, when no package is acceptable,
falls short by no more. Sub-concession is a partial order, so the packages left are the
Pareto-efficient alternatives for the proposers among the minimal changes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel
from zopa.space.exact import pad_tables

IntArray = NDArray[np.int64]
_BIG = np.iinfo(np.int64).max // 4


def option_positions(options: tuple[tuple[str, ...], ...]) -> list[NDArray[np.float64] | None]:
    """Per issue, the numeric value of each option when every option id is a number, else None."""
    out: list[NDArray[np.float64] | None] = []
    for ids in options:
        try:
            out.append(np.array([float(o) for o in ids], dtype=np.float64))
        except ValueError:
            out.append(None)
    return out


def sub_concession(
    rows: NDArray[np.intp],
    reference: NDArray[np.intp],
    positions: list[NDArray[np.float64] | None],
) -> NDArray[np.bool_]:
    """``(k, k)``: ``[a, b]`` when package ``a`` is a sub-concession of package ``b``.

    See the module's definition ("same direction, no further"); every package is a
    sub-concession of itself.
    """
    rows = np.atleast_2d(rows)
    k = rows.shape[0]
    out = np.ones((k, k), dtype=bool)
    for i, pos in enumerate(positions):
        a = rows[:, i][:, None]
        b = rows[:, i][None, :]
        ref = reference[i]
        if pos is None:
            ok = (a == ref) | (a == b)
        else:
            da = pos[rows[:, i]][:, None] - pos[ref]
            db = pos[rows[:, i]][None, :] - pos[ref]
            ok = (da == 0) | ((np.sign(da) == np.sign(db)) & (np.abs(da) <= np.abs(db)))
        out &= ok
    return out


def undominated(
    rows: NDArray[np.intp],
    reference: NDArray[np.intp],
    positions: list[NDArray[np.float64] | None],
    proposer_utilities: IntArray,
    shortfall: IntArray | None = None,
) -> NDArray[np.bool_]:
    """Mask of the packages no other package dominates for the proposers.

    Parameters
    ----------
    rows
        ``(k, n_issues)`` option indices.
    reference
        The proposal's option indices.
    positions
        :func:`option_positions` of the space.
    proposer_utilities
        ``(k, n_proposers)`` integer utilities of the proposers (may have no columns).
    shortfall
        ``(k,)`` largest shortfall below a walk-away point, when no package is acceptable.
    """
    rows = np.atleast_2d(rows)
    k = rows.shape[0]
    if k == 0:
        return np.zeros(0, dtype=bool)
    better = sub_concession(rows, reference, positions)
    u = np.asarray(proposer_utilities).reshape(k, -1)
    better &= (u[:, None, :] >= u[None, :, :]).all(axis=2)
    if shortfall is not None:
        better &= shortfall[:, None] <= shortfall[None, :]
    same = (rows[:, None, :] == rows[None, :, :]).all(axis=2)
    better &= ~same
    return np.asarray(~better.any(axis=0))


@kernel
def _search(  # pragma: no cover - numba
    contrib: IntArray,  # (n, P, kmax)
    n_options: IntArray,  # (n,)
    masks: IntArray,  # (n, kmax) consent bitmask per option
    core: int,  # bitmask of parties needed by every package
    reference: IntArray,  # (n,)
    reservation: IntArray,  # (P,)
    proposers: IntArray,  # (P,) 1 for proposers
    k: int,
    budget: int,  # max changes (bridging mode)
    mode: int,  # 0 bridging, 1 closest (shortfall first)
    suffix_ref: IntArray,  # (n + 1, P): sum over issues >= i of the reference option's contribution
    suffix_best: IntArray,  # (n + 1, P): sum over issues >= i of the best option's contribution
    table: IntArray,  # (n + 1, budget + 1, P): best sum of <= b improvements in issues >= i
    keys: IntArray,  # (k, 3) out: ranking keys of the best packages, sorted
    rows: IntArray,  # (k, n) out: their option indices
) -> int:
    n = contrib.shape[0]
    p_count = contrib.shape[1]
    found = 0
    u_ref = suffix_ref[0]
    choice = np.full(n, -1, dtype=np.int64)
    partial = np.zeros((n + 1, p_count), dtype=np.int64)
    changes = np.zeros(n + 1, dtype=np.int64)
    mask = np.zeros(n + 1, dtype=np.int64)
    mask[0] = core
    depth = 0
    while depth >= 0:
        # advance the option at this depth
        choice[depth] += 1
        if choice[depth] >= n_options[depth]:
            choice[depth] = -1
            depth -= 1
            continue
        o = choice[depth]
        ch = changes[depth] + (1 if o != reference[depth] else 0)
        if mode == 0 and ch > budget:
            continue
        for p in range(p_count):
            partial[depth + 1, p] = partial[depth, p] + contrib[depth, p, o]
        changes[depth + 1] = ch
        mask[depth + 1] = mask[depth] | masks[depth, o]
        nxt = depth + 1
        # bounds on any completion
        left = budget - ch
        feasible = True
        shortfall_lb = 0
        loss_lb = -_BIG
        any_proposer = False
        for p in range(p_count):
            if mode == 0:
                best = partial[nxt, p] + suffix_ref[nxt, p] + table[nxt, left, p]
            else:
                best = partial[nxt, p] + suffix_best[nxt, p]
            if (core >> p) & 1:
                if mode == 0 and best < reservation[p]:
                    feasible = False
                    break
                if reservation[p] - best > shortfall_lb:
                    shortfall_lb = reservation[p] - best
            if proposers[p] == 1:
                any_proposer = True
                if u_ref[p] - best > loss_lb:
                    loss_lb = u_ref[p] - best
        if not feasible:
            continue
        if not any_proposer:
            loss_lb = 0
        if found == k:
            if mode == 0:
                worse = (ch, loss_lb) >= (keys[k - 1, 0], keys[k - 1, 1])
            else:
                worse = (shortfall_lb, ch, loss_lb) >= (
                    keys[k - 1, 0],
                    keys[k - 1, 1],
                    keys[k - 1, 2],
                )
            if worse:
                continue
        if nxt < n:
            depth = nxt
            continue
        # a complete package: evaluate it exactly
        shortfall = 0
        loss = 0
        first = True
        for p in range(p_count):
            u = partial[n, p]
            if (mask[n] >> p) & 1 and reservation[p] - u > shortfall:
                shortfall = reservation[p] - u
            if proposers[p] == 1:
                if first or u_ref[p] - u > loss:
                    loss = u_ref[p] - u
                first = False
        if mode == 0:
            if shortfall > 0:
                continue
            key0, key1, key2 = ch, loss, 0
        else:
            key0, key1, key2 = shortfall, ch, loss
        if found == k and (key0, key1, key2) >= (keys[k - 1, 0], keys[k - 1, 1], keys[k - 1, 2]):
            continue
        # insert keeping keys sorted; equal keys keep the earlier (lexicographically smaller) row
        pos = found if found < k else k - 1
        while pos > 0 and (key0, key1, key2) < (
            keys[pos - 1, 0],
            keys[pos - 1, 1],
            keys[pos - 1, 2],
        ):
            if pos < k:
                keys[pos] = keys[pos - 1]
                rows[pos] = rows[pos - 1]
            pos -= 1
        keys[pos, 0] = key0
        keys[pos, 1] = key1
        keys[pos, 2] = key2
        for i in range(n):
            rows[pos, i] = choice[i]
        if found < k:
            found += 1
    return found


def _improvement_table(gains: IntArray, max_budget: int) -> IntArray:
    """``T[i, b, p]``: the best sum of at most ``b`` of party p's gains among issues ``i..n-1``."""
    n, p = gains.shape
    table = np.zeros((n + 1, max_budget + 1, p), dtype=np.int64)
    for i in range(n - 1, -1, -1):
        table[i] = table[i + 1]
        table[i, 1:] = np.maximum(table[i + 1, 1:], table[i + 1, :-1] + gains[i][None, :])
    return table


def closest_packages(
    contributions: list[IntArray],
    masks: list[IntArray],
    core: int,
    reference: NDArray[np.intp],
    reservation: IntArray,
    proposers: NDArray[np.bool_],
    k: int,
    *,
    acceptable_exists: bool,
) -> tuple[NDArray[np.intp], IntArray]:
    """Return the ``k`` best packages and their keys, as ranking every package would.

    Parameters
    ----------
    contributions
        Per issue, ``(P, n_options)`` integer utility contributions.
    masks
        Per issue, ``(n_options,)`` bitmask of the parties whose consent each option needs.
    core
        Bitmask of the parties whose consent every package needs.
    reference
        The reference package (option indices).
    reservation
        ``(P,)`` integer walk-away points.
    proposers
        ``(P,)`` mask of the parties whose loss is minimised.
    k
        How many packages.
    acceptable_exists
        Whether some package is acceptable (bridging search) or not (closest search).

    Returns
    -------
    rows, keys
        ``(m, n)`` option indices and ``(m, 3)`` keys — (changes, loss, 0) for bridging, or
        (shortfall, changes, loss) — best first, ``m <= k``.
    """
    n = len(contributions)
    p = contributions[0].shape[0]
    contrib, mask_table, n_options = pad_tables(contributions, masks)
    ref = np.asarray(reference, dtype=np.int64)
    at_ref = np.stack([c[:, ref[i]] for i, c in enumerate(contributions)])  # (n, P)
    best = np.stack([c.max(axis=1) for c in contributions])  # (n, P)
    suffix_ref = np.zeros((n + 1, p), dtype=np.int64)
    suffix_best = np.zeros((n + 1, p), dtype=np.int64)
    suffix_ref[:n] = np.cumsum(at_ref[::-1], axis=0)[::-1]
    suffix_best[:n] = np.cumsum(best[::-1], axis=0)[::-1]
    keys = np.zeros((k, 3), dtype=np.int64)
    rows = np.zeros((k, n), dtype=np.int64)
    prop = proposers.astype(np.int64)
    problem = (contrib, n_options, mask_table, core, ref, reservation, prop, k)

    def search(budget: int, mode: int, table: IntArray) -> int:
        return int(_search(*problem, budget, mode, suffix_ref, suffix_best, table, keys, rows))

    if not acceptable_exists:
        found = search(n, 1, np.zeros((n + 1, 1, p), dtype=np.int64))
        return rows[:found].astype(np.intp), keys[:found]
    table = _improvement_table(best - at_ref, n)
    for budget in range(n + 1):
        found = search(budget, 0, table)
        if found == k or budget == n:
            break
    return rows[:found].astype(np.intp), keys[:found]
