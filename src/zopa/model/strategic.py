"""Strategic models: a conflict in option form, for the graph model for conflict resolution.

A scenario's optional ``strategic:`` section (or a whole *standalone strategic* file) describes a
conflict the way the graph model for conflict resolution does (Kilgour, Hipel & Fang 1987; Fang,
Hipel & Kilgour 1993): decision makers, the options each controls, which combinations cannot
happen, which options cannot be undone, the status quo, and each decision maker's preferences
over the resulting states, as a ranking of states or as a prioritized list of statements about
options (option prioritization)::

    strategic:
      decision_makers:                 # option order = this order
        P1: {name: Player 1, options: {c1: "P1 stays silent"}}
        P2: {options: {c2: "P2 stays silent"}, party: UA}   # party: a party of the scenario
      infeasible: ["c1 & -c2", "Y-"]   # statements, or vector patterns ('-': either)
      irreversible: {c1: forward}      # forward: may only be taken; backward: only dropped
      status_quo: "NN"                 # a vector, or a pattern matching one feasible state
      states: {deal: "YY"}             # named states of interest
      preferences:
        P1: {ranking: ["NY", ["YY", "NN"], "YN"], basis: "Assumption [src]."}
        P2:
          prioritization: ["c1", "-c2"]
          weight: 3                    # the main preferences' relative plausibility (default 1)
          alternatives:                # other preferences P2 may have, each with its weight
            - id: spiteful             # optional: alt1, alt2... in order
              prioritization: ["-c2", "c1"]
              weight: 1                # so: main 3/4, spiteful 1/4
              basis: "Assumption: an alternative reading of [src]."

A decision maker whose preferences are uncertain gives *alternatives*: other rankings or
prioritizations, each with a positive ``weight``; the probability of each of its preference
orders (the main one and the alternatives) is its weight over their total, and decision makers
vary independently (:mod:`zopa.robust.stability`). Without alternatives the preferences are
certain. Alternatives are checked exactly like the main preferences.

The statement language and state vectors are defined in :mod:`zopa.gmcr.statements`. As in
:mod:`zopa.model.scenario`, pydantic checks the shapes; :func:`resolve_strategic` checks what
only the whole section can tell (options named in statements, rankings that list every feasible
state exactly once, a feasible status quo...) and returns the resolved model the compiler reads.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from zopa.gmcr.statements import (
    MAX_OPTIONS,
    MAX_STATEMENTS,
    Blocks,
    Expr,
    StatementError,
    code_vector,
    evaluate,
    holds,
    is_vector,
    parse_statement,
    size_of,
    vector_code,
    vector_pattern,
)
from zopa.model.base import ID_PATTERN, Model, Text, basis_problems

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Loc = tuple[str | int, ...]

FULL_CHECK_OPTIONS = 24
"""Up to this many options, validation always evaluates feasibility over the whole state space
(to report a model that rules every state out); above, only when a check needs it."""

RESERVED_WORDS = ("if", "iff")

MAX_STATEMENT_WORK = 1 << 34
"""At most this many elementary steps for evaluating every statement of a model over every
state: the statements' nodes (options and operators) in all, times ``2**n`` (about 15 s)."""


def _statement_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a bare option number, ``- 3`` or ``- -3`` in YAML
    return value


Statement = Annotated[Text, BeforeValidator(_statement_text, json_schema_input_type=str | int)]
"""A statement about options (``"c1 & -c2"``), or an option number."""

Tie = Annotated[list[Text], Field(min_length=1)]


def _rank_entry_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "state"
    return "tie" if isinstance(value, list) else None


RankEntry = Annotated[
    Annotated[Text, Tag("state")] | Annotated[Tie, Tag("tie")],
    Discriminator(
        _rank_entry_kind,
        custom_error_type="rank_entry",
        custom_error_message="expected a state vector, or a list of tied state vectors",
    ),
]


class DecisionMaker(Model):
    """A decision maker of a graph model and the options it controls."""

    name: Text | None = None
    party: str | None = Field(
        default=None, description="The party of the scenario this decision maker stands for."
    )
    options: dict[str, Text] = Field(
        min_length=1,
        description="Option id -> label. Option order (which fixes the state vectors) is the "
        "order of the decision makers, then of their options.",
    )
    note: str | None = None


Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]
"""A relative plausibility: a positive, finite number."""

MAIN = "main"
"""The id of a decision maker's main preferences, beside its alternatives' ids."""


class _Order(Model):
    """A preference order over the feasible states: a ranking or a prioritization."""

    ranking: Annotated[list[RankEntry], Field(min_length=1)] | None = Field(
        default=None, description="Every feasible state, most preferred first; a list is a tie."
    )
    prioritization: Annotated[list[Statement], Field(min_length=1)] | None = Field(
        default=None, description="Statements about options, most important first."
    )


class AlternativePreference(_Order):
    """Another preference order a decision maker may have, with its relative plausibility."""

    id: str | None = Field(
        default=None,
        description="A name for reports; default alt1, alt2... by position.",
    )
    weight: Weight = Field(
        description="Relative plausibility (> 0): its probability is its weight over the total "
        "of the decision maker's weights, the main preferences' included."
    )
    basis: Text = Field(
        description="What this alternative rests on, citing sources as [source-id]."
    )


class StrategicPreference(_Order):
    """One decision maker's preferences over the feasible states: a ranking or a prioritization.

    ``ranking`` lists every feasible state as a vector, most preferred first; a nested list is a
    tie. ``prioritization`` lists statements, most important first: a state's score is
    ``Σ_j [statement j holds] · 2**(q - j)``, higher is better. ``alternatives`` are other
    orders the decision maker may have; with ``weight`` (the main order's, default 1) they give
    each order its probability: its weight over the total.
    """

    basis: Text | None = Field(
        default=None, description="What the preferences rest on, citing sources as [source-id]."
    )
    weight: Weight = Field(
        default=1.0,
        description="Relative plausibility (> 0) of these main preferences against the "
        "alternatives; irrelevant without alternatives.",
    )
    alternatives: list[AlternativePreference] = Field(
        default_factory=list,
        description="Other rankings or prioritizations the decision maker may have, each with "
        "its weight and basis (uncertain preferences).",
    )


class StrategicModel(Model):
    """A conflict in option form: decision makers, options, feasibility, preferences."""

    decision_makers: dict[str, DecisionMaker] = Field(
        description="At least two, in order: their options, in order, fix the state vectors.",
        json_schema_extra={"minProperties": 2},
    )
    infeasible: list[Statement] = Field(
        default_factory=list,
        description="States that cannot occur: statements, or vector patterns such as 'Y-N'.",
    )
    irreversible: dict[str, Literal["forward", "backward"]] = Field(
        default_factory=dict,
        description="Option -> forward (may only be taken) or backward (may only be dropped).",
    )
    status_quo: Statement | None = Field(
        default=None, description="A state vector, or a pattern matching one feasible state."
    )
    states: dict[str, Statement] = Field(
        default_factory=dict,
        description="Named states of interest: vectors, or patterns matching one feasible state.",
    )
    preferences: dict[str, StrategicPreference]

    def option_ids(self) -> list[str]:
        """Return the option ids in option order."""
        return [o for dm in self.decision_makers.values() for o in dm.options]


# -- whole-section checks ----------------------------------------------------------------------


@dataclass
class ResolvedOrder:
    """One of a decision maker's preference orders, resolved.

    Attributes
    ----------
    id
        ``main`` for the main preferences, else the alternative's id (``alt1``... by default).
    weight
        Its relative plausibility.
    tiers, statements
        Exactly one is set: the ranking's tiers of state codes (most preferred first), or the
        prioritization's statements (most important first).
    basis
        What it rests on, as written.
    """

    id: str
    weight: float
    tiers: list[list[int]] | None = None
    statements: list[Expr] | None = None
    basis: str | None = None


@dataclass
class ResolvedStrategic:
    """A strategic model with its statements parsed and its states resolved to codes.

    Attributes
    ----------
    dms, options, labels
        Decision-maker ids in order; option ids and labels in option order.
    blocks
        Per decision maker: (first option index, number of options).
    direction
        Per option: 0 reversible, 1 forward only, 2 backward only.
    infeasible
        The parsed infeasibility conditions (a state is infeasible if any holds).
    status_quo, named
        State codes.
    rankings
        Per decision maker with a ranking: tiers of state codes, most preferred first.
    priorities
        Per decision maker with a prioritization: the statements, most important first.
    weights
        Per decision maker: the weight of its main preferences.
    alternatives
        Per decision maker with alternatives: the resolved alternatives, in order.
    problems
        ``(location in the section, message, offending value)``; empty when the model is valid.
    """

    dms: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    blocks: list[tuple[int, int]] = field(default_factory=list)
    direction: list[int] = field(default_factory=list)
    infeasible: list[Expr] = field(default_factory=list)
    status_quo: int | None = None
    named: dict[str, int] = field(default_factory=dict)
    rankings: dict[str, list[list[int]]] = field(default_factory=dict)
    priorities: dict[str, list[Expr]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    alternatives: dict[str, list[ResolvedOrder]] = field(default_factory=dict)
    problems: list[tuple[Loc, str, Any]] = field(default_factory=list)
    infeasible_known: bool = True
    _feasible: NDArray[np.bool_] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """The number of options."""
        return len(self.options)

    def add(self, loc: Loc, message: str, value: Any = None) -> None:
        """Record a problem."""
        self.problems.append((loc, message, value))

    def feasible(self) -> NDArray[np.bool_]:
        """Whether each state code is feasible (computed once, over all ``2**n`` states)."""
        import numpy as np

        if self._feasible is None:
            feasible = np.ones(1 << self.n, dtype=bool)
            for condition in self.infeasible:
                feasible &= ~evaluate(condition, self.n)
            self._feasible = feasible
        return self._feasible

    def scan(
        self,
        expr: Expr | None = None,
        *,
        exclude: Collection[int] = (),
        limit: int = 9,
        stop: int | None = None,
    ) -> tuple[int, list[int]]:
        """Count the feasible states where ``expr`` holds (every feasible state when None).

        Parameters
        ----------
        expr
            A statement, or None.
        exclude
            Codes not to count.
        limit
            How many of the codes found to return (the first ones).
        stop
            Stop counting once this many are found.

        Returns
        -------
        tuple
            The count and the first ``limit`` codes. Over more than ``2**FULL_CHECK_OPTIONS``
            states, unless the feasibility array was computed already, the states are scanned
            block by block (:class:`zopa.gmcr.statements.Blocks`), never all in memory at once.
        """
        import numpy as np

        excluded = np.array(sorted(exclude), dtype=np.int64)
        if self._feasible is not None or self.n <= FULL_CHECK_OPTIONS:
            hits = self.feasible() if expr is None else evaluate(expr, self.n) & self.feasible()
            codes = np.flatnonzero(hits)
            if excluded.size:
                codes = codes[~np.isin(codes, excluded)]
            return int(codes.size), [int(c) for c in codes[:limit]]
        blocks = Blocks(self.n)
        count, first = 0, list[int]()
        for base in blocks.bases():
            hits = np.ones(blocks.size, dtype=bool) if expr is None else blocks.at(expr, base)
            for condition in self.infeasible:
                if not hits.any():
                    break
                hits &= ~blocks.at(condition, base)
            local = excluded[(excluded >= base) & (excluded < base + blocks.size)] - base
            hits[local] = False
            codes = np.flatnonzero(hits)
            count += int(codes.size)
            first += [base + int(c) for c in codes[: max(0, limit - len(first))]]
            if stop is not None and count >= stop:
                break
        return count, first

    def ruled_out_by(self, code: int) -> int | None:
        """Return the index of the first infeasibility condition holding at ``code``, if any."""
        return next((j for j, c in enumerate(self.infeasible) if holds(c, code)), None)

    def orders(self, dm: str) -> list[ResolvedOrder]:
        """Return a decision maker's preference orders: its main one first, then alternatives."""
        main = ResolvedOrder(
            MAIN,
            self.weights.get(dm, 1.0),
            tiers=self.rankings.get(dm),
            statements=self.priorities.get(dm),
        )
        return [main, *self.alternatives.get(dm, [])]


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "")


class _Resolver:
    def __init__(
        self,
        model: StrategicModel,
        parties: Collection[str] | None,
        sources: Collection[str] | None,
    ) -> None:
        self.model = model
        self.parties = parties
        self.sources = sources
        self.out = ResolvedStrategic()
        self.index: dict[str, int] = {}
        self.work = 0  # nodes of the statements parsed so far
        self.unchecked: set[str] = set()
        self.feasibility_unknown = False

    def run(self) -> ResolvedStrategic:
        self.decision_makers()
        out = self.out
        if len(out.dms) < 2:
            out.add(
                ("decision_makers",),
                f"a graph model needs at least two decision makers, got {len(out.dms)}",
            )
        if out.n > MAX_OPTIONS:
            out.add(
                ("decision_makers",),
                f"{out.n} options in all: at most {MAX_OPTIONS} (a model with n options has "
                "2**n states)",
            )
            return out
        self.irreversible()
        for i, text in enumerate(self.model.infeasible):
            expr = self.pattern(text, ("infeasible", i))
            if expr is None:
                out.infeasible_known = False
            else:
                out.infeasible.append(expr)
        if self.feasibility_unknown:
            out.infeasible_known = False
        if out.infeasible_known and not self.any_feasible():
            return out
        self.named_states()
        self.preferences()
        return out

    def any_feasible(self) -> bool:
        if self.out.scan(limit=0, stop=1)[0]:
            return True
        self.out.add(("infeasible",), "every state is ruled out: no feasible state is left")
        return False

    # -- options ---------------------------------------------------------------------------
    def decision_makers(self) -> None:
        out = self.out
        owner: dict[str, str] = {}
        for dm_id, dm in self.model.decision_makers.items():
            loc: Loc = ("decision_makers", dm_id)
            if not ID_PATTERN.match(dm_id):
                out.add(loc, f"{dm_id!r} is not a valid id", dm_id)
            if dm.party is not None and self.parties is not None and dm.party not in self.parties:
                choices = (
                    f"(expected one of: {_shown(list(self.parties), 12)})"
                    if self.parties
                    else "(the scenario has no parties)"
                )
                out.add((*loc, "party"), f"unknown party {dm.party!r} {choices}")
            out.dms.append(dm_id)
            out.blocks.append((len(out.options), len(dm.options)))
            for opt, label in dm.options.items():
                oloc = (*loc, "options", opt)
                why = _bad_name(opt, "option id")
                if why:
                    out.add(oloc, why, opt)
                if opt in owner:
                    out.add(
                        oloc,
                        f"option id {opt!r} is also an option of {owner[opt]!r}: option ids must "
                        "be unique across decision makers",
                        opt,
                    )
                else:
                    owner[opt] = dm_id
                    self.index[opt] = len(out.options)
                out.options.append(opt)
                out.labels.append(label)

    def irreversible(self) -> None:
        out = self.out
        out.direction = [0] * out.n
        for opt, way in self.model.irreversible.items():
            k = self.index.get(opt)
            if k is None and opt.isdigit() and 1 <= int(opt) <= out.n:
                k = int(opt) - 1
            if k is None:
                out.add(
                    ("irreversible", opt),
                    f"unknown option {opt!r} (expected one of: {_shown(out.options, 12)})",
                    opt,
                )
                continue
            out.direction[k] = 1 if way == "forward" else 2

    # -- statements and states -------------------------------------------------------------
    def pattern(self, text: str, loc: Loc) -> Expr | None:
        """Parse a statement or a vector pattern; record a problem and return None if bad."""
        if is_vector(text):
            try:
                return self.within_budget(vector_pattern(text, self.out.n), loc)
            except ValueError as exc:
                self.out.add(loc, f"{exc} ({self.order()})", text)
                return None
        try:
            expr = parse_statement(text, self.out.options)
        except StatementError as exc:
            shown = text if len(text) <= 60 else text[:57] + "..."
            self.out.add(loc, f"statement {shown!r}, column {exc.column}: {exc.message}", text)
            return None
        return self.within_budget(expr, loc)

    def within_budget(self, expr: Expr, loc: Loc) -> Expr | None:
        """Count a statement's work; past :data:`MAX_STATEMENT_WORK`, record a problem."""
        before = self.work * (1 << self.out.n)
        self.work += size_of(expr)
        total = self.work * (1 << self.out.n)
        if total <= MAX_STATEMENT_WORK:
            return expr
        if before <= MAX_STATEMENT_WORK:  # report once, where the budget is exceeded
            self.out.add(
                loc,
                f"the statements so far hold {self.work:,} options and operators, to evaluate "
                f"over 2**{self.out.n} states: about {total:.2g} steps, more than the "
                f"{MAX_STATEMENT_WORK:.2g} allowed (use fewer options or shorter statements)",
            )
        return None

    def order(self) -> str:
        return "option order: " + " ".join(self.out.options)

    def infeasible_note(self, code: int) -> str | None:
        out = self.out
        if out.n <= FULL_CHECK_OPTIONS and out.feasible()[code]:
            return None  # one look-up, not every condition evaluated at the state
        j = out.ruled_out_by(code)
        if j is None:
            return None
        return f"state {code_vector(code, self.out.n)} is infeasible (ruled out by infeasible[{j}]: {self.model.infeasible[j]!r})"

    def one_state(self, text: str, loc: Loc) -> int | None:
        """Resolve a named state: an exact vector, or a pattern matching one feasible state."""
        out = self.out
        exact = is_vector(text) and "-" not in text and len(text) == out.n
        expr = None if exact else self.pattern(text, loc)  # an exact vector is never evaluated
        if expr is None and not exact:
            return None
        if exact:
            code = vector_code(text, out.n)
            note = self.infeasible_note(code) if out.infeasible_known else None
            if note:
                out.add(loc, note, text)
                return None
            return code
        if not out.infeasible_known:
            return None
        count, codes = out.scan(expr, limit=9)
        if count == 1:
            return codes[0]
        if count == 0:
            out.add(loc, f"{text!r} matches no feasible state: it must match exactly one", text)
        else:
            shown = _shown([code_vector(c, out.n) for c in codes])
            out.add(
                loc,
                f"{text!r} matches {count:,} feasible states ({shown}): it must match exactly one",
                text,
            )
        return None

    def named_states(self) -> None:
        out = self.out
        if self.model.status_quo is not None:
            out.status_quo = self.one_state(self.model.status_quo, ("status_quo",))
        for name, text in self.model.states.items():
            loc: Loc = ("states", name)
            why = _bad_name(name, "state name")
            if why:
                out.add(loc, why, name)
            code = self.one_state(text, loc)
            if code is not None:
                out.named[name] = code

    # -- preferences -----------------------------------------------------------------------
    def preferences(self) -> None:
        out = self.out
        for dm_id in [*self.model.preferences, *sorted(self.unchecked)]:
            if dm_id not in self.model.decision_makers:
                out.add(
                    ("preferences", dm_id),
                    f"unknown decision maker {dm_id!r} (expected one of: {_shown(out.dms, 12)})",
                    dm_id,
                )
        for dm_id in out.dms:
            pref = self.model.preferences.get(dm_id)
            if pref is None and dm_id in self.unchecked:
                continue  # its preferences have a problem of their own
            if pref is None:
                out.add(
                    ("preferences",),
                    f"decision maker {dm_id!r} has no preferences: give a ranking or a "
                    "prioritization",
                )
                continue
            loc: Loc = ("preferences", dm_id)
            main = self.preference_order(pref, loc)
            if main is not None:
                if main.tiers is not None:
                    out.rankings[dm_id] = main.tiers
                elif main.statements is not None:
                    out.priorities[dm_id] = main.statements
            out.weights[dm_id] = pref.weight
            self.basis(pref.basis, (*loc, "basis"))
            self.alternatives(dm_id, pref.alternatives, (*loc, "alternatives"))

    def preference_order(
        self, order: StrategicPreference | AlternativePreference, loc: Loc
    ) -> ResolvedOrder | None:
        """Check one ranking or prioritization; return it resolved, or None."""
        if (order.ranking is None) == (order.prioritization is None):
            self.out.add(
                loc,
                "give exactly one of 'ranking' (states, most preferred first) or "
                "'prioritization' (statements, most important first)",
            )
            return None
        if order.ranking is not None:
            tiers = self.ranking(order.ranking, (*loc, "ranking"))
            return None if tiers is None else ResolvedOrder(MAIN, order.weight, tiers=tiers)
        assert order.prioritization is not None
        exprs = self.prioritization(order.prioritization, (*loc, "prioritization"))
        return None if exprs is None else ResolvedOrder(MAIN, order.weight, statements=exprs)

    def basis(self, text: str | None, loc: Loc) -> None:
        if text is not None:
            for message, value in basis_problems(text, self.sources):
                self.out.add(loc, message, value)

    def alternatives(self, dm_id: str, alternatives: list[AlternativePreference], loc: Loc) -> None:
        out = self.out
        resolved: list[ResolvedOrder] = []
        first: dict[str, int] = {}
        for j, alt in enumerate(alternatives):
            aloc: Loc = (*loc, j)
            name = alt.id if alt.id is not None else f"alt{j + 1}"
            if alt.id is not None:
                why = _bad_name(alt.id, "alternative id")
                if why is None and alt.id == MAIN:
                    why = f"alternative id {MAIN!r} is reserved for the main preferences"
                if why:
                    out.add((*aloc, "id"), why, alt.id)
            if name in first:
                out.add(
                    (*aloc, "id") if alt.id is not None else aloc,
                    f"alternative id {name!r} is used twice (first by alternatives[{first[name]}])",
                    name,
                )
            else:
                first[name] = j
            order = self.preference_order(alt, aloc)
            self.basis(alt.basis, (*aloc, "basis"))
            if order is not None:
                order.id, order.basis = name, alt.basis
                resolved.append(order)
        if resolved:
            out.alternatives[dm_id] = resolved

    def prioritization(self, statements: list[str], loc: Loc) -> list[Expr] | None:
        if len(statements) > MAX_STATEMENTS:
            self.out.add(
                loc, f"{len(statements)} statements: at most {MAX_STATEMENTS} (scores are int64)"
            )
            return None
        parsed = [self.pattern(text, (*loc, j)) for j, text in enumerate(statements)]
        exprs = [e for e in parsed if e is not None]
        return exprs if len(exprs) == len(parsed) else None

    def ranking(self, ranking: list[str | list[str]], loc: Loc) -> list[list[int]] | None:

        out = self.out
        n = out.n
        seen: dict[int, Loc] = {}
        tiers: list[list[int]] = []
        readable = True
        clean = True
        for i, entry in enumerate(ranking):
            group = entry if isinstance(entry, list) else [entry]
            tier = []
            for j, text in enumerate(group):
                eloc: Loc = (*loc, i, j) if isinstance(entry, list) else (*loc, i)
                try:
                    if not is_vector(text):
                        raise ValueError(
                            f"expected a state vector of {n} letters Y or N ({self.order()}), "
                            f"got {text!r}"
                        )
                    code = vector_code(text, n)
                except ValueError as exc:
                    message = str(exc)
                    if is_vector(text) and "-" not in text:
                        message += f" ({self.order()})"
                    elif is_vector(text) and len(text) == n:
                        message = f"{text!r} is a pattern: a ranking lists single states, Y or N for every option"
                    out.add(eloc, message, text)
                    readable = clean = False
                    continue
                if code in seen:
                    first = _path(seen[code][len(loc) - 1 :])
                    out.add(eloc, f"state {text} is listed twice (first at {first})", text)
                    clean = False
                    continue
                seen[code] = eloc
                note = self.infeasible_note(code) if out.infeasible_known else None
                if note:
                    out.add(eloc, f"{note}: a ranking lists feasible states only", text)
                    clean = False
                    continue
                tier.append(code)
            if tier:
                tiers.append(tier)
        if readable and out.infeasible_known:
            missing, codes = out.scan(exclude=seen, limit=9)
            if missing:
                shown = _shown([code_vector(c, n) for c in codes])
                count = f"{missing:,} feasible state{'s' * (missing != 1)}"
                out.add(
                    loc,
                    f"the ranking misses {count}: {shown} (a ranking lists every feasible state "
                    "exactly once)",
                )
                clean = False
        return tiers if clean and out.infeasible_known else None


def _bad_name(name: str, what: str) -> str | None:
    """Why ``name`` cannot be an option id or state name, or None when it can."""
    if not ID_PATTERN.match(name):
        return (
            f"{name!r} is not a valid {what} (letters, digits, '_', '.', '+', '-'; starting with "
            "a letter or digit)"
        )
    if name.isdigit():
        return f"{what} {name!r} is a number, which statements read as an option number"
    if is_vector(name):
        return f"{what} {name!r} reads as a state vector (only Y, N and -)"
    if name in RESERVED_WORDS:
        return f"{what} {name!r} is an operator of the statement language"
    return None


def resolve_strategic(
    model: StrategicModel,
    *,
    parties: Collection[str] | None = None,
    sources: Collection[str] | None = None,
    unchecked: Collection[str] = (),
    feasibility_unknown: bool = False,
) -> ResolvedStrategic:
    """Check a strategic model as a whole and resolve its statements and states.

    Parameters
    ----------
    model
        The strategic section.
    parties, sources
        The scenario's party and source ids, to check ``party`` links and basis citations;
        None skips those checks.
    unchecked
        Decision makers whose preferences were left out because their shape is wrong (their
        absence is then not reported).
    feasibility_unknown
        Whether some infeasibility condition was left out (checks that need the feasible
        states are then skipped).

    Returns
    -------
    ResolvedStrategic
        Its ``problems`` list everything wrong, located within the section; the rest is only
        complete when there are none.
    """
    resolver = _Resolver(model, parties, sources)
    resolver.unchecked = set(unchecked)
    resolver.feasibility_unknown = feasibility_unknown
    return resolver.run()


__all__ = [
    "MAIN",
    "AlternativePreference",
    "DecisionMaker",
    "ResolvedOrder",
    "ResolvedStrategic",
    "StrategicModel",
    "StrategicPreference",
    "resolve_strategic",
]
