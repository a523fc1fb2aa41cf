"""Place mentions as map layers: every place the seed articles name, and those of a user's text.

Seed mentions come from the geoparser (``geodata.geoparse``) run on each article's spans, with
offsets mapped back to the document, so each mention carries evidence
``{source_id, document, start, end, quote}`` whose quote is the mention's sentence and
``document_text(document)[start:end] == quote``. A user's document is not a seed: its mentions
carry offsets into that text and ``origin = "upload"``, never evidence into the seeds, and
nothing here adds them to the curated catalogue.

Demonyms ("Kazakh", "Russian") are kept with ``kind == "demonym"``; the map hides them by default.
"""

from __future__ import annotations

import functools
from typing import Iterable

import geopandas as gpd
from shapely.geometry import Point

from geodata.geoparse import parse_to_records
from geodata.layers import frame
from geodata.sources import document_text, load_sources

__all__ = ["MENTION_COLUMNS", "PLACE_COLUMNS", "UPLOAD_COLUMNS", "document_mentions", "places_mentioned", "seed_mentions"]

MENTION_COLUMNS = ["id", "source_id", "document", "text", "start", "end", "name", "place_id", "kind", "country",
                   "sentence", "confidence", "origin", "evidence"]
UPLOAD_COLUMNS = ["id", "document", "text", "start", "end", "name", "place_id", "kind", "country", "sentence",
                  "sentence_start", "sentence_end", "confidence", "origin"]
PLACE_COLUMNS = ["id", "name", "kind", "country", "mentions", "surfaces", "sources", "sentences", "origin", "evidence"]


@functools.lru_cache(maxsize=1)
def _all_seed_rows() -> tuple[tuple[dict, Point], ...]:
    """Every seed mention as (row, point); parsed once per process (about 0.3 s)."""
    out = []
    for sid, source in load_sources().items():
        for span in source.spans:
            text = document_text(span.document)[span.start:span.end]
            stem = span.document.split("_", 1)[0]
            for r in parse_to_records(text):
                # Offsets are into the span's text; the span starts at span.start in the document.
                start, end = r["start"] + span.start, r["end"] + span.start
                s_start, s_end = r["sentence_start"] + span.start, r["sentence_end"] + span.start
                out.append(({
                    "id": f"{sid}:{stem}:{start}", "source_id": sid, "document": span.document, "text": r["text"],
                    "start": start, "end": end, "name": r["name"], "place_id": r["id"], "kind": r["kind"],
                    "country": r["country"], "sentence": r["sentence"], "confidence": r["confidence"], "origin": "seed",
                    "evidence": [{"source_id": sid, "document": span.document, "start": s_start, "end": s_end,
                                  "quote": r["sentence"]}],
                }, Point(r["lon"], r["lat"])))
    return tuple(out)


def seed_mentions(sources: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Every place mention in the seed articles, one row per mention.

    Parameters
    ----------
    sources : iterable of str, optional
        Keep only mentions in these articles (source ids); ``None`` keeps all.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, indexed and sorted by ``id`` (``<source_id>:<document number>:<start>``), columns
        :data:`MENTION_COLUMNS`; ``evidence`` holds one record whose quote is the mention's sentence.

    Examples
    --------
    >>> m = seed_mentions(["pike-spectator"])
    >>> sorted(set(m["source_id"]))
    ['pike-spectator']
    """
    keep = None if sources is None else set(sources)
    pairs = [(dict(row, evidence=[dict(e) for e in row["evidence"]]), geom)
             for row, geom in _all_seed_rows() if keep is None or row["source_id"] in keep]
    return frame([p[0] for p in pairs], [p[1] for p in pairs], MENTION_COLUMNS)


def document_mentions(text: str, name: str) -> gpd.GeoDataFrame:
    """The place mentions of a user's document (not a seed: no evidence into the seeds).

    Parameters
    ----------
    text : str
        The decoded text (``geodata.geoparse.textinput.decode_text``); offsets are Python str offsets into it.
    name : str
        The document's name as the user gave it (a file name, or "pasted text").

    Returns
    -------
    GeoDataFrame
        EPSG:4326, columns :data:`UPLOAD_COLUMNS`, ids ``upload:<n>`` in text order (zero-padded
        so they sort as they read), ``origin == "upload"``; ``text[start:end]`` is each mention's text.
    """
    records = parse_to_records(text)
    width = max(4, len(str(len(records))))
    rows = [{
        "id": f"upload:{i:0{width}d}", "document": name, "text": r["text"], "start": r["start"], "end": r["end"],
        "name": r["name"], "place_id": r["id"], "kind": r["kind"], "country": r["country"], "sentence": r["sentence"],
        "sentence_start": r["sentence_start"], "sentence_end": r["sentence_end"], "confidence": r["confidence"],
        "origin": "upload",
    } for i, r in enumerate(records, start=1)]
    return frame(rows, [Point(r["lon"], r["lat"]) for r in records], UPLOAD_COLUMNS)


def places_mentioned(mentions: gpd.GeoDataFrame, *, demonyms: bool = False) -> gpd.GeoDataFrame:
    """One row per place: how often and where the mentions name it (what the map draws).

    Parameters
    ----------
    mentions : GeoDataFrame
        :func:`seed_mentions` or :func:`document_mentions` output.
    demonyms : bool
        Keep places reached only through demonyms ("Kazakh"); ``False`` drops demonym mentions.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, indexed by place id, columns :data:`PLACE_COLUMNS`: ``mentions`` (count),
        ``surfaces`` (the distinct spellings), ``sources`` (article ids, seeds only), ``sentences``
        (distinct sentences in order), ``evidence`` (seed evidence, deduplicated; empty for uploads).
    """
    rows, geoms = [], []
    kept = mentions if demonyms else mentions[mentions["kind"] != "demonym"]
    for pid, group in sorted(kept.groupby("place_id", sort=False), key=lambda kv: str(kv[0])):
        group = group.sort_values(["document", "start"]) if "document" in group else group
        evidence: list[dict] = []
        for evs in group["evidence"] if "evidence" in group else []:
            evidence.extend(e for e in evs if e not in evidence)
        first = group.iloc[0]
        rows.append({
            "id": str(pid), "name": first["name"], "kind": first["kind"], "country": first["country"],
            "mentions": len(group), "surfaces": sorted(set(group["text"])),
            "sources": sorted(set(group["source_id"])) if "source_id" in group else [],
            "sentences": list(dict.fromkeys(group["sentence"])), "origin": first["origin"], "evidence": evidence,
        })
        geoms.append(first.geometry)
    return frame(rows, geoms, PLACE_COLUMNS)
