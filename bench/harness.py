"""Shared timing helpers for the benchmarks in bench/.

Every benchmark module ``bench/bench_<name>.py`` defines ``run(quick: bool) -> list[Result]``.
``quick=True`` is the smoke-test mode (tiny input, one or two repeats); the full run is what
``python bench/run.py`` records in ``bench/RESULTS.md``. Baselines run in the same process or
invocation as the thing they are compared with, so machine noise hits both.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Result", "Timing", "time_call", "time_command"]


@dataclass
class Timing:
    """Several timed runs of one thing: seconds (or another unit) per run."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)


@dataclass
class Result:
    """One benchmark row for RESULTS.md.

    ``value`` is what was measured; ``baseline`` (optional) the comparison run in the same
    invocation; ``ratio`` is baseline median / value median (> 1 means we are faster) unless
    ``ratio_note`` says otherwise; ``target`` is a human-readable target such as "<= 0.3 s" and
    ``met`` whether the median meets it (None when there is no target).
    """

    name: str
    what: str
    unit: str
    value: Timing
    baseline_name: str = ""
    baseline: Timing | None = None
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.value.median == 0:
            return None
        return self.baseline.median / self.value.median


def time_call(fn: Callable[[], object], repeat: int, warmup: int = 0) -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``repeat`` times timed (seconds)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return Timing(samples)


def time_command(argv: list[str], repeat: int, cwd: str | None = None, stdin_path: str | None = None) -> Timing:
    """Time a whole process ``repeat`` times (seconds, wall clock); fails loudly on a non-zero exit."""
    samples = []
    for _ in range(repeat):
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            proc = subprocess.run(argv, cwd=cwd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            samples.append(time.perf_counter() - t0)
        finally:
            if stdin_path:
                stdin.close()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
    return Timing(samples)
