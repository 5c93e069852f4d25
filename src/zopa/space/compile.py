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

from collections.abc import Callable, Sequence
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


def _interpolation(xs: list[float], at: list[float]) -> NDArray[np.float64]:
    """``(len(at), len(xs))``: the weights of piecewise-linear interpolation (ends held flat).

    Row ``k`` holds the two weights that ``np.interp(at[k], xs, ys)`` gives the neighbouring
    knots, so ``matrix @ ys`` interpolates any knot values ``ys`` at once.
    """
    out = np.zeros((len(at), len(xs)))
    for k, x in enumerate(at):
        if x <= xs[0]:
            out[k, 0] = 1.0
        elif x >= xs[-1]:
            out[k, -1] = 1.0
        else:
            j = int(np.searchsorted(xs, x, side="right")) - 1
            share = (x - xs[j]) / (xs[j + 1] - xs[j])
            out[k, j], out[k, j + 1] = 1.0 - share, share
    return out


@dataclass(frozen=True, eq=False)
class SpaceTemplate:
    """A scenario's agreement space with its numbers still to be drawn.

    Everything that does not depend on the numbers (parties, issues, options, consent) is fixed;
    the numbers are listed once (``numbers``) with, for each weight, option value and walk-away
    point, where it comes from. :meth:`fill` then builds a :class:`CompiledSpace` for any way of
    drawing the numbers with a few array operations — what repeated compilation (one per sample
    in :mod:`zopa.robust`) needs.
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    consent: tuple[NDArray[np.bool_], ...]
    numbers: tuple[float | Uncertain, ...]
    weight_index: NDArray[np.intp]  # (P, I) into numbers
    value_maps: tuple[NDArray[np.float64], ...]  # per issue (P * K, len(numbers))
    reservation_index: NDArray[np.intp]  # (P,)

    def fill(self, draw: Draw = point) -> CompiledSpace:
        """Return the compiled space with every number drawn by ``draw``."""
        return self.fill_vector(np.array([draw(n) for n in self.numbers], dtype=np.float64))

    def positions(self, numbers: Sequence[float | Uncertain]) -> NDArray[np.intp]:
        """Where each of ``numbers`` (objects of the scenario) stands in :attr:`numbers`."""
        index = {id(n): k for k, n in enumerate(self.numbers)}
        return np.array([index[id(n)] for n in numbers], dtype=np.intp)

    def fill_vector(self, v: NDArray[np.float64]) -> CompiledSpace:
        """Return the compiled space for the values ``v`` of :attr:`numbers`, in order."""
        weights = np.maximum(v[self.weight_index], 0.0)
        weights /= weights.sum(axis=1, keepdims=True)
        n_parties = len(self.parties)
        values = tuple(
            np.clip(m @ v, 0.0, 1.0).reshape(n_parties, len(o))
            for m, o in zip(self.value_maps, self.options, strict=True)
        )
        return CompiledSpace(
            parties=self.parties,
            issues=self.issues,
            options=self.options,
            values=values,
            weights=weights,
            reservation=v[self.reservation_index],
            consent=self.consent,
        )


def space_template(scenario: Scenario) -> SpaceTemplate:
    """Build the :class:`SpaceTemplate` of a validated scenario."""
    parties = tuple(p for p in scenario.parties if p in scenario.preferences)
    issues = tuple(scenario.issues)
    options = tuple(tuple(scenario.issues[i].option_ids()) for i in issues)
    numbers: list[float | Uncertain] = []
    position: dict[int, int] = {}

    def slot(number: float | Uncertain) -> int:
        key = id(number)
        if key not in position:
            position[key] = len(numbers)
            numbers.append(number)
        return position[key]

    weight_index = np.zeros((len(parties), len(issues)), dtype=np.intp)
    reservation_index = np.zeros(len(parties), dtype=np.intp)
    cells: list[list[tuple[int, int, dict[int, float]]]] = [[] for _ in issues]
    for r, party in enumerate(parties):
        prefs = scenario.preferences[party]
        for c, issue in enumerate(issues):
            weight_index[r, c] = slot(prefs.weights[issue])
            spec = prefs.values.get(issue)
            if spec is None:
                continue  # an issue without values is worth 0 to the party
            if isinstance(spec, Piecewise):
                xs = [float(x) for x, _ in spec.piecewise]
                knots = [slot(y) for _, y in spec.piecewise]
                matrix = _interpolation(xs, [float(o) for o in options[c]])
                for k in range(len(options[c])):
                    row = {knots[j]: matrix[k, j] for j in np.flatnonzero(matrix[k])}
                    cells[c].append((r, k, row))
            else:
                for k, option in enumerate(options[c]):
                    cells[c].append((r, k, {slot(spec[option]): 1.0}))
        reservation_index[r] = slot(prefs.reservation)
    value_maps = []
    for c, entries in enumerate(cells):
        m = np.zeros((len(parties) * len(options[c]), len(numbers)))
        for r, k, row in entries:
            for j, share in row.items():
                m[r * len(options[c]) + k, j] += share
        value_maps.append(m)
    consent = []
    for c, issue in enumerate(issues):
        mask = np.zeros((len(parties), len(options[c])), dtype=bool)
        base = set(scenario.issue_consent(issue))
        spec_issue = scenario.issues[issue]
        for k, option in enumerate(options[c]):
            extra = set(spec_issue.options[option].consent) if spec_issue.options else set()
            mask[:, k] = [p in base | extra for p in parties]
        consent.append(mask)
    return SpaceTemplate(
        parties=parties,
        issues=issues,
        options=options,
        consent=tuple(consent),
        numbers=tuple(numbers),
        weight_index=weight_index,
        value_maps=tuple(value_maps),
        reservation_index=reservation_index,
    )


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
    return space_template(scenario).fill(draw)
