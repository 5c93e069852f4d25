"""The facade behind ``zopa stability``: stability tables, equilibria, coalitions, status quo.

States are identified as in the GMCR literature: by their number among the feasible states
ordered by their decimal code (option 1 is the least significant bit), and by their option
vector (``Y``/``N`` in option order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zopa.gmcr.compile import CompiledGame
from zopa.gmcr.memory import DOCUMENT_BYTES, ENGINE_BYTES, check_memory, per_state
from zopa.gmcr.paths import coalition_nash_stable, evolution
from zopa.gmcr.stability import CONCEPTS, StabilityResult, analyse_stability


@dataclass(frozen=True)
class StabilityReport:
    """Stability of every feasible state, per decision maker and concept, with the equilibria."""

    game: CompiledGame
    result: StabilityResult
    coalitions: list[list[str]] = field(default_factory=list)
    coalition_stable: dict[str, list[int]] = field(default_factory=dict)

    def state_id(self, code: int) -> int:
        """The GMCR state number of a code."""
        return self.game.state_number(code)

    def equilibria(self, concept: str) -> list[int]:
        """State numbers of the equilibria under a concept."""
        return self.state_ids(self.result.equilibria(concept))

    def state_ids(self, codes: NDArray[np.int64]) -> list[int]:
        """The GMCR state numbers of feasible codes, all at once."""
        ids: list[int] = (np.searchsorted(self.game.feasible_codes(), codes) + 1).tolist()
        return ids

    def summary_codes(self, rows: int) -> NDArray[np.int64]:
        """The feasible states a summary lists: at most about ``rows`` of them, ascending.

        All states when there are no more than ``rows``; otherwise the status quo and the named
        states, then the states that are equilibria under the most concepts (ties by state
        number), leaving out states that are an equilibrium under no concept.
        """
        g = self.game
        codes = g.feasible_codes()
        if codes.size <= rows:
            return codes
        must = set(g.named.values()) | ({g.status_quo} if g.status_quo is not None else set())
        # one byte per state for the score, then the states level by level (most concepts
        # first, ascending within a level) until enough: no sort over all the equilibria
        score = np.zeros(g.feasible.size, dtype=np.uint8)
        for concept in self.result.stable:
            score += self._equilibrium(concept)
        need = max(rows - len(must), 0)
        excluded = np.array(sorted(must), dtype=np.int64)
        picked: list[NDArray[np.int64]] = [np.empty(0, dtype=np.int64)]
        count = 0
        for level in range(len(self.result.stable), 0, -1):
            if count >= need:
                break
            at = np.flatnonzero(score == level).astype(np.int64)
            at = at[~np.isin(at, excluded)][: need - count]
            picked.append(at)
            count += at.size
        ranked = np.concatenate(picked)
        return np.unique(np.concatenate([ranked, np.array(sorted(must), dtype=np.int64)]))

    def to_dict(self, rows: int | None = None) -> dict[str, Any]:
        """Return the stable JSON document (``states``, ``stable``, ``equilibria``, ...).

        Built with array operations over the states (never state by state), so that writing
        the result of a model with millions of states costs about what analysing it does.

        Parameters
        ----------
        rows
            None (the default) lists every state. A number gives a summary for a report:
            ``states`` and ``stable`` keep only :meth:`summary_codes`, each list in
            ``equilibria`` keeps its first ``rows`` entries, and ``summarised`` is true;
            ``counts`` always gives the full numbers.

        Raises
        ------
        zopa.gmcr.memory.MemoryBudgetError
            When the document (the states it lists) would not fit in memory.
        """
        g = self.game
        feasible = g.feasible_codes()
        codes = feasible if rows is None else self.summary_codes(rows)
        check_memory(
            codes.size * per_state(DOCUMENT_BYTES, g.n_dms),
            f"the report of {codes.size:,} states",
        )
        keep = None if rows is None else np.zeros(g.feasible.size, dtype=bool)
        if keep is not None:
            keep[codes] = True
        named = {}
        for name, code in g.named.items():
            named[name] = {
                "id": self.state_id(code),
                "options": g.vector(code),
                "equilibrium": [c for c in self.result.stable if self._equilibrium(c)[code]],
            }
        equilibria = {c: self.result.equilibria(c) for c in self.result.stable}
        return {
            "decision_makers": {
                dm: [g.options[k] for k in range(start, start + count)]
                for dm, (start, count) in zip(g.dms, g.blocks, strict=True)
            },
            "options": [
                {"id": o, "label": label} for o, label in zip(g.options, g.labels, strict=True)
            ],
            "states": [
                {"id": k, "options": v}
                for k, v in zip(self.state_ids(codes), _vectors(codes, g.n_options), strict=True)
            ],
            "stable": {
                concept: {
                    dm: self.state_ids(self._stable_codes(concept, i, keep))
                    for i, dm in enumerate(g.dms)
                }
                for concept in self.result.stable
            },
            "equilibria": {
                c: self.state_ids(eq if rows is None else eq[:rows]) for c, eq in equilibria.items()
            },
            "counts": {
                "states": int(feasible.size),
                "equilibria": {c: int(eq.size) for c, eq in equilibria.items()},
            },
            "summarised": rows is not None and codes.size < feasible.size,
            "named": named,
            "status_quo": self.state_id(g.status_quo) if g.status_quo is not None else None,
            "coalitions": [
                {"members": members, "nash_stable": self.coalition_stable["+".join(members)]}
                for members in self.coalitions
            ],
        }

    def _equilibrium(self, concept: str) -> NDArray[np.bool_]:
        return self.result.stable[concept].all(axis=0) & self.game.feasible

    def _stable_codes(
        self, concept: str, dm: int, keep: NDArray[np.bool_] | None
    ) -> NDArray[np.int64]:
        """Codes stable for ``dm``: all feasible ones, or only those ``keep`` marks."""
        if keep is None:
            return self.result.stable_for(concept, dm)
        return np.flatnonzero(self.result.stable[concept][dm] & keep).astype(np.int64)


def _vectors(codes: NDArray[np.int64], n: int) -> list[str]:
    """The option vectors (``"YNN"``: option 1 first) of many state codes at once."""
    if n == 0:
        return [""] * codes.size
    bits = (codes[:, None] >> np.arange(n, dtype=np.int64)) & 1
    letters = np.where(bits == 1, ord("Y"), ord("N")).astype(np.uint8)
    vectors: list[str] = np.ascontiguousarray(letters).view(f"S{n}").ravel().astype(str).tolist()
    return vectors


def stability_report(
    game: CompiledGame,
    coalitions: list[list[str]] | None = None,
    concepts: tuple[str, ...] = CONCEPTS,
    *,
    document: bool = True,
) -> StabilityReport:
    """Analyse a compiled graph model.

    Parameters
    ----------
    game
        The compiled model.
    coalitions
        Coalitions (lists of decision-maker ids) whose coalition Nash stability to report.
    concepts
        Which stability concepts to compute.
    document
        Whether the report will be turned into its JSON document (:meth:`StabilityReport.to_dict`,
        which lists every state): its memory is then checked too, before starting.

    Raises
    ------
    ValueError
        For an unknown decision maker in a coalition, or a coalition analysis of a model with
        more than :data:`zopa.gmcr.paths.MAX_STATES` feasible states.
    zopa.gmcr.memory.MemoryBudgetError
        (a ``ValueError``) When the analysis and its report would not fit in the memory this
        process may use; checked before starting.
    """
    d = game.n_dms
    states = int(np.count_nonzero(game.feasible))
    need = (1 << game.n_options) * per_state(ENGINE_BYTES, d)
    if document:
        need += states * per_state(DOCUMENT_BYTES, d)
    what = "and its report " if document else ""
    check_memory(
        need, f"the stability analysis {what}of {game.n_options} options ({states:,} states)"
    )
    result = analyse_stability(game, concepts)
    coalition_stable = {}
    for members in coalitions or []:
        idx = _dm_indices(game, members)
        nash = np.asarray(result.stable["R"].all(axis=0), dtype=bool)
        stable = coalition_nash_stable(game, idx, among=nash)
        coalition_stable["+".join(members)] = [
            game.state_number(int(c)) for c in np.flatnonzero(stable)
        ]
    return StabilityReport(game, result, list(coalitions or []), coalition_stable)


def _dm_indices(game: CompiledGame, members: list[str]) -> list[int]:
    unknown = [m for m in members if m not in game.dms]
    if unknown:
        raise ValueError(
            f"unknown decision maker {unknown[0]!r} (expected one of: {', '.join(game.dms)})"
        )
    return [game.dms.index(m) for m in members]


def status_quo_report(
    report: StabilityReport,
    start: int,
    concept: str = "GMR",
    coalitions: list[list[str]] | None = None,
) -> dict[str, Any]:
    """Where the conflict can go from ``start`` (a state code) by improvements.

    Returns
    -------
    dict
        ``from`` (state id), ``reachable`` (state ids, breadth first), ``transitions`` (each
        ``from``, ``to``, ``by``), ``paths`` (per reachable equilibrium of ``concept``, the
        shortest sequence of transitions) and ``options`` (the option vector of the start and
        of each of those equilibria, by state id).
    """
    g = report.game
    eq = {int(c) for c in report.result.equilibria(concept)}
    groups = [_dm_indices(g, c) for c in coalitions or []]
    evo = evolution(g, start, eq, groups)

    def step(t: Any) -> dict[str, Any]:
        return {
            "from": g.state_number(t.source),
            "to": g.state_number(t.target),
            "by": [g.dms[i] for i in t.movers],
        }

    return {
        "from": g.state_number(start),
        "concept": concept,
        "reachable": [g.state_number(c) for c in evo.reachable],
        "transitions": [step(t) for t in evo.transitions],
        "paths": {str(g.state_number(e)): [step(t) for t in path] for e, path in evo.paths.items()},
        "options": {str(g.state_number(c)): g.vector(c) for c in [start, *evo.paths]},
    }
