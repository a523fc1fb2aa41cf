"""Layers and their GeoJSON export: RFC 7946, provenance on every fact, filters, determinism."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.errors import InputError
from geodata.layers import LAYER_NAMES, border_bands, build_layers
from geodata.writers import export, export_zip, to_geojson
from geodata.sources import SEEDS_DIR

ROOT = Path(__file__).resolve().parent.parent
FACT_LAYERS = ("events", "troops", "figures", "claims")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    export(out)
    return {name: json.loads((out / f"{name}.geojson").read_text(encoding="utf-8")) for name in LAYER_NAMES}


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


def _seed_bytes_slice(e):
    return (SEEDS_DIR / e["document"]).read_bytes().decode("utf-8")[e["start"] : e["end"]]


@pytest.mark.parametrize("name", FACT_LAYERS)
def test_every_fact_carries_evidence_that_verifies(exported, name):
    for f in exported[name]["features"]:
        ev = f["properties"]["evidence"]
        assert ev, f"{name} {f['id']} has no evidence"
        for e in ev:
            assert set(e) == {"source_id", "document", "start", "end", "quote"}
            assert _seed_bytes_slice(e) == e["quote"], (name, f["id"])


def test_places_and_borders_say_where_their_data_comes_from(exported):
    assert all(f["properties"]["source"] for f in exported["places"]["features"])
    assert {f["properties"]["neighbour"] for f in exported["borders"]["features"]} == {
        "China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan"}
    assert all("Natural Earth" in f["properties"]["source"] for f in exported["borders"]["features"])


def test_conflicting_figures_stay_side_by_side(exported):
    arrests = sorted(f["properties"]["value"] for f in exported["figures"]["features"]
                     if f["properties"]["value"] in (8000, 3811))
    assert arrests == [3811, 8000]


def test_export_is_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    export(a, date_from="2022-01-04")
    export(b, date_from="2022-01-04")
    for name in LAYER_NAMES:
        assert (a / f"{name}.geojson").read_bytes() == (b / f"{name}.geojson").read_bytes()
    assert export_zip(build_layers()) == export_zip(build_layers())


def test_date_filter_keeps_overlapping_entries_only():
    layers = build_layers(date_from="2022-01-10", date_to="2022-01-12")
    assert len(layers["events"]) < len(build_layers()["events"])
    for _, e in layers["events"].iterrows():
        assert e["date_end"] >= "2022-01-10" and e["date_start"] <= "2022-01-12"


def test_source_filter_applies_to_every_fact_layer():
    layers = build_layers(sources=["sciorati-ispi"])
    for name in FACT_LAYERS:
        for _, row in layers[name].iterrows():
            assert any(e["source_id"] == "sciorati-ispi" for e in row["evidence"]), (name, row["id"])
    assert set(layers["places"]["id"]) <= set(build_layers()["places"]["id"])


def test_type_filter():
    layers = build_layers(types=["armed_clash"])
    assert len(layers["events"]) > 0 and set(layers["events"]["type"]) == {"armed_clash"}


@pytest.mark.parametrize("kwargs, message", [
    ({"date_from": "2022-02-30"}, "not a date"),
    ({"date_from": "2022-01-09", "date_to": "2022-01-02"}, "after"),
    ({"sources": ["nobody"]}, "unknown source"),
])
def test_bad_filters_are_one_line_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        build_layers(**kwargs)


def test_bands_are_counter_clockwise_polygons():
    gj = json.loads(to_geojson(border_bands(100.0, ("China",))))
    geom = gj["features"][0]["geometry"]
    ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    assert area2 > 0  # positive signed area: counter-clockwise exterior (right-hand rule)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "geodata", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_export_to_a_file_path_is_one_line_error(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    r = _cli("export", str(f))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "is a file" in r.stderr and "Traceback" not in r.stderr


def test_cli_claims_prints_a_json_array():
    r = _cli("claims")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert {"id", "statement", "evidence", "measured", "value", "unit", "verdict", "method", "caveats"} <= set(data[0])


def test_cli_export_to_an_unwritable_place_is_one_line_error():
    r = _cli("export", "/proc/qantar-atlas-test")  # /proc refuses new directories, even for root
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "cannot create" in r.stderr and "Traceback" not in r.stderr
