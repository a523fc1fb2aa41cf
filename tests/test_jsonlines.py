"""JSON Lines output: byte-equal to json.dumps, with or without sentences, in one process or two."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from geodata.errors import DataError
from geodata.geoparse import parse_to_records, write_json_lines
from geodata.jsonlines import SPLIT_MIN, _receive, split_point

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from make_bench_corpus import build  # noqa: E402  (seed paragraphs, shuffled: real news text)

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="two processes need os.fork")


@pytest.fixture(scope="module")
def long_text() -> str:
    text = build(SPLIT_MIN + 200_000)
    assert len(text) >= SPLIT_MIN and "\n\n" in text
    return text


def _dumped(text: str, **kw) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in parse_to_records(text, **kw))


@pytest.mark.parametrize("sentences", [True, False])
def test_lines_are_json_dumps_of_the_records(sentences):
    text = "Riots in \"Taraz\"\tand Almaty.\x01\nKazakh \u2028police in Alma-Ata. Talks in Geneva and Paris."
    out = io.StringIO()
    n = write_json_lines(text, out, sentences=sentences, context=["KZ"])
    assert out.getvalue() == _dumped(text, sentences=sentences, context=["KZ"]) and n == 6
    recs = [json.loads(line) for line in out.getvalue().split("\n")[:-1]]  # not splitlines: "\u2028" is raw
    assert all(("sentence" in r) == sentences and r["sentence_start"] <= r["start"] for r in recs)


def test_without_sentences_the_spans_still_point_at_them():
    text = "Gunfire in Almaty. Kazakh police returned."
    with_text, without = parse_to_records(text), parse_to_records(text, sentences=False)
    assert [dict(r, sentence=text[r["sentence_start"]:r["sentence_end"]]) for r in without] == with_text


@pytest.mark.parametrize(
    "text, expected",
    [("a" * 10 + "\n\n" + "b" * 10, 12),            # the blank line past the middle
     ("a" * 4 + "\n\n" + "b" * 20, 6),              # none past the middle: the one before it
     ("a" * 10 + "\n \n\t" + "b" * 10, None),       # white space on the "blank" line: not "\n\n"
     ("a" * 10 + "\n\n  \n" + "b" * 10, 15),        # the cut skips all white space after it
     ("one line, no paragraphs " * 10, None),
     ("text ends with a blank line\n\n", None)],
)
def test_split_point(text, expected):
    cut = split_point(text)
    assert cut == expected
    if cut is not None:
        assert text[cut - 2:cut].isspace() and not text[cut].isspace()


@needs_fork
@pytest.mark.parametrize("sentences", [True, False])
def test_two_processes_write_the_same_bytes(long_text, sentences):
    one, two = io.StringIO(), io.StringIO()
    n1 = write_json_lines(long_text, one, sentences=sentences, context=["KZ"], jobs=1)
    n2 = write_json_lines(long_text, two, sentences=sentences, context=["KZ"], jobs=2)
    assert one.getvalue() == two.getvalue() and n1 == n2 == one.getvalue().count("\n") > 10_000


@needs_fork
def test_two_processes_write_bytes_to_a_binary_stdout(long_text, tmp_path):
    path = tmp_path / "out.jsonl"
    with open(path, "w", encoding="utf-8") as fh:  # a real file: the child's part goes to its buffer
        n = write_json_lines(long_text, fh, jobs=2)
    expected = io.StringIO()
    write_json_lines(long_text, expected, jobs=1)
    assert path.read_text(encoding="utf-8") == expected.getvalue() and n == expected.getvalue().count("\n")


def test_short_text_stays_in_one_process():
    text = "Riots in Almaty.\n\nTroops in Taraz.\n"
    assert len(text) < SPLIT_MIN
    pid = os.getpid()
    out = io.StringIO()
    write_json_lines(text, out, jobs=2)
    assert os.getpid() == pid and out.getvalue() == _dumped(text)


def test_a_worker_that_stops_early_is_an_error():
    read, write = os.pipe()
    os.close(write)  # what the parent sees when the child died before sending its counts
    with os.fdopen(read, "rb") as fh, pytest.raises(DataError, match="--jobs 1"):
        _receive(fh)
