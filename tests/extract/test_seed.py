"""The seed article (issue 18's first case): its offers, the Berlin meeting, the three claims.

The article lives outside the repository (``../shared/seed/`` from the repository root, or one
level further up for a worktree); the test is skipped when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import invoke
from tests.extract.scoring import gold_of, score_events

import zopa

ROOT = Path(__file__).resolve().parents[2]
NAME = "berlin-talks-2025-12-14.txt"
SEED = next(
    (
        p / "shared" / "seed" / NAME
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "seed" / NAME).is_file()
    ),
    None,
)
GOLD = Path(__file__).with_name("seed-gold.yaml")

pytestmark = pytest.mark.skipif(
    SEED is None, reason="the seed article (../shared/seed/) is not here"
)


@pytest.fixture(scope="module")
def events() -> list[dict[str, object]]:
    assert SEED is not None
    return zopa.extract(SEED, date="2025-12-14", publisher="CGTN", scenario="berlin-2025-12").events


def test_the_three_defence_ministry_claims(events: list[dict[str, object]]) -> None:
    claims = [e for e in events if e["kind"] == "battlefield-claim"]
    assert len(claims) == 3
    for claim in claims:
        assert claim["claimed_by"] == "Russian Defence Ministry"
        assert claim["claimed_by_party"] == "RU"
        assert claim["verified"] is False
        assert claim["actor"] == "Russian forces"
    assert [c["numbers"] for c in claims] == [{"bombs": 4, "drones": 290}, {"locations": 142}, {}]
    assert [c["place"] for c in claims] == [None, None, "Varvarovka"]
    assert claims[0]["date_text"] == "over the past 24 hours"


def test_the_offers(events: list[dict[str, object]]) -> None:
    offers = [e for e in events if e["kind"] == "proposal"]
    texts = " ".join(str(e["quote"]) for e in offers)
    for words in (
        "offering to set aside",
        "is seeking bilateral security commitments",
        "freezes current front lines",
        "revised peace proposal",
    ):
        assert words in texts
    first = offers[0]
    assert (first["actor"], first["actor_party"], first["claimed_by"]) == (
        "Volodymyr Zelenskyy",
        "UA",
        None,
    )
    assert first["proposal"] == "kyiv-2025-12-14"
    submitted = next(e for e in offers if "revised peace proposal" in str(e["quote"]))
    assert (submitted["date"], submitted["date_text"]) == ("2025-12-13", "Earlier this week")


def test_the_berlin_meeting_once(events: list[dict[str, object]]) -> None:
    meetings = [e for e in events if e["kind"] == "diplomatic-event"]
    assert len(meetings) == 1
    assert (meetings[0]["place"], meetings[0]["date"]) == ("Berlin", "2025-12-14")


def test_the_seed_scores_on_its_annotation(events: list[dict[str, object]]) -> None:
    score = score_events(events, gold_of(GOLD.with_suffix(".txt")), "seed")
    assert score.recall == 1.0
    assert score.precision >= 0.9
    assert all(score.accuracy(f) == 1.0 for f in ("claimed_by", "date", "place", "numbers"))


def test_the_command_prints_them(tmp_path: Path) -> None:
    out = tmp_path / "berlin-with-candidates.yaml"
    result = invoke(
        "extract",
        str(SEED),
        "--date",
        "2025-12-14",
        "--scenario",
        "berlin-2025-12",
        "--into",
        str(out),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (
        sum(
            e["claimed_by"] == "Russian Defence Ministry" and e["verified"] is False
            for e in data["events"]
        )
        == 3
    )
    assert data["source"] == {
        "id": "cgtn-2025-12-14",
        "known": True,
        "publisher": "cgtn.com",
        "title": "Ukraine offers to drop NATO membership demands for security guarantees",
        "date": "2025-12-14",
    }
    assert invoke("validate", str(out)).exit_code == 0
    yaml_out = invoke("extract", str(SEED), "--date", "2025-12-14")
    assert "claimed_by: Russian Defence Ministry" in yaml_out.stdout
    assert "verified: false" in yaml_out.stdout
