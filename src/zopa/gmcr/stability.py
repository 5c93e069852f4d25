"""Stability analysis of a graph model: Nash (R), GMR, SMR and SEQ for every state and DM.

Definitions (Fang, Hipel & Kilgour 1993, *Interactive Decision Making: The Graph Model for
Conflict Resolution*, ch. 3–4; Kilgour, Hipel & Fang 1987, "The graph model for conflicts",
Automatica 23(1)), for a decision maker ``i`` at state ``s``, with ``R_i(s)`` its unilateral moves
and ``R_i⁺(s)`` its unilateral improvements:

* **Nash (R)**: ``R_i⁺(s) = ∅``.
* **GMR**: every ``s1 ∈ R_i⁺(s)`` can be sanctioned: some ``s2 ∈ R_{N−i}(s1)`` has ``P_i(s2) ≤ P_i(s)``.
* **SMR**: as GMR, and moreover ``i`` cannot escape the sanction: ``P_i(s3) ≤ P_i(s)`` for every
  ``s3 ∈ R_i(s2)``.
* **SEQ**: as GMR, with the sanction reached by opponents' *unilateral improvements* only.

``R_{N−i}(s1)`` is the formal coalition reachable list: every state reached by a non-empty
sequence of unilateral moves by members of ``N − i`` in which no decision maker moves twice in a
row (Fang et al. 1993, Def. 4.6; not GMCR+'s "each opponent moves at most once").

Method: work on the state array, never on state-by-state matrices. A decision maker's moves
stay inside its *sub-cube* (the states that agree with ``s`` outside its options); with
decision makers controlling contiguous blocks of options, the sub-cubes are one axis of the
state array reshaped to ``(high, 2**m, low)``. Minima over moves are then a reduction along that
axis (smallest and second smallest, to exclude the state itself); minima over *improving*
moves are a gather in payoff order, a running minimum and a scatter. The sanction reach of the
opponents is a minimum-propagation with a last-mover rule: ``g_j(x)``, the least payoff to
``i`` reachable from ``x`` by a legal sequence whose first mover is ``j``, satisfies
``g_j(x) = min_{z ∈ R_j(x)} min(P(z), min_{k ≠ j} g_k(z))``, iterated until nothing changes.
Decision makers with irreversible options use a compiled per-sub-cube kernel instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, cast

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import kernel

CONCEPTS = ("R", "GMR", "SMR", "SEQ")
INF = np.int32(np.iinfo(np.int32).max)
NEG = np.int32(np.iinfo(np.int32).min)

I32 = NDArray[np.int32]
Bools = NDArray[np.bool_]

CHUNK = 1 << 18
"""Elements per chunk of the state array: the engine's temporaries are chunk-sized, so that its
peak memory is its results plus a few bytes per state, not several full-size intermediates."""


def _chunks(shape: tuple[int, int, int]) -> list[tuple[slice, slice]]:
    """Slices ``(high, low)`` that cut a ``(high, f, low)`` view into chunks of whole sub-cubes."""
    high, f, low = shape
    step_low = low if f * low <= CHUNK else max(1, CHUNK // f)
    step_high = max(1, CHUNK // (f * step_low))
    return [
        (slice(a, a + step_high), slice(b, b + step_low))
        for a in range(0, high, step_high)
        for b in range(0, low, step_low)
    ]


class Game(Protocol):
    """What the engine reads from a compiled graph model (:class:`zopa.gmcr.compile.CompiledGame`)."""

    @property
    def dms(self) -> tuple[str, ...]:
        """Decision-maker ids."""
        ...

    @property
    def blocks(self) -> tuple[tuple[int, int], ...]:
        """Per decision maker, its first option and number of options."""
        ...

    @property
    def feasible(self) -> NDArray[np.bool_]:
        """Feasibility by state code."""
        ...

    @property
    def payoff(self) -> NDArray[np.int64]:
        """``(n_dms, 2**n)`` payoffs (higher is better)."""
        ...

    @property
    def direction(self) -> NDArray[np.int8]:
        """Per option: 0 reversible, 1 forward only, 2 backward only."""
        ...

    @property
    def n_options(self) -> int:
        """Number of options."""
        ...


def dense_ranks(payoff: NDArray[np.int64], feasible: Bools) -> I32:
    """Order-preserving int32 payoffs, to halve memory.

    The values themselves when they fit in ``[0, 2**31 − 1)``, else dense ranks (0 = least
    preferred) of the feasible states.
    """
    values = payoff[feasible]
    if values.size and values.min() >= 0 and values.max() < INF:
        out = np.empty(payoff.shape, dtype=np.int32)
        for a in range(0, payoff.size, CHUNK):  # chunked: no full-size int64 temporary
            out[a : a + CHUNK] = np.where(feasible[a : a + CHUNK], payoff[a : a + CHUNK], 0)
        return out
    out = np.zeros(payoff.shape, dtype=np.int32)
    out[feasible] = np.unique(values, return_inverse=True)[1].reshape(-1).astype(np.int32)
    return out


# -- moves of one decision maker ---------------------------------------------------------------


@dataclass
class _PayoffOrder:
    """A decision maker's sub-cubes sorted once by its payoff, best first.

    Stored sub-cube by sub-cube in the transposed layout ``(high, low, f)``, where each
    sub-cube's ``f`` states are contiguous: ``local`` gives, per sub-cube, its states' positions in
    decreasing payoff; ``new_group`` marks the first of each run of equal payoff.
    """

    local: NDArray[np.int16] | NDArray[np.int32]
    new_group: NDArray[np.bool_]


@kernel
def _improving_kernel(  # pragma: no cover - numba
    values: I32,
    local: NDArray[np.int16] | NDArray[np.int32],
    new_group: NDArray[np.bool_],
    f: int,
    maximum: bool,
    out: I32,
) -> None:
    fill = np.int32(-2147483648) if maximum else np.int32(2147483647)
    n = values.shape[0]
    for base in range(0, n, f):
        running = fill  # extreme over the entries of strictly better payoff
        pending = fill  # extreme over the current tie group
        for pos in range(base, base + f):
            if new_group[pos]:
                running = max(running, pending) if maximum else min(running, pending)
                pending = fill
            at = base + local[pos]
            out[at] = running
            v = values[at]
            pending = max(pending, v) if maximum else min(pending, v)


@dataclass
class Mover:
    """The unilateral moves of one decision maker over the whole state array."""

    start: int
    count: int
    n: int
    feasible: Bools
    forward: int  # bitmask (full code) of the DM's forward-only options
    backward: int  # bitmask of its backward-only options
    payoff: I32  # the DM's own payoff ranks: its improvements are measured by them
    _order: _PayoffOrder | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, int, int]:
        """The state array viewed as ``(high, sub-cube, low)``."""
        return (1 << (self.n - self.start - self.count), 1 << self.count, 1 << self.start)

    @cached_property
    def all_feasible(self) -> bool:
        """Whether every state is feasible."""
        return bool(self.feasible.all())

    @property
    def regular(self) -> bool:
        """Whether every feasible state of a sub-cube is one move from every other."""
        return self.forward == 0 and self.backward == 0

    def extreme(self, values: I32, *, maximum: bool, out: I32 | None = None) -> I32:
        """Min (or max) of ``values`` over ``R(x)`` for every ``x``; INF (NEG) where there is none.

        Written into ``out`` when given (it may be ``values`` itself: each chunk is read before
        it is written) and the moves are regular; use the returned array.
        """
        fill = NEG if maximum else INF
        if not self.regular:
            v = np.where(self.feasible, values, fill).astype(np.int32, copy=False)
            return _restricted(
                v, None, self.start, self.count, self.forward, self.backward, maximum
            )
        if out is None:
            out = np.empty(values.shape, dtype=np.int32)
        out_view = out.reshape(self.shape)
        for hs, ls, view in self._chunk_views(values, fill):
            # best over the sub-cube, and the best over the others where x is the unique best
            first = view.max(axis=1, keepdims=True) if maximum else view.min(axis=1, keepdims=True)
            is_first = view == first
            unique = is_first.sum(axis=1, keepdims=True) == 1
            rest = np.where(is_first, fill, view)
            second = rest.max(axis=1, keepdims=True) if maximum else rest.min(axis=1, keepdims=True)
            out_view[hs, :, ls] = np.where(is_first & unique, second, first)
        return out

    def _chunk_views(
        self, values: I32, fill: np.int32
    ) -> Iterator[tuple[slice, slice, NDArray[Any]]]:
        """Per chunk of sub-cubes, its slices and its values, ``fill`` at infeasible states.

        A chunk is read when it is yielded, before the caller writes its result for it, so the
        caller may write into ``values`` itself.
        """
        values_view = values.reshape(self.shape)
        feasible_view = self.feasible.reshape(self.shape)
        for hs, ls in _chunks(self.shape):
            view = values_view[hs, :, ls]
            if not self.all_feasible:
                view = np.where(feasible_view[hs, :, ls], view, fill)
            yield hs, ls, view

    def _transposed(self, values: I32) -> I32:
        """``values`` in the layout ``(high, low, f)``: each sub-cube contiguous."""
        return np.ascontiguousarray(values.reshape(self.shape).transpose(0, 2, 1)).reshape(-1)

    def _untransposed(self, values: I32) -> I32:
        high, f, low = self.shape
        return np.ascontiguousarray(values.reshape(high, low, f).transpose(0, 2, 1)).reshape(-1)

    def _sorted(self) -> _PayoffOrder:
        if self._order is None:
            high, f, low = self.shape
            dtype = np.int16 if f <= 1 << 15 else np.int32
            local = np.empty((high, low, f), dtype=dtype)
            new_group = np.empty((high, low, f), dtype=bool)
            payoff_view = self.payoff.reshape(self.shape)
            feasible_view = self.feasible.reshape(self.shape)
            for hs, ls in _chunks(self.shape):
                pay = np.where(feasible_view[hs, :, ls], payoff_view[hs, :, ls], NEG)
                pay = pay.astype(np.int64).transpose(0, 2, 1)  # (high, low, f)
                order = np.argsort(-pay, axis=2, kind="stable")
                p_sorted = np.take_along_axis(pay, order, axis=2)
                local[hs, ls] = order
                new_group[hs, ls, 0] = True
                new_group[hs, ls, 1:] = p_sorted[:, :, 1:] != p_sorted[:, :, :-1]
            self._order = _PayoffOrder(local=local.reshape(-1), new_group=new_group.reshape(-1))
        return self._order

    def improving_extreme(self, values: I32, *, maximum: bool, out: I32 | None = None) -> I32:
        """Min (or max) of ``values`` over the mover's improvements (its payoff strictly rises).

        Each sub-cube is sorted once by the mover's payoff (cached); then, with the state array
        transposed so that each sub-cube is contiguous, one pass gathers the values in that
        order, keeps a running extreme over strictly better entries (tie groups excluded) and
        scatters it back. ``out`` as for :meth:`extreme`.
        """
        fill = NEG if maximum else INF
        if not self.regular:
            v = np.where(self.feasible, values, fill).astype(np.int32, copy=False)
            return _restricted(
                v, self.payoff, self.start, self.count, self.forward, self.backward, maximum
            )
        order = self._sorted()
        high, f, low = self.shape
        local = order.local.reshape(high, low, f)
        new_group = order.new_group.reshape(high, low, f)
        if out is None:
            out = np.empty(values.shape, dtype=np.int32)
        out_view = out.reshape(self.shape)
        for hs, ls, view in self._chunk_views(values, fill):
            v_t = np.ascontiguousarray(view.transpose(0, 2, 1), dtype=np.int32)
            chunk = np.empty_like(v_t)
            positions = cast(
                "NDArray[np.int16] | NDArray[np.int32]",
                np.ascontiguousarray(local[hs, ls]).reshape(-1),
            )
            _improving_kernel(
                v_t.reshape(-1),
                positions,
                np.ascontiguousarray(new_group[hs, ls]).reshape(-1),
                f,
                maximum,
                chunk.reshape(-1),
            )
            out_view[hs, :, ls] = chunk.transpose(0, 2, 1)
        return out


@kernel
def _restricted_kernel(  # pragma: no cover - numba
    values: I32,
    payoff: I32,
    use_payoff: bool,
    start: int,
    count: int,
    forward: int,
    backward: int,
    maximum: bool,
    out: I32,
) -> None:
    n_states = values.shape[0]
    f = 1 << count
    block = (f - 1) << start
    fill = np.int32(-2147483648) if maximum else np.int32(2147483647)
    for x in range(n_states):
        base = x & ~block
        best = fill
        for t in range(f):
            z = base | (t << start)
            if z == x:
                continue
            # forward-only options may not be dropped, backward-only ones not taken
            if (x & forward) & ~z:
                continue
            if (z & backward) & ~x:
                continue
            if use_payoff and payoff[z] <= payoff[x]:
                continue
            v = values[z]
            if maximum:
                if v > best:
                    best = v
            elif v < best:
                best = v
        out[x] = best


def _restricted(
    values: I32,
    payoff: I32 | None,
    start: int,
    count: int,
    forward: int,
    backward: int,
    maximum: bool,
) -> I32:
    out = np.empty_like(values)
    pay = payoff if payoff is not None else values
    _restricted_kernel(
        values, pay, payoff is not None, start, count, forward, backward, maximum, out
    )
    return out


def movers(game: Game, ranks: I32) -> list[Mover]:
    """The move structure of every decision maker, with its payoff ranks."""
    out: list[Mover] = []
    for start, count in game.blocks:
        forward, backward = irreversible_masks(game, start, count)
        out.append(
            Mover(start, count, game.n_options, game.feasible, forward, backward, ranks[len(out)])
        )
    return out


def irreversible_masks(game: Game, start: int, count: int) -> tuple[int, int]:
    """Bitmasks of a block's forward-only and backward-only options."""
    forward = backward = 0
    for k in range(start, start + count):
        if game.direction[k] == 1:
            forward |= 1 << k
        elif game.direction[k] == 2:
            backward |= 1 << k
    return forward, backward


# -- sanctions ---------------------------------------------------------------------------------


def sanction_minimum(
    moves: list[Mover], opponents: list[int], target: I32, *, improving: bool
) -> I32:
    """Least ``target`` value over the coalition reachable list of ``opponents`` from each state.

    Parameters
    ----------
    moves
        Every decision maker's moves.
    opponents
        The coalition (indices of decision makers).
    target
        The value to minimise (the focal DM's payoff rank, or a derived value).
    improving
        Whether only unilateral improvements of the mover count (for SEQ).

    Returns
    -------
    numpy.ndarray
        INF where no opponent can move.
    """
    if len(opponents) == 1:  # a lone opponent: its moves from the state, nothing to propagate
        mover = moves[opponents[0]]
        if improving:
            return mover.improving_extreme(target, maximum=False)
        return mover.extreme(target, maximum=False)
    regular = all(moves[j].regular for j in opponents)
    if not improving and len(opponents) >= 2 and regular and moves[opponents[0]].feasible.all():
        return _joint_cube_minimum(moves, opponents, target)
    g = {j: np.full(target.shape, INF, dtype=np.int32) for j in opponents}
    changed = True
    while changed:
        changed = False
        for j in opponents:
            h = target.copy()
            for k in opponents:
                if k != j:
                    np.minimum(h, g[k], out=h)
            if improving:
                new = moves[j].improving_extreme(h, maximum=False)
            else:
                new = moves[j].extreme(h, maximum=False)
            if not np.array_equal(new, g[j]):
                g[j] = new
                changed = True
    out = np.full(target.shape, INF, dtype=np.int32)
    for j in opponents:
        np.minimum(out, g[j], out=out)
    return out


def _joint_cube_minimum(moves: list[Mover], opponents: list[int], target: I32) -> I32:
    """Least ``target`` over the opponents' joint sub-cube (every state feasible, all reversible).

    With two or more opponents whose moves fill their sub-cubes, legal sequences reach every
    state that differs only in their options — the start itself included (j moves, k moves,
    j moves back, k moves back) — so the fixed point of the propagation is this minimum.
    """
    out = target
    for j in opponents:
        view = out.reshape(moves[j].shape)
        out = np.broadcast_to(view.min(axis=1, keepdims=True), view.shape).reshape(-1)
    return np.ascontiguousarray(out)


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StabilityResult:
    """Stability of every state for every decision maker under every concept.

    Attributes
    ----------
    game
        The compiled model analysed.
    stable
        ``{concept: (n_dms, 2**n) bool}``; only feasible codes are meaningful.
    """

    game: Any
    stable: dict[str, NDArray[np.bool_]]

    def codes(self) -> NDArray[np.int64]:
        """Feasible state codes, ascending."""
        return np.flatnonzero(self.game.feasible).astype(np.int64)

    def equilibria(self, concept: str) -> NDArray[np.int64]:
        """Codes of the feasible states stable for every decision maker under ``concept``."""
        all_stable = self.stable[concept].all(axis=0) & self.game.feasible
        return np.flatnonzero(all_stable).astype(np.int64)

    def stable_for(self, concept: str, dm: int) -> NDArray[np.int64]:
        """Codes of the feasible states stable for one decision maker."""
        return np.flatnonzero(self.stable[concept][dm] & self.game.feasible).astype(np.int64)


def analyse_stability(game: Game, concepts: tuple[str, ...] = CONCEPTS) -> StabilityResult:
    """Nash, GMR, SMR and SEQ stability of every feasible state for every decision maker.

    Parameters
    ----------
    game
        A compiled graph model.
    concepts
        Which concepts to compute.

    Returns
    -------
    StabilityResult
    """
    n_dms = len(game.dms)
    ranks = np.empty((n_dms, game.feasible.shape[0]), dtype=np.int32)
    for d, p in enumerate(game.payoff):
        ranks[d] = dense_ranks(p, game.feasible)
    moves = movers(game, ranks)
    stable: dict[str, NDArray[np.bool_]] = {
        c: np.zeros((n_dms, game.feasible.shape[0]), dtype=bool) for c in concepts
    }
    for i in range(n_dms):
        p = ranks[i]
        others = [j for j in range(n_dms) if j != i]
        best_move = moves[i].extreme(p, maximum=True)
        # results written in place, one concept at a time: at most two state-sized temporaries
        if "R" in concepts:
            np.less_equal(best_move, p, out=stable["R"][i])
        if "GMR" in concepts:
            m = sanction_minimum(moves, others, p, improving=False)
            m = moves[i].improving_extreme(m, maximum=True, out=None if m is p else m)
            np.less_equal(m, p, out=stable["GMR"][i])
            del m
        if "SMR" in concepts:
            # the best i can reach from a sanction state (best_move is not needed any more)
            escape = np.maximum(p, best_move, out=best_move)
            m = sanction_minimum(moves, others, escape, improving=False)
            del escape, best_move
            m = moves[i].improving_extreme(m, maximum=True, out=None if m is p else m)
            np.less_equal(m, p, out=stable["SMR"][i])
            del m
        else:
            del best_move
        if "SEQ" in concepts:
            m = sanction_minimum(moves, others, p, improving=True)
            m = moves[i].improving_extreme(m, maximum=True, out=None if m is p else m)
            np.less_equal(m, p, out=stable["SEQ"][i])
            del m
    return StabilityResult(game=game, stable=stable)
