"""The dashboard in Streamlit's AppTest: pages run, filters, URL state, text panel, offline map, escaping."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point
from streamlit.testing.v1 import AppTest

from dashboard import escape, maps, state
from dashboard.panels import eventlist, evidence
from dashboard.serving import offline
from geodata.claims import NEIGHBOUR_SETS, candidate_ids, pike_check
from geodata.layers import build_layers

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "main.py")  # the script; app.py is the server around it
PAGES = ["views/atlas.py", "views/claims.py", "views/figures.py", "views/timeline.py", "views/downloads.py",
         "views/documents.py"]
AIRPORT = "events:almaty-airport-seized"
AIRPORT_QUOTE = "According to the news channel Khabar 24, Almaty’s airport, which was temporarily seized by intruders, will fully reopen this evening."
HOSTILE = "<script>alert(`pwned ${document.cookie}`)</script> & 'x' \"y\""


def run_app(query: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


class _Rows(HTMLParser):
    """Rows of the event list table (dashboard/eventlist.py): its ``data-ref`` and cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self._cells: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and dict(attrs).get("data-ref"):
            self.rows.append({"ref": dict(attrs)["data-ref"], "selected": dict(attrs).get("class") == "selected"})
            self._cells = []
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_data(self, data):
        if self._cells:
            self._cells[-1] += data

    def handle_endtag(self, tag):
        if tag == "tr" and self._cells is not None:
            self.rows[-1].update(zip(eventlist.COLUMNS, self._cells))
            self._cells = None


def event_list(at: AppTest) -> pd.DataFrame:
    """The event list under the map, parsed back from its HTML table."""
    (body,) = [h.proto.body for h in at.html if 'class="event-list"' in h.proto.body]
    parser = _Rows()
    parser.feed(body)
    return pd.DataFrame(parser.rows)


def map_args(at: AppTest) -> dict:
    (component,) = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    return json.loads(component.proto.json_args)


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_app()


@pytest.mark.parametrize("page", [None, *PAGES[1:]])
def test_every_page_runs_without_exception(page):
    run_app(page=page)


def test_filters_change_the_event_list():
    at = run_app()
    all_events = event_list(at)
    at.multiselect(key="types").set_value(["protest"]).run()
    protests = event_list(at)
    assert 0 < len(protests) < len(all_events)
    assert set(protests["type"]) == {"Protest"}  # types in words
    at.multiselect(key="types").set_value([]).run()
    at.date_input(key="dates").set_value((dt.date(2022, 1, 10), dt.date(2022, 1, 12))).run()
    late = event_list(at)
    assert 0 < len(late) < len(all_events)
    assert (late["date_end"] >= "2022-01-10").all()


@pytest.mark.parametrize(
    "query, check",
    [
        ({"types": ["protest", "riot"]}, lambda t: set(t["type"]) <= {"Protest", "Riot"}),
        ({"dates": ["2022-01-05", "2022-01-06"]}, lambda t: ((t["date_start"] <= "2022-01-06") & (t["date_end"] >= "2022-01-05")).all()),
        # Articles are named by title (with outlet), not id.
        ({"sources": ["eurasia-notes-13"]}, lambda t: t["sources"].str.contains("Eurasia Notes #13", regex=False).all()),
        ({"outlets": ["The Spectator"]}, lambda t: t["sources"].str.contains("(The Spectator)", regex=False).all()),
    ],
)
def test_url_parameters_restore_filters(default_app, query, check):
    at = run_app(query)
    table = event_list(at)
    assert 0 < len(table) < len(event_list(default_app))
    assert check(table)
    for key, value in query.items():
        widget = at.date_input(key=key) if key == "dates" else at.multiselect(key=key)
        got = [d.isoformat() for d in widget.value] if key == "dates" else list(widget.value)
        assert got == value


def test_text_panel_shows_the_selected_events_quote_highlighted():
    at = run_app({"feature": AIRPORT})
    bodies = "".join(h.proto.body for h in at.html)
    assert f'<mark class="quote">{escape.html_text(AIRPORT_QUOTE)}</mark>' in bodies
    assert "Eurasia Notes #13" in bodies


def test_picking_an_event_shows_its_quote_and_marks_its_row_in_the_list():
    at = run_app()
    assert at.selectbox(key=eventlist.PICK_KEY).value is None
    assert not event_list(at)["selected"].any()
    at.selectbox(key=eventlist.PICK_KEY).select(AIRPORT).run()
    assert not at.exception
    assert at.session_state["selected"] == AIRPORT and at.query_params["feature"] == AIRPORT
    bodies = "".join(h.proto.body for h in at.html)
    assert f'<mark class="quote">{escape.html_text(AIRPORT_QUOTE)}</mark>' in bodies
    table = event_list(at)
    assert list(table.loc[table["selected"], "ref"]) == [AIRPORT]


def test_the_picker_follows_a_selection_made_on_the_map_or_in_the_url():
    at = run_app({"feature": AIRPORT})
    assert at.selectbox(key=eventlist.PICK_KEY).value == AIRPORT
    at = run_app({"feature": "borders:China"})  # not an event: the picker stays empty
    assert at.selectbox(key=eventlist.PICK_KEY).value is None


def test_event_list_holds_every_filtered_event_by_date():
    at = run_app({"dates": ["2022-01-05", "2022-01-06"]})
    table = event_list(at)
    expected = build_layers(date_from="2022-01-05", date_to="2022-01-06")["events"]
    assert sorted(table["ref"]) == sorted("events:" + expected["id"])
    assert list(table["date_start"]) == sorted(table["date_start"])
    assert len(at.selectbox(key=eventlist.PICK_KEY).options) == len(expected)


def test_an_empty_event_list_says_so():
    at = run_app({"types": ["protest"], "dates": ["2022-01-12", "2022-01-12"]})
    if len(build_layers(date_from="2022-01-12", date_to="2022-01-12", types=["protest"])["events"]):
        pytest.skip("the catalogue now has a protest on 12 January; pick another empty filter")
    assert any("No event matches" in i.value for i in at.info)
    assert not [h for h in at.html if 'class="event-list"' in h.proto.body]


def test_text_panel_without_selection_says_how_to_select(default_app):
    assert any("Click a shape on the map" in i.value for i in default_app.info)


def test_map_loads_only_local_assets_and_draws_every_layer(default_app):
    args = map_args(default_app)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    assert not re.search(r"https?://", args["script"] + args["html"] + args["header"])
    # No jQuery is served (dashboard/offline.py): a popup or anything else calling it would break the map.
    assert not re.search(r"(?<![\w$])(?:\$|jQuery)\s*[.(]", args["script"] + args["html"]), "the map calls jQuery"
    for link in links:
        assert (offline.STATIC_DIR / link.removeprefix("/app/static/")).is_file()
    names = re.findall(r'"([^"]+)" : feature_group_\w+', args["script"])
    assert names == ["Mentions: demonyms", "Mentions", "Claim: within 100 km of all land borders", "Borders by neighbour", "Troop movements", "Places",
                     "Claim checks", "Events"]


def test_map_draws_every_filtered_event_in_its_place_badge():
    # Behaviour changed: one badge per place group with its count (country-level events are listed, not drawn).
    from geodata.places import nationwide, place_groups

    at = run_app()
    at.multiselect(key="types").set_value(["seizure"]).run()
    script = map_args(at)["script"]
    seizures = build_layers(types=["seizure"])["events"]
    (blob,) = re.findall(r"var data = (\[.*?\]);\n", script)
    drawn = {b["ref"]: b["count"] for b in json.loads(blob)}
    assert drawn == {g.ref: g.count for g in place_groups(seizures)}
    assert sum(drawn.values()) == len(seizures) - len(nationwide(seizures))


def test_claim_settings_change_the_claim_layer():
    at = run_app({"km": "300"})
    assert "Claim: within 300 km" in map_args(at)["script"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<script>", "&lt;script&gt;"),
        ("a & b", "a &amp; b"),
        ("`${x}`", "&#x60;&#x24;{x}&#x60;"),
        ("'\"", "&#x27;&quot;"),
        ("&lt;", "&amp;lt;"),
        (None, ""),
        (3811, "3811"),
    ],
)
def test_html_text_escapes_markup_and_template_literals(raw, expected):
    assert escape.html_text(raw) == expected


def _hostile_layers() -> dict[str, gpd.GeoDataFrame]:
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


def test_hostile_source_text_stays_text_on_the_map():
    m = maps.build_map(_hostile_layers(), outlines=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"),
                       assets=offline.local_assets())
    # The page's JSON is HTML-safe (\u003c for <); decode it to see what the browser will get.
    html = re.sub(r"\\u00([0-9a-fA-F]{2})", lambda x: chr(int(x.group(1), 16)), m.get_root().render())
    assert "<script>alert" not in html
    assert "`pwned" not in html and "${document" not in html
    assert "&lt;script&gt;alert(&#x60;pwned &#x24;{document.cookie}&#x60;)&lt;/script&gt;" in html
    assert '"ref": "troops:hostile-troop"' in html and "groups:gn:1526384" in html


def test_hostile_source_text_stays_text_in_the_event_list():
    rows = eventlist.event_rows(_hostile_layers()["events"])
    html = eventlist.table_html(rows, "events:hostile")
    assert "<script" not in html and "`pwned" not in html and "${document" not in html
    assert html.count(escape.html_text(HOSTILE)) == 2  # the place and the description columns
    assert '<tr data-ref="events:hostile" class="selected">' in html
    assert eventlist.event_label(rows.iloc[0]) == f"2022-01-05 · Riot · {HOSTILE}: {HOSTILE}"  # plain text, type in words


def test_hostile_quote_stays_text_in_the_text_panel():
    paragraph = f"Before. {HOSTILE} After."
    start = paragraph.index(HOSTILE)
    card = evidence.evidence_html({"document": "<b>doc</b>", "start": 1, "end": 2}, {"title": HOSTILE, "outlet": "<i>o</i>"},
                                  paragraph, start, start + len(HOSTILE))
    assert "<script" not in card and "<b>doc" not in card and "<i>o" not in card
    assert f'<mark class="quote">{escape.html_text(HOSTILE)}</mark>' in card


def test_highlight_rejects_offsets_outside_the_paragraph():
    with pytest.raises(ValueError, match="outside"):
        escape.highlight("short", 2, 10)


@pytest.mark.parametrize(
    "tooltip, ref",
    [
        ("Almaty's airport is seized 2022-01-05 [events:almaty-airport-seized]", "events:almaty-airport-seized"),
        ("Almaty city [places:gn:1526384]", "places:gn:1526384"),
        ("Border with China [borders:border:CN]", "borders:border:CN"),
        ("3 [groups:gn:1526384+gn:1528675]", "groups:gn:1526384+gn:1528675"),
        ("[nothing:here]", None),
        ("no reference at all", None),
        (None, None),
    ],
)
def test_parse_ref_reads_the_reference_at_the_end_of_a_tooltip(tooltip, ref):
    assert state.parse_ref(tooltip) == ref


@pytest.mark.parametrize(
    "paragraph, start, end, expected",
    [
        ("one two three", 4, 7, ("one two three", 4, 7)),
        ("aaaa bbbb QUOTE cccc dddd", 10, 15, ("… bbbb QUOTE cccc …", 7, 12)),
    ],
)
def test_trim_paragraph_keeps_the_quote_and_marks_cuts(paragraph, start, end, expected):
    got = evidence.trim_paragraph(paragraph, start, end, context=6)
    assert got == expected
    text, s, e = got
    assert text[s:e] == paragraph[start:end]


def test_filters_args_are_plain_and_hashable():
    f = state.Filters(dt.date(2022, 1, 5), dt.date(2022, 1, 7), ("pike-spectator",), None)
    assert f.args() == ("2022-01-05", "2022-01-07", ("pike-spectator",), None)
    hash(f.args())


def test_every_setting_has_help_and_a_known_widget():
    for s in state.SETTINGS:
        assert s.help and s.label
        assert s.widget in {"date_range", "multiselect", "slider", "selectbox"}


def test_vendor_assets_are_the_xstatic_files():
    vendor = offline.ensure_vendor()
    for name, (base, file_name) in offline.VENDOR_FILES.items():
        assert (vendor / name).read_bytes() == (Path(base) / file_name).read_bytes()


def test_local_assets_respect_a_base_url_path():
    js, css = offline.local_assets("atlas/")
    assert [u for _, u in js + css] == ["/atlas/app/static/vendor/leaflet.js", "/atlas/app/static/vendor/leaflet.css"]


def test_folium_defaults_are_left_untouched():
    offline.local_assets()
    maps.build_map(_hostile_layers(), outlines=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), assets=offline.local_assets())
    assert folium.Map.default_js[0][1].startswith("https://")


def test_claim_page_draws_its_settings_in_the_body_and_counts_live():
    at = run_app({"km": "50"}, page="views/claims.py")
    assert at.slider(key="km").value == 50
    assert not at.sidebar.slider  # not duplicated in the sidebar on this page
    for km in (50, 600):
        if km != 50:
            at.slider(key="km").set_value(km).run()
        name, cities = at.selectbox(key="neighbours").value, at.selectbox(key="cities").value
        want = pike_check(km, NEIGHBOUR_SETS[name], candidate_ids(cities))
        assert any(f"{want.count} of the {want.total} cities" in h.proto.body and "Verdict:" in h.proto.body for h in at.html)


DOCUMENTS = "views/documents.py"
XSS_TEXT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Riots in Almaty and Taraz'


def documents_page(text: str | None = None) -> AppTest:
    at = run_app(page=DOCUMENTS)
    if text is not None:
        at.text_area(key="document_text").input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_documents_page_lists_mentions_of_pasted_text_and_keeps_html_as_text():
    at = documents_page(XSS_TEXT)
    (table,) = [d.value for d in at.dataframe]
    assert list(table["name"]) == ["Almaty", "Taraz"]
    assert list(table["start"]) == [XSS_TEXT.index("Almaty"), XSS_TEXT.index("Taraz")]
    assert table["sentence"].str.contains("<script>", regex=False).all()  # raw in the data, a text cell on screen
    assert [t.value for t in at.text] == ["Places named: Almaty, Taraz"]
    script = map_args(at)["script"]
    # The tooltip's sentence reaches the map only escaped (the script JSON-encodes "<" and "&" too).
    for raw in ("<script>window", "<img", "\\u003cscript\\u003ewindow", "\\u003cimg"):
        assert raw not in script
    assert "\\u0026lt;script\\u0026gt;window.__xss=1" in script and '"ref": "uploads:gn:1526384"' in script
    assert not at.error


@pytest.mark.parametrize("text", ["   \n  ", "\t"])
def test_documents_page_refuses_empty_text(text):
    at = documents_page(text)
    assert [e.value for e in at.error] == ["pasted text: is empty; give a text with some words"]
    assert not at.dataframe


def test_documents_page_does_not_touch_the_catalogue():
    before = build_layers()
    documents_page("Troops landed in Zhanaozen and Aktau.")
    after = build_layers()
    assert {k: len(v) for k, v in before.items()} == {k: len(v) for k, v in after.items()}


def test_atlas_mentions_layer_follows_the_source_filter():
    from geodata.mentions import places_mentioned, seed_mentions

    at = run_app({"sources": "pike-spectator"})
    script = map_args(at)["script"]
    expected = places_mentioned(seed_mentions(["pike-spectator"]))
    def drawn(text: str) -> int:
        return len(set(re.findall(r'"ref": "mentions:([^"]+)"', text)))

    assert drawn(script) == len(expected) > 0
    at_all = run_app()
    assert drawn(map_args(at_all)["script"]) == len(places_mentioned(seed_mentions()))


def test_clicking_a_mention_shows_its_sentences_as_evidence():
    at = run_app({"feature": "mentions:gn:1526384"})
    html = "".join(h.proto.body for h in at.get("html"))
    assert "Almaty" in html and html.count('class="ev"') >= 3
