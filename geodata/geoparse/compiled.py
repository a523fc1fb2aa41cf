"""The compiled hot path (:mod:`geodata.geoparse._hotpath`, Cython), when it is built and wanted.

``pip install -e .`` (run by ``scripts/setup.sh``) compiles ``_hotpath.pyx`` with the machine's C
compiler. Without it, or with ``QANTAR_PURE_PYTHON=1`` in the environment, the geoparser runs
its pure-Python loops, which are the reference: both give byte-identical output
(tests/geoparse/test_compiled.py).
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["PURE_PYTHON_ENV", "hot", "load_hot"]

PURE_PYTHON_ENV = "QANTAR_PURE_PYTHON"


def load_hot() -> ModuleType | None:
    """The compiled module, or None if it is not built or ``QANTAR_PURE_PYTHON`` is set (not "0" or empty)."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        import geodata.geoparse._hotpath as _hotpath
    except ImportError:  # not built (no C compiler at install, or a plain checkout): the pure-Python loops
        return None
    return _hotpath


hot = load_hot()
