"""Coded events in the store: suggest, accept, add by hand, list and remove.

A coded event has one piece of evidence, ``{source_id, document, start, end, quote}`` as the
seeds' evidence, where ``document`` is ``"store:<source id>"`` (the stored text of that source,
not a file of ``seeds/``) and ``text[start:end] == quote``. Every write checks, inside the
same transaction as the insert, and refuses with one line:

* the source exists in the store (a seed article is read-only, coded in
  ``geodata/data/catalogue/events.toml``);
* ``0 <= start < end <= len(text)`` and the quote is exactly ``text[start:end]``;
* the place is a gazetteer id and the type one of the catalogue's event types;
* the dates are real, ``date_start <= date_end``, and within the source's reach (the atlas
  period's first day up to the source's own date: an article cannot report later events).

Event ids are ``user-ev-`` and 12 hex digits of the SHA-256 of the coding (source, span,
place, type, dates), so coding the same event twice gives the one event back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError

from geodata.catalogue import load_catalogue
from geodata.errors import InputError
from geodata.gazetteer import load_gazetteer
from geodata.schemas import EVENT_TYPES
from geodata.sources import Evidence, load_sources
from geodata.store.database import Store
from geodata.store.datereader import reach_of
from geodata.store.schema import events, sources, suggestions
from geodata.store.documents import get_source, source_text
from geodata.store.suggest import Suggestion, suggest_events

__all__ = ["EVENT_ID_PREFIX", "CodedEvent", "accept_suggestion", "add_event", "document_of", "list_events",
           "remove_event", "suggest_for_source"]

EVENT_ID_PREFIX = "user-ev-"
_GEO_PRECISION = {"landmark": 1, "city": 1, "region": 3, "country": 3}


def document_of(source_id: str) -> str:
    """The ``document`` of a stored source's evidence: ``"store:<source id>"``."""
    return f"store:{source_id}"


@dataclass(frozen=True, kw_only=True)
class CodedEvent:
    """An event coded from a stored source, with its one piece of evidence."""

    id: str
    date_start: str
    date_end: str
    date_precision: str
    date_note: str
    place: str
    geo_precision: int
    type: str
    description: str
    suggestion_id: str
    coded_at: str
    evidence: tuple[Evidence, ...]

    @property
    def source_id(self) -> str:
        """The stored source the event is coded from."""
        return self.evidence[0].source_id

    def as_dict(self) -> dict:
        """The fields as the CLI prints them, evidence as the seeds' ``{source_id, document, start, end, quote}``."""
        return {
            "id": self.id,
            "source_id": self.source_id,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "date_note": self.date_note,
            "place": self.place,
            "geo_precision": self.geo_precision,
            "type": self.type,
            "description": self.description,
            "suggestion_id": self.suggestion_id,
            "coded_at": self.coded_at,
            "evidence": [e.as_dict() for e in self.evidence],
        }


def _record(row) -> CodedEvent:
    return CodedEvent(
        id=row.id, date_start=row.date_start, date_end=row.date_end, date_precision=row.date_precision,
        date_note=row.date_note, place=row.place, geo_precision=row.geo_precision, type=row.type,
        description=row.description, suggestion_id=row.suggestion_id or "", coded_at=row.coded_at,
        evidence=(Evidence(row.source_id, document_of(row.source_id), row.start, row.end, row.quote),),
    )


def _date(value: str, option: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


def _source_row(conn: Connection, store: Store, source_id: str):
    row = conn.execute(select(sources.c.text, sources.c.date).where(sources.c.id == source_id)).first()
    if row is None:
        if source_id in load_sources():
            raise InputError(f"source {source_id!r} is a seed article and read-only; code it in "
                             "geodata/data/catalogue/events.toml, or add its text as your own source")
        raise InputError(f"{store.where}: unknown source {source_id!r}; list them with python3 -m geodata sources list")
    return row


def _verify(conn: Connection, store: Store, coding: dict) -> None:
    """Refuse a coding that does not hold (one line); runs inside the writing transaction."""
    row = _source_row(conn, store, coding["source_id"])
    start, end = coding["start"], coding["end"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InputError(f"--start/--end must be integers, got {start!r}, {end!r}")
    if end <= start:
        raise InputError(f"--end {end} is not after --start {start}; the span is text[start:end], end exclusive")
    if start < 0 or end > len(row.text):
        raise InputError(f"span [{start}:{end}] is outside source {coding['source_id']} (length {len(row.text)}); "
                         "give offsets inside the text")
    if row.text[start:end] != coding["quote"]:
        found = row.text.find(coding["quote"]) if coding["quote"] else -1
        hint = f"the quote is at [{found}:{found + len(coding['quote'])}]" if found >= 0 else "the quote is not in the text"
        raise InputError(f"quote does not match {document_of(coding['source_id'])}[{start}:{end}]; {hint}")
    if not coding["quote"].strip():
        raise InputError(f"span [{start}:{end}] is only white space; quote the words that report the event")
    if not load_gazetteer().has(coding["place"]):
        raise InputError(f"--place {coding['place']!r} is not a gazetteer id; find it with "
                         "python3 -m geodata geocode NAME (the \"id\" field)")
    if coding["type"] not in EVENT_TYPES:
        raise InputError(f"--type {coding['type']!r} is not an event type; use one of {', '.join(EVENT_TYPES)}")
    first, last = _date(coding["date_start"], "--date-start"), _date(coding["date_end"], "--date-end")
    if last < first:
        raise InputError(f"--date-end {last} is before --date-start {first}; swap or fix them")
    low, high = reach_of(dt.date.fromisoformat(row.date))
    if first < low or last > high:
        raise InputError(f"dates {first}..{last} are outside the reach of source {coding['source_id']} "
                         f"({low}..{high}: the atlas period's start to the source's date); fix the dates")


def _event_id(c: dict) -> str:
    key = f"{c['source_id']}:{c['start']}:{c['end']}:{c['place']}:{c['type']}:{c['date_start']}:{c['date_end']}"
    return EVENT_ID_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:12]


def _write(store: Store, coding: dict) -> CodedEvent:
    """Verify and insert one coding in one transaction; the same coding twice is one event."""
    coding = {**coding, "id": _event_id(coding),
              "coded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    try:
        with store.transaction() as conn:
            _verify(conn, store, coding)
            if conn.execute(select(events.c.id).where(events.c.id == coding["id"])).first() is None:
                conn.execute(events.insert().values(**coding))
    except IntegrityError:
        # A parallel writer inserted the same coding, or removed the source, in between.
        get_source(store, coding["source_id"])  # refuses, in one line, when the source is gone
    return _get(store, coding["id"])


def _get(store: Store, event_id: str) -> CodedEvent:
    with store.transaction() as conn:
        row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        raise InputError(f"{store.where}: no coded event {event_id!r}; list them with python3 -m geodata events list")
    return _record(row)


def _precision_of(place: str) -> int:
    return _GEO_PRECISION.get(load_gazetteer().get(place).kind, 2) if load_gazetteer().has(place) else 1


def add_event(store: Store, *, source_id: str, start: int, end: int, place: str, type: str, date_start: str,
              date_end: str | None = None, description: str = "", geo_precision: int | None = None) -> CodedEvent:
    """Code an event by hand from a span of a stored source.

    Parameters
    ----------
    store : Store
    source_id : str
        A stored source (``user-...``).
    start, end : int
        The evidence span, ``text[start:end]`` (end exclusive).
    place : str
        A gazetteer id (``python3 -m geodata geocode NAME`` prints it).
    type : str
        One of the catalogue's event types.
    date_start, date_end : str
        ``YYYY-MM-DD``; ``date_end`` defaults to ``date_start`` (precision ``day``, else ``range``).
    description : str, optional
    geo_precision : int, optional
        1 named place, 2 near / part of it, 3 region or country; default from the place's kind.

    Returns
    -------
    CodedEvent

    Raises
    ------
    InputError
        One line: unknown source or place, bad span, dates out of order or out of reach.
    """
    date_end = date_end or date_start
    with store.transaction() as conn:
        text = _source_row(conn, store, source_id).text
    quote = text[start:end] if isinstance(start, int) and isinstance(end, int) and 0 <= start < end else ""
    precision = "day" if date_start == date_end else "range"
    return _write(store, dict(
        source_id=source_id, start=start, end=end, quote=quote, place=place,
        geo_precision=geo_precision or _precision_of(place), type=type, date_start=date_start, date_end=date_end,
        date_precision=precision, date_note="Coded by hand.", description=description, suggestion_id=None,
    ))


def suggest_for_source(store: Store, source_id: str) -> list[Suggestion]:
    """Suggest events for a stored source and keep them for ``accept``.

    Returns
    -------
    list of Suggestion
        Sorted by offset; the same ids every time for the same source.
    """
    src = get_source(store, source_id)
    found = suggest_events(source_text(store, source_id), source_id=source_id, reference=dt.date.fromisoformat(src.date))
    with store.transaction() as conn:
        known = set(conn.execute(select(suggestions.c.id).where(suggestions.c.source_id == source_id)).scalars())
        fresh = [s.as_dict() for s in found if s.id not in known]
        if fresh:
            conn.execute(suggestions.insert(), fresh)
    return found


def accept_suggestion(store: Store, suggestion_id: str, *, type: str | None = None, place: str | None = None,
                      date_start: str | None = None, date_end: str | None = None) -> CodedEvent:
    """Turn a suggestion into a coded event, optionally correcting its type, place or dates.

    Raises
    ------
    InputError
        For an unknown suggestion (run ``events suggest SOURCE_ID`` first) or a coding that
        does not verify (see the module docstring).
    """
    with store.transaction() as conn:
        row = conn.execute(select(suggestions).where(suggestions.c.id == suggestion_id)).first()
    if row is None:
        raise InputError(f"{store.where}: no suggestion {suggestion_id!r}; run python3 -m geodata events suggest "
                         "SOURCE_ID first, then accept one of its ids")
    changed = [name for name, value in (("type", type), ("place", place), ("date_start", date_start),
                                        ("date_end", date_end)) if value is not None]
    new_start, new_end = date_start or row.date_start, date_end or row.date_end
    if date_start is not None or date_end is not None:
        if date_start is not None and date_end is None:
            new_end = date_start
        precision = "day" if new_start == new_end else "range"
        note = f"Dates set by hand; the suggestion read: {row.date_note}"
    else:
        precision, note = row.date_precision, row.date_note
    new_place = place or row.place
    return _write(store, dict(
        source_id=row.source_id, start=row.start, end=row.end, quote=row.quote, place=new_place,
        geo_precision=_precision_of(new_place) if place else row.geo_precision, type=type or row.type,
        date_start=new_start, date_end=new_end, date_precision=precision, date_note=note,
        description=f"Accepted suggestion ({', '.join(changed)} changed)." if changed else "Accepted suggestion.",
        suggestion_id=suggestion_id,
    ))


def list_events(store: Store, source_id: str | None = None) -> list[CodedEvent]:
    """Coded events (of one source, or all), sorted by date, then id."""
    query = select(events).order_by(events.c.date_start, events.c.id)
    if source_id is not None:
        query = query.where(events.c.source_id == source_id)
    with store.transaction() as conn:
        return [_record(r) for r in conn.execute(query).all()]


def remove_event(store: Store, event_id: str) -> dict:
    """Remove one coded event; the seed catalogue's events are read-only.

    Returns
    -------
    dict
        ``{"removed": id}``.
    """
    if any(e.id == event_id for e in load_catalogue().events):
        raise InputError(f"events remove: {event_id!r} is a seed catalogue event and read-only; "
                         "edit geodata/data/catalogue/events.toml in git instead")
    with store.transaction() as conn:
        if not conn.execute(delete(events).where(events.c.id == event_id)).rowcount:
            raise InputError(f"{store.where}: no coded event {event_id!r}; list them with python3 -m geodata events list")
    return {"removed": event_id}
