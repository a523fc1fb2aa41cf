"""Place mentions in any text: recognition with the gazetteer's names, resolution in context.

Recognition runs one Aho-Corasick automaton (pyahocorasick) over every gazetteer name. Text and
names are folded the same length-preserving way (lower case, accents off, every character that
is not a letter or digit becomes a space), so a key ``" alma ata "`` matches "Alma-Ata",
"ALMA ATA" and "Alma Ata," on word boundaries and offsets map straight back to the input.
The longest match wins ("Nur-Sultan" over "Sultan", "Almaty region" over "Almaty").

A match is kept only if it reads as a name: it starts with a capital (or with a lower-case
compass word, "eastern Turkestan"), two-letter matches are acronyms ("US", "UK"), and stop
names (``geodata/data/stopnames.txt``: ordinary words, months, titles, demonyms) never count.
Demonyms ("Kazakh", "Russian") are tagged as kind ``"demonym"`` with their country, from
``geodata/data/demonyms.tsv``, so callers can hide them.

Resolution scores every candidate place: how the name belongs to it (curated > own > alternate
name, as the gazetteer ranks them), feature kind, population, and the document context: the
countries of the document's unambiguous places and demonyms (a "Petropavlovsk" in a text
about Kazakhstan is Petropavl). "X region(s)" / "X oblast" after a name prefers the region.
Weak evidence lowers the confidence: a sentence-initial word, a name inside a longer
capitalised phrase ("Emma Ashford", "Nur Otan"), an all-capitals line, a village-sized place.
Mentions below :data:`MIN_CONFIDENCE` are dropped; the alternatives stay on each mention.

The output path :func:`write_json_lines` serialises each distinct place, alternatives list,
sentence and surface once, and the name index (automaton and candidates) comes from the
on-disk cache of :mod:`geodata.nameindex`, so a warm start never parses the gazetteer.
Sentences longer than :data:`MAX_SENTENCE` characters are cut at white space, so a record never
repeats a multi-megabyte line.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, TextIO

from geodata.gazetteer import Place
from geodata.nameindex import KLEN_BITS, NameIndex, default_index
from geodata.names import normalize_name, stop_names
from geodata.textinput import read_text_input  # re-exported: the CLI imports it from here

__all__ = ["MAX_SENTENCE", "MIN_CONFIDENCE", "Mention", "parse", "parse_to_records", "read_text_input",
           "sentence_spans", "write_json_lines"]

MIN_CONFIDENCE = 0.5
MAX_SENTENCE = 1000
COMPASS = frozenset({"eastern", "western", "northern", "southern"})
_COMPASS_PREFIXES = tuple(f"{c} " for c in sorted(COMPASS))
_KLEN_MASK = (1 << KLEN_BITS) - 1
_REGION_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?)*\s+(?:regions?|oblasts?|oblysy|provinces?)\b", re.I
)
_NEXT_CAP = re.compile(r"(?: +| *& *)([A-Z][\w’'.-]*)")
_PREV_CAP = re.compile(r"([A-Z][\w’'.-]*)(?: +| *& *)$")
_POSSESSIVE_TAIL = re.compile(r"[’']s((?: [\w’'-]+){1,3})")
_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_OPENING = re.compile(r"[ \"“‘'(\[]*")  # what may stand between a sentence start and its first word
# Capitalised only because they open a sentence: never part of a longer name.
_FUNCTION = frozenset("""a an the in at on of from to by for as and but or nor with without within throughout during
after before since until near across outside inside into onto over under between among against about like unlike
both even only also meanwhile however although though while when where if unless because so then thus yet still
this that these those there here it its he she they we i you his her their our my your""".split())
_ABBREV = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "no", "vs", "etc",
                     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx"})


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


class _Fold(dict):
    """str.translate table: one character in, one out (lower case, no accents, non-word -> space)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if not ch.isalnum():
            out = " "
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            low = base.lower() if len(base) == 1 else ch.lower()
            out = low if len(low) == 1 else ch
        self[code] = out
        return out


_FOLD = _Fold()
# The ASCII part of the fold as a bytes table; "?" (what encode("ascii", "replace") leaves for
# any other character) folds to a space, and is patched below where the character is a letter.
_ASCII_FOLD = bytes(ord(chr(b).translate(_FOLD)) for b in range(128)) + b" " * 128


def _fold(text: str) -> str:
    """``text.translate(_FOLD)``, at bytes.translate speed for the ASCII majority of the text."""
    data = text.encode("ascii", "replace")
    folded = data.translate(_ASCII_FOLD).decode("ascii")
    if text.isascii():
        return folded
    pieces = data.split(b"?")
    if len(pieces) > len(text) // 20:  # mostly non-ASCII (Cyrillic): the plain way is faster
        return text.translate(_FOLD)
    out, pos, last = [], -1, 0
    for piece in pieces[:-1]:
        pos += len(piece) + 1  # the next "?" in data: a real one, or a non-ASCII character
        ch = text[pos]
        if ch != "?":
            low = _FOLD[ord(ch)]
            if low != " ":  # quotes and dashes are already spaces
                out += (folded[last:pos], low)
                last = pos + 1
    out.append(folded[last:])
    return "".join(out)


_CLOSERS = r"[\"”’)\]]*\s+"
_ABBREV_BY_LEN: dict[int, list[str]] = {}
for _a in sorted(_ABBREV | {a.capitalize() for a in _ABBREV}):
    _ABBREV_BY_LEN.setdefault(len(_a), []).append(_a)
# One pattern per sentence-ending character, each starting with a literal, so the regex engine
# jumps between occurrences instead of trying every position (5 MB in ~15 ms, not ~80 ms).
_SENT_ENDS = (
    re.compile(r"\.(?<!\b[A-Z]\.)" + "".join(rf"(?<!\b(?:{'|'.join(v)})\.)" for _, v in sorted(_ABBREV_BY_LEN.items()))
               + _CLOSERS),
    *(re.compile(re.escape(c) + _CLOSERS) for c in "!?…"),
    re.compile(r"\n\s*"),
)
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
_NON_SPACE = re.compile(r"\S")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``(start, end)`` offsets, whitespace trimmed, in order.

    A sentence ends at ``. ! ? …`` (with closing quotes) before white space, unless the word
    before it is an abbreviation or an initial ("Dr.", "Jan.", "U.S."), and at every line
    break (titles and datelines are sentences of their own). A longer sentence than
    :data:`MAX_SENTENCE` characters is cut at its last white space within the limit (or at the
    limit if there is none), so no span is longer.
    """
    ends = set()
    for pattern in _SENT_ENDS:  # matches of different patterns share their end ("?\n", ".\n")
        ends.update(m.end() for m in pattern.finditer(text))
    cuts = [0, *sorted(ends), len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        lead, trail = len(seg) - len(seg.lstrip()), len(seg.rstrip())
        if trail > lead:
            a, b = a + lead, a + trail
            while b - a > MAX_SENTENCE:
                space = _LAST_SPACE.search(text, a + 1, a + MAX_SENTENCE + 1)
                cut = space.start() if space else a + MAX_SENTENCE
                spans.append((a, a + len(text[a:cut].rstrip())))
                a = _NON_SPACE.search(text, cut, b).start()
            spans.append((a, b))
    return spans


def _city_weight(pop: int) -> float:
    return 0.4 * min(1.0, max(0.0, (math.log10(pop + 1) - 3) / 3.5))


def _score(rank: int, place: Place, ctx: dict, total: int, own: tuple, region_hint: bool) -> float:
    """How well ``place`` explains a name, before the mention's own penalties.

    ``rank`` is how the name belongs to the place (3 curated, 2 own, 1 alternate name).
    ``ctx`` counts the document's unambiguous countries (ISO2) and admin-1 areas
    ((ISO2, admin1)), ``total`` the country counts; ``own`` is what this very name added (a
    name is no context for itself). A candidate gains by the *share* of the context its
    country holds, so a country named once among many does not pull small namesakes to it.
    """
    s = {3: 0.55, 2: 0.35}.get(rank, 0.25)
    s += {"country": 0.35, "region": 0.3, "landmark": 0.3}.get(place.kind, 0.0) or _city_weight(place.population)
    in_ctx = ctx.get(place.country, 0) - (place.country in own)
    s += 0.3 * in_ctx / max(1, total - bool(own))
    if place.admin1:
        area = (place.country, place.admin1)
        s += 0.1 * min(1.0, (ctx.get(area, 0) - (area in own)) / 2)
    s += 0.05 if place.country == "KZ" else 0.0
    if place.kind == "city" and rank < 3:
        if place.population < 10_000:
            s -= 0.15  # villages named like words and people
        if rank == 1 and not in_ctx:
            s -= 0.1  # a GeoNames alternate name ("White House" is Casablanca) far from the story
    if region_hint:
        s += 0.3 if place.kind == "region" else -0.1
    return s


class _Hit:
    """A recognised name before resolution; ``own`` is the context it adds if unambiguous."""

    __slots__ = ("start", "end", "demonym", "cands", "region_hint", "own")

    def __init__(self, start: int, end: int, demonym: str = ""):
        self.start, self.end, self.demonym = start, end, demonym  # demonym: its ISO2 code
        self.cands: list = []
        self.region_hint = False
        self.own: tuple = ()


def _surface_ok(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is written like a name (capitals, acronyms)."""
    first = text[start]
    surface = text[start:end]
    if not first.isupper():
        head = surface.split(" ", 1)
        return len(head) == 2 and head[0].lower() in COMPASS and head[1][:1].isupper()
    letters = sum(c.isalpha() for c in surface)
    if letters <= 2:
        return surface.replace(".", "").isupper()
    return True


def _hits(text: str, index: NameIndex) -> list[_Hit]:
    """Recognition: leftmost-longest word-bounded, name-like, non-overlapping matches."""
    folded = f" {_fold(text)} "
    stops, dem = stop_names(), index.demonyms
    found = []
    for end_idx, value in index.automaton.iter(folded):
        klen = value & _KLEN_MASK
        start = end_idx - klen - 1  # folded has one leading space; the key has two spaces
        if text[start].isupper():
            if klen > 3 or _surface_ok(text, start, start + klen):
                found.append((start, -klen))
        elif text.startswith(_COMPASS_PREFIXES, start) and _surface_ok(text, start, start + klen):
            found.append((start, -klen))
    found.sort()
    taken: list[_Hit] = []
    last_end = 0
    for start, neg in found:
        end = start - neg
        if start < last_end:
            continue
        key = normalize_name(text[start:end])
        if key in dem:
            taken.append(_Hit(start, end, dem[key]))
        elif key in stops:
            continue
        else:
            taken.append(_Hit(start, end))
        last_end = end
    return taken


def _candidates(index: NameIndex, text: str, hit: _Hit) -> None:
    """Fill ``hit.cands`` (ranked candidates), extending the span where the text says more."""
    tail = _POSSESSIVE_TAIL.match(text, hit.end)
    if tail:  # "Almaty’s airport" is a landmark name; "Almaty’s roads" is not
        words = tail.group(1).split(" ")[1:]
        for n in range(len(words), 0, -1):
            stop = hit.end + 2 + sum(len(w) + 1 for w in words[:n])
            found = index.candidates(text[hit.start:stop])
            if found and found[0][1].kind == "landmark":
                hit.end, hit.cands = stop, found
                return
    if _ACRONYM.fullmatch(text, hit.start, hit.end) and text[hit.end:hit.end + 1] == ".":
        hit.end += 1  # "U.S." keeps its last full stop
    cands = index.candidates(text[hit.start:hit.end])
    if _REGION_AFTER.match(text, hit.end):
        hit.region_hint = True
        regions = [rp for rp in index.candidates(text[hit.start:hit.end] + " Region") if rp[1].kind == "region"]
        cands = regions + [c for c in cands if c[1].id not in {r[1].id for r in regions}]
    hit.cands = cands


def _penalty(text: str, hit: _Hit, place: Place, rank: int, sent_start: int) -> float:
    """Evidence against reading the match as this place."""
    strong = place.kind != "city" or rank == 3
    p = 0.0
    if not strong and _OPENING.fullmatch(text, sent_start, hit.start):
        p += 0.15  # "Most", "Reading": a capital that only marks the sentence start
    nxt = _NEXT_CAP.match(text, hit.end)
    # _PREV_CAP ends in " " or "&" right before the name: look only when that is so
    prv = _PREV_CAP.search(text, max(sent_start, hit.start - 40), hit.start) if text[hit.start - 1:hit.start] in (" ", "&") else None
    if prv:  # "Emma Ashford" and "Central Asia" are phrases; "In Kazakhstan" is not
        word = prv.group(1).lower()
        if word in _FUNCTION or (prv.start() == sent_start and normalize_name(word) in stop_names()):
            prv = None
    in_phrase = bool(nxt) or bool(prv)
    if hit.end - hit.start > 3 and text[hit.start:hit.end].isupper():
        window = text[max(0, hit.start - 30):hit.end + 30]
        if sum(c.isupper() for c in window) > 0.6 * sum(c.isalpha() for c in window):
            in_phrase, p = False, p + (0.0 if strong else 0.3)  # an all-capitals line
    if in_phrase:
        p += 0.15 if strong else 0.3  # "Emma Ashford", "Nur Otan", "San Jose State"
    return p


def _own(cands: list) -> tuple:
    """The context an unambiguous name adds: its country and admin-1 area (none if ambiguous)."""
    if len(cands) == 1 or (cands and cands[0][1].kind != "city"):
        top = cands[0][1]
        return tuple(k for k in (top.country, (top.country, top.admin1) if top.admin1 else None) if k)
    return ()


def _resolve(text: str, context: Iterable[str] | None) -> list[tuple]:
    """The mentions of ``text`` as tuples ``(start, end, sentence_start, sentence_end, place,
    confidence, alternatives, kind)``; equal alternatives are one shared tuple."""
    index = default_index()
    hits = _hits(text, index)
    ctx: dict = {c: 2 for c in (context or ())}
    looked_up: dict[tuple, tuple] = {}
    for hit in hits:
        if hit.demonym:
            ctx[hit.demonym] = ctx.get(hit.demonym, 0) + 1
            continue
        end = hit.end
        tail = _POSSESSIVE_TAIL.match(text, end)
        if tail:  # a possessive resolves by the words after it (and never has "." or "region" next)
            key = (text[hit.start:end], tail.group())
        else:  # the same name with the same kind of tail resolves the same way
            key = (text[hit.start:end], text[end:end + 1] == ".", _REGION_AFTER.match(text, end) is not None)
        entry = looked_up.get(key)
        if entry is None:
            _candidates(index, text, hit)
            entry = looked_up[key] = (hit.end - end, hit.cands, hit.region_hint, _own(hit.cands))
        else:
            hit.end += entry[0]
            hit.cands, hit.region_hint = entry[1], entry[2]
        own = entry[3]
        if own:
            hit.own = own
            for k in own:
                ctx[k] = ctx.get(k, 0) + 1
    total = sum(v for k, v in ctx.items() if isinstance(k, str))
    sents = sentence_spans(text) or [(0, len(text))]
    starts = [s for s, _ in sents]
    scored_cache: dict[tuple, tuple] = {}
    demonym_alts: dict[str, tuple] = {}
    out = []
    for hit in hits:
        if not hit.demonym and not hit.cands:
            continue
        i = max(0, bisect_right(starts, hit.start) - 1)
        s_start, s_end = sents[i]
        s_start, s_end = min(s_start, hit.start), max(s_end, hit.end)
        if hit.demonym:
            place = index.country(hit.demonym)
            alts = demonym_alts.get(place.id) or demonym_alts.setdefault(place.id, ((place.id, 0.9),))
            out.append((hit.start, hit.end, s_start, s_end, place, 0.9, alts, "demonym"))
            continue
        skey = (id(hit.cands), hit.own, hit.region_hint)
        entry = scored_cache.get(skey)
        if entry is None:
            scored = sorted(((round(_score(r, p, ctx, total, hit.own, hit.region_hint), 3), p, r) for r, p in hit.cands),
                            key=lambda t: (-t[0], t[1].id))
            entry = scored_cache[skey] = (scored, tuple((p.id, max(0.0, min(1.0, s))) for s, p, _ in scored[:5]))
        scored, alts = entry
        best, place, rank = scored[0]
        conf = round(max(0.0, min(1.0, best - _penalty(text, hit, place, rank, s_start))), 3)
        if conf >= MIN_CONFIDENCE:
            out.append((hit.start, hit.end, s_start, s_end, place, conf, alts, place.kind))
    return out


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


def parse_to_records(text: str, *, context: Iterable[str] | None = None) -> list[dict]:
    """Mentions as plain dicts for JSON Lines (dump with ``sort_keys=True``).

    Keys: ``text, start, end, sentence, sentence_start, sentence_end, name, kind, country,
    lat, lon, id, confidence, alternatives`` (a list of ``[place_id, score]``).
    """
    return [
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


def write_json_lines(text: str, out: TextIO, *, context: Iterable[str] | None = None) -> int:
    """Write the records of :func:`parse_to_records` to ``out`` as JSON Lines; return how many.

    Byte for byte what ``json.dumps(record, ensure_ascii=False, sort_keys=True)`` gives per
    line, but each distinct place, alternatives list, sentence and surface is serialised
    once, and lines are written in large chunks.
    """
    enc = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for str
    places: dict[tuple, str] = {}
    alts_json: dict[int, str] = {}
    surfaces: dict[str, str] = {}
    last_span, sentence = None, ""
    lines: list[str] = []
    n = 0
    for a, b, sa, sb, place, conf, alts, kind in _resolve(text, context):
        mid = places.get((place.id, kind))
        if mid is None:
            mid = places[(place.id, kind)] = (
                f'{enc(place.country)}, "end": \0, "id": {enc(place.id)}, "kind": {enc(kind)}, '
                f'"lat": {json.dumps(place.lat)}, "lon": {json.dumps(place.lon)}, "name": {enc(place.name)}, "sentence": '
            ).split("\0")
        aj = alts_json.get(id(alts))
        if aj is None:
            aj = alts_json[id(alts)] = json.dumps([list(x) for x in alts], ensure_ascii=False)
        if (sa, sb) != last_span:
            last_span, sentence = (sa, sb), enc(text[sa:sb])
        surface = text[a:b]
        sj = surfaces.get(surface)
        if sj is None:
            sj = surfaces[surface] = enc(surface)
        lines.append(f'{{"alternatives": {aj}, "confidence": {conf!r}, "country": {mid[0]}{b}{mid[1]}{sentence}, '
                     f'"sentence_end": {sb}, "sentence_start": {sa}, "start": {a}, "text": {sj}}}\n')
        if len(lines) >= 2048:
            out.write("".join(lines))
            n += len(lines)
            lines.clear()
    out.write("".join(lines))
    return n + len(lines)
