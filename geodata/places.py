"""Events grouped by where they happened: what the map draws, one marker per place group.

The catalogue puts events at places of very different sizes: a landmark, a city, a region,
the whole country. Drawn as points, 23 country-level events would sit on one pixel at
Kazakhstan's centre, and the Almaty events (the city, its airport, Republic Square, Kok
Tobe, a few kilometres apart) under each other. This module decides, in pure Python, what
the map shows instead:

* :func:`nationwide`: events placed at a country (``kind == "country"``). They are never a
  point: the dashboard lists them beside the map.
* :func:`place_groups`: one row per *place group*: places closer than ``radius_km`` to the
  group's anchor (the most used city among them) share one marker that carries the count of
  all their events, so at no zoom does one marker hide another. Regions are groups of their
  own, drawn as a region, never merged with a city.
* :func:`stand_ins`: which ends of a troop movement are stand-ins (a capital for a country).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from geodata.gazetteer import load_gazetteer

__all__ = ["GROUP_RADIUS_KM", "PRECISION_WORDS", "PlaceGroup", "nationwide", "place_groups", "stand_ins",
           "type_label"]

GROUP_RADIUS_KM = 30.0  # an airport or a landmark within this distance of a city joins the city's marker
PRECISION_WORDS = {1: "the named place", 2: "near or part of the named place", 3: "region or country level"}
_KIND_ORDER = {"city": 0, "town": 1, "landmark": 2}  # which place anchors a group: a city first


@dataclass(frozen=True)
class PlaceGroup:
    """One marker on the map: co-located places and every event at them.

    ``places`` holds ``(place_id, name, kind, event_ids)`` per member place, the anchor first.
    """

    id: str
    name: str
    kind: str  # "point" (a city, town or landmark group) | "region"
    lat: float
    lon: float
    places: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    event_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many events the group holds."""
        return len(self.event_ids)

    @property
    def ref(self) -> str:
        """The selection reference (``groups:<anchor place id>``)."""
        return f"groups:{self.id}"


def type_label(event_type: str) -> str:
    """An event type in words: ``security_operation`` -> ``Security operation``."""
    text = str(event_type).replace("_", " ")
    return text[:1].upper() + text[1:]


def _km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Great-circle distance on a 6371 km sphere: enough to decide what shares a marker."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    h = math.sin((p1 - p0) / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _kinds(place_ids) -> dict[str, str]:
    gz = load_gazetteer()
    return {pid: gz.get(pid).kind for pid in set(place_ids)}


def nationwide(events: pd.DataFrame) -> pd.DataFrame:
    """The events placed at a whole country, by date then id: listed, never drawn at a point.

    Parameters
    ----------
    events : pandas.DataFrame
        The ``events`` layer (``geodata.layers.build_layers``), filtered or not.

    Returns
    -------
    pandas.DataFrame
        The country-level rows of ``events``.

    Examples
    --------
    >>> from geodata.layers import build_layers
    >>> (nationwide(build_layers()["events"])["place_id"] == "country:KZ").all()
    True
    """
    if not len(events):
        return events.iloc[0:0]
    kinds = _kinds(events["place_id"])
    mask = events["place_id"].map(kinds).eq("country")
    return events[mask].sort_values(["date_start", "date_end", "id"])


def place_groups(events: pd.DataFrame, radius_km: float = GROUP_RADIUS_KM) -> list[PlaceGroup]:
    """Group the events that are not country-level by place, merging co-located places.

    Parameters
    ----------
    events : pandas.DataFrame
        The ``events`` layer, with ``place_id``, ``place_name``, ``id`` and a point geometry.
    radius_km : float
        Places within this distance of a group's anchor join that group (regions never do).

    Returns
    -------
    list of PlaceGroup
        Sorted by group id; every non-country event is in exactly one group.

    Examples
    --------
    >>> from geodata.layers import build_layers
    >>> almaty = [g for g in place_groups(build_layers()["events"]) if g.name == "Almaty"][0]
    >>> almaty.count, len(almaty.places)
    (11, 4)
    """
    if not len(events):
        return []
    gz = load_gazetteer()
    kinds = _kinds(events["place_id"])
    by_place: dict[str, list[str]] = {}
    for row in events.sort_values(["date_start", "date_end", "id"]).itertuples():
        if kinds[row.place_id] != "country":
            by_place.setdefault(row.place_id, []).append(str(row.id))
    places = [gz.get(pid) for pid in by_place]
    # Anchors first: cities before landmarks, then the most used, then by id (deterministic).
    places.sort(key=lambda p: (_KIND_ORDER.get(p.kind, 3), -len(by_place[p.id]), p.id))
    groups: list[list] = []
    for p in places:
        home = None
        if p.kind != "region":
            home = next((g for g in groups if g[0].kind != "region" and _km(g[0].lat, g[0].lon, p.lat, p.lon) <= radius_km), None)
        if home is None:
            groups.append([p])
        else:
            home.append(p)
    out = []
    for members in groups:
        anchor = members[0]
        rows = tuple((m.id, m.name, m.kind, tuple(by_place[m.id])) for m in members)
        ids = tuple(sorted({eid for m in members for eid in by_place[m.id]},
                           key=lambda e: (events.loc[events["id"] == e, "date_start"].iloc[0], e)))
        out.append(PlaceGroup(id=anchor.id, name=anchor.name, kind="region" if anchor.kind == "region" else "point",
                              lat=anchor.lat, lon=anchor.lon, places=rows, event_ids=ids))
    return sorted(out, key=lambda g: g.id)


def stand_ins(row) -> list[str]:
    """What a troop movement's ends stand in for, in words, first thing a reader sees.

    Parameters
    ----------
    row : mapping
        A row of the ``troops`` layer (``origin_*``, ``destination_*``, ``contributor``).

    Returns
    -------
    list of str
        E.g. ``["stand-in: Moscow for Russia", "stand-in: Kazakhstan's centre for the whole country"]``;
        empty when both ends are the places the sources name.
    """
    out = []
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    ends = [e for e in ("origin", "destination") if get(f"{e}_id") is not None and get(f"{e}_precision") is not None]
    kinds = _kinds([get(f"{e}_id") for e in ends])
    for end in ends:
        if int(get(f"{end}_precision")) < 3:
            continue
        name, who = get(f"{end}_name"), get("contributor") if end == "origin" else "Kazakhstan"
        if kinds[get(f"{end}_id")] == "country":
            out.append(f"stand-in: {name}'s centre for the whole country")
        else:
            out.append(f"stand-in: {name} for {who}")
    return out
