"""Place mentions in any text: the geoparser's public API and its JSON Lines output.

The geoparser works in three steps, each a module named after it:

* :mod:`geodata.recognition`: one Aho-Corasick pass (pyahocorasick) over every gazetteer
  name on word boundaries, longest match first; capitalisation, the surrounding proper-noun
  phrase and a stop list keep ordinary words out; demonyms are tagged as such;
* :mod:`geodata.resolution`: each name's candidates scored in the context of the whole
  document, with the mention's own evidence lowering the confidence;
* :mod:`geodata.sentences`: the sentence that holds each mention (capped at
  :data:`MAX_SENTENCE` characters).

The name index (automaton and candidates) comes from the on-disk cache of
:mod:`geodata.nameindex`, so a warm start never parses the gazetteer. :func:`write_json_lines`
serialises each distinct place, alternatives list, confidence and sentence once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator, TextIO

from geodata.gazetteer import Place
from geodata.nameindex import default_index
from geodata.recognition import recognise
from geodata.resolution import MIN_CONFIDENCE, context_counts, resolve
from geodata.sentences import MAX_SENTENCE, Sentences, sentence_spans
from geodata.textinput import read_text_input  # re-exported: the CLI imports it from here

__all__ = ["MAX_SENTENCE", "MIN_CONFIDENCE", "Mention", "parse", "parse_to_records", "read_text_input",
           "sentence_spans", "write_json_lines"]


@dataclass(frozen=True)
class Mention:
    """A place named at ``text[start:end]`` of the parsed input.

    ``place`` is the resolved place (for a demonym, its country); ``alternatives`` are the
    candidate place ids with their scores, best first; ``kind`` is the place's kind or
    ``"demonym"``; ``sentence_start``/``sentence_end`` delimit the sentence holding it.
    """

    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    place: Place
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    kind: str


def _resolve(text: str, context: Iterable[str] | None) -> list[tuple]:
    """The mentions of ``text`` as tuples ``(start, end, sentence_start, sentence_end, place,
    confidence, alternatives, kind)``; equal alternatives are one shared tuple."""
    index = default_index()
    hits = recognise(text, index)
    return resolve(text, hits, context_counts(hits, context), Sentences(text), index)


def parse(text: str, *, context: Iterable[str] | None = None) -> list[Mention]:
    """Find and resolve the place mentions of ``text``.

    Parameters
    ----------
    text : str
        Any text.
    context : iterable of str, optional
        ISO2 country codes the caller knows the text is about; they weigh like countries the
        text names itself.

    Returns
    -------
    list of Mention
        Sorted by offset, non-overlapping, ``text[m.start:m.end] == m.text``.

    Examples
    --------
    >>> [(m.text, m.place.id) for m in parse("Protests spread from Zhanaozen to Alma-Ata.")]
    [('Zhanaozen', 'gn:607610'), ('Alma-Ata', 'gn:1526384')]
    """
    return [Mention(text[a:b], a, b, sa, sb, place, conf, alts, kind)
            for a, b, sa, sb, place, conf, alts, kind in _resolve(text, context)]


def parse_to_records(text: str, *, context: Iterable[str] | None = None, sentences: bool = True) -> list[dict]:
    """Mentions as plain dicts for JSON Lines (dump with ``sort_keys=True``).

    Keys: ``text, start, end, sentence, sentence_start, sentence_end, name, kind, country,
    lat, lon, id, confidence, alternatives`` (a list of ``[place_id, score]``);
    ``sentences=False`` leaves ``sentence`` out.
    """
    records = [
        {
            "text": text[a:b],
            "start": a,
            "end": b,
            "sentence": text[sa:sb],
            "sentence_start": sa,
            "sentence_end": sb,
            "name": place.name,
            "kind": kind,
            "country": place.country,
            "lat": place.lat,
            "lon": place.lon,
            "id": place.id,
            "confidence": conf,
            "alternatives": [[pid, score] for pid, score in alts],
        }
        for a, b, sa, sb, place, conf, alts, kind in _resolve(text, context)
    ]
    if not sentences:
        for r in records:
            del r["sentence"]
    return records


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
    mentions = _resolve(text, context)
    for chunk in _render(text, mentions, sentences):
        out.write(chunk)
    return len(mentions)


def _render(text: str, mentions: list[tuple], sentences: bool) -> Iterator[str]:
    """The JSON Lines of :func:`_resolve` tuples, in chunks of 2,048 lines."""
    enc = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for str
    heads: dict[tuple, tuple[str, str]] = {}
    last_sa = last_sb = -1
    middle = ""
    lines: list[str] = []
    append = lines.append
    for a, b, sa, sb, place, conf, alts, kind in mentions:
        key = (id(alts), conf, id(place), kind)  # alts and places are shared objects, alive in ``mentions``
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
        if len(lines) >= 2048:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
