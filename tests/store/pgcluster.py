"""A throwaway PostgreSQL cluster for the store tests, copied from a template made once per machine.

``initdb`` runs the server in bootstrap mode over every system catalogue, and what it writes
depends only on the PostgreSQL version, its options and the locale. So it runs once:
:func:`ensure_template` keeps the initdb'd data directory, the test database already in it, in
the user cache (``~/.cache/qantar-atlas/pg-template-<major>-<key>/``), and :func:`start` copies it
for each test session, into ``/dev/shm`` when there is room there, and starts a server on the copy.
The template is never started itself: each session's server writes to its own copy only.
Measured on the 2-core machine (medians of 5, from start to a first query): initdb, start and
CREATE DATABASE on the ext4 ``/tmp`` took 1.7 s wall and 1.3 s CPU; the same in ``/dev/shm``
0.7 s and 0.5 s; a copy of the template there and a start 0.24 s and 0.12 s (CPU: this process
and the commands it waits for, not the server).

The template is built in a temporary directory and renamed into place with a ``COMPLETE`` marker
written last (like ``dashboard/serving/compression.py``'s mirror), so an interrupted or concurrent
build never leaves half a template in use. As root, every PostgreSQL command runs as the
``postgres`` user (the server refuses to run as root); that user cannot enter root's home, so the
template is built under a shared temporary folder and moved into the cache, and each copy is
handed to ``postgres`` before its server starts.

The cluster is for tests only: ``fsync=off`` (a crash loses nothing worth keeping), trust
authentication on the loopback interface, a socket in the session's own folder.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geodata.files import cache_dir, publish_dir
from tests.e2e.server import free_port

__all__ = ["Cluster", "NoPostgres", "bindir", "ensure_template", "start", "template_dir"]

USER = "qantar"
DATABASE = "qantar_test"
COMPLETE = "COMPLETE"  # written last: a template without it is half built and is built again
# 1 MB WAL segments instead of 16 MB: a smaller directory to copy each session.
INITDB_OPTIONS = ("-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions", "--wal-segsize=1")
# The one database the tests use; initdb's "postgres" database renamed, so the copy holds three, not four.
TEMPLATE_SQL = f"ALTER DATABASE postgres RENAME TO {DATABASE};\n"
SERVER_OPTIONS = "-c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
SHM, SHM_NEEDED = "/dev/shm", 512 * 2**20  # the template is 28 MB; the rest is room for the tests' writes
# What initdb's output depends on besides its version and options (collation and time zone).
_ENVIRONMENT = ("LANG", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES", "TZ")


class NoPostgres(Exception):
    """PostgreSQL cannot run here; the message says why."""


def bindir() -> str | None:
    """The newest installed PostgreSQL's ``bin`` folder (Debian's layout, else ``initdb`` on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def _server_user() -> pwd.struct_passwd | None:
    """The ``postgres`` account when running as root (PostgreSQL refuses root), else None."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise NoPostgres("running as root and there is no 'postgres' user to run the server as") from None


def _run(bin_dir: str, tool: str, *args: str, stdin: str | None = None) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if _server_user() else []
    try:
        subprocess.run([*prefix, f"{bin_dir}/{tool}", *args], input=stdin, text=True, check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise NoPostgres(f"{tool} failed ({detail[-1][:200] if detail else f'exit status {exc.returncode}'})") from None


def _hand_over(path: Path) -> None:
    """Give ``path`` and everything under it to the server's account (nothing to do unless root)."""
    user = _server_user()
    if user is None:
        return
    os.chown(path, user.pw_uid, user.pw_gid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), user.pw_uid, user.pw_gid, follow_symlinks=False)


def template_dir(bin_dir: str, root: Path | None = None) -> Path:
    """Where the template for this PostgreSQL, these options and this locale lives (or will live).

    Raises
    ------
    NoPostgres
        ``initdb --version`` cannot run.
    """
    try:
        version = subprocess.run([f"{bin_dir}/initdb", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise NoPostgres(f"{bin_dir}/initdb --version failed ({exc})") from None
    major = re.search(r"(\d+)", version)
    key = "\n".join([version.strip(), *INITDB_OPTIONS, TEMPLATE_SQL, *(f"{v}={os.environ.get(v, '')}" for v in _ENVIRONMENT)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return (root or cache_dir()) / f"pg-template-{major.group(1) if major else 'x'}-{digest}"


def ensure_template(bin_dir: str, root: Path | None = None) -> Path:
    """Build the template if there is none yet for this PostgreSQL; return its folder (data in ``data/``).

    Raises
    ------
    NoPostgres
        initdb or the single-user server failed (the message has their last line).
    OSError
        ``root`` cannot be written.
    """
    final = template_dir(bin_dir, root)
    if (final / COMPLETE).is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}."))  # fails early if not writable
    build = Path(tempfile.mkdtemp(prefix="qantar-pg-template-", dir=_scratch()))  # the server's account can enter it
    try:
        _hand_over(build)
        data = build / "data"
        _run(bin_dir, "initdb", "-D", str(data), *INITDB_OPTIONS)
        # Single-user mode: no port, no socket, and a clean shutdown (a checkpoint) at the end.
        _run(bin_dir, "postgres", "--single", "-D", str(data), "-F", "template1", stdin=TEMPLATE_SQL)
        shutil.move(data, work / "data")
        (work / COMPLETE).write_text(f"{' '.join(INITDB_OPTIONS)}\n", encoding="utf-8")
        publish_dir(work, final, COMPLETE)  # a half-built template is replaced; a concurrent build's kept
    finally:
        shutil.rmtree(build, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return final


def _scratch() -> str | None:
    """Where a cluster's files go: ``/dev/shm`` when it is there with room, else the temporary folder.

    In memory, copying the template took 0.1 s of CPU against 0.8 s on the 2-core machine's ext4
    ``/tmp``, and the server's writes during the tests cost no disk either; nothing is kept.
    """
    try:
        st = os.statvfs(SHM)
    except OSError:
        return None
    return SHM if st.f_bavail * st.f_frsize >= SHM_NEEDED and os.access(SHM, os.W_OK) else None


@dataclass
class Cluster:
    """A running server on a copy of the template; :meth:`stop` ends it and removes the copy."""

    bin_dir: str
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        try:
            _run(self.bin_dir, "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start(bin_dir: str, template: Path, attempts: int = 3) -> Cluster:
    """Copy ``template`` into a new temporary folder and start a server on it, on a free loopback port.

    A port taken by another process between choosing it and the server binding it (the machine
    is shared) costs one more attempt.

    Raises
    ------
    NoPostgres
        The server did not start (the message has pg_ctl's last line and the template's folder).
    """
    folder = Path(tempfile.mkdtemp(prefix="qantar-pg-", dir=_scratch()))
    try:
        shutil.copytree(template / "data", folder / "data", symlinks=True)
        _hand_over(folder)
        for _ in range(attempts):
            port = free_port()
            try:
                _run(bin_dir, "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "log"), "-w", "-o",
                     f"-p {port} -k {folder} {SERVER_OPTIONS}", "start")
                return Cluster(bin_dir, folder, port)
            except NoPostgres as exc:
                log = (folder / "log").read_text(errors="replace").strip().splitlines() if (folder / "log").exists() else []
                failure = f"{exc}: {log[-1][:200]}" if log else str(exc)  # pg_ctl itself only says to read the log
        raise NoPostgres(f"{failure}; template {template}: remove it to build it again")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
