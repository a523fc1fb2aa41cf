"""dashboard/panels/eventlist.py: the event list under the map and the picker beside it."""

from __future__ import annotations

import datetime as dt

from dashboard import escape, state
from dashboard.panels import eventlist
from tests.dashboard.apptest import AIRPORT, AIRPORT_QUOTE, HOSTILE, event_list, html_bodies, run_app


def test_picking_an_event_shows_its_quote_and_marks_its_row_in_the_list():
    at = run_app()
    assert at.selectbox(key=eventlist.PICK_KEY).value is None
    assert not event_list(at)["selected"].any()
    at.selectbox(key=eventlist.PICK_KEY).select(AIRPORT).run()
    assert not at.exception
    assert at.session_state["selected"] == AIRPORT and at.query_params["feature"] == AIRPORT
    assert f'<mark class="quote">{escape.html_text(AIRPORT_QUOTE)}</mark>' in html_bodies(at)
    table = event_list(at)
    assert list(table.loc[table["selected"], "ref"]) == [AIRPORT]


def test_the_picker_follows_a_selection_made_on_the_map_or_in_the_url(app_at):
    assert app_at({"feature": AIRPORT}).selectbox(key=eventlist.PICK_KEY).value == AIRPORT
    # not an event: the picker stays empty
    assert app_at({"feature": "borders:China"}).selectbox(key=eventlist.PICK_KEY).value is None


def test_event_list_holds_every_filtered_event_by_date(app_at, all_events):
    at = app_at({"dates": ["2022-01-05", "2022-01-06"]})
    table = event_list(at)
    expected = all_events[(all_events["date_start"] <= "2022-01-06") & (all_events["date_end"] >= "2022-01-05")]
    assert sorted(table["ref"]) == sorted("events:" + expected["id"])
    assert list(table["date_start"]) == sorted(table["date_start"])
    assert len(at.selectbox(key=eventlist.PICK_KEY).options) == len(expected)


def _empty_filter(events) -> tuple[str, str]:
    """A type that has events, and a day of the atlas on which none of that type happens."""
    day = state.FIRST_DAY
    while day <= state.LAST_DAY:
        iso = day.isoformat()
        on_day = set(events.loc[(events["date_start"] <= iso) & (events["date_end"] >= iso), "type"])
        missing = sorted(set(events["type"]) - on_day)
        if missing:
            return missing[0], iso
        day += dt.timedelta(days=1)
    raise AssertionError("every type has an event on every day: no empty filter to try")


def test_an_empty_event_list_says_so(all_events):
    kind, day = _empty_filter(all_events)
    at = run_app({"types": [kind], "dates": [day, day]})
    assert any("No event matches" in i.value for i in at.info)
    assert not [h for h in at.html if 'class="event-list"' in h.proto.body]


def test_hostile_source_text_stays_text_in_the_event_list(hostile_layers):
    rows = eventlist.event_rows(hostile_layers["events"])
    html = eventlist.table_html(rows, "events:hostile")
    assert "<script" not in html and "`pwned" not in html and "${document" not in html
    assert html.count(escape.html_text(HOSTILE)) == 2  # the place and the description columns
    assert '<tr data-ref="events:hostile" class="selected">' in html
    assert eventlist.event_label(rows.iloc[0]) == f"2022-01-05 · Riot · {HOSTILE}: {HOSTILE}"  # plain text, type in words
