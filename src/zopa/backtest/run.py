"""The backtest of one scenario: what the analysis said at each date, against what happened.

See :mod:`zopa.backtest` for the definitions. :func:`backtest_scenario` is the engine behind
``zopa backtest``: it never prints and reads no file; the facade (:func:`zopa.backtest`) loads
the scenarios and wraps the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from zopa.backtest.basis import NumberBasis, hold_at_point, number_bases

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.robust.proposals import RobustProposals
    from zopa.robust.sensitivity import Hinge
    from zopa.space.compile import CompiledSpace
    from zopa.space.engine import PackageSet

THIN_MARGIN = 0.05
"""A zone of agreement is *thin* when its margin is below this (utility on the 0–1 scale)..."""

THIN_PROBABILITY = 0.5
"""...or when, under the ranges (given the reactions known then), a zone exists in fewer than
this share of the samples."""

MAX_RANKED = 1_000_000
"""The rank by Nash product is computed for spaces of at most this many packages (enumerated)."""

HINGES = 3
"""Inputs listed per conclusion (those its verdict hinges on most, by |Spearman ρ|)."""

SYNTHETIC = "backtest"
"""Prefix of the proposal ids under which the robust runs evaluate the outcomes' packages."""

Zone = Literal["none", "thin", "wide"]
Progress = Callable[[int, int], None]


def _round(x: float | None, digits: int = 6) -> float | None:
    """A number for JSON, rounded (None stays None)."""
    return None if x is None else round(float(x), digits)


# -- result objects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a backtest compares the analysis with: the final outcome, or an interim one.

    Attributes
    ----------
    key
        ``final``, or ``interim-1``, ``interim-2``... in the scenario's order.
    status
        ``agreed``, ``broke-down`` or (interim only) ``rejected``.
    date
        When it happened; the analysis is run at every earlier date of the record.
    text
        What happened.
    source
        Where it is reported.
    package
        The package agreed (or rejected), ``{issue: option}``; None for a breakdown (or an
        interim outcome given without its package).
    """

    key: str
    status: str
    date: dt.date
    text: str
    source: tuple[str, ...]
    package: dict[str, str] | None

    @property
    def expectation(self) -> str:
        """What the analysis must find for the outcome to be consistent with it."""
        if self.package is None:
            if self.status == "broke-down":
                return "no zone of agreement, or a thin one"
            return "nothing to check (no package given)"
        if self.status == "agreed":
            return "the package acceptable to every party whose consent it needs"
        return "the package not acceptable to some party whose consent it needs"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "key": self.key,
            "status": self.status,
            "date": self.date.isoformat(),
            "text": self.text,
            "source": list(self.source),
            "package": None if self.package is None else dict(self.package),
            "expectation": self.expectation,
        }


@dataclass(frozen=True)
class Distance:
    """How far the outcome's package lies from a bargaining solution's package.

    Attributes
    ----------
    issues
        The number of issues on which the outcome differs from the solution (the distance the
        bridging search counts, :mod:`zopa.space.bridging`); with tied solution packages, the
        nearest.
    differing
        Those issues.
    solution
        The (nearest) solution package.
    tied
        How many packages attain the solution.
    """

    issues: int
    differing: tuple[str, ...]
    solution: dict[str, str]
    tied: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "issues": self.issues,
            "differing": list(self.differing),
            "solution": dict(self.solution),
            "tied": self.tied,
        }


@dataclass(frozen=True)
class HingeNote:
    """An input a sampled conclusion hinges on, and whether its basis predates the outcome."""

    path: str
    spearman: float
    dated_before: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "input": self.path,
            "spearman": round(self.spearman, 4),
            "basis_dated_before_outcome": self.dated_before,
        }


@dataclass(frozen=True)
class Sampled:
    """What one robust run at a date says about a target.

    Attributes
    ----------
    samples
        Samples of the run (posterior samples when conditioned).
    varied
        How many uncertain numbers varied.
    p_acceptable, p_acceptable_prior
        The share of samples in which the target's package is acceptable to every party whose
        consent it needs: given the reactions known then (the posterior), and before them
        (the prior). None for a target without a package.
    p_zone, p_zone_prior
        The share of samples with a zone of agreement (margin ≥ 0), posterior and prior.
    p_no_wide_zone, p_no_wide_zone_prior
        The share of samples without a zone or with one whose margin is below
        :data:`THIN_MARGIN` (a breakdown's expectation, sample by sample), posterior and prior.
    margin
        Quantiles (``q05``, ``q50``, ``q95``) of the zone's margin over the (posterior) samples.
    conditioning
        ``none`` (no reaction known then), ``rejection`` or ``smc`` (the sampler of the
        posterior), or ``prior`` (the ranges cannot explain the record: fell back, warned).
    hinges
        The inputs the conclusion (the package's acceptability; the zone's existence for a
        breakdown) hinges on most, each with whether its basis predates the outcome.
    warnings
        The robust engine's warnings.
    """

    samples: int
    varied: int
    p_acceptable: float | None
    p_acceptable_prior: float | None
    p_zone: float
    p_zone_prior: float
    p_no_wide_zone: float
    p_no_wide_zone_prior: float
    margin: dict[str, float]
    conditioning: str
    hinges: tuple[HingeNote, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def hinges_on_hindsight(self) -> bool:
        """Whether the input the conclusion hinges on most has a basis not dated before."""
        return bool(self.hinges) and not self.hinges[0].dated_before

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "samples": self.samples,
            "varied": self.varied,
            "p_acceptable": _round(self.p_acceptable, 4),
            "p_acceptable_prior": _round(self.p_acceptable_prior, 4),
            "p_zone": round(self.p_zone, 4),
            "p_zone_prior": round(self.p_zone_prior, 4),
            "p_no_wide_zone": round(self.p_no_wide_zone, 4),
            "p_no_wide_zone_prior": round(self.p_no_wide_zone_prior, 4),
            "margin": {q: round(v, 6) for q, v in self.margin.items()},
            "conditioning": self.conditioning,
            "hinges": [h.to_dict() for h in self.hinges],
            "hinges_on_hindsight": self.hinges_on_hindsight,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class DateCheck:
    """The analysis at one date of the record, using only what was known then.

    Attributes
    ----------
    date
        The date (a proposal or a reaction appeared on it).
    proposals, reactions
        How many proposals and reactions were known then.
    new
        The proposals dated that day.
    margin
        The zone's margin under the point assumptions (negative: no zone).
    zone
        ``none``, ``thin`` or ``wide`` (:mod:`zopa.backtest`).
    acceptable
        Whether the target's package is acceptable to every party whose consent it needs,
        under the point assumptions (None without a package).
    rejecting
        The needed parties that would reject it.
    slack
        The least slack (utility minus walk-away point) among those parties.
    rank, ranked
        The package's rank among the acceptable packages by Nash product (1 = the Nash
        package; ties share a rank), and how many acceptable packages there are; None when the
        package is not acceptable or the space is too large to rank.
    nash, kalai_smorodinsky
        The package's distance to each solution (None without a zone or a package).
    full
        The robust run where every uncertain number varies (None with ``samples = 0``).
    dated
        The robust run where only the numbers whose basis is dated before the outcome vary,
        the others held at their point values; None when no such number is uncertain (nothing
        would vary) or without samples. The same object as ``full`` when every uncertain number
        is dated before.
    consistent
        Whether the analysis at this date agrees with what happened (:attr:`Target.expectation`);
        None when there is nothing to check.
    p_fits, p_fits_dated
        The share of ``full``'s (``dated``'s) samples in which the analysis agrees with what
        happened (:func:`p_fits`); None without that run.
    notes
        What the reader needs to read the row (why a rank or a run is missing).
    """

    date: dt.date
    proposals: int
    reactions: int
    new: tuple[str, ...]
    margin: float
    zone: Zone
    acceptable: bool | None
    rejecting: tuple[str, ...]
    slack: float | None
    rank: int | None
    ranked: int | None
    nash: Distance | None
    kalai_smorodinsky: Distance | None
    full: Sampled | None
    dated: Sampled | None
    consistent: bool | None
    p_fits: float | None = None
    p_fits_dated: float | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "date": self.date.isoformat(),
            "proposals": self.proposals,
            "reactions": self.reactions,
            "new_proposals": list(self.new),
            "margin": round(self.margin, 6),
            "zone": self.zone,
            "acceptable": self.acceptable,
            "rejecting": list(self.rejecting),
            "slack": _round(self.slack),
            "nash_rank": self.rank,
            "acceptable_packages": self.ranked,
            "distance": {
                "nash": None if self.nash is None else self.nash.to_dict(),
                "kalai_smorodinsky": (
                    None if self.kalai_smorodinsky is None else self.kalai_smorodinsky.to_dict()
                ),
            },
            "ranges": None if self.full is None else self.full.to_dict(),
            "ranges_dated_before_outcome": None if self.dated is None else self.dated.to_dict(),
            "consistent": self.consistent,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class TargetBacktest:
    """The backtest of one target (the final or an interim outcome) over the dates before it.

    Attributes
    ----------
    target
        What happened.
    dates
        The analysis at each date of the record before the target's date, in order.
    numbers
        Every preference number, judged against the target's date (:mod:`zopa.backtest.basis`).
    """

    target: Target
    dates: list[DateCheck]
    numbers: list[NumberBasis]

    @property
    def last(self) -> DateCheck | None:
        """The analysis at the last date before the outcome (None when there is none)."""
        return self.dates[-1] if self.dates else None

    @property
    def consistent_dates(self) -> int:
        """On how many dates the analysis agreed with what happened."""
        return sum(1 for d in self.dates if d.consistent)

    @property
    def checked_dates(self) -> int:
        """On how many dates there was something to check."""
        return sum(1 for d in self.dates if d.consistent is not None)

    @property
    def dated_numbers(self) -> int:
        """How many preference numbers have a basis dated before the outcome."""
        return sum(1 for n in self.numbers if n.dated_before)

    @property
    def consistent_since(self) -> dt.date | None:
        """The first date from which the analysis agreed with the outcome on every later date."""
        since = None
        for d in self.dates:
            since = (since or d.date) if d.consistent else None
        return since

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        since = self.consistent_since
        return {
            "target": self.target.to_dict(),
            "dates": [d.to_dict() for d in self.dates],
            "summary": {
                "dates": len(self.dates),
                "checked_dates": self.checked_dates,
                "consistent_dates": self.consistent_dates,
                "consistent_since": None if since is None else since.isoformat(),
                "numbers": len(self.numbers),
                "numbers_dated_before_outcome": self.dated_numbers,
                "uncertain_numbers": sum(1 for n in self.numbers if n.uncertain),
                "uncertain_numbers_dated_before_outcome": sum(
                    1 for n in self.numbers if n.uncertain and n.dated_before
                ),
            },
            "numbers": [n.to_dict() for n in self.numbers],
        }


@dataclass(frozen=True)
class ScenarioBacktest:
    """The backtest of one scenario: its final outcome and its interim outcomes.

    Attributes
    ----------
    scenario, title
        The scenario's id and title.
    targets
        The final outcome first, then the interim outcomes in date order.
    """

    scenario: str
    title: str
    targets: list[TargetBacktest]

    @property
    def final(self) -> TargetBacktest:
        """The backtest of the final outcome."""
        return self.targets[0]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "targets": [t.to_dict() for t in self.targets],
        }


@dataclass(frozen=True)
class BacktestSettings:
    """How a backtest was run: samples, seed, thresholds."""

    samples: int
    seed: int
    thin_margin: float = THIN_MARGIN
    thin_probability: float = THIN_PROBABILITY

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "thin_margin": self.thin_margin,
            "thin_probability": self.thin_probability,
        }


# -- targets -----------------------------------------------------------------------------------


def targets_of(scenario: Scenario) -> list[Target]:
    """The final outcome, then the interim outcomes, of a scenario with an ended outcome.

    Raises
    ------
    ValueError
        When the scenario has no outcome, or its talks had not ended (``pending``).
    """
    outcome = scenario.outcome
    if outcome is None:
        raise ValueError(
            f"scenario {scenario.id!r} has no outcome section: there is nothing to backtest "
            "against (see README: What history says about the method)"
        )
    if outcome.status == "pending" or outcome.date is None:
        raise ValueError(
            f"the talks of scenario {scenario.id!r} had not ended as of {scenario.as_of} "
            "(its outcome is pending): there is nothing to backtest against yet"
        )
    out = [
        Target(
            "final",
            outcome.status,
            outcome.date,
            outcome.text or "",
            tuple(outcome.source),
            None if outcome.package is None else {k: t.option for k, t in outcome.package.items()},
        )
    ]
    for k, step in enumerate(outcome.interim, 1):
        out.append(
            Target(
                f"interim-{k}",
                step.status,
                step.date,
                step.text,
                tuple(step.source),
                None if step.package is None else {i: t.option for i, t in step.package.items()},
            )
        )
    return out


def record_dates(scenario: Scenario, before: dt.date) -> list[dt.date]:
    """The dates on which a proposal or a reaction appeared, strictly before ``before``."""
    from zopa.space.timeline import timeline_dates

    return [d for d in timeline_dates(scenario) if d < before]


# -- the point analysis at a date --------------------------------------------------------------


class _PointState:
    """The compiled space of the scenario as known at a date, and what is computed on it once."""

    def __init__(self, scenario: Scenario) -> None:
        """Compile the scenario and find its margin (the rest is computed when first asked)."""
        from zopa.space.compile import compile_scenario
        from zopa.space.engine import make_engine
        from zopa.space.exact import from_grid, grid_reservation

        self.scenario = scenario
        self.space: CompiledSpace = compile_scenario(scenario)
        self.engine = make_engine(self.space)
        self.reservation = grid_reservation(self.space)
        raw = self.engine.margin()
        self.margin = 1.0 if raw == np.iinfo(np.int64).max else float(from_grid(raw))

    @cached_property
    def solutions(self) -> dict[str, PackageSet]:
        """The bargaining solutions over the acceptable Pareto frontier."""
        from zopa.space.solutions import bargaining_solutions

        front = self.engine.pareto(acceptable_only=True)
        return bargaining_solutions(front, self.reservation, self.space.core)

    @cached_property
    def nash_products(self) -> list[int] | None:
        """The Nash product (exact integers) of every acceptable package; None when too many."""
        from zopa.space.exact import grid_utilities

        if self.space.size > MAX_RANKED:
            return None
        grid = np.indices(self.space.shape).reshape(len(self.space.shape), -1).T
        utilities = grid_utilities(self.space, grid)
        gains = utilities - self.reservation[None, :]
        needed = self.space.needed(grid)
        ok = np.where(needed, gains >= 0, True).all(axis=1)
        return _products(gains[ok][:, self.space.core])

    def check(self, package: dict[str, str]) -> _PackageCheck:
        """The point verdict on a package, its Nash rank and its distance to the solutions."""
        from zopa.space.analysis import evaluate_package
        from zopa.space.exact import grid_utilities

        index = self.space.index_of(package)
        verdict = evaluate_package(self.space, index)
        slacks = [v.slack for v in verdict.parties if v.needed and v.slack is not None]
        slack = min(slacks) if slacks else None
        notes: list[str] = []
        rank = ranked = None
        if verdict.bridges:
            products = self.nash_products
            if products is None:
                notes.append(
                    f"not ranked: {self.space.size:,} packages exceed the {MAX_RANKED:,} "
                    "enumerated to rank by Nash product"
                )
            else:
                gains = grid_utilities(self.space, index)[0] - self.reservation
                own = _products(gains[None, self.space.core])[0]
                rank = 1 + int(sum(1 for p in products if p > own))
                ranked = len(products)
        distances = {
            name: _distance(self.space, index, self.solutions[name])
            for name in ("nash", "kalai_smorodinsky")
        }
        return _PackageCheck(
            acceptable=verdict.bridges,
            rejecting=tuple(verdict.rejecting),
            slack=slack,
            rank=rank,
            ranked=ranked,
            nash=distances["nash"],
            kalai_smorodinsky=distances["kalai_smorodinsky"],
            notes=tuple(notes),
        )


@dataclass(frozen=True)
class _PackageCheck:
    """The point verdict on one package (see :class:`DateCheck` for the fields)."""

    acceptable: bool
    rejecting: tuple[str, ...]
    slack: float | None
    rank: int | None
    ranked: int | None
    nash: Distance | None
    kalai_smorodinsky: Distance | None
    notes: tuple[str, ...]


def _products(gains: NDArray[np.int64]) -> list[int]:
    """Exact Nash products (Python integers) of integer gains, one per row."""
    out = []
    for row in gains.tolist():
        product = 1
        for g in row:
            product *= int(g)
        out.append(product)
    return out


def _distance(space: CompiledSpace, index: NDArray[np.intp], found: PackageSet) -> Distance | None:
    """Issues differing between a package and the nearest of a solution's tied packages."""
    if len(found) == 0:
        return None
    differ = found.packages != index[None, :]
    counts = differ.sum(axis=1)
    best = int(np.argmin(counts))  # the first among equals: the solutions' own order
    return Distance(
        issues=int(counts[best]),
        differing=tuple(space.issues[i] for i in np.flatnonzero(differ[best])),
        solution=space.package_of(found.packages[best]),
        tied=len(found),
    )


# -- the sampled analysis at a date ------------------------------------------------------------


def _with_packages(scenario: Scenario, packages: dict[str, dict[str, str]]) -> Scenario:
    """The scenario with each package added as a proposal (first, at the earliest date).

    Placed first and dated with the earliest proposal, they never become the proposal the
    robust run's bridges are built around (the latest one).
    """
    from zopa.model.scenario import Proposal

    if not packages:
        return scenario
    earliest = min(p.date for p in scenario.proposals.values())
    party = next(p for p in scenario.parties if p in scenario.preferences)
    added = {
        pid: Proposal.model_validate(
            {
                "title": f"the outcome's package ({pid})",
                "by": [party],
                "date": earliest,
                "source": ["backtest"],
                "terms": dict(package),
            }
        )
        for pid, package in packages.items()
    }
    return scenario.model_copy(update={"proposals": {**added, **scenario.proposals}})


def _synthetic_id(scenario: Scenario, key: str) -> str:
    """A proposal id for a target's package that no proposal of the scenario uses."""
    pid = f"{SYNTHETIC}-{key}"
    while pid in scenario.proposals:
        pid += "-"
    return pid


@dataclass(frozen=True)
class _Run:
    """A robust run's results (posterior and prior) and how it was conditioned."""

    posterior: RobustProposals
    prior: RobustProposals
    conditioning: str
    warnings: tuple[str, ...]


def _robust(scenario: Scenario, samples: int, seed: int, workers: int) -> _Run:
    """The robust run of the space engine, conditioned on the reactions when there are some."""
    from zopa.robust.condition import robust_given_reactions
    from zopa.robust.proposals import robust_proposals

    if not scenario.reactions:
        run = robust_proposals(scenario, samples, seed, workers=workers, hinges=HINGES)
        return _Run(run, run, "none", ())
    found = robust_given_reactions(scenario, samples, seed, workers=workers, hinges=HINGES)
    conditioning = found.conditioning
    method = conditioning.method if conditioning.explained else "prior"
    return _Run(found.posterior, found.prior, method, tuple(conditioning.warnings))


def _sampled(
    run: _Run,
    pid: str | None,
    varied: int,
    dated: dict[str, bool],
) -> Sampled:
    """What a run says about one target (its package's proposal ``pid``, or the zone)."""

    def accept(result: RobustProposals) -> float | None:
        """The share of samples in which the package is acceptable to all it needs."""
        if pid is None:
            return None
        return next(p.bridges for p in result.proposals if p.proposal == pid)

    def zone(result: RobustProposals) -> float:
        """The share of samples with a zone of agreement."""
        return result.zone.exists if result.zone is not None else 0.0

    def narrow(result: RobustProposals) -> float:
        """The share of samples without a zone, or with a margin below the thin one."""
        draws = result.draws.get("zone")
        if draws is None or not draws.samples:
            return 0.0
        return float((draws.measure < THIN_MARGIN).mean())

    post = run.posterior
    found: list[Hinge]
    if pid is not None:
        found = next(p.hinges for p in post.proposals if p.proposal == pid)
    else:
        found = post.zone.hinges if post.zone is not None else []
    quantiles = post.zone.margin_quantiles if post.zone is not None else {}
    return Sampled(
        samples=post.samples,
        varied=varied,
        p_acceptable=accept(post),
        p_acceptable_prior=accept(run.prior),
        p_zone=zone(post),
        p_zone_prior=zone(run.prior),
        p_no_wide_zone=narrow(post),
        p_no_wide_zone_prior=narrow(run.prior),
        margin={q: quantiles[q] for q in ("q05", "q50", "q95") if q in quantiles},
        conditioning=run.conditioning,
        hinges=tuple(
            HingeNote(h.path, h.spearman, dated.get(h.path, False)) for h in found[:HINGES]
        ),
        warnings=run.warnings,
    )


def classify_zone(margin: float, p_zone: float | None) -> Zone:
    """``none`` (margin < 0), ``thin`` or ``wide`` (see :mod:`zopa.backtest`)."""
    if margin < 0:
        return "none"
    if margin < THIN_MARGIN or (p_zone is not None and p_zone < THIN_PROBABILITY):
        return "thin"
    return "wide"


def _consistent(target: Target, acceptable: bool | None, zone: Zone) -> bool | None:
    """Whether the point analysis agrees with the target (:attr:`Target.expectation`)."""
    if target.package is not None:
        return acceptable if target.status == "agreed" else not acceptable
    if target.status == "broke-down":
        return zone != "wide"
    return None


# -- the backtest ------------------------------------------------------------------------------


@dataclass
class _Plan:
    """The work of one scenario: per date, which targets are checked and which runs they need."""

    days: list[dt.date]
    targets: list[Target]
    bases: dict[str, list[NumberBasis]]
    runs: int = 0
    done: int = 0
    progress: Progress | None = field(default=None, repr=False)

    def step(self) -> None:
        """Count one analysis done and report the progress."""
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.runs)


def backtest_scenario(
    scenario: Scenario,
    *,
    samples: int = 1_000,
    seed: int = 0,
    workers: int = 1,
    progress: Progress | None = None,
) -> ScenarioBacktest:
    """Backtest a scenario against its outcome (and interim outcomes) at every earlier date.

    Parameters
    ----------
    scenario
        A validated scenario with an outcome that is agreed or broke down.
    samples, seed
        Samples of each robust run (0: point assumptions only) and the seed of every run (the
        same seed at every date, as :func:`zopa.timeline` does).
    workers
        Local worker processes of the robust runs; the results do not depend on it.
    progress
        Called as ``progress(done, total)`` in units of analyses (point or sampled) at a date.

    Returns
    -------
    ScenarioBacktest

    Raises
    ------
    ValueError
        For a scenario without an ended outcome, or without preferences.
    """
    from zopa.space.analysis import _require_issues
    from zopa.space.timeline import dated_scenario

    _require_issues(scenario)
    targets = targets_of(scenario)
    plan = _Plan(
        days=record_dates(scenario, max(t.date for t in targets)),
        targets=targets,
        bases={t.key: number_bases(scenario, t.date) for t in targets},
        progress=progress,
    )
    runs_per_day = 1 + (2 if samples else 0)
    plan.runs = runs_per_day * len(plan.days)
    checks: dict[str, list[DateCheck]] = {t.key: [] for t in targets}
    for day in plan.days:
        known = dated_scenario(scenario, day)
        state = _PointState(known)
        plan.step()
        live = [t for t in targets if day < t.date]
        sampled = _sampled_at(known, live, plan, samples, seed, workers)
        for t in live:
            checks[t.key].append(_date_check(known, state, t, day, sampled.get(t.key)))
    return ScenarioBacktest(
        scenario=scenario.id,
        title=scenario.title,
        targets=[TargetBacktest(t, checks[t.key], plan.bases[t.key]) for t in targets],
    )


def _sampled_at(
    known: Scenario,
    live: list[Target],
    plan: _Plan,
    samples: int,
    seed: int,
    workers: int,
) -> dict[str, tuple[Sampled | None, Sampled | None, str | None]]:
    """Per target, the full run and the run of the numbers dated before it, and a note.

    One full run serves every target (their packages are evaluated side by side); the runs
    with the later-dated numbers held are shared by targets that hold the same numbers.
    """
    if not samples:
        return {}
    from zopa.robust.proposals import space_inputs

    pids = {t.key: _synthetic_id(known, t.key) for t in live if t.package is not None}
    with_packages = _with_packages(
        known, {pids[t.key]: t.package for t in live if t.package is not None}
    )
    inputs = [i.path for i in space_inputs(known)]
    full = _robust(with_packages, samples, seed, workers)
    plan.step()
    held_runs: dict[frozenset[str], _Run] = {}
    out: dict[str, tuple[Sampled | None, Sampled | None, str | None]] = {}
    for t in live:
        dated = {n.path: n.dated_before for n in plan.bases[t.key]}
        varying = [p for p in inputs if dated.get(p, False)]
        pid = pids.get(t.key)
        whole = _sampled(full, pid, len(inputs), dated)
        if len(varying) == len(inputs):
            out[t.key] = (whole, whole, None)
            continue
        if not varying:
            note = (
                "no uncertain number has a basis dated before the outcome: with the others "
                "held, nothing would vary (the point verdict is all there is)"
            )
            out[t.key] = (whole, None, note)
            continue
        held = frozenset(p for p in inputs if not dated.get(p, False))
        if held not in held_runs:
            held_runs[held] = _robust(hold_at_point(with_packages, held), samples, seed, workers)
        out[t.key] = (whole, _sampled(held_runs[held], pid, len(varying), dated), None)
    plan.step()
    return out


def _date_check(
    known: Scenario,
    state: _PointState,
    target: Target,
    day: dt.date,
    sampled: tuple[Sampled | None, Sampled | None, str | None] | None,
) -> DateCheck:
    """The analysis of one target at one date."""
    full, dated, note = sampled if sampled is not None else (None, None, None)
    notes = [note] if note else []
    zone = classify_zone(state.margin, None if full is None else full.p_zone)
    check = state.check(target.package) if target.package is not None else None
    if check is not None:
        notes += check.notes
    acceptable = None if check is None else check.acceptable
    return DateCheck(
        date=day,
        proposals=len(known.proposals),
        reactions=len(known.reactions),
        new=tuple(pid for pid, p in known.proposals.items() if p.date == day),
        margin=state.margin,
        zone=zone,
        acceptable=acceptable,
        rejecting=() if check is None else check.rejecting,
        slack=None if check is None else check.slack,
        rank=None if check is None else check.rank,
        ranked=None if check is None else check.ranked,
        nash=None if check is None else check.nash,
        kalai_smorodinsky=None if check is None else check.kalai_smorodinsky,
        full=full,
        dated=dated,
        consistent=_consistent(target, acceptable, zone),
        p_fits=p_fits(target, full),
        p_fits_dated=p_fits(target, dated),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class BacktestResult:
    """The backtest of several scenarios, and how it was run.

    Attributes
    ----------
    scenarios
        One backtest per scenario, in the order asked for.
    settings
        Samples, seed and the thresholds of a thin zone.
    """

    scenarios: list[ScenarioBacktest]
    settings: BacktestSettings

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa backtest --format json``.

        ``honesty`` (the statement every report carries), ``settings``, ``definitions`` (what
        each quantity means), ``summary`` (one row per target: :func:`summary_rows`) and
        ``scenarios`` (per scenario, per target, every date and every preference number with
        ``basis_dated_before_outcome``).
        """
        from zopa.backtest import HONESTY

        return {
            "honesty": HONESTY,
            "settings": self.settings.to_dict(),
            "definitions": DEFINITIONS,
            "summary": summary_rows(self),
            "scenarios": [s.to_dict() for s in self.scenarios],
        }


DEFINITIONS = {
    "acceptable": "under the point assumptions, the package is acceptable to every party whose "
    "consent it needs (utility at least its walk-away point)",
    "p_acceptable": "the share of samples of the uncertain numbers, given the reactions known "
    "then, in which the package is acceptable to every party whose consent it needs",
    "p_fits": "the share of samples in which the analysis agrees with what happened: the agreed "
    "package acceptable; a rejected package not acceptable; for a breakdown, no zone or one "
    "whose margin is below thin_margin",
    "nash_rank": "the package's rank among the acceptable packages by Nash product over the "
    "bargainers (1: the Nash package; ties share a rank)",
    "distance": "the number of issues on which the package differs from the solution's package "
    "(the nearest of tied ones)",
    "zone": "none: margin below 0; thin: margin below thin_margin, or a zone in fewer than "
    "thin_probability of the samples; wide: otherwise",
    "consistent": "agreed package acceptable; rejected package not acceptable; breakdown with "
    "no zone or a thin one",
    "basis_dated_before_outcome": "the number's basis (its own entry and the party's general "
    "one) cites at least one source, and every source it cites is dated before the outcome",
    "ranges_dated_before_outcome": "the robust run in which only the uncertain numbers whose "
    "basis is dated before the outcome vary; the others are held at their point values",
}
"""What each quantity of the report means (the JSON's ``definitions``)."""


def p_fits(target: Target, sampled: Sampled | None) -> float | None:
    """The share of samples in which the analysis agrees with what happened (``p_fits``)."""
    if sampled is None:
        return None
    if target.package is not None and sampled.p_acceptable is not None:
        if target.status == "agreed":
            return sampled.p_acceptable
        return 1.0 - sampled.p_acceptable
    if target.status == "broke-down":
        return sampled.p_no_wide_zone
    return None


def summary_rows(result: BacktestResult) -> list[dict[str, Any]]:
    """One row per target of every scenario: how the analysis fared, at the last date before it.

    Keys: ``scenario``, ``target``, ``status``, ``date``, ``dates`` (analysed),
    ``consistent_dates``, ``checked_dates``, ``consistent_since``, ``last_date``, then at the
    last date ``acceptable``, ``zone``, ``margin``, ``p_fits``, ``p_fits_dated`` (the
    dated-only run; None when nothing dated varies), ``nash_rank``, ``acceptable_packages``,
    ``distance_nash``, ``distance_kalai_smorodinsky``, ``hinges_on_hindsight``; and
    ``numbers``, ``numbers_dated_before_outcome``.
    """
    rows = []
    for s in result.scenarios:
        for t in s.targets:
            last = t.last
            since = t.consistent_since
            row: dict[str, Any] = {
                "scenario": s.scenario,
                "target": t.target.key,
                "status": t.target.status,
                "date": t.target.date.isoformat(),
                "dates": len(t.dates),
                "checked_dates": t.checked_dates,
                "consistent_dates": t.consistent_dates,
                "consistent_since": None if since is None else since.isoformat(),
                "last_date": None if last is None else last.date.isoformat(),
                "acceptable": None if last is None else last.acceptable,
                "zone": None if last is None else last.zone,
                "margin": None if last is None else round(last.margin, 6),
                "p_fits": None if last is None else _round(last.p_fits, 4),
                "p_fits_dated": None if last is None else _round(last.p_fits_dated, 4),
                "nash_rank": None if last is None else last.rank,
                "acceptable_packages": None if last is None else last.ranked,
                "distance_nash": None if last is None or last.nash is None else last.nash.issues,
                "distance_kalai_smorodinsky": (
                    None
                    if last is None or last.kalai_smorodinsky is None
                    else last.kalai_smorodinsky.issues
                ),
                "hinges_on_hindsight": (
                    None if last is None or last.full is None else last.full.hinges_on_hindsight
                ),
                "numbers": len(t.numbers),
                "numbers_dated_before_outcome": t.dated_numbers,
            }
            rows.append(row)
    return rows
