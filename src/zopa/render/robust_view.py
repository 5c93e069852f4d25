"""The ``zopa robust`` briefing, built from a robustness result (no computing)."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table

SOLID = 0.9


def _verdict(p: float) -> str:
    return "bridges the gap" if p >= 0.5 else "does not bridge the gap"


def robust_document(title: str, data: dict[str, Any]) -> Document:
    """Lead with the verdicts that hold in more than 90% of samples, then the fragile ones."""
    doc = Document()
    doc.heading(f"{title}: how robust are the verdicts?", 1)
    doc.para(
        f"{data['samples']:,} samples of the scenario's {data['inputs']} uncertain inputs "
        f"(seed {data['seed']}); each proposal evaluated as `zopa analyze` does."
    )
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
    if not solid:
        doc.para("None.")
    doc.heading("Conclusions that do not, and what they hinge on")
    if zone is not None and not zone_solid:
        doc.para(f"- A zone of agreement exists in {zone['p_exists']:.1%} of samples.")
        top = zone["hinges"][0] if zone["hinges"] else None
        if top and top["threshold"] is not None:
            doc.para(
                f"  It exists when {top['input']} is {top['bridges_when']} "
                f"{top['threshold']:.3f} (right in {top['accuracy']:.1%} of samples)."
            )
    for p in fragile:
        doc.para(f"- {p['proposal']} bridges the gap in {p['p_bridges']:.1%} of samples.")
        top = p["hinges"][0] if p["hinges"] else None
        if top and top["threshold"] is not None:
            doc.para(
                f"  It bridges the gap when {top['input']} is {top['bridges_when']} "
                f"{top['threshold']:.3f} (right in {top['accuracy']:.1%} of samples)."
            )
    if not fragile and (zone is None or zone_solid):
        doc.para("None.")
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
    if zone is not None:
        q = zone["margin_quantiles"]
        doc.para(
            "Margin of the zone of agreement (how far every walk-away point could rise with a zone "
            f"still open; negative: how far apart the sides are): median {q['q50']:+.3f}, "
            f"90% of samples between {q['q05']:+.3f} and {q['q95']:+.3f}."
        )
    doc.para(
        "The ranges sampled are the analyst's stated uncertainty about each assumption; "
        "probabilities are shares of that range, not forecasts of what the parties will do."
    )
    return doc
