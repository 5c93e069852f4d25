"""Sampling the uncertain numbers of a scenario, reproducibly and in independent chunks.

Every number an analyst may be unsure of is written as a point, ``{low, high}`` (uniform) or
``{mode, low, high}`` (triangular). :func:`uncertain_inputs` lists those of a scenario's
preferences and of its ``dynamics:`` section with their paths; :func:`sample_inputs` draws them
(plain Monte Carlo or Latin hypercube: McKay, Beckman & Conover 1979, "A comparison of three
methods for selecting values of input variables in the analysis of output from a computer code",
Technometrics 21(2)), optionally perturbing the point values too by a stated fraction.
Constraints are kept where the numbers are used: :func:`zopa.space.compile.compile_scenario`
renormalises weights and clips values to [0, 1],
:func:`zopa.simulate.schedule.compile_schedule` clips walk-away points to [0, 1], and a draw
never leaves its own interval.

Work is cut into chunks, each with its own stream spawned from one ``SeedSequence``
(:func:`chunk_plan`), so that the samples — and everything computed from them — are the same
whether the chunks run one after another, in a process pool or on a cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from zopa.model.numbers import Uncertain

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.space.compile import Draw

Method = Literal["random", "lhs"]


@dataclass(frozen=True)
class UncertainInput:
    """One number of a scenario that varies across samples.

    Attributes
    ----------
    path
        Where it stands, e.g. ``preferences.RU.reservation``.
    number
        The number as written (an :class:`~zopa.model.numbers.Uncertain`, or a float when a
        point value is perturbed).
    low, high, mode
        Its distribution: uniform on ``[low, high]`` when ``mode`` is None, else triangular.
    """

    path: str
    number: float | Uncertain
    low: float
    high: float
    mode: float | None

    @property
    def point(self) -> float:
        """The value deterministic analyses use."""
        return self.mode if self.mode is not None else (self.low + self.high) / 2


@dataclass(frozen=True)
class NumberSite:
    """Where one number of a scenario stands, and what it is.

    Attributes
    ----------
    path
        Its path, as :class:`UncertainInput` names it.
    number
        The number as written.
    low, high
        Its bounds (``high`` None: unbounded above).
    party
        The party whose preferences or dynamics it belongs to (None for none).
    kind
        ``weight``, ``value`` or ``reservation`` for a preference; ``cost_of_war``,
        ``territory`` or ``shift`` for the dynamics.
    issue
        The issue of a weight or a value.
    option
        The option of a value in a value table.
    x, index
        The ``x`` and the position of a point of a piecewise value function.
    """

    path: str
    number: float | Uncertain
    low: float
    high: float | None
    party: str | None = None
    kind: str = "value"
    issue: str | None = None
    option: str | None = None
    x: float | None = None
    index: int | None = None


def number_sites(scenario: Scenario) -> Iterator[NumberSite]:
    """Every preference and dynamics number of a scenario with its path and what it is."""
    for party, prefs in scenario.preferences.items():
        base = f"preferences.{party}"
        for issue, weight in prefs.weights.items():
            yield NumberSite(f"{base}.weights.{issue}", weight, 0.0, None, party, "weight", issue)
        for issue, spec in prefs.values.items():
            if hasattr(spec, "piecewise"):
                for k, (x, v) in enumerate(spec.piecewise):
                    path = f"{base}.values.{issue}.piecewise[{k}] (x={x:g})"
                    yield NumberSite(path, v, 0.0, 1.0, party, "value", issue, x=x, index=k)
            else:
                for option, v in spec.items():
                    path = f"{base}.values.{issue}.{option}"
                    yield NumberSite(path, v, 0.0, 1.0, party, "value", issue, option)
        yield NumberSite(f"{base}.reservation", prefs.reservation, 0.0, 1.0, party, "reservation")
    dynamics = scenario.dynamics
    if dynamics is not None:
        for party, drift in dynamics.drift.items():
            base = f"dynamics.drift.{party}"
            yield NumberSite(
                f"{base}.cost_of_war", drift.cost_of_war, 0.0, 1.0, party, "cost_of_war"
            )
            yield NumberSite(f"{base}.territory", drift.territory, -1.0, 1.0, party, "territory")
        for i, shift in enumerate(dynamics.shifts):
            for party, change in shift.parties.items():
                path = f"dynamics.shifts[{i}].parties.{party}"
                yield NumberSite(path, change, -1.0, 1.0, party, "shift", index=i)


def uncertain_inputs(scenario: Scenario, *, perturb: float = 0.0) -> list[UncertainInput]:
    """List the numbers of a scenario that vary across samples.

    The preferences' numbers (paths ``preferences.…``), then those of the ``dynamics:`` section
    (``dynamics.drift.RU.cost_of_war``, ``dynamics.shifts[0].parties.RU``…), which only the
    simulation of talks over time reads: an engine that works on the agreement space alone
    should keep the ``preferences.`` inputs, so that its samples and hinges do not change with
    a scenario's dynamics.

    Parameters
    ----------
    scenario
        A validated scenario.
    perturb
        Also vary every *point* value by ± this fraction of itself (uniformly), within the
        number's own bounds; 0 leaves point values fixed.

    Returns
    -------
    list of UncertainInput
        In a fixed order (party, then weights, values, walk-away point; then the drift per
        party and the shifts in order).
    """
    out = []
    for site in number_sites(scenario):
        path, number, lo, hi = site.path, site.number, site.low, site.high
        if isinstance(number, Uncertain):
            out.append(UncertainInput(path, number, number.low, number.high, number.mode))
        elif perturb > 0 and number != 0:
            # ± a fraction of the value: for a negative value (a loss) the ends swap
            a, b = sorted((number * (1 - perturb), number * (1 + perturb)))
            low = max(lo, a)
            high = b if hi is None else min(hi, b)
            out.append(UncertainInput(path, number, low, high, None))
    return out


def _triangular(
    u: NDArray[np.float64], low: float, mode: float, high: float
) -> NDArray[np.float64]:
    """Inverse CDF of the triangular distribution, in a form that cannot overflow.

    The textbook form ``low + sqrt(u (high - low)(mode - low))`` multiplies two widths, which
    overflows for widths beyond about 1e154; written as ``low + (high - low) sqrt(u c)`` with
    ``c = (mode - low) / (high - low)`` every intermediate stays within the interval's own
    magnitude, and the draw never leaves ``[low, high]``.
    """
    if high == low:
        return np.full_like(u, low)
    width = high - low
    if not np.isfinite(width):  # ends of opposite sign near the float limit: work in halves
        return np.clip(2.0 * _triangular(u, low / 2, mode / 2, high / 2), low, high)
    cut = (mode - low) / width
    left = low + width * np.sqrt(u * cut)
    right = high - width * np.sqrt((1 - u) * (1 - cut))
    return np.clip(np.where(u < cut, left, right), low, high)


def sample_inputs(
    inputs: list[UncertainInput],
    n: int,
    rng: np.random.Generator | int | None,
    method: Method = "random",
) -> NDArray[np.float64]:
    """Draw ``n`` samples of every input.

    Parameters
    ----------
    inputs
        From :func:`uncertain_inputs`.
    n
        Number of samples.
    rng
        A seed or generator (``np.random.default_rng(rng)``).
    method
        ``random`` (independent uniforms) or ``lhs`` (Latin hypercube: each input's ``n``
        equal-probability strata are each hit once, in an independent random order).

    Returns
    -------
    numpy.ndarray
        ``(n, len(inputs))`` values.
    """
    gen = np.random.default_rng(rng)
    k = len(inputs)
    u = gen.random((n, k))
    if method == "lhs" and n > 0:
        strata = np.argsort(gen.random((n, k)), axis=0)
        u = (strata + u) / n
    out = np.empty((n, k))
    for j, item in enumerate(inputs):
        if item.mode is None:
            out[:, j] = item.low + u[:, j] * (item.high - item.low)
        else:
            out[:, j] = _triangular(u[:, j], item.low, item.mode, item.high)
    return out


def draw_for(inputs: list[UncertainInput], row: NDArray[np.float64]) -> Draw:
    """The function that maps each varying number of the scenario to its value in ``row``.

    Numbers are matched by identity (the very objects of the validated scenario), so the
    returned function must be used with the scenario the inputs were listed from.
    """
    by_id = {id(item.number): float(v) for item, v in zip(inputs, row, strict=True)}

    def draw(number: float | Uncertain) -> float:
        value = by_id.get(id(number))
        if value is not None:
            return value
        return number.point if isinstance(number, Uncertain) else float(number)

    return draw


@dataclass(frozen=True)
class Chunk:
    """A slice of the samples with its own random stream."""

    index: int
    start: int
    count: int
    seed: np.random.SeedSequence


def chunk_plan(n: int, chunk_size: int, seed: int | None) -> list[Chunk]:
    """Cut ``n`` samples into chunks, each seeded from ``SeedSequence(seed).spawn``.

    The plan depends only on ``n``, ``chunk_size`` and ``seed`` — never on how many workers run
    it — so results are identical serially and in parallel.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    count = -(-n // chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(count)
    return [
        Chunk(i, i * chunk_size, min(chunk_size, n - i * chunk_size), seeds[i])
        for i in range(count)
    ]


@dataclass(frozen=True)
class Prior:
    """The joint distribution the inputs are drawn from: independent uniforms and triangulars.

    What conditioning on evidence needs besides drawing: the density (for Metropolis moves
    within the prior's support), the distribution function and the quantiles (to say how far
    the evidence moved each input).

    Attributes
    ----------
    low, high
        ``(k,)`` each input's interval.
    mode
        ``(k,)`` the triangular's mode, NaN for a uniform input.
    """

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    mode: NDArray[np.float64]

    @classmethod
    def of(cls, inputs: list[UncertainInput]) -> Prior:
        """The prior of :func:`sample_inputs` over ``inputs``."""
        return cls(
            np.array([i.low for i in inputs], dtype=np.float64),
            np.array([i.high for i in inputs], dtype=np.float64),
            np.array([np.nan if i.mode is None else i.mode for i in inputs], dtype=np.float64),
        )

    def log_density(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """``(n,)`` the log density of each row (``-inf`` outside the support).

        Inputs whose interval is a single point are left out (their density is a point mass,
        the same for every row).
        """
        x = np.asarray(rows, dtype=np.float64)
        lo, hi, mode = self.low, self.high, self.mode
        width = hi - lo
        free = width > 0
        inside = ((x >= lo) & (x <= hi)) | ~free
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            uniform = np.where(free, -np.log(np.where(free, width, 1.0)), 0.0)
            left = 2 * (x - lo) / (width * (mode - lo))
            right = 2 * (hi - x) / (width * (hi - mode))
            tri = np.where(x < mode, left, np.where(x > mode, right, 2 / width))
            logs = np.where(np.isnan(mode), uniform, np.log(np.where(free, tri, 1.0)))
        logs = np.where(free, logs, 0.0)
        out: NDArray[np.float64] = np.where(inside.all(axis=-1), logs.sum(axis=-1), -np.inf)
        return out

    def cdf(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """The distribution function of each input at each value (same shape as ``rows``)."""
        x = np.asarray(rows, dtype=np.float64)
        lo, hi, mode = self.low, self.high, self.mode
        width = np.where(hi > lo, hi - lo, 1.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            uniform = (x - lo) / width
            left = (x - lo) ** 2 / (width * (mode - lo))
            right = 1 - (hi - x) ** 2 / (width * (hi - mode))
            tri = np.where(x <= mode, np.where(mode > lo, left, 0.0), right)
            out = np.where(np.isnan(mode), uniform, tri)
        out = np.where(x >= hi, 1.0, np.where(x < lo, 0.0, out))
        result: NDArray[np.float64] = np.clip(out, 0.0, 1.0)
        return result

    def quantile(self, q: float) -> NDArray[np.float64]:
        """``(k,)`` each input's ``q``-quantile (exact, from the inverse distribution function)."""
        out = np.empty(self.low.size)
        u = np.array([q], dtype=np.float64)
        for j, (lo, hi, mode) in enumerate(zip(self.low, self.high, self.mode, strict=True)):
            if np.isnan(mode):
                out[j] = lo + q * (hi - lo)
            else:
                out[j] = _triangular(u, float(lo), float(mode), float(hi))[0]
        return out
