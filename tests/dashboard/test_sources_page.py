"""The Sources page in AppTest: add, suggestions, accept / edit / reject, code by hand, refusals, remove with a confirm.

Each test has its own store (``QANTAR_DB`` a temporary file); what one page writes, the map, the
filters, the timeline and the downloads of a fresh session show.
"""

from __future__ import annotations


from streamlit.testing.v1 import AppTest

from dashboard.escape import markdown_text
from geodata.store import add_source, list_events, list_sources, open_store, remove_event, sentences_of
from tests.dashboard.apptest import event_list, map_args, run_app

PAGE = "views/sources.py"
TEXT = ("Rioters set fire to the akimat in Shymkent on Wednesday. <script>alert(`x${1}`)</script>\n"
        "Yesterday police detained 40 people in Taraz.\n")
TITLE = "Night <b>notes</b> **bold**"



def sources_page(query: dict | None = None) -> AppTest:
    return run_app(query, PAGE)


def add(at: AppTest, *, text: str = TEXT, title: str = TITLE, date: str = "2022-01-07") -> AppTest:
    at.text_input(key="src_title").input(title)
    at.text_input(key="src_outlet").input("Field `notes`")
    at.text_input(key="src_date").input(date)
    at.text_area(key="src_text").input(text)
    at.button(key="FormSubmitter:add_source-Add source").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def suggestion_ids(at: AppTest) -> list[str]:
    return [b.key.removeprefix("accept_") for b in at.button if b.key and b.key.startswith("accept_sug-")]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_a_new_store_says_how_to_add_a_source(db):
    at = sources_page()
    assert "No source yet" in at.info[0].value and not errors(at)


def test_adding_a_source_lists_its_suggestions_over_the_escaped_text(db):
    at = add(sources_page())
    (src,) = list_sources(open_store(db))
    assert at.success[0].value == markdown_text(f"Added {TITLE!r} as {src.id}.")
    assert len(suggestion_ids(at)) == 2
    (panel,) = [h.proto.body for h in at.html if 'class="source-text"' in h.proto.body]
    assert "<script>" not in panel and "&lt;script&gt;alert(&#x60;x&#x24;{1}&#x60;)&lt;/script&gt;" in panel
    assert panel.count('<mark class="sugg">') == 2 and '<sup class="n">1</sup>' in panel


def test_accepting_a_suggestion_puts_it_on_the_map_in_the_filters_and_the_downloads(db):
    at = add(sources_page())
    first = suggestion_ids(at)[0]
    click(at, f"accept_{first}")
    assert "it is on the map now" in at.success[0].value
    assert first not in suggestion_ids(at)
    (src,) = list_sources(open_store(db))
    (ev,) = list_events(open_store(db))
    # A fresh session (another reader) sees it: on the map, outlined, with the source's title escaped.
    other = run_app({"feature": f"events:{ev.id}"})
    assert f"{TITLE} (Field `notes`) · yours" in other.multiselect(key="sources").options
    other.multiselect(key="sources").select(src.id).run()
    assert not other.exception
    script = map_args(other)["script"]
    # One place badge, flagged as holding a user's event; its tooltip names the source, escaped.
    assert "<b>notes" not in script and "\\u003cb\\u003enotes" not in script
    # (the map script holds the badges as JSON: "<" is \u003c and "&" \u0026, the tooltip's own escaping &lt;)
    assert '"user": true' in script
    assert "1 added by a user: Night \\u0026lt;b\\u0026gt;notes\\u0026lt;/b\\u0026gt; **bold**" in script
    assert list(event_list(other)["ref"]) == [f"events:{ev.id}"]
    assert other.multiselect(key="sources").value == [src.id]
    panel = "".join(h.proto.body for h in other.html)
    assert "Added by a user: Night &lt;b&gt;notes&lt;/b&gt; **bold**" in panel
    assert '<mark class="quote">Rioters set fire to the akimat in Shymkent on Wednesday.</mark>' in panel
    other.switch_page("views/timeline.py").run()
    assert not other.exception and not other.info  # the timeline has the event
    other.switch_page("views/downloads.py").run()
    assert not other.exception
    assert "**events**: 1 features" in [m.value for m in other.markdown]


def test_edit_then_accept_and_every_refusal_is_one_plain_line(db):
    at = add(sources_page())
    sug = suggestion_ids(at)[0]
    cases = [
        ({"place": "Qwertyville"}, "place 'Qwertyville' is not in the gazetteer"),
        ({"from": "2022-01-09", "to": "2022-01-09"}, "outside the reach of source"),
        ({"from": "2022-01-06", "to": "2022-01-05"}, "is before --date-start"),
        ({"from": "5 January"}, "is not a date"),
    ]
    for change, message in cases:
        at.text_input(key=f"edit_place_{sug}").input(change.get("place", "Shymkent"))
        at.text_input(key=f"edit_from_{sug}").input(change.get("from", "2022-01-05"))
        at.text_input(key=f"edit_to_{sug}").input(change.get("to", "2022-01-05"))
        click(at, f"accept_edit_{sug}")
        (shown,) = errors(at)
        assert message in shown and shown.startswith("`") and "\n" not in shown, (message, shown)
        assert list_events(open_store(db)) == []  # a refused write leaves the store as it was
    at.selectbox(key=f"edit_type_{sug}").select("armed_clash")
    at.text_input(key=f"edit_place_{sug}").input("Chimkent")
    at.text_input(key=f"edit_from_{sug}").input("2022-01-05")
    at.text_input(key=f"edit_to_{sug}").input("2022-01-06")
    click(at, f"accept_edit_{sug}")
    (ev,) = list_events(open_store(db))
    assert (ev.type, ev.place, ev.date_start, ev.date_end) == ("armed_clash", "gn:1518980", "2022-01-05", "2022-01-06")


def test_a_bad_source_is_refused_in_one_line(db):
    at = add(sources_page(), date="7 Jan 2022")
    (shown,) = errors(at)
    assert "is not a date" in shown and list_sources(open_store(db)) == []
    at = add(at, text="   ", date="2022-01-07")
    assert "the text is empty" in errors(at)[0]


def test_reject_hides_a_suggestion(db):
    at = add(sources_page())
    first, second = suggestion_ids(at)
    click(at, f"reject_{second}")
    assert suggestion_ids(at) == [first] and "rejected" in at.success[0].value
    assert suggestion_ids(sources_page()) == [first]  # for good, in a new session too


def test_coding_by_hand_from_picked_sentences(db):
    at = add(sources_page())
    click(at, "code_add")
    assert "pick at least one sentence" in errors(at)[0]
    store = open_store(db)
    (i,) = [i for i, (_, _, t) in enumerate(sentences_of(store, list_sources(store)[0].id)) if t.startswith("Yesterday")]
    at.multiselect(key="code_sentences").select(i)
    at.selectbox(key="code_type").select("arrest")
    at.text_input(key="code_place").input("Taraz")
    at.text_input(key="code_from").input("2022-01-06")
    click(at, "code_add")
    assert "coded by hand" in at.success[0].value
    (ev,) = list_events(open_store(db))
    assert ev.evidence[0].quote == "Yesterday police detained 40 people in Taraz." and ev.type == "arrest"


def test_removing_a_source_asks_first_and_leaves_no_events(db):
    at = add(sources_page())
    click(at, f"accept_{suggestion_ids(at)[0]}")
    assert at.button(key="remove_source").disabled
    at.checkbox(key="remove_confirm").check().run()
    assert not at.button(key="remove_source").disabled
    click(at, "remove_source")
    assert "Removed" in at.success[0].value and "1 events" in at.success[0].value
    assert list_sources(open_store(db)) == [] and list_events(open_store(db)) == []
    assert "No source yet" in at.info[0].value


def test_removing_an_event_asks_first_and_reopens_its_suggestion(db):
    at = add(sources_page())
    first, second = suggestion_ids(at)
    click(at, f"accept_{first}")
    click(at, f"accept_{second}")
    kept, gone = list_events(open_store(db))
    at.selectbox(key="event_remove_pick").select(gone.id).run()
    assert at.button(key="remove_event").disabled  # nothing is removed without the confirm box
    at.checkbox(key=f"event_remove_confirm_{gone.id}").check().run()
    assert not at.button(key="remove_event").disabled
    # A confirm box belongs to one event: picking another disarms the button.
    at.selectbox(key="event_remove_pick").select(kept.id).run()
    assert at.button(key="remove_event").disabled
    at.selectbox(key="event_remove_pick").select(gone.id).run()
    assert at.button(key="remove_event").disabled  # and back: asked again
    at.checkbox(key=f"event_remove_confirm_{gone.id}").check().run()
    click(at, "remove_event")
    assert at.success[0].value == markdown_text(f"Removed event {gone.id}; it is off the map. "
                                                "Its suggestion is open for review again.")
    assert [e.id for e in list_events(open_store(db))] == [kept.id] and len(list_sources(open_store(db))) == 1
    assert gone.suggestion_id in suggestion_ids(at)
    assert at.selectbox(key="event_remove_pick").value == kept.id
    # A fresh session's event list no longer has it.
    other = run_app()
    refs = set(event_list(other)["ref"])
    assert f"events:{gone.id}" not in refs and f"events:{kept.id}" in refs


def test_removing_an_event_another_session_removed_is_one_plain_line(db):
    at = add(sources_page())
    click(at, f"accept_{suggestion_ids(at)[0]}")
    (ev,) = list_events(open_store(db))
    at.checkbox(key=f"event_remove_confirm_{ev.id}").check().run()
    remove_event(open_store(db), ev.id)  # another session, first
    click(at, "remove_event")
    (shown,) = errors(at)
    assert f"no coded event {ev.id!r}" in shown and shown.startswith("`") and "\n" not in shown


def test_your_document_page_prefills_the_new_source(db):
    at = run_app(page="views/documents.py")
    at.text_area(key="document_text").input(TEXT).run()
    at.button(key="document_to_sources").click().run()
    assert not at.exception
    assert at.text_area(key="src_text").value == TEXT


def test_another_sessions_source_shows_on_the_next_run(db):
    at = sources_page()
    assert at.info
    add_source(open_store(db), TEXT, title="From elsewhere", outlet="O", date="2022-01-07")
    at.run()
    assert at.selectbox(key="source_pick").value.startswith("user-") and not at.info
