"""The compressed mirror of Streamlit's front end (dashboard/compression.py)."""

from __future__ import annotations

import gzip
import os

import pytest

from dashboard.serving import compression


@pytest.fixture
def small_source(tmp_path):
    """A tiny stand-in for streamlit/static/static: text to compress, a font to leave alone."""
    src = tmp_path / "src"
    (src / "js").mkdir(parents=True)
    (src / "media").mkdir()
    (src / "js" / "index.ABC123.js").write_text("console.log('atlas');\n" * 400, encoding="utf-8")
    (src / "js" / "tiny.DEF456.js").write_text("x", encoding="utf-8")  # gzip would make it bigger
    (src / "media" / "font.GHI789.woff2").write_bytes(os.urandom(2048))
    return src


def test_mirror_holds_each_compressible_file_and_an_identical_gzip_twin(tmp_path, small_source):
    mirror = compression.ensure_mirror(tmp_path / "cache", small_source)
    assert mirror == compression.mirror_dir(tmp_path / "cache")
    js = mirror / "js" / "index.ABC123.js"
    assert js.read_bytes() == (small_source / "js" / "index.ABC123.js").read_bytes()
    assert gzip.decompress((mirror / "js" / "index.ABC123.js.gz").read_bytes()) == js.read_bytes()
    assert (mirror / "js" / "index.ABC123.js.gz").stat().st_size < js.stat().st_size / 10
    assert (mirror / "js" / "tiny.DEF456.js").is_file() and not (mirror / "js" / "tiny.DEF456.js.gz").exists()
    assert not (mirror / "media").exists(), "fonts are compressed already: Streamlit serves them itself"
    assert (mirror / compression.COMPLETE).read_text(encoding="utf-8").startswith("2 files")


def test_a_complete_mirror_is_reused_and_a_half_built_one_is_rebuilt(tmp_path, small_source):
    cache = tmp_path / "cache"
    mirror = compression.ensure_mirror(cache, small_source)
    stamp = (mirror / compression.COMPLETE).stat().st_mtime_ns
    assert compression.ensure_mirror(cache, small_source) == mirror
    assert (mirror / compression.COMPLETE).stat().st_mtime_ns == stamp
    (mirror / compression.COMPLETE).unlink()  # as if a start was killed half way
    (mirror / "js" / "index.ABC123.js.gz").unlink()
    compression.ensure_mirror(cache, small_source)
    assert (mirror / "js" / "index.ABC123.js.gz").is_file() and (mirror / compression.COMPLETE).is_file()
    assert [p.name for p in cache.iterdir()] == [mirror.name], "no temporary directory left behind"


def test_missing_source_and_unwritable_cache_are_one_line_errors(tmp_path, small_source):
    with pytest.raises(RuntimeError, match=r"front end is missing; reinstall"):
        compression.ensure_mirror(tmp_path / "cache", tmp_path / "nowhere")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"cannot write the compressed front end there.*XDG_CACHE_HOME"):
        compression.ensure_mirror(blocker / "cache", small_source)


@pytest.fixture(scope="module")
def real_root(tmp_path_factory):
    """A cache holding the mirror of the installed Streamlit's front end (about 1 s to build)."""
    root = tmp_path_factory.mktemp("cache")
    compression.ensure_mirror(root)
    return root


def test_the_real_front_end_mirror_covers_every_script_the_page_loads(real_root):
    mirror = compression.ensure_mirror(real_root)
    scripts = sorted(p.relative_to(compression.streamlit_static_dir()) for p in compression.streamlit_static_dir().rglob("*.js"))
    assert len(scripts) > 100
    missing = [str(s) for s in scripts if not (mirror / s).is_file()]
    assert missing == []
    big = max(scripts, key=lambda s: (mirror / s).stat().st_size)
    assert gzip.decompress((mirror / f"{big}.gz").read_bytes()) == (compression.streamlit_static_dir() / big).read_bytes()


@pytest.mark.parametrize("base, prefix", [("", "static/"), ("/atlas/", "atlas/static/")])
def test_middleware_serves_the_mirror_under_the_base_url(real_root, base, prefix):
    (mw,) = compression.middleware(base, root=real_root)
    assert mw.kwargs["prefix"] == prefix and mw.kwargs["allow_all_origins"] is False
    assert mw.kwargs["root"] == str(compression.mirror_dir(real_root))


def _asgi_get(app, path: str, accept_encoding: bytes | None) -> list[dict]:
    """One GET through an ASGI app, as uvicorn sends it (no file-sending extension); the messages sent back."""
    import asyncio

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    headers = [(b"accept-encoding", accept_encoding)] if accept_encoding else []
    asyncio.run(app({"type": "http", "method": "GET", "path": path, "headers": headers, "query_string": b""}, receive, send))
    return sent


def test_mirror_files_are_sent_from_memory_with_servestatics_headers_and_the_rest_falls_through(real_root):
    import threading

    async def streamlit(scope, receive, send):  # stands for Streamlit's app behind the middleware
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-from", b"streamlit")]})
        await send({"type": "http.response.body", "body": scope["path"].encode(), "more_body": False})

    (mw,) = compression.middleware("", root=real_root)
    app = mw.cls(streamlit, **mw.kwargs)
    name = sorted((compression.streamlit_static_dir() / "js").glob("index.*.js"))[0].name
    original = (compression.streamlit_static_dir() / "js" / name).read_bytes()
    threads = threading.active_count()
    start, body = _asgi_get(app, f"/static/js/{name}", b"gzip")
    headers = dict(start["headers"])
    assert [start["type"], body["type"]] == ["http.response.start", "http.response.body"]  # no pathsend leaks out
    assert headers[b"content-encoding"] == b"gzip" and b"immutable" in headers[b"cache-control"]
    assert gzip.decompress(body["body"]) == original and int(headers[b"content-length"]) == len(body["body"])
    start, body = _asgi_get(app, f"/static/js/{name}", None)
    assert b"content-encoding" not in dict(start["headers"]) and body["body"] == original
    assert threading.active_count() == threads  # no thread per file
    assert _asgi_get(app, f"/static/js/{name}", b"gzip")[1]["body"] is _asgi_get(app, f"/static/js/{name}", b"gzip")[1]["body"]
    start, body = _asgi_get(app, "/static/js/COMPLETE", None)
    assert dict(start["headers"]) == {b"x-from": b"streamlit"} and body["body"] == b"/static/js/COMPLETE"
