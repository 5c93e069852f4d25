"""Compile a scenario into the arrays the agreement-space engines work on.

Utility model
-------------
Each party ``p`` has additive utility over a package ``x = (x_1, …, x_n)`` (one option per issue):

    u_p(x) = Σ_i w̄_pi · v_pi(x_i),    w̄_pi = w_pi / Σ_j w_pj

with the analyst's weights ``w`` renormalised to sum to one and option values ``v`` in [0, 1] used
as given (they are not stretched to reach 0 and 1 on every issue, so an issue where a party's worst
option is still tolerable keeps that meaning). Utilities therefore lie in [0, 1] and are directly
comparable with the walk-away point ``r_p``, the utility of no agreement. This is the linear
additive model of multi-attribute utility theory (Keeney & Raiffa 1976, ch. 3; Raiffa, Richardson &
Metcalfe 2002, *Negotiation Analysis*, ch. 11).

Consent
-------
A package needs the consent of every party named by an issue's ``consent`` (default: the
belligerents) and, for each chosen option, of the parties that option names. It is *acceptable*
when every needed party's utility reaches its walk-away point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import Piecewise

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

Draw = Callable[[float | Uncertain], float]
"""How an uncertain number becomes a float: :func:`zopa.model.numbers.point` by default."""


@dataclass(frozen=True, eq=False)
class CompiledSpace:
    """A scenario's agreement space as arrays.

    Attributes
    ----------
    parties
        Ids of the parties with preferences, in scenario order (the rows of every table).
    issues
        Issue ids, in scenario order.
    options
        Option ids per issue.
    values
        Per issue, an array ``(n_parties, n_options)`` of option values in [0, 1].
    weights
        ``(n_parties, n_issues)``, each row summing to one.
    reservation
        ``(n_parties,)`` walk-away points.
    consent
        Per issue, a boolean array ``(n_parties, n_options)``: whose consent the option needs
        (the issue's consent and the option's own).
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    values: tuple[NDArray[np.float64], ...]
    weights: NDArray[np.float64]
    reservation: NDArray[np.float64]
    consent: tuple[NDArray[np.bool_], ...]

    @property
    def n_parties(self) -> int:
        """Number of parties with preferences."""
        return len(self.parties)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of options per issue."""
        return tuple(len(o) for o in self.options)

    @property
    def size(self) -> int:
        """Number of packages (may exceed 2**63; a Python int)."""
        n = 1
        for k in self.shape:
            n *= k
        return n

    @property
    def contributions(self) -> tuple[NDArray[np.float64], ...]:
        """Per issue, ``(n_parties, n_options)``: weight × value, the issue's share of utility."""
        return tuple(self.weights[:, i, None] * v for i, v in enumerate(self.values))

    @property
    def core(self) -> NDArray[np.bool_]:
        """``(n_parties,)``: parties whose consent every package needs."""
        out = np.zeros(self.n_parties, dtype=bool)
        for c in self.consent:
            out |= c.all(axis=1)
        return out

    def index_of(self, package: dict[str, str]) -> NDArray[np.intp]:
        """Return the option indices of a package given as ``{issue: option}``."""
        return np.array(
            [self.options[i].index(package[issue]) for i, issue in enumerate(self.issues)],
            dtype=np.intp,
        )

    def package_of(self, indices: NDArray[np.integer] | list[int]) -> dict[str, str]:
        """Return ``{issue: option}`` for a row of option indices."""
        return {
            issue: self.options[i][int(k)]
            for i, (issue, k) in enumerate(zip(self.issues, indices, strict=True))
        }

    def needed(self, packages: NDArray[np.integer]) -> NDArray[np.bool_]:
        """Return ``(k, n_parties)``: whose consent each package needs."""
        packages = np.atleast_2d(packages)
        out = np.zeros((packages.shape[0], self.n_parties), dtype=bool)
        for i, c in enumerate(self.consent):
            out |= c[:, packages[:, i]].T
        return out


def _value_row(spec: object, option_ids: list[str], draw: Draw) -> list[float]:
    if isinstance(spec, Piecewise):
        xs = np.array([p[0] for p in spec.piecewise], dtype=float)
        ys = np.array([draw(p[1]) for p in spec.piecewise], dtype=float)
        return list(np.interp(np.array([float(o) for o in option_ids]), xs, ys))
    assert isinstance(spec, dict)
    return [draw(spec[o]) for o in option_ids]


def compile_scenario(scenario: Scenario, draw: Draw = point) -> CompiledSpace:
    """Compile a validated scenario into a :class:`CompiledSpace`.

    Parameters
    ----------
    scenario
        A validated scenario.
    draw
        Maps each (possibly uncertain) number to the float to use; the point value by default.
        The robustness engine passes a sampler here.

    Returns
    -------
    CompiledSpace
    """
    parties = tuple(p for p in scenario.parties if p in scenario.preferences)
    issues = tuple(scenario.issues)
    options = tuple(tuple(scenario.issues[i].option_ids()) for i in issues)
    weights = np.zeros((len(parties), len(issues)))
    values = [np.zeros((len(parties), len(o))) for o in options]
    reservation = np.zeros(len(parties))
    for r, party in enumerate(parties):
        prefs = scenario.preferences[party]
        for c, issue in enumerate(issues):
            weights[r, c] = max(0.0, draw(prefs.weights[issue]))
            if issue in prefs.values:
                values[c][r] = np.clip(
                    _value_row(prefs.values[issue], list(options[c]), draw), 0, 1
                )
        reservation[r] = draw(prefs.reservation)
    weights /= weights.sum(axis=1, keepdims=True)
    consent = []
    for c, issue in enumerate(issues):
        mask = np.zeros((len(parties), len(options[c])), dtype=bool)
        base = set(scenario.issue_consent(issue))
        spec = scenario.issues[issue]
        for k, option in enumerate(options[c]):
            extra = set(spec.options[option].consent) if spec.options else set()
            mask[:, k] = [p in base | extra for p in parties]
        consent.append(mask)
    return CompiledSpace(
        parties=parties,
        issues=issues,
        options=options,
        values=tuple(values),
        weights=weights,
        reservation=reservation,
        consent=tuple(consent),
    )
