"""geodata/layers.py: provenance on every fact (checked in the exported GeoJSON), conflicting figures, filters."""

import pytest

from geodata.errors import InputError
from geodata.layers import build_layers
from geodata.sources import SEEDS_DIR

FACT_LAYERS = ("events", "troops", "figures", "claims")


def _seed_bytes_slice(e):
    return (SEEDS_DIR / e["document"]).read_bytes().decode("utf-8")[e["start"] : e["end"]]


@pytest.mark.parametrize("name", FACT_LAYERS)
def test_every_fact_carries_evidence_that_verifies(exported, name):
    for f in exported[name]["features"]:
        ev = f["properties"]["evidence"]
        assert ev, f"{name} {f['id']} has no evidence"
        for e in ev:
            assert set(e) == {"source_id", "document", "start", "end", "quote"}
            assert _seed_bytes_slice(e) == e["quote"], (name, f["id"])


def test_places_and_borders_say_where_their_data_comes_from(exported):
    assert all(f["properties"]["source"] for f in exported["places"]["features"])
    assert {f["properties"]["neighbour"] for f in exported["borders"]["features"]} == {
        "China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan"}
    assert all("Natural Earth" in f["properties"]["source"] for f in exported["borders"]["features"])


def test_conflicting_figures_stay_side_by_side(exported):
    arrests = sorted(f["properties"]["value"] for f in exported["figures"]["features"]
                     if f["properties"]["value"] in (8000, 3811))
    assert arrests == [3811, 8000]


@pytest.fixture(scope="module")
def unfiltered():
    return build_layers()


def _ids(layer) -> set[str]:
    return set(layer["id"])


def _expected(layer, keep) -> set[str]:
    """The ids of an unfiltered layer's rows that ``keep`` accepts: the filter's answer, worked out by hand."""
    return {row["id"] for _, row in layer.iterrows() if keep(row)}


@pytest.mark.parametrize("lo, hi", [("2022-01-10", "2022-01-12"), ("2022-01-05", "2022-01-05"), ("2022-01-01", "2022-01-04")])
def test_date_filter_keeps_exactly_the_overlapping_entries(unfiltered, lo, hi):
    layers = build_layers(date_from=lo, date_to=hi)
    for name, (first, last) in {"events": ("date_start", "date_end"), "troops": ("date_start", "date_end"),
                                "figures": ("as_of", "as_of")}.items():
        want = _expected(unfiltered[name], lambda r: r[first] <= hi and r[last] >= lo)
        assert _ids(layers[name]) == want, name  # nothing overlapping dropped, nothing outside kept
    assert 0 < len(layers["events"]) < len(unfiltered["events"])


@pytest.mark.parametrize("sources", [["sciorati-ispi"], ["eurasia-notes-13", "hahn-corr"]])
def test_source_filter_applies_to_every_fact_layer(unfiltered, sources):
    layers = build_layers(sources=sources)
    for name in ("events", "troops", "figures"):
        want = _expected(unfiltered[name], lambda r: any(e["source_id"] in sources for e in r["evidence"]))
        assert _ids(layers[name]) == want, name
    assert _ids(layers["claims"]) == _expected(unfiltered["claims"], lambda r: r["source_id"] in sources)
    used = {row[col] for name, cols in (("events", ["place_id"]), ("figures", ["place_id"]),
                                       ("troops", ["origin_id", "destination_id"]))
            for _, row in layers[name].iterrows() for col in cols}
    assert _ids(layers["places"]) == used  # the places the kept facts use, no others
    assert 0 < len(layers["events"]) < len(unfiltered["events"])


def test_type_filter(unfiltered):
    layers = build_layers(types=["armed_clash", "seizure"])
    assert _ids(layers["events"]) == _expected(unfiltered["events"], lambda r: r["type"] in ("armed_clash", "seizure"))
    assert len(layers["events"]) > 0 and _ids(layers["troops"]) == _ids(unfiltered["troops"])  # types filter events only


@pytest.mark.parametrize("kwargs, message", [
    ({"date_from": "2022-02-30"}, "not a date"),
    ({"date_from": "2022-01-09", "date_to": "2022-01-02"}, "after"),
    ({"sources": ["nobody"]}, "unknown source"),
])
def test_bad_filters_are_one_line_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        build_layers(**kwargs)
