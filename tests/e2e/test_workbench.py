"""The Sources page in headless Chromium, on a server with its own SQLite store (QANTAR_DB).

Add a document, accept a suggestion, find the event on the map with its quote highlighted,
filter by the new source, download it; and two browsers adding sources at once both keep theirs.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geodata.store import list_events, list_sources, open_store
from tests.e2e.conftest import App, download, retried
from tests.e2e.server import running_server

pytestmark = pytest.mark.e2e

TEXT = ("Rioters set fire to the akimat in Shymkent on Wednesday. <img src=x onerror=alert(1)>\n"
        "Yesterday police detained 40 people in Taraz.\n")
QUOTE = "Rioters set fire to the akimat in Shymkent on Wednesday."
TITLE = "Night <i>notes</i> from Shymkent"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return tmp_path_factory.mktemp("workbench") / "store.sqlite3"


@pytest.fixture(scope="module")
def workbench_server(store_path):
    with running_server(env={"QANTAR_DB": str(store_path)}) as (_, url):
        yield url


@pytest.fixture
def wb(page, browser, workbench_server):
    driver = App(page, workbench_server, browser)
    yield driver
    driver.close()


def add_source(app: App, page, title: str, text: str, *, submit: bool = True) -> None:
    """Fill the Add a source form (open when the store is empty; opened otherwise)."""
    form = page.locator('[data-testid="stForm"]')
    if not form.is_visible():
        page.get_by_text("Add a source", exact=True).click()
    page.get_by_role("textbox", name="Title", exact=True).fill(title)
    page.get_by_role("textbox", name="Outlet", exact=True).fill("Field notes")
    page.get_by_role("textbox", name="Date (YYYY-MM-DD)").fill("2022-01-07")
    page.get_by_role("textbox", name="…or paste the text (used when no file is given)").fill(text)
    if submit:
        page.get_by_role("button", name="Add source").click()
        app.wait_idle(page)


def test_add_accept_see_on_map_filter_and_download(wb, page, store_path):
    page.set_viewport_size({"width": 1440, "height": 900})
    wb.open(path="sources")
    add_source(wb, page, TITLE, TEXT)
    page.get_by_text("Added 'Night <i>notes</i> from Shymkent'").wait_for()
    (src,) = list_sources(open_store(str(store_path)))
    text_panel = page.locator(".source-text")
    assert text_panel.locator("mark.sugg").count() == 2 and page.locator("img[src=x]").count() == 0
    assert "<img src=x onerror=alert(1)>" in text_panel.inner_text()
    wb.screenshot("sources_page")
    page.get_by_role("button", name="Accept", exact=True).first.click()
    wb.wait_idle()
    page.get_by_text("it is on the map now").wait_for()
    (ev,) = list_events(open_store(str(store_path)))
    assert page.locator(".source-text mark.coded").count() == 1
    wb.screenshot("sources_page_accepted")

    # On the map: the place badge holding it is outlined (dotted); a click lists its events beside the map,
    # picking the user's event shows its quote highlighted.
    wb.open()
    frame = wb.map_frame()
    badge = frame.locator(".atlas-group.atlas-user")
    badge.wait_for()
    assert badge.count() == 1 and badge.locator(".atlas-pin.user").count() == 1
    badge.click()
    wb.wait_idle()
    page.locator(f'.st-key-pick-{ev.id} button').click()
    page.locator("mark.quote").first.wait_for(timeout=30_000)
    wb.wait_idle()
    assert page.locator("mark.quote").all_inner_texts() == [QUOTE]
    assert page.get_by_text("Added by a user: Night <i>notes</i> from Shymkent").count() == 1
    wb.screenshot("map_user_event")

    # Filter by the new source in the sidebar (by title, "yours"): the map and the list hold its one event.
    # Picked with the keyboard: a mouse click on the option was lost 4 times in 28 under load (the
    # dropdown redraws the option under the pointer between mousedown and mouseup, so no click reaches
    # it and nothing is picked; Streamlit's front end, not the atlas); typed, it was kept 14 of 14.
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.keyboard.type(TITLE)
    page.get_by_role("option").filter(has_text=TITLE).filter(has_text="yours").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => location.search.includes('sources={src.id}')", timeout=15_000)
    wb.wait_idle()
    page.wait_for_function("() => /\\b1 event\\b/.test(document.body.innerText)")
    frame = wb.map_frame()
    frame.locator(".atlas-group").first.wait_for()
    assert frame.locator(".atlas-group").evaluate_all("els => els.map(e => +e.dataset.count)") == [1]
    refs = page.locator("table.event-list tbody tr").evaluate_all("rows => rows.map(r => r.dataset.ref)")
    assert refs == [f"events:{ev.id}"]

    # Download the filtered view: the event, with its evidence, and the source in sources.csv.
    wb.open(f"sources={src.id}", path="downloads")
    filename, body = download(page, "All layers (zip)")
    zf = zipfile.ZipFile(io.BytesIO(body))
    events_name = next(n for n in zf.namelist() if n.startswith("events") and n.endswith(".geojson"))
    feats = json.loads(zf.read(events_name))["features"]
    assert [f["id"] for f in feats] == [ev.id] and feats[0]["properties"]["origin"] == "user"
    assert feats[0]["properties"]["evidence"][0]["quote"] == QUOTE
    assert src.id in zf.read("sources.csv").decode() and src.id in filename


def test_two_browsers_adding_at_once_both_keep_their_sources(wb, page, store_path):
    other = wb.fresh_page()
    pages = {page: "Alpha report", other: "Beta report"}
    for pg, title in pages.items():
        wb.open(path="sources", page=pg)
        add_source(wb, pg, title, f"{title}: protesters gathered in Aktobe on Tuesday.\n", submit=False)
    for pg in pages:  # both submit before either has finished
        pg.get_by_role("button", name="Add source").click()
    for pg, title in pages.items():
        _wait_added(wb, pg, title, store_path)
    titles = {s.title for s in list_sources(open_store(str(store_path)))}
    assert {"Alpha report", "Beta report"} <= titles
    # Each browser, on its next run, lists the other's source too (on a fresh run of the page: the
    # option list opens asynchronously, on a loaded machine sometimes before the rerun that brings
    # the other session's write).
    for pg in pages:
        retried(lambda: _lists_sources(wb, pg, list(pages.values())), "a browser's source list with the other's source")


def _wait_added(wb, pg, title: str, store_path) -> None:
    """Wait for this browser's "Added" notice. Click "Add source" again only when the first click
    was lost: nothing stored under that title and nothing said on the page (once in CI, under the
    unit tests' load, a browser showed no notice; Streamlit's front end can drop a click when it
    redraws the element between mousedown and mouseup, as in the sidebar filter's case). A slow
    add, a refusal or a missing notice still fails, saying what the store and the page hold."""
    notice = pg.get_by_text(f"Added '{title}'")
    for attempt in range(2):
        wb.wait_idle(pg)
        try:
            notice.wait_for(timeout=60_000)
            return
        except PlaywrightTimeoutError:
            stored = sorted(s.title for s in list_sources(open_store(str(store_path))))
            alerts = pg.locator('[data-testid="stAlert"]').all_inner_texts()
            if attempt or title in stored or alerts:
                raise AssertionError(f"no notice for {title!r}: the store holds {stored}, the page says {alerts}") from None
        pg.get_by_role("button", name="Add source").click()


def _lists_sources(wb, pg, titles: list[str]) -> None:
    """Open the Sources page and wait until its picker offers every title."""
    wb.open(path="sources", page=pg)
    pg.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    try:
        for title in titles:
            pg.get_by_role("option", name=re.compile(title)).wait_for(timeout=15_000)
    finally:
        pg.keyboard.press("Escape")
