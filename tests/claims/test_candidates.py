"""Candidate city sets, the user's CSV, the official record and the verdict sentence (geodata.claims.candidates)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodata.claims import (DEFAULT_CANDIDATE_SET, NEIGHBOUR_SETS, candidate_ids, candidate_sets, official_sets,
                            parse_candidates_csv, pike_check, user_set, verdict_text)
from geodata.errors import InputError
from geodata.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parents[2]
ALL, FOUR = "all land borders", "Pike's four (all but Russia)"
PGO = "9 cities with attacked buildings (Prosecutor General's Office, 25 Jan 2022)"
TASS = "11 cities with protests by 4-5 Jan (TASS, 5 Jan 2022)"


def _names(ids) -> list[str]:
    gz = load_gazetteer()
    return [gz.get(i).name for i in ids]


def test_default_set_is_the_19_largest_cities_first_in_the_list():
    sets = candidate_sets()
    assert next(iter(sets)) == DEFAULT_CANDIDATE_SET
    largest = sets[DEFAULT_CANDIDATE_SET]
    assert len(largest.ids) == 19 and largest.citation is None and not largest.from_seeds
    assert _names(largest.ids)[:3] == ["Almaty", "Astana", "Shymkent"]
    assert sets["cities the seeds tie to violence"].from_seeds


SHYMKENT, TARAZ, ALMATY = "gn:1518980", "gn:1516905", "gn:1526384"
VIOLENCE = "cities the seeds tie to violence"


@pytest.mark.parametrize("extra, origin", [
    ((), "from the seed articles"),
    # a riot in Shymkent (not in the seeds' set) from one source, and another source's riot in Almaty (already in it)
    ((("riot", SHYMKENT, "user-a"), ("riot", ALMATY, "user-b")),
     "from the seed articles and 2 user sources, which add 1 city"),
    ((("riot", ALMATY, "user-b"),), "from the seed articles and 1 user source, which add no city"),
    # an arrest is not violence: the source adds nothing to the set and is not counted
    ((("arrest", TARAZ, "user-c"),), "from the seed articles"),
    ((("riot", SHYMKENT),), "from the seed articles"),  # (type, place) pairs: no source to count
])
def test_the_violence_set_says_where_its_cities_come_from(extra, origin):
    s = candidate_sets(extra)[VIOLENCE]
    assert s.origin == origin and s.from_seeds
    assert (SHYMKENT in s.ids) is any(e[:2] == ("riot", SHYMKENT) for e in extra)


@pytest.mark.parametrize("label, names", [
    (PGO, ["Almaty", "Taldykorgan", "Taraz", "Shymkent", "Kyzylorda", "Ust-Kamenogorsk", "Aktobe", "Atyrau", "Semey"]),
    (TASS, ["Zhanaozen", "Aktau", "Almaty", "Atyrau", "Aktobe", "Oral", "Taraz", "Shymkent", "Kyzylorda", "Karagandy",
            "Astana"]),
])
def test_official_sets_resolve_every_published_name_and_carry_their_citation(label, names):
    s = official_sets()[label]
    assert _names(s.ids) == names
    assert s.from_seeds is False and s.unresolved == ()
    assert s.citation.url.startswith("https://") and s.citation.date.startswith("2022-01-")
    assert s.citation.publisher and s.citation.title and "Verified" in s.citation.checked
    assert "not from the seed articles" in s.origin
    assert candidate_ids(label) == list(s.ids)


def test_official_sets_file_says_what_was_not_verified():
    text = (ROOT / "geodata" / "data" / "official_sets.toml").read_text(encoding="utf-8")
    assert text.count("\nfrom_seeds = false") == 2 and text.count("Not verified") == 2
    assert "Talodikorgan" in text  # the publication's spelling is kept, and read as Taldykorgan


@pytest.mark.parametrize("text, expected", [
    ("Almaty\nTaraz\n", [(1, "Almaty", ""), (2, "Taraz", "")]),
    ("name,note\nAlmaty,airport\n\n  Taraz  \n", [(2, "Almaty", "airport"), (4, "Taraz", "")]),
    ('\ufeffname\n"Nur-Sultan","capital, renamed"\n# a comment\n', [(2, "Nur-Sultan", "capital, renamed")]),
    (b"Almaty\r\nSemey\r\n", [(1, "Almaty", ""), (2, "Semey", "")]),
    ("Almaty,,\n", [(1, "Almaty", "")]),
])
def test_csv_parsing_table(text, expected):
    assert parse_candidates_csv(text) == expected


@pytest.mark.parametrize("text, message", [
    ("", "names no city"),
    ("name,note\n\n", "names no city"),
    ("Almaty,a,b\n", "line 1: 3 fields"),
    ("Almaty\n,note only\n", "line 2: the name is empty"),
    (b"\xff\xfeA\x00", "not UTF-8"),
    (b"x" * 300_000, "at most"),
])
def test_csv_errors_are_one_line(text, message):
    with pytest.raises(InputError) as err:
        parse_candidates_csv(text)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_user_set_reports_unknown_ambiguous_and_foreign_names_each_on_its_own_line():
    s = user_set("name,note\nAlmaty\nQwertyville\nAksu\nMoscow\ngn:1524298\nAlmaty\n")
    assert _names(s.ids) == ["Almaty", "Aksu"]  # the id settles Aksu; the repeat counts once
    reasons = {(u.line, u.name): u.reason for u in s.unresolved}
    assert reasons == {(3, "Qwertyville"): "unknown", (4, "Aksu"): "ambiguous", (5, "Moscow"): "outside Kazakhstan"}
    messages = [u.message() for u in s.unresolved]
    assert all("\n" not in m and m.startswith("line ") for m in messages)
    assert "gn:1524298" in messages[1]  # the choices are listed


def test_a_curated_name_beats_same_named_small_towns():
    assert _names(user_set("Aktau\nUralsk\nAlma-Ata\n").ids) == ["Aktau", "Oral", "Almaty"]


@pytest.mark.parametrize("km, borders, holds", [(100, ALL, False), (230, ALL, True), (900, FOUR, True), (800, FOUR, False)])
def test_verdict_at_settings(km, borders, holds):
    r = pike_check(km, NEIGHBOUR_SETS[borders], candidate_ids(DEFAULT_CANDIDATE_SET))
    text = verdict_text(r, borders, DEFAULT_CANDIDATE_SET, slider_max_km=1000)
    assert r.holds is holds
    assert text.startswith("Verdict: holds" if holds else "Verdict: does not hold")
    assert f"{r.count} of the 19 cities" in text and f"{r.claim_holds_from_km:,.0f} km" in text
    assert f"{r.base_rate_at_claim_threshold:.0%}" in text and "\n" not in text


def test_verdict_says_when_the_share_is_beyond_the_slider():
    r = pike_check(500, NEIGHBOUR_SETS["Turkmenistan only"], candidate_ids(DEFAULT_CANDIDATE_SET))
    assert r.claim_holds_from_km > 1000
    assert "not reached within 1,000 km" in verdict_text(r, "Turkmenistan only", DEFAULT_CANDIDATE_SET, slider_max_km=1000)


def test_the_issue_numbers_hold_221_km_and_74_percent_888_km():
    ids = candidate_ids(DEFAULT_CANDIDATE_SET)
    full, four = pike_check(221, NEIGHBOUR_SETS[ALL], ids), pike_check(888.4, NEIGHBOUR_SETS[FOUR], ids)
    assert full.count == 15 and round(full.claim_holds_from_km) == 221 and round(full.base_rate_at_claim_threshold * 100) == 74
    assert four.holds and round(four.claim_holds_from_km) == 888


def test_cli_candidates_prints_the_count_and_lists_unresolved_names_on_stderr(tmp_path, cli):
    f = tmp_path / "mine.csv"
    f.write_text("name,note\nAlmaty,\nTaraz\nQwertyville\nAksu\n", encoding="utf-8")
    r = cli("claims", "--candidates", str(f), "--km", "250", "--neighbours", "China", "Kyrgyzstan")
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["candidates"]["ids"] == ["gn:1526384", "gn:1516905"]
    assert out["result"]["count"] == 2 and out["result"]["neighbours"] == ["China", "Kyrgyzstan"]
    assert out["verdict"].startswith("Verdict: holds")
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and "line 4: 'Qwertyville' unknown" in lines[0] and "line 5: 'Aksu' ambiguous" in lines[1]


def test_cli_candidates_exits_1_when_nothing_resolves(tmp_path, cli):
    f = tmp_path / "bad.csv"
    f.write_text("Qwertyville\nMoscow\n", encoding="utf-8")
    r = cli("claims", "--candidates", str(f))
    assert r.code == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines()[-1].startswith("error: claims: no name in bad.csv resolved")


def test_cli_candidates_with_a_named_border_set_and_stdin(cli):
    r = cli("claims", "--candidates", "-", "--km", "900", "--neighbours", FOUR, stdin="Almaty\nShymkent\n")
    assert r.code == 0 and json.loads(r.stdout)["neighbour_set"] == FOUR


def test_cli_candidates_rejects_an_unknown_border(cli):
    r = cli("claims", "--candidates", "-", "--neighbours", "Mongolia", stdin="Almaty\n")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
