"""dashboard/state.py: filters from widgets and from the URL, tooltip references, the settings table.

The filter tests work the expected event list out from the unfiltered layer, so they fail both
when an event is wrongly kept and when one is wrongly dropped.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import state
from geodata.sources import load_sources
from tests.dashboard.apptest import event_list, run_app


def refs(events, keep) -> set[str]:
    """The event list the filter should show: every unfiltered event that ``keep`` accepts."""
    return {"events:" + row["id"] for _, row in events.iterrows() if keep(row)}


def _overlaps(lo: str, hi: str):
    return lambda e: e["date_start"] <= hi and e["date_end"] >= lo


SPECTATOR = {sid for sid, s in load_sources().items() if s.outlet == "The Spectator"}


@pytest.mark.parametrize(
    "query, keep",
    [
        ({"types": ["protest", "riot"]}, lambda e: e["type"] in ("protest", "riot")),
        ({"dates": ["2022-01-05", "2022-01-06"]}, _overlaps("2022-01-05", "2022-01-06")),
        ({"sources": ["eurasia-notes-13"]}, lambda e: "eurasia-notes-13" in e["sources"]),
        ({"outlets": ["The Spectator"]}, lambda e: bool(SPECTATOR & set(e["sources"]))),
    ],
)
def test_url_parameters_restore_filters(app_at, all_events, query, keep):
    at = app_at(query)
    want = refs(all_events, keep)
    assert 0 < len(want) < len(all_events)
    assert set(event_list(at)["ref"]) == want
    for key, value in query.items():
        widget = at.date_input(key=key) if key == "dates" else at.multiselect(key=key)
        got = [d.isoformat() for d in widget.value] if key == "dates" else list(widget.value)
        assert got == value


def test_filters_change_the_event_list(all_events):
    at = run_app()
    assert set(event_list(at)["ref"]) == refs(all_events, lambda e: True)
    at.multiselect(key="types").set_value(["protest"]).run()
    assert set(event_list(at)["ref"]) == refs(all_events, lambda e: e["type"] == "protest")
    at.multiselect(key="types").set_value([]).run()
    at.date_input(key="dates").set_value((dt.date(2022, 1, 10), dt.date(2022, 1, 12))).run()
    late = event_list(at)
    assert set(late["ref"]) == refs(all_events, _overlaps("2022-01-10", "2022-01-12"))
    assert 0 < len(late) < len(all_events)


@pytest.mark.parametrize(
    "tooltip, ref",
    [
        ("Almaty's airport is seized 2022-01-05 [events:almaty-airport-seized]", "events:almaty-airport-seized"),
        ("Almaty city [places:gn:1526384]", "places:gn:1526384"),
        ("Border with China [borders:border:CN]", "borders:border:CN"),
        ("[nothing:here]", None),
        ("no reference at all", None),
        (None, None),
    ],
)
def test_parse_ref_reads_the_reference_at_the_end_of_a_tooltip(tooltip, ref):
    assert state.parse_ref(tooltip) == ref


def test_filters_args_are_plain_and_hashable():
    f = state.Filters(dt.date(2022, 1, 5), dt.date(2022, 1, 7), ("pike-spectator",), None)
    assert f.args() == ("2022-01-05", "2022-01-07", ("pike-spectator",), None)
    hash(f.args())


def test_every_setting_has_help_and_a_known_widget():
    for s in state.SETTINGS:
        assert s.help and s.label
        assert s.widget in {"date_range", "multiselect", "slider", "selectbox"}
