"""Every reported number by metric, side by side by source and date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, state
from dashboard.panels import evidence

view = state.current()
figures = data.view_layers(*view.filters.args())["figures"].reset_index(drop=True).drop(columns="geometry")

st.header("Figures")
st.caption("Every number the articles report, by metric. Conflicting figures stand side by side; none is preferred.")
if not len(figures):
    st.info("No figure in the current filters.")
    st.stop()


def _cell(row: pd.Series) -> str:
    """'about 2,500 (claimant, as of 2022-01-07)': the number as given, who gives it, when."""
    number = "" if pd.isna(row["value"]) else f"{int(row['value']):,}"
    text = " ".join(x for x in (row["qualifier"], number) if x)
    who = ", ".join(x for x in (row["claimant"], f"as of {row['as_of']}") if x)
    return f"{text} ({who})"


# One column per article: conflicting numbers for a metric stand in one row.
wide = (
    figures.assign(cell=figures.apply(_cell, axis=1), source=figures["sources"])
    .explode("source")
    .groupby(["metric", "place_name", "source"])["cell"].agg("; ".join).unstack("source").fillna("")
    .reset_index().sort_values(["metric", "place_name"])
    .rename(columns=lambda c: data.source_label(c) if c in data.sources() else c.replace("_", " "))
)
st.dataframe(wide, hide_index=True, width="stretch")

st.subheader("One figure and its evidence")
table = figures[["id", "metric", "qualifier", "value", "as_of", "place_name", "claimant", "sources"]].sort_values(["metric", "as_of", "id"])
table = table.assign(metric=table["metric"].str.replace("_", " "),
                     sources=table["sources"].map(lambda ids: "; ".join(data.source_label(i) for i in ids)))
pick_col, evidence_col = st.columns([3, 2], gap="medium")
with pick_col:
    picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                          key="figure_list")
rows = picked.selection.rows if picked else []
with evidence_col:
    if rows:
        fid = table.iloc[rows[0]]["id"]
        ref = f"figures:{fid}"
        if st.button("Show on map", icon=":material/map:", key="figure_on_map", help="Open the Map page with this figure selected."):
            state.select(ref)
            st.switch_page("views/atlas.py", query_params={"feature": ref})
        evidence.show_evidence(list(figures.loc[figures["id"] == fid, "evidence"].iloc[0]))
    else:
        st.caption("Select a row to read its quotes here, beside the list, and to find it on the map.")
