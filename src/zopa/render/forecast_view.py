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


def _g(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def scenario_forecast_document(data: dict[str, Any]) -> Document:
    """Build the report of a scenario's forecasts from ``{"scenario", "issues": [...]}``.

    Each issue is :meth:`zopa.forecast.scenario.IssueForecast.to_dict`.
    """
    doc = Document()
    issues = data["issues"]
    first = issues[0]
    model = first["model"] + (f" ({first['variant']})" if first["variant"] else "")
    doc.heading(f"Forecasts: {data['scenario']['title']}", level=1)
    mc = "bands" in first
    cols = ["issue", "scale", f"forecast: {model}", "closest anchor", "weighted median", "mean"]
    if mc:
        cols += ["forecast 5–95 %"]
    summary = Table(cols, title="Forecast by issue (capability × salience weights)")
    for item in issues:
        scale = item["scale"]
        anchor = item["anchor"]
        row = [
            item["name"],
            f"{_g(scale['min'])}–{_g(scale['max'])}",
            _g(item["forecast"]),
            f"{anchor['label']} ({_g(anchor['at'])})" if anchor else "–",
            _g(item["baselines"]["median"]),
            _g(item["baselines"]["mean"]),
        ]
        if mc:
            stat = "mean" if item["model"] == "mean" else "median"
            qs = item["rounds"][-1]["quantiles"][stat]
            row.append(f"{_g(qs['5'])} – {_g(qs['95'])}")
        summary.rows.append(row)
    doc.table(summary)
    for item in issues:
        scale = item["scale"]
        unit = f" ({scale['unit']})" if scale.get("unit") else ""
        doc.heading(
            f"{item['name']} [{item['issue']}]: scale {_g(scale['min'])}–{_g(scale['max'])}{unit}"
        )
        anchor = item["anchor"]
        text = f"Forecast, {model}: {_g(item['forecast'])}"
        if anchor:
            text += f", closest to {anchor['label']} ({_g(anchor['at'])})"
        base = item["baselines"]
        text += (
            f". Baselines: weighted median {_g(base['median'])}, weighted mean {_g(base['mean'])}."
        )
        doc.para(text)
        rounds = item["rounds"]
        paths = Table(["actor"] + [str(r["round"]) for r in rounds], title="Positions by round")
        for actor in rounds[0]["positions"]:
            paths.rows.append([actor] + [_g(r["positions"][actor]) for r in rounds])
        doc.table(paths)
        if "bands" in item:
            params = item["parameters"]
            bands = Table(
                ["where the forecast lands", "share of samples"],
                title=f"Monte Carlo: {params['samples']} samples of the stated ranges, "
                f"seed {params['seed']}",
            )
            for band in item["bands"]:
                bands.rows.append([band["label"], f"{100 * band['share']:.1f} %"])
            doc.table(bands)
    doc.para(
        "Positions come from the reported positions cited in the scenario; capabilities and "
        "saliences (0–1) are analyst assumptions. The rounds are those of the point values."
    )
    return doc
