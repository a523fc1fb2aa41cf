"""A link's query parameters checked before any widget reads them: repaired, with one notice per repair.

Widgets bound to the URL would fail, or silently show something else, on a value that is not
one of their options; so on a session's first run :func:`repair_url` makes every setting
parameter valid (:func:`check_query`, which never raises) and keeps plain-text notices that
:func:`show_notices` shows as warnings. The map's view (``zoom``, ``lat``, ``lon``) is checked
too; the map itself ignores a bad view in the browser (``dashboard.mapui``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import streamlit as st

from dashboard.mapui import ZOOM_RANGE
from dashboard.settings import FIRST_DAY, LAST_DAY, SELECTED_PARAM, SETTINGS, Setting

__all__ = ["QueryCheck", "check_query", "repair_url", "show_notices"]

_FEATURE = re.compile(r"(events|groups|troops|places|figures|cities|claims|borders|mentions|demonyms):[^\]\s]{1,200}")
NOTICES_KEY = "_url_notices"
ECHO = 40  # characters of a bad URL value quoted back in a notice


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


def repair_url(options: Callable[[str], list]) -> None:
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


def _number(text, kind, lo: float, hi: float):
    """A URL value as ``kind`` within [lo, hi], or None when absent or malformed."""
    try:
        value = kind(float(text))
    except (TypeError, ValueError):
        return None
    return value if lo <= value <= hi else None
