"""Turn a GENIUS domain and its utility files into a zopa scenario, with GENIUS's semantics.

GENIUS (Lin et al. 2014, "Genius: An integrated environment for supporting the design of
generic automated negotiators", *Computational Intelligence* 30(1)) and the ANAC competitions
(Baarslag et al. 2012, "The first automated negotiating agents competition (ANAC 2010)", in
*New Trends in Agent-Based Complex Automated Negotiations*, Springer; and the reports of later
years) define a party's utility of a bid ``x`` as

    U(x) = min(1, Σ_i w_i · e_i(x_i))

with the weights ``w_i`` used as written (``AdditiveUtilitySpace.getUtility``) and, for a
discrete issue, ``e_i(v) = evaluation(v) / max_v' evaluation(v')`` (``EvaluatorDiscrete``: the
issue's best value scores 1; every value scores 0 when the largest evaluation is below 10⁻⁵).
zopa's additive model is ``u(x) = Σ_i w_i · v_i(x_i) / Σ_j w_j`` (:mod:`zopa.space.compile`).
The import makes the two agree exactly:

* **Weights** are written as given. When they sum to 1 (exactly, or within the precision of the
  doubles GENIUS writes: ``n · 2⁻⁵²`` for ``n`` weights, as in most ANAC files), the values are
  the ``e_i`` above. When they sum to ``s < 1``, GENIUS uses them as given, so no bid is worth
  more than ``s``; zopa then writes each value as ``s · e_i``, which gives GENIUS's utilities
  exactly. When they sum to ``s > 1``, GENIUS caps utilities at 1, which no additive model
  represents: the import refuses, unless asked to divide those weights by their sum
  (``scale_weights``, ``--scale-weights``), which the party's basis then says.
* **Integer issues** (``EvaluatorInteger``: ``clip(slope · (x − lowerbound) + offset, 0, 1)``)
  become numeric ranges with step 1 and a piecewise-linear value through the grid points where
  the slope changes (the ends and the clipping points): exact at every integer.
* **Real issues** are discretised on ``real_steps`` equal steps (default
  :data:`DEFAULT_REAL_STEPS`: 21 points, both bounds included; GENIUS's own random bids use 21
  points too) and valued exactly at each grid point (linear, constant and triangular
  evaluators); the issue's description and the notes say so.
* The **reservation value** is the walk-away point (0 when absent, as in GENIUS); the
  **discount factor**, when GENIUS applies one (``0 < d < 1``), goes to ``dynamics.discount``
  (:mod:`zopa.model.dynamics`).
* Every party's preferences are marked ``imported`` from its file (a source entry naming the file
  and its SHA-256), not as analyst assumptions; the domain file is a source too.

Anything else (nested objectives, non-linear utility spaces or evaluators, malformed or hostile
XML) is refused by :mod:`zopa.io.genius_read` and :mod:`zopa.io.genius_xml` with its file and
line; this module turns those refusals into :class:`zopa.io.scenario_file.ScenarioError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from zopa.io.genius_read import (
    DomainIssue,
    GeniusDomain,
    GeniusProfile,
    evaluate,
    read_domain,
    read_profile,
)
from zopa.io.genius_xml import Element, GeniusXmlError, read_xml

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

DEFAULT_REAL_STEPS = 20
"""Steps a real issue is cut into by default: 21 grid points, both bounds included."""
MAX_POINTS = 10_000
"""The most grid points of a numeric issue (zopa's limit, :data:`zopa.model.scenario.MAX_GRID_POINTS`)."""
MAX_FILES = 500
"""The most XML files a folder may hold for :func:`find_genius_files`."""
MIN_MAX_EVALUATION = Fraction(1, 100_000)
"""GENIUS's ``EvaluatorDiscrete.normalize``: below this largest evaluation every value is 0."""

_NOT_ID = re.compile(r"[^A-Za-z0-9_.+-]+")


@dataclass
class GeniusImport:
    """A GENIUS domain imported as a zopa scenario.

    Attributes
    ----------
    text
        The scenario as YAML (what ``zopa import genius`` writes).
    scenario
        The same, validated.
    notes
        What the import did that a reader should know (discretised issues, weight sums,
        discount factors), one sentence each.
    files
        The domain file, then the utility files, as given.
    """

    text: str
    scenario: Scenario
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


# -- errors -----------------------------------------------------------------------------------


def _scenario_error(exc: GeniusXmlError) -> Exception:
    from zopa.io.scenario_file import Problem, ScenarioError
    from zopa.io.yaml_tree import Mark

    mark = Mark(exc.line, exc.column) if exc.line is not None else None
    return ScenarioError([Problem(exc.file, mark, "", exc.message)])


# -- files and folders ------------------------------------------------------------------------


def find_genius_files(folder: str | Path) -> tuple[Path, list[Path]]:
    """Find the domain file and the utility files in a folder laid out as the ANAC ones are.

    Every ``*.xml`` file of the folder (not its subfolders) is read: the one whose root is
    ``<negotiation_template>`` is the domain, those whose root is ``<utility_space>`` are the
    profiles (in file-name order); files named ``*pareto.xml`` (ANAC's lists of Pareto bids,
    not XML documents) and files with another root (a tournament set-up) are skipped.

    Raises
    ------
    zopa.io.scenario_file.ScenarioError
        For a folder that does not exist or holds no domain, several domains or no utility
        file, or a file that cannot be read (with its line).
    """
    return _classify(folder)[0]


def _classify(
    folder: str | Path,
) -> tuple[tuple[Path, list[Path]], dict[Path, Element]]:
    from zopa.io.scenario_file import Problem, ScenarioError

    where = str(folder)
    root = Path(folder)
    if not root.is_dir():
        message = "no such folder" if not root.exists() else "not a folder"
        raise ScenarioError([Problem(where, None, "", message)])
    files = sorted(
        (p for p in root.iterdir() if p.suffix.lower() == ".xml" and p.is_file()),
        key=lambda p: p.name,
    )
    if not files:
        raise ScenarioError(
            [
                Problem(
                    where,
                    None,
                    "",
                    "is a directory: expected a scenario file, or a folder of GENIUS files (it "
                    "holds no *.xml file)",
                )
            ]
        )
    files = [p for p in files if not p.name.lower().endswith("pareto.xml")]
    if len(files) > MAX_FILES:
        raise ScenarioError(
            [Problem(where, None, "", f"more than {MAX_FILES} XML files: not a GENIUS folder")]
        )
    parsed: dict[Path, Element] = {}
    domains: list[Path] = []
    profiles: list[Path] = []
    for path in files:
        try:
            element = read_xml(path)
        except GeniusXmlError as exc:
            raise _scenario_error(exc) from None
        parsed[path] = element
        if element.tag == "negotiation_template":
            domains.append(path)
        elif element.tag == "utility_space":
            profiles.append(path)
    if not domains:
        raise ScenarioError(
            [
                Problem(
                    where,
                    None,
                    "",
                    "no GENIUS domain file (an XML file whose root is <negotiation_template>) "
                    "in this folder",
                )
            ]
        )
    if len(domains) > 1:
        names = ", ".join(p.name for p in domains)
        raise ScenarioError(
            [
                Problem(
                    where,
                    None,
                    "",
                    f"several GENIUS domain files ({names}): name the files instead, "
                    "zopa import genius DOMAIN.xml PROFILE.xml ...",
                )
            ]
        )
    if not profiles:
        raise ScenarioError(
            [
                Problem(
                    where,
                    None,
                    "",
                    "no GENIUS utility file (an XML file whose root is <utility_space>) in "
                    "this folder",
                )
            ]
        )
    return (domains[0], profiles), parsed


def import_genius_folder(
    folder: str | Path,
    *,
    names: list[str] | None = None,
    real_steps: int = DEFAULT_REAL_STEPS,
    scale_weights: bool = False,
) -> GeniusImport:
    """Import the GENIUS domain of a folder (see :func:`find_genius_files`).

    The scenario's id is the folder's name; the other parameters are those of
    :func:`import_genius`.
    """
    (domain, profiles), parsed = _classify(folder)
    return import_genius(
        domain,
        profiles,
        names=names,
        real_steps=real_steps,
        scale_weights=scale_weights,
        scenario_id=Path(folder).resolve().name,
        parsed=parsed,
    )


def import_genius(
    domain: str | Path,
    profiles: list[str | Path] | list[Path],
    *,
    names: list[str] | None = None,
    real_steps: int = DEFAULT_REAL_STEPS,
    scale_weights: bool = False,
    scenario_id: str | None = None,
    parsed: dict[Path, Element] | None = None,
) -> GeniusImport:
    """Import a GENIUS domain file and utility files as a zopa scenario.

    Parameters
    ----------
    domain
        The domain file (root ``<negotiation_template>``).
    profiles
        One utility file per party (root ``<utility_space>``), in the parties' order.
    names
        The parties' names (default: each utility file's name without ``.xml``); their ids
        are the names with characters other than letters, digits and ``_.+-`` replaced.
    real_steps
        Steps each real-valued issue is cut into (``real_steps + 1`` grid points).
    scale_weights
        Divide the weights of a profile whose weights sum above 1 by their sum, instead of
        refusing it (GENIUS would cap its utilities at 1; the basis says what was done).
    scenario_id
        The scenario's id (default: the domain file's name without ``.xml``).
    parsed
        Files already parsed (by :func:`find_genius_files`), not read again.

    Returns
    -------
    GeniusImport

    Raises
    ------
    zopa.io.scenario_file.ScenarioError
        For a file that cannot be read or is refused, with its line and column.
    zopa.UsageError
        For ``names`` whose number differs from the profiles', or ``real_steps`` out of range.
    """
    from zopa.errors import UsageError

    if not profiles:
        raise UsageError(
            "give at least one utility file after the domain file", parameter="profiles"
        )
    if names is not None and len(names) != len(profiles):
        raise UsageError(
            f"{len(names)} name{'s' if len(names) != 1 else ''} for "
            f"{len(profiles)} utility file{'s' if len(profiles) != 1 else ''}: give one per file",
            parameter="names",
        )
    if not 1 <= real_steps < MAX_POINTS:
        raise UsageError(
            f"real steps must lie between 1 and {MAX_POINTS - 1:,}, got {real_steps}",
            parameter="real_steps",
        )
    parsed = parsed or {}

    def tree(path: str | Path) -> Element:
        key = Path(path)
        if key in parsed:
            return parsed[key]
        return read_xml(path)

    try:
        model = read_domain(tree(domain), str(domain))
        read = [read_profile(tree(p), str(p), model) for p in profiles]
        builder = _Builder(model, read, real_steps, scale_weights)
        text = builder.text(
            [str(p) for p in profiles],
            names or [Path(p).name.removesuffix(Path(p).suffix) for p in profiles],
            scenario_id or Path(domain).name.removesuffix(Path(domain).suffix),
            _digests([domain, *profiles]),
        )
    except GeniusXmlError as exc:
        raise _scenario_error(exc) from None
    scenario = _validated(text, str(domain))
    return GeniusImport(text, scenario, builder.notes, [str(domain), *map(str, profiles)])


def _digests(paths: list[str | Path]) -> list[str]:
    out = []
    for path in paths:
        try:
            out.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
        except OSError:  # pragma: no cover - the file was just read
            out.append("")
    return out


def _validated(text: str, file: str) -> Scenario:
    from zopa.io.scenario_file import Problem, ScenarioError, parse_scenario
    from zopa.io.yaml_tree import MAX_BYTES

    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"the imported scenario would take {size / 2**20:.1f} MiB, over zopa's "
                    f"{MAX_BYTES // 2**20} MiB limit for a scenario file",
                )
            ]
        )
    return parse_scenario(text, f"{file} (imported)")


# -- the scenario -----------------------------------------------------------------------------


def make_id(text: str, taken: set[str], fallback: str = "x") -> str:
    """An id from a name: other characters than letters, digits and ``_.+-`` become ``-``.

    The id starts with a letter or digit; a suffix ``-2``, ``-3`` ... keeps it apart from the
    ``taken`` ones (to which it is added).
    """
    base = _NOT_ID.sub("-", text.strip()).lstrip("_.+-").rstrip("-") or fallback
    base = base[:60].rstrip("-") or fallback
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def yaml_number(x: Fraction | float) -> str:
    """A number as YAML writes it: the shortest decimal of its double, never in e-notation."""
    f = float(x)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    text = repr(f)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def yaml_text(s: str) -> str:
    """A string as a double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(s, ensure_ascii=False)


def yaml_key(s: str) -> str:
    """A mapping key: plain when YAML reads it back as that string, else quoted."""
    from zopa.io.yaml_tree import resolve_plain

    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", s) is not None
    return s if plain and resolve_plain(s) == s else yaml_text(s)


def _flow(entries: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{yaml_key(k)}: {v}" for k, v in entries) + "}"


@dataclass
class _Issue:
    """An issue as written in the scenario."""

    id: str
    source: DomainIssue
    options: list[str]  # option ids (discrete) or grid points (numeric)
    grid: list[Fraction]  # numeric grid points (exact decimals of the written ids)
    lines: list[str]  # the issue's YAML body lines


class _Builder:
    """Writes the scenario's YAML from a domain and its profiles."""

    def __init__(
        self,
        domain: GeniusDomain,
        profiles: list[GeniusProfile],
        real_steps: int,
        scale_weights: bool,
    ) -> None:
        self.domain = domain
        self.profiles = profiles
        self.real_steps = real_steps
        self.scale_weights = scale_weights
        self.notes: list[str] = []
        self.near_one: list[tuple[str, float]] = []
        taken: set[str] = set()
        self.issues = [self._issue(i, taken) for i in domain.issues]

    # issues ------------------------------------------------------------------------------
    def _issue(self, issue: DomainIssue, taken: set[str]) -> _Issue:
        iid = make_id(issue.name, taken, f"issue-{issue.index}")
        lines = [f"    name: {yaml_text(issue.name)}", "    source: genius-domain"]
        if issue.kind == "discrete":
            ids: set[str] = set()
            options = [make_id(v, ids, "value") for v in issue.values]
            lines.append("    options:")
            lines += [
                f"      {yaml_key(o)}: {_flow([('label', yaml_text(v or o))])}"
                for o, v in zip(options, issue.values, strict=True)
            ]
            return _Issue(iid, issue, options, [], lines)
        assert issue.lower is not None
        assert issue.upper is not None
        lower, upper = issue.lower, issue.upper
        if issue.kind == "integer":
            points = int(upper - lower) + 1
            if points > MAX_POINTS:
                raise GeniusXmlError(
                    self.domain.file,
                    f"integer issue {issue.name!r} has {points:,} values "
                    f"({int(lower)}..{int(upper)}); zopa's numeric issues have at most "
                    f"{MAX_POINTS:,} grid points",
                    issue.line,
                    issue.column,
                )
            grid = [lower + k for k in range(points)]
            step: Fraction = Fraction(1)
        else:
            from zopa.model.scenario import NumericRange
            from zopa.space.compile import exact_number

            step = (upper - lower) / self.real_steps
            span = NumericRange(min=float(lower), max=float(upper), step=float(step))
            grid = [exact_number(x) for x in span.grid()]
            lines.append(
                f"    description: {yaml_text(self._discretised(issue, lower, upper, step))}"
            )
        lines.append(
            "    range: "
            + _flow(
                [
                    ("min", yaml_number(lower)),
                    ("max", yaml_number(upper)),
                    ("step", yaml_number(step)),
                ]
            )
        )
        from zopa.model.scenario import format_number

        return _Issue(iid, issue, [format_number(float(x)) for x in grid], grid, lines)

    def _discretised(
        self, issue: DomainIssue, lower: Fraction, upper: Fraction, step: Fraction
    ) -> str:
        text = (
            f"GENIUS real issue discretised into {self.real_steps + 1} points from "
            f"{float(lower):g} to {float(upper):g} in steps of {float(step):g} "
            f"(--real-steps {self.real_steps}); values are exact at each point."
        )
        self.notes.append(f"issue {issue.name!r}: {text}")
        return text

    # preferences -------------------------------------------------------------------------
    def _factor(self, profile: GeniusProfile, party: str) -> tuple[Fraction, str]:
        """The factor the values are multiplied by, and what the basis says of the weights."""
        total = sum(profile.weights.values(), Fraction(0))
        n = len(profile.weights)
        tolerance = Fraction(n, 2**52)
        shown = f"{float(total):.17g}"
        if total == 1:
            return Fraction(1), "The weights sum to 1."
        if abs(total - 1) <= tolerance:
            gap = float(total - 1)
            self.near_one.append((party, abs(gap)))
            return Fraction(1), (
                f"The weights sum to 1 {'+' if gap > 0 else '-'} {abs(gap):.1e}, 1 within the "
                "precision of the doubles GENIUS writes; zopa divides them by their sum, which "
                "changes no utility by more than that."
            )
        if total < 1:
            self.notes.append(
                f"{party}: the weights sum to {shown}; GENIUS uses them as given (no package "
                f"is worth more than {shown}), so each value is multiplied by {shown} to give "
                "the same utilities"
            )
            return total, (
                f"The weights sum to {shown}: GENIUS uses them as given, so no package is worth "
                f"more than {shown}; each value here is the GENIUS evaluation times {shown}, "
                "which gives GENIUS's utilities exactly (zopa divides weights by their sum)."
            )
        if not self.scale_weights:
            raise GeniusXmlError(
                profile.file,
                f"the weights sum to {shown}, above 1: GENIUS then caps every utility at 1, "
                "which an additive utility cannot represent; fix the weights, or import with "
                "--scale-weights to divide them by their sum (not what GENIUS does)",
                profile.weight_line,
            )
        self.notes.append(
            f"{party}: the weights sum to {shown}; divided by their sum (--scale-weights), "
            "where GENIUS would cap utilities at 1"
        )
        return Fraction(1), (
            f"The weights sum to {shown}, above 1: GENIUS would cap utilities at 1; they were "
            "divided by their sum at import (--scale-weights), so utilities here are GENIUS's "
            f"uncapped utilities divided by {shown}."
        )

    def _values(self, profile: GeniusProfile, issue: _Issue, factor: Fraction) -> str:
        evaluator = profile.evaluators[issue.source.index]
        if issue.source.kind == "discrete":
            top = max(evaluator.evaluations.values())
            entries = []
            for option, value in zip(issue.options, issue.source.values, strict=True):
                e = evaluator.evaluations[value]
                v = Fraction(0) if top < MIN_MAX_EVALUATION else e / top
                entries.append((option, yaml_number(v * factor)))
            return _flow(entries)
        ys = [evaluate(evaluator, x) * factor for x in issue.grid]
        # integer grids are exact decimals: the knots where the slope changes suffice; a real
        # issue's grid points may not be (a step of 1/3), so each is a knot of its own
        integer = issue.source.kind == "integer"
        knots = _knots(issue.grid, ys) if integer else list(range(len(ys)))
        xs = [yaml_number(issue.grid[k]) for k in knots]
        assert issue.source.lower is not None
        assert issue.source.upper is not None
        xs[0] = yaml_number(min(float(issue.grid[0]), float(issue.source.lower)))
        xs[-1] = yaml_number(max(float(issue.grid[-1]), float(issue.source.upper)))
        points = ", ".join(f"[{x}, {yaml_number(ys[k])}]" for x, k in zip(xs, knots, strict=True))
        return "{piecewise: [" + points + "]}"

    # the text ----------------------------------------------------------------------------
    def text(self, files: list[str], names: list[str], scenario_id: str, digests: list[str]) -> str:
        """The scenario's YAML text."""
        from zopa._version import __version__

        domain_name = Path(self.domain.file).name
        sid = make_id(scenario_id, set(), "genius")
        taken: set[str] = {"genius-domain"}
        parties = [make_id(n, set(), f"party-{k + 1}") for k, n in enumerate(names)]
        seen: set[str] = set()
        for k, p in enumerate(parties):
            parties[k] = make_id(p, seen)
        source_ids = [make_id(f"genius-{p}", taken) for p in parties]
        title = self.domain.name if self.domain.name not in ("", "root") else sid
        out = [
            f"# Imported by zopa {__version__} from the GENIUS domain {domain_name} and "
            f"{len(files)} utility file{'s' if len(files) != 1 else ''}.",
            "# Every number under preferences is imported data (see each party's basis), not",
            "# an analyst assumption.",
            "zopa: 1",
            f"id: {yaml_key(sid)}",
            f"title: {yaml_text(f'{title} (GENIUS domain)')}",
            "description: "
            + yaml_text(
                f"Imported from the GENIUS domain file {domain_name} and the utility files "
                + ", ".join(Path(f).name for f in files)
                + ", with GENIUS's semantics (see the README, 'GENIUS and ANAC domains')."
            ),
            "sources:",
            "  genius-domain: "
            + _flow(
                [
                    ("publisher", yaml_text("GENIUS domain file")),
                    ("title", yaml_text(domain_name)),
                    ("note", yaml_text(_provenance(self.domain.file, digests[0]))),
                ]
            ),
        ]
        for source, file, digest in zip(source_ids, files, digests[1:], strict=True):
            out.append(
                f"  {yaml_key(source)}: "
                + _flow(
                    [
                        ("publisher", yaml_text("GENIUS utility file")),
                        ("title", yaml_text(Path(file).name)),
                        ("note", yaml_text(_provenance(file, digest))),
                    ]
                )
            )
        out.append("parties:")
        for party, name in zip(parties, names, strict=True):
            out.append(
                f"  {yaml_key(party)}: {_flow([('name', yaml_text(name)), ('role', 'party')])}"
            )
        out.append("issues:")
        for issue in self.issues:
            out.append(f"  {yaml_key(issue.id)}:")
            out += issue.lines
        out.append("preferences:")
        discounts: list[tuple[str, GeniusProfile]] = []
        for party, source, profile in zip(parties, source_ids, self.profiles, strict=True):
            factor, weights_said = self._factor(profile, party)
            self.notes += [f"{party}: {note}" for note in profile.ignored]
            out.append(f"  {yaml_key(party)}:")
            weights = [(i.id, yaml_number(profile.weights[i.source.index])) for i in self.issues]
            out.append(f"    weights: {_flow(weights)}")
            out.append("    values:")
            for issue in self.issues:
                out.append(f"      {yaml_key(issue.id)}: {self._values(profile, issue, factor)}")
            out.append(f"    reservation: {yaml_number(profile.reservation)}")
            out.append(f"    basis: {yaml_text(_basis(profile, source, weights_said))}")
            out.append(f"    imported: [{yaml_key(source)}]")
            if profile.effective_discount < 1:
                discounts.append((party, profile))
            elif profile.discount is not None and not 0 <= profile.discount <= 1:
                self.notes.append(
                    f"{party}: discount factor {float(profile.discount):g} is outside 0..1; "
                    "GENIUS discards it (no discount)"
                )
        if self.near_one:
            who = ", ".join(p for p, _ in self.near_one)
            gap = max(g for _, g in self.near_one)
            self.notes.append(
                f"the weights of {who} sum to 1 within the precision of the doubles GENIUS "
                f"writes (at most {gap:.1e} away): used as given"
            )
        if discounts:
            cited = ", ".join(f"[{source_ids[parties.index(p)]}]" for p, _ in discounts)
            out.append("dynamics:")
            out.append(
                "  discount: "
                + _flow([(p, yaml_number(prof.effective_discount)) for p, prof in discounts])
            )
            out.append(
                "  basis: "
                + yaml_text(
                    f"Discount factors imported from the GENIUS utility files {cited}: "
                    "utilities of agreement and of no agreement alike are multiplied by d^t at "
                    "normalised time t."
                )
            )
        return "\n".join(out) + "\n"


def _knots(xs: list[Fraction], ys: list[Fraction]) -> list[int]:
    """The grid points a piecewise-linear function needs to give ``ys`` exactly at every ``xs``.

    The ends, and every point where the slope changes (three points not on one line).
    """
    keep = [0]
    for k in range(1, len(xs) - 1):
        left = (ys[k] - ys[k - 1]) * (xs[k + 1] - xs[k])
        right = (ys[k + 1] - ys[k]) * (xs[k] - xs[k - 1])
        if left != right:
            keep.append(k)
    keep.append(len(xs) - 1)
    return keep


def _provenance(file: str, digest: str) -> str:
    return f"Read from {file} (SHA-256 {digest[:16]}…)." if digest else f"Read from {file}."


def _basis(profile: GeniusProfile, source: str, weights_said: str) -> str:
    kinds = {e.kind for e in profile.evaluators.values()}
    parts = [
        f"Imported from the GENIUS utility file {Path(profile.file).name} [{source}], with "
        "GENIUS's semantics: weights as written."
    ]
    parts.append(weights_said)
    if "discrete" in kinds:
        parts.append(
            "A discrete issue's value is the evaluation divided by the issue's largest "
            "evaluation (its best value scores 1)."
        )
    if "integer" in kinds:
        parts.append(
            "An integer issue's value is slope × (x − lowerbound) + offset, clipped to 0..1."
        )
    if "real" in kinds:
        parts.append("A real issue's value is the evaluator's at each grid point.")
    said = (
        "The walk-away point is the reservation value."
        if profile.reservation_line is not None
        else "No reservation value: walk-away point 0, as in GENIUS."
    )
    parts.append(said)
    return " ".join(parts)
