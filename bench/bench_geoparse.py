"""Geoparsing ~5 MB and 50 MB of news text as whole processes, against geotext; and accuracy on the seeds.

Whole process: ``python3 -m geodata geoparse FILE`` (JSON Lines out) against a fresh python doing ``GeoText(open(FILE).read())``. Ours is timed with a warm name-index cache (one untimed run
first; see ``geodata/nameindex.py``) and, in a second row, cold: an empty cache directory per
run, so each run parses the gazetteer, builds the automaton and writes the cache. The corpus is written by ``scripts/make_bench_corpus.py``
(seed paragraphs shuffled with a fixed seed) into ``bench/artifacts/``. Both sides pay their
interpreter start-up, imports and data loading. Accuracy: precision/recall/F1 of both on the
annotated seeds (``geodata/data/evaluation/seed_toponyms.tsv``, demonyms excluded); geotext gives names
only, so its spans are recovered with its own candidate regex and index.

Rows: the CLI with its defaults (every record carries its sentence text), the same with
``--no-sentences`` (records keep ``sentence_start``/``sentence_end``), and cold. Ours and geotext
run alternately, one run each per round, so machine noise hits both; output goes to /dev/null.
Warm runs use an index cache of their own (``bench/artifacts/index-cache``): the default one is
keyed by the gazetteer's path, so a run from another checkout on the machine rebuilds it.

50 MB rows (issue #15, "speed per core" and "memory"): the same seed paragraphs, 50 MB in one file,
which the CLI parses in blocks (``geodata/geoparse/stream.py``). Three rounds of ours (compiled hot
path), geotext and ours with ``QANTAR_PURE_PYTHON=1``; each process's own CPU time (user + system),
wall time and peak RSS, read by ``wait4`` in a small launcher process. Targets: CPU time at most
1.5x geotext's (then 1x), peak memory at most 300 MB. CPU time is the measure on a shared machine:
wall time there mostly measures the other processes.

Before/after this work (main 5743db5 -> branch speed), 50 MB, one run each on a machine with load
average 10-14 (other sessions' test suites), CPU s / peak RSS, every output byte-identical
(sha256 37420b6f...): streamed 10.4 s / 199 MB -> 4.6 s (pure Python 6.6 s) / 200 MB; the whole
text (from standard input) 7.7 s / 591 MB -> 5.1 s / 574 MB; geotext 1.9 s / 260 MB. (Against
786d570, before main's gazetteer update, at load 8-11: 10.7 s -> 4.6 s, pure Python 6.7 s.) Streaming was slower
than the whole text because it recognised every name twice (a pass for the document's context,
then again to resolve) and re-derived each name's candidates, scores and serialised place in every
1 MB block; now the first pass spills its hits (24 bytes each) to a temporary file and one memo
serves the whole document. The compiled hot path (``geodata/geoparse/_hotpath.pyx``) runs the
per-hit loops of recognition, resolution, the sentence cuts, the fold and the JSON Lines writer in
C; the regexes and what is decided once per distinct name stay in Python.

Where the 50 MB time went before branch speed2 (perf samples of one streamed run, compiled):
pyahocorasick's search 23 % (its iterator follows the failure links back towards the root at every
character), Python's object allocation, tuples and dicts about 10 %, the regexes after and before
names 5 %, JSON string escaping 4 % and UTF-8 encoding of the 4.7 bytes of output per byte of input
3 %, the compiled loops 7 %, the kernel 6 %.

Branch speed2 (2026-11-26): the names are found by a trie of our own, walked in C from every space
of the folded text (every key is " name ", so no failure links are needed;
``geodata/geoparse/trie.py``, ``_trie.pyx``; index cache format 3), and a word the text does not
capitalise walks a second trie of the 409 keys that may count in lower case (compass words,
towns that read in lower case), since most words are such words and the big trie's deeper levels
are far apart in memory. The streamed JSON Lines are put together as UTF-8 bytes in C
(``_lines.pyx``): each sentence escaped and encoded once straight from the text, a place's fixed
parts and a surface once a document, offsets written as digits, out through one reused 1 MB
buffer to stdout's binary buffer (no str per line, no join, no encoding on the way out). Output
byte-identical (sha256 37420b6f...), pure Python too. Before/after, 50 MB, CPU time (user + system,
``wait4``), 3 rounds alternating main, this branch, geotext and this branch's pure Python, load
average 10-12 throughout: main 5.76 s (5.23-6.04; 2.63x geotext), this branch 4.07 s (4.05-4.16;
1.86x), geotext 2.19 s (2.18-2.41), pure Python 8.39 s; peak RSS 201 MB -> 235 MB (the tries, 17 MB,
are held beside pyahocorasick's automaton, which the pure-Python path and name look-ups still use).
A second set of 3 rounds at load 6-7.5: main 5.68 s (2.63x), this branch 4.25 s (4.07-4.40;
1.97x), geotext 2.16 s, pure Python 8.29 s (main's pure Python, 2 rounds at load 12-15: 8.7 and
9.3 s; this branch's 9.5 and 8.1 s). Then the scan was made to fold the text as it reads it (no
folded copy of each block): 3 more rounds in a quiet spell (load 3-6), main 5.11 s (2.40x), this
branch 3.59 s (3.47-3.70; 1.69x), geotext 2.13 s, pure Python 7.51 s (3.53x); and with
resolution's ``_PREV_CAP`` read backwards in C instead of searched, at load 2-3: main 5.09 s
(2.45x), this branch 3.56 s (3.45-3.58; 1.71x), geotext 2.08 s, pure Python 7.50 s. In user
cycles (``perf stat``, less load-dependent): main 15.3 G, this branch 9.4 G, geotext 5.4 G
(1.7x). Still not met: 1.5x geotext would be about 3.1-3.2 s.

Branch speed3 (2026-11-26): the compiled path reads the name-index cache without building
pyahocorasick's automaton (a third of a warm index load and about 80 MB of peak: name look-ups
walk the trie in C; the automaton is built on first use from the cache, read and verified again,
and the pure-Python path builds it at once as before); the compiled recogniser runs
``_REGION_AFTER`` only when a word starting "re", "ob" or "pr" follows white space before the
clause ends (most names followed by a comma have none); the CLI's streamed parse lets glibc's
malloc keep the memory a block frees for the next block (``mallopt``: page faults 78,000 -> 54,000);
and a name followed by " and" runs ``_TAIL`` only when one of its "near" words can follow.
Output byte-identical (sha256 37420b6f...), pure Python too. 50 MB, ``perf stat`` at load 3.6-5.2,
3 rounds alternating main (5c1beea), this branch and geotext, medians: user + kernel cycles main
10.73 G, this branch 9.90 G, geotext 6.26 G (1.71x -> 1.58x); instructions 19.63 G -> 19.03 G
(geotext 16.81 G); task clock 3.64 s -> 3.28 s, geotext 2.11 s (1.73x -> 1.55x). CPU time (user +
system, ``wait4``), 3 rounds right after at load 5.9-7: main 3.32 s (3.30-3.43; 1.71x), this branch
3.26 s (3.09-3.29; 1.68x), geotext 1.94 s (1.90-2.11); pure Python 7.52 s (one run, load 1.7, before
the last step). Earlier sets of this branch: at load 1.8-2.1 (without the " and" pre-test) main
3.47 s (1.60x), this branch 3.39 s (1.56x), geotext 2.17 s; at load 3.6-4.7 (also without the malloc
change) main 3.57 s (1.71x), this branch 3.52 s (1.68x), geotext 2.09 s. Peak RSS 235 MB -> 148 MB.
A gain of 3-10 % in CPU (cycles and task clock say 7-10 %), about the size of the load noise between
sets; 1.5x geotext is still not met (about 2.9-3.2 s would be, depending on the set).

Where the 50 MB time goes now (perf samples, compiled, one run after this branch's first step): the
trie walk with its fold 14 % (memory latency: an upper-case word walks the big trie, whose nodes
below the third level are scattered over 17 MB); Python's objects and dicts per hit about 12 %
(allocation and freeing, tuples, dict look-ups: the hit, the name look-up key, the spill and its
read-back, the resolved mention, the line's place key); the regex engine 6 % (sre match, count
and search; per 5 MB about 14,000 _TAIL, 12,000 _REGION_AFTER before the pre-test and 8,000
_POSSESSIVE_TAIL calls); the JSON writer 4 %; memmove 2.5 % and UTF-8 decoding 1.7 % (the file
decoded twice, the block strings copied); SHA-256 of the 70 MB cache 1.4 %; the kernel 10 %
before the malloc change (page faults: clearing and copying pages). The next steps: keep hits
in C from the scan to the writer (no Hit, spill or mention tuples: one struct array a block),
more of _TAIL's and _POSSESSIVE_TAIL's pre-tests in C (as for _REGION_AFTER and " and"), decode the file
once (the second pass decodes it again), and lay the big trie
out depth-first by frequency.

Before/after the geoparser split (fd4cd9e -> this), same quiet machine, interleaved, 9 runs,
medians, wall clock, output byte-identical: warm 0.78 s -> 0.62-0.64 s against geotext
0.23-0.24 s (ratio 0.30 -> 0.37); ``--no-sentences`` 0.61 s; cold 3.6 s -> 2.4 s (the index
built from ``Gazetteer.postings()``). In-process phases, best of 3 (first-touch page faults
left out, which a real run pays: ~46,000 of them, 28,000 in the index load): index load 0.05
(unpickling a 1.06-million-node automaton; the same before), read 0.005, recognition +
sentences + resolution 0.43 -> 0.34 (now: fold 0.025, automaton scan ~0.08, match filtering
and per-name candidates ~0.09, context 0.007, sentences and resolution 0.14), JSON Lines 0.09
-> 0.06. Tried and dropped, with numbers: two processes split at a blank line (same bytes;
0.53 s vs 0.63 s wall in the best run, for 0.1-0.35 s more CPU, through fork, pipes and a
reader thread), ahocorasick-rs (its
automaton cannot be pickled: 0.3-0.65 s to build per run, scan no faster), cyac (build did
not finish in 10 minutes).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.geoparse.evaluate import SEED_GOLD, Predicted, geoparse_predictions, load_gold, score, seed_documents  # noqa: E402

try:
    from harness import Result, Timing, time_command
except ImportError:
    from bench.harness import Result, Timing, time_command

CORPUS = ROOT / "bench" / "artifacts" / "geoparse_corpus.txt"
GEOTEXT = "import sys\nfrom geotext import GeoText\nGeoText(open(sys.argv[1], encoding='utf-8').read())"


def _our_command(path: Path) -> list[str]:
    """The CLI, as a user runs it."""
    return [sys.executable, "-m", "geodata", "geoparse", str(path)]


# The warm runs' own index cache: the default one (~/.cache/qantar-atlas) is keyed by the gazetteer's
# path, so a geoparse run from another checkout on the same machine rebuilds it (seconds, ~280 MB)
# and the next warm run here would rebuild it again.
WARM_CACHE = ROOT / "bench" / "artifacts" / "index-cache"


def _warm(cmd: list[str]) -> list[str]:
    return ["env", f"XDG_CACHE_HOME={WARM_CACHE}", *cmd]


def _cold(cmd: list[str], repeat: int) -> Timing:
    """Each run with its own empty XDG_CACHE_HOME: the index is built and written every time."""
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            env = ["env", f"XDG_CACHE_HOME={tmp}/run{i}"]
            samples += time_command(env + cmd, 1, cwd=str(ROOT)).samples
    return Timing(samples)


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


def _interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, Timing]:
    """Each command once per round, ``repeat`` rounds: machine noise hits all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            samples[name] += time_command(cmd, 1, cwd=str(ROOT)).samples
    return {name: Timing(s) for name, s in samples.items()}


def _phases(path: Path, repeat: int) -> str:
    """Where a warm run spends its CPU time after start-up, in process, compiled and pure Python
    (best of ``repeat``: the first touch of fresh memory, which a real run pays, is left out)."""
    import io

    from geodata.geoparse import compiled, index as nameindex, recognition, resolution
    from geodata.geoparse.jsonlines import render_lines
    from geodata.geoparse.sentences import Sentences
    from geodata.geoparse.textinput import read_text_input

    out = []
    built = compiled.hot
    for hot in ([built] if built is not None else []) + [None]:
        compiled.hot = hot
        best: dict[str, float] = {}

        def timed(name, fn):
            t0 = time.process_time()
            value = fn()
            best[name] = min(best.get(name, 1e9), time.process_time() - t0)
            return value

        try:
            for _ in range(repeat):
                index = timed("index load", lambda: nameindex.load_index(WARM_CACHE / "qantar-atlas"))
                text = timed("read", lambda: read_text_input(str(path)))
                folded = timed("fold", lambda: f" {recognition.fold(text)} ")
                timed("automaton scan", lambda: sum(1 for _ in index.automaton.iter(folded)))
                hits = timed("fold+scan+recognise", lambda: recognition.recognise(text, index))
                ctx = timed("context", lambda: resolution.context_counts(hits))
                mentions = timed("resolve (with sentences)",
                                 lambda: resolution.resolve(text, hits, ctx, Sentences(text), index))
                timed("JSON Lines", lambda: io.StringIO().writelines(render_lines(text, mentions, True)))
        finally:
            compiled.hot = built
        out.append("in-process CPU time by phase, %s (best of %d, s): %s; %d hits, %d mentions" % (
            "compiled" if hot is not None else "pure Python", repeat, ", ".join(f"{k} {v:.3f}" for k, v in best.items()),
            len(hits), len(mentions)))
    return out


# Runs the measured command as its own child and prints (wall s, CPU s, peak RSS bytes, exit code).
# Not measured from this process directly: subprocess starts children with vfork, and Linux counts the
# forking process's memory (this one's, hundreds of MB) in the child's peak RSS; forked from this
# small launcher, the command's peak is its own.
_LAUNCH = """import json, os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                  os.waitstatus_to_exitcode(status)]))
"""


def _measured(cmd: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """One whole process: (wall s, CPU s = user + system, peak RSS bytes), output to /dev/null."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, *cmd], cwd=str(ROOT), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"{' '.join(cmd)}: {proc.stderr[-500:]}")
    wall, cpu, rss, code = json.loads(proc.stdout)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {proc.stderr[-500:]}")
    return wall, cpu, rss


def _large(size: int, repeat: int) -> list:
    """Ours (compiled hot path, then pure Python) against geotext on one large file, interleaved."""
    path = CORPUS.with_name(f"geoparse_corpus_{size}.txt")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_bench_corpus.py"), "--out", str(path),
                    "--bytes", str(size)], check=True, capture_output=True)
    cmd = _our_command(path)
    env = {**os.environ, "XDG_CACHE_HOME": str(WARM_CACHE)}
    pure_env = {**env, "QANTAR_PURE_PYTHON": "1"}
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    subprocess.run(_warm(_our_command(seed)), cwd=ROOT, stdout=subprocess.DEVNULL, check=True)  # warm the index cache
    compiled_built = subprocess.run([sys.executable, "-c", "from geodata.geoparse import compiled; print(compiled.hot is not None)"],
                                    cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip() == "True"
    runs: dict[str, list[tuple[float, float, int]]] = {"ours": [], "pure": [], "geotext": []}
    for _ in range(repeat):
        runs["ours"].append(_measured(cmd, env))
        runs["geotext"].append(_measured([sys.executable, "-c", GEOTEXT, str(path)]))
        runs["pure"].append(_measured(cmd, pure_env))
    wall = {k: Timing([r[0] for r in v]) for k, v in runs.items()}
    cpu = {k: Timing([r[1] for r in v]) for k, v in runs.items()}
    rss = {k: Timing([float(r[2]) for r in v]) for k, v in runs.items()}
    mb = path.stat().st_size / 1e6
    label = f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB (quick)"
    load = os.getloadavg()
    where = (f"{' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmd[:-1]))} FILE on {mb:.1f} MB of shuffled "
             f"seed paragraphs in one file (parsed in blocks, {'compiled hot path' if compiled_built else 'pure Python: the hot path is NOT built'}), "
             "JSON Lines out to /dev/null; baseline python -c 'GeoText(text)' on the same file, run alternately "
             f"with ours; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    ratio_cpu = cpu["ours"].median / cpu["geotext"].median
    notes = [f"ours / geotext, CPU time: {ratio_cpu:.2f}x (compiled), {cpu['pure'].median / cpu['geotext'].median:.2f}x "
             f"(QANTAR_PURE_PYTHON=1: {cpu['pure'].median:.2f} s CPU, {wall['pure'].median:.2f} s wall, "
             f"peak {rss['pure'].median / 1e6:.0f} MB); wall {wall['ours'].median:.2f} s vs {wall['geotext'].median:.2f} s",
             f"CPU per run (s), ours: {', '.join(f'{r[1]:.2f}' for r in runs['ours'])}; geotext: "
             f"{', '.join(f'{r[1]:.2f}' for r in runs['geotext'])}"]
    return [
        Result(name=f"geoparse {label}, CPU time per core", unit="s", value=cpu["ours"], what=where,
               baseline_name="geotext 0.4.0", baseline=cpu["geotext"], target="<= 1.5x geotext (ratio >= 0.67); then <= 1x",
               met=ratio_cpu <= 1.5, notes=notes),
        Result(name=f"geoparse {label}, wall clock", unit="s", value=wall["ours"], what=where + " (same runs)",
               baseline_name="geotext 0.4.0", baseline=wall["geotext"], target="(reported; CPU time is the target)"),
        Result(name=f"geoparse {label}, peak memory (RSS)", unit="bytes", value=rss["ours"], what=where + " (same runs)",
               baseline_name="geotext 0.4.0", baseline=rss["geotext"], target="<= 300 MB",
               met=statistics.median(rss["ours"].samples) <= 300e6),
    ]


def run(quick: bool) -> list:
    size = 200_000 if quick else 5_000_000
    path = CORPUS.with_name(f"geoparse_corpus_{size}.txt")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_bench_corpus.py"), "--out", str(path),
                    "--bytes", str(size)], check=True, capture_output=True)
    repeat = 1 if quick else 7
    cmd = _our_command(path)
    subprocess.run(_warm(cmd), cwd=ROOT, stdout=subprocess.DEVNULL, check=True)  # warm the index cache
    times = _interleaved({"ours": _warm(cmd), "no sentences": _warm(cmd + ["--no-sentences"]),
                          "geotext": [sys.executable, "-c", GEOTEXT, str(path)]}, repeat)
    theirs = times["geotext"]
    cold = _cold(cmd, 1 if quick else 3)
    mb = path.stat().st_size / 1e6
    shown = " ".join(Path(c).name if i < 2 else c for i, c in enumerate(cmd[:-1]))
    corpus = f"on {mb:.1f} MB of shuffled seed paragraphs, JSON Lines out to /dev/null"
    baseline = "baseline: python -c 'GeoText(text)' on the same file (no output), run alternately with ours"
    label = "~5 MB" if not quick else "0.2 MB (quick)"
    notes = _accuracy_notes() + ([] if quick else _phases(path, 3))
    large = _large(2_000_000 if quick else 50_000_000, 1 if quick else 3)
    return [
        Result(name=f"geoparse {label}, whole process, warm cache", unit="s", value=times["ours"],
               what=f"{shown} FILE (every record with its sentence text, the default) {corpus}; " + baseline,
               baseline_name="geotext 0.4.0", baseline=theirs, target="<= geotext (ratio >= 1)",
               met=times["ours"].median <= theirs.median, notes=notes),
        Result(name=f"geoparse {label}, no sentence text, warm cache", unit="s", value=times["no sentences"],
               what=f"{shown} FILE --no-sentences (records keep sentence_start/sentence_end) {corpus}; " + baseline,
               baseline_name="geotext 0.4.0", baseline=theirs, target="(reported, no target)"),
        Result(name=f"geoparse {label}, whole process, cold cache", unit="s", value=cold,
               what=f"{shown} FILE {corpus}; an empty index cache each run (gazetteer parsed, automaton built and "
                    "written)", baseline_name="geotext 0.4.0", baseline=theirs, target="(reported, no target)"),
        *large,
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r.name, f"ours {r.value.median:.2f}s", f"geotext {r.baseline.median:.2f}s", f"ratio {r.ratio:.2f}", *r.notes, sep="\n  ")
