"""The trace plot shows the simulation projected on two parties, written as PNG or SVG."""

import numpy as np
import pytest

from zopa.render.trace_plot import default_axes, trace_plot, write_trace_plot

DATA = {
    "parties": ["UA", "RU", "US"],
    "bargainers": ["RU"],
    "rounds": 3,
    "walk_away": {"UA": [0.4, 0.35, 0.3], "RU": [0.5, 0.5, 0.55], "US": [0.2, 0.2, 0.2]},
    "trace": [
        {"proposer": "UA", "utilities": {"UA": 0.9, "RU": 0.1, "US": 0.5}},
        {"proposer": "RU", "utilities": {"UA": 0.45, "RU": 0.6, "US": 0.4}},
    ],
    "agreement": {"i": "o"},
    "agreed_round": 1,
    "final_utilities": {"UA": 0.45, "RU": 0.6, "US": 0.4},
    "nash": {"package": {"i": "o"}, "utilities": {"UA": 0.5, "RU": 0.55, "US": 0.3}},
}


def test_default_axes_fill_in_with_parties_that_do_not_bargain():
    assert default_axes(DATA) == ("RU", "UA")
    assert default_axes({**DATA, "bargainers": ["UA", "RU"]}) == ("UA", "RU")


def test_projection_on_two_parties(tmp_path):
    plot = trace_plot(DATA, np.array([[0.0, 1.0], [1.0, 0.0]]), ("UA", "RU"), "t")
    assert list(plot.offers) == [("UA", 0.9, 0.1), ("RU", 0.45, 0.6)]
    assert plot.reservation_start == (0.4, 0.5)
    assert plot.reservation_end == (0.35, 0.5)  # the round of agreement
    assert plot.agreement == (0.45, 0.6)
    assert plot.nash == (0.5, 0.55)
    broke = trace_plot(
        {**DATA, "agreement": None, "agreed_round": None}, plot.frontier, ("UA", "RU"), "t"
    )
    assert broke.agreement is None
    assert broke.reservation_end == (0.3, 0.55)  # the last round
    write_trace_plot(plot, tmp_path / "p.svg")
    assert "utility of UA" in (tmp_path / "p.svg").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="PNG or SVG"):
        write_trace_plot(plot, tmp_path / "p.jpg")


def _legend_labels(plot):
    """Draw the plot and return its legend's labels and the figure's axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from zopa.render import trace_plot as module

    fig, ax = plt.subplots()
    try:
        module._draw(ax, plot)
        legend = ax.get_legend()
        labels = [t.get_text() for t in legend.get_texts()]
        texts = [t.get_text() for t in ax.texts]
        return labels, texts, ax
    finally:
        plt.close(fig)


def test_title_states_the_outcome():
    plot = trace_plot(DATA, np.array([[0.0, 1.0]]), ("UA", "RU"), "berlin: strategies")
    assert plot.title == "berlin: strategies\nAgreement in round 1"
    dated = trace_plot({**DATA, "dates": ["d0", "d1", "d2"]}, plot.frontier, ("UA", "RU"), "t")
    assert dated.title.endswith("Agreement in round 1 (d1)")
    none = {**DATA, "agreement": None, "agreed_round": None, "walked_out": None}
    assert trace_plot(none, plot.frontier, ("UA", "RU"), "t").title.endswith(
        "No agreement by the deadline, round 2"
    )
    out = {**none, "walked_out": "RU", "trace": [{**o, "round": 1} for o in DATA["trace"]]}
    assert trace_plot(out, plot.frontier, ("UA", "RU"), "t").title.endswith(
        "Breakdown: RU walked out in round 1"
    )


def test_the_agreement_has_a_colour_no_party_has():
    from zopa.render.trace_plot import AGREEMENT_COLOUR, PARTY_COLOURS, matplotlib_colours

    assert AGREEMENT_COLOUR not in PARTY_COLOURS
    assert "C7" not in matplotlib_colours(20)  # the grey of the frontier and lines


def test_legend_has_one_entry_per_distinct_line_and_offers_show_their_rounds():
    trace = [
        {"round": 0, "proposer": "RU", "utilities": {"UA": 0.2, "RU": 0.9, "US": 0.5}},
        {"round": 0, "proposer": "UA", "utilities": {"UA": 0.9, "RU": 0.1, "US": 0.5}},
        {"round": 1, "proposer": "RU", "utilities": {"UA": 0.45, "RU": 0.6, "US": 0.4}},
    ]
    data = {**DATA, "trace": trace, "order": ["UA", "RU", "US"]}
    # UA's walk-away point moves, RU's does not (up to the round of agreement)
    data["walk_away"] = {"UA": [0.4, 0.35, 0.3], "RU": [0.5, 0.5, 0.55], "US": [0.2] * 3}
    plot = trace_plot(data, np.array([[0.0, 1.0], [1.0, 0.0]]), ("UA", "RU"), "t")
    assert list(plot.rounds) == [0, 0, 1]
    labels, texts, _ = _legend_labels(plot)
    assert len(labels) == len(set(labels))
    assert "UA walk-away (start)" in labels
    assert "UA walk-away (end)" in labels
    assert "RU walk-away" in labels  # did not move: one entry, no "(start)"/"(end)"
    assert "RU walk-away (end)" not in labels
    # proposers in the turn order, then the Nash package and the agreement
    offers = [lab for lab in labels if lab.startswith("offers by")]
    assert offers == ["offers by UA", "offers by RU"]
    assert "agreement" in labels
    assert "Nash package" in labels
    assert {"0", "1"} <= set(texts)  # round numbers along the path
