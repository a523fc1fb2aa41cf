"""The text panel: a feature's facts and every piece of its evidence, quote in context.

Each quote is shown highlighted inside its paragraph (``geodata.sources.paragraph_around``)
under the article's title, author, outlet and date. All source text is escaped
(``dashboard.escape``) before it reaches ``st.html``.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import data
from geodata.claims import PikeResult
from geodata.layers import flat_text
from dashboard.escape import highlight, html_text, markdown_text

__all__ = ["CONTEXT_CHARS", "evidence_html", "facts_html", "feature_panel", "show_evidence", "trim_paragraph"]

CONTEXT_CHARS = 320  # characters of paragraph kept on each side of a quote
STYLE = """<style>
.ev{border-left:3px solid #b35806;padding:.2rem .7rem;margin:.4rem 0 .9rem 0;font-size:.92rem}
.ev .cite{color:#333;margin-bottom:.25rem}.ev .loc{color:#777;font-size:.78rem}
.ev mark.quote{background:#fde3b5;padding:0 .1rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;font-size:.85rem;margin:0}
.facts dt{color:#666;font-weight:normal}.facts dd{margin:0}
.summary{color:#444;font-size:.9rem;margin:-.3rem 0 .4rem 0}
</style>"""
FIELDS = {  # layer -> (field, label) shown above the evidence, in order
    "events": [("date_start", "From"), ("date_end", "To"), ("date_precision", "Date precision"),
               ("date_note", "How the date was read"), ("type", "Type"), ("place_name", "Place"),
               ("geo_precision", "Place precision (1 named place, 2 near it, 3 region or country)"),
               ("status", "Status"), ("claimant", "Claimed by"), ("actors", "Actors"), ("sources", "Sources")],
    "troops": [("contributor", "Contributor"), ("origin_name", "From"), ("origin_note", "Origin note"),
               ("destination_name", "To"), ("destination_note", "Destination note"), ("date_start", "From date"),
               ("date_end", "To date"), ("date_note", "How the date was read"), ("sizes", "Sizes, as each source gives them"),
               ("sources", "Sources")],
    "places": [("kind", "Kind"), ("country", "Country"), ("precision", "Precision"), ("source", "Gazetteer source"),
               ("border_nearest", "Nearest land border"), ("border_km", "Distance to it (km)"), ("entries", "Used by")],
    "claims": [("verdict", "Verdict"), ("measured", "Measured"), ("value", "Value"), ("unit", "Unit"),
               ("method", "Method"), ("caveats", "Caveats"), ("claimant", "Claimed by")],
    "figures": [("metric", "Metric"), ("qualifier", "Qualifier"), ("value", "Value"), ("as_of", "As of"),
                ("as_of_note", "How the date was read"), ("place_name", "Place"), ("claimant", "Claimed by"),
                ("note", "Note"), ("sources", "Sources")],
    "borders": [("neighbour", "Neighbour"), ("length_km", "Length (km)"), ("source", "Source")],
    "mentions": [("kind", "Kind"), ("country", "Country"), ("mentions", "Times named"), ("surfaces", "Named as"),
                 ("sources", "Articles")],
}
FIELDS["demonyms"] = FIELDS["mentions"]
TITLE_FIELD = {"events": "description", "troops": "description", "places": "name", "claims": "statement",
               "figures": "metric", "borders": "neighbour",
               "mentions": "name", "demonyms": "name"}


def trim_paragraph(paragraph: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, int, int]:
    """Cut a long paragraph to ``context`` characters around the quote, marking cuts with an ellipsis."""
    lo, hi = max(0, start - context), min(len(paragraph), end + context)
    if lo > 0:
        space = paragraph.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(paragraph):
        space = paragraph.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    prefix, suffix = ("… " if lo > 0 else ""), (" …" if hi < len(paragraph) else "")
    text = prefix + paragraph[lo:hi] + suffix
    shift = len(prefix) - lo
    return text, start + shift, end + shift


def evidence_html(ev: dict, source: dict, paragraph: str, start: int, end: int) -> str:
    """One evidence card as HTML: citation, the quote highlighted in its paragraph, its location."""
    text, s, e = trim_paragraph(paragraph, start, end)
    meta = [source.get("author") or "author not named", source.get("outlet") or "outlet not named", source.get("date") or "undated"]
    return (
        '<div class="ev">'
        f'<div class="cite"><b>{html_text(source.get("title", ""))}</b><br>{html_text(" · ".join(meta))}</div>'
        f"<div>{highlight(text, s, e)}</div>"
        f'<div class="loc">{html_text(ev["document"])} [{int(ev["start"])}:{int(ev["end"])}]</div>'
        "</div>"
    )


def show_evidence(evidence: list[dict]) -> None:
    """Render every evidence record, each quote inside its paragraph."""
    sources = data.sources()
    cards = []
    for ev in evidence:
        paragraph, start, end = data.evidence_context(ev["document"], int(ev["start"]), int(ev["end"]))
        cards.append(evidence_html(ev, sources.get(ev["source_id"], {"title": ev["source_id"]}), paragraph, start, end))
    st.html(STYLE + "".join(cards))


def _present(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, (list, tuple)):
        return len(value) > 0
    return str(value) != ""


def facts_html(layer: str, row: pd.Series) -> str:
    """The feature's fields as an escaped definition list."""
    items = "".join(
        f"<dt>{html_text(label)}</dt><dd>{html_text(str(flat_text(field, row[field])))}</dd>"
        for field, label in FIELDS.get(layer, []) if field in row and _present(row[field])
    )
    return f'<dl class="facts">{items}</dl>'


def _summary(layer: str, row: pd.Series) -> str:
    """One line under the title: when, what, where."""
    if layer == "events":
        dates = row["date_start"] if row["date_start"] == row["date_end"] else f"{row['date_start']} to {row['date_end']}"
        return f"{dates} · {row['type'].replace('_', ' ')} · {row['place_name']} · {row['status']}"
    if layer == "troops":
        return f"{row['origin_name']} to {row['destination_name']} · {row['date_start']} to {row['date_end']} · size: {flat_text('sizes', row['sizes'])}"
    if layer == "claims":
        return f"verdict: {row['verdict']} · {row['measured']}"
    if layer in ("mentions", "demonyms"):
        return f"named {row['mentions']} times in the selected articles; every sentence below"
    return ""


def _find(layer: str, fid: str, layers: dict[str, gpd.GeoDataFrame]) -> tuple[pd.Series | None, bool]:
    """The feature's row, and whether it lies outside the current filters."""
    for source, hidden in ((layers, False), (data.all_layers(), True)):
        gdf = source.get(layer)
        if gdf is not None and len(gdf) and fid in set(gdf["id"]):
            return gdf.loc[gdf["id"] == fid].iloc[0], hidden
    return None, False


def _related_figures(layer: str, row: pd.Series) -> pd.DataFrame:
    """Every figure tied to this event or troop movement, conflicting ones side by side."""
    figures = data.all_layers()["figures"]
    if layer == "events":
        rel = figures[figures["event_id"] == row["id"]]
    elif layer == "troops" and len(row.get("size_figure_ids", ())):
        rel = figures[figures["id"].isin(list(row["size_figure_ids"]))]
    else:
        return figures.iloc[0:0]
    return rel


def _city_panel(fid: str, cities: pd.DataFrame | None, result: PikeResult | None) -> None:
    if cities is None or fid not in set(cities["id"]):
        st.info(f"City {markdown_text(fid, 80)} is not in the chosen candidate set.")  # fid comes from the URL
        return
    c = cities.loc[cities["id"] == fid].iloc[0]
    km = result.distances_km.get(fid) if result else None
    counted = bool(result) and fid in result.close_ids
    st.html(f"<h4>{html_text(c['name'])}</h4>")
    st.dataframe(pd.DataFrame([("Population (GeoNames)", f"{int(c['population']):,}"),
                               ("Distance to the chosen borders (km)", "" if km is None else f"{km:,.1f}"),
                               ("Counted as close", "yes" if counted else "no"), ("Gazetteer id", fid)],
                              columns=["field", "value"]), hide_index=True, width="stretch")
    st.caption("A candidate city of Pike's claim; positions and populations from GeoNames.")


def feature_panel(ref: str | None, layers: dict[str, gpd.GeoDataFrame], *, cities: pd.DataFrame | None = None,
                  claim_result: PikeResult | None = None) -> None:
    """Show the selected feature (``layer:id``) with its facts and evidence, or how to select one."""
    if not ref or ":" not in ref:
        st.info("Click a shape on the map, or pick an event above, to read its evidence here.")
        return
    layer, fid = ref.split(":", 1)
    if layer == "cities":
        _city_panel(fid, cities, claim_result)
        return
    row, hidden = _find(layer, fid, layers)
    if row is None:
        st.warning(f"Nothing called {markdown_text(repr(fid), 80)} in layer {markdown_text(repr(layer), 40)}; "
                   "it may have been renamed. Select another feature.")  # both come from the URL
        return
    st.html(
        STYLE + f'<h4 class="feature-title">{html_text(row[TITLE_FIELD.get(layer, "id")])}</h4>'
        f'<div class="summary">{html_text(_summary(layer, row))}</div>'
    )
    if row.get("origin") == "user":
        title = data.sources().get(row["sources"][0], {}).get("title", row["sources"][0])
        st.html(f'<div class="user-origin">Added by a user: {html_text(title)}</div>')
    if hidden:
        st.caption("Outside the current filters; shown because it is selected.")
    related = _related_figures(layer, row)
    if len(related):
        st.markdown("**Figures reported**: every source's number, side by side")
        st.dataframe(related[["metric", "qualifier", "value", "as_of", "claimant", "sources"]], hide_index=True, width="stretch")
    evidence = list(row.get("evidence") or [])
    for f in related.itertuples():
        evidence.extend(e for e in f.evidence if e not in evidence)
    st.markdown(f"**Evidence**: {len(evidence)} quote{'s' if len(evidence) != 1 else ''}")
    show_evidence(evidence)
    with st.expander("All fields"):
        st.html(STYLE + facts_html(layer, row))
