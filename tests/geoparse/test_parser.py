"""The geoparser's API (parse, parse_to_records): known answers, record shape, properties."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.geoparse import parse, parse_to_records
from geodata.geoparse.parser import Mention
from geodata.geoparse.resolution import ResolvedMention


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Protests spread from Zhanaozen to Alma-Ata.", [("Zhanaozen", "gn:607610"), ("Alma-Ata", "gn:1526384")]),
        ("Snipers fired near Kok Tobe in Almaty.", [("Kok Tobe", "landmark:kok-tobe-tower"), ("Almaty", "gn:1526384")]),
        ("Flights to Almaty’s airport resumed.", [("Almaty’s airport", "landmark:almaty-airport")]),
        ("Demands began in the Mangistau region.", [("Mangistau region", "region:KZ-MAN")]),
        ("Arrests in central Aqmola and Qaraghandy regions.", [("Aqmola", "region:KZ-AKM"), ("Qaraghandy", "region:KZ-KAR")]),
        ("The Uighur party of eastern Turkestan.", [("eastern Turkestan", "region:CN-XJ")]),
        ("The U.S. and the UK said so.", [("U.S.", "country:US"), ("UK", "country:GB")]),
        ("Troops reached Nur-Sultan.", [("Nur-Sultan", "gn:1526273")]),
        ("Rioters held the Mir Television building.", []),
        ("There was no Orange Revolution.", []),
        ("Most of it happened in March.", []),
        ("Russia patrols its Union State with Belarus.", [("Russia", "country:RU"), ("Belarus", "country:BY")]),
        ("Kazakh troops in Petropavlovsk.", [("Kazakh", "country:KZ"), ("Petropavlovsk", "gn:1520172")]),
    ],
)
def test_known_answers(text, expected):
    assert [(m.text, m.place.id) for m in parse(text)] == expected


def test_records_are_json_lines_ready():
    text = "Gunfire in Almaty. Kazakh police returned."
    recs = parse_to_records(text)
    assert [r["id"] for r in recs] == ["gn:1526384", "country:KZ"]
    keys = {"text", "start", "end", "sentence", "sentence_start", "sentence_end", "name", "kind", "country", "lat",
            "lon", "id", "confidence", "alternatives"}
    for r in recs:
        assert set(r) == keys
        assert r["sentence"] == text[r["sentence_start"]:r["sentence_end"]]
        assert json.loads(json.dumps(r, sort_keys=True)) == r
    assert recs[0]["sentence"] == "Gunfire in Almaty."


def test_records_without_sentences_keep_their_spans():
    text = "Gunfire in Almaty. Kazakh police returned."
    with_text, without = parse_to_records(text), parse_to_records(text, sentences=False)
    assert all("sentence" not in r for r in without)
    assert [dict(r, sentence=text[r["sentence_start"]:r["sentence_end"]]) for r in without] == with_text


_FRAGMENTS = st.sampled_from(["Almaty", "Alma-Ata", " Kazakh ", "U.S.", "Most", "Nur-Sultan", "Kok Tobe", " region",
                              "’s airport", ". ", "\n", "Petropavlovsk", "eastern Turkestan", "ALMATY", "İstanbul", " "])


_TEXT = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_parse_properties(text):
    mentions = parse(text)
    last_end = -1
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end  # sorted, non-overlapping
        last_end = m.end
        assert m.sentence_start <= m.start < m.end <= m.sentence_end <= len(text)
        assert 0.0 <= m.confidence <= 1.0
        assert all(0.0 <= s <= 1.0 for _, s in m.alternatives)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_records_never_raise(text):
    for r in parse_to_records(text):
        assert text[r["start"]:r["end"]] == r["text"]


def test_a_mention_is_the_resolved_mention_plus_its_text():
    """The public record and the fast internal tuple declare the same fields, in the same order."""
    assert tuple(f.name for f in dataclasses.fields(Mention)) == ("text", *ResolvedMention._fields)
    [m] = parse("Troops landed in Almaty.")
    assert (m.text, m.start, m.end, m.place.name) == ("Almaty", 17, 23, "Almaty")
