"""Place mentions: seed mentions with verifiable evidence, source filters, a user's document."""

from __future__ import annotations

import json

import pytest

from geodata.writers import to_geojson
from geodata.mentions import document_mentions, places_mentioned, seed_mentions
from geodata.sources import document_text, load_sources, verify_evidence

ALMATY = "gn:1526384"
HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Riots in Almaty and Taraz'


@pytest.fixture(scope="module")
def seeds():
    return seed_mentions()


def test_every_seed_mention_evidence_verifies(seeds):
    assert len(seeds) > 100
    for row in seeds.itertuples():
        assert document_text(row.document)[row.start:row.end] == row.text
        (ev,) = row.evidence
        verify_evidence(ev, f"mention {row.id}")
        assert ev["quote"] == row.sentence and ev["start"] <= row.start < row.end <= ev["end"]
        assert load_sources()[row.source_id].covers(row.document, row.start, row.end)


def test_seed_mentions_are_sorted_wgs84_with_demonyms_kept(seeds):
    assert seeds.crs.to_epsg() == 4326
    assert list(seeds.index) == sorted(seeds.index)
    assert "demonym" in set(seeds["kind"]) and set(seeds["origin"]) == {"seed"}


def test_almaty_is_mentioned_by_several_sources(seeds):
    assert len(set(seeds.loc[seeds["place_id"] == ALMATY, "source_id"])) >= 3
    places = places_mentioned(seeds)
    almaty = places.loc[ALMATY]
    assert almaty["mentions"] == (seeds["place_id"] == ALMATY).sum()
    assert len(almaty["evidence"]) >= 3 and "demonym" not in set(places["kind"])


@pytest.mark.parametrize("sources", [["pike-spectator"], ["hahn-corr", "eurasia-notes-13"], []])
def test_source_filter(seeds, sources):
    kept = seed_mentions(sources)
    assert set(kept["source_id"]) == set(sources)
    assert len(kept) == int(seeds["source_id"].isin(sources).sum())


def test_user_text_keeps_exact_offsets_and_stays_text():
    m = document_mentions(HOSTILE, "<b>evil</b>.txt")
    assert list(m["name"]) == ["Almaty", "Taraz"] and list(m.index) == ["upload:0001", "upload:0002"]
    for row in m.itertuples():
        assert HOSTILE[row.start:row.end] == row.text and row.origin == "upload"
        assert HOSTILE[row.sentence_start:row.sentence_end] == row.sentence
    # Raw text stays raw in the data (escaping is the display's job) and survives GeoJSON as text.
    fc = json.loads(to_geojson(m))
    assert [f["id"] for f in fc["features"]] == ["upload:0001", "upload:0002"]
    assert fc["features"][0]["properties"]["document"] == "<b>evil</b>.txt"
    assert "evidence" not in fc["features"][0]["properties"]


def test_user_text_without_places_is_an_empty_layer():
    m = document_mentions("Nothing here at all.", "x.txt")
    assert len(m) == 0 and m.crs.to_epsg() == 4326 and len(places_mentioned(m)) == 0
