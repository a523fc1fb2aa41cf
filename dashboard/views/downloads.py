"""Each layer of the current filtered view as RFC 7946 GeoJSON and CSV, the sources, a README, and all in one zip."""

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
    "For the filter in the sidebar, each layer as GeoJSON (RFC 7946: WGS84 longitude/latitude, 6 decimals) and as CSV "
    "(points as `lon`, `lat`; lines as `wkt`; the evidence quotes with their source ids). "
    f"File names carry the filter: `{suffix}`. `sources.csv` turns every `source_id` into title, author, outlet and "
    "date (your own sources too, with their address and SHA-256); `README.txt` explains every field and code, the filter, and the credits and licences. The zip holds them all."
)
st.download_button(
    "All layers (zip)",
    data=data.zip_bytes(*args),
    file_name=f"qantar-atlas_{suffix}.zip",
    mime="application/zip",
    key="download_zip",
    on_click="ignore",  # a download changes nothing on the page: no rerun (which could cancel the next one)
    type="primary",
)
for name in data.LAYER_NAMES:
    col1, col2, col3 = st.columns([3, 1, 1])
    col1.markdown(f"**{name}**: {len(layers[name])} features")
    col2.download_button(
        f"{name}.geojson",
        data=data.geojson(*args, name),
        file_name=f"{name}_{suffix}.geojson",
        mime=MEDIA_TYPE,
        key=f"download_{name}",
        width="stretch",
        on_click="ignore",
    )
    col3.download_button(
        f"{name}.csv",
        data=data.layer_csv(*args, name),
        file_name=f"{name}_{suffix}.csv",
        mime="text/csv",
        key=f"download_{name}_csv",
        width="stretch",
        on_click="ignore",
    )
col1, col2 = st.columns(2)
col1.download_button("sources.csv", data=data.sources_csv(), file_name="sources.csv", mime="text/csv",
                     key="download_sources", width="stretch", on_click="ignore")
col2.download_button("README.txt", data=data.readme_text(*args), file_name="README.txt", mime="text/plain",
                     key="download_readme", width="stretch", on_click="ignore")
