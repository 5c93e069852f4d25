"""A strategic model compiled to arrays over its state space, for the stability engine.

States are coded as in :mod:`zopa.gmcr.statements`: code ``s`` in ``0 .. 2**n - 1`` has option
``k`` (0-based, option order) taken iff bit ``k`` of ``s`` is set. GMCR *state numbers* are the
1-based positions of the feasible codes in ascending order (option 1 is the least significant
bit), so they match the numbering of Fang, Hipel & Kilgour (1993) and of GMCR II.

Payoffs are integers, higher is more preferred, equal is indifferent; only their order matters.
From a ranking with ``T`` tiers (a tie is one tier), the states of tier ``t`` (0-based, most
preferred first) get ``T - t``; from a prioritization of ``q`` statements, a state gets its score
``Σ_j [statement j holds] · 2**(q - j)``. Infeasible codes get 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zopa.gmcr.memory import COMPILE_BYTES, check_memory, per_state
from zopa.gmcr.statements import code_vector, is_vector, priority_scores, vector_code
from zopa.model.strategic import (
    ResolvedOrder,
    ResolvedStrategic,
    StrategicModel,
    resolve_strategic,
)

FORWARD = 1
"""``direction`` of an option that may only be taken (N → Y), never dropped."""

BACKWARD = 2
"""``direction`` of an option that may only be dropped (Y → N), never taken."""


@dataclass(frozen=True, eq=False)
class CompiledGame:
    """A graph model in option form, as arrays indexed by state code.

    Attributes
    ----------
    dms
        Decision-maker ids, in order.
    options, labels
        Option ids and labels, in option order.
    blocks
        Per decision maker: (first option index, number of options); contiguous, in order.
    feasible
        ``(2**n,)`` booleans by state code.
    payoff
        ``(n_dms, 2**n)`` int64: higher is more preferred, equal is indifferent; 0 at
        infeasible codes.
    direction
        ``(n_options,)`` int8: 0 reversible, 1 forward (N → Y only), 2 backward (Y → N only).
    status_quo
        The status quo's code, if given.
    named
        Named states (the model's ``states``) → code.
    """

    dms: tuple[str, ...]
    options: tuple[str, ...]
    labels: tuple[str, ...]
    blocks: tuple[tuple[int, int], ...]
    feasible: NDArray[np.bool_]
    payoff: NDArray[np.int64]
    direction: NDArray[np.int8]
    status_quo: int | None
    named: dict[str, int]

    @property
    def n_options(self) -> int:
        """The number of options."""
        return len(self.options)

    @property
    def n_dms(self) -> int:
        """The number of decision makers."""
        return len(self.dms)

    @cached_property
    def _codes(self) -> NDArray[np.int64]:
        codes = np.flatnonzero(self.feasible).astype(np.int64)
        codes.flags.writeable = False
        return codes

    def feasible_codes(self) -> NDArray[np.int64]:
        """Return the feasible state codes, ascending (read-only)."""
        return self._codes

    def state_number(self, code: int) -> int:
        """Return the GMCR number of a feasible state: its 1-based position among feasible codes.

        Raises
        ------
        ValueError
            When ``code`` is not a feasible state.
        """
        codes = self._codes
        k = int(np.searchsorted(codes, code))
        if k >= codes.size or codes[k] != code:
            raise ValueError(f"code {code} is not a feasible state")
        return k + 1

    def vector(self, code: int) -> str:
        """Return a state's vector, Y or N per option in option order (``"YNYNN"``)."""
        return code_vector(code, self.n_options)

    def parse_state(self, text: str) -> int:
        """Return the code of a state given as a vector, a state number or a state name.

        Parameters
        ----------
        text
            ``"YNN"`` (exactly one letter Y or N per option, in option order), ``"3"`` (the
            GMCR state number, 1-based among feasible states) or a name from ``named``.

        Raises
        ------
        ValueError
            When ``text`` is none of these, or names an infeasible state.
        """
        text = text.strip()
        if text in self.named:
            return self.named[text]
        count = int(self._codes.size)
        if text.isdigit():
            number = int(text) if len(text) <= 20 else 0  # (no state has a 21-digit number)
            if not 1 <= number <= count:
                shown = text if len(text) <= 20 else text[:20] + "…"
                raise ValueError(f"no state number {shown}: the states are numbered 1 to {count}")
            return int(self._codes[number - 1])
        n = self.n_options
        if is_vector(text):
            if "-" in text or len(text) != n:
                raise ValueError(
                    f"{text!r} is not a state: write exactly {n} letters Y or N, one per option "
                    f"in option order ({' '.join(self.options)})"
                )
            code = vector_code(text, n)
            if not self.feasible[code]:
                raise ValueError(f"state {text} is infeasible")
            return code
        names = f", or a named state ({', '.join(self.named)})" if self.named else ""
        raise ValueError(
            f"cannot read {text!r} as a state: expected a vector of {n} letters Y or N (option "
            f"order: {' '.join(self.options)}), a state number 1 to {count}{names}"
        )


def _problem_text(resolved: ResolvedStrategic) -> str:
    lines = []
    for loc, message, _ in resolved.problems:
        path = ""
        for part in loc:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        lines.append(f"{path}: {message}")
    return "invalid strategic model:\n" + "\n".join(lines)


def compile_game(model: StrategicModel) -> CompiledGame:
    """Compile a strategic model to arrays over its ``2**n`` states.

    The model is checked as a whole first (party links and basis citations are checked with
    the scenario, not here).

    Raises
    ------
    ValueError
        When the model is not valid, with every problem found.
    zopa.gmcr.memory.MemoryBudgetError
        (a ``ValueError``) When the compiled model would not fit in the memory this process
        may use; checked before allocating.
    """
    return _compile(_resolved(model))


def _resolved(model: StrategicModel) -> ResolvedStrategic:
    """Resolve a model, raising ``ValueError`` with every problem when it is not valid."""
    resolved = resolve_strategic(model)
    if resolved.problems:
        raise ValueError(_problem_text(resolved))
    return resolved


def _payoff_row(order: ResolvedOrder, feasible: NDArray[np.bool_], n: int) -> NDArray[np.int64]:
    """One decision maker's payoffs over all ``2**n`` codes from a ranking or a prioritization."""
    if order.tiers is not None:
        row = np.zeros(1 << n, dtype=np.int64)
        for t, tier in enumerate(order.tiers):
            row[tier] = len(order.tiers) - t
        return row
    assert order.statements is not None
    row = priority_scores(order.statements, n)
    row[~feasible] = 0
    return row


def _check_memory(r: ResolvedStrategic, rows: int) -> None:
    """Refuse, before allocating, a model whose compiled form would not fit in memory."""
    need = (1 << r.n) * (per_state(COMPILE_BYTES, len(r.dms)) + 8 * max(0, rows - len(r.dms)))
    check_memory(need, f"compiling {r.n} options (2**{r.n} states)")


def _compile(r: ResolvedStrategic, rows: int | None = None) -> CompiledGame:
    n = r.n
    _check_memory(r, rows if rows is not None else len(r.dms))
    feasible = r.feasible()
    payoff = np.zeros((len(r.dms), 1 << n), dtype=np.int64)
    for d, dm in enumerate(r.dms):
        payoff[d] = _payoff_row(r.orders(dm)[0], feasible, n)
    return CompiledGame(
        dms=tuple(r.dms),
        options=tuple(r.options),
        labels=tuple(r.labels),
        blocks=tuple(r.blocks),
        feasible=feasible,
        payoff=payoff,
        direction=np.array(r.direction, dtype=np.int8),
        status_quo=r.status_quo,
        named=dict(r.named),
    )


@dataclass(frozen=True, eq=False)
class PreferenceOrder:
    """One of a decision maker's possible preference orders, compiled.

    Attributes
    ----------
    id
        ``main`` or the alternative's id.
    probability
        Its weight over the total of the decision maker's weights.
    payoff
        ``(2**n,)`` int64 payoffs by state code, as a row of :attr:`CompiledGame.payoff`.
    basis
        What it rests on, as written in the model.
    """

    id: str
    probability: float
    payoff: NDArray[np.int64]
    basis: str | None = None


@dataclass(frozen=True, eq=False)
class UncertainGame:
    """A graph model whose decision makers' preferences are uncertain.

    Attributes
    ----------
    game
        The model compiled with every decision maker's main preferences.
    orders
        Per decision maker (in order), its possible preference orders: the main one first, then
        its alternatives. A *profile* picks one order per decision maker (their indices).
    """

    game: CompiledGame
    orders: tuple[tuple[PreferenceOrder, ...], ...]

    @property
    def n_profiles(self) -> int:
        """The number of distinct profiles: the product of the numbers of orders."""
        return math.prod(len(o) for o in self.orders)

    def probabilities(self, dm: int) -> NDArray[np.float64]:
        """The probabilities of one decision maker's orders (they sum to 1)."""
        return np.array([o.probability for o in self.orders[dm]])

    def with_profile(self, profile: Sequence[int]) -> CompiledGame:
        """The game in which decision maker ``d`` has its order ``profile[d]``."""
        payoff = np.stack([self.orders[d][k].payoff for d, k in enumerate(profile)])
        return replace(self.game, payoff=payoff)


def compile_uncertain(model: StrategicModel) -> UncertainGame:
    """Compile a strategic model with every decision maker's alternative preferences.

    Raises
    ------
    ValueError
        When the model is not valid, with every problem found.
    """
    resolved = _resolved(model)
    game = _compile(resolved, sum(len(resolved.orders(dm)) for dm in resolved.dms))
    feasible, n = game.feasible, game.n_options
    orders = []
    for dm in resolved.dms:
        options = resolved.orders(dm)
        total = math.fsum(o.weight for o in options)
        pref = model.preferences[dm]
        bases = [pref.basis, *(a.basis for a in pref.alternatives)]
        orders.append(
            tuple(
                PreferenceOrder(o.id, o.weight / total, _payoff_row(o, feasible, n), basis)
                for o, basis in zip(options, bases, strict=True)
            )
        )
    return UncertainGame(game, tuple(orders))


def compile_arrays(
    dms: Sequence[str],
    options_per_dm: Sequence[Sequence[str]],
    rankings: Sequence[Sequence[str | Sequence[str]]] | None = None,
    *,
    payoffs: ArrayLike | None = None,
    infeasible: Sequence[str] = (),
    irreversible: Mapping[str, str] | None = None,
    status_quo: str | None = None,
    states: Mapping[str, str] | None = None,
) -> CompiledGame:
    """Build a game from plain Python (for tests and notebooks).

    Parameters
    ----------
    dms
        Decision-maker ids (at least two).
    options_per_dm
        Each decision maker's option ids (labels are the ids).
    rankings
        Per decision maker, its ranking: state vectors most preferred first, a list for a tie.
    payoffs
        Instead of ``rankings``: the ``(n_dms, 2**n)`` payoff array by state code, used as
        given at feasible codes (set to 0 at infeasible ones).
    infeasible, irreversible, status_quo, states
        As in a scenario file.

    Raises
    ------
    ValueError
        When the game is not valid.
    """
    if (rankings is None) == (payoffs is None):
        raise ValueError("give exactly one of rankings or payoffs")
    if len(options_per_dm) != len(dms):
        raise ValueError(f"{len(dms)} decision makers but {len(options_per_dm)} option lists")
    preferences: dict[str, Any]
    if rankings is not None:
        if len(rankings) != len(dms):
            raise ValueError(f"{len(dms)} decision makers but {len(rankings)} rankings")
        preferences = {
            dm: {"ranking": [e if isinstance(e, str) else list(e) for e in ranking]}
            for dm, ranking in zip(dms, rankings, strict=True)
        }
    else:
        preferences = {dm: {"prioritization": ["1"]} for dm in dms}
    data = {
        "decision_makers": {
            dm: {"options": {o: o for o in opts}}
            for dm, opts in zip(dms, options_per_dm, strict=True)
        },
        "infeasible": list(infeasible),
        "irreversible": dict(irreversible or {}),
        "status_quo": status_quo,
        "states": dict(states or {}),
        "preferences": preferences,
    }
    game = compile_game(StrategicModel.model_validate(data))
    if payoffs is None:
        return game
    given = np.asarray(payoffs, dtype=np.int64)
    if given.shape != game.payoff.shape:
        raise ValueError(f"payoffs of shape {given.shape}: expected {game.payoff.shape}")
    game.payoff[:] = np.where(game.feasible, given, 0)
    return game


__all__ = [
    "BACKWARD",
    "FORWARD",
    "CompiledGame",
    "PreferenceOrder",
    "UncertainGame",
    "compile_arrays",
    "compile_game",
    "compile_uncertain",
]
