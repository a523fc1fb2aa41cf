"""Shared fixtures: the in-process command line, the project's paths, seed texts.

``cli`` runs ``geodata.cli.main`` in this process (no interpreter start, no imports again, no
index load: about 1 s saved per call). Only tests/test_entry_point.py starts real
``python -m geodata`` processes, for what only a process shows: exit codes seen by a shell,
the real stdout.

Every test gets a throwaway store: ``QANTAR_DB`` points at a temporary SQLite file for the
session, so an analyst's own store (the default file in the data folder) neither changes the
dashboard tests' maps nor receives their writes. Tests that need a store of their own set
``QANTAR_DB`` themselves (monkeypatch wins).

The suite runs on two pytest-xdist workers (``-n 2 --dist loadgroup`` in pyproject.toml; ``-n 0``
runs it in one process). Each worker has its own session: its own temporary folders and throwaway
store. Two kinds of test share something outside the process and stay on one worker each, one
after another (``xdist_group``): the browser tests (tests/e2e: one dashboard server, one Chromium)
and the PostgreSQL half of the store tests (one database, emptied before each test).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

# Bytecode caches for this checkout's modules, in their (gitignored) __pycache__ folders, even
# where PYTHONDONTWRITEBYTECODE is set (it is on the development machine): otherwise every run
# compiles every module of geodata/, dashboard/ and tests/ again in each of the two workers and
# in every process the tests start, and pytest rewrites every test module's asserts again
# (about 2 s of each worker's collection; measured). Installed packages have theirs already.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # for the workers and processes tests start

from geodata import cli as geodata_cli  # noqa: E402
from geodata.sources import document_text, load_documents  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    """What one command printed and returned."""

    code: int
    stdout: str
    stderr: str

    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_cli(*args: str, stdin: str | bytes | None = None) -> CliResult:
    """``python -m geodata ARGS`` in this process: exit status, stdout and stderr as text.

    ``stdin`` feeds ``geoparse -`` (which reads ``sys.stdin.buffer``); argparse's usage errors
    (SystemExit) become exit status 2 as in a real run.
    """
    out, err = io.StringIO(), io.StringIO()
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    saved_stdin = sys.stdin
    sys.stdin = fake_stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = geodata_cli.main(list(args))
            except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved_stdin
    return CliResult(code, out.getvalue(), err.getvalue())


# Session fixtures that take seconds to build: the tests that use one run on one worker, so it is
# built once (the brute-force border reference; the dashboard's shared AppTest runs).
SHARED_SESSION_FIXTURES = ("kz_border_reference", "app_at")


def _xdist_group(item: pytest.Item) -> str | None:
    """The pytest-xdist group of a test: the tests of one group run on one worker, one after another."""
    if ROOT / "tests" / "e2e" in item.path.parents:
        return "e2e"  # one dashboard server and one Chromium for the session
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("db") == "postgresql":
        return "postgresql"  # one throwaway cluster; each test empties its one database
    for name in SHARED_SESSION_FIXTURES:
        if name in item.fixturenames:
            return name
    # A module-scoped fixture (a Dask cluster, a built index, a page run) is built once per worker
    # that runs the module: keep such a module on one worker.
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    if any(d and d[-1].scope == "module" for d in defs.values()):
        return item.path.relative_to(ROOT).as_posix()
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _xdist_group(item)
        if group == "e2e":
            item.add_marker(pytest.mark.e2e)  # every test under tests/e2e, so -m "not e2e" leaves them all out
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_finish(session):
    # What collection imported (Streamlit, pandas, geopandas, SQLAlchemy, Dask, ...) lives until the
    # end of the run, so it leaves the garbage collector's care: each full collection walked all of
    # it again, about 0.1 to 0.3 s each, 15 to 20 times in a worker's run and 5 more at its end
    # (pytest's final sweep for unraisable exceptions); measured with gc.callbacks on the dashboard
    # and claims tests, one process: 2.2 s of full collections before, 0.65 s after.
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def _throwaway_store(tmp_path_factory):
    before = os.environ.get("QANTAR_DB")
    os.environ["QANTAR_DB"] = str(tmp_path_factory.mktemp("store") / "session.sqlite3")
    yield
    if before is None:
        os.environ.pop("QANTAR_DB", None)
    else:
        os.environ["QANTAR_DB"] = before


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """The in-process command line: ``cli("geocode", "Almaty")`` -> CliResult(code, stdout, stderr)."""
    return run_cli


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Every seed document's text by file name."""
    return {name: document_text(name) for name in load_documents()}


@pytest.fixture(scope="session")
def kz_border_reference():
    """Every Kazakh cities500 place and its reference km to each border (tests/reference.py), computed once."""
    from tests.reference import kz_reference

    return kz_reference()


@pytest.fixture(scope="session")
def exported(tmp_path_factory) -> dict[str, dict]:
    """Every layer written once by geodata.writers.export, read back as GeoJSON by layer name."""
    import json

    from geodata.layers import LAYER_NAMES
    from geodata.writers import export

    out = tmp_path_factory.mktemp("export")
    export(out)
    return {name: json.loads((out / f"{name}.geojson").read_text(encoding="utf-8")) for name in LAYER_NAMES}
