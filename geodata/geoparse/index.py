"""The geoparser's name index: every matchable gazetteer name in one automaton, cached on disk.

Building the index means parsing the whole gazetteer (~0.3 s) and, for its ~200,000 names, ranking
their candidates and compiling an Aho-Corasick automaton and a trie (~1.8 s of CPU in all). Both
are done once per gazetteer version: the built index (the automaton's node tables, each name's
ranked candidate rows, and the place rows as JSON, decoded only when a name is met) is kept in
``$XDG_CACHE_HOME/qantar-atlas/`` (default ``~/.cache/qantar-atlas/``). A warm start reads that
file and never parses the gazetteer; the compiled path (which scans and looks names up in the
trie) does not even build the automaton from it, a third of a warm load and 40 MB:
:attr:`NameIndex.automaton` reads it on first use.

The cache cannot run code and is verified before use. It holds no pickle: a JSON header and
raw byte sections (the automaton's own node tables, ``array`` buffers, among them the trie
the compiled scan walks, JSON rows), and the only constructor fed from it is pyahocorasick's,
called by this module. A SHA-256 digest of the whole file is kept apart from it
(``geoparse-index-v3.sha256``) and checked before a byte
of the file is parsed: a flipped byte, a truncated file, an edited coordinate or a file that is
not ours is rebuilt, never read (pyahocorasick trusts its node tables, and a corrupt one can
crash the process). Threat model: the cache folder is the user's own; the digest catches
corruption and careless edits, not someone who can write both files (they can also write the
user's shell start-up files). Even then no pickle is read, so no code of theirs runs here.
Temporary files older than :data:`STALE_TMP_S` that an interrupted build left behind, and
caches of older formats, are removed.

The cache is keyed by the gazetteer file (path, size, modification time and a SHA-256 of its
first and last 64 KiB), the stop-name and demonym tables (whole content), this module's
:data:`FORMAT`, the Python and pyahocorasick versions and the machine's word size and byte
order; any change rebuilds it. It is written atomically (a temporary file, then
``os.replace``; the digest last). If the cache directory cannot be written, the index is
built in memory for this process only.

Keys are folded names with one space either side (``" alma ata "``). Names that can never be
read as a place are left out so the automaton never reports them: stop names (unless they are
demonyms), names of one character, names starting with a digit.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import re
import sys
import struct
import tempfile
import time
from array import array
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from geodata.errors import DataError
from geodata.files import cache_dir
from geodata.gazetteer import GAZETTEER_PATH, Place, load_gazetteer
from geodata.geoparse import compiled
from geodata.geoparse.trie import build_trie
from geodata.names import STOPNAMES_PATH, normalize_name, stop_names

__all__ = ["DEMONYMS_PATH", "FORMAT", "NameIndex", "cache_dir", "clean_cache", "load_index"]

DEMONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "demonyms.tsv"
FORMAT = 3  # bump when the cached layout or the key selection changes (1: a pickle, never read again; 3: the trie)
STALE_TMP_S = 600  # a build takes seconds; a temporary file this old was left by an interrupted one
_MAGIC = b"QANTAR-NAME-INDEX\n"
_ARRAYS = ("codes", "offsets", "row_offsets", "trie", "trie_lower")
KLEN_BITS = 10  # automaton value = name id << KLEN_BITS | key length
_KLEN_MASK = (1 << KLEN_BITS) - 1
_EDGE = 65536  # bytes hashed at each end of the gazetteer file
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")  # normalize_name leaves such a key as it is


COMPASS = frozenset({"eastern", "western", "northern", "southern"})  # lower-case words that may start a name
_LOWER_COUNTRIES = frozenset({"KZ", "KG", "RU", "TJ", "TM", "UZ"})  # not CN: "china" is a word
_LOWER_MIN_POPULATION = 50_000


def reads_in_lower_case(top: Place) -> bool:
    """Whether a name whose best candidate is ``top`` counts in lower case too ("protests in
    almaty" in wire copy; :func:`geodata.geoparse.recognition.lower_case_ok`). Here because the
    index keeps such names apart for the compiled scan: a change needs :data:`FORMAT` bumped."""
    return ((top.kind == "city" and top.country == "KZ" and top.population >= _LOWER_MIN_POPULATION)
            or (top.kind == "country" and top.country in _LOWER_COUNTRIES))


class NameIndex:
    """Names -> ranked candidate places, and the automaton that finds the names in folded text.

    ``automaton`` maps ``" key "`` to ``name_id << KLEN_BITS | len(key)``; name id 0 means a
    demonym that names no place. ``trie`` holds the same keys and values as a flat array for
    the compiled scan (:mod:`geodata.geoparse.trie`), ``trie_lower`` those that may count where
    the text has no capital (a compass word first, or a name that reads in lower case). ``demonyms`` maps normalised demonyms to ISO2 codes.
    """
    def __init__(self, payload: dict, automaton: Callable[[], ahocorasick.Automaton] | None = None):
        self._automaton: ahocorasick.Automaton | None = payload["automaton"]
        self._load_automaton = automaton  # how to get it when the payload was read without it
        self.trie: array = payload["trie"]
        self.trie_lower: array = payload["trie_lower"]
        self.demonyms: dict[str, str] = payload["demonyms"]
        self._codes: array = payload["codes"]
        self._offsets: array = payload["offsets"]
        self._rows: bytes = payload["rows"]
        self._row_offsets: array = payload["row_offsets"]
        self._countries: dict[str, int] = payload["countries"]
        self._places: dict[int, Place] = {}

    @property
    def automaton(self) -> ahocorasick.Automaton:
        """pyahocorasick's automaton of the keys: built on first use when the index was read
        without it (the compiled path never uses it; :func:`load_index`)."""
        if self._automaton is None:
            if self._load_automaton is None:
                raise DataError("name index: read without its automaton and no way to load it")
            self._automaton = self._load_automaton()
        return self._automaton

    def value(self, key: str) -> int:
        """The automaton's value of the folded key ``" name "`` (0 if not a key), from the trie in
        C when the compiled path runs (the same keys and values: tests/geoparse/test_trie.py)."""
        if compiled.hot is not None:
            return compiled.hot.trie_value(self, key)
        return self.automaton.get(key, 0)

    def place(self, row: int) -> Place:
        """The place in gazetteer row ``row`` (decoded on first use)."""
        place = self._places.get(row)
        if place is None:
            fields = json.loads(self._rows[self._row_offsets[row]:self._row_offsets[row + 1]])
            fields[-1] = tuple(fields[-1])
            place = self._places[row] = Place(*fields)
        return place

    def country(self, iso2: str) -> Place:
        """The country place ``country:<ISO2>``."""
        return self.place(self._countries[iso2])

    def candidates_of(self, name_id: int) -> list[tuple[int, Place]]:
        """``(name rank, place)`` for one name id, best first (the gazetteer's order)."""
        codes = self._codes[self._offsets[name_id]:self._offsets[name_id + 1]]
        return [(code & 3, self.place(code >> 2)) for code in codes]

    def candidates(self, name: str) -> list[tuple[int, Place]]:
        """Like ``Gazetteer.scored_candidates`` for any name the automaton holds; the rank is
        the first element of the gazetteer's ranking key (3 curated, 2 own, 1 alternate name)."""
        key = normalize_name(name)
        if not key or key in stop_names():
            return []
        value = self.value(f" {key} ")
        return self.candidates_of(value >> KLEN_BITS) if value >> KLEN_BITS else []


def read_demonyms(path: Path = DEMONYMS_PATH) -> dict[str, str]:
    """The demonym table: normalised demonym -> ISO2 country code."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: demonym table missing; restore it from git") from None
    out = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("demonym\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[1]) != 2:
            raise DataError(f"{path.name}:{n}: expected 'demonym<TAB>ISO2', got {line!r}")
        out[normalize_name(parts[0])] = parts[1]
    return out


def build_payload() -> dict:
    """Build the index from the gazetteer (the slow path the cache avoids)."""
    gz = load_gazetteer()
    demonyms = read_demonyms()
    stops = stop_names()
    places = gz.places
    row_of = {p.id: i for i, p in enumerate(places)}
    rows, row_offsets = bytearray(), array("q", [0])
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps would make an encoder a row
    for p in places:
        rows += encode([p.id, p.name, p.kind, p.country, p.lat, p.lon, p.population, p.admin1, p.source,
                        p.precision, list(p.names)]).encode("utf-8")
        row_offsets.append(len(rows))
    ranked = dict(gz.postings())  # every name's (row, rank) at once: what scored_candidates gives, ~3x faster
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    items: dict[str, int] = {}  # the same keys and values, for the trie
    codes, offsets = array("q"), array("q", [0, 0])  # name id 0: no places
    for key in gz.name_keys():
        if len(key) < 2 or key[0].isdigit() or len(key) > _KLEN_MASK or (key in stops and key not in demonyms):
            continue  # never read as a place (the geoparser needs a capital or a compass word first)
        # scored_candidates(key) normalises the key again; a few stored keys ("strætburg") change
        found = ranked.get(key if _PLAIN_KEY.fullmatch(key) else normalize_name(key), [])
        if not found and key not in demonyms:
            continue
        name_id = 0
        if found:
            name_id = len(offsets) - 1
            codes.extend(row << 2 | rank for row, rank in found)
            offsets.append(len(codes))
        spaced, value = f" {key} ", name_id << KLEN_BITS | len(key)
        auto.add_word(spaced, value)
        items[spaced] = value
    for key in demonyms:
        if not auto.exists(f" {key} "):
            auto.add_word(f" {key} ", len(key))
            items[f" {key} "] = len(key)
    auto.make_automaton()
    # What the compiled scan walks from a word without a capital: the only keys that can count
    # there (recognition._matches): a compass word first, or five letters or more of a name that
    # reads in lower case. Most words of a text are such words; this trie has about 400 keys.
    compass = tuple(f" {c} " for c in sorted(COMPASS))
    lower = {k: v for k, v in items.items() if k.startswith(compass) or (
        (v & _KLEN_MASK) > 4 and v >> KLEN_BITS and reads_in_lower_case(places[codes[offsets[v >> KLEN_BITS]] >> 2]))}
    countries = {p.country: row_of[p.id] for p in places if p.kind == "country" and p.id == f"country:{p.country}"}
    return {"automaton": auto, "demonyms": demonyms, "codes": codes, "offsets": offsets, "rows": bytes(rows),
            "row_offsets": row_offsets, "countries": countries,
            "trie": build_trie(items), "trie_lower": build_trie(lower)}


def _pyahocorasick_version() -> str:
    try:
        return importlib.metadata.version("pyahocorasick")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_key(gazetteer: Path = GAZETTEER_PATH) -> str:
    """What the cached index depends on, as one string (see the module docstring)."""
    platform = f"{sys.version_info[:2]}|{_pyahocorasick_version()}|{struct.calcsize('P')}|{sys.byteorder}"
    h = hashlib.sha256(f"{FORMAT}|{platform}|{gazetteer}|".encode())
    try:
        st = gazetteer.stat()
        h.update(f"{st.st_size}|{st.st_mtime_ns}|".encode())
        with gazetteer.open("rb") as fh:
            h.update(fh.read(_EDGE))
            fh.seek(max(0, st.st_size - _EDGE))
            h.update(fh.read(_EDGE))
    except OSError:
        h.update(b"missing")  # load_gazetteer() will say what is wrong when the index is built
    for table in (STOPNAMES_PATH, DEMONYMS_PATH):
        try:
            h.update(table.read_bytes())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def encode_payload(key: str, payload: dict) -> list:
    """The index as code-free bytes, as buffers to write one after another: magic, header length,
    JSON header, raw sections (the arrays' own memory, not copies: the index is about 70 MB)."""
    blobs, kind, store, key_type, words, longest, values = payload["automaton"].__reduce__()[1]
    if values is not None:
        raise DataError("name index: the automaton must store integers (STORE_INTS)")
    sections = [*blobs, *(memoryview(payload[name]).cast("B") for name in _ARRAYS), payload["rows"]]
    header = json.dumps({
        "key": key,
        "automaton": [len(blobs), kind, store, key_type, words, longest],
        "arrays": {name: payload[name].typecode for name in _ARRAYS},
        "sections": [len(b) for b in sections],
        "demonyms": payload["demonyms"],
        "countries": payload["countries"],
    }, ensure_ascii=True, sort_keys=True).encode("ascii")
    return [_MAGIC, struct.pack("<Q", len(header)), header, *sections]


def decode_payload(data: bytes, key: str, automaton: bool = True) -> dict | None:
    """The payload of :func:`encode_payload`'s buffers, joined, for ``key``; None if they are not that.

    Only call it on bytes whose digest was verified: the automaton's node tables go to
    pyahocorasick's constructor as they are. With ``automaton=False`` the automaton's sections
    are checked for their place and count but not built (the payload's ``automaton`` is None):
    building it is a third of a warm load and 40 MB, which the compiled path does not need.
    """
    try:
        if not data.startswith(_MAGIC):
            return None
        at = len(_MAGIC)
        (n,) = struct.unpack_from("<Q", data, at)
        header = json.loads(data[at + 8:at + 8 + n])
        if header["key"] != key:
            return None
        at += 8 + n
        view = memoryview(data)  # slices without copying; arrays and the automaton copy what they keep
        sections = []
        for length in header["sections"]:
            if not isinstance(length, int) or length < 0 or at + length > len(data):
                return None
            sections.append(view[at:at + length])
            at += length
        nblobs, kind, store, key_type, words, longest = header["automaton"]
        if at != len(data) or store != ahocorasick.STORE_INTS or len(sections) != nblobs + len(_ARRAYS) + 1:
            return None
        arrays = {}
        for name, raw in zip(_ARRAYS, sections[nblobs:nblobs + len(_ARRAYS)]):
            arrays[name] = array(header["arrays"][name])
            arrays[name].frombytes(raw)
        built = None
        if automaton:
            built = ahocorasick.Automaton([bytes(b) for b in sections[:nblobs]], kind, store, key_type, words, longest, None)
    except (ValueError, TypeError, KeyError, struct.error, UnicodeDecodeError):
        return None
    demonyms, countries = header["demonyms"], header["countries"]
    if not isinstance(demonyms, dict) or not isinstance(countries, dict):
        return None
    if any(t.typecode != "I" or t.itemsize != 4 or not t or len(t) % 4 for t in (arrays["trie"], arrays["trie_lower"])):
        return None  # the compiled scan reads them as 32-bit unsigned integers, four a node
    return {"automaton": built, "demonyms": demonyms, "rows": bytes(sections[-1]), "countries": countries, **arrays}


def _paths(directory: Path) -> tuple[Path, Path]:
    base = directory / f"geoparse-index-v{FORMAT}"
    return base.with_suffix(".bin"), base.with_suffix(".sha256")


def _read_cache(directory: Path, key: str, automaton: bool = True) -> dict | None:
    """The cached payload if ``directory`` holds one for ``key`` whose digest verifies; else None
    (``automaton``: see :func:`decode_payload`)."""
    path, digest_path = _paths(directory)
    try:
        expected = digest_path.read_text(encoding="ascii").strip()
        data = path.read_bytes()
    except (OSError, UnicodeDecodeError):
        return None
    if hashlib.sha256(data).hexdigest() != expected:
        return None
    return decode_payload(data, key, automaton)


def _atomic(path: Path, parts: list) -> None:
    """Write the buffers ``parts`` one after another to ``path`` (a temporary file, then ``os.replace``)."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name + ".", suffix=".tmp", delete=False) as fh:
        tmp = fh.name
        try:
            fh.writelines(parts)
        except BaseException:
            fh.close()
            os.unlink(tmp)
            raise
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _write_cache(directory: Path, key: str, payload: dict) -> None:
    """Write the index, then its digest, each atomically; a failure only costs later starts their speed."""
    path, digest_path = _paths(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        parts = encode_payload(key, payload)  # written and hashed part by part: no 70 MB joined copy
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part)
        _atomic(path, parts)
        _atomic(digest_path, [(digest.hexdigest() + "\n").encode("ascii")])
    except OSError as exc:
        print(f"warning: geoparse index cache not written ({exc.strerror}: {directory}); "
              "set XDG_CACHE_HOME to a writable directory to speed up later runs", file=sys.stderr)


def clean_cache(directory: Path, now: float | None = None) -> list[Path]:
    """Remove what earlier builds left: temporary files older than :data:`STALE_TMP_S`, older formats.

    Only names this module writes are touched (``geoparse-index-*``); returns what was removed.
    """
    now = time.time() if now is None else now
    removed = []
    current = set(_paths(directory))
    try:
        entries = list(directory.glob("geoparse-index-*"))
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.name.endswith(".tmp"):
                stale = now - entry.lstat().st_mtime > STALE_TMP_S
            else:
                stale = entry not in current and re.fullmatch(r"geoparse-index-v\d+\.(pickle|bin|sha256)", entry.name)
            if stale and entry.is_file():
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue  # another process removed it first, or the folder is read-only
    return removed


def _automaton_loader(directory: Path, key: str) -> Callable[[], ahocorasick.Automaton]:
    """How an index read without its automaton gets it: the cache read again and verified again
    (nothing of the first read is kept: the automaton's sections are 38 MB), else, if the cache
    has been replaced or damaged since, built from the gazetteer for this process."""
    def load() -> ahocorasick.Automaton:
        payload = _read_cache(directory, key)
        if payload is None:
            if cache_key() != key:
                raise DataError("name index: the gazetteer changed while the geoparser was running; run again")
            payload = build_payload()
        return payload["automaton"]
    return load


def load_index(directory: Path | None = None, automaton: bool | None = None) -> NameIndex:
    """The name index from the cache in ``directory`` (default :func:`cache_dir`), rebuilt if stale.

    ``automaton``: build pyahocorasick's automaton now (True) or on first use (False); by default
    now only for the pure-Python path, which scans with it. Either way the whole cache file is
    verified by its digest before any of it is used, and a damaged one is rebuilt.

    Raises
    ------
    DataError
        If the index must be built and the gazetteer or the demonym table is missing or broken.
    """
    directory = directory or cache_dir()
    key = cache_key()
    clean_cache(directory)  # a glob of one folder: cheap enough for every start
    if automaton is None:
        automaton = compiled.hot is None
    payload = _read_cache(directory, key, automaton)
    if payload is None:
        payload = build_payload()
        _write_cache(directory, key, payload)
    return NameIndex(payload, None if payload["automaton"] is not None else _automaton_loader(directory, key))


@functools.cache
def default_index() -> NameIndex:
    """The process-wide index (:func:`load_index` once)."""
    return load_index()
