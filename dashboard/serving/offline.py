"""Leaflet from local files, so the map draws with no internet.

streamlit-folium loads every ``default_js`` / ``default_css`` URL of the map into its
iframe, one after the other; folium's defaults point at CDNs. :func:`ensure_vendor`
copies the files shipped by the ``xstatic-leaflet`` package into
``dashboard/static/vendor/`` (Streamlit serves ``static/`` next to the main script at
``/app/static/`` when ``server.enableStaticServing`` is on), and :func:`local_assets`
gives the URLs to set on each map instance. Copies, not symlinks: Streamlit refuses
static paths whose real path leaves ``static/``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import xstatic.pkg.leaflet

from geodata.files import atomic_copy

__all__ = ["STATIC_DIR", "VENDOR_FILES", "ensure_vendor", "local_assets"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"  # served by Streamlit beside main.py
VENDOR_DIR = STATIC_DIR / "vendor"

# Served name -> (package data dir, file name). Only what the maps need: Leaflet, its CSS and the
# layer-control icon (markers are DivIcons and vector shapes, no marker images). No jQuery: folium needs it only for popups, and the
# atlas uses tooltips (tests/test_app.py checks no map script calls it); leaving it out saves
# one more script the map iframe would fetch and run, one after the other, before drawing.
VENDOR_FILES = {
    "leaflet.js": (xstatic.pkg.leaflet.BASE_DIR, "leaflet.js"),
    "leaflet.css": (xstatic.pkg.leaflet.BASE_DIR, "leaflet.css"),
    # The layer control's fold-away button (narrow maps), referenced by leaflet.css.
    "images/layers.png": (xstatic.pkg.leaflet.BASE_DIR, "images/layers.png"),
    "images/layers-2x.png": (xstatic.pkg.leaflet.BASE_DIR, "images/layers-2x.png"),
}


@functools.cache
def ensure_vendor() -> Path:
    """Copy the vendored assets into ``dashboard/static/vendor/`` if missing or stale.

    Returns
    -------
    pathlib.Path
        The vendor directory.

    Raises
    ------
    RuntimeError
        If an xstatic package lacks a file (a broken install): reinstall it with pip.
    """
    (VENDOR_DIR / "images").mkdir(parents=True, exist_ok=True)
    for name, (base, file_name) in VENDOR_FILES.items():
        src = Path(base) / file_name
        if not src.is_file():
            raise RuntimeError(f"{src}: missing from its xstatic package; reinstall it (`pip install -r requirements.txt`)")
        dest = VENDOR_DIR / name
        if not dest.is_file() or dest.stat().st_size != src.stat().st_size:
            atomic_copy(src, dest)
    return VENDOR_DIR


def local_assets(base_url_path: str = "") -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return ``(default_js, default_css)`` for a folium map, pointing at the local copies.

    Parameters
    ----------
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (``""`` when served at the root).
    """
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    url = f"{prefix}/app/static/vendor"
    js = [("leaflet", f"{url}/leaflet.js")]
    css = [("leaflet_css", f"{url}/leaflet.css")]
    return js, css
