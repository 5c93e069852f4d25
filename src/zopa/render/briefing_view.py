"""The words of a briefing (``zopa report``), read from the results it composes (no computing).

Shared by the HTML page and the Markdown file: the opening answer, the lines that make the
briefing reproducible, each section's report, and the table that says which conclusions hinge
on which assumptions. Citations are written ``[source-id]``; the renderers link them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.render.document import Document, Table
from zopa.render.scenario_view import cite
from zopa.render.words import plural

if TYPE_CHECKING:
    from zopa.briefing import Report, Section
    from zopa.model.scenario import Scenario
    from zopa.space.results import ProposalVerdict

ASSUMPTION_TITLES = {
    "preferences": "Preferences: weights, values and walk-away points",
    "strategic": "The strategic model and each decision maker's preferences",
    "forecast": "Forecast inputs: positions, capabilities and saliences",
    "dynamics": "Dynamics: the calendar and how walk-away points move",
}
"""The heading of each group of assumptions."""

RECORD_TITLES = {
    "proposals": "Proposals",
    "events": "Events",
    "reactions": "Reactions",
    "outcome": "Outcome",
}
"""The heading of each part of the record."""


def record_heading(keys: list[str]) -> str:
    """``The record: proposals, events and reactions`` (the parts the scenario has)."""
    return "The record: " + _join([RECORD_TITLES[k].lower() for k in keys])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _party(s: Scenario, pid: str) -> str:
    party = s.parties.get(pid)
    return f"{party.name} ({pid})" if party is not None else pid


def _name(s: Scenario, pid: str) -> str:
    party = s.parties.get(pid)
    return party.name if party is not None else pid


def share(p: float) -> str:
    """``in none of them`` / ``in 42.3% of them`` / ``in all of them`` (the samples)."""
    if p <= 0:
        return "in none of them"
    if p >= 1:
        return "in all of them"
    return f"in {p:.1%} of them"


def input_name(s: Scenario, path: str) -> str:
    """An uncertain input in words: ``preferences.RU.reservation`` -> ``Russia's walk-away point``.

    Paths the wording does not know are returned as they are.
    """
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] == "preferences":
        who = _name(s, parts[1])
        if parts[2] == "reservation" and len(parts) == 3:
            return f"{who}'s walk-away point"
        if parts[2] == "weights" and len(parts) == 4:
            return f"{who}'s weight on {parts[3]}"
        if parts[2] == "values" and len(parts) == 5:
            return f"{who}'s value of {parts[3]}={parts[4]}"
    return path


def _changes(changes: list[dict[str, str]]) -> str:
    return "; ".join(f"{c['issue']}: {c['from']} → {c['to']}" for c in changes)


# -- the opening answer ------------------------------------------------------------------------


def answer(report: Report) -> str:
    """The answer to the scenario's question in one paragraph (see :func:`answer_sentences`)."""
    return " ".join(answer_sentences(report))


def answer_sentences(report: Report) -> list[str]:
    """The answer to the scenario's question, sentence by sentence, read from the results.

    With proposals: whether the most recent one bridges the gap, who rejects it and over which
    issue most, what the smallest bridge changes and costs its proposer, and (from the robust
    run) how often the proposal bridges the gap and a zone of agreement exists. Otherwise the
    headline of each analysis that ran.
    """
    analysis = report.result("analyze")
    if analysis is not None and analysis.result.proposals:
        return _proposal_answer(report, analysis)
    sentences: list[str] = []
    if analysis is not None:
        sentences.append(_zone_answer(analysis))
    stability = report.result("stability")
    if stability is not None:
        sentences += _stability_answer(stability.to_dict())
    forecast = report.result("forecast")
    if forecast is not None:
        lines = forecast.headline()[1:]
        sentences.append("The forecast, issue by issue: " + "; ".join(lines) + ".")
    simulation = report.result("simulate")
    if simulation is not None:
        sentences.append(f"Played forward: {'; '.join(simulation.headline())}.")
    robust = report.result("robust")
    if robust is not None:
        sentences += _robust_answer(robust)
    return sentences or [
        "None of the analyses asked for applies to this scenario; the sections below say why."
    ]


def _zone_answer(analysis: Any) -> str:
    zone = analysis.result.zone
    if zone.exists:
        return (
            "A zone of agreement exists: some packages are acceptable to every party whose "
            f"consent they need (every walk-away point could rise by {zone.margin:.3f})."
        )
    return (
        "There is no zone of agreement: every walk-away point would have to drop by "
        f"{zone.lowering_needed:.3f} for a package acceptable to all to exist."
    )


def _state(data: dict[str, Any], sid: int) -> str:
    options = next((st["options"] for st in data["states"] if st["id"] == sid), None)
    names = [name for name, v in data.get("named", {}).items() if v["id"] == sid]
    inside = ", ".join([*([options] if options else []), *names])
    return f"{sid} ({inside})" if inside else str(sid)


def _stability_answer(data: dict[str, Any]) -> list[str]:
    concepts = list(data["equilibria"])
    every = set.intersection(*(set(ids) for ids in data["equilibria"].values()))
    n = data["counts"]["states"]
    stable = [_state(data, sid) for sid in sorted(every)]
    out = [
        f"Of the {plural(n, 'feasible state')}, {len(stable)} "
        f"{'is' if len(stable) == 1 else 'are'} stable under every concept "
        f"({', '.join(concepts)})"
        + (f": {_join(stable[:6])}" if stable else "")
        + (f" and {len(stable) - 6} more" if len(stable) > 6 else "")
        + "."
    ]
    sq = data.get("status_quo")
    if sq is not None:
        under = [c for c, ids in data["equilibria"].items() if sq in ids]
        verdict = f"is an equilibrium under {_join(under)}" if under else "is not an equilibrium"
        out.append(f"The status quo, state {_state(data, sq)}, {verdict}.")
        evolution = data.get("status_quo_analysis")
        if evolution:
            moves = [
                f"{m['to']} (by {', '.join(m['by'])})"
                for m in evolution["transitions"]
                if m["from"] == sq
            ]
            if moves:
                out.append("From it, the conflict can move to state " + _join(moves) + ".")
    return out


def _robust_answer(robust: Any) -> list[str]:
    d = robust.data
    n = int(d["samples"])
    if robust.engine == "stability" and d.get("status_quo"):
        sq = d["status_quo"]
        profiles = int(d.get("profiles") or 0)
        if d.get("exact") and profiles <= 1:
            return [
                "No decision maker has alternative preferences, so these equilibria do not "
                "depend on which reading of their preferences holds."
            ]
        shares = ", ".join(f"{c} {p:.0%}" for c, p in sq["p_equilibrium"].items())
        over = (
            f"Weighing all {profiles:,} combinations of the decision makers' alternative "
            "preferences by their probabilities"
            if d.get("exact")
            else f"Across {plural(n, 'sample')} of the decision makers' alternative "
            f"preferences (seed {d['seed']})"
        )
        return [f"{over}, the status quo is an equilibrium with probability {shares}."]
    if robust.engine == "forecast":
        lines = [
            f"{i['issue']} {i['modal_band']['label']} {share(i['modal_band']['share'])}"
            for i in d["issues"]
        ]
        return [
            f"Across {plural(n, 'sample')} of the forecast inputs' ranges (seed {d['seed']}), "
            f"the forecast lands: {'; '.join(lines)}."
        ]
    return []


def _proposal_answer(report: Report, analysis: Any) -> list[str]:
    s = report.scenario
    an = analysis.result
    pv: ProposalVerdict = next(p for p in an.proposals if p.id == an.focus)
    v = pv.verdict
    who = f"{pv.title} ({pv.id}, {pv.date}) {cite(pv.source)}"
    sentences: list[str] = []
    if v.bridges:
        least = min((x for x in v.parties if x.needed), key=lambda x: x.utility - x.reservation)
        sentences.append(
            f"At the point values of the analyst's assumptions, {who} bridges the gap: every "
            "party whose consent it needs accepts it; the closest "
            f"to walking away is {_party(s, least.party)}, "
            f"{least.utility - least.reservation:.3f} above its walk-away point."
        )
    else:
        rejecting = v.rejecting
        verb = "rejects" if len(rejecting) == 1 else "reject"
        sentences.append(
            f"At the point values of the analyst's assumptions, {who} does not bridge the gap: "
            f"{_join([_party(s, p) for p in rejecting])} {verb} it."
        )
        sentences += [_why(s, pv, pid) for pid in rejecting]
        sentences.append(_smallest_bridge(report, analysis, pv))
    sentences.append(_robustness(report, analysis, pv))
    return [x for x in sentences if x]


def _why(s: Scenario, pv: ProposalVerdict, pid: str) -> str:
    x = next(p for p in pv.verdict.parties if p.party == pid)
    text = (
        f"{_name(s, pid)}'s utility of it is {x.utility:.3f} against a walk-away point of "
        f"{x.reservation:.3f} (short by {x.shortfall:.3f})"
    )
    gaps = sorted(pv.verdict.gaps.get(pid, []), key=lambda g: -g.cost)
    if gaps:
        g = gaps[0]
        issue = s.issues[g.issue].name if g.issue in s.issues else g.issue
        if issue.startswith("The "):
            issue = "t" + issue[1:]
        text += (
            f"; the issue that costs it most is {issue} ({g.issue}): {g.option} costs it "
            f"{g.cost:.3f} against its best option there, {g.best_option}"
        )
    return text + "."


def _smallest_bridge(report: Report, analysis: Any, pv: ProposalVerdict) -> str:
    s = report.scenario
    bridging = analysis.result.bridging.get(pv.id)
    if bridging is None:
        return ""
    if not bridging.found:
        return (
            "No package at all is acceptable to every party whose consent it needs, so no "
            "concession bridges the gap: every walk-away point would have to drop by "
            f"{analysis.result.zone.lowering_needed:.3f}."
        )
    if not bridging.packages:
        return ""
    c = bridging.packages[0]
    changes = "; ".join(f"{ch.issue}: {ch.before} → {ch.after}" for ch in c.changes)
    proposers = _join([_name(s, p) for p in pv.by])
    role = "the proposer" if len(pv.by) == 1 else "the proposers"
    what = f"The smallest change that bridges the gap alters {plural(len(c.changes), 'issue')} ({changes})"
    loss = round(c.proposer_loss, 3)
    if loss == 0:
        return f"{what}, at no cost to {role}."
    if loss > 0:
        return f"{what}; it costs {proposers}, {role}, {loss:.3f} of utility."
    gain = "gains" if len(pv.by) == 1 else "gain"
    return f"{what}; {proposers}, {role}, even {gain} {-loss:.3f} of utility."


def _robustness(report: Report, analysis: Any, pv: ProposalVerdict) -> str:
    robust = report.result("robust")
    if robust is None or robust.engine != "space":
        zone = analysis.result.zone
        text = (
            "At the point values of the assumptions a zone of agreement exists "
            f"(every walk-away point could rise by {zone.margin:.3f})"
            if zone.exists
            else "At the point values of the assumptions there is no zone of agreement"
        )
        return text + "; how robust this is was not tested (the robust section was not run)."
    d = robust.data
    n = int(d["samples"])
    entry = next((p for p in d["proposals"] if p["proposal"] == pv.id), None)
    parts = []
    if entry is not None:
        text = f"{pv.title} bridges the gap {share(entry['p_bridges'])}"
        if entry["hinges"]:
            top = entry["hinges"][0]
            text += (
                f" (its verdict hinges most on {input_name(report.scenario, top['input'])}, "
                f"ρ\u00a0{top['spearman']:+.2f})"
            )
        parts.append(text)
    if d.get("zone") is not None:
        parts.append(f"a zone of agreement exists {share(d['zone']['p_exists'])}")
    bridges = d.get("robust_bridges") or {}
    packages = bridges.get("packages") or []
    smallest = analysis.result.bridging.get(pv.id)
    first = smallest.packages[0].package if smallest and smallest.packages else None
    match = next((x for x in packages if x["package"] == first), None)
    if match is not None:
        parts.append(f"the smallest bridge holds {share(match['share'])}")
    if packages and packages[0] is not match:
        top = packages[0]
        parts.append(
            f"the package that bridges the gap most often (in {top['share']:.1%}) changes "
            f"{plural(len(top['changes']), 'issue')}: {_changes(top['changes'])}"
        )
    if not parts:
        return ""
    return (
        f"Across {plural(n, 'sample')} of the analyst's assumptions (seed {d['seed']}), "
        + _join(parts)
        + "."
    )


# -- reproducibility ---------------------------------------------------------------------------


def provenance(report: Report, output: str = "briefing.html") -> list[tuple[str, str]]:
    """What the briefing was made from, as ``(label, value)`` pairs: enough to make it again.

    ``output`` names the file in the command shown (not the file actually written, so that the
    briefing does not depend on where it is written).
    """
    stamp = report.stamp
    rows = [
        ("zopa version", str(stamp["zopa_version"])),
        (
            "scenario",
            f"{stamp['id']} (as of {stamp['as_of']})" if stamp["as_of"] else str(stamp["id"]),
        ),
        ("scenario sha256", str(stamp["sha256"])),
        ("seed", str(report.seed)),
        ("samples", f"{report.samples:,}"),
        ("sections", ", ".join(s.name for s in report.sections)),
    ]
    if report.cut is not None:
        rows.append(("as of", str(report.cut.date)))
    if any(f.chart is not None for f in report.figures()):
        from contextlib import suppress
        from importlib.metadata import PackageNotFoundError, version

        with suppress(PackageNotFoundError):  # a core dependency: only a broken install
            rows.append(("charts drawn by", f"vl-convert-python {version('vl-convert-python')}"))
    rows.append(("command", report.command(output)))
    return rows


# -- sections ----------------------------------------------------------------------------------


def section_document(section: Section) -> Document:
    """The report of a section's result, without its title (the section's heading replaces it)."""
    doc = section.result.document()
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], str) and blocks[0].startswith("# "):
        blocks = blocks[1:]
    return Document(blocks=blocks)


def standalone(report: Report, section: Section) -> str:
    """The command that prints a section's analysis on its own (with ``--as-of`` when cut)."""
    command = section.command
    if report.cut is not None:
        command += f" --as-of {report.cut.date}"
    return command + (f" {report.source}" if report.source else "")


def skipped_sentence(section: Section) -> str:
    """Why a section is not in the briefing."""
    return f"Skipped: {section.skipped}."


# -- what the conclusions hinge on -------------------------------------------------------------


def _targets(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    engine = data.get("engine")
    found: list[tuple[str, list[dict[str, Any]]]] = []
    if engine == "space":
        found += [
            (f"whether {p['proposal']} bridges the gap", p["hinges"]) for p in data["proposals"]
        ]
        if data.get("zone"):
            found.append(("the margin of the zone of agreement", data["zone"]["hinges"]))
        bridges = data.get("robust_bridges")
        if bridges and bridges.get("packages"):
            found.append(
                ("whether the most robust bridging package bridges the gap", bridges["hinges"])
            )
    elif engine == "stability":
        for st in data.get("states", []):
            for concept, hinges in st.get("hinges", {}).items():
                found.append((f"whether state {st['id']} is a {concept} equilibrium", hinges))
    elif engine == "forecast":
        found += [(f"the forecast on {i['issue']}", i["hinges"]) for i in data.get("issues", [])]
    return found


def hinge_table(report: Report) -> Table | None:
    """Which conclusions of the robust run move with which assumption (None without one).

    One row per assumption, strongest first: each conclusion it moves, with the Spearman rank
    correlation between the assumption and the conclusion's measure over the samples, and
    where the conclusion flips when the run found a threshold.
    """
    robust = report.result("robust")
    if robust is None:
        return None
    by_input: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for target, hinges in _targets(robust.data):
        for h in hinges:
            by_input.setdefault(h["input"], []).append((target, h))
    if not by_input:
        return None
    table = Table(
        ["assumption", "conclusions that move with it (Spearman ρ; where it flips)"],
        title="Which conclusions hinge on which assumptions (robust run)",
    )
    order = sorted(by_input, key=lambda k: -max(abs(h["spearman"]) for _, h in by_input[k]))
    for name in order:
        lines = []
        for target, h in sorted(by_input[name], key=lambda th: -abs(th[1]["spearman"])):
            line = f"{target} (ρ {h['spearman']:+.2f}"
            if h.get("threshold") is not None:
                line += f"; holds when {h['holds_when']} {h['threshold']:.3f}"
            lines.append(line + ")")
        table.rows.append([name, "\n".join(lines)])
    return table
