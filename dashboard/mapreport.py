"""What the atlas map reports back: a click, nothing else (st_folium's ``on_change``; the view stays in the browser).

A module of its own, not a function of the page script, on purpose: a widget callback stays in the
session's state for as long as the session lives, and a function defined in a page keeps that page's
whole namespace alive with it (the run's copy of the map and its layers, about 2.5 MB per session,
kept until the session ends; see tests/dashboard/test_memory.py and bench/RESULTS.md). A function of
this module keeps only this module.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state

__all__ = ["MAP_KEY", "on_map_change"]

MAP_KEY = "atlas"  # the st_folium widget's key: its value is what the map last reported


def on_map_change() -> None:
    """The map reported a click (``"<mount>.<n> [ref]"``): the only thing it reports (its view stays in the browser)."""
    value = st.session_state.get(MAP_KEY) or {}
    tip = value.get("last_object_clicked_tooltip")
    if tip and tip != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = tip
        ref = state.parse_ref(tip)
        if ref:
            state.select(ref)
