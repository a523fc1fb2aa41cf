"""The event list on the map page: a picker in the text panel and a table under the map.

Both are plain elements on purpose. An ``st.dataframe`` list (click a row to select it) made
a reader's first visit about 0.3 to 0.5 s slower: its data grid is Streamlit's largest
front-end chunk (1.2 MB of JavaScript with Arrow), fetched and run just before the map's
iframe is created (``bench/bench_dashboard.py`` notes the measurement). So an event is
picked with a searchable ``st.selectbox`` at the top of the text panel, where its evidence
appears, and the list is an escaped HTML table that marks the selected event. Each row's
description is a link to the same view with that event selected (``feature=events:<id>``),
so a row selects it on the map; the list sorts by date, place or type (:data:`SORTS`).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st

from dashboard.escape import html_text
from geodata.layers import flat_text
from geodata.places import type_label

__all__ = ["COLUMNS", "PICK_KEY", "SORTS", "event_label", "event_rows", "picker", "table_html"]

# Sort name -> columns, each ending with the id so the order is total.
SORTS = {"Date": ["date_start", "date_end", "id"], "Place": ["place_name", "date_start", "id"],
         "Type": ["type", "date_start", "id"]}

PICK_KEY = "event_pick"
COLUMNS = {"date_start": "From", "date_end": "To", "type": "Type", "place_name": "Place", "description": "Event",
           "status": "Status", "sources": "Sources"}
STYLE = """<style>
table.event-list{border-collapse:collapse;font-size:.82rem;width:100%}
table.event-list th{position:sticky;top:0;background:#f0f2f6;text-align:left;font-weight:600}
table.event-list th,table.event-list td{padding:.2rem .4rem;border-bottom:1px solid #e6e6e6;vertical-align:top}
table.event-list tr.selected td{background:#fde3b5}
table.event-list td:nth-child(-n+3){white-space:nowrap}
</style>"""


def event_rows(events: pd.DataFrame, sort: str = "Date") -> pd.DataFrame:
    """The events to list, sorted (:data:`SORTS`, by date by default), with a ``ref`` column (``events:<id>``) first."""
    rows = pd.DataFrame(events.drop(columns="geometry", errors="ignore"))
    rows = rows.sort_values(SORTS[sort]).reset_index(drop=True)
    rows.insert(0, "ref", "events:" + rows["id"].astype(str))
    return rows


def event_label(row: pd.Series) -> str:
    """One line naming an event: its dates, type, place and description (plain text)."""
    dates = row["date_start"] if row["date_start"] == row["date_end"] else f"{row['date_start']} to {row['date_end']}"
    return f"{dates} · {type_label(row['type'])} · {row['place_name']}: {row['description']}"


def _cell(col: str, row: pd.Series, source_names: dict[str, str] | None) -> str:
    if col == "type":
        return type_label(row[col])
    if col == "sources" and source_names:
        return "; ".join(source_names.get(s, s) for s in row[col])
    return flat_text(col, row[col])


def table_html(rows: pd.DataFrame, selected: str | None = None, *, link: Callable[[str], str] | None = None,
               source_names: dict[str, str] | None = None) -> str:
    """The list as an HTML table, every cell escaped; the selected event's row is marked.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`event_rows` output.
    selected : str, optional
        The selected feature reference (``layer:id``); marks that row when it is an event.
    link : callable, optional
        ``link(ref) -> href``: the description becomes a link that selects the event.
    source_names : dict, optional
        Article id -> title (with outlet), shown instead of the ids.
    """
    head = "".join(f"<th>{html_text(label)}</th>" for label in COLUMNS.values())
    body = []
    for _, row in rows.iterrows():
        cls = ' class="selected"' if row["ref"] == selected else ""
        cells = []
        for col in COLUMNS:
            text = html_text(_cell(col, row, source_names))
            if col == "description" and link is not None:
                text = f'<a href="{html_text(link(row["ref"]))}" target="_self">{text}</a>'
            cells.append(f"<td>{text}</td>")
        cells = "".join(cells)
        body.append(f'<tr data-ref="{html_text(row["ref"])}"{cls}>{cells}</tr>')
    return f'{STYLE}<table class="event-list"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def picker(rows: pd.DataFrame, selected: str | None, on_pick: Callable[[str | None], None]) -> None:
    """A searchable select box of the listed events that follows the current selection.

    It shows the selected event when the selection is one of the listed events (a click on
    the map included) and is empty otherwise; picking an event calls ``on_pick(ref)``.
    """
    labels = {row["ref"]: event_label(row) for _, row in rows.iterrows()}
    # Set before the widget exists in this run, so a map click also moves the picker.
    st.session_state[PICK_KEY] = selected if selected in labels else None
    st.selectbox(
        "Event",
        list(labels),
        format_func=labels.__getitem__,
        key=PICK_KEY,
        on_change=lambda: on_pick(st.session_state[PICK_KEY]),
        # Short enough for the narrow panel at 1440 px; the note under it says a click on the map works too.
        placeholder=f"Pick one of the {len(labels)} events",
        label_visibility="collapsed",
    )
