"""Your document: the places a text names, on a map of their own; nothing reaches the catalogue.

A text comes from an uploaded .txt file or from the text box. It lives in this session only
(``st.session_state``), is decoded by ``geodata.geoparse.decode_text`` (bad input gets its
one-line message) and parsed by ``geodata.mentions.document_mentions``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mentionmap
from dashboard.escape import markdown_text
from dashboard.serving import offline
from geodata.errors import InputError
from geodata.writers import to_geojson
from geodata.mentions import document_mentions, places_mentioned
from geodata.geoparse import decode_text

MAX_BYTES = 2_000_000
UPLOAD_KEY = "document_file"
TEXT_KEY = "document_text"
STORE_KEY = "_document"  # a ParsedDocument
PASTED = "pasted text"
TABLE_COLUMNS = ["text", "name", "kind", "country", "sentence", "start", "end", "confidence"]


@dataclass(frozen=True, kw_only=True)
class ParsedDocument:
    """The user's document as parsed once in this session: ``digest`` (sha256 of name and bytes)
    says whether a rerun brings the same document, ``mentions`` is its mentions layer."""

    digest: str
    name: str
    mentions: gpd.GeoDataFrame


def _input() -> tuple[str, bytes] | None:
    """The document the user gave: (name, bytes), the file first; ``None`` when there is none."""
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is not None:
        return upload.name, upload.getvalue()
    text = st.session_state.get(TEXT_KEY) or ""
    return (PASTED, text.encode("utf-8")) if text else None


def _mentions(name: str, raw: bytes):
    """Parse once per distinct document in this session; the result stays in session state."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\0" + raw).hexdigest()
    stored = st.session_state.get(STORE_KEY)
    if isinstance(stored, ParsedDocument) and stored.digest == digest:
        return stored.mentions
    st.session_state.pop(STORE_KEY, None)
    text = decode_text(raw, name, MAX_BYTES, size_hint=f"the limit here is {MAX_BYTES // 1_000_000} MB; split the text")
    mentions = document_mentions(text, name)
    st.session_state[STORE_KEY] = ParsedDocument(digest=digest, name=name, mentions=mentions)
    return mentions


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name.rsplit(".", 1)[0]).strip("-")[:60] or "document"


st.header("Your document")
st.caption(
    f"Upload a UTF-8 .txt file (up to {MAX_BYTES // 1_000_000} MB) or paste text to see the places it names. "
    "It stays in your session only: nothing is stored and the curated catalogue is not changed, "
    "until you press \"Add to my sources\"."
)
left, right = st.columns(2, gap="medium")
with left:
    st.file_uploader(f"Text file (.txt, UTF-8, up to {MAX_BYTES // 1_000_000} MB)", type=["txt"], key=UPLOAD_KEY)
with right:
    st.text_area("…or paste text (used when no file is uploaded)", key=TEXT_KEY, height=120)

given = _input()
if given is None:
    st.session_state.pop(STORE_KEY, None)
    st.info("Upload a .txt file or paste some text to see the places it names.")
    st.stop()
name, raw = given
try:
    mentions = _mentions(name, raw)
except InputError as exc:
    st.error(markdown_text(exc))  # the message holds the file's name: shown as text, never as Markdown
    st.stop()
# The first step of adding a source: the Sources page opens with this text (and a title) filled in.
if st.button("Add to my sources", key="document_to_sources", icon=":material/library_add:",
             help="Keep this text in your store, on the Sources page: code events from it for the map."):
    st.session_state["_source_prefill"] = {"text": decode_text(raw, name, MAX_BYTES),
                                           "title": "" if name == PASTED else _file_stem(name)}
    st.switch_page("views/sources.py")

places = places_mentioned(mentions)
named = ", ".join(sorted(set(places["name"])))
st.markdown(
    f"**{len(mentions)} place mention{'s' if len(mentions) != 1 else ''}** "
    f"({len(places)} place{'s' if len(places) != 1 else ''} on the map, demonyms in the table only)"
)
# st.text: the names come from our gazetteer, but text is never interpreted as Markdown or HTML.
st.text(f"Places named: {named or 'none'}")
if len(mentions) == 0:
    st.warning("No place names were found in this text.")
    st.stop()

fmap = mentionmap.build_mentions_map(places, outlines=data.basemap(),
                               assets=offline.local_assets(st.get_option("server.baseUrlPath") or ""))
st_folium(fmap, key="document_map", height=460, use_container_width=True, returned_objects=[])

st.subheader("Mentions and their sentences")
st.dataframe(mentions.reset_index(drop=True)[TABLE_COLUMNS], hide_index=True, width="stretch",
             height=min(420, 35 * (len(mentions) + 1) + 3))
st.download_button(
    "Download the mentions (GeoJSON)",
    data=to_geojson(mentions),
    file_name=f"mentions_{_file_stem(name)}.geojson",
    mime="application/geo+json",
    key="document_download",
)
