"""Dashboard fixtures. AppTest runs cost about a second each, so read-only tests share them.

``app_at(query, page)`` returns one run per distinct query and page for the whole session: a test
that clicks, types or sets a widget must call ``run_app`` for an AppTest of its own.
"""

from __future__ import annotations

import json
from typing import Callable

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point
from streamlit.testing.v1 import AppTest

from geodata.layers import build_layers
from tests.dashboard.apptest import HOSTILE, run_app


@pytest.fixture(scope="session")
def app_at() -> Callable[..., AppTest]:
    runs: dict[tuple[str, str | None], AppTest] = {}

    def get(query: dict | None = None, page: str | None = None) -> AppTest:
        key = (json.dumps(query or {}, sort_keys=True), page)
        if key not in runs:
            runs[key] = run_app(query, page)
        return runs[key]

    return get


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """A store of this test's own (an SQLite file), which the dashboard opens through ``QANTAR_DB``."""
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("QANTAR_DB", str(path))
    return str(path)


@pytest.fixture(scope="session")
def default_app(app_at) -> AppTest:
    """The atlas page with no URL parameters (read only)."""
    return app_at()


@pytest.fixture(scope="session")
def all_events() -> gpd.GeoDataFrame:
    """The unfiltered events layer: where the filter tests work their expected answers out."""
    return build_layers()["events"]


@pytest.fixture
def hostile_layers() -> dict[str, gpd.GeoDataFrame]:
    """A test double of build_layers' output: one fabricated event and troop with hostile text."""
    layers = {name: gdf.iloc[0:0] for name, gdf in build_layers().items()}
    ev = {"id": "hostile", "date_start": "2022-01-05", "date_end": "2022-01-05", "date_precision": "day", "date_note": HOSTILE,
          "type": "riot", "status": "reported", "place_id": "gn:1526384", "place_name": HOSTILE, "geo_precision": 1,
          "description": HOSTILE, "actors": HOSTILE, "claimant": HOSTILE, "sources": "pike-spectator",
          "evidence": [{"source_id": "pike-spectator", "document": "x.txt", "start": 0, "end": 8, "quote": HOSTILE}]}
    layers["events"] = gpd.GeoDataFrame([ev], geometry=[Point(76.9, 43.25)], crs="EPSG:4326")
    troop = {"id": "hostile-troop", "contributor": HOSTILE, "origin_name": HOSTILE, "destination_name": HOSTILE,
             "date_start": "2022-01-06", "date_end": "2022-01-06", "date_precision": "day", "sizes": HOSTILE,
             "description": HOSTILE}
    layers["troops"] = gpd.GeoDataFrame([troop], geometry=[LineString([(37.6, 55.7), (76.9, 43.25)])], crs="EPSG:4326")
    return layers
