"""The cached name index: same candidates as the gazetteer, a cache reused when warm and rebuilt when broken."""

from __future__ import annotations

import pytest

from geodata.gazetteer import load_gazetteer
from geodata.geoparse import index as index_module
from geodata.geoparse.index import FORMAT, KLEN_BITS, NameIndex, _read_cache, cache_key, default_index, load_index
from geodata.names import normalize_name


def test_index_candidates_match_the_gazetteer():
    gz, index = load_gazetteer(), default_index()
    for name in ["Almaty", "Alma-Ata", "Petropavlovsk", "Temirtau", "Paris", "Mangistau Region", "U.S.", "Kok Tobe",
                 "Almaty’s airport", "Talas", "Samarkand"]:
        expected = [(rank[0], place) for rank, place in gz.scored_candidates(name)]
        assert index.candidates(name) == expected, name
    assert index.country("KZ") == gz.get("country:KZ")


@pytest.mark.parametrize("key", ["strætburg", "ða lat"])
def test_index_keys_the_gazetteer_stores_unnormalised_resolve_as_before(key):
    # a few stored keys change when normalised again; the index gives them what scored_candidates gives
    gz, index = load_gazetteer(), default_index()
    assert key in gz.name_keys() and normalize_name(key) != key
    value = index.automaton.get(f" {key} ", 0)
    got = index.candidates_of(value >> KLEN_BITS) if value >> KLEN_BITS else []
    assert got == [(rank[0], place) for rank, place in gz.scored_candidates(key)]


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory):
    """A cache folder after a real build (the module's only one), and its index file."""
    directory = tmp_path_factory.mktemp("cache")
    load_index(directory)
    (path,) = directory.glob("geoparse-index-*.bin")
    return directory, path


@pytest.fixture
def one_build(built_cache, monkeypatch):
    """``build_payload`` gives the module's built index (read back from its cache) instead of building
    again: the rebuild tests check that a bad or unwritable cache leads to a rebuild, not the build."""
    payload = _read_cache(built_cache[0], cache_key())
    calls = []
    monkeypatch.setattr(index_module, "build_payload", lambda: calls.append(1) or payload)
    return calls


def test_index_cache_is_reused_when_warm(built_cache):
    directory, path = built_cache
    before = path.stat().st_mtime_ns
    index = load_index(directory)
    assert path.stat().st_mtime_ns == before and not list(directory.glob("*.tmp"))
    assert [p.id for _, p in index.candidates("Zhanaozen")] == ["gn:607610"]


def test_index_cache_rejects_stale_and_broken_files(built_cache, tmp_path):
    directory, path = built_cache
    data = path.read_bytes()
    assert _read_cache(directory, cache_key()) is not None
    assert _read_cache(directory, "another gazetteer") is None
    for name, content in [("truncated", data[: len(data) // 2]), ("garbage", b"not an index"), ("empty", b"")]:
        broken = tmp_path / name
        broken.mkdir()
        (broken / path.name).write_bytes(content)
        (broken / path.with_suffix(".sha256").name).write_bytes(path.with_suffix(".sha256").read_bytes())
        assert _read_cache(broken, cache_key()) is None, name


def test_broken_cache_is_rebuilt_not_trusted(tmp_path, one_build):
    cache = tmp_path / f"geoparse-index-v{FORMAT}.bin"
    cache.write_bytes(b"\x80\x05garbage")
    index = load_index(tmp_path)
    assert one_build == [1]  # rebuilt
    assert isinstance(index, NameIndex) and index.candidates("Almaty")[0][1].id == "gn:1526384"
    assert _read_cache(tmp_path, cache_key()) is not None  # replaced by a good one


def test_unwritable_cache_directory_still_parses(tmp_path, capsys, one_build):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    index = load_index(blocker / "sub")  # mkdir fails: built in memory, a warning, no crash
    assert one_build == [1]
    assert index.candidates("Taraz")[0][1].id == "gn:1516905"
    assert "cache not written" in capsys.readouterr().err
