# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The JSON Lines writer of the compiled hot path: the twin of
:func:`geodata.geoparse.jsonlines.render_lines`, as text chunks (:func:`render`) or as the UTF-8
bytes of a whole block (:func:`render_bytes`).

Output is 4.7 bytes a byte of news text, most of it each mention's sentence: formatting every
line as a str, joining the lines and encoding the chunk to UTF-8 on the way out copied it three
times. :func:`render_bytes` encodes each distinct part once (a place's fixed parts, a sentence,
a surface) and copies the bytes into one C buffer, the offsets written as digits in place; the
caller hands the block to a binary stream (:mod:`geodata.geoparse.stream`). Imported by
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


def render_bytes(str text, list mentions, bint sentences, Py_ssize_t offset, dict heads, object head_of, object enc,
                 dict surfaces):
    """The lines of :func:`geodata.geoparse.jsonlines.render_lines` as one ``bytes`` (UTF-8).

    ``heads`` keeps each place's fixed parts as bytes, ``surfaces`` each surface's closing
    part (``, "text": "…"}`` and the newline): pass the same dicts for every block of one document.
    """
    cdef Py_ssize_t a, b, sa, sb, last_sa = -1, last_sb = -1
    cdef Buf buf
    cdef bytes middle = b"", tail
    cdef tuple head
    buf.p, buf.n, buf.cap = NULL, 0, 0
    try:
        for m in mentions:
            a, b, sa, sb, place, conf, alts, kind = m
            key = (id(alts), conf, id(place), kind)
            head = heads.get(key)
            if head is None:
                parts = head_of(place, conf, alts, kind)
                head = heads[key] = (parts[0].encode("utf-8"), parts[1].encode("utf-8"))
            if sa != last_sa or sb != last_sb:
                last_sa, last_sb = sa, sb
                sentence = f'"sentence": {enc(text[sa:sb])}, ' if sentences else u""
                middle = f'{sentence}"sentence_end": {sb + offset}, "sentence_start": {sa + offset}, "start": '.encode("utf-8")
            surface = text[a:b]
            tail = surfaces.get(surface)
            if tail is None:
                tail = surfaces[surface] = f', "text": {enc(surface)}}}\n'.encode("utf-8")
            _put(&buf, <bytes>head[0])
            _put_int(&buf, b + offset)
            _put(&buf, <bytes>head[1])
            _put(&buf, middle)
            _put_int(&buf, a + offset)
            _put(&buf, tail)
        return PyBytes_FromStringAndSize(buf.p, buf.n) if buf.n else b""
    finally:
        free(buf.p)


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
