"""The analysis facade on the default scenario and on small scenarios built in Python."""

import numpy as np
import pytest

from zopa.catalog import load
from zopa.model.numbers import point
from zopa.space.analysis import analyze, evaluate_terms, package_from_terms
from zopa.space.compile import compile_scenario


@pytest.fixture(scope="module")
def berlin():
    return load()


@pytest.fixture(scope="module")
def report(berlin):
    return analyze(berlin)


def hand_utility(scenario, party, package):
    prefs = scenario.preferences[party]
    total = sum(point(w) for w in prefs.weights.values())
    u = 0.0
    for issue_id, option in package.items():
        w = point(prefs.weights[issue_id]) / total
        if w == 0:
            continue
        spec = prefs.values[issue_id]
        if hasattr(spec, "piecewise"):
            xs = [p[0] for p in spec.piecewise]
            ys = [point(p[1]) for p in spec.piecewise]
            v = float(np.interp(float(option), xs, ys))
        else:
            v = point(spec[option])
        u += w * v
    return u


def test_utilities_match_a_hand_computation(berlin, report):
    for verdict in report.proposals:
        package = berlin.package_of(verdict.id)
        for pv in verdict.verdict.parties:
            assert pv.utility == pytest.approx(hand_utility(berlin, pv.party, package), abs=1e-9)
            assert pv.accepted == (pv.utility >= pv.reservation - 1e-12)
            assert pv.shortfall == pytest.approx(max(0.0, pv.reservation - pv.utility), abs=1e-9)


def test_gap_by_issue_sums_to_the_distance_from_the_ideal(report):
    for verdict in report.proposals:
        for party, gaps in verdict.verdict.gaps.items():
            pv = next(p for p in verdict.verdict.parties if p.party == party)
            assert not pv.accepted
            assert pv.needed
            # the ideal package of an additive utility takes the best option on every issue
            ideal_gap = sum(g.cost for g in gaps)
            assert ideal_gap >= pv.shortfall - 1e-12
            assert [g.cost for g in gaps] == sorted((g.cost for g in gaps), reverse=True)


def test_bridges_means_every_needed_party_accepts(report):
    for verdict in report.proposals:
        needed = [p for p in verdict.verdict.parties if p.needed]
        assert verdict.verdict.bridges == all(p.accepted for p in needed)
        assert verdict.verdict.rejecting == [p.party for p in needed if not p.accepted]


def test_focus_is_the_latest_proposal(report):
    assert report.focus == "kyiv-2025-12-14"


def test_bridging_packages_are_acceptable_and_ranked(berlin, report):
    space = compile_scenario(berlin)
    for pid, bridging in report.bridging.items():
        if bridging.already_bridges:
            continue
        distances = [len(c.changes) for c in bridging.packages]
        assert distances == sorted(distances)
        for c in bridging.packages:
            verdict_of = evaluate_terms(berlin, c.package)[0]
            assert verdict_of.bridges == c.acceptable
            assert len(c.changes) == sum(
                1 for i in berlin.issues if c.package[i] != berlin.package_of(pid)[i]
            )
    assert space.size == report.zone.total


def test_solutions_are_acceptable_and_on_the_acceptable_frontier(berlin, report):
    frontier = [s.package for s in report.pareto_acceptable]
    for name, packages in report.solutions.items():
        assert packages, name
        for s in packages:
            assert s.package in frontier
            verdict = evaluate_terms(berlin, s.package)[0]
            assert verdict.bridges


def test_json_document_has_the_documented_keys(report):
    doc = report.to_dict()
    assert {"scenario", "proposals", "zopa", "pareto", "solutions", "bridging"} <= set(doc)
    assert {"exists", "size"} <= set(doc["zopa"])
    for p in doc["proposals"]:
        assert "id" in p
        assert "parties" in p
        for party in p["parties"].values():
            assert {"utility", "reservation", "accepted"} <= set(party)
    assert set(doc["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    for s in doc["solutions"].values():
        assert set(s["package"]) == set(doc["pareto"][0])
        assert set(s["utilities"]) == set(doc["parties"])
    assert set(doc["bridging"]) == {p["id"] for p in doc["proposals"]}


def test_analysis_of_selected_proposals_and_unknown_ids(berlin):
    one = analyze(berlin, ["kyiv-2025-12-14"])
    assert [p.id for p in one.proposals] == ["kyiv-2025-12-14"]
    with pytest.raises(KeyError):
        analyze(berlin, ["no-such-proposal"])


def test_package_from_terms_fills_silent_issues_and_rejects_bad_terms(berlin):
    package, filled = package_from_terms(berlin, {"nato": "set-aside", "army-cap": "800.0"})
    assert package["nato"] == "set-aside"
    assert package["army-cap"] == "800"
    assert "territory" in filled
    assert package["territory"] == berlin.issues["territory"].if_silent
    with pytest.raises(ValueError, match="unknown issue 'natto'"):
        package_from_terms(berlin, {"natto": "set-aside"})
    with pytest.raises(ValueError, match="unknown option 'freeze'"):
        package_from_terms(berlin, {"territory": "freeze"})
    with pytest.raises(ValueError, match="unknown option '825'"):
        package_from_terms(berlin, {"army-cap": "825"})
