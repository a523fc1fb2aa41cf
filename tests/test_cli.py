"""The command line in-process (the ``cli`` fixture of conftest.py): the geocode contract, one-line
errors with exit status 1, geoparse's input checks and options, export and claims.

tests/test_entry_point.py runs the few checks that need a real ``python -m geodata`` process.
"""

import json

import pytest

# --- geocode -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected_id, nearest", [
    ("Alma-Ata", "gn:1526384", "Kyrgyzstan"),
    ("Janaozen", "gn:607610", "Turkmenistan"),
    ("Petropavlovsk", "gn:1520172", "Russia"),
])
def test_geocode_prints_the_contract(cli, name, expected_id, nearest):
    r = cli("geocode", name)
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"name", "kind", "country", "lat", "lon", "id"} <= set(out)
    assert out["id"] == expected_id and out["country"] == "KZ"
    border = out["border"]
    assert border["nearest"] == nearest
    assert border["km"] == min(border["by_neighbour"].values())
    assert set(border["by_neighbour"]) == {"China", "Kyrgyzstan", "Russia", "Turkmenistan", "Uzbekistan"}


def test_geocode_outside_kazakhstan_has_no_border(cli):
    out = json.loads(cli("geocode", "Moscow").stdout)
    assert out["country"] == "RU" and "border" not in out


def _one_line_error(r, *needles):
    assert r.code == 1, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("args, expect", [
    (("geocode", "Zhanaosen"), "close matches: Zhanaozen"),
    (("geocode", ""), "empty place name"),
    (("geocode",), "empty place name"),
    (("geocode", "Qwxzptl"), "no place named"),
])
def test_geocode_errors_are_one_line(cli, args, expect):
    _one_line_error(cli(*args), expect)


# --- geoparse: input ---------------------------------------------------------------------------

BAD_FILES = [
    ("binary.bin", bytes(range(256)) * 4, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n", "empty"),
    ("cp1251.txt", "Протесты в Алматы".encode("cp1251"), "iconv"),
    ("utf16-no-bom.txt", "Protests in Almaty".encode("utf-16-le"), "UTF-16LE without a byte-order mark"),
]


@pytest.mark.parametrize("name, data, needle", BAD_FILES)
def test_geoparse_refuses_bad_files_in_one_line(cli, tmp_path, name, data, needle):
    path = tmp_path / name
    path.write_bytes(data)
    _one_line_error(cli("geoparse", str(path)), str(path), needle)


def test_geoparse_missing_file_and_directory(cli, tmp_path):
    _one_line_error(cli("geoparse", str(tmp_path / "nope.txt")), "no such file")
    _one_line_error(cli("geoparse", str(tmp_path)), "directory")


def test_geoparse_caps_size_when_told_and_says_how_to_raise_it(cli, tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # 50 MB of text, the size the issue names: refused only under a cap
        chunk = b"Protests spread to Almaty and Taraz. " * 1000
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    _one_line_error(cli("geoparse", str(path), "--max-bytes", "10000000"), "larger than 10,000,000 bytes")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_geoparse_decodes_text_with_a_bom(cli, tmp_path, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes("Riots in Alma-Ata and Taraz.".encode(encoding))
    r = cli("geoparse", str(path))
    assert r.code == 0, r.stderr
    assert [json.loads(line)["id"] for line in r.lines()] == ["gn:1526384", "gn:1516905"]


def test_geoparse_keeps_html_as_text_and_offsets_exact(cli):
    text = "<script>alert(1)</script> Riots in Taraz <img src=x onerror=alert(2)>"
    r = cli("geoparse", "-", stdin=text)
    assert r.code == 0, r.stderr
    recs = [json.loads(line) for line in r.lines()]
    assert [x["text"] for x in recs] == ["Taraz"]
    assert text[recs[0]["start"] : recs[0]["end"]] == "Taraz" and recs[0]["sentence"] == text


def test_geoparse_very_long_line(cli, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Protesters marched in Almaty, " * 100_000, encoding="utf-8")  # one 3 MB line
    r = cli("geoparse", str(path))
    assert r.code == 0 and r.stdout.count("\n") == 100_000


# --- geoparse: options -------------------------------------------------------------------------

def test_geoparse_prints_sentences_unless_told_not_to(cli):
    text = "Riots in Almaty. Troops reached Nur-Sultan.\n"
    full, bare = cli("geoparse", "-", stdin=text), cli("geoparse", "-", "--no-sentences", stdin=text)
    assert full.code == bare.code == 0, full.stderr + bare.stderr
    with_text = [json.loads(line) for line in full.lines()]
    without = [json.loads(line) for line in bare.lines()]
    assert [r["sentence"] for r in with_text] == ["Riots in Almaty.", "Troops reached Nur-Sultan."]
    assert [dict(r, sentence=text[r["sentence_start"]:r["sentence_end"]]) for r in without] == with_text


def test_geoparse_max_bytes_option_raises_the_limit(cli, tmp_path):
    path = tmp_path / "small.txt"
    path.write_bytes(b"Riots in Taraz. " * 10)  # 160 bytes
    _one_line_error(cli("geoparse", str(path), "--max-bytes", "100"), "larger than 100 bytes")
    assert cli("geoparse", str(path), "--max-bytes", "160").code == 0


def test_geoparse_streams_a_large_file_with_the_same_output(cli, root, monkeypatch):
    """Above STREAM_FROM_BYTES a file is parsed in blocks (bounded memory), byte for byte the same."""
    import geodata.cli

    seed = sorted((root / "seeds").glob("*.txt"), key=lambda p: p.stat().st_size)[-1]
    whole = cli("geoparse", str(seed))
    monkeypatch.setattr(geodata.cli, "STREAM_FROM_BYTES", 1000)
    streamed = cli("geoparse", str(seed))
    assert whole.code == streamed.code == 0 and whole.stdout and streamed.stdout == whole.stdout
    # an explicit --max-bytes still refuses a larger file, streamed or not
    _one_line_error(cli("geoparse", str(seed), "--max-bytes", "1001"), "larger than 1,001 bytes")


def test_geoparse_accepts_a_file_over_the_old_10_mb_cap_by_default(cli, tmp_path, monkeypatch):
    import geodata.cli

    monkeypatch.setattr(geodata.cli, "STREAM_FROM_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("Riots in Taraz.\n\n" * 2000, encoding="utf-8")  # 34 KB, over the patched threshold
    result = cli("geoparse", str(path), "--no-sentences")
    assert result.code == 0 and len(result.lines()) == 2000


# --- export and claims -------------------------------------------------------------------------

def test_export_to_a_file_path_is_one_line_error(cli, tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    _one_line_error(cli("export", str(f)), "is a file")


def test_export_to_an_unwritable_place_is_one_line_error(cli):
    _one_line_error(cli("export", "/proc/qantar-atlas-test"), "cannot create")  # /proc refuses new directories, even for root


def test_claims_prints_a_json_array(cli):
    r = cli("claims")
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"id", "statement", "evidence", "measured", "value", "unit", "verdict", "method", "caveats"} <= set(data[0])


def test_usage_errors_exit_2(cli):
    r = cli("geoparse")  # the path is missing
    assert r.code == 2 and "usage:" in r.stderr and r.stdout == ""


def test_core_commands_are_every_command_but_the_packages_own():
    # geodata.cli names its core commands once more (to skip importing the store and the corpus
    # for them); a command added to the parser but not to that set would import both again.
    from geodata.cli import _CORE_COMMANDS, _PACKAGE_COMMANDS, build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == _CORE_COMMANDS | set(_PACKAGE_COMMANDS)
    assert not _CORE_COMMANDS & set(_PACKAGE_COMMANDS)
    for command in _CORE_COMMANDS:  # each core command's own parser holds no package command
        core_sub = next(a for a in build_parser(command)._actions if a.dest == "command")
        assert set(core_sub.choices) == _CORE_COMMANDS
