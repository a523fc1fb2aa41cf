"""The compressed front end serves Streamlit's files only: nothing about the install, no marker file."""

from __future__ import annotations

import asyncio
import threading

from dashboard.serving import compression


async def _fallthrough(scope, receive, send):
    """Stands in for Streamlit: 404 for anything the mirror does not serve."""
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"streamlit"})


def get(app, path: str) -> tuple[int, bytes]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost"), (b"accept-encoding", b"gzip")], "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1234)}
    # In a thread of its own: after the e2e tests, Playwright's sync API leaves an event loop
    # running in the main thread, where asyncio.run() refuses to start another.
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def test_marker_is_not_served_and_holds_no_path(tmp_path):
    src = tmp_path / "src"
    (src / "js").mkdir(parents=True)
    (src / "js" / "index.ABC123.js").write_text("console.log('atlas');\n" * 400, encoding="utf-8")
    root = tmp_path / "cache"
    compression.ensure_mirror(root, source=src)  # built from the stand-in; middleware() finds it complete
    (mw,) = compression.middleware("", root=root)
    app = mw.cls(_fallthrough, **mw.kwargs)
    assert get(app, "/static/js/index.ABC123.js")[0] == 200
    status, body = get(app, f"/static/{compression.COMPLETE}")
    assert (status, body) == (404, b"streamlit")
    marker = (compression.mirror_dir(root) / compression.COMPLETE).read_text(encoding="utf-8")
    assert str(tmp_path) not in marker and "/" not in marker
