"""Place mentions in any text: recognise names, resolve them in context, find their sentences.

The three steps are modules of this package:

* :mod:`~geodata.geoparse.recognition`: one Aho-Corasick pass (pyahocorasick) over every
  gazetteer name on word boundaries, longest match first; capitalisation, the surrounding
  proper-noun phrase and a stop list keep ordinary words out; demonyms are tagged as such;
* :mod:`~geodata.geoparse.resolution`: each name's candidates scored in the context of the
  whole document, with the mention's own evidence lowering the confidence;
* :mod:`~geodata.geoparse.sentences`: the sentence that holds each mention (capped at
  :data:`MAX_SENTENCE` characters).

The name index (automaton and candidates) comes from the on-disk cache of
:mod:`~geodata.geoparse.index`, so a warm start never parses the gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from geodata.gazetteer import Place
from geodata.geoparse.index import default_index
from geodata.geoparse.recognition import recognise
from geodata.geoparse.resolution import ResolvedMention, context_counts, resolve
from geodata.geoparse.sentences import Sentences

__all__ = ["Mention", "parse", "parse_to_records", "resolve_text"]


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


def resolve_text(text: str, context: Iterable[str] | None = None) -> list[ResolvedMention]:
    """Recognise and resolve the mentions of ``text``, in text order (see :func:`parse`)."""
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
    # A Mention is the resolved mention plus its surface text (tests/geoparse keep the fields in step).
    return [Mention(text=text[m.start:m.end], **m._asdict()) for m in resolve_text(text, context)]


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
        for a, b, sa, sb, place, conf, alts, kind in resolve_text(text, context)
    ]
    if not sentences:
        for r in records:
            del r["sentence"]
    return records
