"""The coded catalogue: events, troop movements and figures, each with evidence.

Data: ``geodata/data/catalogue/{events,troops,figures}.toml``, coded by hand from the
seeds (the files' headers document every field and vocabulary). Loading checks, in order:
the JSON Schema of each entry (``geodata.schemas``), real ISO dates in order and inside the
period, place ids known to the gazetteer, every evidence quote at its span and inside its
source's span (``geodata.sources.verify_evidence``), ids unique across all three files, and
cross-references (a figure's ``event``, a troop's ``event`` and ``sizes``).

Every problem is one line naming the file, the entry and the field, e.g.::

    events.toml: event 'taraz-police-buildings-burned' field 'evidence[0].quote': does not match ...
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from jsonschema import Draft202012Validator

from geodata.dates import overlaps, parse_date, parse_file_date
from geodata.errors import DataError
from geodata.gazetteer import load_gazetteer
from geodata.schemas import RECORDS, SCHEMAS, Event, Figure, TroopMovement
from geodata.sources import EvidenceError, verify_evidence

__all__ = [
    "CATALOGUE_DIR",
    "PERIOD",
    "Catalogue",
    "CatalogueError",
    "Event",
    "Figure",
    "Problem",
    "TroopMovement",
    "check_catalogue",
    "filter_events",
    "load_catalogue",
    "parse_catalogue",
]

CATALOGUE_DIR = Path(__file__).resolve().parent / "data" / "catalogue"
# The unrest began on 2 January 2022; a month's slack either side catches typos like 2021-01-05.
PERIOD = (dt.date(2021, 12, 1), dt.date(2022, 12, 31))
_VALIDATORS = {file: Draft202012Validator(schema) for file, schema in SCHEMAS.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue files, and how to fix it.

    ``noun`` (event, troop, figure), ``entry_id`` and ``field`` (a path such as
    ``evidence[0].quote``) are empty for a problem with a whole file.
    """

    file: str
    noun: str
    entry_id: str
    field: str
    message: str

    def __str__(self) -> str:
        if not self.noun:
            return f"{self.file}: {self.message}"
        return f"{self.file}: {self.noun} '{self.entry_id}' field '{self.field}': {self.message}"


class CatalogueError(DataError):
    """The catalogue does not load: the first problem as the message, all of them in ``problems``."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        more = f" (+{len(problems) - 1} more; check_catalogue lists them all)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


@dataclass(frozen=True)
class Catalogue:
    """The three tables, each a tuple sorted by id."""

    events: tuple[Event, ...]
    troops: tuple[TroopMovement, ...]
    figures: tuple[Figure, ...]
    origin: str = "catalogue"

    def get(self, entry_id: str) -> Event | TroopMovement | Figure:
        """Return the entry with this id from any table; DataError if none."""
        for table in (self.events, self.troops, self.figures):
            for entry in table:
                if entry.id == entry_id:
                    return entry
        raise DataError(f"{self.origin}: no event, troop or figure with id {entry_id!r}")


def _field_path(parts: Iterable) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _schema_problems(file: str, noun: str, eid: str, entry: object) -> list[Problem]:
    """One problem per schema violation, naming the field and what is expected."""
    problems = []

    def add(field: str, message: str) -> None:
        problems.append(Problem(file, noun, eid, field, message))

    for err in sorted(_VALIDATORS[file].iter_errors(entry), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        path = list(err.absolute_path)
        if err.validator == "required":
            for key in (k for k in err.validator_value if k not in err.instance):
                add(_field_path([*path, key]), "missing; add it (see the file header)")
        elif err.validator == "additionalProperties":
            allowed = err.schema.get("properties", {})
            for key in sorted(k for k in err.instance if k not in allowed):
                add(_field_path([*path, key]), "unknown field; remove or rename it")
        elif err.validator == "not" and not path:
            # The one "not" a derived schema has: a field declared absent_when (Figure.value).
            (field,) = err.validator_value["required"]
            add(field, f"a word qualifier ({entry.get('qualifier')!r}) stands for the number; drop the value or the word")
        else:
            add(_field_path(path) or "(entry)", err.message)
    return problems


def _check_entry(file: str, noun: str, eid: str, entry: dict, problems: list[Problem]) -> dict | None:
    """Typed field values of one schema-valid entry, or None (problems appended)."""
    before = len(problems)
    out: dict = {}
    for f in ("as_of",) if noun == "figure" else ("date_start", "date_end"):
        try:
            out[f] = parse_file_date(entry[f], PERIOD)
        except ValueError as exc:
            problems.append(Problem(file, noun, eid, f, str(exc)))
            out[f] = None
    if noun != "figure" and out["date_start"] and out["date_end"] and out["date_end"] < out["date_start"]:
        problems.append(Problem(file, noun, eid, "date_end", f"{entry['date_end']} is before date_start {entry['date_start']}; swap or fix them"))
    gz = load_gazetteer()
    for f in ("origin", "destination") if noun == "troop" else ("place",):
        if not gz.has(entry[f]):
            problems.append(Problem(
                file, noun, eid, f, f"unknown place id {entry[f]!r}; use an id from the gazetteer "
                f"(python -m geodata geocode NAME) or add it to geodata/data/curated.toml"
            ))
    evidence = []
    for i, ev in enumerate(entry["evidence"]):
        try:
            evidence.append(verify_evidence(ev, f"{file}: {noun} '{eid}' evidence[{i}]"))
        except EvidenceError as exc:
            field = f"evidence[{i}]" + (f".{exc.field}" if exc.field else "")
            problems.append(Problem(file, noun, eid, field, exc.problem))
    out["evidence"] = tuple(evidence)
    return out if len(problems) == before else None


def _build(record: type, entry: dict, typed: dict):
    """The record from a checked entry: TOML lists become tuples, typed values replace strings."""
    lists = {k: tuple(v) for k, v in entry.items() if isinstance(v, list)}
    return record(**{**entry, **lists, **typed})


def check_catalogue(tables: Mapping[str, dict]) -> tuple[list[str], dict[str, list]]:
    """Check catalogue tables and build their entries.

    Parameters
    ----------
    tables : mapping
        File name (``"events.toml"``, ``"troops.toml"``, ``"figures.toml"``) -> the parsed
        TOML document of that file.

    Returns
    -------
    (problems, built)
        One :class:`Problem` per thing wrong, in file order (``str()`` of each is its
        one-line message); and the entries that passed, by noun.
    """
    problems: list[Problem] = []
    built: dict[str, list] = {"event": [], "troop": [], "figure": []}
    seen: dict[str, str] = {}
    # Cross-references check against every declared id, so one broken entry is one problem.
    declared: dict[str, set[str]] = {"event": set(), "troop": set(), "figure": set()}
    for file, (key, noun, record) in RECORDS.items():
        if file not in tables:
            problems.append(Problem(file, "", "", "", "missing from the catalogue; restore it from git"))
            continue
        doc = tables[file]
        extra = sorted(set(doc) - {key})
        if extra:
            problems.append(Problem(file, "", "", "", f"unexpected top-level key {extra[0]!r}; entries are [[{key}]] tables"))
        entries = doc.get(key, [])
        for n, entry in enumerate(entries):
            eid = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{n}"
            schema_problems = _schema_problems(file, noun, eid, entry)
            if eid in seen:
                problems.append(Problem(file, noun, eid, "id", f"duplicate id, already used in {seen[eid]}; ids must be unique across the catalogue"))
            seen.setdefault(eid, file)
            declared[noun].add(eid)
            if schema_problems:
                problems.extend(schema_problems)
                continue
            typed = _check_entry(file, noun, eid, entry, problems)
            if typed is not None:
                built[noun].append(_build(record, entry, typed))
    events, figures = declared["event"], declared["figure"]
    for f in built["figure"]:
        if f.event and f.event not in events:
            problems.append(Problem("figures.toml", "figure", f.id, "event", f"no event {f.event!r} in events.toml"))
    for t in built["troop"]:
        if t.event and t.event not in events:
            problems.append(Problem("troops.toml", "troop", t.id, "event", f"no event {t.event!r} in events.toml"))
        for i, size in enumerate(t.sizes):
            if size not in figures:
                problems.append(Problem("troops.toml", "troop", t.id, f"sizes[{i}]", f"no figure {size!r} in figures.toml"))
    return problems, built


def parse_catalogue(tables: Mapping[str, dict], origin: str = "catalogue") -> Catalogue:
    """Check catalogue tables and return them typed, or raise on the first problem.

    Parameters
    ----------
    tables : mapping
        File name -> parsed TOML document, as ``check_catalogue`` takes.
    origin : str
        Where the tables came from, for messages (a directory path).

    Raises
    ------
    CatalogueError
        A DataError: the first problem as one line, with the count of any others.
    """
    problems, built = check_catalogue(tables)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        events=tuple(sorted(built["event"], key=lambda e: e.id)),
        troops=tuple(sorted(built["troop"], key=lambda e: e.id)),
        figures=tuple(sorted(built["figure"], key=lambda e: e.id)),
        origin=origin,
    )


def read_tables(path: Path) -> dict[str, dict]:
    """Parse the three TOML files of a catalogue directory (DataError if one is unreadable)."""
    tables = {}
    for file in RECORDS:
        fp = Path(path) / file
        try:
            with fp.open("rb") as fh:
                tables[file] = tomllib.load(fh)
        except FileNotFoundError:
            raise DataError(f"{fp}: catalogue file missing; restore it from git") from None
        except tomllib.TOMLDecodeError as exc:
            raise DataError(f"{file}: not valid TOML ({exc}); fix the syntax there") from None
        except UnicodeDecodeError as exc:
            raise DataError(f"{fp}: not valid UTF-8 at byte {exc.start}; TOML files are UTF-8, re-save it as UTF-8") from None
    return tables


@functools.cache
def _load(path: Path) -> Catalogue:
    return parse_catalogue(read_tables(path), origin=str(path))


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load and check the catalogue (cached per directory).

    Parameters
    ----------
    path : path-like, optional
        Directory holding ``events.toml``, ``troops.toml`` and ``figures.toml``;
        defaults to ``geodata/data/catalogue``.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.get("csto-clears-taraz").place
    'gn:1516905'
    """
    return _load(Path(path or CATALOGUE_DIR).resolve())


def filter_events(
    events: Iterable[Event],
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    sources: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> list[Event]:
    """Events that overlap a date window and match sources and types.

    Parameters
    ----------
    events : iterable of Event
    date_from, date_to : date or ISO str, optional
        Inclusive window; an event is kept if ``[date_start, date_end]`` overlaps it.
    sources : iterable of str, optional
        Keep events with evidence from any of these source ids.
    types : iterable of str, optional
        Keep events of these types.

    Returns
    -------
    list of Event
        In the input order.

    Raises
    ------
    InputError
        If ``date_from`` or ``date_to`` is not a date (read by ``geodata.dates.parse_date``).

    Examples
    --------
    >>> [e.id for e in filter_events(load_catalogue().events, "2022-01-10", "2022-01-10", types=["meeting"])]
    ['csto-virtual-meeting']
    """
    lo, hi = parse_date(date_from, "date_from"), parse_date(date_to, "date_to")
    src = None if sources is None else set(sources)
    kinds = None if types is None else set(types)
    return [
        e
        for e in events
        if overlaps(e.date_start, e.date_end, lo, hi)
        and (src is None or src.intersection(x.source_id for x in e.evidence))
        and (kinds is None or e.type in kinds)
    ]
