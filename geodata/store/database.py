"""Where the store lives and how we talk to it: URL resolution, engines, transactions.

The database is chosen, first match wins, by

1. ``--db`` (the ``db`` argument): a file path (SQLite) or a URL (``postgresql://user@host/db``,
   ``sqlite:///path``);
2. the ``QANTAR_DB`` environment variable, read the same way;
3. ``store.sqlite3`` in the user's data folder (``platformdirs.user_data_dir("qantar-atlas")``,
   e.g. ``~/.local/share/qantar-atlas/`` on Linux).

SQLite runs in WAL mode with a 30 s busy timeout, and every transaction starts with
``BEGIN IMMEDIATE``: writers from several processes queue for the write lock instead of
failing with "database is locked" halfway through. PostgreSQL URLs use psycopg 3.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from geodata.errors import DataError, InputError
from geodata.store.schema import migrate

__all__ = ["ENV_VAR", "Store", "default_path", "open_store", "resolve_url"]

ENV_VAR = "QANTAR_DB"
APP_NAME = "qantar-atlas"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """The default SQLite file: ``store.sqlite3`` in the user's data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "store.sqlite3"


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL of the store named by ``db``, ``QANTAR_DB`` or the default.

    Parameters
    ----------
    db : str, optional
        A file path or a database URL; when None, ``QANTAR_DB``, then the default file.

    Returns
    -------
    str
        ``sqlite:////abs/path`` or ``postgresql+psycopg://...``.

    Raises
    ------
    InputError
        For a URL of another kind of database.

    Examples
    --------
    >>> resolve_url("/tmp/atlas.sqlite3")
    'sqlite:////tmp/atlas.sqlite3'
    >>> resolve_url("postgresql://atlas@127.0.0.1/atlas")
    'postgresql+psycopg://atlas@127.0.0.1/atlas'
    """
    value = db if db else os.environ.get(ENV_VAR, "")
    origin = "--db" if db else (ENV_VAR if value else "default")
    if not value:
        return f"sqlite:///{default_path()}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    scheme = value.split("://", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if scheme in ("postgresql+psycopg", "sqlite"):
        return value
    raise InputError(
        f"{origin}: {scheme}:// databases are not supported; give a file path (SQLite) "
        "or a postgresql://user@host/dbname URL"
    )


def _sqlite_setup(engine: Engine) -> None:
    """WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # pysqlite's own transaction handling would BEGIN lazily (DEFERRED); we BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Take the write lock up front: a deferred transaction that reads, then writes, can fail
        # with SQLITE_BUSY without waiting when another writer got in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class Store:
    """An open store: its engine and a password-free name for messages.

    Use :func:`open_store` to make one; it migrates the schema first.
    """

    engine: Engine
    where: str

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success and rolled back on any error.

        Database failures (server gone, disk full, lock timeout) become one-line DataErrors.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise DataError(f"{self.where}: {_first_line(exc)}; nothing was written, try again") from None

    def dispose(self) -> None:
        """Close the pooled connections (call when done, e.g. at the end of a command)."""
        self.engine.dispose()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]


def open_store(db: str | None = None) -> Store:
    """Open (and, when new or older, migrate) the store.

    Parameters
    ----------
    db : str, optional
        A file path or URL (``--db``); when None, ``QANTAR_DB`` or the default file.

    Returns
    -------
    Store

    Raises
    ------
    InputError
        If the database cannot be reached or its folder does not exist.
    DataError
        If its schema is newer than this code.

    Examples
    --------
    >>> store = open_store("/tmp/doctest-store.sqlite3")
    >>> store.where.endswith("doctest-store.sqlite3")
    True
    """
    url = resolve_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"--db: {db or os.environ.get(ENV_VAR)!r} is not a database URL; "
                         "give a file path or postgresql://user@host/dbname") from None
    where = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not db and not os.environ.get(ENV_VAR):
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise InputError(f"{where}: folder {path.parent} does not exist; create it or give another --db path")
        engine = create_engine(url)
        _sqlite_setup(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    store = Store(engine=engine, where=where)
    try:
        with store.engine.begin() as conn:
            migrate(conn, where)
    except OperationalError as exc:
        engine.dispose()
        raise InputError(f"{where}: cannot open the store ({_first_line(exc)}); check --db / {ENV_VAR}") from None
    except DataError:
        engine.dispose()
        raise
    return store
