"""Write a zopa scenario as GENIUS files: one domain file and one utility file per party.

The files follow GENIUS's format (Lin et al. 2014, "Genius: An integrated environment for
supporting the design of generic automated negotiators", *Computational Intelligence* 30(1)), as
its ``DomainImpl`` and ``AdditiveUtilitySpace`` read them and NegMAS loads them. Reading them
back with :mod:`zopa.io.genius_import` gives every party the same utility of every package
(exactly when the numbers are decimals whose quotients are decimals; otherwise to the last bit
of a double).

How zopa's model ``u(x) = Σ_i w_i · v_i(x_i) / Σ_j w_j`` is written in GENIUS's
``U(x) = Σ_i W_i · e_i(x_i) / max e_i``:

* a named issue is a ``discrete`` issue; its evaluations are zopa's values divided by the
  party's largest value on the issue, ``v_i / M_i`` (so the best evaluates to 1), and its weight
  is ``W_i = w_i · M_i / Σ_j w_j`` (an issue whose values are all 0 keeps ``w_i / Σ_j w_j`` and
  evaluates to 0);
* a numeric issue on the integers from 0 with step 1, valued linearly by every party, is an
  ``integer`` issue with a linear evaluator (``slope``, ``offset``; GENIUS does not rescale
  those) and weight ``w_i / Σ_j w_j``; any other numeric issue is a discrete issue whose values
  are its grid points;

Written so, the files mean the same to GENIUS and to NegMAS, whose reader (0.16) neither divides
an evaluation by the issue's largest nor measures an integer evaluator from the lower bound.
* the walk-away point is the reservation value; ``dynamics.discount`` the discount factor.

GENIUS cannot express, so the export refuses: consent rules (in GENIUS every party with a
utility file must agree to every deal; an issue or option needing only some parties, or a party
with preferences whose consent no issue needs, is refused) and uncertain numbers (unless their
point values are asked for). It leaves out, and says so: proposals, events, reactions, the
strategic and forecast sections, drifts and shifts of walk-away points, and parties without
preferences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from zopa.errors import ZopaError

if TYPE_CHECKING:
    from zopa.model.numbers import Uncertain
    from zopa.model.scenario import Scenario


class GeniusExportError(ZopaError, ValueError):
    """A scenario that GENIUS cannot express; lists every reason."""

    def __init__(self, scenario_id: str, reasons: list[str]) -> None:
        self.reasons = reasons
        lines = "\n".join(f"- {r}" for r in reasons)
        super().__init__(f"cannot export {scenario_id} to GENIUS:\n{lines}")


@dataclass
class GeniusExport:
    """The GENIUS files of a scenario.

    Attributes
    ----------
    files
        File name → XML text: the domain file first, then one utility file per party.
    notes
        What was left out or read as a point value, one sentence each.
    """

    files: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def write(self, folder: str | Path, *, force: bool = False) -> list[Path]:
        """Write the files into ``folder`` (created when missing); return their paths.

        Raises
        ------
        zopa.UsageError
            When ``folder`` is a file, or a file would be overwritten without ``force``.
        """
        from zopa.errors import UsageError

        target = Path(folder)
        if target.exists() and not target.is_dir():
            raise UsageError(f"{folder} is a file: expected a folder", parameter="output")
        clash = [name for name in self.files if (target / name).exists()]
        if clash and not force:
            raise UsageError(
                f"{folder} already holds {', '.join(clash)}: choose another folder, or "
                "--force to overwrite",
                parameter="output",
            )
        target.mkdir(parents=True, exist_ok=True)
        out = []
        for name, text in self.files.items():
            path = target / name
            path.write_text(text, encoding="utf-8")
            out.append(path)
        return out


def decimal_text(q: Fraction) -> str:
    """Write a rational as Java's ``Double.valueOf`` reads it.

    Its exact decimal when it has one of at most 30 significant digits, else the shortest
    decimal of its double.
    """
    n, d = q.numerator, q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d == 1:
        places = max(twos, fives)
        scaled = abs(n) * 10**places // q.denominator
        digits = str(scaled).rjust(places + 1, "0")
        text = digits[:-places] + "." + digits[-places:] if places else digits
        text = text.rstrip("0").rstrip(".") if places else text
        if len(text.replace(".", "").lstrip("0")) <= 30:
            return ("-" if n < 0 else "") + text
    return repr(float(q))


def _exact(x: float | Uncertain) -> Fraction:
    from zopa.model.numbers import point
    from zopa.space.compile import exact_number

    return exact_number(point(x))


def _uncertain(s: Scenario) -> int:
    from zopa.model.numbers import Uncertain
    from zopa.model.scenario import Piecewise

    count = 0
    for prefs in s.preferences.values():
        numbers: list[object] = [*prefs.weights.values(), prefs.reservation]
        for spec in prefs.values.values():
            if isinstance(spec, Piecewise):
                numbers += [y for _, y in spec.piecewise]
            else:
                numbers += list(spec.values())
        count += sum(isinstance(x, Uncertain) for x in numbers)
    return count


def _values(s: Scenario, party: str, issue: str) -> list[Fraction]:
    """A party's exact value of each option of an issue (its point values; 0 without values)."""
    from zopa.model.scenario import Piecewise
    from zopa.space.compile import _interpolation

    spec = s.preferences[party].values.get(issue)
    options = s.issues[issue].option_ids()
    if spec is None:
        return [Fraction(0)] * len(options)
    if isinstance(spec, Piecewise):
        ys = [_exact(y) for _, y in spec.piecewise]
        shares = _interpolation([float(x) for x, _ in spec.piecewise], [float(o) for o in options])
        return [
            min(
                max(sum((w * ys[j] for j, w in row.items()), Fraction(0)), Fraction(0)), Fraction(1)
            )
            for row in shares
        ]
    return [min(max(_exact(spec[o]), Fraction(0)), Fraction(1)) for o in options]


def _affine(xs: list[Fraction], ys: list[Fraction]) -> bool:
    return all(
        (ys[k] - ys[0]) * (xs[-1] - xs[0]) == (ys[-1] - ys[0]) * (xs[k] - xs[0])
        for k in range(len(xs))
    )


def _refusals(s: Scenario, parties: list[str], point_values: bool) -> list[str]:
    reasons: list[str] = []
    if not s.issues or not parties:
        reasons.append("GENIUS needs issues and parties with preferences; this scenario has none")
        return reasons
    wanted = set(parties)
    groups: dict[tuple[str, ...], list[str]] = {}
    for iid in s.issues:
        needed = tuple(p for p in parties if p in set(s.issue_consent(iid)))
        if set(s.issue_consent(iid)) != wanted:
            groups.setdefault(needed, []).append(iid)
    for needed, ids in groups.items():
        who = ", ".join(needed) or "nobody"
        reasons.append(
            f"{_plural_issues(ids)} need{'s' if len(ids) == 1 else ''} the consent of {who} "
            "only: GENIUS has no consent rules (every party with a utility file must agree to "
            f"every deal, here {', '.join(parties)})"
        )
    extra = [
        f"{iid}/{oid} ({', '.join(option.consent)})"
        for iid, issue in s.issues.items()
        for oid, option in (issue.options or {}).items()
        if option.consent
    ]
    if extra:
        shown = ", ".join(extra[:4]) + (f" and {len(extra) - 4} more" if len(extra) > 4 else "")
        reasons.append(
            f"{len(extra)} option{'s need' if len(extra) != 1 else ' needs'} the consent of "
            f"further parties ({shown}): GENIUS has no consent rules"
        )
    uncertain = _uncertain(s)
    if uncertain and not point_values:
        reasons.append(
            f"{uncertain} number{'s are' if uncertain != 1 else ' is'} uncertain (low/high): "
            "GENIUS has one number each; export their point values with --point-values"
        )
    return reasons


def _plural_issues(ids: list[str]) -> str:
    if len(ids) == 1:
        return f"issue {ids[0]}"
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return f"issues {shown}"


def _left_out(s: Scenario, parties: list[str], point_values: bool) -> list[str]:
    notes = []
    dropped = [p for p in s.parties if p not in parties]
    if dropped:
        notes.append(f"parties without preferences are not exported: {', '.join(dropped)}")
    sections = {
        "proposals": len(s.proposals),
        "events": len(s.events),
        "reactions": len(s.reactions),
    }
    kept = [f"{n} {name}" for name, n in sections.items() if n]
    if s.strategic is not None:
        kept.append("the strategic section")
    if s.forecast is not None:
        kept.append("the forecast section")
    if s.dynamics is not None and (s.dynamics.drift or s.dynamics.shifts):
        kept.append("the drift and shifts of walk-away points (GENIUS's are fixed)")
    if kept:
        notes.append("not part of a GENIUS domain, left out: " + ", ".join(kept))
    if point_values and _uncertain(s):
        notes.append("uncertain numbers exported as their point values")
    return notes


def export_genius(scenario: Scenario, *, point_values: bool = False) -> GeniusExport:
    """Write a scenario's negotiation as GENIUS XML texts.

    Parameters
    ----------
    scenario
        A validated scenario.
    point_values
        Export uncertain numbers as their point values instead of refusing them.

    Returns
    -------
    GeniusExport
        ``<id>-domain.xml`` and ``<party>.xml`` per party with preferences.

    Raises
    ------
    GeniusExportError
        Listing every construct GENIUS cannot express.
    """
    s = scenario
    parties = [p for p in s.parties if p in s.preferences]
    reasons = _refusals(s, parties, point_values)
    if reasons:
        raise GeniusExportError(s.id, reasons)
    notes = _left_out(s, parties, point_values)

    issues = list(s.issues)
    options = {i: s.issues[i].option_ids() for i in issues}
    values = {(p, i): _values(s, p, i) for p in parties for i in issues}
    integer: dict[str, bool] = {}
    for iid in issues:
        r = s.issues[iid].range
        grid = [Fraction(o) for o in options[iid]] if r is not None else []
        integer[iid] = (
            r is not None
            and all(x.denominator == 1 for x in grid)
            and r.step == 1
            and grid[0] == 0  # GENIUS measures from the lower bound, NegMAS from 0: agree at 0
            and all(_affine(grid, values[(p, iid)]) for p in parties)
        )
    names = _unique([s.issues[i].name for i in issues], issues)
    labels = {
        i: (
            options[i]
            if s.issues[i].range is not None
            else _unique([s.issues[i].option_label(o) for o in options[i]], options[i])
        )
        for i in issues
    }

    domain_file = f"{s.id}-domain.xml"
    files = {domain_file: _domain_xml(s, issues, names, labels, integer, options)}
    for party in parties:
        name = f"{party}.xml" if f"{party}.xml" != domain_file else f"{party}-utility.xml"
        files[name] = _profile_xml(s, party, issues, names, labels, integer, options, values)
    return GeniusExport(files, notes)


def _unique(texts: list[str], fallback: list[str]) -> list[str]:
    """The texts as written when they are distinct and not blank, else the fallback ids."""
    if all(t.strip() for t in texts) and len(set(texts)) == len(texts):
        return texts
    return fallback


def _domain_xml(
    s: Scenario,
    issues: list[str],
    names: list[str],
    labels: dict[str, list[str]],
    integer: dict[str, bool],
    options: dict[str, list[str]],
) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {_comment(s)} -->",
        "<negotiation_template>",
        f'<utility_space number_of_issues="{len(issues)}">',
        f'<objective index="0" description="" name={quoteattr(s.id)} type="objective" '
        'etype="objective">',
    ]
    for k, iid in enumerate(issues, 1):
        name = quoteattr(names[k - 1])
        if integer[iid]:
            low, high = options[iid][0], options[iid][-1]
            out.append(
                f'<issue name={name} index="{k}" etype="integer" type="integer" '
                f'vtype="integer" lowerbound="{low}" upperbound="{high}">'
            )
        else:
            out.append(
                f'<issue name={name} index="{k}" etype="discrete" type="discrete" vtype="discrete">'
            )
            for n, label in enumerate(labels[iid], 1):
                out.append(f'<item index="{n}" value={quoteattr(label)} description=""></item>')
        out.append("</issue>")
    out += ["</objective>", "</utility_space>", "</negotiation_template>"]
    return "\n".join(out) + "\n"


def _profile_xml(
    s: Scenario,
    party: str,
    issues: list[str],
    names: list[str],
    labels: dict[str, list[str]],
    integer: dict[str, bool],
    options: dict[str, list[str]],
    values: dict[tuple[str, str], list[Fraction]],
) -> str:
    prefs = s.preferences[party]
    raw = [max(_exact(prefs.weights[i]), Fraction(0)) for i in issues]
    total = sum(raw, Fraction(0))
    shares = [w / total for w in raw]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {_comment(s)} Party {party}. -->",
        "<utility_space>",
        f'<objective index="0" description="" name={quoteattr(s.id)} type="objective" '
        'etype="objective">',
    ]
    weights: list[Fraction] = []
    for k, iid in enumerate(issues, 1):
        name = quoteattr(names[k - 1])
        v = values[(party, iid)]
        if integer[iid]:
            xs = [Fraction(o) for o in options[iid]]
            slope = (v[-1] - v[0]) / (xs[-1] - xs[0])
            out.append(
                f'<issue index="{k}" etype="integer" type="integer" vtype="integer" '
                f'name={name} lowerbound="{options[iid][0]}" upperbound="{options[iid][-1]}">'
            )
            out.append(
                f'<evaluator ftype="linear" slope="{decimal_text(slope)}" '
                f'offset="{decimal_text(v[0])}"></evaluator>'
            )
            weights.append(shares[k - 1])
        else:
            top = max(v)
            # the best value evaluates to 1: GENIUS divides by it anyway, and NegMAS, whose
            # reader does not, then computes the same utilities from the file
            evaluations = [x / top for x in v] if top > 0 else v
            out.append(
                f'<issue index="{k}" etype="discrete" type="discrete" vtype="discrete" name={name}>'
            )
            for n, (label, e) in enumerate(zip(labels[iid], evaluations, strict=True), 1):
                out.append(
                    f'<item index="{n}" value={quoteattr(label)} '
                    f'evaluation="{decimal_text(e)}"></item>'
                )
            weights.append(shares[k - 1] * top if top > 0 else shares[k - 1])
        out.append("</issue>")
    for k, w in enumerate(weights, 1):
        out.append(f'<weight index="{k}" value="{decimal_text(w)}"></weight>')
    discount = s.dynamics.discount.get(party, 1.0) if s.dynamics is not None else 1.0
    out += [
        "</objective>",
        f'<reservation value="{decimal_text(_exact(prefs.reservation))}"></reservation>',
        f'<discount_factor value="{decimal_text(_exact(discount))}"></discount_factor>',
        "</utility_space>",
    ]
    return "\n".join(out) + "\n"


def _comment(s: Scenario) -> str:
    from zopa._version import __version__

    title = s.title.replace("--", "- -")
    return f"Exported by zopa {__version__} from the scenario {s.id} ({title})."
