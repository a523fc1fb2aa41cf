"""The atlas map as its component receives it: rendered once per view, shared by every session.

``st_folium`` renders the whole map on every run: folium's templates, every GeoJSON layer
dumped to JSON, regular expressions over the result and a hash of it. For the atlas that was
most of a run (about 0.27 s of a new session's 0.45 s first run, plus 0.08 s to copy the
shared map it must not mutate). The strings depend only on the filtered view, so
:func:`atlas_frame` renders them once per view for the whole process, the way ``st_folium``
does, and :func:`show` hands them to streamlit-folium's component with this run's highlight.

This leans on streamlit-folium's private helpers (``_get_html``, ``_get_header``,
``_get_map_string``, ``_get_feature_group_string``, ``generate_js_hash``,
``_component_func``), pinned at 0.27.4 in requirements.txt; ``tests/dashboard`` compares
the output with ``st_folium``'s own for the same map.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import folium
import streamlit as st
import streamlit_folium as sf

from dashboard import data, maps
from dashboard.serving import offline

__all__ = ["MapFrame", "atlas_frame", "render", "show"]

CLICK = "last_object_clicked_tooltip"  # the one value the atlas map returns (see dashboard.mapui)


@dataclass(frozen=True)
class MapFrame:
    """What streamlit-folium's component needs to draw one map (its arguments, minus the per-run ones)."""

    script: str
    html: str
    header: str
    map_id: str
    js_links: tuple[str, ...]
    css_links: tuple[str, ...]


def render(fmap: folium.Map) -> MapFrame:
    """Render ``fmap`` once as ``st_folium(fmap, render=False)`` does; ``fmap`` is changed (renumbered) on the way."""
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    links_js: list[str] = []
    links_css: list[str] = []
    stack = [fmap]
    while stack:  # st_folium's walk: every element's own script and style links, in document order
        element = stack.pop(0)
        links_css += [href for _, href in getattr(element, "default_css", [])]
        links_js += [src for _, src in getattr(element, "default_js", [])]
        stack[:0] = list(getattr(element, "_children", {}).values())
    return MapFrame(script, html, header, sf.get_full_id(fmap), tuple(dict.fromkeys(links_js)),
                    tuple(dict.fromkeys(links_css)))


@st.cache_resource(show_spinner=False, max_entries=data.CACHE_ENTRIES)
def _atlas_frame(filter_args: tuple, km: float, neighbour_set: str, candidate_set: str, base_url_path: str,
                 store_version: str = "") -> MapFrame:
    date_from, date_to, sources_, types = filter_args
    mentioned, demonyms = data.mentioned_places(sources_)
    fmap = maps.build_map(
        {**data.view_layers(date_from, date_to, sources_, types), "mentions": mentioned, "demonyms": demonyms},
        outlines=data.basemap(),
        assets=offline.local_assets(base_url_path),
        bands=data.border_bands(km, neighbour_set),
        cities=data.candidate_places(candidate_set),
        claim_result=data.pike(km, neighbour_set, candidate_set),
        claim_label=f"{km} km of {neighbour_set}",
        mentions=mentioned,
        demonyms=demonyms,
    )
    return render(fmap)


def atlas_frame(filter_args: tuple, km: float, neighbour_set: str, candidate_set: str, base_url_path: str = "") -> MapFrame:
    """The atlas map for one view (``dashboard.maps.build_map``), rendered once per process and store version.

    Parameters
    ----------
    filter_args : tuple
        ``Filters.args()``: ISO dates, article ids (or None), event types (or None).
    km, neighbour_set, candidate_set
        The claim settings (threshold, ``geodata.claims.NEIGHBOUR_SETS`` and ``CANDIDATE_SETS`` names).
    base_url_path : str
        Streamlit's ``server.baseUrlPath``, for the local Leaflet URLs.
    """
    return _atlas_frame(filter_args, km, neighbour_set, candidate_set, base_url_path, data.version())


@functools.lru_cache(maxsize=data.CACHE_ENTRIES)
def _hash_key(script: str, key: str) -> str:
    # As many as the frames: a key holds its map's whole script, which must not outlive the frame's cache.
    # The component's identity, as st_folium derives it (regular expressions over the whole script):
    # once per map and key. A string caches its own hash, so the lookup costs nothing per run.
    return sf.generate_js_hash(script, key, False)


def _group_script(group: folium.FeatureGroup) -> str:
    """``group`` as the script that adds it to the drawn map (``feature_group_to_add``).

    Rendered against a throwaway map: streamlit-folium adds the group to the map it is given,
    and the shared map's strings are all this module keeps of it.
    """
    return sf._get_feature_group_string(group, map=folium.Map(tiles=None), idx=0)


def show(frame: MapFrame, *, key: str, height: int, highlight: folium.FeatureGroup,
         on_change: Callable[[], None] | None = None) -> dict | None:
    """Draw ``frame`` full width, as ``st_folium(..., returned_objects=["last_object_clicked_tooltip"])`` would.

    Parameters
    ----------
    frame : MapFrame
        :func:`atlas_frame`'s result.
    key : str
        The widget key; ``st.session_state[key]`` holds the map's value (a click) in ``on_change``.
    height : int
        Pixels.
    highlight : folium.FeatureGroup
        Drawn over the map in place (``feature_group_to_add``): a new highlight never remounts the map.
    on_change : callable, optional
        Called when the map reports a click.

    Returns
    -------
    dict or None
        The component's value: ``{"last_object_clicked_tooltip": ...}``.
    """
    hash_key = _hash_key(frame.script, key)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=frame.script, header=frame.header, html=frame.html, id=frame.map_id, key=hash_key, height=height,
        width=None, returned_objects=[CLICK], default={CLICK: None}, zoom=None, center=None,
        feature_group=_group_script(highlight), return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(frame.css_links), js_links=list(frame.js_links), on_change=changed, wrap_longitude=False,
    )
