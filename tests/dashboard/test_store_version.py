"""``dashboard.data.version``: the store asked once per script run, and every write still seen.

Counted on the real SQLite engine of the store the script opens (``QANTAR_DB`` a temporary file),
with an SQLAlchemy listener on every statement it sends.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from dashboard import data
from geodata.store import add_source, open_store
from tests.dashboard.apptest import run_app

TEXT = "Protesters stormed the airport in Almaty on Wednesday.\n"
TITLE = "Field notes from Almaty"



@contextmanager
def statements():
    """Every SQL statement the dashboard's store engine sends meanwhile."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = data.store().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def version_reads(seen: list[str]) -> int:
    return sum("UNION ALL" in s for s in seen)  # geodata.store.store_version's one statement


def test_a_run_reads_the_version_once_and_the_next_run_sees_another_process_write(db):
    at = run_app()  # a first run fills the caches
    with statements() as seen:
        at.run()
    assert not at.exception
    # The map page's ~20 cached wrappers used to ask ~20 times (5 statements each); the cached
    # data asks nothing more.
    assert [s for s in seen if not s.startswith("BEGIN")] == [s for s in seen if "UNION ALL" in s]
    assert version_reads(seen) == 1
    # Another process writes, through an engine of its own: the next run shows its source.
    other = open_store(db)
    src, _ = add_source(other, TEXT, title=TITLE, outlet="Notebook", date="2022-01-07")
    other.dispose()
    with statements() as seen:
        at.run()
    assert not at.exception
    assert version_reads(seen) == 1
    assert f"{TITLE} (Notebook) · yours" in at.multiselect(key="sources").options


def _writes_mid_run():
    # An AppTest script (its source runs on its own): a page that writes, then reads, in one run.
    import streamlit as st

    from dashboard import data
    from geodata.store import add_source, remove_source

    before = data.version()
    again = data.version()
    src, _ = add_source(data.store(), "Police detained 40 people in Taraz.\n", title="Taraz notes", outlet="Notebook",
                         date="2022-01-07")
    after = data.version()
    remove_source(data.store(), src.id)
    st.write(f"same:{before == again} changed:{after != before} back:{data.version() == before}")


def test_a_write_in_this_process_shows_in_the_same_run(db):
    at = AppTest.from_function(_writes_mid_run, default_timeout=60)
    with statements() as seen:
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.markdown[0].value == "same:True changed:True back:True"
    assert version_reads(seen) == 3  # before (again: from the run's copy), after the add, after the removal


def test_outside_a_script_run_every_call_reads(db):
    with statements() as seen:
        first, second = data.version(), data.version()
    assert first == second and version_reads(seen) == 2
