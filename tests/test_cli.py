"""The geocode contract (one JSON object, border distances in Kazakhstan, one-line errors) and geoparse options."""

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


# --- geoparse: the command's options ---------------------------------------------------------

def _geoparse(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "geodata", "geoparse", *args], capture_output=True, cwd=ROOT,
                          input=None if stdin is None else stdin.encode("utf-8"))


def test_geoparse_prints_sentences_unless_told_not_to():
    text = "Riots in Almaty. Troops reached Nur-Sultan.\n"
    full, bare = _geoparse("-", stdin=text), _geoparse("-", "--no-sentences", stdin=text)
    assert full.returncode == bare.returncode == 0, full.stderr + bare.stderr
    with_text = [json.loads(line) for line in full.stdout.decode().splitlines()]
    without = [json.loads(line) for line in bare.stdout.decode().splitlines()]
    assert [r["sentence"] for r in with_text] == ["Riots in Almaty.", "Troops reached Nur-Sultan."]
    assert [dict(r, sentence=text[r["sentence_start"]:r["sentence_end"]]) for r in without] == with_text
