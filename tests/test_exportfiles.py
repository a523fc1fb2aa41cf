"""Exports that explain themselves: CSV per layer, sources.csv, README.txt; GeoJSON checked by a third-party validator."""

from __future__ import annotations

import io
import json
import zipfile

import geojson
import pandas as pd
import pytest
import shapely

from geodata.exportfiles import CREDITS, FIELD_DOCS, POINT_LAYERS, csv_columns, readme_text, sources_csv, to_csv
from geodata.layers import LAYER_NAMES, build_layers
from geodata.sources import load_sources
from geodata.writers import export, export_zip

FILTER = {"date_from": "2022-01-05", "date_to": "2022-01-07", "sources": ["eurasia-notes-13"]}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    return out, export(out)


def test_export_writes_geojson_and_csv_per_layer_sources_and_readme(exported):
    out, paths = exported
    names = sorted(p.name for p in paths)
    assert names == sorted([*(f"{n}.{ext}" for n in LAYER_NAMES for ext in ("geojson", "csv")), "README.txt", "sources.csv"])


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_geojson_is_valid_for_a_third_party_validator(exported, layer):
    out, _ = exported
    obj = geojson.loads((out / f"{layer}.geojson").read_text(encoding="utf-8"))
    assert isinstance(obj, geojson.FeatureCollection)
    assert obj.is_valid, obj.errors()
    assert all(f.is_valid for f in obj["features"])


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_csv_reads_back_with_pandas_with_the_layer_rows_and_columns(exported, layer):
    out, _ = exported
    gdf = build_layers()[layer]
    df = pd.read_csv(out / f"{layer}.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == csv_columns(gdf, layer)
    assert list(df["id"]) == sorted(gdf["id"])
    by_id = gdf.set_index("id")
    if layer in POINT_LAYERS:
        for _, row in df.iterrows():
            geom = by_id.loc[row["id"], "geometry"]
            assert float(row["lon"]) == pytest.approx(geom.x, abs=1e-6) and float(row["lat"]) == pytest.approx(geom.y, abs=1e-6)
    else:
        for _, row in df.iterrows():
            assert shapely.from_wkt(row["wkt"]).equals_exact(by_id.loc[row["id"], "geometry"], tolerance=1e-6)
    if "evidence" in gdf.columns:
        for _, row in df.iterrows():
            ev = by_id.loc[row["id"], "evidence"]
            assert json.loads(row["evidence_json"]) == list(ev)
            assert row["evidence_quotes"].split(" | ") == [e["quote"] for e in ev]
            assert row["evidence_source_ids"].split(" | ") == [e["source_id"] for e in ev]


def test_csv_numbers_and_lists_are_written_plainly(exported):
    out, _ = exported
    troops = pd.read_csv(out / "troops.csv", dtype=str, keep_default_na=False)
    assert any("; " in s for s in troops["sizes"])  # lists joined as the GeoJSON joins them
    figures = pd.read_csv(out / "figures.csv", dtype=str, keep_default_na=False)
    assert "8000" in set(figures["value"]) and not any("e+" in v or v.endswith(".0") for v in figures["value"])


def test_empty_filtered_layer_keeps_its_columns():
    layers = build_layers(date_from="2022-01-12", date_to="2022-01-12", sources=["chaos-in-kazakhstan"])
    empty = [n for n in LAYER_NAMES if not len(layers[n])]
    assert empty
    for name in empty:
        text = to_csv(layers[name], name)
        assert text.count("\n") == 1 and text.split("\n")[0].split(",") == csv_columns(build_layers()[name], name)


def test_sources_csv_lists_every_source_with_its_documents():
    df = pd.read_csv(io.StringIO(sources_csv()), dtype=str, keep_default_na=False)
    assert list(df.columns) == ["id", "title", "author", "outlet", "date", "date_note", "documents", "spans", "where_from"]
    assert sorted(df["id"]) == sorted(load_sources())
    pike = df.set_index("id").loc["pike-spectator"]
    assert pike["author"] == "Francis Pike" and pike["outlet"] == "The Spectator" and pike["date"] == "2022-01-11"
    assert "000_971d1b4a5d098b73.txt" in pike["documents"] and "seeds/" in pike["where_from"]


def test_readme_mentions_every_field_of_every_layer_the_codes_the_filter_and_the_licences():
    layers = build_layers(**FILTER)
    text = readme_text(layers, FILTER, "2022-01-05_2022-01-07_src-eurasia-notes-13")
    for name in LAYER_NAMES:
        for field in [c for c in layers[name].columns if c != "geometry"] + csv_columns(layers[name], name):
            assert f"  {field}: " in text, f"README misses {name}.{field}"
    for needle in ("GeoNames", "CC BY 4.0", "Natural Earth", "public domain", "seed articles", "2022-01-05 to 2022-01-07",
                   "articles: eurasia-notes-13", "geo_precision", "date_precision", "not supported", "sources.csv"):
        assert needle in text
    assert CREDITS in text


def test_every_documented_field_exists():
    fields = {c for gdf in build_layers().values() for c in gdf.columns}
    fields |= {c for n, gdf in build_layers().items() for c in csv_columns(gdf, n)}
    assert set(FIELD_DOCS) <= fields, set(FIELD_DOCS) - fields


def test_exports_are_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    export(a, **FILTER)
    export(b, **FILTER)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
        assert b"\r\n" not in (a / name).read_bytes()


def test_zip_holds_every_file_and_the_readme_names_its_filter():
    layers = build_layers(**FILTER)
    body = export_zip(layers, "sfx", FILTER)
    assert body == export_zip(build_layers(**FILTER), "sfx", FILTER)
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        names = zf.namelist()
        assert sorted(names) == sorted([*(f"{n}_sfx.{e}" for n in LAYER_NAMES for e in ("geojson", "csv")),
                                        "README.txt", "sources.csv"])
        assert "articles: eurasia-notes-13" in zf.read("README.txt").decode("utf-8")
        events = pd.read_csv(io.BytesIO(zf.read("events_sfx.csv")), dtype=str, keep_default_na=False)
        assert sorted(events["id"]) == sorted(layers["events"]["id"])
