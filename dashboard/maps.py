"""Layers -> folium objects: the atlas map, drawn offline with vector shapes only.

No tiles: the basemap is our own simplified country outlines. Events are drawn per place
group (``geodata.places``): one badge with the count per place, regions as a region, and
country-level events not at all (the page lists them as "Nationwide"). Every tooltip is
escaped (``dashboard.escape``) and carries no internal reference: each feature's reference
travels as a property, and a click hands it to Python through ``window.atlasSelect``
(``dashboard.mapui``), read back by ``dashboard.state.parse_ref``.

New layers are one more ``_add_*`` function and one more entry in :func:`build_map`'s
``groups``; tooltips, features and the basemap come from ``dashboard.mapshapes``, the
mentions layers from ``dashboard.mentionmap`` (which also draws the "Your document" map).
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiLineString, Point

from dashboard import data, mapui
from dashboard.escape import html_text
from dashboard.mapshapes import (CENTRE, FALLBACK_COLOUR, KAZAKHSTAN_BOUNDS, ZOOM, add_basemap, add_layer, feature,
                                 tooltip_html)
from dashboard.mentionmap import add_mentions
from geodata.claims import PikeResult
from geodata.layers import flat_text
from geodata.places import PRECISION_WORDS, place_groups, stand_ins, type_label

__all__ = ["DEFAULT_LAYERS", "LAYER_KEYS", "NEIGHBOUR_COLOURS", "PRECISION_STYLE", "TYPE_COLOURS", "build_map",
           "group_points", "highlight"]

# One colour per event type (geodata.schemas.EVENT_TYPES); violence in reds, the state's
# measures in blues, politics in purples, the rest in greens and greys.
TYPE_COLOURS = {
    "armed_clash": "#b2182b",
    "riot": "#d6604d",
    "attack_on_property": "#e08214",
    "seizure": "#8c510a",
    "protest": "#f1b6da",
    "security_operation": "#2166ac",
    "security_measure": "#4393c3",
    "arrest": "#053061",
    "deployment": "#35978f",
    "political_decision": "#762a83",
    "dismissal": "#9970ab",
    "meeting": "#c2a5cf",
    "claim": "#ffd92f",
    "communications_shutdown": "#525252",
    "disruption": "#969696",
    "restoration": "#1b7837",
    "peaceful": "#a6dba0",
}
NEIGHBOUR_COLOURS = {
    "China": "#d73027",
    "Kyrgyzstan": "#fc8d59",
    "Russia": "#4575b4",
    "Turkmenistan": "#91bfdb",
    "Uzbekistan": "#1a9850",
}
# geo_precision -> marker style: 1 the named place (small, solid), 2 near or part of it,
# 3 region or country level (large, faint, dashed: "somewhere here").
PRECISION_STYLE = {
    1: {"radius": 6, "fill_opacity": 0.9, "weight": 1, "dash_array": None},
    2: {"radius": 9, "fill_opacity": 0.5, "weight": 2, "dash_array": None},
    3: {"radius": 14, "fill_opacity": 0.15, "weight": 2, "dash_array": "4 3"},
}
# Layer keys (the URL's ``layers``), in the layer control's order, and those shown at first.
LAYER_KEYS = ("demonyms", "mentions", "claim", "borders", "troops", "places", "checks", "events")
DEFAULT_LAYERS = ("borders", "troops", "events")


def _dates(row) -> str:
    start, end = str(row.get("date_start", "")), str(row.get("date_end", ""))
    span = start if start == end or not end else f"{start} to {end}"
    precision = row.get("date_precision", "")
    return f"{span} ({precision})" if precision and precision != "day" else span


REGION_RING_PX = 34  # a region-level place: a dashed, hatched ring this big, never read as a city


def group_points(events: gpd.GeoDataFrame) -> list[dict]:
    """One marker per place group (``geodata.places.place_groups``): count, colour, tooltip, name.

    Country-level events are not among them: the page lists them as "Nationwide".
    """
    by_id = events.set_index("id") if len(events) else None
    out = []
    for g in place_groups(events):
        types = sorted({by_id.loc[e, "type"] for e in g.event_ids})
        colour = TYPE_COLOURS.get(types[0], FALLBACK_COLOUR) if len(types) == 1 else "#333333"
        n = g.count
        what = ", ".join(type_label(t).lower() for t in types[:3]) + (" …" if len(types) > 3 else "")
        where = "region level" if g.kind == "region" else PRECISION_WORDS[1]
        names = [p[1] for p in g.places]
        lines = [f"{n} event{'s' if n != 1 else ''}: {what}", (f"also at: {', '.join(names[1:])}" if len(names) > 1 else where),
                 "click to list them"]
        added = [e for e in g.event_ids if "origin" in by_id and by_id.loc[e, "origin"] == "user"]
        if added:  # events a user coded from a source in the store
            titles = sorted({user_source_title(by_id.loc[e, "sources"]) for e in added})
            lines.insert(1, f"{len(added)} added by a user: {'; '.join(titles)}")
        label = f"{g.name}: {n} event{'s' if n != 1 else ''}" + (" (region level)" if g.kind == "region" else "")
        out.append({"ref": g.ref, "lat": round(g.lat, 5), "lon": round(g.lon, 5), "count": n, "label": label,
                    "name": g.name, "name_html": html_text(g.name),
                    "tip": tooltip_html(g.name, lines), "colour": colour, "kind": g.kind,
                    "light": colour in LIGHT_COLOURS, "user": bool(added)})
    return out


def user_source_title(source_ids) -> str:
    """The title of a user event's source (plain text; escaped by the tooltip)."""
    sid = list(source_ids)[0] if len(source_ids) else ""
    return data.sources().get(sid, {}).get("title", sid)


LIGHT_COLOURS = {"#f1b6da", "#ffd92f", "#c2a5cf", "#a6dba0", "#e08214", "#969696"}  # badges that need dark text


def _add_events(group: folium.FeatureGroup, events: gpd.GeoDataFrame) -> None:
    points = group_points(events)
    rings = [p for p in points if p["kind"] == "region"]
    if rings:
        # The region's extent is not in our data (no region polygons): a large dashed ring says "somewhere here".
        feats = [feature(p["ref"], Point(p["lon"], p["lat"]), p["tip"]) for p in rings]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats}, interactive=False,
            marker=folium.CircleMarker(radius=REGION_RING_PX),
            style_function=lambda _f: {"radius": REGION_RING_PX, "color": "#333333", "weight": 2, "dashArray": "6 5",
                                       "fill": True, "fillColor": "#999999", "fillOpacity": 0.08, "className": "atlas-region"},
        ).add_to(group)
    if points:
        mapui.PlaceMarkers(points).add_to(group)


def _arrow_head(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Two short barbs at the end of a (lon, lat) line, scaled to its length, for direction."""
    (lon0, lat0), (lon1, lat1) = line[-2], line[-1]
    k = math.cos(math.radians((lat0 + lat1) / 2))
    dx, dy = (lon1 - lon0) * k, lat1 - lat0
    length = math.hypot(dx, dy)
    if length == 0:
        return []
    size = min(1.2, 0.2 * length)
    barbs = []
    for turn in (math.radians(150), math.radians(-150)):
        ux = (dx * math.cos(turn) - dy * math.sin(turn)) / length
        uy = (dx * math.sin(turn) + dy * math.cos(turn)) / length
        barbs.append((lon1 + ux * size / k, lat1 + uy * size))
    return [barbs[0], (lon1, lat1), barbs[1]]


def _add_troops(group: folium.FeatureGroup, troops: gpd.GeoDataFrame) -> None:
    features, styles = [], {}
    for row in troops.itertuples(index=False):
        geom = row.geometry
        if geom is None or geom.is_empty or geom.geom_type != "LineString":
            continue
        ref = f"troops:{row.id}"
        line = list(geom.coords)
        head = _arrow_head(line)
        shape = MultiLineString([line, head]) if head else geom
        standins = stand_ins(row._asdict())
        lines = [*standins, f"{row.origin_name} to {row.destination_name}", _dates(row._asdict()),
                 f"size: {flat_text('sizes', row.sizes)}"]
        features.append(feature(ref, shape, tooltip_html(f"{row.contributor}: {row.description}", lines, ref)))
        styles[ref] = {"color": "#7f0000", "weight": 3, "opacity": 0.8, "dashArray": "8 6" if standins else None,
                       "className": "atlas-troop atlas-standin" if standins else "atlas-troop"}
    add_layer(group, features, styles, points=False)


def _add_places(group: folium.FeatureGroup, places: gpd.GeoDataFrame) -> None:
    features, styles = [], {}
    for row in places.itertuples(index=False):
        if row.geometry is None or row.geometry.is_empty:
            continue
        ref = f"places:{row.id}"
        features.append(feature(ref, row.geometry, tooltip_html(str(row.name), [str(row.kind), str(row.source)], ref)))
        styles[ref] = {"radius": 3, "color": "#444444", "weight": 1, "fill": True, "fillColor": "#ffffff",
                       "fillOpacity": 1, "className": "atlas-place"}
    add_layer(group, features, styles, points=True)


def _add_borders(group: folium.FeatureGroup, borders: gpd.GeoDataFrame) -> None:
    features, styles = [], {}
    for row in borders.sort_values("neighbour").itertuples(index=False):
        ref = f"borders:{row.id}"
        # Display only: about 500 m simplification; distances use the full lines (geodata.borders).
        shape = row.geometry.simplify(0.005)
        tip = tooltip_html(f"Border with {row.neighbour}", [f"{row.length_km:,.0f} km (Natural Earth 1:10m)"], ref)
        features.append(feature(ref, shape, tip))
        styles[ref] = {"color": NEIGHBOUR_COLOURS.get(row.neighbour, FALLBACK_COLOUR), "weight": 4, "opacity": 0.9,
                       "className": "atlas-border"}
    add_layer(group, features, styles, points=False)


VERDICT_COLOURS = {"supported": "#1a9850", "partly": "#fee08b", "not supported": "#d73027", "cannot be checked": "#bababa"}


def _add_claim_checks(group: folium.FeatureGroup, checks: gpd.GeoDataFrame) -> None:
    features, styles = [], {}
    for row in checks.itertuples(index=False):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        ref = f"claims:{row.id}"
        tip = tooltip_html(row.statement, [f"verdict: {row.verdict}", str(row.measured)], ref)
        # One feature per point so each is a ring of its own; a ring in the verdict's colour.
        points = list(geom.geoms) if geom.geom_type == "MultiPoint" else [geom]
        for i, p in enumerate(points):
            fid = f"{ref}#{i}"
            features.append(feature(fid, p, tip))
            styles[fid] = {"radius": 8, "color": VERDICT_COLOURS.get(row.verdict, FALLBACK_COLOUR), "weight": 4,
                           "fill": True, "fillColor": "#ffffff", "fillOpacity": 0.6, "className": "atlas-check"}
    add_layer(group, features, styles, points=True)


def _add_claim(group: folium.FeatureGroup, bands: gpd.GeoDataFrame | None, cities: pd.DataFrame | None, result: PikeResult | None) -> None:
    if bands is not None and len(bands):
        folium.GeoJson(
            bands[["geometry"]], interactive=False,
            style_function=lambda _f: {"color": "#b35806", "weight": 1, "fillColor": "#fdb863", "fillOpacity": 0.25,
                                       "className": "atlas-band"},
        ).add_to(group)
    if cities is None or result is None:
        return
    close, km = set(result.close_ids), result.distances_km
    features, styles = [], {}
    for c in cities.sort_values("id").itertuples(index=False):
        ref = f"cities:{c.id}"
        counted = c.id in close
        lines = [f"{km.get(c.id, float('nan')):,.1f} km from the chosen borders",
                 "counted as close" if counted else "not close", f"population {int(c.population):,}"]
        features.append(feature(ref, Point(c.lon, c.lat), tooltip_html(c.name, lines, ref)))
        styles[ref] = {"radius": 5, "color": "#b35806" if counted else "#555555", "weight": 2, "fill": True,
                       "fillColor": "#fdb863" if counted else "#ffffff", "fillOpacity": 0.9, "className": "atlas-city"}
    add_layer(group, features, styles, points=True)


def build_map(
    layers: dict[str, gpd.GeoDataFrame],
    *,
    outlines: gpd.GeoDataFrame,
    assets: tuple[list, list],
    bands: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    claim_result: PikeResult | None = None,
    claim_label: str = "",
    mentions: gpd.GeoDataFrame | None = None,
    demonyms: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Build the atlas map for one filtered view.

    Parameters
    ----------
    layers : dict of GeoDataFrame
        ``geodata.layers.build_layers`` output (events, troops, places, borders, claims).
    outlines : GeoDataFrame
        The basemap (``geodata.layers.basemap``).
    assets : (default_js, default_css)
        Local Leaflet URLs (``dashboard.serving.offline.local_assets``).
    bands, cities, claim_result, claim_label
        The claim layer: distance bands, candidate cities and the ``pike_check`` result.
    mentions, demonyms : GeoDataFrame, optional
        Places the seed articles name (``geodata.mentions.places_mentioned``), and those named only
        through demonyms; both layers start hidden (toggle them in the layer control).

    Returns
    -------
    folium.Map
        With one toggleable FeatureGroup per layer (option ``atlasKey``: its :data:`LAYER_KEYS` entry),
        a LayerControl that folds away on narrow maps, and the legend.
    """
    m = folium.Map(location=CENTRE, zoom_start=ZOOM, tiles=None, control_scale=True, min_zoom=2)
    # Per instance, never add_js_link: that mutates a list shared by every map in the process.
    m.default_js, m.default_css = assets
    m.get_root().header.add_child(folium.Element(mapui.CSS))
    m.fit_bounds(KAZAKHSTAN_BOUNDS)
    mapui.GroupRegistry().add_to(m)
    add_basemap(m, outlines)
    # (key, name, add). Mentions sit lowest; which layers show at first is DEFAULT_LAYERS (the
    # claim layers belong to Pike's claim: off here, a click away in the layer control).
    groups = [
        ("demonyms", "Mentions: demonyms", lambda g: add_mentions(g, demonyms, layer="demonyms", colour="#a6cee3")),
        ("mentions", "Mentions", lambda g: add_mentions(g, mentions)),
        ("claim", f"Claim: within {claim_label}", lambda g: _add_claim(g, bands, cities, claim_result)),
        ("borders", "Borders by neighbour", lambda g: _add_borders(g, layers["borders"])),
        ("troops", "Troop movements", lambda g: _add_troops(g, layers["troops"])),
        ("places", "Places", lambda g: _add_places(g, layers["places"])),
        ("checks", "Claim checks", lambda g: _add_claim_checks(g, layers["claims"])),
        ("events", "Events", lambda g: _add_events(g, layers["events"])),
    ]
    for key, name, add in groups:
        group = folium.FeatureGroup(name=html_text(name), show=key in DEFAULT_LAYERS, atlasKey=key)
        add(group)
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    present = sorted(set(layers["events"]["type"])) if len(layers["events"]) else []
    mapui.Workspace(mapui.legend_html(TYPE_COLOURS, present)).add_to(m)
    return m


def highlight(ref: str | None, layers: dict[str, gpd.GeoDataFrame], cities: pd.DataFrame | None = None) -> folium.FeatureGroup:
    """A non-interactive ring (or halo) around the selected feature; an empty group when none.

    Passed as ``feature_group_to_add`` so selecting a feature updates the map in place
    instead of remounting it. GeoJson, because CircleMarker drops ``interactive=False``.
    """
    group = folium.FeatureGroup(name="Selected")
    if not ref or ":" not in ref:
        return group
    layer, fid = ref.split(":", 1)
    geom = None
    if layer in ("groups", "events"):
        # A selected event is ringed at its place group's marker; a country-level one nowhere.
        first = fid.split("+")[0]  # several groups drawn as one badge: ring the first
        key = (lambda g: g.id == first) if layer == "groups" else (lambda g: fid in g.event_ids)
        g = next((g for g in place_groups(layers["events"]) if key(g)), None)
        geom = Point(g.lon, g.lat) if g else None
    elif layer == "cities" and cities is not None and fid in set(cities["id"]):
        c = cities.loc[cities["id"] == fid].iloc[0]
        geom = Point(c["lon"], c["lat"])
    else:
        gdf = layers.get(layer)
        if gdf is not None and len(gdf) and fid in set(gdf["id"]):
            geom = gdf.loc[gdf["id"] == fid].geometry.iloc[0]
    if geom is None or geom.is_empty:
        return group
    style = {"color": "#000000", "weight": 7 if geom.geom_type == "LineString" else 3, "opacity": 0.6, "fill": False,
             "className": "atlas-highlight"}
    folium.GeoJson(
        gpd.GeoDataFrame(geometry=[geom], crs="EPSG:4326"), interactive=False,
        marker=folium.CircleMarker(radius=18), style_function=lambda _f: style,
    ).add_to(group)
    return group
