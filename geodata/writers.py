"""Layers written for GIS users: RFC 7946 GeoJSON and CSV files, one folder or one zip.

An export holds ``<layer>.geojson`` and ``<layer>.csv`` for every layer, ``sources.csv`` and
``README.txt`` (see :mod:`geodata.exportfiles`), so it explains itself.

GeoJSON output follows RFC 7946: WGS84 lon/lat, no ``crs`` member, coordinates rounded to
6 decimals (about 0.1 m), polygon exterior rings counter-clockwise, features sorted by id,
keys sorted: byte-identical across runs.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geodata.errors import DataError, InputError
from geodata.exportfiles import readme_text, sources_csv, to_csv
from geodata.layers import LAYER_NAMES, build_layers, flat_text
from geodata.store import list_sources

__all__ = ["export", "export_files", "export_zip", "filter_suffix", "flatten_lists", "to_geojson"]

DECIMALS = 6


def _round(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def flatten_lists(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``gdf`` whose list properties (all but ``evidence``) are joined into strings.

    Joined by :func:`geodata.layers.flat_text`; separators from :data:`geodata.layers.LIST_SEPARATORS` ("; " where items hold commas).
    """
    out = gdf.copy()
    for col in out.columns:
        if col in ("evidence", out.geometry.name) or out[col].dtype != object:
            continue
        if any(isinstance(v, (list, tuple)) for v in out[col]):
            out[col] = [flat_text(col, v) for v in out[col]]
    return out


def to_geojson(gdf: gpd.GeoDataFrame) -> str:
    """Serialise a layer as RFC 7946 GeoJSON text (deterministic).

    List properties are joined into strings (:func:`flatten_lists`); ``evidence`` stays a list
    of objects.

    Raises
    ------
    DataError
        If the layer is not in WGS84 lon/lat.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataError(f"to_geojson: layer CRS is {gdf.crs}; RFC 7946 needs EPSG:4326 (call .to_crs(4326) first)")
    out = flatten_lists(gdf)
    out["geometry"] = shapely.orient_polygons(_round(out.geometry.values), exterior_cw=False)
    out = out.set_geometry("geometry").sort_index()
    out.index = out.index.astype(str)
    fc = out.to_geo_dict(na="null", show_bbox=False, drop_id=False)
    return json.dumps(fc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def filter_suffix(date_from=None, date_to=None, sources=None, types=None) -> str:
    """A file-name suffix that says which filter made an export, e.g. ``2022-01-05_2022-01-07_src-pike-spectator``."""
    parts = [str(date_from or "start"), str(date_to or "end")]
    if sources:
        parts.append("src-" + "+".join(sorted(sources)))
    if types:
        parts.append("type-" + "+".join(sorted(types)))
    return "_".join(parts)


def _extra_files(layers: dict[str, gpd.GeoDataFrame], filters: dict, suffix: str, user_sources=()) -> dict[str, str]:
    """``sources.csv`` and ``README.txt`` of an export."""
    return {"README.txt": readme_text(layers, filters, suffix), "sources.csv": sources_csv(user_sources)}


def export_files(layers: dict[str, gpd.GeoDataFrame], filters: dict | None = None, suffix: str = "",
                 user_sources=()) -> dict[str, str]:
    """Every file of an export, by file name: GeoJSON and CSV per layer, ``sources.csv``, ``README.txt``.

    Layer files are named ``<layer>[_<suffix>].geojson`` / ``.csv``; the texts are deterministic.
    ``user_sources`` (``geodata.store.StoredSource``) are listed in ``sources.csv`` after the seeds.
    """
    tail = f"_{suffix}" if suffix else ""
    files = {}
    for name in sorted(layers):
        files[f"{name}{tail}.geojson"] = to_geojson(layers[name])
        files[f"{name}{tail}.csv"] = to_csv(layers[name], name)
    files.update(_extra_files(layers, filters or {}, suffix, user_sources))
    return files


def export_zip(layers: dict[str, gpd.GeoDataFrame], suffix: str = "", filters: dict | None = None,
               user_sources=()) -> bytes:
    """Every file of :func:`export_files` in one zip (fixed timestamps, sorted names: byte-identical).

    ``filters`` (``date_from``, ``date_to``, ``sources``, ``types``) is written into README.txt;
    ``user_sources`` are listed in ``sources.csv``.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for fname, text in sorted(export_files(layers, filters, suffix, user_sources).items()):
            info = zipfile.ZipInfo(fname, date_time=(2022, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    return buf.getvalue()


def export(outdir: str | Path, store=None, **filters) -> list[Path]:
    """Write every file of :func:`export_files` into ``OUTDIR``, all or nothing; return the paths written, sorted.

    ``<layer>.geojson`` and ``<layer>.csv`` for every layer, ``sources.csv`` and ``README.txt``.
    The filters are checked (and the files built) before anything is created. Every file is
    first written under a temporary name in ``OUTDIR``; only when all are written and every
    target can be replaced (no directory in the way) are they renamed into place. On any failure
    only those temporaries are removed: the folder keeps its old files, byte for byte, and
    nothing export did not write is ever deleted.
    With ``store`` (a ``geodata.store.Store``) its coded events join the events and its sources
    ``sources.csv``; without one the files are the seed catalogue's alone.

    Raises
    ------
    InputError
        If a filter is invalid, ``outdir`` is a file, or a file cannot be created or replaced.
    """
    layers = build_layers(**filters, store=store)  # bad dates, sources or types: refused before any folder exists
    users = list_sources(store) if store is not None else ()
    files = export_files({name: layers[name] for name in LAYER_NAMES}, filters, user_sources=users)
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(f"export: {out} is a file, not a directory; give a directory path")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"export: cannot create {out} ({exc.strerror}); choose a writable directory") from None
    targets = [out / fname for fname in sorted(files)]
    for path in targets:
        if path.is_dir() or (path.exists() and not path.is_file()):
            raise InputError(f"export: {path} exists and is not a regular file; move it away, nothing was written")
    temps: list[Path] = []
    try:
        for path in targets:
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{path.name}.", suffix=".tmp")
            temps.append(Path(tmp))
            with os.fdopen(fd, "wb") as fh:
                fh.write(files[path.name].encode("utf-8"))
        for tmp, path in zip(temps, targets):
            os.replace(tmp, path)
    except OSError as exc:
        for tmp in temps:
            if tmp.exists():
                tmp.unlink()
        where = exc.filename or out
        raise InputError(f"export: cannot write {where} ({exc.strerror}); nothing in {out} was changed; "
                         "choose a writable directory") from None
    return targets
