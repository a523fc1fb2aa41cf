"""Smoke test: the benchmark command runs and writes its table (numbers are not judged here).

One ``bench/run.py --quick`` process serves both tests (a benchmark process costs seconds): it
writes over an earlier results file that holds an old section and a hand-written subsection.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EARLIER = ("# Benchmark results\n\n## borders\n\nold text\n\n### by hand\n\nkept 1.23 s\n\n"
           "## export\n\nold\n")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, str]:
    """The process and the results file it wrote."""
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    out.write_text(EARLIER, encoding="utf-8")
    r = subprocess.run([sys.executable, "bench/run.py", "--quick", "--only", "gazetteer", "borders", "export", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    return r, out.read_text(encoding="utf-8")


def test_bench_runs_quick(quick_run):
    r, text = quick_run
    assert r.returncode == 0, r.stderr[-2000:]
    assert "| benchmark | median |" in text and "gazetteer ready" in text and "cores" in text


def test_a_run_keeps_hand_written_subsections(quick_run):
    """Measurements written by hand under ``### `` survive the next run of their section."""
    r, text = quick_run
    assert r.returncode == 0, r.stderr[-2000:]
    assert "old text" not in text
    borders = text.split("\n## borders\n", 1)[1]
    assert borders.count("### by hand\n\nkept 1.23 s") == 1
