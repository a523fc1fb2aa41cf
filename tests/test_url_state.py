"""Every page survives every URL: bad parameters are repaired with one plain-text notice each, never a traceback."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import data
from dashboard.state import FIRST_DAY, LAST_DAY, SELECTED_PARAM, SETTINGS, check_query
from tests.dashboard.apptest import run_app

PAGES = [None, "views/claims.py", "views/figures.py", "views/timeline.py", "views/downloads.py", "views/documents.py"]
REVERSED_NOTICE = "The link's date range 12 → 5 January was reversed; showing 5–12 January."
PARAMS = [s.key for s in SETTINGS] + [SELECTED_PARAM]
NASTY = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2022-01-12", "2022-01-05", "2023-05-01", "0001-01-01", "9999-12-31", "NaN", "inf", "-inf",
                     "-5", "1e309", "99999999999999999999", "15", "600", "hahn-corr", "protest", "events:x",
                     "![t](http://example.invalid/t.png)", "all land borders", ""]),
)


def _valid(check, options) -> None:
    for s in SETTINGS:
        values = check.params.get(s.key)
        if values is None:
            continue
        if s.widget == "date_range":
            days = [dt.date.fromisoformat(v) for v in values]
            assert 1 <= len(days) <= 2 and all(FIRST_DAY <= d <= LAST_DAY for d in days) and days == sorted(days)
        elif s.widget == "slider":
            lo, hi, step = s.bounds
            (km,) = values
            assert lo <= int(km) <= hi and int(km) % step == 0
        elif s.widget == "selectbox":
            assert len(values) == 1 and values[0] in options(s.key)
        else:
            assert values and set(values) <= set(options(s.key))
    feature = check.params.get(SELECTED_PARAM)
    assert feature is None or (len(feature) == 1 and ":" in feature[0] and len(feature[0]) < 220)
    for notice in check.notices:
        assert "\n" not in notice and len(notice) < 600


# The choices do not change while the property runs: looked up once each (data.options asks the
# store's version and Streamlit's cache every time, most of a run's cost).
_options = functools.cache(data.options)


@given(st.dictionaries(st.sampled_from(PARAMS), st.lists(NASTY, max_size=6), max_size=len(PARAMS)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_url_gives_valid_settings_and_never_raises(params):
    check = check_query(params, _options)
    _valid(check, _options)
    for key, values in params.items():  # a parameter that was valid stays as it was, without a notice
        if key not in check.params:
            assert not values


def test_valid_parameters_pass_unchanged_without_notice():
    params = {"dates": ["2022-01-05", "2022-01-07"], "sources": ["hahn-corr"], "km": ["150"],
              "neighbours": [data.options("neighbours")[0]], "feature": ["events:almaty-airport-seized"]}
    check = check_query(params, data.options)
    assert check.notices == () and check.params == params


@pytest.mark.parametrize("params, notice", [
    ({"dates": ["2022-01-12", "2022-01-05"]}, REVERSED_NOTICE),
    ({"dates": ["garbage"]}, "is not a date"),
    ({"dates": ["2023-05-01", "2023-05-02"]}, "outside 2–12 January 2022"),
    ({"km": ["NaN"]}, "is not a number of km"),
    ({"km": ["-5"]}, "showing 10 km"),
    ({"km": ["1e309"]}, "is not a number of km"),
    ({"sources": ["nosuch"]}, "articles that do not exist"),
    ({"types": ["zzz"]}, "event types that do not exist"),
    ({"cities": ["zzz"]}, "“Candidate cities”"),
    ({"feature": ["x" * 5000]}, "is not a feature reference"),
])
def test_each_bad_parameter_gets_one_specific_notice(params, notice):
    check = check_query(params, data.options)
    assert len(check.notices) == 1 and notice in check.notices[0]


HOSTILE_URLS = [
    {"dates": ["2022-01-12", "2022-01-05"]},
    {"dates": ["9999-12-31", "0001-01-01", "x"], "km": ["-1e309"], "sources": ["![t](http://example.invalid/t.png)"]},
    {"neighbours": ["zzz", "yyy"], "cities": [""], "types": ["protest", "zzz"], "outlets": ["x" * 500],
     "feature": ["cities:nosuch"]},
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", HOSTILE_URLS, ids=["reversed", "garbage", "unknown"])
def test_every_page_survives_hostile_urls(page, query):
    at = run_app(query, page)  # fails on any exception
    warnings = [w.value for w in at.warning]
    assert warnings, "a bad link must say what was repaired"
    if query is HOSTILE_URLS[0]:
        assert REVERSED_NOTICE in warnings
    assert not any("example.invalid" in w and "``" not in w for w in warnings)  # user text only as inline code
