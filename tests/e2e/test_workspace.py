"""The map as the analyst's workspace, in Chromium at 1440x900 and 390x844 (the issue's numbered points).

1 every event reachable (a click on Almaty lists all its events; badges never overlap);
2 honest geometry (the Nationwide list; no country-level point; dashed stand-in lines);
3 defaults (claim layers off, legend); 4 a big map, the panel beside it or cued below it;
5 zoom and hidden layers survive a date change and come back from the URL; 6 the day slider;
7 linked views (a list row, a timeline bar); 8 keyboard selection, accessible names, tooltips.
Screenshots go to tests/e2e/screenshots/ (first view, clicked place, Nationwide list, day slider).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from geodata.layers import build_layers
from geodata.places import nationwide, place_groups
from tests.e2e.conftest import MAP_FRAME

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
EVENTS = build_layers()["events"]
ALMATY = next(g for g in place_groups(EVENTS) if g.id == "gn:1526384")


def badges(frame) -> list[dict]:
    return frame.locator(".atlas-group").evaluate_all(
        "els => els.map(e => { const r = e.firstElementChild.getBoundingClientRect();"
        " return {ref: e.dataset.ref, count: +e.dataset.count, label: e.getAttribute('aria-label'),"
        " x: r.left, y: r.top, w: r.width, h: r.height}; })")


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
    drawn = badges(frame)
    assert sum(b["count"] for b in drawn) == len(EVENTS) - len(nationwide(EVENTS))
    assert not any("country:" in b["ref"] for b in drawn)
    assert overlapping(drawn) == []
    assert "Nationwide: 23 events" in page.locator(".st-key-nationwide").inner_text()
    app.screenshot(f"workspace_first_view_{size}")


@pytest.mark.parametrize("size", SIZES)
def test_a_click_on_almaty_lists_all_its_events(app, page, size):
    frame = open_at(app, page, size)
    badge = frame.locator('.atlas-group[data-ref*="gn:1526384"]')
    ref, count = badge.get_attribute("data-ref"), int(badge.get_attribute("data-count"))
    badge.click()
    page.wait_for_function("() => location.search.includes('feature=groups')")
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


def test_zoomed_in_almaty_is_one_badge_of_11_and_no_badge_hides_another(app, page):
    for zoom in (3, 5, 7, 9, 12):
        frame = open_at(app, page, "desktop", f"zoom={zoom}&lat=43.25&lon=76.93")
        drawn = badges(frame)
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
