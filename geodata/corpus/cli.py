"""The ``geoparse-corpus`` subcommand (hooked into :mod:`geodata.cli` by :func:`add_corpus_command`).

Thin: check the arguments, start or join a cluster, call :func:`~geodata.corpus.run.run_corpus`,
print its summary as one JSON object. A bad argument (missing input, unwritable output folder,
bad scheduler address, fewer than one worker) is an :class:`~geodata.errors.InputError`, which
the CLI prints as one line with exit status 1; bad documents only ever reach ``errors.jsonl``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from geodata.errors import InputError

__all__ = ["add_corpus_command", "cmd_geoparse_corpus"]

_ADDRESS = re.compile(r"(tcp|tls)://[^\s/:]+:\d{1,5}")


def cmd_geoparse_corpus(args: argparse.Namespace) -> int:
    """Geoparse a corpus into GeoParquet; print the run's summary as JSON."""
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: give at least 1")
    if args.scheduler is not None and not _ADDRESS.fullmatch(args.scheduler):
        raise InputError(f"--scheduler {args.scheduler!r}: give an address like tcp://HOST:PORT")
    if args.scheduler is not None and args.workers is not None:
        raise InputError("--workers and --scheduler: give one; an existing cluster has its own workers")
    if not args.batch_mb > 0:
        raise InputError(f"--batch-mb {args.batch_mb}: give a positive size")
    from geodata.corpus.inputs import check_inputs
    from geodata.corpus.run import prepare_out_dir, run_corpus, start_client

    # Bad arguments fail before a cluster is started (seconds) rather than after.
    check_inputs(args.inputs)
    prepare_out_dir(args.out)
    t0 = time.perf_counter()
    client = start_client(args.workers, args.scheduler)
    try:
        startup = time.perf_counter() - t0
        show = args.progress or sys.stderr.isatty()
        summary = run_corpus(args.inputs, args.out, client, batch_bytes=int(args.batch_mb * 1e6),
                             progress=sys.stderr if show else None, startup_seconds=startup)
    finally:
        cluster = getattr(client, "cluster", None) if args.scheduler is None else None
        client.close()
        if cluster is not None:
            cluster.close()
    print(summary.to_json())
    return 0


def add_corpus_command(subparsers) -> None:
    """Add ``geoparse-corpus`` to the CLI's subparsers."""
    p = subparsers.add_parser("geoparse-corpus", help="geoparse many documents on Dask into GeoParquet")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="text files, JSON Lines files (id, text; optional date, title, source) or folders of them")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder: mentions/ (GeoParquet), errors.jsonl, summary.json")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes of a local cluster (default: one per core)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="join this Dask scheduler instead of starting one")
    p.add_argument("--batch-mb", type=float, default=4.0, metavar="MB", help="about how much text one task parses (default 4)")
    p.add_argument("--progress", action="store_true", help="show the progress line even when stderr is not a terminal")
    p.set_defaults(func=cmd_geoparse_corpus)
