"""Reports of simulated talks (``zopa simulate``) and tournaments (``zopa tournament``).

Built from the results' JSON (:mod:`zopa.simulate.results`); nothing is computed here.
"""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import plural

ROUNDS = (
    "Rounds are numbered from 0, as in the scenario's dynamics section (round 0 is the first "
    "round of talks)."
)


def assumptions(data: dict[str, Any]) -> str:
    """The closing caveat of a simulation: what the trace rests on.

    The drift and shifts of walk-away points are mentioned only when they move some walk-away
    point, i.e. when the scenario's ``dynamics:`` section drives them.
    """
    moving = any(len(set(walk)) > 1 for walk in data["walk_away"].values())
    if moving:
        return (
            "The strategies, and the drift and shifts of walk-away points set in the scenario's "
            "dynamics section (the cost of war, expected battlefield changes, hypothetical "
            "events), are analyst assumptions: the trace shows what follows from them, not what "
            "the parties will do."
        )
    return (
        "The strategies are analyst assumptions, and the walk-away points stay as the scenario "
        "sets them (no dynamics section moves them): the trace shows what follows, not what the "
        "parties will do."
    )


TOURNAMENT_ASSUMPTIONS = (
    "The strategies, the sampled ranges of the scenario's assumptions and (when the scenario has "
    "a dynamics section) the movement of walk-away points over the rounds are analyst "
    "assumptions: the rates compare strategies under them, not forecasts of what the parties "
    "will do."
)


def _when(data: dict[str, Any], round_: int) -> str:
    dates = data.get("dates")
    return f"round {round_}" + (f" ({dates[round_]})" if dates else "")


def _in_turn_order(data: dict[str, Any], parties: list[str]) -> list[str]:
    """``parties`` in the turn order (then any others in their own order)."""
    order = list(data.get("order") or [])
    return [p for p in order if p in parties] + [p for p in parties if p not in order]


def simulation_document(title: str, data: dict[str, Any], *, trace_rows: int = 40) -> Document:
    """Headline (agreement or breakdown), the strategies, the trace, and the Nash comparison."""
    doc = Document()
    doc.heading(f"{title}: simulated talks", 1)
    turn = _in_turn_order(data, list(data["strategies"]))
    strategies = ", ".join(f"{p} {data['strategies'][p]}" for p in turn)
    last = _when(data, data["rounds"] - 1)
    doc.para(
        f"Stacked alternating offers over {plural(data['rounds'], 'round')}, from "
        f"{_when(data, 0)} to the deadline, {last}; turn order {', '.join(data['order'])}; strategies: "
        f"{strategies}. {ROUNDS}"
    )
    doc.heading("Outcome")
    if data["outcome"] == "agreement":
        doc.para(
            f"Agreement in {_when(data, data['agreed_round'])} on: "
            + "; ".join(f"{k}: {v}" for k, v in data["agreement"].items())
            + "."
        )
    elif data["outcome"] == "walk-out":
        doc.para(
            f"Breakdown: {data['walked_out']} walked out (its walk-away point rose above the "
            "best it could get)."
        )
    else:
        doc.para(f"No agreement by the deadline, {last}.")
    final = ", ".join(
        f"{p} {data['final_utilities'][p]:.3f}"
        for p in _in_turn_order(data, list(data["final_utilities"]))
    )
    bargainers = _in_turn_order(data, list(data["bargainers"]))
    label = "Utilities of the agreement" if data["outcome"] == "agreement" else "Walk-away points"
    doc.para(f"{label}: {final}.")
    if data["nash"] is not None:
        nash = data["nash"]
        distance = data["nash_distance"]
        line = "Nash package (round-0 walk-away points): " + ", ".join(
            f"{p} {nash['utilities'][p]:.3f}" for p in bargainers
        )
        if distance is not None:
            line += (
                f"; the agreement is {distance['utility']:.3f} away from it in the bargainers' "
                f"utilities and differs on {plural(distance['issues'], 'issue')}"
            )
        doc.para(line + ".")
    else:
        doc.para("No package is acceptable to every needed party at the start: no Nash package.")
    trace = data["trace"]
    issues = list(trace[0]["package"]) if trace else []
    proposers = _in_turn_order(data, list(dict.fromkeys(o["proposer"] for o in trace)))
    openings = {p: next(o for o in trace if o["proposer"] == p) for p in proposers}
    opening = Table(["issue", *proposers], title="Opening offers")
    for issue in issues:
        opening.rows.append([issue, *(openings[p]["package"][issue] for p in proposers)])
    if trace:
        doc.table(opening)
    moves = Table(
        [
            "round",
            "proposer",
            "moves (changes from its previous offer)",
            "bargainers' utilities",
        ],
        title="Moves, in order",
    )
    previous: dict[str, dict[str, str]] = {}
    repeats = 0
    for offer in trace:
        before = previous.get(offer["proposer"])
        previous[offer["proposer"]] = offer["package"]
        if before is None:
            continue
        changes = [f"{k}: {before[k]} → {v}" for k, v in offer["package"].items() if before[k] != v]
        if not changes:
            repeats += 1
            continue
        moves.rows.append(
            [
                _when(data, offer["round"]),
                offer["proposer"],
                "; ".join(changes),
                ", ".join(f"{p} {offer['utilities'][p]:.2f}" for p in bargainers),
            ]
        )
    if len(moves.rows) > trace_rows:
        moves.rows = [*moves.rows[: trace_rows - 1], moves.rows[-1]]
        moves.title = f"Moves, in order (the first {trace_rows - 1} and the last)"
    if moves.rows:
        doc.table(moves)
    doc.para(
        f"{plural(len(trace), 'offer')} in all; {repeats:,} repeated the proposer's previous "
        "offer unchanged."
    )
    doc.para(assumptions(data))
    return doc


def tournament_document(title: str, data: dict[str, Any], *, rows: int = 30) -> Document:
    """Agreement rates, utilities and time to agreement per strategy profile."""
    doc = Document()
    doc.heading(f"{title}: strategy tournament", 1)
    doc.para(
        f"{plural(data['negotiations'], 'negotiation')}: "
        f"{plural(len(data['profiles']), 'strategy profile')} × "
        f"{plural(data['samples'], 'sample')} of {plural(data['inputs'], 'uncertain input')} "
        f"(seed {data['seed']}). "
        f"Varied: {', '.join(data['varied'])} over {', '.join(data['strategies'])}; the others "
        f"play {data['default']}."
    )
    profiles = sorted(data["profiles"], key=lambda p: -p["agreement_rate"])
    varied = _in_turn_order({"order": data["parties"]}, list(data["varied"]))
    table = Table(
        [*varied, "agree", "round", *[f"u({p})" for p in varied], "to Nash"],
        title="Profiles, most agreements first"
        + (f" (top {rows} of {len(profiles)})" if len(profiles) > rows else "")
        + ": each varied party's strategy, the share of samples that agree, the mean round of "
        "agreement (numbered from 0, as in `zopa simulate`), mean final utilities, mean "
        "distance of the agreement to the Nash package",
    )
    for p in profiles[:rows]:
        table.rows.append(
            [
                *(p["profile"][k] for k in varied),
                f"{p['agreement_rate']:.0%}",
                "–" if p["mean_agreed_round"] is None else f"{p['mean_agreed_round']:.1f}",
                *[f"{p['mean_utility'][k]:.3f}" for k in varied],
                "–" if p["mean_nash_distance"] is None else f"{p['mean_nash_distance']:.3f}",
            ]
        )
    doc.table(table)
    by = Table(
        ["party", "strategy", "agreement rate", "mean utility"],
        title="Each strategy, averaged over the other parties' strategies",
    )
    for s in data["by_strategy"]:
        by.rows.append(
            [s["party"], s["strategy"], f"{s['agreement_rate']:.1%}", f"{s['mean_utility']:.3f}"]
        )
    doc.table(by)
    doc.para(TOURNAMENT_ASSUMPTIONS)
    return doc
