"""geodata/writers.py: RFC 7946 GeoJSON (sorted ids, 6 decimals, right-hand rule) and byte-identical exports."""

import json

from geodata.layers import LAYER_NAMES, border_bands, build_layers
from geodata.writers import export, export_zip, to_geojson


def _coords(geom):
    if geom["type"] == "Point":
        yield geom["coordinates"]
    elif geom["type"] in ("LineString", "MultiPoint"):
        yield from geom["coordinates"]
    elif geom["type"] in ("Polygon", "MultiLineString"):
        for part in geom["coordinates"]:
            yield from part
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            for ring in poly:
                yield from ring


def test_every_layer_is_rfc7946(exported):
    for name, fc in exported.items():
        assert fc["type"] == "FeatureCollection" and "crs" not in fc, name
        ids = [f["id"] for f in fc["features"]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), name
        assert fc["features"], name
        for f in fc["features"]:
            for lon, lat in _coords(f["geometry"]):
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                assert len(repr(lon).split(".")[-1]) <= 6 and len(repr(lat).split(".")[-1]) <= 6


def test_export_is_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    export(a, date_from="2022-01-04")
    export(b, date_from="2022-01-04")
    for name in LAYER_NAMES:
        assert (a / f"{name}.geojson").read_bytes() == (b / f"{name}.geojson").read_bytes()
    assert export_zip(build_layers()) == export_zip(build_layers())


def test_bands_are_counter_clockwise_polygons():
    gj = json.loads(to_geojson(border_bands(100.0, ("China",))))
    geom = gj["features"][0]["geometry"]
    ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    assert area2 > 0  # positive signed area: counter-clockwise exterior (right-hand rule)
