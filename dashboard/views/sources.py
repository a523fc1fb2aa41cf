"""Sources: add your own documents to the store, review the suggested events, code events by hand.

Everything written goes through ``geodata.store`` (which re-verifies every span and refuses in
one line); the writes run in button callbacks, so the page drawn afterwards, and every other
session on its next run, shows them (``dashboard.data`` caches on the store's version).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.escape import html_text
from dashboard.panels.sourcetext import Mark, marked_text_html, refuse, say, sentence_label, span_of
from geodata import store as user_store
from geodata.errors import DataError, InputError
from geodata.gazetteer import load_gazetteer
from geodata.geoparse import decode_text
from geodata.schemas import EVENT_TYPES

PREFILL_KEY = "_source_prefill"  # {"text", "title"}: set by the Your document page's "Add to my sources"
MESSAGE_KEY = "_sources_message"  # ("error" | "success", one line): the last write's outcome
PICK_KEY = "source_pick"
EVENT_PICK_KEY = "event_remove_pick"
EVENT_CONFIRM_KEY = "event_remove_confirm"  # one box per event: "<key>_<event id>"
FIELDS = ("src_title", "src_outlet", "src_date", "src_author", "src_url", "src_text")
MAX_MB = user_store.MAX_TEXT_BYTES // 1_000_000


def _flash(kind: str, message: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, message)


def _attempt(write, done: str) -> object | None:
    """Run one write; keep its outcome (a refusal's one line, or ``done``) for the page to show."""
    try:
        result = write()
    except (InputError, DataError) as exc:
        _flash("error", str(exc))
        return None
    _flash("success", done if isinstance(done, str) else done(result))
    return result


def _add() -> None:
    ss = st.session_state
    upload = ss.get("src_file")

    def write():
        if upload is not None:
            text = decode_text(upload.getvalue(), upload.name, user_store.MAX_TEXT_BYTES,
                               size_hint=f"the limit is {MAX_MB} MB; split the text")
        else:
            text = ss.get("src_text") or ""
        return user_store.add_source(store, text, title=ss.get("src_title", ""), outlet=ss.get("src_outlet", ""),
                                     date=(ss.get("src_date") or "").strip(), author=ss.get("src_author", ""),
                                     url=(ss.get("src_url") or "").strip())

    found = _attempt(write, lambda r: f"Added {r[0].title!r} as {r[0].id}." if r[1]
                     else f"This text is already stored as {r[0].id} ({r[0].title!r}); nothing was added.")
    if found is not None:
        ss[PICK_KEY] = found[0].id


def _accept(sug_id: str, edited: bool) -> None:
    ss = st.session_state
    changes = {}
    if edited:
        place = ss.get(f"edit_place_{sug_id}", "")
        changes = dict(type=ss.get(f"edit_type_{sug_id}"), date_start=(ss.get(f"edit_from_{sug_id}") or "").strip(),
                       date_end=(ss.get(f"edit_to_{sug_id}") or "").strip())

    def write():
        extra = dict(changes, place=user_store.place_id_of(place)) if edited else {}
        return user_store.accept_suggestion(store, sug_id, **extra)

    _attempt(write, lambda ev: f"Event {ev.id} coded: {ev.type} at {load_gazetteer().get(ev.place).name}, "
                               f"{ev.date_start}{'' if ev.date_end == ev.date_start else ' to ' + ev.date_end}; "
                               "it is on the map now.")


def _reject(sug_id: str) -> None:
    _attempt(lambda: user_store.reject_suggestion(store, sug_id), "Suggestion rejected; it stays hidden.")


def _code(source_id: str, sentences: list[tuple[int, int, str]]) -> None:
    ss = st.session_state

    def write():
        picked = [sentences[i][:2] for i in ss.get("code_sentences") or []]
        if not picked:
            raise InputError("pick at least one sentence as the quote; the event's evidence is those sentences")
        start, end = span_of(picked)
        return user_store.add_event(store, source_id=source_id, start=start, end=end,
                                    place=user_store.place_id_of(ss.get("code_place", "")), type=ss.get("code_type"),
                                    date_start=(ss.get("code_from") or "").strip(),
                                    date_end=(ss.get("code_to") or "").strip() or None,
                                    description=(ss.get("code_description") or "").strip())

    _attempt(write, lambda ev: f"Event {ev.id} coded by hand: {ev.type} at {load_gazetteer().get(ev.place).name}.")


def _remove(source_id: str) -> None:
    done = _attempt(lambda: user_store.remove_source(store, source_id),
                    lambda r: f"Removed {r['removed']} with its {r['events']} events and {r['suggestions']} suggestions.")
    if done is not None:
        st.session_state.pop(PICK_KEY, None)
        st.session_state.pop("remove_confirm", None)


def _remove_event(event_id: str) -> None:
    ev = next((e for e in user_store.list_events(store) if e.id == event_id), None)
    again = " Its suggestion is open for review again." if ev is not None and ev.suggestion_id else ""
    done = _attempt(lambda: user_store.remove_event(store, event_id), f"Removed event {event_id}; it is off the map.{again}")
    if done is not None:
        st.session_state.pop(EVENT_PICK_KEY, None)
        st.session_state.pop(f"{EVENT_CONFIRM_KEY}_{event_id}", None)


st.header("Sources")
st.caption(
    "Your own documents, kept in the store beside the five seed articles (which never change). Add one, review the "
    "events suggested from it, or pick sentences and code an event by hand: every event you code appears on the map, "
    "marked as added by a user, in the filters, the timeline, the event list, Pike's claim and the downloads."
)
problem = data.store_problem()
store = data.store()
if store is None:
    refuse(f"The store cannot be opened: {problem}")
    st.stop()

prefill = st.session_state.pop(PREFILL_KEY, None)
if prefill:
    st.session_state["src_text"], st.session_state["src_title"] = prefill["text"], prefill["title"]
message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    (refuse if message[0] == "error" else say)(message[1])

stored = user_store.list_sources(store)
with st.expander("Add a source", expanded=bool(prefill) or not stored):
    with st.form("add_source", clear_on_submit=False, border=False):
        c1, c2, c3 = st.columns([3, 2, 1])
        c1.text_input("Title", key="src_title")
        c2.text_input("Outlet", key="src_outlet")
        c3.text_input("Date (YYYY-MM-DD)", key="src_date", placeholder="2022-01-07",
                      help="The document's own date; relative dates in it are read against this.")
        c1, c2 = st.columns([2, 3])
        c1.text_input("Author (optional)", key="src_author")
        c2.text_input("Address (optional, https://...)", key="src_url")
        c1, c2 = st.columns(2)
        c1.file_uploader(f"Text file (.txt, UTF-8, up to {MAX_MB} MB)", type=["txt"], key="src_file")
        c2.text_area("…or paste the text (used when no file is given)", key="src_text", height=120)
        st.form_submit_button("Add source", type="primary", on_click=_add)

if not stored:
    st.info("No source yet: add one above, or open a text on the Your document page and press \"Add to my sources\".")
    st.stop()

by_id = {s.id: s for s in stored}
if st.session_state.get(PICK_KEY) not in by_id:
    st.session_state[PICK_KEY] = stored[-1].id
source_id = st.selectbox("Source", list(by_id), key=PICK_KEY,
                         format_func=lambda sid: f"{by_id[sid].title} · {by_id[sid].outlet} · {by_id[sid].date}")
src = by_id[source_id]
text = user_store.source_text(store, source_id)
events = user_store.list_events(store, source_id)
try:
    open_suggestions = user_store.open_suggestions(store, source_id)
except (InputError, DataError) as exc:  # removed by another session since the list was read
    refuse(str(exc))
    st.stop()
st.text(f"{src.id} · {src.author or 'author not named'} · {src.url or 'no address'} · {src.chars:,} characters · "
        f"{len(events)} event{'s' if len(events) != 1 else ''} coded · {len(open_suggestions)} suggestion"
        f"{'s' if len(open_suggestions) != 1 else ''} to review")

gz = load_gazetteer()
left, right = st.columns([3, 2], gap="medium")
with left:
    st.markdown("**Text** (suggestions numbered and shaded; coded events green)")
    marks = [Mark(start=s.start, end=s.end, kind="sugg", label=str(i + 1)) for i, s in enumerate(open_suggestions)]
    marks += [Mark(start=e.evidence[0].start, end=e.evidence[0].end, kind="coded") for e in events]
    with st.container(height=520, border=False, key="source_text_panel"):
        st.html(marked_text_html(text, marks))
with right:
    st.markdown(f"**Suggested events** ({len(open_suggestions)})")
    with st.container(height=520, border=False, key="suggestion_panel"):
        if not open_suggestions:
            st.caption("Nothing left to review: every suggestion is accepted or rejected, or none was found.")
        for i, s in enumerate(open_suggestions):
            with st.container(border=True, key=f"sugg_{s.id}"):
                dates = s.date_start if s.date_start == s.date_end else f"{s.date_start} to {s.date_end}"
                st.html(f"<b>{i + 1}. {html_text(s.type.replace('_', ' '))}</b> at {html_text(gz.get(s.place).name)}, "
                        f"{html_text(dates)} <small>(confidence {s.confidence:.2f})</small><br>"
                        f"<small>{html_text(s.date_note)}</small>")
                b1, b2 = st.columns(2)
                b1.button("Accept", key=f"accept_{s.id}", on_click=_accept, args=(s.id, False), width="stretch")
                b2.button("Reject", key=f"reject_{s.id}", on_click=_reject, args=(s.id,), width="stretch")
                with st.expander("Edit, then accept"):
                    st.selectbox("Type", EVENT_TYPES, index=EVENT_TYPES.index(s.type), key=f"edit_type_{s.id}")
                    st.text_input("Place (name or gazetteer id)", value=gz.get(s.place).name, key=f"edit_place_{s.id}")
                    c1, c2 = st.columns(2)
                    c1.text_input("From", value=s.date_start, key=f"edit_from_{s.id}")
                    c2.text_input("To", value=s.date_end, key=f"edit_to_{s.id}")
                    st.button("Accept with these changes", key=f"accept_edit_{s.id}", on_click=_accept,
                              args=(s.id, True))

st.subheader("Code an event by hand")
sentences = user_store.sentences_of(store, source_id)
st.multiselect("Quote: pick the sentences that report the event (the span runs from the first to the last)",
               list(range(len(sentences))), key="code_sentences",
               format_func=lambda i: sentence_label(i, sentences[i][2]))
c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
c1.selectbox("Type", EVENT_TYPES, key="code_type")
c2.text_input("Place (name or gazetteer id)", key="code_place", placeholder="Almaty")
c3.text_input("From (YYYY-MM-DD)", key="code_from", placeholder=src.date)
c4.text_input("To (optional)", key="code_to")
st.text_input("Description (optional; the quote stands for the event otherwise)", key="code_description")
st.button("Add event", key="code_add", on_click=_code, args=(source_id, sentences))

if events:
    st.subheader(f"Events coded from this source ({len(events)})")
    st.dataframe(pd.DataFrame([{"id": e.id, "from": e.date_start, "to": e.date_end, "type": e.type,
                                "place": gz.get(e.place).name, "quote": e.evidence[0].quote} for e in events]),
                 hide_index=True, width="stretch")

    st.markdown("**Remove an event** (the source and its text stay)")
    by_event = {e.id: e for e in events}
    if st.session_state.get(EVENT_PICK_KEY) not in by_event:  # another source's, or removed
        st.session_state[EVENT_PICK_KEY] = events[0].id
    gone = st.selectbox("Event", list(by_event), key=EVENT_PICK_KEY,
                        format_func=lambda eid: f"{eid} · {by_event[eid].type.replace('_', ' ')} at "
                                                f"{gz.get(by_event[eid].place).name}, {by_event[eid].date_start}")
    # One confirm box per event: ticking it for one event never arms the button for another.
    sure = st.checkbox(f"Yes, remove event {gone} from the store", key=f"{EVENT_CONFIRM_KEY}_{gone}")
    st.button("Remove event", key="remove_event", disabled=not sure, on_click=_remove_event, args=(gone,))

st.subheader("Remove this source")
confirm = st.checkbox(f"Yes, remove this source, its {len(events)} event{'s' if len(events) != 1 else ''} and its "
                      "suggestions from the store", key="remove_confirm")
st.button("Remove source", key="remove_source", disabled=not confirm, on_click=_remove, args=(source_id,))
