"""How robust are the agreement space's conclusions? Proposals, zone, Nash package, bridges.

For every sample of the scenario's uncertain preference numbers (:mod:`zopa.robust.sampling`)
the scenario is compiled with the sampled numbers and analysed exactly as ``zopa analyze`` would
for those inputs (a needed party accepts when its utility reaches its walk-away point on the
exact grid). Reported:

* per proposal, the probability that each needed party accepts, and that it bridges the gap;
* the probability that a zone of agreement exists, and the quantiles of its margin
  (:func:`zopa.space.margin.widest_package`);
* how often each package is the Nash package (:func:`zopa.space.nash_search.nash_packages`) and
  the packages that bridge the gap in the most samples (:mod:`zopa.robust.packages`);
* for every conclusion, the inputs it hinges on and where it flips
  (:mod:`zopa.robust.sensitivity`: Spearman's ρ with the conclusion's slack, and a one-split
  threshold).

Work runs in chunks with their own seeds, through an executor (serial, a local process pool or
Dask), so the result is identical whatever runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from zopa.model.numbers import point
from zopa.robust.executors import run_chunks
from zopa.robust.packages import (
    NashRobustness,
    RobustBridges,
    SampleTables,
    nash_robustness,
    robust_bridges,
)
from zopa.robust.sampling import (
    Chunk,
    Method,
    UncertainInput,
    chunk_plan,
    sample_inputs,
    uncertain_inputs,
)
from zopa.robust.sensitivity import Draws, Hinge, hinges, keep_draws, ranks
from zopa.space.analysis import bridging_packages, focus_proposal
from zopa.space.compile import CompiledSpace, SpaceTemplate, compile_scenario, space_template
from zopa.space.engine import make_engine
from zopa.space.exact import (
    SCALE,
    consent_masks,
    from_grid,
    grid_contributions,
    grid_reservation,
    grid_utilities,
    search_tables,
)
from zopa.space.margin import widest_package
from zopa.space.nash_search import nash_packages

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

CHUNK = 250


@dataclass(frozen=True)
class _Task:
    scenario: Scenario
    proposals: tuple[str, ...]
    perturb: float
    method: Method
    chunk: Chunk
    rows: NDArray[np.float64] | None = None  # given samples (a posterior), instead of drawing


@dataclass(frozen=True)
class _ChunkResult:
    rows: NDArray[np.float64]  # sampled inputs
    gains: NDArray[np.int64]  # (count, proposals, parties) utility minus walk-away
    needed: NDArray[np.bool_]  # (proposals, parties)
    margins: NDArray[np.int64]  # (count,)
    nash: list[tuple[tuple[int, ...], ...]]  # per sample, the tied Nash packages
    widest: NDArray[np.intp]  # (count, issues) a package attaining each sample's margin
    tables: SampleTables


def space_inputs(scenario: Scenario, perturb: float = 0.0) -> list[UncertainInput]:
    """The uncertain numbers the agreement space depends on (the preferences)."""
    return [
        i for i in uncertain_inputs(scenario, perturb=perturb) if i.path.startswith("preferences.")
    ]


@dataclass(frozen=True, eq=False)
class SampleSetup:
    """What every sample of a scenario's uncertain preference numbers shares.

    Built once per scenario (:func:`sample_setup`); :func:`evaluate_sample` then evaluates one
    sample with a few array operations. Consent does not depend on the numbers, so whose
    consent each proposal needs is fixed here.

    Attributes
    ----------
    template
        The scenario's :class:`~zopa.space.compile.SpaceTemplate`.
    inputs
        The uncertain inputs (:func:`space_inputs`), the columns of a sample.
    point_values
        The point value of every number of the template, in its order.
    varying
        Where each input stands among the template's numbers.
    packages
        ``(proposals, issues)`` the option indices of the proposals evaluated.
    needed
        ``(proposals, parties)`` whose consent each proposal needs.
    masks
        Per issue, the consent bitmasks of :func:`zopa.space.exact.consent_masks`.
    """

    template: SpaceTemplate
    inputs: list[UncertainInput]
    point_values: NDArray[np.float64]
    varying: NDArray[np.intp]
    packages: NDArray[np.intp]
    needed: NDArray[np.bool_]
    masks: list[NDArray[np.int64]]


def sample_setup(
    scenario: Scenario, proposals: tuple[str, ...], perturb: float = 0.0
) -> SampleSetup:
    """Build the :class:`SampleSetup` of a scenario for the given proposals."""
    inputs = space_inputs(scenario, perturb)
    template = space_template(scenario)
    base = template.fill()
    packages = (
        np.stack([base.index_of(scenario.package_of(p)) for p in proposals])
        if proposals
        else np.empty((0, len(base.issues)), dtype=np.intp)
    )
    return SampleSetup(
        template=template,
        inputs=inputs,
        point_values=np.array([point(n) for n in template.numbers], dtype=np.float64),
        varying=template.positions([i.number for i in inputs]),
        packages=packages,
        needed=base.needed(packages),
        masks=consent_masks(base),
    )


@dataclass(frozen=True, eq=False)
class SampleOutcome:
    """The conclusions of the agreement space for one sample of the uncertain inputs.

    Utilities, gains and the margin are integers on the grid of :mod:`zopa.space.exact`.

    Attributes
    ----------
    space
        The space compiled with the sample's numbers.
    grid
        Per issue, its integer contributions (:func:`~zopa.space.exact.grid_contributions`).
    reservation
        ``(parties,)`` integer walk-away points.
    utilities
        ``(proposals, parties)`` each party's integer utility of each proposal.
    gains
        ``(proposals, parties)`` utility minus walk-away point.
    margin
        The zone's margin (:func:`zopa.space.margin.widest_package`): at least 0 when a zone
        of agreement exists.
    widest
        ``(issues,)`` a package attaining the margin.
    nash
        The tied Nash packages (:func:`zopa.space.nash_search.nash_packages`), as option
        indices.
    """

    space: CompiledSpace
    grid: list[NDArray[np.int64]]
    reservation: NDArray[np.int64]
    utilities: NDArray[np.int64]
    gains: NDArray[np.int64]
    margin: int
    widest: NDArray[np.intp]
    nash: tuple[tuple[int, ...], ...]


def evaluate_sample(setup: SampleSetup, row: NDArray[np.float64]) -> SampleOutcome:
    """Evaluate the proposals, the margin and the Nash package for one sample.

    Parameters
    ----------
    setup
        From :func:`sample_setup`.
    row
        ``(inputs,)`` the values of ``setup.inputs``; every other number at its point value.
    """
    values = setup.point_values.copy()
    values[setup.varying] = row
    space = setup.template.fill_vector(values)
    reservation = grid_reservation(space)
    grid = grid_contributions(space)
    utilities = grid_utilities(space, setup.packages, grid)
    tables = search_tables(grid, setup.masks)
    margin, widest = widest_package(grid, setup.masks, reservation, tables)
    found = nash_packages(space, contributions=grid, masks=setup.masks, tables=tables).packages
    return SampleOutcome(
        space=space,
        grid=grid,
        reservation=reservation,
        utilities=utilities,
        gains=utilities - reservation[None, :],
        margin=int(margin),
        widest=widest,
        nash=tuple(tuple(int(x) for x in p) for p in found),
    )


def _evaluate_chunk(task: _Task) -> _ChunkResult:
    """Evaluate the proposals, the margin and the Nash package in every sample of a chunk."""
    setup = sample_setup(task.scenario, task.proposals, task.perturb)
    rows = (
        sample_inputs(
            setup.inputs, task.chunk.count, np.random.default_rng(task.chunk.seed), task.method
        )
        if task.rows is None
        else task.rows
    )
    count, n_parties = task.chunk.count, len(setup.template.parties)
    gains = np.empty((count, len(task.proposals), n_parties), dtype=np.int64)
    margins = np.empty(count, dtype=np.int64)
    widest = np.empty((count, len(setup.template.issues)), dtype=np.intp)
    contributions = np.empty(
        (count, n_parties, sum(len(o) for o in setup.template.options)), dtype=np.int64
    )
    reservations = np.empty((count, n_parties), dtype=np.int64)
    nash = []
    for r, row in enumerate(rows):
        outcome = evaluate_sample(setup, row)
        gains[r] = outcome.gains
        margins[r], widest[r] = outcome.margin, outcome.widest
        nash.append(outcome.nash)
        contributions[r] = np.concatenate(outcome.grid, axis=1)
        reservations[r] = outcome.reservation
    return _ChunkResult(
        rows, gains, setup.needed, margins, nash, widest, SampleTables(contributions, reservations)
    )


@dataclass(frozen=True)
class ProposalRobustness:
    """How often one proposal is accepted, by whom, and what its verdict hinges on."""

    proposal: str
    bridges: float
    accepts: dict[str, float]
    hinges: list[Hinge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "proposal": self.proposal,
            "p_bridges": round(self.bridges, 4),
            "p_accepts": {p: round(v, 4) for p, v in self.accepts.items()},
            "hinges": [h.to_dict() for h in self.hinges],
        }


@dataclass(frozen=True)
class ZoneRobustness:
    """How often a zone of agreement exists, how wide it is, and what that hinges on."""

    exists: float
    margin_quantiles: dict[str, float]
    hinges: list[Hinge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "p_exists": round(self.exists, 4),
            "margin_quantiles": {q: round(v, 6) for q, v in self.margin_quantiles.items()},
            "hinges": [h.to_dict() for h in self.hinges],
        }


@dataclass(frozen=True)
class RobustProposals:
    """The robustness of every proposal's verdict, and of the zone of agreement."""

    samples: int
    seed: int | None
    inputs: int
    proposals: list[ProposalRobustness]
    zone: ZoneRobustness | None = None
    nash: NashRobustness | None = None
    bridges: RobustBridges | None = None
    bridge_hinges: list[Hinge] = field(default_factory=list)
    gains: NDArray[np.float64] | None = field(default=None, compare=False, repr=False)
    """``(samples, proposals, parties)``: each party's utility of each proposal minus its
    walk-away point in every sample (proposals in the scenario's order, parties those with
    preferences). Not part of :meth:`to_dict`."""
    draws: dict[str, Draws] = field(default_factory=dict, compare=False, repr=False)
    """Per conclusion (a proposal's id, ``zone``, ``robust_bridges``): its measure in every
    sample (the proposal's or the top bridge's least slack, the zone's margin, in utility; 1
    when no party's consent is needed) and the samples of the inputs it hinges on. Not part of
    :meth:`to_dict`."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "inputs": self.inputs,
            "proposals": [p.to_dict() for p in self.proposals],
            "zone": self.zone.to_dict() if self.zone is not None else None,
            "nash": self.nash.to_dict() if self.nash is not None else None,
            "robust_bridges": (
                {**self.bridges.to_dict(), "hinges": [h.to_dict() for h in self.bridge_hinges]}
                if self.bridges is not None
                else None
            ),
        }


def robust_proposals(
    scenario: Scenario,
    samples: int = 10_000,
    seed: int | None = 0,
    *,
    workers: int = 1,
    perturb: float = 0.0,
    method: Method = "random",
    hinges: int = 5,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    rows: NDArray[np.float64] | None = None,
) -> RobustProposals:
    """Acceptance and bridging probabilities of every proposal over sampled inputs.

    Parameters
    ----------
    scenario
        A validated scenario.
    samples, seed
        How many samples, and the seed of the whole run.
    workers
        1 for serial, more for a local process pool; results do not depend on it.
    perturb
        Also vary point values by this fraction (see :func:`uncertain_inputs`).
    method
        ``random`` or ``lhs`` (Latin hypercube within each chunk).
    hinges
        How many inputs to report per proposal.
    scheduler
        A Dask scheduler address or ``local`` (see :func:`run_chunks`).
    progress
        Called with (samples finished, samples in all) as chunks finish.
    rows
        ``(samples, inputs)`` values of :func:`space_inputs` to evaluate instead of drawing
        them (a posterior sample: :mod:`zopa.robust.condition`); ``seed`` and ``method`` are
        then only recorded.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, with ``.samples_done`` (the samples of the chunks finished in order).
    """
    ids = tuple(scenario.proposals)
    if rows is not None:
        samples = len(rows)
    plan = chunk_plan(samples, CHUNK, seed)
    tasks = [
        _Task(
            scenario,
            ids,
            perturb,
            method,
            c,
            None if rows is None else rows[c.start : c.start + c.count],
        )
        for c in plan
    ]
    parts = run_chunks(
        _evaluate_chunk,
        tasks,
        workers,
        scheduler=scheduler,
        progress=progress,
        sizes=[c.count for c in plan],
    )
    inputs = space_inputs(scenario, perturb)
    base = compile_scenario(scenario)
    packages = np.stack([base.index_of(scenario.package_of(p)) for p in ids]) if ids else None
    if parts:
        rows = np.concatenate([p.rows for p in parts])
        gains = np.concatenate([p.gains for p in parts])
        needed = parts[0].needed
    else:
        rows = np.empty((0, len(inputs)))
        gains = np.empty((0, len(ids), base.n_parties), dtype=np.int64)
        needed = np.zeros((len(ids), base.n_parties), dtype=bool)
    input_ranks = ranks(rows) if len(rows) > 1 else None
    columns: dict[str, NDArray[np.float64]] = {}
    draws: dict[str, Draws] = {}
    out = []
    for j, pid in enumerate(ids):
        accept = gains[:, j, :] >= 0
        slack = np.where(needed[j][None, :], gains[:, j, :], np.iinfo(np.int64).max).min(axis=1)
        kept, draws[pid] = _hinges(inputs, rows, slack, hinges, input_ranks, columns)
        out.append(
            ProposalRobustness(
                proposal=pid,
                bridges=float((slack >= 0).mean()) if samples else 0.0,
                accepts={
                    p: float(accept[:, k].mean())
                    for k, p in enumerate(base.parties)
                    if needed[j][k] and samples
                },
                hinges=kept,
            )
        )
    if not parts:
        return RobustProposals(samples=0, seed=seed, inputs=len(inputs), proposals=out, draws=draws)
    margins = np.concatenate([p.margins for p in parts])
    finite = margins < np.iinfo(np.int64).max
    values = from_grid(np.where(finite, margins, 0))
    zone_hinges, draws["zone"] = _hinges(
        inputs, rows, np.where(finite, margins, SCALE), hinges, input_ranks, columns
    )
    zone = ZoneRobustness(
        exists=float((margins >= 0).mean()),
        margin_quantiles={
            f"q{q:02d}": float(np.percentile(values, q)) for q in (5, 25, 50, 75, 95)
        },
        hinges=zone_hinges,
    )
    focus = focus_proposal(scenario)
    reference = packages[ids.index(focus)] if focus is not None and packages is not None else None
    nash = [n for p in parts for n in p.nash]
    point = nash_packages(base).packages
    tables = SampleTables(
        np.concatenate([p.tables.contributions for p in parts]),
        np.concatenate([p.tables.reservation for p in parts]),
    )
    candidates = [np.concatenate([p.widest for p in parts])]
    candidates += [np.array(rows_, dtype=np.intp) for rows_ in set(nash) if rows_]
    if packages is not None:
        candidates.append(packages)
    if reference is not None and focus is not None:
        engine = make_engine(base)
        by = scenario.proposals[focus].by
        found = bridging_packages(base, engine, focus, reference, by)
        candidates += [base.index_of(c.package)[None, :] for c in found.packages]
    proposers = scenario.proposals[focus].by if focus is not None else []
    bridges, first = robust_bridges(
        base, tables, np.concatenate(candidates), focus, reference, proposers=proposers
    )
    bridge_hinges, bridge_draws = _hinges(inputs, rows, first, hinges, input_ranks, columns)
    if bridges.packages:
        draws["robust_bridges"] = bridge_draws
    return RobustProposals(
        samples=samples,
        seed=seed,
        inputs=len(inputs),
        proposals=out,
        zone=zone,
        nash=nash_robustness(base, nash, point[0] if len(point) else None, reference),
        bridges=bridges,
        bridge_hinges=bridge_hinges,
        gains=from_grid(gains),
        draws=draws,
    )


def _hinges(
    inputs: list[UncertainInput],
    rows: NDArray[np.float64],
    slack: NDArray[np.int64],
    count: int,
    input_ranks: NDArray[np.float64] | None,
    columns: dict[str, NDArray[np.float64]],
) -> tuple[list[Hinge], Draws]:
    """Inputs ranked by |Spearman ρ| with the slack; where ``slack ≥ 0`` flips; the draws.

    A slack of ``int64`` max (no party's consent needed) counts as 1 in the draws' measure.
    """
    paths = [i.path for i in inputs]
    found = hinges(paths, rows, slack, slack >= 0, count, input_ranks, scale=1 / SCALE)
    measure = np.where(slack == np.iinfo(np.int64).max, SCALE, slack)
    return found, keep_draws(paths, rows, measure, slack >= 0, found, 1 / SCALE, columns)
