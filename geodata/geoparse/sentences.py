"""Sentences of any text, as offsets: where a sentence ends, and which sentence holds a position.

A sentence ends at ``. ! ? …`` (with closing quotes) before white space, unless the word
before the full stop is an abbreviation or an initial ("Dr.", "Jan.", "U.S."), and at every
line break (titles and datelines are sentences of their own). Sentences are trimmed of white
space, and one longer than :data:`MAX_SENTENCE` characters is cut at its last white space
within the limit, so a geoparser record never repeats a multi-megabyte line.

The geoparser needs the sentence of each mention, not every sentence: :class:`Sentences`
finds all sentence ends with a handful of regex scans (C speed) but trims and cuts only the
stretches of text that hold a mention, on demand.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import geodata.geoparse.compiled as compiled

__all__ = ["MAX_SENTENCE", "Sentences", "sentence_spans"]

MAX_SENTENCE = 1000
_ABBREV = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "no", "vs", "etc",
                     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx"})
_ABBREVIATIONS = _ABBREV | {a.capitalize() for a in _ABBREV}
_CLOSERS = r"[\"”’)\]]*\s+"


def _end_patterns() -> tuple[re.Pattern, ...]:
    """One pattern per sentence-ending character, each starting with a literal, so the regex
    engine jumps between occurrences instead of trying every position (5 MB in ~15 ms, not ~80 ms)."""
    by_len: dict[int, list[str]] = {}
    for abbrev in sorted(_ABBREVIATIONS):
        by_len.setdefault(len(abbrev), []).append(abbrev)
    # a lookbehind must have a fixed width: one per abbreviation length
    not_abbrev = "".join(rf"(?<!\b(?:{'|'.join(v)})\.)" for _, v in sorted(by_len.items()))
    return (
        re.compile(r"\.(?<!\b[A-Z]\.)" + not_abbrev + _CLOSERS),
        *(re.compile(re.escape(c) + _CLOSERS) for c in "!?…"),
        re.compile(r"\n\s*"),
    )


_SENT_ENDS = _end_patterns()
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
_NON_SPACE = re.compile(r"\S")
_TRIM = re.compile(r"\s*+(.*\S)?", re.S)  # group 1: the stretch without white space at either end


def _cuts(text: str) -> list[int]:
    """0, every sentence end, ``len(text)``: sorted; consecutive cuts bound a stretch of text."""
    if compiled.hot is not None:  # the same cuts in one pass of C (geodata/geoparse/_hotpath.pyx)
        return compiled.hot.cuts(text, _ABBREVIATIONS)
    ends: set[int] = set()
    for pattern in _SENT_ENDS:  # matches of different patterns share their end ("?\n", ".\n")
        ends.update([m.end() for m in pattern.finditer(text)])
    return [0, *sorted(ends), len(text)]


def _spans_between(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The trimmed sentence(s) of ``text[a:b]``: none if blank, several if longer than MAX_SENTENCE."""
    seg = text[a:b]
    lead, trail = len(seg) - len(seg.lstrip()), len(seg.rstrip())
    if trail <= lead:
        return []
    spans = []
    a, b = a + lead, a + trail
    while b - a > MAX_SENTENCE:
        space = _LAST_SPACE.search(text, a + 1, a + MAX_SENTENCE + 1)
        cut = space.start() if space else a + MAX_SENTENCE
        spans.append((a, a + len(text[a:cut].rstrip())))
        a = _NON_SPACE.search(text, cut, b).start()
    spans.append((a, b))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``(start, end)`` offsets, whitespace trimmed, in order.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of tuple of int
        Non-overlapping, none longer than :data:`MAX_SENTENCE` characters (see the module
        docstring for where sentences end).

    Examples
    --------
    >>> text = "The U.S. said so. Dr. Hahn agreed."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['The U.S. said so.', 'Dr. Hahn agreed.']
    """
    cuts = _cuts(text)
    return [span for a, b in zip(cuts, cuts[1:]) for span in _spans_between(text, a, b)]


class Sentences:
    """The sentences of one text, trimmed and cut only where asked (see the module docstring).

    ``sentence_of(start, end)`` is what :func:`sentence_spans` gives for the sentence holding
    ``start``, widened to hold ``end`` too (a name may straddle a cut in an over-long sentence).
    Questions in text order are cheapest: the stretch between two sentence ends that answered
    the last one is kept.
    """

    def __init__(self, text: str):
        self._text = text
        self._cuts: list[int] | None = None  # found on the first question: a text with no mention needs none
        self._lo = self._hi = 0  # the stretch text[lo:hi] of the last question, and its sentences
        self._starts: list[int] = []
        self._spans: list[tuple[int, int]] = []

    def parts(self) -> tuple[list[int], object, int]:
        """What the compiled twin of :meth:`sentence_of` needs (geodata/geoparse/_hotpath.pyx): the
        sentence cuts, the function that splits a stretch between two cuts, :data:`MAX_SENTENCE`."""
        if self._cuts is None:
            self._cuts = _cuts(self._text)
        return self._cuts, _spans_between, MAX_SENTENCE

    def sentence_of(self, start: int, end: int) -> tuple[int, int]:
        """The ``(sentence_start, sentence_end)`` of a mention at ``text[start:end]``."""
        if not self._lo <= start < self._hi:
            self._enter(start)
        spans = self._spans
        a, b = spans[0] if len(spans) == 1 else spans[max(0, bisect_right(self._starts, start) - 1)]
        return (a if a < start else start), (b if b > end else end)

    def _enter(self, pos: int) -> None:
        """Make the stretch holding ``pos`` the current one."""
        if self._cuts is None:
            self._cuts = _cuts(self._text)
        i = bisect_right(self._cuts, pos) - 1
        a, b = self._lo, self._hi = self._cuts[i], self._cuts[i + 1]
        trimmed = _TRIM.match(self._text, a, b)
        if trimmed.end(1) - trimmed.start(1) <= MAX_SENTENCE and trimmed.end(1) > 0:  # one sentence: the usual case
            self._spans = [trimmed.span(1)]
        else:  # several, or only white space (never so where a name is: then the whole text, as before)
            self._spans = _spans_between(self._text, a, b) or [(0, len(self._text))]
            self._starts = [a for a, _ in self._spans]
