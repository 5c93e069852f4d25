"""The extractor on the annotated reports: the issue's targets, kept as tests.

See ``data/SCORES.md`` for the history of the evaluation: which set was unseen when. These tests
guard the scores from regressions; they were written after the scores were measured.
"""

from __future__ import annotations

import pytest
from tests.extract.scoring import FIELDS, Score, score_events, score_set

TARGETS = {"recall": 0.8, "precision": 0.7, "claimed_by": 0.8, "date": 0.8, "numbers": 0.9}
"""Issue 18's targets on reports of the kind not tuned on."""


@pytest.fixture(scope="module", params=["tune", "heldout", "heldout2", "heldout3"])
def scored(request: pytest.FixtureRequest) -> tuple[str, Score]:
    return request.param, score_set(request.param)


def test_the_issues_targets(scored: tuple[str, Score]) -> None:
    name, s = scored
    assert s.recall >= TARGETS["recall"], (name, s.misses)
    assert s.precision >= TARGETS["precision"], (name, s.extras)
    for field in ("claimed_by", "date", "numbers"):
        assert s.accuracy(field) >= TARGETS[field], (name, field, s.wrong)


def test_the_tuning_set_is_read_almost_perfectly() -> None:
    s = score_set("tune")
    assert s.recall >= 0.98
    assert s.precision >= 0.98
    assert all(s.accuracy(f) >= 0.98 for f in FIELDS)


def test_the_scorer_can_fail() -> None:
    gold = {
        "events": [
            {
                "text": "shot down",
                "kind": "battlefield-claim",
                "claimed_by": "X",
                "numbers": {"drones|uav": 5},
            }
        ],
        "optional": [{"text": "said", "kind": "statement"}],
    }
    right = {
        "kind": "battlefield-claim",
        "quote": "It shot down 5 drones.",
        "claimed_by": "the X",
        "numbers": {"uav": 5},
    }
    wrong = {**right, "claimed_by": "Y", "numbers": {"drones": 4}}
    extra = {"kind": "proposal", "quote": "Z offered talks.", "claimed_by": None, "numbers": {}}
    optional = {"kind": "statement", "quote": "He said so.", "claimed_by": None, "numbers": {}}
    good = score_events([right, optional], gold)
    assert (good.recall, good.precision, good.accuracy("claimed_by"), good.accuracy("numbers")) == (
        1,
        1,
        1,
        1,
    )
    bad = score_events([wrong, extra], gold)
    assert (bad.recall, bad.precision, bad.accuracy("claimed_by"), bad.accuracy("numbers")) == (
        1,
        0.5,
        0,
        0,
    )
    none = score_events([extra], gold)
    assert (none.recall, none.precision) == (0, 0)
