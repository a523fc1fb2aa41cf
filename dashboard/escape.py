"""Source text is hostile input: turn it into text that HTML shows as text.

folium writes popups and tooltips as raw HTML inside JavaScript template literals, and
the map iframe is same-origin with scripts allowed, so a quote such as ``<script>`` or
``${...}`` would run in the app. Every string that reaches HTML goes through
:func:`html_text`; downloads keep the raw text.
"""

from __future__ import annotations

import re

__all__ = ["highlight", "html_text", "markdown_text"]

# & first is implicit: str.translate maps each character once, so "&lt;" is never re-escaped.
# The backtick and $ close or interpolate the template literals folium writes.
_ENTITIES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "`": "&#x60;",
        "$": "&#x24;",
    }
)


def html_text(value: object) -> str:
    """Return ``value`` as a string safe to place in HTML text or a quoted attribute.

    Parameters
    ----------
    value : object
        Any value; ``None`` becomes the empty string, other values ``str(value)``.

    Examples
    --------
    >>> html_text("<script>alert(`x${1}`)</script>")
    '&lt;script&gt;alert(&#x60;x&#x24;{1}&#x60;)&lt;/script&gt;'
    """
    if value is None:
        return ""
    return str(value).translate(_ENTITIES)


def highlight(paragraph: str, start: int, end: int, *, css_class: str = "quote") -> str:
    """Return ``paragraph`` as escaped HTML with ``paragraph[start:end]`` in a ``<mark>``.

    Parameters
    ----------
    paragraph : str
        The raw paragraph (as from ``geodata.sources.paragraph_around``).
    start, end : int
        The quote's offsets inside ``paragraph`` (end exclusive).
    css_class : str
        Class of the ``<mark>`` element (a fixed identifier, not escaped).

    Raises
    ------
    ValueError
        If the offsets do not lie inside the paragraph.
    """
    if not 0 <= start <= end <= len(paragraph):
        raise ValueError(f"quote offsets [{start}:{end}] lie outside a paragraph of {len(paragraph)} characters")
    before, quote, after = paragraph[:start], paragraph[start:end], paragraph[end:]
    return f'{html_text(before)}<mark class="{css_class}">{html_text(quote)}</mark>{html_text(after)}'


_BACKTICKS = re.compile(r"`+")


def markdown_text(value: object, limit: int | None = None) -> str:
    """Return ``value`` as Markdown that Streamlit shows as the same plain text: an inline code span.

    ``st.error``, ``st.warning``, ``st.info`` and ``st.markdown`` interpret Markdown: a file
    name such as ``![t](http://x/t.png)`` would become an image request. Backslash escapes
    are not enough: Streamlit's renderer still turns a bare ``http://`` into a link (measured in
    Chromium). Inside a code span nothing is interpreted, no Markdown, no autolink, no
    ``:icon:`` or ``$`` math; the fence is one backtick longer than any run of backticks in the
    text. Line breaks become spaces; ``limit`` cuts long text first (with an ellipsis).

    Examples
    --------
    >>> markdown_text("[click](http://x)")
    '`` [click](http://x) ``'
    >>> markdown_text("a ``b`` c")
    '``` a ``b`` c ```'
    """
    text = "" if value is None else " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
    fence = fence if len(fence) > 1 else "``"
    return f"{fence} {text} {fence}"
