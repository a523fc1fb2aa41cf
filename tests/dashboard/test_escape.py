"""dashboard/escape.py: source text shown as text, never as markup or template code."""

from __future__ import annotations

import pytest

from dashboard import escape


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<script>", "&lt;script&gt;"),
        ("a & b", "a &amp; b"),
        ("`${x}`", "&#x60;&#x24;{x}&#x60;"),
        ("'\"", "&#x27;&quot;"),
        ("&lt;", "&amp;lt;"),
        (None, ""),
        (3811, "3811"),
    ],
)
def test_html_text_escapes_markup_and_template_literals(raw, expected):
    assert escape.html_text(raw) == expected


def test_highlight_rejects_offsets_outside_the_paragraph():
    with pytest.raises(ValueError, match="outside"):
        escape.highlight("short", 2, 10)
