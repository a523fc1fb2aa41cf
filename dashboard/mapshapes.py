"""Display features for the maps: escaped compact tooltips, rounded GeoJSON, one layer element, the basemap.

Shared by the atlas map (:mod:`dashboard.maps`) and the map of a user's document
(:mod:`dashboard.mentionmap`). Only escaped text (``dashboard.escape``) enters a map's script;
each feature's reference (``layer:id``) travels as a property, never in text a reader sees,
and a click hands it to ``window.atlasSelect`` (``dashboard.mapui``) where that exists.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from folium.utilities import JsCode

from dashboard.escape import html_text

__all__ = ["CENTRE", "FALLBACK_COLOUR", "KAZAKHSTAN_BOUNDS", "SEA", "TIP_CHARS", "ZOOM", "add_basemap", "add_layer",
           "cut", "feature", "tooltip_html"]

CENTRE = (48.0, 67.0)
ZOOM = 4
KAZAKHSTAN_BOUNDS = [[40.5, 46.5], [55.5, 87.5]]  # (lat, lon) south-west, north-east: the initial view
SEA = "#dbe9f2"
FALLBACK_COLOUR = "#666666"
TIP_CHARS = 90  # a tooltip line longer than this is cut: the panel has the full text


def tooltip_html(title: str, lines: list[str], ref: str | None = None) -> str:
    """Compact, escaped tooltip HTML: a bold title and short detail lines, no internal reference.

    ``ref`` is accepted for callers that still pass it and ignored: references travel as a
    feature property, never in text a reader sees.
    """
    body = "".join(f"<br>{html_text(cut(str(line), TIP_CHARS))}" for line in lines if line)
    return f"<b>{html_text(cut(str(title), TIP_CHARS))}</b>{body}"


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Tooltips are bound in the browser from each feature's pre-escaped ``tip`` property: one
# GeoJson element per layer instead of a folium element per marker, which keeps building
# and rendering the map fast (each folium element compiles its own template).
BIND_TOOLTIP = JsCode(
    "function(feature, layer) { layer.bindTooltip(feature.properties.tip, {sticky: true, direction: 'auto', "
    "className: 'atlas-tip', opacity: 0.95}); if (feature.properties.ref) { layer.on('click', function() { "
    "layer.closeTooltip(); if (window.atlasSelect) window.atlasSelect(feature.properties.ref); }); } }"
)


def feature(fid: str, geom, tip: str, ref: str | None = None) -> dict:
    """A display feature: geometry rounded to 5 decimals (about 1 m), the tooltip and its reference.

    Only the escaped tooltip travels to the browser: raw source text never enters the map script.
    ``ref`` (``layer:id``, default ``fid``) is what a click selects.
    """
    return {"type": "Feature", "id": fid, "geometry": shapely.geometry.mapping(shapely.transform(geom, lambda xy: np.round(xy, 5))),
            "properties": {"tip": tip, "ref": html_text(ref or fid)}}


def add_layer(group: folium.FeatureGroup, features: list[dict], styles: dict[str, dict], *, points: bool) -> None:
    """Add one GeoJson element holding ``features``, each styled by ``styles[feature id]``."""
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: styles[f["id"]],
        marker=folium.CircleMarker() if points else None,
        on_each_feature=BIND_TOOLTIP,
    ).add_to(group)


def add_basemap(m: folium.Map, outlines: gpd.GeoDataFrame) -> None:
    """Add the country outlines (``geodata.layers.basemap``) under everything, Kazakhstan lighter; not clickable."""

    def style(feature):
        kz = feature["properties"].get("iso_a2") == "KZ"
        return {"fillColor": "#fffdf3" if kz else "#f2efe9", "color": "#8a8a8a", "weight": 1.2 if kz else 0.6, "fillOpacity": 1}

    data = outlines[["iso_a2", "geometry"]] if "iso_a2" in outlines else outlines[["geometry"]]
    folium.GeoJson(data, name="Country outlines", style_function=style, interactive=False, control=False).add_to(m)
