"""Geoparsing ~5 MB of news text as whole processes, against geotext; and accuracy on the seeds.

Whole process: ``python3 -m geodata geoparse FILE`` (JSON Lines out; until the CLI has that
command, ``bench/geoparse_runner.py`` does exactly the same) against a fresh python doing
``GeoText(open(FILE).read())``. The corpus is written by ``scripts/make_bench_corpus.py``
(seed paragraphs shuffled with a fixed seed) into ``bench/artifacts/``. Both sides pay their
interpreter start-up, imports and data loading. Accuracy: precision/recall/F1 of both on the
annotated seeds (``tests/data/seed_toponyms.tsv``, demonyms excluded); geotext gives names
only, so its spans are recovered with its own candidate regex and index.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.evaluate import SEED_GOLD, Predicted, geoparse_predictions, load_gold, score, seed_documents  # noqa: E402

try:
    from harness import Result, Timing, time_command
except ImportError:
    from bench.harness import Result, Timing, time_command

CORPUS = ROOT / "bench" / "artifacts" / "geoparse_corpus.txt"
GEOTEXT = "import sys\nfrom geotext import GeoText\nGeoText(open(sys.argv[1], encoding='utf-8').read())"


def _our_command(path: Path) -> list[str]:
    probe = subprocess.run([sys.executable, "-m", "geodata", "geoparse", "--help"], cwd=ROOT, capture_output=True)
    if probe.returncode == 0:
        return [sys.executable, "-m", "geodata", "geoparse", str(path)]
    return [sys.executable, str(ROOT / "bench" / "geoparse_runner.py"), str(path)]


def geotext_predictions(documents: dict[str, str]) -> list[Predicted]:
    """geotext's cities, countries and nationalities with offsets (its own regex and index)."""
    from geotext import GeoText

    index = GeoText.index
    regex = re.compile(r"[A-ZÀ-Ú]+[a-zà-ú]+[ \-]?(?:d[a-u].)?(?:[A-ZÀ-Ú]+[a-zà-ú]+)*")
    out = []
    for doc, text in sorted(documents.items()):
        for m in regex.finditer(text):
            cand = m.group().strip()
            key = cand.lower()
            kind = ("country" if key in index.countries else "city" if key in index.cities
                    else "demonym" if key in index.nationalities else "")
            if kind:
                out.append(Predicted(doc, m.start(), m.start() + len(cand), kind))
    return out


def _accuracy_notes() -> list[str]:
    gold = load_gold(SEED_GOLD)
    docs = seed_documents()
    ours = score(gold, geoparse_predictions(docs)).summary()
    theirs = score(gold, geotext_predictions(docs)).summary()
    return [
        f"seeds, ours: P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f} "
        f"(tp {ours['tp']}, fp {ours['fp']}, fn {ours['fn']}), accuracy@161km {ours['accuracy_161km']:.3f}",
        f"seeds, geotext: P {theirs['precision']:.3f} R {theirs['recall']:.3f} F1 {theirs['f1']:.3f} "
        f"(tp {theirs['tp']}, fp {theirs['fp']}, fn {theirs['fn']}); geotext does not resolve to coordinates",
    ]


def run(quick: bool) -> list:
    size = 200_000 if quick else 5_000_000
    path = CORPUS.with_name(f"geoparse_corpus_{size}.txt")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_bench_corpus.py"), "--out", str(path),
                    "--bytes", str(size)], check=True, capture_output=True)
    repeat = 1 if quick else 3
    cmd = _our_command(path)
    ours = time_command(cmd, repeat, cwd=str(ROOT))
    theirs = time_command([sys.executable, "-c", GEOTEXT, str(path)], repeat, cwd=str(ROOT))
    mb = path.stat().st_size / 1e6
    return [Result(
        name="geoparse ~5 MB, whole process" if not quick else "geoparse 0.2 MB, whole process (quick)",
        what=f"{' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmd[:-1]))} on {mb:.1f} MB of shuffled "
             "seed paragraphs, JSON Lines out; baseline: python -c 'GeoText(text)' on the same file",
        unit="s", value=ours, baseline_name="geotext 0.4.0", baseline=theirs,
        target="<= geotext (ratio >= 1)", met=ours.median <= theirs.median,
        notes=_accuracy_notes(),
    )]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r.name, f"ours {r.value.median:.2f}s", f"geotext {r.baseline.median:.2f}s", f"ratio {r.ratio:.2f}", *r.notes, sep="\n  ")
