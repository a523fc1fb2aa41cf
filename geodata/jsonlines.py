"""The geoparser's JSON Lines output, and a long text's work shared by two processes.

A record is byte for byte ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` of a
:func:`geodata.geoparse.parse_to_records` dict, but written without building the dict: the
part of a line fixed by the place, its alternatives and the confidence is serialised once per
distinct combination, the sentence once per sentence, and lines go out in large chunks.

A long text (:data:`SPLIT_MIN` characters or more) can be parsed by two processes when the
platform can fork: the parent takes the text up to a blank line near the middle, a forked
child the rest. No name, sentence or regex window of recognition straddles a blank line, and
the two exchange their document-context counts before resolving, so every mention resolves as
it does in one process and the output is the same bytes (the parent writes its half, then the
child's). The name index is loaded before the fork, so the child shares it without a copy.
"""

from __future__ import annotations

import codecs
import json
import marshal
import os
import sys
from typing import Iterable, Iterator, TextIO

from geodata.errors import DataError
from geodata.nameindex import default_index
from geodata.recognition import recognise
from geodata.resolution import context_counts, resolve
from geodata.sentences import Sentences

__all__ = ["SPLIT_MIN", "render", "split_point", "write"]

SPLIT_MIN = 1_000_000  # below this a second process costs more (fork, pipes) than it saves
_CHUNK = 2048  # lines per write


def render(text: str, mentions: Iterable[tuple], sentences: bool = True) -> Iterator[str]:
    """JSON Lines for resolved mention tuples (see :func:`geodata.resolution.resolve`), in chunks.

    ``sentences=False`` leaves the ``sentence`` text out (``sentence_start``/``sentence_end``
    stay), which makes the output about 40 % smaller on news text.
    """
    enc = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for str
    heads: dict[tuple, tuple[str, str]] = {}
    last_sa = last_sb = -1
    middle = ""
    lines: list[str] = []
    append = lines.append
    for a, b, sa, sb, place, conf, alts, kind in mentions:
        key = (id(alts), conf, id(place), kind)  # alts and places are shared objects: ids are stable here
        head = heads.get(key)
        if head is None:
            alts_json = json.dumps([list(x) for x in alts], ensure_ascii=False)
            head = heads[key] = (
                f'{{"alternatives": {alts_json}, "confidence": {conf!r}, "country": {enc(place.country)}, "end": ',
                f', "id": {enc(place.id)}, "kind": {enc(kind)}, "lat": {json.dumps(place.lat)}, '
                f'"lon": {json.dumps(place.lon)}, "name": {enc(place.name)}, ',
            )
        if sa != last_sa or sb != last_sb:
            last_sa, last_sb = sa, sb
            sentence = f'"sentence": {enc(text[sa:sb])}, ' if sentences else ""
            middle = f'{sentence}"sentence_end": {sb}, "sentence_start": {sa}, "start": '
        append(f'{head[0]}{b}{head[1]}{middle}{a}, "text": {enc(text[a:b])}}}\n')
        if len(lines) >= _CHUNK:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def split_point(text: str) -> int | None:
    """Where to split ``text`` for two processes: just after the blank line nearest its middle
    (after the first one past the middle, else the last one before it); None if there is none.

    The cut is the first non-space character after a line break and at least two white-space
    characters, so it is a sentence boundary and no gazetteer name (single spaces between
    words) can straddle it.
    """
    mid = len(text) // 2
    blank = text.find("\n\n", mid)
    if blank < 0:
        blank = text.rfind("\n\n", 0, mid + 1)
    if blank <= 0:
        return None
    cut = len(text) - len(text[blank:].lstrip())
    return cut if 0 < cut < len(text) else None


def _part(text: str, lo: int, hi: int, context: Iterable[str] | None) -> tuple[list[tuple], dict]:
    """The hits of ``text[lo:hi]`` and the context counts they (and ``context``) add."""
    hits = recognise(text, default_index(), lo, hi)
    return hits, context_counts(hits, context)


def _resolved(text: str, lo: int, hi: int, hits: list[tuple], own: dict, other: dict) -> list[tuple]:
    """The mentions of ``text[lo:hi]`` resolved in the whole document's context (``own`` counts
    this part, ``other`` the rest)."""
    ctx = dict(other)
    for k, v in own.items():
        ctx[k] = ctx.get(k, 0) + v
    return resolve(text, hits, ctx, Sentences(text, lo, hi), default_index())


def _send(fh, obj) -> None:
    data = marshal.dumps(obj)
    fh.write(len(data).to_bytes(8, "little") + data)
    fh.flush()


def _receive(fh) -> dict:
    size = fh.read(8)
    if len(size) != 8:
        raise DataError("geoparse: the second process stopped early (its error is above); "
                        "run again with --jobs 1")
    return marshal.loads(fh.read(int.from_bytes(size, "little")))


def _child(text: str, cut: int, sentences: bool, to_parent: int, from_parent: int) -> None:
    """The forked child: the second part, its lines sent to the parent; never returns."""
    status = 1
    try:
        with os.fdopen(to_parent, "wb") as out, os.fdopen(from_parent, "rb") as inp:
            hits, own = _part(text, cut, len(text), None)
            _send(out, own)
            # all lines first, then one write: the pipe would block the child until the parent reads
            lines = "".join(render(text, _resolved(text, cut, len(text), hits, own, _receive(inp)), sentences))
            out.write(lines.encode("utf-8"))
        status = 0
    except BaseException as exc:  # the parent reports the failure; this process must not go on
        print(f"error: geoparse second process: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    finally:
        os._exit(status)  # no clean-up of the parent's state (open files, atexit) from here


def write(text: str, out: TextIO, *, context: Iterable[str] | None = None, sentences: bool = True,
          jobs: int = 1) -> int:
    """Write the JSON Lines of ``text`` to ``out``; return the number of records.

    ``jobs=2`` splits a long text over two processes (see the module docstring); the output
    is the same either way.
    """
    cut = split_point(text) if jobs > 1 and len(text) >= SPLIT_MIN and hasattr(os, "fork") else None
    if cut is None:
        hits, own = _part(text, 0, len(text), context)
        mentions = _resolved(text, 0, len(text), hits, own, {})
        _write_chunks(out, render(text, mentions, sentences))
        return len(mentions)
    default_index()  # loaded before the fork: the child shares it
    c2p_read, c2p_write = os.pipe()
    p2c_read, p2c_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(c2p_read)
        os.close(p2c_write)
        _child(text, cut, sentences, c2p_write, p2c_read)
    os.close(c2p_write)
    os.close(p2c_read)
    try:
        with os.fdopen(c2p_read, "rb") as from_child, os.fdopen(p2c_write, "wb") as to_child:
            hits, own = _part(text, 0, cut, context)
            theirs = _receive(from_child)  # the child sends first, so a large context cannot deadlock
            _send(to_child, own)
            mentions = _resolved(text, 0, cut, hits, own, theirs)
            _write_chunks(out, render(text, mentions, sentences))
            rest = from_child.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise DataError("geoparse: the second process failed (its error is above); run again with --jobs 1")
    _write_bytes(out, rest)
    return len(mentions) + rest.count(b"\n")


def _write_chunks(out: TextIO, chunks: Iterable[str]) -> None:
    for chunk in chunks:
        out.write(chunk)


def _write_bytes(out: TextIO, data: bytes) -> None:
    """UTF-8 ``data`` to ``out``: straight to its byte buffer when it is a UTF-8 text file."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        out.flush()
        buffer.write(data)
    else:
        out.write(data.decode("utf-8"))
