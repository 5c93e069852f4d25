"""The stacked alternating offers protocol, run for one negotiation or a batch in lockstep.

Protocol
--------
The stacked alternating offers protocol (SAOP) of Aydoğan, Festen, Hindriks & Jonker (2017),
"Alternating offers protocols for multilateral negotiation", in *Modern Approaches to
Agent-based Complex Automated Negotiation*, Studies in Computational Intelligence 674,
Springer (doi:10.1007/978-3-319-51563-2_10), extended to zopa's consent model:

* The parties take turns in a fixed order (the scenario's order of parties with preferences,
  or a given one); a *round* is one turn of every party, and the talks last
  ``schedule.rounds`` rounds. Round ``t`` uses the walk-away points ``schedule.reservation[t]``
  (they drift with the cost of war, :mod:`zopa.simulate.schedule`).
* On its turn a party either **accepts** the standing offer or makes a **counter-offer**, which
  becomes the standing offer; the proposer accepts its own offer. The first party of round 0
  has nothing to accept and opens.
* **Agreement** is reached as soon as every party whose consent the standing package needs
  (:meth:`CompiledSpace.needed`) has accepted it since it was proposed. The proposer accepts
  its own offer when the offer reaches its aspiration; a needed party never consents below its
  walk-away point, even to its own offer.
* **Acceptance.** A party whose consent the standing package needs accepts it when its utility
  reaches the party's current aspiration (set by its strategy, :mod:`zopa.simulate.strategies`)
  and its walk-away point — on the exact grid of :mod:`zopa.space.exact`, as everywhere in
  zopa. A party whose consent the package does *not* need cannot block it: it lets it stand
  when the package is at least as good for it as no agreement (its walk-away point), and
  otherwise tables a counter-offer of its own, as a mediator or outside power tables its own
  plan. So parties without a consent role still propose, but can only delay, not veto. (SAOP
  itself has every party's consent needed; zopa's consent model is the extension.)
* **Offers** follow the policy of :mod:`zopa.simulate.offers`.
* **Breakdown** at the deadline (no agreement after the last round), or earlier by a
  **walk-out** (SAOP's third action, here taken by rule rather than by strategy): a party whose
  consent every package needs leaves the talks, ending them, on its first turn in which its
  walk-away point exceeds the best utility any package can give it (no agreement could then be
  acceptable to it). A party needed only by some packages stays at the table in that case: the
  packages that need it can no longer be agreed, and since no package is as good for it as no
  agreement, it counters every offer it sees (it can delay the others, not stop them).

On breakdown each party's final utility is its walk-away point in the round the talks ended.

Batches
-------
:func:`run_negotiations` runs many negotiations over the same candidates and schedule (one per
strategy profile) in lockstep: every turn is a handful of numpy operations over the batch
(acceptance tests, tit-for-tat updates, offers by binary search in per-round tables), which is
what makes tournaments fast. :func:`simulate` is a batch of one with its trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zopa.model.numbers import point
from zopa.simulate.offers import (
    Candidates,
    OfferTables,
    candidate_packages,
    descending_utilities,
    offer_tables,
)
from zopa.simulate.results import Offer, SimulationResult
from zopa.simulate.schedule import Schedule, compile_schedule
from zopa.simulate.strategies import (
    CODE,
    CONCESSION_EXPONENTS,
    TIME_DEPENDENT,
    StrategyProfile,
    concession_fraction,
    tit_for_tat,
)
from zopa.space.compile import CompiledSpace, compile_scenario
from zopa.space.engine import PackageSet
from zopa.space.exact import from_grid, to_grid
from zopa.space.pareto import nondominated
from zopa.space.solutions import bargaining_solutions

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

AGREEMENT, DEADLINE, WALK_OUT = 0, 1, 2
OUTCOMES = ("agreement", "deadline", "walk-out")
"""Outcome names by code."""

_ACCEPT, _OFFER, _BARE_OFFER = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Negotiations:
    """Outcomes of a batch of negotiations (one row per strategy profile).

    Attributes
    ----------
    outcome
        ``(B,)`` codes: :data:`AGREEMENT`, :data:`DEADLINE` or :data:`WALK_OUT`.
    package
        ``(B,)`` index of the agreed candidate, -1 on breakdown.
    end_round
        ``(B,)`` round of agreement or breakdown.
    walked_out
        ``(B,)`` index of the party that walked out, -1 otherwise.
    final
        ``(B, n_parties)`` final utilities on the integer grid (walk-away points on breakdown).
    events
        For a traced run, the turns of the first negotiation: ``(kind, round, turn, party,
        candidate)`` with kind 0 = accept, 1 = offer, 2 = an offer its proposer does not consent to
        (below its own walk-away point: its best package is out of reach).
    """

    outcome: NDArray[np.int8]
    package: NDArray[np.intp]
    end_round: NDArray[np.int64]
    walked_out: NDArray[np.int64]
    final: NDArray[np.int64]
    events: list[tuple[int, int, int, int, int]]

    @property
    def agreed(self) -> NDArray[np.bool_]:
        """``(B,)``: which negotiations ended in agreement."""
        return np.asarray(self.outcome == AGREEMENT)


def _opponents_position(
    utilities: NDArray[np.int64], last_offer: NDArray[np.intp], party: int
) -> NDArray[np.float64]:
    """Mean of ``party``'s utility over the other parties' latest offers (NaN: none yet)."""
    valid = last_offer >= 0
    valid[:, party] = False
    values = utilities[np.where(valid, last_offer, 0), party]
    count = valid.sum(axis=1)
    total = np.where(valid, values, 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _time_dependent_table(
    best: NDArray[np.int64], reservation: NDArray[np.int64], rounds: int
) -> NDArray[np.int64]:
    """``(rounds, n_parties, 3)`` aspirations of boulware, linear and conceder, on the grid."""
    fractions = np.stack(
        [
            concession_fraction(np.arange(rounds), rounds, CONCESSION_EXPONENTS[n])
            for n in TIME_DEPENDENT
        ],
        axis=1,
    )
    span = (best[None, :] - reservation).astype(np.float64)
    table = best[None, :, None] - np.rint(span[:, :, None] * fractions[:, None, :]).astype(np.int64)
    out: NDArray[np.int64] = np.maximum(table, reservation[:, :, None])
    return out


def run_negotiations(
    candidates: Candidates,
    schedule: Schedule,
    codes: ArrayLike,
    *,
    core: NDArray[np.bool_],
    order: Sequence[int] | None = None,
    trace: bool = False,
) -> Negotiations:
    """Run a batch of negotiations, one per row of strategy codes, in lockstep.

    Parameters
    ----------
    candidates
        From :func:`zopa.simulate.offers.candidate_packages`.
    schedule
        Rounds and walk-away points per round.
    codes
        ``(B, n_parties)`` strategy codes (:data:`zopa.simulate.strategies.CODE`).
    core
        ``(n_parties,)``: parties whose consent every package needs (they end the talks when
        they walk out).
    order
        Turn order as party indices; the parties' own order by default.
    trace
        Record the turns of the first negotiation.

    Returns
    -------
    Negotiations
    """
    codes = np.atleast_2d(np.asarray(codes, dtype=np.int8))
    batch, n_parties = codes.shape
    if schedule.reservation.shape[1] != n_parties or candidates.utilities.shape[1] != n_parties:
        raise ValueError("the schedule, candidates and profiles must cover the same parties")
    turns = list(range(n_parties)) if order is None else [int(p) for p in order]
    if sorted(turns) != list(range(n_parties)):
        raise ValueError("the turn order must name every party exactly once")
    utilities, needed, best = candidates.utilities, candidates.needed, candidates.best
    rounds = schedule.rounds
    walk_away = to_grid(schedule.reservation)
    time_dependent = _time_dependent_table(best, walk_away, rounds)
    td_codes = [CODE[n] for n in TIME_DEPENDENT]
    hardliner = codes == CODE["hardliner"]
    relative = codes == CODE["tft-relative"]
    tft = relative | (codes == CODE["tft-absolute"])

    standing = np.full(batch, -1, dtype=np.intp)
    accepted = np.zeros((batch, n_parties), dtype=bool)
    done = np.zeros(batch, dtype=bool)
    outcome = np.full(batch, DEADLINE, dtype=np.int8)
    end_round = np.full(batch, rounds - 1, dtype=np.int64)
    walked_out = np.full(batch, -1, dtype=np.int64)
    tft_aspiration = np.tile(best, (batch, 1))
    last_offer = np.full((batch, n_parties), -1, dtype=np.intp)
    seen = np.full((batch, n_parties), np.nan)
    events: list[tuple[int, int, int, int, int]] = []
    tables: OfferTables | None = None
    tables_for: NDArray[np.int64] | None = None
    all_rows = np.arange(batch)
    descending = descending_utilities(candidates)

    for t in range(rounds):
        r = walk_away[t]
        if tables is None or tables_for is None or (r != tables_for).any():
            tables, tables_for = offer_tables(candidates, r, descending=descending), r
        for turn, p in enumerate(turns):
            active = ~done
            if not active.any():
                break
            if core[p] and r[p] > best[p]:
                outcome[active], end_round[active], walked_out[active] = WALK_OUT, t, p
                done[active] = True
                break
            # the aspiration of every negotiation's party p
            code = codes[:, p]
            aspiration = np.full(batch, best[p], dtype=np.int64)
            for j, c in enumerate(td_codes):
                aspiration[code == c] = time_dependent[t, p, j]
            mimic = tft[:, p] & active
            if mimic.any():
                now = _opponents_position(utilities, last_offer, p)
                before = seen[:, p]
                update = mimic & ~np.isnan(now) & ~np.isnan(before)
                if update.any():
                    new = np.where(
                        relative[update, p],
                        tit_for_tat(
                            tft_aspiration[update, p], before[update], now[update], relative=True
                        ),
                        tit_for_tat(
                            tft_aspiration[update, p], before[update], now[update], relative=False
                        ),
                    )
                    # the state stays in [0, u_max]; the walk-away point is only a floor on the
                    # aspiration used below, so a walk-away point that rises and falls again
                    # does not ratchet the demand up
                    tft_aspiration[update, p] = np.clip(np.rint(new), 0, best[p])
                seen[mimic, p] = now[mimic]
                aspiration[tft[:, p]] = tft_aspiration[tft[:, p], p]
            aspiration[hardliner[:, p]] = best[p]
            aspiration = np.maximum(aspiration, r[p])
            # accept the standing offer, or counter it
            x = np.where(standing >= 0, standing, 0)
            threshold = np.where(needed[x, p], aspiration, r[p])
            accept = active & (standing >= 0) & (utilities[x, p] >= threshold)
            counter = active & ~accept
            accepted[accept, p] = True
            if counter.any():
                offers = tables.offer(p, aspiration[counter])
                standing[counter] = offers
                accepted[counter] = False
                # the proposer stands by its own offer, unless even its best package falls
                # below what it needs (a party needed only by some packages, whose walk-away
                # point is out of reach): it never consents below its walk-away point
                own = np.where(needed[offers, p], aspiration[counter], r[p])
                accepted[counter, p] = utilities[offers, p] >= own
                last_offer[counter, p] = offers
            if trace and active[0]:
                kind = _ACCEPT
                if counter[0]:
                    kind = _OFFER if accepted[0, p] else _BARE_OFFER
                events.append((kind, t, turn, p, int(standing[0])))
            rows = all_rows[active]
            agreed = (accepted[rows] | ~needed[standing[rows]]).all(axis=1)
            rows = rows[agreed]
            done[rows] = True
            outcome[rows] = AGREEMENT
            end_round[rows] = t
        if done.all():
            break

    final = walk_away[end_round].copy()
    agreed_rows = outcome == AGREEMENT
    final[agreed_rows] = utilities[standing[agreed_rows]]
    package = np.where(agreed_rows, standing, -1).astype(np.intp)
    return Negotiations(outcome, package, end_round, walked_out, final, events)


def nash_candidate(
    candidates: Candidates, reservation: NDArray[np.int64], bargainers: NDArray[np.bool_]
) -> int | None:
    """Return the index of a Nash bargaining package among the candidates, or None.

    The Nash solution (Nash 1950, "The bargaining problem", Econometrica 18(2)) over the packages
    acceptable to every party whose consent they need under ``reservation``, computed as
    :func:`zopa.space.analysis.analyze` computes it (:func:`zopa.space.solutions.bargaining_solutions`
    over the acceptable Pareto frontier, the disagreement point at the walk-away points, the
    bargainers being the parties every package needs); the first of tied packages.
    """
    u, needed = candidates.utilities, candidates.needed
    ok = np.flatnonzero(((u >= reservation[None, :]) | ~needed).all(axis=1))
    if len(ok) == 0:
        return None
    front = ok[nondominated(u[ok])]
    solutions = bargaining_solutions(
        PackageSet(candidates.packages[front], u[front]), reservation, bargainers
    )
    nash = solutions["nash"]
    if len(nash) == 0:
        return None
    hit = (candidates.packages[front] == nash.packages[0][None, :]).all(axis=1)
    return int(front[np.flatnonzero(hit)[0]])


def _profile(profile: StrategyProfile | Mapping[str, str] | str | None) -> StrategyProfile:
    if profile is None:
        return StrategyProfile()
    if isinstance(profile, StrategyProfile):
        return profile
    if isinstance(profile, str):
        return StrategyProfile.parse(profile)
    return StrategyProfile(dict(profile))


def _turn_order(space: CompiledSpace, order: Sequence[str] | None) -> list[int]:
    if order is None:
        return list(range(space.n_parties))
    if sorted(order) != sorted(space.parties):
        raise ValueError(
            f"the turn order must name every party with preferences once: {', '.join(space.parties)}"
        )
    return [space.parties.index(p) for p in order]


def simulate(
    space: CompiledSpace,
    schedule: Schedule,
    profile: StrategyProfile | Mapping[str, str] | str | None = None,
    *,
    order: Sequence[str] | None = None,
    rng: np.random.Generator | int | None = None,
    candidates: Candidates | None = None,
) -> SimulationResult:
    """Simulate one negotiation under the stacked alternating offers protocol.

    Parameters
    ----------
    space
        The compiled scenario.
    schedule
        Rounds, dates and walk-away points per round (``reservation`` of shape
        ``(rounds, space.n_parties)``).
    profile
        Each party's strategy: a :class:`StrategyProfile`, a mapping party → strategy name, a
        text such as ``"UA=boulware,RU=hardliner"``, or None (everyone ``linear``).
    order
        Turn order within a round (party ids); the scenario's order by default.
    rng
        None: ties in the offer policy are broken in a fixed order; a seed or generator: in a
        random order drawn from it. The same seed gives the same trace.
    candidates
        Precomputed :func:`zopa.simulate.offers.candidate_packages` of ``space`` (then ``rng``
        is not used: the candidates carry their tie-break order).

    Returns
    -------
    SimulationResult

    Raises
    ------
    ValueError
        For an unknown strategy or party, or a schedule for another number of parties.
    """
    chosen = _profile(profile)
    chosen.check_parties(space.parties)
    turns = _turn_order(space, order)
    if schedule.reservation.shape[1] != space.n_parties:
        raise ValueError(
            f"the schedule has walk-away points for {schedule.reservation.shape[1]} parties, "
            f"the space has {space.n_parties}"
        )
    cand = candidate_packages(space, rng=rng) if candidates is None else candidates
    core = space.core
    run = run_negotiations(
        cand, schedule, chosen.codes(space.parties)[None, :], core=core, order=turns, trace=True
    )
    return _result(space, schedule, chosen, turns, cand, run, rng)


def _result(
    space: CompiledSpace,
    schedule: Schedule,
    profile: StrategyProfile,
    turns: list[int],
    cand: Candidates,
    run: Negotiations,
    rng: np.random.Generator | int | None,
) -> SimulationResult:
    parties = space.parties

    def as_dict(utilities: NDArray[np.int64]) -> dict[str, float]:
        values = from_grid(utilities)
        return {p: float(values[k]) for k, p in enumerate(parties)}

    trace: list[Offer] = []
    accepted_by: list[list[str]] = []
    for kind, t, turn, p, x in run.events:
        if kind in (_OFFER, _BARE_OFFER):
            accepted_by.append([parties[p]] if kind == _OFFER else [])
            trace.append(
                Offer(
                    round=t,
                    turn=turn,
                    proposer=parties[p],
                    options=tuple(int(k) for k in cand.packages[x]),
                    package=space.package_of(cand.packages[x]),
                    utilities=as_dict(cand.utilities[x]),
                    date=None if schedule.dates is None else schedule.dates[t],
                )
            )
        elif accepted_by:
            accepted_by[-1].append(parties[p])
    trace = [
        Offer(o.round, o.turn, o.proposer, o.options, o.package, o.utilities, o.date, tuple(a))
        for o, a in zip(trace, accepted_by, strict=True)
    ]
    outcome = int(run.outcome[0])
    x = int(run.package[0])
    nash = nash_candidate(cand, to_grid(schedule.reservation[0]), space.core)
    bargainers = space.core
    distance = issues = None
    if x >= 0 and nash is not None:
        gap = from_grid(cand.utilities[x] - cand.utilities[nash])[bargainers]
        distance = float(np.sqrt((gap**2).sum()))
        issues = int((cand.packages[x] != cand.packages[nash]).sum())
    return SimulationResult(
        parties=parties,
        bargainers=tuple(p for p, b in zip(parties, bargainers, strict=True) if b),
        order=tuple(parties[p] for p in turns),
        strategies=profile.resolved(parties),
        rounds=schedule.rounds,
        dates=schedule.dates,
        walk_away={
            p: tuple(float(v) for v in schedule.reservation[:, k]) for k, p in enumerate(parties)
        },
        outcome=OUTCOMES[outcome],
        trace=trace,
        agreement=None if x < 0 else space.package_of(cand.packages[x]),
        agreement_options=None if x < 0 else tuple(int(k) for k in cand.packages[x]),
        agreed_round=None if x < 0 else int(run.end_round[0]),
        walked_out=None if run.walked_out[0] < 0 else parties[int(run.walked_out[0])],
        final_utilities=as_dict(run.final[0]),
        nash=None if nash is None else space.package_of(cand.packages[nash]),
        nash_utilities=None if nash is None else as_dict(cand.utilities[nash]),
        nash_distance=distance,
        issues_from_nash=issues,
        seed=rng if isinstance(rng, int) else None,
    )


def simulate_scenario(
    scenario: Scenario,
    profile: StrategyProfile | Mapping[str, str] | str | None = None,
    *,
    rounds: int | None = None,
    order: Sequence[str] | None = None,
    rng: np.random.Generator | int | None = None,
) -> SimulationResult:
    """Simulate talks on a scenario at its point values (what ``zopa simulate`` runs).

    Parameters
    ----------
    scenario
        A validated scenario with issues and preferences.
    profile, order, rng
        As in :func:`simulate`.
    rounds
        Rounds before the deadline; the scenario's ``dynamics:`` section (or 12) by default.

    Returns
    -------
    SimulationResult
        With the scenario stamp.
    """
    from dataclasses import replace

    from zopa.space.analysis import _require_issues, scenario_stamp

    _require_issues(scenario)
    space = compile_scenario(scenario)
    schedule = compile_schedule(scenario, point, rounds, space=space)
    result = simulate(space, schedule, profile, order=order, rng=rng)
    return replace(result, scenario=scenario_stamp(scenario))
