"""GENIUS files written for the tests (never copied from ANAC): builders and a reference utility.

``domain()`` and ``profile()`` write the XML GENIUS reads (Lin et al. 2014); ``genius_utility``
computes GENIUS's utility of a bid from the same inputs in exact arithmetic, independently of
zopa's importer, as GENIUS's ``AdditiveUtilitySpace.getUtility`` defines it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr


@dataclass
class Issue:
    """An issue of a test domain: discrete (values), integer or real (bounds)."""

    name: str
    kind: str = "discrete"
    values: list[str] = field(default_factory=list)
    lower: str = "0"
    upper: str = "1"


FRUIT = Issue("Fruit", values=["apple", "pear", "plum"])
COLOUR = Issue("Colour", values=["red", "green"])
PRICE = Issue("Price", kind="integer", lower="0", upper="4")
SPEED = Issue("Speed", kind="real", lower="0", upper="10")


def domain(issues: list[Issue], *, name: str = "root") -> str:
    """A GENIUS domain file."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<negotiation_template>",
        f'<utility_space number_of_issues="{len(issues)}">',
        f'<objective index="0" description="" name={quoteattr(name)} type="objective" '
        'etype="objective">',
    ]
    for k, issue in enumerate(issues, 1):
        kind = issue.kind
        if kind == "integer":
            out.append(
                f'<issue name={quoteattr(issue.name)} index="{k}" type="integer" etype="integer" '
                f'vtype="integer" lowerbound="{issue.lower}" upperbound="{issue.upper}"/>'
            )
        elif kind == "real":
            out.append(
                f'<issue name={quoteattr(issue.name)} index="{k}" type="real" etype="real" '
                f'vtype="real"><range lowerbound="{issue.lower}" upperbound="{issue.upper}"/>'
                "</issue>"
            )
        else:
            out.append(
                f'<issue name={quoteattr(issue.name)} index="{k}" type="discrete" '
                'etype="discrete" vtype="discrete">'
            )
            out += [
                f'<item index="{n}" value={quoteattr(v)} description=""/>'
                for n, v in enumerate(issue.values, 1)
            ]
            out.append("</issue>")
    out += ["</objective>", "</utility_space>", "</negotiation_template>"]
    return "\n".join(out) + "\n"


def profile(
    issues: list[Issue],
    weights: list[str],
    evaluations: list[Any],
    *,
    reservation: str | None = None,
    discount: str | None = None,
) -> str:
    """A GENIUS utility file.

    ``evaluations[k]`` is, for a discrete issue, the evaluation of each value (strings, in the
    issue's order); for an integer issue ``(slope, offset)``; for a real one
    ``(ftype, {parameterN: value})``.
    """
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<utility_space>",
        '<objective index="0" description="" name="root" type="objective" etype="objective">',
    ]
    for k, (issue, spec) in enumerate(zip(issues, evaluations, strict=True), 1):
        name = quoteattr(issue.name)
        if issue.kind == "integer":
            slope, offset = spec
            out.append(
                f'<issue index="{k}" name={name} type="integer" etype="integer" '
                f'vtype="integer" lowerbound="{issue.lower}" upperbound="{issue.upper}">'
            )
            out.append(f'<evaluator ftype="linear" slope="{slope}" offset="{offset}"/>')
        elif issue.kind == "real":
            ftype, params = spec
            attrs = " ".join(f'{p}="{v}"' for p, v in params.items())
            out.append(f'<issue index="{k}" name={name} type="real" etype="real" vtype="real">')
            out.append(f'<range lowerbound="{issue.lower}" upperbound="{issue.upper}"/>')
            out.append(f'<evaluator ftype="{ftype}" {attrs}/>')
        else:
            out.append(f'<issue index="{k}" name={name} type="discrete" etype="discrete">')
            out += [
                f'<item index="{n}" value={quoteattr(v)} evaluation="{e}"/>'
                for n, (v, e) in enumerate(zip(issue.values, spec, strict=True), 1)
            ]
        out.append("</issue>")
    out += [f'<weight index="{k}" value="{w}"/>' for k, w in enumerate(weights, 1)]
    out.append("</objective>")
    if reservation is not None:
        out.append(f'<reservation value="{reservation}"/>')
    if discount is not None:
        out.append(f'<discount_factor value="{discount}"/>')
    out.append("</utility_space>")
    return "\n".join(out) + "\n"


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{name: text}`` into ``folder`` (created); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def two_party_folder(folder: Path) -> Path:
    """A small ANAC-style folder: Fruit (discrete) and Price (integer), parties buyer, seller."""
    issues = [FRUIT, PRICE]
    return write_folder(
        folder,
        {
            "shop-domain.xml": domain(issues, name="Shop"),
            "buyer.xml": profile(
                issues, ["0.6", "0.4"], [["3", "6", "1.5"], ("-0.25", "1")], reservation="0.3"
            ),
            "seller.xml": profile(
                issues,
                ["0.25", "0.75"],
                [["2", "2", "8"], ("0.25", "0")],
                reservation="0.45",
                discount="0.8",
            ),
        },
    )


# -- GENIUS's utility, independently ---------------------------------------------------------


def genius_evaluation(issue: Issue, spec: Any, x: Any) -> Fraction:
    """GENIUS's evaluation of one issue at ``x`` (a value, an int or a Fraction)."""
    one, zero = Fraction(1), Fraction(0)
    if issue.kind == "discrete":
        evaluations = [Fraction(e) for e in spec]
        top = max(evaluations)
        if top < Fraction(1, 100_000):
            return zero
        return evaluations[issue.values.index(x)] / top
    if issue.kind == "integer":
        slope, offset = (Fraction(s) for s in spec)
        return min(max(slope * (Fraction(x) - Fraction(issue.lower)) + offset, zero), one)
    ftype, params = spec
    p = {k: Fraction(v) for k, v in params.items()}
    if ftype == "linear":
        return min(max(p["parameter1"] * Fraction(x) + p["parameter0"], zero), one)
    if ftype == "constant":
        return p["parameter0"]
    low, high, top = p["parameter0"], p["parameter1"], p["parameter2"]
    x = Fraction(x)
    if x < low:
        return zero
    if x < top:
        return (x - low) / (top - low)
    if x < high:
        return 1 - (x - top) / (high - top)
    return zero


def genius_utility(
    issues: list[Issue], weights: list[str], evaluations: list[Any], bid: tuple
) -> Fraction:
    """``min(1, Σ w_i · e_i(x_i))`` with the weights as written (GENIUS's getUtility)."""
    total = sum(
        (
            Fraction(w) * genius_evaluation(issue, spec, x)
            for issue, w, spec, x in zip(issues, weights, evaluations, bid, strict=True)
        ),
        Fraction(0),
    )
    return min(total, Fraction(1))


def bids(issues: list[Issue]) -> list[tuple]:
    """Every bid of a domain of discrete and integer issues."""
    ranges = [
        issue.values
        if issue.kind == "discrete"
        else list(range(int(issue.lower), int(issue.upper) + 1))
        for issue in issues
    ]
    return list(itertools.product(*ranges))


def read_back(
    domain_path: Path, profile_path: Path
) -> tuple[list[Issue], list[str], list[Any], str, str]:
    """Read a (trusted, test-written or exported) domain and utility file with ElementTree.

    Returns the issues, the weights, the evaluations in ``profile()``'s form, the reservation
    and the discount factor, for :func:`genius_utility`: a reading independent of zopa's.
    """
    import xml.etree.ElementTree as ET  # trusted files, written by the tests

    objective = ET.parse(domain_path).getroot().find("utility_space/objective")
    assert objective is not None
    issues = []
    for element in objective.findall("issue"):
        kind = element.get("type", "discrete")
        if kind == "integer":
            issues.append(
                Issue(
                    element.get("name", ""),
                    kind,
                    [],
                    element.get("lowerbound", ""),
                    element.get("upperbound", ""),
                )
            )
        else:
            issues.append(
                Issue(
                    element.get("name", ""),
                    values=[i.get("value", "") for i in element.findall("item")],
                )
            )
    root = ET.parse(profile_path).getroot()
    prof = root.find("objective")
    assert prof is not None
    weights = {w.get("index"): w.get("value", "") for w in prof.findall("weight")}
    evaluations: list[Any] = []
    for k, (element, issue) in enumerate(zip(prof.findall("issue"), issues, strict=True), 1):
        assert element.get("index") == str(k)
        if issue.kind == "integer":
            ev = element.find("evaluator")
            assert ev is not None
            evaluations.append((ev.get("slope"), ev.get("offset")))
        else:
            by_value = {i.get("value"): i.get("evaluation") for i in element.findall("item")}
            evaluations.append([by_value[v] for v in issue.values])
    reservation = root.find("reservation")
    discount = root.find("discount_factor")
    return (
        issues,
        [weights[str(k)] for k in range(1, len(issues) + 1)],
        evaluations,
        reservation.get("value", "0") if reservation is not None else "0",
        discount.get("value", "1") if discount is not None else "1",
    )


def raw_utility(
    issues: list[Issue], weights: list[str], evaluations: list[Any], bid: tuple
) -> Fraction:
    """``Σ w_i · raw_i(x_i)`` as NegMAS's GENIUS reader (0.16) computes it.

    Raw evaluations (not divided by the issue's largest) and integer evaluators measured from 0
    (``slope · x + offset``, not clipped): zopa's exports are written so that this reading and
    GENIUS's agree.
    """
    total = Fraction(0)
    for issue, w, spec, x in zip(issues, weights, evaluations, bid, strict=True):
        if issue.kind == "discrete":
            value = Fraction(spec[issue.values.index(x)])
        else:
            slope, offset = (Fraction(s) for s in spec)
            value = slope * Fraction(x) + offset
        total += Fraction(w) * value
    return total
