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

These walk the state graph state by state in Python, so their work is bounded: at most
:data:`MAX_STATES` feasible states, and at most :data:`MAX_STEPS` elementary steps, estimated
before starting (:func:`check_coalition_size`, :func:`check_evolution_size`); the stability engine
itself scales much further.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.gmcr.stability import Game, dense_ranks, irreversible_masks

MAX_STATES = 1 << 16

MAX_STEPS = 1 << 23
"""At most this many elementary steps (moves tried) for a coalition or status quo analysis:
about 10 s (about 1 µs a step)."""


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


def coalition_steps(game: Game, coalition: list[int]) -> int:
    """An upper bound on the moves tried by :func:`coalition_nash_stable` for a coalition.

    Each feasible state's reachable list lies in the coalition's sub-cube (``2**m`` states for
    ``m`` options in all); from each state of it, each member tries its ``2**m_j`` moves.
    """
    states = int(game.feasible.sum())
    options = sum(game.blocks[j][1] for j in set(coalition))
    moves = sum(1 << game.blocks[j][1] for j in set(coalition))
    return states * (1 << options) * moves


def check_coalition_size(game: Game, coalition: list[int]) -> None:
    """Refuse, before starting, a coalition analysis that would exceed :data:`MAX_STEPS`.

    A coalition of two decision makers without irreversible options is analysed by
    :func:`_pair_nash_stable` (no walk), within :data:`MAX_STATES` states.

    Raises
    ------
    ValueError
        Saying how large the run would be and what the limit is.
    """
    _check_size(game)
    if _pair_applies(game, coalition):
        return
    steps = coalition_steps(game, coalition)
    if steps > MAX_STEPS:
        names = "+".join(game.dms[j] for j in coalition)
        options = sum(game.blocks[j][1] for j in set(coalition))
        raise ValueError(
            f"coalition {names} controls {options} options: its analysis over "
            f"{int(game.feasible.sum()):,} states would try about {steps:,} moves, more than "
            f"the {MAX_STEPS:,} allowed (coalition analysis walks the state graph state by "
            "state): use a smaller coalition or a model with fewer options"
        )


def check_evolution_size(game: Game, coalitions: list[list[int]] | None = None) -> None:
    """Refuse, before starting, a status quo analysis that could exceed :data:`MAX_STEPS`.

    Raises
    ------
    ValueError
        Saying how large the run could be and what the limit is.
    """
    _check_size(game)
    states = int(game.feasible.sum())
    steps = states * sum(1 << count for _, count in game.blocks)
    steps += sum(coalition_steps(game, c) for c in coalitions or [])
    if steps > MAX_STEPS:
        raise ValueError(
            f"a status quo analysis over {states:,} states could try about {steps:,} moves, "
            f"more than the {MAX_STEPS:,} allowed (it walks the state graph state by state): "
            "use a model with fewer options, or fewer coalitions"
        )


def coalition_reach(game: Game, coalition: list[int], code: int) -> set[int]:
    """``R_C(code)``: states reached by non-empty legal sequences of the coalition's moves."""
    seen: set[tuple[int, int]] = set()
    queue = deque([(code, -1)])
    while queue:
        state, last = queue.popleft()
        for j in coalition:
            if j == last:
                continue
            for z in unilateral_moves(game, j, state):
                if (z, j) not in seen:
                    seen.add((z, j))
                    queue.append((z, j))
    return {z for z, _ in seen}


def coalition_improvements(game: Game, coalition: list[int], code: int) -> list[int]:
    """States of ``R_C(code)`` that every member of the coalition strictly prefers."""
    p = game.payoff
    return sorted(
        z
        for z in coalition_reach(game, coalition, code)
        if z != code and all(p[k][z] > p[k][code] for k in coalition)
    )


def coalition_nash_stable(game: Game, coalition: list[int]) -> NDArray[np.bool_]:
    """``(2**n,)``: feasible states from which the coalition has no coalition improvement.

    Raises
    ------
    ValueError
        When the analysis would exceed its limits (:func:`check_coalition_size`).
    """
    check_coalition_size(game, coalition)
    if _pair_applies(game, coalition):
        return _pair_nash_stable(game, sorted(set(coalition)))
    out = np.zeros(game.feasible.shape[0], dtype=bool)
    for code in np.flatnonzero(game.feasible):
        out[code] = not coalition_improvements(game, coalition, int(code))
    return out


def _pair_applies(game: Game, coalition: list[int]) -> bool:
    """Whether :func:`_pair_nash_stable` serves a coalition: two members, all moves reversible."""
    members = set(coalition)
    return len(members) == 2 and all(
        irreversible_masks(game, *game.blocks[j]) == (0, 0) for j in members
    )


def _pair_nash_stable(game: Game, members: list[int]) -> NDArray[np.bool_]:
    """Coalition Nash stability for two members whose options are all reversible, vectorised.

    With reversible options, one member's move reaches every other feasible state that differs
    from the start only in its own options, so two of its moves in a row are one move: the
    coalition's reachable list ``R_C(s)`` (Kilgour et al. 2001) is the connected component of
    ``s`` among feasible states, joined where they differ in one member's options only, ``s``
    excepted. Components come from a minimum-label propagation over the members' sub-cubes;
    then ``s`` has a coalition improvement iff some state of its component is strictly better
    for both members: within each component, states sorted by the first member's payoff
    (best first), a running maximum of the second member's payoff rank over strictly better
    states answers it for every ``s`` at once.
    """
    n = game.n_options
    feasible = game.feasible
    size = feasible.shape[0]
    none = np.int64(np.iinfo(np.int64).max)
    label = np.where(feasible, np.arange(size, dtype=np.int64), none)
    changed = True
    while changed:
        before = label
        for j in members:
            start, count = game.blocks[j]
            shape = (1 << (n - start - count), 1 << count, 1 << start)
            low = label.reshape(shape).min(axis=1, keepdims=True)
            label = np.where(feasible.reshape(shape), low, none).reshape(-1)
        changed = not np.array_equal(label, before)
    codes = np.flatnonzero(feasible)
    ranks = np.stack([dense_ranks(game.payoff[j], feasible) for j in members]).astype(np.int64)
    first, second = ranks[0][codes], ranks[1][codes]
    group = np.unique(label[codes], return_inverse=True)[1].reshape(-1).astype(np.int64)
    order = np.lexsort((-first, group))  # by component, then the first member's payoff, best first
    g, p1, p2 = group[order], first[order], second[order]
    span = int(p2.max()) + 1 if p2.size else 1
    running = np.maximum.accumulate(p2 + g * span)  # within a component: earlier ones are lower
    k = np.arange(order.size)
    new_run = np.ones(order.size, dtype=bool)
    new_run[1:] = (g[1:] != g[:-1]) | (p1[1:] != p1[:-1])
    previous = np.maximum.accumulate(np.where(new_run, k, 0)) - 1  # last strictly better entry
    has_better = (previous >= 0) & (g[np.maximum(previous, 0)] == g)
    best = np.where(has_better, running[np.maximum(previous, 0)] - g * span, -1)
    out = np.zeros(size, dtype=bool)
    out[codes[order]] = ~(best > p2)
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
        When the analysis could exceed its limits (:func:`check_evolution_size`).
    """
    check_evolution_size(game, coalitions)
    ranks = np.stack([dense_ranks(p, game.feasible) for p in game.payoff])
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
        for coalition in coalitions or []:
            steps += [(tuple(coalition), z) for z in coalition_improvements(game, coalition, x)]
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
