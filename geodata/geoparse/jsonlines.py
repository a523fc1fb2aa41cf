"""The geoparser's JSON Lines output, made without building a dict per mention.

Each line is byte for byte ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` of a
:func:`geodata.geoparse.parse_to_records` record; the part of a line fixed by the place, its
alternatives and the confidence is serialised once per distinct combination, the sentence once
per sentence, which is what makes ``python -m geodata geoparse`` fast on long texts.
"""

from __future__ import annotations

import json
from typing import BinaryIO, Iterable, Iterator, TextIO

import geodata.geoparse.compiled as compiled
from geodata.geoparse.parser import resolve_text
from geodata.geoparse.resolution import ResolvedMention

__all__ = ["render_lines", "write_bytes", "write_json_lines"]


def write_json_lines(text: str, out: TextIO, *, context: Iterable[str] | None = None, sentences: bool = True) -> int:
    """Write the records of :func:`parse_to_records` to ``out`` as JSON Lines; return how many.

    Parameters
    ----------
    text : str
        Any text.
    out : TextIO
        Where the lines go (``sys.stdout``, an open file, ``io.StringIO``).
    context : iterable of str, optional
        As for :func:`parse`.
    sentences : bool
        Include each mention's ``sentence`` text (``sentence_start``/``sentence_end`` are
        always there); False makes news output about 40 % smaller.

    Returns
    -------
    int
        The number of lines written.

    Notes
    -----
    Each line is byte for byte ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` of
    ``parse_to_records(text, context=context, sentences=sentences)``, but made without the
    dicts: the part of a line fixed by the place, its alternatives and the confidence is
    serialised once per distinct combination, the sentence once per sentence, and lines go
    out in chunks of 2,048.
    """
    mentions = resolve_text(text, context)
    for chunk in render_lines(text, mentions, sentences):
        out.write(chunk)
    return len(mentions)


_enc = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for str


def _head(place, conf: float, alts: tuple, kind: str) -> tuple[str, str]:
    """The parts of a line fixed by the place, its alternatives and the confidence: before the
    ``end`` value, and from there to the ``sentence`` key."""
    alts_json = json.dumps([list(x) for x in alts], ensure_ascii=False)
    return (
        f'{{"alternatives": {alts_json}, "confidence": {conf!r}, "country": {_enc(place.country)}, "end": ',
        f', "id": {_enc(place.id)}, "kind": {_enc(kind)}, "lat": {json.dumps(place.lat)}, '
        f'"lon": {json.dumps(place.lon)}, "name": {_enc(place.name)}, ',
    )


def render_lines(text: str, mentions: list[ResolvedMention], sentences: bool, offset: int = 0,
                 memo: dict | None = None) -> Iterator[str]:
    """The JSON Lines of resolved mentions, in chunks of 2,048 lines.

    ``mentions`` hold offsets into ``text``; the lines count them from ``offset`` on (a block of
    a longer file, :mod:`geodata.geoparse.stream`). ``memo`` keeps the serialised place parts
    across calls: pass the same dict for every block of one document, whose mentions share
    their place and alternatives objects.
    """
    heads: dict[tuple, tuple[str, str]] = {} if memo is None else memo.setdefault("heads", {})
    if compiled.hot is not None:  # the same loop in C (geodata/geoparse/_hotpath.pyx)
        yield from compiled.hot.render(text, mentions, sentences, offset, heads, _head, _enc)
        return
    enc = _enc
    last_sa = last_sb = -1
    middle = ""
    lines: list[str] = []
    append = lines.append
    for a, b, sa, sb, place, conf, alts, kind in mentions:
        key = (id(alts), conf, id(place), kind)  # alts and places are shared objects, alive in ``mentions``
        head = heads.get(key)
        if head is None:
            head = heads[key] = _head(place, conf, alts, kind)
        if sa != last_sa or sb != last_sb:
            last_sa, last_sb = sa, sb
            sentence = f'"sentence": {enc(text[sa:sb])}, ' if sentences else ""
            middle = f'{sentence}"sentence_end": {sb + offset}, "sentence_start": {sa + offset}, "start": '
        append(f'{head[0]}{b + offset}{head[1]}{middle}{a + offset}, "text": {enc(text[a:b])}}}\n')
        if len(lines) >= 2048:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def write_bytes(out: BinaryIO, text: str, mentions: list[ResolvedMention], sentences: bool, offset: int = 0,
                memo: dict | None = None) -> None:
    """Write the lines of :func:`render_lines` to a binary stream, encoded as UTF-8.

    Compiled, the bytes are put together from parts each encoded once (a place's fixed parts, a
    sentence, a surface) in a reused buffer, without a str per line or the encoding of every
    chunk on its way out (geodata/geoparse/_lines.pyx).
    """
    memo = {} if memo is None else memo
    if compiled.hot is not None:
        compiled.hot.write_bytes(out.write, text, mentions, sentences, offset, memo.setdefault("heads_bytes", {}), _head,
                                 _enc, memo.setdefault("surfaces", {}))
        return
    for chunk in render_lines(text, mentions, sentences, offset, memo):
        out.write(chunk.encode("utf-8"))
