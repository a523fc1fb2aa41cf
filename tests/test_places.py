"""geodata.places: events grouped by place, the Nationwide list, troop stand-ins (small real data, known answers)."""

from __future__ import annotations

import pytest

from geodata.layers import build_layers
from geodata.places import nationwide, place_groups, stand_ins, type_label

EVENTS = build_layers()["events"]
ALMATY = {"gn:1526384", "landmark:almaty-airport", "landmark:kok-tobe-tower", "landmark:republic-square-almaty"}


def test_nationwide_holds_every_country_level_event_and_nothing_else():
    rows = nationwide(EVENTS)
    assert set(rows["place_id"]) == {"country:KZ"}
    assert len(rows) == (EVENTS["place_id"] == "country:KZ").sum() == 23
    assert list(rows["date_start"]) == sorted(rows["date_start"])


def test_every_other_event_is_in_exactly_one_group_and_no_country_is_a_point():
    groups = place_groups(EVENTS)
    ids = [e for g in groups for e in g.event_ids]
    assert len(ids) == len(set(ids)) == len(EVENTS) - len(nationwide(EVENTS))
    assert not any(p[2] == "country" for g in groups for p in g.places)


def test_almaty_city_airport_square_and_kok_tobe_share_one_group():
    (almaty,) = [g for g in place_groups(EVENTS) if g.id == "gn:1526384"]
    assert {p[0] for p in almaty.places} == ALMATY
    assert almaty.places[0][0] == "gn:1526384"  # the city anchors it
    assert almaty.count == 11 and almaty.ref == "groups:gn:1526384"


def test_a_region_is_a_group_of_its_own_drawn_as_a_region():
    (region,) = [g for g in place_groups(EVENTS) if g.id == "region:KZ-MAN"]
    assert region.kind == "region" and [p[0] for p in region.places] == ["region:KZ-MAN"]


def test_groups_follow_the_filters():
    late = build_layers(date_from="2022-01-10", date_to="2022-01-12")["events"]
    assert sum(g.count for g in place_groups(late)) == len(late) - len(nationwide(late))
    assert place_groups(EVENTS.iloc[0:0]) == []


@pytest.mark.parametrize("troop, expected", [
    ("troops-russia", ["stand-in: Moscow for Russia", "stand-in: Kazakhstan's centre for the whole country"]),
    ("troops-csto-into-taraz", ["stand-in: Kazakhstan's centre for the whole country"]),
])
def test_stand_ins_name_what_each_end_stands_for(troop, expected):
    troops = build_layers()["troops"].set_index("id", drop=False)
    assert stand_ins(troops.loc[troop]) == expected


@pytest.mark.parametrize("raw, words", [("security_operation", "Security operation"), ("riot", "Riot")])
def test_type_label_says_types_in_words(raw, words):
    assert type_label(raw) == words
