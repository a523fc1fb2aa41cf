"""Streamlit's front end sent gzip-compressed, from a mirror compressed once per Streamlit version.

Streamlit 1.67 serves its own ``/static/`` bundles uncompressed on purpose: its
``SelectiveGZipMiddleware`` skips them because compressing at the origin costs CPU on every
request, and it expects a compressing reverse proxy in production. The atlas usually runs
with no proxy (a laptop, offline, ``streamlit run``), and uncompressed the map page is about
5 MB, 4.5 MB of it Streamlit's JavaScript.

So :func:`ensure_mirror` copies every compressible file of Streamlit's ``static/static/`` into
the user cache (``~/.cache/qantar-atlas/streamlit-static-<version>/``) with a gzip twin
beside it (servestatic's ``Compressor``, gzip -9, about 1 s once per machine), and
:func:`middleware` serves that mirror through ServeStatic (WhiteNoise for ASGI) in front of
Streamlit: ``Accept-Encoding`` negotiation, ``Vary``, ETags and immutable cache headers come
from the library, not from us. Paths the mirror does not hold (fonts and images, which are
compressed already; the page, the websocket, components, ``/app/static/``) fall through to
Streamlit untouched. ``dashboard/app.py`` installs the middleware with ``st.App``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import streamlit
from servestatic import ServeStaticASGI
from servestatic.compress import Compressor
from servestatic.utils import decode_path_info
from starlette.middleware import Middleware

from geodata.files import cache_dir, publish_dir

__all__ = ["COMPLETE", "ensure_mirror", "middleware", "mirror_dir", "streamlit_static_dir"]

COMPLETE = "COMPLETE"  # written last: a mirror without it is half built and is rebuilt


def streamlit_static_dir() -> Path:
    """The installed Streamlit's hashed front-end bundles (served at ``/static/``)."""
    return Path(streamlit.__file__).resolve().parent / "static" / "static"


def mirror_dir(root: Path | None = None) -> Path:
    """Where the compressed mirror of this Streamlit version lives (or will live)."""
    return (root or cache_dir()) / f"streamlit-static-{streamlit.__version__}"


def _build(source: Path, target: Path) -> int:
    """Copy and gzip every compressible file of ``source`` into ``target``; return the file count."""
    compressor = Compressor(use_brotli=False, use_zstd=False, quiet=True)
    count = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or not compressor.should_compress(path.name):
            continue
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        compressor.compress(dest)  # writes dest.gz when gzip makes it smaller
        count += 1
    return count


def ensure_mirror(root: Path | None = None, source: Path | None = None) -> Path:
    """Build the compressed mirror if this Streamlit version has none yet; return its directory.

    The mirror is built in a temporary directory beside its final place and renamed into
    place whole, so two servers starting together never serve half a mirror: the second
    rename fails and its copy is discarded.

    Parameters
    ----------
    root : pathlib.Path, optional
        Cache directory to hold the mirror (default :func:`geodata.files.cache_dir`).
    source : pathlib.Path, optional
        Directory to mirror (default :func:`streamlit_static_dir`).

    Raises
    ------
    RuntimeError
        If Streamlit's front end is missing (a broken install) or the cache is not writable.
    """
    source = source or streamlit_static_dir()
    final = mirror_dir(root)
    if (final / COMPLETE).is_file():
        return final
    if not source.is_dir():
        raise RuntimeError(f"{source}: Streamlit's front end is missing; reinstall it (`pip install -r requirements.txt`)")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}."))
    except OSError as exc:
        raise RuntimeError(f"{final.parent}: cannot write the compressed front end there ({exc.strerror}); "
                           "set XDG_CACHE_HOME to a writable directory") from exc
    try:
        count = _build(source, work)
        (work / COMPLETE).write_text(f"{count} files\n", encoding="utf-8")  # no path: nothing about the install
        publish_dir(work, final, COMPLETE)  # a half-built mirror is replaced; a concurrent start's kept
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return final


def _immutable(path: str, url: str) -> bool:
    # Every file under /static/ carries its content hash in its name (Streamlit marks them
    # "public, immutable, max-age=1 year" too), so a browser never has to ask again.
    return True


class _MirrorASGI(ServeStaticASGI):
    """ServeStatic over the mirror, its files sent from memory.

    ServeStatic streams a file through a thread of its own per request (a new thread pool
    each time) unless the ASGI server offers the ``http.response.pathsend`` extension;
    uvicorn does not. A first visit asks for about 100 files at once, so those threads and
    their hand-offs kept the server's event loop busy (py-spy: about half of its busy time on
    a new reader's visit). So this class offers the extension itself, for mirror files only:
    ServeStatic still picks the file (gzip twin or not) and writes every header, and the body
    comes from memory, each file read once. The mirror is a fixed set of files, so memory
    is bounded by what the pages ask for (about 1.5 MB for the map page).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bodies: dict[str, bytes] = {}

    def add_files(self, root, prefix=None) -> None:
        # minus the mirror's own marker file (Streamlit has no such file)
        super().add_files(root, prefix)
        self.files = {url: f for url, f in self.files.items() if url.rsplit("/", 1)[-1] != COMPLETE}

    def _body(self, path: str) -> bytes:
        body = self._bodies.get(path)
        if body is None:
            body = self._bodies[path] = Path(path).read_bytes()
        return body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or decode_path_info(scope["path"]) not in self.files:
            await super().__call__(scope, receive, send)  # Streamlit's, unchanged
            return
        scope = {**scope, "extensions": {**(scope.get("extensions") or {}), "http.response.pathsend": {}}}

        async def sending(message) -> None:
            if message["type"] == "http.response.pathsend":
                message = {"type": "http.response.body", "body": self._body(message["path"]), "more_body": False}
            await send(message)

        await super().__call__(scope, receive, sending)


def middleware(base_url_path: str = "", root: Path | None = None) -> list[Middleware]:
    """The ASGI middleware that serves the compressed mirror at ``/<base>/static/``.

    Parameters
    ----------
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (``""`` when served at the root).
    root : pathlib.Path, optional
        Cache directory for the mirror (default :func:`geodata.files.cache_dir`).
    """
    base = base_url_path.strip("/")
    prefix = f"{base}/static/" if base else "static/"
    return [Middleware(_MirrorASGI, root=str(ensure_mirror(root)), prefix=prefix,
                       allow_all_origins=False, immutable_file_test=_immutable)]
