"""A corpus run on Dask: batches of documents geoparsed by worker processes into GeoParquet.

The driver indexes the inputs (:mod:`geodata.corpus.inputs`), cuts the documents, sorted by
id, into batches of a few MB, and submits one task per batch. Each task reads and decodes its
documents, geoparses them with :func:`geodata.geoparse.parse` (the same mentions as the
``geoparse`` command gives for the file) and writes ``mentions/part-NNNNN.parquet`` itself,
so no text and no mention ever travels back through the scheduler: a task returns a few
counts and its documents' errors. Because batches are cut from id-sorted documents and every
document's mentions come in text order, reading the parts in name order gives the rows sorted
by (document id, start) whatever the number of workers.

The output folder holds ``mentions/`` (GeoParquet), ``errors.jsonl`` (one line per document
that was not parsed, sorted by input and id) and ``summary.json`` (the printed summary).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from geodata.corpus.inputs import DocError, DocRef, batches, index_inputs, load_text
from geodata.errors import InputError

__all__ = ["BatchResult", "CorpusSummary", "parse_batch", "prepare_out_dir", "run_corpus", "start_client", "warm_up"]

DEFAULT_BATCH_BYTES = 4_000_000
MENTIONS_DIR = "mentions"
ERRORS_FILE = "errors.jsonl"
SUMMARY_FILE = "summary.json"
_OURS = {MENTIONS_DIR, ERRORS_FILE, SUMMARY_FILE}
# The columns of geoparquet.SCHEMA, plus lon/lat for each file's bbox.
_COLUMNS = ("doc_id", "start", "end", "text", "sentence_start", "sentence_end", "place_id", "name", "kind", "country",
            "confidence", "date", "title", "source", "geometry", "lon", "lat")


@dataclass(frozen=True)
class BatchResult:
    """What one task did: its counts and the documents it could not parse."""

    index: int
    documents: int
    mentions: int
    bytes: int
    errors: tuple[DocError, ...] = ()


@dataclass(frozen=True)
class CorpusSummary:
    """The outcome of a corpus run (printed as JSON by ``geoparse-corpus``).

    ``documents`` were parsed, ``errors`` were not (see ``errors.jsonl``); ``bytes`` counts
    every document handed to a worker; ``seconds`` is the wall time from indexing to the last
    file written, without starting the cluster (``startup_seconds``).
    """

    documents: int
    mentions: int
    bytes: int
    seconds: float
    mb_per_s: float
    errors: int
    batches: int
    workers: int
    startup_seconds: float
    out: str
    error_file: str = field(default="")

    def to_json(self) -> str:
        """One JSON object, keys in a fixed order."""
        return json.dumps(asdict(self), ensure_ascii=False)


def parse_batch(index: int, refs: list[DocRef], out_dir: str, width: int = 5) -> BatchResult:
    """Geoparse one batch of documents into ``out_dir/mentions/part-<index>.parquet`` (a task).

    Parameters
    ----------
    index : int
        The batch's number: names its part file.
    refs : list of DocRef
        Its documents, sorted by id.
    out_dir : str
        The run's output folder (it must be the same path on every worker).
    width : int
        Digits in the part file's number, so names sort like numbers.

    Returns
    -------
    BatchResult
        Counts, and one :class:`DocError` per document that could not be read, decoded or parsed.
    """
    from geodata.corpus.geoparquet import mentions_table, point_wkb, write_table
    from geodata.geoparse import parse

    cols: dict[str, list] = {k: [] for k in _COLUMNS}
    errors, docs, nbytes = [], 0, 0
    wkb: dict[str, bytes] = {}  # place id -> its point: a batch names the same places again and again
    for ref in refs:
        nbytes += ref.length
        try:
            mentions = parse(load_text(ref))
        except InputError as exc:
            errors.append(DocError(ref.id, ref.input, str(exc)))
            continue
        except Exception as exc:  # a bug on one document must not cost the others: recorded, run goes on
            errors.append(DocError(ref.id, ref.input, f"{ref.where}: geoparse failed ({type(exc).__name__}: {exc})"))
            continue
        docs += 1
        n = len(mentions)
        places = [m.place for m in mentions]
        # Column by column: a list comprehension per field is several times faster than a dict per row.
        for key, values in (
            ("doc_id", [ref.id] * n), ("start", [m.start for m in mentions]), ("end", [m.end for m in mentions]),
            ("text", [m.text for m in mentions]), ("sentence_start", [m.sentence_start for m in mentions]),
            ("sentence_end", [m.sentence_end for m in mentions]), ("place_id", [p.id for p in places]),
            ("name", [p.name for p in places]), ("kind", [m.kind for m in mentions]),
            ("country", [p.country for p in places]), ("confidence", [m.confidence for m in mentions]),
            ("date", [ref.date] * n), ("title", [ref.title] * n), ("source", [ref.source] * n),
            ("lon", [p.lon for p in places]), ("lat", [p.lat for p in places]),
        ):
            cols[key] += values
        for p in places:
            if p.id not in wkb:
                wkb[p.id] = point_wkb(p.lon, p.lat)
        cols["geometry"] += [wkb[p.id] for p in places]
    out = Path(out_dir) / MENTIONS_DIR / f"part-{index:0{width}d}.parquet"
    write_table(mentions_table(cols), out)
    return BatchResult(index, docs, len(cols["doc_id"]), nbytes, tuple(errors))


def prepare_out_dir(out: str) -> Path:
    """Create ``out`` (or empty it of a previous run's files) and check it can be written.

    Raises
    ------
    InputError
        ``out`` is a file, cannot be created or written, or holds files of something else.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder (created if missing)")
    try:
        (path / MENTIONS_DIR).mkdir(parents=True, exist_ok=True)
        probe = path / MENTIONS_DIR / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"--out {out}: cannot be written ({exc.strerror}); give a folder you can write") from None
    foreign = sorted(p.name for p in path.iterdir() if p.name not in _OURS)
    foreign += sorted(f"{MENTIONS_DIR}/{p.name}" for p in (path / MENTIONS_DIR).iterdir()
                      if not (p.name.startswith("part-") and p.suffix == ".parquet"))
    if foreign:
        raise InputError(f"--out {out}: holds other files ({', '.join(foreign[:3])}); give a new or empty folder")
    # A previous run's parts would mix with this run's when the folder is read back.
    for p in (path / MENTIONS_DIR).iterdir():
        p.unlink()
    for name in (ERRORS_FILE, SUMMARY_FILE):
        (path / name).unlink(missing_ok=True)
    return path


def start_client(workers: int | None = None, scheduler: str | None = None):
    """A Dask client: on a new LocalCluster (one single-threaded worker process per core, no
    dashboard, loopback only) or connected to ``scheduler`` (``tcp://HOST:PORT``).

    The caller closes it (and, for a local cluster, ``client.cluster``) when done.

    Raises
    ------
    InputError
        A scheduler that cannot be reached.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({exc}); check the address and that "
                             "the scheduler is running") from None
        try:
            warm_up(client)
        except Exception as exc:  # e.g. workers without geodata installed: say so, not a traceback
            client.close()
            raise InputError(f"--scheduler {scheduler}: its workers cannot run the geoparser ({type(exc).__name__}: "
                             f"{exc}); install this project on every worker") from None
        return client
    n = workers or os.cpu_count() or 1
    # One thread per process: the geoparser is pure Python and holds the GIL. No dashboard; the
    # scheduler's remaining HTTP routes (health, metrics) on a free loopback port, not on 8787,
    # which another cluster on the machine may hold.
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                           silence_logs=logging.ERROR)
    try:
        client = Client(cluster)
        client.wait_for_workers(n)
        warm_up(client)
    except BaseException:
        cluster.close()
        raise
    return client


def _warm() -> None:
    """Load what every task needs (imports, the name index), once per worker process."""
    from geodata.corpus.geoparquet import _crs_projjson, mentions_table
    from geodata.geoparse import parse

    parse("Almaty.")
    _crs_projjson()
    mentions_table({k: [] for k in _COLUMNS})


def warm_up(client) -> None:
    """Run :func:`_warm` on every worker, so the first batches measure parsing, not imports
    (about 1 s per worker process)."""
    client.run(_warm)


def _progress(stream: TextIO, done: int, total: int, docs: int, nbytes: int, t0: float) -> None:
    rate = nbytes / 1e6 / max(time.perf_counter() - t0, 1e-9)
    stream.write(f"\rgeoparse-corpus: {done}/{total} batches, {docs:,} documents, {nbytes / 1e6:,.1f} MB, "
                 f"{rate:.1f} MB/s ")
    stream.flush()


def run_corpus(inputs: list[str], out: str, client, *, batch_bytes: int = DEFAULT_BATCH_BYTES,
               progress: TextIO | None = None, startup_seconds: float = 0.0) -> CorpusSummary:
    """Geoparse every document of ``inputs`` on ``client``'s cluster into GeoParquet under ``out``.

    Parameters
    ----------
    inputs : list of str
        Text files, JSON Lines files and folders of them (see :mod:`geodata.corpus.inputs`).
    out : str
        Output folder: ``mentions/`` (GeoParquet), ``errors.jsonl``, ``summary.json``.
    client : distributed.Client
        Where the batches run; its workers must see ``inputs`` and ``out`` at the same paths.
    batch_bytes : int
        About how many bytes of documents one task parses.
    progress : TextIO, optional
        Where a one-line progress report is redrawn after each batch (e.g. ``sys.stderr``).
    startup_seconds : float
        How long starting the cluster took (reported only).

    Returns
    -------
    CorpusSummary

    Raises
    ------
    InputError
        A missing input or an unusable output folder (bad documents never raise).

    Examples
    --------
    >>> import geopandas as gpd                                     # doctest: +SKIP
    >>> run_corpus(["seeds/"], "out", client)                       # doctest: +SKIP
    >>> gpd.read_parquet("out/mentions")                            # doctest: +SKIP
    """
    from distributed import as_completed

    if batch_bytes < 1:
        raise InputError(f"batch size {batch_bytes}: give a positive number of bytes")
    t0 = time.perf_counter()
    refs, errors = index_inputs(inputs)
    out_path = prepare_out_dir(out)
    work = batches(refs, batch_bytes) or [[]]  # no document: one empty part, so the folder still reads back
    width = max(5, len(str(len(work) - 1)))
    futures = [client.submit(parse_batch, i, batch, str(out_path.resolve()), width, key=f"geoparse-batch-{i}",
                             pure=False) for i, batch in enumerate(work)]
    sizes = {f.key: (i, work[i]) for i, f in enumerate(futures)}
    docs = mentions = nbytes = done = 0
    for future in as_completed(futures):
        index, batch = sizes[future.key]
        try:
            result: BatchResult = future.result()
        except Exception as exc:  # a task that died (a killed worker): its documents are errors, the run goes on
            reason = f"batch {index} failed ({type(exc).__name__}: {exc})"
            errors += [DocError(r.id, r.input, f"{r.where}: {reason}") for r in batch]
            nbytes += sum(r.length for r in batch)
        else:
            docs, mentions, nbytes = docs + result.documents, mentions + result.mentions, nbytes + result.bytes
            errors += result.errors
        future.release()
        done += 1
        if progress is not None:
            _progress(progress, done, len(futures), docs, nbytes, t0)
    if progress is not None and futures:
        progress.write("\n")
    errors.sort(key=lambda e: (e.input, e.id, e.reason))
    error_file = out_path / ERRORS_FILE
    error_file.write_text("".join(e.to_json() + "\n" for e in errors), encoding="utf-8")
    seconds = time.perf_counter() - t0
    summary = CorpusSummary(
        documents=docs, mentions=mentions, bytes=nbytes, seconds=round(seconds, 3),
        mb_per_s=round(nbytes / 1e6 / seconds, 3) if seconds > 0 else 0.0, errors=len(errors),
        batches=len(work), workers=len(client.scheduler_info().get("workers", {})),
        startup_seconds=round(startup_seconds, 3), out=str(out_path), error_file=str(error_file))
    (out_path / SUMMARY_FILE).write_text(summary.to_json() + "\n", encoding="utf-8")
    return summary
