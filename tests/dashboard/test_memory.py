"""Server memory per session: no per-session leak, and every cache keyed on user input bounded.

Measured by ``scripts/measure_session_memory.py`` (numbers in bench/RESULTS.md, "Server memory per
session"). Three checks, none timed:

* every ``st.cache_data``/``st.cache_resource`` function that takes arguments holds at most
  ``dashboard.data.CACHE_ENTRIES`` entries, and every ``functools`` cache with arguments in
  ``geodata``/``dashboard`` has a size limit unless its keys come from a fixed set (listed, with why);
* a cache fed more distinct arguments than its bound keeps exactly its bound;
* after a warm-up, each open session with the same link keeps little: tracemalloc's traced size after
  garbage collection grows by less than a limit far below what a kept page namespace costs.
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import pkgutil
import tracemalloc

import pytest
from streamlit.runtime.caching.cache_utils import CachedFunc

import dashboard
import geodata
from dashboard import data
from tests.dashboard.apptest import AIRPORT, run_app

# Modules that run a page or a command when imported: no cache lives in them.
SCRIPTS = ("dashboard.app", "dashboard.main", "dashboard.views.", "geodata.__main__")
# Unbounded caches with arguments, allowed because their keys come from a fixed set, never from a visitor.
FIXED_KEYS = {
    "dashboard.data._open_store": "one engine per QANTAR_DB value, set by whoever starts the server",
    "geodata.borders._index": "one index per land border (five)",
    "geodata.catalogue._load": "the catalogue files of geodata/data/catalogue",
    "geodata.claims.candidates.official_sets": "geodata/data/official_sets.toml",
    "geodata.claims.pike._distance_table": "subsets of the five land borders (the page offers NEIGHBOUR_SETS only)",
    "geodata.gazetteer._suggestion_pool": "the one gazetteer",
    "geodata.gazetteer.load_gazetteer": "the gazetteer file",
    "geodata.sources.document_text": "the seed documents (an unknown name raises, and is not cached)",
    "geodata.store.suggest.load_triggers": "geodata/data/triggers file",
}
SESSIONS = 4  # open sessions with the same link, after a warm-up
PER_SESSION_LIMIT_MB = 0.5  # why: at test_an_open_session_keeps_little_memory


def _cached_objects():
    """(qualified name, object) of every module-level cache in geodata and dashboard."""
    seen = {}
    for pkg in (geodata, dashboard):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if info.name.startswith(SCRIPTS) or info.name in SCRIPTS:
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                func = obj._info.func if isinstance(obj, CachedFunc) else getattr(obj, "__wrapped__", None)
                if func is None or not (isinstance(obj, CachedFunc) or hasattr(obj, "cache_parameters")):
                    continue
                seen[f"{func.__module__}.{func.__qualname__}"] = obj
    return sorted(seen.items())


def _takes_arguments(obj) -> bool:
    func = obj._info.func if isinstance(obj, CachedFunc) else obj.__wrapped__
    return bool(inspect.signature(func).parameters)


def test_the_cache_survey_finds_the_known_caches():
    names = dict(_cached_objects())
    assert set(FIXED_KEYS) <= set(names), "FIXED_KEYS names a cache that no longer exists"
    assert {"dashboard.data._view_layers", "dashboard.mapframe._atlas_frame", "geodata.layers.border_bands",
            "geodata.names.normalize_name"} <= set(names)


@pytest.mark.parametrize("name, obj", [(n, o) for n, o in _cached_objects() if isinstance(o, CachedFunc)],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_streamlit_cache_with_arguments_is_bounded(name, obj):
    if not _takes_arguments(obj) or name in FIXED_KEYS:
        return
    info = obj._info
    assert info.max_entries is not None and info.max_entries <= data.CACHE_ENTRIES, (
        f"{name}: max_entries={info.max_entries}; every cache keyed on what a visitor chooses holds at most "
        f"CACHE_ENTRIES ({data.CACHE_ENTRIES}) entries")


@pytest.mark.parametrize("name, obj", [(n, o) for n, o in _cached_objects() if not isinstance(o, CachedFunc)],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_functools_cache_with_arguments_is_bounded_or_keyed_on_a_fixed_set(name, obj):
    if not _takes_arguments(obj):
        return
    assert obj.cache_parameters()["maxsize"] is not None or name in FIXED_KEYS, (
        f"{name}: functools.cache without a size; use functools.lru_cache(maxsize=...) or, if its keys "
        "come from a fixed set, list it in FIXED_KEYS with why")


def _entries(cached: CachedFunc) -> int:
    cache = cached._info.get_function_cache(cached._function_key)
    store = getattr(cache, "_mem_cache", None)  # st.cache_resource
    return len(store if store is not None else cache.storage._mem_cache)  # st.cache_data: pickled entries


def test_a_cache_fed_more_distinct_links_than_its_bound_keeps_its_bound():
    # The km of a link is any of 100 values (10-1000 km): more than the bound, each a new entry.
    data.pike_ids.clear()
    for km in range(10, 10 * (data.CACHE_ENTRIES + 12), 10):
        data.pike_ids(float(km), "all land borders", ("gn:1526384", "gn:1516905"))
    assert _entries(data.pike_ids) == data.CACHE_ENTRIES
    data.pike_ids.clear()


def _traced_after_gc() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_an_open_session_keeps_little_memory():
    # Each AppTest stays alive, as a server keeps an open tab's session (and a closed one's for
    # server.disconnectedSessionTTL): what it holds after its run is what every visitor costs.
    link = {"dates": ["2022-01-04", "2022-01-08"], "feature": [AIRPORT]}
    for _ in range(2):  # warm: every cache holds this view, every module is imported
        run_app(link)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start(1)
    try:
        before = _traced_after_gc()
        sessions = [run_app(link) for _ in range(SESSIONS)]
        per_session_mb = (_traced_after_gc() - before) / 1e6 / len(sessions)
    finally:
        if not was_tracing:
            tracemalloc.stop()
    # Measured (scripts/measure_session_memory.py, bench/RESULTS.md): 2.5 MB per session while the map
    # page's st_folium callback was defined in the page (it kept the page's namespace: the run's map copy
    # and layers), 0.12 MB since it lives in dashboard/mapreport.py. The limit sits 4x above the latter,
    # 5x below the former: a page namespace kept alive again, or anything of a view's size, fails.
    assert per_session_mb < PER_SESSION_LIMIT_MB, f"each open session keeps {per_session_mb:.2f} MB"
