"""dashboard/data.py: the layers every session shares stay as built."""

from __future__ import annotations

import pandas as pd

from dashboard import data
from geodata.layers import build_layers
from tests.dashboard.apptest import AIRPORT, PAGES, run_app


def _same(shared: dict, fresh: dict) -> None:
    assert sorted(shared) == sorted(fresh)
    for name in fresh:
        pd.testing.assert_frame_equal(shared[name], fresh[name], check_exact=True, obj=name)


def test_running_every_page_leaves_the_shared_layers_as_built():
    # The layers are a cache resource (one object for every session, no copy per call): a page
    # that changed a frame or an evidence list in place would change every other reader's map.
    runs = [run_app({"feature": AIRPORT}, page) for page in (None, *PAGES[1:])]
    runs.append(run_app({"types": ["protest"], "dates": ["2022-01-05", "2022-01-06"]}))
    assert all(not at.exception for at in runs)
    _same(data.view_layers(None, None, None, None), build_layers(store=data.store()))
    _same(data.view_layers("2022-01-05", "2022-01-06", None, ("protest",)),
          build_layers(date_from="2022-01-05", date_to="2022-01-06", types=["protest"], store=data.store()))


def test_the_same_view_is_one_shared_object_and_another_view_is_another():
    a = data.view_layers(None, None, None, None)
    assert data.view_layers(None, None, None, None) is a
    assert data.all_layers() is a
    b = data.view_layers("2022-01-05", "2022-01-05", None, None)
    assert b is not a and len(b["events"]) < len(a["events"])
