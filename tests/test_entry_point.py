"""The few checks that need a real ``python -m geodata`` process: exit statuses as a shell sees
them, and stdout closed early by a pipe. Everything else runs in-process (tests/test_cli.py)."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geodata", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_exit_statuses_of_python_m_geodata():
    ok, bad, usage = run("geocode", "Alma-Ata"), run("geocode", "Qwxzptl"), run("nonsense")
    assert ok.returncode == 0 and json.loads(ok.stdout)["id"] == "gn:1526384", ok.stderr
    assert bad.returncode == 1 and bad.stdout == "" and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_stdout_closed_early_is_no_error(tmp_path):
    path = tmp_path / "long.txt"
    # 4,000 mentions, about 1.2 MB of JSON Lines: far more than a pipe holds (64 KiB), so the
    # process is still writing when the reader closes the pipe.
    path.write_text("Riots in Almaty and Taraz. " * 2_000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "geodata", "geoparse", str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # like `| head -1`: read one line, close the pipe
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert json.loads(first)["id"] == "gn:1526384" and "Traceback" not in err and "BrokenPipe" not in err
