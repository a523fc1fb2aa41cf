"""The store tests' databases: every test runs against SQLite and PostgreSQL.

PostgreSQL: ``QANTAR_TEST_PG`` (a URL of an empty database to use), or else a throwaway
cluster started once for the session (initdb + pg_ctl on a free loopback port in a temporary
folder, as the ``postgres`` user when run as root, since PostgreSQL refuses to run as root).
Without PostgreSQL binaries the PostgreSQL half skips with the reason, except in CI
(``CI=true``), where it fails. One fixture for every store test module: imported into each
module instead, it was one cluster per module (initdb costs seconds).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

import pytest
from sqlalchemy import create_engine

from geodata.store import open_store, resolve_url
from geodata.store.schema import metadata


# --- PostgreSQL: a throwaway cluster -------------------------------------------------------

def _pg_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_postgres(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL needed in CI: {reason}; run bash scripts/setup.sh --browser as root")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (bash scripts/setup.sh --postgres installs it)")


@pytest.fixture(scope="session")
def pg_url():
    """URL of an empty PostgreSQL database for the session."""
    if os.environ.get("QANTAR_TEST_PG"):
        yield os.environ["QANTAR_TEST_PG"]
        return
    bindir = _pg_bindir()
    if bindir is None:
        _no_postgres("no initdb found (Debian package postgresql)")
    prefix: list[str] = []
    tmp = tempfile.mkdtemp(prefix="qantar-pg-")
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            _no_postgres("running as root and there is no 'postgres' user to run the server as")
        os.chown(tmp, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(tmp, "data"), _free_port()
    try:
        subprocess.run([*prefix, f"{bindir}/initdb", "-D", data, "-U", "qantar", "--auth=trust", "-E", "UTF8",
                        "--no-sync", "--no-instructions"], check=True, capture_output=True)
        subprocess.run([*prefix, f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "log"), "-w", "-o",
                        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
                        "start"], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _no_postgres(f"could not start a cluster ({exc.stderr.decode(errors='replace').strip()[:200]})")
    import psycopg

    with psycopg.connect(f"postgresql://qantar@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE qantar_test")
    try:
        yield f"postgresql://qantar@127.0.0.1:{port}/qantar_test"
    finally:
        subprocess.run([*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A ``--db`` value naming an empty store of each kind."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    url = request.getfixturevalue("pg_url")
    engine = create_engine(resolve_url(url))  # not open_store: the last test may have left a "newer" schema
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()
    return url


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.dispose()


