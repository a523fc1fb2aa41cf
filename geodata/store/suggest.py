"""Suggested events: sentences that name a place and say something happened.

A suggestion is one sentence of a source holding a trigger word of the vocabulary in
``geodata/data/event_triggers.toml`` (mapped to the catalogue's event types) and a place:

* **place**: from the geoparser (:func:`geodata.geoparse.parse`), demonyms left out; of the
  sentence's places, those in the document's main country come first (Kazakhstan whenever
  the document names a place there: the atlas maps Kazakhstan, and analyses of it name Russia
  more often), then the most precise kind (landmark, city, region, country), then the first
  named. A sentence with a trigger but no place takes the place of the sentence before it in
  the same paragraph (news goes on "There were dead on both sides." after naming the town),
  else the document's main country at ``geo_precision`` 3 (the coarsest honest place), each
  with a lower confidence;
* **type**: the first type of the vocabulary file with a trigger in the sentence;
* **date**: :func:`geodata.store.datereader.date_of`, resolved against the source's date;
* **confidence**: the type's weight, times the place's geoparse confidence (0.5 for the
  country fallback), times 0.8 when the sentence gives no date.

Suggestion ids are ``sug-`` and 12 hex digits of the SHA-256 of ``source_id:start:end``, so
suggesting twice gives the same ids. ``text[start:end] == quote`` for every suggestion.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import DataError
from geodata.geoparse import Mention, parse, sentence_spans
from geodata.store.datereader import date_of

__all__ = ["TRIGGERS_PATH", "Suggestion", "Trigger", "load_triggers", "suggest_events", "suggestion_id"]

TRIGGERS_PATH = Path(__file__).resolve().parent.parent / "data" / "event_triggers.toml"
# Landmarks and cities are the named place itself (geo_precision 1); regions and countries are
# the coarse level (3), as the catalogue codes them.
_KIND_RANK = {"landmark": 0, "city": 1, "region": 2, "country": 3}
_GEO_PRECISION = {"landmark": 1, "city": 1, "region": 3, "country": 3}
_FALLBACK_PLACE_FACTOR = 0.5
_PREVIOUS_SENTENCE_FACTOR = 0.6
# The atlas's own country: preferred as the main country whenever a document names a place in it.
_ATLAS_COUNTRY = "KZ"
_NO_DATE_FACTOR = 0.8


@dataclass(frozen=True, kw_only=True)
class Trigger:
    """One event type of the vocabulary: its compiled triggers and weight."""

    type: str
    weight: float
    pattern: re.Pattern


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """A candidate event read from a stored source; ``quote == text[start:end]``."""

    id: str
    source_id: str
    start: int
    end: int
    quote: str
    place: str
    geo_precision: int
    type: str
    date_start: str
    date_end: str
    date_precision: str
    date_note: str
    confidence: float

    def as_dict(self) -> dict:
        """The fields as the CLI prints them (one JSON Lines record), in a fixed order."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _trigger_regex(words: list[str]) -> str:
    parts = []
    for word in words:
        tokens = []
        for tok in word.split():
            if tok == "*":
                tokens.append(r"\S+")
            elif tok.endswith("*"):
                tokens.append(re.escape(tok[:-1]) + r"[\w-]*")
            else:
                tokens.append(re.escape(tok))
        parts.append(r"\s+".join(tokens))
    return r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"


@functools.cache
def load_triggers(path: Path = TRIGGERS_PATH) -> tuple[Trigger, ...]:
    """The trigger vocabulary, in priority order (first type wins).

    Raises
    ------
    DataError
        If the file is missing or malformed (one line naming the entry).
    """
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: trigger vocabulary missing; restore it from git") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path.name}: not valid TOML ({exc}); fix the syntax there") from None
    out = []
    for i, entry in enumerate(raw.get("type", [])):
        if not (isinstance(entry.get("type"), str) and entry.get("triggers") and 0 < entry.get("weight", 0) <= 1):
            raise DataError(f"{path.name}: [[type]] #{i} needs type (str), triggers (list) and 0 < weight <= 1")
        out.append(Trigger(type=entry["type"], weight=float(entry["weight"]),
                           pattern=re.compile(_trigger_regex(entry["triggers"]), re.I)))
    return tuple(out)


def suggestion_id(source_id: str, start: int, end: int) -> str:
    """The deterministic id of the suggestion at ``[start:end]`` of a source."""
    return "sug-" + hashlib.sha256(f"{source_id}:{start}:{end}".encode()).hexdigest()[:12]


def _main_country(mentions: list[Mention]) -> str | None:
    """Kazakhstan if the document names a place there, else the country it names most often
    (ties: alphabetical); None without places."""
    counts = collections.Counter(m.place.country for m in mentions if m.place.country)
    if not counts:
        return None
    if _ATLAS_COUNTRY in counts:
        return _ATLAS_COUNTRY
    return min(counts, key=lambda c: (-counts[c], c))


def _best_place(mentions: list[Mention], country: str | None) -> Mention:
    return min(mentions, key=lambda m: (m.place.country != country, _KIND_RANK.get(m.place.kind, 9), m.start))


def suggest_events(text: str, *, source_id: str, reference: dt.date) -> list[Suggestion]:
    """Candidate events of a document.

    Parameters
    ----------
    text : str
        The source's text (offsets in the suggestions index into it).
    source_id : str
        The source's id, for the records and their ids.
    reference : datetime.date
        The source's date: relative dates are resolved against it.

    Returns
    -------
    list of Suggestion
        One per sentence with a trigger and a place, sorted by offset.

    Examples
    --------
    >>> text = "Protesters stormed the airport in Almaty on Wednesday."
    >>> [(s.type, s.place, s.date_start) for s in suggest_events(text, source_id="user-x", reference=dt.date(2022, 1, 7))]
    [('seizure', 'gn:1526384', '2022-01-05')]
    """
    triggers = load_triggers()
    places = [m for m in parse(text) if m.kind != "demonym" and m.place.kind in _KIND_RANK]
    country = _main_country(places)
    by_sentence: dict[tuple[int, int], list[Mention]] = collections.defaultdict(list)
    for m in places:
        by_sentence[(m.sentence_start, m.sentence_end)].append(m)
    out = []
    previous: Mention | None = None  # the best place of the sentence before, in the same paragraph
    for start, end in sentence_spans(text):
        if previous is not None and "\n" in text[previous.end:start]:
            previous = None
        sentence = text[start:end]
        inside = [m for m in places if start <= m.start and m.end <= end] or by_sentence.get((start, end), [])
        best = _best_place(inside, country) if inside else None
        kind = next((t for t in triggers if t.pattern.search(sentence)), None)
        inherited, previous = previous, best or previous
        if kind is None:
            continue
        if best is not None:
            place, geo_precision = best.place.id, _GEO_PRECISION[best.place.kind]
            place_factor = best.confidence
        elif inherited is not None:
            place, geo_precision = inherited.place.id, _GEO_PRECISION[inherited.place.kind]
            place_factor = inherited.confidence * _PREVIOUS_SENTENCE_FACTOR
        elif country is not None:
            place, geo_precision, place_factor = f"country:{country}", 3, _FALLBACK_PLACE_FACTOR
        else:
            continue
        when = date_of(sentence, reference)
        confidence = kind.weight * place_factor * (_NO_DATE_FACTOR if when.precision == "not_after" else 1.0)
        out.append(Suggestion(
            id=suggestion_id(source_id, start, end), source_id=source_id, start=start, end=end, quote=sentence,
            place=place, geo_precision=geo_precision, type=kind.type, date_start=when.start.isoformat(),
            date_end=when.end.isoformat(), date_precision=when.precision, date_note=when.note,
            confidence=round(confidence, 3),
        ))
    return out
