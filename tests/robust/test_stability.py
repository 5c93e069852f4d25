"""Robust strategic stability: equilibria over uncertain preferences, and what they hinge on."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.catalog import load
from zopa.gmcr.analysis import stability_report
from zopa.gmcr.compile import compile_game
from zopa.gmcr.stability import CONCEPTS
from zopa.model.strategic import StrategicModel
from zopa.render.document import to_markdown
from zopa.render.robust_stability_view import robust_stability_document
from zopa.robust.stability import RobustStability, robust_stability

# -- helpers -----------------------------------------------------------------------------------


def model_data(scenario_id: str) -> dict[str, Any]:
    s = load(scenario_id)
    assert s.strategic is not None
    data: dict[str, Any] = s.strategic.model_dump(mode="json", exclude_none=True)
    return data


def certain(data: dict[str, Any]) -> dict[str, Any]:
    """The model with every decision maker's main preferences only."""
    out = {**data, "preferences": {}}
    for dm, pref in data["preferences"].items():
        out["preferences"][dm] = {
            k: v for k, v in pref.items() if k not in ("alternatives", "weight")
        }
    return out


def orders_of(data: dict[str, Any], dm: str) -> list[dict[str, Any]]:
    """A decision maker's orders as preference entries (main first), without weights."""
    pref = data["preferences"][dm]
    keep = ("ranking", "prioritization")
    return [
        {k: v for k, v in o.items() if k in keep} for o in [pref, *pref.get("alternatives", [])]
    ]


def by_hand(data: dict[str, Any]) -> dict[int, dict[str, float]]:
    """Each state's probability of being an equilibrium: every profile through the plain engine.

    Independent of the robust module: each profile is written as a certain model (the chosen
    orders as main preferences), compiled and analysed by ``stability_report``, and weighted by
    the product of the chosen orders' weight shares.
    """
    dms = list(data["decision_makers"])
    orders = {dm: orders_of(data, dm) for dm in dms}
    weights = {}
    for dm in dms:
        pref = data["preferences"][dm]
        w = [pref.get("weight", 1.0), *(a["weight"] for a in pref.get("alternatives", []))]
        weights[dm] = [x / sum(w) for x in w]
    out: dict[int, dict[str, float]] = {}
    for profile in itertools.product(*(range(len(orders[dm])) for dm in dms)):
        one = certain(data)
        one["preferences"] = {dm: dict(orders[dm][k]) for dm, k in zip(dms, profile, strict=True)}
        report = stability_report(compile_game(StrategicModel.model_validate(one)))
        prob = math.prod(weights[dm][k] for dm, k in zip(dms, profile, strict=True))
        for number in range(1, int(report.game.feasible.sum()) + 1):
            row = out.setdefault(number, dict.fromkeys(CONCEPTS, 0.0))
            for c in CONCEPTS:
                if number in report.equilibria(c):
                    row[c] += prob
    return out


def run(data: dict[str, Any], **kwargs: Any) -> RobustStability:
    return robust_stability(StrategicModel.model_validate(data), **kwargs)


def with_alternatives(
    data: dict[str, Any], dm: str, alternatives: list[dict[str, Any]], weight: float = 1.0
) -> dict[str, Any]:
    out = {**data, "preferences": dict(data["preferences"])}
    out["preferences"][dm] = {**data["preferences"][dm], "weight": weight}
    out["preferences"][dm]["alternatives"] = alternatives
    return out


def random_orders(
    data: dict[str, Any], rng: np.random.Generator, count: int
) -> list[dict[str, Any]]:
    """``count`` random rankings (with some ties) of the model's feasible states."""
    game = compile_game(StrategicModel.model_validate(certain(data)))
    vectors = [game.vector(int(c)) for c in game.feasible_codes()]
    out = []
    for _ in range(count):
        order = [vectors[i] for i in rng.permutation(len(vectors))]
        ranking: list[Any] = []
        for v in order:
            if ranking and rng.random() < 0.2:
                last = ranking[-1]
                ranking[-1] = [*last, v] if isinstance(last, list) else [last, v]
            else:
                ranking.append(v)
        out.append({"ranking": ranking, "weight": float(rng.integers(1, 5)), "basis": "Test."})
    return out


# -- certain preferences: the deterministic analysis -------------------------------------------


@pytest.mark.parametrize(
    "scenario_id", ["prisoners-dilemma", "chicken", "elmira", "berlin-2025-12"]
)
def test_without_alternatives_probabilities_are_the_deterministic_equilibria(
    scenario_id: str,
) -> None:
    data = certain(model_data(scenario_id))
    result = run(data)
    report = stability_report(compile_game(StrategicModel.model_validate(data)))
    assert result.exact
    assert result.profiles == result.evaluated == 1
    assert result.draws == 0
    assert [s.id for s in result.states] == [s["id"] for s in report.to_dict()["states"]]
    for c in CONCEPTS:
        assert [s.id for s in result.states if s.p_equilibrium[c] == 1.0] == report.equilibria(c)
        assert all(s.p_equilibrium[c] in (0.0, 1.0) for s in result.states)
    assert all(not s.hinges for s in result.states)
    assert all(
        len(orders) == 1 and orders[0].probability == 1.0 for orders in result.orders.values()
    )


# -- exact enumeration, by hand ----------------------------------------------------------------


def test_chicken_with_a_reckless_driver_loses_half_an_equilibrium() -> None:
    # Chicken's Nash equilibria are the two states where one driver swerves (YN: D1 swerves,
    # NY: D2 swerves; Rapoport & Guyer 1966). If D1 may instead be reckless, preferring a crash
    # to swerving, D1 never swerves and YN is no longer Nash. With equal weights, YN is a Nash
    # equilibrium with probability 1/2, entirely decided by D1's preferences.
    data = with_alternatives(
        model_data("chicken"),
        "D1",
        [{"id": "reckless", "ranking": ["NY", "NN", "YY", "YN"], "weight": 1, "basis": "Test."}],
    )
    result = run(data)
    assert result.exact
    assert result.profiles == 2
    yn, ny = result.state("YN"), result.state("NY")
    assert yn.p_equilibrium["R"] == pytest.approx(0.5)
    assert ny.p_equilibrium["R"] == 1.0
    [hinge] = yn.hinges["R"]
    assert hinge.decision_maker == "D1"
    assert hinge.given == {"main": 1.0, "reckless": 0.0}
    assert hinge.swing == 1.0
    assert hinge.explained == pytest.approx(1.0)
    assert "R" not in ny.hinges
    expected = by_hand(data)
    for s in result.states:
        for c in CONCEPTS:
            assert s.p_equilibrium[c] == pytest.approx(expected[s.id][c], abs=1e-12)


def test_prisoners_dilemma_with_assurance_alternatives() -> None:
    # Each prisoner has the prisoner's dilemma order with weight 3 and, with weight 1, the order
    # of the assurance game (stag hunt: mutual silence best), in which mutual silence YY is a
    # Nash equilibrium (Rapoport & Guyer 1966). YY is Nash only when both have the assurance
    # order: probability 1/4 · 1/4 = 1/16. Given P1's main order it fails; given P1's assurance
    # order it holds when P2 has it too, with probability 1/4: swing 1/4. Explained share:
    # (3/4 · (0 − 1/16)² + 1/4 · (1/4 − 1/16)²) / (1/16 · 15/16) = 1/5.
    data = model_data("prisoners-dilemma")
    data = with_alternatives(
        data,
        "P1",
        [{"id": "assurance", "ranking": ["YY", "NY", "NN", "YN"], "weight": 1, "basis": "T."}],
        weight=3,
    )
    data = with_alternatives(
        data,
        "P2",
        [{"id": "assurance", "ranking": ["YY", "YN", "NN", "NY"], "weight": 1, "basis": "T."}],
        weight=3,
    )
    result = run(data)
    assert result.exact
    assert result.profiles == 4
    assert [o.probability for o in result.orders["P1"]] == [0.75, 0.25]
    yy, nn = result.state("cooperation"), result.state("mutual-defection")
    assert yy.p_equilibrium["R"] == pytest.approx(1 / 16)
    assert nn.p_equilibrium["R"] == 1.0  # mutual defection is Nash in every profile
    assert result.to_dict()["status_quo"]["p_equilibrium"]["R"] == 1.0
    hinges = yy.hinges["R"]
    assert [h.decision_maker for h in hinges] == ["P1", "P2"]
    for h in hinges:
        assert h.given == {"main": 0.0, "assurance": pytest.approx(0.25)}
        assert h.swing == pytest.approx(0.25)
        assert h.explained == pytest.approx(0.2)
    expected = by_hand(data)
    for s in result.states:
        for c in CONCEPTS:
            assert s.p_equilibrium[c] == pytest.approx(expected[s.id][c], abs=1e-12)


def test_exact_enumeration_equals_the_weighted_mix_on_elmira() -> None:
    data = model_data("elmira")
    rng = np.random.default_rng(5)
    for dm in ("MoE", "UR", "LG"):
        data = with_alternatives(data, dm, random_orders(data, rng, 2), weight=2.0)
    result = run(data)
    assert result.exact
    assert result.profiles == result.evaluated == 27
    expected = by_hand(data)
    for s in result.states:
        for c in CONCEPTS:
            assert s.p_equilibrium[c] == pytest.approx(expected[s.id][c], abs=1e-12)
            hinges = s.hinges.get(c, [])
            if 0 < s.p_equilibrium[c] < 1:
                for h in hinges:  # the law of total probability
                    shares = [o.probability for o in result.orders[h.decision_maker]]
                    mix = sum(p * g for p, g in zip(shares, h.given.values(), strict=True))
                    assert mix == pytest.approx(s.p_equilibrium[c], abs=1e-12)
                    assert 0 < h.swing <= 1
                    assert 0 <= h.explained <= 1
            else:
                assert not hinges


# -- Monte Carlo -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_profiles() -> dict[str, Any]:
    """Elmira with 12 orders per decision maker: 1,728 profiles."""
    data = model_data("elmira")
    rng = np.random.default_rng(17)
    for dm in ("MoE", "UR", "LG"):
        data = with_alternatives(data, dm, random_orders(data, rng, 11), weight=2.0)
    return data


def test_monte_carlo_converges_to_the_exact_value(many_profiles: dict[str, Any]) -> None:
    exact = run(many_profiles, samples=2000)
    assert exact.exact
    assert exact.profiles == 1728
    draws = 1500
    sampled = run(many_profiles, samples=draws, seed=4)
    assert not sampled.exact
    assert sampled.draws == draws
    assert sampled.evaluated <= draws
    for e, s in zip(exact.states, sampled.states, strict=True):
        for c in CONCEPTS:
            p = e.p_equilibrium[c]
            if p in (0.0, 1.0):  # a verdict that never changes is found exactly
                assert s.p_equilibrium[c] == p
            else:
                se = math.sqrt(p * (1 - p) / draws)
                assert abs(s.p_equilibrium[c] - p) <= 5 * se, (e.id, c)


def test_monte_carlo_is_reproducible_and_identical_serially_and_in_a_pool(
    many_profiles: dict[str, Any],
) -> None:
    serial = run(many_profiles, samples=700, seed=9)
    assert serial.evaluated > 64  # several batches
    again = run(many_profiles, samples=700, seed=9)
    pooled = run(many_profiles, samples=700, seed=9, workers=2)
    assert serial.to_dict() == again.to_dict() == pooled.to_dict()
    assert serial.states == pooled.states  # unrounded too
    other = run(many_profiles, samples=700, seed=10)
    assert other.to_dict() != serial.to_dict()


def test_local_dask_cluster_gives_the_serial_result(many_profiles: dict[str, Any]) -> None:
    pytest.importorskip("distributed")
    serial = run(many_profiles, samples=300, seed=5)
    dask = run(many_profiles, samples=300, seed=5, workers=2, scheduler="local")
    assert serial.states == dask.states


def test_exact_enumeration_is_identical_in_a_pool(many_profiles: dict[str, Any]) -> None:
    serial = run(many_profiles, samples=2000)
    pooled = run(many_profiles, samples=2000, workers=2)
    assert serial.states == pooled.states


def test_progress_reports_every_profile(many_profiles: dict[str, Any]) -> None:
    seen: list[tuple[int, int]] = []
    result = run(many_profiles, samples=300, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert not result.exact
    assert seen[-1] == (result.draws, result.draws) == (300, 300)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_samples_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        run(model_data("chicken"), samples=0)


# -- properties --------------------------------------------------------------------------------


@st.composite
def uncertain_models(draw: Any) -> dict[str, Any]:
    """Small random models: 2–3 decision makers, 1–2 options each, 0–2 alternatives each."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_dms = draw(st.integers(2, 3))
    sizes = [draw(st.integers(1, 2)) for _ in range(n_dms)]
    dms = {f"D{d}": {"options": {f"o{d}{k}": "x" for k in range(n)}} for d, n in enumerate(sizes)}
    n = sum(sizes)
    infeasible = []
    if draw(st.booleans()) and n > 1:
        codes = rng.choice(1 << n, size=min(2, (1 << n) - 1), replace=False)
        infeasible = ["".join("Y" if (int(c) >> k) & 1 else "N" for k in range(n)) for c in codes]
    options = [o for dm in dms.values() for o in dm["options"]]
    irreversible = {o: "forward" for o in options if rng.random() < 0.2}
    data: dict[str, Any] = {
        "decision_makers": dms,
        "infeasible": infeasible,
        "irreversible": irreversible,
        "preferences": {dm: {"prioritization": ["1"]} for dm in dms},
    }
    for dm in dms:
        main, *alternatives = random_orders(data, rng, 1 + draw(st.integers(0, 2)))
        data["preferences"][dm] = {
            "ranking": main["ranking"],
            "weight": main["weight"],
            "alternatives": alternatives,
        }
    return data


@settings(max_examples=40)
@given(uncertain_models())
def test_probabilities_are_consistent(data: dict[str, Any]) -> None:
    result = run(data)
    expected = by_hand(data)
    for s in result.states:
        p = s.p_equilibrium
        assert all(0.0 <= p[c] <= 1.0 for c in CONCEPTS)
        # R ⊆ SMR ⊆ GMR and R ⊆ SEQ ⊆ GMR in every profile (Fang, Hipel & Kilgour 1993, Thm. 4.1)
        assert p["R"] <= p["SMR"] <= p["GMR"]
        assert p["R"] <= p["SEQ"] <= p["GMR"]
        for c in CONCEPTS:
            assert p[c] == pytest.approx(expected[s.id][c], abs=1e-9)
            assert (c in s.hinges) == (0 < p[c] < 1)
            swings = [h.swing for h in s.hinges.get(c, [])]
            assert swings == sorted(swings, reverse=True)


# -- the default scenario and the briefing ------------------------------------------------------


def test_berlin_robust_stability() -> None:
    s = load("berlin-2025-12")
    assert s.strategic is not None
    result = robust_stability(s.strategic)
    uncertain = {dm for dm, orders in result.orders.items() if len(orders) > 1}
    assert uncertain >= {"RU"}
    assert result.exact
    assert result.profiles == math.prod(len(o) for o in result.orders.values())
    for orders in result.orders.values():
        assert sum(o.probability for o in orders) == pytest.approx(1.0)
        assert all(o.basis and "Assumption" in o.basis for o in orders)
    # Russia's preferences decide whether the escalation is a Nash equilibrium
    escalation = result.state("escalation")
    assert 0 < escalation.p_equilibrium["R"] < 1
    assert escalation.hinges["R"][0].decision_maker == "RU"
    expected = by_hand(model_data("berlin-2025-12"))
    for st_ in result.states:
        for c in CONCEPTS:
            assert st_.p_equilibrium[c] == pytest.approx(expected[st_.id][c], abs=1e-12)
    doc = to_markdown(robust_stability_document(s.title, result.to_dict()))
    assert "Equilibria in more than 90% of the weight" in doc
    assert "Uncertain equilibria, and what they hinge on" in doc
    assert "Never an equilibrium" in doc
    assert "analyst assumptions" in doc
    assert "RU's alternative" in doc
    assert "'kyiv-offer'" in doc


def test_json_keys_are_stable() -> None:
    data = with_alternatives(
        model_data("chicken"),
        "D1",
        [{"ranking": ["NY", "NN", "YY", "YN"], "weight": 1, "basis": "Test [x]."}],
    )
    out = run(data).to_dict()
    assert list(out) == [
        "samples",
        "seed",
        "exact",
        "profiles",
        "draws",
        "evaluated",
        "concepts",
        "decision_makers",
        "states",
        "status_quo",
    ]
    assert out["concepts"] == list(CONCEPTS)
    assert out["decision_makers"]["D1"][1] == {
        "id": "alt1",
        "probability": 0.5,
        "basis": "Test [x].",
    }
    state = out["states"][0]
    assert list(state) == ["id", "options", "names", "status_quo", "p_equilibrium", "hinges"]
    yn = next(s for s in out["states"] if s["options"] == "YN")
    assert yn["hinges"]["R"] == [
        {
            "decision_maker": "D1",
            "swing": 1.0,
            "explained": 1.0,
            "given": {"main": 1.0, "alt1": 0.0},
        }
    ]
    assert list(out["status_quo"]) == ["id", "options", "p_equilibrium"]


def test_briefing_of_certain_preferences() -> None:
    result = run(certain(model_data("prisoners-dilemma")))
    doc = to_markdown(robust_stability_document("PD", result.to_dict()))
    assert "No decision maker has alternative preferences" in doc
    assert "'mutual-defection' (NN, state 1, the status quo): R 100%" in doc
    assert "None." in doc  # no uncertain equilibria


def test_briefing_of_a_monte_carlo_run(many_profiles: dict[str, Any]) -> None:
    result = run(many_profiles, samples=200, seed=2)
    doc = to_markdown(robust_stability_document("Elmira", result.to_dict()))
    assert "200 combinations of the decision makers' preferences drawn at random (seed 2)" in doc
    assert "1,728" in doc


def test_robust_cli_with_the_stability_engine():
    import json

    from typer.testing import CliRunner

    from zopa.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["robust", "--engine", "stability", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["engine"] == "stability"
    assert doc["exact"] is True
    assert {"states", "status_quo", "decision_makers", "concepts"} <= set(doc)
    table = runner.invoke(app, ["robust", "--engine", "stability"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "[inquisitr-2025-12-10]" in table.stdout  # citations survive the console
    from tests.conftest import SMALL_SCENARIO

    none = runner.invoke(app, ["robust", str(SMALL_SCENARIO), "--engine", "stability"])
    assert none.exit_code == 2
    assert "no strategic section" in none.output
