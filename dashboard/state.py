"""Filters and claim settings <-> widgets, session state and the URL, in one place.

Every setting is one row of :data:`SETTINGS` (key, label, default, help). Each is drawn
once, in the sidebar, by :func:`sidebar`, as a widget bound to the URL query parameter
of the same name (streamlit 1.67 ``bind="query-params"``): a filtered view is a URL that
can be shared and reloaded. A value equal to its default stays out of the URL.

The selected feature (``layer:id``, shown in the text panel) is not a widget; it is kept
in ``st.session_state["selected"]`` and mirrored by hand in the ``feature`` parameter. So is
the map's view (:class:`MapView`: ``zoom``, ``lat``, ``lon`` and the visible ``layers`` as a
comma list), reported by the map itself (``dashboard.mapui``) and restored from the URL.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import streamlit as st

__all__ = [
    "MapView",
    "map_view",
    "remember_map",
    "FIRST_DAY",
    "LAST_DAY",
    "SETTINGS",
    "ClaimSettings",
    "Filters",
    "QueryCheck",
    "check_query",
    "Setting",
    "View",
    "claim_controls",
    "current",
    "remember",
    "parse_ref",
    "select",
    "selected",
    "show_notices",
    "sidebar",
]

FIRST_DAY = dt.date(2022, 1, 2)
LAST_DAY = dt.date(2022, 1, 12)
SELECTED_KEY = "selected"
SELECTED_PARAM = "feature"
VIEW_KEY = "_view"
_REF = re.compile(r"\[(events|groups|troops|places|figures|cities|claims|borders|mentions|demonyms):([^\]\s]+)\]\s*$")
_FEATURE = re.compile(r"(events|groups|troops|places|figures|cities|claims|borders|mentions|demonyms):[^\]\s]{1,200}")
NOTICES_KEY = "_url_notices"
ECHO = 40  # characters of a bad URL value quoted back in a notice
MAP_VIEW_KEY = "_map_view"
MAP_PARAMS = ("zoom", "lat", "lon", "layers")
ZOOM_RANGE = (2, 18)


@dataclass(frozen=True)
class Setting:
    """One user setting: widget, URL parameter and session key share ``key``."""

    key: str
    label: str
    widget: str  # "date_range" | "multiselect" | "slider" | "selectbox"
    default: object
    help: str
    group: str  # "filters" (apply to every page and download) | "claim" (Pike's claim)
    bounds: tuple = ()  # slider (min, max, step)
    placeholder: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting("dates", "Event dates", "date_range", (FIRST_DAY, LAST_DAY),
            "Events whose date range overlaps these days (2-12 January 2022).", "filters"),
    Setting("sources", "Articles", "multiselect", [],
            "Keep what these articles report (empty: all five articles and your own sources).", "filters",
            placeholder="All articles"),
    Setting("outlets", "Outlets", "multiselect", [],
            "Keep what these outlets publish (empty: all outlets).", "filters",
            placeholder="All outlets"),
    Setting("types", "Event types", "multiselect", [],
            "Keep these kinds of event (empty: all types).", "filters",
            placeholder="All types"),
    Setting("km", "Distance to a border (km)", "slider", 100,
            "A city counts as 'close to a foreign border' within this geodesic distance.", "claim",
            bounds=(10, 1000, 10)),
    Setting("neighbours", "Borders with", "selectbox", None,
            "Which of Kazakhstan's land borders count as 'foreign borders'.", "claim"),
    Setting("cities", "Candidate cities", "selectbox", None,
            "Which list of cities stands for 'Kazakhstan's 31 cities'.", "claim"),
)


@dataclass(frozen=True)
class Filters:
    """What the map, list, charts and downloads show. ``None`` means no restriction."""

    date_from: dt.date = FIRST_DAY
    date_to: dt.date = LAST_DAY
    sources: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None

    def args(self) -> tuple:
        """Plain, hashable arguments for the cached data functions."""
        return (self.date_from.isoformat(), self.date_to.isoformat(), self.sources, self.types)


@dataclass(frozen=True)
class ClaimSettings:
    """Pike's claim as the user frames it: threshold, neighbour set, candidate set."""

    km: float
    neighbours: str
    cities: str


@dataclass(frozen=True)
class View:
    """Everything the pages read from the sidebar."""

    filters: Filters
    claim: ClaimSettings | None


@dataclass(frozen=True)
class QueryCheck:
    """The URL's settings made valid: what each parameter becomes, and one notice per repair.

    ``params`` maps every setting parameter the URL held to its valid value as URL strings
    (``None``: drop it, the default applies); parameters not in the URL are absent.
    """

    params: dict[str, list[str] | None] = field(default_factory=dict)
    notices: tuple[str, ...] = ()


def _quote(values) -> str:
    """Bad URL values for a notice: at most five, each cut to ECHO characters, as inline code (never Markdown)."""
    from dashboard.escape import markdown_text

    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    return ", ".join(markdown_text(v, ECHO) for v in list(values)[:5]) + more


def _day(d: dt.date) -> str:
    return f"{d.day} January" if (d.year, d.month) == (2022, 1) else d.isoformat()


def _check_dates(values: list[str], notices: list[str]) -> list[str] | None:
    days = []
    for v in values[:2]:
        try:
            days.append(dt.date.fromisoformat(v.strip()))
        except ValueError:
            notices.append(f"The link's date {_quote([v])} is not a date (YYYY-MM-DD); showing all dates, 2–12 January.")
            return None
    if len(values) > 2:
        notices.append(f"The link gives {len(values)} dates; a range has two, so the first two are used.")
    if not days:
        return None
    if any(not FIRST_DAY <= d <= LAST_DAY for d in days):
        clamped = [min(max(d, FIRST_DAY), LAST_DAY) for d in days]
        notices.append(f"The link's dates {', '.join(d.isoformat() for d in days)} lie outside 2–12 January 2022; "
                       f"showing {', '.join(_day(d) for d in clamped)} instead.")
        days = clamped
    if len(days) == 2 and days[0] > days[1]:
        notices.append(f"The link's date range {days[0].day} → {days[1].day} January was reversed; "
                       f"showing {days[1].day}–{days[0].day} January.")
        days = [days[1], days[0]]
    return [d.isoformat() for d in days]


def _check_choices(setting: Setting, values: list[str], choices: list, notices: list[str]) -> list[str] | None:
    known = [v for v in dict.fromkeys(values) if v in choices]
    unknown = [v for v in values if v not in choices]
    if setting.widget == "selectbox":
        if len(values) == 1 and known:
            return known
        shown = known[0] if known else (str(choices[0]) if choices else "the default")
        notices.append(f"The link's choice for “{setting.label}” ({_quote(values)}) is not one of its options; "
                       f"showing “{shown}”.")
        return [known[0]] if known else None
    if unknown:
        notices.append(f"The link names {setting.label.lower()} that do not exist: {_quote(unknown)}; "
                       f"{'left out' if known else 'showing all'}.")
    return known or None


def _check_km(setting: Setting, values: list[str], notices: list[str]) -> list[str] | None:
    lo, hi, step = setting.bounds
    try:
        km = float(values[0].strip()) if len(values) == 1 else math.nan
    except ValueError:
        km = math.nan
    if not math.isfinite(km):
        notices.append(f"The link's distance {_quote(values)} is not a number of km; showing {setting.default} km.")
        return None
    fixed = int(min(max(round(km / step) * step, lo), hi))
    if fixed != km:
        notices.append(f"The link's distance {_quote(values)} km is not one of {lo}–{hi} km in steps of {step}; "
                       f"showing {fixed} km.")
    return [str(fixed)]


def check_query(params: Mapping[str, list[str]], options: Callable[[str], list]) -> QueryCheck:
    """Check the URL's setting parameters; never raises.

    Parameters
    ----------
    params : mapping of str to list of str
        Every value of each query parameter, as the URL holds them.
    options : callable
        ``options(key) -> list`` of valid choices for multiselect and selectbox settings.

    Returns
    -------
    QueryCheck
        Valid values for the parameters present, and one plain-text notice per repair.
    """
    notices: list[str] = []
    out: dict[str, list[str] | None] = {}
    for s in SETTINGS:
        values = [str(v) for v in params.get(s.key) or []]
        if not values:
            continue
        if s.widget == "date_range":
            out[s.key] = _check_dates(values, notices)
        elif s.widget == "slider":
            out[s.key] = _check_km(s, values, notices)
        else:
            out[s.key] = _check_choices(s, values, [str(o) for o in options(s.key)], notices)
    for key, kind, lo, hi in (("zoom", int, *ZOOM_RANGE), ("lat", float, -90, 90), ("lon", float, -180, 180)):
        values = [str(v) for v in params.get(key) or []]
        if values and (len(values) > 1 or _number(values[0], kind, lo, hi) is None):
            notices.append(f"The link's map {key} {_quote(values)} is not a number from {lo} to {hi}; "
                           "the map shows its default view there.")
            out[key] = None
    feature = [str(v) for v in params.get(SELECTED_PARAM) or []]
    if feature:
        if len(feature) == 1 and _FEATURE.fullmatch(feature[0]):
            out[SELECTED_PARAM] = feature
        else:
            notices.append(f"The link's feature {_quote(feature)} is not a feature reference (layer:id); "
                           "nothing is selected.")
            out[SELECTED_PARAM] = None
    return QueryCheck(out, tuple(notices))


def _repair_url(options: Callable[[str], list]) -> None:
    """Once per session, make the URL's settings valid before any widget reads them; keep the notices."""
    if NOTICES_KEY in st.session_state:
        return
    qp = st.query_params
    check = check_query({k: qp.get_all(k) for k in qp}, options)
    for key, values in check.params.items():
        if values is None:
            del qp[key]
        elif values != qp.get_all(key):
            qp[key] = values if len(values) > 1 else values[0]
    st.session_state[NOTICES_KEY] = check.notices


def show_notices() -> None:
    """The notices about this session's link, as warnings (the URL's values in them are inline code)."""
    for notice in st.session_state.get(NOTICES_KEY, ()):
        st.warning(notice, icon=":material/link_off:")


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
    _repair_url(options)
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


@dataclass(frozen=True)
class MapView:
    """Where the map looks and which layers it shows; ``None`` means "the map's default"."""

    zoom: int | None = None
    lat: float | None = None
    lon: float | None = None
    layers: tuple[str, ...] | None = None


def _number(text, kind, lo: float, hi: float):
    """A URL value as ``kind`` within [lo, hi], or None when absent or malformed."""
    try:
        value = kind(float(text))
    except (TypeError, ValueError):
        return None
    return value if lo <= value <= hi else None


def map_view(known_layers: tuple[str, ...]) -> MapView:
    """The map's view, restored from the URL on a fresh session (bad values are ignored)."""
    if MAP_VIEW_KEY not in st.session_state:
        q = st.query_params
        layers = q.get("layers")
        st.session_state[MAP_VIEW_KEY] = MapView(
            zoom=_number(q.get("zoom"), int, *ZOOM_RANGE), lat=_number(q.get("lat"), float, -90, 90),
            lon=_number(q.get("lon"), float, -180, 180),
            layers=None if layers is None else tuple(k for k in layers.split(",") if k in known_layers),
        )
    return st.session_state[MAP_VIEW_KEY]


def remember_map(value: dict | None, known_layers: tuple[str, ...], tag: str) -> MapView:
    """Keep the view the map reported (streamlit-folium's ``zoom``, ``center``, ``selected_tags``).

    The visible layers come as ``[tag, key, ...]``; a list without ``tag`` says nothing about
    layers. Writes ``zoom``, ``lat``, ``lon`` and ``layers`` to the URL.
    """
    old = map_view(known_layers)
    value = value or {}
    centre = value.get("center") or {}
    tags = value.get("selected_tags") or []
    layers = tuple(k for k in tags[1:] if k in known_layers) if tags[:1] == [tag] else old.layers
    zoom = value.get("zoom") if isinstance(value.get("zoom"), (int, float)) else old.zoom
    view = MapView(int(zoom) if zoom is not None else None,
                   round(float(centre["lat"]), 4) if "lat" in centre else old.lat,
                   round(float(centre["lng"]), 4) if "lng" in centre else old.lon, layers)
    st.session_state[MAP_VIEW_KEY] = view
    for key, val in zip(MAP_PARAMS, (view.zoom, view.lat, view.lon, view.layers)):
        if val is None:
            continue
        text = ",".join(val) if key == "layers" else str(val)
        if st.query_params.get(key) != text:
            st.query_params[key] = text
    return view
