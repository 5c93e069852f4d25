"""The terminal report of ``zopa forecast``: one row per round, then every actor's path."""

from __future__ import annotations

from typing import Any

from zopa.render.document import Document, Table


def _f(x: float) -> str:
    return f"{x:.3f}"


def forecast_document(data: dict[str, Any]) -> Document:
    """Build the report from :meth:`zopa.forecast.results.Forecast.to_dict`."""
    doc = Document()
    model = data["model"] + (f" ({data['variant']})" if data["variant"] else "")
    doc.heading(f"Forecast: {model}, {data['inputs']['source']}", level=1)
    rounds = data["rounds"]
    mc = "quantiles" in rounds[0]
    cols = ["round", "median", "mean"]
    if mc:
        cols += ["median 5–95 %", "median 25–75 %", "mean 5–95 %"]
    summary = Table(cols, title="Weighted median and mean by round")
    for r in rounds:
        row = [str(r["round"]), _f(r["median"]), _f(r["mean"])]
        if mc:
            qm, qa = r["quantiles"]["median"], r["quantiles"]["mean"]
            row += [
                f"{_f(qm['5'])} – {_f(qm['95'])}",
                f"{_f(qm['25'])} – {_f(qm['75'])}",
                f"{_f(qa['5'])} – {_f(qa['95'])}",
            ]
        summary.rows.append(row)
    doc.table(summary)
    paths = Table(["actor"] + [str(r["round"]) for r in rounds], title="Positions by round")
    for actor in rounds[0]["positions"]:
        paths.rows.append([actor] + [f"{r['positions'][actor]:.2f}" for r in rounds])
    doc.table(paths)
    doc.para(f"Forecast: {data['forecast']:.3f}.")
    params = data["parameters"]
    if "samples" in params:
        doc.para(
            f"Monte Carlo: {params['samples']} samples, seed {params['seed']}, "
            f"perturbation {params['perturb']}; the rounds above are the unperturbed run."
        )
    for note in data["notes"]:
        doc.para(note)
    return doc
