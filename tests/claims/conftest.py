"""The claims tests' reference: distances computed without geodata.borders (tests/reference.py)."""

from pathlib import Path

import pytest

BORDERS = Path(__file__).resolve().parents[2] / "geodata" / "data" / "kz_borders.geojson"


@pytest.fixture(scope="session")
def brute(kz_border_reference):
    """Every Kazakh cities500 place id, and its reference km to each border by neighbour."""
    cities, table = kz_border_reference
    return [f"gn:{c['geonameid']}" for c in cities], table
