"""dashboard/maps.py: the folium map, its layers and markers, escaped text, local assets only."""

from __future__ import annotations

import json
import re

import geopandas as gpd

from dashboard import maps
from dashboard.serving import offline
from geodata.layers import build_layers
from geodata.mentions import places_mentioned, seed_mentions
from tests.dashboard.apptest import map_args


def test_map_loads_only_local_assets_and_draws_every_layer(default_app):
    args = map_args(default_app)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    assert not re.search(r"https?://", args["script"] + args["html"] + args["header"])
    # No jQuery is served (dashboard/serving/offline.py): a popup or anything else calling it would break the map.
    assert not re.search(r"(?<![\w$])(?:\$|jQuery)\s*[.(]", args["script"] + args["html"]), "the map calls jQuery"
    for link in links:
        assert (offline.STATIC_DIR / link.removeprefix("/app/static/")).is_file()
    names = re.findall(r'"([^"]+)" : feature_group_\w+', args["script"])
    assert names == ["Mentions: demonyms", "Mentions", "Claim: within 100 km of all land borders", "Borders by neighbour", "Troop movements", "Places",
                     "Claim checks", "Events"]


def test_map_draws_every_filtered_event_in_its_place_badge(app_at):
    # One badge per place group with its count; country-level events are listed, not drawn.
    from geodata.places import nationwide, place_groups

    script = map_args(app_at({"types": ["seizure"]}))["script"]
    seizures = build_layers(types=["seizure"])["events"]
    (blob,) = re.findall(r"var data = (\[.*?\]);\n", script)
    drawn = {b["ref"]: b["count"] for b in json.loads(blob)}
    assert drawn == {g.ref: g.count for g in place_groups(seizures)} and drawn
    assert sum(drawn.values()) == len(seizures) - len(nationwide(seizures))


def test_claim_settings_change_the_claim_layer(app_at):
    script = map_args(app_at({"km": "300"}))["script"]
    assert "Claim: within 300 km" in script and "Claim: within 100 km" not in script


def test_atlas_mentions_layer_follows_the_source_filter(app_at, default_app):
    script = map_args(app_at({"sources": "pike-spectator"}))["script"]
    expected = _points(places_mentioned(seed_mentions(["pike-spectator"])))
    assert _mentions_drawn(script) == len(expected) > 0
    everything = _points(places_mentioned(seed_mentions()))
    assert _mentions_drawn(map_args(default_app)["script"]) == len(everything) > len(expected)


def _points(places):
    """Mentioned places drawn as markers: every kind but areas (Central Asia, the Soviet Union)."""
    return places[places["kind"] != "area"]


def _mentions_drawn(script: str) -> int:
    return len(set(re.findall(r'"ref": "mentions:([^"]+)"', script)))


def test_hostile_source_text_stays_text_on_the_map(hostile_layers):
    m = maps.build_map(hostile_layers, outlines=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"),
                       assets=offline.local_assets())
    # The page's JSON is HTML-safe (\u003c for <); decode it to see what the browser will get.
    html = re.sub(r"\\u00([0-9a-fA-F]{2})", lambda x: chr(int(x.group(1), 16)), m.get_root().render())
    assert "<script>alert" not in html
    assert "`pwned" not in html and "${document" not in html
    assert "&lt;script&gt;alert(&#x60;pwned &#x24;{document.cookie}&#x60;)&lt;/script&gt;" in html
    assert '"ref": "troops:hostile-troop"' in html and "groups:gn:1526384" in html


def _both_ways():
    """A script drawing one map twice: by st_folium, and by dashboard.mapframe (rendered once, then shown)."""
    from streamlit_folium import st_folium

    from dashboard import mapframe, maps
    from geodata.layers import build_layers

    layers = build_layers(date_from="2022-01-05", date_to="2022-01-05")

    def build():
        return maps.build_map(layers, outlines=layers["borders"].iloc[0:0],
                              assets=([("leaflet", "/app/static/vendor/leaflet.js")], [("leaflet", "/app/static/vendor/leaflet.css")]))

    st_folium(build(), key="by_st_folium", height=300, use_container_width=True, render=False,
              returned_objects=["last_object_clicked_tooltip"],
              feature_group_to_add=maps.highlight("events:almaty-airport-seized", layers))
    mapframe.show(mapframe.render(build()), key="by_mapframe", height=300,
                  highlight=maps.highlight("events:almaty-airport-seized", layers))


def test_a_map_frame_sends_the_component_what_st_folium_sends():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_both_ways, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    first, second = (json.loads(el.proto.json_args) for el in at.get("component_instance"))
    assert first.pop("key") != second.pop("key")  # the widget keys differ, nothing else
    assert first == second
    assert "atlas-highlight" in second["feature_group"] and second["returned_objects"] == ["last_object_clicked_tooltip"]
