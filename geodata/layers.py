"""Map layers as GeoDataFrames (EPSG:4326), built from the catalogue, the gazetteer and the claims.

Layers: ``events``, ``troops``, ``figures``, ``places``, ``borders``, ``claims``. Every
feature has a stable ``id`` and flat, snake_case properties; facts from the sources carry an
``evidence`` list of ``{source_id, document, start, end, quote}``. The same filters (date
window, sources, event types) apply to every layer, so the map, the lists and the downloads
always agree.

With a store (``build_layers(..., store=...)``, :mod:`geodata.store`), the user's coded events
join the seed catalogue's in ``events``, every event then carrying ``origin`` ("seed" or
"user"); the sources filter knows the stored sources' ids too. Without a store the layers are
exactly the seed catalogue's (no ``origin`` field), byte for byte.

Properties that hold several values (``sources``, ``actors``, ``sizes``, ``entries`` ...) are
lists here; a writer (:mod:`geodata.writers`) flattens them for its format, with the separator
given by :data:`LIST_SEPARATORS`.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path
from typing import Iterable

import geopandas as gpd
from shapely.geometry import LineString, MultiPoint, Point

from geodata.borders import border_distances, load_borders
from geodata.catalogue import filter_events, load_catalogue
from geodata.claims import check_all
from geodata.dates import overlaps, parse_date
from geodata.errors import DataError, InputError
from geodata.gazetteer import load_gazetteer
from geodata.schemas import EVENT_TYPES
from geodata.sources import load_sources
from geodata.store import Store, list_sources, verified_events

__all__ = ["CRS", "LAYER_NAMES", "LIST_SEPARATORS", "ORIGINS", "basemap", "border_bands", "build_layers", "flat_text",
           "frame", "user_violence"]

LAYER_NAMES = ("events", "troops", "figures", "places", "borders", "claims")
CRS = "EPSG:4326"
# How writers flatten a list property into one string: "; " where the items hold commas.
LIST_SEPARATORS = {"actors": "; ", "sizes": "; "}
DEFAULT_LIST_SEPARATOR = ", "
ORIGINS = ("seed", "user")  # the ``origin`` of an event: the hand-coded catalogue, or a user's store
BASEMAP_PATH = Path(__file__).resolve().parent / "data" / "basemap.geojson"


def _ev(evidence) -> list[dict]:
    return [e.as_dict() for e in sorted(evidence, key=lambda e: (e.document, e.start, e.source_id))]


def flat_text(field: str, value):
    """A list property as one string, joined as every writer joins it; other values unchanged."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATORS.get(field, DEFAULT_LIST_SEPARATOR).join(str(v) for v in value)
    return value


def frame(rows: list[dict], geoms: list, columns: list[str]) -> gpd.GeoDataFrame:
    """A GeoDataFrame indexed by feature id, sorted; empty layers keep their columns."""
    gdf = gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs=CRS) if rows else gpd.GeoDataFrame(
        {c: [] for c in columns}, geometry=[], crs=CRS
    )
    gdf.index = gdf["id"].astype(str).rename(None) if len(gdf) else gdf.index
    return gdf.sort_index()


def _cites(evidence, sources: set[str] | None) -> bool:
    return sources is None or any(e.source_id in sources for e in evidence)


def _size_text(figure) -> str:
    value = "no number" if figure.value is None else f"{figure.value:,}"
    qual = f"{figure.qualifier} " if figure.qualifier else ""
    who = f"{figure.claimant}, " if figure.claimant else ""
    return f"{qual}{value} ({who}{', '.join(sorted({e.source_id for e in figure.evidence}))})"


_EVENT_COLUMNS = ["id", "date_start", "date_end", "date_precision", "date_note", "type", "status", "place_id",
                  "place_name", "geo_precision", "description", "actors", "claimant", "sources", "evidence"]


def _events(cat, gz, lo, hi, sources, types) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for e in filter_events(cat.events, lo, hi, sources, types):
        p = gz.get(e.place)
        rows.append({
            "id": e.id, "date_start": e.date_start.isoformat(), "date_end": e.date_end.isoformat(),
            "date_precision": e.date_precision, "date_note": e.date_note, "type": e.type, "status": e.status,
            "place_id": p.id, "place_name": p.name, "geo_precision": e.geo_precision, "description": e.description,
            "actors": list(e.actors), "claimant": e.claimant, "sources": list(e.source_ids),
            "evidence": _ev(e.evidence),
        })
        geoms.append(Point(p.lon, p.lat))
    return frame(rows, geoms, _EVENT_COLUMNS)


def _with_user_events(seed: gpd.GeoDataFrame, store: Store, gz, lo, hi, sources, types) -> gpd.GeoDataFrame:
    """The seed events (``origin`` "seed") and the store's verified events (``origin`` "user") in one layer."""
    rows = [{**r, "origin": "seed"} for r in seed.drop(columns="geometry").to_dict("records")]
    geoms = list(seed.geometry)
    for e in verified_events(store):
        first, last = parse_date(e.date_start, "date_start"), parse_date(e.date_end, "date_end")
        if not (overlaps(first, last, lo, hi) and _cites(e.evidence, sources) and (types is None or e.type in types)):
            continue
        p = gz.get(e.place)
        rows.append({
            "id": e.id, "date_start": e.date_start, "date_end": e.date_end, "date_precision": e.date_precision,
            "date_note": e.date_note, "type": e.type, "status": "reported", "place_id": p.id, "place_name": p.name,
            "geo_precision": int(e.geo_precision), "description": _user_description(e), "actors": [], "claimant": "",
            "sources": [e.source_id], "evidence": _ev(e.evidence), "origin": "user",
        })
        geoms.append(Point(p.lon, p.lat))
    return frame(rows, geoms, _EVENT_COLUMNS + ["origin"])


USER_DESCRIPTION_CHARS = 140  # a user event without a description of its own is summed up by its quote, cut here


def _user_description(e) -> str:
    """The user's own description, else the quote (cut at a word): "Accepted suggestion." says nothing on a map."""
    if e.description and not e.description.startswith(("Accepted suggestion", "Coded by hand")):
        return e.description
    quote = " ".join(e.evidence[0].quote.split())
    return quote if len(quote) <= USER_DESCRIPTION_CHARS else quote[:USER_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"


def user_violence(store: Store | None) -> tuple[tuple[str, str, str], ...]:
    """``(type, place, source id)`` of every verified event in the store (empty without one), for the claim's seed set."""
    return () if store is None else tuple(sorted((e.type, e.place, e.source_id) for e in verified_events(store)))


def _troops(cat, gz, lo, hi, sources) -> gpd.GeoDataFrame:
    figures = {f.id: f for f in cat.figures}
    rows, geoms = [], []
    for t in cat.troops:
        if not (overlaps(t.date_start, t.date_end, lo, hi) and _cites(t.evidence, sources)):
            continue
        a, b = gz.get(t.origin), gz.get(t.destination)
        rows.append({
            "id": t.id, "contributor": t.contributor, "origin_id": a.id, "origin_name": a.name,
            "origin_precision": t.origin_precision, "origin_note": t.origin_note, "destination_id": b.id,
            "destination_name": b.name, "destination_precision": t.destination_precision,
            "destination_note": t.destination_note, "date_start": t.date_start.isoformat(),
            "date_end": t.date_end.isoformat(), "date_precision": t.date_precision, "date_note": t.date_note,
            "sizes": [_size_text(figures[s]) for s in t.sizes] or ["no size given"],
            "size_figure_ids": list(t.sizes), "description": t.description,
            "sources": sorted({e.source_id for e in t.evidence}), "evidence": _ev(t.evidence),
        })
        geoms.append(LineString([(a.lon, a.lat), (b.lon, b.lat)]))
    return frame(rows, geoms, ["id", "contributor", "origin_id", "origin_name", "origin_precision", "origin_note",
                              "destination_id", "destination_name", "destination_precision", "destination_note",
                              "date_start", "date_end", "date_precision", "date_note", "sizes", "size_figure_ids",
                              "description", "sources", "evidence"])


def _figures(cat, gz, lo, hi, sources) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for f in cat.figures:
        if not (overlaps(f.as_of, f.as_of, lo, hi) and _cites(f.evidence, sources)):
            continue
        p = gz.get(f.place)
        rows.append({
            "id": f.id, "metric": f.metric, "value": f.value, "qualifier": f.qualifier, "as_of": f.as_of.isoformat(),
            "as_of_precision": f.as_of_precision, "as_of_note": f.as_of_note, "place_id": p.id, "place_name": p.name,
            "geo_precision": f.geo_precision, "claimant": f.claimant, "event_id": f.event, "note": f.note,
            "sources": sorted({e.source_id for e in f.evidence}), "evidence": _ev(f.evidence),
        })
        geoms.append(Point(p.lon, p.lat))
    return frame(rows, geoms, ["id", "metric", "value", "qualifier", "as_of", "as_of_precision", "as_of_note", "place_id",
                              "place_name", "geo_precision", "claimant", "event_id", "note", "sources", "evidence"])


def _places(gz, layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Every place the filtered events, troops and figures use, with the evidence that puts something there."""
    uses: dict[str, list[tuple[str, list]]] = {}
    for name, cols in (("events", ["place_id"]), ("figures", ["place_id"]), ("troops", ["origin_id", "destination_id"])):
        for _, row in layers[name].iterrows():
            for col in cols:
                uses.setdefault(row[col], []).append((row["id"], row["evidence"]))
    places = [gz.get(pid) for pid in sorted(uses)]
    dist = border_distances([p.lon for p in places], [p.lat for p in places]) if places else None
    rows, geoms = [], []
    for i, p in enumerate(places):
        evidence = {json.dumps(e, sort_keys=True): e for _, evs in uses[p.id] for e in evs}
        in_kz = p.country == "KZ"
        rows.append({
            "id": p.id, "name": p.name, "kind": p.kind, "country": p.country, "precision": p.precision,
            "source": p.source, "entries": sorted({eid for eid, _ in uses[p.id]}),
            "border_nearest": str(dist.iloc[i]["nearest"]) if in_kz else None,
            "border_km": float(dist.iloc[i]["km"]) if in_kz else None,
            "evidence": sorted(evidence.values(), key=lambda e: (e["document"], e["start"], e["source_id"])),
        })
        geoms.append(Point(p.lon, p.lat))
    return frame(rows, geoms, ["id", "name", "kind", "country", "precision", "source", "entries", "border_nearest",
                              "border_km", "evidence"])


@functools.cache
def _borders_layer() -> gpd.GeoDataFrame:
    b = load_borders()
    b["id"] = "border:" + b["iso_a2"].astype(str)
    b["length_km"] = b["length_km"].round(1)
    b = b[["id", "neighbour", "iso_a2", "length_km", "source", "geometry"]]
    return frame(b.drop(columns="geometry").to_dict("records"), list(b.geometry), list(b.columns.drop("geometry")))


@functools.cache
def _claims_layer() -> gpd.GeoDataFrame:
    gz = load_gazetteer()
    rows, geoms = [], []
    for check in check_all():
        c = check.as_dict()
        pts = [gz.get(i) for i in c["place_ids"]]
        rows.append(c)
        geoms.append(Point(pts[0].lon, pts[0].lat) if len(pts) == 1 else MultiPoint([(p.lon, p.lat) for p in pts]))
    cols = ["id", "statement", "source_id", "claimant", "measured", "value", "unit", "verdict", "method", "caveats",
            "place_ids", "evidence"]
    return frame([{k: r[k] for k in cols} for r in rows], geoms, cols)


def build_layers(date_from=None, date_to=None, sources: Iterable[str] | None = None,
                 types: Iterable[str] | None = None, store: Store | None = None) -> dict[str, gpd.GeoDataFrame]:
    """All layers for one filter.

    Parameters
    ----------
    date_from, date_to : date or ISO str, optional
        Inclusive window; entries whose date range overlaps it are kept.
    sources : iterable of str, optional
        Source ids; keep entries citing any of them (claims: stated in any of them).
    types : iterable of str, optional
        Event types to keep (events only).
    store : geodata.store.Store, optional
        The user's store: its coded events join ``events`` (each event gains ``origin``,
        "seed" or "user"), and its source ids are known to the ``sources`` filter.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Keyed by :data:`LAYER_NAMES`, each EPSG:4326, indexed and sorted by feature id.
    """
    lo, hi = parse_date(date_from, "date_from"), parse_date(date_to, "date_to")
    if lo and hi and lo > hi:
        raise InputError(f"date_from {lo} is after date_to {hi}; swap them")
    src = None if sources is None else set(sources)
    known = set(load_sources()) | ({s.id for s in list_sources(store)} if store is not None else set())
    if src is not None:
        unknown = sorted(src - known)
        if unknown:
            raise InputError(f"unknown source id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if types is not None:
        types = list(types)
        for t in types:
            if t not in EVENT_TYPES:
                close = difflib.get_close_matches(str(t), EVENT_TYPES, n=3)
                hint = f"did you mean {', '.join(close)}? " if close else ""
                raise InputError(f"unknown event type {str(t)[:80]!r}; {hint}known: {', '.join(EVENT_TYPES)}")
    cat, gz = load_catalogue(), load_gazetteer()
    kinds = None if types is None else list(types)
    seed_events = _events(cat, gz, lo, hi, src, kinds)
    layers = {
        "events": seed_events if store is None else _with_user_events(seed_events, store, gz, lo, hi, src, kinds),
        "troops": _troops(cat, gz, lo, hi, src),
        "figures": _figures(cat, gz, lo, hi, src),
    }
    layers["places"] = _places(gz, layers)
    layers["borders"] = _borders_layer().copy()
    claims = _claims_layer()
    layers["claims"] = claims[claims["source_id"].isin(src)].copy() if src is not None else claims.copy()
    return {name: layers[name] for name in LAYER_NAMES}


@functools.cache
def basemap() -> gpd.GeoDataFrame:
    """Simplified country outlines for the offline basemap (display only, never measured)."""
    if not BASEMAP_PATH.exists():
        raise DataError(f"{BASEMAP_PATH}: missing; rebuild it with python3 scripts/build_borders.py")
    return gpd.read_file(BASEMAP_PATH).set_crs(CRS, allow_override=True)


@functools.lru_cache(maxsize=64)
def border_bands(km: float, neighbours: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Polygons within ``km`` of the chosen borders, for drawing the claim's distance band.

    Each border is buffered in an azimuthal equidistant projection centred on that border, so
    the band is within about 1 % of the geodesic distance across Kazakhstan; counting uses the
    exact geodesic distances of geodata.borders, never these polygons.
    """
    if km <= 0:
        raise InputError(f"band width must be > 0 km, got {km}")
    b = load_borders()
    rows, geoms = [], []
    for _, r in b[b["neighbour"].isin(neighbours)].sort_values("neighbour").iterrows():
        c = r.geometry.centroid
        aeqd = f"+proj=aeqd +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84 +units=m"
        line = gpd.GeoSeries([r.geometry], crs=CRS).to_crs(aeqd)
        band = line.buffer(km * 1000, quad_segs=8).simplify(km * 20).to_crs(CRS).iloc[0]
        rows.append({"id": f"band:{r['iso_a2']}:{km:g}", "neighbour": r["neighbour"], "km": km})
        geoms.append(band)
    return frame(rows, geoms, ["id", "neighbour", "km"])
