"""The atlas: the analyst's workspace. Day slider, a big map and the text panel beside it, the event list below.

Thin on purpose: places and groups come from ``geodata.places``, map objects from
``dashboard.maps``, state from ``dashboard.state``, panels from ``dashboard.panels``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard import data, mapframe, maps, mapui, state
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
    """This view's URL with ``ref`` selected (for the event list's rows).

    Without the map's view: Python never hears of it after the first run, so the URL's copy
    here may be old; the map restores the tab's current view instead (``dashboard.mapui``).
    """
    query = {k: st.query_params.get_all(k) for k in st.query_params if k not in mapui.VIEW_PARAMS}
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
frame = mapframe.atlas_frame(shown.args(), claim.km, claim.neighbours, claim.cities, st.get_option("server.baseUrlPath") or "")
events = layers["events"]
when = "all days" if day == daycontrol.ALL_DAYS else f"{shown.date_from:%d %b %Y}"
with map_slot:
    # Only a click comes back (mapframe.show): zoom, centre and layers stay in the browser and the page's
    # URL, so neither a pan nor a filter change's remount reruns the script, nor competes with a selection.
    mapframe.show(frame, key=MAP_KEY, height=MAP_HEIGHT, highlight=maps.highlight(selected, layers, cities),
                  on_change=on_map_change)  # a module's function: one defined here would keep this page's namespace
with left:
    top = st.columns([4, 1.6], vertical_alignment="center")
    top[0].markdown(
        f"**{len(events)} event{'s' if len(events) != 1 else ''}** ({when}; filters: "
        f"{view.filters.date_from:%d %b} to {view.filters.date_to:%d %b}), {len(layers['troops'])} troop movements. "
        f"Claim layer (off at first): {result.count} of {result.total} cities within {claim.km} km."
    )
    top[1].button(places.nationwide_label(events), key="nationwide", on_click=state.select, args=(places.NATIONWIDE,),
                  width="stretch", help="Events placed at Kazakhstan as a whole: listed, never drawn at a point")
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
