"""Talks over time: the simulated negotiation's trace, and the strategy tournament's table.

The trace shows the talks in the utility plane of two parties (by default the first two
bargainers): the Pareto frontier of all packages projected on them (grey staircase), each
party's walk-away point at the start and, if it moved, at the end of the talks (a rule in the
party's colour, labelled), every offer in round order (a dot in the proposer's colour, pale
early and solid late, joined by a thin line in time order, with round numbers along it), the
agreement (a black star: no party has that colour) and the Nash package (a hollow diamond).
The title states the outcome.

The tournament chart is a heat table of strategy × party: each varied party's mean final
utility and agreement rate with each strategy, averaged over the other parties' strategies and
the samples; each party's best strategy is outlined.

The alternating-offers protocol follows Rubinstein, A. (1982). Perfect equilibrium in a
bargaining model. *Econometrica* 50(1), 97-109; the concession strategies Faratin, P., Sierra,
C. and Jennings, N. R. (1998). Negotiation decision functions for autonomous agents. *Robotics
and Autonomous Systems* 24(3-4), 159-182; the Nash package Nash, J. F. (1950). The bargaining
problem. *Econometrica* 18(2), 155-162.
"""

from __future__ import annotations

from typing import Any

from zopa.charts import chart
from zopa.charts.palette import NEUTRAL, SEQUENTIAL, party_colours, party_scale
from zopa.charts.spec import WIDTH, Spec, base, tooltip, values

HEIGHT = 440
"""Pixels of the trace's plot (nearly square: both axes are utilities)."""

STAR = (
    "M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809"
    "L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z"
)
"""The agreement's mark: a five-pointed star as a Vega symbol path."""

AGREEMENT_COLOUR = "black"
"""The agreement's star (no party is drawn in pure black by the first six party colours)."""

ROUND_LABELS = 8
"""About this many round numbers are written along the offers' path."""

LABEL_SPACE = 0.03
"""No round number within this distance (in utility, on both axes) of another."""


def halo(layer: Spec) -> list[Spec]:
    """A text layer preceded by a white-outlined copy, so the text stays legible over marks."""
    under = {**layer, "mark": {**layer["mark"], "stroke": "white", "strokeWidth": 3}}
    return [under, layer]


def _package(package: dict[str, str]) -> str:
    return "; ".join(f"{i}={o}" for i, o in package.items())


def outcome(data: dict[str, Any]) -> str:
    """How the simulated talks ended, in one line (the trace's title).

    Parameters
    ----------
    data
        :meth:`zopa.simulate.results.SimulationResult.to_dict`.
    """

    def when(t: int) -> str:
        dates = data.get("dates")
        return f"round {t}" + (f" ({dates[t]})" if dates else "")

    if data.get("agreement") is not None and data.get("agreed_round") is not None:
        text = f"Agreement in {when(data['agreed_round'])}"
        distance = data.get("nash_distance")
        if distance is not None:
            text += (
                f", {distance['utility']:.3f} from the Nash package in utility "
                f"({distance['issues']} issue{'s' if distance['issues'] != 1 else ''} differ)"
            )
        return text
    if data.get("walked_out"):
        last = data["trace"][-1]["round"] if data["trace"] else 0
        return f"Breakdown: {data['walked_out']} walked out in {when(last)}"
    return f"No agreement by the deadline, {when(data['rounds'] - 1)}"


def _labelled_rounds(offers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The offers whose round is written beside them: the first of every few rounds.

    About :data:`ROUND_LABELS` labels, always the last round's, never two on one spot.
    """
    if not offers:
        return []
    rounds = [o["round"] for o in offers]
    first, last = min(rounds), max(rounds)
    step = max(1, -(-(last - first) // ROUND_LABELS))
    labelled: set[int] = set()
    spots: list[tuple[float, float]] = []
    out = []
    for o in offers:
        t = o["round"]
        crowded = any(
            abs(o["x"] - a) < LABEL_SPACE and abs(o["y"] - b) < LABEL_SPACE for a, b in spots
        )
        if t in labelled or crowded or ((t - first) % step and t != last):
            continue
        labelled.add(t)
        spots.append((o["x"], o["y"]))
        out.append({**o, "label": str(t)})
    return out


def _walk_away_layers(
    data: dict[str, Any], axes: tuple[str, str], colours: dict[str, str]
) -> tuple[list[Spec], list[dict[str, Any]]]:
    """Each axis party's walk-away point at the start and (if it moved) at the end, labelled."""
    walk = data["walk_away"]
    last = data["agreed_round"] if data["agreed_round"] is not None else data["rounds"] - 1
    rows: list[dict[str, Any]] = []
    for axis, party in zip(("x", "y"), axes, strict=True):
        start, end = walk[party][0], walk[party][last]
        moved = abs(start - end) > 1e-9
        for when, value, r in (("start", start, 0), ("end", end, last)):
            if when == "end" and not moved:
                continue
            low = value <= (end if when == "start" else start)
            rows.append(
                {
                    "axis": axis,
                    "party": party,
                    "when": when,
                    "round": r,
                    "value": value,
                    "label": f"{party} walk-away"
                    + (f" ({when}, round {r})" if moved else "")
                    + f": {value:.2f}",
                    # the lower of two lines is labelled below / left of it, the higher above
                    "low": moved and low,
                }
            )
    layers: list[Spec] = []
    for axis in ("x", "y"):
        party = axes[0] if axis == "x" else axes[1]
        mine = [r for r in rows if r["axis"] == axis]
        scale = {"domain": [-0.02, 1.02], "nice": False}
        at = {"field": "value", "type": "quantitative", "scale": scale}
        dash = {
            "field": "when",
            "type": "nominal",
            "scale": {"domain": ["start", "end"], "range": [[6, 3], [2, 2]]},
            "legend": None,
        }
        layers.append(
            {
                "data": values(mine),
                "mark": {"type": "rule", "strokeWidth": 1.5, "color": colours[party]},
                "encoding": {
                    axis: at,
                    "strokeDash": dash,
                    "tooltip": tooltip(
                        ("party", "nominal"),
                        ("when", "nominal"),
                        ("value", "quantitative", "walk-away point"),
                    ),
                },
            }
        )
        for low in (False, True):
            if not any(r["low"] == low for r in mine):
                continue
            if axis == "x":  # a vertical line: its label runs up along it, near the top
                mark = {
                    "type": "text",
                    "angle": 270,
                    "align": "right",
                    "baseline": "top" if low else "bottom",
                    "dx": -4,
                    "dy": 2 if low else -2,
                }
                where = {"x": at, "y": {"value": 0}}
            else:  # a horizontal line: its label at the right end, above or below it
                mark = {
                    "type": "text",
                    "align": "right",
                    "baseline": "top" if low else "bottom",
                    "dx": -2,
                    "dy": 2 if low else -2,
                }
                where = {"y": at, "x": {"value": WIDTH}}
            layers += halo(
                {
                    "data": values([r for r in mine if r["low"] == low]),
                    "mark": {**mark, "fontSize": 10, "color": colours[party]},
                    "encoding": {**where, "text": {"field": "label"}},
                }
            )
    return layers, rows


def trace_spec(
    data: dict[str, Any],
    frontier: list[tuple[float, float]],
    axes: tuple[str, str],
    scenario_id: str,
) -> Spec:
    """The simulated talks in the utility plane of two parties.

    Parameters
    ----------
    data
        :meth:`zopa.simulate.results.SimulationResult.to_dict`.
    frontier
        The Pareto frontier of all packages projected on the two parties
        (:meth:`zopa.results.Simulation.frontier`).
    axes
        The parties on the x and y axes.
    scenario_id
        For the subtitle.
    """
    x_party, y_party = axes
    parties = list(data["parties"])
    colours = party_colours(parties)
    scale = {"domain": [-0.02, 1.02], "nice": False}
    x_title = f"utility of {x_party} (0 = its worst package, 1 = its best)"
    y_title = f"utility of {y_party} (0 = its worst package, 1 = its best)"
    x = {"field": "x", "type": "quantitative", "scale": scale, "title": x_title}
    y = {"field": "y", "type": "quantitative", "scale": scale, "title": y_title}

    trace = data["trace"]
    rounds = [o["round"] for o in trace]
    first, last = (min(rounds), max(rounds)) if rounds else (0, 0)
    span = max(last - first, 1)
    offers = [
        {
            "seq": k,
            "round": o["round"],
            "date": o.get("date") or "",
            "proposer": o["proposer"],
            "package": _package(o["package"]),
            "x": o["utilities"][x_party],
            "y": o["utilities"][y_party],
            "accepted_by": ", ".join(o["accepted_by"]),
            "fill": round(0.15 + 0.85 * (o["round"] - first) / span, 3),
        }
        for k, o in enumerate(trace)
    ]
    order = [p for p in data.get("order") or parties if any(o["proposer"] == p for o in trace)]
    proposers = order + [p for p in dict.fromkeys(o["proposer"] for o in trace) if p not in order]

    layers: list[Spec] = [
        {
            "data": values([{"x": a, "y": b} for a, b in frontier]),
            "mark": {
                "type": "line",
                "interpolate": "step-after",
                "color": NEUTRAL,
                "strokeWidth": 1.2,
                "point": {"color": NEUTRAL, "size": 14},
            },
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tooltip(
                    ("x", "quantitative", f"Pareto frontier: utility of {x_party}"),
                    ("y", "quantitative", f"utility of {y_party}"),
                ),
            },
        }
    ]
    walk_layers, walk_rows = _walk_away_layers(data, axes, colours)
    layers += walk_layers
    if offers:
        layers += [
            {
                "data": values(offers),
                "mark": {"type": "line", "color": "#999999", "strokeWidth": 0.7, "opacity": 0.5},
                "encoding": {"x": x, "y": y, "order": {"field": "seq", "type": "quantitative"}},
            },
            {
                "data": values(offers),
                "mark": {"type": "point", "filled": True, "size": 55, "strokeWidth": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "proposer",
                        "type": "nominal",
                        "scale": party_scale(parties, proposers),
                        "legend": {
                            "title": "offers by (pale: early rounds, solid: late)",
                            "orient": "bottom",
                            "symbolOpacity": 1,
                            "titleLimit": 400,
                        },
                    },
                    "stroke": {
                        "field": "proposer",
                        "type": "nominal",
                        "scale": party_scale(parties, proposers),
                        "legend": None,
                    },
                    "fillOpacity": {"field": "fill", "type": "quantitative", "scale": None},
                    "order": {"field": "seq", "type": "quantitative"},
                    "tooltip": tooltip(
                        ("round", "quantitative", "round"),
                        ("date", "nominal"),
                        ("proposer", "nominal"),
                        ("package", "nominal"),
                        ("x", "quantitative", f"utility of {x_party}"),
                        ("y", "quantitative", f"utility of {y_party}"),
                        ("accepted_by", "nominal", "accepted by"),
                    ),
                },
            },
            *halo(
                {
                    "data": values(_labelled_rounds(offers)),
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "bottom",
                        "dx": 4,
                        "dy": -3,
                        "fontSize": 9,
                        "color": "#333333",
                    },
                    "encoding": {"x": x, "y": y, "text": {"field": "label"}},
                }
            ),
        ]
    marks: list[dict[str, Any]] = []
    nash = data.get("nash")
    if nash is not None:
        marks.append(
            {
                "what": "Nash package",
                "x": nash["utilities"][x_party],
                "y": nash["utilities"][y_party],
                "package": _package(nash["package"]),
                "label": "Nash",
            }
        )
    if data.get("agreement") is not None:
        fu = data["final_utilities"]
        marks.append(
            {
                "what": "agreement",
                "x": fu[x_party],
                "y": fu[y_party],
                "package": _package(data["agreement"]),
                "label": f"agreement (round {data['agreed_round']})",
            }
        )
    mark_tooltip = tooltip(
        ("what", "nominal", "mark"),
        ("package", "nominal"),
        ("x", "quantitative", f"utility of {x_party}"),
        ("y", "quantitative", f"utility of {y_party}"),
    )
    for m in marks:
        is_nash = m["what"] == "Nash package"
        symbol: dict[str, Any] = (
            {"shape": "diamond", "filled": False, "size": 170, "strokeWidth": 1.8, "color": "black"}
            if is_nash
            else {
                "shape": STAR,
                "filled": True,
                "size": 420,
                "color": AGREEMENT_COLOUR,
                "stroke": "white",
                "strokeWidth": 0.8,
            }
        )
        layers += [
            {
                "data": values([m]),
                "mark": {"type": "point", "opacity": 1, **symbol},
                "encoding": {"x": x, "y": y, "tooltip": mark_tooltip},
            },
            *halo(
                {
                    "data": values([m]),
                    "mark": {
                        "type": "text",
                        "fontSize": 11,
                        "fontWeight": "bold",
                        "align": "left",
                        "baseline": "middle",
                        "dx": 11 if is_nash else 13,
                        "dy": 5 if is_nash else -10,
                    },
                    "encoding": {"x": x, "y": y, "text": {"field": "label"}},
                }
            ),
        ]

    head = outcome(data)
    strategies = data["strategies"]
    kinds = set(strategies.values())
    played = (
        f"every party {next(iter(kinds))}"
        if len(kinds) == 1
        else ", ".join(f"{p} {s}" for p, s in strategies.items())
    )
    subtitle = [
        f"{scenario_id}: {len(trace)} offers"
        + (f" in rounds {first}–{last}" if trace else "")
        + f"; strategies: {played}",
        f"Offers in {x_party}'s and {y_party}'s utility; grey: the Pareto frontier of all "
        "packages for the two; lines: walk-away points",
    ]
    walk_text = "; ".join(r["label"] for r in walk_rows)
    description = (
        f"{head}. {len(trace)} offers plotted by the utility of {x_party} (x) and {y_party} (y), "
        f"with the Pareto frontier of all packages for the two and their walk-away points "
        f"({walk_text})."
        + (
            f" Nash package at ({nash['utilities'][x_party]:.2f}, {nash['utilities'][y_party]:.2f})."
            if nash
            else ""
        )
    )
    spec = base(
        head,
        None,
        description,
        width=WIDTH,
        height=HEIGHT,
        layer=layers,
        resolve={"scale": {"strokeDash": "independent"}},
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


@chart("simulation", "trace", main=True)
def simulation_trace(result: Any, parties: Any = None) -> Spec:
    """The offers in the utility plane of two parties, with the frontier and the outcome.

    Parameters
    ----------
    result
        A :class:`zopa.results.Simulation`.
    parties
        The two parties on the axes (default: the first two bargainers).
    """
    axes = result.axes(parties)
    return trace_spec(result.to_dict(), result.frontier(axes), axes, result.scenario.id)


CELL_WIDTH, CELL_HEIGHT = 64, 36
"""Pixels per cell of the strategy × party heat table."""


def _best(rows: list[dict[str, Any]], field: str) -> dict[str, dict[str, Any]]:
    """Each party's row with the highest ``field`` (the first such strategy on a tie)."""
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["party"] not in best or r[field] > best[r["party"]][field]:
            best[r["party"]] = r
    return best


PLAIN_AXIS = {"grid": False, "ticks": False, "domain": False, "labelPadding": 6}
"""Axes of a heat table: labels only."""

MAX_PROFILES = 36
"""The profiles chart exists for tournaments of at most this many strategy profiles."""


def heat_table(
    rows: list[dict[str, Any]],
    x: dict[str, Any],
    y: dict[str, Any],
    field: str,
    text: str,
    heading: str,
    cell: tuple[int, int],
) -> Spec:
    """One heat table: a cell per row coloured by ``field`` with ``text`` written in it.

    Rows whose ``best_<field>`` is true are outlined; the text is white on the darker half of
    the (colour-blind safe, grey-printable) sequential scheme.
    """
    vals = [r[field] for r in rows]
    mid = (min(vals) + max(vals)) / 2 if vals else 0.0
    return {
        "title": {"text": heading, "fontSize": 12, "anchor": "start"},
        "width": {"step": cell[0]},
        "height": {"step": cell[1]},
        "data": values(rows),
        "layer": [
            {
                "mark": {"type": "rect"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": field,
                        "type": "quantitative",
                        "scale": {"scheme": SEQUENTIAL},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "who", "type": "nominal", "title": "profile"},
                        *tooltip(
                            ("party", "nominal"),
                            ("mean_utility", "quantitative", "mean final utility"),
                            ("agreement_rate", "quantitative", "agreement rate"),
                            ("negotiations", "quantitative"),
                        ),
                    ],
                },
            },
            {
                "transform": [{"filter": f"datum.best_{field}"}],
                "mark": {"type": "rect", "fill": None, "stroke": "black", "strokeWidth": 2.5},
                "encoding": {"x": x, "y": y},
            },
            {
                "mark": {"type": "text", "fontSize": 12},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": text},
                    "color": {
                        "condition": {"test": f"datum['{field}'] < {mid!r}", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    }


def tournament_spec(data: dict[str, Any]) -> Spec:
    """The strategy × party heat table of a tournament (mean utility and agreement rate).

    Parameters
    ----------
    data
        :meth:`zopa.simulate.results.TournamentResult.to_dict`.
    """
    varied = list(data["varied"])
    strategies = list(data["strategies"])
    rows = [dict(r) for r in data["by_strategy"]]
    best = {field: _best(rows, field) for field in ("mean_utility", "agreement_rate")}
    for r in rows:
        for field, chosen in best.items():
            r[f"best_{field}"] = chosen[r["party"]] is r
        r["who"] = f"{r['party']} plays {r['strategy']}"
        r["utility_text"] = f"{r['mean_utility']:.3f}"
        r["rate_text"] = f"{r['agreement_rate']:.0%}"
    x = {
        "field": "party",
        "type": "nominal",
        "sort": varied,
        "title": "party whose strategy varies",
        "axis": {**PLAIN_AXIS, "orient": "top", "labelAngle": 0},
    }

    def y(first: bool) -> dict[str, Any]:
        return {
            "field": "strategy",
            "type": "nominal",
            "sort": strategies,
            "title": "strategy played" if first else None,
            "axis": PLAIN_AXIS,
        }

    cell = (CELL_WIDTH, CELL_HEIGHT)
    top = best["mean_utility"]
    head = "Best strategy by mean utility: " + ", ".join(
        f"{p} {top[p]['strategy']} ({top[p]['mean_utility']:.3f})" for p in varied if p in top
    )
    overall = sum(p["agreements"] for p in data["profiles"]) / max(data["negotiations"], 1)
    subtitle = [
        "Each varied party's mean final utility (left) and the share of talks that agreed "
        "(right) by the strategy it plays,",
        f"averaged over the other parties' strategies and {data['samples']} samples of the "
        f"inputs; the other parties play {data['default']}",
        f"{data['negotiations']:,} negotiations, {overall:.0%} agreed; outlined: each party's "
        "highest value",
    ]
    description = f"{head}. " + " ".join(
        f"{r['party']} playing {r['strategy']}: mean utility {r['mean_utility']:.3f}, "
        f"agreement rate {r['agreement_rate']:.0%}."
        for r in rows
    )
    spec = base(
        head,
        None,
        description,
        hconcat=[
            heat_table(
                rows, x, y(True), "mean_utility", "utility_text", "mean final utility (0–1)", cell
            ),
            heat_table(rows, x, y(False), "agreement_rate", "rate_text", "agreement rate", cell),
        ],
        resolve={"scale": {"color": "independent"}},
        spacing=24,
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


@chart("tournament", "tournament", main=True)
def tournament_table(result: Any) -> Spec:
    """Strategy × party heat table: each strategy's mean utility and agreement rate per party."""
    return tournament_spec(result.to_dict())


tournament_table.applies = lambda result: bool(result.to_dict()["by_strategy"])  # type: ignore[attr-defined]


def profiles_spec(data: dict[str, Any]) -> Spec:
    """Every strategy profile of a small tournament: each party's mean utility, and agreements.

    Parameters
    ----------
    data
        :meth:`zopa.simulate.results.TournamentResult.to_dict`.
    """
    parties = list(data["parties"])
    varied = list(data["varied"])
    labels = [", ".join(f"{p} {prof['profile'][p]}" for p in varied) for prof in data["profiles"]]
    cells: list[dict[str, Any]] = []
    rates: list[dict[str, Any]] = []
    for label, prof in zip(labels, data["profiles"], strict=True):
        common = {
            "who": label,
            "agreement_rate": prof["agreement_rate"],
            "negotiations": prof["negotiations"],
        }
        cells += [
            {
                **common,
                "party": p,
                "mean_utility": prof["mean_utility"][p],
                "utility_text": f"{prof['mean_utility'][p]:.3f}",
            }
            for p in parties
        ]
        rates.append(
            {
                **common,
                "party": "all",
                "mean_utility": None,
                "rate_text": f"{prof['agreement_rate']:.0%}",
            }
        )
    for field, rows in (("mean_utility", cells), ("agreement_rate", rates)):
        best = _best(rows, field)
        for r in rows:
            r[f"best_{field}"] = best[r["party"]] is r
    y = {"field": "who", "type": "nominal", "sort": labels, "title": None, "axis": PLAIN_AXIS}
    x_parties = {
        "field": "party",
        "type": "nominal",
        "sort": parties,
        "title": "party",
        "axis": {**PLAIN_AXIS, "orient": "top", "labelAngle": 0},
    }
    x_rate = {**x_parties, "sort": ["all"], "title": None, "axis": None}
    most = max(data["profiles"], key=lambda p: p["agreement_rate"])
    head = (
        f"Most agreements when {labels[data['profiles'].index(most)]} "
        f"({most['agreement_rate']:.0%} of {most['negotiations']} talks)"
    )
    subtitle = [
        f"Each strategy profile of the varied parties ({', '.join(varied)}; the others play "
        f"{data['default']}) over {data['samples']} samples of the inputs:",
        "every party's mean final utility (left) and the share of talks that agreed (right); "
        "outlined: the highest per column",
    ]
    description = f"{head}. " + " ".join(
        f"{label}: agreement rate {prof['agreement_rate']:.0%}, mean utility "
        + ", ".join(f"{p} {prof['mean_utility'][p]:.3f}" for p in parties)
        + "."
        for label, prof in zip(labels, data["profiles"], strict=True)
    )
    spec = base(
        head,
        None,
        description,
        hconcat=[
            heat_table(
                cells,
                x_parties,
                y,
                "mean_utility",
                "utility_text",
                "mean final utility (0–1)",
                (52, 24),
            ),
            heat_table(
                rates,
                x_rate,
                {**y, "axis": None},
                "agreement_rate",
                "rate_text",
                "agreed",
                (52, 24),
            ),
        ],
        resolve={"scale": {"color": "independent"}},
        spacing=12,
    )
    spec["title"]["subtitle"] = subtitle
    spec["title"]["subtitleColor"] = "#444444"
    return spec


@chart("tournament", "profiles")
def tournament_profiles(result: Any) -> Spec:
    """Profile × party heat table of a small tournament (each party's utility, agreements)."""
    return profiles_spec(result.to_dict())


tournament_profiles.applies = lambda result: 0 < len(result.to_dict()["profiles"]) <= MAX_PROFILES  # type: ignore[attr-defined]
