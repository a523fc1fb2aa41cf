"""Pike's claim page in AppTest: the verdict at several settings, defaults, slider range, official sets, a user's CSV."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from geodata.claims import DEFAULT_CANDIDATE_SET, NEIGHBOUR_SETS, candidate_ids, check_all, official_sets, pike_check
from tests.dashboard.apptest import run_app

PAGE = "views/claims.py"
ALL, FOUR = "all land borders", "Pike's four (all but Russia)"


def claims_page(query: dict | None = None) -> AppTest:
    return run_app(query, PAGE)


def html(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.html]


def verdict(at: AppTest) -> str:
    (line,) = [b for b in html(at) if 'class="verdict' in b]
    return line


def chart_domain(at: AppTest) -> list[float]:
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    return [layer["encoding"]["x"]["scale"]["domain"] for layer in spec["layer"] if "scale" in layer["encoding"].get("x", {})][0]


def cities_table(at: AppTest):
    """The table of the cities counted (name, km, counted, population, id)."""
    (df,) = [d.value for d in at.dataframe if list(d.value.columns) == ["name", "km", "counted", "population", "id"]]
    return df


@pytest.fixture(scope="module")
def page() -> AppTest:
    return claims_page()


def test_defaults_are_the_19_largest_cities_and_all_land_borders(page):
    assert page.selectbox(key="cities").value == DEFAULT_CANDIDATE_SET
    assert page.selectbox(key="neighbours").value == ALL
    cities = cities_table(page)
    assert len(cities) == 19 and set(cities["id"]) == set(candidate_ids(DEFAULT_CANDIDATE_SET))
    assert any("The 19 cities counted" in s.value for s in page.subheader)


def test_the_verdict_line_comes_first_and_does_not_hold_at_100_km(page):
    text = verdict(page)
    assert "Verdict: does not hold at these settings" in text and "9 of the 19 cities" in text
    assert "first reached at 221 km" in text and "74% of all 351 Kazakh cities" in text
    bodies = html(page)
    assert bodies.index(next(b for b in bodies if 'class="verdict' in b)) == 0  # before the quote


def test_slider_reaches_1000_km_and_the_chart_shows_where_the_share_is_reached(page):
    slider = page.slider(key="km")
    assert slider.max >= 1000 and slider.value == 100
    assert chart_domain(page)[1] >= 1000


@pytest.mark.parametrize("km, borders, holds", [(100, ALL, False), (230, ALL, True), (900, FOUR, True)])
def test_verdict_at_three_settings(km, borders, holds):
    at = claims_page()
    at.selectbox(key="neighbours").set_value(borders).run()
    at.slider(key="km").set_value(km).run()
    assert not at.exception
    want = pike_check(km, NEIGHBOUR_SETS[borders], candidate_ids(DEFAULT_CANDIDATE_SET))
    text = verdict(at)
    assert want.holds is holds
    assert ("Verdict: holds at these settings" if holds else "Verdict: does not hold at these settings") in text
    assert f"{want.count} of the 19 cities" in text and f"({borders.replace(chr(39), '&#x27;')})" in text


def test_where_the_share_is_never_reached_within_the_slider_the_page_says_so_and_the_chart_extends():
    at = claims_page({"neighbours": "Turkmenistan only"})
    want = pike_check(100, NEIGHBOUR_SETS["Turkmenistan only"], candidate_ids(DEFAULT_CANDIDATE_SET))
    assert want.claim_holds_from_km > 1000
    assert "not reached within 1,000 km" in verdict(at)
    assert any("Never reached within the slider" in b for b in html(at))
    assert chart_domain(at)[1] >= want.claim_holds_from_km


@pytest.mark.parametrize("label", list(official_sets()))
def test_official_sets_show_their_citation_marked_as_not_from_the_seeds(label):
    at = claims_page()
    at.selectbox(key="cities").set_value(label).run()
    assert not at.exception
    s = official_sets()[label]
    (cite,) = [b for b in html(at) if 'class="set-cite"' in b]
    assert "Not from the seed articles" in cite and s.citation.url in cite and s.citation.date in cite
    assert s.citation.publisher.replace("'", "&#x27;") in cite
    assert len(cities_table(at)) == len(s.ids)
    assert f"{len(s.ids)} cities in" in verdict(at)


def test_a_user_csv_with_an_unknown_name_is_counted_and_the_name_reported_on_its_own_line():
    at = claims_page()
    at.text_area(key="candidates_text").input("name,note\nAlmaty,airport\nQwertyville\nTaraz\nAksu\n").run()
    assert not at.exception
    lines = [b for b in html(at) if 'class="unresolved"' in b]
    assert len(lines) == 2
    assert "line 3: &#x27;Qwertyville&#x27; unknown" in lines[0] and "line 5: &#x27;Aksu&#x27; ambiguous" in lines[1]
    assert at.toggle(key="use_user_list").value is True
    assert "2 cities in “your list”" in verdict(at)
    assert len(cities_table(at)) == 2


def test_a_user_csv_that_is_malformed_gets_a_one_line_error():
    at = claims_page()
    at.text_area(key="candidates_text").input("Almaty,a,b\n").run()
    assert [e.value for e in at.error] == ["Your list: line 1: 3 fields; give name[,note] (quote a note that holds commas)"]
    assert "19 cities in" in verdict(at)


def test_user_text_is_escaped_never_markup():
    at = claims_page()
    at.text_area(key="candidates_text").input("<b>bold</b>\n").run()
    (line,) = [b for b in html(at) if 'class="unresolved"' in b]
    assert "<b>bold</b>" not in line and "&lt;b&gt;bold&lt;/b&gt;" in line


def test_method_and_caveats_are_shown_in_full(page):
    pike = next(c for c in check_all() if c.id == "pike-15-of-19-close-to-borders")
    bodies = "".join(html(page)).replace("&#x27;", "'")
    assert pike.caveats in bodies and pike.method in bodies
    for check in check_all():  # every other check's caveats, whole, not cut in a table cell
        assert check.caveats.replace("&", "&amp;") in bodies or check.caveats in bodies


def test_the_violence_set_names_the_user_sources_that_add_cities(tmp_path, monkeypatch):
    from geodata.claims.candidates import SEED_VIOLENCE_SET
    from geodata.store import accept_suggestion, add_source, open_store, suggest_for_source

    monkeypatch.setenv("QANTAR_DB", str(tmp_path / "store.sqlite3"))
    query = {"cities": SEED_VIOLENCE_SET}
    assert "This set: from the seed articles." in [c.value for c in claims_page(query).caption]
    store = open_store(str(tmp_path / "store.sqlite3"))
    src, _ = add_source(store, "Rioters set fire to the akimat in Shymkent on Wednesday.\n", title="Notes", outlet="O",
                        date="2022-01-07")
    accept_suggestion(store, suggest_for_source(store, src.id)[0].id, type="riot", place="gn:1518980")  # Shymkent
    at = claims_page(query)
    assert "This set: from the seed articles and 1 user source, which add 1 city." in [c.value for c in at.caption]
    assert "Shymkent" in set(cities_table(at)["name"])
