"""Opening the store: bad inputs are clear errors and write nothing; migrations and models agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from zopa.store.errors import StoreError
from zopa.store.models import Base
from zopa.store.store import Store, head_revision


def _snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    siblings = sorted(p.name for p in path.parent.iterdir())
    return path.read_bytes(), path.stat().st_mtime_ns, siblings


def _refused(url: str, path: Path, match: str) -> None:
    before = _snapshot(path)
    for create in (True, False):
        with pytest.raises(StoreError, match=match):
            Store.open(url, create=create)
    assert _snapshot(path) == before  # nothing written, no journal/WAL left beside it


def test_a_text_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("zopa: 1\nid: not-a-database\n")
    _refused(f"sqlite:///{path}", path, "is not a zopa store: not a SQLite database file")


def test_a_foreign_sqlite_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    _refused(f"sqlite:///{path}", path, r"not a zopa store: it holds other tables \(customers\)")


def test_our_table_names_without_a_revision_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE versions (id INTEGER PRIMARY KEY)")
    _refused(f"sqlite:///{path}", path, "but no schema revision")


def test_a_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    with Store.open(f"sqlite:///{path}"):
        pass
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # the header survives, the pages do not
    path.write_bytes(bytes(data))
    for extra in tmp_path.glob("corrupt.db-*"):
        extra.unlink()
    _refused(f"sqlite:///{path}", path, "corrupt")


def test_a_schema_newer_than_the_code_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.status()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(
        StoreError, match=f"schema 9999, newer than this zopa knows .*{head_revision()}"
    ):
        Store.open(db_url)
    with pytest.raises(StoreError, match="newer"):
        Store.open(db_url, upgrade=True)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("foo://", "unsupported database 'foo://'"),
        ("mysql://user@host/db", "unsupported database"),
        ("postgresql+psycopg://", None),
    ],
)
def test_bad_urls(url: str, match: str | None) -> None:
    with pytest.raises(StoreError, match=match):
        Store.open(url)


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody@/zopa?host={tmp_path}&port=1"
    with pytest.raises(StoreError, match="cannot connect to postgresql"):
        Store.open(url)
    url = "postgresql+psycopg://nobody@127.0.0.1:1/zopa"
    with pytest.raises(StoreError, match="cannot connect to postgresql"):
        Store.open(url)


def test_a_missing_store_is_not_created_without_create(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "zopa.db"
    with pytest.raises(StoreError, match="there is no store at"):
        Store.open(f"sqlite:///{path}", create=False)
    assert not path.parent.exists()
    with Store.open(f"sqlite:///{path}") as store:
        assert store.status().revision == head_revision()
    assert path.exists()


def test_an_empty_database_is_not_initialised_without_create(db_url: str) -> None:
    with pytest.raises(StoreError, match=r"empty|no store"):
        Store.open(db_url, create=False)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with Store.open(f"sqlite:///{path}") as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_upgrade_from_empty_to_head_matches_the_models(db_url: str) -> None:
    with Store.open(db_url) as store:
        status = store.status()
        assert (status.revision, status.current) == (head_revision(), True)
        with store._engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_the_comparison_can_fail(db_url: str) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    with Store.open(db_url) as store, store._engine.connect() as conn:
        extra = MetaData()
        for table in Base.metadata.tables.values():
            table.to_metadata(extra)
        Table("extra", extra, Column("id", Integer, primary_key=True))
        diff = compare_metadata(MigrationContext.configure(conn), extra)
    assert [d[0] for d in diff] == ["add_table"]


def test_the_migrations_ship_in_the_package() -> None:
    import zopa.store

    root = Path(zopa.store.__file__).parent / "migrations"
    assert (root / "env.py").is_file()
    assert (root / "script.py.mako").is_file()
    assert (root / "versions" / "0001_initial.py").is_file()
