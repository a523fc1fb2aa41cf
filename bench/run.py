"""Run every benchmark and write bench/RESULTS.md.

Usage::

    python3 bench/run.py                 # full run, writes bench/RESULTS.md
    python3 bench/run.py --quick --out /tmp/r.md   # smoke run on tiny repeats (used by the tests)
    python3 bench/run.py --only gazetteer borders

Each ``bench/bench_<name>.py`` defines ``run(quick) -> list[Result]``; baselines run in the
same invocation as what they are compared with. Benchmarks never decide test pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from harness import Result  # noqa: E402

ORDER = ("gazetteer", "borders", "geoparse", "export", "dashboard", "corpus")


def _machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        mem = ", memory unknown"
    return f"{os.cpu_count()} cores{mem}, {platform.machine()}, Python {platform.python_version()}, {platform.system()}"


def _fmt(x: float, unit: str) -> str:
    if unit == "s":
        return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"
    if unit == "bytes":
        return f"{x / 1e6:.2f} MB"
    return f"{x:,.3g} {unit}"


def _rows(results: list[Result]) -> list[str]:
    lines = ["| benchmark | median | min–max | runs | baseline (median) | ratio | target | met |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = f"{r.baseline_name}: {_fmt(r.baseline.median, r.unit)}" if r.baseline else "—"
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.name} | {_fmt(r.value.median, r.unit)} | {_fmt(r.value.min, r.unit)} – {_fmt(r.value.max, r.unit)} "
                     f"| {len(r.value.samples)} | {base} | {ratio} | {r.target or '—'} | {met} |")
    return lines


def _hand_written(text: str) -> dict[str, str]:
    """Each benchmark section's hand-written ``### `` subsections, by section name.

    A run rewrites its sections from the benchmarks' docstrings and results; measurements
    written by hand under a ``### `` heading (an evaluation, a one-off profile) would be lost,
    so they are carried over to the same section of the new file.
    """
    kept: dict[str, str] = {}
    for block in text.split("\n## ")[1:]:
        name, _, body = block.partition("\n")
        at = body.find("\n### ")
        if at >= 0:
            kept[name.strip()] = body[at + 1:].rstrip()
    return kept


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny repeats: checks the benchmarks run, measures nothing")
    ap.add_argument("--only", nargs="+", choices=ORDER, help="run only these benchmarks")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"), help="where to write the results (Markdown)")
    args = ap.parse_args(argv)
    names = [n for n in ORDER if (args.only is None or n in args.only) and (HERE / f"bench_{n}.py").exists()]
    sections, all_results, failed = [], [], []
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            results = importlib.import_module(f"bench_{name}").run(args.quick)
        except Exception as exc:  # one broken benchmark must not lose the others' numbers: record it, exit 1
            failed.append(name)
            sections.append(f"## {name}\n\n**FAILED**: {type(exc).__name__}: {exc}")
            print(f"bench: {name} FAILED: {exc}", file=sys.stderr)
            continue
        all_results += results
        mod_doc = (importlib.import_module(f"bench_{name}").__doc__ or "").strip()
        sections.append(f"## {name}\n\n{mod_doc}\n\n" + "\n".join(_rows(results)))
        for r in results:
            details = [f"- **{r.name}**: {r.what}."] + [f"  - {n}" for n in r.notes]
            sections[-1] += "\n\n" + "\n".join(details)
    ratio_note = "ratio = baseline median / our median (above 1: we are faster)."
    head = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- machine: {_machine()}",
        f"- command: `python3 bench/run.py{' --quick' if args.quick else ''}`",
        f"- {ratio_note} Medians of several runs; machines here are noisy, so compare ratios, not absolutes.",
        "",
        "## Summary",
        "",
        *_rows(all_results),
        "",
    ]
    out = Path(args.out)
    kept = _hand_written(out.read_text(encoding="utf-8")) if out.exists() else {}
    for i, section in enumerate(sections):
        name = section.split("\n", 1)[0][3:]
        if name in kept:
            sections[i] = section + "\n\n" + kept[name]
    out.write_text("\n".join(head + sections) + "\n", encoding="utf-8")
    missed = [r.name for r in all_results if r.met is False]
    print(f"wrote {args.out}; targets missed: {', '.join(missed) if missed else 'none'}"
          f"{'; FAILED: ' + ', '.join(failed) if failed else ''}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
