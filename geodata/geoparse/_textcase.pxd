# Letter-case tests on a slice of a str, shared by the compiled scan (_trie.pyx) and the per-hit
# loops (_hotpath.pyx). Inline functions in a .pxd are compiled into each module that cimports
# them: no module of their own, no call between modules.

from cpython.unicode cimport Py_UNICODE_ISTITLE


cdef inline bint _islower(str text, Py_ssize_t a, Py_ssize_t b):
    """``text[a:b].islower()`` (CPython's algorithm)."""
    cdef bint cased = False
    cdef Py_UCS4 ch
    cdef Py_ssize_t i
    for i in range(a, b):
        ch = text[i]
        if ch.isupper() or Py_UNICODE_ISTITLE(ch):  # not ch.istitle(): Cython's is true for capitals too
            return False
        if not cased and ch.islower():
            cased = True
    return cased


cdef inline bint _isupper(str text, Py_ssize_t a, Py_ssize_t b):
    """``text[a:b].isupper()`` (CPython's algorithm)."""
    cdef bint cased = False
    cdef Py_UCS4 ch
    cdef Py_ssize_t i
    for i in range(a, b):
        ch = text[i]
        if ch.islower() or Py_UNICODE_ISTITLE(ch):  # not ch.istitle(): Cython's is true for capitals too
            return False
        if not cased and ch.isupper():
            cased = True
    return cased
