"""The store's tables (SQLAlchemy Core) and the ordered migrations that build them.

The schema is versioned: ``schema_version`` holds one row per applied migration, and
:func:`migrate` applies the missing ones, in order, inside one transaction, so a failed
migration leaves the database as it was. Two processes opening a new database at once are
serialised: SQLite's ``BEGIN IMMEDIATE`` (see :mod:`geodata.store.database`) and a
PostgreSQL transaction-level advisory lock make the second wait and then find the work done.

Tables
------
sources
    The user's documents: bibliographic fields, the text verbatim, its SHA-256 (unique:
    the same text added twice is one source).
suggestions
    Candidate events read from a source by :mod:`geodata.store.suggest`, kept so that
    ``events accept SUGGESTION_ID`` can find them; removed with their source.
events
    Coded events, each with one evidence span into its source; removed with their source.
rejected_suggestions
    Suggestions the user turned down (the Sources page's "Reject"), so that they stay
    hidden when the source is suggested again; removed with their source.

Offsets are Python character offsets into the stored text (end exclusive), as for the seeds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)

from geodata.errors import DataError

__all__ = ["MIGRATIONS", "Migration", "SCHEMA_VERSION", "events", "metadata", "migrate", "schema_version",
           "sources", "suggestions", "rejected_suggestions", "current_version"]

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("outlet", Text, nullable=False),
    Column("date", String(10), nullable=False),
    Column("author", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("added_at", String(32), nullable=False),
    UniqueConstraint("sha256", name="uq_sources_sha256"),
)

# Columns an event and a suggestion share: the evidence span and the coding.
_CODING = (
    ("start", Integer),
    ("end", Integer),
    ("quote", Text),
    ("place", String(64)),
    ("geo_precision", Integer),
    ("type", String(64)),
    ("date_start", String(10)),
    ("date_end", String(10)),
    ("date_precision", String(16)),
    ("date_note", Text),
)


def _coding_columns() -> list[Column]:
    return [Column(name, kind, nullable=False) for name, kind in _CODING]


suggestions = Table(
    "suggestions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    *_coding_columns(),
    Column("confidence", Float, nullable=False),
    Index("ix_suggestions_source", "source_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    *_coding_columns(),
    Column("description", Text, nullable=False, default=""),
    Column("suggestion_id", String(64), nullable=True),
    Column("coded_at", String(32), nullable=False),
    Index("ix_events_source", "source_id"),
)

rejected_suggestions = Table(
    "rejected_suggestions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("rejected_at", String(32), nullable=False),
)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version number, what it does, and the function doing it."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_tables(conn: Connection) -> None:
    """Sources, suggestions and coded events (the tables as first released)."""
    metadata.create_all(conn, tables=[sources, suggestions, events])


def _v2_rejections(conn: Connection) -> None:
    """Suggestions the user rejected (hidden from the Sources page from then on)."""
    metadata.create_all(conn, tables=[rejected_suggestions])


# Append only: a released migration is never edited, a change is a new step.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sources, suggestions and coded events", _v1_tables),
    Migration(2, "rejected suggestions", _v2_rejections),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
# Any constant works; it only has to be the same in every process using the database.
_PG_LOCK_KEY = 0x51A7A5


def current_version(conn: Connection) -> int:
    """The highest applied migration (0 for an empty database)."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    found = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc()).limit(1)).scalar()
    return int(found or 0)


def migrate(conn: Connection, where: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the missing migrations on ``conn``'s open transaction.

    Parameters
    ----------
    conn : sqlalchemy.Connection
        A connection inside a transaction (``engine.begin()``); the caller commits.
    where : str
        Names the database in messages (its URL without password).
    migrations : tuple of Migration
        The ordered steps (default :data:`MIGRATIONS`; tests pass their own).

    Returns
    -------
    list of int
        The versions applied now (empty when the database was up to date).

    Raises
    ------
    DataError
        If the database was made by a newer version of Qantar Atlas.
    """
    if conn.dialect.name == "postgresql":
        # Held until the transaction ends: a second process waits here, then sees the tables.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    metadata.create_all(conn, tables=[schema_version])
    have = current_version(conn)
    known = migrations[-1].version
    if have > known:
        raise DataError(
            f"{where}: the store's schema is version {have}, newer than this code's {known}; "
            "update Qantar Atlas (git pull) before using this database"
        )
    applied = []
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for step in migrations:
        if step.version > have:
            step.apply(conn)
            conn.execute(schema_version.insert().values(version=step.version, description=step.description,
                                                        applied_at=now))
            applied.append(step.version)
    return applied
