"""The other claim checks (claims/statements.py) against independent computations."""

import json
import math

import pytest
import shapely

from geodata.claims import VERDICTS, check_all
from geodata.sources import document_text
from tests.claims.conftest import BORDERS


def _haversine_km(lon1, lat1, lon2, lat2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def checks():
    return {c.id: c.as_dict() for c in check_all()}


def test_every_check_has_verified_evidence_and_a_verdict(checks):
    assert len(checks) >= 10
    for c in checks.values():
        assert c["verdict"] in VERDICTS
        assert c["evidence"], c["id"]
        for e in c["evidence"]:
            assert document_text(e["document"])[e["start"] : e["end"]] == e["quote"]
        for key in ("statement", "measured", "method", "caveats", "unit"):
            assert c[key], (c["id"], key)


def test_pike_quote_is_cited_in_both_copies(checks):
    docs = {e["document"] for e in checks["pike-15-of-19-close-to-borders"]["evidence"]}
    assert docs == {"000_971d1b4a5d098b73.txt", "001_460d591629f0a55e.txt"}


def test_1500_miles_against_haversine(checks):
    c = checks["riots-1500-miles-from-astana"]
    km = _haversine_km(52.86192, 43.34116, 71.44598, 51.1801)  # Zhanaozen -> Astana, sphere
    assert c["value"] == pytest.approx(km / 1.609344, rel=0.005)
    assert c["verdict"] == "not supported"


def test_xinjiang_border_length_against_projected_length(checks):
    feat = next(f for f in json.loads(BORDERS.read_text(encoding="utf-8"))["features"] if f["properties"]["neighbour"] == "China")
    import geopandas as gpd

    line = gpd.GeoSeries([shapely.geometry.shape(feat["geometry"])], crs=4326)
    c = line.iloc[0].centroid
    km = float(line.to_crs(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84").length.iloc[0]) / 1000
    assert checks["xinjiang-border-1700-km"]["value"] == pytest.approx(km, rel=0.01)


def test_taraz_near_kyrgyzstan_against_brute_force(brute, checks):
    ids, table = brute
    assert checks["taraz-near-kyrgyz-border"]["value"] == pytest.approx(table["Kyrgyzstan"][ids.index("gn:1516905")], abs=0.5)
    assert checks["taraz-near-kyrgyz-border"]["verdict"] == "supported"


def test_almaty_most_populous(checks):
    assert checks["almaty-most-populous"]["verdict"] == "supported"
