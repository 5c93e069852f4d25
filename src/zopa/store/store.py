"""The store of scenario versions and analysis runs: the only code that reads or writes it.

Every write is one transaction (on SQLite ``BEGIN IMMEDIATE``, so that two writers queue on
the busy timeout rather than fail on a stale snapshot): a process killed in the middle leaves
no partial version and no partial run. Saving a version names its parent and the unique
constraint on ``versions.parent_id`` refuses a second child of the same parent: optimistic
locking, whatever the database.

Opening checks before writing anything: a file that is not a SQLite database, a corrupt one,
a database holding other tables than zopa's, a schema newer than this zopa (or older: run
``zopa db upgrade``), an unreachable server — each a :class:`~zopa.store.errors.StoreError`
with a clear message, and nothing written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from sqlalchemy import Connection, create_engine, event, func, inspect, select, text
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session

from zopa.errors import UnknownId
from zopa.store.errors import ConflictError, StoreError
from zopa.store.models import RunRow, ScenarioRow, VersionRow
from zopa.store.url import display_url, resolve_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

    from zopa.model.scenario import Scenario

MIGRATIONS = Path(__file__).parent / "migrations"
"""The Alembic scripts shipped in the package."""

TABLES = frozenset({"scenarios", "versions", "runs", "alembic_version"})
"""The tables of a zopa store (``alembic_version`` holds the schema revision)."""

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite connection waits for another writer before giving up."""

CONNECT_TIMEOUT_S = 3
"""How long a PostgreSQL connection attempt waits for the server."""

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

STATUSES = ("done", "failed")
"""The statuses a run may have."""


@dataclass(frozen=True)
class VersionInfo:
    """One stored version of a scenario.

    Attributes
    ----------
    scenario_id, number
        Which version (``number`` counts from 1).
    sha256
        The content hash of the validated scenario (as in a result's ``scenario`` stamp).
    parent
        The number of the version it was based on (``None`` for the first).
    author, message, created_at, file_name
        Who saved it, why, when (UTC), from which file.
    text
        The YAML text exactly as saved; ``None`` in listings.
    """

    scenario_id: str
    number: int
    sha256: str
    parent: int | None
    author: str
    message: str
    created_at: datetime
    file_name: str
    text: str | None = None

    @property
    def ref(self) -> str:
        """The version's reference, ``ID@N``."""
        return f"{self.scenario_id}@{self.number}"


@dataclass(frozen=True)
class Saved:
    """The outcome of :meth:`Store.save`: the version, and whether the content was unchanged."""

    version: VersionInfo
    unchanged: bool


@dataclass(frozen=True)
class RunInfo:
    """One stored run of an analysis on a version.

    ``result`` and ``document`` are ``None`` in listings (:meth:`Store.runs`) and filled by
    :meth:`Store.run` and :meth:`Store.find_run`; ``result_json`` is the result as stored (the
    JSON text, parsed into ``result`` only when asked: an analysis result is megabytes).
    """

    id: int
    scenario_id: str
    number: int
    command: str
    options: dict[str, Any]
    seed: int | None
    zopa_version: str
    status: str
    headline: list[str]
    started_at: datetime
    finished_at: datetime
    duration_s: float
    result_json: str | None = None
    document: dict[str, Any] | None = None
    error: str | None = None

    @cached_property
    def result(self) -> dict[str, Any] | None:
        """The stored result (``None`` in listings)."""
        if self.result_json is None:
            return None
        data: dict[str, Any] = json.loads(self.result_json)
        return data

    @property
    def ref(self) -> str:
        """The reference of the version the run analysed, ``ID@N``."""
        return f"{self.scenario_id}@{self.number}"

    def to_dict(self) -> dict[str, Any]:
        """The run as JSON output shows it: everything but the result and the report document.

        One form for history, run listings and an answer from the store.
        """
        return {
            "id": self.id,
            "ref": self.ref,
            "command": self.command,
            "options": self.options,
            "seed": self.seed,
            "zopa_version": self.zopa_version,
            "status": self.status,
            "headline": self.headline,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "duration_s": self.duration_s,
            "error": self.error,
        }


@dataclass(frozen=True)
class StoredScenario:
    """A scenario in the store: id, title, latest version number, count, last save (UTC)."""

    id: str
    title: str
    latest: int
    versions: int
    updated_at: datetime


@dataclass(frozen=True)
class StoreStatus:
    """What ``zopa db status`` shows.

    Attributes
    ----------
    url
        The store's URL, password hidden.
    revision
        The schema's Alembic revision (``None``: an empty database).
    head
        The newest revision this zopa knows.
    scenarios, versions, runs
        How many rows each table holds.
    """

    url: str
    revision: str | None
    head: str
    scenarios: int
    versions: int
    runs: int

    @property
    def current(self) -> bool:
        """Whether the schema is the one this zopa writes."""
        return self.revision == self.head


def alembic_config() -> Config:
    """An Alembic configuration on the scripts shipped in the package (no ``alembic.ini``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this zopa knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def canonical_json(data: object) -> str:
    """JSON with sorted keys and no spaces: equal data, equal text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cache_key(
    sha256: str, command: str, options: Mapping[str, Any], seed: int | None, zopa_version: str
) -> str:
    """The key under which a run is found again: equal inputs, equal key.

    The SHA-256 of the canonical JSON of the version's content hash, the command, its options
    (in any order), the seed and zopa's version.
    """
    payload = {
        "command": command,
        "options": dict(options),
        "seed": seed,
        "sha256": sha256,
        "zopa_version": zopa_version,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def content_hash(scenario: Scenario) -> str:
    """The content hash of a validated scenario (the ``sha256`` of its result stamp)."""
    from zopa.space.analysis import scenario_stamp

    sha = scenario_stamp(scenario)["sha256"]
    assert sha is not None
    return sha


def _utc(moment: datetime) -> datetime:
    """A time read back from the database, in UTC (SQLite keeps no time zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _version_info(row: Any, parent: int | None, *, with_text: bool) -> VersionInfo:
    return VersionInfo(
        scenario_id=row.scenario_id,
        number=row.number,
        sha256=row.sha256,
        parent=parent,
        author=row.author,
        message=row.message,
        created_at=_utc(row.created_at),
        file_name=row.file_name,
        text=row.text if with_text else None,
    )


def result_text(result: Mapping[str, Any]) -> str:
    """A result as the store keeps it: the JSON document as ``--format json`` prints it.

    Indented once, when the run is saved, so that a run answered from the store is printed
    without parsing and re-serialising megabytes (``json.dumps`` with an indent is the
    pure-Python encoder: about 200 ms for the default scenario's analysis).
    """
    return json.dumps(dict(result), indent=2, ensure_ascii=False)


def _run_info(row: Any, scenario_id: str, number: int, *, full: bool) -> RunInfo:
    return RunInfo(
        id=row.id,
        scenario_id=scenario_id,
        number=number,
        command=row.command,
        options=json.loads(row.options),
        seed=row.seed,
        zopa_version=row.zopa_version,
        status=row.status,
        headline=list(json.loads(row.headline)),
        started_at=_utc(row.started_at),
        finished_at=_utc(row.finished_at),
        duration_s=row.duration_s,
        result_json=row.result if full else None,
        document=json.loads(row.document) if full and row.document is not None else None,
        error=row.error,
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


class Store:
    """A store of scenario versions and analysis runs (SQLite or PostgreSQL).

    Open it with :meth:`open`; use it as a context manager (or call :meth:`close`).

    Attributes
    ----------
    url
        The resolved URL of the database.
    """

    def __init__(self, engine: Engine, url: str, state: dict[str, bool] | None = None) -> None:
        self._engine = engine
        self._state = state if state is not None else {"checked": True}
        self.url = url

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True, upgrade: bool = False) -> Self:
        """Open the store at ``url`` (``--db``), ``$ZOPA_DB`` or the default SQLite file.

        Parameters
        ----------
        url
            A SQLAlchemy URL (``sqlite:///PATH``, ``postgresql+psycopg://...``) or a path to
            a SQLite file; ``None`` for :func:`~zopa.store.url.resolve_url`'s choice.
        create
            Create the SQLite file (and its directory) if missing, and the schema in an
            empty database. Without it an empty or missing store is an error.
        upgrade
            Upgrade an older schema to the newest (``zopa db upgrade``); without it an older
            schema is an error that says to run ``zopa db upgrade``.

        Raises
        ------
        StoreError
            A bad URL, an unreachable server, a file that is not a zopa store, a corrupt
            file, a schema newer than this zopa (or older, without ``upgrade``). Nothing was
            written.
        """
        resolved = resolve_url(url)
        shown = display_url(resolved)
        from sqlalchemy.engine import make_url

        try:
            parsed = make_url(resolved)
        except (ArgumentError, ValueError) as exc:
            raise StoreError(
                f"not a database URL: {shown!r} (expected sqlite:///PATH or "
                f"postgresql+psycopg://USER@HOST/DB)"
            ) from exc
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            engine, state = cls._sqlite_engine(parsed.database, resolved, shown, create=create)
        elif backend == "postgresql":
            if parsed.get_driver_name() != "psycopg":
                parsed = parsed.set(drivername="postgresql+psycopg")
            state = {"checked": True}
            try:
                engine = create_engine(parsed, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
            except (ArgumentError, NoSuchModuleError, ImportError) as exc:
                raise StoreError(f"cannot use {shown}: {_first_line(exc)}") from exc
        else:
            raise StoreError(
                f"unsupported database {shown!r}: zopa stores in SQLite (sqlite:///PATH) or "
                f"PostgreSQL (postgresql+psycopg://USER@HOST/DB)"
            )
        store = cls(engine, resolved, state)
        try:
            store._prepare(create=create, upgrade=upgrade)
        except BaseException:
            engine.dispose()
            raise
        return store

    @staticmethod
    def _sqlite_engine(
        database: str | None, url: str, shown: str, *, create: bool
    ) -> tuple[Engine, dict[str, bool]]:
        """An engine on a SQLite file, after checking the file is a SQLite database."""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            if path.is_dir():
                raise StoreError(f"{path} is a directory, not a zopa store")
            if path.exists():
                try:
                    with path.open("rb") as handle:
                        head = handle.read(len(SQLITE_MAGIC))
                except OSError as exc:
                    raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
                if head and head != SQLITE_MAGIC:
                    raise StoreError(f"{path} is not a zopa store: not a SQLite database file")
            elif not create:
                raise StoreError(
                    f"there is no store at {path} yet: `zopa save` or `zopa db init` creates it"
                )
            else:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(
                        f"cannot create the store's directory {path.parent}: {exc.strerror or exc}"
                    ) from exc
        try:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(f"cannot use {shown}: {_first_line(exc)}") from exc
        state = {"checked": False}

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Transactions are begun by the "begin" listener below (pysqlite's own is off).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if state["checked"]:  # never change a file before it is known to be ours
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get("zopa_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine, state

    def _prepare(self, *, create: bool, upgrade: bool) -> None:
        """Check the database is an empty one or a zopa store at the right revision."""
        shown = display_url(self.url)
        sqlite = self._engine.dialect.name == "sqlite"
        try:
            with self._engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                revision = None
                if "alembic_version" in tables:
                    revision = conn.execute(
                        text("SELECT version_num FROM alembic_version")
                    ).scalar()
        except OperationalError as exc:
            if sqlite:
                raise StoreError(f"cannot open {shown}: {_first_line(exc)}") from exc
            raise StoreError(f"cannot connect to {shown}: {_first_line(exc)}") from exc
        except DatabaseError as exc:
            raise StoreError(
                f"{shown} is not a zopa store: the database is corrupt or not SQLite "
                f"({_first_line(exc)})"
            ) from exc
        foreign = sorted(tables - TABLES)
        if foreign:
            raise StoreError(
                f"{shown} is not a zopa store: it holds other tables ({', '.join(foreign)})"
            )
        head = head_revision()
        if not tables:
            if not create:
                raise StoreError(f"the store at {shown} is empty: `zopa db init` creates it")
            self._mark_checked()
            self._upgrade()
            return
        if revision is None:
            raise StoreError(
                f"{shown} is not a zopa store: it has tables {', '.join(sorted(tables))} "
                f"but no schema revision"
            )
        if revision not in _known_revisions():
            raise StoreError(
                f"the store at {shown} has schema {revision}, newer than this zopa knows "
                f"(its newest is {head}): upgrade zopa"
            )
        self._mark_checked()
        if revision != head:
            if not upgrade:
                raise StoreError(
                    f"the store at {shown} has schema {revision}, older than this zopa's "
                    f"{head}: run `zopa db upgrade`"
                )
            self._upgrade()

    def _mark_checked(self) -> None:
        if not self._state["checked"]:
            self._state["checked"] = True
            self._engine.dispose()  # later connections switch the file to WAL

    def _upgrade(self) -> None:
        from alembic import command

        config = alembic_config()
        with self._write() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), committed at end."""
        with self._engine.connect() as conn:
            conn.execution_options(zopa_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A session in a read transaction: one consistent snapshot."""
        with Session(self._engine) as session, session.begin():
            yield session

    def close(self) -> None:
        """Close the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    # -- status and integrity ----------------------------------------------------------------

    def status(self) -> StoreStatus:
        """The URL (password hidden), the schema revision and head, and the table counts."""
        with self._read() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            counts = [
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (ScenarioRow, VersionRow, RunRow)
            ]
        return StoreStatus(
            url=display_url(self.url),
            revision=revision,
            head=head_revision(),
            scenarios=counts[0],
            versions=counts[1],
            runs=counts[2],
        )

    def check(self) -> list[str]:
        """Integrity problems of the store (``[]``: it is sound).

        SQLite's own checks (``PRAGMA integrity_check``, ``foreign_key_check``); each
        version's content hash recomputed from its text; versions numbered 1, 2, … with each
        parent the previous version of the same scenario; runs on existing versions with a
        valid status and readable JSON.
        """
        from zopa.io.scenario_file import ScenarioError, parse_scenario

        problems: list[str] = []
        with self._read() as session:
            if self._engine.dialect.name == "sqlite":
                rows = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
                if rows != ["ok"]:
                    problems.extend(f"sqlite integrity: {row}" for row in rows)
                problems.extend(
                    f"foreign key: {row[0]} row {row[1]} points at a missing {row[2]} row"
                    for row in session.execute(text("PRAGMA foreign_key_check"))
                )
            versions = session.scalars(
                select(VersionRow).order_by(VersionRow.scenario_id, VersionRow.number)
            ).all()
            by_id = {v.id: v for v in versions}
            expected: dict[str, int] = {}
            for v in versions:
                ref = f"{v.scenario_id}@{v.number}"
                want = expected.get(v.scenario_id, 0) + 1
                if v.number != want:
                    problems.append(f"{ref}: numbered {v.number}, expected {want}")
                expected[v.scenario_id] = v.number
                parent = by_id.get(v.parent_id) if v.parent_id is not None else None
                if v.number == 1 and v.parent_id is not None:
                    problems.append(f"{ref}: the first version has a parent")
                elif v.number > 1 and (
                    parent is None
                    or parent.scenario_id != v.scenario_id
                    or parent.number != v.number - 1
                ):
                    problems.append(f"{ref}: its parent is not {v.scenario_id}@{v.number - 1}")
                try:
                    sha = content_hash(parse_scenario(v.text, ref))
                except ScenarioError:
                    problems.append(f"{ref}: the stored text is not a valid scenario")
                    continue
                if sha != v.sha256:
                    problems.append(
                        f"{ref}: the stored text does not match its hash "
                        f"(stored {v.sha256[:12]}, text {sha[:12]})"
                    )
            for run in session.execute(
                select(RunRow.id, RunRow.version_id, RunRow.status, RunRow.result)
            ):
                if run.version_id not in by_id:
                    problems.append(f"run #{run.id}: its version is missing")
                if run.status not in STATUSES:
                    problems.append(f"run #{run.id}: unknown status {run.status!r}")
                try:
                    json.loads(run.result)
                except ValueError:
                    problems.append(f"run #{run.id}: the stored result is not JSON")
        return problems

    # -- versions ----------------------------------------------------------------------------

    def save(
        self,
        text: str,
        *,
        name: str = "<scenario>",
        message: str = "",
        author: str | None = None,
        scenario_id: str | None = None,
        parent: int | Literal["latest"] | None = "latest",
        scenario: Scenario | None = None,
    ) -> Saved:
        """Validate a scenario's text and store it as a new version.

        Parameters
        ----------
        text
            The YAML text; stored exactly as given.
        name
            The file name, for error messages and the version's ``file_name``.
        message, author
            Why, and who (default: empty / ``""``).
        scenario_id
            Store under this id instead of the scenario's own.
        parent
            The version the edit was based on: ``"latest"`` (the latest when saving), a
            number, or ``None`` for a first version.
        scenario
            The text's validated scenario, when the caller has just parsed it (it is not
            parsed again).

        Returns
        -------
        Saved
            The new version; or the parent, ``unchanged=True``, when the content hash equals
            the parent's (nothing stored).

        Raises
        ------
        zopa.ScenarioError
            The text is not a valid scenario: nothing stored.
        ConflictError
            Another version was saved on ``parent`` meanwhile: nothing stored.
        zopa.UnknownId
            ``parent`` names no version of the scenario.
        """
        from zopa.io.scenario_file import parse_scenario

        if scenario is None:
            scenario = parse_scenario(text, name)
        sha = content_hash(scenario)
        sid = scenario_id or scenario.id
        base_number: int | None = None
        try:
            with self._write() as conn, Session(bind=conn) as session:
                latest = session.scalars(
                    select(VersionRow)
                    .where(VersionRow.scenario_id == sid)
                    .order_by(VersionRow.number.desc())
                    .limit(1)
                ).first()
                if parent == "latest":
                    base = latest
                elif parent is None:
                    base = None
                else:
                    base = session.scalars(
                        select(VersionRow).where(
                            VersionRow.scenario_id == sid, VersionRow.number == parent
                        )
                    ).first()
                    if base is None:
                        known = (
                            [f"{sid}@{n}" for n in range(1, latest.number + 1)] if latest else []
                        )
                        raise UnknownId("version", f"{sid}@{parent}", known, parameter="parent")
                base_number = base.number if base is not None else None
                if latest is not None and (base is None or latest.number != base.number):
                    number = 1 if base is None else base.number + 1
                    existing = session.scalars(
                        select(VersionRow).where(
                            VersionRow.scenario_id == sid, VersionRow.number == number
                        )
                    ).one()
                    raise ConflictError(
                        sid, base_number, _version_info(existing, base_number, with_text=False)
                    )
                if base is not None and base.sha256 == sha:
                    grand = self._parent_number(session, base)
                    return Saved(_version_info(base, grand, with_text=True), unchanged=True)
                now = _now()
                row = session.get(ScenarioRow, sid)
                if row is None:
                    session.add(ScenarioRow(id=sid, title=scenario.title, created_at=now))
                elif row.title != scenario.title:
                    row.title = scenario.title
                version = VersionRow(
                    scenario_id=sid,
                    number=1 if base is None else base.number + 1,
                    parent_id=None if base is None else base.id,
                    sha256=sha,
                    text=text,
                    file_name=name,
                    author=author or "",
                    message=message,
                    created_at=now,
                )
                session.add(version)
                session.flush()
                info = _version_info(version, base_number, with_text=True)
        except IntegrityError as exc:
            number = 1 if base_number is None else base_number + 1
            with self._read() as reader:
                child = reader.scalars(
                    select(VersionRow).where(
                        VersionRow.scenario_id == sid, VersionRow.number == number
                    )
                ).first()
                if child is None:
                    raise StoreError(f"cannot save {sid}: {_first_line(exc)}") from exc
                raise ConflictError(
                    sid, base_number, _version_info(child, base_number, with_text=False)
                ) from None
        except OperationalError as exc:
            raise StoreError(f"cannot save {sid}: {_first_line(exc)}") from exc
        return Saved(info, unchanged=False)

    @staticmethod
    def _parent_number(session: Session, row: VersionRow) -> int | None:
        if row.parent_id is None:
            return None
        return session.scalar(select(VersionRow.number).where(VersionRow.id == row.parent_id))

    def scenarios(self) -> list[StoredScenario]:
        """The stored scenarios, by id: title, latest version, how many, last saved."""
        with self._read() as session:
            rows = session.execute(
                select(
                    ScenarioRow.id,
                    ScenarioRow.title,
                    func.max(VersionRow.number),
                    func.count(VersionRow.id),
                    func.max(VersionRow.created_at),
                )
                .join(VersionRow, VersionRow.scenario_id == ScenarioRow.id)
                .group_by(ScenarioRow.id, ScenarioRow.title)
                .order_by(ScenarioRow.id)
            ).all()
        return [StoredScenario(r[0], r[1], r[2], r[3], _utc(r[4])) for r in rows]

    def _known_ids(self, session: Session) -> list[str]:
        return list(session.scalars(select(ScenarioRow.id).order_by(ScenarioRow.id)))

    def versions(self, scenario_id: str) -> list[VersionInfo]:
        """The versions of a scenario, oldest first, without their text.

        Raises
        ------
        zopa.UnknownId
            No scenario with that id is stored.
        """
        with self._read() as session:
            rows = session.execute(
                select(*_listed(VersionRow, "text"))  # the texts stay in the database
                .where(VersionRow.scenario_id == scenario_id)
                .order_by(VersionRow.number)
            ).all()
            if not rows:
                raise UnknownId(
                    "stored scenario", scenario_id, self._known_ids(session), parameter="scenario"
                )
            numbers = {r.id: r.number for r in rows}
            return [
                _version_info(
                    r,
                    numbers.get(r.parent_id) if r.parent_id is not None else None,
                    with_text=False,
                )
                for r in rows
            ]

    def version(self, scenario_id: str, number: int | None = None) -> VersionInfo:
        """One version with its text (``number=None``: the latest).

        Raises
        ------
        zopa.UnknownId
            No such scenario or version.
        """
        with self._read() as session:
            row = self._version_row(session, scenario_id, number)
            return _version_info(row, self._parent_number(session, row), with_text=True)

    def _version_row(self, session: Session, scenario_id: str, number: int | None) -> VersionRow:
        query = select(VersionRow).where(VersionRow.scenario_id == scenario_id)
        if number is None:
            query = query.order_by(VersionRow.number.desc()).limit(1)
        else:
            query = query.where(VersionRow.number == number)
        row = session.scalars(query).first()
        if row is not None:
            return row
        latest = session.scalar(
            select(func.max(VersionRow.number)).where(VersionRow.scenario_id == scenario_id)
        )
        if latest is None:
            raise UnknownId(
                "stored scenario", scenario_id, self._known_ids(session), parameter="scenario"
            )
        valid = [f"{scenario_id}@{n}" for n in range(1, latest + 1)]
        raise UnknownId("version", f"{scenario_id}@{number}", valid, parameter="scenario")

    # -- runs ------------------------------------------------------------------------------------

    def find_run(
        self,
        scenario_id: str,
        number: int | None,
        command: str,
        options: Mapping[str, Any],
        seed: int | None,
        zopa_version: str,
    ) -> RunInfo | None:
        """The newest done run of ``command`` on that version with those inputs, if any.

        The options may come in any order; the seed and zopa's version must be equal.
        """
        with self._read() as session:
            version = self._version_row(session, scenario_id, number)
            key = cache_key(version.sha256, command, options, seed, zopa_version)
            row = session.scalars(
                select(RunRow)
                .where(
                    RunRow.cache_key == key,
                    RunRow.version_id == version.id,
                    RunRow.status == "done",
                )
                .order_by(RunRow.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            return _run_info(row, scenario_id, version.number, full=True)

    def save_run(
        self,
        scenario_id: str,
        number: int | None,
        command: str,
        options: Mapping[str, Any],
        seed: int | None,
        zopa_version: str,
        *,
        result: Mapping[str, Any],
        document: Mapping[str, Any] | None,
        headline: Sequence[str],
        started_at: datetime,
        finished_at: datetime,
        status: str = "done",
        error: str | None = None,
    ) -> RunInfo:
        """Store a run, complete, in one transaction.

        Raises
        ------
        zopa.UnknownId
            No such scenario or version.
        ValueError
            A status other than ``"done"`` or ``"failed"``.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown run status {status!r} (expected one of: done, failed)")
        try:
            with self._write() as conn, Session(bind=conn) as session:
                version = self._version_row(session, scenario_id, number)
                row = RunRow(
                    version_id=version.id,
                    command=command,
                    options=canonical_json(dict(options)),
                    seed=seed,
                    zopa_version=zopa_version,
                    cache_key=cache_key(version.sha256, command, options, seed, zopa_version),
                    status=status,
                    result=result_text(result),
                    document=None
                    if document is None
                    else json.dumps(dict(document), ensure_ascii=False),
                    headline=json.dumps(list(headline), ensure_ascii=False),
                    error=error,
                    started_at=started_at,
                    finished_at=finished_at,
                    duration_s=(finished_at - started_at).total_seconds(),
                )
                session.add(row)
                session.flush()
                return _run_info(row, scenario_id, version.number, full=True)
        except OperationalError as exc:
            raise StoreError(f"cannot save the run: {_first_line(exc)}") from exc

    def runs(self, scenario_id: str, number: int | None = None) -> list[RunInfo]:
        """The runs on a scenario's versions (or on one version), newest first, without results.

        Raises
        ------
        zopa.UnknownId
            No such scenario or version.
        """
        with self._read() as session:
            query = (
                select(*_listed(RunRow, "result", "document"), VersionRow.number)
                .join(VersionRow, RunRow.version_id == VersionRow.id)
                .where(VersionRow.scenario_id == scenario_id)
                .order_by(RunRow.id.desc())
            )
            if number is not None:
                query = query.where(
                    VersionRow.id == self._version_row(session, scenario_id, number).id
                )
            else:
                self._version_row(session, scenario_id, None)  # an unknown id is an error
            rows = session.execute(query).all()
            return [_run_info(r, scenario_id, r.number, full=False) for r in rows]

    def latest_headlines(self, scenario_id: str) -> dict[int, RunInfo]:
        """For each version of a scenario, its latest done run (without results).

        One query, served by the index on ``runs(version_id, status)``: ``zopa history``
        shows each version's headline.
        """
        with self._read() as session:
            newest = (
                select(func.max(RunRow.id))
                .join(VersionRow, RunRow.version_id == VersionRow.id)
                .where(VersionRow.scenario_id == scenario_id, RunRow.status == "done")
                .group_by(RunRow.version_id)
            )
            rows = session.execute(
                select(*_listed(RunRow, "result", "document"), VersionRow.number)
                .join(VersionRow, RunRow.version_id == VersionRow.id)
                .where(RunRow.id.in_(newest))
            ).all()
            return {r.number: _run_info(r, scenario_id, r.number, full=False) for r in rows}

    def run(self, run_id: int) -> RunInfo:
        """One run with its result and document.

        Raises
        ------
        zopa.UnknownId
            No run with that id.
        """
        with self._read() as session:
            found = session.execute(
                select(RunRow, VersionRow.scenario_id, VersionRow.number)
                .join(VersionRow, RunRow.version_id == VersionRow.id)
                .where(RunRow.id == run_id)
            ).first()
            if found is None:
                raise UnknownId("run", run_id, [], parameter="run")
            return _run_info(found[0], found[1], found[2], full=True)


def _listed(model: type[VersionRow] | type[RunRow], *left_out: str) -> list[Any]:
    """A table's columns but the large ones, for a listing.

    Plain rows rather than ORM objects: a listing of 1,000 versions or runs builds its
    objects in a third of the time, and the left-out texts stay in the database.
    """
    return [c for c in model.__table__.columns if c.name not in left_out]
