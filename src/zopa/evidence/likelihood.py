"""How likely a party's stated stance on a proposal is, given its utility and walk-away point.

The evidence is the party's *slack* on the proposal, ``d = u(proposal) - walk-away point``: the
proposal clears the walk-away point when ``d >= 0``. Each stance of a reaction
(:data:`zopa.model.scenario.Stance`) has a likelihood ``P(stance | d)``:

- ``accepts``: 1 when ``d >= 0``, else 0 (hard evidence: the party said yes);
- ``rejects``: 1 when ``d < 0``, else 0 (hard evidence: the party said no);
- ``basis-for-talks``: a logistic rising through ``d = -SOFT_OFFSET``,
  ``1 / (1 + exp(-(d + SOFT_OFFSET) / SOFT_SCALE))`` — a party calls a text a basis for talks
  when it is at or near what it can accept; one 0.1 below its walk-away point is even odds;
- ``unacceptable-as-is``: the mirror image, falling through ``d = +SOFT_OFFSET`` — a party
  rejects a text "as it stands" when it falls short, or clears the walk-away point by little
  (it is bargaining); one 0.1 above is even odds.

Soft stances are evidence, not constraints: a sample that contradicts one keeps a small weight.
The scale (0.05 utility: the likelihood goes from 0.27 to 0.73 over ±0.05 around its midpoint)
and the offset (0.1) are modelling choices, stated in the README, not estimates.

References
----------
The logistic response is the standard random-utility choice model: McFadden, D. (1974).
Conditional logit analysis of qualitative choice behavior. In Zarembka, P. (ed.), *Frontiers in
Econometrics*, 105-142. Academic Press.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

HARD = ("accepts", "rejects")
"""Stances that are hard evidence (a likelihood of 0 or 1)."""

SOFT = ("basis-for-talks", "unacceptable-as-is")
"""Stances that are soft evidence (a logistic likelihood)."""

SOFT_SCALE = 0.05
"""The logistic's scale, in utility: how sharply a soft stance separates slack values."""

SOFT_OFFSET = 0.1
"""Where a soft stance is even odds: 0.1 below (basis for talks) or above (unacceptable as it
stands) the walk-away point."""


def likelihood(stance: str, slack: ArrayLike) -> NDArray[np.float64]:
    """Return ``P(stance | slack)`` element-wise.

    Parameters
    ----------
    stance
        One of :data:`HARD` or :data:`SOFT`.
    slack
        Utility of the proposal minus the walk-away point, per sample.

    Raises
    ------
    ValueError
        For an unknown stance.
    """
    d = np.asarray(slack, dtype=np.float64)
    if stance == "accepts":
        return (d >= 0).astype(np.float64)
    if stance == "rejects":
        return (d < 0).astype(np.float64)
    if stance == "basis-for-talks":
        return _logistic((d + SOFT_OFFSET) / SOFT_SCALE)
    if stance == "unacceptable-as-is":
        return _logistic(-(d - SOFT_OFFSET) / SOFT_SCALE)
    raise ValueError(f"unknown stance {stance!r} (expected one of: {', '.join(HARD + SOFT)})")


def log_likelihood(stance: str, slack: ArrayLike) -> NDArray[np.float64]:
    """Return ``log P(stance | slack)`` (``-inf`` where a hard stance is contradicted)."""
    with np.errstate(divide="ignore"):
        return np.log(likelihood(stance, slack))


def consistent(stance: str, slack: float) -> bool:
    """Whether a stance agrees with the slack's sign (for the soft ones: likelihood ≥ 1/2)."""
    return bool(likelihood(stance, slack) >= 0.5)


def _logistic(z: NDArray[np.float64]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out
