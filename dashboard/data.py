"""The only cached wrappers around ``geodata``: pages and the map read data through here.

Every cached function takes plain, hashable arguments (ISO dates, tuples of ids, names),
never a GeoDataFrame, so ``st.cache_data`` can key on them. Building folium maps from this
data is :mod:`dashboard.maps`' job.

The user's store (``QANTAR_DB``, else the default file of ``geodata.store``) joins the seeds:
what depends on it is cached on :func:`version` too (``geodata.store.store_version``, which
every write changes), so a source or event added in one session shows in every other session
on its next run. Every cached wrapper asks for the version (about 20 per run of the map page),
so :func:`version` asks the store once per script run, and again only after a write made by
this process (a page that adds a source shows it in the same run).
"""

from __future__ import annotations

import itertools
import os
import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from sqlalchemy import event
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geodata import claims, exportfiles, layers, mentions, writers
from geodata import store as user_store
from geodata.claims import ClaimCheck, PikeResult
from geodata.errors import DataError, InputError
from geodata.gazetteer import load_gazetteer
from geodata.places import type_label
from geodata.sources import load_sources, paragraph_around

__all__ = [
    "LAYER_NAMES",
    "all_layers",
    "basemap",
    "border_bands",
    "candidate_places",
    "candidate_set",
    "claim_checks",
    "count_curve",
    "evidence_context",
    "event_types",
    "geojson",
    "view_layers",
    "mentioned_places",
    "neighbour_sets",
    "candidate_sets",
    "options",
    "outlet_sources",
    "outlets",
    "layer_csv",
    "pike",
    "pike_ids",
    "readme_text",
    "user_set",
    "source_ids",
    "source_label",
    "source_names",
    "labels",
    "suffix",
    "sources",
    "sources_csv",
    "store",
    "store_problem",
    "version",
    "zip_bytes",
]

LAYER_NAMES = ("events", "troops", "places", "figures", "borders", "claims")
# Each distinct filter, link or store version adds an entry to these caches (and to the map cache of
# dashboard/maps.py); bounded, a server visited with many different links stops growing once they are
# full instead of keeping every view: about 1.6 MB per new view, most of it the cached folium map, up to
# a plateau of about 100 MB (scripts/measure_session_memory.py; bench/RESULTS.md). Every cache keyed on
# what a visitor chooses uses this bound (tests/dashboard/test_memory.py checks it).
CACHE_ENTRIES = 64
NO_OUTLET = "(outlet not named)"


@st.cache_resource(show_spinner=False)
def _open_store(db: str) -> user_store.Store:
    # One engine per process and database; ``db`` is QANTAR_DB's value ("" for the default file).
    # (Cached arguments named with a leading underscore are not hashed: hence ``store_version``.)
    s = user_store.open_store(db or None)
    event.listen(s.engine, "after_cursor_execute", _count_write)
    return s


_WRITES = itertools.count(1)
_last_write = 0  # the number of this process's latest write to a store (0: none yet)


def _count_write(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    global _last_write
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        _last_write = next(_WRITES)  # itertools.count: atomic under the GIL


class _RunVersion(threading.local):
    """The version this thread's current script run read: for which run, store and latest write."""

    run: object = None
    store: object = None
    writes: int = -1
    value: str = ""


_memo = _RunVersion()


def store() -> user_store.Store | None:
    """The user's store (``QANTAR_DB``, else the default file), or None when it cannot be opened."""
    try:
        return _open_store(os.environ.get(user_store.ENV_VAR, ""))
    except (InputError, DataError):
        return None


def store_problem() -> str | None:
    """Why the store cannot be opened (one line), or None when it can."""
    try:
        _open_store(os.environ.get(user_store.ENV_VAR, ""))
    except (InputError, DataError) as exc:
        return str(exc)
    return None


def version() -> str:
    """The store's version: changes with every write to it ("" without a store).

    Read once per script run: a write by another session or process shows on the next run, one by
    this process at once. Outside a script run (a test, a benchmark), read every time.
    """
    s = store()
    if s is None:
        return ""
    run = _run()
    writes = _last_write  # before reading: a write made meanwhile makes the next call read again
    if run is not None and _memo.run is run and _memo.store is s and _memo.writes == writes:
        return _memo.value
    value = user_store.store_version(s)
    if run is not None:
        _memo.run, _memo.store, _memo.writes, _memo.value = run, s, writes, value
    return value


def _run() -> object | None:
    # What identifies this script run: Streamlit gives each run (a full run, a fragment's run) a new
    # ``cursors`` dict (ScriptRunContext.reset); tests/dashboard/test_store_version.py checks it still does.
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.cursors if ctx is not None else None


def view_layers(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None) -> dict[str, gpd.GeoDataFrame]:
    """The filtered layers (``geodata.layers.build_layers``, with the store), keyed by layer name."""
    return _view_layers(date_from, date_to, sources, types, version())


# A resource, not data: st.cache_data would unpickle a fresh copy of every layer on each call
# (profiled: about a quarter of a new reader's script run, as the page asks several times). The
# frames are shared between sessions and must never be changed in place: pandas 3's
# copy-on-write makes any change a caller makes to a frame its own copy, and
# tests/dashboard/test_data.py checks that running every page leaves the shared layers as built.
@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _view_layers(date_from, date_to, sources, types, store_version: str) -> dict[str, gpd.GeoDataFrame]:
    return layers.build_layers(
        date_from=date_from,
        date_to=date_to,
        sources=list(sources) if sources is not None else None,
        types=list(types) if types is not None else None,
        store=store(),
    )


def all_layers() -> dict[str, gpd.GeoDataFrame]:
    """The unfiltered layers (to show a selected feature the filters now hide)."""
    return view_layers(None, None, None, None)


def geojson(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None, layer: str) -> str:
    """One filtered layer as RFC 7946 GeoJSON text."""
    return _geojson(date_from, date_to, sources, types, layer, version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _geojson(date_from, date_to, sources, types, layer: str, store_version: str) -> str:
    return writers.to_geojson(view_layers(date_from, date_to, sources, types)[layer])


def _user_sources() -> list:
    s = store()
    return user_store.list_sources(s) if s is not None else []


def zip_bytes(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None) -> bytes:
    """All filtered layers in one zip (``geodata.writers.export_zip``), the store's sources in sources.csv."""
    return _zip_bytes(date_from, date_to, sources, types, version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _zip_bytes(date_from, date_to, sources, types, store_version: str) -> bytes:
    filters = {"date_from": date_from, "date_to": date_to, "sources": sources, "types": types}
    return writers.export_zip(view_layers(date_from, date_to, sources, types), suffix(date_from, date_to, sources, types),
                              filters, user_sources=_user_sources())


def sources_csv() -> str:
    """``sources.csv``: the seed articles and the store's sources."""
    return _sources_csv(version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _sources_csv(store_version: str) -> str:
    return exportfiles.sources_csv(_user_sources())


def layer_csv(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None, layer: str) -> str:
    """One filtered layer as CSV text (``geodata.exportfiles.to_csv``)."""
    return _layer_csv(date_from, date_to, sources, types, layer, version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _layer_csv(date_from, date_to, sources, types, layer: str, store_version: str) -> str:
    return exportfiles.to_csv(view_layers(date_from, date_to, sources, types)[layer], layer)


def readme_text(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None) -> str:
    """The README.txt of the current view's export."""
    return _readme_text(date_from, date_to, sources, types, version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _readme_text(date_from, date_to, sources, types, store_version: str) -> str:
    filters = {"date_from": date_from, "date_to": date_to, "sources": sources, "types": types}
    return exportfiles.readme_text(view_layers(date_from, date_to, sources, types), filters,
                                   suffix(date_from, date_to, sources, types))


def suffix(date_from: str, date_to: str, sources: tuple[str, ...] | None, types: tuple[str, ...] | None) -> str:
    """The file-name suffix that says which filter made a download."""
    return writers.filter_suffix(date_from, date_to, sources, types)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def mentioned_places(sources: tuple[str, ...] | None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Places the chosen seed articles name: (by place names, by demonyms only), one row per place."""
    m = mentions.seed_mentions(list(sources) if sources is not None else None)
    return mentions.places_mentioned(m), mentions.places_mentioned(m[m["kind"] == "demonym"], demonyms=True)


@st.cache_data(show_spinner=False)
def basemap() -> gpd.GeoDataFrame:
    """Country outlines for the default basemap (no tiles, works offline), lightened for display.

    Simplified to about 3 km and rounded to 3 decimals: a backdrop, never measured on.
    """
    outlines = layers.basemap()[["name", "iso_a2", "geometry"]].copy()
    outlines["geometry"] = shapely.transform(outlines.geometry.simplify(0.03).values, lambda xy: np.round(xy, 3))
    return outlines


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def border_bands(km: float, neighbour_set: str) -> gpd.GeoDataFrame:
    """Distance bands (buffer polygons) around the chosen borders."""
    return layers.border_bands(km, claims.NEIGHBOUR_SETS[neighbour_set])


def sources() -> dict[str, dict]:
    """Bibliographic fields of every article by source id: the seeds in catalogue order, then the store's
    (each with ``origin`` "user" and its ``url``), by date and title."""
    return _sources(version())


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _sources(store_version: str) -> dict[str, dict]:
    out = {sid: s.as_dict() for sid, s in load_sources().items()}
    for u in _user_sources():
        out[u.id] = {"id": u.id, "title": u.title, "author": u.author, "outlet": u.outlet, "date": u.date,
                     "date_note": "", "url": u.url, "origin": "user"}
    return out


def source_ids() -> list[str]:
    """Article ids: the seeds in catalogue order, then the store's sources."""
    return list(sources())


def source_label(sid: str) -> str:
    """An article as a reader knows it: its title, with the outlet (the id when unknown); a user's source
    also says "yours"."""
    s = sources().get(sid)
    if not s:
        return sid
    label = f"{s['title']} ({s['outlet']})" if s.get("outlet") else s["title"]
    return f"{label} · yours" if s.get("origin") == "user" else label


def source_names() -> dict[str, str]:
    """Article id -> :func:`source_label`, for tables."""
    return {sid: source_label(sid) for sid in sources()}


def labels(key: str):
    """The ``format_func`` of a setting's widget: article titles, event types in words; None otherwise."""
    return {"sources": source_label, "types": type_label}.get(key)


def outlets() -> list[str]:
    """Outlet names, sorted; articles without a named outlet share :data:`NO_OUTLET`."""
    return sorted({s["outlet"] or NO_OUTLET for s in sources().values()})


def outlet_sources(names: tuple[str, ...]) -> tuple[str, ...]:
    """The ids of the articles these outlets published."""
    return tuple(sid for sid, s in sources().items() if (s["outlet"] or NO_OUTLET) in names)


def event_types() -> list[str]:
    """The event types present in the catalogue and the store, sorted."""
    events = all_layers()["events"]
    return sorted(set(events["type"])) if len(events) else []


def neighbour_sets() -> list[str]:
    """Names of the neighbour sets Pike's claim can be read against."""
    return list(claims.NEIGHBOUR_SETS)


def candidate_sets() -> list[str]:
    """Names of the candidate city sets, the default (the 19 largest cities) first."""
    return list(claims.candidate_sets())


def candidate_set(name: str) -> claims.CandidateSet:
    """One named candidate set with its origin and citation (``geodata.claims.candidate_sets``, the store's events
    joining the seed catalogue's in the violence set)."""
    return claims.candidate_sets(_violence(version()))[name]


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def user_set(text: str | bytes) -> claims.CandidateSet:
    """A user's CSV of city names, resolved (``geodata.claims.user_set``); raises InputError on bad input."""
    return claims.user_set(text)


def options(key: str) -> list:
    """The choices of a multiselect or selectbox setting (see ``dashboard.state.SETTINGS``)."""
    table = {
        "sources": source_ids,
        "outlets": outlets,
        "types": event_types,
        "neighbours": neighbour_sets,
        "cities": candidate_sets,
    }
    return table[key]()


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def evidence_context(document: str, start: int, end: int) -> tuple[str, int, int]:
    """The paragraph around a quote and the quote's offsets in it (a seed file, or ``store:<id>``).

    Safe to cache on the arguments: a stored source's id is a digest of its text.
    """
    if document.startswith("store:"):
        s = store()
        if s is None:
            raise DataError(f"{document}: the store cannot be opened ({store_problem()})")
        return user_store.text_paragraph(user_store.source_text(s, document.split(":", 1)[1]), start, end)
    return paragraph_around(document, start, end)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _violence(store_version: str) -> tuple[tuple[str, str, str], ...]:
    return layers.user_violence(store())


def pike(km: float, neighbour_set: str, candidate_set: str) -> PikeResult:
    """Pike's claim counted for one threshold, neighbour set and candidate set (the store's events included)."""
    return pike_ids(km, neighbour_set, tuple(claims.candidate_ids(candidate_set, _violence(version()))))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def pike_ids(km: float, neighbour_set: str, ids: tuple[str, ...]) -> PikeResult:
    """Pike's claim counted for any list of candidate ids (a user's list)."""
    return claims.pike_check(km, claims.NEIGHBOUR_SETS[neighbour_set], list(ids))


def count_curve(neighbour_set: str, candidate_set: str | tuple[str, ...], thresholds: tuple[float, ...]) -> pd.DataFrame:
    """Candidates within each threshold, as a two-column frame for the chart (a set's name or ids)."""
    return _count_curve(neighbour_set, candidate_set, thresholds, version() if isinstance(candidate_set, str) else "")


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _count_curve(neighbour_set, candidate_set, thresholds, store_version: str) -> pd.DataFrame:
    ids = (claims.candidate_ids(candidate_set, _violence(store_version)) if isinstance(candidate_set, str)
           else list(candidate_set))
    rows = claims.count_curve(claims.NEIGHBOUR_SETS[neighbour_set], ids, thresholds)
    return pd.DataFrame(rows, columns=["threshold_km", "cities_within"])


def candidate_places(candidate_set: str | tuple[str, ...]) -> pd.DataFrame:
    """The candidate cities with coordinates and population (a set's name or ids), for the claim layer."""
    return _candidate_places(candidate_set, version() if isinstance(candidate_set, str) else "")


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _candidate_places(candidate_set, store_version: str) -> pd.DataFrame:
    gz = load_gazetteer()
    ids = (claims.candidate_ids(candidate_set, _violence(store_version)) if isinstance(candidate_set, str)
           else list(candidate_set))
    rows = []
    for pid in ids:
        p = gz.get(pid)
        rows.append({"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "population": p.population})
    return pd.DataFrame(rows, columns=["id", "name", "lat", "lon", "population"])


@st.cache_data(show_spinner=False)
def claim_checks() -> list[ClaimCheck]:
    """Every claim check with its verdict and evidence (``geodata.claims.check_all``)."""
    return claims.check_all()
