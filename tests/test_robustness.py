"""Bad input gets one specific line and a non-zero exit; the span verifier never crashes."""

import codecs
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.errors import DataError
from geodata.sources import document_text, verify_evidence

ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "geodata", *args], capture_output=True, cwd=ROOT, input=stdin)


def _one_line_error(r, *needles):
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1, err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    for n in needles:
        assert n in err, err
    assert r.stdout == b""


BAD_FILES = [
    ("binary.bin", bytes(range(256)) * 4, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n", "empty"),
    ("cp1251.txt", "Протесты в Алматы".encode("cp1251"), "iconv"),
    ("utf16-no-bom.txt", "Protests in Almaty".encode("utf-16-le"), "binary"),
]


@pytest.mark.parametrize("name, data, needle", BAD_FILES)
def test_geoparse_refuses_bad_files_in_one_line(tmp_path, name, data, needle):
    path = tmp_path / name
    path.write_bytes(data)
    _one_line_error(run("geoparse", str(path)), str(path), needle)


def test_geoparse_missing_file_and_directory(tmp_path):
    _one_line_error(run("geoparse", str(tmp_path / "nope.txt")), "no such file")
    _one_line_error(run("geoparse", str(tmp_path)), "directory")


def test_geoparse_caps_size_and_says_how_to_raise_it(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # 50 MB of text, the size the issue names
        chunk = b"Protests spread to Almaty and Taraz. " * 1000
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    _one_line_error(run("geoparse", str(path)), "larger than")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_geoparse_decodes_text_with_a_bom(tmp_path, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes("Riots in Alma-Ata and Taraz.".encode(encoding))
    r = run("geoparse", str(path))
    assert r.returncode == 0, r.stderr
    assert b'"gn:1526384"' in r.stdout and b'"gn:1516905"' in r.stdout


def test_geoparse_keeps_html_as_text_and_offsets_exact():
    text = "<script>alert(1)</script> Riots in Taraz <img src=x onerror=alert(2)>"
    r = run("geoparse", "-", stdin=text.encode("utf-8"))
    assert r.returncode == 0
    import json

    recs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [x["text"] for x in recs] == ["Taraz"]
    assert text[recs[0]["start"] : recs[0]["end"]] == "Taraz" and recs[0]["sentence"] == text


def test_geoparse_very_long_line(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Protesters marched in Almaty, " * 100_000, encoding="utf-8")  # one 3 MB line
    r = run("geoparse", str(path))
    assert r.returncode == 0 and r.stdout.count(b"\n") == 100_000


@given(st.text(max_size=200), st.integers(-5, 20_000), st.integers(-5, 20_000))
@settings(max_examples=300, deadline=None)
def test_span_verifier_accepts_only_exact_slices(quote, start, end):
    doc = "004_94b04064989387af.txt"
    ev = {"source_id": "eurasia-notes-13", "document": doc, "start": start, "end": end, "quote": quote}
    text = document_text(doc)
    exact = 0 <= start <= end <= len(text) and text[start:end] == quote
    try:
        verify_evidence(ev, "prop")
    except DataError as exc:
        assert not exact or start == end, exc
        assert "\n" not in str(exc)
    else:
        assert text[start:end] == quote


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_span_verifier_finds_any_real_substring(seed):
    doc = "003_2ee7cf247be66df0.txt"
    text = document_text(doc)
    i = abs(hash(seed)) % (len(text) - 50)
    quote = text[i : i + 1 + len(seed) % 40]
    ev = verify_evidence({"source_id": "chaos-in-kazakhstan", "document": doc, "start": i, "end": i + len(quote), "quote": quote}, "prop")
    assert ev.quote == quote
