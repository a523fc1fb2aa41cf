"""JSON Schemas (draft 2020-12, as Python dicts) for the catalogue files.

``geodata/catalogue.py`` validates every entry of ``events.toml``, ``troops.toml`` and
``figures.toml`` against these with ``jsonschema`` before the checks a schema cannot
express (dates in order, places in the gazetteer, quotes at their spans, cross-references).
The vocabularies below are the closed lists the data files document in their headers.
"""

from __future__ import annotations

__all__ = [
    "DATE_PRECISIONS",
    "EVENT_SCHEMA",
    "EVENT_TYPES",
    "EVIDENCE_SCHEMA",
    "FIGURE_SCHEMA",
    "QUALIFIERS",
    "SCHEMAS",
    "STATUSES",
    "TROOP_SCHEMA",
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

_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_PLACE = {"type": "string", "pattern": r"^(gn:[0-9]+|country:[A-Z]{2}|region:[A-Z]{2}-[A-Z0-9]+|landmark:[a-z0-9-]+)$"}
_GEO_PRECISION = {"type": "integer", "enum": [1, 2, 3]}
_TEXT = {"type": "string"}
_NONEMPTY = {"type": "string", "minLength": 1}
_OFFSET = {"type": "integer", "minimum": 0}

EVIDENCE_SCHEMA = {
    "type": "object",
    "required": ["source_id", "document", "start", "end", "quote"],
    "additionalProperties": False,
    "properties": {
        "source_id": _NONEMPTY,
        "document": _NONEMPTY,
        "start": _OFFSET,
        "end": _OFFSET,
        "quote": _NONEMPTY,
    },
}
_EVIDENCE_LIST = {"type": "array", "minItems": 1, "items": EVIDENCE_SCHEMA}

EVENT_SCHEMA = {
    "type": "object",
    "required": [
        "id", "date_start", "date_end", "date_precision", "date_note", "place", "geo_precision",
        "type", "actors", "description", "status", "claimant", "evidence",
    ],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "date_start": _DATE,
        "date_end": _DATE,
        "date_precision": {"enum": list(DATE_PRECISIONS)},
        "date_note": _TEXT,
        "place": _PLACE,
        "geo_precision": _GEO_PRECISION,
        "type": {"enum": list(EVENT_TYPES)},
        "actors": {"type": "array", "items": _NONEMPTY},
        "description": _NONEMPTY,
        "status": {"enum": list(STATUSES)},
        "claimant": _TEXT,
        "evidence": _EVIDENCE_LIST,
    },
}

TROOP_SCHEMA = {
    "type": "object",
    "required": [
        "id", "contributor", "origin", "origin_precision", "origin_note", "destination",
        "destination_precision", "destination_note", "date_start", "date_end", "date_precision",
        "date_note", "sizes", "description", "evidence",
    ],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "contributor": _NONEMPTY,
        "origin": _PLACE,
        "origin_precision": _GEO_PRECISION,
        "origin_note": _TEXT,
        "destination": _PLACE,
        "destination_precision": _GEO_PRECISION,
        "destination_note": _TEXT,
        "date_start": _DATE,
        "date_end": _DATE,
        "date_precision": {"enum": list(DATE_PRECISIONS)},
        "date_note": _TEXT,
        "sizes": {"type": "array", "items": _ID, "uniqueItems": True},
        "event": _ID,
        "description": _NONEMPTY,
        "evidence": _EVIDENCE_LIST,
    },
}

FIGURE_SCHEMA = {
    "type": "object",
    "required": [
        "id", "metric", "qualifier", "as_of", "as_of_precision", "as_of_note", "place",
        "geo_precision", "claimant", "evidence",
    ],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "metric": {"type": "string", "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"},
        "value": {"type": "integer", "minimum": 0},
        "qualifier": {"enum": list(QUALIFIERS)},
        "as_of": _DATE,
        "as_of_precision": {"enum": list(DATE_PRECISIONS)},
        "as_of_note": _TEXT,
        "place": _PLACE,
        "geo_precision": _GEO_PRECISION,
        "claimant": _TEXT,
        "event": _ID,
        "note": _TEXT,
        "evidence": _EVIDENCE_LIST,
    },
    # A number, or a word that stands for one ("dozens"), never neither nor both.
    "if": {"properties": {"qualifier": {"enum": list(WORD_QUALIFIERS)}}},
    "then": {"not": {"required": ["value"]}},
    "else": {"required": ["value"]},
}

# File name -> (TOML array key, singular noun for messages, schema).
SCHEMAS = {
    "events.toml": ("event", "event", EVENT_SCHEMA),
    "troops.toml": ("troop", "troop", TROOP_SCHEMA),
    "figures.toml": ("figure", "figure", FIGURE_SCHEMA),
}
