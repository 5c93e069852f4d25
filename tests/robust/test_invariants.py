"""The robust analysis keeps the model's invariants, whatever the ranges (issue 21).

* A run whose ranges are all degenerate (``low == high``) reproduces ``zopa analyze`` exactly.
* Huge ranges (weights up to 1e300 and beyond) sample without overflow: the draws stay in their
  intervals, and the verdicts are those of the deterministic analysis when only the scale of a
  party's single weight varies.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import zopa
from zopa.io.scenario_file import parse_scenario
from zopa.robust.proposals import robust_proposals, space_inputs
from zopa.robust.sampling import UncertainInput, sample_inputs
from zopa.space.analysis import analyze

SMALL = Path(__file__).parents[1] / "io" / "good_scenarios" / "small.yaml"


def _degenerate(text: str) -> str:
    """Collapse every range of a scenario's text onto its point value."""
    number = r"(-?[0-9.e+-]+)"
    text = re.sub(
        rf"\{{mode: {number}, low: {number}, high: {number}\}}",
        r"{mode: \1, low: \1, high: \1}",
        text,
    )
    return re.sub(rf"\{{low: {number}, high: {number}\}}", r"{low: \1, high: \1}", text)


def test_degenerate_ranges_reproduce_the_deterministic_analysis() -> None:
    berlin = next(Path(zopa.__file__).parent.rglob("berlin-2025-12.yaml"))
    text = _degenerate(berlin.read_text(encoding="utf-8"))
    scenario = parse_scenario(text.encode(), "degenerate.yaml")
    inputs = space_inputs(scenario)
    assert len(inputs) > 50
    assert all(i.low == i.high for i in inputs)
    point = analyze(scenario)
    robust = robust_proposals(scenario, samples=40, seed=5, workers=1)
    by_id = {p.id: p for p in point.proposals}
    for p in robust.proposals:
        verdict = by_id[p.proposal].verdict
        assert p.bridges == float(verdict.bridges)
        for party in verdict.parties:
            if party.needed:
                assert p.accepts[party.party] == float(party.accepted)
        assert p.hinges == []  # nothing varies, so nothing can be a hinge
    assert robust.zone is not None
    assert robust.zone.exists == float(point.zone.exists)
    assert all(q == point.zone.margin for q in robust.zone.margin_quantiles.values())
    assert robust.nash is not None
    nash = robust.nash.to_dict()
    assert nash["distinct"] == 1
    assert nash["packages"][0]["share"] == 1.0
    assert point.solutions["nash"] is not None
    assert nash["packages"][0]["package"] in [t.package for t in point.solutions["nash"]]


HUGE_WEIGHT = """    weights:
      nato: {mode: 1, low: 0, high: 1e300}
      army: 0
"""


def _with_us_weights(weights: str) -> bytes:
    text = SMALL.read_text(encoding="utf-8")
    old = """    weights:
      nato: 1
      army: 0
"""
    assert old in text
    return text.replace(old, weights).encode()


def test_a_single_huge_weight_leaves_every_verdict_as_analyze_gives_it() -> None:
    # US's only weight varies up to 1e300: renormalised, it is always 1, so nothing changes
    scenario = parse_scenario(_with_us_weights(HUGE_WEIGHT), "huge.yaml")
    point = analyze(scenario)
    robust = robust_proposals(scenario, samples=300, seed=2, workers=1)
    by_id = {p.id: p.verdict for p in point.proposals}
    for p in robust.proposals:
        if "US" in p.accepts:
            assert p.accepts["US"] == float(
                next(v.accepted for v in by_id[p.proposal].parties if v.party == "US")
            )
    assert robust.zone is not None
    assert all(-1.0 <= q <= 1.0 for q in robust.zone.margin_quantiles.values())
    assert robust.nash is not None
    shares = [x["share"] for x in robust.nash.to_dict()["packages"]]
    assert all(0.0 < s <= 1.0 for s in shares)
    assert sum(shares) <= 1.0 + 1e-9


@given(
    low=st.floats(0.0, 1e308),
    width=st.floats(0.0, 1.0),
    at=st.floats(0.0, 1.0),
    uniform=st.booleans(),
)
def test_draws_stay_finite_and_inside_their_interval(
    low: float, width: float, at: float, uniform: bool
) -> None:
    high = min(low + width * 1.7e308, 1.7976931348623157e308)
    mode = None if uniform else low + at * (high - low)
    item = UncertainInput("x", 0.0, low, high, mode)
    draws = sample_inputs([item], 64, 0)[:, 0]
    assert np.isfinite(draws).all()
    assert (draws >= low).all()
    assert (draws <= high).all()
