"""Bargaining solutions over a finite set of acceptable packages.

The disagreement point is each party's walk-away point ``r``, and the bargainers are the parties
whose consent every package needs (in the default scenario Ukraine, Russia and the European
allies, whose consent the frozen assets need); parties needed only for some options (a guarantor
for the guarantee it gives) restrict which packages are acceptable but do not bargain. Over the
acceptable set ``A``, with gains ``g_p = u_p − r_p ≥ 0``:

* **Nash** (Nash 1950, "The bargaining problem", Econometrica 18(2)): maximise ``Π_p g_p``.
* **Kalai–Smorodinsky** (Kalai & Smorodinsky 1975, "Other solutions to Nash's bargaining
  problem", Econometrica 43(3)), discrete form: maximise ``min_p g_p / (I_p − r_p)`` where
  ``I_p = max_A u_p`` is the ideal point (a party with ``I_p = r_p`` counts as fully served).
* **Egalitarian** (Kalai 1977, "Proportional solutions to bargaining situations",
  Econometrica 45(7)): maximise ``min_p g_p``.
* **Utilitarian**: maximise ``Σ_p g_p``.

Ties on the criterion are broken by the bargainers' total *normalised* gain
``Σ_p g_p / (I_p − r_p)``, which, like the Nash and Kalai–Smorodinsky criteria themselves, does not
change its ranking when a party's utility is rescaled by a positive affine map; packages still
tied are all returned, except those that another tied package Pareto-dominates. With this rule
each solution is Pareto-efficient among the acceptable packages (a dominating package would win
or share the tie-break), so the solutions can be computed from the acceptable Pareto frontier
alone, which is what non-enumerating engines do.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zopa.space.engine import PackageSet
from zopa.space.exact import SCALE
from zopa.space.pareto import nondominated

SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def _exact_best(keys: list[tuple[Any, ...]]) -> list[int]:
    best = max(keys)
    return [i for i, key in enumerate(keys) if key == best]


def bargaining_solutions(
    candidates: PackageSet, reservation: NDArray[np.int64], bargainers: NDArray[np.bool_]
) -> dict[str, PackageSet]:
    """Return the Nash, Kalai–Smorodinsky, egalitarian and utilitarian packages.

    Parameters
    ----------
    candidates
        Acceptable packages (e.g. the acceptable Pareto frontier), integer utilities.
    reservation
        ``(n_parties,)`` integer walk-away points.
    bargainers
        ``(n_parties,)`` mask of the bargaining parties.

    Returns
    -------
    dict
        Solution name to the tied packages that attain it (empty sets when there are no
        candidates).
    """
    if len(candidates) == 0:
        empty = PackageSet(candidates.packages[:0], candidates.utilities[:0])
        return dict.fromkeys(SOLUTIONS, empty)
    gains = (candidates.utilities - reservation[None, :])[:, bargainers]
    span = gains.max(axis=0)
    scaled = gains / float(SCALE)
    with np.errstate(divide="ignore", invalid="ignore"):
        normalised = np.where(span > 0, gains / np.where(span > 0, span, 1), 1.0)
    approximate = {
        "nash": scaled.prod(axis=1),
        "kalai_smorodinsky": normalised.min(axis=1),
        "egalitarian": scaled.min(axis=1),
        "utilitarian": scaled.sum(axis=1),
    }
    out = {}
    for name, score in approximate.items():
        # float scores shortlist the near-best; exact integer/rational keys decide among them
        best = score.max()
        shortlist = np.flatnonzero(score >= best - 1e-9 * max(1.0, abs(best)))
        keys = [_exact_key(name, gains[i], span) for i in shortlist]
        tied = shortlist[_exact_best(keys)]
        rows = tied[nondominated(candidates.utilities[tied])]
        out[name] = PackageSet(candidates.packages[rows], candidates.utilities[rows])
    return out


def _exact_key(name: str, gains: NDArray[np.int64], span: NDArray[np.int64]) -> tuple[Any, ...]:
    g = [int(x) for x in gains]
    normalised = [
        Fraction(x, int(s)) if s > 0 else Fraction(1) for x, s in zip(g, span, strict=True)
    ]
    primary: Any
    if name == "nash":
        primary = 1
        for x in g:
            primary *= x
    elif name == "kalai_smorodinsky":
        primary = min(normalised)
    elif name == "egalitarian":
        primary = min(g)
    else:
        primary = sum(g)
    return (primary, sum(normalised))
