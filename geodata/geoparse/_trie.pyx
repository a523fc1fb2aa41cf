# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The name scan of the compiled hot path: the index's trie walked in C from every space.

The twin of :func:`geodata.geoparse.recognition._matches`, which iterates pyahocorasick's
automaton: every key is ``" name "``, so the keys found in the folded text are exactly those
met by walking the trie (:mod:`geodata.geoparse.trie`) from each of its spaces, as long as the
text follows an edge. A word the text does not capitalise walks a second, small trie of the keys
that can count without a capital (:class:`geodata.geoparse.index.NameIndex`): most words of a text
are such words, and the big trie's deeper levels are far apart in memory. No failure links, no Python object per character or per raw match: only
the matches that read as names become Python ints, already in the sorted order the caller
needs (start ascending, then longest first). Imported by :mod:`geodata.geoparse._hotpath`.
"""

cimport cython
from cpython cimport array

from geodata.geoparse._textcase cimport _isupper

cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void *PyUnicode_DATA(object)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index)

cdef enum:
    MAX_ENDS = 256  # keys ending on one walk; the index's deepest nesting is a handful
cdef enum:
    COLUMNS = 37  # what the ASCII fold leaves: the space, a-z, 0-9
    WIDE = 8  # a node with more children than this gets a row of the direct table
    NEAR = 65536  # only nodes numbered below this may have a row (the top levels: breadth-first order)


cdef struct Node:  # one record of the trie (geodata/geoparse/trie.py)
    unsigned int first, end, label, value


@cython.final
cdef class _Tables:
    """The trie, and a direct table for its wide nodes near the root: a walk from a space meets
    the space's 92 children, then a few dozen at each of the next levels, where a binary search
    mispredicts a branch at every halving; one row of :data:`COLUMNS` children per wide node
    makes such a step one load. Built once per index (about 3,000 rows, 0.5 MB)."""

    cdef object owner  # the index's trie array: ``nodes`` points into it
    cdef const Node *nodes
    cdef size_t count
    cdef int column[128]
    cdef short row_of[NEAR]
    cdef unsigned int[::1] rows

    def __init__(self, object trie):
        cdef const unsigned int[::1] words = trie
        cdef size_t n, c, wide = 0
        cdef unsigned int ch
        cdef const Node *node
        self.owner = trie
        self.count = words.shape[0] // 4
        if self.count == 0 or words.shape[0] % 4:
            raise ValueError("name index: the trie's table is not whole; delete the index cache")
        self.nodes = <const Node *>&words[0]
        for ch in range(128):
            self.column[ch] = -1
        self.column[32] = 0
        for ch in range(26):
            self.column[97 + ch] = 1 + ch
        for ch in range(10):
            self.column[48 + ch] = 27 + ch
        for n in range(NEAR):
            self.row_of[n] = -1
            if n < self.count and self.nodes[n].end > self.nodes[n].first + WIDE and wide < 32767:
                self.row_of[n] = wide
                wide += 1
        self.rows = array.clone(array.array("I"), wide * COLUMNS + 1, zero=True)
        for n in range(min(NEAR, self.count)):
            if self.row_of[n] >= 0:
                node = &self.nodes[n]
                for c in range(node.first, min(node.end, self.count)):
                    ch = self.nodes[c].label
                    if ch < 128 and self.column[ch] >= 0:
                        self.rows[self.row_of[n] * COLUMNS + self.column[ch]] = c

    cdef inline size_t child(self, size_t n, Py_UCS4 ch) noexcept nogil:
        """The child of node ``n`` along ``ch``, or 0 (the root is nobody's child). Every node
        number is checked against the table's size, so a damaged table ends a walk instead of
        reading past it."""
        cdef size_t lo, hi, mid, end
        cdef int row
        if n < NEAR and ch < 128:
            row = self.row_of[n]
            if row >= 0 and self.column[ch] >= 0:
                return self.rows[row * COLUMNS + self.column[ch]]
        lo, hi = self.nodes[n].first, self.nodes[n].end
        if hi > self.count or lo > hi:
            return 0
        if hi - lo <= WIDE:  # most nodes have one child or a few: a short scan of adjacent records
            while lo < hi:
                if self.nodes[lo].label >= ch:
                    return lo if self.nodes[lo].label == ch else 0
                lo += 1
            return 0
        end = hi
        while lo < hi:
            mid = (lo + hi) >> 1
            if self.nodes[mid].label < ch:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < end and self.nodes[lo].label == ch else 0


cdef tuple _tables = None  # (index.trie, its _Tables, index.trie_lower, its _Tables)


cdef tuple _tables_of(object index):
    """The index's two tries as :class:`_Tables`, built on its first scan and kept for the next blocks."""
    global _tables
    if _tables is None or _tables[0] is not index.trie or _tables[2] is not index.trie_lower:
        _tables = (index.trie, _Tables(index.trie), index.trie_lower, _Tables(index.trie_lower))
    return _tables


cdef bint _capital_surface_ok(str text, Py_ssize_t start, Py_ssize_t end):
    """:func:`geodata.geoparse.recognition._surface_ok` for a name that starts with a capital: two
    letters or fewer must all be capitals ("US", "U.S."; full stops are uncased, so removing them
    changes nothing)."""
    cdef Py_ssize_t i, letters = 0
    for i in range(start, end):
        if text[i].isalpha():
            letters += 1
    return letters > 2 or _isupper(text, start, end)


cdef Py_UCS4 _fold_bmp[65536]  # FOLD's answer for each character met so far (0: not yet asked)
cdef bint _fold_ready = False


cdef Py_UCS4 _fold(Py_UCS4 c, object FOLD) except 0:
    """:func:`geodata.geoparse.recognition.fold` of one character (it maps each character to one):
    the ASCII table, a space for what is not a letter or digit, else ``FOLD``, asked once a character."""
    if c < 65536:
        if _fold_bmp[c] == 0:
            _fold_bmp[c] = <Py_UCS4>(<str>FOLD[<Py_ssize_t>c])[0] if c >= 128 and c.isalnum() else u" "
        return _fold_bmp[c]
    return (<str>FOLD[<Py_ssize_t>c])[0] if c.isalnum() else u" "


def matches(str text, object index, object R):
    """:func:`geodata.geoparse.recognition._matches`, as sorted ints ``start << 10 | (1023 - length)``
    (the same order as its ``(start, -length)`` tuples).

    The text is folded as it is read (``f" {fold(text)} "`` is never made): a walk starts before
    the text and after each character that folds to a space, and the end of the text reads as
    one more space.
    """
    global _fold_ready
    tables = _tables_of(index)
    cdef _Tables full = tables[1], lower = tables[3], t
    cdef int bits = R.KLEN_BITS
    cdef unsigned int v
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i, j, klen, start, k, count
    cdef size_t space = full.child(0, u" "), lower_space = lower.child(0, u" "), node
    cdef unsigned int ends[MAX_ENDS]
    cdef Py_ssize_t lengths[MAX_ENDS]
    cdef Py_UCS4 c, f
    cdef list found = []
    cdef bytes ascii = R._ASCII_FOLD
    FOLD = R._FOLD
    if not _fold_ready:
        for k in range(128):
            _fold_bmp[k] = ascii[k]
        _fold_ready = True
    if space == 0:
        return found
    surface_ok, lower_case_ok, prose, compass = R._surface_ok, R.lower_case_ok, R._prose, R._COMPASS_PREFIXES
    for start in range(n):
        if start > 0:  # a key starts after a character that folds to a space (or at the text's start)
            c = PyUnicode_READ(kind, data, start - 1)
            if c < 128:
                if _fold_bmp[c] != u" ":
                    continue
            elif c.isalnum():
                continue
        c = PyUnicode_READ(kind, data, start)  # the key's first letter as the text has it
        if (u"A" <= c <= u"Z") if c < 128 else c.isupper():  # most words are ASCII: no table look-up
            t, node = full, space
        elif lower_space != 0:
            t, node = lower, lower_space  # only keys that may count without a capital
        else:
            continue
        count, j = 0, start
        while True:  # every key that starts here, shortest first; past the text's end reads a space
            if j < n:
                c = PyUnicode_READ(kind, data, j)
                f = _fold_bmp[c] if c < 128 else _fold(c, FOLD)
            else:
                f = u" "
            node = t.child(node, f)
            if node == 0:
                break
            v = t.nodes[node].value
            if v != 0 and count < MAX_ENDS:
                ends[count] = v
                lengths[count] = j - start  # the walk's length, not the value's: offsets stay in the text
                count += 1
            if j >= n:
                break
            j += 1
        if count == 0:
            continue
        c = PyUnicode_READ(kind, data, start)
        for k in range(count - 1, -1, -1):  # longest first, as the sorted (start, -length) order has it
            v = ends[k]
            klen = lengths[k]
            if c.isupper():
                if klen > 3 or _capital_surface_ok(text, start, start + klen):
                    found.append((start << 10) | (1023 - klen))
            elif klen > 4 and c.isalpha() and lower_case_ok(index, v >> bits):
                if prose(text, start, start + klen):
                    found.append((start << 10) | (1023 - klen))  # "almaty" in lower-case wire copy
            elif text.startswith(compass, start) and surface_ok(text, start, start + klen):
                found.append((start << 10) | (1023 - klen))
    return found


def value(object index, str key):
    """The value of the folded ``key`` (``" name "``) in ``index.trie``, or 0: what
    ``index.automaton.get(key, 0)`` gives, without the automaton (which the compiled path
    never builds; :func:`geodata.geoparse.index.load_index`)."""
    cdef _Tables full = _tables_of(index)[1]
    cdef size_t node = 0
    cdef Py_UCS4 c
    for c in key:
        node = full.child(node, c)
        if node == 0:
            return 0
    return full.nodes[node].value
