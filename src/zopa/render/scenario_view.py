"""Terminal views of a scenario (``zopa show``): parties, issues, proposals, events, dynamics, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from zopa.model.numbers import Uncertain
    from zopa.model.scenario import Scenario


def cite(refs: list[str]) -> str:
    """Format source ids as ``[a] [b]``, escaped for rich markup (table cells read markup)."""
    return escape(" ".join(f"[{r}]" for r in refs))


def show_scenario(s: Scenario, console: Console) -> None:
    """Print a scenario as tables."""
    as_of = f", as of {s.as_of}" if s.as_of else ""
    console.print(f"[bold]{s.title}[/bold]  ({s.id}{as_of})", markup=True, highlight=False)
    if s.description:
        console.print(s.description, markup=False, highlight=False)

    if s.parties:
        _show_agreement_space(s, console)
    if s.strategic is not None:
        _show_strategic(s, console)
    if s.dynamics is not None:
        _show_dynamics(s, console)
    if s.sources:
        sources = Table(title="Sources", title_justify="left")
        for col in ("id", "publisher", "title", "date"):
            sources.add_column(col)
        for sid, src in s.sources.items():
            sources.add_row(sid, src.publisher, src.title, str(src.date or ""))
        console.print(sources)
    console.print(
        "Every preference (weights, values, walk-away points, rankings, prioritizations) and "
        "every drift and shift of walk-away points is an analyst assumption; see each `basis` "
        "in the scenario file.",
        style="italic",
    )


def _show_strategic(s: Scenario, console: Console) -> None:
    model = s.strategic
    assert model is not None
    options = Table(title="Strategic model: decision makers and options", title_justify="left")
    for col in ("#", "option", "decision maker", "label", "irreversible"):
        options.add_column(col)
    n = 0
    for dm_id, dm in model.decision_makers.items():
        for opt_id, label in dm.options.items():
            n += 1
            options.add_row(
                str(n), opt_id, dm_id, str(label), str(model.irreversible.get(opt_id, ""))
            )
    console.print(options)
    if model.infeasible:
        console.print("Infeasible: " + "; ".join(model.infeasible), markup=False)
    if model.status_quo:
        console.print(f"Status quo: {model.status_quo}", markup=False)
    for dm_id, pref in model.preferences.items():
        console.print(f"{dm_id} preferences: {pref.model_dump(exclude_none=True)}", markup=False)


def _show_agreement_space(s: Scenario, console: Console) -> None:
    parties = Table(title="Parties", title_justify="left")
    for col in ("id", "name", "role", "consent needed on"):
        parties.add_column(col)
    for pid, party in s.parties.items():
        issues = [i for i in s.issues if pid in s.issue_consent(i)]
        options = [
            f"{i}={o}"
            for i, issue in s.issues.items()
            for o, opt in (issue.options or {}).items()
            if pid in opt.consent and i not in issues
        ]
        scope = ", ".join(issues) + (" (always)" if issues else "")
        if options:
            scope += ("; " if scope else "") + "if chosen: " + ", ".join(options)
        parties.add_row(pid, party.name, party.role, scope or "-")
    console.print(parties)

    issues_table = Table(title="Issues and options", title_justify="left")
    for col in ("issue", "option", "label", "extra consent", "source"):
        issues_table.add_column(col)
    for iid, issue in s.issues.items():
        if issue.range is not None:
            r = issue.range
            label = f"{r.min:g} to {r.max:g} in steps of {r.step:g} {r.unit or ''}".strip()
            issues_table.add_row(f"{iid}\n{issue.name}", "(numeric)", label, "", cite(issue.source))
            continue
        for n, (oid, opt) in enumerate((issue.options or {}).items()):
            head = f"{iid}\n{issue.name}" if n == 0 else ""
            silent = " (if silent)" if oid == issue.if_silent else ""
            issues_table.add_row(
                head, oid + silent, opt.label, ", ".join(opt.consent), cite(opt.source)
            )
        issues_table.add_section()
    console.print(issues_table)

    proposals = Table(title="Proposals", title_justify="left")
    for col in ("proposal", "by", "date", *s.issues):
        proposals.add_column(col, overflow="fold")
    for pid, prop in s.proposals.items():
        terms = [
            (prop.terms[i].option if i in prop.terms else f"({s.issues[i].if_silent})")
            for i in s.issues
        ]
        proposals.add_row(
            f"{pid}\n{prop.title}\n{cite(prop.source)}", ", ".join(prop.by), str(prop.date), *terms
        )
    console.print(proposals)
    console.print(
        "(option) in brackets: left undecided; evaluated at the issue's if-silent option."
    )

    events = Table(title="Events", title_justify="left")
    for col in ("date", "kind", "text", "source"):
        events.add_column(col)
    for ev in s.events:
        text = ev.text
        if ev.claimed_by:
            status = (
                "unverified"
                if ev.verified is False
                else "verified"
                if ev.verified
                else "unconfirmed"
            )
            text += f" (claimed by {ev.claimed_by}; {status})"
        events.add_row(str(ev.date), ev.kind, text, cite(ev.source))
    console.print(events)


def _number(x: float | Uncertain, *, signed: bool = True) -> str:
    """Format a possibly uncertain number as ``point (low to high)``."""
    from zopa.model.numbers import Uncertain

    def one(v: float) -> str:
        if v == 0:
            return "0"
        return f"{v:+.4g}" if signed else f"{v:.4g}"

    if isinstance(x, Uncertain):
        return f"{one(x.point)} ({one(x.low)} to {one(x.high)})"
    return one(x)


def _show_dynamics(s: Scenario, console: Console) -> None:
    from zopa.model.numbers import point

    d = s.dynamics
    assert d is not None
    n = d.round_count(s.as_of)
    if d.is_dated(s.as_of):
        start, last = d.round_date(0, s.as_of), d.round_date(n - 1, s.as_of)
        when = f"{n} rounds of {d.round_days} days, {start} to {last}"
        if d.deadline is not None:
            when += f" (deadline {d.deadline})"
    else:
        when = f"{n} undated rounds"
    console.print(
        f"[bold]Dynamics[/bold] (analyst assumptions): {when}", markup=True, highlight=False
    )
    if d.note:
        console.print(d.note, markup=False, highlight=False)
    if d.drift:
        drift = Table(title="Drift of walk-away points per round", title_justify="left")
        for col in ("party", "cost of war", "territory", "net (point)"):
            drift.add_column(col)
        for pid, entry in d.drift.items():
            net = point(entry.territory) - point(entry.cost_of_war)
            drift.add_row(
                pid,
                _number(entry.cost_of_war, signed=False),
                _number(entry.territory),
                _number(net),
            )
        console.print(drift)
    if d.shifts:
        shifts = Table(title="Shifts of walk-away points", title_justify="left")
        for col in ("from", "event", "change", "status"):
            shifts.add_column(col)
        for shift in d.shifts:
            first = d.first_round(shift, s.as_of)
            since = f"round {shift.round}" if shift.round is not None else str(shift.date)
            if shift.date is not None:
                since += f" (round {first})" if first is not None else " (before the start)"
            change = "\n".join(f"{p} {_number(v)}" for p, v in shift.parties.items())
            status = "hypothetical" if shift.hypothetical else f"reported {cite(shift.source)}"
            shifts.add_row(since, escape(shift.event), change, status)
        console.print(shifts)
