"""The parties' reactions as a likelihood over the sampled inputs, evaluated many samples at once.

A reaction says what a party made of a proposal (:class:`zopa.model.scenario.Reaction`); its
likelihood depends on the party's *slack* on the proposal, ``utility − walk-away point``
(:mod:`zopa.evidence.likelihood`). Conditioning needs that slack in hundreds of thousands of
samples, so :class:`Record` computes it for a whole batch of samples with array operations, on
the integer grid of the agreement space's analysis and with its arithmetic (weights normalised
as :meth:`zopa.space.compile.SpaceTemplate.fill_vector` does, contributions rounded as
:func:`zopa.space.exact.space_grid` does). Only the order of a few floating-point sums differs,
so the slack agrees with the full analysis of the same sample to within a few grid steps
(10⁻¹³ utility): a hard stance can disagree with the analysis's verdict only in a sample whose
slack lies that close to zero. A party none of whose numbers vary keeps its exact (rational)
slack, so a point-valued party exactly at its walk-away point is judged exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.evidence.likelihood import HARD, likelihood
from zopa.model.numbers import point
from zopa.space.compile import space_template
from zopa.space.exact import SCALE, grid_reservation, grid_utilities, to_grid

if TYPE_CHECKING:
    from zopa.model.scenario import Reaction, Scenario
    from zopa.robust.sampling import UncertainInput


@dataclass(frozen=True)
class _Term:
    """One reaction's slack as array indices: where its party's numbers stand."""

    party: int
    weights: NDArray[np.intp]  # (issues,) into the numbers
    cells: tuple[tuple[tuple[int, float], ...], ...]  # per issue: (number, share) of the option
    reservation: int
    constant: int | None  # the exact slack when none of the party's numbers vary


class Record:
    """The reactions of a scenario, compiled against its uncertain inputs.

    Parameters
    ----------
    scenario
        A validated scenario.
    inputs
        The inputs that vary (:func:`zopa.robust.proposals.space_inputs`), in the order of the
        sample rows this record will be given.

    Attributes
    ----------
    reactions
        The reactions that are evidence about the agreement space: by a party with preferences,
        on a proposal of the scenario, in scenario order.
    ignored
        Reactions by a party without preferences (nothing in the space depends on them).
    stances
        The stance of each of :attr:`reactions`.
    hard
        Whether each reaction is hard evidence (a likelihood of 0 or 1).
    """

    def __init__(self, scenario: Scenario, inputs: list[UncertainInput]) -> None:
        template = space_template(scenario)
        parties = template.parties
        usable = [
            r.party in parties and r.proposal in scenario.proposals for r in scenario.reactions
        ]
        self.reactions: list[Reaction] = [
            r for r, ok in zip(scenario.reactions, usable, strict=True) if ok
        ]
        self.ignored: list[Reaction] = [
            r for r, ok in zip(scenario.reactions, usable, strict=True) if not ok
        ]
        self.stances = tuple(r.stance for r in self.reactions)
        self.hard = np.array([s in HARD for s in self.stances], dtype=bool)
        self._point = np.array([point(n) for n in template.numbers], dtype=np.float64)
        self._varying = template.positions([i.number for i in inputs])
        varying = set(self._varying.tolist())
        base = template.fill()
        reservation = grid_reservation(base)
        terms = []
        for r in self.reactions:
            p = parties.index(r.party)
            package = base.index_of(scenario.package_of(r.proposal))
            cells = []
            for c, option in enumerate(package):
                k = len(template.options[c])
                row = template.value_maps[c][p * k + int(option)]
                cells.append(tuple((int(j), float(row[j])) for j in np.flatnonzero(row)))
            constant = None
            if not varying & set(template.party_numbers[p].tolist()):
                constant = int(grid_utilities(base, package)[0, p] - reservation[p])
            terms.append(
                _Term(
                    party=p,
                    weights=template.weight_index[p].copy(),
                    cells=tuple(cells),
                    reservation=int(template.reservation_index[p]),
                    constant=constant,
                )
            )
        self._terms = tuple(terms)

    def __len__(self) -> int:
        return len(self.reactions)

    def slack(self, rows: NDArray[np.float64]) -> NDArray[np.int64]:
        """Each reaction's slack in each sample, on the integer grid.

        Parameters
        ----------
        rows
            ``(n, inputs)`` sampled values of the inputs.

        Returns
        -------
        numpy.ndarray
            ``(n, reactions)`` integers: utility of the proposal minus walk-away point, times
            :data:`zopa.space.exact.SCALE` (``≥ 0``: the party accepts).
        """
        rows = np.asarray(rows, dtype=np.float64)
        n = rows.shape[0]
        out = np.empty((n, len(self._terms)), dtype=np.int64)
        if not self._terms:
            return out
        numbers = np.broadcast_to(self._point, (n, self._point.size)).copy()
        numbers[:, self._varying] = rows
        weights: dict[int, NDArray[np.float64]] = {}
        reservation: dict[int, NDArray[np.int64]] = {}
        for t, term in enumerate(self._terms):
            if term.constant is not None:
                out[:, t] = term.constant
                continue
            if term.party not in weights:  # as SpaceTemplate.fill_vector normalises them
                raw = numbers[:, term.weights]
                w = np.where(np.isfinite(raw) & (raw > 0), raw, 0.0)
                top = w.max(axis=1, keepdims=True) if w.shape[1] else np.ones((n, 1))
                w = w / np.where(top > 0, top, 1.0)
                total = w.sum(axis=1, keepdims=True)
                weights[term.party] = w / np.where(total > 0, total, 1.0)
            w = weights[term.party]
            utility = np.zeros(n, dtype=np.int64)
            for c, cell in enumerate(term.cells):
                value = np.zeros(n)
                for j, share in cell:
                    value = value + share * numbers[:, j]
                contribution = w[:, c] * np.clip(value, 0.0, 1.0)  # as space_grid rounds them
                utility += np.rint(contribution * SCALE).astype(np.int64)
            if term.party not in reservation:
                reservation[term.party] = to_grid(numbers[:, term.reservation])
            out[:, t] = utility - reservation[term.party]
        return out

    def likelihoods(self, slack: NDArray[np.int64]) -> NDArray[np.float64]:
        """``(n, reactions)``: ``P(stance | slack)`` of each reaction in each sample."""
        out = np.empty(slack.shape, dtype=np.float64)
        for t, stance in enumerate(self.stances):
            out[:, t] = likelihood(stance, slack[:, t] / SCALE)
        return out

    def violation(self, slack: NDArray[np.int64]) -> NDArray[np.float64]:
        """``(n,)``: how far the hard reactions are from holding, summed, in utility (0: all hold).

        ``accepts`` is short by ``−slack`` when the slack is negative; ``rejects`` by
        ``slack`` plus one grid step when the slack is not negative.
        """
        short = np.zeros(slack.shape[0], dtype=np.float64)
        for t, stance in enumerate(self.stances):
            if stance == "accepts":
                short += np.maximum(0, -slack[:, t]) / SCALE
            elif stance == "rejects":
                short += np.maximum(0, slack[:, t] + 1) / SCALE
        return short

    def soft_log_likelihood(self, slack: NDArray[np.int64]) -> NDArray[np.float64]:
        """``(n,)``: the sum of the soft reactions' log-likelihoods (0 without soft reactions)."""
        total = np.zeros(slack.shape[0], dtype=np.float64)
        for t, stance in enumerate(self.stances):
            if not self.hard[t]:
                total += np.log(likelihood(stance, slack[:, t] / SCALE))
        return total
