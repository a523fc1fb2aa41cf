"""Kazakhstan's land borders per neighbour, and geodesic distances to them.

The borders are ``geodata/data/kz_borders.geojson``, built by ``scripts/build_borders.py``
from Natural Earth 1:10m admin-0 countries (world-atlas@2.0.2): one LineString per
neighbour, the shared boundary of the two country polygons. The Caspian and Aral shores
are not borders. Lengths and their comparison with cited figures are in that script.

Distances are geodesic on WGS84, in km, from a point to the nearest point of a border.

How distances are computed, and how wrong they can be
-----------------------------------------------------
Each border line is densified so that no step exceeds ``STEP_DEG`` (0.004 deg, linear in
lon/lat as RFC 7946 defines a segment), which is at most 0.45 km on the ground. The
vertices go, per neighbour, into a KD-tree on their 3-D ECEF coordinates (WGS84). A
query takes the ``K`` vertices with the shortest chord and returns the least geodesic
distance (``pyproj.Geod.inv``) among them. Error sources, all one-sided or bounded:

* densification: the nearest vertex is at most half a step (0.23 km) farther than the
  nearest point of the line, and exactly as far when the foot of the perpendicular is a
  vertex; far from the line the excess shrinks as (step/2)**2 / (2 d);
* ranking by chord instead of geodesic: on the ellipsoid the two orders differ only by
  the curvature term, about d**3 / (24 R**2) * 1 % (0.2 km at 2,500 km, nil near a
  border), and the least geodesic among ``K`` candidates is never worse than that of the
  chord-nearest one.

So results are within about 0.25 km of the true distance to the line within a few
hundred km of a border, and within 0.5 km everywhere in and around Kazakhstan;
``tests/test_borders.py`` checks this against a brute force for every GeoNames place in
Kazakhstan.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from scipy.spatial import cKDTree

from geodata.errors import DataError, InputError

__all__ = [
    "BORDERS_PATH",
    "GEOD",
    "NEIGHBOURS",
    "border_distance",
    "border_distances",
    "border_length_km",
    "check_km",
    "check_neighbours",
    "load_borders",
    "within_km",
]

BORDERS_PATH = Path(__file__).resolve().parent / "data" / "kz_borders.geojson"
NEIGHBOURS = ("China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan")
STEP_DEG = 0.004  # densification step; <= 0.45 km since a degree is <= 111.7 km
K = 8  # chord-nearest candidates refined geodesically per point and neighbour

GEOD = Geod(ellps="WGS84")
_TO_ECEF = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)


@dataclass(frozen=True)
class _Index:
    """Densified vertices of one border and their KD-tree."""

    lons: np.ndarray
    lats: np.ndarray
    tree: cKDTree


@functools.cache
def _borders() -> gpd.GeoDataFrame:
    """Read and check the borders file once."""
    if not BORDERS_PATH.exists():
        raise DataError(f"{BORDERS_PATH}: missing; rebuild it with `python3 scripts/build_borders.py`")
    gdf = gpd.read_file(BORDERS_PATH)
    missing = {"neighbour", "length_km", "geometry"} - set(gdf.columns)
    if missing:
        raise DataError(f"{BORDERS_PATH}: columns {sorted(missing)} missing; rebuild with scripts/build_borders.py")
    if tuple(sorted(gdf["neighbour"])) != NEIGHBOURS:
        raise DataError(
            f"{BORDERS_PATH}: neighbours {sorted(gdf['neighbour'])} are not {list(NEIGHBOURS)}; "
            "rebuild with scripts/build_borders.py"
        )
    if not (gdf.geom_type == "LineString").all():
        raise DataError(f"{BORDERS_PATH}: every border must be one LineString; rebuild with scripts/build_borders.py")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataError(f"{BORDERS_PATH}: CRS is {gdf.crs}, expected EPSG:4326 (RFC 7946 lon/lat)")
    return gdf.sort_values("neighbour").reset_index(drop=True)


def load_borders() -> gpd.GeoDataFrame:
    """Kazakhstan's land border with each neighbour.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per neighbour sorted by name, columns ``neighbour``,
        ``iso_a2``, ``length_km`` (geodesic, WGS84), ``source`` and ``geometry``
        (LineString). A copy: changing it does not change the cache.

    Raises
    ------
    DataError
        If ``geodata/data/kz_borders.geojson`` is missing or malformed.
    """
    return _borders().copy()


def border_length_km(neighbour: str) -> float:
    """Geodesic length in km of Kazakhstan's border with ``neighbour`` (1:10m data).

    Raises
    ------
    InputError
        If ``neighbour`` is not one of ``NEIGHBOURS``.
    """
    check_neighbours([neighbour])
    gdf = _borders()
    return float(gdf.loc[gdf["neighbour"] == neighbour, "length_km"].iloc[0])


@functools.cache
def _index(neighbour: str) -> _Index:
    """Densify one border and index its vertices in 3-D."""
    line = _borders().set_index("neighbour").geometry[neighbour]
    xy = shapely.get_coordinates(shapely.segmentize(line, STEP_DEG))
    x, y, z = _TO_ECEF.transform(xy[:, 0], xy[:, 1], np.zeros(len(xy)))
    return _Index(xy[:, 0].copy(), xy[:, 1].copy(), cKDTree(np.column_stack([x, y, z])))


def _as_coordinates(lons, lats) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert to two 1-D float arrays."""
    try:
        lons = np.atleast_1d(np.asarray(lons, dtype=float))
        lats = np.atleast_1d(np.asarray(lats, dtype=float))
    except (TypeError, ValueError) as exc:
        raise InputError(f"coordinates must be numbers (lon, lat in degrees): {exc}") from None
    if lons.ndim != 1 or lats.ndim != 1:
        raise InputError("lons and lats must be scalars or 1-D sequences")
    if lons.shape != lats.shape:
        raise InputError(f"lons and lats differ in length ({len(lons)} vs {len(lats)}); pass one of each per point")
    bad = ~(np.isfinite(lats) & (np.abs(lats) <= 90))
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"latitude {lats[i]} at index {i} is outside [-90, 90]; were lon and lat swapped?")
    bad = ~(np.isfinite(lons) & (np.abs(lons) <= 180))
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"longitude {lons[i]} at index {i} is outside [-180, 180]")
    return lons, lats


def check_neighbours(neighbours: Iterable[str]) -> tuple[str, ...]:
    """Validate neighbour names; return them as a tuple.

    Raises
    ------
    InputError
        If the list is empty or names a country that is not in ``NEIGHBOURS``.
    """
    names = (neighbours,) if isinstance(neighbours, str) else tuple(neighbours)
    unknown = [n for n in names if n not in NEIGHBOURS]
    if unknown or not names:
        raise InputError(
            f"unknown neighbour(s) {unknown or '(none given)'}; neighbours must be a non-empty subset of {', '.join(NEIGHBOURS)}"
        )
    return names


def check_km(km, what: str = "km") -> float:
    """Validate a distance threshold in km (finite, >= 0); ``what`` names it in the message."""
    try:
        value = float(km)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number of km, got {km!r}") from None
    if not np.isfinite(value) or value < 0:
        raise InputError(f"{what} must be a finite distance >= 0 km, got {km}")
    return value


def _distances_km(lons: np.ndarray, lats: np.ndarray, neighbour: str) -> np.ndarray:
    """Unrounded geodesic km from each point to one border."""
    idx = _index(neighbour)
    x, y, z = _TO_ECEF.transform(lons, lats, np.zeros(len(lons)))
    k = min(K, len(idx.lons))
    _, cand = idx.tree.query(np.column_stack([x, y, z]), k=k)
    cand = cand.reshape(len(lons), k)
    _, _, metres = GEOD.inv(
        np.repeat(lons, k), np.repeat(lats, k), idx.lons[cand.ravel()], idx.lats[cand.ravel()]
    )
    return metres.reshape(len(lons), k).min(axis=1) / 1000.0


def _raw_table(lons, lats, neighbours: tuple[str, ...]) -> dict[str, np.ndarray]:
    lons, lats = _as_coordinates(lons, lats)
    return {n: _distances_km(lons, lats, n) if len(lons) else np.zeros(0) for n in neighbours}


def border_distances(lons, lats) -> pd.DataFrame:
    """Geodesic distance from each point to Kazakhstan's border with each neighbour.

    Parameters
    ----------
    lons, lats : array-like of float
        Longitudes in [-180, 180] and latitudes in [-90, 90], WGS84 degrees, equal lengths.

    Returns
    -------
    pandas.DataFrame
        One row per point in input order; one column per neighbour (km), ``nearest``
        (the neighbour whose border is closest; ties go to the first in ``NEIGHBOURS``)
        and ``km`` (the distance to it). Distances are rounded to 0.1 km and accurate to
        about 0.25 km near a border (see the module docstring).

    Raises
    ------
    InputError
        On non-numeric, out-of-range or unequal-length coordinates.

    Examples
    --------
    >>> border_distances([76.95], [43.25])["nearest"].tolist()  # Almaty
    ['Kyrgyzstan']
    """
    table = _raw_table(lons, lats, NEIGHBOURS)
    frame = pd.DataFrame({n: np.round(table[n], 1) for n in NEIGHBOURS})
    stacked = np.column_stack([table[n] for n in NEIGHBOURS]) if len(frame) else np.zeros((0, len(NEIGHBOURS)))
    nearest = stacked.argmin(axis=1) if len(frame) else np.zeros(0, dtype=int)
    frame["nearest"] = pd.array([NEIGHBOURS[i] for i in nearest], dtype=object)
    frame["km"] = np.round(stacked.min(axis=1), 1) if len(frame) else np.zeros(0)
    return frame


def border_distance(lon: float, lat: float) -> dict:
    """Geodesic distance from one point to each of Kazakhstan's land borders.

    Returns
    -------
    dict
        ``{"nearest": str, "km": float, "by_neighbour": {neighbour: km}}``, km rounded to 0.1.

    Raises
    ------
    InputError
        On a non-numeric or out-of-range coordinate.

    Examples
    --------
    >>> border_distance(69.1, 54.87)["nearest"]  # Petropavl
    'Russia'
    """
    if np.ndim(lon) or np.ndim(lat):
        raise InputError("border_distance takes one lon and one lat; use border_distances for sequences")
    row = border_distances([lon], [lat]).iloc[0]
    return {
        "nearest": str(row["nearest"]),
        "km": float(row["km"]),
        "by_neighbour": {n: float(row[n]) for n in NEIGHBOURS},
    }


def within_km(lons, lats, km: float, neighbours: Iterable[str] | None = None) -> np.ndarray:
    """Whether each point is within ``km`` of the border with any of ``neighbours``.

    Parameters
    ----------
    lons, lats : array-like of float
        WGS84 degrees, as for :func:`border_distances`.
    km : float
        Distance threshold in km (inclusive), >= 0. Unrounded distances are compared.
    neighbours : iterable of str, optional
        Names from ``NEIGHBOURS``; all five when omitted.

    Returns
    -------
    numpy.ndarray of bool
        One value per point.

    Raises
    ------
    InputError
        On bad coordinates, a negative or non-numeric ``km``, or an unknown neighbour.
    """
    km = check_km(km)
    names = NEIGHBOURS if neighbours is None else check_neighbours(neighbours)
    table = _raw_table(lons, lats, names)
    return np.logical_or.reduce([table[n] <= km for n in names])
