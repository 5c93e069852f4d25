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
    return DASH if x is None else f"{x:.2f}"


def _outcome(t: Target) -> str:
    return f"{STATUS[t.status]} {t.date}"


def _label(s: ScenarioBacktest, t: TargetBacktest) -> str:
    if t.target.key == "final":
        return s.scenario
    return f"{s.scenario} ({t.target.key.replace('-', ' ')})"


def _verdict(t: Target, d: DateCheck) -> str:
    """The point verdict: acceptable, rejected by whom, or the zone for a breakdown."""
    if t.package is None:
        return {"none": "no zone", "thin": "thin zone", "wide": "wide zone"}[d.zone]
    if d.acceptable:
        return "acceptable"
    return "rejected by " + ", ".join(d.rejecting)


def _rank(d: DateCheck) -> str:
    if d.rank is None or d.ranked is None:
        return DASH
    return f"{d.rank:,} of {d.ranked:,}"


def _distance(x: Distance | None) -> str:
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
        f"{settings.samples:,} samples per date (seed {settings.seed}), given the reactions "
        "known then"
        if settings.samples
        else "no samples (--samples 0): the point assumptions only"
    )
    doc.para(
        "At each date on which a proposal or a reaction appeared before the outcome, the "
        "scenario as known then is analysed: is the eventual package acceptable to every party "
        "whose consent it needs (point assumptions), and in what share P of the samples of the "
        f"ranges does the analysis agree with what happened ({sampled}); 'P dated' varies only "
        "the numbers whose basis is dated before the outcome. Nash rank: the package's rank "
        "among the acceptable packages by Nash product. To Nash / KS: the issues on which it "
        "differs from the Nash and from the Kalai–Smorodinsky package. A zone is thin when its margin "
        f"is below {settings.thin_margin:g} or it exists in fewer than "
        f"{settings.thin_probability:.0%} of the samples; a breakdown is consistent with no "
        "zone or a thin one."
    )
    _summary(result, doc)
    for s in result.scenarios:
        _scenario(s, doc)
    return doc


def _summary(result: BacktestResult, doc: Document) -> None:
    doc.heading("Summary")
    outcomes = Table(["scenario", "outcome", "consistent", "numbers dated before"])
    last = Table(
        ["scenario", "point", "P", "P dated", "Nash rank", "to Nash / KS"],
        title="At the last date before each outcome",
    )
    from zopa.backtest.run import p_fits

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
                    _p(p_fits(t.target, d.full)),
                    _p(p_fits(t.target, d.dated)),
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
    doc.heading(f"{s.scenario}: {s.title}")
    for k, t in enumerate(s.targets):
        if k:
            doc.heading(f"Interim outcome {k}: {STATUS[t.target.status]} on {t.target.date}", 3)
        _target(t, doc)


def _target(t: TargetBacktest, doc: Document) -> None:
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
    target = t.target
    if target.package is None:
        table = Table(
            ["date", "known", "zone", "margin", "P(zone)", "P(zone) dated", "consistent"],
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
                    _p(None if d.dated is None else d.dated.p_zone),
                    _consistent(d),
                ]
            )
        return table
    from zopa.backtest.run import p_fits

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
                _p(p_fits(target, d.full)),
                _p(p_fits(target, d.dated)),
                _rank(d),
                f"{_distance(d.nash)} / {_distance(d.kalai_smorodinsky)}",
            ]
        )
    return table


def _since(t: TargetBacktest, doc: Document) -> None:
    checked = t.checked_dates
    if not checked:
        return
    since = t.consistent_since
    text = f"The point analysis agreed with the outcome on {t.consistent_dates} of {plural(checked, 'date')}"
    if since is not None and t.last is not None and t.last.consistent:
        text += f", on every date from {since} on"
    doc.para(text + ".")


def _hinges(t: TargetBacktest, doc: Document) -> None:
    d = t.last
    if d is None or d.full is None or not d.full.hinges:
        return
    sampled: Sampled = d.full
    top = sampled.hinges[0]
    what = "the package's acceptability" if t.target.package is not None else "the zone"
    dated = (
        "its basis is dated before the outcome"
        if top.dated_before
        else "its basis is NOT dated before the outcome: this conclusion rests on hindsight"
    )
    doc.para(
        f"On {d.date}, {what} hinges most on {top.path} (Spearman ρ {top.spearman:+.2f}); {dated}."
    )


def _notes(t: TargetBacktest, doc: Document) -> None:
    seen: list[str] = []
    for d in t.dates:
        for note in d.notes:
            if note not in seen:
                seen.append(note)
        for run in (d.full, d.dated):
            for warning in run.warnings if run is not None else ():
                line = f"warning: {warning}"
                if line not in seen:
                    seen.append(line)
    for line in seen:
        doc.para(f"- {line}")


def _numbers(numbers: list[NumberBasis], target: Target, doc: Document) -> None:
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
    reasons: dict[str, None] = {}
    for n in numbers:
        if not n.dated_before:
            reasons.setdefault(n.reason, None)
    if reasons:
        doc.para("Why the other numbers are not: " + "; ".join(reasons) + ".")
