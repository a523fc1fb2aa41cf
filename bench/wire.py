"""Bytes on the wire: a local TCP relay that counts what a server sends to a browser.

The dashboard benchmark points Chromium at the relay instead of the server, so the page's
payload is measured where it is paid: every byte the server writes to the sockets (HTTP
status lines, headers and bodies as sent, compressed or not, and websocket frames after
permessage-deflate), not the decoded sizes the browser reports. TCP/IP framing is not
counted. Used by ``bench/bench_dashboard.py`` only; adds latency, so nothing is timed
through it.
"""

from __future__ import annotations

import asyncio
import socket
import threading

__all__ = ["CountingRelay"]


class CountingRelay:
    """Relay ``127.0.0.1:<port>`` to ``127.0.0.1:<target_port>`` in a background thread.

    ``received`` counts bytes from the server to the client, ``sent`` the other way.
    Use as a context manager; :meth:`reset` zeroes the counters between measurements.
    """

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.received = 0
        self.sent = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="counting-relay", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()  # open sockets, closed at shutdown
        self._handlers: set[asyncio.Task] = set()
        with socket.socket() as s:  # the OS picks a free port; the relay binds it right after
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def reset(self) -> None:
        """Zero both counters."""
        with self._lock:
            self.received = self.sent = 0

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, downstream: bool) -> None:
        try:
            while chunk := await reader.read(65536):
                with self._lock:
                    if downstream:
                        self.received += len(chunk)
                    else:
                        self.sent += len(chunk)
                writer.write(chunk)
                await writer.drain()
        except ConnectionError:
            return  # a side hung up mid-transfer (a browser closing a tab); what passed is counted
        finally:
            writer.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self._handlers.add(asyncio.current_task())
        self._writers.add(client_writer)
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except ConnectionError:
            client_writer.close()
            return
        self._writers.add(server_writer)
        await asyncio.gather(self._pipe(client_reader, server_writer, downstream=False),
                             self._pipe(server_reader, client_writer, downstream=True))
        self._writers -= {client_writer, server_writer}

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> "CountingRelay":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"the counting relay did not start on port {self.port}")
        return self

    async def _shutdown(self) -> None:
        # Close every socket rather than cancel the pipes: each read then ends, each pipe
        # returns, and asyncio has no half-cancelled stream callbacks to complain about.
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        pending = [t for t in self._handlers if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=5)

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
