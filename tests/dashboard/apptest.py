"""Helpers for the dashboard's AppTest tests: run the script, read the event list and the map back."""

from __future__ import annotations

import functools
import json
from html.parser import HTMLParser

import pandas as pd
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest, local_script_runner

from dashboard.panels import eventlist
from tests.conftest import ROOT

# Every new AppTest scans all installed distributions for Streamlit component manifests (it
# parses about 630 METADATA files: 0.6 s, profiled), and each test needs a fresh AppTest. The
# installed packages do not change during a test run, so the scan's result is kept; AppTest
# still registers the components it finds on each run. (The real server scans once at start.)
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def _wait_for_the_script(runner: local_script_runner.LocalScriptRunner, timeout: float = 3) -> None:
    """``require_widgets_deltas`` as AppTest has it, waiting on the script's thread instead of polling.

    AppTest's own checks every millisecond whether the script has stopped: each check takes the
    GIL from the script's thread, which then waits for it back (about 0.5 s of CPU over the
    dashboard tests, measured with and without). The script's thread ends right after it reports
    that it stopped, so joining it waits for the same moment.
    """
    thread = runner._script_thread
    if thread is not None:
        thread.join(timeout)
    if runner.script_stopped():
        return
    runner.request_stop()  # as AppTest does on a timeout: stop the script, then say so
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


local_script_runner.require_widgets_deltas = _wait_for_the_script

APP = str(ROOT / "dashboard" / "main.py")  # the script; app.py is the server around it
PAGES = ["views/atlas.py", "views/claims.py", "views/figures.py", "views/timeline.py", "views/downloads.py",
         "views/documents.py"]
AIRPORT = "events:almaty-airport-seized"
AIRPORT_QUOTE = "According to the news channel Khabar 24, Almaty’s airport, which was temporarily seized by intruders, will fully reopen this evening."
HOSTILE = "<script>alert(`pwned ${document.cookie}`)</script> & 'x' \"y\""


def run_app(query: dict | None = None, page: str | None = None) -> AppTest:
    """A fresh run of the dashboard with these URL parameters, on this page; fails on any exception.

    The page is the first run's, as when a visitor opens a link to it (every page's ``url_path`` is
    its file's name, which AppTest needs to find a page before a first run). A run may take 90 s
    before it counts as hung (a loaded machine, a cold cache).
    """
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query or {})
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


class _Rows(HTMLParser):
    """Rows of the event list table (dashboard/panels/eventlist.py): its ``data-ref`` and cell texts."""

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


def html_bodies(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.html)
