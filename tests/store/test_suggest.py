"""Suggested events and the date reader: small texts whose answers are known in advance."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.schemas import DATE_PRECISIONS, EVENT_TYPES
from geodata.store.datereader import date_of, read_dates
from geodata.store.quality import evaluate_suggestions
from geodata.store.suggest import load_triggers, suggest_events, suggestion_id

FRIDAY = dt.date(2022, 1, 7)


@pytest.mark.parametrize("phrase, start, end, precision", [
    ("on Wednesday", "2022-01-05", "2022-01-05", "day"),
    ("on Friday", "2022-01-07", "2022-01-07", "day"),          # the document's own weekday
    ("on Saturday", "2022-01-01", "2022-01-01", "day"),        # never after the document
    ("Thursday night", "2022-01-06", "2022-01-07", "range"),
    ("yesterday", "2022-01-06", "2022-01-06", "day"),
    ("today", "2022-01-07", "2022-01-07", "day"),
    ("overnight", "2022-01-06", "2022-01-07", "range"),
    ("last night", "2022-01-06", "2022-01-07", "range"),
    ("last week", "2021-12-27", "2022-01-02", "range"),
    ("5 January", "2022-01-05", "2022-01-05", "day"),
    ("5th of January", "2022-01-05", "2022-01-05", "day"),
    ("January 5", "2022-01-05", "2022-01-05", "day"),
    ("Jan. 5", "2022-01-05", "2022-01-05", "day"),
    ("Jan 5th, 2022", "2022-01-05", "2022-01-05", "day"),
    ("the January10th meeting", "2022-01-10", "2022-01-10", "day"),
    ("on the 5th", "2022-01-05", "2022-01-05", "day"),
    ("5-7 January", "2022-01-05", "2022-01-07", "range"),
    ("30 December", "2021-12-30", "2021-12-30", "day"),        # the year before a January document
    ("2022-01-04", "2022-01-04", "2022-01-04", "day"),
])
def test_read_dates(phrase, start, end, precision):
    (reading,) = read_dates(f"Something happened {phrase}.", FRIDAY)
    assert (reading.start.isoformat(), reading.end.isoformat(), reading.precision) == (start, end, precision)
    assert reading.precision in DATE_PRECISIONS
    assert reading.note.startswith(f"'{reading.phrase}'")  # the note names the phrase it read


@pytest.mark.parametrize("text", ["the 31 February", "7 percent", "March 3%", "in the 20th century"])
def test_read_dates_ignores_what_is_no_date(text):
    assert read_dates(text, FRIDAY) == []


def test_date_of_never_invents():
    reading = date_of("Protesters gathered in the square.", FRIDAY)
    assert (reading.precision, reading.end) == ("not_after", FRIDAY)
    assert "No date" in reading.note and "2022-01-07" in reading.note
    # A date after the document cannot be what it reports: skipped for the fallback.
    assert date_of("They will meet on 20 January.", FRIDAY).precision == "not_after"


def test_trigger_types_are_catalogue_types():
    triggers = load_triggers()
    assert triggers and {t.type for t in triggers} <= set(EVENT_TYPES)
    assert len({t.type for t in triggers}) == len(triggers)


TEXT = (
    "Protesters stormed the airport in Almaty on Wednesday. Yesterday police detained 40 people in Taraz. "
    "There were dead on both sides.\n"
    "The weather was mild. Internet is closed in much of the country."
)


def test_suggestions_on_a_known_text():
    found = suggest_events(TEXT, source_id="user-test", reference=FRIDAY)
    got = [(s.quote, s.type, s.place, s.geo_precision, s.date_start, s.date_end, s.date_precision) for s in found]
    assert got == [
        ("Protesters stormed the airport in Almaty on Wednesday.", "seizure", "gn:1526384", 1, "2022-01-05",
         "2022-01-05", "day"),
        ("Yesterday police detained 40 people in Taraz.", "arrest", "gn:1516905", 1, "2022-01-06", "2022-01-06", "day"),
        # no place of its own: the town of the sentence before, same paragraph
        ("There were dead on both sides.", "armed_clash", "gn:1516905", 1, "2021-12-01", "2022-01-07", "not_after"),
        # a new paragraph with no place: the document's country, coarse
        ("Internet is closed in much of the country.", "communications_shutdown", "country:KZ", 3, "2021-12-01",
         "2022-01-07", "not_after"),
    ]
    for s in found:
        assert TEXT[s.start:s.end] == s.quote
        assert s.id == suggestion_id("user-test", s.start, s.end)
        assert 0 < s.confidence <= 1
    assert found[0].confidence > found[2].confidence > found[3].confidence
    assert suggest_events(TEXT, source_id="user-test", reference=FRIDAY) == found  # deterministic


def test_no_place_anywhere_means_no_suggestion():
    assert suggest_events("Protesters gathered yesterday.", source_id="user-x", reference=FRIDAY) == []


def test_quality_against_the_seed_catalogue():
    """The numbers the README quotes; a drop below them is a regression."""
    q = evaluate_suggestions()
    assert q.coded_events == 44 and q.covered_any_place == 44
    assert q.covered_same_place >= 37 and q.coverage >= 0.84
    assert q.noise_rate <= 0.52
