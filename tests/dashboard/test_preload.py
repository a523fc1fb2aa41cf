"""The map page's widget scripts preloaded from Streamlit's page (dashboard/serving/preload.py)."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from dashboard.serving import preload
from dashboard.serving.compression import streamlit_static_dir

INDEX = ('<html><head><script type="module" crossorigin src="./static/js/index.E1.js"></script>'
         '<link rel="modulepreload" crossorigin href="./static/js/runtime.R1.js"></head><body></body></html>')


@pytest.fixture
def js_dir(tmp_path):
    """Bundles as Streamlit's build writes them: a widget importing shared chunks, one cycle, one entry."""
    files = {
        "index.E1.js": 'import{a}from"./runtime.R1.js";',
        "runtime.R1.js": "export const a=1;",
        "Slider.S1.js": 'import{a}from"./runtime.R1.js";import{b}from"./useField.F1.js";import"./side.X1.js";'
                        'import{i}from"./index.E1.js";',
        "useField.F1.js": 'import{c}from"./cycle.C1.js";export const b=2;',
        "cycle.C1.js": 'import{b}from"./useField.F1.js";export const c=3;',
        "side.X1.js": "window.x=1;",
        "SliderTrack.T1.js": "export const unrelated=1;",  # same prefix, another element: not the slider's
        "Unused.U1.js": 'import{a}from"./runtime.R1.js";',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_closure_holds_the_widget_and_every_import_transitively_and_nothing_else(js_dir):
    got = preload.chunk_closure(("Slider",), js_dir)
    assert got == ["Slider.S1.js", "cycle.C1.js", "index.E1.js", "runtime.R1.js", "side.X1.js", "useField.F1.js"]


def test_links_leave_out_what_the_page_lists_already(js_dir):
    links = preload.preload_links(INDEX, ("Slider",), js_dir)
    hrefs = [part.split('"')[0] for part in links.split('href="./static/js/')[1:]]
    assert hrefs == ["Slider.S1.js", "cycle.C1.js", "side.X1.js", "useField.F1.js"]
    assert links.count("<link") == 4 and 'rel="modulepreload" crossorigin' in links


def test_a_renamed_or_missing_bundle_is_a_one_line_error(js_dir):
    with pytest.raises(RuntimeError, match="expected one bundle for Streamlit element 'Chart', found 0"):
        preload.chunk_closure(("Chart",), js_dir)
    (js_dir / "useField.F1.js").unlink()
    with pytest.raises(RuntimeError, match="useField.F1.js: imported by a Streamlit bundle but missing"):
        preload.chunk_closure(("Slider",), js_dir)


def test_every_element_of_the_map_page_has_one_bundle_in_the_installed_streamlit():
    js = streamlit_static_dir() / "js"
    closure = preload.chunk_closure()
    assert all((js / name).is_file() for name in closure)
    for element in preload.ELEMENTS:
        assert sum(name.startswith(f"{element}.") for name in closure) == 1, element
    index = (streamlit_static_dir().parent / "index.html").read_text(encoding="utf-8")
    added = preload.preload_links(index)
    assert added and "index." not in added  # the entry script is loaded by the page itself
    assert all(f"{e}." in added for e in preload.ELEMENTS)


def _serve(body: bytes, content_type: bytes, encoding: bytes | None, method: str = "GET", status: int = 200):
    """Run the middleware around a small ASGI app that sends ``body`` in two parts; return what went out."""
    async def inner(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": method, "path": "/", "headers": []}
    asyncio.run(preload.PreloadMiddleware(inner)(scope, receive, send))
    headers = dict(sent[0]["headers"])
    body_out = b"".join(m.get("body", b"") for m in sent[1:])
    assert int(headers[b"content-length"]) == len(body_out)
    return headers, body_out


def _streamlit_page() -> bytes:
    return (streamlit_static_dir().parent / "index.html").read_bytes()


@pytest.mark.parametrize("encoding", [None, b"gzip"])
def test_streamlit_page_gets_the_links_compressed_or_not(encoding):
    page = _streamlit_page()
    headers, body = _serve(gzip.compress(page) if encoding else page, b"text/html; charset=utf-8", encoding)
    text = gzip.decompress(body) if encoding else body
    assert headers.get(b"content-encoding") == encoding
    links = preload.preload_links(page.decode()).encode()
    assert text == page.replace(b"</head>", links + b"</head>", 1)


@pytest.mark.parametrize("body, content_type, method, status", [
    (b"<html><head></head><body>a component</body></html>", b"text/html", "GET", 200),  # not Streamlit's page
    (b"console.log(1)", b"application/javascript", "GET", 200),
    (None, b"text/html", "HEAD", 200),
    (None, b"text/html", "GET", 404),
])
def test_anything_else_passes_through_unchanged(body, content_type, method, status):
    body = body if body is not None else _streamlit_page()
    assert _serve(body, content_type, None, method, status)[1] == body
