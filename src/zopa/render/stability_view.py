"""The ``zopa stability`` report, built from a stability report (no computing)."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import plural

MAX_ROWS = 40
"""States listed by the report of a large model unless every state is asked for."""


def stability_document(title: str, data: dict[str, Any]) -> Document:
    """Build the stability table: states x concepts, who is stable, and the equilibria.

    ``data`` is :meth:`zopa.gmcr.analysis.StabilityReport.to_dict`, in full or summarised
    (``to_dict(rows=MAX_ROWS)``: the status quo, the named states and the states that are
    equilibria under the most concepts); the table lists the states it holds.
    """
    doc = Document()
    doc.heading(title, 1)
    dms = list(data["decision_makers"])
    concepts = list(data["equilibria"])
    options = Table(["option", "decision maker", "label"])
    owner = {o: dm for dm, opts in data["decision_makers"].items() for o in opts}
    for n, opt in enumerate(data["options"], 1):
        options.rows.append([f"{n}. {opt['id']}", owner[opt["id"]], opt["label"]])
    doc.table(options)
    states = data["states"]
    counts = data["counts"]
    stable = {c: {dm: set(data["stable"][c][dm]) for dm in dms} for c in concepts}
    equilibria = {c: set(data["equilibria"][c]) for c in concepts}
    names = {v["id"]: k for k, v in data["named"].items()}
    table = Table(["state", "options", "name", *concepts])
    for s in states:
        cells = []
        for c in concepts:
            if all(s["id"] in stable[c][dm] for dm in dms):
                cells.append("EQ")
            else:
                unstable = [dm for dm in dms if s["id"] not in stable[c][dm]]
                cells.append("✗ " + ", ".join(unstable))
        label = names.get(s["id"], "")
        if s["id"] == data["status_quo"]:
            label = (label + " (status quo)").strip()
        table.rows.append([str(s["id"]), s["options"], label, *cells])
    doc.table(table)
    if data.get("summarised"):
        counted = ", ".join(f"{c} {counts['equilibria'][c]:,}" for c in concepts)
        doc.para(
            f"{plural(counts['states'], 'feasible state')}, of which equilibria: {counted}. "
            f"Shown: the status quo, the named states and the states that are equilibria under "
            f"the most concepts, {plural(len(states), 'row')} in all (--all lists every state; "
            "--format json always does)."
        )
    for c in concepts:
        eq = sorted(equilibria[c])[:MAX_ROWS]
        total = counts["equilibria"][c]
        listed = ", ".join(str(x) for x in eq) + (" …" if total > len(eq) else "")
        doc.para(f"{c} equilibria ({total:,}): {listed or 'none'}")
    for coalition in data["coalitions"]:
        ids = coalition["nash_stable"]
        doc.para(
            f"Coalition Nash equilibria for {' + '.join(coalition['members'])} ({len(ids)}): "
            + (", ".join(str(x) for x in ids) or "none")
        )
    doc.para(
        "EQ: stable for every decision maker; ✗ and decision makers: unstable for them. R = Nash, GMR = general metarationality, "
        "SMR = symmetric metarationality, SEQ = sequential stability (Fang, Hipel & Kilgour 1993)."
    )
    doc.para(
        "The preferences behind these results are analyst assumptions (see each decision "
        "maker's basis in the scenario file); the stability of every state depends on them."
    )
    uncertain = data.get("alternative_rankings") or []
    if uncertain:
        doc.para(
            f"These results use each decision maker's main ranking; {', '.join(uncertain)} "
            "also have weighted alternative rankings, which `zopa robust --engine stability` "
            "takes into account."
        )
    return doc


def status_quo_document(data: dict[str, Any]) -> Document:
    """Build the status quo analysis: reachable states and a path to each equilibrium."""
    vectors = {int(k): v for k, v in data["options"].items()}
    doc = Document()
    doc.heading(f"From state {data['from']} ({vectors[data['from']]})", 2)
    doc.para(
        f"Reachable by unilateral (and coalition) improvements: "
        f"{plural(len(data['reachable']), 'state')}: "
        + ", ".join(str(x) for x in data["reachable"][:60])
        + (" …" if len(data["reachable"]) > 60 else "")
    )
    if not data["paths"]:
        doc.para(f"No {data['concept']} equilibrium is reachable by improvements.")
    table = Table(["equilibrium", "options", "shortest path"])
    for eq, path in data["paths"].items():
        steps = " → ".join([str(data["from"])] + [f"{t['to']} ({'+'.join(t['by'])})" for t in path])
        table.rows.append([eq, vectors[int(eq)], steps if path else "(the status quo itself)"])
    if data["paths"]:
        doc.table(table)
    return doc
