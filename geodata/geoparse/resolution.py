"""Resolution: which place a recognised name denotes, in the context of its document.

Every candidate place is scored: how the name belongs to it (curated > own > alternate name,
as the gazetteer ranks them), feature kind, population, and the document context: the
countries of the document's unambiguous places and demonyms (a "Petropavlovsk" in a text
about Kazakhstan is Petropavl). "X region(s)" / "X oblast" after a name prefers the region.
Weak evidence lowers the confidence: a sentence-initial word, a name inside a longer
capitalised phrase ("Emma Ashford", "Nur Otan"), an all-capitals line, a village-sized place.
Mentions below :data:`MIN_CONFIDENCE` are dropped; the alternatives stay on each mention.

The context is counted once per document, so a name's candidate scores depend only on the
name, its tail and the context it adds itself; they are computed once per distinct
combination. A mention's own evidence is three yes/no signals, so its confidence is one
look-up in a table keyed by the name's scores and those signals.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from operator import itemgetter
from typing import Iterable, NamedTuple

from geodata.gazetteer import Place
import geodata.geoparse.compiled as compiled
from geodata.geoparse.index import NameIndex
from geodata.geoparse.recognition import Hit
from geodata.geoparse.sentences import Sentences
from geodata.names import normalize_name, stop_names

__all__ = ["MIN_CONFIDENCE", "ResolvedMention", "context_counts", "resolve"]

MIN_CONFIDENCE = 0.5
_NEXT_CAP = re.compile(r"(?: +| *& *)([A-Z][\w’'.-]*)")
_PREV_CAP = re.compile(r"([A-Z][\w’'.-]*)(?: +| *& *)$")
_OPENERS = " \"“‘'(["
_OPENING = re.compile(f"[{re.escape(_OPENERS)}]*")  # what may stand between a sentence start and its first word
# Capitalised only because they open a sentence: never part of a longer name.
_FUNCTION = frozenset("""a an the in at on of from to by for as and but or nor with without within throughout during
after before since until near across outside inside into onto over under between among against about like unlike
both even only also meanwhile however although though while when where if unless because so then thus yet still
this that these those there here it its he she they we i you his her their our my your""".split())


# Curated areas ("Central Asia", "Caspian Sea", "Soviet Union") weigh like regions.
_KIND_WEIGHT = {"country": 0.35, "region": 0.3, "landmark": 0.3, "macroregion": 0.3, "water": 0.3, "historic": 0.3}


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
    s += _KIND_WEIGHT.get(place.kind, 0.0) or _city_weight(place.population)
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


def context_counts(hits: list[Hit], context: Iterable[str] | None = None) -> dict:
    """The document context: ``{ISO2 or (ISO2, admin1): count}`` over demonyms and unambiguous
    names, starting from 2 for each country the caller names in ``context``.

    ``hits`` are :func:`geodata.geoparse.recognition.recognise` hits; pass every hit of the document.
    """
    ctx: dict = {c: 2 for c in (context or ())}
    # Hits of one name share its Name object: count those (at C speed), then add up per name.
    for what, n in Counter(map(itemgetter(2), hits)).items():
        for k in (what,) if what.__class__ is str else what.own:
            ctx[k] = ctx.get(k, 0) + n
    return ctx


def _signals(text: str, start: int, end: int, sent_start: int, weak: bool) -> tuple[bool, bool, bool]:
    """The mention's own evidence: (sentence-initial, inside a capitalised phrase, all-capitals line).

    Sentence-initial is only looked at for ``weak`` readings (it never changes a strong one).
    The cheap tests in front of each regex give the regex's answer when it cannot match,
    which is nearly always.
    """
    # _OPENING needs the sentence to begin with the name or with one of its characters
    initial = weak and (start == sent_start or (text[sent_start] in _OPENERS and
                                                _OPENING.fullmatch(text, sent_start, start) is not None))
    phrase = False
    c = text[end:end + 1]
    if c == " " or c == "&":  # _NEXT_CAP: spaces or "&", then a capital
        d = text[end + 1:end + 2]
        phrase = ("A" <= d <= "Z" or d == " " or d == "&") and _NEXT_CAP.match(text, end) is not None
    if not phrase and text[start - 1:start] in (" ", "&"):  # _PREV_CAP ends in one of these
        lo = sent_start if sent_start > start - 40 else start - 40
        space = text.rfind(" ", lo, start - 1)
        # _PREV_CAP needs a capital in the last word before the separator: "in", "(the" have none
        if not text[space + 1 if space >= 0 else lo:start - 1].islower():
            prv = _PREV_CAP.search(text, lo, start)
            if prv:  # "Emma Ashford" and "Central Asia" are phrases; "In Kazakhstan" is not
                word = prv.group(1).lower()
                phrase = not (word in _FUNCTION or (prv.start() == sent_start and normalize_name(word) in stop_names()))
    caps = end - start > 3 and text[start:end].isupper() and _caps_window(text, start, end)
    return initial, phrase and not caps, caps


def _caps_window(text: str, start: int, end: int) -> bool:
    """Whether the 30 characters either side of an all-capitals name are mostly capitals too."""
    window = text[start - 30 if start > 30 else 0:end + 30]
    return sum(map(str.isupper, window)) > 0.6 * sum(map(str.isalpha, window))


def _penalty(strong: bool, initial: bool, phrase: bool, caps: bool) -> float:
    """Evidence against the reading; ``strong`` readings (not a city, or a curated name) lose less."""
    p = 0.15 if initial and not strong else 0.0  # "Most", "Reading": a capital that only marks the sentence start
    if caps and not strong:
        p += 0.3  # an all-capitals line
    if phrase:
        p += 0.15 if strong else 0.3  # "Emma Ashford", "Nur Otan", "San Jose State"
    return p


class ResolvedMention(NamedTuple):
    """A mention as resolution hands it on: the name at ``text[start:end]``, the sentence at
    ``text[sentence_start:sentence_end]``, the chosen ``place`` (a demonym's country), its
    ``confidence``, the ranked ``alternatives`` ``((place_id, score), ...)`` and the ``kind``
    (the place's kind, or ``"demonym"``).

    A named tuple so that the JSON Lines writer can unpack tens of thousands of them quickly;
    equal alternatives are one shared tuple, which the writer relies on.
    """

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    place: Place
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    kind: str


def resolve(text: str, hits: list[Hit], ctx: dict, sentences: Sentences, index: NameIndex,
            memo: dict | None = None) -> list[ResolvedMention]:
    """The mentions among ``hits``, resolved in the context of their document.

    Parameters
    ----------
    text : str
        The whole text.
    hits : list of Hit
        From :func:`geodata.geoparse.recognition.recognise`, in text order.
    ctx : dict
        :func:`context_counts` of the same hits.
    sentences : Sentences
        The text's sentences.
    index : NameIndex
        For the countries of demonyms.
    memo : dict, optional
        The scores of each distinct name, kept across calls: pass the same dict (and the same
        ``ctx``) for every block of one document.

    Returns
    -------
    list of ResolvedMention
        In text order; names without candidates and mentions below :data:`MIN_CONFIDENCE`
        are left out.
    """
    total = sum(v for k, v in ctx.items() if isinstance(k, str))
    memo = {} if memo is None else memo
    scored: dict = memo.setdefault("scored", {})  # Name or demonym ISO2 -> (best score, place, strong, alternatives)
    confs: dict[tuple, float] = memo.setdefault("confs", {})
    sentence_of = sentences.sentence_of
    if compiled.hot is not None:  # the same loop in C (geodata/geoparse/_hotpath.pyx)
        return compiled.hot.resolve(text, hits, scored, confs, sentences,
                                    lambda what: _best(what, ctx, total, index),
                                    _penalty, MIN_CONFIDENCE, ResolvedMention,
                                    (_OPENING, _NEXT_CAP, _PREV_CAP, _FUNCTION, normalize_name, stop_names, _caps_window))
    out: list[ResolvedMention] = []
    append, new = out.append, tuple.__new__  # a ResolvedMention without its keyword __new__ (5x faster)
    for start, end, what in hits:
        entry = scored.get(what)
        if entry is None:
            entry = scored[what] = _best(what, ctx, total, index)
        best, place, strong, alts = entry
        if place is None:
            continue  # a name without candidates
        s_start, s_end = sentence_of(start, end)
        if strong is None:  # a demonym
            append(new(ResolvedMention, (start, end, s_start, s_end, place, 0.9, alts, "demonym")))
            continue
        signals = _signals(text, start, end, s_start, not strong)
        key = (what, *signals)
        conf = confs.get(key)
        if conf is None:
            conf = confs[key] = round(max(0.0, min(1.0, best - _penalty(strong, *signals))), 3)
        if conf >= MIN_CONFIDENCE:
            append(new(ResolvedMention, (start, end, s_start, s_end, place, conf, alts, place.kind)))
    return out


def _best(what, ctx: dict, total: int, index: NameIndex) -> tuple:
    """``(best score, place, strong, alternatives)`` of a :class:`~geodata.geoparse.recognition.Name` in
    this context; for a demonym's ISO2 code its country with ``strong`` None."""
    if what.__class__ is str:
        place = index.country(what)
        return 0.9, place, None, ((place.id, 0.9),)
    if not what.cands:
        return 0.0, None, False, ()
    ranked = sorted(((round(_score(r, p, ctx, total, what.own, what.region_hint), 3), p, r) for r, p in what.cands),
                    key=lambda t: (-t[0], t[1].id))
    best, place, rank = ranked[0]
    alts = tuple((p.id, max(0.0, min(1.0, s))) for s, p, _ in ranked[:5])
    return best, place, place.kind != "city" or rank == 3, alts
