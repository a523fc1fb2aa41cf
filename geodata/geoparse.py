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
"""

from __future__ import annotations

import functools
import math
import sys
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import ahocorasick

from geodata.gazetteer import Place, load_gazetteer
from geodata.names import normalize_name, stop_names
from geodata.errors import DataError, InputError

__all__ = ["MIN_CONFIDENCE", "Mention", "parse", "parse_to_records", "read_text_input", "sentence_spans"]

DEMONYMS_PATH = Path(__file__).resolve().parent / "data" / "demonyms.tsv"
MIN_CONFIDENCE = 0.5
COMPASS = frozenset({"eastern", "western", "northern", "southern"})
_COMPASS_PREFIXES = tuple(f"{c} " for c in sorted(COMPASS))
_REGION_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?)*\s+(?:regions?|oblasts?|oblysy|provinces?)\b", re.I
)
_NEXT_CAP = re.compile(r"(?: +| *& *)([A-Z][\w’'.-]*)")
_PREV_CAP = re.compile(r"([A-Z][\w’'.-]*)(?: +| *& *)$")
_POSSESSIVE_TAIL = re.compile(r"[’']s((?: [\w’'-]+){1,3})")
_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
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


def _fold(text: str) -> str:
    return text.translate(_FOLD)


@functools.cache
def _demonyms() -> dict[str, str]:
    """Normalised demonym -> ISO2 country code."""
    try:
        lines = DEMONYMS_PATH.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{DEMONYMS_PATH}: demonym table missing; restore it from git") from None
    out = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("demonym\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[1]) != 2:
            raise DataError(f"{DEMONYMS_PATH.name}:{n}: expected 'demonym<TAB>ISO2', got {line!r}")
        out[normalize_name(parts[0])] = parts[1]
    return out


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Every gazetteer name and demonym as a space-delimited folded key (built once per process)."""
    auto = ahocorasick.Automaton()
    for key in load_gazetteer().name_keys():
        if len(key) > 1 and not key.isdigit():
            auto.add_word(f" {key} ", len(key))
    for key in _demonyms():
        auto.add_word(f" {key} ", len(key))
    auto.make_automaton()
    return auto


_SENT_RE = re.compile(
    r"(?:\.(?<!\b[A-Z]\.)"
    + "".join(rf"(?<!\b{a}\.)" for a in sorted(_ABBREV | {a.capitalize() for a in _ABBREV}))
    + r"|[!?…])[\"”’)\]]*\s+|\n\s*"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``(start, end)`` offsets, whitespace trimmed, in order.

    A sentence ends at ``. ! ? …`` (with closing quotes) before white space, unless the word
    before it is an abbreviation or an initial ("Dr.", "Jan.", "U.S."), and at every line
    break (titles and datelines are sentences of their own).
    """
    cuts = [0, *(m.end() for m in _SENT_RE.finditer(text)), len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        lead, trail = len(seg) - len(seg.lstrip()), len(seg.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


def _city_weight(pop: int) -> float:
    return 0.4 * min(1.0, max(0.0, (math.log10(pop + 1) - 3) / 3.5))


def _score(rank: tuple, place: Place, ctx: Counter, total: int, own: tuple, region_hint: bool) -> float:
    """How well ``place`` explains a name, before the mention's own penalties.

    ``ctx`` counts the document's unambiguous countries (ISO2) and admin-1 areas
    ((ISO2, admin1)), ``total`` the country counts; ``own`` is what this very name added (a
    name is no context for itself). A candidate gains by the *share* of the context its
    country holds, so a country named once among many does not pull small namesakes to it.
    """
    s = {3: 0.55, 2: 0.35}.get(rank[0], 0.25)
    s += {"country": 0.35, "region": 0.3, "landmark": 0.3}.get(place.kind, 0.0) or _city_weight(place.population)
    in_ctx = ctx.get(place.country, 0) - (place.country in own)
    s += 0.3 * in_ctx / max(1, total - bool(own))
    if place.admin1:
        area = (place.country, place.admin1)
        s += 0.1 * min(1.0, (ctx.get(area, 0) - (area in own)) / 2)
    s += 0.05 if place.country == "KZ" else 0.0
    if place.kind == "city" and rank[0] < 3:
        if place.population < 10_000:
            s -= 0.15  # villages named like words and people
        if rank[0] == 1 and not in_ctx:
            s -= 0.1  # a GeoNames alternate name ("White House" is Casablanca) far from the story
    if region_hint:
        s += 0.3 if place.kind == "region" else -0.1
    return s


@dataclass
class _Hit:
    start: int
    end: int
    demonym: str = ""  # ISO2 for a demonym
    cands: list | None = None
    region_hint: bool = False
    own: tuple = ()  # the context this hit adds, if unambiguous


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


def _hits(text: str) -> list[_Hit]:
    """Recognition: leftmost-longest word-bounded, name-like, non-overlapping matches."""
    folded = f" {_fold(text)} "
    stops, dem = stop_names(), _demonyms()
    found = []
    for end_idx, klen in _automaton().iter(folded):
        start = end_idx - klen - 1  # folded has one leading space; the key has two spaces
        first = text[start]
        if first.isupper():
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
            taken.append(_Hit(start, end, demonym=dem[key]))
        elif key in stops:
            continue
        else:
            taken.append(_Hit(start, end))
        last_end = end
    return taken


def _candidates(gz, text: str, hit: _Hit) -> None:
    """Fill ``hit.cands`` (ranked gazetteer candidates), extending the span where the text says more."""
    tail = _POSSESSIVE_TAIL.match(text, hit.end)
    if tail:  # "Almaty’s airport" is a landmark name; "Almaty’s roads" is not
        words = tail.group(1).split(" ")[1:]
        for n in range(len(words), 0, -1):
            stop = hit.end + 2 + sum(len(w) + 1 for w in words[:n])
            found = gz.scored_candidates(text[hit.start:stop])
            if found and found[0][1].kind == "landmark":
                hit.end, hit.cands = stop, found
                return
    if _ACRONYM.fullmatch(text[hit.start:hit.end]) and text[hit.end:hit.end + 1] == ".":
        hit.end += 1  # "U.S." keeps its last full stop
    cands = gz.scored_candidates(text[hit.start:hit.end])
    if _REGION_AFTER.match(text, hit.end):
        hit.region_hint = True
        regions = [rp for rp in gz.scored_candidates(text[hit.start:hit.end] + " Region") if rp[1].kind == "region"]
        cands = regions + [c for c in cands if c[1].id not in {r[1].id for r in regions}]
    hit.cands = cands


def _penalty(text: str, hit: _Hit, place: Place, rank: tuple, sent_start: int) -> float:
    """Evidence against reading the match as this place."""
    strong = place.kind != "city" or rank[0] == 3
    surface = text[hit.start:hit.end]
    p = 0.0
    lead = text[sent_start:hit.start]
    if not lead.strip(" \"“‘'([") and not strong:
        p += 0.15  # "Most", "Reading": a capital that only marks the sentence start
    nxt = _NEXT_CAP.match(text, hit.end)
    prv = _PREV_CAP.search(text, max(sent_start, hit.start - 40), hit.start)
    if prv:  # "Emma Ashford" and "Central Asia" are phrases; "In Kazakhstan" is not
        word = prv.group(1).lower()
        if word in _FUNCTION or (prv.start() == sent_start and normalize_name(word) in stop_names()):
            prv = None
    in_phrase = bool(nxt) or bool(prv)
    if surface.isupper() and len(surface) > 3:
        window = text[max(0, hit.start - 30):hit.end + 30]
        if sum(c.isupper() for c in window) > 0.6 * sum(c.isalpha() for c in window):
            in_phrase, p = False, p + (0.0 if strong else 0.3)  # an all-capitals line
    if in_phrase:
        p += 0.15 if strong else 0.3  # "Emma Ashford", "Nur Otan", "San Jose State"
    return p


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
    gz = load_gazetteer()
    hits = _hits(text)
    ctx: Counter = Counter({c: 2 for c in (context or ())})
    looked_up: dict[tuple, tuple] = {}
    for hit in hits:
        if hit.demonym:
            ctx[hit.demonym] += 1
            continue
        if text.startswith(("’s", "'s"), hit.end):
            _candidates(gz, text, hit)  # possessives depend on the words after them: no cache
        else:  # the same name with the same kind of tail resolves the same way
            key = (text[hit.start:hit.end], text[hit.end:hit.end + 1] == ".", bool(_REGION_AFTER.match(text, hit.end)))
            if key not in looked_up:
                end = hit.end
                _candidates(gz, text, hit)
                looked_up[key] = (hit.end - end, hit.cands, hit.region_hint)
            else:
                delta, hit.cands, hit.region_hint = looked_up[key]
                hit.end += delta
        if len(hit.cands) == 1 or (hit.cands and hit.cands[0][1].kind != "city"):
            top = hit.cands[0][1]
            hit.own = tuple(k for k in (top.country, (top.country, top.admin1) if top.admin1 else None) if k)
            ctx.update(hit.own)
    total = sum(v for k, v in ctx.items() if isinstance(k, str))
    sents = sentence_spans(text) or [(0, len(text))]
    starts = [s for s, _ in sents]
    scored_cache: dict[tuple, list] = {}
    out = []
    for hit in hits:
        if not hit.demonym and not hit.cands:
            continue
        i = max(0, bisect_right(starts, hit.start) - 1)
        s_start, s_end = sents[i]
        s_start, s_end = min(s_start, hit.start), max(s_end, hit.end)
        if hit.demonym:
            place = gz.get(f"country:{hit.demonym}")
            out.append(Mention(text[hit.start:hit.end], hit.start, hit.end, s_start, s_end, place, 0.9,
                               ((place.id, 0.9),), "demonym"))
            continue
        skey = (id(hit.cands), hit.own, hit.region_hint)
        scored = scored_cache.get(skey)
        if scored is None:
            scored = sorted(((round(_score(r, p, ctx, total, hit.own, hit.region_hint), 3), p, r) for r, p in hit.cands),
                            key=lambda t: (-t[0], t[1].id))
            scored_cache[skey] = scored
        best, place, rank = scored[0]
        conf = round(max(0.0, min(1.0, best - _penalty(text, hit, place, rank, s_start))), 3)
        if conf < MIN_CONFIDENCE:
            continue
        alts = tuple((p.id, max(0.0, min(1.0, s))) for s, p, _ in scored[:5])
        out.append(Mention(text[hit.start:hit.end], hit.start, hit.end, s_start, s_end, place, conf, alts, place.kind))
    return out


def parse_to_records(text: str, *, context: Iterable[str] | None = None) -> list[dict]:
    """Mentions as plain dicts for JSON Lines (dump with ``sort_keys=True``).

    Keys: ``text, start, end, sentence, sentence_start, sentence_end, name, kind, country,
    lat, lon, id, confidence, alternatives`` (a list of ``[place_id, score]``).
    """
    return [
        {
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "sentence": text[m.sentence_start:m.sentence_end],
            "sentence_start": m.sentence_start,
            "sentence_end": m.sentence_end,
            "name": m.place.name,
            "kind": m.kind,
            "country": m.place.country,
            "lat": m.place.lat,
            "lon": m.place.lon,
            "id": m.place.id,
            "confidence": m.confidence,
            "alternatives": [[pid, score] for pid, score in m.alternatives],
        }
        for m in parse(text, context=context)
    ]


def _refuse(where: str, what: str) -> InputError:
    return InputError(f"{where}: {what}")


def read_text_input(path_or_dash: str, max_bytes: int = 10_000_000) -> str:
    """Read a text file (or standard input for ``"-"``) for parsing, refusing what is not text.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded; binary files (NUL bytes),
    other encodings, empty text and input over ``max_bytes`` are refused.

    Raises
    ------
    InputError
        One line naming the file, what is wrong and how to fix it.
    """
    where = "standard input" if path_or_dash == "-" else str(path_or_dash)
    if path_or_dash == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(path_or_dash)
        if path.is_dir():
            raise _refuse(where, "is a directory; give a text file")
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise _refuse(where, "no such file; check the path") from None
        except OSError as exc:
            raise _refuse(where, f"cannot be read ({exc.strerror}); check its permissions") from None
    if len(data) > max_bytes:
        raise _refuse(where, f"larger than {max_bytes:,} bytes; split it or raise the limit")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _refuse(where, "is UTF-32; convert it with: iconv -f utf-32 -t utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(where, "has a UTF-16 BOM but is not valid UTF-16; convert it with: iconv -f utf-16 -t utf-8") from None
    elif b"\x00" in data:
        raise _refuse(where, "looks binary (contains NUL bytes); give a plain text file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse(where, f"is not UTF-8 (byte {exc.start}){_guess(data)}") from None
    if not text.strip():
        raise _refuse(where, "is empty; give a text with some words")
    return text


def _guess(data: bytes) -> str:
    """Hint for a non-UTF-8 file: Windows Cyrillic if its high bytes read as Cyrillic letters."""
    high = [b for b in data if b >= 0x80]
    cyr = sum(0xC0 <= b <= 0xFF or b in (0xA8, 0xB8, 0xAA, 0xBA, 0xAF, 0xBF, 0xB2, 0xB3) for b in high)
    if high and cyr / len(high) > 0.9:
        return "; it looks like Windows Cyrillic: iconv -f cp1251 -t utf-8 FILE > FILE.utf8"
    return "; convert it to UTF-8, e.g. iconv -f cp1251 -t utf-8 FILE > FILE.utf8"
