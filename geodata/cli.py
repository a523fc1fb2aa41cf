"""The ``python -m geodata`` command line.

Commands print JSON (one object, an array, or JSON Lines) on stdout. Bad input gets one line
on stderr saying what and how to fix it, and a non-zero exit: 1 for input or data errors,
2 for usage errors (argparse). Never a traceback for input we can foresee.
"""

from __future__ import annotations

import argparse
import codecs
import ctypes
import errno
import gc
import json
import os
import sys
from pathlib import Path

from geodata.errors import DataError, InputError

__all__ = ["main"]


MAX_BYTES_LIMIT = 1_000_000_000  # --max-bytes above this is refused; so is standard input above it (held in memory)
# Files larger than this are geoparsed in blocks (geodata.geoparse.stream): memory stays bounded
# whatever the size, for about the CPU of the whole-text parse (the file is decoded twice), which
# smaller files keep.
STREAM_FROM_BYTES = 10_000_000
ECHO_CHARS = 80  # a name echoed in a message is cut to this many characters


def _shorten(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def max_bytes(value: str) -> int:
    """The ``--max-bytes`` option: a whole number of bytes from 1 to :data:`MAX_BYTES_LIMIT`."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shorten(value, 40)!r} is not a whole number of bytes") from None
    if not 1 <= n <= MAX_BYTES_LIMIT:
        raise argparse.ArgumentTypeError(f"{_shorten(value, 40)} is out of range; give 1 to {MAX_BYTES_LIMIT:,}")
    return n


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


def cmd_geocode(args: argparse.Namespace) -> int:
    """Resolve a place name; add border distances for places in Kazakhstan."""
    from geodata.gazetteer import load_gazetteer

    name = " ".join(args.name).strip()
    if not name:
        raise InputError("geocode: empty place name; give a name, e.g. python -m geodata geocode Almaty")
    gz = load_gazetteer()
    place = gz.lookup(name)
    if place is None:
        close = gz.close_matches(name)
        hint = f"; close matches: {', '.join(close)}" if close else "; check the spelling"
        raise InputError(f"geocode: no place named {_shorten(name)!r} in the gazetteer{hint}")
    out = {
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "id": place.id,
        "source": place.source,
        "precision": place.precision,
    }
    if args.all:
        out["candidates"] = [{"id": p.id, "name": p.name, "kind": p.kind, "country": p.country} for p in gz.candidates(name)]
    if place.country == "KZ":
        from geodata.borders import border_distance

        out["border"] = border_distance(place.lon, place.lat)
    print(_dump(out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every layer of the filtered view as RFC 7946 GeoJSON into OUTDIR."""
    import os

    from geodata.store import ENV_VAR, open_store
    from geodata.writers import export

    # The store joins only when named (--db or QANTAR_DB): a plain export is the seed catalogue's alone.
    store = open_store(args.db) if args.db or os.environ.get(ENV_VAR) else None
    try:
        paths = export(args.outdir, store=store, date_from=args.date_from, date_to=args.date_to,
                       sources=args.source or None, types=args.type or None)
    finally:
        if store is not None:
            store.dispose()
    for path in paths:
        print(path)
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    """Print every claim check as one JSON array; with ``--candidates``, Pike's count for the user's cities."""
    from geodata.claims import check_all

    if args.candidates is None:
        print(json.dumps([c.as_dict() for c in check_all()], ensure_ascii=False, indent=2))
        return 0
    return _claims_for_candidates(args)


def _neighbour_set(words: list[str]) -> tuple[str, tuple[str, ...]]:
    """A neighbour set's name, or neighbour country names, as (label, neighbours)."""
    from geodata.borders import check_neighbours
    from geodata.claims import NEIGHBOUR_SETS

    joined = " ".join(words)
    if joined in NEIGHBOUR_SETS:
        return joined, NEIGHBOUR_SETS[joined]
    try:
        names = check_neighbours(tuple(sorted(set(words))))
    except InputError as exc:
        raise InputError(f"claims: {exc}; or give a set: {', '.join(NEIGHBOUR_SETS)}") from None
    return ", ".join(names), names


def _claims_for_candidates(args: argparse.Namespace) -> int:
    """Pike's count for the cities of a CSV file: JSON on stdout, each unresolved name on stderr."""
    from pathlib import Path

    from geodata.claims import pike_check, user_set, verdict_text

    path = Path(args.candidates)
    try:
        raw = sys.stdin.buffer.read() if args.candidates == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"claims: cannot read {path} ({exc.strerror}); give a CSV file of name[,note] lines") from None
    cset = user_set(raw)
    for bad in cset.unresolved:
        print(f"warning: {path.name}: {bad.message()}", file=sys.stderr)
    if not cset.ids:
        raise InputError(f"claims: no name in {path.name} resolved to a Kazakh city; fix the names listed above")
    label, neighbours = _neighbour_set(args.neighbours)
    result = pike_check(args.km, neighbours, cset.ids)
    out = {
        "candidates": {"file": path.name, "names": list(cset.names), "ids": list(cset.ids),
                       "unresolved": [{"line": b.line, "name": b.name, "reason": b.reason, "detail": b.detail}
                                      for b in cset.unresolved]},
        "neighbour_set": label,
        "verdict": verdict_text(result, label, f"{path.name}"),
        "result": result.as_dict(),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


def _utf8_bytes_of(out):
    """The binary stream under a UTF-8 text stream that writes "\n" as it is (the same bytes,
    without a str per line: :func:`geodata.geoparse.stream_json_lines`), else the text stream.

    The stream's error handler does not matter: decoded input never holds a lone surrogate,
    the only thing UTF-8 cannot encode."""
    buffer = getattr(out, "buffer", None)
    try:
        utf8 = codecs.lookup(out.encoding).name == "utf-8"
    except (AttributeError, LookupError, TypeError):
        utf8 = False
    if buffer is None or not utf8 or os.linesep != "\n":
        return out
    out.flush()
    return buffer


_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's mallopt parameters (malloc.h)


def _keep_freed_memory() -> None:
    """Let glibc's malloc keep what a streamed block frees for the next block.

    By default it hands large strings (each block's text, its bytes, the output buffer) back to
    the kernel when they are freed, and the next block faults in and zeroes the same pages again:
    about 50,000 page faults and 0.1 s of system time on 50 MB. Kept, they cost about 15 MB more
    peak memory. Nothing happens where the C library has no ``mallopt`` (not glibc).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # another C library: its allocator keeps its own habits
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    mallopt(_M_TOP_PAD, 64 << 20)
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest accepted value on 64-bit


def cmd_geoparse(args: argparse.Namespace) -> int:
    """Print the place mentions of a text file (or stdin) as JSON Lines, one mention per line."""
    from geodata.geoparse import read_text_input, stream_json_lines, write_json_lines

    limit = args.max_bytes or MAX_BYTES_LIMIT
    path = Path(args.path)
    size = path.stat().st_size if args.path != "-" and path.is_file() else 0
    # A short-lived process whose parse makes no reference cycles: the cyclic collector would
    # only walk the ~100,000 tuples of a long text again and again.
    gc.disable()
    try:
        if size > STREAM_FROM_BYTES and (args.max_bytes is None or size <= args.max_bytes):
            _keep_freed_memory()
            stream_json_lines(path, _utf8_bytes_of(sys.stdout), sentences=not args.no_sentences)
        else:
            text = read_text_input(args.path, max_bytes=limit)
            write_json_lines(text, sys.stdout, sentences=not args.no_sentences)
    finally:
        gc.enable()
    return 0


# Commands whose parsers live with their packages. Importing one imports its package: SQLAlchemy
# for the store, the corpus inputs with it (about 0.45 s of CPU, profiled with -X importtime),
# which a geocode or a geoparse run has no use for. So they are registered only when asked for,
# or when the command is unknown or missing (the usage message then lists them all).
_PACKAGE_COMMANDS = {"geoparse-corpus": "corpus", "sources": "store", "events": "store"}
_CORE_COMMANDS = {"geocode", "export", "geoparse", "claims"}


def _command(argv: list[str]) -> str | None:
    """The command word of ``argv`` (its first argument; the top-level parser takes no options but -h)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand, or only the core ones when ``command`` is one of them."""
    if command in _CORE_COMMANDS:
        packages = set()
    elif command in _PACKAGE_COMMANDS:
        packages = {_PACKAGE_COMMANDS[command]}
    else:  # no command, -h or an unknown word: the usage lists every command
        packages = set(_PACKAGE_COMMANDS.values())
    parser = argparse.ArgumentParser(prog="python -m geodata", description="Qantar Atlas data tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("geocode", help="resolve a place name to one JSON object (with border distances in Kazakhstan)")
    p.add_argument("name", nargs="*", help="place name, any spelling: Alma-Ata, Nur-Sultan, Janaozen ...")
    p.add_argument("--all", action="store_true", help="also list every candidate, best first")
    p.set_defaults(func=cmd_geocode)

    p = sub.add_parser("export", help="write events, troops, figures, places, borders and claims as GeoJSON into OUTDIR")
    p.add_argument("outdir", help="directory to write into (created if missing)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="keep entries on or after DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="keep entries on or before DATE (YYYY-MM-DD)")
    p.add_argument("--source", nargs="+", metavar="ID", help="keep entries citing any of these source ids")
    p.add_argument("--type", nargs="+", metavar="TYPE", help="keep events of these types")
    p.add_argument("--db", metavar="DB", help="also export the events and sources of this store (a SQLite file "
                   "or postgresql:// URL; default: QANTAR_DB when set, else the seed catalogue alone)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("geoparse", help="print the place mentions of a text as JSON Lines")
    p.add_argument("path", help="a UTF-8 (or UTF-16 with BOM) text file, or - for stdin")
    p.add_argument("--max-bytes", type=max_bytes, default=None, metavar="N",
                   help=f"refuse larger input (default: files of any size, parsed in blocks above 10 MB; "
                        f"standard input up to {MAX_BYTES_LIMIT:,} bytes)")
    p.add_argument("--no-sentences", action="store_true",
                   help="leave each mention's sentence text out (sentence_start/sentence_end stay)")
    p.set_defaults(func=cmd_geoparse)

    if "corpus" in packages:
        from geodata.corpus.cli import add_corpus_command  # the corpus command lives with the corpus code
        add_corpus_command(sub)

    p = sub.add_parser("claims", help="print the checks of the seeds' geographic claims as a JSON array")
    p.add_argument("--candidates", metavar="FILE.csv",
                   help="instead, count Pike's claim for the cities of this CSV (name[,note] lines; - for stdin)")
    p.add_argument("--km", type=float, default=100.0, help="with --candidates: the threshold in km (default 100)")
    p.add_argument("--neighbours", nargs="+", default=["all land borders"], metavar="NAME",
                   help="with --candidates: a border set (\"all land borders\", \"Pike's four (all but Russia)\" ...) "
                        "or neighbour countries (China Kyrgyzstan ...)")
    p.set_defaults(func=cmd_claims)
    if "store" in packages:
        from geodata.store.cli import add_store_commands  # the user's store: sources and events
        add_store_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_command(argv)).parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a full disk shows here, not as a traceback at exit
        return status
    except (InputError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise
        _drop_stdout()  # writing the output failed: a full disk, a quota, an I/O error
        print(f"error: cannot write the output ({exc.strerror or exc}); free some space or write elsewhere",
              file=sys.stderr)
        return 1


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor to redirect (an embedded stdout): nothing to flush there
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
