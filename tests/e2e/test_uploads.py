"""Uploads in headless Chromium: hostile text stays text, and five sessions at once stay apart.

Runs its own server (``running_server``) so the concurrency test can read that process's memory.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from geodata.layers import build_layers
from geodata.mentions import document_mentions, places_mentioned

from conftest import APP_IDLE, MAP_FRAME, guarded_context
from tests.e2e.server import running_server

pytestmark = pytest.mark.e2e

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Riots in Almaty and Taraz'
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'
# Five sessions: a document naming its own cities, and a filter of its own (URL query).
SESSIONS = [
    ("Almaty and Taraz", ""),
    ("Aktau and Atyrau", "dates=2022-01-05&dates=2022-01-05"),
    ("Aktobe and Taldykorgan", "dates=2022-01-10&dates=2022-01-12"),
    ("Zhanaozen and Shymkent", "sources=hahn-corr"),
    ("Moscow and Minsk", "sources=eurasia-notes-13"),
]
RSS_BOUND_MB = 1500  # measured 414 MB before, 480 MB after five sessions (printed with -s); 3x margin


@pytest.fixture(scope="module")
def own_server():
    with running_server() as (proc, url):
        yield url, proc.pid


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (psutil is not installed)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


def wait_idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_timeout(150)
    page.wait_for_selector(APP_IDLE, timeout=60_000)


def upload(page, name: str, text: str) -> None:
    page.locator(UPLOADER).set_input_files({"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")})


def places_line(page) -> str:
    page.get_by_text(re.compile(r"^Places named: ")).first.wait_for(timeout=60_000)
    return page.get_by_text(re.compile(r"^Places named: ")).first.inner_text()


def map_frame(page):
    return page.wait_for_selector(MAP_FRAME).content_frame()


def test_hostile_upload_stays_text_in_page_and_map(browser, own_server):
    base, _pid = own_server
    context, blocked = guarded_context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/documents")
        wait_idle(page)
        upload(page, "<b>hostile</b>.txt", XSS)
        assert places_line(page) == "Places named: Almaty, Taraz"
        wait_idle(page)
        frame = map_frame(page)
        frame.wait_for_selector("path.atlas-upload")
        markers = frame.locator("path.atlas-upload")
        assert markers.count() == 2
        # Open every tooltip: Leaflet sets its innerHTML, where an unescaped sentence would run.
        for i in range(markers.count()):
            markers.nth(i).hover(force=True)
            tip = frame.locator(".leaflet-tooltip").last
            tip.wait_for()
            assert "<script>window.__xss=1</script>" in tip.inner_text()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert frame.evaluate("typeof window.__xss") == "undefined"
        assert frame.locator(".leaflet-tooltip img, .leaflet-tooltip script").count() == 0
        Path(__file__).resolve().parent.joinpath("screenshots").mkdir(exist_ok=True)
        page.screenshot(path=str(Path(__file__).resolve().parent / "screenshots" / "documents_hostile.png"), full_page=True)
    finally:
        context.close()
    assert blocked == []


def test_five_sessions_at_once_each_see_only_their_own_document_and_filter(browser, own_server):
    base, pid = own_server
    expected_counts = []
    for _cities, query in SESSIONS:
        args = {}
        for key, value in re.findall(r"(\w+)=([^&]+)", query):
            args.setdefault(key, []).append(value)
        dates = args.get("dates")
        expected_counts.append(len(build_layers(date_from=dates and dates[0], date_to=dates and dates[-1],
                                                sources=args.get("sources"))["events"]))
    assert len(set(expected_counts)) == len(SESSIONS), "filters must give distinct counts for the test to bite"
    expected_names = [", ".join(sorted(places_mentioned(document_mentions(f"Riots in {c}.", "x"))["name"]))
                      for c, _q in SESSIONS]

    rss_before = rss_mb(pid)
    started = time.monotonic()
    sessions = []
    try:
        for _c, query in SESSIONS:
            context, blocked = guarded_context(browser)
            page = context.new_page()
            page.set_default_timeout(60_000)
            sessions.append((context, blocked, page))
        # Interleave every step so the five scripts run on the server at the same time.
        for (_ctx, _b, page), (_c, query) in zip(sessions, SESSIONS):
            page.goto(f"{base}/documents{'?' + query if query else ''}", wait_until="commit")
        for _ctx, _b, page in sessions:
            wait_idle(page)
        for i, ((_ctx, _b, page), (cities, _q)) in enumerate(zip(sessions, SESSIONS)):
            upload(page, f"doc{i}.txt", f"Riots in {cities}.")
        for (_ctx, _b, page), names in zip(sessions, expected_names):
            assert places_line(page) == f"Places named: {names}"
        for (_ctx, _b, page), names in zip(sessions, expected_names):
            wait_idle(page)
            assert places_line(page) == f"Places named: {names}"  # still its own after every session ran
            assert map_frame(page).locator("path.atlas-upload").count() == 2
        # Same sessions, Map page: each keeps its own filter.
        for _ctx, _b, page in sessions:
            page.locator('[data-testid="stSidebarNav"] a', has_text="Map").click()
        for (_ctx, _b, page), count in zip(sessions, expected_counts):
            page.wait_for_function(f"() => document.body.innerText.includes('{count} event')", timeout=60_000)
            wait_idle(page)
            text = page.get_by_text(re.compile(r"^\d+ events?")).first.inner_text()
            assert int(text.split()[0]) == count
        elapsed = time.monotonic() - started
        rss_after = rss_mb(pid)
        print(f"\nserver RSS before: {rss_before:.0f} MB, after 5 sessions: {rss_after:.0f} MB; 5 sessions took {elapsed:.1f} s")
        assert rss_after < RSS_BOUND_MB
    finally:
        for context, _blocked, _page in sessions:
            context.close()
    assert all(blocked == [] for _c, blocked, _p in sessions)
