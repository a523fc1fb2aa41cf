"""The store as the atlas reads it: verified events, the sources' texts, and the review of suggestions.

The map, the lists, the claim sets and the exports show the store's coded events beside the
seed catalogue's. Everything read here is re-verified on the way out: an event whose quote is
no longer ``text[start:end]`` of its stored source is a one-line :class:`DataError`, never a
silently wrong map. :func:`store_version` changes with every write, so a cache keyed on it
(the dashboard's) shows one session's write in the others on their next run.

Reviewing suggestions (the dashboard's Sources page): :func:`open_suggestions` lists a source's
suggestions that are neither accepted nor rejected; :func:`reject_suggestion` hides one for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import String, cast, func, literal, select, union_all

from geodata.errors import DataError, InputError
from geodata.gazetteer import load_gazetteer
from geodata.geoparse import sentence_spans
from geodata.store.database import Store
from geodata.store.documents import source_text
from geodata.store.events import CodedEvent, list_events, suggest_for_source
from geodata.store.schema import events, rejected_suggestions, sources, suggestions
from geodata.store.suggest import Suggestion

__all__ = ["place_id_of", "open_suggestions", "reject_suggestion", "sentences_of", "store_version", "text_paragraph",
           "verified_events"]


def store_version(store: Store) -> str:
    """A short digest of what the store holds (sources, events, rejections); any write changes it.

    Ids, not timestamps: a removal followed by an add in the same second still changes it. One
    statement (the dashboard asks once per script run, maybe across a network to PostgreSQL).
    """
    kinds = (sources, events, rejected_suggestions)
    ids = [select(literal(t.name, String).label("kind"), t.c.id.label("id")) for t in kinds]
    count = select(literal(suggestions.name, String), cast(func.count(), String)).select_from(suggestions)
    with store.transaction() as conn:
        rows = conn.execute(union_all(*ids, count)).all()
    order = {t.name: i for i, t in enumerate(kinds)}
    digest = hashlib.sha256()
    for kind, value in sorted(rows, key=lambda r: (order.get(r[0], len(order)), r[1])):
        digest.update(f"{kind}:{value}\n".encode())
    return digest.hexdigest()[:16]


def verified_events(store: Store) -> list[CodedEvent]:
    """Every coded event of the store, each quote re-checked against its stored text.

    Raises
    ------
    DataError
        One line naming the event and its span when ``text[start:end] != quote``.
    """
    found = list_events(store)
    with store.transaction() as conn:
        texts = dict(conn.execute(select(sources.c.id, sources.c.text)).all())
    for ev in found:
        for e in ev.evidence:
            text = texts.get(e.source_id)
            if text is None or text[e.start:e.end] != e.quote:
                raise DataError(f"{store.where}: event {ev.id}: quote does not match {e.document}[{e.start}:{e.end}]; "
                                "remove the event (python3 -m geodata events remove ID) and code it again")
    return found


def text_paragraph(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The paragraph (newline to newline) of ``text`` holding ``[start:end]``, and the span's offsets in it."""
    if not 0 <= start <= end <= len(text):
        raise InputError(f"span [{start}:{end}] lies outside a text of {len(text)} characters")
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    p_end = len(text) if p_end < 0 else p_end
    return text[p_start:p_end], start - p_start, end - p_start


def open_suggestions(store: Store, source_id: str) -> list[Suggestion]:
    """The source's suggestions still to review: not accepted (as an event) and not rejected, by offset.

    The first call for a source reads the text and keeps the suggestions
    (:func:`~geodata.store.events.suggest_for_source`); later calls read them from the store.
    """
    with store.transaction() as conn:
        kept = conn.execute(select(suggestions).where(suggestions.c.source_id == source_id)).all()
    if not kept:
        suggest_for_source(store, source_id)  # InputError for an unknown source
        with store.transaction() as conn:
            kept = conn.execute(select(suggestions).where(suggestions.c.source_id == source_id)).all()
    with store.transaction() as conn:
        rejected = set(conn.execute(select(rejected_suggestions.c.id)
                                    .where(rejected_suggestions.c.source_id == source_id)).scalars())
        accepted = set(conn.execute(select(events.c.suggestion_id).where(events.c.source_id == source_id)).scalars())
    fields = Suggestion.__dataclass_fields__
    out = [Suggestion(**{k: row._mapping[k] for k in fields}) for row in kept
           if row.id not in rejected and row.id not in accepted]
    return sorted(out, key=lambda s: (s.start, s.end, s.id))


def reject_suggestion(store: Store, suggestion_id: str) -> dict:
    """Hide a suggestion from review for good (the events coded from it stay).

    Returns
    -------
    dict
        ``{"rejected": id}``.

    Raises
    ------
    InputError
        For an unknown suggestion id.
    """
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with store.transaction() as conn:
        row = conn.execute(select(suggestions.c.source_id).where(suggestions.c.id == suggestion_id)).first()
        if row is None:
            raise InputError(f"{store.where}: no suggestion {suggestion_id!r}; it may have gone with its source")
        done = conn.execute(select(rejected_suggestions.c.id).where(rejected_suggestions.c.id == suggestion_id)).first()
        if done is None:
            conn.execute(rejected_suggestions.insert().values(id=suggestion_id, source_id=row.source_id, rejected_at=now))
    return {"rejected": suggestion_id}


def sentences_of(store: Store, source_id: str) -> list[tuple[int, int, str]]:
    """The source's sentences as ``(start, end, text[start:end])``, in order: what a hand coding picks from."""
    text = source_text(store, source_id)
    return [(s, e, text[s:e]) for s, e in sentence_spans(text)]



def place_id_of(name_or_id: str) -> str:
    """The gazetteer id of a place given by name (any spelling the gazetteer knows) or by id.

    Raises
    ------
    InputError
        One line for an empty or unknown name, with close matches.
    """
    value = (name_or_id or "").strip()
    if not value:
        raise InputError("place: empty; give a place name (Almaty, Alma-Ata ...) or a gazetteer id (gn:1526384)")
    gz = load_gazetteer()
    if gz.has(value):
        return value
    place = gz.lookup(value)
    if place is None:
        close = gz.close_matches(value)
        raise InputError(f"place {value!r} is not in the gazetteer; "
                         + (f"close matches: {', '.join(close)}" if close else "check the spelling"))
    return place.id
