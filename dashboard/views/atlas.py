"""The atlas: the analyst's workspace. Day slider, a big map and the text panel beside it, the event list below.

Thin on purpose: places and groups come from ``geodata.places``, map objects from
``dashboard.maps``, state from ``dashboard.state``, panels from ``dashboard.panels``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, maps, mapui, state
from dashboard.mapreport import MAP_KEY, on_map_change
from dashboard.panels import daycontrol, eventlist, evidence, places

MAP_HEIGHT = 600
SORT_KEY = "event_sort"
LAYOUT_CSS = """<style>
.block-container{padding-left:1.5rem;padding-right:1.5rem;padding-top:4.2rem}
.evidence-cue{display:none}
[class*="st-key-pick-"] button{justify-content:flex-start;text-align:left}
@media (max-width:640px){.evidence-cue{display:block;background:#fde3b5;padding:.3rem .6rem;border-radius:4px;font-size:.9rem}}
</style>"""


def _link(ref: str) -> str:
    """This view's URL with ``ref`` selected (for the event list's rows)."""
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    query[state.SELECTED_PARAM] = [ref]
    return "?" + urlencode(query, doseq=True)


st.html(LAYOUT_CSS)
view = state.current()
claim = view.claim  # the sidebar draws the claim settings on this page
selected = state.selected()
# The map comes first (on a phone too); the day slider and the counts under it, TimeMap-like.
left, right = st.columns([3, 1], gap="small")
with left:
    map_slot = st.container()
    if selected:
        st.html('<div class="evidence-cue">↓ The selection\'s events and evidence: below the day slider.</div>')
    day = daycontrol.day_control(view.filters)
shown = daycontrol.day_filters(view.filters, day)
# Mentions follow the article filters; dates do not apply (a mention is not dated).
mentioned, demonyms = data.mentioned_places(view.filters.sources)
layers = {**data.view_layers(*shown.args()), "mentions": mentioned, "demonyms": demonyms}
result = data.pike(claim.km, claim.neighbours, claim.cities)
cities = data.candidate_places(claim.cities)
map_view = state.map_view(maps.LAYER_KEYS)
fmap = maps.atlas_map(shown.args(), claim.km, claim.neighbours, claim.cities, st.get_option("server.baseUrlPath") or "")
mapui.view_meta(fmap, zoom=map_view.zoom, lat=map_view.lat, lon=map_view.lon, layers=map_view.layers)
events = layers["events"]
when = "all days" if day == daycontrol.ALL_DAYS else f"{shown.date_from:%d %b %Y}"
with map_slot:
    st_folium(
        fmap,
        render=False,  # st_folium renders the map's own elements anyway; its extra whole-page pass costs ~50 ms, same output
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "zoom", "center", "selected_tags"],
        feature_group_to_add=maps.highlight(selected, layers, cities),
        on_change=on_map_change,  # a module's function: one defined here would keep this page's namespace
    )
with left:
    top = st.columns([4, 1.6, 1.1], vertical_alignment="center")
    top[0].markdown(
        f"**{len(events)} event{'s' if len(events) != 1 else ''}** ({when}; filters: "
        f"{view.filters.date_from:%d %b} to {view.filters.date_to:%d %b}), {len(layers['troops'])} troop movements. "
        f"Claim layer (off at first): {result.count} of {result.total} cities within {claim.km} km."
    )
    top[1].button(places.nationwide_label(events), key="nationwide", on_click=state.select, args=(places.NATIONWIDE,),
                  width="stretch", help="Events placed at Kazakhstan as a whole: listed, never drawn at a point")
    with top[2].popover("Copy link", icon=":material/link:", width="stretch"):
        st.caption("This view (filters, day, zoom, centre, layers, selection) as a link:")
        base = (st.context.url or "").split("?")[0]  # None under AppTest
        st.code(base + "?" + urlencode({k: st.query_params.get_all(k) for k in st.query_params}, doseq=True),
                language=None, wrap_lines=True)
with right:
    with st.container(height=MAP_HEIGHT + 40, border=False, key="text_panel"):
        rows = eventlist.event_rows(events)
        eventlist.picker(rows, selected, state.select)
        places.back_button(selected, state.select)
        if places.is_group(selected):
            places.group_panel(selected, events, state.select)
        else:
            evidence.feature_panel(selected, layers, cities=cities, claim_result=result)

st.subheader("Event list")
if events.empty:
    st.info("No event matches these filters.")
else:
    sort = st.segmented_control("Sort by", list(eventlist.SORTS), default="Date", key=SORT_KEY) or "Date"
    rows = eventlist.event_rows(events, sort)
    with st.container(height=360 if len(rows) > 8 else "content", border=False, key="event_list"):
        st.html(eventlist.table_html(rows, selected, link=_link, source_names=data.source_names()))
    st.caption("Click an event's description to select it on the map and read its evidence.")
