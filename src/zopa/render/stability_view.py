"""The ``zopa stability`` report, built from a stability report (no computing)."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import plural

MAX_ROWS = 64


def stability_document(title: str, data: dict[str, Any], *, show_all: bool = False) -> Document:
    """Build the stability table: states x concepts, who is stable, and the equilibria."""
    doc = Document()
    doc.heading(title, 1)
    dms = list(data["decision_makers"])
    concepts = list(data["equilibria"])
    options = Table(["option", "decision maker", "label"])
    owner = {o: dm for dm, opts in data["decision_makers"].items() for o in opts}
    for n, opt in enumerate(data["options"], 1):
        options.rows.append([f"{n}. {opt['id']}", owner[opt["id"]], opt["label"]])
    doc.table(options)
    stable = {c: {dm: set(data["stable"][c][dm]) for dm in dms} for c in concepts}
    equilibria = {c: set(data["equilibria"][c]) for c in concepts}
    names = {v["id"]: k for k, v in data["named"].items()}
    states = data["states"]
    interesting = {s for c in concepts for s in equilibria[c]} | set(names) | {data["status_quo"]}
    shown = (
        states
        if show_all or len(states) <= MAX_ROWS
        else [s for s in states if s["id"] in interesting]
    )
    table = Table(["state", "options", "name", *concepts])
    for s in shown:
        cells = []
        for c in concepts:
            if s["id"] in equilibria[c]:
                cells.append("EQ")
            else:
                unstable = [dm for dm in dms if s["id"] not in stable[c][dm]]
                cells.append("✗ " + ", ".join(unstable))
        label = names.get(s["id"], "")
        if s["id"] == data["status_quo"]:
            label = (label + " (status quo)").strip()
        table.rows.append([str(s["id"]), s["options"], label, *cells])
    doc.table(table)
    if len(shown) < len(states):
        doc.para(
            f"{plural(len(states), 'feasible state')}; shown: the equilibria, the named states and the "
            "status quo (--all shows every state)."
        )
    for c in concepts:
        eq = sorted(equilibria[c])
        listed = ", ".join(str(x) for x in eq[:40]) + (" …" if len(eq) > 40 else "")
        doc.para(f"{c} equilibria ({len(eq):,}): {listed or 'none'}")
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


def status_quo_document(data: dict[str, Any], vectors: dict[int, str]) -> Document:
    """Build the status quo analysis: reachable states and a path to each equilibrium."""
    doc = Document()
    doc.heading(f"From state {data['from']} ({vectors[data['from']]})", 2)
    doc.para(
        f"Reachable by unilateral (and coalition) improvements: "
        f"{plural(len(data['reachable']), 'state')}: "
        + ", ".join(str(x) for x in data["reachable"][:60])
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
