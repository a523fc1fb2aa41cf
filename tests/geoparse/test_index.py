"""The name index (geodata/geoparse/index.py): the gazetteer's candidates, and a cache that is
reused when warm and cannot lie, crash the process or run code: verified, else rebuilt.

The module builds the index from the gazetteer once (``built``, about 3 s: ``load_index`` into
an empty folder); every test that makes ``load_index`` rebuild gets that build's payload from
``build_payload`` (``one_build``): what is tested there is that a bad cache is refused, rebuilt
and verified, not the build again.

Each hostile cache is loaded in a child process forked from this one (``probe``), so a segfault
shows as a failed test naming the cache instead of killing the test run. One child loads the
caches in turn (a fork of this large process and its exit cost more than the load); a child that
dies or hangs is reported, and the next probe forks a new one. The child says whether
``load_index`` read the cache or refused it (stopped where it would rebuild): the rebuild that
follows a refusal does not depend on what was refused and writes 70 MB, so it runs in full for one
hostile cache in the child (an edited coordinate) and for the broken caches of the rebuild tests.
"""

from __future__ import annotations

import ctypes
import faulthandler
import hashlib
import multiprocessing
import os
import pickle
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from geodata.gazetteer import load_gazetteer
from geodata.geoparse import index as index_module
from geodata.geoparse.index import (FORMAT, KLEN_BITS, STALE_TMP_S, NameIndex, _read_cache, cache_key, clean_cache,
                                    load_index)
from geodata.geoparse.trie import trie_get
from geodata.names import normalize_name

BIN = f"geoparse-index-v{FORMAT}.bin"
DIGEST = f"geoparse-index-v{FORMAT}.sha256"
ALMATY = "gn:1526384"
PROBE_TIMEOUT_S = 300


@dataclass(frozen=True)
class Built:
    """The module's one real build: the cache folder ``load_index`` wrote (no test changes it), the
    payload ``build_payload`` returned for it, and the index file's bytes."""

    directory: Path
    payload: dict
    data: bytes


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    directory = tmp_path_factory.mktemp("built")
    real, payloads = index_module.build_payload, []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_module, "build_payload", lambda: payloads.append(real()) or payloads[-1])
        load_index(directory)
    assert len(payloads) == 1 and {p.name for p in directory.iterdir()} == {BIN, DIGEST}
    return Built(directory, payloads[0], (directory / BIN).read_bytes())


@pytest.fixture(scope="module")
def warm(built) -> NameIndex:
    """The index read back from the built cache, as a warm start reads it."""
    return load_index(built.directory)


@pytest.fixture
def one_build(built, monkeypatch) -> list:
    """``build_payload`` gives the module's built payload instead of building again; the list
    counts the calls."""
    calls = []
    monkeypatch.setattr(index_module, "build_payload", lambda: calls.append(1) or built.payload)
    return calls


@pytest.fixture
def cache(built, tmp_path) -> Path:
    """A copy of the built cache folder, for a test to damage."""
    directory = tmp_path / "cache"
    shutil.copytree(built.directory, directory)
    return directory


def cache_with(directory: Path, built: Built, *parts) -> Path:
    """A cache folder with the built digest and an index file of ``parts`` (buffers) one after another."""
    directory.mkdir()
    shutil.copyfile(built.directory / DIGEST, directory / DIGEST)
    with open(directory / BIN, "wb") as fh:
        fh.writelines(parts)
    return directory


def verified(directory: Path) -> bool:
    data = (directory / BIN).read_bytes()
    return (directory / DIGEST).read_text().strip() == hashlib.sha256(data).hexdigest()


# --- the index: the gazetteer's candidates ---------------------------------------------------------


def test_index_candidates_match_the_gazetteer(warm):
    gz = load_gazetteer()
    for name in ["Almaty", "Alma-Ata", "Petropavlovsk", "Temirtau", "Paris", "Mangistau Region", "U.S.", "Kok Tobe",
                 "Almaty’s airport", "Talas", "Samarkand"]:
        expected = [(rank[0], place) for rank, place in gz.scored_candidates(name)]
        assert warm.candidates(name) == expected, name
    assert warm.country("KZ") == gz.get("country:KZ")


@pytest.mark.parametrize("key", ["strætburg", "ða lat"])
def test_index_keys_the_gazetteer_stores_unnormalised_resolve_as_before(warm, key):
    # a few stored keys change when normalised again; the index gives them what scored_candidates gives
    gz = load_gazetteer()
    assert key in gz.name_keys() and normalize_name(key) != key
    value = warm.automaton.get(f" {key} ", 0)
    got = warm.candidates_of(value >> KLEN_BITS) if value >> KLEN_BITS else []
    assert got == [(rank[0], place) for rank, place in gz.scored_candidates(key)]


# --- the cache: reused when warm, rebuilt when broken ----------------------------------------------


def test_index_cache_is_reused_when_warm(built):
    path = built.directory / BIN
    before = path.stat().st_mtime_ns
    index = load_index(built.directory)
    assert path.stat().st_mtime_ns == before and not list(built.directory.glob("*.tmp"))
    assert [p.id for _, p in index.candidates("Zhanaozen")] == ["gn:607610"]


def test_index_cache_rejects_stale_and_broken_files(built, tmp_path):
    data = memoryview(built.data)
    assert _read_cache(built.directory, cache_key(), automaton=False) is not None
    assert _read_cache(built.directory, "another gazetteer") is None
    for name, content in [("truncated", data[: len(data) // 2]), ("garbage", b"not an index"), ("empty", b"")]:
        assert _read_cache(cache_with(tmp_path / name, built, content), cache_key()) is None, name


def test_broken_cache_is_rebuilt_not_trusted_and_leaves_no_temporary(cache, one_build):
    (cache / BIN).write_bytes(b"\x80\x05garbage")
    index = load_index(cache)
    assert one_build == [1]  # rebuilt
    assert isinstance(index, NameIndex) and index.candidates("Almaty")[0][1].id == ALMATY
    assert not list(cache.glob("*.tmp"))
    assert _read_cache(cache, cache_key(), automaton=False) is not None  # replaced by a good one (verified)


def test_unwritable_cache_directory_still_parses(tmp_path, capsys, one_build):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    index = load_index(blocker / "sub")  # mkdir fails: built in memory, a warning, no crash
    assert one_build == [1]
    assert index.candidates("Taraz")[0][1].id == "gn:1516905"
    assert "cache not written" in capsys.readouterr().err


def test_missing_or_garbled_digest_rebuilds(cache, one_build):
    (cache / DIGEST).write_text("not a digest")
    assert _read_cache(cache, cache_key()) is None
    (cache / DIGEST).unlink()
    assert _read_cache(cache, cache_key()) is None
    load_index(cache)
    assert one_build == [1] and verified(cache)


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


def test_read_without_automaton_builds_it_on_use_from_a_verified_cache(built, cache, one_build):
    """The compiled path reads the cache without pyahocorasick's automaton; asked for it later, the
    index reads and verifies the cache again, and rebuilds if the file was damaged meanwhile."""
    index = load_index(cache, automaton=False)
    assert index._automaton is None
    assert index.candidates("Almaty")[0][1].id == ALMATY
    assert index.automaton.get(" almaty ") == trie_get(index.trie, " almaty ") > 0
    assert one_build == []
    damaged = load_index(cache, automaton=False)
    data, pos = memoryview(built.data), len(built.data) // 10  # inside the automaton's node tables
    with open(cache / BIN, "wb") as fh:  # damaged after the first read
        fh.writelines([data[:pos], bytes([data[pos] ^ 0xFF]), data[pos + 1:]])
    assert damaged.automaton.get(" almaty ") == trie_get(damaged.trie, " almaty ")
    assert one_build == [1]
    assert damaged.value(" almaty ") == trie_get(damaged.trie, " almaty ")


# --- hostile caches, each loaded in a child process ------------------------------------------------


class _Refused(Exception):
    """Raised in the child where ``load_index`` would rebuild: the cache was refused."""


def _loader(payload: dict) -> Callable[[str, bool], str]:
    """In the child: ``(directory, rebuild) -> answer``. ``load_index`` loads the folder; the answer
    is "read" or "rebuilt" and Almaty's id and coordinates, or "refused" when the cache was refused
    and ``rebuild`` is false (the rebuild is the same whatever was refused, and writes 70 MB)."""
    state = {"rebuild": False, "rebuilt": False}  # this request's

    def build() -> dict:
        if not state["rebuild"]:
            raise _Refused
        state["rebuilt"] = True
        return payload

    index_module.build_payload = build

    def load(directory: str, rebuild: bool) -> str:
        state.update(rebuild=rebuild, rebuilt=False)
        try:
            p = load_index(Path(directory)).candidates("Almaty")[0][1]
        except _Refused:
            return "refused"
        return f"{'rebuilt' if state['rebuilt'] else 'read'} {p.id} {p.lat} {p.lon}"

    return load


def _serve(make: Callable, arg, conn, ours) -> None:
    """The child: answer each request with ``make(arg)(*request)`` (or the error it raised) until the pipe closes."""
    ours.close()  # the parent's end, inherited: kept open here, the child would never see the pipe close
    handle = make(arg)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(handle(*request))
        except Exception as exc:  # a failed test, not a dead child: the next probe still has one
            conn.send(f"error: {type(exc).__name__}: {exc}")


class Prober:
    """``prober(*request)``: what a forked child answers; a child that dies or hangs fails the test."""

    def __init__(self, make: Callable, arg):
        self._make, self._arg = make, arg
        self._child = self._conn = None

    def __call__(self, *request) -> str:
        if self._child is None:
            ctx = multiprocessing.get_context("fork")
            self._conn, theirs = ctx.Pipe()
            self._child = ctx.Process(target=_serve, args=(self._make, self._arg, theirs, self._conn), daemon=True)
            self._child.start()
            theirs.close()
        self._conn.send(request)
        try:
            got = self._conn.recv() if self._conn.poll(PROBE_TIMEOUT_S) else None
        except EOFError:  # the child ended without an answer: its exit status says how
            got = None
        if got is None:  # -11: a segfault; -9: killed here after PROBE_TIMEOUT_S without an answer
            pytest.fail(f"the child process loading {request[0]} ended with exit status {self.close()}")
        assert not got.startswith("error: "), f"{request[0]}: {got}"
        return got

    def close(self) -> int | None:
        """End the child (it returns once the pipe closes); its exit status."""
        if self._child is None:
            return None
        self._conn.close()
        self._child.join(10)
        if self._child.is_alive():
            self._child.kill()
            self._child.join()
        status, self._child = self._child.exitcode, None
        return status


@pytest.fixture(scope="module")
def prober(built):
    prober = Prober(_loader, built.payload)
    yield prober
    prober.close()


@pytest.fixture
def probe(prober):
    """``probe(directory, rebuild=False)``: what a child process's ``load_index`` makes of the folder
    (see :func:`_loader`)."""
    return lambda directory, rebuild=False: prober(str(directory), rebuild)


def _crash_on(word: str) -> Callable[[str], str]:
    faulthandler.disable()  # no traceback of the crash on the terminal: the exit status is what is checked

    def handle(request: str) -> str:
        if request == word:
            ctypes.string_at(0)  # reads address 0: SIGSEGV
        return request.upper()

    return handle


def test_a_crashing_child_fails_the_test_and_the_next_probe_gets_a_new_one():
    prober = Prober(_crash_on, "crash")
    try:
        assert prober("fine") == "FINE"
        with pytest.raises(pytest.fail.Exception, match=r"loading crash ended with exit status -11"):
            prober("crash")
        assert prober("again") == "AGAIN"
    finally:
        assert prober.close() == 0


@pytest.mark.parametrize("where", [0.02, 0.1, 0.3, 0.6, 0.95])
def test_flipped_byte_is_refused_not_read(built, tmp_path, probe, where):
    data, pos = memoryview(built.data), int(len(built.data) * where)
    cache = cache_with(tmp_path / "cache", built, data[:pos], bytes([data[pos] ^ 0xFF]), data[pos + 1:])
    assert probe(cache) == "refused"


def test_edited_coordinate_is_rebuilt(built, tmp_path, probe):
    edited = built.data.replace(b'"Almaty", "city", "KZ", 43.', b'"Almaty", "city", "KZ", 53.', 1)
    assert edited != built.data
    cache = cache_with(tmp_path / "cache", built, edited)
    answer = probe(cache, rebuild=True)
    assert answer.startswith(f"rebuilt {ALMATY} 43.25"), answer  # not latitude 53
    assert verified(cache) and (cache / BIN).read_bytes() != edited


def test_a_good_cache_is_read_by_the_probe(cache, probe):
    answer = probe(cache)
    assert answer.startswith(f"read {ALMATY} 43.25"), answer


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
    # the index file refused whenever it or its digest is not ours; an old-format file only removed
    expected = "read" if name != BIN and not with_digest else "refused"
    assert probe(cache).split(" ")[0] == expected
    assert not marker.exists()
    assert not (cache / "geoparse-index-v1.pickle").exists()  # the old format is removed
