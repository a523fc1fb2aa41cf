"""Where the project's derived files live, and how they are written without ever being half there.

One cache folder for everything rebuilt on a user's machine (the geoparser's name index, the
dashboard's compressed front end): ``$XDG_CACHE_HOME/qantar-atlas`` or ``~/.cache/qantar-atlas``.
Every write goes to a temporary file in the target's folder and is renamed into place, so a
reader (another process, a concurrent server) sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_copy", "atomic_write_bytes", "cache_dir"]


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/qantar-atlas`` (or ``~/.cache/qantar-atlas``); not created here."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qantar-atlas"


def _replace_via_temp(dest: Path, fill) -> None:
    """Create a temporary file beside ``dest``, let ``fill(tmp_path)`` write it, rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        fill(tmp)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):  # only when fill or the rename failed
            os.unlink(tmp)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (the folder must exist).

    Raises
    ------
    OSError
        If the folder is not writable or the disk is full; ``path`` is then unchanged.
    """
    def fill(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    _replace_via_temp(Path(path), fill)


def atomic_copy(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically (the folder of ``dest`` must exist)."""
    _replace_via_temp(Path(dest), lambda tmp: shutil.copyfile(src, tmp))
