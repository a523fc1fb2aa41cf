"""Shared fixtures: the in-process command line, the project's paths, seed texts.

``cli`` runs ``geodata.cli.main`` in this process (no interpreter start, no imports again, no
index load: about 1 s saved per call). Only tests/test_entry_point.py starts real
``python -m geodata`` processes, for what only a process shows: exit codes seen by a shell,
the real stdout.

Every test gets a throwaway store: ``QANTAR_DB`` points at a temporary SQLite file for the
session, so an analyst's own store (the default file in the data folder) neither changes the
dashboard tests' maps nor receives their writes. Tests that need a store of their own set
``QANTAR_DB`` themselves (monkeypatch wins).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from geodata import cli as geodata_cli
from geodata.sources import document_text, load_documents

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
