"""dashboard/serving/offline.py: Leaflet served from the app's own static folder, folium left alone."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd

from dashboard import maps
from dashboard.serving import offline


def test_vendor_assets_are_the_xstatic_files():
    vendor = offline.ensure_vendor()
    for name, (base, file_name) in offline.VENDOR_FILES.items():
        assert (vendor / name).read_bytes() == (Path(base) / file_name).read_bytes()


def test_local_assets_respect_a_base_url_path():
    js, css = offline.local_assets("atlas/")
    assert [u for _, u in js + css] == ["/atlas/app/static/vendor/leaflet.js", "/atlas/app/static/vendor/leaflet.css"]


def test_folium_defaults_are_left_untouched(hostile_layers):
    offline.local_assets()
    maps.build_map(hostile_layers, outlines=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), assets=offline.local_assets())
    assert folium.Map.default_js[0][1].startswith("https://")
