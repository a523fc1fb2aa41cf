"""Filters and claim settings <-> widgets, session state and the URL; the selection.

Each setting of :data:`dashboard.settings.SETTINGS` is drawn once, in the sidebar, by
:func:`sidebar`, as a widget bound to the URL query parameter of the same name (streamlit
1.67 ``bind="query-params"``): a filtered view is a URL that can be shared and reloaded. A
value equal to its default stays out of the URL; a link's values are checked first
(:mod:`dashboard.urlcheck`).

The selected feature (``layer:id``, shown in the text panel) is not a widget; it is kept
in ``st.session_state["selected"]`` and mirrored by hand in the ``feature`` parameter. The
map's view (``zoom``, ``lat``, ``lon``, ``layers``) is in the URL too, but the browser keeps
it there (``dashboard.mapui``): it never reaches Python, so panning costs no rerun.
"""

from __future__ import annotations

import re
from typing import Callable

import streamlit as st

from dashboard.settings import (FIRST_DAY, LAST_DAY, SELECTED_PARAM, SETTINGS, ClaimSettings, Filters, Setting,
                                View)
from dashboard.urlcheck import QueryCheck, check_query, repair_url, show_notices

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "SELECTED_PARAM",
    "SETTINGS",
    "ClaimSettings",
    "Filters",
    "QueryCheck",
    "Setting",
    "View",
    "check_query",
    "claim_controls",
    "current",
    "parse_ref",
    "remember",
    "select",
    "selected",
    "show_notices",
    "sidebar",
]

SELECTED_KEY = "selected"
VIEW_KEY = "_view"
_REF = re.compile(r"\[(events|groups|troops|places|figures|cities|claims|borders|mentions|demonyms):([^\]\s]+)\]\s*$")


def _widget(setting: Setting, options: list | None, labels: Callable[[str], Callable | None] | None = None) -> object:
    """Draw one bound widget for ``setting`` and return its value (``labels(key)`` names the options).

    A widget bound to the URL writes its options' *labels* there; one whose options have labels
    (article titles, types in words) is mirrored by hand instead, so the URL keeps the ids.
    """
    fmt = labels(setting.key) if labels else None
    if fmt is not None and setting.widget == "multiselect":
        if setting.key not in st.session_state:
            st.session_state[setting.key] = [v for v in st.query_params.get_all(setting.key) if v in options]
        value = st.multiselect(setting.label, options, key=setting.key, help=setting.help, format_func=fmt,
                               placeholder=setting.placeholder)
        if value:
            st.query_params[setting.key] = list(value)
        elif setting.key in st.query_params:
            del st.query_params[setting.key]
        return value
    common = dict(key=setting.key, help=setting.help, bind="query-params")
    if setting.widget == "date_range":
        return st.date_input(setting.label, value=setting.default, min_value=FIRST_DAY,
                             max_value=LAST_DAY, format="YYYY-MM-DD", **common)
    if setting.widget == "multiselect":
        return st.multiselect(setting.label, options, default=setting.default,
                              placeholder=setting.placeholder, **common)
    if setting.widget == "slider":
        lo, hi, step = setting.bounds
        return st.slider(setting.label, lo, hi, setting.default, step, **common)
    if setting.widget == "selectbox":
        return st.selectbox(setting.label, options, index=0, **common)
    raise ValueError(f"setting {setting.key!r}: unknown widget {setting.widget!r}; use one named in Setting")


def sidebar(
    options: Callable[[str], list],
    outlet_sources: Callable[[tuple[str, ...]], tuple[str, ...]],
    *,
    claim_settings: bool = True,
    labels: Callable[[str], Callable | None] | None = None,
) -> View:
    """Draw the settings in the sidebar and return the current :class:`View`.

    Parameters
    ----------
    options : callable
        ``options(key) -> list`` of choices for multiselect and selectbox settings.
    outlet_sources : callable
        Maps a tuple of outlet names to the ids of the articles they published.
    claim_settings : bool
        Draw the claim settings too; ``False`` on the page that draws them in its body
        (:func:`claim_controls`), in which case ``View.claim`` is ``None``.
    labels : callable, optional
        ``labels(key)`` gives a setting's ``format_func`` (article titles, types in words) or None.
    """
    values = {}
    repair_url(options)
    show_notices()
    with st.sidebar:
        st.subheader("Filters")
        for s in SETTINGS:
            if s.group == "filters":
                values[s.key] = _widget(s, options(s.key) if s.widget in ("multiselect", "selectbox") else None, labels)
        claim = None
        if claim_settings:
            with st.expander("Pike's claim: settings", expanded=False):
                claim = claim_controls(options)
    return View(_filters(values, outlet_sources), claim)


def claim_controls(options: Callable[[str], list]) -> ClaimSettings:
    """Draw the claim settings where the caller is (sidebar expander or page body)."""
    values = {
        s.key: _widget(s, options(s.key) if s.widget in ("multiselect", "selectbox") else None)
        for s in SETTINGS
        if s.group == "claim"
    }
    return ClaimSettings(values["km"], values["neighbours"], values["cities"])


def _filters(values: dict, outlet_sources: Callable[[tuple[str, ...]], tuple[str, ...]]) -> Filters:
    """Turn raw widget values into :class:`Filters` (empty selections mean 'all')."""
    dates = tuple(values["dates"]) or (FIRST_DAY, LAST_DAY)
    # While a range is being picked the widget holds one date: show that single day. A range the
    # URL gave reversed or out of bounds was reported by check_query; here it is made valid in any case.
    date_from, date_to = (min(max(d, FIRST_DAY), LAST_DAY) for d in sorted((dates[0], dates[-1])))
    sources: set[str] | None = set(values["sources"]) if values["sources"] else None
    if values["outlets"]:
        by_outlet = set(outlet_sources(tuple(values["outlets"])))
        sources = by_outlet if sources is None else sources & by_outlet
    types = tuple(sorted(values["types"])) if values["types"] else None
    return Filters(date_from, date_to, tuple(sorted(sources)) if sources is not None else None, types)


def remember(view: View) -> None:
    """Keep this run's view for the page that runs after the sidebar."""
    st.session_state[VIEW_KEY] = view


def current() -> View:
    """The view the sidebar produced in this run (defaults when none was drawn)."""
    return st.session_state.get(VIEW_KEY) or View(Filters(), None)


def parse_ref(text: str | None) -> str | None:
    """Return the ``layer:id`` reference at the end of a tooltip's text, or ``None``."""
    if not text:
        return None
    m = _REF.search(text)
    return f"{m.group(1)}:{m.group(2)}" if m else None


def selected() -> str | None:
    """The selected feature reference, restored from the URL on a fresh session."""
    if SELECTED_KEY not in st.session_state:
        st.session_state[SELECTED_KEY] = st.query_params.get(SELECTED_PARAM) or None
    ref = st.session_state[SELECTED_KEY]
    # The URL follows the selection on every run: a run that select() started can be cut short
    # by the map reporting its view, and its URL change is then lost (seen in Chromium under load).
    if ref and st.query_params.get(SELECTED_PARAM) != ref:
        st.query_params[SELECTED_PARAM] = ref
    return ref


def select(ref: str | None) -> None:
    """Select a feature (``layer:id``) and mirror it in the URL."""
    st.session_state[SELECTED_KEY] = ref
    if ref:
        st.query_params[SELECTED_PARAM] = ref
    elif SELECTED_PARAM in st.query_params:
        del st.query_params[SELECTED_PARAM]
