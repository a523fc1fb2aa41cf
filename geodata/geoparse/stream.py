"""Geoparsing a text file of any size in bounded memory, with the same JSON Lines as the whole file.

:func:`geodata.geoparse.write_json_lines` holds the whole text, every hit and every mention at
once (about 550 MB for 50 MB of news). :func:`stream_json_lines` reads the file in blocks of
about ``block_chars`` characters cut at blank lines, and writes byte for byte what
``write_json_lines`` writes for the whole file, offsets counted from the start of the file.

Resolution weighs the places the *whole* document names (a "Petropavlovsk" in a text about
Kazakhstan is Petropavl), so one pass cannot decide a name before the end of the file. Two
passes over the file: the first recognises names block by block, adds up the document's context
counts (:func:`geodata.resolution.context_counts`, a few hundred keys) and spills each block's
hits to a temporary file (24 bytes a hit); the second reads the text again and resolves, renders
and writes each block's hits with those counts. Names are recognised once, and what is decided
per distinct name (its candidates, its scores, its serialised place) is kept in one memo for the
whole document, as the whole-file parse keeps it. Memory is one block, its hits and the distinct
names, not the file; time is the whole-file parse's plus decoding the file twice.

Why the blocks give the whole file's answer: each block is parsed inside a window with
:data:`MARGIN` characters of the text on either side, and keeps the hits that start in the
block. No name spans a blank line, a blank line ends a sentence, and everything the geoparser
looks at around a name (the sentence start, the capitalised phrase before it, "… regions"
after it, the all-capitals window) lies within the margin. A text with no blank line for
``2 * block_chars`` characters is cut at a line break, then at white space: there a sentence
longer than the margin could, in principle, be cut differently (never seen in the tests).

Input follows the rules of :func:`geodata.geoparse.textinput.decode_text` (UTF-8 with or without BOM,
UTF-16 with BOM; binary, UTF-32, other encodings and empty text refused with one line), with
no size limit. Every error is found by the first pass, before anything is written.
"""

from __future__ import annotations

import codecs
import io
import re
import shlex
import tempfile
from array import array
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, TextIO

from geodata.errors import InputError
from geodata.geoparse.index import default_index
from geodata.geoparse.jsonlines import render_lines, write_bytes
from geodata.geoparse.recognition import recognise
from geodata.geoparse.resolution import context_counts, resolve
from geodata.geoparse.sentences import Sentences
from geodata.geoparse.textinput import looks_cp1251

__all__ = ["DEFAULT_BLOCK_CHARS", "MARGIN", "stream_json_lines"]

DEFAULT_BLOCK_CHARS = 1_000_000
MARGIN = 2_000  # > MAX_SENTENCE and any "X, Y and Z regions" list the recogniser looks ahead over
_READ_BYTES = 1 << 20
_SEARCH = 2  # a block ends within [block_chars, _SEARCH * block_chars) of its start
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE = re.compile(r"\n")
_SPACE = re.compile(r"\s")


def _decoded_chunks(path: Path, where: str) -> Iterator[str]:
    """The file's text in chunks, decoded by the project's rules (see the module docstring)."""
    file_arg = shlex.quote(str(path))
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{where}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a directory; give a text file") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror}); check its permissions") from None
    with fh:
        head = fh.read(4)
        if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
            raise InputError(f"{where}: is UTF-32; convert it to UTF-8: iconv -f utf-32 -t utf-8 {file_arg}")
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")("strict")
        seen = 0
        data = head
        while True:
            more = fh.read(_READ_BYTES)
            data += more
            final = not more
            if not utf16 and b"\x00" in data:
                raise InputError(f"{where}: looks binary (contains NUL bytes); give a plain text file")
            try:
                text = decoder.decode(data, final)
            except UnicodeDecodeError as exc:
                if utf16:
                    raise InputError(f"{where}: has a UTF-16 byte-order mark but is not valid UTF-16; "
                                     f"convert it to UTF-8: iconv -f utf-16 -t utf-8 {file_arg}") from None
                hint = (f"it looks like Windows Cyrillic (cp1251): iconv -f cp1251 -t utf-8 {file_arg} > {file_arg}.utf8"
                        if looks_cp1251(data) else
                        f"convert it to UTF-8, e.g. iconv -f <its encoding> -t utf-8 {file_arg} > {file_arg}.utf8")
                raise InputError(f"{where}: is not UTF-8 (byte {seen + exc.start}); {hint}") from None
            seen += len(data)
            if text:
                yield text
            if final:
                return
            data = b""


def _cut(buf: str, lo: int, hi: int) -> int:
    """Where to end a block inside ``buf[lo:hi]``: after its last blank line, else its last line
    break, else its last white space, else at ``hi``."""
    for pattern in (_BLANK_LINE, _LINE, _SPACE):
        last = None
        for last in pattern.finditer(buf, lo, hi):
            pass
        if last is not None:
            return last.end()
    return hi


def _windows(chunks: Iterable[str], block_chars: int) -> Iterator[tuple[int, int, int, str]]:
    """``(window_start, block_start, block_end, window_text)`` in text order; offsets absolute.

    The window is the block with up to :data:`MARGIN` characters of text on either side.
    """
    buf, buf_start, block_start = "", 0, 0
    chunks = iter(chunks)
    done = False
    while True:
        # Enough text for a block, a search for its cut, and the margin after it.
        while not done and len(buf) - (block_start - buf_start) < _SEARCH * block_chars + MARGIN:
            piece = next(chunks, None)
            if piece is None:
                done = True
            else:
                buf += piece
        rel = block_start - buf_start
        if done and len(buf) - rel <= _SEARCH * block_chars:
            end = len(buf)  # the rest of the text is the last block
        else:
            end = _cut(buf, rel + block_chars, rel + _SEARCH * block_chars)
        yield buf_start, block_start, buf_start + end, buf[:end + MARGIN]
        if end >= len(buf):
            return
        block_start = buf_start + end
        keep = max(0, end - MARGIN)  # the margin before the next block stays
        buf, buf_start = buf[keep:], buf_start + keep


def _block_hits(window: str, offset: int, start: int, end: int, index, memo: dict) -> list[tuple]:
    """The hits of the window that start in the block ``[start, end)`` (window offsets)."""
    lo, hi = start - offset, end - offset
    return [h for h in recognise(window, index, memo) if lo <= h[0] < hi]


class _Spill:
    """The hits of every block, kept in a temporary file between the two passes.

    A hit is three 64-bit numbers: its start and end in its window and the number of its
    :class:`~geodata.geoparse.recognition.Name` (or demonym code) in ``whats``; 24 bytes of disk a
    hit, and nothing in memory but the distinct names.
    """

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.counts: list[int] = []
        self.whats: list = []
        self._ids: dict = {}

    def add(self, hits: list[tuple]) -> None:
        ids, whats = self._ids, self.whats
        found = list(map(itemgetter(2), hits))
        for what in set(found).difference(ids):  # a number for each name not met before (any order will do)
            ids[what] = len(whats)
            whats.append(what)
        # start, end, number of every hit, interleaved (map and zip: no Python code per hit)
        array("q", chain.from_iterable(zip(map(itemgetter(0), hits), map(itemgetter(1), hits),
                                           map(ids.__getitem__, found)))).tofile(self.file)
        self.counts.append(len(hits))

    def blocks(self) -> Iterator[list[tuple]]:
        """Each block's hits again, in the order they were added."""
        self.file.seek(0)
        whats = self.whats
        for count in self.counts:
            numbers = array("q")
            numbers.fromfile(self.file, 3 * count)
            yield list(zip(numbers[0::3], numbers[1::3], map(whats.__getitem__, numbers[2::3])))

    def close(self) -> None:
        self.file.close()


def stream_json_lines(path: str | Path, out: TextIO | BinaryIO, *, context: Iterable[str] | None = None, sentences: bool = True,
                      block_chars: int = DEFAULT_BLOCK_CHARS) -> int:
    """Write the place mentions of a text file of any size to ``out`` as JSON Lines.

    Parameters
    ----------
    path : str or Path
        A text file (read twice, so not standard input).
    out : TextIO or binary stream
        Where the lines go: a text stream, or a binary one (``sys.stdout.buffer``, a file opened
        ``"wb"``), which gets them as UTF-8 without a str per line (the faster way).
    context : iterable of str, optional
        As for :func:`geodata.geoparse.parse`.
    sentences : bool
        As for :func:`geodata.geoparse.write_json_lines`.
    block_chars : int
        About how many characters are parsed at once; memory grows with it, not with the file.

    Returns
    -------
    int
        The number of lines written.

    Raises
    ------
    InputError
        One line naming the file and what is wrong (found before anything is written).

    Notes
    -----
    The lines are byte for byte those of ``write_json_lines(read_text_input(path), out)``.
    """
    path = Path(path)
    where = str(path)
    if block_chars < 1:
        raise InputError(f"block size {block_chars}: give a positive number of characters")
    index = default_index()
    ctx = context_counts([], context)
    memo: dict = {}  # one per document: each distinct name is recognised, scored and serialised once
    binary = isinstance(out, (io.RawIOBase, io.BufferedIOBase))
    blank = True
    spill = _Spill()
    try:
        for offset, start, end, window in _windows(_decoded_chunks(path, where), block_chars):
            blank = blank and not window[start - offset:end - offset].strip()
            hits = _block_hits(window, offset, start, end, index, memo)
            for key, n in context_counts(hits).items():
                ctx[key] = ctx.get(key, 0) + n
            spill.add(hits)
        if blank:
            raise InputError(f"{where}: is empty; give a text with some words")
        written = 0
        windows = _windows(_decoded_chunks(path, where), block_chars)
        for (offset, _, _, window), hits in zip(windows, spill.blocks()):
            mentions = resolve(window, hits, ctx, Sentences(window), index, memo)
            if binary:
                write_bytes(out, window, mentions, sentences, offset, memo)
            else:
                for chunk in render_lines(window, mentions, sentences, offset, memo):
                    out.write(chunk)
            written += len(mentions)
    finally:
        spill.close()
    return written
