"""The user's own sources: add, list, get and remove documents in the store.

A stored source is a document the user added, with its bibliographic fields and its text kept
verbatim. Its id is ``user-`` and the first 12 hex digits of the text's SHA-256 (of the UTF-8
bytes), so it never collides with a seed id (``seeds/sources.toml`` ids are plain words) and
the same text added twice is the same source. The seed articles are never written: they live
in ``seeds/``, not in the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import IntegrityError

from geodata.errors import DataError, InputError
from geodata.sources import load_sources
from geodata.store.database import Store
from geodata.store.schema import events, rejected_suggestions, sources, suggestions

__all__ = ["ID_PREFIX", "MAX_TEXT_BYTES", "StoredSource", "add_source", "get_source", "list_sources",
           "remove_source", "source_text"]

ID_PREFIX = "user-"
# The same limit as the dashboard's uploads of a document.
MAX_TEXT_BYTES = 2_000_000
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, kw_only=True)
class StoredSource:
    """A document the user added (the text itself: :func:`source_text`)."""

    id: str
    sha256: str
    title: str
    outlet: str
    date: str
    author: str
    url: str
    chars: int
    added_at: str

    def as_dict(self) -> dict:
        """The fields as the CLI prints them, in a fixed order."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "author": self.author,
            "url": self.url,
            "sha256": self.sha256,
            "chars": self.chars,
            "added_at": self.added_at,
        }


_COLUMNS = (sources.c.id, sources.c.sha256, sources.c.title, sources.c.outlet, sources.c.date, sources.c.author,
            sources.c.url, func.length(sources.c.text).label("chars"), sources.c.added_at)


def _record(row) -> StoredSource:
    return StoredSource(id=row.id, sha256=row.sha256, title=row.title, outlet=row.outlet, date=row.date,
                        author=row.author, url=row.url, chars=int(row.chars), added_at=row.added_at)


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"sources add: the text must be str, got {type(text).__name__}; decode the file first")
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise InputError(f"sources add: the text is {size:,} bytes, over the {MAX_TEXT_BYTES:,}-byte limit; "
                         "split it into smaller documents")
    if "\x00" in text:
        raise InputError("sources add: the text contains NUL characters, so it is not plain text; give a .txt file")
    if not text.strip():
        raise InputError("sources add: the text is empty; give a document with some words")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_fields(title: str, outlet: str, date: str, author: str, url: str) -> None:
    for name, value in (("--title", title), ("--outlet", outlet)):
        if not value or not value.strip():
            raise InputError(f"sources add: {name} is empty; say what the document is called and where it appeared")
    try:
        dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        raise InputError(f"sources add: --date {date!r} is not a date; write YYYY-MM-DD (the document's own date)") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InputError(f"sources add: --date {date!r} is not a date; write YYYY-MM-DD (the document's own date)")
    if url and not _URL.match(url):
        raise InputError(f"sources add: --url {url!r} is not an http(s) address; give the full https://... link or leave it out")
    if author is None:
        raise InputError("sources add: author must be a string (empty when unknown)")


def add_source(store: Store, text: str, *, title: str, outlet: str, date: str, author: str = "",
               url: str = "") -> tuple[StoredSource, bool]:
    """Add a document to the store, or find it when the same text is there already.

    Parameters
    ----------
    store : Store
    text : str
        The document, stored verbatim; at most 2 MB as UTF-8, not empty, no NUL characters.
    title, outlet : str
        Required, not blank.
    date : str
        The document's date, ``YYYY-MM-DD``; relative dates in it are read against this.
    author, url : str, optional
        Empty when unknown; the URL must be ``http(s)://``.

    Returns
    -------
    (StoredSource, bool)
        The source, and whether it was added now (False: the same text was already stored,
        and the stored fields are kept).

    Raises
    ------
    InputError
        One line for empty, oversized or non-text input and for bad fields.
    """
    digest = _check_text(text)
    _check_fields(title, outlet, date, author, url)
    source_id = ID_PREFIX + digest[:12]
    if source_id in load_sources():  # cannot happen with the prefix; kept as a guard for the seeds
        raise InputError(f"sources add: id {source_id!r} is a seed source id; the seed catalogue is read-only")
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    row = dict(id=source_id, sha256=digest, title=title.strip(), outlet=outlet.strip(), date=date,
               author=(author or "").strip(), url=url or "", text=text, added_at=now)
    try:
        with store.transaction() as conn:
            existing = _by_sha(conn, digest)
            if existing is not None:
                return existing, False
            conn.execute(sources.insert().values(**row))
    except IntegrityError:
        # Another writer added the same text between our look-up and our insert.
        with store.transaction() as conn:
            existing = _by_sha(conn, digest)
        if existing is None:
            raise DataError(f"{store.where}: source id {source_id} is taken by another text (a SHA-256 prefix "
                            "collision); report this as a bug") from None
        return existing, False
    return get_source(store, source_id), True


def _by_sha(conn: Connection, digest: str) -> StoredSource | None:
    row = conn.execute(select(*_COLUMNS).where(sources.c.sha256 == digest)).first()
    return None if row is None else _record(row)


def get_source(store: Store, source_id: str) -> StoredSource:
    """The stored source with this id.

    Raises
    ------
    InputError
        If there is none (a seed id gets a message saying seeds are not in the store).
    """
    with store.transaction() as conn:
        row = conn.execute(select(*_COLUMNS).where(sources.c.id == source_id)).first()
    if row is None:
        raise _unknown(store, source_id)
    return _record(row)


def source_text(store: Store, source_id: str) -> str:
    """The stored text of a source, verbatim (InputError if there is no such source)."""
    with store.transaction() as conn:
        found = conn.execute(select(sources.c.text).where(sources.c.id == source_id)).scalar()
    if found is None:
        raise _unknown(store, source_id)
    return found


def _unknown(store: Store, source_id: str) -> InputError:
    if source_id in load_sources():
        return InputError(f"source {source_id!r} is a seed article, not in the store; the seed catalogue is read-only")
    return InputError(f"{store.where}: no source {source_id!r}; list them with python3 -m geodata sources list")


def list_sources(store: Store) -> list[StoredSource]:
    """Every stored source, sorted by date, then title, then id."""
    with store.transaction() as conn:
        rows = conn.execute(select(*_COLUMNS).order_by(sources.c.date, sources.c.title, sources.c.id)).all()
    return [_record(r) for r in rows]


def remove_source(store: Store, source_id: str) -> dict:
    """Remove a source and every suggestion and event coded from it, in one transaction.

    Returns
    -------
    dict
        ``{"removed": id, "events": n, "suggestions": m}``: what went.

    Raises
    ------
    InputError
        For a seed article (read-only) or an unknown id.
    """
    if source_id in load_sources():
        raise InputError(f"sources remove: {source_id!r} is a seed article; the seed catalogue is read-only")
    with store.transaction() as conn:
        # Explicit deletes, not only ON DELETE CASCADE: a SQLite file opened by another tool
        # without PRAGMA foreign_keys would otherwise keep orphans.
        n_events = conn.execute(delete(events).where(events.c.source_id == source_id)).rowcount
        n_sugg = conn.execute(delete(suggestions).where(suggestions.c.source_id == source_id)).rowcount
        conn.execute(delete(rejected_suggestions).where(rejected_suggestions.c.source_id == source_id))
        gone = conn.execute(delete(sources).where(sources.c.id == source_id)).rowcount
        if not gone:
            raise _unknown(store, source_id)
    return {"removed": source_id, "events": n_events, "suggestions": n_sugg}
