"""Truly offline: started as the README says (headless, no address), the server tries no outbound connection.

Streamlit 1.67 started headless without ``browser.serverAddress`` looks up the machine's
external IP on the internet (``net_util.get_external_ip``, log line "Did not auto detect
external IP") and its LAN address (a UDP ``connect`` to 8.8.8.8). ``.streamlit/config.toml``
sets ``browser.serverAddress = "localhost"``, which skips both. The server runs under
``strace -f -e trace=connect``: every ``connect`` any of its threads or children attempts is
recorded, whether or not the network is reachable.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.server import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = re.compile(r'sin6?_addr=inet_(?:addr|pton)\((?:AF_INET6, )?"(127\.[0-9.]+|::1|::ffff:127\.[0-9.]+)"')


def outbound(trace: str) -> list[str]:
    """The ``connect`` calls of an strace log that go to an IP address other than loopback."""
    calls = [line for line in trace.splitlines() if "connect(" in line and ("AF_INET" in line)]
    return [line for line in calls if not LOOPBACK.search(line)]


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop strace and the server it traces (their own process group); fail if one outlives it."""
    group = proc.pid  # start_new_session: the group's id is strace's pid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, sig)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            proc.poll()  # reap strace
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
    raise AssertionError(f"process group {group} (strace and the server) is still running")


def test_outbound_filter_reads_strace_lines():
    lines = ('123 connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("52.2.3.4")}, 16) = -1\n'
             '123 connect(6, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
             '123 connect(7, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n')
    assert outbound(lines) == [lines.splitlines()[0]]


def test_headless_start_and_a_visit_attempt_no_outbound_connection(tmp_path):
    if shutil.which("strace") is None:  # scripts/setup.sh --browser installs it; CI must not skip
        if os.environ.get("CI"):
            pytest.fail("strace is missing; run scripts/setup.sh --browser")
        pytest.skip("strace is not installed (scripts/setup.sh --browser installs it)")
    port = free_port()
    trace, log = tmp_path / "connect.trace", tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace),
             sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
             "--server.headless", "true", "--server.port", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200
        time.sleep(3)  # the external-IP lookup ran within about 2 s of start-up when it ran at all
    finally:
        # The whole process group: stopped alone, strace detaches and leaves the server running.
        _stop_group(proc)
    text = log.read_text(errors="replace")
    assert "Did not auto detect external IP" not in text, text
    assert "External URL" not in text and "Network URL" not in text, text
    assert outbound(trace.read_text(errors="replace")) == []
