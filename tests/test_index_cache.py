"""The name-index cache cannot lie, crash the process or run code: it is verified, else rebuilt.

Each hostile cache is loaded in a child process (forked from this one), so a segfault would show
as a negative exit status instead of killing the test run. The child's rebuild writes the index
``build_payload`` made once for this module, as do the good cache and the in-process rebuilds (a
real build takes about 2 s; what is tested here is that a bad cache is refused, rebuilt and
verified, not the build itself: tests/geoparse/test_index.py builds for real).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from geodata.geoparse import index as index_module
from geodata.geoparse.index import FORMAT, STALE_TMP_S, _read_cache, cache_key, clean_cache, load_index
from geodata.geoparse.trie import trie_get

BIN = f"geoparse-index-v{FORMAT}.bin"
DIGEST = f"geoparse-index-v{FORMAT}.sha256"
ALMATY = "gn:1526384"
PROBE_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def built_payload() -> dict:
    """What a rebuild writes: ``build_payload()``, once for the module."""
    return index_module.build_payload()


@pytest.fixture(scope="module")
def good_cache(tmp_path_factory, built_payload) -> Path:
    """A cache as ``load_index`` writes it into an empty folder (from the module's one build)."""
    directory = tmp_path_factory.mktemp("good")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_module, "build_payload", lambda: built_payload)
        load_index(directory)
    assert {p.name for p in directory.iterdir()} == {BIN, DIGEST}
    return directory


@pytest.fixture
def cache(good_cache, tmp_path) -> Path:
    directory = tmp_path / "cache"
    shutil.copytree(good_cache, directory)
    return directory


def _load_almaty(directory: Path, payload: dict, conn) -> None:
    """In the child: load the index from ``directory`` (rebuilding with ``payload``), send Almaty's row."""
    index_module.build_payload = lambda: payload
    p = load_index(directory).candidates("Almaty")[0][1]
    conn.send(f"{p.id} {p.lat} {p.lon}")


@pytest.fixture
def probe(built_payload):
    """``probe(directory)``: Almaty's id and coordinates as a child process loads them from ``directory``."""

    def run(directory: Path) -> str:
        ctx = multiprocessing.get_context("fork")
        reader, writer = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_load_almaty, args=(directory, built_payload, writer))
        child.start()
        writer.close()
        try:
            got = reader.recv() if reader.poll(PROBE_TIMEOUT_S) else None
        except EOFError:  # the child ended without an answer: its exit status says how
            got = None
        child.join(PROBE_TIMEOUT_S)
        if child.is_alive():
            child.kill()
            child.join()
        assert child.exitcode == 0 and got is not None, child.exitcode  # -11 would be a segfault
        return got

    return run


def verified(directory: Path) -> bool:
    data = (directory / BIN).read_bytes()
    return (directory / DIGEST).read_text().strip() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("where", [0.02, 0.1, 0.3, 0.6, 0.95])
def test_flipped_byte_is_rebuilt_not_read(cache, probe, where):
    data = bytearray((cache / BIN).read_bytes())
    pos = int(len(data) * where)
    data[pos] ^= 0xFF
    (cache / BIN).write_bytes(bytes(data))
    assert probe(cache).startswith(f"{ALMATY} 43.25")
    assert verified(cache) and (cache / BIN).read_bytes()[pos] != data[pos]  # rebuilt


def test_edited_coordinate_is_rebuilt(cache, probe):
    data = (cache / BIN).read_bytes()
    edited = data.replace(b'"Almaty", "city", "KZ", 43.', b'"Almaty", "city", "KZ", 53.', 1)
    assert edited != data
    (cache / BIN).write_bytes(edited)
    assert probe(cache).startswith(f"{ALMATY} 43.25")  # not latitude 53


class _Hostile:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("name", [BIN, "geoparse-index-v1.pickle"])
@pytest.mark.parametrize("with_digest", [False, True])
def test_hostile_pickle_never_runs(cache, probe, tmp_path, name, with_digest):
    marker = tmp_path / "PWNED"
    payload = pickle.dumps("key") + pickle.dumps(_Hostile(marker))
    (cache / name).write_bytes(payload)
    if with_digest:  # even an attacker who writes the digest too gets no pickle read
        (cache / DIGEST).write_text(hashlib.sha256(payload).hexdigest() + "\n")
    assert probe(cache).startswith(f"{ALMATY} 43.25")
    assert not marker.exists()
    assert not (cache / "geoparse-index-v1.pickle").exists()  # the old format is removed on rebuild


def test_missing_or_garbled_digest_rebuilds(cache, built_payload, monkeypatch):
    monkeypatch.setattr(index_module, "build_payload", lambda: built_payload)
    (cache / DIGEST).write_text("not a digest")
    assert _read_cache(cache, cache_key()) is None
    (cache / DIGEST).unlink()
    assert _read_cache(cache, cache_key()) is None
    load_index(cache)
    assert verified(cache)


def test_orphaned_temporaries_are_cleaned_fresh_ones_kept(cache):
    old = cache / f"{BIN}.abc123.tmp"
    fresh = cache / f"{BIN}.def456.tmp"
    foreign = cache / "someone-elses.tmp"
    for p in (old, fresh, foreign):
        p.write_bytes(b"half an index")
    past = time.time() - STALE_TMP_S - 60
    os.utime(old, (past, past))
    os.utime(foreign, (past, past))
    assert clean_cache(cache) == [old]
    assert fresh.exists() and foreign.exists()  # a concurrent build's file, and a file not ours


def test_interrupted_build_leaves_no_temporary(cache, built_payload, monkeypatch):
    monkeypatch.setattr(index_module, "build_payload", lambda: built_payload)
    (cache / BIN).write_bytes(b"stale")
    load_index(cache)
    assert not list(cache.glob("*.tmp")) and verified(cache)


def test_read_without_automaton_builds_it_on_use_from_a_verified_cache(cache, built_payload, monkeypatch):
    """The compiled path reads the cache without pyahocorasick's automaton; asked for it later, the
    index reads and verifies the cache again, and rebuilds if the file was damaged meanwhile."""
    index = load_index(cache, automaton=False)
    assert index._automaton is None
    assert index.candidates("Almaty")[0][1].id == ALMATY
    assert index.automaton.get(" almaty ") == trie_get(index.trie, " almaty ") > 0
    damaged = load_index(cache, automaton=False)
    data = bytearray((cache / BIN).read_bytes())
    data[len(data) // 10] ^= 0xFF  # inside the automaton's node tables, after the first read
    (cache / BIN).write_bytes(bytes(data))
    monkeypatch.setattr(index_module, "build_payload", lambda: built_payload)
    assert damaged.automaton.get(" almaty ") == trie_get(damaged.trie, " almaty ")
    assert damaged.value(" almaty ") == trie_get(damaged.trie, " almaty ")
