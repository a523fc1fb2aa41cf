"""Find a verbatim quote in a seed document, or fill the offsets of a catalogue file.

Offsets in the catalogue are never typed by hand: this script computes them.

Usage
-----
Locate one quote (prints ``start end``)::

    python3 scripts/locate_quote.py 004_94b04064989387af.txt "was reported peaceful"
    python3 scripts/locate_quote.py 001_460d591629f0a55e.txt "Some 164 civilians" --source pike-spectator
    python3 scripts/locate_quote.py 001_460d591629f0a55e.txt "agents" --occurrence 1

Fill or check every evidence entry of a catalogue file (``events.toml``,
``troops.toml``, ``figures.toml``)::

    python3 scripts/locate_quote.py --fix geodata/data/catalogue/events.toml
    python3 scripts/locate_quote.py --fix geodata/data/catalogue/events.toml --check

``--fix`` looks each quote up inside its source's span of the named document. A
quote found exactly once gets its ``start``/``end`` written; a quote found more
than once is refused unless the offsets already in the file point at one of its
occurrences (then it is kept); a quote not found is an error. ``--check`` reports
what would change and exits 1 instead of writing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.errors import DataError  # noqa: E402
from geodata.sources import document_text, load_sources  # noqa: E402

KINDS = ("event", "troop", "figure")
HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_.]+)\s*\]\]\s*$")
OFFSET_LINE = re.compile(r"^(\s*)(start|end)\s*=.*$")


def occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Every start offset of ``quote`` in ``text[lo:hi]`` (overlapping matches included)."""
    hi = len(text) if hi is None else hi
    found, i = [], text.find(quote, lo, hi)
    while i >= 0:
        found.append(i)
        i = text.find(quote, i + 1, hi)
    return found


def _source_windows(source_id: str, document: str) -> list[tuple[int, int]]:
    src = load_sources().get(source_id)
    if src is None:
        raise DataError(f"unknown source {source_id!r}; known: {', '.join(sorted(load_sources()))}")
    windows = [(s.start, s.end) for s in src.spans if s.document == document]
    if not windows:
        raise DataError(f"source {source_id!r} has no span in {document}; cite a document the source occupies")
    return windows


def locate(document: str, quote: str, source_id: str | None = None) -> list[int]:
    """Start offsets of ``quote`` in ``document``, restricted to ``source_id``'s spans if given."""
    text = document_text(document)
    if source_id is None:
        return occurrences(text, quote)
    return [i for lo, hi in _source_windows(source_id, document) for i in occurrences(text, quote, lo, hi)]


def _evidence_blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first line, end line) of every ``[[<kind>.evidence]]`` block, in file order."""
    blocks: list[tuple[str, int, int]] = []
    open_block: tuple[str, int] | None = None
    for n, line in enumerate(lines):
        m = HEADER.match(line)
        if not m:
            continue
        if open_block is not None:
            blocks.append((open_block[0], open_block[1], n))
            open_block = None
        name = m.group(1)
        if name.endswith(".evidence") and name.split(".")[0] in KINDS:
            open_block = (name.split(".")[0], n)
    if open_block is not None:
        blocks.append((open_block[0], open_block[1], len(lines)))
    return blocks


def _resolve(ev: dict, where: str) -> tuple[int, int] | str:
    """The offsets an evidence entry should carry, or a one-line refusal."""
    for key in ("source_id", "document", "quote"):
        if key not in ev:
            return f"{where}: missing {key}"
    try:
        starts = locate(ev["document"], ev["quote"], ev["source_id"])
    except DataError as exc:
        return f"{where}: {exc}"
    n = len(ev["quote"])
    if not starts:
        return f"{where}: quote not found in source {ev['source_id']!r} of {ev['document']}; copy it verbatim"
    if len(starts) == 1:
        return starts[0], starts[0] + n
    if ev.get("start") in starts and ev.get("end") == ev.get("start") + n:
        return ev["start"], ev["end"]
    spots = ", ".join(f"[{s}:{s + n}]" for s in starts)
    return f"{where}: quote occurs {len(starts)} times in the source span ({spots}); lengthen it or set start/end to one"


def fix_file(path: Path, check: bool = False) -> tuple[int, list[str]]:
    """Fill the offsets of every evidence entry of one catalogue file.

    Returns
    -------
    (changed, problems)
        How many entries got new offsets, and one line per refused entry.
    """
    raw = path.read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    flat = [
        (kind, entry.get("id", f"#{i}"), j, ev)
        for kind in KINDS
        for i, entry in enumerate(data.get(kind, []))
        for j, ev in enumerate(entry.get("evidence", []))
    ]
    lines = raw.splitlines(keepends=True)
    blocks = _evidence_blocks(lines)
    # tomllib keeps array-of-tables order, so the k-th block is the k-th evidence of its kind.
    by_kind = {k: [b for b in blocks if b[0] == k] for k in KINDS}
    flat_by_kind = {k: [f for f in flat if f[0] == k] for k in KINDS}
    for k in KINDS:
        if len(by_kind[k]) != len(flat_by_kind[k]):
            raise DataError(f"{path.name}: write evidence as [[{k}.evidence]] tables so offsets can be filled")
    changed, problems, edits = 0, [], {}
    for k in KINDS:
        for (kind, eid, j, ev), (_, first, last) in zip(flat_by_kind[k], by_kind[k]):
            got = _resolve(ev, f"{path.name}: {kind} {eid!r} evidence[{j}]")
            if isinstance(got, str):
                problems.append(got)
                continue
            if (ev.get("start"), ev.get("end")) != got:
                changed += 1
                edits[(first, last)] = got
    if check or not edits:
        return changed, problems
    out: list[str] = []
    starts = {first: (last, got) for (first, last), got in edits.items()}
    n = 0
    while n < len(lines):
        if n not in starts:
            out.append(lines[n])
            n += 1
            continue
        last, (s, e) = starts[n]
        block = [ln for ln in lines[n:last] if not OFFSET_LINE.match(ln)]
        # Offsets go right after `document = ...` so every block reads the same way.
        at = next((i + 1 for i, ln in enumerate(block) if ln.lstrip().startswith("document")), 1)
        block[at:at] = [f"start = {s}\n", f"end = {e}\n"]
        out.extend(block)
        n = last
    path.write_text("".join(out), encoding="utf-8")
    return changed, problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("document", nargs="?", help="seed file name, e.g. 004_94b04064989387af.txt")
    ap.add_argument("quote", nargs="?", help="the verbatim quote")
    ap.add_argument("--occurrence", type=int, default=None, help="0-based index when the quote occurs more than once")
    ap.add_argument("--source", default=None, help="restrict the search to this source's spans")
    ap.add_argument("--fix", type=Path, metavar="FILE", help="fill start/end of every evidence entry in FILE")
    ap.add_argument("--check", action="store_true", help="with --fix: report, do not write; exit 1 if anything would change")
    args = ap.parse_args(argv)
    try:
        if args.fix:
            if not args.fix.is_file():
                print(f"{args.fix}: no such file; give a catalogue TOML file", file=sys.stderr)
                return 2
            changed, problems = fix_file(args.fix, check=args.check)
            for p in problems:
                print(p, file=sys.stderr)
            verb = "would change" if args.check else "filled"
            print(f"{args.fix.name}: {verb} offsets of {changed} evidence entries; {len(problems)} refused")
            return 1 if problems or (args.check and changed) else 0
        if not (args.document and args.quote):
            ap.error("give DOCUMENT and QUOTE, or --fix FILE")
        starts = locate(args.document, args.quote, args.source)
    except (DataError, tomllib.TOMLDecodeError) as exc:
        print(str(exc).splitlines()[0], file=sys.stderr)
        return 2
    n = len(args.quote)
    if not starts:
        print(f"quote not found in {args.document}" + (f" within {args.source}" if args.source else ""), file=sys.stderr)
        return 1
    if args.occurrence is None and len(starts) > 1:
        spots = ", ".join(f"[{s}:{s + n}]" for s in starts)
        print(f"quote occurs {len(starts)} times: {spots}; pass --occurrence N (0-based)", file=sys.stderr)
        return 1
    idx = args.occurrence or 0
    if not 0 <= idx < len(starts):
        print(f"--occurrence {idx} out of range: the quote occurs {len(starts)} times", file=sys.stderr)
        return 1
    print(starts[idx], starts[idx] + n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
