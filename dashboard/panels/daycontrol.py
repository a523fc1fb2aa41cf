"""The day slider over the map: one day of 2-12 January at a time, with play and pause.

The slider (``st.select_slider``, bound to the URL parameter ``day``) holds "All days" or one
day; the map then shows the events whose date range includes that day, so an event spanning
several days shows on each of them. The slider's thumb steps with the arrow keys. Play
advances one day every :data:`STEP_SECONDS` through a fragment that reruns the page.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashboard.settings import Filters

__all__ = ["ALL_DAYS", "DAY_KEY", "STEP_SECONDS", "day_control", "day_filters"]

DAY_KEY = "day"
PLAY_KEY = "_playing"
NEXT_KEY = "_next_day"
STEPPED_KEY = "_stepped_at"
ALL_DAYS = "All days"  # the option is its own label: a bound widget writes labels to the URL
STEP_SECONDS = 1.6  # long enough for the map to redraw (a filter change is <= 1 s) and be looked at


def _days(filters: Filters) -> list[str]:
    n = (filters.date_to - filters.date_from).days
    return [(filters.date_from + dt.timedelta(days=i)).isoformat() for i in range(n + 1)]


def _toggle() -> None:
    st.session_state[PLAY_KEY] = not st.session_state.get(PLAY_KEY, False)
    if st.session_state[PLAY_KEY] and st.session_state.get(DAY_KEY, ALL_DAYS) == ALL_DAYS:
        st.session_state[NEXT_KEY] = "first"


def _ticker(options: list[str]) -> None:
    """While playing: move to the next day (stop after the last) and rerun the whole page.

    A fragment also runs with the page itself: only a run a full step after the last one moves on.
    """
    if time.monotonic() - st.session_state.get(STEPPED_KEY, 0.0) < 0.8 * STEP_SECONDS:
        return
    current = st.session_state.get(DAY_KEY, ALL_DAYS)
    i = options.index(current) if current in options else 0
    if i + 1 >= len(options):
        st.session_state[PLAY_KEY] = False
    else:
        st.session_state[NEXT_KEY] = options[i + 1]
    st.rerun(scope="app")


def day_control(filters: Filters) -> str:
    """Draw the play button and the day slider; return :data:`ALL_DAYS` or the ISO day chosen."""
    options = [ALL_DAYS, *_days(filters)]
    pending = st.session_state.pop(NEXT_KEY, None)
    if pending == "first":
        pending = options[1] if len(options) > 1 else ALL_DAYS
    if pending:
        st.session_state[DAY_KEY] = pending
        st.session_state[STEPPED_KEY] = time.monotonic()
    if st.session_state.get(DAY_KEY, ALL_DAYS) not in options:
        st.session_state[DAY_KEY] = ALL_DAYS
    playing = st.session_state.get(PLAY_KEY, False)
    left, right = st.columns([1, 6], vertical_alignment="bottom")
    with left:
        st.button("⏸ Pause" if playing else "▶ Play", key="play", on_click=_toggle, width="stretch",
                  help="Step the map through the days, one every few seconds")
    with right:
        day = st.select_slider("Day (arrow keys step through the days)", options, key=DAY_KEY, bind="query-params",
                               help="Show the events of one day (those spanning several days show on each). "
                                    "Arrow keys step through the days.")
    if playing:
        st.fragment(run_every=STEP_SECONDS)(_ticker)(options)
    return day


def day_filters(filters: Filters, day: str) -> Filters:
    """The filters narrowed to one day (unchanged for :data:`ALL_DAYS`)."""
    if day == ALL_DAYS:
        return filters
    d = dt.date.fromisoformat(day)
    return Filters(d, d, filters.sources, filters.types)
