"""The user's settings declared once: each filter and claim setting, and the records they fill.

Every setting is one row of :data:`SETTINGS` (key, label, widget, default, help); ``key`` is
also its session key and its URL query parameter. :mod:`dashboard.state` draws them,
:mod:`dashboard.urlcheck` checks a link's values against them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["FIRST_DAY", "LAST_DAY", "SELECTED_PARAM", "SETTINGS", "ClaimSettings", "Filters", "Setting", "View"]

FIRST_DAY = dt.date(2022, 1, 2)
LAST_DAY = dt.date(2022, 1, 12)
SELECTED_PARAM = "feature"  # the selected feature (layer:id) in the URL


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
