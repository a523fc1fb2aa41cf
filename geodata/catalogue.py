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
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from jsonschema import Draft202012Validator

from geodata.errors import DataError
from geodata.gazetteer import load_gazetteer
from geodata.schemas import SCHEMAS
from geodata.sources import Evidence, verify_evidence

__all__ = [
    "CATALOGUE_DIR",
    "PERIOD",
    "Catalogue",
    "Event",
    "Figure",
    "TroopMovement",
    "check_catalogue",
    "filter_events",
    "load_catalogue",
    "parse_catalogue",
]

CATALOGUE_DIR = Path(__file__).resolve().parent / "data" / "catalogue"
# The unrest began on 2 January 2022; a month's slack either side catches typos like 2021-01-05.
PERIOD = (dt.date(2021, 12, 1), dt.date(2022, 12, 31))
_VALIDATORS = {name: Draft202012Validator(schema) for name, (_, _, schema) in SCHEMAS.items()}
_SENTINEL = "\x00where\x00"


@dataclass(frozen=True)
class Event:
    """Something that happened, or was said to happen, at a place and time."""

    id: str
    date_start: dt.date
    date_end: dt.date
    date_precision: str
    date_note: str
    place: str
    geo_precision: int
    type: str
    actors: tuple[str, ...]
    description: str
    status: str
    claimant: str
    evidence: tuple[Evidence, ...]

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources cited, sorted, without repeats."""
        return tuple(sorted({e.source_id for e in self.evidence}))


@dataclass(frozen=True)
class TroopMovement:
    """A contingent's move from ``origin`` to ``destination`` (gazetteer ids)."""

    id: str
    contributor: str
    origin: str
    origin_precision: int
    origin_note: str
    destination: str
    destination_precision: int
    destination_note: str
    date_start: dt.date
    date_end: dt.date
    date_precision: str
    date_note: str
    sizes: tuple[str, ...]
    event: str
    description: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Figure:
    """One number (or number-word) one claimant gives about the events."""

    id: str
    metric: str
    value: int | None
    qualifier: str
    as_of: dt.date
    as_of_precision: str
    as_of_note: str
    place: str
    geo_precision: int
    claimant: str
    event: str
    note: str
    evidence: tuple[Evidence, ...]


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


def _schema_problems(file: str, noun: str, eid: str, entry: object) -> list[str]:
    """One line per schema violation, naming the field and what is expected."""
    problems = []
    for err in sorted(_VALIDATORS[file].iter_errors(entry), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        path = list(err.absolute_path)
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in err.instance]
            for key in missing:
                problems.append(f"{file}: {noun} '{eid}' field '{_field_path([*path, key])}': missing; add it (see the file header)")
            continue
        if err.validator == "additionalProperties":
            allowed = err.schema.get("properties", {})
            for key in sorted(k for k in err.instance if k not in allowed):
                problems.append(f"{file}: {noun} '{eid}' field '{_field_path([*path, key])}': unknown field; remove or rename it")
            continue
        if err.validator == "not" and not path:
            problems.append(f"{file}: {noun} '{eid}' field 'value': a word qualifier ({entry.get('qualifier')!r}) stands for the number; drop the value or the word")
            continue
        field = _field_path(path) or "(entry)"
        problems.append(f"{file}: {noun} '{eid}' field '{field}': {err.message}")
    return problems


def _parse_date(file: str, noun: str, eid: str, field: str, text: str, problems: list[str]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{file}: {noun} '{eid}' field '{field}': {text!r} is not a real date; write YYYY-MM-DD")
        return None
    if not PERIOD[0] <= day <= PERIOD[1]:
        problems.append(f"{file}: {noun} '{eid}' field '{field}': {text} is outside {PERIOD[0]}..{PERIOD[1]}; check the year")
        return None
    return day


def _verify(file: str, noun: str, eid: str, i: int, ev: dict, problems: list[str]) -> Evidence | None:
    """verify_evidence, with its message re-worded into this module's one-line form."""
    try:
        return verify_evidence(ev, _SENTINEL)
    except DataError as exc:
        m = re.match(rf"^{re.escape(_SENTINEL)}(\.[\w/]+)?: (.*)$", str(exc), re.S)
        suffix, rest = (m.group(1) or "", m.group(2)) if m else ("", str(exc))
        problems.append(f"{file}: {noun} '{eid}' field 'evidence[{i}]{suffix}': {rest}")
        return None


def _check_entry(file: str, noun: str, eid: str, entry: dict, problems: list[str]) -> dict | None:
    """Typed field values of one schema-valid entry, or None (problems appended)."""
    before = len(problems)
    out: dict = {}
    date_fields = ("as_of",) if noun == "figure" else ("date_start", "date_end")
    for f in date_fields:
        out[f] = _parse_date(file, noun, eid, f, entry[f], problems)
    if noun != "figure" and out["date_start"] and out["date_end"] and out["date_end"] < out["date_start"]:
        problems.append(
            f"{file}: {noun} '{eid}' field 'date_end': {entry['date_end']} is before date_start {entry['date_start']}; swap or fix them"
        )
    gz = load_gazetteer()
    for f in ("origin", "destination") if noun == "troop" else ("place",):
        if not gz.has(entry[f]):
            problems.append(
                f"{file}: {noun} '{eid}' field '{f}': unknown place id {entry[f]!r}; use an id from the gazetteer "
                f"(python -m geodata geocode NAME) or add it to geodata/data/curated.toml"
            )
    out["evidence"] = tuple(_verify(file, noun, eid, i, ev, problems) for i, ev in enumerate(entry["evidence"]))
    return out if len(problems) == before else None


def _build(noun: str, entry: dict, typed: dict):
    if noun == "event":
        return Event(**{**entry, **typed, "actors": tuple(entry["actors"])})
    if noun == "troop":
        return TroopMovement(**{"event": "", **entry, **typed, "sizes": tuple(entry["sizes"])})
    return Figure(**{"value": None, "event": "", "note": "", **entry, **typed})


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
        One line per problem, in file order; and the entries that passed, by noun.
    """
    problems: list[str] = []
    built: dict[str, list] = {"event": [], "troop": [], "figure": []}
    seen: dict[str, str] = {}
    # Cross-references check against every declared id, so one broken entry is one problem.
    declared: dict[str, set[str]] = {"event": set(), "troop": set(), "figure": set()}
    for file, (key, noun, _) in SCHEMAS.items():
        if file not in tables:
            problems.append(f"{file}: missing from the catalogue; restore it from git")
            continue
        doc = tables[file]
        extra = sorted(set(doc) - {key})
        if extra:
            problems.append(f"{file}: unexpected top-level key {extra[0]!r}; entries are [[{key}]] tables")
        entries = doc.get(key, [])
        for n, entry in enumerate(entries):
            eid = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{n}"
            schema_problems = _schema_problems(file, noun, eid, entry)
            if eid in seen:
                problems.append(f"{file}: {noun} '{eid}' field 'id': duplicate id, already used in {seen[eid]}; ids must be unique across the catalogue")
            seen.setdefault(eid, file)
            declared[noun].add(eid)
            if schema_problems:
                problems.extend(schema_problems)
                continue
            typed = _check_entry(file, noun, eid, entry, problems)
            if typed is not None:
                built[noun].append(_build(noun, entry, typed))
    events, figures = declared["event"], declared["figure"]
    for f in built["figure"]:
        if f.event and f.event not in events:
            problems.append(f"figures.toml: figure '{f.id}' field 'event': no event {f.event!r} in events.toml")
    for t in built["troop"]:
        if t.event and t.event not in events:
            problems.append(f"troops.toml: troop '{t.id}' field 'event': no event {t.event!r} in events.toml")
        for i, size in enumerate(t.sizes):
            if size not in figures:
                problems.append(f"troops.toml: troop '{t.id}' field 'sizes[{i}]': no figure {size!r} in figures.toml")
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
    DataError
        The first problem as one line, with the count of any others.
    """
    problems, built = check_catalogue(tables)
    if problems:
        more = f" (+{len(problems) - 1} more; check_catalogue lists them all)" if len(problems) > 1 else ""
        raise DataError(problems[0] + more)
    return Catalogue(
        events=tuple(sorted(built["event"], key=lambda e: e.id)),
        troops=tuple(sorted(built["troop"], key=lambda e: e.id)),
        figures=tuple(sorted(built["figure"], key=lambda e: e.id)),
        origin=origin,
    )


def read_tables(path: Path) -> dict[str, dict]:
    """Parse the three TOML files of a catalogue directory (DataError if one is unreadable)."""
    tables = {}
    for file in SCHEMAS:
        fp = Path(path) / file
        try:
            with fp.open("rb") as fh:
                tables[file] = tomllib.load(fh)
        except FileNotFoundError:
            raise DataError(f"{fp}: catalogue file missing; restore it from git") from None
        except tomllib.TOMLDecodeError as exc:
            raise DataError(f"{file}: not valid TOML ({exc}); fix the syntax there") from None
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


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataError(f"filter_events: {name}={value!r} is not a date; give YYYY-MM-DD") from None


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

    Examples
    --------
    >>> [e.id for e in filter_events(load_catalogue().events, "2022-01-10", "2022-01-10", types=["meeting"])]
    ['csto-virtual-meeting']
    """
    lo, hi = _as_date(date_from, "date_from"), _as_date(date_to, "date_to")
    src = None if sources is None else set(sources)
    kinds = None if types is None else set(types)
    return [
        e
        for e in events
        if (lo is None or e.date_end >= lo)
        and (hi is None or e.date_start <= hi)
        and (src is None or src.intersection(x.source_id for x in e.evidence))
        and (kinds is None or e.type in kinds)
    ]
