"""The store's commands: ``python -m geodata sources ...`` and ``python -m geodata events ...``.

Thin: parse, call :mod:`geodata.store`, print JSON. ``sources add`` prints the source as one
JSON object; ``sources list`` and ``events list`` a JSON array; ``events suggest`` JSON Lines,
one suggestion a line; ``accept`` and ``add`` the coded event as one JSON object; ``remove``
one object saying what went. Every command takes ``--db PATH|URL`` (default: ``QANTAR_DB``,
then the user's data folder). Errors are one line on stderr and exit status 1 (the
``InputError``/``DataError`` handling of :func:`geodata.cli.main`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import Any, Callable, Iterator

from geodata.errors import InputError

__all__ = ["add_store_commands"]


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


@contextlib.contextmanager
def _store(args: argparse.Namespace) -> Iterator:
    from geodata.store import open_store

    store = open_store(args.db)
    try:
        yield store
    finally:
        store.dispose()


def _print_from_store(args: argparse.Namespace, call: Callable[[Any], Any], form: str = "object") -> int:
    """Open the store ``--db`` names, print ``call(store)`` as JSON, close the store; exit status 0.

    ``form`` is how the result prints: ``"object"`` one JSON object on a line (a record's
    ``as_dict()``, or the dict itself), ``"array"`` an indented JSON array of records, ``"lines"``
    JSON Lines, one record a line. Every command but ``sources add`` is one such call.
    """
    with _store(args) as store:
        result = call(store)
        if form == "array":
            print(json.dumps([r.as_dict() for r in result], ensure_ascii=False, indent=2))
        elif form == "lines":
            for r in result:
                sys.stdout.write(_dump(r.as_dict()) + "\n")
        else:
            print(_dump(result.as_dict() if hasattr(result, "as_dict") else result))
    return 0


def _read_file(path: str) -> str:
    from geodata.geoparse import read_text_input
    from geodata.store import MAX_TEXT_BYTES

    if path != "-" and os.path.isfile(path) and os.path.getsize(path) > MAX_TEXT_BYTES + 3:
        raise InputError(f"{path}: larger than {MAX_TEXT_BYTES:,} bytes, the limit for a source; split it into "
                         "smaller documents")
    # +3: a UTF-8 byte-order mark does not count against the limit; add_source checks the text.
    return read_text_input(path, max_bytes=MAX_TEXT_BYTES + 3)


def cmd_sources_add(args: argparse.Namespace) -> int:
    """Add a document; print the source (the existing one when the text is already stored)."""
    from geodata.store import add_source

    text = _read_file(args.file)  # before the store opens: a bad file creates no database
    with _store(args) as store:
        source, added = add_source(store, text, title=args.title, outlet=args.outlet, date=args.date,
                                   author=args.author or "", url=args.url or "")
    if not added:
        print(f"note: the same text is already stored as {source.id}; nothing added", file=sys.stderr)
    print(_dump(source.as_dict()))
    return 0


def cmd_sources_list(args: argparse.Namespace) -> int:
    """Print every stored source as one JSON array."""
    from geodata.store import list_sources

    return _print_from_store(args, list_sources, "array")


def cmd_sources_remove(args: argparse.Namespace) -> int:
    """Remove a source with its suggestions and events."""
    from geodata.store import remove_source

    return _print_from_store(args, lambda store: remove_source(store, args.id))


def cmd_events_suggest(args: argparse.Namespace) -> int:
    """Print the suggested events of a source as JSON Lines."""
    from geodata.store import suggest_for_source

    return _print_from_store(args, lambda store: suggest_for_source(store, args.source_id), "lines")


def cmd_events_accept(args: argparse.Namespace) -> int:
    """Turn a suggestion into a coded event; print it."""
    from geodata.store import accept_suggestion

    return _print_from_store(args, lambda store: accept_suggestion(
        store, args.suggestion_id, type=args.type, place=args.place, date_start=args.date_start,
        date_end=args.date_end))


def cmd_events_add(args: argparse.Namespace) -> int:
    """Code an event by hand; print it."""
    from geodata.store import add_event

    return _print_from_store(args, lambda store: add_event(
        store, source_id=args.source, start=args.start, end=args.end, place=args.place, type=args.type,
        date_start=args.date_start, date_end=args.date_end, description=args.description or ""))


def cmd_events_remove(args: argparse.Namespace) -> int:
    """Remove one coded event."""
    from geodata.store import remove_event

    return _print_from_store(args, lambda store: remove_event(store, args.id))


def cmd_events_list(args: argparse.Namespace) -> int:
    """Print the coded events as one JSON array."""
    from geodata.store import list_events

    return _print_from_store(args, lambda store: list_events(store, args.source), "array")


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH|URL",
                   help="SQLite file or postgresql://user@host/dbname (default: $QANTAR_DB, else the user's data folder)")


def add_store_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``sources`` and ``events`` commands to the CLI's subparsers.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        What ``parser.add_subparsers()`` returned in :func:`geodata.cli.build_parser`.
    """
    p = sub.add_parser("sources", help="your own documents in the store: add, list, remove")
    ss = p.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    q = ss.add_parser("add", help="add a UTF-8 text file (at most 2 MB); prints the source as JSON with its id")
    q.add_argument("file", help="a UTF-8 (or UTF-16 with BOM) text file, or - for stdin")
    q.add_argument("--title", required=True)
    q.add_argument("--outlet", required=True)
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the document's date; relative dates resolve against it")
    q.add_argument("--author", default="")
    q.add_argument("--url", default="")
    _db(q)
    q.set_defaults(func=cmd_sources_add)
    q = ss.add_parser("list", help="print the stored sources as a JSON array")
    _db(q)
    q.set_defaults(func=cmd_sources_list)
    q = ss.add_parser("remove", help="remove a source and every suggestion and event coded from it")
    q.add_argument("id")
    _db(q)
    q.set_defaults(func=cmd_sources_remove)

    p = sub.add_parser("events", help="events from your sources: suggest, accept, add, remove, list")
    es = p.add_subparsers(dest="events_command", required=True, metavar="ACTION")
    q = es.add_parser("suggest", help="print candidate events of a stored source as JSON Lines")
    q.add_argument("source_id")
    _db(q)
    q.set_defaults(func=cmd_events_suggest)
    q = es.add_parser("accept", help="turn a suggestion into a coded event (optionally correcting it)")
    q.add_argument("suggestion_id")
    q.add_argument("--type", help="an event type of the catalogue (e.g. protest, riot, armed_clash)")
    q.add_argument("--place", help="a gazetteer id (python3 -m geodata geocode NAME prints it)")
    q.add_argument("--date-start", metavar="YYYY-MM-DD")
    q.add_argument("--date-end", metavar="YYYY-MM-DD")
    _db(q)
    q.set_defaults(func=cmd_events_accept)
    q = es.add_parser("add", help="code an event by hand from text[start:end] of a stored source")
    q.add_argument("--source", required=True, metavar="ID")
    q.add_argument("--start", required=True, type=int, metavar="N")
    q.add_argument("--end", required=True, type=int, metavar="M")
    q.add_argument("--place", required=True, help="a gazetteer id")
    q.add_argument("--type", required=True, help="an event type of the catalogue")
    q.add_argument("--date-start", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--date-end", metavar="YYYY-MM-DD", help="default: the start date")
    q.add_argument("--description", default="")
    _db(q)
    q.set_defaults(func=cmd_events_add)
    q = es.add_parser("remove", help="remove one coded event")
    q.add_argument("id")
    _db(q)
    q.set_defaults(func=cmd_events_remove)
    q = es.add_parser("list", help="print the coded events as a JSON array")
    q.add_argument("--source", metavar="ID", help="only the events of this source")
    _db(q)
    q.set_defaults(func=cmd_events_list)
