"""The atlas: the map and the text panel side by side (an event picker on top of the panel), the event list below."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, maps, state
from dashboard.panels import eventlist, evidence

MAP_KEY = "atlas"


def _on_map_click() -> None:
    """A click on a shape returns its tooltip text, which ends with the feature's reference."""
    ref = state.parse_ref((st.session_state.get(MAP_KEY) or {}).get("last_object_clicked_tooltip"))
    if ref:
        state.select(ref)


view = state.current()
# Mentions follow the article filters; dates do not apply (a mention is not dated).
mentioned, demonyms = data.mentioned_places(view.filters.sources)
layers = {**data.view_layers(*view.filters.args()), "mentions": mentioned, "demonyms": demonyms}
claim = view.claim  # the sidebar draws the claim settings on this page
result = data.pike(claim.km, claim.neighbours, claim.cities)
cities = data.candidate_places(claim.cities)
selected = state.selected()
fmap = maps.atlas_map(view.filters.args(), claim.km, claim.neighbours, claim.cities, st.get_option("server.baseUrlPath") or "")

events = layers["events"]
rows = eventlist.event_rows(events)
st.markdown(
    f"**{len(events)} event{'s' if len(events) != 1 else ''}**, {len(layers['troops'])} troop movements, "
    f"{len(layers['places'])} places "
    f"({view.filters.date_from:%d %b} to {view.filters.date_to:%d %b %Y}). "
    f"Claim layer: {result.count} of {result.total} candidate cities within {claim.km} km."
)
left, right = st.columns([3, 2], gap="medium")
with left:
    st_folium(
        fmap,
        render=False,  # st_folium renders the map's own elements anyway; its extra whole-page pass costs ~50 ms, same output
        key=MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=maps.highlight(selected, layers, cities),
        on_change=_on_map_click,
    )
    st.caption(
        "Marker colour: event type; size and dashes: place precision (small solid = the named place, "
        "large dashed = region or country level). Lines: troop movements, barbs at the destination. "
        "Rings: claim checks (green supported, red not). Mentions (hidden at first): every place the chosen "
        "articles name, sized by how often. Toggle layers at the top right."
    )
with right:
    with st.container(height=600, border=False, key="text_panel"):
        eventlist.picker(rows, selected, state.select)
        evidence.feature_panel(selected, layers, cities=cities, claim_result=result)

st.subheader("Event list")
if rows.empty:
    st.info("No event matches these filters.")
else:
    with st.container(height=360 if len(rows) > 8 else "content", border=False, key="event_list"):
        st.html(eventlist.table_html(rows, selected))
