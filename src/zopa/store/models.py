"""The store's tables (SQLAlchemy 2 typed declarative).

Three tables: ``scenarios``; their ``versions`` (immutable once written; one child per parent,
which is the optimistic lock); ``runs`` of analyses on a version. The Alembic revision
``0001_initial`` creates exactly these; a test checks that autogenerate finds nothing to do.
Times are stored in UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names, so that migrations can name what they alter on every database."""


class Base(DeclarativeBase):
    """The declarative base of the store's tables."""

    metadata = MetaData(naming_convention=NAMING)


class ScenarioRow(Base):
    """A scenario kept in the store: its id and the title of its latest version."""

    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VersionRow(Base):
    """One version of a scenario: the YAML text exactly as given, and where it came from.

    ``UNIQUE(parent_id)``: a version has at most one child, so two saves on the same parent
    cannot both succeed (the second violates the constraint and is refused as a conflict).
    ``UNIQUE(scenario_id, number)`` numbers the versions and serves the history's query.
    """

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("scenario_id", "number"),
        UniqueConstraint("parent_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(200), ForeignKey("scenarios.id"))
    number: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("versions.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """One run of an analysis on a version, written once, complete, in one transaction.

    ``cache_key`` is the SHA-256 of the canonical JSON of the version's content hash, the
    command, its options, the seed and zopa's version: a run with the same key is answered
    from the store instead of recomputed.
    """

    __tablename__ = "runs"
    __table_args__ = (
        Index(None, "cache_key"),
        Index(None, "version_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("versions.id"))
    command: Mapped[str] = mapped_column(String(100))
    options: Mapped[str] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    zopa_version: Mapped[str] = mapped_column(String(100))
    cache_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text)
    document: Mapped[str | None] = mapped_column(Text)
    headline: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_s: Mapped[float] = mapped_column(Float)
