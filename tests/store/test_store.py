"""The store's core: versions, runs, conflicts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from zopa.errors import UnknownId
from zopa.io.scenario_file import ScenarioError, parse_scenario
from zopa.space.analysis import scenario_stamp
from zopa.store.errors import ConflictError
from zopa.store.store import Store


def edit(text: str, title: str) -> str:
    return text.replace("title: Small test scenario", f"title: {title}", 1)


@pytest.fixture
def store(db_url: str):
    with Store.open(db_url) as st:
        yield st


def test_save_versions_version_round_trip(store: Store, small_text: str) -> None:
    first = store.save(small_text, name="small.yaml", message="first", author="ana")
    assert not first.unchanged
    assert first.version.ref == "small@1"
    assert first.version.parent is None
    assert first.version.sha256 == scenario_stamp(parse_scenario(small_text))["sha256"]
    text2 = edit(small_text, "Second") + "# a trailing comment\r\n"
    second = store.save(text2, message="edit", author="bo")
    assert second.version.ref == "small@2"
    assert second.version.parent == 1
    listed = store.versions("small")
    assert [(v.number, v.parent, v.author, v.message, v.text) for v in listed] == [
        (1, None, "ana", "first", None),
        (2, 1, "bo", "edit", None),
    ]
    assert store.version("small", 1).text == small_text
    assert store.version("small").text == text2  # byte-identical, CRLF and all
    assert store.version("small", 2).file_name == "<scenario>"
    assert store.version("small", 1).created_at.tzinfo is not None
    [scenario] = store.scenarios()
    assert (scenario.id, scenario.title, scenario.latest, scenario.versions) == (
        "small",
        "Second",
        2,
        2,
    )
    assert store.check() == []


def test_unchanged_save_stores_nothing(store: Store, small_text: str) -> None:
    store.save(small_text)
    # a comment changes the text but not the validated content
    again = store.save(small_text + "# only a comment\n", message="no-op")
    assert again.unchanged
    assert again.version.number == 1
    assert len(store.versions("small")) == 1
    assert store.status().versions == 1


def test_save_as_another_id(store: Store, small_text: str) -> None:
    saved = store.save(small_text, scenario_id="copy")
    assert saved.version.ref == "copy@1"
    assert [s.id for s in store.scenarios()] == ["copy"]


def test_stale_parent_is_a_conflict(store: Store, small_text: str) -> None:
    store.save(small_text)
    store.save(edit(small_text, "Two"), author="bo")
    with pytest.raises(ConflictError) as caught:
        store.save(edit(small_text, "Mine"), parent=1, author="ana")
    error = caught.value
    assert (error.scenario_id, error.parent, error.existing.ref) == ("small", 1, "small@2")
    assert "small@2 was saved on small@1 meanwhile (by bo" in str(error)
    assert "nothing saved" in str(error)
    assert len(store.versions("small")) == 2
    # a first version when one exists is a conflict too
    with pytest.raises(ConflictError, match="small@1 was saved meanwhile"):
        store.save(edit(small_text, "New"), parent=None)


def test_unknown_parent_and_ids(store: Store, small_text: str) -> None:
    store.save(small_text)
    with pytest.raises(UnknownId, match="small@1"):
        store.save(edit(small_text, "X"), parent=7)
    with pytest.raises(UnknownId, match="unknown stored scenario 'nope'"):
        store.versions("nope")
    with pytest.raises(UnknownId, match="expected one of: small@1"):
        store.version("small", 3)
    with pytest.raises(UnknownId):
        store.run(99)


def test_invalid_scenario_stores_nothing(store: Store, small_text: str) -> None:
    with pytest.raises(ScenarioError):
        store.save(small_text.replace("reservation: 0.5", "reservation: lots"), name="bad.yaml")
    assert store.scenarios() == []
    assert store.status().versions == 0


def _run(store: Store, options: dict, seed: int | None = 1, version: str = "0.1", number=1):
    start = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return store.save_run(
        "small",
        number,
        "analyze",
        options,
        seed,
        version,
        result={"answer": 42, "options": options},
        document={"blocks": [{"kind": "heading", "text": "Hi"}]},
        headline=["the plan bridges the gap"],
        started_at=start,
        finished_at=start + timedelta(seconds=1.5),
    )


def test_runs_and_cache_key(store: Store, small_text: str) -> None:
    store.save(small_text)
    run = _run(store, {"engine": "auto", "bridging": 5})
    assert run.duration_s == pytest.approx(1.5)
    found = store.find_run("small", 1, "analyze", {"bridging": 5, "engine": "auto"}, 1, "0.1")
    assert found is not None
    assert found.id == run.id
    assert found.result == {"answer": 42, "options": {"bridging": 5, "engine": "auto"}}
    assert found.document == {"blocks": [{"kind": "heading", "text": "Hi"}]}
    assert found.started_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    for changed in (
        ("small", 1, "analyze", {"bridging": 5, "engine": "auto"}, 2, "0.1"),
        ("small", 1, "analyze", {"bridging": 5, "engine": "auto"}, None, "0.1"),
        ("small", 1, "analyze", {"bridging": 5, "engine": "auto"}, 1, "0.2"),
        ("small", 1, "analyze", {"bridging": 4, "engine": "auto"}, 1, "0.1"),
        ("small", 1, "evaluate", {"bridging": 5, "engine": "auto"}, 1, "0.1"),
    ):
        assert store.find_run(*changed) is None, changed
    store.save(edit(small_text, "Two"))
    assert (
        store.find_run("small", 2, "analyze", {"bridging": 5, "engine": "auto"}, 1, "0.1") is None
    )
    second = _run(store, {"x": 1}, number=2)
    listed = store.runs("small")
    assert [r.id for r in listed] == [second.id, run.id]  # newest first
    assert all(r.result is None and r.document is None for r in listed)
    assert [r.ref for r in store.runs("small", 1)] == ["small@1"]
    assert store.run(run.id).result == found.result
    assert store.latest_headlines("small")[2].id == second.id
    assert store.status().runs == 2
    assert store.check() == []


def test_failed_runs_are_not_answers(store: Store, small_text: str) -> None:
    store.save(small_text)
    start = datetime.now(UTC)
    store.save_run(
        "small",
        1,
        "analyze",
        {},
        None,
        "0.1",
        result={},
        document=None,
        headline=[],
        started_at=start,
        finished_at=start,
        status="failed",
        error="boom",
    )
    assert store.find_run("small", 1, "analyze", {}, None, "0.1") is None
    assert store.runs("small")[0].error == "boom"
    with pytest.raises(ValueError, match="unknown run status"):
        store.save_run(
            "small",
            1,
            "analyze",
            {},
            None,
            "0.1",
            result={},
            document=None,
            headline=[],
            started_at=start,
            finished_at=start,
            status="half",
        )


def test_a_seed_beyond_32_bits_is_stored_and_found(store: Store, small_text: str) -> None:
    # zopa seeds are numpy SeedSequence entropy: any non-negative int up to 2**63 - 1
    store.save(small_text)
    big = 2**63 - 1
    run = _run(store, {"engine": "auto"}, seed=big)
    assert run.seed == big
    found = store.find_run("small", 1, "analyze", {"engine": "auto"}, big, "0.1")
    assert found is not None
    assert found.id == run.id
