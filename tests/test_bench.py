"""Smoke test: the benchmark command runs and writes its table (numbers are not judged here)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_quick(tmp_path):
    out = tmp_path / "RESULTS.md"
    r = subprocess.run([sys.executable, "bench/run.py", "--quick", "--only", "gazetteer", "borders", "export", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "| benchmark | median |" in text and "gazetteer ready" in text and "cores" in text
