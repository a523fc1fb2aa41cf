"""The store tests' databases: every test runs against SQLite and PostgreSQL.

PostgreSQL: ``QANTAR_TEST_PG`` (a URL of an empty database to use), or else a throwaway
cluster started once for the session on a free loopback port, copied from a template that
initdb makes once per machine (tests/store/pgcluster.py). Without PostgreSQL binaries the
PostgreSQL half skips with the reason, except in CI (``CI=true``), where it fails. One fixture
for every store test module: imported into each module instead, it was one cluster per module.

``db`` names an empty database of each kind. A test that asks only for ``db`` gets a blank one
(no tables: the first command builds the schema); a test that asks for ``store`` too gets one at
the current schema and without rows: a copy of a SQLite file migrated once for the session, or
the PostgreSQL database with its rows deleted: about 3 ms and 15 ms a test, where building the
schema anew took about 29 ms and 45 ms. The migrations themselves are what the blank-database
tests (tests/store/test_store.py) check.
"""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import create_engine, select, text

from geodata.store import open_store, resolve_url
from geodata.store.schema import MIGRATIONS, metadata, schema_version
from tests.store import pgcluster


def _no_postgres(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL needed in CI: {reason}; run bash scripts/setup.sh --browser as root")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (bash scripts/setup.sh --postgres installs it)")


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory):
    """URL of an empty PostgreSQL database for the session."""
    if os.environ.get("QANTAR_TEST_PG"):
        yield os.environ["QANTAR_TEST_PG"]
        return
    bin_dir = pgcluster.bindir()
    if bin_dir is None:
        _no_postgres("no initdb found (Debian package postgresql)")
    try:
        try:
            template = pgcluster.ensure_template(bin_dir)
        except OSError:  # no writable user cache: a template for this session only
            template = pgcluster.ensure_template(bin_dir, tmp_path_factory.mktemp("pg-template"))
        cluster = pgcluster.start(bin_dir, template)
    except pgcluster.NoPostgres as exc:
        _no_postgres(f"could not start a cluster ({exc})")
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def _pg_engine(pg_url):
    """One pooled connection to the test database for the fixtures' resets."""
    engine = create_engine(resolve_url(pg_url))
    yield engine
    engine.dispose()


def _empty_postgresql(engine, keep_schema: bool) -> None:
    """Delete the store's rows (``keep_schema``, when its tables are at the current schema), else drop its tables.

    Only the store's own tables: ``QANTAR_TEST_PG`` may name a database that holds others.
    """
    with engine.begin() as conn:
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        if keep_schema and set(metadata.tables) <= tables:
            versions = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars().all()
            if versions == [m.version for m in MIGRATIONS]:
                for table in reversed(metadata.sorted_tables):  # rows that refer to others first
                    if table is not schema_version:
                        conn.execute(table.delete())
                return
        metadata.drop_all(conn)


@pytest.fixture(scope="session")
def _sqlite_migrated(tmp_path_factory):
    """A SQLite store file with the current schema and no rows, built once by open_store."""
    path = tmp_path_factory.mktemp("sqlite-template") / "store.sqlite3"
    open_store(str(path)).dispose()  # closed: the WAL is checkpointed and removed, the file is whole
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A ``--db`` value naming an empty store of each kind (blank unless the test takes ``store``)."""
    migrated = "store" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        if migrated:
            shutil.copyfile(request.getfixturevalue("_sqlite_migrated"), path)
        return str(path)
    url = request.getfixturevalue("pg_url")
    # Not open_store: the last test may have left a "newer" schema, which it refuses.
    _empty_postgresql(request.getfixturevalue("_pg_engine"), keep_schema=migrated)
    return url


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.dispose()
