"""The map as the analyst's workspace, in Chromium at 1440x900 and 390x844 (the issue's numbered points).

1 every event reachable (a click on Almaty lists all its events; badges never overlap);
2 honest geometry (the Nationwide list; no country-level point; dashed stand-in lines);
3 defaults (claim layers off, legend); 4 a big map, the panel beside it or cued below it;
5 zoom and hidden layers survive a date change and come back from the URL, cost no rerun, and
"Copy link" copies them; 6 the day slider; 7 linked views (a list row, a timeline bar, a figure's
"Show on map"); 8 keyboard selection (Tab, Enter), accessible names, tooltips.
Screenshots go to tests/e2e/screenshots/ (first view, clicked place, Nationwide list, day slider).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from geodata.layers import build_layers
from geodata.places import nationwide, place_groups
from tests.e2e.conftest import MAP_FRAME, App, guarded_context, retried

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
EVENTS = build_layers()["events"]
ALMATY = next(g for g in place_groups(EVENTS) if g.id == "gn:1526384")


def badges(frame) -> list[dict]:
    return frame.locator(".atlas-group").evaluate_all(
        "els => els.map(e => { const r = e.firstElementChild.getBoundingClientRect();"
        " return {ref: e.dataset.ref, count: +e.dataset.count, label: e.getAttribute('aria-label'),"
        " x: r.left, y: r.top, w: r.width, h: r.height}; })")


def settled_badges(page, frame, tries: int = 25) -> list[dict]:
    """The badges once two reads 200 ms apart agree (the map may still be sizing or zooming when they first appear)."""
    last = badges(frame)
    for _ in range(tries):
        page.wait_for_timeout(200)
        now = badges(frame)
        if now == last:
            return now
        last = now
    raise AssertionError("the badges never settled")


def picks(page) -> list[str]:
    """Event ids listed as buttons in the side panel."""
    keys = page.locator('[class*="st-key-pick-"]').evaluate_all(
        "els => els.map(e => [...e.classList].find(c => c.startsWith('st-key-pick-')))")
    return [k.removeprefix("st-key-pick-") for k in keys]


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def open_at(app, page, size: str, q: str = ""):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size])))
    app.open(q)
    return drawn_frame(page)


def drawn_frame(page):
    """The map's iframe once its place badges are drawn (a zoomed-in view may show no vector shape)."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-group").first.wait_for(timeout=60_000)
    return frame


class Reruns:
    """Counts the script runs a page asks the server for (``rerun_script`` messages on its websocket).

    Listen before the page opens: ``Reruns(page)`` then ``app.open()``.
    """

    def __init__(self, page):
        self.count = 0
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _sent(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)) and BackMsg.FromString(bytes(payload)).WhichOneof("type") == "rerun_script":
            self.count += 1


def settle(app, page, ms: int = 1500) -> None:
    """Wait out anything a change could still set off (streamlit-folium reports 250 ms after a move)."""
    page.wait_for_timeout(ms)
    app.wait_idle()


def overlapping(items: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                out.append((a["ref"], b["ref"]))
    return out


@pytest.mark.parametrize("size", SIZES)
def test_first_view_big_map_claim_layers_off_legend_and_no_overlap(app, page, size):
    frame = open_at(app, page, size)
    assert page.title() == "Map · Qantar Atlas"
    box = page.locator(MAP_FRAME).bounding_box()
    panel = page.locator(".st-key-text_panel").bounding_box()
    if size == "desktop":
        assert box["width"] >= 800 and box["height"] >= 550
        assert panel["x"] >= box["x"] + box["width"] - 1  # the evidence panel beside the map
    else:
        assert box["y"] < 120  # the map comes first
        assert frame.locator(".leaflet-control-layers-toggle").is_visible()  # the layer control folds away
        assert not frame.locator(".leaflet-control-layers-list").is_visible()
    assert frame.locator(".atlas-legend summary").inner_text() == "Legend"
    for cls in ("atlas-check", "atlas-band", "atlas-city", "atlas-place"):
        assert frame.locator(f"path.{cls}").count() == 0, cls
    assert frame.locator("path.atlas-troop").count() == len(build_layers()["troops"])
    assert frame.locator("path.atlas-standin").count() >= 5  # dashed: a capital stands in for a country
    drawn = settled_badges(page, frame)
    assert sum(b["count"] for b in drawn) == len(EVENTS) - len(nationwide(EVENTS))
    assert not any("country:" in b["ref"] for b in drawn)
    assert overlapping(drawn) == []
    assert "Nationwide: 23 events" in page.locator(".st-key-nationwide").inner_text()
    app.screenshot(f"workspace_first_view_{size}")


@pytest.mark.parametrize("size", SIZES)
def test_a_click_with_the_maps_top_scrolled_out_of_view_is_kept_and_the_page_stays(app, page, size):
    # Leaflet focused the map on a press with a plain focus(), which scrolled the page to show the
    # whole iframe: press and release then landed in different places and the click was lost (every
    # time with the page scrolled 150 px; and in the e2e runs, whenever a click came as the iframe
    # grew to its height). dashboard/mapui.py focuses the map first without scrolling.
    frame = open_at(app, page, size)
    settled_badges(page, frame)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 150);"
                  "document.scrollingElement.scrollBy(0, 150)")
    page.wait_for_timeout(200)
    top = page.locator(MAP_FRAME).bounding_box()["y"]
    assert top < 0, f"the map's top is still in view ({top} px): scroll further"
    visible = [b for b in badges(frame) if 40 < top + b["y"] < SIZES[size][1] - 40 and 40 < b["x"] < SIZES[size][0] - 40]
    assert visible, "no badge in view to click"
    target = frame.locator(f'.atlas-group[data-ref="{visible[0]["ref"]}"]')
    target.click()
    page.wait_for_function("ref => decodeURIComponent(location.search).includes('feature=' + ref)",
                           arg=visible[0]["ref"], timeout=15_000)
    assert page.locator(MAP_FRAME).bounding_box()["y"] == top  # the page did not jump


@pytest.mark.parametrize("size", SIZES)
def test_a_click_on_almaty_lists_all_its_events(app, page, size):
    frame = open_at(app, page, size)
    badge = frame.locator('.atlas-group[data-ref*="gn:1526384"]')
    ref, count = badge.get_attribute("data-ref"), int(badge.get_attribute("data-count"))

    def click() -> None:
        badge.click()
        page.wait_for_function("() => location.search.includes('feature=groups')", timeout=15_000)

    # Seen once in CI with the unit tests loading the other core: the URL never got the click. The
    # check is whole on every attempt. Not reproduced since (26 Nov, load 9-14): 15 + 2 cold-server
    # clicks without the retry, and clicks made 0-300 ms into another run, all kept. Ruled out: a
    # second map instance (index.html's second request is the page's fetch, one iframe only) and a
    # click during the first run (the iframe is created after that run ends).
    retried(click, "Almaty's click in the URL")
    app.wait_idle()
    listed = picks(page)
    assert set(ALMATY.event_ids) <= set(listed) and len(listed) == count
    assert "Almaty" in page.locator("h4.group-title").inner_text()
    assert "Republic Square: site in the city" in page.locator("ul.group-places").inner_text()
    if size == "phone":
        assert page.locator(".evidence-cue").is_visible()
    app.screenshot(f"workspace_almaty_{size}")
    # Each listed event is selectable: its evidence replaces the list, with a way back.
    page.locator(".st-key-pick-almaty-airport-seized button").click()
    page.locator("mark.quote").first.wait_for()
    app.wait_idle()
    assert query(page)["feature"] == ["events:almaty-airport-seized"]
    assert ref.startswith("groups:")


def test_a_tap_on_the_phone_selects_and_opens_no_tooltip(browser, server):
    """A finger on a touch screen: the tap selects Almaty and no tooltip opens, not even for a moment
    (the mouse events a tap fakes used to open one, which then stayed over the map)."""
    context, blocked = guarded_context(browser, viewport=dict(zip(("width", "height"), SIZES["phone"])),
                                       has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        app = App(page, server, browser)
        app.open()
        frame = drawn_frame(page)
        settled_badges(page, frame)
        frame.locator("body").evaluate("() => { window.tipsOpened = 0; window.map.on('tooltipopen', () => window.tipsOpened++); }")
        app.screenshot("workspace_tap_before_phone")
        frame.locator('.atlas-group[data-ref*="gn:1526384"]').tap()
        page.wait_for_function("() => location.search.includes('feature=groups')", timeout=15_000)
        app.wait_idle()
        assert set(ALMATY.event_ids) <= set(picks(page))
        assert frame.locator(".leaflet-tooltip").count() == 0
        assert frame.locator("body").evaluate("() => window.tipsOpened") == 0
        app.screenshot("workspace_tap_after_phone")
    finally:
        context.close()
    assert blocked == [], f"the page tried to reach the internet: {blocked[:5]}"


def test_zoomed_in_almaty_is_one_badge_of_11_and_no_badge_hides_another(app, page):
    for zoom in (3, 5, 7, 9, 12):
        frame = open_at(app, page, "desktop", f"zoom={zoom}&lat=43.25&lon=76.93")
        drawn = settled_badges(page, frame)
        assert overlapping(drawn) == [], zoom
    almaty = [b for b in drawn if b["ref"] == "groups:gn:1526384"]
    assert almaty and almaty[0]["count"] == 11 and almaty[0]["label"] == "Almaty: 11 events"


@pytest.mark.parametrize("size", SIZES)
def test_the_nationwide_list_holds_every_country_level_event(app, page, size):
    open_at(app, page, size)
    page.get_by_role("button", name=re.compile(r"^Nationwide: \d+ events")).click()
    page.wait_for_function("() => location.search.includes('feature=groups%3Acountry%3AKZ')")
    app.wait_idle()
    assert sorted(picks(page)) == sorted(nationwide(EVENTS)["id"])
    assert "Nationwide (country level): 23 events" in page.locator("h4.group-title").inner_text()
    app.screenshot(f"workspace_nationwide_{size}")


def test_zoom_and_hidden_layers_survive_a_date_change_and_come_back_from_the_url(app, page):
    frame = open_at(app, page, "desktop")
    # Leaflet ignores a click in the same tick as the pointer entering the control (_expandSafely): hover first.
    frame.locator(".leaflet-control-layers").hover()
    page.wait_for_timeout(200)
    frame.locator(".leaflet-control-layers-overlays label", has_text="Troop movements").locator("input").uncheck()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => /zoom=5/.test(location.search) && /layers=borders%2Cevents|layers=borders,events/.test(location.search)")
    app.wait_idle()
    # A date change: the day slider steps with the arrow keys; the map redraws with the new day.
    page.locator('.st-key-day [tabindex="0"]').first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('day=2022-01-02')")
    app.wait_idle()
    frame = drawn_frame(page)
    page.wait_for_timeout(500)
    assert frame.locator("path.atlas-troop").count() == 0
    assert frame.locator("body").evaluate("() => window.map.getZoom()") == 5
    shared = page.url
    other = app.fresh_page()
    other.set_viewport_size({"width": 1440, "height": 900})
    other.goto(shared)
    app.wait_idle(other)
    again = drawn_frame(other)
    assert again.locator("body").evaluate("() => window.map.getZoom()") == 5
    assert again.locator("path.atlas-troop").count() == 0
    assert not again.locator(".leaflet-control-layers-overlays label", has_text="Troop movements").locator("input").is_checked()


@pytest.mark.parametrize("size", SIZES)
def test_the_day_slider_on_5_january_shows_that_days_events_including_multi_day_ones(app, page, size):
    frame = open_at(app, page, size, "day=2022-01-05")
    day = build_layers(date_from="2022-01-05", date_to="2022-01-05")["events"]
    spanning = day[day["date_start"] < day["date_end"]]
    assert len(spanning) > 0
    assert sum(b["count"] for b in badges(frame)) == len(day) - len(nationwide(day))
    assert f"{len(day)} events" in page.locator('[data-testid="stMarkdown"]', has_text="events (").first.inner_text()
    app.screenshot(f"workspace_day_slider_{size}")
    if size == "desktop":
        page.locator('.st-key-day [tabindex="0"]').first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('day=2022-01-06')")
        app.wait_idle()
        page.get_by_role("button", name="▶ Play").click()
        page.wait_for_function("() => location.search.includes('day=2022-01-07')", timeout=60_000)
        page.get_by_role("button", name="⏸ Pause").click()


def test_an_event_list_row_selects_the_event_on_the_map(app, page):
    open_at(app, page, "desktop")
    row = page.locator('table.event-list tr[data-ref="events:almaty-airport-seized"] a')
    row.click()
    page.wait_for_function("() => location.search.includes('feature=events%3Aalmaty-airport-seized')")
    app.wait_idle()
    page.locator("mark.quote").first.wait_for()
    frame = drawn_frame(page)
    frame.locator("path.atlas-highlight").wait_for(state="attached")
    assert page.locator("table.event-list tr.selected").get_attribute("data-ref") == "events:almaty-airport-seized"


def test_keyboard_reaches_and_selects_a_place_and_every_tab_stop_has_a_name(app, page):
    frame = open_at(app, page, "desktop")
    unnamed = frame.locator("body").evaluate(
        "() => [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex >= 0 && e !== document.querySelector('.leaflet-container'))"
        ".filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.title)).length")
    assert unnamed == 0
    stops = frame.locator("body").evaluate("() => [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex >= 0).length")
    assert stops <= 20  # badges and controls, not a tab stop per shape
    badge = frame.locator('.atlas-group[data-ref*="gn:1516905"]')  # Taraz
    badge.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('feature=groups%3Agn%3A1516905')")
    app.wait_idle()
    assert len(picks(page)) == 4


def test_tooltips_are_compact_inside_the_map_and_carry_no_internal_reference(app, page):
    frame = open_at(app, page, "desktop")
    badge = frame.locator('.atlas-group[data-ref*="gn:1526384"]')
    badge.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    text = tip.inner_text()
    assert not re.search(r"\[(events|groups|troops|borders):", text)
    box, view = tip.bounding_box(), frame.locator(".leaflet-container").bounding_box()
    assert box["width"] <= 240
    assert view["x"] <= box["x"] and box["x"] + box["width"] <= view["x"] + view["width"]
    badge.click()
    page.wait_for_timeout(300)
    assert frame.locator(".leaflet-tooltip").count() == 0  # closed on click


def test_panning_zooming_and_toggling_a_layer_rerun_nothing_and_the_view_stays_in_the_url(app, page):
    reruns = Reruns(page)
    frame = open_at(app, page, "desktop")
    settle(app, page)
    assert reruns.count == 1  # the page's own first run; the map reports no view of its own
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => /[?&]zoom=5(&|$)/.test(location.search)")
    box = frame.locator(".leaflet-container").bounding_box()
    x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.8
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y - 60, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-layers").hover()
    page.wait_for_timeout(200)
    frame.locator(".leaflet-control-layers-overlays label", has_text="Borders by neighbour").locator("input").uncheck()
    settle(app, page)
    assert reruns.count == 1
    centre = frame.locator("body").evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }")
    q = query(page)
    assert q["zoom"] == ["5"] and q["layers"] == ["troops,events"]
    assert abs(float(q["lat"][0]) - centre[0]) < 1e-3 and abs(float(q["lon"][0]) - centre[1]) < 1e-3
    # A selection reruns once, and Streamlit's own URL update keeps the view.
    page.get_by_role("button", name=re.compile(r"^Nationwide: \d+ events")).click()
    page.wait_for_function("() => location.search.includes('feature=groups%3Acountry%3AKZ')")
    settle(app, page)
    assert reruns.count == 2
    q = query(page)
    assert q["zoom"] == ["5"] and q["layers"] == ["troops,events"] and q["feature"] == ["groups:country:KZ"]


def test_copy_link_copies_the_view_as_it_is_now(app, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    frame = open_at(app, page, "desktop")
    for zoom in (5, 6):  # one step at a time: a click during the zoom animation can be lost
        frame.locator(".leaflet-control-zoom-in").click()
        page.wait_for_function("z => new URLSearchParams(location.search).get('zoom') === String(z)", arg=zoom)
    frame.get_by_role("button", name="Copy link").click()
    frame.get_by_role("status").filter(has_text="Link copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    shown = frame.locator("input.atlas-share-url").input_value()
    assert copied == shown == page.url
    assert parse_qs(urlparse(copied).query)["zoom"] == ["6"]
    other = app.fresh_page()
    other.set_viewport_size({"width": 1440, "height": 900})
    other.goto(copied)
    app.wait_idle(other)
    assert drawn_frame(other).locator("body").evaluate("() => window.map.getZoom()") == 6


def _tab_to(page, selector: str, frame=None, limit: int = 80) -> None:
    """Press Tab until the focused element (in the map's iframe when ``frame``) matches ``selector``."""
    where = frame.locator("body") if frame else page.locator("body")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if where.evaluate("(b, sel) => !!document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_tab_to_a_place_enter_lists_its_events_and_a_pick_shows_its_evidence(app, page):
    frame = open_at(app, page, "desktop")
    frame.locator(".leaflet-container").focus()
    _tab_to(page, ".atlas-group", frame)
    ref = frame.locator("body").evaluate("() => document.activeElement.dataset.ref")
    count = int(frame.locator("body").evaluate("() => document.activeElement.dataset.count"))
    assert frame.locator("body").evaluate("() => document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    page.wait_for_function("ref => new URLSearchParams(location.search).get('feature') === ref", arg=ref)
    app.wait_idle()
    assert len(picks(page)) == count
    _tab_to(page, '[class*="st-key-pick-"] button')
    page.keyboard.press("Enter")
    page.locator("mark.quote").first.wait_for()
    app.wait_idle()
    assert query(page)["feature"][0].startswith("events:")


def test_a_timeline_bar_selects_its_event_on_the_map_with_its_evidence(app, page):
    app.open(path="timeline")
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(1)
    chart.scroll_into_view_if_needed()
    bar = chart.locator('path[aria-roledescription="bar"][aria-label*="place: Almaty"]').first  # drawn at a place
    bar.wait_for(state="attached")
    label = bar.get_attribute("aria-label")
    bar.evaluate("e => e.scrollIntoView({block: 'center'})")  # not under the page's sticky header
    bar.click()
    page.wait_for_function("() => /[?&]feature=events/.test(location.search)")
    app.wait_idle()
    ref = query(page)["feature"][0]
    event = EVENTS.set_index("id").loc[ref.removeprefix("events:")]
    assert event["place_name"] in label
    page.locator("mark.quote").first.wait_for()
    quotes = {e["quote"] for e in event["evidence"]}
    assert set(page.locator("mark.quote").all_inner_texts()) <= quotes
    drawn_frame(page).locator("path.atlas-highlight").wait_for(state="attached")


def test_show_on_map_selects_a_figure_on_the_map_with_its_evidence(app, page):
    app.open(path="figures")
    grid = page.locator('.st-key-figure_list [data-testid="stDataFrame"]')
    grid.wait_for()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection box (header and rows 35 px)
    button = page.get_by_role("button", name="Show on map")
    button.wait_for()
    button.click()
    page.wait_for_function("() => /[?&]feature=figures/.test(location.search) && !location.pathname.endsWith('figures')")
    app.wait_idle()
    page.locator("mark.quote").first.wait_for()
    assert page.title() == "Map · Qantar Atlas"
    drawn_frame(page).locator("path.atlas-highlight").wait_for(state="attached")
