"""Pike's claim, counted live for the user's reading of 'close', with a verdict, and the other claim checks.

The page only renders: the count, the verdict sentence and the candidate sets come from
``geodata.claims`` (through ``dashboard.data``). Every string from a source, a citation or the
user reaches the page escaped (``st.html`` + ``html_text``) or as a dataframe cell, never as Markdown.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, state
from dashboard.escape import html_text
from dashboard.panels import evidence
from geodata.claims import NEIGHBOUR_SETS, PIKE_QUOTE, verdict_text
from geodata.errors import InputError
from geodata.sources import evidence_for

SLIDER_MAX_KM = next(s.bounds[1] for s in state.SETTINGS if s.key == "km")
CHART_MIN_KM = 1000  # the chart shows at least this range, and always where Pike's share is first reached
CHART_STEP_KM = 10
PIKE_CHECK_ID = "pike-15-of-19-close-to-borders"
# Material icons ship with Streamlit (emoji need a font the reader may lack).
VERDICT_ICONS = {"supported": ":material/check_circle:", "partly": ":material/contrast:",
                 "not supported": ":material/cancel:", "cannot be checked": ":material/help:"}
STYLE = """<style>
.verdict{border-left:5px solid #555;padding:.5rem .8rem;font-size:1.05rem;margin:.2rem 0 .6rem 0;background:#f6f6f6}
.verdict.holds{border-color:#1a7f37}.verdict.fails{border-color:#b35806}
.set-cite{font-size:.9rem;border-left:3px solid #2b6cb0;padding:.2rem .7rem;margin:.2rem 0 .6rem 0}
.set-cite .mark{font-weight:bold;color:#2b6cb0}
.prose{font-size:.92rem;line-height:1.45}.prose dt{font-weight:bold;margin-top:.4rem}.prose dd{margin:0 0 .3rem 0}
.unresolved{font-size:.9rem;color:#8a3b00;margin:.1rem 0}
</style>"""
CSV_HELP = "One city a line: name[,note]. An optional header 'name,note'. UTF-8. A gazetteer id (gn:…) settles an ambiguous name."

view = state.current()

st.header("Pike's claim")
verdict_slot = st.empty()  # filled once the settings below are known: the verdict comes first on the page
st.html(f"<blockquote style='font-size:1.1rem'>“{html_text(PIKE_QUOTE)}” — Francis Pike, The Spectator</blockquote>")
with st.expander("The quote in its article"):
    evidence.show_evidence([e.as_dict() for e in evidence_for("pike-spectator", PIKE_QUOTE)])
st.markdown("'Close' has no distance in the article, and the 19 cities are not named: choose both, or bring your own list.")
with st.container(horizontal=True, key="claim_controls"):
    claim = view.claim or state.claim_controls(data.options)


def _user_list() -> str | bytes:
    """The user's CSV: the uploaded file's bytes (which win) or the pasted text; empty when none is given."""
    with st.expander("Your own list of cities (CSV)", expanded=False):
        upload = st.file_uploader("Upload a CSV", type=["csv", "txt"], key="candidates_file", help=CSV_HELP)
        pasted = st.text_area("or paste it", key="candidates_text", height=120, help=CSV_HELP,
                              placeholder="name,note\nAlmaty,airport seized\nTaldykorgan")
    return upload.getvalue() if upload is not None else pasted


raw = _user_list()
user = None
if raw.strip():
    try:
        user = data.user_set(raw)
    except InputError as exc:
        st.error(f"Your list: {exc}")
if user is not None:
    for bad in user.unresolved:
        st.html(f'<p class="unresolved">Not counted, {html_text(bad.message())}</p>')
    if not user.ids:
        st.warning("No name in your list resolved to a Kazakh city; the chosen set is counted instead.")
        user = None
    else:
        use_user = st.toggle(f"Count your list ({len(user.ids)} cities) instead of the chosen set", value=True,
                             key="use_user_list")
        user = user if use_user else None

if user is not None:
    set_label, ids, cset = "your list", user.ids, user
else:
    set_label, cset = claim.cities, data.candidate_set(claim.cities)
    ids = cset.ids
result = data.pike_ids(claim.km, claim.neighbours, tuple(ids))
verdict = verdict_text(result, claim.neighbours, set_label, slider_max_km=SLIDER_MAX_KM)
verdict_slot.html(STYLE + f'<p class="verdict {"holds" if result.holds else "fails"}">{html_text(verdict)}</p>')

# Where the set comes from, beside it: an outside source is cited and marked.
if cset.citation is not None:
    c = cset.citation
    st.html(
        f'<div class="set-cite"><span class="mark">Not from the seed articles: the official record.</span> '
        f"{html_text(c.publisher)}, {html_text(c.date)}. {html_text(c.title)}. Published at "
        f'<a href="{html_text(c.url)}" rel="noopener noreferrer" target="_blank">{html_text(c.url)}</a>. '
        f"It lists {html_text(c.what)}: {html_text(', '.join(cset.names))}."
        + (f" Also named: {html_text(c.also_named)}." if c.also_named else "")
        + "</div>"
    )
    with st.expander("What we could check of this source"):
        st.html(f'<p class="prose">{html_text(c.checked)}</p>')
else:
    st.caption(f"This set: {cset.origin}.")

c1, c2, c3 = st.columns(3)
c1.metric("Candidate cities close to a border", f"{result.count} of {result.total}",
          help=f"Within {claim.km} km (geodesic) of the borders with: {', '.join(result.neighbours)}.")
c2.metric("Pike's share (15 of 19) needs", f"{result.needed} of {result.total}",
          help=f"Holds for every threshold from {result.claim_holds_from_km:,.1f} km.")
c3.metric("Base rate: all Kazakh cities this close", f"{result.base_rate_cities:.0%}",
          help=f"Of {result.n_all_cities} GeoNames cities; {result.base_rate_population:.0%} of their population.")

first = result.claim_holds_from_km
x_max = max(CHART_MIN_KM, int(math.ceil((first + 100) / 100.0)) * 100)
# The exact distance where the share is reached is a threshold too, so the step meets the diamond.
thresholds = tuple(sorted({float(km) for km in range(0, x_max + 1, CHART_STEP_KM)} | {float(first)}))
curve = data.count_curve(claim.neighbours, tuple(ids), thresholds)
x = alt.X("threshold_km:Q", title="threshold (km)", scale=alt.Scale(domain=[0, x_max]))
line = alt.Chart(curve).mark_line(interpolate="step-after").encode(
    x=x, y=alt.Y("cities_within:Q", title="candidate cities within", axis=alt.Axis(tickMinStep=1, format="d")))
rule = alt.Chart(pd.DataFrame({"km": [float(claim.km)]})).mark_rule(color="#b35806").encode(x="km:Q")
need = alt.Chart(pd.DataFrame({"n": [result.needed]})).mark_rule(strokeDash=[4, 3], color="#555").encode(y="n:Q")
mark = pd.DataFrame({"km": [first], "n": [result.needed], "label": [f"Pike's share first reached: {first:,.0f} km"]})
point = alt.Chart(mark).mark_point(shape="diamond", size=140, filled=True, color="#1a7f37").encode(x="km:Q", y="n:Q")
label = alt.Chart(mark).mark_text(align="right", dx=-8, dy=-10, color="#1a7f37").encode(x="km:Q", y="n:Q", text="label:N")
st.altair_chart((line + rule + need + point + label).properties(height=280), width="stretch")
st.caption("Step line: candidates within each threshold. Orange: the chosen threshold. Dashed: Pike's share. "
           f"Green diamond: where Pike's share is first reached ({first:,.1f} km).")
if first > SLIDER_MAX_KM:
    st.html(f'<p class="prose"><b>Never reached within the slider\'s {SLIDER_MAX_KM:,} km</b> for these borders: '
            f"it takes {first:,.1f} km (shown on the chart).</p>")

with st.expander("Where Pike's share is first reached, for every border set"):
    rows = []
    for name in NEIGHBOUR_SETS:
        r = data.pike_ids(claim.km, name, tuple(ids))
        rows.append({"borders": name, "first reached (km)": r.claim_holds_from_km,
                     f"within {SLIDER_MAX_KM:,} km": r.claim_holds_from_km <= SLIDER_MAX_KM,
                     "all Kazakh cities as close": f"{r.base_rate_at_claim_threshold:.0%}",
                     f"close at {claim.km} km": f"{r.count} of {r.total}"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader(f"The {result.total} cities counted")
cities = data.candidate_places(tuple(ids)).assign(
    km=lambda d: d["id"].map(result.distances_km),
    counted=lambda d: d["id"].isin(result.close_ids),
).sort_values(["km", "id"])
st.dataframe(cities[["name", "km", "counted", "population", "id"]], hide_index=True, width="stretch")

st.subheader("Method and caveats")
pike_check = next((c for c in data.claim_checks() if c.id == PIKE_CHECK_ID), None)
notes = [
    ("Count", "A candidate city is close when the geodesic distance (WGS84) from its GeoNames point to the nearest "
              "point of the chosen land borders is at most the threshold. Pike's share is 15 of 19, scaled to the "
              "size of the set (rounded up)."),
    ("Base rate", f"The share of all {result.n_all_cities} Kazakh GeoNames cities (and of their population) within "
                  "the same distance: what any cities would show. A count near the base rate says little beyond geography."),
    ("Sets", "The 19 and 31 largest cities and the 17 regional centres stand in for Pike's unnamed cities; the seed "
             "set holds the cities the coded events tie to violence; the official sets are cited where they are shown "
             "and come from outside the seeds; your list is resolved to Kazakh cities through the gazetteer."),
]
if pike_check is not None:
    notes += [("Method of the standing check", pike_check.method), ("Caveats", pike_check.caveats)]
st.html(STYLE + '<dl class="prose">' + "".join(f"<dt>{html_text(k)}</dt><dd>{html_text(v)}</dd>" for k, v in notes)
        + "</dl>")

st.header("The other claim checks")
checks = data.view_layers(*view.filters.args())["claims"]
if not len(checks):
    st.info("No claim check comes from the selected articles.")
for row in checks.itertuples():
    with st.expander(f"{row.verdict}: {row.statement}", icon=VERDICT_ICONS.get(row.verdict)):
        fields = [("Measured", row.measured), ("Value", f"{row.value} {row.unit}"), ("Method", row.method),
                  ("Caveats", row.caveats)]
        st.html(STYLE + '<dl class="prose">' + "".join(f"<dt>{html_text(k)}</dt><dd>{html_text(v)}</dd>" for k, v in fields)
                + "</dl>")
        evidence.show_evidence(list(row.evidence))
