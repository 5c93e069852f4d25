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
