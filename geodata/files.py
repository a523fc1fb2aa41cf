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

__all__ = ["atomic_copy", "atomic_write_bytes", "cache_dir", "publish_dir"]


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


def publish_dir(work: Path, final: Path, marker: str) -> None:
    """Rename the finished folder ``work`` to ``final``, unless a concurrent build finished first.

    A build fills ``work`` (beside ``final``, on the same file system) and writes the file
    ``marker`` in it last, so a ``final`` holding ``marker`` is complete. One without it (a build
    interrupted before its rename) is removed first. When the rename fails because another
    process has published a complete ``final`` meanwhile, that one is kept and ``work`` is left
    for the caller to remove; any other failure is raised.
    """
    if final.exists() and not (final / marker).is_file():
        shutil.rmtree(final, ignore_errors=True)
    try:
        os.rename(work, final)
    except OSError:
        if not (final / marker).is_file():
            raise
