"""Generated scenarios for the agreement-space tests, and a brute force in rational arithmetic."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from zopa.io.scenario_file import parse_scenario
from zopa.model.scenario import Scenario

PARTIES = ("A", "B", "C", "D", "E", "F")


def _decimal(places: int, low: int = 0, high: int | None = None) -> st.SearchStrategy[Fraction]:
    top = 10**places if high is None else high
    return st.integers(low, top).map(lambda k: Fraction(k, 10**places))


def _number(x: Fraction) -> int | float:
    """The number as a scenario file would write it (an int, or a short decimal)."""
    return int(x) if x.denominator == 1 else float(str(x.numerator / x.denominator))


@st.composite
def scenario_dicts(
    draw: st.DrawFn,
    *,
    max_parties: int = 3,
    max_issues: int = 3,
    max_options: int = 3,
    weights: str = "any",
    numeric: bool = True,
    consent: bool = True,
    silent: bool = False,
) -> dict[str, Any]:
    """A valid scenario as a dict, with short-decimal numbers.

    ``weights`` is ``integer`` (0..4), ``equal`` (all 1), ``decimal`` (one place), ``one``
    (all on one issue, the others 0) or ``any``. Issues of weight 0 sometimes have no values;
    walk-away points are often 0 or 1. With ``silent``, the last party may have no preferences
    (a guarantor whose consent options can still need).
    """
    n_parties = draw(st.integers(2, max_parties))
    parties = PARTIES[:n_parties]
    n_belligerent = draw(st.integers(1, n_parties))
    issues: dict[str, Any] = {}
    grids: dict[str, list[Fraction] | None] = {}
    for i in range(draw(st.integers(1, max_issues))):
        name = f"i{i}"
        if numeric and draw(st.booleans()):
            step = draw(
                st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(5, 2), Fraction(10)])
            )
            low = draw(st.integers(0, 3)) * step
            n = draw(st.integers(1, max(1, max_options - 1)))
            grid = [low + k * step for k in range(n + 1)]
            issues[name] = {
                "name": name,
                "range": {"min": _number(grid[0]), "max": _number(grid[-1]), "step": _number(step)},
                "if_silent": _number(grid[0]),
            }
            grids[name] = grid
        else:
            k = draw(st.integers(2, max(2, max_options)))
            options: dict[str, Any] = {}
            for o in range(k):
                spec: dict[str, Any] = {"label": f"o{o}"}
                if consent and draw(st.integers(0, 3)) == 0:
                    spec["consent"] = [draw(st.sampled_from(parties))]
                options[f"o{o}"] = spec
            issues[name] = {"name": name, "options": options, "if_silent": "o0"}
            if consent and draw(st.integers(0, 4)) == 0:
                issues[name]["consent"] = draw(
                    st.lists(st.sampled_from(parties), min_size=1, max_size=n_parties, unique=True)
                )
            grids[name] = None
    kinds = ["integer", "equal", "decimal", "one"]
    kind = draw(st.sampled_from(kinds)) if weights == "any" else weights
    preferences: dict[str, Any] = {}
    with_preferences = parties
    if silent and draw(st.booleans()):
        with_preferences = parties[:-1]
        n_belligerent = min(n_belligerent, len(with_preferences))
        for spec in issues.values():
            for holder in [spec, *spec.get("options", {}).values()]:
                if parties[-1] in holder.get("consent", []):
                    holder["consent"] = [p for p in holder["consent"] if p != parties[-1]]
                    if not holder["consent"]:
                        del holder["consent"]
    for p in with_preferences:
        if kind == "equal":
            w = dict.fromkeys(issues, 1)
        elif kind == "one":
            heavy = draw(st.sampled_from(list(issues)))
            w = {name: 1 if name == heavy else 0 for name in issues}
        else:
            strategy = st.integers(0, 4).map(Fraction) if kind == "integer" else _decimal(1)
            raw = [draw(strategy) for _ in issues]
            if not any(raw):
                raw[0] = Fraction(1)
            w = {name: _number(x) for name, x in zip(issues, raw, strict=True)}
        values: dict[str, Any] = {}
        for name, grid in grids.items():
            if w[name] == 0 and draw(st.booleans()):
                continue  # an issue of weight 0 needs no values
            places = draw(st.integers(1, 2))
            if grid is None:
                values[name] = {o: _number(draw(_decimal(places))) for o in issues[name]["options"]}
            else:
                xs = [grid[0]] if len(grid) == 1 else [grid[0], grid[-1]]
                if len(grid) > 2 and draw(st.booleans()):
                    xs.insert(1, grid[draw(st.integers(1, len(grid) - 2))])
                if len(xs) == 1:
                    xs = [grid[0], grid[0] + 1]
                values[name] = {
                    "piecewise": [[_number(x), _number(draw(_decimal(places)))] for x in xs]
                }
        preferences[p] = {
            "weights": w,
            "values": values,
            "reservation": _number(
                draw(
                    st.sampled_from([Fraction(0), Fraction(1)]) | _decimal(draw(st.integers(1, 2)))
                )
            ),
            "basis": "Assumption.",
        }
    terms = {}
    for name, grid in grids.items():
        if grid is None:
            terms[name] = draw(st.sampled_from(list(issues[name]["options"])))
        else:
            terms[name] = _number(draw(st.sampled_from(grid)))
    return {
        "zopa": 1,
        "id": "generated",
        "title": "Generated",
        "as_of": "2025-12-14",
        "sources": {"s": {"publisher": "Test", "title": "Test"}},
        "parties": {
            p: {"name": p, "role": "belligerent" if k < n_belligerent else "mediator"}
            for k, p in enumerate(parties)
        },
        "issues": issues,
        "preferences": preferences,
        "proposals": {
            "prop": {
                "title": "A proposal",
                "by": parties[0],
                "date": "2025-12-14",
                "source": "s",
                "terms": terms,
            }
        },
    }


def load_dict(data: dict[str, Any]) -> Scenario:
    """Validate a scenario dict (JSON is YAML 1.2)."""
    return parse_scenario(json.dumps(data))


def _exact(x: float | int) -> Fraction:
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def _interpolate(points: list[list[float]], x: Fraction) -> Fraction:
    xs = [_exact(p[0]) for p in points]
    ys = [_exact(p[1]) for p in points]
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    for j in range(len(xs) - 1):
        if xs[j] <= x <= xs[j + 1]:
            return ys[j] + (x - xs[j]) / (xs[j + 1] - xs[j]) * (ys[j + 1] - ys[j])
    raise AssertionError("unreachable")


@dataclass
class Brute:
    """Every package of a scenario with exact utilities (in rational arithmetic)."""

    parties: list[str]
    packages: list[dict[str, str]]
    utilities: list[list[Fraction]]
    needed: list[list[bool]]
    reservation: list[Fraction]
    core: list[bool]

    def acceptable(self, k: int) -> bool:
        """Whether package ``k`` bridges the gap."""
        return all(
            u >= r or not n
            for u, r, n in zip(self.utilities[k], self.reservation, self.needed[k], strict=True)
        )

    def zone(self) -> list[int]:
        """Indices of the acceptable packages."""
        return [k for k in range(len(self.packages)) if self.acceptable(k)]

    def pareto(self, among: list[int]) -> list[int]:
        """The packages of ``among`` no other package of ``among`` weakly dominates."""

        def dominates(a: list[Fraction], b: list[Fraction]) -> bool:
            return all(x >= y for x, y in zip(a, b, strict=True)) and a != b

        return [
            k
            for k in among
            if not any(dominates(self.utilities[j], self.utilities[k]) for j in among)
        ]

    def nash(self) -> list[int]:
        """The Nash packages as :mod:`zopa.space.solutions` defines them (ties and tie-break)."""
        front = self.pareto(self.zone())
        if not front:
            return []
        bargain = [p for p in range(len(self.parties)) if self.core[p]]
        gains = {k: [self.utilities[k][p] - self.reservation[p] for p in bargain] for k in front}
        span = [max(gains[k][j] for k in front) for j in range(len(bargain))]

        def key(k: int) -> tuple[Fraction, Fraction]:
            product = Fraction(1)
            for g in gains[k]:
                product *= g
            normalised = sum(
                (g / s if s > 0 else Fraction(1) for g, s in zip(gains[k], span, strict=True)),
                Fraction(0),
            )
            return product, normalised

        best = max(key(k) for k in front)
        tied = [k for k in front if key(k) == best]
        return self.pareto(tied)


def brute_force(data: dict[str, Any], scenario: Scenario) -> Brute:
    """Enumerate a scenario dict's packages with exact rational utilities (its ``scenario``
    gives the option ids)."""
    parties = list(data["preferences"])
    issues = data["issues"]
    belligerents = [p for p, v in data["parties"].items() if v["role"] == "belligerent"]
    options = [scenario.issues[name].option_ids() for name in issues]
    packages, utilities, needed = [], [], []
    for combo in itertools.product(*options):
        package = dict(zip(issues, combo, strict=True))
        row, need = [], []
        for p in parties:
            prefs = data["preferences"][p]
            total = sum((_exact(w) for w in prefs["weights"].values()), Fraction(0))
            u = Fraction(0)
            for name, option in package.items():
                w = _exact(prefs["weights"][name])
                if w == 0:
                    continue
                spec = prefs["values"][name]
                if isinstance(spec, dict) and "piecewise" in spec:
                    v = _interpolate(spec["piecewise"], Fraction(option))
                else:
                    v = _exact(spec[option])
                u += w * v
            row.append(u / total)
            n = False
            for name, option in package.items():
                base = issues[name].get("consent", belligerents)
                extra = issues[name].get("options", {}).get(option, {}).get("consent", [])
                n = n or p in base or p in extra
            need.append(n)
        packages.append(package)
        utilities.append(row)
        needed.append(need)
    core = [
        any(
            all(
                p in spec.get("consent", belligerents)
                or p in spec.get("options", {}).get(o, {}).get("consent", [])
                for o in opts
            )
            for spec, opts in zip(issues.values(), options, strict=True)
        )
        for p in parties
    ]
    reservation = [_exact(data["preferences"][p]["reservation"]) for p in parties]
    return Brute(parties, packages, utilities, needed, reservation, core)
