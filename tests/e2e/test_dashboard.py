"""The real page in headless Chromium: offline map, click-to-evidence, filters, shared URLs, downloads."""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest

from geodata.layers import LAYER_NAMES, build_layers
from tests.e2e.conftest import download

pytestmark = pytest.mark.e2e

from geodata.places import nationwide

ALL_EVENTS = len(build_layers()["events"])
ALL_LAYERS = "layers=demonyms,mentions,claim,borders,troops,places,checks,events"


def drawn_events(app, page=None) -> int:
    """Events drawn on the map: the sum of the place badges' counts (country-level ones are listed, not drawn)."""
    frame = app.map_frame(page)
    frame.locator(".atlas-group").first.wait_for()
    return sum(frame.locator(".atlas-group").evaluate_all("els => els.map(e => +e.dataset.count)"))


def at_places(events) -> int:
    return len(events) - len(nationwide(events))
LATE = {"dates": ["2022-01-10", "2022-01-12"]}


def listed(page) -> list[str]:
    """The ``events:<id>`` references of the rows in the event list under the map."""
    return page.locator("table.event-list tbody tr").evaluate_all("rows => rows.map(r => r.dataset.ref)")


def summary_count(page) -> int:
    """The event count the page states above the map."""
    text = page.get_by_text(re.compile(r"^\d+ events")).first.inner_text()
    return int(text.split()[0])


def test_map_draws_every_layer_offline(app, page):
    app.open(ALL_LAYERS)  # the claim layers start hidden; the URL shows them all
    frame = app.map_frame()
    layers = build_layers()
    assert drawn_events(app) == at_places(layers["events"])
    assert app.drawn("atlas-troop") == len(layers["troops"])
    assert app.drawn("atlas-place") == len(layers["places"])
    assert app.drawn("atlas-border") == len(layers["borders"])
    assert app.drawn("atlas-check") >= len(layers["claims"])
    assert app.drawn("atlas-city") > 0
    assert frame.locator("path.atlas-band").count() > 0
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [label.strip() for label in labels] == ["Mentions: demonyms", "Mentions", "Claim: within 100 km of all land borders", "Borders by neighbour",
                                                    "Troop movements", "Places", "Claim checks", "Events"]
    app.screenshot("map_all_layers")
    # The layer control toggles a layer off in the browser (hover first: Leaflet ignores a click as the pointer enters).
    frame.locator(".leaflet-control-layers").hover()
    page.wait_for_timeout(200)
    frame.locator(".leaflet-control-layers-overlays label", has_text="Events").locator("input").uncheck()
    assert frame.locator(".atlas-group").count() == 0


def test_clicking_an_event_shows_its_quote_in_the_text_panel(app, page):
    # One source and one type, so the clicked marker is one of a few known events.
    query = "sources=eurasia-notes-13&types=seizure"
    app.open(query)
    expected = build_layers(sources=["eurasia-notes-13"], types=["seizure"])["events"]
    quotes = {e["quote"] for ev in expected["evidence"] for e in ev}
    assert drawn_events(app) == at_places(expected)
    # A place's badge lists its events beside the map; picking one shows its quotes.
    app.map_frame().locator(".atlas-group").last.click()
    page.locator('[class*="st-key-pick-"] button').first.click()
    page.locator("mark.quote").first.wait_for(timeout=30_000)
    app.wait_idle()
    marks = page.locator("mark.quote").all_inner_texts()
    assert marks and set(marks) <= quotes
    assert "feature=events" in page.url
    app.screenshot("map_clicked_event")


def test_picking_an_event_in_the_text_panel_shows_its_quote_and_marks_it_in_the_list(app, page):
    app.open()
    airport = "events:almaty-airport-seized"
    quotes = {e["quote"] for e in build_layers()["events"].set_index("id").loc["almaty-airport-seized", "evidence"]}
    picker = page.locator('.st-key-text_panel [data-testid="stSelectbox"]')
    # Picked once, right after the first run: the map reports no view, so no rerun of its own can cut
    # this pick's rerun short (it used to, and the test retried).
    picker.click()
    page.keyboard.type("airport")  # the option list is virtualised and searchable
    page.get_by_role("option").filter(has_text="Almaty").first.click()
    page.locator("mark.quote").first.wait_for(timeout=15_000)
    app.wait_idle()
    assert set(page.locator("mark.quote").all_inner_texts()) <= quotes
    page.wait_for_function("ref => location.search.includes('feature=' + encodeURIComponent(ref))"
                           " || location.search.includes('feature=' + ref)", arg=airport, timeout=15_000)
    assert page.locator("table.event-list tr.selected").evaluate_all("rows => rows.map(r => r.dataset.ref)") == [airport]
    app.screenshot("map_picked_event")


def test_date_filter_from_the_url_changes_map_and_list(app, page):
    app.open("dates=2022-01-10&dates=2022-01-12")
    late = build_layers(date_from="2022-01-10", date_to="2022-01-12")["events"]
    assert 0 < len(late) < ALL_EVENTS
    assert drawn_events(app) == at_places(late)
    assert summary_count(page) == len(late)
    assert sorted(listed(page)) == sorted("events:" + late["id"])


def test_source_filter_in_the_sidebar_changes_map_list_and_url_and_the_url_restores_it(app, page):
    app.open()
    assert drawn_events(app) == at_places(build_layers()["events"])
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name=re.compile("^Untitled analysis of the crisis")).click()  # articles by title
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('sources=hahn-corr')")
    app.wait_idle()
    hahn = build_layers(sources=["hahn-corr"])["events"]
    assert 0 < len(hahn) < ALL_EVENTS
    page.wait_for_function(f"() => document.body.innerText.includes('{len(hahn)} events')")
    assert drawn_events(app) == at_places(hahn)
    assert sorted(listed(page)) == sorted("events:" + hahn["id"])
    assert parse_qs(urlparse(page.url).query)["sources"] == ["hahn-corr"]
    app.screenshot("map_filtered_hahn")
    # The shared URL, opened in a fresh browser context, restores the same view.
    shared = page.url
    other = app.fresh_page()
    other.goto(shared)
    app.wait_idle(other)
    assert drawn_events(app, page=other) == at_places(hahn)
    assert "Untitled analysis" in other.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()


def test_each_download_is_valid_geojson_matching_the_filter(app, page):
    app.open("sources=pike-spectator&dates=2022-01-05&dates=2022-01-11", path="downloads")
    expected = build_layers(date_from="2022-01-05", date_to="2022-01-11", sources=["pike-spectator"])
    suffix = "2022-01-05_2022-01-11_src-pike-spectator"
    for name in LAYER_NAMES:
        filename, body = download(page, f"{name}.geojson")
        assert filename == f"{name}_{suffix}.geojson"
        fc = json.loads(body)
        assert fc["type"] == "FeatureCollection" and "crs" not in fc
        assert sorted(str(f["id"]) for f in fc["features"]) == sorted(expected[name]["id"])
        for f in fc["features"]:
            assert f["geometry"]["type"] in {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
            flat = json.dumps(f["geometry"]["coordinates"])
            numbers = [float(x) for x in re.findall(r"-?\d+\.?\d*", flat)]
            assert all(-180 <= x <= 180 for x in numbers)
    filename, body = download(page, "All layers (zip)")
    assert filename == f"qantar-atlas_{suffix}.zip"
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        assert sorted(zf.namelist()) == sorted([*(f"{n}_{suffix}.{ext}" for n in LAYER_NAMES for ext in ("geojson", "csv")),
                                                "README.txt", "sources.csv"])
    app.screenshot("downloads")


@pytest.mark.parametrize("path", ["claims", "figures", "timeline"])
def test_other_pages_render_without_errors(app, page, path):
    app.open("km=200", path=path)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(500)  # let charts finish drawing before the screenshot
    app.screenshot(f"page_{path}")


def _get(url: str, encoding: str | None) -> tuple[dict, bytes]:
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_streamlit_front_end_is_sent_gzip_compressed_only_to_clients_that_ask(server):
    import gzip

    from dashboard.serving.compression import streamlit_static_dir

    _, page = _get(server + "/", None)
    scripts = re.findall(rb'src="\.?/?(static/js/[^"]+\.js)"', page)
    assert scripts, "no script in Streamlit's index.html"
    name = scripts[0].decode()
    original = (streamlit_static_dir() / name.removeprefix("static/")).read_bytes()
    headers, body = _get(f"{server}/{name}", "gzip, deflate")
    assert headers.get("content-encoding") == "gzip" and "accept-encoding" in headers.get("vary", "").lower()
    assert gzip.decompress(body) == original and len(body) < len(original) / 2
    assert "immutable" in headers.get("cache-control", "")
    assert "access-control-allow-origin" not in headers, "same-origin only, as .streamlit/config.toml says"
    headers, body = _get(f"{server}/{name}", None)
    assert "content-encoding" not in headers and body == original
    # Everything else is still Streamlit's: the health check, and its page for an unknown path.
    assert _get(server + "/_stcore/health", "gzip")[1] == b"ok"
    headers, body = _get(server + "/static/js/no-such-bundle.js", "gzip")
    assert headers["content-type"].startswith("text/html") and body == page


def test_a_first_visit_asks_for_every_script_of_the_map_page_before_its_websocket_opens(app):
    # Streamlit fetches a widget's script when the first widget of its kind arrives on the
    # websocket; the map page's are preloaded from its index.html (dashboard/serving/preload.py),
    # so a new reader's browser asks for them all at once, and for none of them twice.
    page = app.fresh_page()
    events: list[tuple[str, str]] = []
    page.on("websocket", lambda ws: events.append(("websocket", ws.url)))
    page.on("request", lambda r: events.append(("request", urlparse(r.url).path)))
    app.open(page=page)
    app.map_frame(page)
    opened = next(i for i, (kind, _) in enumerate(events) if kind == "websocket")
    scripts = [path for kind, path in events if kind == "request" and path.startswith("/static/js/")]
    late = [path for kind, path in events[opened:] if kind == "request" and path.startswith("/static/js/")]
    assert late == [], f"scripts still fetched after the websocket opened: {late[:5]}"
    assert len(scripts) == len(set(scripts)) > 60
