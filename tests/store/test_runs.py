"""Stored references in every analysis command, --save-run, and runs answered from the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SMALL_SCENARIO, invoke

import zopa
from zopa.catalog import embedded_text
from zopa.store.store import Store

SMALL = SMALL_SCENARIO.read_text(encoding="utf-8")


def _text(sid: str) -> str:
    raw = embedded_text(sid)
    return raw.decode() if isinstance(raw, bytes) else raw


@pytest.fixture
def stored(db_url: str) -> str:
    """A store holding small@1 (and the URL to reach it)."""
    with Store.open(db_url) as store:
        store.save(SMALL, name="small.yaml", message="first")
    return db_url


def _json(*args: str) -> tuple[dict[str, Any], str]:
    out = invoke(*args, "--format", "json")
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout), out.stderr


def _boom(*args: object, **kwargs: object) -> None:
    raise AssertionError("the engine was called: the run should come from the store")


def test_a_second_identical_command_is_answered_from_the_store(
    stored: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, err = _json("analyze", "small@1", "--db", stored, "--save-run")
    run_id = first["saved_run"]["id"]
    assert f"stored run #{run_id} of small@1" in err
    monkeypatch.setattr(zopa, "analyze", _boom)
    again, err = _json("analyze", "small@1", "--db", stored)
    assert again["stored_run"]["id"] == run_id
    assert f"answered from the store: run #{run_id} (" in err
    assert "not recomputed" in err
    del first["saved_run"], again["stored_run"]
    assert again == first
    # the bare id and @latest name the same version
    assert _json("analyze", "small", "--db", stored)[0]["stored_run"]["id"] == run_id
    assert _json("analyze", "small@latest", "--db", stored)[0]["stored_run"]["id"] == run_id


def test_the_stored_table_and_markdown_equal_the_fresh_ones(stored: str) -> None:
    fresh = invoke("analyze", "small@1", "--db", stored, "--save-run")
    cached = invoke("analyze", "small@1", "--db", stored)
    assert "answered from the store" in cached.stderr
    assert cached.stdout == fresh.stdout
    assert cached.exit_code == fresh.exit_code
    narrow = {"COLUMNS": "80"}
    assert (
        invoke("analyze", "small@1", "--db", stored, env=narrow).stdout
        == invoke("analyze", "small@1", "--db", stored, "--fresh", env=narrow).stdout
    )
    md_fresh = invoke("analyze", "small@1", "--db", stored, "--format", "md", "--fresh")
    md_cached = invoke("analyze", "small@1", "--db", stored, "--format", "md")
    assert "answered from the store" in md_cached.stderr
    assert md_cached.stdout == md_fresh.stdout


def test_other_options_or_another_seed_are_recomputed(stored: str) -> None:
    _json("analyze", "small@1", "--db", stored, "--save-run")
    other, err = _json("analyze", "small@1", "--db", stored, "--bridging", "2")
    assert "stored_run" not in other
    assert "answered from the store" not in err
    with Store.open(stored) as store:
        store.save(_text("berlin-2025-12"), name="berlin.yaml")
    args = ("robust", "berlin-2025-12@1", "--db", stored, "--samples", "8", "--workers", "1")
    seeded, _ = _json(*args, "--seed", "1", "--save-run")
    assert "saved_run" in seeded
    assert "stored_run" in _json(*args, "--seed", "1")[0]
    assert "stored_run" not in _json(*args, "--seed", "2")[0]


def test_fresh_recomputes_and_with_save_run_stores_a_new_run(
    stored: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _json("analyze", "small@1", "--db", stored, "--save-run")
    fresh, err = _json("analyze", "small@1", "--db", stored, "--fresh")
    assert "stored_run" not in fresh
    assert "saved_run" not in fresh
    assert "answered from the store" not in err
    second, _ = _json("analyze", "small@1", "--db", stored, "--fresh", "--save-run")
    assert second["saved_run"]["id"] != first["saved_run"]["id"]
    monkeypatch.setattr(zopa, "analyze", _boom)
    latest, _ = _json("analyze", "small@1", "--db", stored)
    assert latest["stored_run"]["id"] == second["saved_run"]["id"]  # the newest run answers


def test_save_run_with_a_file_stores_a_version_then_the_run(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    data, err = _json("analyze", str(path), "--db", db_url, "--save-run")
    assert f"{path}: saved as small@1" in err
    assert data["saved_run"]["ref"] == "small@1"
    with Store.open(db_url, create=False) as store:
        (_version,) = store.versions("small")
        assert store.version("small", 1).text == SMALL
        (run,) = store.runs("small")
        assert (run.id, run.command, run.number) == (data["saved_run"]["id"], "analyze", 1)
    _again, err = _json("analyze", str(path), "--db", db_url, "--save-run")
    assert f"{path}: unchanged: already small@1" in err
    with Store.open(db_url, create=False) as store:
        assert len(store.versions("small")) == 1
        assert len(store.runs("small")) == 2
    monkeypatch.setattr(zopa, "analyze", _boom)
    assert _json("analyze", "small@1", "--db", db_url)[0]["stored_run"]["id"] == 2


def test_save_run_of_an_embedded_scenario_is_refused_with_a_hint() -> None:
    out = invoke("analyze", "berlin-2025-12", "--save-run", "--format", "json")
    assert out.exit_code == 2
    assert "zopa save" in out.stderr


def test_an_unknown_version_exits_2_listing_the_stored_ones(stored: str) -> None:
    out = invoke("analyze", "small@9", "--db", stored)
    assert out.exit_code == 2
    assert "unknown version 'small@9'" in out.stderr
    assert "small@1" in out.stderr


def test_a_stored_version_is_read_by_the_file_reader_named_by_its_ref(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_url) as store:
        store.save(SMALL, name="small.yaml")
    s = zopa.load("small@1", db=db_url)
    assert s.id == "small"
    assert s.title == "Small test scenario"
    monkeypatch.setenv("ZOPA_DB", db_url)
    assert zopa.load("small").proposals.keys() == s.proposals.keys()


COMMANDS = [
    ("evaluate", "berlin-2025-12@1", "--terms", "nato=set-aside"),
    ("stability", "elmira@1"),
    ("forecast", "berlin-2025-12@1", "--samples", "4"),
    ("robust", "berlin-2025-12@1", "--samples", "8", "--workers", "1"),
    ("simulate", "berlin-2025-12@1"),
    ("tournament", "berlin-2025-12@1", "--samples", "2", "--workers", "1"),
    ("timeline", "berlin-2025-12@1"),
]


@pytest.fixture(scope="module")
def catalog_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('catalog') / 'zopa.db'}"
    with Store.open(url) as store:
        store.save(_text("berlin-2025-12"), name="berlin.yaml")
        store.save(_text("elmira"), name="elmira.yaml")
    return url


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_analysis_command_takes_a_ref_and_answers_a_second_run_from_the_store(
    args: tuple[str, ...], catalog_store: str
) -> None:
    saved, _ = _json(*args, "--db", catalog_store, "--save-run", "--fresh")
    again, err = _json(*args, "--db", catalog_store)
    assert again["stored_run"]["id"] == saved["saved_run"]["id"], err
    del saved["saved_run"], again["stored_run"]
    assert again == saved
    table = invoke(*args, "--db", catalog_store)
    assert "answered from the store" in table.stderr
    assert table.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [("show", "small@1"), ("show", "small"), ("validate", "small@1")],
)
def test_show_and_validate_take_a_ref(args: tuple[str, ...], stored: str) -> None:
    out = invoke(*args, "--db", stored)
    assert out.exit_code == 0, out.output
    assert "small" in out.stdout


def test_report_takes_a_ref(stored: str, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    out = invoke(
        "report",
        "small@1",
        "--db",
        stored,
        "-o",
        str(target),
        "--sections",
        "analyze",
        "--samples",
        "4",
    )
    assert out.exit_code == 0, out.output
    assert "Small test scenario" in target.read_text(encoding="utf-8")


def test_a_stored_answer_prints_the_same_text_as_indenting_its_document(stored: str) -> None:
    invoke("analyze", "small@1", "--db", stored, "--save-run", "--format", "json")
    out = invoke("analyze", "small@1", "--db", stored, "--format", "json")
    data = json.loads(out.stdout)
    assert "stored_run" in data
    assert out.stdout == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    with Store.open(stored) as store:  # kept as printed: the answer splices, never re-encodes
        run = store.run(data["stored_run"]["id"])
    assert run.result_json == json.dumps(expected_result(data), indent=2, ensure_ascii=False)
    assert out.stdout.startswith(run.result_json[:-2] + ',\n  "stored_run": {')


def test_a_result_stored_compact_by_an_earlier_zopa_is_printed_alike(stored: str) -> None:
    from sqlalchemy import create_engine, update

    from zopa.store.models import RunRow

    invoke("analyze", "small@1", "--db", stored, "--save-run", "--format", "json")
    expected = json.loads(invoke("analyze", "small@1", "--db", stored, "--format", "json").stdout)
    engine = create_engine(stored)
    with engine.begin() as conn:  # as runs were stored before results were kept indented
        conn.execute(update(RunRow).values(result=json.dumps(expected_result(expected))))
    engine.dispose()
    out = invoke("analyze", "small@1", "--db", stored, "--format", "json")
    assert json.loads(out.stdout) == expected
    assert out.stdout == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def expected_result(answer: dict[str, Any]) -> dict[str, Any]:
    """The stored result in an answer from the store (without the run's own record)."""
    return {k: v for k, v in answer.items() if k != "stored_run"}
