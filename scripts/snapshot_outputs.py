"""Write every user-visible output of the data core into one folder, to compare two versions.

A refactoring must not change behaviour: run this before and after, then ``diff -r`` the two
folders (or compare the ``SHA256SUMS`` files). It covers the CLI's JSON (geocode, claims), the
GeoJSON exports (unfiltered and filtered), the geoparse JSON Lines on the benchmark corpus and on
every seed, and an error message of each kind.

Usage: ``python3 scripts/snapshot_outputs.py OUTDIR``
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNS: dict[str, list[str]] = {
    "geocode-almaty.json": ["geocode", "Alma-Ata"],
    "geocode-aktau-all.json": ["geocode", "--all", "Aktau"],
    "geocode-moscow.json": ["geocode", "Moscow"],
    "geocode-unknown.err": ["geocode", "Qwertyville"],
    "claims.json": ["claims"],
    "export-bad-date.err": ["export", "{out}/never", "--from", "2022-13-01"],
}


def _run(args: list[str], stdin: bytes | None = None) -> tuple[bytes, bytes, int]:
    proc = subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, input=stdin,
                          capture_output=True, check=False)
    return proc.stdout, proc.stderr, proc.returncode


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 scripts/snapshot_outputs.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for name, args in RUNS.items():
        stdout, stderr, code = _run([a.format(out=out) for a in args])
        body = stderr if name.endswith(".err") else stdout
        (out / name).write_bytes(body + f"\nexit {code}\n".encode())
    for label, extra in {"all": [], "filtered": ["--from", "2022-01-05", "--to", "2022-01-07", "--source", "eurasia-notes-13"],
                         "typed": ["--type", "protest", "riot"]}.items():
        _run(["export", str(out / f"export-{label}"), *extra])
    corpus = ROOT / "bench" / "artifacts" / "geoparse_corpus.txt"
    if not corpus.exists():
        subprocess.run([sys.executable, "scripts/make_bench_corpus.py"], cwd=ROOT, check=True)
    for name, args in {"geoparse-corpus.jsonl": [str(corpus)], "geoparse-corpus-nosent.jsonl": [str(corpus), "--no-sentences"]}.items():
        (out / name).write_bytes(_run(["geoparse", *args])[0])
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (out / f"geoparse-{seed.stem}.jsonl").write_bytes(_run(["geoparse", str(seed)])[0])
    sums = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(out)}")
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    print(f"{len(sums)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
