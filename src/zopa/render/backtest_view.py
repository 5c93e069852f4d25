"""The ``zopa backtest`` report, built from the engine's result (nothing is computed here).

One summary across scenarios, then per scenario and per outcome (the final one, then the
interim ones) the analysis at each date before it; every report opens with the statement that
the preferences were set with hindsight (:data:`zopa.backtest.HONESTY`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.render.document import Document, Table
from zopa.render.words import plural

if TYPE_CHECKING:
    from zopa.backtest.basis import NumberBasis
    from zopa.backtest.run import (
        BacktestResult,
        DateCheck,
        Distance,
        Sampled,
        ScenarioBacktest,
        Target,
        TargetBacktest,
    )

DASH = "–"
"""A cell with nothing to show."""

STATUS = {"agreed": "agreed", "broke-down": "broke down", "rejected": "rejected"}
"""How each status reads in a report."""


def _p(x: float | None) -> str:
    """A probability with two decimals (a dash for none)."""
    return DASH if x is None else f"{x:.2f}"


def _outcome(t: Target) -> str:
    """``agreed 1978-09-17``."""
    return f"{STATUS[t.status]} {t.date}"


def _label(s: ScenarioBacktest, t: TargetBacktest) -> str:
    """The scenario's id, with the interim outcome's number for an interim target."""
    if t.target.key == "final":
        return s.scenario
    return f"{s.scenario} ({t.target.key.replace('-', ' ')})"


def _verdict(t: Target, d: DateCheck) -> str:
    """The point verdict: acceptable, rejected by whom, or the zone for a breakdown."""
    if t.package is None:
        return {"none": "no zone", "thin": "thin zone", "wide": "wide zone"}[d.zone]
    if d.acceptable:
        return "acceptable"
    return "rejected: " + ", ".join(d.rejecting)


def _rank(d: DateCheck) -> str:
    """The Nash rank as ``rank/acceptable packages`` (a dash when unranked)."""
    if d.rank is None or d.ranked is None:
        return DASH
    return f"{d.rank:,}/{d.ranked:,}"


def _distance(x: Distance | None) -> str:
    """The issues differing from a solution (a dash without a solution)."""
    return DASH if x is None else str(x.issues)


def _consistent(d: DateCheck) -> str:
    return {True: "yes", False: "no", None: DASH}[d.consistent]


def backtest_document(result: BacktestResult) -> Document:
    """Build the ``zopa backtest`` report."""
    from zopa.backtest import HONESTY

    doc = Document()
    doc.heading("Backtest: what history says about the method", 1)
    doc.para(HONESTY)
    settings = result.settings
    sampled = (
        f"Here: {settings.samples:,} samples per date (seed {settings.seed}), given the "
        "reactions known then."
        if settings.samples
        else "Here: no samples (--samples 0), the point assumptions only."
    )
    doc.para(
        "At each date on which a proposal or a reaction appeared before the outcome, the "
        "scenario as known then is analysed: is the eventual package acceptable to every party "
        "whose consent it needs (point assumptions), and in what share P of the samples of the "
        "ranges does the analysis agree with what happened (for a breakdown: no zone, or one "
        "thinner than the threshold below); 'P dated' varies only the numbers whose basis is "
        "dated before the outcome. Nash rank: the package's rank among the acceptable packages "
        "by Nash product. To Nash / KS: the issues on which it differs from the Nash and from "
        "the Kalai–Smorodinsky package. A zone is thin when its margin is below "
        f"{settings.thin_margin:g} or it exists in fewer than {settings.thin_probability:.0%} "
        f"of the samples; a breakdown is consistent with no zone or a thin one. {sampled}"
    )
    _summary(result, doc)
    for s in result.scenarios:
        _scenario(s, doc)
    return doc


def _summary(result: BacktestResult, doc: Document) -> None:
    """The two summary tables: the outcomes, and the analysis at the last date before each."""
    doc.heading("Summary")
    outcomes = Table(["scenario", "outcome", "consistent", "numbers dated before"])
    last = Table(
        ["scenario", "point", "P", "P dated", "Nash rank", "to Nash / KS"],
        title="At the last date before each outcome",
    )
    for s in result.scenarios:
        for t in s.targets:
            label = _label(s, t)
            checked = t.checked_dates
            outcomes.rows.append(
                [
                    label,
                    _outcome(t.target),
                    f"{t.consistent_dates} of {plural(checked, 'date')}" if checked else DASH,
                    f"{t.dated_numbers} of {len(t.numbers)}",
                ]
            )
            d = t.last
            if d is None:
                last.rows.append([label, "no date before it", DASH, DASH, DASH, DASH])
                continue
            last.rows.append(
                [
                    label,
                    _verdict(t.target, d),
                    _p(d.p_fits),
                    _p(d.p_fits_dated),
                    _rank(d),
                    f"{_distance(d.nash)} / {_distance(d.kalai_smorodinsky)}",
                ]
            )
    doc.table(outcomes)
    doc.para(
        "Consistent: on how many of the dates before the outcome the point analysis agreed with "
        "it. Numbers dated before: preference numbers whose basis cites only sources dated "
        "before the outcome."
    )
    doc.table(last)


def _scenario(s: ScenarioBacktest, doc: Document) -> None:
    """One scenario: its final outcome, then each interim outcome."""
    doc.heading(f"{s.scenario}: {s.title}")
    for k, t in enumerate(s.targets):
        if k:
            doc.heading(f"Interim outcome {k}: {STATUS[t.target.status]} on {t.target.date}", 3)
        _target(t, doc)


def _target(t: TargetBacktest, doc: Document) -> None:
    """One outcome: what happened, the analysis at each date, what the numbers rest on."""
    target = t.target
    cite = " ".join(f"[{r}]" for r in target.source)
    doc.para(f"{STATUS[target.status].capitalize()} on {target.date}: {target.text} {cite}")
    if target.package is not None:
        doc.para(
            "The package: "
            + ", ".join(f"{issue} = {option}" for issue, option in target.package.items())
            + "."
        )
    doc.para(f"Consistent with the outcome: {target.expectation}.")
    if not t.dates:
        doc.para("No proposal or reaction is dated before it: there is nothing to backtest.")
    else:
        doc.table(_dates_table(t))
        _since(t, doc)
        _hinges(t, doc)
        _notes(t, doc)
    _numbers(t.numbers, target, doc)


def _dates_table(t: TargetBacktest) -> Table:
    """The analysis at each date: a package's verdict and rank, or a breakdown's zone."""
    target = t.target
    if target.package is None:
        table = Table(
            ["date", "known", "zone", "margin", "P(zone)", "P", "P dated", "consistent"],
            title="The analysis at each date (known: proposals + reactions known then)",
        )
        for d in t.dates:
            table.rows.append(
                [
                    str(d.date),
                    f"{d.proposals} + {d.reactions}",
                    d.zone,
                    f"{d.margin:+.3f}",
                    _p(None if d.full is None else d.full.p_zone),
                    _p(d.p_fits),
                    _p(d.p_fits_dated),
                    _consistent(d),
                ]
            )
        return table
    table = Table(
        ["date", "known", "point", "margin", "P", "P dated", "Nash rank", "to Nash / KS"],
        title="The analysis at each date (known: proposals + reactions known then)",
    )
    for d in t.dates:
        table.rows.append(
            [
                str(d.date),
                f"{d.proposals} + {d.reactions}",
                _verdict(target, d),
                f"{d.margin:+.3f}",
                _p(d.p_fits),
                _p(d.p_fits_dated),
                _rank(d),
                f"{_distance(d.nash)} / {_distance(d.kalai_smorodinsky)}",
            ]
        )
    return table


def _since(t: TargetBacktest, doc: Document) -> None:
    """On how many dates the point analysis agreed, and since when on every date."""
    checked = t.checked_dates
    if not checked:
        return
    since = t.consistent_since
    text = f"The point analysis agreed with the outcome on {t.consistent_dates} of {plural(checked, 'date')}"
    if since is not None and t.last is not None and t.last.consistent:
        text += f", on every date from {since} on"
    doc.para(text + ".")


def _hinges(t: TargetBacktest, doc: Document) -> None:
    """The input the last date's sampled verdict hinges on most, and whether it is dated."""
    d = t.last
    if d is None or d.full is None or not d.full.hinges:
        return
    sampled: Sampled = d.full
    top = sampled.hinges[0]
    what = "the package's acceptability" if t.target.package is not None else "the zone"
    dated = (
        "its basis is dated before the outcome"
        if top.dated_before
        else "its basis is NOT dated before the outcome, so this conclusion hinges on a number "
        "that may carry hindsight"
    )
    doc.para(
        f"On {d.date}, {what} hinges most on {top.path} (Spearman ρ {top.spearman:+.2f}); {dated}."
    )


def _notes(t: TargetBacktest, doc: Document) -> None:
    """The notes of every date, once each; the robust run's warnings at the last date."""
    seen: list[str] = []
    for d in t.dates:
        for note in d.notes:
            if note not in seen:
                seen.append(note)
    last = t.last
    if last is not None and last.full is not None:
        seen += [f"warning on {last.date}: {w}" for w in last.full.warnings]
        if last.dated is not None and last.dated is not last.full and last.dated.warnings:
            seen.append(f"the dated-only run on {last.date} warned too (see the JSON)")
    earlier = sum(1 for d in t.dates[:-1] if d.full is not None and d.full.warnings)
    if earlier:
        seen.append(
            f"the robust run warned on {plural(earlier, 'earlier date')} too (see the JSON: "
            "ranges.warnings)"
        )
    for line in seen:
        doc.para(f"- {line}")


def _numbers(numbers: list[NumberBasis], target: Target, doc: Document) -> None:
    """How many preference numbers are dated before the outcome, per party, and why not."""
    if not numbers:
        return
    dated = sum(1 for n in numbers if n.dated_before)
    uncertain = [n for n in numbers if n.uncertain]
    doc.para(
        f"What the numbers rest on: {dated} of {plural(len(numbers), 'preference number')} "
        f"({sum(1 for n in uncertain if n.dated_before)} of {len(uncertain)} with a range) "
        f"have a basis citing only sources dated before {target.date} "
        "(basis_dated_before_outcome in the JSON, per number)."
    )
    table = Table(["party", "weights", "values", "walk-away"], title="Numbers dated before")
    for party in dict.fromkeys(n.party for n in numbers):
        cells = [party]
        for kind in ("weight", "value", "reservation"):
            mine = [n for n in numbers if n.party == party and n.kind == kind]
            cells.append(f"{sum(1 for n in mine if n.dated_before)} of {len(mine)}")
        table.rows.append(cells)
    doc.table(table)
    later: dict[str, str] = {}
    undated: dict[str, None] = {}
    bare = 0
    for n in numbers:
        if n.dated_before:
            continue
        later.update({sid: str(day) for sid, day in n.later})
        undated.update(dict.fromkeys(n.undated))
        bare += not n.sources
    parts = []
    if later:
        shown = ", ".join(f"[{sid}] {day}" for sid, day in sorted(later.items(), key=_by_date))
        parts.append(f"they cite sources dated on or after the outcome ({shown})")
    if undated:
        parts.append("undated sources (" + ", ".join(f"[{sid}]" for sid in undated) + ")")
    if bare:
        parts.append(f"{plural(bare, 'number')} cite no source")
    if parts:
        doc.para("Why the other numbers are not: " + "; ".join(parts) + ".")


def _by_date(item: tuple[str, str]) -> tuple[str, str]:
    """Sort key of ``(source, date)``: by date, then id."""
    return item[1], item[0]
