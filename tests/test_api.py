"""The Python facade: ``import zopa`` and the result objects it returns."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import zopa
from zopa.cli import app
from zopa.errors import UnknownId, UsageError, ZopaError
from zopa.results import ResultView

TESTS = Path(__file__).parent
SMALL = TESTS / "io" / "good_scenarios" / "small.yaml"
REPR_LINES = 8  # "a few lines"


def check_views(result: ResultView) -> None:
    """The shared plumbing works on this result: short repr, HTML, Markdown, a frame per name."""
    text = repr(result)
    assert text.startswith(f"<zopa {result.kind}: ")
    assert len(text.splitlines()) <= REPR_LINES
    html = result._repr_html_()
    assert html.startswith('<div class="zopa-report">')
    assert "<table" in html
    assert result._repr_markdown_().strip()
    for name in result.frames:
        assert isinstance(result.to_frame(name), pd.DataFrame)
    data = result.to_dict()
    data["scratch"] = True  # to_dict hands out a copy
    assert "scratch" not in result.to_dict()


def cli_json(*args: str) -> object:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def roundtrip(data: object) -> object:
    return json.loads(json.dumps(data, ensure_ascii=False))


@pytest.fixture(scope="module")
def berlin() -> zopa.results.Analysis:
    return zopa.analyze()


# -- import and names -----------------------------------------------------------------------


@pytest.mark.parametrize("module", ["zopa", "zopa.cli"])
def test_import_is_light(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('numpy', 'pandas', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scenarios_is_a_function_listing_the_embedded_ids() -> None:
    ids = zopa.scenarios()
    assert ids == sorted(ids)
    assert {"berlin-2025-12", "elmira"} <= set(ids)


def test_facade_functions_are_not_shadowed_by_engine_subpackages() -> None:
    import zopa.forecast.eum
    import zopa.robust.proposals
    import zopa.simulate.tournament

    for name in zopa.__all__:
        assert getattr(zopa, name) is not None
    for name in ("forecast", "robust", "simulate", "scenarios"):
        assert callable(getattr(zopa, name)), name
        assert getattr(zopa, name).__module__ == "zopa.api"
    from zopa.forecast import eum  # the subpackages stay importable by their full names

    assert eum.__name__ == "zopa.forecast.eum"


def test_error_hierarchy() -> None:
    assert issubclass(UnknownId, LookupError)
    assert issubclass(UnknownId, ValueError)
    assert issubclass(UnknownId, ZopaError)
    assert issubclass(UsageError, ValueError)
    assert not issubclass(UnknownId, KeyError)
    assert zopa.UnknownId is UnknownId
    from zopa.io.scenario_file import ScenarioError

    assert zopa.ScenarioError is ScenarioError


# -- load and typed errors ------------------------------------------------------------------


def test_load_by_id_path_and_default() -> None:
    assert zopa.load().id == "berlin-2025-12"
    assert zopa.load("elmira").id == "elmira"
    assert zopa.load(SMALL).id == "small"
    assert zopa.load(str(SMALL)).id == "small"


def test_load_unknown_id_lists_the_valid_ids() -> None:
    with pytest.raises(UnknownId, match="unknown scenario 'nope'") as info:
        zopa.load("nope")
    assert info.value.valid == tuple(zopa.scenarios())
    assert info.value.kind == "scenario"


def test_load_invalid_file_raises_scenario_error(tmp_path: Path) -> None:
    bad = TESTS / "io" / "bad_scenarios" / "negative-weight.yaml"
    with pytest.raises(zopa.ScenarioError) as info:
        zopa.load(bad)
    assert info.value.problems
    assert "preferences.UA.weights.nato" in str(info.value.problems[0])
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(zopa.ScenarioError, match="no such file"):
        zopa.load(missing)


def test_load_a_forecast_csv_gets_a_hint(tmp_path: Path) -> None:
    csv = tmp_path / "actors.txt"
    csv.write_text("actor,capability,position,salience\nA,1,2,3\n", encoding="utf-8")
    with pytest.raises(zopa.ScenarioError) as info:
        zopa.load(csv)
    assert any("zopa forecast" in note for note in info.value.__notes__)


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda: zopa.analyze(SMALL, ["nope"]), "proposal"),
        (lambda: zopa.analyze(SMALL, engine="fast"), "engine"),
        (lambda: zopa.evaluate(SMALL, {"natto": "open"}), "issue"),
        (lambda: zopa.evaluate(SMALL, {"nato": "ajar"}), "option"),
        (lambda: zopa.evaluate(SMALL, "army=650"), "option"),
        (lambda: zopa.evaluate(SMALL, {}, by=["XX"]), "party"),
        (lambda: zopa.simulate(SMALL, strategy="XX=linear"), "party"),
        (lambda: zopa.simulate(SMALL, strategy="UA=stubborn"), "strategy"),
        (lambda: zopa.tournament(SMALL, strategies="linear,nope"), "strategy"),
        (lambda: zopa.tournament(SMALL, parties="XX"), "party"),
        (lambda: zopa.stability("elmira", concept="XYZ"), "concept"),
        (lambda: zopa.stability("elmira", coalitions=["MoE+XX"]), "decision maker"),
        (lambda: zopa.forecast(model="oracle"), "model"),
        (lambda: zopa.forecast(issues=["nope"]), "forecast issue"),
        (lambda: zopa.robust(SMALL, engine="magic"), "engine"),
    ],
)
def test_unknown_ids_are_typed_and_list_the_valid_ids(call: object, kind: str) -> None:
    with pytest.raises(UnknownId) as info:
        call()  # type: ignore[operator]
    assert info.value.kind == kind
    assert info.value.valid
    assert "expected one of: " in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: zopa.simulate(SMALL, strategy="UA=linear,UA=boulware"),
        lambda: zopa.simulate(SMALL, strategy="linear,boulware"),
        lambda: zopa.stability("elmira", coalitions=["MoE+MoE"]),
        lambda: zopa.forecast(model="median", variant="paper"),
        lambda: zopa.forecast("ec-car-emissions", issues=["army-cap"]),
        lambda: zopa.forecast(perturb=0.2),
        lambda: zopa.robust("elmira"),
        lambda: zopa.robust(SMALL, engine="stability", perturb=0.1),
        lambda: zopa.evaluate(SMALL, "nato"),
    ],
)
def test_contradictory_arguments_raise_usage_error(call: object) -> None:
    with pytest.raises(UsageError):
        call()  # type: ignore[operator]


def test_robust_without_proposals_suggests_the_stability_engine() -> None:
    with pytest.raises(UsageError, match="--engine stability"):
        zopa.robust("elmira")


# -- analysis -------------------------------------------------------------------------------


def test_analysis_repr_is_short_and_says_the_headline(berlin: zopa.results.Analysis) -> None:
    text = repr(berlin)
    assert text.startswith("<zopa analysis: berlin-2025-12")
    assert len(text.splitlines()) <= REPR_LINES
    assert len(text) < 1000
    assert "zone of agreement" in text


def test_analysis_to_dict_is_the_cli_json(berlin: zopa.results.Analysis) -> None:
    assert roundtrip(berlin.to_dict()) == cli_json("analyze")


def test_analysis_html_and_markdown_have_the_cli_tables(berlin: zopa.results.Analysis) -> None:
    html = berlin._repr_html_()
    md = berlin._repr_markdown_()
    assert html.startswith('<div class="zopa-report">')
    assert "<table" in html
    assert "Who accepts which proposal" in html
    result = CliRunner().invoke(app, ["analyze", "--format", "md"])
    assert md == result.stdout


def test_analysis_frames(berlin: zopa.results.Analysis) -> None:
    proposals = berlin.to_frame("proposals")
    n_parties = len(berlin.result.parties)
    assert len(proposals) == len(berlin.result.proposals) * n_parties
    assert {"proposal", "party", "utility", "walk_away", "accepted", "shortfall"} <= set(
        proposals.columns
    )
    assert (proposals["shortfall"] >= 0).all()
    pareto = berlin.to_frame("pareto")
    assert len(pareto) == len(berlin.result.pareto)
    assert pareto["army-cap"].dtype.kind == "f"  # a numeric range comes back as numbers
    assert pareto["acceptable"].sum() == len(berlin.result.pareto_acceptable)
    bridging = berlin.to_frame("bridging")
    assert set(bridging["proposal"]) <= {p.id for p in berlin.result.proposals}
    solutions = berlin.to_frame("solutions")
    assert {"nash", "utilitarian"} <= set(solutions["solution"])
    assert berlin.to_frame().equals(proposals)  # the first frame by default
    check_views(berlin)


def test_unknown_frame_name_lists_the_valid_names(berlin: zopa.results.Analysis) -> None:
    with pytest.raises(UnknownId, match="proposals, pareto, bridging, solutions"):
        berlin.to_frame("nope")


def test_analysis_numeric_frames_on_the_small_scenario() -> None:
    a = zopa.analyze(SMALL)
    pareto = a.to_frame("pareto")
    assert pareto["army"].dtype.kind == "f"
    assert set(pareto["army"]) <= {400.0, 600.0, 800.0}


def test_pareto_and_limit_trim_the_json(berlin: zopa.results.Analysis) -> None:
    full = berlin.to_dict()
    lean = zopa.analyze(pareto=False).to_dict()
    assert "pareto" not in lean
    assert "pareto_acceptable" not in lean
    assert lean["truncated"]["pareto"] == {"shown": 0, "total": len(full["pareto"])}
    limited = zopa.analyze(limit=2).to_dict()
    assert len(limited["pareto"]) == 2
    assert limited["pareto"] == full["pareto"][:2]
    assert all(len(b["packages"]) <= 2 for b in limited["bridging"].values())
    assert "truncated" not in full


# -- evaluate -------------------------------------------------------------------------------


def test_evaluate_without_terms_takes_the_if_silent_options() -> None:
    ev = zopa.evaluate(SMALL)
    assert ev.filled == ["nato", "army"]
    assert ev.verdict.package == {"nato": "open", "army": "800"}
    same = zopa.evaluate(SMALL, {"nato": "open"})
    assert same.filled == ["army"]
    assert same.verdict == ev.verdict
    assert ev.to_frame("parties")["party"].tolist() == [p.party for p in ev.verdict.parties]
    assert repr(ev).startswith("<zopa evaluation: small: the package")


def test_evaluate_to_dict_is_the_cli_json() -> None:
    ev = zopa.evaluate(SMALL, "army=600", by=["UA"])
    assert roundtrip(ev.to_dict()) == cli_json(
        "evaluate", str(SMALL), "-t", "army=600", "--by", "UA"
    )
    check_views(ev)


def test_numeric_options_accept_numbers_in_other_spellings() -> None:
    assert zopa.evaluate(SMALL, "army=600.0").verdict.package["army"] == "600"


# -- the other engines ----------------------------------------------------------------------


def test_stability_result() -> None:
    s = zopa.stability("elmira", start="1")
    assert roundtrip(s.to_dict()) == cli_json("stability", "elmira", "--from", "1")
    states = s.to_frame("states")
    assert len(states) == 12
    assert {"R", "GMR", "SMR", "SEQ"} <= set(states.columns)
    assert states["GMR"].sum() == len(s.to_dict()["equilibria"]["GMR"])
    stable = s.to_frame("stable")
    assert set(stable["concept"]) == {"R", "GMR", "SMR", "SEQ"}
    assert "Status quo" in s._repr_markdown_() or "status quo" in s._repr_markdown_().lower()
    assert len(repr(s).splitlines()) <= REPR_LINES
    check_views(s)


def test_forecast_csv_and_scenario() -> None:
    csv = zopa.forecast("ec-car-emissions")
    assert roundtrip(csv.to_dict()) == cli_json("forecast", "ec-car-emissions")
    rounds = csv.to_frame("rounds")
    assert set(rounds.columns) == {"issue", "round", "actor", "position"}
    assert rounds["round"].max() == 10
    sc = zopa.forecast()
    assert roundtrip(sc.to_dict()) == cli_json("forecast")
    summary = sc.to_frame("summary")
    assert set(summary["issue"]) == {i["issue"] for i in sc.to_dict()["issues"]}
    assert "<table" in sc._repr_html_()
    check_views(sc)


def test_forecast_samples_are_reproducible_without_a_seed() -> None:
    first = zopa.forecast("ec-car-emissions", samples=20).to_dict()
    second = zopa.forecast("ec-car-emissions", samples=20).to_dict()
    assert first == second
    assert first == zopa.forecast("ec-car-emissions", samples=20, seed=0).to_dict()


def test_robust_result_and_small_sample_warning() -> None:
    r = zopa.robust(samples=20, workers=1)
    assert r.warnings
    assert "few hundred" in r.warnings[0]
    assert r.to_dict()["warnings"] == r.warnings
    hinges = r.to_frame("hinges")
    assert {"target", "input", "spearman"} <= set(hinges.columns)
    assert len(hinges) > 0
    proposals = r.to_frame("proposals")
    assert set(proposals["proposal"]) == {p["proposal"] for p in r.to_dict()["proposals"]}
    assert "warning" in repr(r)
    assert roundtrip(r.to_dict()) == cli_json("robust", "--samples", "20", "--workers", "1")
    check_views(r)


def test_robust_other_engines_frames() -> None:
    st_ = zopa.robust("elmira", engine="stability", samples=10, workers=1)
    assert set(st_.to_frame("states")["concept"]) == {"R", "GMR", "SMR", "SEQ"}
    fc = zopa.robust(engine="forecast", samples=10)
    assert set(fc.to_frame("bands")["issue"]) == {i["issue"] for i in fc.to_dict()["issues"]}
    assert fc.frames == ("hinges", "bands")
    no_warning = zopa.robust(engine="forecast", samples=zopa.api.SMALL_SAMPLES)
    assert no_warning.warnings == []
    check_views(st_)
    check_views(fc)


def test_simulation_result(tmp_path: Path) -> None:
    sim = zopa.simulate(strategy="UA=boulware", seed=1)
    assert roundtrip(sim.to_dict()) == cli_json(
        "simulate", "--strategy", "UA=boulware", "--seed", "1"
    )
    trace = sim.to_frame("trace")
    assert len(trace) == len(sim.to_dict()["trace"])
    assert trace["army-cap"].dtype.kind == "f"
    walk = sim.to_frame("walk_away")
    assert set(walk["party"]) == set(sim.to_dict()["parties"])
    assert sim.to_dict()["strategies"]["UA"] == "boulware"
    everyone = zopa.simulate(strategy="boulware")
    assert set(everyone.to_dict()["strategies"].values()) == {"boulware"}
    path = sim.write_plot(tmp_path / "trace.svg", ("UA", "RU"))  # kept: delegates to the chart
    assert path.read_text(encoding="utf-8") == sim.chart("trace", parties=("UA", "RU")).to_svg()
    check_views(sim)


def test_tournament_result() -> None:
    t = zopa.tournament(samples=2, strategies=["linear", "hardliner"], parties="UA,RU", workers=1)
    profiles = t.to_frame("profiles")
    assert len(profiles) == 4
    assert {"strategy_UA", "agreement_rate", "utility_UA"} <= set(profiles.columns)
    assert len(t.to_frame("by_strategy")) > 0
    assert repr(t).startswith("<zopa tournament: berlin-2025-12: 4 profiles")
    check_views(t)


# -- the plumbing is shared -----------------------------------------------------------------


def test_every_result_class_uses_the_one_mixin() -> None:
    from zopa import results

    classes = [
        results.Analysis,
        results.Evaluation,
        results.Stability,
        results.Forecast,
        results.Robust,
        results.Simulation,
        results.Tournament,
    ]
    for cls in classes:
        assert issubclass(cls, ResultView)
        for name in ("__repr__", "_repr_html_", "_repr_markdown_", "to_frame"):
            assert getattr(cls, name) is getattr(ResultView, name), (cls, name)


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_unknown_frame_names_always_raise_unknown_id(name: str) -> None:
    ev = small_evaluation()
    if name in ev.frames:
        assert isinstance(ev.to_frame(name), pd.DataFrame)
    else:
        with pytest.raises(UnknownId):
            ev.to_frame(name)


@functools.cache
def small_evaluation() -> zopa.results.Evaluation:
    return zopa.evaluate(SMALL)


def test_forecast_repr_says_when_a_forecast_did_not_settle():
    text = repr(zopa.forecast("ec-car-emissions"))
    assert "did not settle within the rounds; lately 7 to 9.962" in text
    settled = repr(zopa.forecast(issues="army-cap"))
    assert "army-cap: 800" in settled
    assert "settle" not in settled
