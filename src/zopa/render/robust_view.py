"""The ``zopa robust`` briefing, built from a robustness result (no computing)."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table
from zopa.render.words import input_label, plural

SOLID = 0.9

MOVED = 10
"""The report lists this many of the inputs the reactions moved most."""


def _verdict(p: float) -> str:
    return "bridges the gap" if p >= 0.5 else "does not bridge the gap"


def _changes(item: dict[str, Any]) -> str:
    if not item["changes"]:
        return "no change"
    return "; ".join(f"{c['issue']}: {c['from']} → {c['to']}" for c in item["changes"])


def _flip(top: dict[str, Any] | None, what: str) -> str | None:
    if not top or top["threshold"] is None:
        return None
    return (
        f"  It {what} when {top['input']} is {top['holds_when']} {top['threshold']:.3f} "
        f"(right in {top['accuracy']:.1%} of samples)."
    )


def _package_lines(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Solid and fragile statements about the Nash package and the robust bridges."""
    solid: list[str] = []
    fragile: list[str] = []
    nash = data.get("nash")
    if nash and nash["point_package"] is not None:
        share = nash["point_package"]["share"]
        line = (
            f"- The Nash package at the point values is the Nash package in {share:.1%} of "
            f"samples ({plural(nash['distinct'], 'different Nash package')} in all)."
        )
        (solid if share > SOLID else fragile).append(line)
        if share <= SOLID and nash["packages"]:
            top = nash["packages"][0]
            fragile.append(
                f"  The most frequent ({top['share']:.1%}) changes from the reference: "
                f"{_changes(top)}."
            )
    bridges = data.get("robust_bridges")
    if bridges and bridges["packages"]:
        top = bridges["packages"][0]
        ref = bridges["reference"] or "the reference"
        line = (
            f"- The package that bridges the gap most often ({top['share']:.1%} of samples, "
            f"best of {plural(bridges['candidates'], 'candidate')}) changes "
            f"{plural(len(top['changes']), 'issue')} from {ref}: {_changes(top)}."
        )
        if top["share"] > SOLID:
            solid.append(line)
        else:
            fragile.append(line)
            flip = _flip(bridges["hinges"][0] if bridges["hinges"] else None, "bridges the gap")
            if flip:
                fragile.append(flip)
    return solid, fragile


def tornado(hinges: list[dict[str, Any]], title: str, measure: str) -> Table:
    """A tornado table: each input's effect on a measure, largest swing first.

    A bar compares the samples whose input lies in its lowest tenth with those in its highest
    tenth (the mean of the measure in each), so the table reads like the classic one-at-a-time
    tornado diagram while every other input still varies.
    """
    table = Table(
        ["input", "ρ", f"{measure}: input low", f"{measure}: input high", "swing"], title=title
    )
    for h in sorted(hinges, key=lambda h: -abs(h["high"] - h["low"])):
        table.rows.append(
            [
                h["input"],
                f"{h['spearman']:+.2f}",
                f"{h['low']:+.3f}",
                f"{h['high']:+.3f}",
                f"{h['high'] - h['low']:+.3f}",
            ]
        )
    return table


def _given(data: dict[str, Any]) -> dict[str, Any] | None:
    """The ``conditioning`` member of a run conditioned on the reactions, else None."""
    found = data.get("conditioning")
    return found if found and found.get("given_reactions") else None


def _method(c: dict[str, Any]) -> str:
    """How the posterior was sampled, in a paragraph."""
    tried = (
        f"{c['accepted']:,} of {c['prior_draws']:,} prior samples "
        f"({c['acceptance_rate']:.1%}) explain the record"
    )
    if c["method"] == "rejection":
        return (
            "Method: exact rejection sampling. Each prior sample is kept with the probability "
            f"of the record given it: {tried}; the first {c['samples']:,} kept are the "
            f"posterior sample, independent draws (effective sample size {c['ess']:,.0f}). "
            f"Probability of the record under the stated ranges: {c['marginal_likelihood']:.3g}."
        )
    if c["method"] == "smc":
        run = c["smc"]
        return (
            f"Method: sequential Monte Carlo. Only {tried}, too few for rejection sampling "
            f"within its budget of {c['budget']:,} prior samples. {c['samples']:,} particles moved "
            f"from the prior to the posterior in {plural(run['stages'], 'reweighting')} and "
            f"{plural(run['steps'], 'Metropolis step')} within the ranges "
            f"({run['move_acceptance']:.1%} of moves accepted); effective sample size "
            f"{c['ess']:,.0f} (Kish, at the last reweighting). Probability of the record under "
            f"the stated ranges (estimated): {c['marginal_likelihood']:.3g}."
        )
    return (
        f"Not conditioned: {tried}, and no sampler found a sample in the ranges that satisfies "
        "every hard reaction (see the warning). The conclusions below are the prior's."
    )


def _shares(before: dict[str, float], after: dict[str, float]) -> str:
    return "\n".join(f"{k} {before.get(k, 0):.0%} → {v:.0%}" for k, v in after.items())


def _given_tables(data: dict[str, Any], c: dict[str, Any]) -> list[Table]:
    """Prior against posterior: conclusions, inputs moved, and the reactions as evidence."""
    prior = data["prior"]
    before = {p["proposal"]: p for p in prior["proposals"]}
    proposals = Table(
        ["proposal", "P(bridges)", "P(accepts) by needed party"],
        title="Before → given the reactions: each proposal",
    )
    for p in data["proposals"]:
        b = before[p["proposal"]]
        proposals.rows.append(
            [
                p["proposal"],
                f"{b['p_bridges']:.1%} → {p['p_bridges']:.1%}",
                _shares(b["p_accepts"], p["p_accepts"]),
            ]
        )
    overall = Table(
        ["conclusion", "before", "given the reactions"],
        title="Before → given the reactions: the zone and the bridges",
    )
    zone, zone0 = data.get("zone"), prior.get("zone")
    if zone and zone0:
        overall.rows.append(
            ["a zone of agreement exists", f"{zone0['p_exists']:.1%}", f"{zone['p_exists']:.1%}"]
        )
        q, q0 = zone["margin_quantiles"], zone0["margin_quantiles"]
        overall.rows.append(["margin: median", f"{q0['q50']:+.3f}", f"{q['q50']:+.3f}"])
        overall.rows.append(
            [
                "margin: 90% between",
                f"{q0['q05']:+.3f} and {q0['q95']:+.3f}",
                f"{q['q05']:+.3f} and {q['q95']:+.3f}",
            ]
        )
    bridges, bridges0 = data.get("robust_bridges"), prior.get("robust_bridges")
    tops = [
        (label, found["packages"][0])
        for label, found in (("before", bridges0), ("given the reactions", bridges))
        if found and found["packages"]
    ]
    if len(tops) == 2 and tops[0][1]["package"] == tops[1][1]["package"]:
        tops = [("before and given the reactions", tops[0][1])]
    for label, top in tops:
        overall.rows.append(
            [
                f"bridges: the most robust package {label} ({_changes(top)})",
                _bridging_share(bridges0, top["package"]),
                _bridging_share(bridges, top["package"]),
            ]
        )
    shown = min(MOVED, len(c["inputs"]))
    what = "The input" if shown == 1 else f"The {shown} inputs"
    moved = Table(
        ["input", "before: median (90%)", "given: median (90%)", "moved", "KS"],
        title=f"{what} the reactions moved most (moved: the median's shift in prior "
        "interquartile ranges; KS: Kolmogorov–Smirnov distance from the prior)",
    )
    for item in c["inputs"][:MOVED]:
        a, b = item["prior"], item["posterior"]
        moved.rows.append(
            [
                input_label(item["input"]),
                f"{a['q50']:.3f} ({a['q05']:.3f}–{a['q95']:.3f})",
                f"{b['q50']:.3f} ({b['q05']:.3f}–{b['q95']:.3f})",
                f"{item['shift']:+.2f}",
                f"{item['ks']:.2f}",
            ]
        )
    evidence = Table(
        ["reaction", "consistent with", "prior mass removed", "given: consistent"],
        title="Each reaction as evidence (shares of prior samples; removed: 1 − mean likelihood)",
    )
    for e in sorted(c["evidence"], key=lambda e: (-e["mass_removed"], e["date"])):
        evidence.rows.append(
            [
                f"{e['date']} {e['party']} {e['stance']} {e['proposal']}",
                f"{e['prior_consistent']:.1%}",
                f"{e['mass_removed']:.1%}",
                "-" if e["posterior_consistent"] is None else f"{e['posterior_consistent']:.1%}",
            ]
        )
    return [proposals, overall, moved, evidence]


def _bridging_share(bridges: dict[str, Any] | None, package: dict[str, str]) -> str:
    """The share of samples in which ``package`` bridges the gap, if that run ranked it."""
    for item in (bridges or {}).get("packages") or []:
        if item["package"] == package:
            return f"{item['share']:.1%}"
    return "not in the top"


def robust_document(title: str, data: dict[str, Any]) -> Document:
    """Lead with the verdicts that hold in more than 90% of samples, then the fragile ones.

    A run conditioned on the reactions says how it sampled the posterior, and ends with the
    conclusions before and after, the inputs the evidence moved most and each reaction's weight
    as evidence.
    """
    doc = Document()
    given = _given(data)
    asked = "how robust are the verdicts, given the parties' reactions?"
    explained = bool(given and given["explained"])
    doc.heading(f"{title}: {asked if explained else 'how robust are the verdicts?'}", 1)
    conditioned = ""
    if given and given["explained"]:
        conditioned = f", given {plural(given['reactions'], 'reaction')} of the parties"
    doc.para(
        f"{plural(data['samples'], 'sample')} of the scenario's "
        f"{plural(data['inputs'], 'uncertain input')}{conditioned} "
        f"(seed {data['seed']}); each proposal evaluated as `zopa analyze` does."
    )
    if given:
        doc.para(_method(given))
    note = (data.get("conditioning") or {}).get("note")
    if note:
        doc.para(f"Reactions: {note}.")
    zone = data.get("zone")
    solid = [p for p in data["proposals"] if max(p["p_bridges"], 1 - p["p_bridges"]) > SOLID]
    fragile = [p for p in data["proposals"] if p not in solid]
    doc.heading("Conclusions that hold in more than 90% of samples")
    zone_solid = zone is not None and max(zone["p_exists"], 1 - zone["p_exists"]) > SOLID
    if zone is not None and zone_solid:
        verdict = "exists" if zone["p_exists"] >= 0.5 else "does not exist"
        share = max(zone["p_exists"], 1 - zone["p_exists"])
        doc.para(f"- A zone of agreement {verdict} in {share:.1%} of samples.")
    for p in solid:
        share = p["p_bridges"] if p["p_bridges"] >= 0.5 else 1 - p["p_bridges"]
        doc.para(f"- {p['proposal']} {_verdict(p['p_bridges'])} in {share:.1%} of samples.")
    package_solid, package_fragile = _package_lines(data)
    for line in package_solid:
        doc.para(line)
    if not solid and not zone_solid and not package_solid:
        doc.para("None.")
    doc.heading("Conclusions that do not, and what they hinge on")
    if zone is not None and not zone_solid:
        doc.para(f"- A zone of agreement exists in {zone['p_exists']:.1%} of samples.")
        flip = _flip(zone["hinges"][0] if zone["hinges"] else None, "exists")
        if flip:
            doc.para(flip)
    for p in fragile:
        doc.para(f"- {p['proposal']} bridges the gap in {p['p_bridges']:.1%} of samples.")
        flip = _flip(p["hinges"][0] if p["hinges"] else None, "bridges the gap")
        if flip:
            doc.para(flip)
    for line in package_fragile:
        doc.para(line)
    if not fragile and (zone is None or zone_solid) and not package_fragile:
        doc.para("None.")
    if given and given["explained"] and data.get("prior"):
        doc.heading("What the reactions changed")
        for table in _given_tables(data, given):
            doc.table(table)
    elif given:
        doc.table(_given_tables(data, given)[-1])
    table = Table(
        [
            "proposal",
            "P(bridges)",
            "P(accepts) by needed party",
            "hinges on (Spearman ρ with the slack)",
        ]
    )
    for p in data["proposals"]:
        accepts = ", ".join(f"{k} {v:.0%}" for k, v in p["p_accepts"].items())
        hinges = "\n".join(f"{h['input']} ({h['spearman']:+.2f})" for h in p["hinges"][:3])
        table.rows.append([p["proposal"], f"{p['p_bridges']:.1%}", accepts, hinges])
    doc.table(table)
    focus = data.get("robust_bridges", {}) or {}
    reference = next(
        (p for p in data["proposals"] if p["proposal"] == focus.get("reference")), None
    )
    if reference is not None and reference["hinges"]:
        doc.table(
            tornado(
                reference["hinges"],
                f"What moves {reference['proposal']}'s slack (least utility minus walk-away "
                "point over the needed parties; ≥ 0 bridges the gap)",
                "slack",
            )
        )
    if zone is not None and zone["hinges"]:
        doc.table(
            tornado(zone["hinges"], "What moves the margin of the zone of agreement", "margin")
        )
    bridges = data.get("robust_bridges")
    if bridges and bridges["packages"]:
        ranked = Table(
            ["P(bridges)", f"changes from {bridges['reference'] or 'the reference'}", "least sure"],
            title="Packages that bridge the gap in the most samples",
        )
        for item in bridges["packages"]:
            party, share = min(item["p_accepts"].items(), key=lambda kv: kv[1])
            ranked.rows.append([f"{item['share']:.1%}", _changes(item), f"{party} {share:.1%}"])
        doc.table(ranked)
    if zone is not None:
        q = zone["margin_quantiles"]
        doc.para(
            "Margin of the zone of agreement (how far every walk-away point could rise with a zone "
            f"still open; negative: how far apart the sides are): median {q['q50']:+.3f}, "
            f"90% of samples between {q['q05']:+.3f} and {q['q95']:+.3f}."
        )
    if given and given["explained"]:
        doc.para(
            "The ranges sampled are the analyst's stated uncertainty about each assumption, "
            "weighed by how well each sample explains the parties' reactions (a likelihood per "
            "stance; see README: Reactions as evidence); probabilities are shares of that "
            "posterior, not forecasts of what the parties will do."
        )
        return doc
    doc.para(
        "The ranges sampled are the analyst's stated uncertainty about each assumption; "
        "probabilities are shares of that range, not forecasts of what the parties will do."
    )
    return doc


def robust_forecast_document(title: str, data: dict[str, Any]) -> Document:
    """Per issue: where the forecast settles in most samples, how often, and what moves it."""
    doc = Document()
    doc.heading(f"{title}: how robust are the forecasts?", 1)
    doc.para(
        f"{plural(data['samples'], 'sample')} of the forecast section's stated ranges (seed "
        f"{data['seed']}); model {data['model']}"
        + (f" ({data['variant']})" if data.get("variant") else "")
        + f", {data['rounds']} rounds."
    )
    issues = data["issues"]
    solid = [i for i in issues if i["modal_band"]["share"] > SOLID]
    doc.heading("Conclusions that hold in more than 90% of samples")
    for item in solid:
        doc.para(
            f"- {item['name']}: the forecast settles {item['modal_band']['label']} in "
            f"{item['modal_band']['share']:.1%} of samples."
        )
    if not solid:
        doc.para("None.")
    doc.heading("Conclusions that do not, and what they hinge on")
    fragile = [i for i in issues if i not in solid]
    for item in fragile:
        doc.para(
            f"- {item['name']}: most often {item['modal_band']['label']} "
            f"({item['modal_band']['share']:.1%} of samples); 90% of forecasts between "
            f"{item['quantiles']['q05']:g} and {item['quantiles']['q95']:g}."
        )
        flip = _flip(item["hinges"][0] if item["hinges"] else None, "lands there")
        if flip:
            doc.para(flip)
    if not fragile:
        doc.para("None.")
    table = Table(["issue", "forecast (point)", "5% / 50% / 95%", "hinges on (Spearman ρ)"])
    for item in issues:
        q = item["quantiles"]
        table.rows.append(
            [
                item["name"],
                f"{item['forecast']:g}",
                f"{q['q05']:.4g} / {q['q50']:.4g} / {q['q95']:.4g}",
                "\n".join(f"{h['input']} ({h['spearman']:+.2f})" for h in item["hinges"][:3]),
            ]
        )
    doc.table(table)
    doc.para(
        "Positions, saliences and capabilities are the analyst's assumptions; the shares are "
        "shares of their stated ranges, not probabilities that the talks end there."
    )
    return doc
