"""Pike's claim, counted live for the user's reading of 'close', and the other claim checks."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, state
from dashboard.panels import evidence
from dashboard.escape import html_text
from geodata.claims import PIKE_QUOTE
from geodata.sources import evidence_for

THRESHOLDS = tuple(float(km) for km in range(0, 801, 10))
# Material icons ship with Streamlit (emoji need a font the reader may lack).
VERDICT_ICONS = {"supported": ":material/check_circle:", "partly": ":material/contrast:",
                 "not supported": ":material/cancel:", "cannot be checked": ":material/help:"}

view = state.current()

st.header("Pike's claim")
st.html(f"<blockquote style='font-size:1.1rem'>“{html_text(PIKE_QUOTE)}” — Francis Pike, The Spectator</blockquote>")
with st.expander("The quote in its article"):
    evidence.show_evidence([e.as_dict() for e in evidence_for("pike-spectator", PIKE_QUOTE)])
st.markdown("'Close' has no distance in the article, and the 19 cities are not all named: choose both.")
with st.container(horizontal=True, key="claim_controls"):
    claim = view.claim or state.claim_controls(data.options)
result = data.pike(claim.km, claim.neighbours, claim.cities)

c1, c2, c3 = st.columns(3)
c1.metric("Candidate cities close to a border", f"{result.count} of {result.total}",
          help=f"Within {claim.km} km (geodesic) of the borders with: {', '.join(result.neighbours)}.")
c2.metric("Pike's share (15 of 19) needs", f"{result.needed} of {result.total}",
          help=f"Holds for every threshold from {result.claim_holds_from_km:,.1f} km.")
c3.metric("Base rate: all Kazakh cities this close", f"{result.base_rate_cities:.0%}",
          help=f"Of {result.n_all_cities} GeoNames cities; {result.base_rate_population:.0%} of their population.")
st.markdown(
    f"**{result.count} of {result.total} within {claim.km} km** of {html_text(claim.neighbours)}. "
    f"Of all {result.n_all_cities} Kazakh cities in GeoNames, {result.base_rate_cities:.0%} "
    f"(holding {result.base_rate_population:.0%} of their population) are as close: the share any cities "
    f"would show. Pike's 15 of 19 holds from {result.claim_holds_from_km:,.0f} km, "
    f"where the base rate is {result.base_rate_at_claim_threshold:.0%}."
)

curve = data.count_curve(claim.neighbours, claim.cities, THRESHOLDS)
line = alt.Chart(curve).mark_line(interpolate="step-after").encode(
    x=alt.X("threshold_km:Q", title="threshold (km)"),
    y=alt.Y("cities_within:Q", title="candidate cities within", axis=alt.Axis(tickMinStep=1, format="d")))
rule = alt.Chart(pd.DataFrame({"km": [float(claim.km)]})).mark_rule(color="#b35806").encode(x="km:Q")
need = alt.Chart(pd.DataFrame({"n": [result.needed]})).mark_rule(strokeDash=[4, 3], color="#555").encode(y="n:Q")
st.altair_chart((line + rule + need).properties(height=260), width="stretch")
st.caption("Step line: candidates within each threshold. Orange: the chosen threshold. Dashed: Pike's share.")

cities = data.candidate_places(claim.cities).assign(
    km=lambda d: d["id"].map(result.distances_km),
    counted=lambda d: d["id"].isin(result.close_ids),
).sort_values("km")
st.dataframe(cities[["name", "km", "counted", "population", "id"]], hide_index=True, width="stretch")

st.header("The other claim checks")
checks = data.view_layers(*view.filters.args())["claims"]
if not len(checks):
    st.info("No claim check comes from the selected articles.")
for row in checks.itertuples():
    with st.expander(f"{row.verdict}: {row.statement}", icon=VERDICT_ICONS.get(row.verdict)):
        st.dataframe(pd.DataFrame([("Measured", row.measured), ("Value", f"{row.value} {row.unit}"),
                                   ("Method", row.method), ("Caveats", row.caveats)], columns=["field", "value"]),
                     hide_index=True, width="stretch")
        evidence.show_evidence(list(row.evidence))
