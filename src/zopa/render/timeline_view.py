"""The ``zopa timeline`` report, built from the engine's result (nothing is computed here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.render.document import Document, Table
from zopa.render.words import plural

if TYPE_CHECKING:
    from zopa.space.timeline import PairGap, TimelineDate, TimelineResult

DASH = "–"
"""A cell with nothing to show (a side without a proposal yet)."""


def sentence(text: str) -> str:
    """A verdict as a sentence: capitalised, ending with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _number(x: float | None, spread: dict[str, float] | None = None) -> str:
    """``0.190``, or with sampled inputs ``0.190`` over ``0.10–0.25`` (the 90% interval)."""
    if x is None:
        return DASH
    text = f"{x:.3f}"
    if spread is not None:
        text += f"\n{spread['q05']:.2f}–{spread['q95']:.2f}"
    return text


def _signed(x: float | None) -> str:
    """``+0.178`` (a dash for None)."""
    return DASH if x is None else f"{x:+.3f}"


def _pair_table(result: TimelineResult, k: int) -> Table:
    """The distance between the ``k``-th pair of sides, one row per date."""
    a, b = result.pairs[k]
    sampled = result.distribution != "point"
    table = Table(
        [
            "date",
            f"{a}'s offer: short for {b}",
            f"{b}'s offer: short for {a}",
            "gap",
            f"{a} keeps",
            f"{b} keeps",
            "margin",
        ],
        title=f"Distance between {a} and {b} (utility; the gap adds the two shortfalls)",
    )
    for row in result.dates:
        g: PairGap = row.gaps[k]
        q = g.quantiles or {}
        table.rows.append(
            [
                row.date.isoformat(),
                _number(g.gap_a, q.get("gap_a")),
                _number(g.gap_b, q.get("gap_b")),
                _number(g.gap, q.get("gap")),
                _signed(g.own_slack_a),
                _signed(g.own_slack_b),
                _number(row.margin, row.margin_quantiles if sampled else None),
            ]
        )
    return table


def _proposals_table(result: TimelineResult) -> Table:
    """Each date's latest proposals, their authors, who accepts and who rejects them."""
    table = Table(
        ["date", "latest proposal", "of", "accepted by", "rejected by"],
        title="The latest proposal of each party, and who accepts it (point assumptions)",
    )
    for row in result.dates:
        first = True
        for pid, who in row.acceptance.items():
            authors = [p for p, latest in row.proposals.items() if latest == pid]
            yes = [p for p, ok in who.items() if ok]
            no = [p for p, ok in who.items() if not ok]
            table.rows.append(
                [
                    row.date.isoformat() if first else "",
                    pid + (" (new)" if pid in row.new_proposals else ""),
                    ", ".join(authors),
                    ", ".join(yes) or "nobody",
                    ", ".join(no) or "nobody",
                ]
            )
            first = False
        if first:  # only reactions that day, and no proposal yet (cannot happen when valid)
            table.rows.append([row.date.isoformat(), DASH, "", "", ""])
    return table


def _reactions_table(dates: tuple[TimelineDate, ...]) -> Table | None:
    """The reactions, one row each (None without any)."""
    rows = [
        [row.date.isoformat(), r.party, r.stance, r.proposal, ", ".join(r.source)]
        for row in dates
        for r in row.reactions
    ]
    if not rows:
        return None
    return Table(
        ["date", "party", "stance", "proposal", "source"],
        rows,
        title="What the parties said of the proposals",
    )


def _sides(result: TimelineResult) -> str:
    """Which parties are the sides, and why, in one sentence."""
    names = (
        " and ".join(f"{p} ({result.parties.get(p, p)})" for p in result.sides)
        if len(result.sides) <= 2
        else ", ".join(result.sides)
    )
    what = (
        "the belligerents"
        if result.sides_rule == "belligerent"
        else "the parties with role party or belligerent"
    )
    return f"The sides are {what}: {names}." if result.sides else f"There are no {what}."


def timeline_document(result: TimelineResult, cut_summary: str | None = None) -> Document:
    """Build the ``zopa timeline`` report.

    Parameters
    ----------
    result
        The engine's :class:`~zopa.space.timeline.TimelineResult`.
    cut_summary
        With ``--as-of``: what the cut left out (:meth:`zopa.model.as_of.AsOfCut.summary`).
    """
    doc = Document()
    stamp = result.scenario
    doc.heading(f"Timeline: {stamp['title']} (as of {stamp['as_of']})", 1)
    if cut_summary:
        doc.para(cut_summary)
    doc.para(f"Are the sides converging? {sentence(result.verdict)}")
    doc.para(
        f"{_sides(result)} On each of the {plural(len(result.dates), 'date')} on which a "
        "proposal or a reaction appeared, each side's latest proposal is set against the "
        "other's walk-away point: A's offer falls short for B by max(0, B's walk-away point − "
        "B's utility of it), 0 when B accepts it; the gap adds both sides' shortfalls, each in "
        "the utility of the side that would have to accept. What a side keeps is its own "
        "utility of its offer minus its own walk-away point. The margin is the zone of "
        "agreement's (negative: no zone)."
    )
    doc.para(result.margin_note)
    if result.distribution != "point":
        given = (
            "conditioned on the reactions known on each date (the posterior)"
            if result.distribution == "posterior"
            else "from their ranges (the prior: no reaction conditions them)"
        )
        doc.para(
            f"Below each number, the 5th to 95th percentiles over "
            f"{plural(result.samples, 'sample')} of the uncertain inputs, {given}, seed "
            f"{result.seed}; the numbers themselves rest on the point assumptions."
        )
    for warning in result.warnings:
        doc.para(f"Warning: {warning}")
    for k in range(len(result.pairs)):
        doc.table(_pair_table(result, k))
    doc.table(_proposals_table(result))
    reactions = _reactions_table(result.dates)
    if reactions is not None:
        doc.table(reactions)
    moves = [(v, m) for v in result.verdicts for m in v.moves if m.before != m.after and m.issues]
    several = len(result.pairs) > 1
    if moves:
        table = Table(
            ["side", "issue", "before", "after", "worth to the other side"],
            title="Who moved between the verdict's dates (utility of the change to the other side)",
        )
        for v, m in moves:
            other = v.b if m.party == v.a else v.a
            first = True
            for i in m.issues:
                table.rows.append(
                    [
                        (f"{m.party} (for {other})" if several else m.party) if first else "",
                        i.issue,
                        i.before,
                        i.after,
                        f"{i.change:+.3f}",
                    ]
                )
                first = False
        doc.table(table)
    doc.para(
        "Every weight, option value and walk-away point is an analyst assumption (see each "
        "party's basis in the scenario); the proposals' terms and dates are reported facts."
    )
    return doc
