"""Places named in a text on a map: the atlas's "Mentions" layers and the "Your document" page's own map.

Places come from ``geodata.mentions.places_mentioned``: one row per place with its mention
count, the surface forms and the sentences. Macro-regions and seas are never a marker.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd

from dashboard.mapshapes import CENTRE, KAZAKHSTAN_BOUNDS, SEA, ZOOM, add_basemap, add_layer, cut, feature, tooltip_html
from geodata.layers import flat_text

__all__ = ["MENTION_SENTENCE_CHARS", "add_mentions", "build_mentions_map"]

MENTION_SENTENCE_CHARS = 240  # a tooltip shows the first sentence, cut to this many characters


def add_mentions(group: folium.FeatureGroup, places: gpd.GeoDataFrame | None, layer: str = "mentions",
                 colour: str = "#1f78b4") -> None:
    """Add the places named in a text to ``group``, one circle each, its size growing with the mention count.

    Parameters
    ----------
    group : folium.FeatureGroup
        Where the circles go.
    places : GeoDataFrame or None
        ``geodata.mentions.places_mentioned`` output; None adds nothing.
    layer : str
        The reference prefix (``<layer>:<id>``) and CSS class (``atlas-<layer minus s>``).
    colour : str
        Outline and fill colour.
    """
    if places is None:
        return
    features, styles = [], {}
    for row in places.itertuples(index=False):
        # Macro-regions, seas and historic states ("Central Asia", "the Soviet Union") are not
        # points: they stay in the mentions table, never a marker on the map.
        if row.geometry is None or row.geometry.is_empty or row.kind == "area":
            continue
        ref = f"{layer}:{row.id}"
        where = f" in {flat_text('sources', row.sources)}" if len(row.sources) else ""
        lines = [f"{row.kind}, named {row.mentions} time{'s' if row.mentions != 1 else ''}{where}",
                 f"as: {flat_text('surfaces', row.surfaces)}",
                 cut(row.sentences[0], MENTION_SENTENCE_CHARS) if len(row.sentences) else ""]
        features.append(feature(ref, row.geometry, tooltip_html(str(row.name), lines, ref)))
        styles[ref] = {"radius": min(4 + 2 * math.sqrt(row.mentions), 16), "color": colour, "weight": 1, "fill": True,
                       "fillColor": colour, "fillOpacity": 0.35, "className": f"atlas-{layer[:-1]}"}
    add_layer(group, features, styles, points=True)


def build_mentions_map(places: gpd.GeoDataFrame, *, outlines: gpd.GeoDataFrame, assets: tuple[list, list]) -> folium.Map:
    """A map of one document's mentioned places alone (the "Your document" page), fitted to them."""
    m = folium.Map(location=CENTRE, zoom_start=ZOOM, tiles=None, control_scale=True, min_zoom=2)
    m.default_js, m.default_css = assets
    m.get_root().header.add_child(folium.Element(f"<style>.leaflet-container{{background:{SEA};}}</style>"))
    add_basemap(m, outlines)
    group = folium.FeatureGroup(name="Places named in your document")
    add_mentions(group, places, layer="uploads", colour="#6a3d9a")
    group.add_to(m)
    if len(places):
        lon0, lat0, lon1, lat1 = places.total_bounds
        pad = 1.0  # degrees: a single place still gets a regional view
        m.fit_bounds([[lat0 - pad, lon0 - pad], [lat1 + pad, lon1 + pad]], max_zoom=6)
    else:
        m.fit_bounds(KAZAKHSTAN_BOUNDS)
    return m
