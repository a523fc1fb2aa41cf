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


def test_a_run_keeps_hand_written_subsections(tmp_path):
    """Measurements written by hand under ``### `` survive the next run of their section."""
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\n## borders\n\nold text\n\n### by hand\n\nkept 1.23 s\n\n"
                   "## export\n\nold\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "bench/run.py", "--quick", "--only", "borders", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "old text" not in text
    borders = text.split("\n## borders\n", 1)[1]
    assert borders.count("### by hand\n\nkept 1.23 s") == 1
