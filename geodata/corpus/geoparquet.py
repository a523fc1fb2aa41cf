"""Place mentions as GeoParquet 1.1: one row per mention, WKB points in EPSG:4326.

Written with pyarrow directly rather than ``GeoDataFrame.to_parquet``: the workers then never
import geopandas, and every byte of a file is decided here (the ``geo`` metadata has no
library version in it, so the same mentions give the same file). The metadata is what
geopandas writes for a point layer in EPSG:4326 (``version``, ``primary_column``, and for the
``geometry`` column ``encoding: "WKB"``, ``geometry_types: ["Point"]``, the CRS as PROJJSON
and the file's ``bbox``), so ``geopandas.read_parquet`` reads it back with its CRS.
Coordinates are longitude, latitude, as GeoParquet requires whatever the CRS's axis order.
"""

from __future__ import annotations

import json
import os
import struct
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["GEOPARQUET_VERSION", "SCHEMA", "geo_metadata", "mentions_table", "point_wkb", "write_table"]

GEOPARQUET_VERSION = "1.1.0"
SCHEMA = pa.schema([
    ("doc_id", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("text", pa.string()),
    ("sentence_start", pa.int64()),
    ("sentence_end", pa.int64()),
    ("place_id", pa.string()),
    ("name", pa.string()),
    ("kind", pa.string()),
    ("country", pa.string()),
    ("confidence", pa.float64()),
    ("date", pa.string()),
    ("title", pa.string()),
    ("source", pa.string()),
    ("geometry", pa.binary()),
])
_POINT = struct.Struct("<BIdd")  # ISO WKB: little-endian flag, type 1 (Point), x, y


def point_wkb(lon: float, lat: float) -> bytes:
    """The 21-byte little-endian WKB of a 2-D point (what shapely writes for it)."""
    return _POINT.pack(1, 1, lon, lat)


@cache
def _crs_projjson() -> dict:
    """EPSG:4326 as PROJJSON, as geopandas writes it (pyproj is imported once per worker)."""
    from pyproj import CRS

    crs = CRS.from_epsg(4326).to_json_dict()
    # As geopandas does: ids on datum ensemble members trip up older PROJ versions reading the file.
    for member in crs.get("datum_ensemble", {}).get("members", []):
        member.pop("id", None)
    return crs


def geo_metadata(bbox: list[float] | None) -> dict:
    """The GeoParquet ``geo`` metadata of a mentions file; ``bbox`` is [minx, miny, maxx, maxy] or None."""
    column = {"encoding": "WKB", "geometry_types": ["Point"], "crs": _crs_projjson()}
    if bbox is not None:
        column["bbox"] = bbox
    return {"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}}


def mentions_table(rows: dict[str, list]) -> pa.Table:
    """A table of :data:`SCHEMA` from column lists (``geometry`` as WKB bytes), with ``geo`` metadata.

    ``rows`` also holds ``lon`` and ``lat`` lists for the bbox; they are not columns.
    """
    lons, lats = rows["lon"], rows["lat"]
    bbox = [min(lons), min(lats), max(lons), max(lats)] if lons else None
    table = pa.table({f.name: pa.array(rows[f.name], type=f.type) for f in SCHEMA}, schema=SCHEMA)
    meta = {b"geo": json.dumps(geo_metadata(bbox), sort_keys=True).encode("utf-8")}
    return table.replace_schema_metadata(meta)


def write_table(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` via a hidden temporary file and a rename, so a reader of the
    folder never sees half a file (Arrow skips names starting with a dot)."""
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
