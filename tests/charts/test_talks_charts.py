"""Talks over time: the simulated trace (what the matplotlib plot showed) and the tournament."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from tests.charts.results import result

import zopa
from zopa.charts.palette import party_colours
from zopa.charts.talks import STAR, _labelled_rounds, outcome

DATA: dict[str, Any] = {
    "parties": ["UA", "RU", "US"],
    "bargainers": ["RU"],
    "rounds": 3,
    "walk_away": {"UA": [0.4, 0.35, 0.3], "RU": [0.5, 0.5, 0.55], "US": [0.2, 0.2, 0.2]},
    "trace": [
        {"round": 0, "proposer": "UA", "utilities": {"UA": 0.9, "RU": 0.1, "US": 0.5}},
        {"round": 1, "proposer": "RU", "utilities": {"UA": 0.45, "RU": 0.6, "US": 0.4}},
    ],
    "agreement": {"i": "o"},
    "agreed_round": 1,
    "final_utilities": {"UA": 0.45, "RU": 0.6, "US": 0.4},
    "nash": {"package": {"i": "o"}, "utilities": {"UA": 0.5, "RU": 0.55, "US": 0.3}},
    "nash_distance": None,
}


def _layer_rows(spec: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The rows with ``field`` of every layer but text halos (white-outlined copies)."""
    return [
        row
        for layer in spec["layer"]
        if layer["mark"].get("stroke") != "white" or layer["mark"]["type"] != "text"
        for row in layer.get("data", {}).get("values", [])
        if field in row
    ]


def _marks(spec: dict[str, Any], what: str) -> list[dict[str, Any]]:
    return [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "point"
        and any(row.get("what") == what for row in layer["data"]["values"])
    ]


def test_title_states_the_outcome() -> None:
    assert outcome(DATA) == "Agreement in round 1"
    dated = {**DATA, "dates": ["d0", "d1", "d2"]}
    assert outcome(dated) == "Agreement in round 1 (d1)"
    near = {**DATA, "nash_distance": {"utility": 0.0712, "issues": 2}}
    assert (
        outcome(near)
        == "Agreement in round 1, 0.071 from the Nash package in utility (2 issues differ)"
    )
    none = {**DATA, "agreement": None, "agreed_round": None, "walked_out": None}
    assert outcome(none) == "No agreement by the deadline, round 2"
    out = {**none, "walked_out": "RU"}
    assert outcome(out) == "Breakdown: RU walked out in round 1"
    sim = result("simulation")
    assert sim.chart().title == outcome(sim.to_dict())


def test_default_axes_are_the_first_two_bargainers_filled_in_by_other_parties() -> None:
    sim = result("simulation")
    assert sim.axes() == ("UA", "RU")
    one = dataclasses.replace(sim, result=dataclasses.replace(sim.result, bargainers=("RU",)))
    assert one.axes() == ("RU", "UA")
    assert sim.axes(["EU", "US"]) == ("EU", "US")


@pytest.mark.parametrize(
    ("parties", "error"),
    [
        (("UA", "XX"), zopa.UnknownId),
        (("UA", "UA"), zopa.UsageError),
        (("UA", "RU", "EU"), zopa.UsageError),
    ],
)
def test_bad_parties_are_refused(parties: tuple[str, ...], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        result("simulation").chart("trace", parties=parties)
    assert info.value.parameter == "chart_parties"  # type: ignore[attr-defined]


def test_the_frontier_is_the_facades_projection() -> None:
    sim = result("simulation")
    spec = sim.chart("trace").spec
    frontier = spec["layer"][0]
    assert frontier["mark"]["interpolate"] == "step-after"
    points = [(row["x"], row["y"]) for row in frontier["data"]["values"]]
    assert points == sim.frontier(("UA", "RU"))
    assert len(points) > 10
    # Pareto: no point beats another for both parties
    for a in points:
        assert not any(b[0] > a[0] and b[1] > a[1] for b in points)
    other = sim.chart("trace", parties=("RU", "EU")).spec["layer"][0]["data"]["values"]
    assert [(row["x"], row["y"]) for row in other] == sim.frontier(("RU", "EU"))


def test_walk_away_points_at_the_start_and_where_they_moved_the_end() -> None:
    sim = result("simulation")
    d = sim.to_dict()
    last = d["agreed_round"]
    rows = _layer_rows(sim.chart("trace").spec, "when")
    for party in ("UA", "RU"):
        mine = {row["when"]: row for row in rows if row["party"] == party}
        assert set(mine) == {"start", "end"}  # both moved in the default scenario
        assert mine["start"]["value"] == d["walk_away"][party][0]
        assert mine["end"]["value"] == d["walk_away"][party][last]
        assert mine["end"]["round"] == last
    assert {row["axis"] for row in rows if row["party"] == "UA"} == {"x"}
    assert {row["axis"] for row in rows if row["party"] == "RU"} == {"y"}
    still = [
        row
        for layer in sim.chart("trace", parties=("CA", "JP")).spec["layer"]
        if layer["mark"]["type"] == "rule"
        for row in layer["data"]["values"]
    ]
    assert [(row["party"], row["when"]) for row in still] == [("CA", "start"), ("JP", "start")]
    assert all("(start" not in row["label"] for row in still)  # one line, no start/end
    svg = sim.chart("trace").to_svg()
    assert f"UA walk-away (start, round 0): {d['walk_away']['UA'][0]:.2f}" in svg
    assert f"UA walk-away (end, round {last}): {d['walk_away']['UA'][last]:.2f}" in svg


def test_every_offer_in_round_order_coloured_by_proposer() -> None:
    sim = result("simulation")
    d = sim.to_dict()
    spec = sim.chart("trace").spec
    offers = next(
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "point" and "seq" in layer["data"]["values"][0]
    )
    rows = offers["data"]["values"]
    assert [row["seq"] for row in rows] == list(range(len(d["trace"])))
    for row, offer in zip(rows, d["trace"], strict=True):
        assert row["round"] == offer["round"]
        assert row["proposer"] == offer["proposer"]
        assert (row["x"], row["y"]) == (offer["utilities"]["UA"], offer["utilities"]["RU"])
        assert row["package"] == "; ".join(f"{i}={o}" for i, o in offer["package"].items())
    fills = [row["fill"] for row in rows]
    assert fills == sorted(fills)  # pale early, solid late
    assert fills[0] < fills[-1] == 1.0
    scale = offers["encoding"]["color"]["scale"]
    colours = party_colours(d["parties"])
    assert scale["range"] == [colours[p] for p in scale["domain"]]
    assert "package" in {t["field"] for t in offers["encoding"]["tooltip"]}
    path = next(
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "line" and "seq" in layer["data"]["values"][0]
    )
    assert path["encoding"]["order"]["field"] == "seq"  # the thin line joins them in time order
    labelled = [int(row["label"]) for row in _layer_rows(spec, "label") if "seq" in row]
    assert labelled[0] == 0
    assert labelled == sorted(labelled)


def test_round_labels_skip_crowded_spots_and_keep_the_last_round() -> None:
    offers = [
        {"round": t, "x": x, "y": y}
        for t, x, y in [(0, 0.9, 0.1), (0, 0.1, 0.9), (1, 0.905, 0.1), (2, 0.5, 0.5), (3, 0.6, 0.6)]
    ]
    assert [o["round"] for o in _labelled_rounds(offers)] == [0, 2, 3]  # round 1 crowds round 0
    many = [{"round": t, "x": t / 40, "y": 1 - t / 40} for t in range(40)]
    rounds = [o["round"] for o in _labelled_rounds(many)]
    assert 6 <= len(rounds) <= 10
    assert rounds[-1] == 39


def test_agreement_and_nash_marks() -> None:
    sim = result("simulation")
    d = sim.to_dict()
    spec = sim.chart("trace").spec
    (star,) = _marks(spec, "agreement")
    assert star["mark"]["shape"] == STAR
    assert star["mark"]["color"] == "black"
    row = star["data"]["values"][0]
    assert (row["x"], row["y"]) == (d["final_utilities"]["UA"], d["final_utilities"]["RU"])
    (diamond,) = _marks(spec, "Nash package")
    assert diamond["mark"]["shape"] == "diamond"
    assert diamond["mark"]["filled"] is False
    nash = diamond["data"]["values"][0]
    assert (nash["x"], nash["y"]) == (d["nash"]["utilities"]["UA"], d["nash"]["utilities"]["RU"])
    assert "renounced-in-law" in nash["package"]
    svg = sim.chart("trace").to_svg()
    assert f"agreement (round {d['agreed_round']})" in svg
    assert ">Nash<" in svg
    assert "utility of UA" in svg
    assert "utility of RU" in svg
    # no proposer is drawn in the agreement's black
    assert "#000000" not in spec["layer"][-1].get("encoding", {}).get("color", {}).get(
        "scale", {}
    ).get("range", [])


def test_no_agreement_no_star() -> None:
    sim = zopa.simulate(strategy="UA=hardliner,RU=hardliner")
    spec = sim.chart().spec
    assert spec["title"]["text"].startswith("No agreement by the deadline")
    assert not _marks(spec, "agreement")
    assert _marks(spec, "Nash package")


def test_write_plot_delegates_to_the_chart(tmp_path: Path) -> None:
    sim = result("simulation")
    pdf = sim.write_plot(tmp_path / "t.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(zopa.UsageError):
        sim.write_plot(tmp_path / "t.jpg")


def test_tournament_has_a_cell_for_every_strategy_and_party() -> None:
    t = result("tournament")
    d = t.to_dict()
    spec = t.chart().spec
    assert t.charts[0] == "tournament"
    utility, rate = spec["hconcat"]
    for table, field, text in (
        (utility, "mean_utility", "utility_text"),
        (rate, "agreement_rate", "rate_text"),
    ):
        rows = table["data"]["values"]
        assert {(r["party"], r["strategy"]) for r in rows} == {
            (p, s) for p in d["varied"] for s in d["strategies"]
        }
        for r in rows:
            expected = next(
                b
                for b in d["by_strategy"]
                if (b["party"], b["strategy"]) == (r["party"], r["strategy"])
            )
            assert r[field] == expected[field]
        layers = {
            layer["mark"]["type"]: layer for layer in table["layer"] if "transform" not in layer
        }
        assert layers["rect"]["encoding"]["color"]["field"] == field
        assert layers["text"]["encoding"]["text"]["field"] == text
        # each party's highest value is outlined: one per party
        best = [r for r in rows if r[f"best_{field}"]]
        assert sorted(r["party"] for r in best) == sorted(d["varied"])
        for r in best:
            assert r[field] == max(o[field] for o in rows if o["party"] == r["party"])
    svg = t.chart().to_svg()
    first = d["by_strategy"][0]
    assert f"{first['mean_utility']:.3f}" in svg
    assert f"{first['agreement_rate']:.0%}" in svg
    for s in d["strategies"]:
        assert f">{s}<" in svg


def test_tournament_title_names_each_partys_best_strategy() -> None:
    d = result("tournament").to_dict()
    title = result("tournament").chart().title
    for party in d["varied"]:
        mine = [b for b in d["by_strategy"] if b["party"] == party]
        best = max(mine, key=lambda b: b["mean_utility"])
        assert f"{party} {best['strategy']} ({best['mean_utility']:.3f})" in title


def test_html_works_offline() -> None:
    for kind in ("simulation", "tournament"):
        html = result(kind).chart().to_html()
        assert "<html" in html.lower()
        assert "https://cdn" not in html


def test_profiles_chart_for_a_small_tournament() -> None:
    from tests.charts.test_every_chart import _validator

    assert "profiles" not in result("tournament").charts  # 216 profiles: too many rows
    t = zopa.tournament(samples=2, strategies="conceder,hardliner", parties="UA,RU", workers=1)
    assert t.charts == ("tournament", "profiles")
    d = t.to_dict()
    chart = t.chart("profiles")
    assert not list(_validator().iter_errors(chart.spec))
    utility, agreed = chart.spec["hconcat"]
    cells = utility["data"]["values"]
    assert len(cells) == len(d["profiles"]) * len(d["parties"])
    labels = utility["layer"][0]["encoding"]["y"]["sort"]
    assert labels == [f"UA {p['profile']['UA']}, RU {p['profile']['RU']}" for p in d["profiles"]]
    for cell in cells:
        prof = d["profiles"][labels.index(cell["who"])]
        assert cell["mean_utility"] == prof["mean_utility"][cell["party"]]
    assert [r["agreement_rate"] for r in agreed["data"]["values"]] == [
        p["agreement_rate"] for p in d["profiles"]
    ]
    assert chart.title.startswith("Most agreements when UA conceder, RU conceder")
    svg = chart.to_svg()
    assert "UA hardliner, RU hardliner" in svg
    assert chart.title in svg
