"""The seed catalogue: source documents, the articles they hold, and evidence spans.

A *document* is a file in ``seeds/``; a *source* is an article, which may occupy
spans of several documents (Pike's article is in 000 and reposted in 001).
Evidence is ``{source_id, document, start, end, quote}`` where
``document_text(document)[start:end] == quote`` exactly (Python character
offsets into the UTF-8 text, end exclusive).
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import DataError

__all__ = [
    "SEEDS_DIR",
    "Document",
    "Evidence",
    "EvidenceError",
    "Source",
    "Span",
    "document_text",
    "evidence_for",
    "load_documents",
    "load_sources",
    "paragraph_around",
    "verify_evidence",
]

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
CATALOGUE = SEEDS_DIR / "sources.toml"


@dataclass(frozen=True)
class Document:
    """A seed file, pinned by its SHA-256."""

    name: str
    sha256: str
    description: str


@dataclass(frozen=True)
class Span:
    """Where (part of) an article stands in a document."""

    document: str
    start: int
    end: int


@dataclass(frozen=True)
class Source:
    """An article: bibliographic fields and the spans it occupies."""

    id: str
    title: str
    author: str
    outlet: str
    date: str
    date_note: str
    reference_date: str
    reference_precision: str
    spans: tuple[Span, ...]

    def covers(self, document: str, start: int, end: int) -> bool:
        """Whether ``document[start:end]`` lies inside one of this source's spans."""
        return any(s.document == document and s.start <= start and end <= s.end for s in self.spans)

    def as_dict(self) -> dict:
        """Plain fields for JSON and tables (spans omitted)."""
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "outlet": self.outlet,
            "date": self.date,
            "date_note": self.date_note,
        }


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote at a span of a seed document, attributed to a source.

    The field metadata are the JSON Schema keywords a catalogue file's evidence entry must
    meet (``geodata.schemas.json_schema`` derives the schema from them).
    """

    source_id: str = field(metadata={"minLength": 1})
    document: str = field(metadata={"minLength": 1})
    start: int = field(metadata={"minimum": 0})
    end: int = field(metadata={"minimum": 0})
    quote: str = field(metadata={"minLength": 1})

    def as_dict(self) -> dict:
        """The evidence as a plain dict, keys in the documented order."""
        return {
            "source_id": self.source_id,
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }


def _read_catalogue(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: source catalogue not found; restore it from git") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}); fix the syntax at that line") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 at byte {exc.start}; TOML files are UTF-8, re-save it as UTF-8") from None


@functools.cache
def load_documents() -> dict[str, Document]:
    """Return the catalogued documents by file name."""
    raw = _read_catalogue(CATALOGUE)
    return {
        d["name"]: Document(d["name"], d["sha256"], d.get("description", ""))
        for d in raw.get("document", [])
    }


@functools.cache
def document_text(name: str) -> str:
    """Return the full text of a catalogued seed document.

    Parameters
    ----------
    name : str
        File name inside ``seeds/``, e.g. ``"004_94b04064989387af.txt"``.

    Raises
    ------
    DataError
        If the document is not catalogued or its file is missing.
    """
    if name not in load_documents():
        known = ", ".join(sorted(load_documents()))
        raise DataError(f"unknown document {name!r}; known documents: {known}")
    path = SEEDS_DIR / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: seed document missing; restore it from git") from None
    return data.decode("utf-8")


def document_sha256(name: str) -> str:
    """SHA-256 of a seed file's bytes as it is on disk."""
    return hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest()


@functools.cache
def load_sources() -> dict[str, Source]:
    """Return the catalogued sources (articles) by id, in catalogue order.

    Raises
    ------
    DataError
        If a source names an unknown document or a span outside it.
    """
    raw = _read_catalogue(CATALOGUE)
    docs = load_documents()
    out: dict[str, Source] = {}
    for entry in raw.get("source", []):
        sid = entry.get("id", "?")
        spans = []
        for i, s in enumerate(entry.get("spans", [])):
            if s["document"] not in docs:
                raise DataError(f"{CATALOGUE.name}: source {sid!r} spans[{i}].document: unknown document {s['document']!r}")
            length = len(document_text(s["document"]))
            if not 0 <= s["start"] < s["end"] <= length:
                raise DataError(
                    f"{CATALOGUE.name}: source {sid!r} spans[{i}]: [{s['start']}:{s['end']}] is outside "
                    f"{s['document']} (length {length})"
                )
            spans.append(Span(s["document"], s["start"], s["end"]))
        if sid in out:
            raise DataError(f"{CATALOGUE.name}: duplicate source id {sid!r}; ids must be unique")
        out[sid] = Source(
            id=sid,
            title=entry.get("title", ""),
            author=entry.get("author", ""),
            outlet=entry.get("outlet", ""),
            date=entry.get("date", ""),
            date_note=entry.get("date_note", ""),
            reference_date=entry.get("reference_date", ""),
            reference_precision=entry.get("reference_precision", ""),
            spans=tuple(spans),
        )
    return out


class EvidenceError(DataError):
    """An evidence record that does not hold: which of its fields, and what is wrong.

    ``field`` is ``""`` when the record as a whole is at fault; ``problem`` says what is
    wrong and how to fix it; ``str()`` is the one-line message ``"WHERE.FIELD: PROBLEM"``.
    """

    def __init__(self, where: str, field: str, problem: str):
        self.where, self.field, self.problem = where, field, problem
        super().__init__(f"{where}{'.' + field if field else ''}: {problem}")


def verify_evidence(ev: dict, where: str) -> Evidence:
    """Check one evidence record against the seeds and return it typed.

    Parameters
    ----------
    ev : dict
        ``{source_id, document, start, end, quote}``.
    where : str
        Names the entry and field for error messages, e.g.
        ``"events.toml: event 'almaty-airport-seized' evidence[1]"``.

    Raises
    ------
    EvidenceError
        One line naming ``where``, what is wrong and how to fix it; its ``field`` and
        ``problem`` let a caller name the entry its own way.
    """
    missing = [k for k in ("source_id", "document", "start", "end", "quote") if k not in ev]
    if missing:
        raise EvidenceError(where, "", f"missing {', '.join(missing)}; evidence needs source_id, document, start, end, quote")
    sources = load_sources()
    src = sources.get(ev["source_id"])
    if src is None:
        raise EvidenceError(where, "source_id", f"unknown source {ev['source_id']!r}; known: {', '.join(sorted(sources))}")
    text = document_text(ev["document"]) if ev["document"] in load_documents() else None
    if text is None:
        raise EvidenceError(where, "document", f"unknown document {ev['document']!r}")
    start, end, quote = ev["start"], ev["end"], ev["quote"]
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise EvidenceError(where, "start/end", f"must be integers, got {start!r}, {end!r}")
    if text[start:end] != quote:
        found = text.find(quote)
        hint = f"the quote is at [{found}:{found + len(quote)}]" if found >= 0 else "the quote is not in the document"
        raise EvidenceError(where, "quote", f"does not match {ev['document']}[{start}:{end}]; {hint}")
    if not src.covers(ev["document"], start, end):
        raise EvidenceError(
            where, "", f"[{start}:{end}] of {ev['document']} is outside source {src.id!r}; cite the article that holds it"
        )
    return Evidence(src.id, ev["document"], start, end, quote)


def paragraph_around(document: str, start: int, end: int) -> tuple[str, int, int]:
    """Return the paragraph holding ``[start:end]`` and the span's offsets inside it.

    A paragraph is delimited by newlines; used to show a quote highlighted in context.
    """
    text = document_text(document)
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    if p_end < 0:
        p_end = len(text)
    return text[p_start:p_end], start - p_start, end - p_start


def evidence_for(source_id: str, quote: str) -> list[Evidence]:
    """Evidence for a quote: one record per copy of the source that holds it.

    Raises
    ------
    DataError
        If the quote is in none of the source's spans, or twice in one span.
    """
    src = load_sources().get(source_id)
    if src is None:
        raise DataError(f"claims: unknown source {source_id!r}")
    out = []
    for span in src.spans:
        text = document_text(span.document)
        start = text.find(quote, span.start, span.end)
        if start < 0:
            continue
        if text.find(quote, start + 1, span.end) >= 0:
            raise DataError(f"claims: quote {quote[:40]!r}... occurs twice in {span.document}; quote a longer span")
        out.append(Evidence(source_id, span.document, start, start + len(quote), quote))
    if not out:
        raise DataError(f"claims: quote {quote[:40]!r}... is not in source {source_id!r}; fix the quote in the code that quotes it")
    return out
