"""The map page as a workspace, in AppTest: place groups, Nationwide list, honest geometry, defaults,
state in the URL, the day slider, linked views, words instead of ids. Clicks on the map itself are
in tests/e2e/test_workspace.py."""

from __future__ import annotations

import json
import re

import pytest

from dashboard import maps, mapui
from dashboard.panels import daycontrol, places
from geodata.layers import build_layers
from geodata.places import nationwide
from tests.dashboard.apptest import map_args, run_app

EVENTS = build_layers()["events"]


def badges(at) -> list[dict]:
    """The place badges the map script draws (PlaceMarkers data)."""
    script = map_args(at)["script"]
    (blob,) = re.findall(r"var data = (\[.*?\]);\n", script)
    return json.loads(blob)


def pick_buttons(at) -> list[str]:
    return [b.key.removeprefix("pick-") for b in at.button if b.key and b.key.startswith("pick-")]


def test_the_map_draws_every_event_at_a_place_once_and_no_country_level_event():
    at = run_app()
    drawn = badges(at)
    assert sum(b["count"] for b in drawn) == len(EVENTS) - len(nationwide(EVENTS))
    assert not any("country:" in b["ref"] for b in drawn)
    almaty = next(b for b in drawn if b["ref"] == "groups:gn:1526384")
    assert almaty["count"] == 11 and almaty["label"] == "Almaty: 11 events"


def test_tooltips_carry_no_internal_reference():
    script = map_args(run_app())["script"]
    tips = re.findall(r'"tip": "((?:[^"\\]|\\.)*)"', script)
    assert tips and not [t for t in tips if re.search(r"\[(events|troops|borders|groups|places|claims):", t)]


def test_nationwide_button_lists_every_country_level_event():
    at = run_app()
    assert at.button(key="nationwide").label == "Nationwide: 23 events"
    at.button(key="nationwide").click().run()
    assert at.query_params["feature"] == places.NATIONWIDE
    assert sorted(pick_buttons(at)) == sorted(nationwide(EVENTS)["id"])


def test_a_place_group_lists_its_events_and_each_selects_one():
    at = run_app({"feature": "groups:gn:1526384"})
    listed = pick_buttons(at)
    assert len(listed) == 11 and "almaty-airport-seized" in listed
    bodies = "".join(h.proto.body for h in at.html)
    assert "Almaty International Airport: site in the city, 1 event, the named place" in bodies
    at.button(key="pick-almaty-airport-seized").click().run()
    assert at.session_state["selected"] == "events:almaty-airport-seized"
    assert at.button(key="back_to_group").label == "← Back to the place's list"


def test_badges_drawn_as_one_list_every_group():
    at = run_app({"feature": "groups:gn:1526384+gn:1528675"})
    assert len(pick_buttons(at)) == 12  # Almaty's 11 and Bishkek's 1


def test_troop_lines_with_stand_in_ends_are_dashed_and_say_so_first():
    script = map_args(run_app())["script"]
    assert "stand-in: Moscow for Russia" in script
    m = maps.build_map(build_layers(), outlines=build_layers()["borders"].iloc[0:0], assets=([], []))
    html = m.get_root().render()
    assert "atlas-troop atlas-standin" in html and '"dashArray": "8 6"' in html


def test_claim_layers_start_hidden_and_events_troops_borders_shown():
    m = maps.build_map(build_layers(), outlines=build_layers()["borders"].iloc[0:0], assets=([], []))
    shown = {c.options.get("atlasKey"): c.show for c in m._children.values() if hasattr(c, "show") and c.options.get("atlasKey")}
    assert {k for k, v in shown.items() if v} == set(maps.DEFAULT_LAYERS) == {"events", "troops", "borders"}


def test_legend_names_types_in_words():
    html = mapui.legend_html(maps.TYPE_COLOURS, ["security_operation", "riot"])
    assert "Security operation" in html and "security_operation" not in html and "stand-in" in html


def test_the_map_reports_clicks_only_and_keeps_its_view_in_the_browser():
    """Zoom, centre and layers never reach Python (no rerun per pan); the map reads and writes them in the page's URL."""
    at = run_app({"zoom": "7", "lat": "43.25", "lon": "76.9", "layers": "events,claim,bogus"})
    args = map_args(at)
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]
    assert 'name="atlas-view"' not in args["header"]  # the URL is read in the browser, not copied into the script
    script = args["script"]
    assert json.dumps(list(mapui.VIEW_PARAMS)) in script and "history.replaceState" in script
    assert "Copy link" in script
    assert not at.warning  # a good view in the link is no notice


@pytest.mark.parametrize("query, word", [({"zoom": "99"}, "zoom"), ({"lat": "north"}, "lat"), ({"lon": "1e9"}, "lon")])
def test_a_bad_view_in_the_url_is_dropped_with_a_notice(query, word):
    at = run_app(query)
    assert word not in at.query_params
    assert any(f"map {word}" in w.value for w in at.warning)


def test_event_list_links_leave_the_view_to_the_browser():
    at = run_app({"zoom": "7", "lat": "43.25", "lon": "76.9"})
    (table,) = [h.proto.body for h in at.html if 'class="event-list"' in h.proto.body]
    links = re.findall(r'href="([^"]+)"', table)
    assert links and not [u for u in links if re.search(r"[?&;](zoom|lat|lon|layers)=", u)]


def test_day_slider_on_5_january_shows_the_events_under_way_that_day():
    at = run_app({"day": "2022-01-05"})
    day = build_layers(date_from="2022-01-05", date_to="2022-01-05")["events"]
    assert (day["date_start"] < day["date_end"]).any()  # multi-day events are among them
    assert sum(b["count"] for b in badges(at)) == len(day) - len(nationwide(day))
    assert at.button(key="nationwide").label == places.nationwide_label(day)
    assert at.select_slider(key=daycontrol.DAY_KEY).value == "2022-01-05"


def test_timeline_counts_an_event_on_every_day_of_its_range():
    at = run_app(page="views/timeline.py")
    assert any("counts on every day of its date range" in c.value for c in at.caption)


def test_widgets_and_the_list_name_articles_by_title_and_types_in_words():
    at = run_app({"types": ["security_operation"]})
    body = next(h.proto.body for h in at.html if 'class="event-list"' in h.proto.body)
    cells = re.sub(r"<[^>]+>", "|", body)
    assert "Security operation" in cells and "security_operation" not in cells
    assert "Eurasia Notes #13" in cells and "eurasia-notes-13|" not in cells
    assert at.multiselect(key="types").value == ["security_operation"]  # the URL keeps the id


def test_event_list_rows_link_to_the_event_selected_in_the_same_view():
    at = run_app({"dates": ["2022-01-10", "2022-01-12"]})
    body = next(h.proto.body for h in at.html if 'class="event-list"' in h.proto.body)
    links = re.findall(r'<a href="([^"]+)" target="_self">', body)
    assert links and all("feature=events%3A" in link and "dates=2022-01-10" in link for link in links)


@pytest.mark.parametrize("sort, column", [("Place", "place_name"), ("Type", "type")])
def test_event_list_sorts_by_place_and_type(sort, column):
    at = run_app()
    at.segmented_control(key="event_sort").set_value(sort).run()
    from tests.dashboard.apptest import event_list
    table = event_list(at)
    key = table[column] if column == "place_name" else table["type"]
    assert list(key) == sorted(key)
