"""The dashboard in headless Chromium against a real ``streamlit run dashboard/app.py``.

Measured offline: Chromium resolves no host name but localhost (``--host-resolver-rules``),
and every request the page makes is recorded; one to anywhere else fails the benchmark.
No request is intercepted: Playwright's ``route()`` would disable the browser's HTTP cache
and add a round trip to Python per request, which is not what a reader's browser does.

* cold start: server process start to the map drawn on the first page (one server per run);
* navigation, warm server: opening the page until the map's event badges are drawn (one
  ``.atlas-group`` per place group in the map iframe, their ``data-count`` summing to the
  events drawn at a place; country-level events are listed, not drawn), for a returning reader
  (browser cache warm) and for a new one (fresh browser context, empty cache; its window is
  opened and left to settle first, as a reader's browser is open before they type the address;
  ``navigation_fresh_window`` keeps the former measure, the clock running from the context's
  creation);
* keep-alive: a small response asked for again on one connection (Nagle's algorithm, see
  ``dashboard/serving/nodelay.py``);
* filter change: picking an event type in the sidebar (and clearing it again) until the map's
  badges hold exactly the filtered events;
* page payload: bytes the server sends for a first visit until the map is drawn, counted on
  the sockets by a relay (``bench/wire.py``): HTTP headers and bodies as sent (gzip where the
  server compresses) and websocket frames as sent; beside it the same visit decoded (what
  the browser holds), to show what compression saves;
* server memory: resident set size of the server after N sessions opened the map.

No baseline: there is no other implementation of the page to compare with.

Measured by hand on this machine to find where a first visit's time goes (fresh contexts,
servers alternated, medians of 8 to 12 visits): 2.64 s served by ``dashboard/app.py``
(compressed front end) against 2.71 s by ``dashboard/main.py`` (Streamlit's files
uncompressed), so compression costs no time on localhost; leaving out the mentions layers or
the basemap changed it by at most 0.2 s, within the noise; the event list as an
``st.dataframe`` cost the most: 2.54 s with it against 1.98 s without it in a quiet run, and
2.71 s against 2.11 s with the list as a select box and an HTML table in a busier one, which
is what the page now uses (``dashboard/eventlist.py``). The rest is Streamlit's front end
starting up: about 130 script chunks fetched and run as each kind of element first appears.

Found later with a request waterfall, py-spy on the server and a Chromium trace (issue 12):
about 40 of those chunks were fetched only after the websocket opened, in waves, until the
map page preloaded them (``dashboard/serving/preload.py``); the server's event loop spent
most of its busy time in Streamlit's source-file watcher (a walk of ``sys.modules`` after
every script run; now off in ``.streamlit/config.toml``) and in ServeStatic's thread per
file (the mirror is now sent from memory); a quarter of a new session's script run was
``st.cache_data`` unpickling layers (now a shared resource). What is left is mostly the
browser's main thread: React rendering Streamlit's elements (about 0.6 to 1 s of script
time in a trace at load 4 to 6, against about 0.2 s for a page holding only a map) and the
map's own scripts. A page with only a one-marker map, served by the same Streamlit and
folium, took 2.06 s against the atlas's 2.92 s, alternated, at load 4 to 6.

Then a request waterfall showed every small file after a connection's first taking about
42 ms, on localhost: Streamlit binds its listening socket without ``TCP_NODELAY`` reaching the
connections (``dashboard/serving/nodelay.py``), so each waited for the browser's delayed ACK.
With it fixed, alternated fresh visits against the previous commit: 1.84 -> 1.45 s (medians of
8, a settled window), 2.11 -> 1.95 s with the clock started at the context's creation. A Chromium
trace of that second kind showed why the window matters: the new window's address-bar popup
(a WebUI page of Chromium's own, in its own renderer) took about 0.8 s of CPU during the visit.
"""

from __future__ import annotations

import http.client
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from tests.e2e.server import start_server, stop_server  # noqa: E402

try:  # run as bench/run.py (bench/ on sys.path) or as the package bench.*
    from harness import Result, Timing
    from wire import CountingRelay
except ImportError:
    from bench.harness import Result, Timing
    from bench.wire import CountingRelay

CHROMIUM = "/usr/bin/chromium"
LOCAL = ("127.0.0.1", "localhost")
# Offline without interception: every host name but localhost fails to resolve.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FILTER_TYPE = "protest"
TARGETS = {"navigation": 2.0, "filter": 1.0, "payload": 2_000_000, "keepalive_ms": 10.0}
SETTLE_S = 2.0  # a new window left to settle before a new reader's visit (see _open)


EXTERNAL: list[str] = []  # requests the page made to anywhere but localhost (must stay empty)


def _context(browser):
    """A browser context that records (without intercepting) every request not to localhost."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.on("request", lambda r: None if urlparse(r.url).hostname in LOCAL or not r.url.startswith("http")
           else EXTERNAL.append(r.url))
    return ctx


def _markers(page) -> int:
    """Events drawn on the map: the sum of the place badges' counts."""
    try:
        counts = page.frame_locator(FRAME).locator(".atlas-group").evaluate_all("els => els.map(e => +e.dataset.count)")
    except PlaywrightError as exc:
        if "detached" not in str(exc):
            raise
        return 0  # the map's iframe is being replaced (a filter change remounts it): nothing drawn yet
    return sum(counts)


def _wait_markers(page, n: int | None, timeout: float = 60.0) -> None:
    """Poll until the map holds ``n`` event markers (any number > 0 when ``n`` is None)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        got = _markers(page)
        if (n is None and got > 0) or got == n:
            return
        time.sleep(0.01)
    raise RuntimeError(f"the map did not show {n} events in its badges within {timeout} s")


def _open(browser, url: str, n: int | None = None, phases: dict | None = None, settle: float = 0.0):
    """Open the page in a fresh context until ``n`` markers are drawn.

    With ``phases``, also note (seconds from the start) when the websocket opened and when the
    map's script arrived on it (the first frame over 50 kB), to say where the time goes, and
    ``phases["visit"]``, the time from navigation to the markers drawn. With ``settle``, the new
    context's window shows a blank page and is left that many seconds before the navigation:
    a reader's browser is open before they type the address, and Chromium spends about 0.8 s
    of CPU setting up each new window (it preloads its address bar's popup, a page of its own,
    in a renderer of its own; seen in a Chromium trace), which on 2 cores competes with the page.
    """
    ctx = _context(browser)
    page = ctx.new_page()
    if settle:
        page.goto("about:blank")
        time.sleep(settle)
    t0 = time.perf_counter()
    if phases is not None:
        def on_frame(f) -> None:
            if len(f) > 50_000 and "map_script" not in phases:
                phases["map_script"] = time.perf_counter() - t0

        page.on("websocket", lambda ws: (phases.setdefault("websocket", time.perf_counter() - t0),
                                         ws.on("framereceived", on_frame)))
    page.goto(url)
    _wait_markers(page, n)
    if phases is not None:
        phases["visit"] = time.perf_counter() - t0
    return ctx, page


def _keepalive_ms(url: str, path: str, n: int) -> list[float]:
    """Milliseconds per request for ``n`` requests of ``path`` on one kept-alive connection."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    took = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            took.append((time.perf_counter() - t0) * 1000)
    finally:
        conn.close()
    return took


def _phase_note(phases: list[dict[str, float]], total: float) -> str:
    """Medians of when the websocket opened and the map script arrived, for the fresh visits."""
    def med(key: str) -> float:
        values = sorted(p[key] for p in phases if key in p)
        return values[len(values) // 2] if values else float("nan")

    ws, script = med("websocket"), med("map_script")
    return (f"where the time goes (medians): Streamlit's front end loads and opens its websocket at {ws:.2f} s; "
            f"the map's script arrives at {script:.2f} s (script run on the server, other elements first); "
            f"the map component iframe, Leaflet and drawing take the rest, to {total:.2f} s")


def _rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return int(next(line for line in fh if line.startswith("VmRSS")).split()[1]) * 1024


def run(quick: bool) -> list[Result]:
    """Time the page; ``quick`` takes one or two samples of each."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing; install it with `bash scripts/setup.sh --browser`")
    from geodata.layers import build_layers
    from geodata.places import nationwide
    from playwright.sync_api import sync_playwright

    def drawn(events) -> int:  # country-level events are listed beside the map, not drawn
        return len(events) - len(nationwide(events))

    n_all = drawn(build_layers()["events"])
    n_filtered = drawn(build_layers(types=[FILTER_TYPE])["events"])
    cold_runs, nav_runs, filter_runs, sessions = (1, 2, 2, 2) if quick else (3, 7, 8, 5)
    cold, nav_fresh, nav_fresh_window, nav, flt, payload, payload_decoded = [], [], [], [], [], [], []
    fresh_phases: list[dict[str, float]] = []
    rss = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(cold_runs):
            t0 = time.perf_counter()
            proc, url = start_server()
            try:
                ctx, _page = _open(browser, url, n_all)
                cold.append(time.perf_counter() - t0)
                ctx.close()
            finally:
                stop_server(proc)
        proc, url = start_server()
        try:
            ctx, _page = _open(browser, url, n_all)  # warm the server's caches
            ctx.close()
            # Payload: a first visit through the counting relay, until the map is drawn and the
            # script idle; the decoded sizes (what the browser holds) are summed beside it.
            with CountingRelay(int(urlparse(url).port)) as relay:
                ctx = _context(browser)
                page = ctx.new_page()
                encoded: list[tuple[int, str]] = []  # (body bytes as sent, url): the largest are noted
                decoded = [0]

                def count(request) -> None:
                    response = request.response()
                    if response is not None:
                        # body() and sizes() let other handlers run while they wait: read both
                        # before touching the shared total, or their additions are lost.
                        size, sent = len(response.body()), request.sizes()["responseBodySize"]
                        decoded[0] += size
                        encoded.append((sent, request.url))

                page.on("requestfinished", count)
                page.on("websocket", lambda ws: ws.on("framereceived", lambda f: decoded.__setitem__(
                    0, decoded[0] + len(f.encode() if isinstance(f, str) else f))))
                page.goto(f"http://127.0.0.1:{relay.port}/")
                _wait_markers(page, n_all)
                page.wait_for_selector(IDLE)
                page.wait_for_timeout(500)
                payload.append(float(relay.received))
                payload_decoded.append(float(decoded[0]))
                requests = len(encoded)
                largest = sorted(encoded, reverse=True)[:4]
                ctx.close()
            for _ in range(nav_runs):
                phases: dict[str, float] = {}
                ctx, _page = _open(browser, url, n_all, phases, settle=SETTLE_S)
                nav_fresh.append(phases["visit"])
                fresh_phases.append(phases)
                ctx.close()
                # The former measure, kept for comparison: the clock also runs while the new
                # context's window is set up, as if the reader started their browser for the atlas.
                t0 = time.perf_counter()
                ctx, _page = _open(browser, url, n_all)
                nav_fresh_window.append(time.perf_counter() - t0)
                ctx.close()
            # A small response asked for again and again on one kept-alive connection, as the
            # browser asks for the page's 100 scripts (most of them a few kB) over 6 connections.
            keepalive = _keepalive_ms(url, "/_stcore/health", 2 if quick else 50)
            # A returning reader: same browser context, so Streamlit's and Leaflet's files are cached.
            ctx, page = _open(browser, url, n_all)
            for _ in range(nav_runs):
                page.goto("about:blank")
                t0 = time.perf_counter()
                page.goto(url)
                _wait_markers(page, n_all)
                nav.append(time.perf_counter() - t0)
            ctx.close()
            ctx, page = _open(browser, url, n_all)
            page.wait_for_selector(IDLE)
            types = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(2)
            for i in range(filter_runs):
                if i % 2 == 0:
                    types.click()
                    page.keyboard.type(FILTER_TYPE)  # the option list is virtualised: filter it first
                    option = page.get_by_role("option", name=FILTER_TYPE.capitalize(), exact=True)  # types in words
                    t0 = time.perf_counter()
                    option.click()
                    _wait_markers(page, n_filtered)
                else:
                    clear = types.locator('[aria-label="Clear all"]')
                    t0 = time.perf_counter()
                    clear.click()
                    _wait_markers(page, n_all)
                flt.append(time.perf_counter() - t0)
                page.keyboard.press("Escape")
                page.wait_for_selector(IDLE)
            ctx.close()
            open_contexts = [_open(browser, url, n_all)[0] for _ in range(sessions)]
            time.sleep(1.0)
            rss = _rss_bytes(proc.pid)
            for c in open_contexts:
                c.close()
        finally:
            stop_server(proc)
        browser.close()
    if EXTERNAL:
        raise RuntimeError(f"the page asked for {len(EXTERNAL)} non-local URLs (first: {EXTERNAL[0]}); it must work offline")
    return [
        Result("dashboard.cold_start", "server process start to the map drawn on the first page", "s", Timing(cold),
               notes=["no target; includes loading the gazetteer and the catalogue once"]),
        Result("dashboard.navigation", "warm server, returning reader (browser cache warm): open the page to the "
               "map's markers drawn", "s", Timing(nav),
               target=f"<= {TARGETS['navigation']} s", met=Timing(nav).median <= TARGETS["navigation"]),
        Result("dashboard.navigation_fresh", "warm server, new reader (fresh browser context, empty cache): open the "
               "page to the map's markers drawn", "s", Timing(nav_fresh),
               target=f"<= {TARGETS['navigation']} s", met=Timing(nav_fresh).median <= TARGETS["navigation"],
               notes=[_phase_note(fresh_phases, Timing(nav_fresh).median),
                      f"the browser's new window is left {SETTLE_S:.0f} s to settle first, as a reader's browser is "
                      "open before the address is typed (see navigation_fresh_window for the clock running "
                      "from the window's creation)"]),
        Result("dashboard.navigation_fresh_window", "the same new reader, the clock started before the browser "
               "context and its window are created (how navigation_fresh was measured until issue 12's sixth "
               "session)", "s", Timing(nav_fresh_window),
               notes=["no target; includes Chromium setting up the new window (about 0.2 s, and its address bar's "
                      "popup page competing for the 2 cores)"]),
        Result("dashboard.keepalive", "a small response (Streamlit's health check) asked for again on a kept-alive "
               "connection, request to body read", "ms", Timing(keepalive), target=f"<= {TARGETS['keepalive_ms']:.0f} ms",
               met=Timing(keepalive).median <= TARGETS["keepalive_ms"],
               notes=["with Nagle's algorithm on (Streamlit's own socket binding), each small response after a "
                      "connection's first waited about 42 ms for the client's delayed ACK (large ones do not); "
                      "dashboard/serving/nodelay.py turns it off"]),
        Result("dashboard.filter_change", f"pick (or clear) event type '{FILTER_TYPE}' to the map redrawn with "
               f"{n_filtered} (or {n_all}) markers", "s", Timing(flt),
               target=f"<= {TARGETS['filter']} s", met=Timing(flt).median <= TARGETS["filter"],
               notes=["the map iframe remounts on a filter change: its script changes with the markers"]),
        Result("dashboard.payload", "bytes the server sends on a first visit until the map is drawn, counted on the "
               "sockets (HTTP as sent, websocket frames as sent)", "bytes", Timing(payload), target="<= 2 MB",
               met=Timing(payload).median <= TARGETS["payload"],
               notes=[f"{requests} HTTP responses; Streamlit's own front end is sent gzip-compressed from a mirror "
                      "(dashboard/compression.py); fonts are woff2, compressed already",
                      "largest bodies as sent: " + ", ".join(f"{u.rsplit('/', 1)[-1]} {b / 1e3:.0f} kB" for b, u in largest)]),
        Result("dashboard.payload_decoded", "the same first visit decoded: HTTP bodies and websocket frames as the "
               "browser holds them", "bytes", Timing(payload_decoded), notes=["no target; shows what compression saves"]),
        Result("dashboard.server_rss", f"server resident memory after {sessions} sessions opened the map", "bytes",
               Timing([float(rss)]), notes=["no target; one sample"]),
    ]


if __name__ == "__main__":  # python3 bench/bench_dashboard.py (from the repository root)
    for r in run(quick="--quick" in sys.argv):
        print(r.name, f"median {r.value.median:.3f} {r.unit}", f"samples {[round(x, 3) for x in r.value.samples]}",
              r.target, r.met, sep=" | ")
