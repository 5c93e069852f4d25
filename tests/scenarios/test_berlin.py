"""The default scenario, the Berlin talks of 14 December 2025: valid, sourced, and honest.

Facts (proposal terms, events) must cite sources that exist; every preference number is an
analyst assumption and must say so, with a basis for the weights, the walk-away point and every
issue that matters to the party.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zopa
from zopa.catalog import DEFAULT, embedded_ids, embedded_text, load
from zopa.cli import app
from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import BASIS_KEYS, Scenario
from zopa.robust.sampling import number_sites

CITATION = re.compile(r"\[([^\[\]]+)\]")


@pytest.fixture(scope="module")
def berlin() -> Scenario:
    return load(DEFAULT)


def berlin_path() -> Path:
    traversable = resources.files("zopa.catalog") / f"{DEFAULT}.yaml"
    assert isinstance(traversable, Path)  # an installed package (editable or wheel) on disk
    return traversable


def test_default_is_berlin() -> None:
    assert DEFAULT == "berlin-2025-12"
    assert DEFAULT in embedded_ids()
    assert zopa.load().id == "berlin-2025-12"


def test_loads_and_validates(berlin: Scenario) -> None:
    assert berlin.id == "berlin-2025-12"
    assert berlin.as_of == dt.date(2025, 12, 14)
    # the same by path and from the embedded bytes
    assert load(berlin_path()) == berlin
    assert embedded_text(DEFAULT) == berlin_path().read_bytes()


def test_zopa_validate_accepts_the_file() -> None:
    result = CliRunner().invoke(app, ["validate", str(berlin_path())], env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    assert "valid scenario 'berlin-2025-12'" in result.stdout


def test_parties(berlin: Scenario) -> None:
    assert set(berlin.parties) == {"UA", "RU", "US", "EU", "CA", "JP"}
    assert {p for p, party in berlin.parties.items() if party.role == "belligerent"} == {"UA", "RU"}


def test_key_proposals_exist(berlin: Scenario) -> None:
    proposals = berlin.proposals
    kyiv = [p for p in proposals.values() if p.by == ["UA"] and p.date == dt.date(2025, 12, 14)]
    assert len(kyiv) == 1
    assert any("28-point" in p.title and p.by == ["US"] for p in proposals.values())
    assert any("E3" in p.title and "EU" in p.by for p in proposals.values())
    assert any("Geneva" in p.title and set(p.by) == {"US", "UA"} for p in proposals.values())
    assert any("Russia" in p.title and p.by == ["RU"] for p in proposals.values())
    assert {
        "kyiv-2025-12-14",
        "us-28-point-2025-11-20",
        "e3-counter-2025-11-23",
        "geneva-19-point-2025-11-24",
        "russia-demands-2025-12-12",
    } <= set(proposals)


def test_every_term_has_an_existing_source(berlin: Scenario) -> None:
    for pid, proposal in berlin.proposals.items():
        assert proposal.source, pid
        for ref in proposal.source:
            assert ref in berlin.sources, (pid, ref)
        for issue, term in proposal.terms.items():
            assert term.source or proposal.source, (pid, issue)
            for ref in term.source:
                assert ref in berlin.sources, (pid, issue, ref)


def test_every_event_has_an_existing_source(berlin: Scenario) -> None:
    assert berlin.events
    for i, event in enumerate(berlin.events):
        assert event.source, i
        for ref in event.source:
            assert ref in berlin.sources, (i, ref)


def test_every_cited_source_exists(berlin: Scenario) -> None:
    cited: set[str] = set()
    for issue in berlin.issues.values():
        cited.update(issue.source)
        for option in (issue.options or {}).values():
            cited.update(option.source)
    for prefs in berlin.preferences.values():
        texts = prefs.basis.values() if isinstance(prefs.basis, dict) else [prefs.basis]
        for text in texts:
            for ref in CITATION.findall(text):
                cited.update(r.strip() for r in ref.split(","))
    assert cited
    assert cited <= set(berlin.sources), cited - set(berlin.sources)


def test_battlefield_claims_are_unverified_russian_claims(berlin: Scenario) -> None:
    claims = [e for e in berlin.events if e.kind == "battlefield-claim"]
    assert len(claims) >= 3
    for claim in claims:
        assert claim.claimed_by == "RU"
        assert claim.verified is False


def test_every_basis_covers_weights_reservation_and_issues_that_matter(
    berlin: Scenario,
) -> None:
    assert set(berlin.preferences) == set(berlin.parties)
    for party, prefs in berlin.preferences.items():
        basis = prefs.basis
        assert isinstance(basis, dict), party
        if "general" in basis:
            continue
        needed = {"weights", "reservation"}
        needed |= {issue for issue, w in prefs.weights.items() if point(w) != 0}
        assert needed <= set(basis), (party, needed - set(basis))


def test_every_basis_says_it_is_an_assumption(berlin: Scenario) -> None:
    for party, prefs in berlin.preferences.items():
        texts = prefs.basis.values() if isinstance(prefs.basis, dict) else [prefs.basis]
        for text in texts:
            assert "Assumption" in text, (party, text)
        if isinstance(prefs.basis, dict):
            assert set(prefs.basis) <= set(BASIS_KEYS) | set(berlin.issues)


def test_uncertain_numbers_are_consistent(berlin: Scenario) -> None:
    uncertain = 0
    for site in number_sites(berlin):
        if isinstance(site.number, Uncertain):
            uncertain += 1
            assert site.number.low <= site.number.point <= site.number.high, site.path
    assert uncertain > 50


def test_nothing_is_dated_after_as_of(berlin: Scenario) -> None:
    for pid, proposal in berlin.proposals.items():
        assert proposal.date <= berlin.as_of, pid
    for event in berlin.events:
        assert event.date <= berlin.as_of, event.text


def test_every_proposal_is_a_full_package(berlin: Scenario) -> None:
    for pid in berlin.proposals:
        package = berlin.package_of(pid)
        assert set(package) == set(berlin.issues)
        for issue, option in package.items():
            assert option in berlin.issues[issue].option_ids(), (pid, issue, option)


def test_kyiv_offer(berlin: Scenario) -> None:
    package = berlin.package_of("kyiv-2025-12-14")
    assert package["nato"] == "set-aside"
    assert package["guarantees"] == "art5-us-allies"
    assert package["territory"] == "line-of-contact"
    assert package["army-cap"] == "800"
    # left undecided: the status quo
    assert package["sanctions"] == "none"
