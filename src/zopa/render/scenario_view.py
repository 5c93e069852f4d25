"""The ``zopa show`` report: a scenario's facts and every assumption a reviewer must check.

Parties, issues and options, each party's weights, values and walk-away point (with their ranges
and bases), the proposals (issues as rows), the events, the parties' reactions to the proposals,
the outcome (how the talks ended, with interim outcomes), the strategic model with each decision
maker's preferences as a ranking or a prioritization, the
``forecast:`` and ``dynamics:`` sections, and the sources. Built as a
:class:`~zopa.render.document.Document`, so the terminal layout rules (no identifier or number
ever split, prose at a readable width) apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.render.document import Document, Table, to_console
from zopa.render.words import plural

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from zopa.model.numbers import Uncertain
    from zopa.model.scenario import Piecewise, Scenario
    from zopa.model.strategic import StrategicModel, _Order

RANGES = (
    "Numbers with a range: 'm (a to b)' is most likely m, anywhere from a to b (triangular); "
    "'a to b' is anywhere from a to b (uniform; analyses use the midpoint). Deterministic "
    "analyses use the most likely value, `zopa robust` samples the range."
)


def cite(refs: list[str]) -> str:
    """Format source ids as ``[a] [b]``."""
    return " ".join(f"[{r}]" for r in refs)


def number(x: float | Uncertain, *, signed: bool = False) -> str:
    """Format a possibly uncertain number: ``0.4``, ``0.4 (0.3 to 0.5)`` or ``0.3 to 0.5``."""
    from zopa.model.numbers import Uncertain

    def one(v: float) -> str:
        if v == 0:
            return "0"
        return f"{v:+g}" if signed else f"{v:g}"

    if isinstance(x, Uncertain):
        if x.mode is None:
            return f"{one(x.low)} to {one(x.high)}"
        return f"{one(x.mode)} ({one(x.low)} to {one(x.high)})"
    return one(x)


def scenario_document(s: Scenario) -> Document:
    """Build the ``zopa show`` report of a scenario."""
    doc = Document()
    as_of = f", as of {s.as_of}" if s.as_of else ""
    doc.heading(f"{s.title} ({s.id}{as_of})", 1)
    if s.description:
        doc.para(" ".join(s.description.split()))
    if s.parties:
        _agreement_space(s, doc)
    if s.preferences:
        _preferences(s, doc)
    if s.proposals:
        _proposals(s, doc)
    if s.events:
        _events(s, doc)
    if s.reactions:
        _reactions(s, doc)
    if s.outcome is not None:
        _outcome(s, doc)
    if s.strategic is not None:
        _strategic(s.strategic, doc)
    if s.forecast is not None:
        _forecast(s, doc)
    if s.dynamics is not None:
        _dynamics(s, doc)
    if s.sources:
        doc.heading("Sources")
        sources = Table(["id", "publisher", "title", "date"])
        for sid, src in s.sources.items():
            sources.rows.append([sid, src.publisher, src.title, str(src.date or "")])
        doc.table(sources)
    doc.para(
        "Every preference (weights, values, walk-away points, rankings, prioritizations), every "
        "forecast input and every drift and shift of walk-away points is an analyst assumption; "
        "its basis is shown above and in the scenario file."
    )
    return doc


def assumption_parts(s: Scenario) -> list[tuple[str, Document]]:
    """The scenario's analyst assumptions as ``zopa show`` lists them, one document per part.

    Returns
    -------
    list of (str, Document)
        ``preferences``, ``strategic``, ``forecast``, ``dynamics`` (those the scenario has),
        each headed by the part's level-2 heading; every number with its range, every basis.
    """
    parts: list[tuple[str, Document]] = []

    def part(key: str, write: Callable[[Document], None]) -> None:
        doc = Document()
        write(doc)
        parts.append((key, doc))

    if s.preferences:
        part("preferences", lambda d: _preferences(s, d))
    if s.strategic is not None:
        model = s.strategic
        part("strategic", lambda d: _strategic(model, d))
    if s.forecast is not None:
        part("forecast", lambda d: _forecast(s, d))
    if s.dynamics is not None:
        part("dynamics", lambda d: _dynamics(s, d))
    return parts


def record_parts(s: Scenario) -> list[tuple[str, Document]]:
    """The scenario's reported facts as ``zopa show`` lists them: proposals, events, reactions, outcome.

    Returns
    -------
    list of (str, Document)
        ``proposals``, ``events``, ``reactions`` and ``outcome`` (those the scenario has), each
        citing its sources.
    """
    parts: list[tuple[str, Document]] = []
    if s.proposals:
        doc = Document()
        _proposals(s, doc)
        parts.append(("proposals", doc))
    if s.events:
        doc = Document()
        _events(s, doc)
        parts.append(("events", doc))
    if s.reactions:
        doc = Document()
        _reactions(s, doc)
        parts.append(("reactions", doc))
    if s.outcome is not None:
        doc = Document()
        _outcome(s, doc)
        parts.append(("outcome", doc))
    return parts


def show_scenario(s: Scenario, console: Console) -> None:
    """Print a scenario (:func:`scenario_document`) to the terminal."""
    to_console(scenario_document(s), console)


# -- the agreement space -----------------------------------------------------------------------


def _agreement_space(s: Scenario, doc: Document) -> None:
    doc.heading("Parties")
    parties = Table(["id", "name", "role", "consent needed on"])
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
        parties.rows.append([pid, party.name, party.role, scope or "-"])
    doc.table(parties)

    if not s.issues:
        return
    doc.heading("Issues and options")
    table = Table(["issue", "option", "label", "extra consent", "source"])
    for iid, issue in s.issues.items():
        if issue.range is not None:
            r = issue.range
            label = f"{r.min:g} to {r.max:g} in steps of {r.step:g} {r.unit or ''}".strip()
            silent = f" (if silent: {issue.if_silent})" if issue.if_silent is not None else ""
            table.rows.append(
                [f"{iid}\n{issue.name}", "(numeric)", label + silent, "", cite(issue.source)]
            )
            continue
        for n, (oid, opt) in enumerate((issue.options or {}).items()):
            head = f"{iid}\n{issue.name}" if n == 0 else ""
            silent = " (if silent)" if oid == issue.if_silent else ""
            table.rows.append(
                [head, oid + silent, opt.label, ", ".join(opt.consent), cite(opt.source)]
            )
    doc.table(table)


def _piecewise(spec: Piecewise) -> str:
    return ", ".join(f"{x:g} → {number(v)}" for x, v in spec.piecewise)


def _preferences(s: Scenario, doc: Document) -> None:
    from zopa.model.scenario import Piecewise

    parties = list(s.preferences)
    doc.heading("Preferences (analyst assumptions)")
    doc.para(
        "Each party's utility of a package is the weighted sum of its values of the options, "
        "the weights renormalised to sum to 1; a package is acceptable to a party when its "
        "utility reaches the party's walk-away point. " + RANGES
    )
    weights = Table(["issue", *parties], title="Weights")
    for iid in s.issues:
        weights.rows.append([iid, *(_weight(s.preferences[p].weights.get(iid)) for p in parties)])
    weights.rows.append(
        ["walk-away point", *(number(s.preferences[p].reservation) for p in parties)]
    )
    doc.table(weights)
    values = Table(["issue", "option", *parties], title="Values of the options (0 to 1)")
    for iid, issue in s.issues.items():
        specs = {p: s.preferences[p].values.get(iid) for p in parties}
        if issue.range is not None:
            values.rows.append(
                [
                    iid,
                    "(numeric: value at each point, linear between)",
                    *(_piecewise(v) if isinstance(v, Piecewise) else "-" for v in specs.values()),
                ]
            )
            continue
        for n, oid in enumerate(issue.option_ids()):
            cells = [
                number(v[oid]) if isinstance(v, dict) and oid in v else "-" for v in specs.values()
            ]
            values.rows.append([iid if n == 0 else "", oid, *cells])
    doc.table(values)
    doc.heading("What the preferences rest on", 3)
    for p in parties:
        basis = s.preferences[p].basis
        if isinstance(basis, str):
            doc.para(f"- {p}: {basis}")
            continue
        for part, text in basis.items():
            what = {"general": "in general", "reservation": "walk-away point"}.get(part, part)
            doc.para(f"- {p}, {what}: {text}")


def _weight(w: float | Uncertain | None) -> str:
    return "-" if w is None else number(w)


# -- proposals and events ----------------------------------------------------------------------


def _proposals(s: Scenario, doc: Document) -> None:
    doc.heading("Proposals")
    legend = Table(["proposal", "by", "date", "title", "source"])
    for pid, prop in s.proposals.items():
        legend.rows.append([pid, ", ".join(prop.by), str(prop.date), prop.title, cite(prop.source)])
    doc.table(legend)
    terms = Table(["issue", *s.proposals], title="Terms of each proposal")
    for iid, issue in s.issues.items():
        row = [iid]
        for prop in s.proposals.values():
            term = prop.terms.get(iid)
            row.append(term.option if term is not None else f"({issue.if_silent})")
        terms.rows.append(row)
    doc.table(terms)
    doc.para("(option) in brackets: left undecided; evaluated at the issue's if-silent option.")


def _events(s: Scenario, doc: Document) -> None:
    doc.heading("Events")
    events = Table(["date", "kind", "text", "source"])
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
        events.rows.append([str(ev.date), ev.kind, text, cite(ev.source)])
    doc.table(events)


STANCES = {
    "accepts": "accepts",
    "basis-for-talks": "a basis for talks",
    "unacceptable-as-is": "unacceptable as it stands",
    "rejects": "rejects",
}
"""How each stance of a reaction reads in a report."""


def _reactions(s: Scenario, doc: Document) -> None:
    doc.heading("Reactions")
    doc.para(
        "What the parties said in public of the proposals: evidence about their preferences "
        "(`zopa analyze` reports those the assumptions contradict). The stance is the analyst's "
        "reading of the reported words."
    )
    table = Table(["date", "party", "proposal", "stance", "quote", "source"])
    notes = []
    for r in s.reactions:
        quote = f'"{r.quote}"' if r.quote else ""
        table.rows.append(
            [str(r.date), r.party, r.proposal, STANCES[r.stance], quote, cite(r.source)]
        )
        if r.note:
            notes.append(f"- {r.date}, {r.party} on {r.proposal}: {r.note}")
    doc.table(table)
    for line in notes:
        doc.para(line)


OUTCOME_STATUS = {
    "agreed": "agreed",
    "broke-down": "broke down",
    "rejected": "rejected",
    "pending": "not ended",
}
"""How each status of an outcome reads in a report."""


def _outcome(s: Scenario, doc: Document) -> None:
    outcome = s.outcome
    assert outcome is not None
    doc.heading("Outcome")
    if outcome.status == "pending":
        doc.para(
            f"The talks had not ended as of {s.as_of}; the interim outcomes known by then are "
            "listed below."
        )
    else:
        doc.para(
            f"{OUTCOME_STATUS[outcome.status].capitalize()} on {outcome.date}: {outcome.text} "
            f"{cite(outcome.source)}"
        )
    if outcome.package is not None:
        package = Table(["issue", "agreed option", "source"], title="The agreed package")
        for iid, term in outcome.package.items():
            issue = s.issues[iid]
            package.rows.append(
                [iid, f"{term.option}: {issue.option_label(term.option)}", cite(term.source)]
            )
        doc.table(package)
    if outcome.note:
        doc.para(outcome.note)
    if not outcome.interim:
        return
    steps = Table(["date", "status", "what happened", "source"], title="Interim outcomes")
    for step in outcome.interim:
        steps.rows.append(
            [str(step.date), OUTCOME_STATUS[step.status], step.text, cite(step.source)]
        )
    doc.table(steps)
    with_package = [step for step in outcome.interim if step.package is not None]
    if with_package:
        final = [outcome.package] if outcome.package is not None else []
        heads = [f"{step.date} {OUTCOME_STATUS[step.status]}" for step in with_package]
        terms = Table(
            ["issue", *heads, *(["final"] if final else [])],
            title="Packages of the interim outcomes",
        )
        for iid in s.issues:
            row = [iid]
            for terms_of in [step.package for step in with_package] + final:
                given = (terms_of or {}).get(iid)
                row.append(given.option if given is not None else "-")
            terms.rows.append(row)
        doc.table(terms)
    for step in outcome.interim:
        if step.note:
            doc.para(f"- {step.date}: {step.note}")


# -- the strategic model -----------------------------------------------------------------------


def _order(order: _Order) -> str:
    """A ranking (most preferred first, ``=`` between ties) or a prioritization, numbered."""
    if order.ranking is not None:
        lines = [" = ".join(entry) if isinstance(entry, list) else entry for entry in order.ranking]
        kind = "ranking"
    else:
        lines = list(order.prioritization or [])
        kind = "prioritization"
    return kind + ":\n" + "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))


def _strategic(model: StrategicModel, doc: Document) -> None:
    doc.heading("Strategic model (graph model)")
    options = Table(["#", "option", "decision maker", "label", "irreversible"])
    n = 0
    for dm_id, dm in model.decision_makers.items():
        party = f", party {dm.party}" if dm.party and dm.party != dm_id else ""
        who = dm_id + (f" ({dm.name})" if dm.name else "") + party
        for opt_id, label in dm.options.items():
            n += 1
            options.rows.append(
                [str(n), opt_id, who, str(label), model.irreversible.get(opt_id, "")]
            )
    doc.table(options)
    doc.para(
        "A state is a vector of Y (option taken) and N, one letter per option in this order; "
        "'-' in a pattern matches either."
    )
    if model.infeasible:
        doc.para("Infeasible: " + "; ".join(model.infeasible) + ".")
    if model.status_quo:
        doc.para(f"Status quo: {model.status_quo}.")
    if model.states:
        doc.para("Named states: " + "; ".join(f"{k} = {v}" for k, v in model.states.items()) + ".")
    prefs = Table(
        ["decision maker", "preferences", "probability", "order"],
        title="Preferences of each decision maker (analyst assumptions)",
    )
    legend = (
        "A ranking lists the states, most preferred first ('=' between tied states); a "
        "prioritization lists statements about options, most important first (a state scores "
        "2^(q-j) for each statement j it satisfies, out of q). The probability of each "
        "decision maker's preferences is its weight over the total of that decision maker's "
        "weights (`zopa robust --engine stability` uses them)."
    )
    bases: list[str] = []
    for dm_id, pref in model.preferences.items():
        orders: list[tuple[str, float, _Order, str | None]] = [
            ("main", pref.weight, pref, pref.basis)
        ]
        orders += [
            (alt.id or f"alt{k}", alt.weight, alt, alt.basis)
            for k, alt in enumerate(pref.alternatives, 1)
        ]
        total = sum(w for _, w, _, _ in orders)
        for name, weight, order, basis in orders:
            prefs.rows.append([dm_id, name, f"{weight / total:.0%}", _order(order)])
            if basis:
                bases.append(f"- {dm_id}, {name}: {basis}")
    doc.table(prefs)
    doc.para(legend)
    for line in bases:
        doc.para(line)


# -- the forecast and dynamics sections --------------------------------------------------------


def _forecast(s: Scenario, doc: Document) -> None:
    section = s.forecast
    assert section is not None
    doc.heading("Forecast inputs (analyst assumptions)")
    doc.para(
        "Per issue, each actor's capability (any scale: only ratios matter), position on the "
        "issue's scale and salience (0 to 1), for `zopa forecast`. " + RANGES
    )
    for iid, spec in section.items():
        name = spec.name or (s.issues[iid].name if iid in s.issues else iid)
        unit = f" ({spec.scale.unit})" if spec.scale.unit else ""
        doc.heading(f"{iid}: {name}", 3)
        line = f"Scale {spec.scale.min:g} to {spec.scale.max:g}{unit}."
        if spec.anchors:
            marks = "; ".join(
                f"{anchor.at:g} = {key}"
                + (f" ({anchor.label})" if anchor.label else "")
                + (f" {cite(anchor.source)}" if anchor.source else "")
                for key, anchor in spec.anchors.items()
            )
            line += f" Anchors: {marks}."
        doc.para(line)
        if spec.note:
            doc.para(spec.note)
        actors = Table(["actor", "capability", "position", "salience"])
        for aid, actor in spec.actors.items():
            actors.rows.append(
                [aid, number(actor.capability), number(actor.position), number(actor.salience)]
            )
        doc.table(actors)
        for aid, actor in spec.actors.items():
            doc.para(f"- {aid}: {actor.basis}")


def _dynamics(s: Scenario, doc: Document) -> None:
    from zopa.model.numbers import point

    d = s.dynamics
    assert d is not None
    n = d.round_count(s.as_of)
    if d.is_dated(s.as_of):
        start, last = d.round_date(0, s.as_of), d.round_date(n - 1, s.as_of)
        days = plural(d.round_days or 0, "day")
        when = f"{plural(n, 'round')} of {days}, numbered 0 (on {start}) to {n - 1} (on {last})"
        if d.deadline is not None:
            when += f"; deadline {d.deadline}"
    else:
        when = f"{plural(n, 'round')}, undated, numbered 0 to {n - 1}"
    doc.heading("Dynamics (analyst assumptions)")
    doc.para(f"Talks over time: {when}.")
    if d.basis:
        doc.para(f"Calendar basis: {d.basis}")
    if d.note:
        doc.para(d.note)
    if d.drift:
        drift = Table(
            ["party", "cost of war", "territory", "net (point)"],
            title="Drift of walk-away points per round",
        )
        for pid, entry in d.drift.items():
            net = point(entry.territory) - point(entry.cost_of_war)
            drift.rows.append(
                [
                    pid,
                    number(entry.cost_of_war),
                    number(entry.territory, signed=True),
                    number(net, signed=True),
                ]
            )
        doc.table(drift)
        for pid, entry in d.drift.items():
            doc.para(f"- {pid}: {entry.basis}")
        doc.para(
            "Per round, a walk-away point loses its cost of war and gains (or loses) its "
            "territory term; net: the change per round at the most likely values."
        )
    if d.shifts:
        shifts = Table(["from", "event", "change", "status"], title="Shifts of walk-away points")
        for shift in d.shifts:
            first = d.first_round(shift, s.as_of)
            since = f"round {shift.round}" if shift.round is not None else str(shift.date)
            if shift.date is not None:
                since += f" (round {first})" if first is not None else " (before the start)"
            change = "\n".join(f"{p} {number(v, signed=True)}" for p, v in shift.parties.items())
            status = "hypothetical" if shift.hypothetical else f"reported {cite(shift.source)}"
            shifts.rows.append([since, shift.event, change, status])
        doc.table(shifts)
        for n, shift in enumerate(d.shifts, 1):
            doc.para(f"- Shift {n} ({shift.event}): {shift.basis}")


def scenario_list_document(rows: list[dict[str, Any]]) -> Document:
    """The ``zopa scenarios`` table from its JSON rows (``id``, ``as_of``, ``title``, ``default``).

    A document like every other report, so that at any width an id stays whole (it is what users
    pass to every command).
    """
    doc = Document()
    table = Table(["id", "as of", "title"])
    for row in rows:
        sid = row["id"] + (" (default)" if row.get("default") else "")
        table.rows.append([sid, row.get("as_of") or "", row["title"]])
    doc.table(table)
    return doc
