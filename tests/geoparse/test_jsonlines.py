"""The JSON Lines writer: byte for byte json.dumps of the records, short lines on a 3 MB line."""

from __future__ import annotations

import io
import json

import pytest

from geodata.geoparse import MAX_SENTENCE, parse_to_records, write_json_lines
from geodata.geoparse.evaluate import seed_documents, trap_documents


def _dumped(text: str, **kw) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in parse_to_records(text, **kw))


@pytest.mark.parametrize("sentences", [True, False])
def test_write_json_lines_is_json_dumps_byte_for_byte(sentences):
    docs, _ = trap_documents()
    docs.update(seed_documents())
    texts = list(docs.values()) + ["Riots in \"Taraz\"\tand Almaty.\x01\nKazakh \u2028police in Alma-Ata."]
    for text in texts:
        for context in (None, ["KZ"], ["RU", "FR"]):
            out = io.StringIO()
            n = write_json_lines(text, out, context=context, sentences=sentences)
            assert out.getvalue() == _dumped(text, context=context, sentences=sentences)
            assert n == out.getvalue().count("\n") > 0


def test_one_line_of_three_megabytes_has_short_records():
    text = "Protesters marched in Almaty, " * 100_000  # one 3 MB line, 100,000 mentions

    class Sink:
        lines = longest = 0

        def write(self, chunk: str) -> None:
            for line in chunk.splitlines():
                self.lines += 1
                self.longest = max(self.longest, len(line))

    sink = Sink()
    assert write_json_lines(text, sink) == 100_000 == sink.lines
    assert sink.longest < MAX_SENTENCE + 400  # each record holds at most one capped sentence
    first = json.loads(_dumped(text[:300]).splitlines()[0])
    assert first["sentence"] == text[first["sentence_start"]:first["sentence_end"]]
