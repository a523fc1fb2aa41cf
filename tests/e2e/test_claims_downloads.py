"""Pike's claim and the Downloads page in headless Chromium: the verdict flips with the slider; the zip explains itself."""

from __future__ import annotations

import io
import json
import zipfile

import geojson
import pandas as pd
import pytest

from geodata.layers import LAYER_NAMES, build_layers
from geodata.sources import load_sources
from tests.e2e.conftest import download

pytestmark = pytest.mark.e2e

VERDICT = "p.verdict"


def test_the_verdict_is_shown_and_flips_when_the_threshold_moves(app, page):
    app.open(path="claims")
    verdict = page.locator(VERDICT)
    assert verdict.inner_text().startswith("Verdict: does not hold at these settings")
    assert "9 of the 19 cities" in verdict.inner_text()
    # The verdict line is above the quote, in view without scrolling.
    assert verdict.bounding_box()["y"] < page.locator("blockquote").first.bounding_box()["y"]
    # Move the slider with the keyboard, as a user would: End takes it to its maximum.
    thumb = page.get_by_role("slider")
    thumb.focus()
    thumb.press("End")
    app.wait_idle()
    page.wait_for_function("document.querySelector('p.verdict').innerText.includes('1,000 km')", timeout=30_000)
    assert page.locator(VERDICT).inner_text().startswith("Verdict: holds at these settings")
    assert "km=1000" in page.url  # the setting is in the URL, shareable
    app.screenshot("claims_verdict_holds")


def test_a_pasted_list_with_an_unknown_name_is_reported_on_its_own_line(app, page):
    app.open(path="claims")
    page.get_by_text("Your own list of cities (CSV)").click()
    area = page.get_by_role("textbox", name="or paste it")
    area.fill("Almaty\nQwertyville\nTaraz\n")
    area.press("Control+Enter")
    app.wait_idle()
    page.locator("p.unresolved").first.wait_for()
    assert page.locator("p.unresolved").all_inner_texts() == ["Not counted, line 2: 'Qwertyville' unknown: check the spelling"]
    assert "2 cities in “your list”" in page.locator(VERDICT).inner_text()


def test_the_zip_holds_geojson_csv_sources_and_readme(app, page):
    app.open("sources=pike-spectator", path="downloads")
    suffix = "2022-01-02_2022-01-12_src-pike-spectator"
    filename, body = download(page, "All layers (zip)")
    assert filename == f"qantar-atlas_{suffix}.zip"
    expected = build_layers(date_from="2022-01-02", date_to="2022-01-12", sources=["pike-spectator"])
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        assert sorted(zf.namelist()) == sorted([*(f"{n}_{suffix}.{e}" for n in LAYER_NAMES for e in ("geojson", "csv")),
                                                "README.txt", "sources.csv"])
        for name in LAYER_NAMES:
            fc = geojson.loads(zf.read(f"{name}_{suffix}.geojson").decode("utf-8"))
            assert fc.is_valid, fc.errors()
            df = pd.read_csv(io.BytesIO(zf.read(f"{name}_{suffix}.csv")), dtype=str, keep_default_na=False)
            assert sorted(df["id"]) == sorted(expected[name]["id"]) == sorted(str(f["id"]) for f in fc["features"])
        sources = pd.read_csv(io.BytesIO(zf.read("sources.csv")), dtype=str, keep_default_na=False)
        assert sorted(sources["id"]) == sorted(load_sources())
        readme = zf.read("README.txt").decode("utf-8")
        assert "articles: pike-spectator" in readme and "CC BY 4.0" in readme and "evidence_quotes" in readme
    _, csv_body = download(page, "events.csv")
    assert "evidence_quotes" in csv_body.decode("utf-8").splitlines()[0]
    _, readme_body = download(page, "README.txt")
    assert readme_body.decode("utf-8") == readme
    json.loads(download(page, "claims.geojson")[1])
