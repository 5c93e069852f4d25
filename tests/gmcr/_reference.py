"""A brute-force graph model written straight from the definitions, for checking the engine.

Fang, Hipel & Kilgour (1993), Interactive Decision Making, Defs. 4.1–4.8: unilateral moves,
improvements, the coalition reachable list (no decision maker moves twice in a row), and the
four stability concepts. Sets of states, explicit loops: only for tiny models.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class TinyGame:
    dms: tuple[str, ...]
    blocks: tuple[tuple[int, int], ...]
    feasible: np.ndarray
    payoff: np.ndarray
    direction: np.ndarray

    @property
    def n_options(self) -> int:
        return len(self.direction)


def moves(game: TinyGame, i: int, x: int) -> set[int]:
    start, count = game.blocks[i]
    block = ((1 << count) - 1) << start
    out = set()
    for t in range(1 << count):
        z = (x & ~block) | (t << start)
        if z == x or not game.feasible[z]:
            continue
        ok = True
        for k in range(start, start + count):
            bx, bz = (x >> k) & 1, (z >> k) & 1
            if game.direction[k] == 1 and bx == 1 and bz == 0:
                ok = False
            if game.direction[k] == 2 and bx == 0 and bz == 1:
                ok = False
        if ok:
            out.add(z)
    return out


def improvements(game: TinyGame, i: int, x: int) -> set[int]:
    return {z for z in moves(game, i, x) if game.payoff[i][z] > game.payoff[i][x]}


def reachable(game: TinyGame, coalition: list[int], x: int, improving: bool) -> set[int]:
    """States reached by non-empty legal sequences of moves by the coalition's members."""
    frontier = {(x, -1)}
    seen: set[tuple[int, int]] = set()
    while frontier:
        state, last = frontier.pop()
        for j in coalition:
            if j == last:
                continue
            step = improvements(game, j, state) if improving else moves(game, j, state)
            for z in step:
                if (z, j) not in seen:
                    seen.add((z, j))
                    frontier.add((z, j))
    return {z for z, _ in seen}


def stable(game: TinyGame, concept: str, i: int, x: int) -> bool:
    p = game.payoff[i]
    others = [j for j in range(len(game.dms)) if j != i]
    for s1 in improvements(game, i, x):
        if concept == "R":
            return False
        sanctions = reachable(game, others, s1, improving=concept == "SEQ")
        ok = False
        for s2 in sanctions:
            if p[s2] > p[x]:
                continue
            if concept == "SMR" and any(p[s3] > p[x] for s3 in moves(game, i, s2)):
                continue
            ok = True
            break
        if not ok:
            return False
    return True


def random_game(
    rng: np.random.Generator,
    n_dms: int,
    options: list[int],
    infeasible_share: float,
    irreversible_share: float,
    ties: bool,
) -> TinyGame:
    n = sum(options)
    blocks = []
    start = 0
    for count in options[:n_dms]:
        blocks.append((start, count))
        start += count
    feasible = rng.random(1 << n) >= infeasible_share
    if not feasible.any():
        feasible[0] = True
    levels = 3 if ties else (1 << n)
    payoff = (
        rng.integers(0, levels, size=(n_dms, 1 << n))
        if ties
        else np.stack([rng.permutation(1 << n) for _ in range(n_dms)])
    )
    direction = np.where(rng.random(n) < irreversible_share, rng.integers(1, 3, size=n), 0).astype(
        np.int8
    )
    return TinyGame(
        tuple(f"D{i}" for i in range(n_dms)),
        tuple(blocks),
        feasible,
        payoff.astype(np.int64),
        direction,
    )
