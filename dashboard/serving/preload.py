"""The map page's Streamlit scripts asked for at once, not one wave after another.

Streamlit's page (``index.html``) lists its start-up scripts as ``<link rel="modulepreload">``,
so the browser fetches them side by side. Each widget's script, though, is fetched only when
the first element of its kind arrives on the websocket, and then its imports, one level at a
time: on a first visit to the map page about 40 scripts were fetched after the websocket
opened, 1.36 s to 1.91 s into the visit (a headless Chromium waterfall, ``bench/``), and the
map's iframe could only be created after them.

:class:`PreloadMiddleware` adds ``modulepreload`` links for the scripts of the widgets the map
page draws (:data:`ELEMENTS`) and every script they import, found by reading the installed
Streamlit's bundles (:func:`chunk_closure`): the browser then fetches and compiles them while
the page's own scripts start, before the websocket opens. Nothing else changes: the same
files, from the same compressed mirror (``compression.py``), each asked for once.

The names in :data:`ELEMENTS` are Streamlit's front-end element names (the stem of each
lazily loaded bundle, ``Multiselect.<hash>.js``); :func:`chunk_closure` raises if one is
missing, so an upgrade that renames a bundle fails the tests instead of silently preloading
nothing, and an e2e test checks that no script of the map page is still fetched late.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from dashboard.serving.compression import streamlit_static_dir

__all__ = ["ELEMENTS", "PreloadMiddleware", "chunk_closure", "inject", "preload_links"]

# The widgets of the map page (dashboard/main.py's sidebar and views/atlas.py), by Streamlit's
# name for their bundle: date range, source and type pickers, the day slider, the claim-setting
# select boxes, buttons, the HTML panels, the map (a component instance) and the segmented
# control of the place list.
ELEMENTS = ("ButtonGroup", "Button", "ComponentInstance", "DateInput", "Html", "Multiselect", "Selectbox", "Slider")

# Static imports in a bundle: `import{a as b}from"./X.js"` and side-effect `import"./X.js"`.
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([A-Za-z0-9_.-]+\.js)"')
# What index.html already preloads or loads as its entry script.
_LISTED = re.compile(r'(?:href|src)="\./static/js/([A-Za-z0-9_.-]+\.js)"')
_HEAD_END = b"</head>"
_ENTRY = b'src="./static/js/index.'  # marks Streamlit's own page, not a component's index.html


def _bundle(js_dir: Path, element: str) -> str:
    matches = sorted(p.name for p in js_dir.glob(f"{element}.*.js") if re.fullmatch(rf"{re.escape(element)}\.[A-Za-z0-9_-]+\.js", p.name))
    if len(matches) != 1:
        raise RuntimeError(f"{js_dir}: expected one bundle for Streamlit element {element!r}, found {len(matches)}; "
                           "update dashboard/serving/preload.py ELEMENTS for this Streamlit version")
    return matches[0]


def chunk_closure(elements: tuple[str, ...] = ELEMENTS, js_dir: Path | None = None) -> list[str]:
    """The bundles of ``elements`` and every bundle they import, transitively, sorted by name.

    Parameters
    ----------
    elements : tuple of str
        Streamlit front-end element names (bundle stems).
    js_dir : pathlib.Path, optional
        Streamlit's ``static/static/js`` directory (default: the installed Streamlit's).

    Raises
    ------
    RuntimeError
        If an element has no bundle (or several), or a bundle imports a file that is missing.
    """
    js_dir = js_dir or streamlit_static_dir() / "js"
    todo = [_bundle(js_dir, e) for e in elements]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = js_dir / name
        if not path.is_file():
            raise RuntimeError(f"{path}: imported by a Streamlit bundle but missing; reinstall Streamlit")
        seen.add(name)
        todo.extend(_IMPORT.findall(path.read_text(encoding="utf-8")))
    return sorted(seen)


def preload_links(index_html: str, elements: tuple[str, ...] = ELEMENTS, js_dir: Path | None = None) -> str:
    """The ``<link rel="modulepreload">`` tags to add to ``index_html``: the closure minus what it lists."""
    listed = set(_LISTED.findall(index_html))
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">'
                   for name in chunk_closure(elements, js_dir) if name not in listed)


@functools.lru_cache(maxsize=4)  # one page per Streamlit version; bounded all the same
def _links_for(index_html: str) -> bytes:
    return preload_links(index_html).encode("utf-8")


def inject(body: bytes) -> bytes:
    """Streamlit's page with the preload links before ``</head>``; any other HTML unchanged."""
    if _ENTRY not in body or _HEAD_END not in body:
        return body
    links = _links_for(body.decode("utf-8"))
    return body.replace(_HEAD_END, links + _HEAD_END, 1)


class PreloadMiddleware:
    """ASGI middleware: adds the preload links to Streamlit's page as it is sent.

    It wraps Streamlit's own middleware (``st.App`` puts user middleware outside), so the page
    may arrive gzip-compressed: it is decompressed, changed and compressed again, with its
    ``Content-Length`` corrected. Every other response passes through untouched, streamed.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        chunks: list[bytes] = []

        async def wrapped(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # hold it: the length changes
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await _send_changed(send, start, b"".join(chunks))
            else:
                await send(message)

        await self.app(scope, receive, wrapped)


async def _send_changed(send, start: dict, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
    gzipped = (b"content-encoding", b"gzip") in headers
    page = gzip.decompress(body) if gzipped else body
    changed = inject(page)
    if changed is not page:
        body = gzip.compress(changed, mtime=0) if gzipped else changed
    headers.append((b"content-length", str(len(body)).encode("ascii")))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
