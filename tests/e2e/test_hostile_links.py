"""Hostile links and file names in headless Chromium: a notice in plain text, never a traceback or Markdown.

Item 1: a shared link with a reversed date range, on every page, shows one notice naming the
fix and the pages' content, no traceback. Item 5: an uploaded file whose name is Markdown
(an image and a link) is shown as text: no ``<img>`` or ``<a>`` to example.invalid appears
and no request leaves localhost (the ``page`` fixture fails the test on any).
"""

from __future__ import annotations

import pytest

from conftest import APP_IDLE

pytestmark = pytest.mark.e2e

REVERSED = "dates=2022-01-12&dates=2022-01-05"
NOTICE = "The link's date range 12 → 5 January was reversed; showing 5–12 January"
HOSTILE_NAME = "![t](http://example.invalid/t.png) [click](http://example.invalid/x).txt"
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'


@pytest.mark.parametrize("path", ["", "claims", "figures", "timeline", "downloads", "documents"])
def test_reversed_date_range_gives_a_notice_on_every_page(app, path):
    app.open(REVERSED, path)
    body = app.page.locator('[data-testid="stMain"]').inner_text()
    assert NOTICE in body, body[:1500]
    page_text = app.page.locator('[data-testid="stApp"]').inner_text()
    assert "Traceback" not in page_text and 'File "/' not in page_text
    assert app.page.locator('[data-testid="stException"]').count() == 0


def test_hostile_file_name_is_shown_as_text(app):
    app.open(path="documents")
    requests: list[str] = []
    app.page.on("request", lambda r: requests.append(r.url))
    app.page.locator(UPLOADER).set_input_files(
        {"name": HOSTILE_NAME, "mimeType": "text/plain", "buffer": b"\xff\xfe\x00\x00 not text"})
    app.page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
    app.page.wait_for_selector(APP_IDLE, timeout=60_000)
    error = app.page.locator('[data-testid="stAlertContentError"]')
    assert "![t](http://example.invalid/t.png)" in error.inner_text()
    assert app.page.locator('img[src*="example.invalid"]').count() == 0
    anchors = app.page.locator('a[href*="example.invalid"]')
    assert anchors.count() == 0, [anchors.nth(i).evaluate("e => e.parentElement.parentElement.outerHTML") for i in range(anchors.count())]
    assert not [u for u in requests if "example.invalid" in u]
