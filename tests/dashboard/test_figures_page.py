"""The Figures page in AppTest: a selected figure's evidence beside the list, and a way to its place on the map."""

from __future__ import annotations

from geodata.layers import build_layers
from tests.dashboard.apptest import run_app


def _blocks(node) -> list:
    """Every node under ``node``, depth first."""
    out = [node]
    for child in getattr(node, "children", {}).values():
        out += _blocks(child)
    return out


def _columns(node) -> list:
    return [c for c in getattr(node, "children", {}).values() if getattr(c, "type", None) == "column"]


def test_selected_figure_shows_its_evidence_beside_the_list_and_opens_on_the_map():
    at = run_app(page="views/figures.py")
    assert not at.button  # nothing selected: no map button yet
    at.session_state["figure_list"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    figures = build_layers()["figures"].sort_values(["metric", "as_of", "id"])
    first = figures.iloc[0]
    # The evidence sits in a column beside the column holding the list.
    pair = [b for b in _blocks(at.main) if len(_columns(b)) == 2]
    assert pair, "no two-column row on the page"
    left, right = _columns(pair[-1])
    assert any(getattr(n, "type", None) == "dataframe" for n in _blocks(left))
    assert any('class="ev"' in getattr(getattr(n, "proto", None), "body", "") for n in _blocks(right))
    cards = [h.proto.body for h in at.html if 'class="ev"' in h.proto.body]
    assert len(cards) == 1 and all(e["quote"].split()[0] in cards[0] for e in first["evidence"])
    at.button(key="figure_on_map").click().run()
    assert not at.exception, [e.message for e in at.exception]
    ref = f"figures:{first['id']}"
    assert at.session_state["selected"] == ref and at.query_params["feature"] == ref
