"""Smoke test: the benchmark command runs and writes its table (numbers are not judged here).

One ``bench/run.py --quick`` run serves both tests: it writes over an earlier results file that
holds an old section and a hand-written subsection. It runs in this process, as ``python3
bench/run.py`` would (its ``main`` with the same arguments), so that it does not import
geopandas, GDAL and the gazetteer again in a new interpreter (about 1.5 s of CPU); what it adds
to ``sys.path`` and ``sys.modules`` (the ``bench/`` folder and its modules) is taken out again.
"""

import contextlib
import importlib.util
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EARLIER = ("# Benchmark results\n\n## borders\n\nold text\n\n### by hand\n\nkept 1.23 s\n\n"
           "## export\n\nold\n")


@dataclass(frozen=True)
class Run:
    """What ``bench/run.py`` returned and printed to stderr."""

    returncode: int
    stderr: str


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[Run, str]:
    """The run and the results file it wrote."""
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    out.write_text(EARLIER, encoding="utf-8")
    path, modules = list(sys.path), set(sys.modules)
    err = io.StringIO()
    try:
        spec = importlib.util.spec_from_file_location("bench_run_under_test", ROOT / "bench" / "run.py")
        runner = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(runner)  # puts bench/ first on sys.path, as running the file does
        with contextlib.redirect_stderr(err):
            code = runner.main(["--quick", "--only", "gazetteer", "borders", "export", "--out", str(out)])
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if name == "bench_run_under_test" or Path(module_file).parent == ROOT / "bench":
                del sys.modules[name]
    return Run(code, err.getvalue()), out.read_text(encoding="utf-8")


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
