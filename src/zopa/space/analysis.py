"""Does a proposal bridge the gap? The agreement-space analysis of a scenario.

:func:`analyze` is the public entry point behind ``zopa analyze``; :func:`evaluate_package` behind
``zopa evaluate``. Both compile the scenario (:mod:`zopa.space.compile`), ask an engine
(:mod:`zopa.space.engine`) and return plain results (:mod:`zopa.space.results`).

Definitions
-----------
* A party *accepts* a package when its utility reaches its walk-away point (``u ≥ r``, exact on
  the grid of :mod:`zopa.space.exact`); its *shortfall* is ``max(0, r − u)``.
* A package *bridges the gap* when every party whose consent it needs accepts it.
* The *gap by issue* of a rejecting party is, per issue, ``w̄ · (max_o v(o) − v(chosen))``: what
  the package's choice on that issue costs the party against its best option there. The costs
  sum to the distance from the party's ideal package, so the reader sees which issues make it
  say no.
* *Bridging packages* for a proposal are the acceptable packages that change the fewest issues,
  then cost the proposers least (the largest loss among the proposers with preferences); when no
  package is acceptable, those that come closest (least shortfall) are shown instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.space.bridging import option_positions, undominated
from zopa.space.compile import CompiledSpace, compile_scenario
from zopa.space.counting import COUNT_MODES
from zopa.space.engine import AgreementEngine, PackageSet, make_engine
from zopa.space.exact import from_grid, grid_reservation, grid_utilities, grid_values
from zopa.space.results import (
    Analysis,
    Bridging,
    Change,
    Concession,
    IssueGap,
    PackageVerdict,
    PartyVerdict,
    ProposalVerdict,
    ScoredPackage,
    Zone,
)
from zopa.space.solutions import bargaining_solutions

if TYPE_CHECKING:
    from zopa.evidence.consistency import ReactionCheck
    from zopa.model.scenario import Scenario

BRIDGING_PACKAGES = 5
MAX_BRIDGING_SEARCH = 2_000
"""Most ranked packages searched for bridging packages not dominated by others."""


def evaluate_package(space: CompiledSpace, package: NDArray[np.intp]) -> PackageVerdict:
    """Return every party's verdict on one package, with the gap by issue for those who reject.

    :func:`package_verdict` with the package's utilities computed here (same parameters).
    """
    return package_verdict(space, package, grid_utilities(space, package)[0])


def package_verdict(
    space: CompiledSpace, package: NDArray[np.intp], utilities: NDArray[np.int64]
) -> PackageVerdict:
    """Return every party's verdict on a package whose integer utilities are known.

    What :func:`evaluate_package` returns, for a caller that has computed the utilities
    already (e.g. :func:`zopa.robust.proposals.evaluate_sample`).

    Parameters
    ----------
    space
        The compiled scenario.
    package
        Option indices, one per issue.
    utilities
        ``(n_parties,)`` the package's utilities on the space's integer grid
        (:func:`zopa.space.exact.grid_utilities`).
    """
    reservation = grid_reservation(space)
    needed = space.needed(package)[0]
    accepted = utilities >= reservation
    values = grid_values(space, utilities)
    shortfalls = grid_values(space, np.maximum(reservation - utilities, 0))
    slacks = grid_values(space, utilities - reservation)
    parties = [
        PartyVerdict(
            party=party,
            utility=float(values[p]),
            reservation=float(space.reservation[p]),
            needed=bool(needed[p]),
            accepted=bool(accepted[p]),
            shortfall=float(shortfalls[p]),
            slack=float(slacks[p]),
        )
        for p, party in enumerate(space.parties)
    ]
    rejecting = [v.party for v in parties if v.needed and not v.accepted]
    gaps = {party: gap_by_issue(space, space.parties.index(party), package) for party in rejecting}
    return PackageVerdict(
        package=space.package_of(package),
        parties=parties,
        bridges=not rejecting,
        rejecting=rejecting,
        gaps=gaps,
    )


def gap_by_issue(space: CompiledSpace, p: int, package: NDArray[np.intp]) -> list[IssueGap]:
    """What each issue of ``package`` costs party ``p`` against its best option there.

    The module's *gap by issue*; issues that cost nothing are left out, the largest cost first.
    """
    gaps = []
    unit = float(space.grid.units[p])
    for i, contribution in enumerate(space.grid.contributions):
        row = contribution[p]
        best = int(np.argmax(row))
        cost = float(row[best] - row[package[i]]) / unit
        if cost > 0:
            gaps.append(
                IssueGap(
                    issue=space.issues[i],
                    option=space.options[i][package[i]],
                    best_option=space.options[i][best],
                    cost=cost,
                )
            )
    return sorted(gaps, key=lambda g: -g.cost)


def _scored(space: CompiledSpace, packages: PackageSet) -> list[ScoredPackage]:
    out = []
    reservation = grid_reservation(space)
    for row, utilities in zip(packages.packages, packages.utilities, strict=True):
        u = grid_values(space, utilities)
        g = grid_values(space, utilities - reservation)
        out.append(
            ScoredPackage(
                package=space.package_of(row),
                utilities={p: float(u[k]) for k, p in enumerate(space.parties)},
                gains={p: float(g[k]) for k, p in enumerate(space.parties)},
            )
        )
    return out


def bridging_packages(
    space: CompiledSpace,
    engine: AgreementEngine,
    proposal_id: str,
    package: NDArray[np.intp],
    proposers: list[str],
    k: int = BRIDGING_PACKAGES,
) -> Bridging:
    """Return the smallest concessions that would make ``package`` acceptable to all needed parties.

    Packages are ranked by issues changed, then by the proposers' loss (see the module's
    definitions); a package dominated for the proposers by another one found — a
    sub-concession of it that serves every proposer at least as well
    (:func:`zopa.space.bridging.undominated`) — is left out, so the list holds the
    Pareto-efficient alternatives for the proposers among the minimal changes. The engine is
    asked for up to :data:`MAX_BRIDGING_SEARCH` ranked packages to find ``k`` such.
    """
    if evaluate_package(space, package).bridges:
        return Bridging(proposal_id, already_bridges=True, found=True, packages=[])
    mask = np.array([p in proposers for p in space.parties], dtype=bool)
    if k <= 0:
        found = engine.margin() >= 0
        return Bridging(proposal_id, already_bridges=False, found=found, packages=[])
    positions = option_positions(space.options)
    fetch = k
    while True:
        closest = engine.closest(package, mask, fetch)
        rows, utilities = closest.packages.packages, closest.packages.utilities
        keep = undominated(
            rows,
            package,
            positions,
            utilities[:, mask],
            None if closest.found else closest.shortfall,
        )
        if keep.sum() >= k or len(rows) < fetch or fetch >= MAX_BRIDGING_SEARCH:
            break
        fetch = min(4 * fetch, MAX_BRIDGING_SEARCH)
    chosen = np.flatnonzero(keep)[:k]
    base_grid = grid_utilities(space, package)[0]
    concessions = []
    for j in chosen:
        row, grid_u = rows[j], utilities[j]
        u = grid_values(space, grid_u)
        delta = grid_values(space, grid_u - base_grid)
        changes = [
            Change(space.issues[i], space.options[i][package[i]], space.options[i][row[i]])
            for i in range(len(space.issues))
            if row[i] != package[i]
        ]
        loss = float(max((-delta[p] for p in np.flatnonzero(mask)), default=0.0))
        concessions.append(
            Concession(
                package=space.package_of(row),
                changes=changes,
                utilities={p: float(u[i]) for i, p in enumerate(space.parties)},
                deltas={p: float(delta[i]) for i, p in enumerate(space.parties)},
                proposer_loss=loss,
                acceptable=closest.found,
                shortfall=float(from_grid(int(closest.shortfall[j]))),
            )
        )
    return Bridging(proposal_id, already_bridges=False, found=closest.found, packages=concessions)


def assumption_notes(scenario: Scenario) -> list[str]:
    """Say which inputs of the analysis are analyst assumptions and what depends on them."""
    from zopa.model.numbers import is_uncertain

    uncertain = 0
    for prefs in scenario.preferences.values():
        numbers: list[object] = [*prefs.weights.values(), prefs.reservation]
        for spec in prefs.values.values():
            numbers += (
                [p[1] for p in spec.piecewise]
                if hasattr(spec, "piecewise")
                else list(spec.values())
            )
        uncertain += sum(is_uncertain(x) for x in numbers)
    undecided = {pid: p.undecided for pid, p in scenario.proposals.items() if p.undecided}
    imported = [pid for pid, prefs in scenario.preferences.items() if prefs.imported]
    first = (
        "Proposal terms are reported facts with sources; every weight, option value and walk-away "
        "point is an analyst assumption (see each party's `basis` in the scenario)."
    )
    if imported:
        who = "every party" if len(imported) == len(scenario.preferences) else ", ".join(imported)
        first = (
            f"The weights, option values and walk-away points of {who} are imported from the "
            "files their `imported` sources name (GENIUS utility files, say), not analyst "
            "assumptions; each party's `basis` says how they were read."
            + (
                " Those of the other parties are analyst assumptions."
                if len(imported) < len(scenario.preferences)
                else ""
            )
        )
    second = (
        f"Deterministic results use the point value of each assumption; {uncertain} of them carry "
        "a range. Acceptability, the zone of agreement, the bargaining solutions and the bridging "
        "packages all depend on these assumptions; `zopa robust` measures how far they hold."
    )
    if imported and len(imported) == len(scenario.preferences) and not uncertain:
        second = (
            "No number carries a range: acceptability, the zone of agreement and the bargaining "
            "solutions follow from the imported numbers as they are."
        )
    notes = [first, second]
    if undecided:
        listed = "; ".join(f"{pid}: {', '.join(issues)}" for pid, issues in undecided.items())
        notes.append(
            "Issues a proposal leaves undecided are evaluated at the issue's if-silent option "
            f"(an assumption): {listed}."
        )
    return notes


def scenario_stamp(scenario: Scenario) -> dict[str, str | None]:
    """Identify the inputs of a result: id, title, as-of date, a content hash, zopa's version."""
    import hashlib
    import json

    from zopa._version import __version__

    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return {
        "id": scenario.id,
        "title": scenario.title,
        "as_of": str(scenario.as_of) if scenario.as_of else None,
        "sha256": hashlib.sha256(canonical.encode()).hexdigest(),
        "zopa_version": __version__,
    }


def _require_issues(scenario: Scenario) -> None:
    if not scenario.issues or not scenario.preferences:
        hint = " (it has a strategic model: try `zopa stability`)" if scenario.strategic else ""
        raise ValueError(
            f"scenario {scenario.id!r} has no issues with preferences: there is no agreement "
            f"space to analyse{hint}"
        )


def focus_proposal(scenario: Scenario) -> str | None:
    """The proposal a report leads with: the most recent (the last in the file among ties)."""
    if not scenario.proposals:
        return None
    latest = max(p.date for p in scenario.proposals.values())
    return [pid for pid, p in scenario.proposals.items() if p.date == latest][-1]


def analyze(
    scenario: Scenario,
    proposals: list[str] | None = None,
    *,
    engine: str = "auto",
    bridging: int = BRIDGING_PACKAGES,
    count: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> Analysis:
    """Analyse a scenario's agreement space and its proposals.

    Parameters
    ----------
    scenario
        A validated scenario.
    proposals
        Proposal ids to analyse; all when None.
    engine
        ``auto``, ``enumeration`` or ``exact`` (see :func:`zopa.space.engine.make_engine`).
    bridging
        How many bridging packages to return per proposal.
    count
        How to size the zone of agreement (:func:`zopa.space.counting.count_zone`): ``exact``,
        ``bound``, ``skip``, or ``auto`` (exact when the estimated time is at most
        :data:`zopa.space.counting.AUTO_COUNT_SECONDS`, else a bound with a note).
    progress
        Called with (work done, work in all) during a long exact count.

    Returns
    -------
    Analysis

    Raises
    ------
    KeyError
        For an unknown proposal id.
    ValueError
        For an unknown engine or count mode, or an exact count out of reach.
    """
    if count not in COUNT_MODES:
        raise ValueError(f"unknown count {count!r} (expected one of: {', '.join(COUNT_MODES)})")
    _require_issues(scenario)
    ids = list(scenario.proposals) if proposals is None else proposals
    for pid in ids:
        if pid not in scenario.proposals:
            raise KeyError(pid)
    space = compile_scenario(scenario)
    eng = make_engine(space, engine)
    reservation = grid_reservation(space)

    verdicts = []
    bridges = {}
    for pid in ids:
        prop = scenario.proposals[pid]
        package = space.index_of(scenario.package_of(pid))
        verdicts.append(
            ProposalVerdict(
                id=pid,
                title=prop.title,
                by=list(prop.by),
                date=str(prop.date),
                source=list(prop.source),
                undecided=list(prop.undecided),
                verdict=evaluate_package(space, package),
            )
        )
        bridges[pid] = bridging_packages(space, eng, pid, package, list(prop.by), bridging)

    reactions = _reaction_checks(scenario, space, {v.id: v.verdict for v in verdicts})
    margin = eng.margin()
    counted = eng.count_zone(count, exists=margin >= 0, progress=progress)
    zone = Zone(
        exists=margin >= 0,
        size=counted.size,
        total=space.size,
        margin=float(from_grid(margin)),
        lowering_needed=float(from_grid(max(0, -margin))),
        count=counted.method,
        bounds=(counted.lower, counted.upper),
        count_note=counted.note,
        count_seconds=counted.estimated_seconds,
    )
    acceptable_front = eng.pareto(acceptable_only=True)
    bargainers = space.core
    solutions = bargaining_solutions(acceptable_front, reservation, bargainers)
    focus = focus_proposal(scenario)
    return Analysis(
        scenario=scenario_stamp(scenario),
        engine=eng.name,
        parties={p: scenario.parties[p].name for p in space.parties},
        bargainers=[p for p, b in zip(space.parties, bargainers, strict=True) if b],
        proposals=verdicts,
        focus=focus if focus in ids else (ids[0] if ids else None),
        zone=zone,
        pareto=_scored(space, eng.pareto(acceptable_only=False)),
        pareto_acceptable=_scored(space, acceptable_front),
        solutions={name: _scored(space, pkgs) for name, pkgs in solutions.items()},
        bridging=bridges,
        assumptions=assumption_notes(scenario),
        reactions=reactions,
    )


def _reaction_checks(
    scenario: Scenario, space: CompiledSpace, verdicts: dict[str, PackageVerdict]
) -> list[ReactionCheck]:
    """Set the scenario's reactions against the point values (:mod:`zopa.evidence.consistency`).

    The verdicts of the proposals analysed are reused; a proposal a reaction names that was not
    asked for is evaluated here (one package each).
    """
    from zopa.evidence.consistency import check_reactions

    found = dict(verdicts)
    for reaction in scenario.reactions:
        if reaction.proposal not in found:
            package = space.index_of(scenario.package_of(reaction.proposal))
            found[reaction.proposal] = evaluate_package(space, package)
    return check_reactions(scenario, found)


def package_from_terms(
    scenario: Scenario, terms: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Complete ad-hoc terms into a package; issues not given take their if-silent option.

    Returns
    -------
    package, filled
        The full package and the issues that were filled in.

    Raises
    ------
    ValueError
        For an unknown issue or option, or a missing issue without an if-silent option.
    """
    from zopa.model.scenario import format_number

    problems = [
        f"unknown issue {name!r} (expected one of: {', '.join(scenario.issues)})"
        for name in terms
        if name not in scenario.issues
    ]
    package: dict[str, str] = {}
    filled = []
    for issue_id, issue in scenario.issues.items():
        if issue_id in terms:
            option = terms[issue_id]
            if issue.range is not None and _is_number(option):
                option = format_number(float(option))
            if option not in issue.option_ids():
                problems.append(
                    f"unknown option {terms[issue_id]!r} for {issue_id} "
                    f"(expected one of: {', '.join(issue.option_ids())})"
                )
            package[issue_id] = option
        elif issue.if_silent is not None:
            package[issue_id] = issue.if_silent
            filled.append(issue_id)
        else:
            problems.append(f"no term for {issue_id!r}, which has no if-silent option")
    if problems:
        raise ValueError("; ".join(problems))
    return package, filled


def prepared(scenario: Scenario, engine: str = "auto") -> tuple[CompiledSpace, AgreementEngine]:
    """The scenario's compiled space (point values) and an engine over it, built once.

    Both are kept in :data:`zopa.space.cache.CACHE` for the scenario *object* (scenarios are
    immutable), so repeated evaluations of packages on one scenario skip compiling the space
    and building the engine (most of the time of one evaluation on ``berlin-2025-12``). The
    engines only read their space, so one may serve several threads.

    Parameters
    ----------
    scenario
        A validated scenario.
    engine
        As for :func:`zopa.space.engine.make_engine`.

    Raises
    ------
    ValueError
        For an unknown engine, or a space too large for enumeration (nothing is cached then).
    """
    from zopa.space.cache import CACHE

    space = CACHE.get(scenario, "space", lambda: compile_scenario(scenario))
    return space, CACHE.get(scenario, f"engine:{engine}", lambda: make_engine(space, engine))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def evaluate_terms(
    scenario: Scenario,
    terms: dict[str, str],
    *,
    proposers: list[str] | None = None,
    engine: str = "auto",
    bridging: int = BRIDGING_PACKAGES,
) -> tuple[PackageVerdict, Bridging, list[str]]:
    """Evaluate an ad-hoc package and find the smallest concessions that would make it acceptable.

    The compiled space and the engine come from :func:`prepared`: built once per scenario
    object and engine, then reused (they depend on nothing else).

    Returns
    -------
    verdict, bridging, filled
        The verdict, the bridging packages (the proposers' loss counted for ``proposers``) and
        the issues filled in with their if-silent option.
    """
    _require_issues(scenario)
    package, filled = package_from_terms(scenario, terms)
    space, eng = prepared(scenario, engine)
    indices = space.index_of(package)
    verdict = evaluate_package(space, indices)
    found = bridging_packages(space, eng, "ad-hoc", indices, proposers or [], bridging)
    return verdict, found, filled
