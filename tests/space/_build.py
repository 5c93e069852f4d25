"""Builders of small agreement spaces for the space-engine tests."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from zopa.space.compile import CompiledSpace
from zopa.space.exact import grid_contributions, to_grid


def make_space(
    values: list[list[list[float]]],
    weights: list[list[float]],
    reservation: list[float],
    consent: list[list[list[bool]]] | None = None,
) -> CompiledSpace:
    """values[issue][party][option]; weights[party][issue]; consent[issue][party][option]."""
    n_parties = len(weights)
    w = np.array(weights, dtype=float)
    w = w / w.sum(axis=1, keepdims=True)
    vals = tuple(np.array(v, dtype=float) for v in values)
    if consent is None:
        cons = tuple(np.ones_like(v, dtype=bool) for v in vals)
    else:
        cons = tuple(np.array(c, dtype=bool) for c in consent)
    return CompiledSpace(
        parties=tuple(f"P{p}" for p in range(n_parties)),
        issues=tuple(f"i{i}" for i in range(len(values))),
        options=tuple(tuple(f"o{k}" for k in range(len(v[0]))) for v in values),
        values=vals,
        weights=w,
        reservation=np.array(reservation, dtype=float),
        consent=cons,
    )


def brute(space: CompiledSpace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Enumerate with itertools: packages (N, n), integer utilities (N, P), needed (N, P)."""
    contributions = grid_contributions(space)
    rows = list(itertools.product(*(range(k) for k in space.shape)))
    packages = np.array(rows, dtype=np.intp).reshape(len(rows), len(space.shape))
    utilities = np.array(
        [
            [
                sum(int(c[p, row[i]]) for i, c in enumerate(contributions))
                for p in range(space.n_parties)
            ]
            for row in rows
        ],
        dtype=np.int64,
    )
    needed = np.array(
        [
            [
                any(bool(c[p, row[i]]) for i, c in enumerate(space.consent))
                for p in range(space.n_parties)
            ]
            for row in rows
        ]
    )
    return packages, utilities, needed


def brute_acceptable(space: CompiledSpace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    packages, utilities, needed = brute(space)
    r = to_grid(space.reservation)
    ok = ((utilities >= r) | ~needed).all(axis=1)
    return packages[ok], utilities[ok], needed[ok]


def dominated_by_any(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each row of points: is it dominated by some row of others?"""
    ge = (others[None, :, :] >= points[:, None, :]).all(axis=2)
    gt = (others[None, :, :] > points[:, None, :]).any(axis=2)
    return (ge & gt).any(axis=1)


@st.composite
def spaces(
    draw: st.DrawFn,
    max_parties: int = 3,
    max_issues: int = 4,
    max_options: int = 4,
    consent: bool = False,
) -> CompiledSpace:
    """Random small spaces on a coarse value grid (0.1 steps), so exact ties are frequent."""
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    shape = [draw(st.integers(2, max_options)) for _ in range(n_issues)]
    grid = st.integers(0, 10).map(lambda x: x / 10)
    values = [[[draw(grid) for _ in range(k)] for _ in range(n_parties)] for k in shape]
    weights = [[draw(st.integers(0, 4)) for _ in range(n_issues)] for _ in range(n_parties)]
    for row in weights:
        if sum(row) == 0:
            row[0] = 1
    reservation = [draw(st.integers(0, 8).map(lambda x: x / 10)) for _ in range(n_parties)]
    cons = None
    if consent:
        base = [p < 2 for p in range(n_parties)]  # parties 0 and 1 always needed
        cons = [
            [[base[p] or draw(st.booleans()) for _ in range(k)] for p in range(n_parties)]
            for k in shape
        ]
    return make_space(values, weights, reservation, cons)
