# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The geoparser's per-hit loops, compiled: the same decisions as the pure-Python code, in C.

Each function here is a line-for-line twin of a loop in :mod:`geodata.geoparse.recognition`,
:mod:`geodata.geoparse.resolution` or :mod:`geodata.geoparse.jsonlines`, which stay the
reference (and run when this module is not built, or with ``QANTAR_PURE_PYTHON=1``; see
:mod:`geodata.geoparse.compiled`). What is decided once per distinct name (candidates, scores,
serialised places) and every regex still runs in Python, called from here with the module's
own helpers; what runs once per hit (character tests, memo look-ups, building the hit, the
mention and its JSON line) runs in C. tests/geoparse/test_compiled.py checks that both give
the same bytes.
"""

from libc.string cimport memchr

from geodata.geoparse._textcase cimport _islower, _isupper  # letter-case tests shared with _trie.pyx

from geodata.geoparse._lines import render, write_bytes  # the JSON Lines writer (its own module)
from geodata.geoparse._trie import matches, value as trie_value  # the name scan (its own module: the trie walk and its checks), a key's value

cdef object _MISSING = object()
cdef Py_UCS4 _NONE = 0xFFFFFFFF  # "no character here" (past the end of the text)


cdef inline Py_UCS4 _char(str text, Py_ssize_t i, Py_ssize_t n):
    return text[i] if 0 <= i < n else _NONE


cdef inline object _tuple3(object cls, object a, object b, object c):
    """``tuple.__new__(cls, (a, b, c))`` for a named tuple class: its instances are plain tuples
    with the class as their type."""
    return tuple.__new__(cls, (a, b, c))


def fold_patch(str text, bytes data, str folded, object FOLD):
    """The end of :func:`geodata.geoparse.recognition.fold`: ``folded`` (the ASCII fold, where every
    non-ASCII character is a space) with the non-ASCII letters and digits folded by ``FOLD``."""
    cdef const char *buf = data
    cdef const char *hit
    cdef Py_ssize_t n = len(data), pos = 0, last = 0
    cdef Py_UCS4 ch
    cdef list out = []
    while pos < n:
        hit = <const char *>memchr(buf + pos, ord("?"), n - pos)  # "?": a real one, or a non-ASCII character
        if hit == NULL:
            break
        pos = hit - buf
        ch = text[pos]
        if ch > 127 and ch.isalnum():  # quotes and dashes are already spaces
            out.append(folded[last:pos])
            out.append(FOLD[<Py_ssize_t>ch])  # keyed by code point, as str.translate looks it up
            last = pos + 1
        pos += 1
    if not out:
        return folded
    out.append(folded[last:])
    return u"".join(out)


cdef inline bint _ascii_at(str text, Py_ssize_t i, Py_ssize_t n, str word):
    """Whether ``text[i:]`` starts with ``word`` (short, no bounds surprises)."""
    cdef Py_ssize_t k, m = len(word)
    if i + m > n:
        return False
    for k in range(m):
        if <Py_UCS4>text[i + k] != <Py_UCS4>word[k]:
            return False
    return True


cdef bint _near_may(str text, Py_ssize_t end, Py_ssize_t n):
    """Whether _TAIL's "near" alternative can match at ``end`` (" and (the |its )?surrounding …",
    "adjacent", "neighbouring", "neighboring", "wider"): a pre-test on the first letters, the regex
    still decides. " and" followed by anything else is the commonest tail-less case after a name."""
    cdef Py_ssize_t i = end + 5
    if not _ascii_at(text, end, n, u" and "):
        return False
    if _ascii_at(text, i, n, u"the ") or _ascii_at(text, i, n, u"its "):
        i += 4
    return (_ascii_at(text, i, n, u"sur") or _ascii_at(text, i, n, u"adj") or _ascii_at(text, i, n, u"nei")
            or _ascii_at(text, i, n, u"wid"))


cdef bint _region_word_ahead(str text, Py_ssize_t i, Py_ssize_t n):
    """Whether :data:`geodata.geoparse.recognition._REGION_AFTER` can match at ``i``: its match
    is made only of white space, word characters, ",", "&", "’", "'" and "-", and ends with white
    space and a word whose first two letters are, in any case, "re", "ob" or "pr" (no other
    character matches these case-blind). Names followed by a comma mostly have no such word before
    the clause ends, and this spares them the regex (a superset: the regex still decides)."""
    cdef Py_UCS4 c, a, b
    while i < n:
        c = text[i]
        if c.isspace():
            if i + 2 < n:
                a, b = text[i + 1], text[i + 2]
                if (((a == u"r" or a == u"R") and (b == u"e" or b == u"E"))
                        or ((a == u"o" or a == u"O") and (b == u"b" or b == u"B"))
                        or ((a == u"p" or a == u"P") and (b == u"r" or b == u"R"))):
                    return True
        elif not (c.isalnum() or c == u"_" or c == u"," or c == u"&" or c == u"’" or c == u"'" or c == u"-"):
            return False
        i += 1
    return False


def recognise(str text, object index, dict kinds, dict names, object R):
    """The loop of :func:`geodata.geoparse.recognition.recognise` (``R`` is that module)."""
    cdef Py_ssize_t n = len(text), start, end, last_end = 0, klen
    cdef long long key
    cdef Py_UCS4 nxt, after, after2
    cdef bint region, tail_may
    cdef list hits = []
    cdef str surface
    stops, dem = R.stop_names(), index.demonyms
    normalize_name, candidates, own, Name, Hit = R.normalize_name, R._candidates, R._own, R.Name, R.Hit
    possessive, region_after, tail_re = R._POSSESSIVE_TAIL, R._REGION_AFTER, R._TAIL
    for key in matches(text, index, R):  # folds the text as it reads it
        start = key >> 10
        if start < last_end:
            continue
        klen = 1023 - (key & 1023)
        end = start + klen
        surface = text[start:end]
        kind = kinds.get(surface, _MISSING)
        if kind is _MISSING:
            norm = normalize_name(surface)
            kind = kinds[surface] = dem[norm] if norm in dem else None if norm in stops else ""
        if kind is None:
            continue  # a stop name does not hide what follows inside it
        last_end = end
        if kind:
            hits.append(_tuple3(Hit, start, end, kind))
            continue
        nxt = _char(text, end, n)
        tail = possessive.match(text, end) if nxt == u"’" or nxt == u"'" else None
        if tail:
            gen = None
            lookup = (surface, tail.group())
        else:
            after = _char(text, end + 1, n)
            after2 = _char(text, end + 2, n)
            region = ((nxt == u"," or nxt == u"&" or (nxt != _NONE and nxt.isspace() and (
                after == u"," or after == u"&" or (after != _NONE and after.isspace())
                or ((after == u"a" or after == u"A") and (after2 == u"n" or after2 == u"N"))
                or ((after == u"r" or after == u"R") and (after2 == u"e" or after2 == u"E"))
                or ((after == u"o" or after == u"O") and (after2 == u"b" or after2 == u"B"))
                or ((after == u"p" or after == u"P") and (after2 == u"r" or after2 == u"R")))))
                and _region_word_ahead(text, end, n) and region_after.match(text, end) is not None)
            if nxt == u" ":  # a capital, or the first two letters of one of _TAIL's lower-case words
                tail_may = (u"A" <= after <= u"Z" or (after == u"o" and after2 == u"b")
                            or (after == u"p" and (after2 == u"r" or after2 == u"a" or after2 == u"o"))
                            or (after == u"a" and (after2 == u"i" or after2 == u"n" or after2 == u"v"))
                            or (after == u"t" and (after2 == u"e" or after2 == u"h")) or (after == u"h" and after2 == u"y")
                            or (after == u"c" and after2 == u"h") or (after == u"m" and after2 == u"o")
                            or (after == u"s" and after2 == u"t"))
            else:
                tail_may = nxt in u" ,’'\"”"
            if tail_may and after == u"a" and after2 == u"n":
                tail_may = _near_may(text, end, n)  # " and": only _TAIL's "near" alternative begins so
            if tail_may:
                gen = tail_re.match(text, end)
            else:
                gen = None
            lookup = (surface, nxt == u".", region, gen.group() if gen is not None else None)
        name = names.get(lookup)
        if name is None:
            stop, cands, region_hint = candidates(index, text, start, end, gen)
            name = names[lookup] = Name(cands, region_hint, own(cands), stop - end)
        hits.append(_tuple3(Hit, start, end + name.extra, name))
    return hits


cdef Py_ssize_t _word_end = 0  # where the word _prev_cap found ends (its group 1 is text[start:_word_end])


cdef inline bint _cap_word(Py_UCS4 ch):
    """``[\\w’'.-]``: what may follow the capital in resolution's ``_PREV_CAP``."""
    return ch.isalnum() or ch == u"_" or ch == u"’" or ch == u"'" or ch == u"." or ch == u"-"


cdef Py_ssize_t _prev_cap(str text, Py_ssize_t lo, Py_ssize_t start):
    """Where ``_PREV_CAP.search(text, lo, start)`` matches, or -1 (its word's end in ``_word_end``).

    The pattern is a capital, word characters, then spaces or one "&" with spaces, up to
    ``start``: the separator is the run of spaces and at most one "&" just before ``start`` (a
    word character is neither), the word the run of word characters before it, and the leftmost
    match starts at the first ASCII capital of that run. The callers see a space or "&" at
    ``start - 1``, so ``$`` cannot match before a final newline instead."""
    global _word_end
    cdef Py_ssize_t k = start, q, p
    while k > lo and text[k - 1] == u" ":
        k -= 1
    if k > lo and text[k - 1] == u"&":
        k -= 1
        while k > lo and text[k - 1] == u" ":
            k -= 1
    if k == start:  # no separator: nothing can match
        return -1
    q = k
    p = q
    while p > lo and _cap_word(text[p - 1]):
        p -= 1
    while p < q and not (u"A" <= text[p] <= u"Z"):
        p += 1
    if p >= q:
        return -1
    _word_end = q
    return p


cdef tuple _signals(str text, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end, Py_ssize_t sent_start, bint weak, object S):
    """:func:`geodata.geoparse.resolution._signals` (``S``: the module's regexes and word sets)."""
    cdef bint initial = False, phrase = False, caps = False
    cdef Py_UCS4 c, d
    cdef Py_ssize_t lo, space
    opening, next_cap, prev_cap, function, normalize_name, stop_names, caps_window = S
    if weak:
        initial = start == sent_start or (text[sent_start] in u" \"“‘'([" and
                                          opening.fullmatch(text, sent_start, start) is not None)
    c = _char(text, end, n)
    if c == u" " or c == u"&":
        d = _char(text, end + 1, n)
        phrase = (u"A" <= d <= u"Z" or d == u" " or d == u"&") and next_cap.match(text, end) is not None
    if not phrase and start > 0 and (text[start - 1] == u" " or text[start - 1] == u"&"):
        lo = sent_start if sent_start > start - 40 else start - 40
        space = text.rfind(" ", lo, start - 1)
        if not _islower(text, space + 1 if space >= 0 else lo, start - 1):
            space = _prev_cap(text, lo, start)
            if space >= 0:
                word = text[space:_word_end].lower()
                phrase = not (word in function or (space == sent_start and normalize_name(word) in stop_names()))
    if end - start > 3 and _isupper(text, start, end):
        caps = caps_window(text, start, end)
    return (initial, phrase and not caps, caps)


cdef inline bint _word(Py_UCS4 ch):
    """What the regex engine calls a word character (``\\w``, for ``\\b``)."""
    return ch.isalnum() or ch == u"_"


cdef inline Py_ssize_t _closed(str text, Py_ssize_t i, Py_ssize_t n):
    """Where ``[\"”’)\]]*\\s+`` matching at ``i`` ends, or -1 if it does not match."""
    cdef Py_ssize_t j = i, k
    while j < n and text[j] in u"\"”’)]":
        j += 1
    k = j
    while k < n and text[k].isspace():
        k += 1
    return k if k > j else -1


def cuts(str text, frozenset abbreviations):
    """:func:`geodata.geoparse.sentences._cuts`: each of its patterns' matches, found as ``finditer``
    finds them (str.find jumps to the next candidate; a match's next search starts at its end)."""
    cdef Py_ssize_t n = len(text), i, k, w
    cdef Py_UCS4 prev
    cdef set ends = set()
    i = text.find(u".")
    while i >= 0:
        w = i  # the word before the full stop: an initial ("U.S.") or an abbreviation does not end a sentence
        while w > 0 and _word(text[w - 1]):
            w -= 1
        k = -1
        if i - w == 1:
            prev = text[i - 1]
            if not (u"A" <= prev <= u"Z"):
                k = _closed(text, i + 1, n)
        elif not (2 <= i - w <= 6 and text[w:i] in abbreviations):
            k = _closed(text, i + 1, n)
        if k >= 0:
            ends.add(k)
            i = text.find(u".", k)
        else:
            i = text.find(u".", i + 1)
    for mark in (u"!", u"?", u"…"):
        i = text.find(mark)
        while i >= 0:
            k = _closed(text, i + 1, n)
            if k >= 0:
                ends.add(k)
                i = text.find(mark, k)
            else:
                i = text.find(mark, i + 1)
    i = text.find(u"\n")
    while i >= 0:
        k = i + 1
        while k < n and text[k].isspace():
            k += 1
        ends.add(k)
        i = text.find(u"\n", k)
    return [0, *sorted(ends), n]


cdef Py_ssize_t _bisect_right(list xs, Py_ssize_t x):
    cdef Py_ssize_t lo = 0, hi = len(xs), mid
    while lo < hi:
        mid = (lo + hi) // 2
        if x < <Py_ssize_t>xs[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef class _Sentences:
    """:class:`geodata.geoparse.sentences.Sentences`'s ``sentence_of``, its usual case in C: the
    stretch between two sentence ends that holds a mention, trimmed of white space (what its
    ``_TRIM`` regex does); an over-long or blank stretch goes to ``spans_between`` as there."""

    cdef str text
    cdef Py_ssize_t n, lo, hi, a, b, max_sentence
    cdef list cuts, spans, starts
    cdef object spans_between

    def __init__(self, str text, list cuts, object spans_between, Py_ssize_t max_sentence):
        self.text, self.n, self.cuts, self.spans_between = text, len(text), cuts, spans_between
        self.max_sentence = max_sentence
        self.lo = self.hi = 0
        self.spans = None

    cdef _enter(self, Py_ssize_t pos):
        cdef Py_ssize_t i = _bisect_right(self.cuts, pos) - 1, a, b, s, e
        cdef str text = self.text
        a = self.lo = self.cuts[i]
        b = self.hi = self.cuts[i + 1]
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and e - s <= self.max_sentence:  # one sentence: the usual case
            self.spans = None
            self.a, self.b = s, e
        else:
            self.spans = self.spans_between(text, a, b) or [(0, self.n)]
            self.starts = [x for x, _ in self.spans]

    cdef tuple of(self, Py_ssize_t start, Py_ssize_t end):
        cdef Py_ssize_t a, b
        if not self.lo <= start < self.hi:
            self._enter(start)
        if self.spans is None:
            a, b = self.a, self.b
        else:
            span = self.spans[max(0, _bisect_right(self.starts, start) - 1)]
            a, b = span
        return (a if a < start else start), (b if b > end else end)


def resolve(str text, list hits, dict scored, dict confs, object text_sentences, object best_of, object penalty,
            double min_confidence, object RM, tuple S):
    """The loop of :func:`geodata.geoparse.resolution.resolve` (``text_sentences``: the text's
    :class:`~geodata.geoparse.sentences.Sentences`, asked for its cuts at the first mention)."""
    cdef Py_ssize_t n = len(text), start, end
    cdef list out = []
    cdef tuple signals, entry
    cdef _Sentences sentences = None
    for hit in hits:
        start, end, what = hit
        entry = scored.get(what)
        if entry is None:
            entry = scored[what] = best_of(what)
        best, place, strong, alts = entry
        if place is None:
            continue  # a name without candidates
        if sentences is None:
            sentences = _Sentences(text, *text_sentences.parts())
        s_start, s_end = sentences.of(start, end)
        if strong is None:  # a demonym
            out.append(tuple.__new__(RM, (start, end, s_start, s_end, place, 0.9, alts, "demonym")))
            continue
        signals = _signals(text, n, start, end, s_start, not strong, S)
        key = (what, *signals)
        conf = confs.get(key)
        if conf is None:
            conf = confs[key] = round(max(0.0, min(1.0, best - penalty(strong, *signals))), 3)
        if conf >= min_confidence:
            out.append(tuple.__new__(RM, (start, end, s_start, s_end, place, conf, alts, place.kind)))
    return out
