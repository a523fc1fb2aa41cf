"""Nagle's algorithm off on the server's connections, as asyncio means it to be.

Streamlit 1.67 binds its listening socket itself (so that it can retry ports) with
``socket.socket(family)``, which leaves the socket's ``proto`` at 0. Accepted connections
inherit that ``proto``, and asyncio turns ``TCP_NODELAY`` on only for sockets whose ``proto`` is
``IPPROTO_TCP``. So Nagle's algorithm stayed on: on a connection kept alive, every response
after the first waited for the browser's delayed ACK, about 40 ms on Linux. A first visit asks
for about 100 scripts over the browser's 6 connections per host, so they arrived one per
42 ms per connection: 0.71 s for the page's 101 files over 6 kept-alive connections, 0.03 s with
the option on (measured with ``curl`` and a keep-alive client: 42 ms per request against 1 ms on
a fresh connection; uvicorn's own pre-bound path has the same bug, uvicorn issue 3149).

Streamlit binds before it imports ``dashboard/app.py`` (uvicorn loads the app from its import
string), so there is no binder to wrap in time. :func:`install` instead sets ``TCP_NODELAY`` on
every listening TCP socket the process holds when the app is loaded; Linux copies the option
to each connection accepted from it. It reads the process's descriptors from ``/proc``, so on a
system without ``/proc`` it changes nothing and says so in its return value.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

__all__ = ["install", "listening_tcp_sockets"]

_FD_DIR = Path("/proc/self/fd")


def listening_tcp_sockets() -> list[int]:
    """File descriptors of this process's listening TCP sockets (IPv4 or IPv6), sorted.

    Returns an empty list where ``/proc/self/fd`` does not exist (not Linux).
    """
    if not _FD_DIR.is_dir():
        return []
    found = []
    for entry in sorted(_FD_DIR.iterdir(), key=lambda p: int(p.name)):
        fd = int(entry.name)
        try:
            if not os.readlink(entry).startswith("socket:"):
                continue
        except OSError:  # closed since the listing (the listing's own descriptor, for one)
            continue
        # A duplicate descriptor, so that closing our socket object leaves the caller's open.
        with socket.socket(fileno=os.dup(fd)) as sock:
            if (sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
                    and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)):
                found.append(fd)
    return found


def install() -> list[int]:
    """Set ``TCP_NODELAY`` on every listening TCP socket of this process (idempotent).

    Connections accepted afterwards inherit it, whatever ``proto`` the socket was created with.

    Returns
    -------
    list of int
        The descriptors changed (empty where ``/proc`` is missing or nothing listens yet).
    """
    changed = listening_tcp_sockets()
    for fd in changed:
        with socket.socket(fileno=os.dup(fd)) as sock:  # options belong to the socket, not the descriptor
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return changed
