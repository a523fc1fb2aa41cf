"""Does the dashboard's memory grow per session (a leak), or only while its caches fill? Measured.

Two phases, each after a warm-up (imports, the gazetteer, the unfiltered layers):

* **same link**: ``--same`` visitors open the same link. Every cache is warm, so whatever the
  process keeps from them (session state, callbacks, component registrations, the URL's
  history...) is per-session memory: a leak if it grows with their number.
* **distinct links**: ``--distinct`` visitors each open a link no one opened before (date window,
  event types and distance all vary), past the caches' 64 entries (``dashboard.data.CACHE_ENTRIES``):
  the caches fill, then evict; memory should level off at that bound.

After each block of visitors the script collects garbage and reports tracemalloc's current traced
size (everything Python allocated since the warm-up and still holds), the process's resident size
(RSS; freed memory is not always returned to the operating system, so RSS stays near its peak), the
entries in Streamlit's caches (every ``st.cache_data``/``st.cache_resource`` function), and the files
that allocated the block's growth.

``--where apptest`` (default) runs the page in this process with Streamlit's AppTest, the same script
a server runs per session. ``--where server`` starts the real server (``streamlit run dashboard/app.py``,
traced from its start) and opens each visitor in headless Chromium, in a fresh browser context closed
afterwards; the server writes its numbers when sent SIGUSR1. A closed tab's session is kept by Streamlit
for ``server.disconnectedSessionTTL`` (120 s) in case it reconnects, at most 128 of them; the server
mode therefore ends by waiting that long and opening one more visitor, after which the expired sessions
are dropped.

Usage: ``python3 scripts/measure_session_memory.py [--where apptest|server] [--same 40] [--distinct 150] [--block 10]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP = str(ROOT / "dashboard" / "main.py")
DAYS = [dt.date(2022, 1, d) for d in range(2, 13)]
WINDOWS = [(a, b) for i, a in enumerate(DAYS) for b in DAYS[i:]]  # 66 date windows
TYPE_FILTERS = [None, ["riot"], ["protest"]]
SAME_LINK: dict = {}  # the map as a first visitor sees it: no parameters
TOP_FILES = 4


def distinct_links(n: int) -> list[dict]:
    """``n`` links that differ from each other and from :data:`SAME_LINK` in their filters and distance."""
    if n > len(WINDOWS) * len(TYPE_FILTERS):
        raise SystemExit(f"--distinct {n}: at most {len(WINDOWS) * len(TYPE_FILTERS)} distinct links")
    out = []
    for i in range(n):
        a, b = WINDOWS[i % len(WINDOWS)]
        q = {"dates": [a.isoformat(), b.isoformat()], "km": [str(10 * (1 + (i + 1) % 100))]}
        types = TYPE_FILTERS[i // len(WINDOWS)]
        if types:
            q["types"] = types
        out.append(q)
    return out


def cache_entries() -> dict[str, int]:
    """Entries held per cached function (``st.cache_data`` and ``st.cache_resource``), by function name."""
    from streamlit.runtime.caching.cache_data_api import _data_caches
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    out: dict[str, int] = {}
    for registry in (_data_caches, _resource_caches):
        with registry._caches_lock:
            caches = [c for per_session in registry._function_caches.values() for c in per_session.values()]
        for cache in caches:
            store = getattr(cache, "_mem_cache", None)  # st.cache_resource
            if store is None:
                store = cache.storage._mem_cache  # st.cache_data: in-memory storage of pickled entries
            name = cache.display_name.rsplit(".", 1)[-1]
            out[name] = out.get(name, 0) + len(store)
    return dict(sorted(out.items()))


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return int(next(line for line in fh if line.startswith("VmRSS")).split()[1]) / 1024


def _growth(snap, last) -> str:
    stats = snap.compare_to(last, "filename")
    return ", ".join(f"{_short(s.traceback[0].filename)} {s.size_diff / 1e6:+.1f}" for s in stats[:TOP_FILES])


def _short(filename: str) -> str:
    parts = Path(filename).parts
    return "/".join(parts[-2:]) if "site-packages" in parts else Path(filename).name


def _report(rows: list[dict]) -> None:
    print(f"\n{'phase':<9} {'sessions':>8} {'traced MB':>10} {'RSS MB':>8} {'entries':>8}  growth by file (MB)")
    for r in rows:
        print(f"{r['phase']:<9} {r['sessions']:>8} {r['traced_mb']:>10.1f} {r['rss_mb']:>8.0f} {r['entries']:>8}  {r['top']}")


# --- in this process, with AppTest ---------------------------------------------------------------

def _visit(query: dict) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    if at.exception:
        raise SystemExit(f"the page failed for {query}: {at.exception[0].message}")


def run_apptest(same: int, distinct: int, block: int) -> list[dict]:
    """Visitors as AppTest runs in this process: traced size, RSS and cache entries per block."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext" once per run
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit."):
            logging.getLogger(name).setLevel(logging.ERROR)
    for q in [SAME_LINK, SAME_LINK, *distinct_links(distinct + 1)[-1:]]:  # warm-up, the last link not reused
        _visit(q)
    gc.collect()
    tracemalloc.start(1)
    first = last = tracemalloc.take_snapshot()
    rows = []
    plan = [("same", [SAME_LINK] * same), ("distinct", distinct_links(distinct))]
    for phase, links in plan:
        for start in range(0, len(links), block):
            for q in links[start:start + block]:
                _visit(q)
            gc.collect()
            snap = tracemalloc.take_snapshot()
            entries = cache_entries()
            rows.append({"phase": phase, "sessions": min(start + block, len(links)),
                         "traced_mb": tracemalloc.get_traced_memory()[0] / 1e6, "rss_mb": rss_mb(),
                         "entries": sum(entries.values()), "cache": entries, "top": _growth(snap, last)})
            print(f"{phase} {rows[-1]['sessions']}: {rows[-1]['traced_mb']:.1f} MB traced", file=sys.stderr)
            last = snap
    print(f"\nall phases, growth by file: {_growth(last, first)}")
    print(f"cache entries at the end: {rows[-1]['cache']}")
    return rows


# --- the real server, with Chromium ------------------------------------------------------------

def serve(dump: str, port: str, traced: bool = True) -> None:
    """Run ``streamlit run dashboard/app.py`` (traced unless told); on SIGUSR1 write the numbers to ``dump`` (JSON)."""
    if traced:
        tracemalloc.start(1)
    state = {"seq": 0, "last": None}

    def on_signal(_signum, _frame) -> None:
        from streamlit.runtime import Runtime

        gc.collect()
        snap = tracemalloc.take_snapshot() if traced else None
        mgr = Runtime.instance()._session_mgr
        active = len(mgr.list_active_sessions())
        state["seq"] += 1
        out = {"seq": state["seq"], "traced_mb": tracemalloc.get_traced_memory()[0] / 1e6,
               "sessions_active": active, "sessions_kept": len(mgr.list_sessions()) - active,
               "cache": cache_entries(), "top": _growth(snap, state["last"]) if state["last"] and snap else ""}
        state["last"] = snap
        Path(dump + ".tmp").write_text(json.dumps(out), encoding="utf-8")
        os.replace(dump + ".tmp", dump)

    signal.signal(signal.SIGUSR1, on_signal)
    os.chdir(ROOT)
    sys.argv = ["streamlit", "run", "dashboard/app.py", "--server.headless", "true", "--server.port", port,
                "--server.address", "127.0.0.1"]
    from streamlit.web import cli

    cli.main()


def _ask(proc: subprocess.Popen, dump: Path, seq: int) -> dict:
    proc.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if dump.exists():
            out = json.loads(dump.read_text(encoding="utf-8"))
            if out["seq"] > seq:
                return out
        time.sleep(0.2)
    raise SystemExit("the server did not write its numbers within 300 s")


def run_server(same: int, distinct: int, block: int, ttl_wait: float, traced: bool = True) -> list[dict]:
    """Visitors as Chromium tabs on the real server: traced size, RSS, sessions and cache entries per block."""
    import tempfile
    import urllib.request

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import APP_IDLE, BROWSER_ARGS, CHROMIUM, MAP_FRAME
    from tests.e2e.server import free_port, stop_server

    port = str(free_port())
    tmp = Path(tempfile.mkdtemp(prefix="qantar-memory-"))
    dump = tmp / "numbers.json"
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, __file__, "--serve" if traced else "--serve-untraced", str(dump), port],
                            cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    rows: list[dict] = []
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)

            def visit(query: dict) -> None:
                from urllib.parse import urlencode

                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                page.set_default_timeout(600_000)  # traced, the server's first run takes minutes on a busy machine
                page.goto(f"{url}/?{urlencode(query, doseq=True)}")
                try:
                    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for()
                    page.wait_for_selector(APP_IDLE)
                except Exception:
                    problem = page.locator('[data-testid="stException"]')
                    raise SystemExit(f"no map for {query}: {problem.first.inner_text() if problem.count() else 'no error shown'}")
                context.close()

            def record(phase: str, sessions: int) -> None:
                time.sleep(1.0)  # the closed tabs' websockets are handled
                out = _ask(proc, dump, rows[-1]["seq"] if rows else 0)
                rows.append({**out, "phase": phase, "sessions": sessions, "rss_mb": rss_mb(proc.pid),
                             "entries": sum(out["cache"].values()),
                             "top": f"sessions active {out['sessions_active']}, kept {out['sessions_kept']}; {out['top']}"})
                print(f"{phase} {sessions}: {out['traced_mb']:.1f} MB traced, {rows[-1]['rss_mb']:.0f} MB RSS",
                      file=sys.stderr)

            for q in [SAME_LINK, SAME_LINK, *distinct_links(distinct + 1)[-1:]]:
                visit(q)
            record("warm-up", 3)
            for phase, links in [("same", [SAME_LINK] * same), ("distinct", distinct_links(distinct))]:
                for start in range(0, len(links), block):
                    for q in links[start:start + block]:
                        visit(q)
                    record(phase, min(start + block, len(links)))
            if ttl_wait > 0:
                time.sleep(ttl_wait)  # the kept sessions expire; the next disconnect drops them
                visit(SAME_LINK)
                record("expired", 1)
            browser.close()
    finally:
        stop_server(proc)
        log.close()
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] in (["--serve"], ["--serve-untraced"]):
        serve(argv[1], argv[2], traced=argv[0] == "--serve")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--where", choices=["apptest", "server"], default="apptest")
    parser.add_argument("--same", type=int, default=40, help="visitors opening the same link")
    parser.add_argument("--distinct", type=int, default=150, help="visitors opening links no one opened before")
    parser.add_argument("--block", type=int, default=10, help="visitors between two measurements")
    parser.add_argument("--ttl-wait", type=float, default=125.0,
                        help="server: seconds to wait for the closed sessions to expire (0: do not wait)")
    parser.add_argument("--untraced", action="store_true",
                        help="server: without tracemalloc (its bookkeeping inflates RSS): RSS, sessions and entries only")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows = (run_apptest(args.same, args.distinct, args.block) if args.where == "apptest"
            else run_server(args.same, args.distinct, args.block, args.ttl_wait, traced=not args.untraced))
    _report(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
