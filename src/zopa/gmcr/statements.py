"""Statements about options, and state vectors: the language of a graph model's preferences.

A *state* of a graph model in option form is the set of options taken. With ``n`` options in
option order, state code ``s`` in ``0 .. 2**n - 1`` has option ``k`` (0-based) taken iff bit ``k``
of ``s`` is set, so option 1 is the least significant bit (the GMCR decimal numbering).

Statements
----------
Option prioritization (Fang, Hipel, Kilgour & Peng 2003, "A decision support system for
interactive decision making, Part I: model formulation", IEEE Trans. SMC C 33(1)) and infeasibility patterns are written
in a small propositional language:

* a *literal* is an option id (``c1``) or its 1-based number in option order (``3``), true when
  the option is taken; ``-x`` negates any literal or parenthesised statement;
* ``a & b`` (and), ``a | b`` (or), ``a if b`` (``a`` holds if ``b`` holds: ``b → a``),
  ``a iff b`` (equivalence), and parentheses;
* precedence, tightest first: ``-`` > ``&`` > ``|`` > ``if``/``iff``. ``&`` and ``|`` chain
  (``a & b & c``); ``if`` and ``iff`` are *non-associative*: ``a if b if c`` is an error, write
  ``(a if b) if c`` or ``a if (b if c)``.

:func:`parse_statement` is a recursive-descent parser producing an :data:`Expr` tree, with
errors that give the 1-based column in the statement and what was expected there. A statement
has at most :data:`MAX_STATEMENT_LENGTH` characters and :data:`MAX_NESTING` levels of nesting
(parentheses and negations), so that parsing and evaluating it never exhaust the stack.
:func:`evaluate` evaluates a tree over every state with numpy, block by block of
``2**CHUNK_BITS`` states (no loop over single states, and memory bounded by the block);
:func:`holds` evaluates it at one state, in plain Python.

State vectors
-------------
A vector spells a state as ``Y``/``N`` per option in option order (``"YNN"``: option 1 taken, 2
and 3 not). Where a pattern is allowed, ``-`` is a wildcard (``"Y-N"``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MAX_OPTIONS = 30
"""At most this many options: the state space has ``2**n`` states."""

MAX_STATEMENTS = 62
"""At most this many prioritization statements: scores are sums of ``2**(q - j)`` in int64."""

MAX_STATEMENT_LENGTH = 1_000
"""At most this many characters in one statement."""

MAX_NESTING = 32
"""At most this many levels of parentheses and negations, one inside another, in a statement."""

CHUNK_BITS = 20
"""Statements are evaluated over blocks of ``2**CHUNK_BITS`` states, so memory stays bounded."""

VECTOR = re.compile(r"^[YN-]+$")
"""A state vector or vector pattern: ``Y``, ``N`` and (in patterns) ``-`` per option."""


# -- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    """Option ``option`` (0-based, option order) is taken."""

    option: int


@dataclass(frozen=True)
class Not:
    """The operand does not hold."""

    operand: Expr


@dataclass(frozen=True)
class And:
    """Every operand holds (no operand: true)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    """Some operand holds (no operand: false)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class If:
    """``then if condition``: the condition implies ``then``."""

    then: Expr
    condition: Expr


@dataclass(frozen=True)
class Iff:
    """Both sides hold or neither does."""

    left: Expr
    right: Expr


Expr = Lit | Not | And | Or | If | Iff
"""A statement's syntax tree."""


class StatementError(ValueError):
    """A statement that does not parse, or names an option that does not exist.

    Attributes
    ----------
    message
        What is wrong and what was expected.
    column
        The 1-based column in the statement text where the problem is.
    """

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


# -- parsing -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<word>[A-Za-z0-9][A-Za-z0-9_.+-]*)|(?P<sym>[()&|-])|(?P<bad>\S))")
_OPERAND = "an option, an option number, '-' or '('"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "if", "iff", one of "()&|-", or "end"
    text: str
    column: int

    def shown(self) -> str:
        return "the end of the statement" if self.kind == "end" else repr(self.text)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:  # only blanks remain
            out.append(_Token("end", "", len(text) + 1))
            return out
        column = m.start(m.lastgroup or 0) + 1
        if m["bad"] is not None:
            hint = ""
            if m["bad"] in "!~":
                hint = " (write '-' for not)"
            elif m["bad"] == "=":
                hint = " (write 'iff' for equivalence, 'if' for implication)"
            raise StatementError(f"unexpected character {m['bad']!r}{hint}", column)
        if m["word"] is not None:
            word = m["word"]
            kind = word if word in ("if", "iff") else "word"
            out.append(_Token(kind, word, column))
        else:
            out.append(_Token(m["sym"], m["sym"], column))
        pos = m.end()


def _glued(token: _Token) -> str:
    """A hint for ``if-x``: an option id may hold '-', so the words ran together."""
    for word in ("iff", "if"):
        if token.kind == "word" and token.text.startswith(word + "-"):
            return f" (put a blank between {word!r} and '-')"
    return ""


class _Parser:
    def __init__(self, text: str, options: Sequence[str]) -> None:
        if len(text) > MAX_STATEMENT_LENGTH:
            raise StatementError(
                f"the statement has {len(text):,} characters; at most {MAX_STATEMENT_LENGTH:,} "
                "(split it, or name a state instead)",
                MAX_STATEMENT_LENGTH + 1,
            )
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = 0
        self.options = list(options)
        self.index = {o: k for k, o in reversed(list(enumerate(options)))}

    @property
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self, expected: str) -> StatementError:
        token = self.peek
        message = f"expected {expected}, found {token.shown()}" + _glued(token)
        return StatementError(message, token.column)

    def statement(self) -> Expr:
        if self.peek.kind == "end":
            raise StatementError(f"empty statement: expected {_OPERAND}", self.peek.column)
        expr = self.conditional()
        if self.peek.kind != "end":
            raise self.fail("an operator ('&', '|', 'if', 'iff') or the end of the statement")
        return expr

    def conditional(self) -> Expr:
        left = self.disjunction()
        if self.peek.kind not in ("if", "iff"):
            return left
        op = self.take()
        right = self.disjunction()
        if self.peek.kind in ("if", "iff"):
            raise StatementError(
                f"{self.peek.text!r} after {op.text!r} (column {op.column}) is ambiguous: "
                "'if' and 'iff' do not chain; group with parentheses",
                self.peek.column,
            )
        return If(left, right) if op.kind == "if" else Iff(left, right)

    def disjunction(self) -> Expr:
        items = [self.conjunction()]
        while self.peek.kind == "|":
            self.take()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Expr:
        items = [self.unary()]
        while self.peek.kind == "&":
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def nest(self, token: _Token) -> None:
        """Enter one more level of nesting (a '-' or a '('), within the limit."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise StatementError(
                f"more than {MAX_NESTING} levels of parentheses and negations one inside "
                "another: simplify the statement",
                token.column,
            )

    def unary(self) -> Expr:
        negations = 0
        while self.peek.kind == "-":  # a loop, not recursion: '- - - x' is one level each
            self.nest(self.take())
            negations += 1
        expr = self.atom()
        self.depth -= negations
        for _ in range(negations):
            expr = Not(expr)
        return expr

    def atom(self) -> Expr:
        token = self.peek
        if token.kind == "(":
            self.nest(self.take())
            inner = self.conditional()
            if self.peek.kind != ")":
                raise self.fail(f"')' to close the '(' at column {token.column}, or an operator")
            self.take()
            self.depth -= 1
            return inner
        if token.kind == "word":
            self.take()
            return Lit(self.resolve(token))
        if token.kind in ("if", "iff"):
            raise StatementError(
                f"expected {_OPERAND}, found the operator {token.text!r}", token.column
            )
        raise self.fail(_OPERAND)

    def resolve(self, token: _Token) -> int:
        n = len(self.options)
        if token.text.isdigit():
            number = int(token.text)
            if not 1 <= number <= n:
                raise StatementError(
                    f"no option number {number}: the options are numbered 1 to {n}", token.column
                )
            return number - 1
        if token.text in self.index:
            return self.index[token.text]
        shown = ", ".join(self.options[:12]) + (", …" if n > 12 else "")
        raise StatementError(
            f"unknown option {token.text!r} (expected one of: {shown}; or a number 1 to {n})"
            + _glued(token),
            token.column,
        )


def parse_statement(text: str, options: Sequence[str]) -> Expr:
    """Parse a statement about options.

    Parameters
    ----------
    text
        The statement, e.g. ``"c1 & -c2"``, ``"(1 | 2) if -3"``.
    options
        The option ids in option order (literals may also be numbers ``1 .. len(options)``).

    Returns
    -------
    Expr

    Raises
    ------
    StatementError
        With the column in ``text`` and what was expected there.
    """
    return _Parser(text, options).statement()


def to_text(expr: Expr, options: Sequence[str] | None = None) -> str:
    """Write a tree back as a statement that parses to the same tree.

    Options are written by id when ``options`` is given, else by number.
    """

    def lit(k: int) -> str:
        return options[k] if options is not None else str(k + 1)

    def go(e: Expr, level: int) -> str:
        # level: 0 statement, 1 operand of if/iff, 2 operand of |, 3 operand of &, 4 under -
        if isinstance(e, Lit):
            return lit(e.option)
        if isinstance(e, Not):
            return "-" + go(e.operand, 4)
        if isinstance(e, And | Or) and len(e.operands) < 2:
            raise ValueError("an And/Or written as text needs at least two operands")
        if isinstance(e, And):
            text, own = " & ".join(go(x, 4 if isinstance(x, And) else 3) for x in e.operands), 3
        elif isinstance(e, Or):
            text, own = " | ".join(go(x, 3 if isinstance(x, Or) else 2) for x in e.operands), 2
        elif isinstance(e, If):
            text, own = f"{go(e.then, 1)} if {go(e.condition, 1)}", 1
        else:
            text, own = f"{go(e.left, 1)} iff {go(e.right, 1)}", 1
        return text if own > level else f"({text})"

    return go(expr, 0)


def options_of(expr: Expr) -> set[int]:
    """Return the options (0-based) a statement mentions."""
    if isinstance(expr, Lit):
        return {expr.option}
    if isinstance(expr, Not):
        return options_of(expr.operand)
    if isinstance(expr, And | Or):
        return set().union(*(options_of(x) for x in expr.operands))
    if isinstance(expr, If):
        return options_of(expr.then) | options_of(expr.condition)
    return options_of(expr.left) | options_of(expr.right)


# -- evaluation --------------------------------------------------------------------------------


def holds(expr: Expr, code: int) -> bool:
    """Whether a statement holds at one state (plain Python; see :func:`evaluate` for all)."""
    if isinstance(expr, Lit):
        return bool((code >> expr.option) & 1)
    if isinstance(expr, Not):
        return not holds(expr.operand, code)
    if isinstance(expr, And):
        return all(holds(x, code) for x in expr.operands)
    if isinstance(expr, Or):
        return any(holds(x, code) for x in expr.operands)
    if isinstance(expr, If):
        return holds(expr.then, code) or not holds(expr.condition, code)
    return holds(expr.left, code) == holds(expr.right, code)


def option_taken(option: int, n: int) -> NDArray[np.bool_]:
    """Return, for every state code ``0 .. 2**n - 1``, whether option ``option`` is taken.

    Bit ``option`` of the code: runs of ``2**option`` False then True, repeated.
    """
    import numpy as np

    if not 0 <= option < n:
        raise ValueError(f"option {option} out of range for {n} options")
    return np.tile(np.repeat(np.array([False, True]), 1 << option), 1 << (n - option - 1))


def size_of(expr: Expr) -> int:
    """The number of nodes of a statement's tree (the work of evaluating it, per state)."""
    if isinstance(expr, Lit):
        return 1
    if isinstance(expr, Not):
        return 1 + size_of(expr.operand)
    if isinstance(expr, And | Or):
        return 1 + sum(size_of(x) for x in expr.operands)
    if isinstance(expr, If):
        return 1 + size_of(expr.then) + size_of(expr.condition)
    return 1 + size_of(expr.left) + size_of(expr.right)


def evaluate(expr: Expr, n: int) -> NDArray[np.bool_]:
    """Evaluate a statement at every state.

    The states are taken in blocks of ``2**CHUNK_BITS`` consecutive codes (:class:`Blocks`):
    memory is the result plus a few blocks.

    Parameters
    ----------
    expr
        The statement.
    n
        The number of options (at most :data:`MAX_OPTIONS`).

    Returns
    -------
    numpy.ndarray
        Booleans of length ``2**n``, indexed by state code.
    """
    import numpy as np

    blocks = Blocks(n)
    out = np.empty(1 << n, dtype=bool)
    for base in blocks.bases():
        out[base : base + blocks.size] = blocks.at(expr, base)
    return out


class Blocks:
    """The state codes ``0 .. 2**n - 1`` in blocks of ``2**CHUNK_BITS`` consecutive codes.

    Within a block, the options below bit ``CHUNK_BITS`` follow a fixed pattern (computed once)
    and the options above are constant, so they fold away: evaluating a statement over a block
    costs one array operation per node at most, and memory stays within a few blocks.

    Parameters
    ----------
    n
        The number of options (1 to :data:`MAX_OPTIONS`).
    """

    def __init__(self, n: int) -> None:
        if not 1 <= n <= MAX_OPTIONS:
            raise ValueError(f"{n} options: expected 1 to {MAX_OPTIONS}")
        self.n = n
        self.low = min(n, CHUNK_BITS)
        self.size = 1 << self.low
        self.patterns = [option_taken(k, self.low) for k in range(self.low)]

    def bases(self) -> range:
        """The first code of each block."""
        return range(0, 1 << self.n, self.size)

    def at(self, expr: Expr, base: int) -> NDArray[np.bool_]:
        """Whether ``expr`` holds at each code of the block from ``base`` (a fresh array)."""
        import numpy as np

        value = _block(expr, base, self.low, self.patterns)
        if isinstance(value, bool):
            return np.full(self.size, value)
        array: NDArray[np.bool_] = value
        return array.copy() if any(array is p for p in self.patterns) else array


def _block(expr: Expr, base: int, low: int, patterns: list[NDArray[np.bool_]]) -> Any:
    """A statement over the block of codes from ``base``: an array, or a bool when constant.

    Arrays are never modified in place (the option patterns are shared).
    """
    import numpy as np

    if isinstance(expr, Lit):
        k = expr.option
        return patterns[k] if k < low else bool((base >> k) & 1)
    if isinstance(expr, Not):
        v = _block(expr.operand, base, low, patterns)
        return (not v) if isinstance(v, bool) else np.logical_not(v)
    if isinstance(expr, And | Or):
        conjunction = isinstance(expr, And)
        acc: Any = conjunction
        for x in expr.operands:
            v = _block(x, base, low, patterns)
            if isinstance(v, bool):
                if v != conjunction:  # a false operand of &, a true one of |
                    return v
                continue
            if isinstance(acc, bool):
                acc = v
            else:
                acc = np.logical_and(acc, v) if conjunction else np.logical_or(acc, v)
        return acc
    if isinstance(expr, If):
        return _block(Or((Not(expr.condition), expr.then)), base, low, patterns)
    left = _block(expr.left, base, low, patterns)
    right = _block(expr.right, base, low, patterns)
    return (
        np.equal(left, right)
        if not (isinstance(left, bool) and isinstance(right, bool))
        else left == right
    )


def priority_scores(statements: Sequence[Expr], n: int) -> NDArray[np.int64]:
    """Option-prioritization scores of every state.

    ``score(s) = Σ_j [statement j holds at s] · 2**(q - j)`` for statements ``j = 1 .. q``, most
    important first: a state that satisfies a more important statement beats any state that
    does not, whatever the less important statements say. Higher is better.
    """
    import numpy as np

    q = len(statements)
    if q > MAX_STATEMENTS:
        raise ValueError(f"{q} statements: at most {MAX_STATEMENTS}")
    score = np.zeros(1 << n, dtype=np.int64)
    blocks = Blocks(n)
    for base in blocks.bases():  # block by block: no temporary array over every state
        part = score[base : base + blocks.size]
        for j, statement in enumerate(statements, start=1):
            part[blocks.at(statement, base)] += np.int64(1) << np.int64(q - j)
    return score


# -- state vectors -----------------------------------------------------------------------------


def is_vector(text: str) -> bool:
    """Whether ``text`` is written as a state vector or vector pattern (only Y, N and -)."""
    return bool(VECTOR.match(text))


def vector_pattern(text: str, n: int) -> Expr:
    """Turn a vector pattern (``"Y-N"``) into the statement it stands for (``1 & -3``).

    Raises
    ------
    ValueError
        When ``text`` is not a vector of ``n`` positions.
    """
    shown = text if len(text) <= 60 else text[:57] + "..."
    if not is_vector(text):
        raise ValueError(f"{shown!r} is not a state vector (Y or N per option, '-' for either)")
    if len(text) != n:
        raise ValueError(
            f"the state vector {shown!r} has {len(text)} position{'s' * (len(text) != 1)} but "
            f"there {'are' if n != 1 else 'is'} {n} option{'s' * (n != 1)}"
        )
    literals: list[Expr] = []
    for k, char in enumerate(text):
        if char == "Y":
            literals.append(Lit(k))
        elif char == "N":
            literals.append(Not(Lit(k)))
    return literals[0] if len(literals) == 1 else And(tuple(literals))


def vector_code(text: str, n: int) -> int:
    """Return the code of an exact state vector (``"YN"`` → 1).

    Raises
    ------
    ValueError
        When ``text`` is not ``n`` letters Y or N.
    """
    vector_pattern(text, n)  # checks the form and length
    if "-" in text:
        raise ValueError(f"{text!r} is a pattern, not one state: write Y or N for every option")
    return sum(1 << k for k, char in enumerate(text) if char == "Y")


def code_vector(code: int, n: int) -> str:
    """Return the vector of a state code (``1`` with ``n = 2`` → ``"YN"``)."""
    return "".join("Y" if (code >> k) & 1 else "N" for k in range(n))


__all__ = [
    "MAX_OPTIONS",
    "MAX_STATEMENTS",
    "And",
    "Blocks",
    "Expr",
    "If",
    "Iff",
    "Lit",
    "Not",
    "Or",
    "StatementError",
    "code_vector",
    "evaluate",
    "holds",
    "is_vector",
    "option_taken",
    "options_of",
    "parse_statement",
    "priority_scores",
    "size_of",
    "to_text",
    "vector_code",
    "vector_pattern",
]
