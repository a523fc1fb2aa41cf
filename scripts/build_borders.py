"""Build Kazakhstan's land borders and the display basemap from Natural Earth.

Data
----
Natural Earth admin-0 countries, version 4.1.0, as redistributed in the npm package
``world-atlas@2.0.2`` (TopoJSON, quantised: 1:10m vertices sit on a 0.0036 deg lon x
0.0017 deg lat grid, i.e. about 0.2-0.4 km). GDAL's TopoJSON driver (through pyogrio /
geopandas) reads layer ``countries`` into usable (Multi)Polygons, so no arc decoding is
done here.

``geodata/data/kz_borders.geojson`` (measurement geometry, full 1:10m resolution)
    One LineString per neighbour: the *shared boundary* of Kazakhstan's polygon and the
    neighbour's, computed as ``intersection(kz.boundary, neighbour.boundary)`` with shapely
    and merged into one line. Why this is exact and not a tolerance match: both polygons
    are decoded from the *same* topology arcs, so every vertex of a shared arc has
    bit-identical coordinates in both rings and the overlay returns precisely those arcs.
    Where two countries only touch at a point (a tripoint, or the two ends of a border on
    a shore) the intersection is a Point, which is dropped. The Caspian and Aral shores
    belong to no neighbour's polygon, so they cannot appear in any border. Baikonur
    (a separate Natural Earth unit leased to Russia) is not Russia's polygon, so its
    perimeter is not counted as a Russian border either. Coordinates are rounded to
    6 decimals (< 0.1 m) and lines run from their western end; ``length_km`` is geodesic
    on WGS84 (``pyproj.Geod.geometry_length``) of the line as written.

``geodata/data/basemap.geojson`` (display only)
    Country outlines from Natural Earth's own 1:50m generalisation of the same admin-0
    dataset (``countries-50m.json`` in the same package), clipped to lon 25..120,
    lat 25..72, coordinates rounded to 3 decimals (finer than the 0.0036 deg grid).
    Choosing the 1:50m edition instead of simplifying 1:10m ourselves keeps topology:
    world-atlas encodes shared arcs once, so neighbours meet without gaps or slivers,
    and no home-made simplifier is needed.

Lengths (km)
------------
=============  =========================  ==============================  =====================
neighbour      1:10m, measured here       Kazakh official figures [1]     CIA World Factbook
                                                                          1994 [2]
=============  =========================  ==============================  =====================
China          1,504.0                    1,782.8                         1,533
Kyrgyzstan     1,016.9                    1,241.6                         1,051
Russia         6,661.4                    7,548.1                         6,846
Turkmenistan     373.5                      426                             379
Uzbekistan     2,185.9                    2,351.4                         2,203
=============  =========================  ==============================  =====================

The two right-hand columns are *as commonly cited*, not measured: [1] the Kazakh
government's figures as quoted by the Consulate-General of the Kyrgyz Republic in Almaty
(mfa.gov.kg, "Country Information"); these are the figures often given as ~7,600 /
1,780 / 1,240 / 2,350 / 410 km; [2] The World Factbook 1994, "Kazakhstan: Geography".
Later Factbook editions give longer figures (e.g. Russia 7,644 km) after demarcation.
A generalised 1:10m line is shorter than a demarcated one, most of all in the mountains
(China, Kyrgyzstan: about 16-18 % shorter than [1]); it agrees with [2] within 4 %.

Usage
-----
    python3 scripts/build_borders.py            # npm pack world-atlas@2.0.2 into a temp dir
    python3 scripts/build_borders.py --package-dir DIR   # an unpacked package (offline)

The output is byte-identical on rebuild; the input files are pinned by SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "geodata" / "data"
PACKAGE = "world-atlas@2.0.2"
SOURCE = "Natural Earth 1:10m admin-0 countries via world-atlas@2.0.2"
BASEMAP_SOURCE = "Natural Earth 1:50m admin-0 countries via world-atlas@2.0.2"
SHA256 = {
    "countries-10m.json": "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79",
    "countries-50m.json": "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394",
}
KAZAKHSTAN = "398"
# ISO 3166-1 numeric (world-atlas feature id) -> (ISO2, display name).
NEIGHBOURS = {
    "156": ("CN", "China"),
    "417": ("KG", "Kyrgyzstan"),
    "643": ("RU", "Russia"),
    "795": ("TM", "Turkmenistan"),
    "860": ("UZ", "Uzbekistan"),
}
# Every country the basemap bbox touches in the 1:50m file, checked against ISO 3166-1.
ISO2 = {
    "004": "AF", "031": "AZ", "048": "BH", "050": "BD", "051": "AM", "064": "BT", "100": "BG",
    "104": "MM", "112": "BY", "156": "CN", "196": "CY", "233": "EE", "246": "FI", "268": "GE",
    "275": "PS", "300": "GR", "356": "IN", "364": "IR", "368": "IQ", "376": "IL", "398": "KZ",
    "400": "JO", "414": "KW", "417": "KG", "422": "LB", "428": "LV", "434": "LY", "440": "LT",
    "496": "MN", "498": "MD", "512": "OM", "524": "NP", "578": "NO", "586": "PK", "634": "QA",
    "642": "RO", "643": "RU", "682": "SA", "760": "SY", "762": "TJ", "784": "AE", "792": "TR",
    "795": "TM", "804": "UA", "818": "EG", "860": "UZ",
}
BBOX = (25.0, 25.0, 120.0, 72.0)
GEOD = Geod(ellps="WGS84")


def fetch_package(workdir: Path) -> Path:
    """``npm pack`` the pinned package into ``workdir`` and unpack it; return the package dir."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    (tarball,) = workdir.glob("world-atlas-*.tgz")
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def read_countries(package_dir: Path, filename: str) -> gpd.GeoDataFrame:
    """Read layer ``countries`` of a pinned world-atlas file as EPSG:4326."""
    path = package_dir / filename
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256[filename]:
        sys.exit(f"{path}: SHA-256 {digest} is not the pinned {SHA256[filename]}; check the package version")
    gdf = gpd.read_file(path, layer="countries")
    return gdf.set_crs("EPSG:4326")


def round_geometry(geom, decimals: int):
    """Round coordinates and drop the repeated vertices rounding may create."""
    return shapely.remove_repeated_points(shapely.transform(geom, lambda xy: np.round(xy, decimals)))


def shared_border(kz, other) -> shapely.LineString:
    """The shared boundary of two polygons as one LineString starting at its western end."""
    parts = shapely.get_parts(shapely.intersection(kz.boundary, other.boundary))
    lines = [p for p in parts if p.geom_type == "LineString"]
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    if merged.geom_type != "LineString":
        sys.exit(f"shared boundary is {merged.geom_type} with {len(shapely.get_parts(merged))} parts, expected one line")
    xy = shapely.get_coordinates(merged)
    if tuple(xy[-1]) < tuple(xy[0]):
        merged = merged.reverse()
    return merged


def build_borders(countries: gpd.GeoDataFrame) -> list[dict]:
    """One GeoJSON feature per neighbour, sorted by neighbour name."""
    by_id = countries.set_index("id").geometry
    kz = by_id[KAZAKHSTAN]
    features = []
    for iso_num, (iso2, name) in sorted(NEIGHBOURS.items(), key=lambda kv: kv[1][1]):
        line = round_geometry(shared_border(kz, by_id[iso_num]), 6)
        length_km = round(GEOD.geometry_length(line) / 1000.0, 1)
        features.append(_feature(line, {"neighbour": name, "iso_a2": iso2, "length_km": length_km, "source": SOURCE}))
    return features


def build_basemap(countries: gpd.GeoDataFrame) -> list[dict]:
    """Clipped 1:50m outlines of every country in the region bbox, sorted by name."""
    box = shapely.box(*BBOX)
    region = countries[countries.intersects(box)]
    features = []
    for _, row in region.sort_values("name").iterrows():
        geom = round_geometry(shapely.clip_by_rect(row.geometry, *BBOX), 3)
        if geom.is_empty:
            continue
        iso_num = row["id"] if isinstance(row["id"], str) else None
        if iso_num is not None and iso_num not in ISO2:
            sys.exit(f"country {row['name']!r} (ISO numeric {iso_num}) is missing from the ISO2 table; add it")
        # Natural Earth units with no ISO code (e.g. Siachen Glacier) keep an empty code.
        iso2 = ISO2.get(iso_num, "")
        features.append(_feature(geom, {"name": row["name"], "iso_a2": iso2, "source": BASEMAP_SOURCE}))
    return features


def _feature(geom, properties: dict) -> dict:
    """A GeoJSON Feature dict (shapely's mapping gives RFC 7946 lon/lat coordinates)."""
    return {"type": "Feature", "properties": properties, "geometry": shapely.geometry.mapping(geom)}


def write_collection(path: Path, features: list[dict], **members) -> None:
    """Write a FeatureCollection, one feature per line, so diffs stay readable and rebuilds identical."""
    head = {"type": "FeatureCollection", **members}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build both files; ``--package-dir`` skips the npm download."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", type=Path, help="an unpacked world-atlas@2.0.2 package directory")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir or fetch_package(Path(tmp))
        borders = build_borders(read_countries(package_dir, "countries-10m.json"))
        basemap = build_basemap(read_countries(package_dir, "countries-50m.json"))
    write_collection(
        DATA / "kz_borders.geojson",
        borders,
        description=(
            "Kazakhstan's land border with each neighbour: shared boundary of the two admin-0 polygons "
            "at full 1:10m resolution (vertices on a 0.0036 x 0.0017 deg grid). The Caspian and Aral "
            "shores are not borders. Built by scripts/build_borders.py."
        ),
    )
    write_collection(
        DATA / "basemap.geojson",
        basemap,
        description=f"Display-only country outlines, {BASEMAP_SOURCE}, clipped to lon/lat bbox {list(BBOX)}.",
    )
    for f in borders:
        print(f"{f['properties']['neighbour']:<13} {f['properties']['length_km']:>8.1f} km")
    print(f"basemap: {len(basemap)} countries, {(DATA / 'basemap.geojson').stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
