"""A stored source's text with its suggestions and coded events marked, and the pieces of the Sources page.

The text is the user's: every character reaches HTML through :func:`dashboard.escape.html_text`.
Suggestions are numbered marks (the same numbers as the list beside the text); spans already
coded as events are underlined. Writes go through ``geodata.store``, which re-verifies every
span; a refusal comes back as one line, shown as plain text (:func:`refuse`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.escape import html_text, markdown_text

__all__ = ["STYLE", "Mark", "marked_text_html", "refuse", "say", "sentence_label", "span_of"]

SENTENCE_LABEL_CHARS = 110
STYLE = """<style>
.source-text{white-space:pre-wrap;font-size:.92rem;line-height:1.55;border:1px solid #e6e6e6;padding:.6rem .8rem;
  border-radius:.3rem;background:#fffdf7}
.source-text mark.sugg{background:#fde3b5;padding:0 .1rem}
.source-text mark.coded{background:#c7e9c0;padding:0 .1rem;border-bottom:2px solid #1b7837}
.source-text mark.sugg.coded{background:linear-gradient(#fde3b5,#c7e9c0)}
.source-text sup.n{color:#b35806;font-weight:600;font-size:.7rem;margin-right:.1rem}
</style>"""


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A span of the text to mark: ``kind`` is "sugg" (numbered ``label``) or "coded"."""

    start: int
    end: int
    kind: str
    label: str = ""


def marked_text_html(text: str, marks: list[Mark]) -> str:
    """The whole text as escaped HTML, each mark's span in a ``<mark>`` (overlaps get both classes).

    Parameters
    ----------
    text : str
        The stored text, verbatim.
    marks : list of Mark
        Spans inside ``text``; a suggestion's label is shown where its span starts.
    """
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts = {}
    for m in marks:
        if m.label:
            starts.setdefault(m.start, []).append(m.label)
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        kinds = sorted({m.kind for m in marks if m.start <= lo and hi <= m.end})
        labels = "".join(f'<sup class="n">{html_text(n)}</sup>' for n in starts.get(lo, []))
        piece = html_text(text[lo:hi])
        out.append(f'{labels}<mark class="{" ".join(kinds)}">{piece}</mark>' if kinds else labels + piece)
    return f'{STYLE}<div class="source-text">{"".join(out)}</div>'


def sentence_label(i: int, sentence: str) -> str:
    """How the hand-coding list shows a sentence: its number and its start, on one line."""
    flat = " ".join(sentence.split())
    cut = flat if len(flat) <= SENTENCE_LABEL_CHARS else flat[:SENTENCE_LABEL_CHARS].rstrip() + "…"
    return f"{i + 1}. {cut}"


def span_of(picked: list[tuple[int, int]]) -> tuple[int, int]:
    """The span from the first picked sentence's start to the last one's end (what lies between included)."""
    if not picked:
        raise ValueError("no sentence picked")
    return min(s for s, _ in picked), max(e for _, e in picked)


def refuse(message: str) -> None:
    """Show a refusal as one line of plain text in an error box (inline code: no Markdown, no links)."""
    st.error(markdown_text(message))


def say(message: str) -> None:
    """Show a success as one line of plain text (inline code)."""
    st.success(markdown_text(message))
