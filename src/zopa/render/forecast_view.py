"""The terminal report of ``zopa forecast``: one row per round, then every actor's path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zopa.render.document import Document, Table


def _f(x: float) -> str:
    return f"{x:.3f}" if abs(x) < 1e15 else f"{x:.6g}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def convergence_text(data: dict[str, Any], fmt: Callable[[float], str]) -> list[str]:
    """Sentences on whether the expected-utility run settled (empty for the baselines).

    Parameters
    ----------
    data
        :meth:`zopa.forecast.results.Forecast.to_dict` (or an issue's dict).
    fmt
        How to print a position.
    """
    conv = data.get("convergence")
    if not conv:
        return []
    band = conv["band"]
    low, high = fmt(band["low"]), fmt(band["high"])
    span = low if band["low"] == band["high"] else f"{low}–{high}"
    rounds = data["parameters"].get("rounds_run", len(data["rounds"]) - 1)
    status = conv["status"]
    if status == "converged":
        text = f"Converged: the positions do not change from round {conv['since_round']} on."
    elif status == "cycle":
        text = (
            f"Did not converge: from round {conv['since_round']} the positions cycle with period "
            f"{conv['cycle_period']}; over the cycle the weighted median spans {span}. Read the "
            "forecast as that band, not as the last round's value."
        )
    elif status == "not settled":
        text = (
            f"Did not settle within {rounds} round{'s' if rounds != 1 else ''}: over rounds "
            f"{band['from_round']}–{band['to_round']} the weighted median spans {span}. Read the "
            "forecast as that band; more rounds may or may not settle it."
        )
    else:
        text = "No rounds were run: the forecast is the weighted median of the input positions."
    if data["parameters"].get("stop_at_convergence") and status in ("converged", "cycle"):
        text += f" The run stopped after round {rounds} (--stop-at-convergence)."
    out = [text]
    shares = conv.get("samples")
    if shares:
        out.append(
            f"Monte Carlo samples: {_pct(shares['converged'])} converged, "
            f"{_pct(shares['cycle'])} cycle, {_pct(shares['not_settled'])} did not settle."
        )
    return out


def positions_table(rounds: list[dict[str, Any]], fmt: Callable[[float], str]) -> Table:
    """Return every actor's position by round as a table.

    Actors are rows and rounds columns (the default 10 rounds), or the other way round when a
    run has more rounds than that and than actors, so that long runs stay readable.
    """
    actors = list(rounds[0]["positions"])
    if len(rounds) <= max(len(actors), 11):
        table = Table(["actor"] + [str(r["round"]) for r in rounds], title="Positions by round")
        for actor in actors:
            table.rows.append([actor] + [fmt(r["positions"][actor]) for r in rounds])
        return table
    table = Table(["round", *actors], title="Positions by round")
    for r in rounds:
        table.rows.append([str(r["round"])] + [fmt(r["positions"][a]) for a in actors])
    return table


def forecast_cell(data: dict[str, Any], fmt: Callable[[float], str]) -> str:
    """The forecast as a table cell: a value when converged, else the band and why."""
    conv = data.get("convergence")
    if not conv or conv["status"] in ("converged", "not run"):
        return fmt(data["forecast"])
    band = conv["band"]
    what = f"cycle {conv['cycle_period']}" if conv["status"] == "cycle" else "not settled"
    if band["low"] == band["high"]:
        return f"{fmt(band['low'])} ({what})"
    return f"{fmt(band['low'])}–{fmt(band['high'])} ({what})"


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
    doc.table(positions_table(rounds, lambda x: f"{x:.2f}" if abs(x) < 1e15 else f"{x:.4g}"))
    conv = data.get("convergence")
    if conv and conv["status"] in ("cycle", "not settled"):
        doc.para(
            f"Forecast: between {_f(conv['band']['low'])} and {_f(conv['band']['high'])} "
            f"(last round {_f(data['forecast'])})."
        )
    else:
        doc.para(f"Forecast: {_f(data['forecast'])}.")
    for text in convergence_text(data, _f):
        doc.para(text)
    params = data["parameters"]
    if "samples" in params:
        noise = f"perturbation {params['perturb']}" if "perturb" in params else "the stated ranges"
        samples = params["samples"]
        doc.para(
            f"Monte Carlo: {samples} sample{'s' if samples != 1 else ''}, seed "
            f"{params['seed']}, {noise}; the rounds above are the unperturbed run."
        )
    for note in data["notes"]:
        doc.para(note)
    return doc


def _g(x: float) -> str:
    if abs(x) < 1e4:
        return f"{x:.4g}"
    return f"{x:,.0f}" if abs(x) < 1e15 else f"{x:.4g}"


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
            forecast_cell(item, _g),
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
        for sentence in convergence_text(item, _g):
            doc.para(sentence)
        doc.table(positions_table(item["rounds"], _g))
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
