"""The Pareto frontier of an agreement space seen by two of its parties.

A trace plot in utility space has two axes; what it should show as the frontier is the set of
packages that no other package beats for *both* of those parties — the frontier of the space
restricted to them, not the projection of the all-party frontier (which fills the plane). It is
computed exactly, by the engines of :mod:`zopa.space` run on the two parties alone.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from zopa.space.compile import CompiledSpace
from zopa.space.engine import make_engine


def two_party_frontier(space: CompiledSpace, first: str, second: str) -> NDArray[np.float64]:
    """Return ``(k, 2)`` utilities of the packages Pareto-efficient for two parties.

    Parameters
    ----------
    space
        A compiled agreement space.
    first, second
        The two parties (ids of ``space.parties``), in axis order.

    Raises
    ------
    ValueError
        For an unknown party, or the same party twice.
    """
    for party in (first, second):
        if party not in space.parties:
            raise ValueError(
                f"unknown party {party!r} (expected one of: {', '.join(space.parties)})"
            )
    if first == second:
        raise ValueError("a utility plot needs two different parties")
    rows = [space.parties.index(first), space.parties.index(second)]
    pair = replace(
        space,
        parties=(first, second),
        values=tuple(v[rows] for v in space.values),
        weights=space.weights[rows],
        reservation=space.reservation[rows],
        consent=tuple(np.ones_like(c[rows]) for c in space.consent),
        exact=None if space.exact is None else tuple(space.exact[r] for r in rows),
    )
    front = make_engine(pair).pareto(acceptable_only=False)
    points = np.unique(front.utilities, axis=0)
    return pair.grid.values(points)
