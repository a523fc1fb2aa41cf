"""Place mentions in any text: the geoparser.

Public API (everything else in this package is internal and may change):

* :func:`parse` -> list of :class:`Mention`; :func:`parse_to_records` -> plain dicts;
  :func:`write_json_lines` -> the CLI's JSON Lines, fast; :func:`stream_json_lines` -> the same
  lines for a file of any size, in bounded memory;
* :func:`read_text_input` / :func:`decode_text`: user files and uploads to text, with one-line
  errors for binary, empty, oversized or wrongly encoded input;
* :func:`sentence_spans`, :data:`MAX_SENTENCE`, :data:`MIN_CONFIDENCE`.

Inside: :mod:`.recognition` (names found), :mod:`.resolution` (which place each one is),
:mod:`.sentences`, :mod:`.index` (the cached name index), :mod:`.jsonlines` (output),
:mod:`.textinput` (decoding), :mod:`.evaluate` (scores against hand annotations).
"""

from geodata.geoparse.jsonlines import write_json_lines
from geodata.geoparse.parser import Mention, parse, parse_to_records
from geodata.geoparse.resolution import MIN_CONFIDENCE
from geodata.geoparse.sentences import MAX_SENTENCE, sentence_spans
from geodata.geoparse.stream import stream_json_lines
from geodata.geoparse.textinput import DEFAULT_MAX_BYTES, decode_text, read_text_input

__all__ = ["DEFAULT_MAX_BYTES", "MAX_SENTENCE", "MIN_CONFIDENCE", "Mention", "decode_text", "parse", "parse_to_records",
           "read_text_input", "sentence_spans", "stream_json_lines", "write_json_lines"]
