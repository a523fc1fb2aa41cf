"""Dates given by users and filters: one parser, one overlap rule.

Every date a user types (a CLI option, a URL parameter, a filter argument) goes through
:func:`parse_date`, so every entry point answers a bad date with the same one-line message.
Entries with a date range are kept by a window when the two ranges overlap (:func:`overlaps`).
"""

from __future__ import annotations

import datetime as dt

from geodata.errors import InputError

__all__ = ["overlaps", "parse_date"]


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
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a date; give YYYY-MM-DD, e.g. 2022-01-05") from None


def overlaps(start: dt.date, end: dt.date, lo: dt.date | None, hi: dt.date | None) -> bool:
    """Whether ``[start, end]`` overlaps the window ``[lo, hi]`` (an open end takes everything)."""
    return (lo is None or end >= lo) and (hi is None or start <= hi)
