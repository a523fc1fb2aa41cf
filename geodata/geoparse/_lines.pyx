# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The JSON Lines writer of the compiled hot path: the twin of
:func:`geodata.geoparse.jsonlines.render_lines`, as text chunks (:func:`render`) or as UTF-8
bytes handed to a binary stream (:func:`write_bytes`).

Output is 4.7 bytes a byte of news text, most of it each mention's sentence: formatting every
line as a str, joining the lines and encoding the chunk to UTF-8 on the way out copied it three
times. :func:`write_bytes` writes each sentence once, escaped and encoded in one pass straight
from the text, and copies it for the sentence's next mentions; a place's fixed parts and a
surface are encoded once a document; offsets are written as digits in place; the lines go out
from one C buffer of about 1 MB, reused (a fresh buffer the size of a block's output cost a
page fault every 4 KiB). The caller gives a binary stream (:mod:`geodata.geoparse.stream`). Imported by
:mod:`geodata.geoparse._hotpath`; tests/geoparse/test_compiled.py checks both against the
pure-Python lines.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdlib cimport free, realloc
from libc.string cimport memcpy


cdef struct Buf:
    char *p
    size_t n, cap


cdef int _grow(Buf *buf, size_t more) except -1:
    cdef size_t cap = buf.cap * 2 if buf.cap else 1 << 20
    cdef char *p
    while cap < buf.n + more:
        cap *= 2
    p = <char *>realloc(buf.p, cap)
    if p == NULL:
        raise MemoryError()
    buf.p, buf.cap = p, cap
    return 0


cdef inline int _put(Buf *buf, bytes part) except -1:
    cdef size_t k = PyBytes_GET_SIZE(part)
    if buf.n + k > buf.cap:
        _grow(buf, k)
    memcpy(buf.p + buf.n, PyBytes_AS_STRING(part), k)
    buf.n += k
    return 0


cdef inline int _put_int(Buf *buf, Py_ssize_t v) except -1:
    """``str(v).encode()`` for an offset (never negative)."""
    cdef char digits[24]
    cdef int k = 24
    if buf.n + 24 > buf.cap:
        _grow(buf, 24)
    while True:
        k -= 1
        digits[k] = 48 + v % 10
        v //= 10
        if v == 0:
            break
    memcpy(buf.p + buf.n, digits + k, 24 - k)
    buf.n += 24 - k
    return 0


cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void *PyUnicode_DATA(object)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index)

cdef const char *_HEX = "0123456789abcdef"


cdef int _put_json(Buf *buf, str text, Py_ssize_t a, Py_ssize_t b) except -1:
    """``json.encoder.encode_basestring(text[a:b]).encode("utf-8")``, straight from the text: what
    ``json.dumps(..., ensure_ascii=False)`` escapes (quote, backslash, control characters) is
    escaped, everything else written as UTF-8 (decoded input holds no lone surrogates)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    cdef unsigned int c  # a code point as a number: Cython treats Py_UCS4 arithmetic as str
    cdef char *p
    if buf.n + 6 * (b - a) + 2 > buf.cap:  # the most a character takes: \u00XX
        _grow(buf, 6 * (b - a) + 2)
    p = buf.p + buf.n
    p[0] = 34
    p += 1
    for i in range(a, b):
        c = <unsigned int>PyUnicode_READ(kind, data, i)
        if c < 0x80:
            if c >= 0x20 and c != 34 and c != 92:
                p[0] = <char>c
                p += 1
            else:
                p[0] = 92
                if c == 34 or c == 92:
                    p[1] = <char>c
                elif c == 10 or c == 13 or c == 9 or c == 8 or c == 12:
                    p[1] = <char>(110 if c == 10 else 114 if c == 13 else 116 if c == 9 else 98 if c == 8 else 102)
                else:
                    p[1], p[2], p[3], p[4], p[5] = 117, 48, 48, _HEX[c >> 4], _HEX[c & 15]
                    p += 4
                p += 2
        elif c < 0x800:
            p[0], p[1] = <char>(0xC0 | (c >> 6)), <char>(0x80 | (c & 0x3F))
            p += 2
        elif c < 0x10000:
            p[0], p[1], p[2] = <char>(0xE0 | (c >> 12)), <char>(0x80 | ((c >> 6) & 0x3F)), <char>(0x80 | (c & 0x3F))
            p += 3
        else:
            p[0], p[1] = <char>(0xF0 | (c >> 18)), <char>(0x80 | ((c >> 12) & 0x3F))
            p[2], p[3] = <char>(0x80 | ((c >> 6) & 0x3F)), <char>(0x80 | (c & 0x3F))
            p += 4
    p[0] = 34
    buf.n = p + 1 - buf.p
    return 0


cdef inline int _put_c(Buf *buf, const char *s, size_t k) except -1:
    if buf.n + k > buf.cap:
        _grow(buf, k)
    memcpy(buf.p + buf.n, s, k)
    buf.n += k
    return 0


cdef enum:
    FLUSH = 1 << 20  # bytes handed to ``write`` at a time: the buffer stays in the cache, its pages mapped


cdef int _flush(Buf *buf, object write) except -1:
    if buf.n:
        write(PyBytes_FromStringAndSize(buf.p, buf.n))
        buf.n = 0
    return 0


def write_bytes(object write, str text, list mentions, bint sentences, Py_ssize_t offset, dict heads, object head_of,
                object enc, dict surfaces):
    """The lines of :func:`geodata.geoparse.jsonlines.render_lines`, UTF-8, handed to ``write``
    (a binary stream's) in pieces of about 1 MB, each ending with a line.

    ``heads`` keeps each place's fixed parts as bytes, ``surfaces`` each surface's closing
    part (``, "text": "…"}`` and the newline): pass the same dicts for every block of one document.
    """
    cdef Py_ssize_t a, b, sa, sb, last_sa = -1, last_sb = -1
    cdef Buf buf, mid  # the lines, and the current sentence's part of a line (written once, copied per mention)
    cdef bytes tail
    cdef tuple head
    buf.p, buf.n, buf.cap = NULL, 0, 0
    mid.p, mid.n, mid.cap = NULL, 0, 0
    try:
        _grow(&buf, FLUSH + 4096)
        for m in mentions:
            a, b, sa, sb, place, conf, alts, kind = m
            key = (id(alts), conf, id(place), kind)
            head = heads.get(key)
            if head is None:
                parts = head_of(place, conf, alts, kind)
                head = heads[key] = (parts[0].encode("utf-8"), parts[1].encode("utf-8"))
            surface = text[a:b]
            tail = surfaces.get(surface)
            if tail is None:
                tail = surfaces[surface] = f', "text": {enc(surface)}}}\n'.encode("utf-8")
            if sa != last_sa or sb != last_sb:
                last_sa, last_sb = sa, sb
                mid.n = 0
                if sentences:
                    _put_c(&mid, b'"sentence": ', 12)
                    _put_json(&mid, text, sa, sb)
                    _put_c(&mid, b', ', 2)
                _put_c(&mid, b'"sentence_end": ', 16)
                _put_int(&mid, sb + offset)
                _put_c(&mid, b', "sentence_start": ', 20)
                _put_int(&mid, sa + offset)
                _put_c(&mid, b', "start": ', 11)
            _put(&buf, <bytes>head[0])
            _put_int(&buf, b + offset)
            _put(&buf, <bytes>head[1])
            _put_c(&buf, mid.p, mid.n)
            _put_int(&buf, a + offset)
            _put(&buf, tail)
            if buf.n >= FLUSH:
                _flush(&buf, write)
        _flush(&buf, write)
    finally:
        free(buf.p)
        free(mid.p)


def render(str text, list mentions, bint sentences, Py_ssize_t offset, dict heads, object head_of, object enc):
    """The chunks of :func:`geodata.geoparse.jsonlines.render_lines` (a generator, 2,048 lines each)."""
    cdef Py_ssize_t a, b, sa, sb, last_sa = -1, last_sb = -1
    cdef list lines = []
    cdef str middle = u"", sentence
    cdef tuple head
    for m in mentions:
        a, b, sa, sb, place, conf, alts, kind = m
        key = (id(alts), conf, id(place), kind)
        head = heads.get(key)
        if head is None:
            head = heads[key] = head_of(place, conf, alts, kind)
        if sa != last_sa or sb != last_sb:
            last_sa, last_sb = sa, sb
            sentence = f'"sentence": {enc(text[sa:sb])}, ' if sentences else u""
            middle = f'{sentence}"sentence_end": {sb + offset}, "sentence_start": {sa + offset}, "start": '
        lines.append(f'{head[0]}{b + offset}{head[1]}{middle}{a + offset}, "text": {enc(text[a:b])}}}\n')
        if len(lines) >= 2048:
            yield u"".join(lines)
            lines = []
    if lines:
        yield u"".join(lines)
