"""Coalition analysis and status quo analysis of a graph model.

* **Coalition improvements** (Kilgour, Hipel, Fang & Peng 2001, "Coalition analysis in group
  decision support", Group Decision and Negotiation 10(2)): a coalition ``C`` can move from ``s``
  to any state of its reachable list ``R_C(s)`` (legal sequences of its members' moves, no member
  twice in a row); the move is a *coalition improvement* when every member strictly prefers the
  new state. A state is *coalition Nash stable* for ``C`` when ``C`` has no coalition improvement
  from it, and a *coalition Nash equilibrium* for a list of coalitions when it is Nash stable for
  every decision maker and coalition Nash stable for every listed coalition.
* **Status quo analysis** (Li, Kilgour & Hipel 2004, "Status quo analysis of the Flathead River
  conflict", Water Resources Research 40(5)): from a given state, the states the conflict can
  reach by unilateral improvements (and, optionally, coalition improvements), and a shortest path
  to each equilibrium among them.

A coalition's reachable list ``R_C(s)`` (minus ``s``) is exactly the set of states that *any*
sequence of its members' moves reaches: two consecutive moves of one member, ``x → y → z``, can
always be replaced by the single move ``x → z`` (``z`` is feasible, and an irreversible option
that neither step reverses is not reversed by both), and merging such pairs (dropping those that
return to where they started) turns any sequence reaching ``z ≠ s`` into a legal one. So
``R_C(s)`` is found by a plain breadth-first search over the member's moves, compiled with numba
(the tests check it against the definition's search over (state, last mover) pairs). Coalition Nash stability is only asked of states that are Nash
stable for every decision maker, which keeps the searches few. These analyses are meant for
models of up to :data:`MAX_STATES` feasible states (the stability engine scales further).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.gmcr.stability import Game, dense_ranks, irreversible_masks
from zopa.space._skyline import kernel

MAX_STATES = 1 << 16
MAX_MOVES = 2_000_000_000
"""Most moves a status quo analysis with coalitions may examine (states × coalition moves)."""
MAX_TRANSITIONS = 2_000_000
"""Most transitions a status quo analysis may list."""


def unilateral_moves(game: Game, dm: int, code: int) -> list[int]:
    """States one move of ``dm`` reaches from ``code`` (feasible, respecting irreversibility)."""
    start, count = game.blocks[dm]
    block = ((1 << count) - 1) << start
    forward, backward = irreversible_masks(game, start, count)
    out = []
    base = code & ~block
    for t in range(1 << count):
        z = base | (t << start)
        if z == code or not game.feasible[z]:
            continue
        if (code & forward) & ~z or (z & backward) & ~code:
            continue
        out.append(z)
    return out


def _check_size(game: Game) -> None:
    n = int(game.feasible.sum())
    if n > MAX_STATES:
        raise ValueError(
            f"{n:,} feasible states: path and coalition analyses handle up to {MAX_STATES:,}"
        )


@kernel
def _reach_kernel(  # pragma: no cover - numba
    feasible: NDArray[np.bool_],
    starts: NDArray[np.int64],
    counts: NDArray[np.int64],
    forward: NDArray[np.int64],
    backward: NDArray[np.int64],
    code: int,
    seen: NDArray[np.bool_],
    queue: NDArray[np.int64],
) -> int:
    """Breadth-first search from ``code`` over the members' moves.

    Writes ``code`` and then every state reached into ``queue`` and returns how many entries it
    wrote; ``seen`` must be all false on entry and is all false again on exit.
    """
    queue[0] = code
    seen[code] = True
    head, tail = 0, 1
    while head < tail:
        x = queue[head]
        head += 1
        for j in range(starts.shape[0]):
            start, count = starts[j], counts[j]
            base = x & ~(((1 << count) - 1) << start)
            for t in range(1 << count):
                z = base | (t << start)
                if seen[z] or not feasible[z]:
                    continue
                if (x & forward[j]) & ~z or (z & backward[j]) & ~x:
                    continue  # drops a forward-only option, or takes a backward-only one
                seen[z] = True
                queue[tail] = z
                tail += 1
    for k in range(tail):
        seen[queue[k]] = False
    return tail


class _Reach:
    """The coalition's reachable list from a state, without the state itself (compiled search)."""

    def __init__(self, game: Game, coalition: list[int]) -> None:
        self.feasible = np.ascontiguousarray(game.feasible, dtype=np.bool_)
        self.starts = np.array([game.blocks[j][0] for j in coalition], dtype=np.int64)
        self.counts = np.array([game.blocks[j][1] for j in coalition], dtype=np.int64)
        masks = [irreversible_masks(game, *game.blocks[j]) for j in coalition]
        self.forward = np.array([m[0] for m in masks], dtype=np.int64)
        self.backward = np.array([m[1] for m in masks], dtype=np.int64)
        self.seen = np.zeros(self.feasible.shape[0], dtype=np.bool_)
        self.queue = np.empty(int(self.feasible.sum()) + 1, dtype=np.int64)
        # moves examined per state searched: every state of the coalition's sub-cube, each
        # trying every setting of each member's block
        self.moves_per_search = (1 << int(self.counts.sum())) * int((1 << self.counts).sum())
        # without irreversible options every move can be undone, so the states reachable from
        # any state of a component are the rest of that component: one search per component
        self.reversible = not (self.forward.any() or self.backward.any())
        self.component = np.full(self.feasible.shape[0], -1, dtype=np.int64)
        self.components: list[NDArray[np.int64]] = []

    def __call__(self, code: int) -> NDArray[np.int64]:
        known = int(self.component[code])
        if known >= 0:
            members: NDArray[np.int64] = self.components[known]
            others: NDArray[np.int64] = members[members != code]
            return others
        n = _reach_kernel(
            self.feasible,
            self.starts,
            self.counts,
            self.forward,
            self.backward,
            code,
            self.seen,
            self.queue,
        )
        if self.reversible:
            found = np.sort(self.queue[:n])
            self.component[found] = len(self.components)
            self.components.append(found)
            rest: NDArray[np.int64] = found[found != code]
            return rest
        return self.queue[1:n].copy()


def _improving(
    game: Game, coalition: list[int], code: int, reached: NDArray[np.int64]
) -> NDArray[np.int64]:
    """The states of ``reached`` that every member strictly prefers to ``code``."""
    better = np.ones(reached.shape[0], dtype=bool)
    for k in coalition:
        better &= game.payoff[k][reached] > game.payoff[k][code]
    return np.sort(reached[better])


def coalition_improvements(game: Game, coalition: list[int], code: int) -> list[int]:
    """States of ``R_C(code)`` that every member of the coalition strictly prefers."""
    found: list[int] = _improving(game, coalition, code, _Reach(game, coalition)(code)).tolist()
    return found


def coalition_nash_stable(
    game: Game, coalition: list[int], among: NDArray[np.bool_] | None = None
) -> NDArray[np.bool_]:
    """``(2**n,)``: feasible states from which the coalition has no coalition improvement.

    Parameters
    ----------
    game
        The compiled model.
    coalition
        The members' indices.
    among
        Only decide these states (a ``(2**n,)`` mask; e.g. the Nash equilibria, the only states
        a coalition Nash equilibrium can be); the others are reported not stable.
    """
    _check_size(game)
    reach = _Reach(game, coalition)
    out = np.zeros(game.feasible.shape[0], dtype=bool)
    candidates = game.feasible if among is None else game.feasible & among
    for code in np.flatnonzero(candidates):
        out[code] = _improving(game, coalition, int(code), reach(int(code))).size == 0
    return out


@dataclass(frozen=True)
class Transition:
    """One step of the conflict's evolution."""

    source: int
    target: int
    movers: tuple[int, ...]  # one decision maker, or the members of a coalition


@dataclass(frozen=True)
class Evolution:
    """What can happen from a status quo.

    Attributes
    ----------
    start
        The status quo (state code).
    reachable
        Codes reachable by improvements, in breadth-first order (the start first).
    transitions
        Every improvement between reachable states.
    paths
        For each reachable equilibrium (of the concept asked), a shortest sequence of
        transitions from the start.
    """

    start: int
    reachable: list[int]
    transitions: list[Transition]
    paths: dict[int, list[Transition]]


def evolution(
    game: Game,
    start: int,
    equilibria: set[int],
    coalitions: list[list[int]] | None = None,
) -> Evolution:
    """Trace the unilateral (and coalition) improvements from a status quo, breadth first.

    Parameters
    ----------
    game
        The compiled model.
    start
        The status quo state code.
    equilibria
        The states to find paths to (e.g. the GMR equilibria).
    coalitions
        Coalitions whose coalition improvements also count as moves.

    Raises
    ------
    ValueError
        When the model has more than :data:`MAX_STATES` feasible states, when the coalitions'
        searches could examine more than :data:`MAX_MOVES` moves, or when more than
        :data:`MAX_TRANSITIONS` transitions are found: the message says which limit and how to
        narrow the question.
    """
    _check_size(game)
    ranks = np.stack([dense_ranks(p, game.feasible) for p in game.payoff])
    searches = [(c, _Reach(game, c)) for c in coalitions or []]
    states = int(game.feasible.sum())
    work = sum(states * r.moves_per_search for _, r in searches if not r.reversible)
    if work > MAX_MOVES:
        raise ValueError(
            f"the status quo analysis with coalition moves could examine {work:,} moves "
            f"(limit {MAX_MOVES:,}): use smaller coalitions, or trace the unilateral moves "
            "only (--from without --coalition)"
        )
    steps: list[tuple[tuple[int, ...], int]] = []
    parent: dict[int, Transition | None] = {start: None}
    order = [start]
    transitions: list[Transition] = []
    queue = deque([start])
    while queue:
        x = queue.popleft()
        steps = [
            ((i,), z)
            for i in range(len(game.dms))
            for z in unilateral_moves(game, i, x)
            if ranks[i][z] > ranks[i][x]
        ]
        for coalition, reach in searches:
            steps += [(tuple(coalition), int(z)) for z in _improving(game, coalition, x, reach(x))]
        if len(transitions) + len(steps) > MAX_TRANSITIONS:
            raise ValueError(
                f"more than {MAX_TRANSITIONS:,} transitions from state code {start}: too many to "
                "list; use smaller coalitions, or trace the unilateral moves only"
            )
        for movers, z in steps:
            t = Transition(x, z, movers)
            transitions.append(t)
            if z not in parent:
                parent[z] = t
                order.append(z)
                queue.append(z)
    paths: dict[int, list[Transition]] = {}
    for eq in order:
        if eq in equilibria:
            path: list[Transition] = []
            node = eq
            while (step := parent[node]) is not None:
                path.append(step)
                node = step.source
            paths[eq] = path[::-1]
    return Evolution(start=start, reachable=order, transitions=transitions, paths=paths)
