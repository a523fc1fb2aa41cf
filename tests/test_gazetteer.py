"""Gazetteer look-ups: historic and transliterated names, traps, curated entries, precision."""

from pathlib import Path

import pytest
from pyproj import Geod

from geodata.errors import DataError
from geodata.gazetteer import AREA_KINDS, load_gazetteer, normalize_name
from tests.reference import kz_cities

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


# name as written -> expected place id
NAMES = [
    ("Almaty", "gn:1526384"), ("Alma Ata", "gn:1526384"), ("Alma-Ata", "gn:1526384"), ("ALMA-ATA", "gn:1526384"),
    ("Nur-Sultan", "gn:1526273"), ("Astana", "gn:1526273"), ("Akmola", "gn:1526273"), ("Tselinograd", "gn:1526273"),
    ("nur sultan", "gn:1526273"),
    ("Janaozen", "gn:607610"), ("Zhanaozen", "gn:607610"),
    ("Guryev", "gn:610529"), ("Gur'yev", "gn:610529"), ("Atyrau", "gn:610529"),
    ("Uralsk", "gn:608668"), ("Oral", "gn:608668"),
    ("Qaraghandy", "gn:609655"), ("Karaganda", "gn:609655"),
    ("Taldykorgan", "gn:1518542"), ("Taraz", "gn:1516905"), ("Aktobe", "gn:610611"),
    ("Aktau", "gn:610612"),  # Mangystau's port, not the villages of the same name near Karaganda
    ("Petropavlovsk", "gn:1520172"),  # Petropavl, not Petropavlovsk-Kamchatsky: country prior
    ("Samarkand", "gn:1216265"),  # the Uzbek city, not an alternate name of Temirtau
    ("Talas", "gn:1527299"),  # the Kyrgyz town, not Taraz
    ("Bishkek", "gn:1528675"), ("Moscow", "gn:524901"), ("Tbilisi", "gn:611717"), ("Geneva", "gn:2660646"),
    ("Kazakhstan", "country:KZ"), ("Kazahkstan", "country:KZ"), ("Kyrgistan", "country:KG"), ("Kyrgyz Republic", "country:KG"),
    ("China", "country:CN"), ("Russia", "country:RU"), ("Uzbekistan", "country:UZ"), ("Turkmenistan", "country:TM"),
    ("Mangistau", "region:KZ-MAN"), ("Mangistau region", "region:KZ-MAN"), ("Aqmola Region", "region:KZ-AKM"),
    ("Qaraghandy Region", "region:KZ-KAR"), ("Almaty Region", "region:KZ-ALM"),
    ("Xinjiang", "region:CN-XJ"), ("Xinjian", "region:CN-XJ"),
    ("Kok Tobe", "landmark:kok-tobe-tower"), ("Kok-Tobe", "landmark:kok-tobe-tower"),
    ("Republic Square", "landmark:republic-square-almaty"), ("Almaty airport", "landmark:almaty-airport"),
]


@pytest.mark.parametrize("name, expected", NAMES)
def test_lookup(gz, name, expected):
    place = gz.lookup(name)
    assert place is not None, name
    assert place.id == expected, (name, place)


@pytest.mark.parametrize("word", ["Kazakh", "Along", "Most", "March", "Of", "Russian", "Kyrgyz"])
def test_demonyms_and_ordinary_words_never_resolve(gz, word):
    assert gz.lookup(word) is None


def test_shevchenko_is_not_aktau(gz):
    # Aktau was Shevchenko until 1991, but the bare name is too ambiguous to put it there: Aktau is
    # not even a candidate. The name still resolves (elsewhere), and Fort-Shevchenko to itself.
    place = gz.lookup("Shevchenko")
    assert place is not None and place.id != "gn:610612"
    assert "gn:610612" not in [p.id for p in gz.candidates("Shevchenko")]
    assert gz.lookup("Fort-Shevchenko").id == "gn:609906"


def test_every_place_has_the_documented_fields(gz):
    kinds = {"city", "region", "country", "landmark", "macroregion", "water", "historic"}
    for place in gz.places:
        assert place.kind in kinds
        assert place.id.startswith("area:") == (place.kind in AREA_KINDS)
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
        assert place.source and place.precision and place.names[0] == place.name


def test_coverage_region_in_full_and_world(gz):
    kz = kz_cities()  # cities500's Kazakh places, as tests/reference.py reads them
    assert len(kz) > 300
    assert all(gz.has(f"gn:{c['geonameid']}") for c in kz)
    assert len(gz.rows_where(kind="country")) >= 240
    assert len(gz.rows_where(country="KZ", kind="region")) == 17  # 14 regions + 3 cities, January 2022
    assert gz.has("gn:2643743")  # London, from cities15000


def test_curated_points_are_where_they_say(gz):
    almaty = gz.get("gn:1526384")
    for lid in ("landmark:kok-tobe-tower", "landmark:republic-square-almaty", "landmark:almaty-airport"):
        lm = gz.get(lid)
        _, _, metres = GEOD.inv(almaty.lon, almaty.lat, lm.lon, lm.lat)
        assert metres < 20_000, lid  # all three are in or at Almaty
        assert lm.source.startswith("curated:")
    man = gz.get("region:KZ-MAN")
    assert "Aktau" in man.precision and (man.lat, man.lon) == (gz.get("gn:610612").lat, gz.get("gn:610612").lon)


def test_unknown_id_is_one_line_error(gz):
    with pytest.raises(DataError, match="unknown place id 'gn:0'"):
        gz.get("gn:0")


def test_close_matches_suggest_the_right_spelling(gz):
    assert "Zhanaozen" in gz.close_matches("Zhanaosen")
    assert gz.close_matches("") == []


@pytest.mark.parametrize(
    "a, b", [("Alma-Ata", "alma ata"), ("Gur’yev", "Guryev"), ("Qarağandı", "Qaragandi"), ("Ust-Kamenogorsk", "UST KAMENOGORSK")]
)
def test_normalisation_is_case_hyphen_accent_insensitive(a, b):
    assert normalize_name(a) == normalize_name(b)


# Every place the seeds name (cities, regions, countries, landmarks), as written there.
SEED_PLACES = [
    "Almaty", "Astana", "Zhanaozen", "Taldykorgan", "Taraz", "Atyrau", "Nur-Sultan", "Aktobe", "Aqmola", "Qaraghandy",
    "Mangistau", "Kok Tobe", "Republic Square", "Kazakhstan", "Kyrgyzstan", "Kyrgistan", "Uzbekistan", "Turkmenistan",
    "China", "Russia", "Armenia", "Belarus", "Tajikistan", "Azerbaijan", "Ukraine", "Moscow", "Xinjiang", "Xinjian",
    "Bishkek", "Tbilisi", "Geneva", "Poland", "Minsk", "Afghanistan", "Syria", "Iraq", "Paris", "Hong Kong", "Myanmar",
    "Alma Ata", "Kazahkstan", "Kazkhstan", "Georgia", "Crimea", "Libya", "Kiev", "Vancouver", "Vladisvostok", "Turkey",
    "Beijing", "Washington", "Brussels",
]


@pytest.mark.parametrize("name", SEED_PLACES)
def test_every_seed_place_resolves(gz, seed_texts, name):
    assert any(name in text for text in seed_texts.values()), f"{name} is not written in the seeds; fix the table"
    assert gz.lookup(name) is not None


def test_country_points_lie_inside_their_outlines(gz):
    import geopandas as gpd
    from shapely.geometry import Point

    basemap = gpd.read_file(Path(__file__).resolve().parent.parent / "geodata" / "data" / "basemap.geojson")
    checked = 0
    for row in basemap.itertuples():
        if not row.iso_a2 or not gz.has(f"country:{row.iso_a2}"):
            continue
        p = gz.get(f"country:{row.iso_a2}")
        if not (25 < p.lon < 120 and 25 < p.lat < 72):
            continue  # the basemap is clipped to this box: outlines outside it are cut
        assert row.geometry.buffer(0.05).contains(Point(p.lon, p.lat)), p  # Russia's once fell in the Norwegian Sea
        checked += 1
    assert checked >= 20


def test_bulk_postings_rank_like_scored_candidates():
    gz = load_gazetteer()
    row = {pid: i for i, pid in enumerate(gz.ids())}
    postings = dict(gz.postings())
    keys = gz.name_keys()
    sample = keys[::97] + ["almaty", "petropavlovsk", "temirtau", "paris", "most", "kazakh"]
    for key in sample:
        expected = [(row[p.id], rank[0]) for rank, p in gz.scored_candidates(key)]
        # scored_candidates normalises its argument; a few stored keys ("ħamburg") are not normal
        assert postings.get(normalize_name(key), []) == expected, key


def test_curated_areas_are_drawn_where_they_are(gz):
    """Points computed by scripts/build_gazetteer.py from Natural Earth / GeoNames (curated.toml, [[area]])."""
    caspian, central_asia, soviet = gz.get("area:caspian-sea"), gz.get("area:central-asia"), gz.get("area:soviet-union")
    assert 37 < caspian.lat < 47 and 47 < caspian.lon < 54.5 and caspian.kind == "water"
    assert 37 < central_asia.lat < 55 and 50 < central_asia.lon < 87 and central_asia.kind == "macroregion"
    assert soviet.kind == "historic" and gz.lookup("USSR").id == "area:soviet-union"
    assert gz.lookup("Europe").id == "area:europe" and gz.lookup("Asia").id == "area:asia"
