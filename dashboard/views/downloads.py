"""Each layer of the current filtered view as RFC 7946 GeoJSON, and all of them in one zip."""

from __future__ import annotations

import streamlit as st

from dashboard import data, state

MEDIA_TYPE = "application/geo+json"

view = state.current()
args = view.filters.args()
layers = data.view_layers(*args)
suffix = data.suffix(*args)

st.header("Downloads")
st.markdown(
    "GeoJSON (RFC 7946: WGS84 longitude/latitude, 6 decimals), one file per layer, for the filter in the sidebar. "
    f"File names carry the filter: `{suffix}`. Each feature keeps its `evidence` (source id, document, offsets, quote)."
)
for name in data.LAYER_NAMES:
    col1, col2 = st.columns([3, 1])
    col1.markdown(f"**{name}**: {len(layers[name])} features")
    col2.download_button(
        f"{name}.geojson",
        data=data.geojson(*args, name),
        file_name=f"{name}_{suffix}.geojson",
        mime=MEDIA_TYPE,
        key=f"download_{name}",
        width="stretch",
    )
st.download_button(
    "All layers (zip)",
    data=data.zip_bytes(*args),
    file_name=f"qantar-atlas_{suffix}.zip",
    mime="application/zip",
    key="download_zip",
    type="primary",
)
