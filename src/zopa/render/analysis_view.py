"""The ``zopa analyze`` and ``zopa evaluate`` reports, built from result objects (no computing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.render.document import Document, Table
from zopa.render.scenario_view import STANCES, cite
from zopa.render.words import gain_or_loss, plural
from zopa.space.results import Analysis, Bridging, PackageVerdict

if TYPE_CHECKING:
    from zopa.evidence.consistency import ReactionCheck

SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def _verdict_cell(verdict: PackageVerdict, party: str) -> str:
    v = next(p for p in verdict.parties if p.party == party)
    if not v.needed:
        return f"({v.utility:.3f})"
    if v.accepted:
        return f"{v.utility:.3f} ✓"
    return f"{v.utility:.3f} ✗\nby {v.shortfall:.3f}"


def _gap_table(verdict: PackageVerdict, party: str, name: str) -> Table:
    v = next(p for p in verdict.parties if p.party == party)
    table = Table(
        ["issue", "proposed", f"{party}'s best option", "cost to " + party],
        title=f"Why {name} ({party}) says no: utility {v.utility:.3f} < walk-away "
        f"{v.reservation:.3f}, short by {v.shortfall:.3f}",
    )
    for gap in verdict.gaps[party]:
        table.rows.append([gap.issue, gap.option, gap.best_option, f"{gap.cost:.3f}"])
    return table


def _bridging_block(doc: Document, bridging: Bridging, parties: list[str]) -> None:
    if bridging.already_bridges:
        doc.para(f"{bridging.proposal} already bridges the gap: no concession is needed.")
        return
    if not bridging.found:
        doc.para(
            f"No package at all is acceptable to every needed party, so no concession on "
            f"{bridging.proposal} can bridge the gap. The packages that come closest:"
        )
    table = Table(["#", "changes", "short by", "for the proposer", "utility change per party"])
    for n, c in enumerate(bridging.packages, 1):
        changes = "\n".join(f"{ch.issue}: {ch.before} → {ch.after}" for ch in c.changes) or "(none)"
        deltas = "\n".join(f"{p} {c.deltas[p]:+.3f}" for p in parties)
        table.rows.append(
            [
                str(n),
                changes,
                "-" if c.acceptable else f"{c.shortfall:.3f}",
                gain_or_loss(-c.proposer_loss),
                deltas,
            ]
        )
    doc.table(table)


def analysis_document(a: Analysis) -> Document:
    """Build the analysis report."""
    doc = Document()
    parties = list(a.parties)
    as_of = a.scenario.get("as_of")
    doc.heading(f"{a.scenario['title']}" + (f" (as of {as_of})" if as_of else ""), 1)

    # 1. proposals x parties
    doc.heading("1. Who accepts which proposal")
    if not a.proposals:
        doc.para(
            "The scenario has no proposals (a negotiation domain, say one imported from "
            "GENIUS): this report covers its agreement space, sections 3 and 5."
        )
    if a.proposals:
        legend = Table(["#", "proposal", "date", "by", "title"])
        for n, p in enumerate(a.proposals, 1):
            legend.rows.append([f"P{n}", p.id, p.date, ", ".join(p.by), p.title])
        doc.table(legend)
        walkaway = a.proposals[0].verdict.parties
        table = Table(["", "bridges", *parties])
        table.rows.append(["walk-away", "", *(f"{v.reservation:.3f}" for v in walkaway)])
        for n, p in enumerate(a.proposals, 1):
            table.rows.append(
                [
                    f"P{n}",
                    "YES" if p.verdict.bridges else "no",
                    *(_verdict_cell(p.verdict, party) for party in parties),
                ]
            )
        doc.table(table)
        doc.para(
            "Each cell: the party's utility of the proposal (0 to 1) and whether it reaches the "
            "party's walk-away point (✓) or falls short of it (✗ by x: short by x, a positive "
            "amount of utility); a utility in brackets marks a party whose consent that proposal "
            "does not need."
        )
    for p in a.proposals:
        if p.undecided:
            doc.para(
                f"{p.id} leaves {', '.join(p.undecided)} undecided; those issues are evaluated "
                "at their if-silent option."
            )

    # 2. does any bridge; focus proposal: who rejects and why
    doc.heading("2. Does any proposal bridge the gap?")
    bridging_ids = [p.id for p in a.proposals if p.verdict.bridges]
    doc.para(
        "Yes: " + ", ".join(bridging_ids) + "."
        if bridging_ids
        else "No proposal on the table is acceptable to every party whose consent it needs."
        if a.proposals
        else "No proposal is on the table."
    )
    focus = next((p for p in a.proposals if p.id == a.focus), None)
    if focus is not None:
        if focus.verdict.bridges:
            doc.para(f"{focus.title} ({focus.id}) bridges the gap.")
        else:
            doc.para(
                f"{focus.title} ({focus.id}) is rejected by "
                + ", ".join(f"{a.parties[r]} ({r})" for r in focus.verdict.rejecting)
                + ". Gap by issue — what each issue of the proposal costs the rejecting party "
                "against its best option on that issue:"
            )
            for party in focus.verdict.rejecting:
                doc.table(_gap_table(focus.verdict, party, a.parties[party]))

    # 3. zone, Pareto, solutions
    doc.heading("3. The zone of possible agreement")
    z = a.zone
    if z.exists:
        counted = (
            f"{z.size:,} of {plural(z.total, 'package')} ({z.size / z.total:.1%}) are"
            if z.size is not None
            else (
                f"between {z.bounds[0]:,} and {z.bounds[1]:,} of {z.total:,} packages "
                f"({z.count_note}) are"
                if z.count == "bound" and z.bounds is not None
                else f"of {z.total:.3g} packages (not counted: {z.count_note}) some are"
            )
        )
        doc.para(
            f"A zone of agreement exists: {counted} acceptable to every party whose consent they "
            f"need. Every walk-away point could rise by {z.margin:.3f} and a zone would still be "
            "open."
        )
    else:
        doc.para(
            f"No zone of agreement: none of the {plural(z.total, 'package')} is acceptable to every party "
            f"whose consent it needs. Every walk-away point would have to drop by "
            f"{z.lowering_needed:.3f} (in utility) for one to open."
        )
    doc.para(
        f"Pareto-efficient packages: {len(a.pareto):,} among all packages, "
        f"{len(a.pareto_acceptable):,} among the acceptable ones. Bargaining solutions are taken "
        f"over the acceptable packages with the walk-away points as disagreement point, among "
        f"the parties whose consent every package needs: {', '.join(a.bargainers)}."
    )
    if any(a.solutions.values()):
        names = [n for n in SOLUTION_NAMES if a.solutions.get(n)]
        sol = Table(["", *(SOLUTION_NAMES[n] for n in names)], title="Bargaining solutions")
        firsts = {n: a.solutions[n][0] for n in names}
        for issue in next(iter(firsts.values())).package:
            sol.rows.append([issue, *(firsts[n].package[issue] for n in names)])
        for party in parties:
            sol.rows.append(
                [
                    f"{party} utility (gain)",
                    *(
                        f"{firsts[n].utilities[party]:.3f} ({firsts[n].gains[party]:+.3f})"
                        for n in names
                    ),
                ]
            )
        ties = [
            f"{SOLUTION_NAMES[n]}: {len(a.solutions[n])}" for n in names if len(a.solutions[n]) > 1
        ]
        doc.table(sol)
        if ties:
            doc.para("Tied packages (all listed in --format json): " + "; ".join(ties) + ".")
    else:
        doc.para("With no acceptable package there is no bargaining solution.")

    # 4. bridging packages for the focus proposal
    if focus is not None and focus.id in a.bridging:
        doc.heading(f"4. Smallest concessions that would bridge the gap from {focus.id}")
        doc.para(
            "Acceptable packages closest to the proposal: fewest issues changed first, then least "
            "utility lost by the proposer. 'short by': how far the package still falls short "
            "of the walk-away point of the party it fails most ('-' when acceptable); 'for "
            "the proposer': the utility the proposer loses (or gains) against its proposal; "
            "the last column: each party's change in utility."
        )
        _bridging_block(doc, a.bridging[focus.id], parties)

    # 5. assumptions
    doc.heading("5. What these numbers rest on")
    for note in a.assumptions:
        doc.para("- " + note)

    # 6. the parties' reactions against the point values
    if a.reactions:
        record_against_assumptions(doc, a.reactions, "6. The record against the assumptions")
    return doc


def day(iso: str) -> str:
    """``2025-11-24`` -> ``24 Nov 2025``."""
    import datetime as dt

    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def contradiction(r: ReactionCheck) -> str:
    """One sentence: what the assumptions say of a reaction they contradict, and what was said."""
    when = f"on {day(r.date)} {cite(r.source)}"
    if r.stance in ("rejects", "accepts"):
        says, relation, did = (
            ("accepts", "≥", "rejected") if r.stance == "rejects" else ("rejects", "<", "accepted")
        )
        text = (
            f"The assumptions say {r.party} {says} {r.proposal} (utility {r.utility:.2f} "
            f"{relation} walk-away {r.reservation:.2f}), but {r.party} {did} it {when}"
        )
    else:
        side, call = (
            ("below", "call it a basis for talks")
            if r.stance == "basis-for-talks"
            else ("above", "find it unacceptable as it stands")
        )
        text = (
            f"The assumptions put {r.party}'s utility of {r.proposal} at {r.utility:.2f}, "
            f"{abs(r.slack):.2f} {side} its walk-away point of {r.reservation:.2f}: too far "
            f"{side} for {r.party} to {call}, but {r.party} did so {when} (likelihood "
            f"{r.likelihood:.2f})"
        )
    return text + (f': "{r.quote}".' if r.quote else ".")


def record_against_assumptions(doc: Document, reactions: list[ReactionCheck], title: str) -> None:
    """Add the section that sets the parties' reactions against the point values."""
    doc.heading(title)
    wrong = [r for r in reactions if not r.consistent]
    agree = len(reactions) - len(wrong)
    if not wrong:
        doc.para(
            f"The point values of the assumptions agree with all {plural(len(reactions), 'reaction')} "
            "of the parties on record."
        )
    else:
        doc.para(
            f"Of the {plural(len(reactions), 'reaction')} of the parties on record, "
            f"{agree:,} agree with the point values of the assumptions and {len(wrong):,} "
            f"{'contradicts' if len(wrong) == 1 else 'contradict'} them:"
        )
        for r in wrong:
            doc.para("- " + contradiction(r))
    table = Table(["date", "by", "proposal", "said", "slack", "P(said)"])
    for r in reactions:
        table.rows.append(
            [
                r.date,
                r.party,
                r.proposal,
                STANCES[r.stance],
                f"{r.slack:+.3f}",
                f"{r.likelihood:.2f}" + ("" if r.consistent else " ✗"),
            ]
        )
    doc.table(table)
    doc.para(
        "Slack: the party's utility of the proposal minus its walk-away point, at the point "
        "values. P(said): how likely the stance is given the slack (README: Reactions as "
        "evidence), ✗ when below one half: 'accepts' needs a slack ≥ 0 and 'rejects' one < 0; 'a basis for talks' is "
        "even odds at -0.1 and 'unacceptable as it stands' at +0.1, each a logistic of scale "
        "0.05. A contradiction says the point values cannot explain what the party said: its "
        "weights, values or walk-away point may be off, or the statement was posturing."
    )


def evaluation_document(
    title: str,
    verdict: PackageVerdict,
    bridging: Bridging,
    parties: dict[str, str],
    notes: list[str],
) -> Document:
    """Build the report of ``zopa evaluate`` for one ad-hoc package."""
    doc = Document()
    doc.heading(title, 1)
    table = Table(["issue", "option"])
    table.rows.extend([issue, option] for issue, option in verdict.package.items())
    doc.table(table)
    parts = Table(["party", "utility", "walk-away", "needed", "accepts", "short by"])
    for v in verdict.parties:
        parts.rows.append(
            [
                v.party,
                f"{v.utility:.3f}",
                f"{v.reservation:.3f}",
                "yes" if v.needed else "no",
                "yes" if v.accepted else "NO",
                f"{v.shortfall:.3f}" if v.shortfall else "",
            ]
        )
    doc.table(parts)
    doc.para(
        "The package bridges the gap."
        if verdict.bridges
        else "The package does not bridge the gap: rejected by "
        + ", ".join(verdict.rejecting)
        + "."
    )
    for party in verdict.rejecting:
        doc.table(_gap_table(verdict, party, parties[party]))
    if not verdict.bridges:
        doc.heading("Smallest concessions that would bridge the gap")
        _bridging_block(doc, bridging, list(parties))
    for note in notes:
        doc.para("- " + note)
    return doc
