"""geoparse-corpus on Dask: 1 against 2 worker processes on ~100 MB of documents, and a model of 10 GB on 16 workers.

The corpus: documents of 20-50 KB made of the seeds' paragraphs, shuffled with a fixed seed
(as ``scripts/make_bench_corpus.py`` does), one ``.txt`` file each in
``bench/artifacts/corpus_<bytes>/`` (git-ignored, rebuilt when missing). Two LocalClusters (1
and 2 single-threaded worker processes, warmed: imports and name index loaded) stay up side
by side and run the whole corpus alternately, so machine noise hits both; each run is
``run_corpus`` from indexing the folder to the last Parquet file written (batches of 4 MB).
Baseline: the same batch function called in this process without Dask, on a fifth of the
corpus. Scheduler overhead: 2,000 no-op tasks on the 2-worker cluster, wall time per task.

The machine has 2 cores, which the driver and the scheduler share with the workers, and other
engineers' test suites may run on it at the same time: the 2-worker efficiency here is a lower
bound for a cluster whose scheduler has a machine of its own.

Run alone (without the other benchmarks): ``python3 bench/bench_corpus.py --write [--mb=N]``
replaces this section of ``bench/RESULTS.md`` (``--mb`` a smaller corpus than 100 MB). Worker CPU
seconds are recorded beside wall time: on a loaded machine they still give the rate one worker
reaches on a core of its own.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

try:
    from harness import Result, Timing
except ImportError:
    from bench.harness import Result, Timing

ARTIFACTS = ROOT / "bench" / "artifacts"
MODEL_BYTES = 10e9
MODEL_WORKERS = 16
BATCH_BYTES = 4_000_000


def build_corpus(size: int, seed: int = 2022) -> Path:
    """A folder of ~``size`` bytes of 20-50 KB documents (rebuilt only when missing)."""
    from make_bench_corpus import paragraphs

    folder = ARTIFACTS / f"corpus_{size}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    paras = paragraphs()
    total = i = 0
    while total < size:
        want, doc, n = rng.randint(20_000, 50_000), [], 0
        while n < want:
            p = paras[rng.randrange(len(paras))]
            doc.append(p)
            n += len(p.encode("utf-8")) + 2
        data = ("\n\n".join(doc) + "\n").encode("utf-8")
        (folder / f"doc-{i:05d}.txt").write_bytes(data)
        total += len(data)
        i += 1
    stamp.write_text(f"{i} documents, {total} bytes\n")
    return folder


def _noop(i: int) -> int:
    return i


def _rss() -> int:
    """This worker process's resident memory (bytes)."""
    import psutil

    return psutil.Process().memory_info().rss


def _task_overhead(client, n: int) -> float:
    """Wall seconds per task for ``n`` no-op tasks submitted at once (scheduler-bound)."""
    from distributed import wait

    t0 = time.perf_counter()
    futures = client.map(_noop, range(n), pure=False)
    wait(futures)
    elapsed = time.perf_counter() - t0
    del futures
    return elapsed / n


def _in_process(folder: Path, share: float) -> tuple[float, int]:
    """(seconds, bytes) of the batch function on the first ``share`` of the corpus, no Dask."""
    from geodata.corpus.inputs import batches, index_inputs
    from geodata.corpus.run import _warm, parse_batch, prepare_out_dir

    _warm()
    refs, _ = index_inputs([str(folder)])
    refs = refs[: max(1, int(len(refs) * share))]
    with tempfile.TemporaryDirectory() as tmp:
        prepare_out_dir(tmp)
        t0 = time.perf_counter()
        for i, batch in enumerate(batches(refs, BATCH_BYTES)):
            parse_batch(i, batch, tmp)
        return time.perf_counter() - t0, sum(r.length for r in refs)


def _cpu() -> float:
    """This worker process's CPU seconds so far (user + system)."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def run(quick: bool, size: int | None = None) -> list:
    """The benchmark's rows (``size``: corpus bytes, default 100 MB, 2 MB when ``quick``)."""
    # A private, prebuilt name-index cache: checkouts of other versions share ~/.cache and would
    # overwrite it, making workers rebuild the index (seconds, ~280 MB) in the middle of a run.
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(ARTIFACTS / "cache")
    try:
        return _run(quick, size)
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved


def _run(quick: bool, size: int | None) -> list:
    from geodata.corpus.run import run_corpus, start_client
    from geodata.geoparse.index import load_index

    load_index()  # builds the private cache once, before anything is timed

    # Two clusters overlap here, and each restores the log level it found when it closes: the
    # scheduler's INFO lines about closing would reach stderr.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    size = size or (2_000_000 if quick else 100_000_000)
    repeat = 1 if quick else 3
    batch = 250_000 if quick else BATCH_BYTES  # quick: still several tasks for two workers
    folder = build_corpus(size)
    nbytes = sum(p.stat().st_size for p in folder.glob("*.txt"))
    ndocs = len(list(folder.glob("*.txt")))
    load_before = os.getloadavg()[0]
    clients, startup = {}, {}
    for n in (1, 2):
        t0 = time.perf_counter()
        clients[n] = start_client(n)  # includes warming every worker (imports, name index)
        startup[n] = time.perf_counter() - t0
    samples: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}  # worker CPU seconds per run: the rate without the machine's load
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(repeat):
                for n, client in clients.items():
                    before = sum(client.run(_cpu).values())
                    s = run_corpus([str(folder)], f"{tmp}/out{n}", client, batch_bytes=batch)
                    samples[n].append(s.seconds)
                    cpu[n].append(sum(client.run(_cpu).values()) - before)
            out_bytes = sum(p.stat().st_size for p in Path(f"{tmp}/out2/mentions").glob("*.parquet"))
            tasks, mentions = s.batches, s.mentions
        rss = max(clients[2].run(_rss).values())
        overhead = statistics.median(_task_overhead(clients[2], 200 if quick else 2000) for _ in range(repeat))
    finally:
        for client in clients.values():
            cluster = client.cluster
            client.close()
            cluster.close()
    load_after = os.getloadavg()[0]
    base_s, base_bytes = _in_process(folder, 0.2)
    t1, t2 = Timing(samples[1]), Timing(samples[2])
    rate1 = nbytes / 1e6 / t1.median  # MB/s of one worker, Dask included
    cpu_rate = {n: nbytes / 1e6 / statistics.median(v) for n, v in cpu.items()}  # MB per worker CPU second
    base_rate = base_bytes / 1e6 / base_s
    speedup = t1.median / t2.median
    eff = speedup / 2
    # The model: per-worker rate x workers x efficiency, plus the scheduler's serial per-task cost.
    # Rate and efficiency from worker CPU seconds, not wall time: on this shared 2-core machine
    # the wall clock measures the other processes as much as ours (see the load average).
    rate_m = cpu_rate[1]
    eff_m = cpu_rate[2] / cpu_rate[1]
    model_tasks = MODEL_BYTES / BATCH_BYTES
    compute = MODEL_BYTES / 1e6 / (rate_m * MODEL_WORKERS * eff_m)
    sched = model_tasks * overhead
    tail = BATCH_BYTES / 1e6 / (rate_m * eff_m)  # the last wave: one task's time at most
    task_s = BATCH_BYTES / 1e6 / rate_m  # one task's compute on one worker
    out_ratio = out_bytes / nbytes
    mb = nbytes / 1e6
    label = f"~{mb:.0f} MB, {ndocs:,} documents" + (" (quick)" if quick else "")
    notes_common = [f"{tasks} tasks of ~{batch / 1e6:.2g} MB, {mentions:,} mentions; GeoParquet out "
                    f"{out_bytes / 1e6:.1f} MB ({out_ratio:.1%} of the input)"]
    model = Timing([compute + sched + tail])
    return [
        Result(name=f"corpus {label}, 1 worker", unit="s", value=t1,
               what=f"run_corpus on a folder of {ndocs:,} .txt files, 1 worker process; "
                    "baseline: the batch function in this process without Dask, on a fifth of the corpus, scaled",
               baseline_name="no Dask, scaled", baseline=Timing([base_s * nbytes / base_bytes]),
               notes=[f"per-worker rate {rate1:.2f} MB/s with Dask; {base_rate:.2f} MB/s in-process without Dask "
                      f"({base_bytes / 1e6:.0f} MB)",
                      f"per worker CPU second: {cpu_rate[1]:.2f} MB with 1 worker, {cpu_rate[2]:.2f} MB with 2 "
                      f"(the rate a worker reaches on a core of its own)", *notes_common]),
        Result(name=f"corpus {label}, 2 workers", unit="s", value=t2,
               what="the same on 2 worker processes (the machine's 2 cores, shared with driver and scheduler)",
               baseline_name="1 worker", baseline=t1,
               notes=[f"speed-up {speedup:.2f}x, parallel efficiency {eff:.0%} (speed-up / 2); "
                      f"{nbytes / 1e6 / t2.median:.2f} MB/s in all",
                      f"1-minute load average {load_before:.1f} before the runs, {load_after:.1f} after "
                      f"(2 cores: above 2, other processes were competing for them)"]),
        Result(name="corpus scheduler overhead per task", unit="s", value=Timing([overhead]),
               what=f"{200 if quick else 2000} no-op tasks submitted at once to the 2-worker cluster, wall time / tasks "
                    f"(median of {repeat})"),
        Result(name=f"corpus model: 10 GB on {MODEL_WORKERS} workers", unit="s", value=model,
               what="predicted wall time = bytes / (per-worker rate x workers x efficiency) + tasks x per-task overhead "
                    "+ the last wave",
               notes=[
                   f"per-worker rate {rate_m:.2f} MB per worker CPU second (1 worker), efficiency {eff_m:.2f} (MB per "
                   f"CPU second with 2 workers / with 1): {MODEL_BYTES / 1e9:.0f} GB / ({rate_m:.2f} MB/s x "
                   f"{MODEL_WORKERS} x {eff_m:.2f}) = {compute:.0f} s of compute, + {model_tasks:,.0f} tasks x "
                   f"{overhead * 1e3:.2f} ms = {sched:.1f} s of scheduling, + {tail:.1f} s for the last wave: about "
                   f"{(compute + sched + tail) / 60:.1f} min ({MODEL_BYTES / 1e6 / (compute + sched + tail):.0f} MB/s)",
                   f"with the wall-clock numbers of this run instead ({rate1:.2f} MB/s, efficiency {eff:.2f}, both "
                   f"depressed by the other processes on the machine): "
                   f"{(MODEL_BYTES / 1e6 / (rate1 * MODEL_WORKERS * eff) + sched) / 60:.1f} min",
                   f"assumes the 2-worker efficiency holds at 16 (workers share nothing but the scheduler and the "
                   f"file system); each worker process holds its own name index: {rss / 1e6:.0f} MB resident after "
                   f"the runs here, so a 16-worker machine needs ~{16 * rss / 1e9:.1f} GB",
                   f"stops scaling where the scheduler's serial cost per task catches up with the tasks: a "
                   f"{BATCH_BYTES / 1e6:.0f} MB task takes {task_s:.2f} s of a worker's CPU, so past about "
                   f"{task_s / overhead:,.0f} workers tasks finish faster than {1 / overhead:,.0f} tasks/s are handed "
                   f"out (larger batches move that limit; 10 GB is only {model_tasks:,.0f} tasks, so above "
                   f"{model_tasks:,.0f} workers there is nothing left to split)",
                   f"or where writing dominates: the output is {out_ratio:.1%} of the input, so {MODEL_WORKERS} workers "
                   f"write {rate_m * MODEL_WORKERS * eff_m * out_ratio:.1f} MB/s of Parquet and read "
                   f"{rate_m * MODEL_WORKERS * eff_m:.0f} MB/s of text; a shared file system slower than that is the limit",
                   f"not in the model: indexing the inputs in the driver (a stat per text file; one JSON parse per "
                   f"JSON Lines document, serial) and starting the cluster ({startup[2]:.1f} s here for 2 warmed "
                   f"processes, {startup[1]:.1f} s for 1)",
               ]),
    ]


def _write_section(results: list, path: Path) -> None:
    """Replace (or append) this benchmark's section of RESULTS.md, leaving the others as they are."""
    import datetime as dt

    from run import _machine, _rows

    body = [f"## corpus\n\n{__doc__.strip()}\n",
            f"Run alone on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} ({_machine()}) with "
            "`python3 bench/bench_corpus.py --write`; not in the summary table above.\n",
            *_rows(results)]
    for r in results:
        body.append("")
        body += [f"- **{r.name}**: {r.what}."] + [f"  - {n}" for n in r.notes]
    section = "\n".join(body) + "\n"
    text = path.read_text(encoding="utf-8")
    start = text.find("\n## corpus\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    mb = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--mb=")), None)
    res = run(quick="--quick" in sys.argv, size=mb * 1_000_000 if mb else None)
    for r in res:
        print(r.name, f"{r.value.median:.3f}", *r.notes, sep="\n  ")
    if "--write" in sys.argv:
        _write_section(res, ROOT / "bench" / "RESULTS.md")
