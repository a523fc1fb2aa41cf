"""Qantar Atlas, the Streamlit script: navigation, sidebar and pages.

Users start it through ``streamlit run dashboard/app.py``, which serves this script with a
compressed front end (see ``dashboard/app.py``); AppTest runs this file directly.
"""

import sys
from pathlib import Path

import streamlit as st

# An emoji favicon is an inline SVG; a Material one (and a page icon used as favicon) is fetched from Google.
st.set_page_config(page_title="Qantar Atlas", page_icon="🗺️", layout="wide")

# `streamlit run` puts only this file's folder on sys.path; the packages live one level up.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import data, state  # noqa: E402
from dashboard.serving import offline  # noqa: E402

HERE = Path(__file__).resolve().parent
CLAIM_PAGE = "claims"
PAGES = [
    st.Page(HERE / "views" / "atlas.py", title="Map", icon=":material/map:", default=True),
    st.Page(HERE / "views" / "claims.py", title="Pike's claim", icon=":material/straighten:", url_path=CLAIM_PAGE),
    st.Page(HERE / "views" / "figures.py", title="Figures", icon=":material/table_chart:", url_path="figures"),
    st.Page(HERE / "views" / "timeline.py", title="Timeline", icon=":material/calendar_month:", url_path="timeline"),
    st.Page(HERE / "views" / "downloads.py", title="Downloads", icon=":material/download:", url_path="downloads"),
    st.Page(HERE / "views" / "documents.py", title="Your document", icon=":material/upload_file:", url_path="documents"),
    st.Page(HERE / "views" / "sources.py", title="Sources", icon=":material/library_books:", url_path="sources"),
]
CREDITS = (
    "Places: [GeoNames](https://www.geonames.org/) (CC BY 4.0). Borders and basemap: "
    "[Natural Earth](https://www.naturalearthdata.com/) (public domain). Text: the five seed articles, quoted with offsets."
)

offline.ensure_vendor()
page = st.navigation(PAGES)
st.sidebar.title("Qantar Atlas")
st.sidebar.caption("The January 2022 unrest in Kazakhstan, every point tied to its source.")
# Pike's claim page draws the claim settings in its body; every other page, in the sidebar.
# A page title per page (the browser tab, bookmarks, screen readers).
st.set_page_config(page_title=f"{page.title} · Qantar Atlas")
state.remember(state.sidebar(data.options, data.outlet_sources, claim_settings=page.url_path != CLAIM_PAGE,
                             labels=data.labels))
st.sidebar.caption(CREDITS)
page.run()
