"""The robust stability briefing, built from a robust stability result (no computing)."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import plural

SOLID = 0.9
"""Verdicts that hold in more than this share of the weight lead the briefing."""

MAX_LISTED = 40
"""At most this many states per section (the table lists every state ever stable)."""


def _and(items: tuple[str, ...] | list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _state(s: dict[str, Any]) -> str:
    sq = ", the status quo" if s["status_quo"] else ""
    if s["names"]:
        return f"'{'/'.join(s['names'])}' ({s['options']}, state {s['id']}{sq})"
    return f"state {s['id']} ({s['options']}{sq})"


def _order(dm: str, order: str) -> str:
    return f"{dm}'s main preferences" if order == "main" else f"{dm}'s alternative '{order}'"


def _pct(p: float) -> str:
    return f"{p:.0%}" if p in (0.0, 1.0) else f"{p:.1%}"


def _hinge_text(h: dict[str, Any]) -> str:
    """What the verdict does under each of one decision maker's orders."""
    parts = []
    for order, p in h["given"].items():
        who = _order(h["decision_maker"], order)
        if p is None:
            parts.append(f"{who} was never drawn")
        elif p == 1.0:
            parts.append(f"holds under {who}")
        elif p == 0.0:
            parts.append(f"fails under {who}")
        else:
            parts.append(f"holds with probability {p:.2f} under {who}")
    return "; ".join(parts)


def robust_stability_document(title: str, data: dict[str, Any]) -> Document:
    """Lead with the equilibria that hold in more than 90% of the weight, then the uncertain ones.

    Parameters
    ----------
    title
        The scenario's title.
    data
        :meth:`zopa.robust.stability.RobustStability.to_dict`.
    """
    doc = Document()
    doc.heading(f"{title}: how robust is strategic stability?", 1)
    concepts = data["concepts"]
    uncertain_dms = {dm: o for dm, o in data["decision_makers"].items() if len(o) > 1}
    if data["exact"]:
        how = (
            f"All {data['profiles']:,} combinations of the decision makers' preferences "
            "enumerated, each weighted by its probability: the probabilities are exact."
        )
    else:
        how = (
            f"{data['draws']:,} combinations of the decision makers' preferences drawn at random "
            f"(seed {data['seed']}) out of {data['profiles']:,} ({data['evaluated']:,} distinct "
            f"analysed); each probability is within about {1 / data['draws'] ** 0.5:.3f} "
            "(twice its largest standard error)."
        )
    doc.para(
        how + " Each combination is analysed as `zopa stability` does (Fang, Hipel & Kilgour 1993)."
    )
    if uncertain_dms:
        table = Table(["decision maker", "preferences", "probability", "basis"])
        for dm, orders in uncertain_dms.items():
            for o in orders:
                table.rows.append(
                    [dm, o["id"], f"{o['probability']:.0%}", o["basis"] or "(no basis given)"]
                )
        doc.table(table)
    else:
        doc.para(
            "No decision maker has alternative preferences: every verdict is certain, as in "
            "`zopa stability`."
        )

    # named states and the status quo first: they are what the talks are about
    states = sorted(data["states"], key=lambda s: (not (s["names"] or s["status_quo"]), s["id"]))
    doc.heading("Equilibria in more than 90% of the weight")
    solid: list[str] = []
    groups: dict[tuple[str, ...], list[str]] = {}
    for s in states:
        held = tuple(c for c in concepts if s["p_equilibrium"][c] > SOLID)
        if not held:
            continue
        if s["names"] or s["status_quo"]:
            shares = ", ".join(f"{c} {_pct(s['p_equilibrium'][c])}" for c in held)
            solid.append(f"- {_state(s)}: {shares}.")
        else:
            groups.setdefault(held, []).append(str(s["id"]))
    for held, numbers in groups.items():
        shown = ", ".join(numbers[:MAX_LISTED]) + (" …" if len(numbers) > MAX_LISTED else "")
        which = "every concept" if len(held) == len(concepts) else _and(held)
        solid.append(f"- Under {which}: state{'s' * (len(numbers) > 1)} {shown}.")
    for line in solid or ["None."]:
        doc.para(line)

    doc.heading("Uncertain equilibria, and what they hinge on")
    uncertain: list[str] = []
    count = 0
    for s in states:
        open_concepts = [c for c in concepts if 0 < s["p_equilibrium"][c] <= SOLID]
        if not open_concepts:
            continue
        count += 1
        if count > MAX_LISTED:
            continue
        shares = ", ".join(f"{c} {_pct(s['p_equilibrium'][c])}" for c in open_concepts)
        uncertain.append(f"- {_state(s)} is an equilibrium with probability {shares}.")
        said: dict[str, list[str]] = {}  # the same hinge text for several concepts, once
        for c in open_concepts:
            hinges = s["hinges"].get(c, [])
            if hinges:
                text = _hinge_text(hinges[0])
                others = [h["decision_maker"] for h in hinges[1:]]
                if others:
                    text += f" (it also depends on {', '.join(others)})"
                said.setdefault(text, []).append(c)
        for text, cs in said.items():
            uncertain.append(f"  {', '.join(cs)}: it {text}.")
    if count > MAX_LISTED:
        uncertain.append(f"- … and {count - MAX_LISTED:,} more (see the table).")
    for line in uncertain or ["None."]:
        doc.para(line)

    never = [s for s in data["states"] if all(s["p_equilibrium"][c] == 0 for c in concepts)]
    doc.heading("Never an equilibrium")
    if never:
        ids = ", ".join(str(s["id"]) for s in never[:60]) + (" …" if len(never) > 60 else "")
        named = [s for s in never if s["names"] or s["status_quo"]]
        doc.para(
            f"{len(never):,} of {plural(len(states), 'state')} "
            f"{'is' if len(never) == 1 else 'are'} an equilibrium under no concept and no "
            f"preferences considered: {ids}."
        )
        for s in named:
            doc.para(f"- {_state(s)}.")
    else:
        doc.para("None: every state is an equilibrium under some concept and preferences.")

    sq = data["status_quo"]
    if sq is not None:
        shares = ", ".join(f"{c} {_pct(sq['p_equilibrium'][c])}" for c in concepts)
        doc.para(
            f"The status quo (state {sq['id']}, {sq['options']}) is an equilibrium with "
            f"probability {shares}."
        )

    table = Table(["state", "options", "name", *concepts])
    for s in data["states"]:
        if any(s["p_equilibrium"][c] > 0 for c in concepts) or s["names"] or s["status_quo"]:
            name = "/".join(s["names"]) + (" (status quo)" if s["status_quo"] else "")
            cells = [_pct(s["p_equilibrium"][c]) for c in concepts]
            table.rows.append([str(s["id"]), s["options"], name.strip(), *cells])
    table.title = "Probability of being an equilibrium"
    doc.table(table)
    doc.para(
        "R = Nash, GMR = general metarationality, SMR = symmetric metarationality, SEQ = "
        "sequential stability (Fang, Hipel & Kilgour 1993). A verdict hinges on the decision "
        "maker whose preferences swing it most: its probability given each of that decision "
        "maker's preferences."
    )
    doc.para(
        "The preferences, their alternatives and the weights that make the probabilities are "
        "analyst assumptions (see each basis in the scenario file): the probabilities are shares "
        "of the analyst's stated uncertainty, not forecasts of what the parties will do."
    )
    return doc


__all__ = ["robust_stability_document"]
