"""Reading dates in news text and resolving them against the document's own date.

The reader knows the phrases news reports use for the recent past: weekday names ("on
Wednesday", "Thursday night": the latest such day on or before the document's date),
"yesterday", "today", "last night" and "overnight" (the night before the document's date,
a two-day range), "last week" and "this week", day and month in either order ("5 January",
"January 5", "Jan. 5", "January 5th, 2022", "5-7 January"), "on the 5th" (the document's
month) and ISO dates. A date without a year takes the document's year, or the year before when
that would put it more than a month after the document (a January article's "30 December").

Precision codes are the catalogue's (``geodata/data/catalogue/events.toml``): ``day``,
``range``, ``approx``, ``not_before``, ``not_after``. Every reading carries a note naming the
phrase and the date it was resolved against. Nothing is invented: :func:`date_of` falls back to
"on or before the document's date" (``not_after``) and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geodata.catalogue import PERIOD

__all__ = ["DateReading", "date_of", "read_dates", "reach_of"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Full names before abbreviations so "January" is not read as "Jan" + "uary"; "May" only in full.
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_TO = r"\s*(?:-|–|to|and|through)\s*"

# Order matters: ranges before single days, so "5-7 January" is one range, not "7 January".
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("iso", r"\b(?P<iso>20\d\d-[01]\d-[0-3]\d)\b"),
        ("dm_range", rf"\b{_DAY}{_TO}{_DAY2}\s+(?:of\s+)?{_MONTH}\b{_YEAR}"),
        ("md_range", rf"\b{_MONTH}\s*{_DAY}{_TO}{_DAY2}\b{_YEAR}"),
        ("dm", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}"),
        ("md", rf"\b{_MONTH}\s*{_DAY}\b(?!\s*(?:%|per|million|thousand))" + _YEAR),
        ("the_nth", r"\bon\s+the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s+(?:of|century|anniversary))"),
        ("weekday", r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")(?:\s+(?P<part>morning|afternoon|evening|night))?\b"),
        ("relative", r"\b(?P<rel>yesterday|today|tonight|this\s+(?:morning|afternoon|evening)|last\s+night|"
                     r"overnight|last\s+week|earlier\s+this\s+week|this\s+week)\b"),
    )
)


@dataclass(frozen=True, kw_only=True)
class DateReading:
    """A date read from text: the honest bounds, the catalogue's precision code, and how."""

    start: dt.date
    end: dt.date
    precision: str
    note: str
    phrase: str = ""
    offset: int = -1


def reach_of(reference: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a document of this date can report: the atlas period's start to its own date."""
    return PERIOD[0], min(reference, PERIOD[1])


def _year_for(month: int, day: int, reference: dt.date, explicit: str | None) -> dt.date | None:
    year = int(explicit) if explicit else reference.year
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        return None
    if not explicit and day_ > reference + dt.timedelta(days=31):
        try:
            day_ = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return day_


def _against(reference: dt.date) -> str:
    return f"the document's date {reference.isoformat()} ({_WEEKDAYS[reference.weekday()].capitalize()})"


def _reading(kind: str, m: re.Match, reference: dt.date) -> DateReading | None:
    """One match as a reading; None when it names no real date (e.g. "31 February")."""
    g = m.groupdict()
    phrase = m.group(0)
    quoted = f"'{phrase}'"
    if kind == "iso":
        try:
            day = dt.date.fromisoformat(g["iso"])
        except ValueError:
            return None
        return DateReading(start=day, end=day, precision="day", note=f"{quoted}: an ISO date.")
    if kind in ("dm", "md", "dm_range", "md_range"):
        month = _MONTHS[g["month"].lower().rstrip(".")]
        first = _year_for(month, int(g["day"]), reference, g.get("year"))
        if first is None:
            return None
        year_how = "" if g.get("year") else (
            f", year {first.year}: the latest such date not more than a month after {_against(reference)}")
        if kind.endswith("range"):
            last = _year_for(month, int(g["day2"]), reference, g.get("year") or str(first.year))
            if last is None or last < first:
                return None
            return DateReading(start=first, end=last, precision="range", note=f"{quoted}{year_how}.")
        return DateReading(start=first, end=first, precision="day", note=f"{quoted}{year_how}.")
    if kind == "the_nth":
        try:
            day = reference.replace(day=int(g["day"]))
        except ValueError:
            return None
        return DateReading(start=day, end=day, precision="day",
                           note=f"{quoted}: day {int(g['day'])} of the month of {_against(reference)}.")
    if kind == "weekday":
        wanted = _WEEKDAYS.index(g["weekday"].lower())
        back = (reference.weekday() - wanted) % 7
        day = reference - dt.timedelta(days=back)
        same = " (the document's own weekday, taken as that day)" if back == 0 else ""
        if (g.get("part") or "").lower() == "night":
            # A night runs into the next morning: say so rather than pick one of the two days.
            return DateReading(start=day, end=min(day + dt.timedelta(days=1), reference), precision="range",
                               note=f"{quoted}: the night after {day.isoformat()}, the latest "
                                    f"{g['weekday'].capitalize()} on or before {_against(reference)}{same}.")
        return DateReading(start=day, end=day, precision="day",
                           note=f"{quoted}: the latest {g['weekday'].capitalize()} on or before "
                                f"{_against(reference)}{same}.")
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    one = dt.timedelta(days=1)
    if rel == "yesterday":
        return DateReading(start=reference - one, end=reference - one, precision="day",
                           note=f"{quoted}: the day before {_against(reference)}.")
    if rel in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return DateReading(start=reference, end=reference, precision="day", note=f"{quoted}: {_against(reference)}.")
    if rel in ("last night", "overnight"):
        return DateReading(start=reference - one, end=reference, precision="range",
                           note=f"{quoted}: the night before {_against(reference)}, across both days.")
    monday = reference - dt.timedelta(days=reference.weekday())
    if rel == "last week":
        return DateReading(start=monday - 7 * one, end=monday - one, precision="range",
                           note=f"{quoted}: Monday to Sunday of the week before {_against(reference)}.")
    return DateReading(start=monday, end=reference, precision="range",
                       note=f"{quoted}: from Monday of the week of {_against(reference)} to that date.")


def read_dates(text: str, reference: dt.date) -> list[DateReading]:
    """Every date phrase in ``text``, resolved against ``reference``, in text order.

    Parameters
    ----------
    text : str
        A sentence or a whole document.
    reference : datetime.date
        The document's date.

    Returns
    -------
    list of DateReading
        Non-overlapping, sorted by ``offset`` (where the phrase starts in ``text``).

    Examples
    --------
    >>> ref = dt.date(2022, 1, 7)  # a Friday
    >>> [(r.start.isoformat(), r.precision) for r in read_dates("Troops fired on Wednesday and on Jan. 5.", ref)]
    [('2022-01-05', 'day'), ('2022-01-05', 'day')]
    """
    taken: list[tuple[int, int]] = []
    out = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            reading = _reading(kind, m, reference)
            if reading is None:
                continue
            taken.append((a, b))
            out.append(DateReading(start=reading.start, end=reading.end, precision=reading.precision,
                                   note=reading.note, phrase=m.group(0), offset=a))
    return sorted(out, key=lambda r: r.offset)


def date_of(sentence: str, reference: dt.date) -> DateReading:
    """The date a sentence gives for what it reports, or the honest fallback.

    The first date phrase in the sentence that falls within the document's reach
    (:func:`reach_of`) wins. With none, the event happened on or before the document's date:
    precision ``not_after``, from the atlas period's first day, and the note says so.

    Examples
    --------
    >>> date_of("Protesters gathered in the square.", dt.date(2022, 1, 7)).precision
    'not_after'
    """
    low, high = reach_of(reference)
    for reading in read_dates(sentence, reference):
        if low <= reading.start and reading.end <= high:
            return reading
    return DateReading(start=low, end=high, precision="not_after",
                       note=f"No date in the sentence: on or before {_against(reference)}; "
                            f"{low.isoformat()} is the first day the atlas covers.")
