"""The side panel for a place group or the Nationwide list: every event there, each selectable.

A click on a place's marker selects ``groups:<place id>``; the "Nationwide" button selects
``groups:country:KZ``. The panel names the place, its member places and their precision,
and lists every event there within the filters (and the day, when one is chosen), newest
last; a button per event selects it (its evidence replaces the list, with a way back).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st

from dashboard.escape import html_text
from geodata.places import PRECISION_WORDS, PlaceGroup, nationwide, place_groups, type_label

__all__ = ["NATIONWIDE", "back_button", "event_button_label", "group_panel", "is_group", "nationwide_label"]

NATIONWIDE = "groups:country:KZ"
CONTEXT_KEY = "_group_context"  # the list an event was picked from, for the way back
KIND_WORDS = {"city": "city", "town": "town", "landmark": "site in the city", "region": "region", "country": "country"}


def is_group(ref: str | None) -> bool:
    """Whether ``ref`` selects a place group or the Nationwide list."""
    return bool(ref) and ref.startswith("groups:")


def nationwide_label(events: pd.DataFrame) -> str:
    """The Nationwide button's text, with its count."""
    n = len(nationwide(events))
    return f"Nationwide: {n} event{'s' if n != 1 else ''}"


def event_button_label(row: pd.Series) -> str:
    """One event on a button: dates, type in words, place, description (plain text)."""
    dates = row["date_start"] if row["date_start"] == row["date_end"] else f"{row['date_start'][5:]} to {row['date_end'][5:]}"
    return f"{dates} · {type_label(row['type'])} · {row['place_name']}: {row['description']}"


def _list(rows: pd.DataFrame, ref: str, on_pick: Callable[[str | None], None]) -> None:
    for row in rows.itertuples():
        st.button(event_button_label(pd.Series(row._asdict())), key=f"pick-{row.id}", width="stretch",
                  on_click=_pick, args=(f"events:{row.id}", ref, on_pick))


def _pick(event_ref: str, group_ref: str, on_pick: Callable[[str | None], None]) -> None:
    st.session_state[CONTEXT_KEY] = group_ref
    on_pick(event_ref)


def back_button(selected: str | None, on_pick: Callable[[str | None], None]) -> None:
    """'Back to the list' above an event's evidence, when it was picked from a place's list."""
    context = st.session_state.get(CONTEXT_KEY)
    if context and selected and selected.startswith("events:"):
        name = "the Nationwide list" if context == NATIONWIDE else "the place's list"
        st.button(f"← Back to {name}", key="back_to_group", on_click=on_pick, args=(context,))


def group_panel(ref: str, events: pd.DataFrame, on_pick: Callable[[str | None], None]) -> None:
    """List every event of a place group (or nationwide) in ``events``, each a button that selects it.

    Parameters
    ----------
    ref : str
        ``groups:<anchor place id>``, or :data:`NATIONWIDE`.
    events : pandas.DataFrame
        The events the map shows (filters and day applied).
    on_pick : callable
        ``on_pick(ref)`` selects a feature (``dashboard.state.select``).
    """
    st.session_state.pop(CONTEXT_KEY, None)
    if ref == NATIONWIDE:
        rows = nationwide(events)
        st.html(f'<h4 class="group-title">Nationwide (country level): {len(rows)} event{"s" if len(rows) != 1 else ""}</h4>'
                '<div class="summary">Placed at Kazakhstan as a whole by their sources, so never drawn at a point.</div>')
        if not len(rows):
            st.info("No country-level event within the filters.")
        _list(rows, ref, on_pick)
        return
    ids = ref.split(":", 1)[1].split("+")  # several groups when their badges were drawn as one
    groups: list[PlaceGroup] = [g for g in place_groups(events) if g.id in ids]
    if not groups:
        st.info("No event at this place within the filters. Widen the dates or the day, or pick another place.")
        return
    by_id = events.set_index("id")
    members = [p for g in groups for p in g.places]
    event_ids = sorted({e for g in groups for e in g.event_ids}, key=lambda e: (by_id.loc[e, "date_start"], e))
    where = "".join(
        f"<li>{html_text(name)}: {html_text(KIND_WORDS.get(kind, kind))}, {len(ids_)} event{'s' if len(ids_) != 1 else ''}, "
        f"{html_text(PRECISION_WORDS[3] if kind == 'region' else _precision(by_id, ids_))}</li>"
        for _pid, name, kind, ids_ in members
    )
    title = ", ".join(g.name for g in groups)
    n = len(event_ids)
    st.html(f'<h4 class="group-title">{html_text(title)}: {n} event{"s" if n != 1 else ""}</h4>'
            f'<ul class="group-places" style="margin:0 0 .4rem 1rem;font-size:.85rem;color:#444">{where}</ul>')
    _list(by_id.loc[event_ids].reset_index(), ref, on_pick)


def _precision(by_id: pd.DataFrame, ids: tuple[str, ...]) -> str:
    """The place precision of these events in words (several when they differ)."""
    levels = sorted({int(by_id.loc[i, "geo_precision"]) for i in ids})
    return " / ".join(PRECISION_WORDS[p] for p in levels)
