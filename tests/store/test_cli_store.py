"""The store's commands: db init|upgrade|status, save, history, checkout, runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import BAD_SCENARIOS, SMALL_SCENARIO, invoke

from zopa.store.store import Store

TITLE = "title: Small test scenario"


@pytest.fixture
def db(db_url: str) -> str:
    return db_url


def test_db_init_status(db: str) -> None:
    result = invoke("db", "init", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "store ready" in result.stdout
    result = invoke("db", "status", "--db", db)
    assert result.exit_code == 0
    assert "schema:    0001 (current)" in result.stdout
    assert "versions:  0" in result.stdout
    data = json.loads(invoke("db", "status", "--db", db, "--format", "json").stdout)
    assert (data["revision"], data["head"], data["current"]) == ("0001", "0001", True)
    assert invoke("db", "upgrade", "--db", db).exit_code == 0


def test_db_status_hides_the_password() -> None:
    result = invoke("db", "status", "--db", "postgresql+psycopg://ana:s3cret@127.0.0.1:1/zopa")
    assert result.exit_code == 2
    assert "s3cret" not in result.stdout + result.stderr
    assert "cannot connect to postgresql+psycopg://ana:***@127.0.0.1:1/zopa" in result.stderr


def test_db_status_of_a_missing_store_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    result = invoke("db", "status", "--db", f"sqlite:///{path}")
    assert result.exit_code == 2
    assert "there is no store at" in result.stderr
    assert not path.exists()


def test_bad_stores_exit_2(tmp_path: Path) -> None:
    text_file = tmp_path / "text.db"
    text_file.write_text("hello\n")
    for url in ("foo://", f"sqlite:///{text_file}"):
        result = invoke("save", str(SMALL_SCENARIO), "--db", url)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ")
    assert text_file.read_text() == "hello\n"


def test_save_history_checkout_runs(db: str, tmp_path: Path) -> None:
    result = invoke("save", str(SMALL_SCENARIO), "-m", "first", "--author", "ana", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("saved small@1 (sha256 ")
    assert result.stdout.rstrip().endswith("first version)")
    again = invoke("save", str(SMALL_SCENARIO), "--db", db)
    assert again.stdout.strip() == "unchanged: same content as small@1"
    edited = tmp_path / "edited.yaml"
    edited.write_bytes(SMALL_SCENARIO.read_bytes().replace(TITLE.encode(), b"title: E\r"))
    result = invoke("save", str(edited), "-m", "edit", "--as", "small", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "saved small@2" in result.stdout
    assert "parent @1)" in result.stdout

    with Store.open(db) as store:
        start = datetime(2026, 12, 7, 19, 40, tzinfo=UTC)
        store.save_run(
            "small",
            2,
            "analyze",
            {},
            None,
            "0.1",
            result={},
            document=None,
            headline=["the plan bridges the gap"],
            started_at=start,
            finished_at=start,
        )

    table = invoke("history", "small", "--db", db, env={"COLUMNS": "80"})
    assert table.exit_code == 0
    assert all(len(line) <= 80 for line in table.stdout.splitlines())
    for word in ("@1", "@2", "ana", "first", "edit", "the plan bridges"):
        assert word in table.stdout
    data = json.loads(invoke("history", "small", "--format", "json", "--db", db).stdout)
    assert [v["ref"] for v in data["versions"]] == ["small@1", "small@2"]
    assert data["versions"][0]["latest_run"] is None
    assert data["versions"][1]["latest_run"]["headline"] == ["the plan bridges the gap"]

    out = tmp_path / "out.yaml"
    result = invoke("checkout", "small@2", "-o", str(out), "--db", db)
    assert result.exit_code == 0
    assert out.read_bytes() == edited.read_bytes()
    result = invoke("checkout", "small@1", "-o", "-", "--db", db)
    assert result.stdout_bytes == SMALL_SCENARIO.read_bytes()

    listed = invoke("runs", "small", "--db", db, env={"COLUMNS": "80"})
    assert listed.exit_code == 0
    assert "#1" in listed.stdout
    assert "2026-12-07 19:40" in listed.stdout
    data = json.loads(invoke("runs", "small", "--format", "json", "--db", db).stdout)
    assert [r["ref"] for r in data["runs"]] == ["small@2"]


def test_unknown_ids_exit_2(db: str) -> None:
    invoke("save", str(SMALL_SCENARIO), "--db", db)
    for args in (
        ("history", "nope"),
        ("checkout", "small@5"),
        ("runs", "nope"),
        ("checkout", "small@x"),
    ):
        result = invoke(*args, "--db", db)
        assert result.exit_code == 2, args
        assert "error:" in result.stderr


def test_an_invalid_file_is_reported_like_validate_and_stores_nothing(db: str) -> None:
    bad = BAD_SCENARIOS / "all-zero-weights.yaml"
    result = invoke("save", str(bad), "--db", db)
    expected = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert result.stderr == expected.stderr
    assert "1 problem found." in result.stderr
    status = invoke("db", "status", "--db", db)
    assert status.exit_code == 2  # the store was not even created


def test_a_conflict_exits_2_naming_both_versions(
    db: str, small_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    from zopa.cli import _call

    with Store.open(db) as store:
        store.save(small_text)
        store.save(small_text.replace(TITLE, "title: Theirs"), author="bo")
        with pytest.raises(typer.Exit) as caught:
            _call(lambda: store.save(small_text.replace(TITLE, "title: Mine"), parent=1))
    assert caught.value.exit_code == 2
    err = capsys.readouterr().err
    assert "error: small@2 was saved on small@1 meanwhile (by bo" in err
    assert "your edit was based on small@1: nothing saved" in err


def test_the_default_store_is_the_tests_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os

    from zopa.store.url import resolve_url

    assert resolve_url(None) == os.environ["ZOPA_DB"]
    assert str(tmp_path.parent.parent) in os.environ["ZOPA_DB"] or "store" in os.environ["ZOPA_DB"]
    result = invoke("save", str(SMALL_SCENARIO))
    assert result.exit_code == 0
    assert Path(os.environ["ZOPA_DB"].removeprefix("sqlite:///")).exists()
