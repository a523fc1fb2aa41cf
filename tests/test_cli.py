"""The geocode contract: one JSON object, border distances in Kazakhstan, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "geodata", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("name, expected_id, nearest", [
    ("Alma-Ata", "gn:1526384", "Kyrgyzstan"),
    ("Janaozen", "gn:607610", "Turkmenistan"),
    ("Petropavlovsk", "gn:1520172", "Russia"),
])
def test_geocode_prints_the_contract(name, expected_id, nearest):
    r = run("geocode", name)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"name", "kind", "country", "lat", "lon", "id"} <= set(out)
    assert out["id"] == expected_id and out["country"] == "KZ"
    border = out["border"]
    assert border["nearest"] == nearest
    assert border["km"] == min(border["by_neighbour"].values())
    assert set(border["by_neighbour"]) == {"China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan"}


def test_geocode_outside_kazakhstan_has_no_border():
    out = json.loads(run("geocode", "Moscow").stdout)
    assert out["country"] == "RU" and "border" not in out


@pytest.mark.parametrize("args, expect", [
    (("geocode", "Zhanaosen"), "close matches: Zhanaozen"),
    (("geocode", ""), "empty place name"),
    (("geocode",), "empty place name"),
    (("geocode", "Qwxzptl"), "no place named"),
])
def test_geocode_errors_are_one_line(args, expect):
    r = run(*args)
    assert r.returncode == 1 and r.stdout == ""
    assert expect in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
