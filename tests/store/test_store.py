"""The store (geodata/store/): every test runs against SQLite and PostgreSQL (tests/store/conftest.py's
``db`` and ``store`` fixtures: a throwaway PostgreSQL cluster, started once for the session)."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from geodata.catalogue import load_catalogue
from geodata.errors import DataError, InputError
from geodata.sources import load_sources
from geodata.store import (
    MAX_TEXT_BYTES,
    accept_suggestion,
    add_event,
    add_source,
    list_events,
    list_sources,
    open_store,
    remove_event,
    remove_source,
    resolve_url,
    source_text,
    suggest_for_source,
)
from geodata.store.schema import MIGRATIONS, Migration, events, migrate, schema_version, sources, suggestions

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("Protesters stormed the airport in Almaty on Wednesday. "
        "Yesterday police detained 40 people in Taraz. The weather was mild.\n")
REF = dict(title="Field notes", outlet="Notebook", date="2022-01-07")


def _snapshot(store) -> dict:
    with store.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all())) for t in (sources, suggestions, events)}


# --- schema and migrations ------------------------------------------------------------------

def test_migrations_build_an_empty_database_and_reopening_changes_nothing(db):
    store = open_store(db)
    with store.engine.connect() as conn:
        assert {"schema_version", "sources", "suggestions", "events"} <= set(inspect(conn).get_table_names())
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [m.version for m in MIGRATIONS]
    store.dispose()
    again = open_store(db)
    with again.engine.begin() as conn:
        assert migrate(conn, "test") == []
        assert conn.execute(select(func.count()).select_from(schema_version)).scalar() == len(MIGRATIONS)
    again.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(store):
    def broken(conn):
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("step 2 fails halfway")

    steps = (*MIGRATIONS, Migration(MIGRATIONS[-1].version + 1, "broken", broken))
    with pytest.raises(RuntimeError):
        with store.engine.begin() as conn:
            migrate(conn, "test", steps)
    with store.engine.connect() as conn:
        assert "half_done" not in inspect(conn).get_table_names()
        assert max(conn.execute(select(schema_version.c.version)).scalars()) == MIGRATIONS[-1].version


def test_a_newer_schema_is_refused(store, db):
    with store.engine.begin() as conn:
        conn.execute(schema_version.insert().values(version=99, description="future", applied_at="2030"))
    with pytest.raises(DataError, match="newer than this code"):
        open_store(db)


@pytest.mark.parametrize("value, expected", [
    ("/tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
    ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
    ("sqlite:///rel.db", "sqlite:///rel.db"),
])
def test_resolve_url(value, expected):
    assert resolve_url(value) == expected


def test_resolve_url_reads_qantar_db_then_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("QANTAR_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.delenv("QANTAR_DB")
    assert resolve_url(None).endswith("qantar-atlas/store.sqlite3")
    with pytest.raises(InputError, match="not supported"):
        resolve_url("mysql://a@h/d")


# --- sources --------------------------------------------------------------------------------

def test_add_dedupe_list_remove(store):
    src, added = add_source(store, TEXT, **REF, author="A. Writer", url="https://example.org/a")
    assert added and src.id.startswith("user-") and src.id not in load_sources()
    again, added_again = add_source(store, TEXT, title="Other title", outlet="X", date="2022-01-08")
    assert (again, added_again) == (src, False)
    assert source_text(store, src.id) == TEXT
    other, _ = add_source(store, "Calm in Atyrau.", **{**REF, "date": "2022-01-06"})
    assert [s.id for s in list_sources(store)] == [other.id, src.id]  # by date
    assert remove_source(store, other.id) == {"removed": other.id, "events": 0, "suggestions": 0}
    assert [s.id for s in list_sources(store)] == [src.id]


def test_removing_a_source_leaves_no_orphans(store):
    src, _ = add_source(store, TEXT, **REF)
    found = suggest_for_source(store, src.id)
    accept_suggestion(store, found[0].id)
    add_event(store, source_id=src.id, start=found[1].start, end=found[1].end, place="gn:1516905",
              type="arrest", date_start="2022-01-06")
    assert remove_source(store, src.id) == {"removed": src.id, "events": 2, "suggestions": len(found)}
    assert _snapshot(store) == {"sources": [], "suggestions": [], "events": []}


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("   \n\t", "empty"),
    ("a\x00b", "NUL"),
    ("x" * (MAX_TEXT_BYTES + 1), "over the 2,000,000-byte limit"),
    ("д" * (MAX_TEXT_BYTES // 2 + 1), "over the 2,000,000-byte limit"),  # 2 bytes each in UTF-8
    (b"bytes", "must be str"),
], ids=["empty", "blank", "nul", "2MB+1", "2MB+1-cyrillic", "bytes"])
def test_refused_texts(store, text, message):
    with pytest.raises(InputError, match=message):
        add_source(store, text, **REF)
    assert list_sources(store) == []


@pytest.mark.parametrize("field, value, message", [
    ("title", " ", "--title is empty"),
    ("outlet", "", "--outlet is empty"),
    ("date", "7 Jan 2022", "not a date"),
    ("date", "2022-02-30", "not a date"),
    ("url", "example.org", "not an http"),
])
def test_refused_fields(store, field, value, message):
    with pytest.raises(InputError, match=message):
        add_source(store, TEXT, **{**REF, field: value})


def test_seed_articles_and_events_are_read_only(store):
    with pytest.raises(InputError, match="read-only"):
        remove_source(store, "pike-spectator")
    with pytest.raises(InputError, match="read-only"):
        add_event(store, source_id="pike-spectator", start=0, end=5, place="gn:1526384", type="riot",
                  date_start="2022-01-05")
    seed_event = load_catalogue().events[0].id
    with pytest.raises(InputError, match="read-only"):
        remove_event(store, seed_event)
    assert all(not s.startswith("user-") for s in load_sources())  # user ids can never be seed ids


# --- coding ---------------------------------------------------------------------------------

def _coding(src_id, **over):
    start = TEXT.index("Yesterday")
    end = TEXT.index("Taraz.") + len("Taraz.")
    return {**dict(source_id=src_id, start=start, end=end, place="gn:1516905", type="arrest",
                   date_start="2022-01-06"), **over}


def test_add_event_by_hand_with_seed_like_evidence(store):
    src, _ = add_source(store, TEXT, **REF)
    ev = add_event(store, **_coding(src.id), description="40 detained")
    assert ev.id.startswith("user-ev-") and ev.date_end == "2022-01-06" and ev.date_precision == "day"
    (evidence,) = ev.as_dict()["evidence"]
    assert evidence == {"source_id": src.id, "document": f"store:{src.id}", "start": ev.evidence[0].start,
                        "end": ev.evidence[0].end, "quote": "Yesterday police detained 40 people in Taraz."}
    assert TEXT[evidence["start"]:evidence["end"]] == evidence["quote"]
    assert add_event(store, **_coding(src.id)) .id == ev.id  # the same coding twice is one event
    assert [e.id for e in list_events(store)] == [ev.id]
    assert remove_event(store, ev.id) == {"removed": ev.id}
    assert list_events(store) == []


@pytest.mark.parametrize("over, message", [
    (dict(place="gn:0"), "not a gazetteer id"),
    (dict(date_start="2022-01-08"), "outside the reach"),
    (dict(date_start="2021-06-01"), "outside the reach"),
    (dict(date_start="2022-01-06", date_end="2022-01-05"), "before --date-start"),
    (dict(date_start="06.01.2022"), "not a date"),
    (dict(start=20, end=10), "not after --start"),
    (dict(start=0, end=10_000), "outside source"),
    (dict(type="massacre"), "not an event type"),
    (dict(source_id="user-000000000000"), "unknown source"),
    (dict(start=TEXT.index("\n"), end=TEXT.index("\n") + 1), "white space"),
])
def test_every_refusal_leaves_the_store_unchanged(store, over, message):
    src, _ = add_source(store, TEXT, **REF)
    suggest_for_source(store, src.id)
    before = _snapshot(store)
    with pytest.raises(InputError, match=message):
        add_event(store, **_coding(src.id, **over))
    assert _snapshot(store) == before


def test_accept_reverifies_the_quote(store):
    src, _ = add_source(store, TEXT, **REF)
    sug = suggest_for_source(store, src.id)[0]
    with store.engine.begin() as conn:  # a tampered suggestion, as a bad copy or bug would leave it
        conn.execute(suggestions.update().where(suggestions.c.id == sug.id).values(quote="Protesters stormed"))
    before = _snapshot(store)
    with pytest.raises(InputError, match="quote does not match"):
        accept_suggestion(store, sug.id)
    assert _snapshot(store) == before
    with pytest.raises(InputError, match="no suggestion"):
        accept_suggestion(store, "sug-000000000000")


def test_accept_with_corrections(store):
    src, _ = add_source(store, TEXT, **REF)
    sug = suggest_for_source(store, src.id)[0]
    assert (sug.type, sug.place, sug.date_start) == ("seizure", "gn:1526384", "2022-01-05")
    ev = accept_suggestion(store, sug.id, type="protest", date_start="2022-01-04", date_end="2022-01-05")
    assert (ev.type, ev.place, ev.date_start, ev.date_end, ev.date_precision) == (
        "protest", "gn:1526384", "2022-01-04", "2022-01-05", "range")
    assert ev.suggestion_id == sug.id and "Wednesday" in ev.date_note
    with pytest.raises(InputError, match="outside the reach"):
        accept_suggestion(store, sug.id, date_start="2022-01-09")


# --- parallel writers -----------------------------------------------------------------------

def _writer(args):
    db, worker = args
    store = open_store(db)
    try:
        ids = []
        for i in range(10):
            body = f"Report {worker}-{i}: protesters gathered in Almaty on 5 January."
            src, _ = add_source(store, body, **REF)
            add_event(store, source_id=src.id, start=0, end=len(body), place="gn:1526384", type="protest",
                      date_start="2022-01-05")
            add_source(store, "The same text from every writer, about Taraz.", **REF)  # races on dedupe
            ids.append(src.id)
        return ids
    finally:
        store.dispose()


def test_parallel_writers_lose_nothing(db):
    open_store(db).dispose()  # the schema first, as any first command would
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.map(_writer, [(db, w) for w in range(4)])
    store = open_store(db)
    ids = {s.id for s in list_sources(store)}
    assert len(ids) == 41 and set().union(*map(set, results)) <= ids
    assert len(list_events(store)) == 40
    store.dispose()


# --- the command line -----------------------------------------------------------------------

def _run(cli, *argv):
    r = cli(*argv)  # conftest.py: geodata.cli.main in-process
    return r.code, r.stdout, r.stderr


def test_cli_end_to_end(db, tmp_path, cli):
    doc = tmp_path / "notes.txt"
    doc.write_text(TEXT, encoding="utf-8")
    code, out, _ = _run(cli, "sources", "add", str(doc), "--title", "Notes", "--outlet", "Own", "--date",
                        "2022-01-07", "--author", "Me", "--url", "https://example.org/n", "--db", db)
    assert code == 0
    src = json.loads(out)
    assert src["id"].startswith("user-") and src["author"] == "Me"
    code, out, err = _run(cli, "sources", "add", str(doc), "--title", "Again", "--outlet", "Own", "--date",
                          "2022-01-07", "--db", db)
    assert json.loads(out) == src and "already stored" in err
    code, out, _ = _run(cli, "sources", "list", "--db", db)
    assert [s["id"] for s in json.loads(out)] == [src["id"]]
    code, out, _ = _run(cli, "events", "suggest", src["id"], "--db", db)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [s["type"] for s in lines] == ["seizure", "arrest"]
    assert all(TEXT[s["start"]:s["end"]] == s["quote"] for s in lines)
    code, out, _ = _run(cli, "events", "accept", lines[1]["id"], "--place", "gn:1516905", "--db", db)
    accepted = json.loads(out)
    assert accepted["type"] == "arrest" and accepted["date_start"] == "2022-01-06"
    code, out, _ = _run(cli, "events", "add", "--source", src["id"], "--start", "0", "--end", "54", "--place",
                        "gn:1526384", "--type", "seizure", "--date-start", "2022-01-05", "--db", db)
    assert json.loads(out)["evidence"][0]["quote"] == TEXT[:54]
    code, out, _ = _run(cli, "events", "list", "--db", db)
    assert len(json.loads(out)) == 2
    code, out, _ = _run(cli, "events", "remove", accepted["id"], "--db", db)
    assert json.loads(out) == {"removed": accepted["id"]}
    code, out, _ = _run(cli, "sources", "remove", src["id"], "--db", db)
    assert json.loads(out) == {"removed": src["id"], "events": 1, "suggestions": 2}


@pytest.mark.parametrize("argv, message", [
    (["events", "add", "--source", "user-000000000000", "--start", "0", "--end", "3", "--place", "gn:1526384",
      "--type", "riot", "--date-start", "2022-01-05"], "unknown source"),
    (["events", "accept", "sug-000000000000"], "no suggestion"),
    (["sources", "remove", "pike-spectator"], "read-only"),
    (["events", "remove", "user-ev-000000000000"], "no coded event"),
    (["events", "suggest", "hahn-corr"], "seed article"),
])
def test_cli_errors_are_one_line(db, cli, argv, message):
    code, out, err = _run(cli, *argv, "--db", db)
    assert code == 1 and out == "" and message in err and err.count("\n") == 1 and err.startswith("error: ")


def test_cli_refuses_large_and_binary_files(tmp_path, cli):
    db = str(tmp_path / "s.db")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_TEXT_BYTES + 10))
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    for path, message in ((big, "larger than 2,000,000 bytes"), (binary, "binary")):
        code, out, err = _run(cli, "sources", "add", str(path), "--title", "T", "--outlet", "O", "--date",
                              "2022-01-07", "--db", db)
        assert code == 1 and message in err and err.count("\n") == 1


def test_cli_as_a_real_process(tmp_path):
    doc = tmp_path / "n.txt"
    doc.write_text(TEXT, encoding="utf-8")
    env = {**os.environ, "QANTAR_DB": str(tmp_path / "env.sqlite3")}
    run = subprocess.run([sys.executable, "-m", "geodata", "sources", "add", str(doc), "--title", "T", "--outlet",
                          "O", "--date", "2022-01-07"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["id"].startswith("user-")
    assert (tmp_path / "env.sqlite3").exists()
