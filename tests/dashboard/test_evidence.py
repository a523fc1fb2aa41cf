"""dashboard/panels/evidence.py: the text panel beside the map, its quotes and their context."""

from __future__ import annotations

import pytest

from dashboard import escape
from dashboard.panels import evidence
from tests.dashboard.apptest import AIRPORT, AIRPORT_QUOTE, HOSTILE, html_bodies


def test_text_panel_shows_the_selected_events_quote_highlighted(app_at):
    bodies = html_bodies(app_at({"feature": AIRPORT}))
    assert f'<mark class="quote">{escape.html_text(AIRPORT_QUOTE)}</mark>' in bodies
    assert "Eurasia Notes #13" in bodies


def test_text_panel_without_selection_says_how_to_select(default_app):
    assert any("Click a shape on the map" in i.value for i in default_app.info)


def test_clicking_a_mention_shows_its_sentences_as_evidence(app_at):
    html = html_bodies(app_at({"feature": "mentions:gn:1526384"}))
    assert "Almaty" in html and html.count('class="ev"') >= 3


def test_hostile_quote_stays_text_in_the_text_panel():
    paragraph = f"Before. {HOSTILE} After."
    start = paragraph.index(HOSTILE)
    card = evidence.evidence_html({"document": "<b>doc</b>", "start": 1, "end": 2}, {"title": HOSTILE, "outlet": "<i>o</i>"},
                                  paragraph, start, start + len(HOSTILE))
    assert "<script" not in card and "<b>doc" not in card and "<i>o" not in card
    assert f'<mark class="quote">{escape.html_text(HOSTILE)}</mark>' in card


@pytest.mark.parametrize(
    "paragraph, start, end, expected",
    [
        ("one two three", 4, 7, ("one two three", 4, 7)),
        ("aaaa bbbb QUOTE cccc dddd", 10, 15, ("… bbbb QUOTE cccc …", 7, 12)),
    ],
)
def test_trim_paragraph_keeps_the_quote_and_marks_cuts(paragraph, start, end, expected):
    got = evidence.trim_paragraph(paragraph, start, end, context=6)
    assert got == expected
    text, s, e = got
    assert text[s:e] == paragraph[start:end]
