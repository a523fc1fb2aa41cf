"""Is the dashboard's per-session memory growth a leak, or caches filling? Measured with tracemalloc.

Runs the map page in-process (Streamlit's AppTest, the same script a server runs per session)
once per "visitor", each with its own filter in the URL, as 40 visitors with different links
would. After a warm-up, tracemalloc snapshots are taken after each block of visitors; the growth
between them is grouped by the file that allocated it. A leak keeps growing at the same rate
whatever the caches hold; a cache grows until its ``max_entries`` and then stays flat.

Usage: ``python3 scripts/measure_session_memory.py [--sessions 40] [--block 10]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(ROOT / "dashboard" / "main.py")
DAYS = [dt.date(2022, 1, d) for d in range(2, 13)]


def _links(n: int) -> list[dict]:
    """``n`` distinct filter links: every date window of 2-12 January, in a fixed order."""
    pairs = [(a, b) for i, a in enumerate(DAYS) for b in DAYS[i:]]
    return [{"dates": [a.isoformat(), b.isoformat()]} for a, b in pairs[:n]]


def _visit(query: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    if at.exception:
        raise SystemExit(f"the page failed for {query}: {at.exception[0].message}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--block", type=int, default=10)
    args = parser.parse_args(argv)
    links = _links(args.sessions + 2)
    for q in links[:2]:  # warm-up: imports, the gazetteer, the unfiltered layers
        _visit(q)
    gc.collect()
    tracemalloc.start(1)
    last = tracemalloc.take_snapshot()
    print(f"{'visitors':>9} {'growth MB':>10}  top files")
    for start in range(2, len(links), args.block):
        for q in links[start:start + args.block]:
            _visit(q)
        gc.collect()
        snap = tracemalloc.take_snapshot()
        stats = snap.compare_to(last, "filename")
        total = sum(s.size_diff for s in stats) / 1e6
        top = ", ".join(f"{Path(s.traceback[0].filename).name} {s.size_diff / 1e6:+.2f}" for s in stats[:3])
        print(f"{start - 1:>3}-{min(start + args.block, len(links)) - 2:<5} {total:>10.2f}  {top}")
        last = snap
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
