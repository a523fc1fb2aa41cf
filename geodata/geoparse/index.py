"""The geoparser's name index: every matchable gazetteer name in one automaton, cached on disk.

Building the index means parsing the whole gazetteer (~0.2 s) and compiling an Aho-Corasick
automaton over ~200,000 names (~0.5 s). Both are done once per gazetteer version: the built
index (the pickled pyahocorasick automaton, each name's ranked candidate rows, and the place
rows as JSON, decoded only when a name is met) is kept in
``$XDG_CACHE_HOME/qantar-atlas/`` (default ``~/.cache/qantar-atlas/``). A warm start reads
that one file and never parses the gazetteer.

The cache is keyed by the gazetteer file (path, size, modification time and a SHA-256 of its
first and last 64 KiB), the stop-name and demonym tables (whole content), this module's
:data:`FORMAT` and the Python version; any change rebuilds it. It is written atomically (a
temporary file, then ``os.replace``), and a cache file that cannot be read or does not look
right is rebuilt, never trusted. If the cache directory cannot be written, the index is built
in memory for this process only.

Keys are folded names with one space either side (``" alma ata "``). Names that can never be
read as a place are left out so the automaton never reports them: stop names (unless they are
demonyms), names of one character, names starting with a digit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
from array import array
from pathlib import Path

import ahocorasick

from geodata.errors import DataError
from geodata.files import cache_dir
from geodata.gazetteer import GAZETTEER_PATH, Place, load_gazetteer
from geodata.names import STOPNAMES_PATH, normalize_name, stop_names

__all__ = ["DEMONYMS_PATH", "FORMAT", "NameIndex", "cache_dir", "load_index"]

DEMONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "demonyms.tsv"
FORMAT = 1  # bump when the cached layout or the key selection changes
KLEN_BITS = 10  # automaton value = name id << KLEN_BITS | key length
_KLEN_MASK = (1 << KLEN_BITS) - 1
_EDGE = 65536  # bytes hashed at each end of the gazetteer file
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")  # normalize_name leaves such a key as it is


class NameIndex:
    """Names -> ranked candidate places, and the automaton that finds the names in folded text.

    ``automaton`` maps ``" key "`` to ``name_id << KLEN_BITS | len(key)``; name id 0 means a
    demonym that names no place. ``demonyms`` maps normalised demonyms to ISO2 codes.
    """
    def __init__(self, payload: dict):
        self.automaton: ahocorasick.Automaton = payload["automaton"]
        self.demonyms: dict[str, str] = payload["demonyms"]
        self._codes: array = payload["codes"]
        self._offsets: array = payload["offsets"]
        self._rows: bytes = payload["rows"]
        self._row_offsets: array = payload["row_offsets"]
        self._countries: dict[str, int] = payload["countries"]
        self._places: dict[int, Place] = {}

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
        value = self.automaton.get(f" {key} ", 0)
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
    for p in places:
        rows += json.dumps([p.id, p.name, p.kind, p.country, p.lat, p.lon, p.population, p.admin1, p.source,
                            p.precision, list(p.names)], ensure_ascii=False).encode("utf-8")
        row_offsets.append(len(rows))
    ranked = dict(gz.postings())  # every name's (row, rank) at once: what scored_candidates gives, ~3x faster
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
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
        auto.add_word(f" {key} ", name_id << KLEN_BITS | len(key))
    for key in demonyms:
        if not auto.exists(f" {key} "):
            auto.add_word(f" {key} ", len(key))
    auto.make_automaton()
    countries = {p.country: row_of[p.id] for p in places if p.kind == "country" and p.id == f"country:{p.country}"}
    return {"automaton": auto, "demonyms": demonyms, "codes": codes, "offsets": offsets, "rows": bytes(rows),
            "row_offsets": row_offsets, "countries": countries}


def cache_key(gazetteer: Path = GAZETTEER_PATH) -> str:
    """What the cached index depends on, as one string (see the module docstring)."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|{gazetteer}|".encode())
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


def _read_cache(path: Path, key: str) -> dict | None:
    """The cached payload if ``path`` holds one for ``key``; None if absent, stale or unreadable."""
    try:
        with path.open("rb") as fh:
            if pickle.load(fh) != key:
                return None
            payload = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file can fail in many ways; it is rebuilt, never trusted
        return None
    expected = {"automaton": ahocorasick.Automaton, "demonyms": dict, "codes": array, "offsets": array,
                "rows": bytes, "row_offsets": array, "countries": dict}
    if not isinstance(payload, dict) or any(not isinstance(payload.get(k), t) for k, t in expected.items()):
        return None
    return payload


def _write_cache(path: Path, key: str, payload: dict) -> None:
    """Write atomically; a cache that cannot be written only costs the next start its speed."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as fh:
            tmp = fh.name
            pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        print(f"warning: geoparse index cache not written ({exc.strerror}: {path.parent}); "
              "set XDG_CACHE_HOME to a writable directory to speed up later runs", file=sys.stderr)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def load_index(directory: Path | None = None) -> NameIndex:
    """The name index from the cache in ``directory`` (default :func:`cache_dir`), rebuilt if stale.

    Raises
    ------
    DataError
        If the index must be built and the gazetteer or the demonym table is missing or broken.
    """
    path = (directory or cache_dir()) / f"geoparse-index-v{FORMAT}.pickle"
    key = cache_key()
    payload = _read_cache(path, key)
    if payload is None:
        payload = build_payload()
        _write_cache(path, key, payload)
    return NameIndex(payload)


@functools.cache
def default_index() -> NameIndex:
    """The process-wide index (:func:`load_index` once)."""
    return load_index()
