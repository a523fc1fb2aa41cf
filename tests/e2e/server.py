"""Start and stop a real ``streamlit run dashboard/app.py`` server on a free local port.

Shared by the end-to-end tests (tests/e2e) and the dashboard benchmark (bench/), so both drive
the page exactly as a user's ``streamlit run`` serves it. Never imported by the app itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

__all__ = ["free_port", "running_server", "start_server", "stop_server"]

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int | None = None, poll_s: float = 0.05, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start the dashboard and wait until ``/_stcore/health`` answers; return the process and base URL.

    ``poll_s`` is how often the health endpoint is asked (the benchmark times start-up with it).
    ``env`` adds to (or overrides) the server's environment, e.g. ``{"QANTAR_DB": path}`` for its store.
    The server's output goes to a temporary file, read back only to explain a failed start.

    Raises
    ------
    RuntimeError
        If the server exits, or does not answer within ``STARTUP_TIMEOUT_S`` seconds.
    """
    port = free_port() if port is None else port
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"streamlit exited {proc.returncode}: {tail}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(poll_s)
    proc.kill()
    raise RuntimeError(f"streamlit did not answer on port {port} within {STARTUP_TIMEOUT_S} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """A dashboard server for the ``with`` block: ``(process, base URL)``, stopped on the way out.

    ``env`` as for :func:`start_server` (e.g. a server with its own ``QANTAR_DB``).
    """
    proc, url = start_server(env=env)
    try:
        yield proc, url
    finally:
        stop_server(proc)
