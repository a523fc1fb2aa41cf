"""Events per day by type, and every event's date range."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, maps, state

view = state.current()
events = data.view_layers(*view.filters.args())["events"].reset_index(drop=True).drop(columns=["geometry", "evidence"])

st.header("Timeline")
if not len(events):
    st.info("No event in the current filters.")
    st.stop()

colours = alt.Scale(domain=list(maps.TYPE_COLOURS), range=list(maps.TYPE_COLOURS.values()))
dated = events[events["date_start"] == events["date_end"]]
days = pd.date_range(view.filters.date_from, view.filters.date_to, freq="D").strftime("%Y-%m-%d")
counts = dated.groupby(["date_start", "type"]).size().rename("events").reset_index()
st.subheader("Events per day, by type")
st.altair_chart(
    alt.Chart(counts).mark_bar().encode(
        x=alt.X("date_start:O", title="day", scale=alt.Scale(domain=list(days))),
        y=alt.Y("events:Q", title="events"),
        color=alt.Color("type:N", scale=colours, legend=alt.Legend(title="type")),
        tooltip=["date_start", "type", "events"],
    ).properties(height=280),
    width="stretch",
)
st.caption(f"{len(dated)} of {len(events)} events are dated to a single day; the others span several days and are shown below.")

st.subheader("Every event's date range")
spans = events.assign(
    start=pd.to_datetime(events["date_start"]),
    end=pd.to_datetime(events["date_end"]) + pd.Timedelta(days=1),
).sort_values(["start", "end", "id"])
st.altair_chart(
    alt.Chart(spans).mark_bar(opacity=0.8).encode(
        x=alt.X("start:T", title="date", scale=alt.Scale(domain=[dt.datetime(2022, 1, 2), dt.datetime(2022, 1, 13)])),
        x2="end:T",
        y=alt.Y("id:N", sort=list(spans["id"]), title=None),
        color=alt.Color("type:N", scale=colours, legend=None),
        tooltip=["description", "date_start", "date_end", "date_precision", "type", "place_name"],
    ).properties(height=max(200, 16 * len(spans))),
    width="stretch",
)
