"""Nagle's algorithm off on the server's connections (dashboard/serving/nodelay.py), on real sockets."""

from __future__ import annotations

import socket

import pytest

from dashboard.serving import nodelay


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.fixture
def streamlit_listener():
    """A listening socket made the way Streamlit 1.67 makes its own: ``socket.socket(family)``, proto 0."""
    sock = socket.socket(family=socket.AF_INET6)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", 0))
    sock.listen(8)
    yield sock
    sock.close()


def _accept_one(listener: socket.socket) -> tuple[socket.socket, socket.socket]:
    client = socket.create_connection(("127.0.0.1", listener.getsockname()[1]), timeout=5)
    accepted, _ = listener.accept()
    return client, accepted


def test_connections_from_such_a_listener_have_nagle_on_until_install_and_off_after(streamlit_listener):
    client, before = _accept_one(streamlit_listener)
    # what asyncio sees: proto 0, so it leaves TCP_NODELAY alone (the bug this module works around)
    assert before.proto == 0 and _nodelay(before) == 0
    changed = nodelay.install()
    assert streamlit_listener.fileno() in changed
    client2, after = _accept_one(streamlit_listener)
    assert _nodelay(after) != 0
    assert _nodelay(before) == 0  # an existing connection is not touched: only the listener changed
    for s in (client, before, client2, after):
        s.close()
    assert nodelay.install() == changed  # idempotent: the same listener, still listening


def test_only_listening_tcp_sockets_are_found(streamlit_listener):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    unix_a, unix_b = socket.socketpair()
    client, accepted = _accept_one(streamlit_listener)
    try:
        found = nodelay.listening_tcp_sockets()
        assert streamlit_listener.fileno() in found
        assert not {udp.fileno(), unix_a.fileno(), client.fileno(), accepted.fileno()} & set(found)
        assert found == sorted(found)
    finally:
        for s in (udp, unix_a, unix_b, client, accepted):
            s.close()


def test_the_callers_descriptors_stay_open(streamlit_listener):
    nodelay.install()
    nodelay.listening_tcp_sockets()
    # the module worked on duplicates: the listener still accepts
    client, accepted = _accept_one(streamlit_listener)
    assert accepted.getpeername()[1] == client.getsockname()[1]
    client.close()
    accepted.close()
