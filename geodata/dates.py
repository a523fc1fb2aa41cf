"""Dates given by users, filters and data files: one parser, one overlap rule.

Every date a user types (a CLI option, a URL parameter, a filter argument) goes through
:func:`parse_date`, so every entry point answers a bad date with the same one-line message.
A date written in a shipped data file goes through :func:`parse_file_date`, which also
checks it lies in the period the file covers; both read ISO dates with :func:`_iso`.
Entries with a date range are kept by a window when the two ranges overlap (:func:`overlaps`).
"""

from __future__ import annotations

import datetime as dt

from geodata.errors import InputError

__all__ = ["overlaps", "parse_date", "parse_file_date"]


def parse_date(value: dt.date | str | None, name: str) -> dt.date | None:
    """``value`` as a date; None for None or "".

    Parameters
    ----------
    value : date, str or None
        A date, or an ISO 8601 calendar date ``YYYY-MM-DD``.
    name : str
        What the value is (``date_from``, ``--to`` ...), for the error message.

    Raises
    ------
    InputError
        If ``value`` is not a real calendar date.

    Examples
    --------
    >>> parse_date("2022-01-05", "date_from")
    datetime.date(2022, 1, 5)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    day = _iso(str(value))
    if day is None:
        raise InputError(f"{name}: {value!r} is not a date; give YYYY-MM-DD, e.g. 2022-01-05")
    return day


def parse_file_date(text: str, period: tuple[dt.date, dt.date]) -> dt.date:
    """A date written in a data file, which must be real and inside ``period``.

    Parameters
    ----------
    text : str
        ``YYYY-MM-DD``.
    period : (date, date)
        Inclusive bounds; a date outside them is most likely a typo in the year.

    Raises
    ------
    ValueError
        Saying what is wrong and how to fix it; the caller adds the file, entry and field.

    Examples
    --------
    >>> parse_file_date("2022-01-05", (dt.date(2021, 12, 1), dt.date(2022, 12, 31)))
    datetime.date(2022, 1, 5)
    """
    day = _iso(text)
    if day is None:
        raise ValueError(f"{text!r} is not a real date; write YYYY-MM-DD")
    if not period[0] <= day <= period[1]:
        raise ValueError(f"{text} is outside {period[0]}..{period[1]}; check the year")
    return day


def _iso(text: str) -> dt.date | None:
    """The calendar date ``text`` spells in ISO 8601, or None if it spells none."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def overlaps(start: dt.date, end: dt.date, lo: dt.date | None, hi: dt.date | None) -> bool:
    """Whether ``[start, end]`` overlaps the window ``[lo, hi]`` (an open end takes everything)."""
    return (lo is None or end >= lo) and (hi is None or start <= hi)
