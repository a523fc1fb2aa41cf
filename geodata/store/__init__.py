"""The analyst's store: their own sources and the events coded from them.

An embedded SQLite file by default, or a PostgreSQL database a team shares, written through
SQLAlchemy Core. The seed articles (``seeds/``) and the hand-coded catalogue
(``geodata/data/catalogue/``) stay the read-only base: nothing here writes them.

Modules: :mod:`~geodata.store.schema` (tables, migrations), :mod:`~geodata.store.database`
(where the store is, engines, transactions), :mod:`~geodata.store.documents` (documents),
:mod:`~geodata.store.datereader` (dates read from text), :mod:`~geodata.store.suggest` (suggested
events), :mod:`~geodata.store.events` (coded events), :mod:`~geodata.store.quality` (suggestions
measured against the seed catalogue), :mod:`~geodata.store.atlas` (the store as the atlas reads it: verified events,
version, review of suggestions), :mod:`~geodata.store.cli` (the commands).

Examples
--------
>>> from geodata.store import open_store, add_source
>>> store = open_store("/tmp/doctest-atlas.sqlite3")
>>> src, added = add_source(store, "Protesters gathered in Almaty on 5 January.",
...                         title="Note", outlet="Field notes", date="2022-01-07")
>>> src.id.startswith("user-")
True
"""

from geodata.store.atlas import place_id_of, open_suggestions, reject_suggestion, sentences_of, store_version, text_paragraph, verified_events
from geodata.store.database import ENV_VAR, Store, default_path, open_store, resolve_url
from geodata.store.datereader import DateReading, date_of, read_dates, reach_of
from geodata.store.events import (
    CodedEvent,
    accept_suggestion,
    add_event,
    document_of,
    list_events,
    remove_event,
    suggest_for_source,
)
from geodata.store.schema import SCHEMA_VERSION
from geodata.store.documents import MAX_TEXT_BYTES, StoredSource, add_source, get_source, list_sources, remove_source, source_text
from geodata.store.suggest import Suggestion, suggest_events

__all__ = [
    "ENV_VAR",
    "MAX_TEXT_BYTES",
    "SCHEMA_VERSION",
    "CodedEvent",
    "DateReading",
    "Store",
    "StoredSource",
    "Suggestion",
    "accept_suggestion",
    "add_event",
    "add_source",
    "date_of",
    "default_path",
    "document_of",
    "get_source",
    "list_events",
    "list_sources",
    "open_store",
    "open_suggestions",
    "place_id_of",
    "reach_of",
    "reject_suggestion",
    "read_dates",
    "remove_event",
    "remove_source",
    "resolve_url",
    "sentences_of",
    "source_text",
    "store_version",
    "suggest_events",
    "suggest_for_source",
    "text_paragraph",
    "verified_events",
]
