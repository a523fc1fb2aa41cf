"""Write the geoparser benchmark corpus: ~5 MB of the seeds' paragraphs, shuffled deterministically.

The corpus is derived data and is not committed: it goes to ``bench/artifacts/`` (git-ignored)
unless ``--out`` says otherwise. The same seed and size always give byte-identical output.

Usage: ``python3 scripts/make_bench_corpus.py [--out PATH] [--bytes N] [--seed N]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.sources import document_text, load_documents  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "artifacts" / "geoparse_corpus.txt"


def paragraphs() -> list[str]:
    """Every non-empty line of the seeds, in document order."""
    out = []
    for name in sorted(load_documents()):
        out += [line for line in document_text(name).splitlines() if line.strip()]
    return out


def build(size: int = 5_000_000, seed: int = 2022) -> str:
    """Shuffle the paragraphs with ``random.Random(seed)`` round after round until ``size`` UTF-8 bytes."""
    rng = random.Random(seed)
    paras = paragraphs()
    chunks, total = [], 0
    while total < size:
        batch = paras[:]
        rng.shuffle(batch)
        for p in batch:
            chunks.append(p)
            total += len(p.encode("utf-8")) + 2
            if total >= size:
                break
    return "\n\n".join(chunks) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    ap.add_argument("--bytes", type=int, default=5_000_000, help="approximate size in bytes (default 5,000,000)")
    ap.add_argument("--seed", type=int, default=2022, help="shuffle seed (default 2022)")
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(build(args.bytes, args.seed), encoding="utf-8")
    print(f"{args.out}: {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
