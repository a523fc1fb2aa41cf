"""dashboard/main.py and dashboard/views/: every page runs; Pike's claim page; the "Your document" page."""

from __future__ import annotations

import pytest

from geodata.claims import NEIGHBOUR_SETS, candidate_ids, pike_check
from geodata.layers import build_layers
from tests.dashboard.apptest import PAGES, map_args, run_app

DOCUMENTS = "views/documents.py"
XSS_TEXT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Riots in Almaty and Taraz'


# The heading each page opens with (the map page has none: its first subheading is its list).
PAGE_HEADINGS = {None: "Event list", "views/claims.py": "Pike's claim", "views/figures.py": "Figures",
                 "views/timeline.py": "Timeline", "views/downloads.py": "Downloads", "views/documents.py": "Your document"}


@pytest.mark.parametrize("page", [None, *PAGES[1:]])
def test_every_page_runs_without_exception(app_at, page):
    at = app_at(page=page)  # run_app asserts that no exception was raised
    assert not at.exception
    # the run showed the page asked for, not the map page (run_app opens a page directly, as a link does)
    headings = [h.value for h in at.header] if page else [h.value for h in at.subheader]
    assert headings and headings[0] == PAGE_HEADINGS[page], headings


def test_claim_page_draws_its_settings_in_the_body_and_counts_live():
    at = run_app({"km": "50"}, page="views/claims.py")
    assert at.slider(key="km").value == 50
    assert not at.sidebar.slider  # not duplicated in the sidebar on this page
    for km in (50, 600):
        if km != 50:
            at.slider(key="km").set_value(km).run()
        name, cities = at.selectbox(key="neighbours").value, at.selectbox(key="cities").value
        want = pike_check(km, NEIGHBOUR_SETS[name], candidate_ids(cities))
        assert any(f"{want.count} of the {want.total} cities" in h.proto.body and "Verdict:" in h.proto.body for h in at.html)


def documents_page(text: str | None = None):
    at = run_app(page=DOCUMENTS)
    if text is not None:
        at.text_area(key="document_text").input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_documents_page_lists_mentions_of_pasted_text_and_keeps_html_as_text():
    at = documents_page(XSS_TEXT)
    (table,) = [d.value for d in at.dataframe]
    assert list(table["name"]) == ["Almaty", "Taraz"]
    assert list(table["start"]) == [XSS_TEXT.index("Almaty"), XSS_TEXT.index("Taraz")]
    assert table["sentence"].str.contains("<script>", regex=False).all()  # raw in the data, a text cell on screen
    assert [t.value for t in at.text] == ["Places named: Almaty, Taraz"]
    script = map_args(at)["script"]
    # The tooltip's sentence reaches the map only escaped (the script JSON-encodes "<" and "&" too).
    for raw in ("<script>window", "<img", "\\u003cscript\\u003ewindow", "\\u003cimg"):
        assert raw not in script
    assert "\\u0026lt;script\\u0026gt;window.__xss=1" in script and '"ref": "uploads:gn:1526384"' in script
    assert not at.error


def test_documents_page_refuses_empty_text():
    at = documents_page()
    for text in ("   \n  ", "\t"):
        at.text_area(key="document_text").input(text).run()
        # shown as inline code (escape.markdown_text): the message holds a user-chosen name
        assert [e.value for e in at.error] == ["`` pasted text: is empty; give a text with some words ``"], repr(text)
        assert not at.dataframe


def test_documents_page_does_not_touch_the_catalogue():
    before = build_layers()
    documents_page("Troops landed in Zhanaozen and Aktau.")
    after = build_layers()
    assert {k: len(v) for k, v in before.items()} == {k: len(v) for k, v in after.items()}
