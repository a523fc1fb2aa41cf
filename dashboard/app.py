"""Qantar Atlas: ``streamlit run dashboard/app.py`` (from the repository root).

This file is the server: ``streamlit run`` finds the ``st.App`` below and serves the pages of
``dashboard/main.py`` (the Streamlit script: navigation, sidebar, pages) with two additions:
Streamlit's own front-end files sent gzip-compressed (``dashboard/serving/compression.py``), so a
first visit costs under 2 MB instead of about 5; and the map page's widget scripts asked for as
the page starts, not after the websocket opens (``dashboard/serving/preload.py``). It also turns
Nagle's algorithm off on the server's connections (``dashboard/serving/nodelay.py``), which
Streamlit's own socket binding leaves on.
``streamlit run dashboard/main.py`` serves the same pages without them.
"""

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts only this file's folder on sys.path; the packages live one level up.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from starlette.middleware import Middleware  # noqa: E402

from dashboard.serving import compression, nodelay, preload  # noqa: E402

nodelay.install()  # Streamlit has bound its listening socket by the time this file is loaded

app = st.App("main.py", middleware=[*compression.middleware(st.get_option("server.baseUrlPath") or ""),
                                    Middleware(preload.PreloadMiddleware)])
