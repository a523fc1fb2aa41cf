"""The catalogue's records, declared once, and the JSON Schema derived from them.

Each record (:class:`Event`, :class:`TroopMovement`, :class:`Figure`, and
:class:`geodata.sources.Evidence` inside them) is a dataclass: its type hints say what a
field holds once loaded, its ``metadata`` holds the JSON Schema keywords (draft 2020-12)
that the TOML value must also meet (allowed values, patterns, minimum ...), and a field
with a default may be left out of the file. :func:`json_schema` walks those declarations,
so ``geodata/catalogue.py`` validates every entry against a schema nobody writes by hand,
before the checks a schema cannot express (dates in order, places in the gazetteer, quotes
at their spans, cross-references). The vocabularies are the closed lists the data files
document in their headers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field

from geodata.sources import Evidence

__all__ = [
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "QUALIFIERS",
    "RECORDS",
    "SCHEMAS",
    "STATUSES",
    "WORD_QUALIFIERS",
    "Event",
    "Figure",
    "TroopMovement",
    "json_schema",
]

EVENT_TYPES = (
    "armed_clash",
    "arrest",
    "attack_on_property",
    "claim",
    "communications_shutdown",
    "deployment",
    "dismissal",
    "disruption",
    "meeting",
    "peaceful",
    "political_decision",
    "protest",
    "restoration",
    "riot",
    "security_measure",
    "security_operation",
    "seizure",
)
DATE_PRECISIONS = ("day", "range", "approx", "not_before", "not_after")
STATUSES = ("reported", "disputed", "denied")
# Word-only qualifiers ("dozens") stand in for a number the source does not give.
WORD_QUALIFIERS = ("dozens", "hundreds", "several", "many")
QUALIFIERS = ("", "up to", "about", "some", "at least", "more than", "only", *WORD_QUALIFIERS)

# Field metadata: JSON Schema keywords the TOML value must meet on top of its type.
_ID = {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_PLACE = {"pattern": r"^(gn:[0-9]+|country:[A-Z]{2}|region:[A-Z]{2}-[A-Z0-9]+|landmark:[a-z0-9-]+)$"}
_GEO_PRECISION = {"enum": [1, 2, 3]}
_NONEMPTY = {"minLength": 1}
_EVIDENCE = {"minItems": 1}
_DATE_PRECISION = {"enum": list(DATE_PRECISIONS)}
# A date is written as an ISO string in TOML (a bare TOML date would be a second spelling).
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened, or was said to happen, at a place and time."""

    id: str = field(metadata=_ID)
    date_start: dt.date
    date_end: dt.date
    date_precision: str = field(metadata=_DATE_PRECISION)
    date_note: str
    place: str = field(metadata=_PLACE)
    geo_precision: int = field(metadata=_GEO_PRECISION)
    type: str = field(metadata={"enum": list(EVENT_TYPES)})
    actors: tuple[str, ...] = field(metadata={"items": _NONEMPTY})
    description: str = field(metadata=_NONEMPTY)
    status: str = field(metadata={"enum": list(STATUSES)})
    claimant: str
    evidence: tuple[Evidence, ...] = field(metadata=_EVIDENCE)

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources cited, sorted, without repeats."""
        return tuple(sorted({e.source_id for e in self.evidence}))


@dataclass(frozen=True, kw_only=True)
class TroopMovement:
    """A contingent's move from ``origin`` to ``destination`` (gazetteer ids)."""

    id: str = field(metadata=_ID)
    contributor: str = field(metadata=_NONEMPTY)
    origin: str = field(metadata=_PLACE)
    origin_precision: int = field(metadata=_GEO_PRECISION)
    origin_note: str
    destination: str = field(metadata=_PLACE)
    destination_precision: int = field(metadata=_GEO_PRECISION)
    destination_note: str
    date_start: dt.date
    date_end: dt.date
    date_precision: str = field(metadata=_DATE_PRECISION)
    date_note: str
    sizes: tuple[str, ...] = field(metadata={"items": _ID, "uniqueItems": True})
    event: str = field(default="", metadata=_ID)
    description: str = field(metadata=_NONEMPTY)
    evidence: tuple[Evidence, ...] = field(metadata=_EVIDENCE)


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One number (or number-word) one claimant gives about the events."""

    id: str = field(metadata=_ID)
    metric: str = field(metadata={"pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"})
    # A number, or a word that stands for one ("dozens"), never neither nor both.
    value: int | None = field(default=None, metadata={"minimum": 0, "absent_when": ("qualifier", WORD_QUALIFIERS)})
    qualifier: str = field(metadata={"enum": list(QUALIFIERS)})
    as_of: dt.date
    as_of_precision: str = field(metadata=_DATE_PRECISION)
    as_of_note: str
    place: str = field(metadata=_PLACE)
    geo_precision: int = field(metadata=_GEO_PRECISION)
    claimant: str
    event: str = field(default="", metadata=_ID)
    note: str = ""
    evidence: tuple[Evidence, ...] = field(metadata=_EVIDENCE)


def _type_schema(hint) -> dict:
    """The JSON Schema of a TOML value that loads into ``hint``."""
    if hint is str:
        return {"type": "string"}
    if hint is int:
        return {"type": "integer"}
    if hint is dt.date:
        return {"type": "string", "pattern": _DATE_PATTERN}
    if dataclasses.is_dataclass(hint):
        return json_schema(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin in (typing.Union, types.UnionType) and type(None) in args and len(args) == 2:
        # Optional: None stands for "left out of the file", never for a TOML value.
        return _type_schema(next(a for a in args if a is not type(None)))
    raise TypeError(f"json_schema: no JSON Schema for type {hint!r}; declare str, int, date, tuple[X, ...] or a dataclass")


def _field_schema(hint, metadata: typing.Mapping) -> dict:
    schema = _type_schema(hint)
    keywords = {k: v for k, v in metadata.items() if k != "absent_when"}
    if "items" in keywords:
        keywords["items"] = {**schema["items"], **keywords["items"]}
    if "enum" in keywords and schema.get("type") == "string":
        # A list of strings already fixes the type; a second "not a string" line would only repeat it.
        del schema["type"]
    return {**schema, **keywords}


def json_schema(record_type: type) -> dict:
    """Derive the JSON Schema (draft 2020-12) of one catalogue entry from its dataclass.

    Parameters
    ----------
    record_type : dataclass type
        :class:`Event`, :class:`TroopMovement`, :class:`Figure` or
        :class:`geodata.sources.Evidence`.

    Returns
    -------
    dict
        An object schema: one property per field (its type from the type hint, its
        keywords from the field's metadata), ``required`` for every field without a
        default, no other properties; a field declared with
        ``absent_when=(other, values)`` must be left out when ``other`` is one of
        ``values`` and given otherwise.

    Examples
    --------
    >>> json_schema(Event)["properties"]["date_start"]
    {'type': 'string', 'pattern': '^\\\\d{4}-\\\\d{2}-\\\\d{2}$'}
    """
    hints = typing.get_type_hints(record_type)
    fields = dataclasses.fields(record_type)
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    schema: dict = {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": {f.name: _field_schema(hints[f.name], f.metadata) for f in fields},
    }
    for f in fields:
        if "absent_when" in f.metadata:
            other, values = f.metadata["absent_when"]
            schema["if"] = {"properties": {other: {"enum": list(values)}}}
            schema["then"] = {"not": {"required": [f.name]}}
            schema["else"] = {"required": [f.name]}
    return schema


# File name -> (TOML array key, singular noun for messages, record type).
RECORDS: dict[str, tuple[str, str, type]] = {
    "events.toml": ("event", "event", Event),
    "troops.toml": ("troop", "troop", TroopMovement),
    "figures.toml": ("figure", "figure", Figure),
}
# File name -> the derived schema of one of its entries.
SCHEMAS: dict[str, dict] = {file: json_schema(record) for file, (_, _, record) in RECORDS.items()}
