"""Recognition: where a text names a gazetteer name, and which places each name may denote.

Text and names are folded the same length-preserving way (lower case, accents off, every
character that is not a letter or digit becomes a space), so a key ``" alma ata "`` matches
"Alma-Ata", "ALMA ATA" and "Alma Ata," on word boundaries and offsets map straight back to the
input. The name index's automaton (:mod:`geodata.geoparse.index`) reports every key in the folded
text; the longest match wins ("Nur-Sultan" over "Sultan", "Almaty region" over "Almaty").

A match is kept only if it reads as a name: it starts with a capital (or with a lower-case
compass word, "eastern Turkestan"), two-letter matches are acronyms ("US", "UK"), and stop
names (``geodata/data/stopnames.txt``: ordinary words, months, titles, demonyms) never count.
Demonyms ("Kazakh", "Russian") are kept with their country's ISO2 code so callers can tag
them as kind ``"demonym"``.

What follows a name can change what it names: "Almaty’s airport" is a landmark, "Aqmola and
Qaraghandy regions" prefers regions, "U.S." keeps its last full stop. Those look-ups are done
once per distinct (name, what follows) in a document.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import NamedTuple

import geodata.geoparse.compiled as compiled
from geodata.geoparse.index import COMPASS, KLEN_BITS, NameIndex, reads_in_lower_case
from geodata.names import normalize_name, stop_names

__all__ = ["COMPASS", "Hit", "Name", "fold", "lower_case_ok", "recognise"]

_COMPASS_PREFIXES = tuple(f"{c} " for c in sorted(COMPASS))
_KLEN_MASK = (1 << KLEN_BITS) - 1
# Only the generic word is case-blind: a listed name must be capitalised, so in "Almaty, the Almaty
# region" the first "Almaty" (followed by "the") is not one of a list of regions.
_REGION_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?)*\s+(?i:regions?|oblasts?|oblysy|provinces?)\b"
)
# What a generic word right after a single name does to it (one regex, one match per distinct tail):
# "Zhambyl Oblast" / "Ivanovo Region" take the word into the span and name the region (or, where the
# gazetteer has no such region, its centre city); "Aktau airport" / "X International Airport" take it
# in and name the airport (the city where the gazetteer has no such landmark), and so do power plants
# ("Alma-Ata thermal power plant-1", "Almaty TPP-2"); "Almaty and the surrounding province" names the
# city, not the region; "Kazakhstan TV", "X channel", "X Hall" are names of channels and buildings, not
# places (but "Koktobe TV tower" is the hill's tower); a square, street or avenue named after a place
# ("Astana Square" in Almaty) is not that place unless the gazetteer has it as a landmark; in "Oyan,
# Qazaqstan movement" or "X party" a town far from Kazakhstan and its neighbours is not what the name means.
_TAIL = re.compile(
    r"(?P<gen> (?:Region|Oblast|Province|oblast|province|oblysy))(?![\w-])"
    r"|(?P<air> (?:(?:International )?(?:Airport|airport|Airfield|airfield|Air Base|air base|Airbase|airbase)"
    r"|(?:[Tt]hermal |[Hh]ydroelectric )?(?:power (?:plant|station)|Power (?:Plant|Station))(?:[- ]?(?:No\.? ?)?\d)?"
    r"|(?:CHPP|HPP|TPP|CHP|TETs)-?\d))(?![\w-])"
    r"|(?P<tv>[’'\"”]? (?:TV|Television|television|channel|Channel|Hall))(?![\w-])(?! (?:[Tt]ower|mast))"
    r"|(?P<street> (?:Square|Street|Avenue|Prospect|Boulevard|street|avenue|prospect))(?![\w-])"
    r"|(?P<org>(?:,? [A-Z][\w’'-]*){0,3}[’'\"”]? (?:movement|Movement|party|Party))(?![\w-])"
    r"|(?P<near> and (?:the |its )?(?:surrounding|adjacent|neighbouring|neighboring|wider) (?:regions?|provinces?|oblasts?|areas?))(?![\w-])"
)
_CHP_NUMBER = re.compile(r" (?:[Tt]hermal power (?:plant|station)|[Pp]ower (?:[Pp]lant|[Ss]tation)|CHPP|TPP|CHP|TETs)"
                         r"[- ]?(?:No\.? ?)?(\d)$")
_TAIL_FIRST = frozenset(" ,’'\"”")
# After a space, _TAIL can only go on with a capital or the first two letters of one of its
# lower-case words ("oblast", "province"/"prospect", "party", "airport", "and", "television",
# "channel", "movement", "thermal", "hydroelectric", "power", "street", "avenue"): most names are
# followed by an ordinary word, and this spares them the regex. A word added to _TAIL needs its
# pair here and in geodata/geoparse/_hotpath.pyx (tests/geoparse/test_compiled.py checks both); the
# compiled twin also reads " and …" as only the "near" words can go on (its _near_may).
_TAIL_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAIL_PAIRS = frozenset({"ob", "pr", "pa", "ai", "an", "te", "ch", "mo", "th", "hy", "po", "st", "av"})
_NEAR_COUNTRIES = frozenset({"KZ", "CN", "KG", "RU", "TM", "UZ", "TJ"})
_POSSESSIVE_TAIL = re.compile(r"[’']s((?: [\w’'-]+){1,3})")
_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
# What may follow the white space after a name for _REGION_AFTER to match: "&", ",", more white
# space, or the first two letters of "and" or of a region word in any case (compared in lower case:
# no other character matches these letters case-blind, unlike "i", "k" or "s").
_REGION_FIRST = frozenset({"an", "re", "ob", "pr"})


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


def fold(text: str) -> str:
    """``text.translate(_FOLD)``, at bytes.translate speed for the ASCII majority of the text."""
    data = text.encode("ascii", "replace")
    folded = data.translate(_ASCII_FOLD).decode("ascii")
    if text.isascii():
        return folded
    if data.count(b"?") + 1 > len(text) // 20:  # mostly non-ASCII (Cyrillic): the plain way is faster
        return text.translate(_FOLD)
    if compiled.hot is not None:  # the same patching in C (geodata/geoparse/_hotpath.pyx)
        return compiled.hot.fold_patch(text, data, folded, _FOLD)
    pieces = data.split(b"?")
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


class Name:
    """What one distinct name (with what follows it) reads as in a document, shared by its hits.

    ``cands`` are the ranked ``(rank, Place)`` candidates; ``region_hint`` whether
    "region(s)"/"oblast" follows; ``own`` the context the name adds when it is unambiguous
    (its country and admin-1 area); ``extra`` how many characters the text adds to the span
    ("Almaty’s airport", "U.S.").
    """

    __slots__ = ("cands", "region_hint", "own", "extra")

    def __init__(self, cands: list, region_hint: bool, own: tuple, extra: int):
        self.cands, self.region_hint, self.own, self.extra = cands, region_hint, own, extra


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


_lower_memo: dict[tuple[int, int], bool] = {}  # (id(index), name id) -> whether it counts in lower case


def lower_case_ok(index: NameIndex, name_id: int) -> bool:
    """Whether a name counts in lower case too ("protests in almaty" in wire copy): its best
    candidate is a town of Kazakhstan of 50,000 people or more, or Kazakhstan or one of its
    Central Asian and Russian neighbours (:func:`geodata.geoparse.index.reads_in_lower_case`). Callers pass only keys of 5+ letters; stop names never
    reach the automaton."""
    key = (id(index), name_id)
    ok = _lower_memo.get(key)
    if ok is None:
        cands = index.candidates_of(name_id) if name_id else []
        ok = _lower_memo[key] = bool(cands) and reads_in_lower_case(cands[0][1])
    return ok



_PROSE_BEFORE = frozenset(" \t\n\"“‘'(")


def _prose(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands as a word of running text, not inside a URL, e-mail
    address, file name or slug ("…/russian-federation-situation")."""
    if start and text[start - 1] not in _PROSE_BEFORE:
        return False
    after = text[end:end + 2]
    return not after or not (after[0] in "-/_@" or (after[0] == "." and after[1:].isalnum()))


def _matches(text: str, index: NameIndex) -> list[tuple[int, int]]:
    """Every name-like key match in ``text`` as ``(start, -length)``, sorted."""
    folded = f" {fold(text)} "
    memo, iid = _lower_memo, id(index)
    found = []
    for end_idx, value in index.automaton.iter(folded):
        klen = value & _KLEN_MASK
        start = end_idx - klen - 1  # folded has one leading space; the key has its own
        if text[start].isupper():
            if klen > 3 or _surface_ok(text, start, start + klen):
                found.append((start, -klen))
        elif klen > 4 and text[start].isalpha() and (memo.get((iid, value >> KLEN_BITS))
                                                      or lower_case_ok(index, value >> KLEN_BITS)):
            if _prose(text, start, start + klen):
                found.append((start, -klen))  # "almaty" in lower-case wire copy
        elif text.startswith(_COMPASS_PREFIXES, start) and _surface_ok(text, start, start + klen):
            found.append((start, -klen))
    found.sort()
    return found


def _tail(index: NameIndex, text: str, start: int, end: int, m: re.Match) -> tuple[int, list, bool]:
    """What a :data:`_TAIL` match makes of the name at ``text[start:end]`` (see there)."""
    how, tail = m.lastgroup, m.group()
    cands = index.candidates(text[start:end])
    if how == "tv":
        if tail.endswith("Hall") and text[start:end].lower().endswith((" city", " town")):
            return end, cands, False  # "Almaty City Hall" is the city's administration
        return end, [], False
    if how == "org":
        return end, [c for c in cands if c[1].kind != "city" or c[1].country in _NEAR_COUNTRIES], False
    if how == "near":
        return end, [c for c in cands if c[1].kind != "region"] or cands, False
    if how == "street":
        landmarks = [c for c in index.candidates(text[start:m.end()]) if c[1].kind == "landmark"]
        return (m.end(), landmarks, False) if landmarks else (end, [], False)
    if not any(c[1].kind in ("city", "region") for c in cands):
        return end, cands, False  # "Kazakhstan airport" is not one name
    whole = index.candidates(text[start:m.end()])
    if how == "gen":
        regions = [c for c in whole + index.candidates(text[start:end] + " Region") if c[1].kind == "region"]
        if regions:
            return m.end(), regions, True
        return m.end(), [c for c in cands if c[1].kind == "city"], False
    landmarks = [c for c in whole if c[1].kind == "landmark"]
    if not landmarks:  # "Alma-Ata airport": the landmark may be listed under the city's main name, and a
        # combined heat and power plant as "<city> CHPP-<n>" however the text words it ("TPP-2", "thermal power plant-1")
        city = next((c[1] for c in cands if c[1].kind == "city"), None)
        if city is not None:
            plant = _CHP_NUMBER.search(tail)
            key = f"{city.name} CHPP-{plant.group(1)}" if plant else city.name + tail
            landmarks = [c for c in index.candidates(key) if c[1].kind == "landmark"]
    return m.end(), landmarks or [c for c in cands if c[1].kind == "city"], False


def _candidates(index: NameIndex, text: str, start: int, end: int, tail: re.Match | None = None) -> tuple[int, list, bool]:
    """``(end, ranked candidates, region hint)``: the span extended where the text says more."""
    if tail is not None:
        return _tail(index, text, start, end, tail)
    tail = _POSSESSIVE_TAIL.match(text, end)
    if tail:  # "Almaty’s airport" is a landmark name; "Almaty’s roads" is not
        words = tail.group(1).split(" ")[1:]
        for n in range(len(words), 0, -1):
            stop = end + 2 + sum(len(w) + 1 for w in words[:n])
            found = index.candidates(text[start:stop])
            if found and found[0][1].kind == "landmark":
                return stop, found, False
    if text[end:end + 1] == "." and _ACRONYM.fullmatch(text, start, end):
        end += 1  # "U.S." keeps its last full stop
    cands = index.candidates(text[start:end])
    if _REGION_AFTER.match(text, end):
        regions = [rp for rp in index.candidates(text[start:end] + " Region") if rp[1].kind == "region"]
        ids = {r[1].id for r in regions}
        return end, regions + [c for c in cands if c[1].id not in ids], True
    return end, cands, False


def _own(cands: list) -> tuple:
    """The context an unambiguous name adds: its country and admin-1 area (none if ambiguous)."""
    if len(cands) == 1 or (cands and cands[0][1].kind != "city"):
        top = cands[0][1]
        return tuple(k for k in (top.country, (top.country, top.admin1) if top.admin1 else None) if k)
    return ()


class Hit(NamedTuple):
    """A recognised name at ``text[start:end]``: ``what`` is the ISO2 code of a demonym's
    country (a str) or the :class:`Name` shared by every hit of that name and tail.

    A named tuple, not a dataclass: a long text has tens of thousands of hits, and resolution
    unpacks each one in its hot loop.
    """

    start: int
    end: int
    what: "Name | str"


def recognise(text: str, index: NameIndex, memo: dict | None = None) -> list[Hit]:
    """The names in ``text``: leftmost-longest, word-bounded, name-like, non-overlapping.

    Parameters
    ----------
    text : str
        Any text.
    index : NameIndex
        The name index (:func:`geodata.geoparse.index.default_index`).
    memo : dict, optional
        What is decided once per distinct name, kept across calls: pass the same dict for
        every block of one document (:mod:`geodata.geoparse.stream`) so a name met in many
        blocks is looked up once and its hits share one :class:`Name`.

    Returns
    -------
    list of Hit
        In text order.
    """
    stops, dem = stop_names(), index.demonyms
    memo = {} if memo is None else memo
    kinds: dict[str, str | None] = memo.setdefault("kinds", {})  # surface -> ISO2 of a demonym, "" for a name, None for a stop name
    names: dict[tuple, Name] = memo.setdefault("names", {})
    if compiled.hot is not None:  # the same loop in C (geodata/geoparse/_hotpath.pyx)
        return compiled.hot.recognise(text, index, kinds, names, sys.modules[__name__])
    region_first, tail_first, tail_capitals, tail_pairs = _REGION_FIRST, _TAIL_FIRST, _TAIL_CAPITALS, _TAIL_PAIRS
    hits: list[Hit] = []
    append, new = hits.append, tuple.__new__  # a Hit without its keyword __new__: 0.2 µs, not 1.3 µs
    last_end = 0
    for start, neg in _matches(text, index):
        if start < last_end:
            continue
        end = start - neg
        surface = text[start:end]
        if surface in kinds:
            kind = kinds[surface]
        else:
            key = normalize_name(surface)
            kind = kinds[surface] = dem[key] if key in dem else None if key in stops else ""
        if kind is None:
            continue  # a stop name does not hide what follows inside it
        last_end = end
        if kind:
            append(new(Hit, (start, end, kind)))
            continue
        nxt = text[end:end + 1]
        tail = _POSSESSIVE_TAIL.match(text, end) if nxt == "’" or nxt == "'" else None
        if tail:  # a possessive resolves by the words after it (and never has "." or "region" next)
            lookup = (surface, tail.group())
        else:  # the same name with the same kind of tail resolves the same way
            # _REGION_AFTER needs white space, "," or "&" next, then one of these (or more white space)
            after = text[end + 1:end + 2]
            region = ((nxt == "," or nxt == "&" or (nxt.isspace() and (
                after == "," or after == "&" or after.isspace() or text[end + 1:end + 3].lower() in region_first)))
                and _REGION_AFTER.match(text, end) is not None)
            gen = (_TAIL.match(text, end) if ((after in tail_capitals or text[end + 1:end + 3] in tail_pairs) if nxt == " "
                                              else nxt in tail_first) else None)
            lookup = (surface, nxt == ".", region, gen and gen.group())
        name = names.get(lookup)
        if name is None:
            stop, cands, region_hint = _candidates(index, text, start, end, None if tail else gen)
            name = names[lookup] = Name(cands, region_hint, _own(cands), stop - end)
        append(new(Hit, (start, end + name.extra, name)))
    return hits
