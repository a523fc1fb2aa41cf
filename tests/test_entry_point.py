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


def test_a_core_command_loads_neither_the_store_nor_the_corpus_code(tmp_path):
    # Each package command's parser imports its package (SQLAlchemy, the corpus inputs: about
    # 0.45 s of CPU at every start); geocode and geoparse have no use for them.
    path = tmp_path / "t.txt"
    path.write_text("Protests in Almaty and Zhanaozen.", encoding="utf-8")
    probe = ("import sys, runpy; sys.argv = ['geodata', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('geodata', run_name='__main__')\n"
             "except SystemExit as exc:\n    code = exc.code\n"
             "print(sorted(m for m in ('sqlalchemy', 'geodata.store', 'geodata.corpus') if m in sys.modules), file=sys.stderr)")

    def loaded(*args: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        return done.stdout, done.stderr.strip().splitlines()[-1]

    out, mods = loaded("geoparse", str(path))
    assert mods == "[]" and [json.loads(line)["name"] for line in out.splitlines()] == ["Almaty", "Zhanaozen"]
    out, mods = loaded("sources", "list", "--db", str(tmp_path / "s.db"))
    assert json.loads(out) == [] and "'geodata.store'" in mods and "'sqlalchemy'" in mods
    _, mods = loaded("nonsense")  # the usage message lists every command
    assert "'geodata.store'" in mods and "'geodata.corpus'" in mods
