"""The statement language: parsing (precedence, if/iff, literals, errors), evaluation, vectors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import zopa.gmcr.statements as statements_module
from zopa.gmcr.statements import (
    MAX_OPTIONS,
    And,
    Expr,
    If,
    Iff,
    Lit,
    Not,
    Or,
    StatementError,
    code_vector,
    evaluate,
    holds,
    is_vector,
    option_taken,
    options_of,
    parse_statement,
    priority_scores,
    to_text,
    vector_code,
    vector_pattern,
)

OPTIONS = ["a", "b", "c", "d"]
A, B, C, D = (Lit(k) for k in range(4))


def parse(text: str) -> Expr:
    return parse_statement(text, OPTIONS)


# -- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a", A),
        ("-a", Not(A)),
        ("--a", Not(Not(A))),
        ("a & b", And((A, B))),
        ("a&b&c", And((A, B, C))),
        ("a | b | c", Or((A, B, C))),
        # not > and > or
        ("-a & b", And((Not(A), B))),
        ("a & b | c", Or((And((A, B)), C))),
        ("a | b & c", Or((A, And((B, C))))),
        ("-a | -b & c", Or((Not(A), And((Not(B), C))))),
        # or > if/iff
        ("a | b if c & d", If(Or((A, B)), And((C, D)))),
        ("a iff b | c", Iff(A, Or((B, C)))),
        ("a if b", If(then=A, condition=B)),
        # parentheses
        ("(a | b) & c", And((Or((A, B)), C))),
        ("-(a & b)", Not(And((A, B)))),
        ("(a if b) iff c", Iff(If(A, B), C)),
        ("a if (b iff c)", If(A, Iff(B, C))),
        ("((a))", A),
        ("(a & b) & c", And((And((A, B)), C))),
        # numbers are options in option order
        ("1", A),
        ("-3", Not(C)),
        ("1 & -4 | 2", Or((And((A, Not(D))), B))),
        ("  a   &   -b  ", And((A, Not(B)))),
    ],
)
def test_parse(text: str, tree: Expr) -> None:
    assert parse(text) == tree


def test_if_means_the_condition_implies_the_consequent() -> None:
    # "a if b" is b -> a: false only when b holds and a does not
    expr = parse("a if b")
    assert [holds(expr, code) for code in range(4)] == [True, True, False, True]
    # code 0: neither; 1: a only; 2: b only (a fails while b holds); 3: both


def test_iff_is_equivalence() -> None:
    expr = parse("a iff b")
    assert [holds(expr, code) for code in range(4)] == [True, False, False, True]


def test_option_ids_with_dashes_and_dots() -> None:
    options = ["set-aside", "v1.2", "x_y", "p+q"]
    assert parse_statement("set-aside & -v1.2 | x_y if p+q", options) == If(
        Or((And((Lit(0), Not(Lit(1)))), Lit(2))), Lit(3)
    )


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "empty statement"),
        ("   ", 4, "empty statement"),
        ("a &", 4, "found the end of the statement"),
        ("a & & b", 5, "expected an option, an option number, '-' or '(', found '&'"),
        ("a b", 3, "expected an operator ('&', '|', 'if', 'iff') or the end of the statement"),
        ("(a | b", 7, "expected ')' to close the '(' at column 1"),
        ("a)", 2, "found ')'"),
        ("x & a", 1, "unknown option 'x' (expected one of: a, b, c, d; or a number 1 to 4)"),
        ("a & 5", 5, "no option number 5: the options are numbered 1 to 4"),
        ("0", 1, "no option number 0"),
        ("a if b if c", 8, "'if' after 'if' (column 3) is ambiguous"),
        ("a iff b if c", 9, "'if' after 'iff' (column 3) is ambiguous"),
        ("a if b iff c", 8, "'iff' after 'if'"),
        ("if a", 1, "found the operator 'if'"),
        ("a & iff", 5, "found the operator 'iff'"),
        ("!a", 1, "unexpected character '!' (write '-' for not)"),
        ("a = b", 3, "write 'iff' for equivalence"),
        ("a if-b", 3, "put a blank between 'if' and '-'"),
        ("-", 2, "found the end of the statement"),
        ("a -b", 3, "found '-'"),
    ],
)
def test_parse_errors(text: str, column: int, fragment: str) -> None:
    with pytest.raises(StatementError) as info:
        parse(text)
    assert info.value.column == column, str(info.value)
    assert fragment in info.value.message, str(info.value)
    assert str(info.value) == f"column {column}: {info.value.message}"


def test_statement_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="column 1"):
        parse("?")


def test_to_text() -> None:
    assert to_text(parse("a & -b | c"), OPTIONS) == "a & -b | c"
    assert to_text(parse("(a | b) & -(c & d)"), OPTIONS) == "(a | b) & -(c & d)"
    assert to_text(parse("(a if b) iff c")) == "(1 if 2) iff 3"
    assert to_text(parse("a iff b | c")) == "1 iff 2 | 3"
    assert options_of(parse("a & -(c | a)")) == {0, 2}


# -- random statements: text round trip and evaluation against brute force ---------------------


def statements(n: int) -> st.SearchStrategy[Expr]:
    leaves = st.builds(Lit, st.integers(0, n - 1))

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        several = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            st.builds(Not, children),
            st.builds(And, several),
            st.builds(Or, several),
            st.builds(If, children, children),
            st.builds(Iff, children, children),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@st.composite
def models(draw: st.DrawFn) -> tuple[int, Expr]:
    n = draw(st.integers(1, 6))
    return n, draw(statements(n))


@given(models(), st.booleans())
def test_text_round_trip(model: tuple[int, Expr], by_id: bool) -> None:
    n, expr = model
    options = [f"o{k}" for k in range(n)]
    text = to_text(expr, options if by_id else None)
    assert parse_statement(text, options) == expr


@given(models())
def test_vectorised_evaluation_matches_brute_force(model: tuple[int, Expr]) -> None:
    n, expr = model
    values = evaluate(expr, n)
    assert values.dtype == np.bool_
    assert values.shape == (1 << n,)
    assert values.tolist() == [holds(expr, code) for code in range(1 << n)]


@given(
    st.integers(1, 5).flatmap(lambda n: st.tuples(st.just(n), st.lists(statements(n), max_size=5)))
)
def test_priority_scores_match_brute_force(model: tuple[int, list[Expr]]) -> None:
    n, stmts = model
    q = len(stmts)
    scores = priority_scores(stmts, n)
    assert scores.dtype == np.int64
    expected = [
        sum(2 ** (q - j) for j, s in enumerate(stmts, start=1) if holds(s, code))
        for code in range(1 << n)
    ]
    assert scores.tolist() == expected


def test_evaluation_of_literals_follows_the_bits() -> None:
    n = 5
    codes = np.arange(1 << n)
    for k in range(n):
        assert np.array_equal(option_taken(k, n), (codes >> k) & 1 == 1)
        assert np.array_equal(evaluate(Lit(k), n), option_taken(k, n))
    assert evaluate(And(()), 2).tolist() == [True] * 4
    assert evaluate(Or(()), 2).tolist() == [False] * 4


def test_evaluation_limits() -> None:
    with pytest.raises(ValueError, match="expected 1 to 30"):
        evaluate(Lit(0), MAX_OPTIONS + 1)
    with pytest.raises(ValueError, match="out of range"):
        option_taken(3, 3)


def test_priority_scores_order_lexicographically() -> None:
    # a state meeting the first statement beats any that does not, whatever the rest say
    scores = priority_scores([parse("a"), parse("b"), parse("c")], 3)
    assert scores.tolist() == [0, 4, 2, 6, 1, 5, 3, 7]


# -- vectors -----------------------------------------------------------------------------------


def test_vectors() -> None:
    assert is_vector("YN-")
    assert is_vector("N")
    assert not is_vector("a")
    assert not is_vector("")
    assert vector_code("NN", 2) == 0
    assert vector_code("YN", 2) == 1  # option 1 is the least significant bit
    assert vector_code("NY", 2) == 2
    assert vector_code("YNYNN", 5) == 5
    for code in range(16):
        assert vector_code(code_vector(code, 4), 4) == code
    assert code_vector(6, 4) == "NYYN"


def test_vector_patterns() -> None:
    assert vector_pattern("Y-N", 3) == And((Lit(0), Not(Lit(2))))
    assert vector_pattern("-N", 2) == Not(Lit(1))
    assert evaluate(vector_pattern("Y-N", 3), 3).tolist() == [
        code_vector(c, 3)[0] == "Y" and code_vector(c, 3)[2] == "N" for c in range(8)
    ]
    assert evaluate(vector_pattern("---", 3), 3).all()


@pytest.mark.parametrize(
    ("text", "n", "fragment"),
    [
        ("YNN", 2, "has 3 positions but there are 2 options"),
        ("Y", 2, "has 1 position but there are 2 options"),
        ("Y-", 2, "is a pattern, not one state"),
        ("YX", 2, "is not a state vector"),
        ("yn", 2, "is not a state vector"),
    ],
)
def test_vector_errors(text: str, n: int, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        vector_code(text, n)


# -- evaluation block by block, and the bounds on statements ------------------------------------


@given(models())
def test_blockwise_evaluation_matches_brute_force(model: tuple[int, Expr]) -> None:
    n, expr = model
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statements_module, "CHUNK_BITS", 2)
        values = evaluate(expr, n)
        blocks = statements_module.Blocks(n)
        joined = np.concatenate([blocks.at(expr, base) for base in blocks.bases()])
    expected = [holds(expr, code) for code in range(1 << n)]
    assert values.tolist() == expected
    assert joined.tolist() == expected


@given(
    st.integers(3, 6).flatmap(lambda n: st.tuples(st.just(n), st.lists(statements(n), max_size=4)))
)
def test_blockwise_priority_scores_match_brute_force(model: tuple[int, list[Expr]]) -> None:
    n, stmts = model
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statements_module, "CHUNK_BITS", 2)
        scores = priority_scores(stmts, n)
    q = len(stmts)
    expected = [
        sum(2 ** (q - j) for j, s in enumerate(stmts, start=1) if holds(s, code))
        for code in range(1 << n)
    ]
    assert scores.tolist() == expected


def test_block_patterns_are_never_modified() -> None:
    blocks = statements_module.Blocks(3)
    before = [p.copy() for p in blocks.patterns]
    out = blocks.at(A, 0)
    out[:] = True  # a fresh array, even for a bare literal
    assert all((p == q).all() for p, q in zip(blocks.patterns, before, strict=True))


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("-" * 33 + "a", 33, "more than 32 levels of parentheses and negations"),
        ("-" * 5000 + "a", 1001, "the statement has 5,001 characters; at most 1,000"),
        ("(" * 33 + "a" + ")" * 33, 33, "more than 32 levels"),
        ("-(" * 16 + "-a" + ")" * 16, 33, "more than 32 levels"),
        (" & ".join(["a"] * 400), 1001, "at most 1,000"),
    ],
)
def test_statement_bounds(text: str, column: int, fragment: str) -> None:
    with pytest.raises(StatementError) as caught:
        parse(text)
    assert caught.value.column == column
    assert fragment in caught.value.message


def test_nesting_at_the_limit_parses_and_evaluates() -> None:
    text = "-" * 16 + "(" * 16 + "a & b" + ")" * 16
    expr = parse(text)
    assert evaluate(expr, 4).tolist() == [holds(expr, c) for c in range(16)]
    assert to_text(expr, OPTIONS).count("-") == 16


def test_long_flat_statements_parse_without_recursion() -> None:
    text = " | ".join(["a & -b"] * 100)  # 999 characters
    assert len(text) <= statements_module.MAX_STATEMENT_LENGTH
    expr = parse(text)
    assert isinstance(expr, Or)
    assert len(expr.operands) == 100
    assert statements_module.size_of(expr) == 1 + 100 * 4
