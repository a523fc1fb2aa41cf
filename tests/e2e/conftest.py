"""Fixtures that drive the real dashboard in headless Debian Chromium.

One Streamlit server per test session (``python3 -m streamlit run dashboard/app.py``), one
browser; each test gets a fresh context whose every non-localhost request is blocked and
recorded, and fails if any was attempted (the atlas must work offline).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.server import running_server

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing; install it with `bash scripts/setup.sh --browser`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def server():
    """Base URL of a running dashboard."""
    _require_chromium()
    with running_server() as (_, url):
        yield url


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


def guarded_context(browser, **options):
    """A fresh browser context that blocks, and records, every request not to localhost.

    ``options`` go to ``browser.new_context`` (e.g. a phone's ``viewport``, ``has_touch``, ``is_mobile``).
    """
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, "accept_downloads": True, **options})
    blocked: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, blocked


@pytest.fixture
def page(browser, server):
    """A page in a fresh context; fails the test if it tried to reach anything but localhost."""
    context, blocked = guarded_context(browser)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()
    assert blocked == [], f"the page tried to reach the internet: {blocked[:5]}"


class App:
    """Drives one page of the dashboard: open a view, wait for reruns, find the map, take screenshots."""

    def __init__(self, page, base_url: str, browser):
        self.page = page
        self.base_url = base_url
        self.browser = browser
        self.others: list[tuple[object, list[str]]] = []

    def fresh_page(self):
        """A page in another guarded context, as if someone else opened a shared link."""
        context, blocked = guarded_context(self.browser)
        self.others.append((context, blocked))
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        return pg

    def open(self, query: str = "", path: str = "", page=None) -> None:
        """Load the app (optionally a page path and a query string) and wait until the script is idle."""
        pg = page or self.page
        pg.goto(f"{self.base_url}/{path}{'?' + query if query else ''}")
        self.wait_idle(pg)

    def wait_idle(self, page=None) -> None:
        """Wait until the script has run and stopped."""
        pg = page or self.page
        pg.wait_for_selector('[data-testid="stApp"]')
        pg.wait_for_timeout(150)
        pg.wait_for_selector(APP_IDLE, timeout=60_000)

    def map_frame(self, page=None):
        """The map's iframe, once Leaflet has drawn vector shapes in it."""
        frame = (page or self.page).frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
        return frame

    def drawn(self, cls: str, page=None) -> int:
        """How many vector shapes of one layer (CSS class ``atlas-<layer>``) the map holds."""
        return self.map_frame(page).locator(f"path.{cls}").count()

    def screenshot(self, name: str, page=None) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        """Close the pages ``fresh_page`` opened; fails if any of them tried to reach the internet."""
        for context, blocked in self.others:
            context.close()
            assert blocked == [], f"a second page tried to reach the internet: {blocked[:5]}"


@pytest.fixture
def app(page, server, browser):
    driver = App(page, server, browser)
    yield driver
    driver.close()


def retried(attempt: Callable[[], T], what: str, tries: int = 3) -> T:
    """``attempt()``, again (up to ``tries`` times in all) while it ends in a Playwright timeout.

    For a step whose effect a loaded machine can lose to a concurrent rerun of the page (a pick
    made while the map's first view report reruns it; an option list opened before the rerun that
    brings another session's write). The check itself is not weakened: each attempt must see the
    whole effect, and after the last one the test fails saying ``what`` was not seen.
    """
    for _ in range(tries):
        try:
            return attempt()
        except PlaywrightTimeout as exc:
            last = exc
    raise AssertionError(f"{what}: not seen in {tries} tries ({str(last).splitlines()[0]})") from last


def download(page, button: str) -> tuple[str, bytes]:
    """Click a download button: the file's suggested name and its bytes."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()
