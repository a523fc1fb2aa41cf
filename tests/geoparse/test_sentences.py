"""Sentences: known splits, and the lazy per-mention look-up against the full split."""

from __future__ import annotations

from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.geoparse.sentences import MAX_SENTENCE, Sentences, sentence_spans


def _reference(text: str, start: int, end: int) -> tuple[int, int]:
    """What the geoparser did before the lazy look-up: bisect over every sentence of the text."""
    spans = sentence_spans(text) or [(0, len(text))]
    a, b = spans[max(0, bisect_right([s for s, _ in spans], start) - 1)]
    return min(a, start), max(b, end)


@pytest.mark.parametrize(
    "text, expected",
    [("One. Two! Three?", ["One.", "Two!", "Three?"]),
     ("The U.S. said so. Dr. Hahn agreed.", ["The U.S. said so.", "Dr. Hahn agreed."]),
     ("He said “Go.” Then left…  Really", ["He said “Go.”", "Then left…", "Really"]),
     ("  Title\n\n  Body text here.  \n", ["Title", "Body text here."]),
     ("Jan. 5 in Almaty. Mr. Smith", ["Jan. 5 in Almaty.", "Mr. Smith"]),
     (" \n\t ", []),
     ("Title\nBody text here.", ["Title", "Body text here."])],
)
def test_sentence_spans(text, expected):
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


@pytest.mark.parametrize(
    "text, word, expected",
    [("One. Two in Almaty! Three?", "Almaty", "Two in Almaty!"),
     ("Title\nRiots in Taraz.", "Taraz", "Riots in Taraz."),
     # over MAX_SENTENCE (1,000): cut at the last space before character 1,000 (between the b's)
     ("A" * 600 + " Almaty " + "b " * 400 + "end.", "Almaty", "A" * 600 + " Almaty " + "b " * 195 + "b")],
)
def test_sentence_of_known(text, word, expected):
    start = text.index(word)
    a, b = Sentences(text).sentence_of(start, start + len(word))
    assert text[a:b] == expected


def test_name_straddling_a_cut_widens_its_sentence():
    text = "x" * (MAX_SENTENCE - 3) + " Nur Sultan rest"  # the cut falls inside the name
    start = text.index("Nur")
    a, b = Sentences(text).sentence_of(start, start + len("Nur Sultan"))
    assert (a, b) == _reference(text, start, start + len("Nur Sultan")) and b >= start + len("Nur Sultan")


_PIECES = st.sampled_from(["Almaty", "Dr.", "U.S.", ". ", "! ", "? ", "… ", "\n", "\n\n", "  ", "“", "”", "’", ")",
                           "word", "x" * 700, " ", "\t", "Jan."])
_TEXT = st.lists(st.one_of(st.text(max_size=8), _PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_lazy_look_up_matches_the_full_split(text):
    sentences = Sentences(text)
    for start in range(len(text)):  # in order, as the geoparser asks
        if not text[start].isspace():
            assert sentences.sentence_of(start, start + 1) == _reference(text, start, start + 1), start


@pytest.mark.parametrize(
    "text",
    ["word " * 500, "Almaty " * 400 + ". " + "x" * 2500 + " Taraz", "a" * 1001, "Taraz, " * 1000 + "\n" + "Aktau " * 300],
)
def test_long_sentences_are_cut_at_white_space(text):
    spans = sentence_spans(text)
    assert spans and all(0 < b - a <= MAX_SENTENCE for a, b in spans)
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())  # nothing lost
