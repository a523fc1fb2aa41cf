"""Events per day by type (an event counts on every day of its range), and every event's date range.

A click on a bar of the date-range chart selects that event on the map and opens it there.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, maps, state
from geodata.places import type_label

ATLAS = "views/atlas.py"
view = state.current()
events = data.view_layers(*view.filters.args())["events"].reset_index(drop=True).drop(columns=["geometry", "evidence"])

st.header("Timeline")
if not len(events):
    st.info("No event in the current filters.")
    st.stop()

events = events.assign(type_words=events["type"].map(type_label), ref="events:" + events["id"])
words = {t: type_label(t) for t in maps.TYPE_COLOURS}
colours = alt.Scale(domain=list(words.values()), range=list(maps.TYPE_COLOURS.values()))
days = pd.date_range(view.filters.date_from, view.filters.date_to, freq="D").strftime("%Y-%m-%d")
# One row per (event, day of its range inside the filter window).
per_day = events.assign(day=[list(pd.date_range(max(s, days[0]), min(e, days[-1]), freq="D").strftime("%Y-%m-%d"))
                             for s, e in zip(events["date_start"], events["date_end"])]).explode("day").dropna(subset=["day"])
counts = per_day.groupby(["day", "type_words"]).size().rename("events").reset_index()
spanning = int((events["date_start"] != events["date_end"]).sum())
st.subheader("Events per day, by type")
st.altair_chart(
    alt.Chart(counts).mark_bar().encode(
        x=alt.X("day:O", title="day", scale=alt.Scale(domain=list(days))),
        y=alt.Y("events:Q", title="events under way"),
        color=alt.Color("type_words:N", scale=colours, legend=alt.Legend(title="type")),
        tooltip=[alt.Tooltip("day", title="day"), alt.Tooltip("type_words", title="type"), "events"],
    ).properties(height=280),
    width="stretch",
)
st.caption(f"An event counts on every day of its date range: {spanning} of the {len(events)} events span several "
           "days and count on each of them, so a day's bar is the events under way that day.")

st.subheader("Every event's date range")
spans = events.assign(
    start=pd.to_datetime(events["date_start"]),
    end=pd.to_datetime(events["date_end"]) + pd.Timedelta(days=1),
    label=events["place_name"] + ": " + events["description"].str.slice(0, 60),
).sort_values(["start", "end", "id"])
spans["label"] = spans["label"] + spans.groupby("label").cumcount().map(lambda i: "" if i == 0 else f" ({i + 1})")
pick = alt.selection_point(fields=["ref"], name="pick")
chosen = st.altair_chart(
    alt.Chart(spans).mark_bar(opacity=0.85, cursor="pointer").encode(
        x=alt.X("start:T", title="date", scale=alt.Scale(domain=[dt.datetime(2022, 1, 2), dt.datetime(2022, 1, 13)])),
        x2="end:T",
        y=alt.Y("label:N", sort=list(spans["label"]), title=None,
                axis=alt.Axis(labelLimit=420, labelOverlap=False, labelFontSize=11)),
        color=alt.Color("type_words:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("description", title="event"), alt.Tooltip("date_start", title="from"),
                 alt.Tooltip("date_end", title="to"), alt.Tooltip("date_precision", title="date precision"),
                 alt.Tooltip("type_words", title="type"), alt.Tooltip("place_name", title="place")],
    ).add_params(pick).properties(height=22 * len(spans)),
    width="stretch", on_select="rerun", key="timeline_bars",
)
st.caption("Click a bar to select the event on the map and read its evidence.")
picked = (chosen or {}).get("selection", {}).get("pick") or []
if picked and picked[0].get("ref"):
    state.select(picked[0]["ref"])
    st.switch_page(ATLAS, query_params={"feature": picked[0]["ref"]})
