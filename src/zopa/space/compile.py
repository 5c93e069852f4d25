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

Exact arithmetic
----------------
Every number of the scenario is read as the decimal it was written as (up to
:data:`DECIMALS` places); for a party whose numbers are all such decimals,
:class:`ExactParty` holds its utility model in integers: each issue's contribution
``w_pi · v_pi(o) / Σ_j w_pj`` and its walk-away point as numerators over one common
denominator, computed in rational arithmetic *before* any rounding (Σ w·v is compared with
r · Σ w, never with renormalised floats). :mod:`zopa.space.exact` puts these integers on its grid,
so acceptability, ties and dominance are decided exactly. Piecewise value functions are
interpolated exactly too.

Consent
-------
A package needs the consent of every party named by an issue's ``consent`` (default: the
belligerents) and, for each chosen option, of the parties that option names. It is *acceptable*
when every needed party's utility reaches its walk-away point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import lcm
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import Piecewise

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.space.exact import Grid

Draw = Callable[[float | Uncertain], float]
"""How an uncertain number becomes a float: :func:`zopa.model.numbers.point` by default."""

DECIMALS = 9
"""Decimal places up to which a number is read as the decimal it was written as."""
_TEN = 10**DECIMALS
MAX_DENOMINATOR = 10**18
"""Largest common denominator an :class:`ExactParty` may have (beyond it the party is inexact)."""


def decimal_numerators(v: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Read floats as decimals of at most :data:`DECIMALS` places.

    Returns
    -------
    numerators, ok
        ``k`` with ``v == k / 10**DECIMALS`` exactly as floats, and where that holds (finite
        numbers below 10⁶ in magnitude written with at most :data:`DECIMALS` places).
    """
    v = np.asarray(v, dtype=np.float64)
    ok = np.isfinite(v) & (np.abs(v) < 1e6)
    scaled = np.where(ok, v, 0.0) * _TEN
    k = np.rint(scaled).astype(np.int64)
    ok &= k.astype(np.float64) / _TEN == np.where(ok, v, 0.0)
    return k, ok


def exact_number(x: float) -> Fraction:
    """The rational a float stands for: its short decimal when it is one, else its binary value."""
    k, ok = decimal_numerators(np.array([x], dtype=np.float64))
    return Fraction(int(k[0]), _TEN) if ok[0] else Fraction(x)


@dataclass(frozen=True)
class ExactParty:
    """One party's utility model in exact integers.

    Attributes
    ----------
    denominator
        ``M``: the least common denominator of every contribution and the walk-away point.
    contributions
        Per issue, per option: ``M · w_i · v_i(o) / Σ_j w_j`` (an integer).
    reservation
        ``M · r`` (an integer).
    """

    denominator: int
    contributions: tuple[tuple[int, ...], ...]
    reservation: int


def exact_party(
    weights: Sequence[Fraction], values: Sequence[Sequence[Fraction]], reservation: Fraction
) -> ExactParty | None:
    """Build an :class:`ExactParty` from rational weights, option values and walk-away point.

    Negative weights count as 0 and values are clipped to [0, 1], as in the float model; a party
    whose weights are all 0 is indifferent (every contribution 0). None when the common
    denominator exceeds :data:`MAX_DENOMINATOR`.
    """
    w = [max(x, Fraction(0)) for x in weights]
    total = sum(w, Fraction(0))
    shares = [x / total if total > 0 else Fraction(0) for x in w]
    contributions = [
        [share * min(max(v, Fraction(0)), Fraction(1)) for v in row]
        for share, row in zip(shares, values, strict=True)
    ]
    denominator = reservation.denominator
    for row in contributions:
        for c in row:
            denominator = lcm(denominator, c.denominator)
            if denominator > MAX_DENOMINATOR:
                return None
    return ExactParty(
        denominator=denominator,
        contributions=tuple(tuple(int(c * denominator) for c in row) for row in contributions),
        reservation=int(reservation * denominator),
    )


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
    exact
        Per party, its :class:`ExactParty` (None for a party with a number that is not a short
        decimal); None when the space was built from floats alone. A space rebuilt with
        :func:`dataclasses.replace` keeps it only where it still matches the floats
        (:func:`zopa.space.exact.space_grid` checks).
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    values: tuple[NDArray[np.float64], ...]
    weights: NDArray[np.float64]
    reservation: NDArray[np.float64]
    consent: tuple[NDArray[np.bool_], ...]
    exact: tuple[ExactParty | None, ...] | None = None

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

    @cached_property
    def grid(self) -> Grid:
        """The integer utility grid of :mod:`zopa.space.exact` (computed once)."""
        from zopa.space.exact import space_grid

        return space_grid(self)

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


def _interpolation(xs: list[float], at: list[float]) -> list[dict[int, Fraction]]:
    """Per point of ``at``, the exact weights of piecewise-linear interpolation (ends held flat).

    Entry ``k`` maps knot indices to the weights that ``np.interp(at[k], xs, ys)`` gives them,
    computed in rational arithmetic from the decimals written, so interpolating any knot values
    ``ys`` is ``Σ_j weight_j · ys[j]``.
    """
    knots = [exact_number(x) for x in xs]
    out: list[dict[int, Fraction]] = []
    for x in at:
        q = exact_number(x)
        if q <= knots[0]:
            out.append({0: Fraction(1)})
        elif q >= knots[-1]:
            out.append({len(knots) - 1: Fraction(1)})
        else:
            j = int(np.searchsorted(xs, x, side="right")) - 1
            while knots[j + 1] <= q:  # the float search may stop one knot short
                j += 1
            share = (q - knots[j]) / (knots[j + 1] - knots[j])
            out.append({j: 1 - share, j + 1: share} if share else {j: Fraction(1)})
    return out


Cells = tuple[tuple[tuple[tuple[int, Fraction], ...], ...], ...]
"""Per issue, per row ``party * n_options + option``: ``(number index, share)`` pairs."""


@dataclass(frozen=True, eq=False)
class SpaceTemplate:
    """A scenario's agreement space with its numbers still to be drawn.

    Everything that does not depend on the numbers (parties, issues, options, consent) is fixed;
    the numbers are listed once (``numbers``) with, for each weight, option value and walk-away
    point, where it comes from. :meth:`fill` then builds a :class:`CompiledSpace` for any way of
    drawing the numbers with a few array operations — what repeated compilation (one per sample
    in :mod:`zopa.robust`) needs. A party's exact model (:class:`ExactParty`) is built when all
    its numbers are short decimals, once per distinct set of its numbers.
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    consent: tuple[NDArray[np.bool_], ...]
    numbers: tuple[float | Uncertain, ...]
    weight_index: NDArray[np.intp]  # (P, I) into numbers
    value_maps: tuple[NDArray[np.float64], ...]  # per issue (P * K, len(numbers))
    reservation_index: NDArray[np.intp]  # (P,)
    cells: Cells = ()
    _cache: dict[tuple[int, bytes], ExactParty | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def party_numbers(self) -> tuple[NDArray[np.intp], ...]:
        """Per party, the indices of the numbers its model uses."""
        out = []
        for r in range(len(self.parties)):
            used = set(self.weight_index[r].tolist()) | {int(self.reservation_index[r])}
            for c, rows in enumerate(self.cells):
                k = len(self.options[c])
                for row in rows[r * k : (r + 1) * k]:
                    used |= {j for j, _ in row}
            out.append(np.array(sorted(used), dtype=np.intp))
        return tuple(out)

    def fill(self, draw: Draw = point) -> CompiledSpace:
        """Return the compiled space with every number drawn by ``draw``."""
        return self.fill_vector(np.array([draw(n) for n in self.numbers], dtype=np.float64))

    def positions(self, numbers: Sequence[float | Uncertain]) -> NDArray[np.intp]:
        """Where each of ``numbers`` (objects of the scenario) stands in :attr:`numbers`."""
        index = {id(n): k for k, n in enumerate(self.numbers)}
        return np.array([index[id(n)] for n in numbers], dtype=np.intp)

    def _exact_party(self, r: int, k: NDArray[np.int64]) -> ExactParty | None:
        used = self.party_numbers[r]
        key = (r, k[used].tobytes())
        if key not in self._cache:
            q = {int(j): Fraction(int(k[j]), _TEN) for j in used}
            weights = [q[int(j)] for j in self.weight_index[r]]
            values = []
            for c, rows in enumerate(self.cells):
                n = len(self.options[c])
                values.append(
                    [
                        sum((s * q[j] for j, s in row), Fraction(0))
                        for row in rows[r * n : (r + 1) * n]
                    ]
                )
            self._cache[key] = exact_party(weights, values, q[int(self.reservation_index[r])])
        return self._cache[key]

    def fill_vector(self, v: NDArray[np.float64]) -> CompiledSpace:
        """Return the compiled space for the values ``v`` of :attr:`numbers`, in order.

        Negative or non-finite weights count as 0 (a party whose weights are all 0 is
        indifferent: every contribution 0); values are clipped to [0, 1]; non-finite values
        and walk-away points are refused.

        Raises
        ------
        ValueError
            For a value or walk-away point that is not finite.
        """
        v = np.asarray(v, dtype=np.float64)
        n_parties = len(self.parties)
        raw = v[self.weight_index]
        weights = np.where(np.isfinite(raw) & (raw > 0), raw, 0.0)
        # normalise without overflow: divide by the largest weight first
        top = weights.max(axis=1, keepdims=True) if weights.size else np.ones((n_parties, 1))
        weights = weights / np.where(top > 0, top, 1.0)
        total = weights.sum(axis=1, keepdims=True)
        weights = weights / np.where(total > 0, total, 1.0)
        values = []
        for m, o in zip(self.value_maps, self.options, strict=True):
            used = np.flatnonzero(m.any(axis=0))
            if not np.isfinite(v[used]).all():
                raise ValueError("option values must be finite numbers")
            values.append(np.clip(m[:, used] @ v[used], 0.0, 1.0).reshape(n_parties, len(o)))
        reservation = v[self.reservation_index]
        if not np.isfinite(reservation).all():
            raise ValueError("walk-away points must be finite numbers")
        exact: list[ExactParty | None] = [None] * n_parties
        if self.cells:
            k, ok = decimal_numerators(v)
            for r in range(n_parties):
                if ok[self.party_numbers[r]].all():
                    exact[r] = self._exact_party(r, k)
        return CompiledSpace(
            parties=self.parties,
            issues=self.issues,
            options=self.options,
            values=tuple(values),
            weights=weights,
            reservation=reservation,
            consent=self.consent,
            exact=tuple(exact) if self.cells else None,
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
    cells: list[list[tuple[tuple[int, Fraction], ...]]] = [
        [() for _ in range(len(parties) * len(options[c]))] for c in range(len(issues))
    ]
    for r, party in enumerate(parties):
        prefs = scenario.preferences[party]
        for c, issue in enumerate(issues):
            weight_index[r, c] = slot(prefs.weights[issue])
            spec = prefs.values.get(issue)
            if spec is None:
                continue  # an issue without values is worth 0 to the party
            n = len(options[c])
            if isinstance(spec, Piecewise):
                xs = [float(x) for x, _ in spec.piecewise]
                knots = [slot(y) for _, y in spec.piecewise]
                shares = _interpolation(xs, [float(o) for o in options[c]])
                for k in range(n):
                    cells[c][r * n + k] = tuple((knots[j], s) for j, s in shares[k].items())
            else:
                for k, option in enumerate(options[c]):
                    cells[c][r * n + k] = ((slot(spec[option]), Fraction(1)),)
        reservation_index[r] = slot(prefs.reservation)
    value_maps = []
    for c, rows in enumerate(cells):
        m = np.zeros((len(parties) * len(options[c]), len(numbers)))
        for row_index, row in enumerate(rows):
            for j, share in row:
                m[row_index, j] += float(share)
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
        cells=tuple(tuple(rows) for rows in cells),
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
