"""The store's sources and events beside the seeds: layers, the claim's violence set, sources.csv, export --db.

Every test runs on SQLite and on PostgreSQL (the throwaway cluster of tests/store/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import event, update

from geodata.claims import candidate_ids
from geodata.claims.candidates import SEED_VIOLENCE_SET
from geodata.errors import DataError, InputError
from geodata.exportfiles import sources_csv
from geodata.layers import build_layers, user_violence
from geodata.store import (accept_suggestion, add_event, add_source, list_sources, open_suggestions, place_id_of,
                           reject_suggestion, remove_source, sentences_of, store_version, suggest_for_source,
                           text_paragraph, verified_events)
from geodata.store.schema import events
from geodata.writers import export, export_files


# Shymkent is not in the seed catalogue's violence set; a riot there must join it.
TEXT = ("Rioters set fire to the akimat in Shymkent on Wednesday. <script>alert(1)</script>\n"
        "Yesterday police detained 40 people in Taraz.\n")
REF = dict(title="Night <b>notes</b>", outlet="Field `notes`", date="2022-01-07", url="https://example.org/n")
SHYMKENT = "gn:1518980"


@pytest.fixture
def coded(store):
    """A store holding one source, its suggestions, and one accepted riot in Shymkent."""
    src, _ = add_source(store, TEXT, **REF)
    first = suggest_for_source(store, src.id)[0]
    ev = accept_suggestion(store, first.id, type="riot", place=SHYMKENT)
    return store, src, ev


def test_without_a_store_the_layers_are_the_seeds_alone():
    events_ = build_layers()["events"]
    assert "origin" not in events_.columns and not events_["id"].str.startswith("user-").any()


def test_user_events_join_the_seed_events_with_origin_and_verified_evidence(coded):
    store, src, ev = coded
    layer = build_layers(store=store)["events"]
    assert set(layer["origin"]) == {"seed", "user"}
    row = layer.loc[ev.id]
    assert row["origin"] == "user" and row["sources"] == [src.id] and row["place_id"] == SHYMKENT
    (e,) = row["evidence"]
    assert e == {"source_id": src.id, "document": f"store:{src.id}", "start": e["start"], "end": e["end"],
                 "quote": TEXT[e["start"]:e["end"]]}
    assert len(layer) == len(build_layers()["events"]) + 1
    assert SHYMKENT in set(build_layers(store=store)["places"]["id"])


@pytest.mark.parametrize("filters, kept", [
    ({"sources": "SRC"}, True),
    ({"sources": ["hahn-corr"]}, False),
    ({"types": ["riot"]}, True),
    ({"types": ["arrest"]}, False),
    ({"date_from": "2022-01-05", "date_to": "2022-01-05"}, True),
    ({"date_from": "2022-01-06"}, False),
])
def test_the_filters_apply_to_user_events(coded, filters, kept):
    store, src, ev = coded
    if filters.get("sources") == "SRC":
        filters = {"sources": [src.id]}
    layers = build_layers(store=store, **filters)
    assert (ev.id in set(layers["events"]["id"])) is kept
    if "sources" in filters and kept:
        assert list(layers["events"]["id"]) == [ev.id] and len(layers["troops"]) == 0


def test_an_unknown_source_id_is_refused_with_the_store_ids_listed(coded):
    store, src, _ = coded
    with pytest.raises(InputError, match=src.id):
        build_layers(store=store, sources=["user-000000000000"])


def test_a_quote_that_no_longer_matches_its_stored_text_is_a_one_line_error(coded):
    store, src, ev = coded
    with store.transaction() as conn:
        conn.execute(update(events).where(events.c.id == ev.id).values(quote="tampered"))
    with pytest.raises(DataError, match=f"event {ev.id}: quote does not match store:{src.id}"):
        build_layers(store=store)


def test_the_violence_set_gains_the_cities_of_user_events(coded):
    store, _, _ = coded
    seeds = candidate_ids(SEED_VIOLENCE_SET)
    assert SHYMKENT not in seeds
    assert candidate_ids(SEED_VIOLENCE_SET, user_violence(store)) == sorted({*seeds, SHYMKENT})
    assert user_violence(None) == ()


def test_sources_csv_lists_user_sources_after_the_seeds_with_where_they_come_from(coded):
    store, src, _ = coded
    rows = list(csv.DictReader(io.StringIO(sources_csv(list_sources(store)))))
    assert rows[-1]["id"] == src.id and rows[-1]["title"] == REF["title"] and rows[-1]["documents"] == f"store:{src.id}"
    assert REF["url"] in rows[-1]["where_from"] and src.sha256 in rows[-1]["where_from"]
    assert [r["id"] for r in rows[:-1]] == [r["id"] for r in csv.DictReader(io.StringIO(sources_csv()))]


def test_export_with_a_store_is_deterministic_and_documents_origin(coded, tmp_path):
    store, src, ev = coded
    export(tmp_path / "a", store=store)
    export(tmp_path / "b", store=store)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    assert "  origin: seed = the hand-coded catalogue" in (tmp_path / "a" / "README.txt").read_text()
    feats = json.loads((tmp_path / "a" / "events.geojson").read_text())["features"]
    assert [f["properties"]["origin"] for f in feats if f["id"] == ev.id] == ["user"]


def test_export_files_without_a_store_are_unchanged():
    layers = build_layers()
    assert export_files(layers) == export_files(layers, user_sources=())


def test_cli_export_db_end_to_end(db, tmp_path, cli, monkeypatch):
    """sources add -> events suggest -> events accept -> export --db, each command opening the store
    anew (in-process; tests/store/test_store.py runs a real process); without ``QANTAR_DB`` a plain
    export is the seeds alone."""
    monkeypatch.delenv("QANTAR_DB")

    def run(*args):
        r = cli(*args)
        assert r.code == 0, r.stderr
        return r.stdout

    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    src = json.loads(run("sources", "add", str(doc), "--db", db, "--title", "T", "--outlet", "O", "--date", "2022-01-07"))
    sug = json.loads(run("events", "suggest", src["id"], "--db", db).splitlines()[0])
    ev = json.loads(run("events", "accept", sug["id"], "--db", db))
    run("export", str(tmp_path / "out"), "--db", db, "--source", src["id"])
    feats = json.loads((tmp_path / "out" / "events.geojson").read_text())["features"]
    assert [f["id"] for f in feats] == [ev["id"]]
    assert src["id"] in (tmp_path / "out" / "sources.csv").read_text()
    plain = tmp_path / "plain"
    run("export", str(plain))
    assert src["id"] not in (plain / "sources.csv").read_text()


def test_store_version_changes_with_every_write(store):
    versions = [store_version(store)]
    src, _ = add_source(store, TEXT, **REF)
    versions.append(store_version(store))
    sug = open_suggestions(store, src.id)
    versions.append(store_version(store))
    reject_suggestion(store, sug[1].id)
    versions.append(store_version(store))
    accept_suggestion(store, sug[0].id)
    versions.append(store_version(store))
    remove_source(store, src.id)
    versions.append(store_version(store))
    assert len(set(versions)) == len(versions) - 1 and versions[-1] == versions[0]


def test_store_version_is_one_statement(store):
    add_source(store, TEXT, **REF)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        store_version(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert [s for s in statements if not s.startswith("BEGIN")] == [statements[-1]] and "UNION ALL" in statements[-1]


def test_open_suggestions_leave_out_accepted_and_rejected_ones(store):
    src, _ = add_source(store, TEXT, **REF)
    first, second = open_suggestions(store, src.id)
    reject_suggestion(store, second.id)
    reject_suggestion(store, second.id)  # twice is once
    assert open_suggestions(store, src.id) == [first]
    suggest_for_source(store, src.id)  # suggesting again does not bring it back
    accept_suggestion(store, first.id)
    assert open_suggestions(store, src.id) == []
    with pytest.raises(InputError, match="no suggestion"):
        reject_suggestion(store, "sug-000000000000")
    remove_source(store, src.id)
    assert verified_events(store) == []


def test_hand_coding_from_picked_sentences(store):
    src, _ = add_source(store, TEXT, **REF)
    (s1, e1, first), (s2, e2, second) = sentences_of(store, src.id)[:2]
    assert TEXT[s1:e1] == first and first.startswith("Rioters")
    ev = add_event(store, source_id=src.id, start=s1, end=e2, place=place_id_of("Chimkent"), type="riot",
                   date_start="2022-01-05")
    assert ev.evidence[0].quote == TEXT[s1:e2] and ev.place == SHYMKENT
    assert text_paragraph(TEXT, s1, e1) == (TEXT.split("\n")[0], 0, e1 - s1)
    with pytest.raises(InputError, match="not in the gazetteer"):
        place_id_of("Qwertyville")
