"""The geoparser against hand-made gold (the seeds, the trap texts, the real-world texts): the gold itself,
and the scores."""

from __future__ import annotations

import pytest

from geodata.gazetteer import load_gazetteer
from geodata.geoparse.evaluate import (MAIN_KINDS, SEED_GOLD, load_gold, real_world_documents, report, seed_documents,
                                       trap_documents)

KINDS = set(MAIN_KINDS) | {"demonym", "macroregion", "water", "historic"}
# Gold places the gazetteer does not hold (yet): counted for recognition, not for resolution.
# The second real-world batch names Russian oblasts (the gazetteer has only Kazakhstan's regions and a
# few others) and Almaty sites no source we could read places.
NOT_IN_GAZETTEER: set[str] = {
    "region:RU-MOS", "region:RU-IVA", "region:RU-ULY",
    "landmark:aksai-grain-factory-almaty", "landmark:druzhba-pumping-station-almaty",
    "landmark:aksai-microdistrict-almaty",
}


@pytest.fixture(scope="module")
def seed_report():
    return report()


def _all_gold():
    docs, gold = trap_documents()
    for part in ("tuning", "held_out"):
        rw_docs, rw_gold = real_world_documents(part)
        docs.update(rw_docs)
        gold += rw_gold
    docs.update(seed_documents())
    return docs, load_gold(SEED_GOLD) + gold


def test_gold_rows_match_their_documents():
    docs, gold = _all_gold()
    assert len(gold) > 500
    for g in gold:
        assert docs[g.document][g.start:g.end] == g.text, g
        assert g.kind in KINDS, g
        if g.kind in MAIN_KINDS and g.place_id not in NOT_IN_GAZETTEER:
            assert load_gazetteer().has(g.place_id), g
        assert bool(g.place_id) == (g.kind in set(MAIN_KINDS) | {"demonym"}), g


def test_gold_has_no_overlapping_spans():
    _, gold = _all_gold()
    spans = sorted((g.document, g.start, g.end) for g in gold)
    for (d1, _, e1), (d2, s2, _) in zip(spans, spans[1:]):
        assert d1 != d2 or e1 <= s2


def test_pike_article_is_annotated_in_both_copies():
    docs, gold = seed_documents(), load_gold(SEED_GOLD)

    def body(doc_prefix):
        doc = next(d for d in docs if d.startswith(doc_prefix))
        start = docs[doc].index("The Kazakh uprising is over.")
        end = docs[doc].index("telling the truth.")
        return [(g.text, g.place_id, g.kind) for g in gold if g.document == doc and start <= g.start < end]

    assert len(body("000")) > 60 and body("000") == body("001")


def test_seed_recognition_f1(seed_report):
    seeds = seed_report["seeds"]
    assert seeds["f1"] >= 0.9, seeds
    assert seeds["precision"] >= 0.95, seeds  # measured 1.000 (recall 0.983) when written


def test_seed_resolution_accuracy_161km(seed_report):
    assert seed_report["seeds"]["accuracy_161km"] >= 0.95, seed_report["seeds"]  # measured 1.000


def test_trap_texts_scores(seed_report):
    traps = seed_report["traps"]
    assert traps["precision"] >= 0.95 and traps["recall"] >= 0.95 and traps["accuracy_161km"] >= 0.95, traps


def test_seed_areas_are_found(seed_report):
    areas = seed_report["seeds_areas"]  # macro-regions, seas, historic states: scored apart from the main kinds
    assert areas["precision"] >= 0.95 and areas["recall"] >= 0.6, areas  # measured P 1.000 R 0.690


# Real-world texts (geodata/data/evaluation/real_world/README.md), 27 texts since the second batch (issue 15).
# Measured after the rules for Almaty's places, facilities, streets and airfields: tuning F1 0.988 (P 1.000,
# R 0.976), within 161 km 0.992; held out F1 0.991 (P 0.994, R 0.989), within 161 km 1.000 (before: 0.943
# and 0.980). The margin allows about three more errors in either part, not a class of them.
REAL_WORLD_AFTER = {"real_world_tuning": 0.988, "real_world_held_out": 0.991}
REAL_WORLD_MARGIN = 0.02


@pytest.mark.parametrize("part", sorted(REAL_WORLD_AFTER))
def test_real_world_scores_do_not_drop(seed_report, part):
    got = seed_report[part]
    assert got["tp"] >= 100, got
    assert got["f1"] >= REAL_WORLD_AFTER[part] - REAL_WORLD_MARGIN, got
    assert got["accuracy_161km"] >= 0.99 - REAL_WORLD_MARGIN, got
