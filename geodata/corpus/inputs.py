"""The documents of a corpus run: where each one is, its id, and batches of a few MB.

Inputs are text files (one document each, id = the file name without ``.txt``), JSON Lines
files (``.jsonl``/``.ndjson``: one document per line, ``{"id", "text"}`` and optionally
``date``, ``title``, ``source``) and folders of both (their files sorted by name, not
recursive). The driver only *indexes* documents here: a text file costs a ``stat``, a JSON
Lines file one read to find each line's id; the text itself is read again by the worker that
parses it (:func:`load_text`), so the driver's memory grows with the number of documents,
never with their size.

A document whose id was already seen is not parsed: the first one (in the order the inputs
were given) wins, and each later one becomes an error of the run, never the end of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import InputError
# The project's decoding rules (UTF-8 with or without BOM, UTF-16 with BOM; binary, empty
# and cp1251 refused with a reason). Imported in this one place only: when textinput moves
# into the geoparse package this is the line to change.
from geodata.geoparse import DEFAULT_MAX_BYTES, decode_text

__all__ = ["DocError", "DocRef", "batches", "check_inputs", "index_inputs", "load_text"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIX = ".txt"
_META = ("date", "title", "source")


@dataclass(frozen=True)
class DocRef:
    """Where one document is: ``length`` bytes at ``offset`` of ``input`` (a whole text file,
    or one line of a JSON Lines file, ``line`` counted from 1)."""

    id: str
    input: str
    offset: int
    length: int
    line: int = 0
    date: str | None = None
    title: str | None = None
    source: str | None = None

    @property
    def where(self) -> str:
        """How messages name the document."""
        return f"{self.input}, line {self.line}" if self.line else self.input


@dataclass(frozen=True)
class DocError:
    """A document that was not parsed, and why (one line of ``errors.jsonl``)."""

    id: str
    input: str
    reason: str

    def to_json(self) -> str:
        """The ``errors.jsonl`` line (without its newline)."""
        return json.dumps({"id": self.id, "input": self.input, "reason": self.reason}, ensure_ascii=False)


def _files(path: Path) -> list[Path]:
    """The document files a command-line input stands for."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (TEXT_SUFFIX, *JSONL_SUFFIXES))
        if not found:
            raise InputError(f"{path}: no .txt or .jsonl files in this folder; give a folder of documents")
        return found
    if path.is_file():
        return [path]
    raise InputError(f"{path}: no such file or folder; check the path")


def check_inputs(inputs: list[str]) -> None:
    """Raise :class:`InputError` for an input that does not exist or a folder without documents
    (cheap: no file is read, so a command can check its arguments before starting a cluster)."""
    for arg in inputs:
        _files(Path(arg))


def _jsonl_refs(path: Path, errors: list[DocError]) -> list[DocRef]:
    """One :class:`DocRef` per usable line of a JSON Lines file; the unusable lines go to ``errors``."""
    refs = []
    offset = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue  # blank lines (a trailing newline) are no documents
            where = f"{path}, line {number}"
            try:
                obj = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                errors.append(DocError(f"{path.name}:{number}", str(path), f"{where}: not a JSON object ({exc})"))
                continue
            doc_id = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id) == "":
                errors.append(DocError(f"{path.name}:{number}", str(path),
                                       f"{where}: needs an \"id\" (a non-empty string or an integer)"))
                continue
            if not isinstance(obj.get("text"), str):
                errors.append(DocError(str(doc_id), str(path), f"{where}: needs a \"text\" string"))
                continue
            meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in _META}
            refs.append(DocRef(str(doc_id), str(path), start, len(raw), number, **meta))
    return refs


def index_inputs(inputs: list[str]) -> tuple[list[DocRef], list[DocError]]:
    """Every document of ``inputs``, sorted by id, and the errors found on the way.

    Parameters
    ----------
    inputs : list of str
        Text files, JSON Lines files and folders of them.

    Returns
    -------
    refs : list of DocRef
        Sorted by id; each id once.
    errors : list of DocError
        Unusable JSON Lines lines and duplicate ids, in input order.

    Raises
    ------
    InputError
        An input that does not exist, or a folder without documents (a bad argument, not a bad
        document: the run cannot start).
    """
    refs: list[DocRef] = []
    errors: list[DocError] = []
    for arg in inputs:
        for path in _files(Path(arg)):
            if path.suffix.lower() in JSONL_SUFFIXES:
                refs += _jsonl_refs(path, errors)
            else:
                refs.append(DocRef(path.stem, str(path), 0, path.stat().st_size))
    first: dict[str, DocRef] = {}
    for ref in refs:
        if ref.id in first:
            errors.append(DocError(ref.id, ref.input, f"{ref.where}: duplicate id {ref.id!r}, first seen in "
                                                      f"{first[ref.id].where}; give each document its own id"))
        else:
            first[ref.id] = ref
    return sorted(first.values(), key=lambda r: r.id), errors


def batches(refs: list[DocRef], batch_bytes: int) -> list[list[DocRef]]:
    """Consecutive runs of ``refs`` of about ``batch_bytes`` each (at least one document).

    One task per batch, not per document: each task costs the scheduler about a millisecond
    whatever its size (``bench/bench_corpus.py``), which would dominate for tiny documents.
    """
    out: list[list[DocRef]] = []
    current: list[DocRef] = []
    size = 0
    for ref in refs:
        if current and size + ref.length > batch_bytes:
            out.append(current)
            current, size = [], 0
        current.append(ref)
        size += ref.length
    if current:
        out.append(current)
    return out


def load_text(ref: DocRef, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode one document by the project's rules.

    Raises
    ------
    InputError
        One line naming the document and what is wrong with it (binary, not UTF-8, empty, too
        large, gone since it was indexed).
    """
    try:
        with open(ref.input, "rb") as fh:
            fh.seek(ref.offset)
            # A text file is read whole, even if it grew since it was indexed; one byte more than
            # the limit is enough to refuse it.
            data = fh.read(ref.length if ref.line else max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{ref.where}: cannot be read ({exc.strerror}); check it still exists") from None
    if not ref.line:
        return decode_text(data, ref.where, max_bytes, size_hint="split it into smaller documents")
    try:
        data = json.loads(data)["text"].encode("utf-8")
    except (ValueError, KeyError, TypeError) as exc:  # changed since indexed; a lone surrogate ("\ud800")
        raise InputError(f"{ref.where}: no usable \"text\" ({type(exc).__name__}: {exc})") from None
    # Through the same rules as a file, so a JSON text with NUL characters or only white space
    # is refused for the same reason.
    return decode_text(data, ref.where, max_bytes, size_hint="split it into smaller documents")
