"""Read GENIUS domain and utility (profile) files into exact, checked data.

The format is GENIUS's (Lin et al. 2014, "Genius: An integrated environment for supporting the
design of generic automated negotiators", *Computational Intelligence* 30(1)), as the ANAC
competitions distribute it:

* a **domain** file, root ``<negotiation_template>``, holds ``<utility_space>`` and in it one
  ``<objective>`` whose ``<issue>`` children are the issues: ``discrete`` ones list their values
  as ``<item value="...">``, ``integer`` ones give ``lowerbound`` and ``upperbound`` attributes,
  ``real`` ones a ``<range lowerbound upperbound>`` child;
* a **utility** file, root ``<utility_space>``, holds the same ``<objective>`` with, per issue,
  the evaluation of each value (``<item value evaluation>``) or an ``<evaluator>``, one
  ``<weight index value>`` per issue, and optionally ``<reservation value>`` and
  ``<discount_factor value>``.

This module only reads and checks: every number is kept as the exact rational its decimal
stands for, and every construct that is malformed, ambiguous or beyond a linear additive
utility (nested objectives, non-linear utility spaces, evaluators other than those listed
below) is refused with the file, line and column of the element concerned. What the numbers
mean in zopa's model is :mod:`zopa.io.genius_import`'s job.

GENIUS's own reading (its ``DomainImpl``, ``AdditiveUtilitySpace`` and evaluator classes) is
followed where it is well defined: a profile refers to a domain issue by its ``index``, to a
discrete value by its ``value`` text; an issue's type is its ``type`` attribute (``vtype`` when
``type`` is absent, ``discrete`` when both are); an integer evaluator reads ``slope`` and
``offset`` and the profile issue's own ``lowerbound``; a real evaluator reads ``parameter0``,
``parameter1`` (and ``parameter2`` for a triangle); a discount factor outside (0, 1] means no
discount. Where GENIUS would crash or silently do something else (a missing weight, a value with
no evaluation, an unknown issue index), zopa refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from zopa.io.genius_xml import Element, GeniusXmlError

IssueKind = Literal["discrete", "integer", "real"]
KINDS: tuple[IssueKind, ...] = ("discrete", "integer", "real")

_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?(\d+))?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
MAX_EXPONENT = 400
"""Decimal exponents beyond this are refused (a double cannot hold them anyway)."""
MAX_DIGITS = 400
"""Numbers written with more characters than this are refused."""


@dataclass(frozen=True)
class DomainIssue:
    """One issue of a GENIUS domain.

    Attributes
    ----------
    index
        The issue's number (profiles refer to it by this).
    name
        Its name.
    kind
        ``discrete``, ``integer`` or ``real``.
    values
        The values of a discrete issue, in order (empty otherwise).
    lower, upper
        The bounds of an integer or real issue (None for a discrete one).
    line, column
        Where the issue's element begins.
    """

    index: int
    name: str
    kind: IssueKind
    values: tuple[str, ...] = ()
    lower: Fraction | None = None
    upper: Fraction | None = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class GeniusDomain:
    """A GENIUS domain file: its issues in document order."""

    file: str
    name: str
    issues: tuple[DomainIssue, ...]
    objective_index: int | None = None

    def issue(self, index: int) -> DomainIssue | None:
        """Return the issue of this index, or None."""
        for issue in self.issues:
            if issue.index == index:
                return issue
        return None


@dataclass(frozen=True)
class Evaluator:
    """How one profile evaluates one issue.

    Attributes
    ----------
    kind
        The issue's kind.
    evaluations
        Discrete: value → evaluation, as written (≥ 0).
    function
        Integer or real: ``linear``, ``constant`` or ``triangular`` (``none`` for an integer
        issue without an ``<evaluator>``, which GENIUS evaluates as 0).
    parameters
        Integer: ``slope``, ``offset`` and ``lowerbound`` (the profile's); real: ``parameter0``,
        ``parameter1`` (and ``parameter2``).
    line, column
        Where the profile's issue element begins.
    """

    kind: IssueKind
    evaluations: dict[str, Fraction] = field(default_factory=dict)
    function: str = "none"
    parameters: dict[str, Fraction] = field(default_factory=dict)
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class GeniusProfile:
    """A GENIUS utility file, read and checked against its domain.

    Attributes
    ----------
    file
        The file name as given.
    weights
        Issue index → weight, as written.
    evaluators
        Issue index → :class:`Evaluator`.
    reservation
        The reservation value (0 when absent, as in GENIUS).
    discount
        The discount factor as written (None when absent).
    weight_line
        Line of the first ``<weight>`` (for messages about the weights as a whole).
    """

    file: str
    weights: dict[int, Fraction]
    evaluators: dict[int, Evaluator]
    reservation: Fraction
    discount: Fraction | None
    weight_line: int
    reservation_line: int | None = None
    ignored: tuple[str, ...] = ()

    @property
    def effective_discount(self) -> Fraction:
        """The discount GENIUS applies: 1 (none) when absent or outside (0, 1]."""
        d = self.discount
        return d if d is not None and 0 < d <= 1 else Fraction(1)


# -- numbers --------------------------------------------------------------------------------


def number(file: str, element: Element, name: str, *, required: bool = True) -> Fraction | None:
    """Read a decimal attribute as the exact rational it stands for.

    Accepts what Java's ``Double.valueOf`` writes for finite numbers (``0.25``, ``1.0E-5``);
    refuses ``NaN``, ``Infinity``, hexadecimal floats and fractions.
    """
    text = element.attrib.get(name)
    if text is None:
        if required:
            raise GeniusXmlError.at(file, element, f"<{element.tag}> has no {name!r} attribute")
        return None
    written = text.strip()
    match = _DECIMAL.match(written) if len(written) <= MAX_DIGITS else None
    if match is None or (match.group(1) is not None and len(match.group(1)) > 4):
        raise GeniusXmlError.at(
            file, element, f"{name}={_shown(text)} is not a finite decimal number"
        )
    exponent = written.lower().partition("e")[2]
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise GeniusXmlError.at(
            file, element, f"{name}={_shown(text)} is too large or too small for a double"
        )
    value = Fraction(written)
    if abs(value) > Fraction(10) ** 300:
        raise GeniusXmlError.at(file, element, f"{name}={_shown(text)} is too large")
    return value


def integer(file: str, element: Element, name: str) -> int:
    """Read an integer attribute (as Java's ``Integer.valueOf`` does: decimal digits, a sign)."""
    text = element.attrib.get(name)
    if text is None:
        raise GeniusXmlError.at(file, element, f"<{element.tag}> has no {name!r} attribute")
    written = text.strip()
    if not _INTEGER.match(written) or len(written) > 11 or abs(int(written)) > 2**31 - 1:
        raise GeniusXmlError.at(file, element, f"{name}={_shown(text)} is not an integer")
    return int(written)


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _issue_kind(file: str, element: Element) -> IssueKind:
    """An issue's kind as GENIUS reads it: ``type``, else ``vtype``, else discrete."""
    written = element.attrib.get("type") or element.attrib.get("vtype") or "discrete"
    kind = written.strip().lower()
    if kind not in KINDS:
        raise GeniusXmlError.at(
            file,
            element,
            f"issue type {written!r} is not supported (expected discrete, integer or real)",
        )
    return kind


def _only(file: str, parent: Element, tag: str, *, required: bool = True) -> Element | None:
    found = parent.find_all(tag)
    if len(found) > 1:
        raise GeniusXmlError.at(file, found[1], f"a second <{tag}> in <{parent.tag}>: expected one")
    if not found:
        if required:
            raise GeniusXmlError.at(file, parent, f"<{parent.tag}> has no <{tag}> element")
        return None
    return found[0]


def _refuse_nested(file: str, objective: Element) -> None:
    for child in objective.children:
        if child.tag == "objective":
            name = child.attrib.get("name", "")
            raise GeniusXmlError.at(
                file,
                child,
                f"a nested objective ({name!r}): zopa reads one level of issues under the root "
                "objective; objective trees deeper than one level are not supported",
            )


def _refuse_nonlinear(file: str, root: Element) -> None:
    kind = root.attrib.get("type", "").strip().lower()
    if kind and kind not in ("linear", "additive"):
        raise GeniusXmlError.at(
            file,
            root,
            f'a utility space of type "{root.attrib["type"]}": zopa reads linear additive '
            "utility spaces only (weights and per-issue evaluations)",
        )
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag in ("utility", "utility_function", "ufun", "hyperRectangle"):
            raise GeniusXmlError.at(
                file,
                element,
                f"<{element.tag}>: a non-linear utility (hyper-rectangles or constraints) "
                "cannot be represented as a linear additive utility",
            )
        stack.extend(element.children)


# -- domain ---------------------------------------------------------------------------------


def read_domain(root: Element, file: str) -> GeniusDomain:
    """Check a parsed domain file and return its issues.

    Raises
    ------
    GeniusXmlError
        For a wrong root, a missing or repeated part, nested objectives, an issue without a
        name or index, repeated indices, names or values, an unsupported type, or bounds that
        are missing or make fewer than two options.
    """
    if root.tag != "negotiation_template":
        hint = (
            " (this is a utility file: give the domain file first)"
            if root.tag == "utility_space"
            else ""
        )
        raise GeniusXmlError.at(
            file,
            root,
            f"expected a GENIUS domain file, whose root element is <negotiation_template>; "
            f"got <{root.tag}>{hint}",
        )
    space = _only(file, root, "utility_space")
    assert space is not None
    objective = _only(file, space, "objective")
    assert objective is not None
    _refuse_nested(file, objective)
    issues: list[DomainIssue] = []
    seen_index: dict[int, DomainIssue] = {}
    seen_name: dict[str, DomainIssue] = {}
    for element in objective.find_all("issue"):
        issue = _domain_issue(file, element)
        if issue.index in seen_index:
            first = seen_index[issue.index]
            raise GeniusXmlError.at(
                file,
                element,
                f"issue index {issue.index} is used twice (also by {first.name!r} on line "
                f"{first.line})",
            )
        if issue.name in seen_name:
            raise GeniusXmlError.at(
                file,
                element,
                f"issue name {issue.name!r} is used twice (also on line "
                f"{seen_name[issue.name].line})",
            )
        seen_index[issue.index] = seen_name[issue.name] = issue
        issues.append(issue)
    if not issues:
        raise GeniusXmlError.at(file, objective, "the domain has no issues")
    index = integer(file, objective, "index") if "index" in objective.attrib else None
    return GeniusDomain(file, objective.attrib.get("name", "") or "", tuple(issues), index)


def _domain_issue(file: str, element: Element) -> DomainIssue:
    index = integer(file, element, "index")
    name = element.attrib.get("name", "").strip()
    if not name:
        raise GeniusXmlError.at(file, element, "an issue without a name")
    kind = _issue_kind(file, element)
    if kind == "discrete":
        values: list[str] = []
        lines: dict[str, int] = {}
        for item in element.find_all("item"):
            value = item.attrib.get("value")
            if value is None:
                raise GeniusXmlError.at(file, item, "an <item> without a 'value' attribute")
            if value in lines:
                raise GeniusXmlError.at(
                    file,
                    item,
                    f"value {value!r} of issue {name!r} is listed twice (also on line "
                    f"{lines[value]})",
                )
            lines[value] = item.line
            values.append(value)
        if len(values) < 2:
            raise GeniusXmlError.at(
                file,
                element,
                f"issue {name!r} has {len(values)} value{'s' if len(values) != 1 else ''}: "
                "zopa needs at least two options per issue",
            )
        return DomainIssue(
            index, name, kind, tuple(values), line=element.line, column=element.column
        )
    if kind == "integer":
        lower, upper = integer(file, element, "lowerbound"), integer(file, element, "upperbound")
        bounds = (Fraction(lower), Fraction(upper))
    else:
        span = _only(file, element, "range")
        assert span is not None
        low, high = number(file, span, "lowerbound"), number(file, span, "upperbound")
        assert low is not None
        assert high is not None
        bounds = (low, high)
    if bounds[0] >= bounds[1]:
        raise GeniusXmlError.at(
            file,
            element,
            f"issue {name!r}: lowerbound ({float(bounds[0]):g}) must be below upperbound "
            f"({float(bounds[1]):g}) for zopa's two options or more",
        )
    return DomainIssue(
        index, name, kind, (), bounds[0], bounds[1], line=element.line, column=element.column
    )


# -- profiles -------------------------------------------------------------------------------


def read_profile(root: Element, file: str, domain: GeniusDomain) -> GeniusProfile:
    """Check a parsed utility file against its domain and return its numbers.

    Raises
    ------
    GeniusXmlError
        For a wrong root, a non-linear utility space, nested objectives, an issue, weight or
        value the domain does not have, a repeated one, an issue of the domain without an
        evaluation or a weight, a negative weight or evaluation, a missing attribute, or an
        evaluator other than GENIUS's linear ones (and, for real issues, constant and
        triangular).
    """
    if root.tag != "utility_space":
        hint = " (this is a domain file)" if root.tag == "negotiation_template" else ""
        raise GeniusXmlError.at(
            file,
            root,
            f"expected a GENIUS utility file, whose root element is <utility_space>; "
            f"got <{root.tag}>{hint}",
        )
    _refuse_nonlinear(file, root)
    objective = _only(file, root, "objective")
    assert objective is not None
    _refuse_nested(file, objective)
    for tag in ("reservation", "discount_factor"):
        inner = objective.find(tag)
        if inner is not None:
            raise GeniusXmlError.at(
                file,
                inner,
                f"<{tag}> inside <objective>: zopa reads it as a child of <utility_space>, "
                "where GENIUS and NegMAS both look for it",
            )
    weights, weight_line, ignored = _weights(file, objective, domain)
    evaluators: dict[int, Evaluator] = {}
    for element in objective.find_all("issue"):
        index = integer(file, element, "index")
        issue = domain.issue(index)
        if issue is None:
            known = ", ".join(str(i.index) for i in domain.issues)
            raise GeniusXmlError.at(
                file,
                element,
                f"issue index {index} is not an issue of the domain {domain.file} "
                f"(its indices: {known})",
            )
        name = element.attrib.get("name")
        if name is not None and name.strip() != issue.name:
            raise GeniusXmlError.at(
                file,
                element,
                f"issue index {index} is named {name.strip()!r} here but {issue.name!r} in the "
                f"domain {domain.file}",
            )
        if index in evaluators:
            raise GeniusXmlError.at(
                file, element, f"issue {issue.name!r} (index {index}) is evaluated twice"
            )
        kind = (
            _issue_kind(file, element)
            if ("type" in element.attrib or "vtype" in element.attrib)
            else issue.kind
        )
        if kind != issue.kind:
            raise GeniusXmlError.at(
                file,
                element,
                f"issue {issue.name!r} is {kind} here but {issue.kind} in the domain",
            )
        evaluators[index] = _evaluator(file, element, issue)
    for issue in domain.issues:
        if issue.index not in evaluators:
            raise GeniusXmlError.at(
                file,
                objective,
                f"issue {issue.name!r} (index {issue.index}) of the domain is not evaluated in "
                "this utility file",
            )
        if issue.index not in weights:
            raise GeniusXmlError.at(
                file,
                objective,
                f"issue {issue.name!r} (index {issue.index}) has no <weight> (GENIUS cannot "
                "compute a utility without it)",
            )
    reservation, reservation_line = _reservation(file, root)
    discount_element = _only(file, root, "discount_factor", required=False)
    discount = number(file, discount_element, "value") if discount_element is not None else None
    return GeniusProfile(
        file, weights, evaluators, reservation, discount, weight_line, reservation_line, ignored
    )


def _weights(
    file: str, objective: Element, domain: GeniusDomain
) -> tuple[dict[int, Fraction], int, tuple[str, ...]]:
    weights: dict[int, Fraction] = {}
    lines: dict[int, int] = {}
    ignored: list[str] = []
    elements = objective.find_all("weight")
    for element in elements:
        index = integer(file, element, "index")
        value = number(file, element, "value")
        assert value is not None
        issue = domain.issue(index)
        if issue is None and index == domain.objective_index:
            # the root objective's own weight: GENIUS sums over issues only and ignores it
            ignored.append(
                f"the weight {float(value):g} of the root objective (index {index}, line "
                f"{element.line}) is ignored, as GENIUS ignores it"
            )
            continue
        if issue is None:
            known = ", ".join(str(i.index) for i in domain.issues)
            raise GeniusXmlError.at(
                file,
                element,
                f"a weight for issue index {index}, which the domain {domain.file} does not "
                f"have (its indices: {known})",
            )
        if index in weights:
            raise GeniusXmlError.at(
                file,
                element,
                f"issue {issue.name!r} (index {index}) has a second weight (the first on line "
                f"{lines[index]})",
            )
        if value < 0:
            raise GeniusXmlError.at(
                file, element, f"the weight of issue {issue.name!r} is negative ({float(value):g})"
            )
        weights[index] = value
        lines[index] = element.line
    if weights and sum(weights.values()) == 0:
        raise GeniusXmlError.at(
            file, elements[0], "all weights are zero: at least one issue must matter"
        )
    return weights, elements[0].line if elements else objective.line, tuple(ignored)


def _reservation(file: str, root: Element) -> tuple[Fraction, int | None]:
    element = _only(file, root, "reservation", required=False)
    if element is None:
        return Fraction(0), None
    value = number(file, element, "value")
    assert value is not None
    if not 0 <= value <= 1:
        raise GeniusXmlError.at(
            file,
            element,
            f"reservation value {float(value):g} is outside [0, 1], where zopa's walk-away "
            "points lie",
        )
    return value, element.line


def _evaluator(file: str, element: Element, issue: DomainIssue) -> Evaluator:
    if issue.kind == "discrete":
        evaluations: dict[str, Fraction] = {}
        lines: dict[str, int] = {}
        for item in element.find_all("item"):
            value = item.attrib.get("value")
            if value is None:
                raise GeniusXmlError.at(file, item, "an <item> without a 'value' attribute")
            if value not in issue.values:
                raise GeniusXmlError.at(
                    file,
                    item,
                    f"value {value!r} is not a value of issue {issue.name!r} in the domain",
                )
            if value in lines:
                raise GeniusXmlError.at(
                    file,
                    item,
                    f"value {value!r} of issue {issue.name!r} is evaluated twice (also on line "
                    f"{lines[value]})",
                )
            evaluation = number(file, item, "evaluation")
            assert evaluation is not None
            if evaluation < 0:
                raise GeniusXmlError.at(
                    file,
                    item,
                    f"evaluation {float(evaluation):g} of value {value!r} is negative (GENIUS "
                    "requires evaluations >= 0)",
                )
            evaluations[value] = evaluation
            lines[value] = item.line
        missing = [v for v in issue.values if v not in evaluations]
        if missing:
            shown = ", ".join(repr(v) for v in missing[:5]) + (", …" if len(missing) > 5 else "")
            raise GeniusXmlError.at(
                file, element, f"issue {issue.name!r}: no evaluation for value(s) {shown}"
            )
        return Evaluator("discrete", evaluations, line=element.line, column=element.column)
    evaluator = _only(file, element, "evaluator", required=False)
    if issue.kind == "integer":
        return _integer_evaluator(file, element, evaluator, issue)
    if evaluator is None:
        raise GeniusXmlError.at(
            file, element, f"real issue {issue.name!r} has no <evaluator> in this utility file"
        )
    return _real_evaluator(file, element, evaluator, issue)


def _integer_evaluator(
    file: str, element: Element, evaluator: Element | None, issue: DomainIssue
) -> Evaluator:
    lower = Fraction(integer(file, element, "lowerbound"))
    integer(file, element, "upperbound")  # GENIUS reads it too (a missing one crashes it)
    if evaluator is None:
        return Evaluator(
            "integer",
            function="none",
            parameters={"lowerbound": lower},
            line=element.line,
            column=element.column,
        )
    ftype = evaluator.attrib.get("ftype", "").strip().lower()
    if ftype != "linear":
        raise GeniusXmlError.at(
            file,
            evaluator,
            f"evaluator ftype={evaluator.attrib.get('ftype')!r} of integer issue "
            f'{issue.name!r}: GENIUS evaluates integer issues linearly (ftype="linear" with '
            "slope and offset); anything else is not represented",
        )
    if "slope" not in evaluator.attrib or "offset" not in evaluator.attrib:
        raise GeniusXmlError.at(
            file,
            evaluator,
            f"the linear evaluator of integer issue {issue.name!r} needs 'slope' and 'offset' "
            "attributes (GENIUS reads those; parameter0/parameter1 are for real issues)",
        )
    slope, offset = number(file, evaluator, "slope"), number(file, evaluator, "offset")
    assert slope is not None
    assert offset is not None
    return Evaluator(
        "integer",
        function="linear",
        parameters={"slope": slope, "offset": offset, "lowerbound": lower},
        line=element.line,
        column=element.column,
    )


_REAL_PARAMETERS = {
    "linear": ("parameter0", "parameter1"),
    "constant": ("parameter0",),
    "triangular": ("parameter0", "parameter1", "parameter2"),
}


def _real_evaluator(
    file: str, element: Element, evaluator: Element, issue: DomainIssue
) -> Evaluator:
    ftype = evaluator.attrib.get("ftype", "").strip().lower()
    if ftype not in _REAL_PARAMETERS:
        raise GeniusXmlError.at(
            file,
            evaluator,
            f"evaluator ftype={evaluator.attrib.get('ftype')!r} of real issue {issue.name!r} is "
            "not supported (zopa reads GENIUS's linear, constant and triangular evaluators, "
            "which are linear between known points; a non-linear one would be approximated)",
        )
    parameters: dict[str, Fraction] = {}
    for name in _REAL_PARAMETERS[ftype]:
        value = number(file, evaluator, name)
        assert value is not None
        parameters[name] = value
    if ftype == "constant" and not 0 <= parameters["parameter0"] <= 1:
        raise GeniusXmlError.at(
            file,
            evaluator,
            f"constant evaluation {float(parameters['parameter0']):g} of issue {issue.name!r} "
            "is outside [0, 1] (GENIUS does not clip constants)",
        )
    if ftype == "triangular":
        low, high, top = (parameters[f"parameter{k}"] for k in range(3))
        if not low <= top <= high or low == high:
            raise GeniusXmlError.at(
                file,
                evaluator,
                f"triangular evaluator of issue {issue.name!r}: expected parameter0 (left end) "
                "<= parameter2 (top) <= parameter1 (right end), the ends apart",
            )
    return Evaluator(
        "real", function=ftype, parameters=parameters, line=element.line, column=element.column
    )


def evaluate(evaluator: Evaluator, x: Fraction) -> Fraction:
    """GENIUS's evaluation of an integer or real issue at ``x``, in exact arithmetic.

    Integer (``EvaluatorInteger``): ``clip(slope · (x − lowerbound) + offset, 0, 1)``. Real
    (``EvaluatorReal``): linear ``clip(parameter1 · x + parameter0, 0, 1)``; constant
    ``parameter0``; triangular with ends ``parameter0``, ``parameter1`` and top ``parameter2``:
    0 outside ``[parameter0, parameter1)``, rising linearly to 1 at the top, then falling.
    """
    p = evaluator.parameters
    one, zero = Fraction(1), Fraction(0)
    if evaluator.kind == "integer":
        if evaluator.function == "none":
            return zero
        return min(max(p["slope"] * (x - p["lowerbound"]) + p["offset"], zero), one)
    if evaluator.function == "linear":
        return min(max(p["parameter1"] * x + p["parameter0"], zero), one)
    if evaluator.function == "constant":
        return p["parameter0"]
    low, high, top = p["parameter0"], p["parameter1"], p["parameter2"]
    if x < low:
        return zero
    if x < top:
        return (x - low) / (top - low)
    if x < high:
        return 1 - (x - top) / (high - top)
    return zero
