"""The offer policy: which package a party proposes at a given aspiration.

Policy
------
Every strategy proposes, at its current aspiration ``a_p``, the package that its opponents like
best among the packages giving it at least ``a_p`` (the "best for the opponent at my
aspiration level" offer policy of the automated-negotiation literature, e.g. the trade-off
tactic of Faratin, Sierra & Jennings 2002, "Using similarity criteria to make issue trade-offs
in automated negotiations", Artificial Intelligence 142(2), there with a similarity measure in
place of the opponent's utility).

With many parties "the opponent's utility" must be generalised; zopa uses the **least slack
over the other parties whose consent the package needs**:

    score_p(x, t) = min_{q ∈ needed(x), q ≠ p} (u_q(x) − r_q(t))

where ``r_q(t)`` is q's walk-away point in round ``t`` (the analyst's model, taken as known to
the parties). The proposer thus picks the package that the least satisfied party it needs is
happiest with — the package most likely to be accepted by every party that can block it, in
the spirit of the egalitarian solution over gains (Kalai 1977). A sum of opponents' utilities
would let a package that ruins one party be offered because it pleases the others; the least
slack does not, and it is comparable across packages that need different sets of parties.
Parties whose consent a package does not need do not count (they cannot block it). Ties are
broken by the proposer's own utility, then by a fixed order of the candidates (or a seeded
random order).

Candidates
----------
The maximiser is always found among the packages that are Pareto-efficient *within their
consent pattern* (the set of parties they need): if ``y`` needs the same parties as ``x`` and
is at least as good for everyone, it scores at least as well for every proposer and gives the
proposer at least as much. :func:`candidate_packages` computes that set once per compiled
space with the dynamic programme of :func:`zopa.space.pareto.additive_frontier` (one package per
frontier point: packages tying exactly in every utility and in consent are interchangeable).
For every round, :func:`offer_tables` then sorts the candidates by the proposer's utility and
keeps the running best score, so that each offer is a binary search on the aspiration
(vectorised over a batch of negotiations in :meth:`OfferTables.offer`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zopa.space._skyline import HAVE_NUMBA, kernel
from zopa.space.compile import CompiledSpace
from zopa.space.exact import consent_masks, grid_contributions
from zopa.space.pareto import Frontier, additive_frontier

IntArray = NDArray[np.int64]
NO_OPPONENT = np.iinfo(np.int64).max // 4
"""Score of a package that needs no party but the proposer (every opponent is content)."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """The packages parties may propose, with everything the protocol needs about them.

    Attributes
    ----------
    packages
        ``(m, n_issues)`` option indices.
    utilities
        ``(m, n_parties)`` integer utilities (grid of :mod:`zopa.space.exact`).
    needed
        ``(m, n_parties)``: whose consent each package needs.
    best
        ``(n_parties,)``: each party's best utility over *all* packages.
    order
        ``(n_parties, m)``: candidates by decreasing utility of each party (ties in the base
        order, the tie-break of the offer policy).
    """

    packages: NDArray[np.intp]
    utilities: IntArray
    needed: NDArray[np.bool_]
    best: IntArray
    order: NDArray[np.intp]

    def __len__(self) -> int:
        return int(self.packages.shape[0])


def _one_package_per_point(frontier: Frontier) -> NDArray[np.intp]:
    """Back-track one package per frontier point (the first DP entry reaching each point)."""
    n_issues = len(frontier.stages)
    current = np.arange(len(frontier.points))
    chosen = np.empty((len(current), n_issues), dtype=np.intp)
    for i in range(n_issues - 1, -1, -1):
        group, parent, option = frontier.stages[i]
        first = np.empty(int(group.max()) + 1, dtype=np.intp)
        first[group[::-1]] = np.arange(len(group))[::-1]
        picks = first[current]
        chosen[:, i] = option[picks]
        current = parent[picks]
    return chosen


def candidate_packages(
    space: CompiledSpace, *, rng: np.random.Generator | int | None = None
) -> Candidates:
    """Return the packages the offer policy chooses from: the consent-pattern Pareto frontier.

    Parameters
    ----------
    space
        The compiled space.
    rng
        None for the deterministic tie-break (candidates in the order of the dynamic
        programme), or a seed / generator for a random order among exact ties.

    Returns
    -------
    Candidates

    Notes
    -----
    Frontier by dynamic programming over issues with consent patterns
    (:func:`zopa.space.pareto.additive_frontier`; Bazgan, Hugot & Vanderpooten 2009). Issues
    are processed in increasing order of how much they matter (the sum over parties of the
    spread of their contributions), which on berlin-2025-12 and its samples is about a quarter
    faster than the scenario's order; the berlin-2025-12 space (958,464 packages) has 23,794
    candidates.
    """
    contributions = grid_contributions(space)
    masks = consent_masks(space)
    spread = [int((c.max(axis=1) - c.min(axis=1)).sum()) for c in contributions]
    issue_order = np.argsort(spread, kind="stable")
    frontier = additive_frontier(
        [contributions[i] for i in issue_order], [masks[i] for i in issue_order]
    )
    assert frontier.masks is not None
    rows = np.empty((len(frontier.points), len(issue_order)), dtype=np.intp)
    rows[:, issue_order] = _one_package_per_point(frontier)
    utilities = np.ascontiguousarray(frontier.points)
    needed = ((frontier.masks[:, None] >> np.arange(space.n_parties)) & 1).astype(bool)
    base = (
        np.arange(len(rows))
        if rng is None
        else np.random.default_rng(rng).permutation(len(rows)).astype(np.intp)
    )
    order = np.stack(
        [base[np.argsort(-utilities[base, p], kind="stable")] for p in range(space.n_parties)]
    ).astype(np.intp)
    best = np.array([c.max(axis=1) for c in contributions]).sum(axis=0).astype(np.int64)
    return Candidates(rows, utilities, needed, best, order)


def opponent_scores(candidates: Candidates, reservation: IntArray) -> IntArray:
    """Return ``(m, n_parties)``: each candidate's score for each party as proposer.

    ``score[x, p] = min over q ≠ p needed by x of (u_q(x) − r_q)``, or :data:`NO_OPPONENT`
    when x needs nobody but p.
    """
    u, needed = candidates.utilities, candidates.needed
    slack = np.where(needed, u - reservation[None, :], NO_OPPONENT)
    lowest = slack.argmin(axis=1)
    rows = np.arange(len(slack))
    smallest = slack[rows, lowest]
    others = slack.copy()
    others[rows, lowest] = NO_OPPONENT
    second = others.min(axis=1)
    p = np.arange(slack.shape[1])[None, :]
    out: IntArray = np.where(lowest[:, None] == p, second[:, None], smallest[:, None])
    return out


@dataclass(frozen=True, eq=False)
class OfferTables:
    """Per proposer, the best offer for every aspiration level in one round.

    Attributes
    ----------
    descending
        ``(n_parties, m)``: minus the proposer's utility of its candidates in ``order`` (so
        ascending, for :func:`numpy.searchsorted`).
    choice
        ``(n_parties, m)``: ``choice[p, k]`` is the candidate p offers when the first ``k + 1``
        candidates of its order reach its aspiration.
    """

    descending: IntArray
    choice: NDArray[np.intp]

    def offer(self, party: int, aspiration: IntArray) -> NDArray[np.intp]:
        """Return the candidate ``party`` proposes at each aspiration (a batch).

        A party whose aspiration exceeds every candidate (its walk-away point is above its best
        utility) proposes, among the packages at its best utility, the one best for the others.
        """
        row = self.descending[party]
        k = np.searchsorted(row, -np.asarray(aspiration), side="right")
        top = np.searchsorted(row, row[0], side="right")  # candidates at the party's best
        out: NDArray[np.intp] = self.choice[party][np.maximum(k, top) - 1]
        return out


def offer_tables(
    candidates: Candidates,
    reservation: IntArray,
    *,
    compiled: bool | None = None,
    descending: IntArray | None = None,
) -> OfferTables:
    """Return the offer tables for one round's walk-away points.

    For each proposer the candidates, sorted by its utility (decreasing), carry a running
    arg-max of its score (the first of equal maxima, i.e. the highest own utility), so the
    offer at aspiration ``a`` is the running best over the candidates with utility ``≥ a``.

    Parameters
    ----------
    candidates
        From :func:`candidate_packages`.
    reservation
        ``(n_parties,)`` walk-away points of the round, on the integer grid.
    compiled
        Use the numba kernel (True), the numpy path (False) or numba when available (None).
        Both give the same tables (tested).
    descending
        :func:`descending_utilities` of ``candidates``, when already computed (it does not
        depend on the round).
    """
    use_numba = HAVE_NUMBA if compiled is None else compiled
    if descending is None:
        descending = descending_utilities(candidates)
    if use_numba and _choice_kernel is not None:
        choice = _choice_kernel(
            candidates.order,
            candidates.utilities,
            candidates.needed,
            np.ascontiguousarray(reservation, dtype=np.int64),
        )
        return OfferTables(descending, choice)
    scores = opponent_scores(candidates, reservation)
    n_parties, m = candidates.order.shape
    choice = np.empty((n_parties, m), dtype=np.intp)
    positions = np.arange(m)
    for p in range(n_parties):
        order = candidates.order[p]
        s = scores[order, p]
        running = np.maximum.accumulate(s)
        new = np.empty(m, dtype=bool)
        new[0] = True
        new[1:] = s[1:] > running[:-1]
        choice[p] = order[np.maximum.accumulate(np.where(new, positions, 0))]
    return OfferTables(descending, choice)


def descending_utilities(candidates: Candidates) -> IntArray:
    """``(n_parties, m)``: minus each party's utility of the candidates in its ``order``."""
    n_parties = candidates.order.shape[0]
    out: IntArray = -np.take_along_axis(candidates.utilities.T, candidates.order, axis=1).reshape(
        n_parties, -1
    )
    return out


def _choice_py(
    order: NDArray[np.intp],
    utilities: IntArray,
    needed: NDArray[np.bool_],
    reservation: IntArray,
) -> NDArray[np.intp]:
    """Running arg-max of the opponent score along each proposer's order (numba kernel).

    The score of candidate ``x`` for proposer ``p`` is, as in :func:`opponent_scores`, the least
    slack ``u_q(x) − r_q`` over the other parties ``q`` that ``x`` needs (:data:`NO_OPPONENT`
    when there are none): one pass over the candidates finds each one's least and second least
    slack, from which every proposer's score follows.
    """
    m, n_parties = utilities.shape
    lowest = np.empty(m, dtype=np.int64)
    second = np.empty(m, dtype=np.int64)
    who = np.empty(m, dtype=np.int64)
    for x in range(m):
        low = np.int64(NO_OPPONENT)
        sec = np.int64(NO_OPPONENT)
        arg = -1
        for q in range(n_parties):
            if needed[x, q]:
                slack = utilities[x, q] - reservation[q]
                if slack < low:
                    sec = low
                    low = slack
                    arg = q
                elif slack < sec:
                    sec = slack
        lowest[x] = low
        second[x] = sec
        who[x] = arg
    choice = np.empty((n_parties, m), dtype=np.intp)
    for p in range(n_parties):
        best = np.int64(0)
        pick = 0
        for k in range(m):
            x = order[p, k]
            score = second[x] if who[x] == p else lowest[x]
            if k == 0 or score > best:
                best = score
                pick = x
            choice[p, k] = pick
    return choice


_choice_kernel = kernel(_choice_py) if HAVE_NUMBA else None
