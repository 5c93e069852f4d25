"""``zopa timeline``: the talks date by date, the gap between the sides, and the verdict.

The handmade scenario has two sides A and B (belligerents) and a mediator M, two issues x and y
with options a-wins / split / b-wins, and numbers chosen so that every gap is easy to check:

* A: weights x 0.6, y 0.4; values a-wins 1, split 0.5, b-wins 0; walk-away 0.5.
* B: weights x 0.5, y 0.5; values a-wins 0, split 0.5, b-wins 1; walk-away 0.4.

Proposals: m1 (M, 1 Jan: split/split), a1 (A, 5 Jan: a-wins/a-wins), b1 (B, 7 Jan:
b-wins/b-wins), b2 (B and M, 10 Jan: split/b-wins); A rejects b1 on 8 Jan. So, by hand:

* 7 Jan: gap_a = max(0, 0.4 − u_B(a1) = 0) = 0.4; gap_b = max(0, 0.5 − u_A(b1) = 0) = 0.5;
  gap 0.9.
* 10 Jan: gap_b = max(0, 0.5 − u_A(b2) = 0.6·0.5) = 0.2; gap 0.6: converging, B's move on x
  (it gives A 0.6 × 0.5 = 0.3).
* The margin: max over the 9 packages of min(u_A − 0.5, u_B − 0.4) = 0.1 (x a-wins, y b-wins).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import invoke

import zopa
from zopa.model.scenario import Scenario
from zopa.space.timeline import (
    DateSamples,
    attach_samples,
    compute_timeline,
    dated_scenario,
    shifts_in_force,
    short_date,
    sides_of,
)

HANDMADE = """
zopa: 1
id: handmade
title: Two sides and a mediator
as_of: 2025-01-12
sources:
  s1: {publisher: Wire, title: A report, date: 2025-01-01}
parties:
  A: {name: Side A, role: belligerent}
  B: {name: Side B, role: belligerent}
  M: {name: Mediator, role: mediator}
issues:
  x:
    name: Issue x
    options: {a-wins: A wins, split: Split, b-wins: B wins}
  y:
    name: Issue y
    options: {a-wins: A wins, split: Split, b-wins: B wins}
preferences:
  A:
    weights: {x: 0.6, y: 0.4}
    values:
      x: {a-wins: 1, split: 0.5, b-wins: 0}
      y: {a-wins: 1, split: 0.5, b-wins: 0}
    reservation: 0.5
    basis: "Assumption [s1]."
  B:
    weights: {x: 0.5, y: 0.5}
    values:
      x: {a-wins: 0, split: 0.5, b-wins: 1}
      y: {a-wins: 0, split: 0.5, b-wins: 1}
    reservation: {mode: 0.4, low: 0.3, high: 0.5}
    basis: "Assumption [s1]."
proposals:
  m1: {title: Mediator's text, by: M, date: 2025-01-01, source: s1, terms: {x: split, y: split}}
  a1: {title: A's demands, by: A, date: 2025-01-05, source: s1, terms: {x: a-wins, y: a-wins}}
  b1: {title: B's demands, by: B, date: 2025-01-07, source: s1, terms: {x: b-wins, y: b-wins}}
  b2: {title: B's offer, by: [B, M], date: 2025-01-10, source: s1, terms: {x: split, y: b-wins}}
reactions:
  - {date: 2025-01-08, party: A, proposal: b1, stance: rejects, source: s1, quote: "No."}
"""

A2 = """
  a2: {title: A's offer, by: A, date: 2025-01-10, source: s1, terms: {x: a-wins, y: split}}
"""

SHIFT = """
dynamics:
  start: 2025-01-06
  round_days: 7
  rounds: 10
  shifts:
    - date: 2025-01-09
      event: B gains ground
      parties: {B: 0.1}
      basis: "Assumption [s1]."
      source: s1
    - date: 2025-01-11
      event: A might lose ground
      hypothetical: true
      parties: {A: -0.2}
      basis: "Assumption [s1]."
"""


def scenario(extra_proposals: str = "", dynamics: str = "", reactions: bool = True) -> Scenario:
    """The handmade scenario, with more proposals or a dynamics section."""
    import yaml

    text = HANDMADE.replace("reactions:\n", extra_proposals + "reactions:\n", 1) + dynamics
    data = yaml.safe_load(text)
    if not reactions:
        del data["reactions"]
    return Scenario.model_validate(data)


def write(tmp_path: Path, s: Scenario) -> Path:
    """Write a scenario as a file (YAML is JSON's superset)."""
    path = tmp_path / f"{s.id}.yaml"
    path.write_text(json.dumps(s.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    return path


# -- the handmade scenario, by hand -------------------------------------------------------------


def test_dates_are_those_of_proposals_and_reactions() -> None:
    t = zopa.timeline(scenario())
    days = [d["date"] for d in t.to_dict()["dates"]]
    assert days == ["2025-01-01", "2025-01-05", "2025-01-07", "2025-01-08", "2025-01-10"]


def test_gaps_by_hand() -> None:
    rows = {d["date"]: d for d in zopa.timeline(scenario()).to_dict()["dates"]}
    first = rows["2025-01-01"]["gaps"][0]
    assert (first["a"], first["b"]) == ("A", "B")
    assert first["gap_a"] is None
    assert first["gap_b"] is None
    assert first["gap"] is None
    g = rows["2025-01-05"]["gaps"][0]
    assert g["gap_a"] == pytest.approx(0.4)
    assert g["gap_b"] is None
    assert g["own_a"] == pytest.approx(1.0)
    assert g["own_slack_a"] == pytest.approx(0.5)
    g = rows["2025-01-07"]["gaps"][0]
    assert (g["gap_a"], g["gap_b"], g["gap"]) == pytest.approx((0.4, 0.5, 0.9))
    assert g["other_b"] == pytest.approx(0.0)
    assert g["own_b"] == pytest.approx(1.0)
    g = rows["2025-01-10"]["gaps"][0]
    assert (g["proposal_a"], g["proposal_b"]) == ("a1", "b2")
    assert (g["gap_a"], g["gap_b"], g["gap"]) == pytest.approx((0.4, 0.2, 0.6))
    assert g["other_b"] == pytest.approx(0.3)
    assert g["own_b"] == pytest.approx(0.75)
    assert g["own_slack_b"] == pytest.approx(0.35)


def test_latest_proposals_joint_authors_and_acceptance() -> None:
    rows = {d["date"]: d for d in zopa.timeline(scenario()).to_dict()["dates"]}
    assert rows["2025-01-01"]["proposals"] == {"M": "m1"}
    assert rows["2025-01-07"]["proposals"] == {"A": "a1", "B": "b1", "M": "m1"}
    # b2 is by B and M: it is the latest of both
    assert rows["2025-01-10"]["proposals"] == {"A": "a1", "B": "b2", "M": "b2"}
    acceptance = rows["2025-01-10"]["acceptance"]
    assert list(acceptance) == ["a1", "b2"]
    # the mediator's consent is needed by no issue: only A and B are listed
    assert acceptance["a1"] == {"A": True, "B": False}
    assert acceptance["b2"] == {"A": False, "B": True}
    # m1 gives A exactly its walk-away point (0.5): accepted (u >= r)
    assert rows["2025-01-01"]["acceptance"]["m1"] == {"A": True, "B": True}


def test_margin_by_hand_and_equal_to_analyze() -> None:
    s = scenario()
    t = zopa.timeline(s)
    margins = [d["margin"] for d in t.to_dict()["dates"]]
    assert margins == pytest.approx([0.1] * 5)
    assert zopa.analyze(s, count="skip").result.zone.margin == pytest.approx(0.1)
    assert "same on every date" in t.result.margin_note
    assert "no dynamics section" in t.result.margin_note


def test_reactions_and_new_proposals_per_date() -> None:
    rows = {d["date"]: d for d in zopa.timeline(scenario()).to_dict()["dates"]}
    assert rows["2025-01-08"]["new"] == {
        "proposals": [],
        "reactions": [
            {"party": "A", "proposal": "b1", "stance": "rejects", "source": ["s1"], "quote": "No."}
        ],
    }
    assert rows["2025-01-10"]["new"]["proposals"] == ["b2"]


def test_verdict_converging_mostly_by_one_side() -> None:
    t = zopa.timeline(scenario())
    v = t.result.verdicts[0]
    assert v.trend == "converging"
    assert (v.start, v.end) == (dt.date(2025, 1, 7), dt.date(2025, 1, 10))
    assert (v.gap_start, v.gap_end) == pytest.approx((0.9, 0.6))
    assert v.drivers == ("B",)
    assert v.named == {"B": ("x",)}
    moves = {m.party: m for m in v.moves}
    assert moves["A"].before == moves["A"].after == "a1"
    assert moves["A"].gap_change == 0
    assert moves["B"].gap_change == pytest.approx(-0.3)
    assert [(i.issue, i.change) for i in moves["B"].issues] == [("x", pytest.approx(0.3))]
    assert t.verdict == (
        "converging: the gap A–B fell from 0.90 to 0.60 between 7 Jan and 10 Jan, "
        "mostly by B's moves on x"
    )


def test_verdict_by_both_sides() -> None:
    """a2 (A, 10 Jan: a-wins/split) gives B 0.25 on y; b2 gives A 0.3 on x: neither is 2/3."""
    t = zopa.timeline(scenario(A2))
    v = t.result.verdicts[0]
    assert v.trend == "converging"
    assert (v.gap_start, v.gap_end) == pytest.approx((0.9, 0.35))
    assert v.drivers == ("B", "A")
    assert t.verdict.endswith("by B's moves on x and A's moves on y")


def test_verdict_diverging() -> None:
    """Swap b1 and b2: B's later proposal is the tougher one."""
    s = scenario()
    data = s.model_dump(mode="json")
    data["proposals"]["b1"]["date"], data["proposals"]["b2"]["date"] = "2025-01-10", "2025-01-07"
    data["reactions"] = []
    t = zopa.timeline(Scenario.model_validate(data))
    v = t.result.verdicts[0]
    assert v.trend == "diverging"
    assert (v.gap_start, v.gap_end) == pytest.approx((0.6, 0.9))
    assert t.verdict.startswith("diverging: the gap A–B rose from 0.60 to 0.90")
    assert "mostly by B's moves on x" in t.verdict


def test_verdict_no_change_and_not_enough_proposals() -> None:
    s = scenario()
    data = s.model_dump(mode="json")
    data["proposals"]["b2"]["terms"] = {"x": "b-wins", "y": "b-wins"}  # same package as b1
    t = zopa.timeline(Scenario.model_validate(data))
    assert t.result.verdicts[0].trend == "no change"
    assert t.verdict.startswith("no change: the gap A–B stayed at 0.90 between 7 Jan and 10 Jan")
    del data["proposals"]["b1"], data["proposals"]["b2"]
    data["reactions"] = []
    t = zopa.timeline(Scenario.model_validate(data))
    assert t.result.verdicts[0].trend == "not enough proposals"
    assert t.verdict == "not enough proposals: B has made no proposal, so the gap A–B is unknown"
    one = zopa.timeline(scenario(), as_of="2025-01-07")
    assert one.result.verdicts[0].trend == "not enough proposals"
    assert "the only date on which both sides have a proposal" in one.verdict


def test_sides_fall_back_to_principals() -> None:
    data = scenario().model_dump(mode="json")
    data["parties"]["A"]["role"] = "party"
    data["parties"]["B"]["role"] = "party"
    s = Scenario.model_validate(data)
    assert sides_of(s) == (("A", "B"), "principal")
    assert zopa.timeline(s).result.verdicts[0].trend == "converging"


def test_as_of_cut_ends_the_timeline() -> None:
    t = zopa.timeline(scenario(), as_of="2025-01-07")
    d = t.to_dict()
    assert [x["date"] for x in d["dates"]] == ["2025-01-01", "2025-01-05", "2025-01-07"]
    assert d["as_of"]["summary"].startswith("As of 2025-01-07: 1 proposal")
    assert t.scenario.as_of == dt.date(2025, 1, 7)
    with pytest.raises(zopa.UsageError, match="nothing to analyse"):
        zopa.timeline(scenario(), as_of="2024-12-31")
    with pytest.raises(zopa.UsageError, match="YYYY-MM-DD"):
        zopa.timeline(scenario(), as_of="7 Jan")


def test_no_proposals_is_an_error() -> None:
    data = scenario(reactions=False).model_dump(mode="json")
    data["proposals"] = {}
    with pytest.raises(ValueError, match="nothing to put on a timeline"):
        zopa.timeline(Scenario.model_validate(data))


# -- walk-away points over time -----------------------------------------------------------------


def test_reported_shift_moves_walk_away_points_and_margin() -> None:
    s = scenario(dynamics=SHIFT)
    assert [x.event for x in shifts_in_force(s, dt.date(2025, 1, 12))] == ["B gains ground"]
    assert shifts_in_force(s, dt.date(2025, 1, 8)) == []
    t = zopa.timeline(s)
    rows = {d["date"]: d for d in t.to_dict()["dates"]}
    assert rows["2025-01-08"]["walk_away"] == {"A": 0.5, "B": 0.4}
    assert rows["2025-01-10"]["walk_away"] == {"A": 0.5, "B": 0.5}  # the hypothetical: not applied
    assert rows["2025-01-08"]["margin"] == pytest.approx(0.1)
    assert rows["2025-01-10"]["margin"] == pytest.approx(0.0)
    g = rows["2025-01-10"]["gaps"][0]
    assert (g["gap_a"], g["gap_b"], g["gap"]) == pytest.approx((0.5, 0.2, 0.7))
    v = t.result.verdicts[0]
    assert v.shifts == pytest.approx(0.1)
    assert v.drivers == ("B",)  # the shift widened the gap: it did not drive the fall
    assert "1 reported shift" in t.result.margin_note
    assert t.to_dict()["shifts"] == [
        {"date": "2025-01-09", "event": "B gains ground", "parties": {"B": 0.1}}
    ]


def test_dated_scenario_shifts_uncertain_walk_away_points_as_a_whole() -> None:
    s = scenario(dynamics=SHIFT)
    on = dated_scenario(s, dt.date(2025, 1, 10))
    r = on.preferences["B"].reservation
    assert (r.low, r.mode, r.high) == (0.4, 0.5, 0.6)
    assert list(on.proposals) == ["m1", "a1", "b1", "b2"]
    before = dated_scenario(s, dt.date(2025, 1, 7))
    assert before.preferences["B"].reservation == s.preferences["B"].reservation
    assert list(before.proposals) == ["m1", "a1", "b1"]
    assert before.reactions == []


def test_berlin_margin_note_says_why_constant() -> None:
    note = zopa.timeline().result.margin_note
    assert note.startswith("The margin is the same on every date")
    assert "hypothetical" in note


# -- the default scenario -----------------------------------------------------------------------


def test_berlin_every_date_keys_and_verdict() -> None:
    s = zopa.load()
    t = zopa.timeline()
    d = t.to_dict()
    expected = sorted({p.date for p in s.proposals.values()} | {r.date for r in s.reactions})
    assert [x["date"] for x in d["dates"]] == [x.isoformat() for x in expected]
    for row in d["dates"]:
        assert {"date", "proposals", "acceptance", "margin", "gaps"} <= set(row)
        for gap in row["gaps"]:
            assert {"a", "b", "gap_a", "gap_b"} <= set(gap)
        assert set(row["acceptance"]) == set(row["proposals"].values())
    assert isinstance(d["verdict"], str)
    assert d["verdict"]
    pairs = [(p["a"], p["b"]) for p in d["pairs"]]
    belligerents = [p for p, party in s.parties.items() if party.role == "belligerent"]
    assert pairs == [(belligerents[0], belligerents[1])]
    v = t.result.verdicts[0]
    assert v.trend in ("converging", "diverging", "no change", "not enough proposals")
    if v.gap_start is not None and v.gap_end is not None and v.start != v.end:
        words = "fell" if v.gap_end < v.gap_start else "rose"
        assert f"{words} from {v.gap_start:.2f} to {v.gap_end:.2f}" in d["verdict"]
    json.dumps(d)


def test_berlin_matches_analyze() -> None:
    a = zopa.analyze(count="skip")
    verdicts = {p.id: p.verdict for p in a.result.proposals}
    t = zopa.timeline()
    for row in t.result.dates:
        assert row.margin == pytest.approx(a.result.zone.margin)
        for pid, who in row.acceptance.items():
            assert who == {v.party: v.accepted for v in verdicts[pid].parties if v.needed}
        for g in row.gaps:
            if g.proposal_a is not None:
                short = next(v for v in verdicts[g.proposal_a].parties if v.party == g.b)
                assert g.gap_a == pytest.approx(short.shortfall)


# -- the facade's result ------------------------------------------------------------------------


def test_result_view() -> None:
    t = zopa.timeline(scenario())
    text = repr(t)
    assert text.startswith("<zopa timeline: handmade, 5 dates from 2025-01-01 to 2025-01-10>")
    assert "converging" in text
    assert set(t.frames) == {"gaps", "acceptance", "dates"}
    gaps = t.to_frame("gaps")
    assert list(gaps["gap"].dropna()) == pytest.approx([0.9, 0.9, 0.6])
    acc = t.to_frame("acceptance")
    assert {"date", "proposal", "party", "accepted", "new"} <= set(acc.columns)
    assert t.to_frame("dates")["latest_B"].tolist()[-1] == "b2"
    md = t.to_markdown()
    assert "| date |" in md
    assert "Converging: the gap A–B fell" in md
    assert "<table" in t.to_html()
    assert t.charts == ("gaps",)
    with pytest.raises(zopa.UnknownId):
        t.to_frame("nope")


def test_negative_samples_refused() -> None:
    with pytest.raises(zopa.UsageError, match="samples"):
        zopa.timeline(scenario(), samples=-1)


# -- sampled inputs -----------------------------------------------------------------------------


def test_attach_samples_gap_quantiles_sample_by_sample() -> None:
    import numpy as np

    t = compute_timeline(scenario())
    day = dt.date(2025, 1, 10)
    gains = {
        "a1": {"A": np.array([0.5, 0.5]), "B": np.array([-0.4, 0.1])},
        "b2": {"A": np.array([-0.1, -0.3]), "B": np.array([0.3, 0.3])},
    }
    out = attach_samples(t, {day: DateSamples(np.array([0.1, 0.2]), gains, False)}, 2, 7)
    assert out.distribution == "prior"
    assert out.samples == 2
    assert out.seed == 7
    row = next(r for r in out.dates if r.date == day)
    q = row.gaps[0].quantiles
    assert q is not None
    # sample 1: gap_a 0.4 + gap_b 0.1 = 0.5; sample 2: 0 + 0.3 = 0.3
    assert q["gap"]["q05"] == pytest.approx(0.3 + 0.05 * 0.2)
    assert q["gap_a"]["q50"] == pytest.approx(0.2)
    assert row.margin_quantiles is not None
    assert row.margin_quantiles["q50"] == pytest.approx(0.15)
    other = next(r for r in out.dates if r.date != day)
    assert other.margin_quantiles is None


def test_samples_use_robust_per_date() -> None:
    t = zopa.timeline(scenario(), samples=30, seed=3, workers=1)
    d = t.to_dict()
    assert d["samples"] == 30
    assert d["seed"] == 3
    assert d["distribution"] in ("prior", "posterior")
    for row in d["dates"]:
        q = row["margin_quantiles"]
        assert q is not None
        assert q["q05"] <= q["q50"] <= q["q95"]
        g = row["gaps"][0]
        if g["gap"] is not None:
            assert g["quantiles"]["gap"]["q05"] >= 0
    assert any("only 30 samples" in w for w in d["warnings"])
    again = zopa.timeline(scenario(), samples=30, seed=3, workers=1).to_dict()
    assert again["dates"] == d["dates"]


def test_posterior_when_robust_conditions_on_reactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each date's robust run is conditioned on the reactions known that day."""
    import zopa.api as api

    real = api.robust
    calls: list[tuple[dt.date | None, bool]] = []

    def robust(scenario: Any, *, given_reactions: bool = False, **kw: Any) -> Any:
        calls.append((scenario.as_of, given_reactions))
        return real(scenario, given_reactions=given_reactions, **kw)

    monkeypatch.setattr(api, "robust", robust)
    t = api.timeline(scenario(), samples=5, workers=1)
    asked = dict(calls)
    assert asked[dt.date(2025, 1, 7)] is False  # no reaction known yet
    assert asked[dt.date(2025, 1, 8)] is True
    assert asked[dt.date(2025, 1, 10)] is True
    assert t.result.distribution == "posterior"
    assert "conditioned on the reactions" in t.to_markdown()
    t2 = api.timeline(scenario(), samples=5, workers=1, as_of="2025-01-07")
    assert t2.result.distribution == "prior"  # no reaction known by then


def test_the_robust_runs_are_conditioned_without_being_asked() -> None:
    t = zopa.timeline(scenario(), samples=5, workers=1)
    assert t.result.distribution == "posterior"


def test_progress_never_goes_back_nor_overshoots() -> None:
    # each date's conditioned run counts its prior and posterior samples (twice `samples`)
    seen: list[tuple[int, int]] = []
    t = zopa.timeline(scenario(), samples=5, workers=1, progress=lambda d, n: seen.append((d, n)))
    total = 5 * len(t.result.dates)
    assert {n for _, n in seen} == {total}
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert done[0] == 0
    assert done[-1] == total


# -- properties ---------------------------------------------------------------------------------

OPTIONS = ("o1", "o2", "o3")
UNIT = st.integers(0, 10).map(lambda k: k / 10)


@st.composite
def small_scenarios(draw: Any) -> Scenario:
    """Two belligerents, two or three issues, random decimal preferences and dated proposals."""
    n_issues = draw(st.integers(2, 3))
    issues = {
        f"i{k}": {"name": f"Issue {k}", "options": {o: o.upper() for o in OPTIONS}}
        for k in range(n_issues)
    }
    prefs = {}
    for party in ("A", "B"):
        weights = {i: draw(st.integers(1, 5)) for i in issues}
        values = {i: {o: draw(UNIT) for o in OPTIONS} for i in issues}
        prefs[party] = {
            "weights": weights,
            "values": values,
            "reservation": draw(UNIT),
            "basis": "Assumption [s1].",
        }
    n = draw(st.integers(1, 5))
    proposals = {}
    for k in range(n):
        proposals[f"p{k}"] = {
            "title": f"Proposal {k}",
            "by": draw(st.sampled_from([["A"], ["B"], ["A", "B"], ["M"]])),
            "date": f"2025-02-{draw(st.integers(1, 9)):02d}",
            "source": "s1",
            "terms": {i: draw(st.sampled_from(OPTIONS)) for i in issues},
        }
    return Scenario.model_validate(
        {
            "zopa": 1,
            "id": "prop",
            "title": "Random",
            "as_of": "2025-02-10",
            "sources": {"s1": {"publisher": "P", "title": "T"}},
            "parties": {
                "A": {"name": "A", "role": "belligerent"},
                "B": {"name": "B", "role": "belligerent"},
                "M": {"name": "M", "role": "mediator"},
            },
            "issues": issues,
            "preferences": prefs,
            "proposals": proposals,
        }
    )


@settings(max_examples=40)
@given(small_scenarios())
def test_gap_properties(s: Scenario) -> None:
    t = zopa.timeline(s)
    for row in t.result.dates:
        for g in row.gaps:
            for gap, proposal, other in (
                (g.gap_a, g.proposal_a, g.b),
                (g.gap_b, g.proposal_b, g.a),
            ):
                if proposal is None:
                    assert gap is None
                    continue
                assert gap is not None
                assert gap >= 0
                # a proposal the other side accepts leaves no gap on its side, and only then
                assert (gap == 0) == row.acceptance[proposal][other]
            if g.gap is not None:
                assert g.gap == pytest.approx(g.gap_a + g.gap_b)
            if g.own_a is not None:
                assert g.own_slack_a == pytest.approx(g.own_a - g.walk_away_a)
    v = t.result.verdicts[0]
    change = v.change
    if v.trend == "converging":
        assert change is not None
        assert change <= -0.005
    elif v.trend == "diverging":
        assert change is not None
        assert change >= 0.005
    elif v.trend == "no change":
        assert change is not None
        assert abs(change) < 0.005
    if change is not None and v.start != v.end:
        parts = sum(m.gap_change for m in v.moves) + v.shifts
        assert parts == pytest.approx(change)
        for m in v.moves:  # a move's issue changes add up to the other side's utility change
            row0 = next(r for r in t.result.dates if r.date == v.start)
            row1 = next(r for r in t.result.dates if r.date == v.end)
            side = "a" if m.party == row0.gaps[0].a else "b"
            u0 = getattr(row0.gaps[0], f"other_{side}")
            u1 = getattr(row1.gaps[0], f"other_{side}")
            assert sum(i.change for i in m.issues) == pytest.approx(u1 - u0, abs=1e-9)


def test_short_date() -> None:
    assert short_date(dt.date(2025, 11, 20)) == "20 Nov"
    assert short_date(dt.date(2026, 1, 2), year=True) == "2 Jan 2026"


# -- the command line ---------------------------------------------------------------------------


def test_cli_table_fits_80_columns() -> None:
    result = invoke("timeline", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Are the sides converging?" in result.stdout
    assert "Distance between UA and RU" in result.stdout


def test_cli_json_keys(tmp_path: Path) -> None:
    result = invoke("timeline", str(write(tmp_path, scenario())), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"dates", "verdict", "scenario"}
    row = data["dates"][-1]
    assert set(row) >= {"date", "proposals", "acceptance", "margin", "gaps"}
    assert set(row["gaps"][0]) >= {"a", "b", "gap_a", "gap_b"}
    assert data["verdict"].startswith("converging")


def test_cli_markdown_and_as_of(tmp_path: Path) -> None:
    path = str(write(tmp_path, scenario()))
    result = invoke("timeline", path, "--format", "md", "--as-of", "2025-01-07")
    assert result.exit_code == 0, result.stderr
    assert "As of 2025-01-07" in result.stdout
    assert "2025-01-10" not in result.stdout
    assert re.search(r"^\| date \|", result.stdout, re.M)


def test_cli_chart(tmp_path: Path) -> None:
    out = tmp_path / "gaps.svg"
    result = invoke("timeline", "--chart", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<svg")
    assert "chart 'gaps' written" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-01-01"], "nothing to analyse"),
        (["--as-of", "yesterday"], "YYYY-MM-DD"),
        (["--samples", "-1"], "Invalid value for '--samples'"),
        (["--chart", "x.txt"], "--chart writes"),
        (["--chart-name", "gaps"], "give --chart FILE"),
        (["--chart", "x.svg", "--chart-name", "nope"], "unknown chart 'nope'"),
        (["no-such-scenario"], "no such file"),
        (["elmira"], "no issues with preferences"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("timeline", *[str(tmp_path / a) if a == "x.svg" else a for a in args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_without_proposals_exits_2(tmp_path: Path) -> None:
    data = scenario(reactions=False).model_dump(mode="json")
    data["proposals"] = {}
    path = write(tmp_path, Scenario.model_validate(data))
    result = invoke("timeline", str(path))
    assert result.exit_code == 2
    assert "nothing to put on a timeline" in result.stderr


def test_cli_samples(tmp_path: Path) -> None:
    path = str(write(tmp_path, scenario()))
    result = invoke("timeline", path, "--samples", "20", "--workers", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["samples"] == 20
    assert "warning: only 20 samples" in result.stderr
