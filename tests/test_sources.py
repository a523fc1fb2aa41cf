"""The seeds are unchanged and the source catalogue's spans are right."""

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.errors import DataError
from geodata.sources import SEEDS_DIR, document_text, load_documents, load_sources, paragraph_around, verify_evidence

SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_five_documents_catalogued_and_pinned():
    docs = load_documents()
    assert len(docs) == 5
    on_disk = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    assert on_disk == sorted(docs)
    for name, doc in docs.items():
        assert hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest() == doc.sha256, f"{name} changed"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/seeds not beside this checkout")
def test_seeds_are_byte_identical_copies_of_shared():
    for doc in load_documents():
        assert (SEEDS_DIR / doc).read_bytes() == (SHARED / doc).read_bytes()


# (source id, document, text the span starts with, text it ends with)
SPAN_TABLE = [
    ("pike-spectator", "000_971d1b4a5d098b73.txt", "Francis Pike\n\nWas the Kazakhstan", "may actually be telling the truth."),
    ("pike-spectator", "001_460d591629f0a55e.txt", "Was the Kazakhstan uprising an attempted Jihadi takeover?\n\n11 January 2022", "Modern Asia Since World War II."),
    ("sciorati-ispi", "001_460d591629f0a55e.txt", "Why Kazakhstan's Crisis Matters to China", "relations with Central Asia."),
    ("hahn-corr", "002_1d94dec0ab04a6da.txt", "The genesis of the crisis", "the Hoover Institution."),
    ("chaos-in-kazakhstan", "003_2ee7cf247be66df0.txt", "Chaos In Kazakhstan", "Comments"),
    ("eurasia-notes-13", "004_94b04064989387af.txt", "Eurasia Notes #13", "sitrep-6-january-2022/"),
]


@pytest.mark.parametrize("sid, document, head, tail", SPAN_TABLE)
def test_source_spans_start_and_end_where_the_article_does(sid, document, head, tail):
    src = load_sources()[sid]
    spans = [s for s in src.spans if s.document == document]
    assert len(spans) == 1
    text = document_text(document)[spans[0].start : spans[0].end]
    assert text.startswith(head) and text.endswith(tail)


def test_sources_have_bibliographic_fields_and_no_guessed_dates():
    sources = load_sources()
    assert set(sources) == {"pike-spectator", "sciorati-ispi", "repost-blog", "hahn-corr", "chaos-in-kazakhstan", "eurasia-notes-13"}
    assert sources["pike-spectator"].author == "Francis Pike" and sources["pike-spectator"].date == "2022-01-11"
    # Hahn and "Chaos In Kazakhstan" carry no date: none is invented, the anchor says "not before".
    for sid in ("hahn-corr", "chaos-in-kazakhstan"):
        assert sources[sid].date == "" and sources[sid].reference_precision == "not_before"


def test_repost_and_blog_spans_do_not_overlap():
    spans = sorted((s.start, s.end, sid) for sid, src in load_sources().items() for s in src.spans if s.document.startswith("001"))
    for (a0, a1, _), (b0, b1, _) in zip(spans, spans[1:]):
        assert a1 <= b0


def test_verify_evidence_accepts_an_exact_quote():
    text = document_text("004_94b04064989387af.txt")
    quote = "Atyrau, Kazakhstan's main port city on the Caspian Sea, was reported peaceful."
    start = text.index(quote)
    ev = verify_evidence({"source_id": "eurasia-notes-13", "document": "004_94b04064989387af.txt", "start": start, "end": start + len(quote), "quote": quote}, "test")
    assert ev.quote == quote


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": 1}, "does not match"),
        ({"source_id": "nobody"}, "unknown source"),
        ({"document": "nope.txt"}, "unknown document"),
        ({"source_id": "pike-spectator"}, "outside source"),
        ({"start": "0"}, "must be integers"),
    ],
)
def test_verify_evidence_rejects_wrong_records_with_one_line(change, message):
    text = document_text("004_94b04064989387af.txt")
    quote = "was reported peaceful"
    start = text.index(quote)
    ev = {"source_id": "eurasia-notes-13", "document": "004_94b04064989387af.txt", "start": start, "end": start + len(quote), "quote": quote}
    ev.update(change)
    with pytest.raises(DataError, match=message) as err:
        verify_evidence(ev, "events.toml: event 'x' evidence[0]")
    assert "\n" not in str(err.value) and "event 'x'" in str(err.value)


def test_paragraph_around_returns_offsets_inside_the_paragraph():
    text = document_text("003_2ee7cf247be66df0.txt")
    quote = "Protesters toppled a statue of him in Taldykorgan"
    start = text.index(quote)
    para, a, b = paragraph_around("003_2ee7cf247be66df0.txt", start, start + len(quote))
    assert para[a:b] == quote and "\n" not in para and para.endswith("go away!”).")


# --- properties of the span verifier ------------------------------------------------------------

@given(st.text(max_size=200), st.integers(-5, 20_000), st.integers(-5, 20_000))
@settings(max_examples=300, deadline=None)
def test_span_verifier_accepts_only_exact_slices(quote, start, end):
    doc = "004_94b04064989387af.txt"
    ev = {"source_id": "eurasia-notes-13", "document": doc, "start": start, "end": end, "quote": quote}
    text = document_text(doc)
    exact = 0 <= start <= end <= len(text) and text[start:end] == quote
    try:
        verify_evidence(ev, "prop")
    except DataError as exc:
        assert not exact or start == end, exc
        assert "\n" not in str(exc)
    else:
        assert text[start:end] == quote


SUBSTRING_DOC = "003_2ee7cf247be66df0.txt"


@given(st.integers(0, len(document_text(SUBSTRING_DOC)) - 51), st.integers(1, 40))
@settings(max_examples=200, deadline=None)
def test_span_verifier_finds_any_real_substring(i, length):
    # Hypothesis draws the span itself (it used to be hash(seed), which differs between processes).
    text = document_text(SUBSTRING_DOC)
    quote = text[i : i + length]
    ev = verify_evidence({"source_id": "chaos-in-kazakhstan", "document": SUBSTRING_DOC, "start": i, "end": i + length,
                          "quote": quote}, "prop")
    assert ev.quote == quote and (ev.start, ev.end) == (i, i + length)
