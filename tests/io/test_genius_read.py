"""The GENIUS domain and utility readers: every construct read exactly, every bad one refused.

Each refusal names the file and the line of the element concerned.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from tests.io.genius_files import COLOUR, FRUIT, PRICE, SPEED, Issue, domain, profile

from zopa.io.genius_read import (
    GeniusDomain,
    GeniusProfile,
    evaluate,
    read_domain,
    read_profile,
)
from zopa.io.genius_xml import GeniusXmlError, parse_xml

ISSUES = [FRUIT, PRICE, SPEED]
GOOD_PROFILE = (
    ["0.5", "0.3", "0.2"],
    [["1", "2", "4"], ("0.25", "0.1"), ("linear", {"parameter0": "0", "parameter1": "0.1"})],
)


def read_d(text: str) -> GeniusDomain:
    return read_domain(parse_xml(text.encode(), "d.xml"), "d.xml")


def read_p(text: str, dom: GeniusDomain | None = None) -> GeniusProfile:
    return read_profile(parse_xml(text.encode(), "p.xml"), "p.xml", dom or read_d(domain(ISSUES)))


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def refused_domain(text: str) -> GeniusXmlError:
    with pytest.raises(GeniusXmlError) as info:
        read_d(text)
    return info.value


def refused_profile(text: str, dom: GeniusDomain | None = None) -> GeniusXmlError:
    with pytest.raises(GeniusXmlError) as info:
        read_p(text, dom)
    return info.value


# -- domains --------------------------------------------------------------------------------


def test_domain_issues_in_order_with_kinds_and_bounds() -> None:
    d = read_d(domain(ISSUES, name="Shop"))
    assert d.name == "Shop"
    assert [(i.index, i.name, i.kind) for i in d.issues] == [
        (1, "Fruit", "discrete"),
        (2, "Price", "integer"),
        (3, "Speed", "real"),
    ]
    assert d.issues[0].values == ("apple", "pear", "plum")
    assert (d.issues[1].lower, d.issues[1].upper) == (0, 4)
    assert (d.issues[2].lower, d.issues[2].upper) == (0, 10)


def test_issue_type_falls_back_to_vtype_then_discrete() -> None:
    text = domain([FRUIT]).replace(' type="discrete"', "").replace('vtype="discrete"', "")
    assert read_d(text).issues[0].kind == "discrete"
    text = domain([PRICE]).replace(' type="integer"', "")
    assert read_d(text).issues[0].kind == "integer"


def test_wrong_root_says_which_file_it_is() -> None:
    text = profile([FRUIT], ["1"], [["1", "2", "3"]])
    error = refused_domain(text)
    assert "expected a GENIUS domain file" in error.message
    assert "this is a utility file" in error.message
    assert error.line == 2


def test_nested_objectives_are_refused_at_their_line() -> None:
    text = (
        domain([FRUIT])
        .replace('<issue name="Fruit"', '<objective index="5" name="Food">\n<issue name="Fruit"')
        .replace("</issue>", "</issue>\n</objective>")
    )
    error = refused_domain(text)
    assert "nested objective ('Food')" in error.message
    assert "deeper than one level" in error.message
    assert error.line == line_of(text, 'name="Food"')


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace('value="pear"', 'value="apple"'), "listed twice"),
        (lambda t: t.replace('index="2" type="integer"', 'index="1" type="integer"'), "used twice"),
        (lambda t: t.replace('name="Price"', 'name="Fruit"'), "issue name 'Fruit' is used twice"),
        (lambda t: t.replace('name="Price"', 'name=" "'), "without a name"),
        (
            lambda t: t.replace('index="2" type="integer"', 'index="two" type="integer"'),
            "not an integer",
        ),
        (lambda t: t.replace('upperbound="4"', 'upperbound="0"'), "must be below upperbound"),
        (lambda t: t.replace(' lowerbound="0" upperbound="4"', ""), "no 'lowerbound'"),
        (lambda t: t.replace('type="integer"', 'type="objective"'), "not supported"),
        (
            lambda t: t.replace('<item index="2" value="pear" description=""/>', "").replace(
                '<item index="3" value="plum" description=""/>', ""
            ),
            "zopa needs at least two",
        ),
        (lambda t: t.replace('value="pear" ', ""), "without a 'value'"),
    ],
)
def test_bad_domains(change, words: str) -> None:  # type: ignore[no-untyped-def]
    error = refused_domain(change(domain([FRUIT, PRICE])))
    assert words in error.message
    assert error.line is not None


def test_a_domain_without_issues_or_parts() -> None:
    assert "no issues" in refused_domain(domain([])).message
    assert "has no <utility_space>" in refused_domain("<negotiation_template/>").message
    two = domain([FRUIT]).replace("</utility_space>", "</utility_space><utility_space/>")
    assert "a second <utility_space>" in refused_domain(two).message


def test_real_bounds_come_from_the_range_element() -> None:
    text = domain([SPEED]).replace("<range", "<rangeX")
    assert "has no <range>" in refused_domain(text).message


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("0.25", Fraction(1, 4)),
        ("1.0E-5", Fraction(1, 100_000)),
        ("-2", Fraction(-2)),
        (".5", Fraction(1, 2)),
        (" 3 ", Fraction(3)),
    ],
)
def test_numbers_are_read_as_exact_decimals(written: str, value: Fraction) -> None:
    text = profile([FRUIT], [written if value >= 0 else "1"], [["1", "2", "3"]], reservation="0")
    if value >= 0:
        assert read_p(text, read_d(domain([FRUIT]))).weights[1] == value


@pytest.mark.parametrize(
    "written", ["NaN", "Infinity", "0x1p3", "1/3", "1e99999", "one", "1_0", ""]
)
def test_numbers_that_are_not_finite_decimals_are_refused(written: str) -> None:
    text = profile([FRUIT], [written], [["1", "2", "3"]])
    error = refused_profile(text, read_d(domain([FRUIT])))
    assert "weight" in text.splitlines()[error.line - 1]  # type: ignore[operator]
    assert "value=" in error.message


# -- profiles -------------------------------------------------------------------------------


def test_profile_reads_every_construct() -> None:
    text = profile(ISSUES, *GOOD_PROFILE, reservation="0.4", discount="0.9")
    p = read_p(text)
    assert p.weights == {1: Fraction(1, 2), 2: Fraction(3, 10), 3: Fraction(1, 5)}
    assert p.evaluators[1].evaluations == {"apple": 1, "pear": 2, "plum": 4}
    assert p.evaluators[2].parameters == {
        "slope": Fraction(1, 4),
        "offset": Fraction(1, 10),
        "lowerbound": 0,
    }
    assert p.evaluators[3].function == "linear"
    assert (p.reservation, p.discount, p.effective_discount) == (
        Fraction(2, 5),
        Fraction(9, 10),
        Fraction(9, 10),
    )


def test_missing_reservation_is_zero_and_discount_outside_0_1_is_none() -> None:
    p = read_p(profile(ISSUES, *GOOD_PROFILE))
    assert (p.reservation, p.discount, p.effective_discount) == (0, None, 1)
    for written in ("0", "0.0", "1.5", "-0.2"):
        p = read_p(profile(ISSUES, *GOOD_PROFILE, discount=written))
        assert p.effective_discount == 1


def test_the_root_objectives_own_weight_is_ignored_as_genius_does() -> None:
    # ANAC 2012's Fitness files number their root objective 1 and give it a weight of 1.0
    dom = domain([FRUIT]).replace('<objective index="0"', '<objective index="7"')
    text = profile([FRUIT], ["1"], [["1", "2", "3"]]).replace(
        "</objective>", '<weight index="7" value="1.0"/>\n</objective>'
    )
    p = read_p(text, read_d(dom))
    assert p.weights == {1: 1}
    assert "root objective (index 7" in p.ignored[0]


def profile_line(text: str, needle: str) -> int:
    return line_of(text, needle)


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    [
        (
            lambda t: t.replace('<issue index="2"', '<issue index="9"'),
            'index="9"',
            "issue index 9 is not an issue of the domain",
        ),
        (
            lambda t: t.replace('<weight index="3"', '<weight index="8"'),
            'weight index="8"',
            "a weight for issue index 8, which the domain",
        ),
        (
            lambda t: t.replace(
                '<weight index="3" value="0.2"/>', '<weight index="2" value="0.2"/>'
            ),
            'weight index="2" value="0.2"',
            "has a second weight",
        ),
        (
            lambda t: t.replace('value="pear" evaluation', 'value="apple" evaluation'),
            'value="apple" evaluation="2"',
            "evaluated twice",
        ),
        (
            lambda t: t.replace('value="pear" evaluation', 'value="peach" evaluation'),
            "peach",
            "'peach' is not a value of issue 'Fruit'",
        ),
        (lambda t: t.replace('evaluation="2"', 'evaluation="-2"'), 'evaluation="-2"', "negative"),
        (lambda t: t.replace('value="0.3"', 'value="-0.3"'), 'value="-0.3"', "negative"),
        (
            lambda t: t.replace('name="Price" type="integer"', 'name="Cost" type="integer"'),
            'name="Cost"',
            "named 'Cost' here but 'Price'",
        ),
        (
            lambda t: t.replace(
                'name="Price" type="integer" etype="integer"',
                'name="Price" type="discrete" etype="integer"',
            ),
            'name="Price"',
            "is discrete here but integer",
        ),
        (
            lambda t: t.replace('ftype="linear" slope', 'ftype="quadratic" slope'),
            "quadratic",
            "GENIUS evaluates integer issues linearly",
        ),
        (
            lambda t: t.replace('slope="0.25" offset="0.1"', 'parameter0="0.1" parameter1="0.25"'),
            'parameter0="0.1"',
            "needs 'slope' and 'offset'",
        ),
        (
            lambda t: t.replace('ftype="linear" parameter0', 'ftype="faratin" parameter0'),
            "faratin",
            "not supported",
        ),
        (
            lambda t: t.replace('<item index="3" value="plum" evaluation="4"/>', ""),
            '<issue index="1"',
            "no evaluation for value(s) 'plum'",
        ),
    ],
)
def test_bad_profiles(change, needle: str, words: str) -> None:  # type: ignore[no-untyped-def]
    text = change(profile(ISSUES, *GOOD_PROFILE))
    error = refused_profile(text)
    assert words in error.message
    assert error.line == profile_line(text, needle)
    assert error.file == "p.xml"


def test_an_issue_without_evaluation_or_weight() -> None:
    text = profile(ISSUES, *GOOD_PROFILE)
    start = text.index('<issue index="2"')
    end = text.index("</issue>", start) + len("</issue>")
    error = refused_profile(text[:start] + text[end:])
    assert "issue 'Price' (index 2) of the domain is not evaluated" in error.message
    error = refused_profile(text.replace('<weight index="2" value="0.3"/>', ""))
    assert "has no <weight>" in error.message
    text = profile([FRUIT, COLOUR], ["0", "0"], [["1", "2", "3"], ["1", "1"]])
    error = refused_profile(text, read_d(domain([FRUIT, COLOUR])))
    assert "all weights are zero" in error.message


def test_nonlinear_utility_spaces_are_refused() -> None:
    text = profile(ISSUES, *GOOD_PROFILE).replace(
        "<utility_space>", '<utility_space type="nonlinear">'
    )
    assert "zopa reads linear additive" in refused_profile(text).message
    text = profile(ISSUES, *GOOD_PROFILE).replace(
        "</objective>", '<utility maxutility="10"><ufun type="PlainUfun"/></utility>\n</objective>'
    )
    error = refused_profile(text)
    assert "<utility>: a non-linear utility" in error.message
    assert error.line == line_of(text, "<utility ")


def test_reservation_outside_unit_interval_and_misplaced() -> None:
    error = refused_profile(profile(ISSUES, *GOOD_PROFILE, reservation="1.2"))
    assert "outside [0, 1]" in error.message
    text = profile(ISSUES, *GOOD_PROFILE).replace(
        "</objective>", '<reservation value="0.2"/></objective>'
    )
    assert "inside <objective>" in refused_profile(text).message


def test_real_evaluators_constant_and_triangular() -> None:
    speed = Issue("Speed", kind="real", lower="0", upper="10")
    dom = read_d(domain([speed]))
    constant = read_p(profile([speed], ["1"], [("constant", {"parameter0": "0.7"})]), dom)
    assert evaluate(constant.evaluators[1], Fraction(3)) == Fraction(7, 10)
    tri = read_p(
        profile(
            [speed],
            ["1"],
            [("triangular", {"parameter0": "2", "parameter1": "8", "parameter2": "4"})],
        ),
        dom,
    )
    ev = tri.evaluators[1]
    assert [evaluate(ev, Fraction(x)) for x in (0, 2, 3, 4, 6, 8, 10)] == [
        0,
        0,
        Fraction(1, 2),
        1,
        Fraction(1, 2),
        0,
        0,
    ]
    bad = profile(
        [speed], ["1"], [("triangular", {"parameter0": "5", "parameter1": "8", "parameter2": "4"})]
    )
    assert "parameter0 (left end)" in refused_profile(bad, dom).message
    bad = profile([speed], ["1"], [("constant", {"parameter0": "1.5"})])
    assert "outside [0, 1]" in refused_profile(bad, dom).message


def test_integer_evaluation_is_clipped_and_measured_from_the_profiles_lowerbound() -> None:
    price = Issue("Price", kind="integer", lower="10", upper="50")
    p = read_p(profile([price], ["1"], [("0.04", "-0.2")]), read_d(domain([price])))
    ev = p.evaluators[1]
    assert [evaluate(ev, Fraction(x)) for x in (10, 15, 20, 40, 50)] == [0, 0, Fraction(1, 5), 1, 1]
    # without an evaluator GENIUS evaluates an integer issue as 0
    text = profile([price], ["1"], [("1", "0")])
    text = text.replace('<evaluator ftype="linear" slope="1" offset="0"/>\n', "")
    assert evaluate(read_p(text, read_d(domain([price]))).evaluators[1], Fraction(30)) == 0
