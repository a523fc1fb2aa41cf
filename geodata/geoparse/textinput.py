"""Reading a text the user hands us (a file or standard input), refusing what is not text.

UTF-8 (with or without a byte-order mark) and UTF-16 with a BOM are decoded. Everything else
gets one line saying what is wrong and how to fix it: binary files, UTF-32, other encodings
(named when the bytes clearly read as Windows Cyrillic, the usual case for Kazakh and
Russian news saved on Windows), empty text, and input over the size limit.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from geodata.errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "read_text_input"]

DEFAULT_MAX_BYTES = 10_000_000
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_MIXED = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def _refuse(where: str, what: str) -> InputError:
    return InputError(f"{where}: {what}")


def read_text_input(path_or_dash: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a text file (or standard input for ``"-"``) for parsing, refusing what is not text.

    Parameters
    ----------
    path_or_dash : str
        A file path, or ``"-"`` for standard input.
    max_bytes : int
        Larger input is refused (the CLI's ``--max-bytes``).

    Returns
    -------
    str
        The decoded text, without a byte-order mark.

    Raises
    ------
    InputError
        One line naming the file, what is wrong and how to fix it.
    """
    where = "standard input" if path_or_dash == "-" else str(path_or_dash)
    if path_or_dash == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(path_or_dash)
        if path.is_dir():
            raise _refuse(where, "is a directory; give a text file")
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise _refuse(where, "no such file; check the path") from None
        except OSError as exc:
            raise _refuse(where, f"cannot be read ({exc.strerror}); check its permissions") from None
    file_arg = "FILE" if path_or_dash == "-" else shlex.quote(str(path_or_dash))
    return decode_text(data, where, max_bytes, file_arg=file_arg,
                       size_hint="split it, or raise the limit with --max-bytes N")


def looks_cp1251(data: bytes) -> bool:
    """Whether non-UTF-8 ``data`` reads as Windows Cyrillic text.

    Decoded as cp1251, Cyrillic text gives words of Cyrillic letters; Latin-1 or cp1252 text
    ("Caf\\xe9") gives single Cyrillic letters glued to Latin ones ("Cafй"). So: at least three
    Cyrillic letters, words of two letters or more on average, and hardly any Latin-Cyrillic
    neighbours.
    """
    decoded = data.decode("cp1251", errors="replace")
    runs = _CYRILLIC_RUN.findall(decoded)
    letters = sum(map(len, runs))
    if letters < 3 or letters < 2 * len(runs):
        return False
    return len(_MIXED.findall(decoded)) <= 0.05 * letters


def _conversion_hint(data: bytes, file_arg: str) -> str:
    if looks_cp1251(data):
        return f"it looks like Windows Cyrillic (cp1251): iconv -f cp1251 -t utf-8 {file_arg} > {file_arg}.utf8"
    return f"convert it to UTF-8, e.g. iconv -f <its encoding> -t utf-8 {file_arg} > {file_arg}.utf8"


def decode_text(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES, *, file_arg: str | None = None,
                size_hint: str = "split it into smaller files") -> str:
    """Decode bytes a user handed us (a file, an upload) as text, refusing what is not text.

    Parameters
    ----------
    data : bytes
        The raw bytes.
    name : str
        Names the input in messages (a path, an uploaded file's name).
    max_bytes : int
        Larger input is refused.
    file_arg : str, optional
        How to name the file in the suggested ``iconv`` command (default: ``name``, shell-quoted).
    size_hint : str
        How to fix an input over the limit.

    Returns
    -------
    str
        The decoded text, without a byte-order mark.

    Raises
    ------
    InputError
        One line naming the input, what is wrong and how to fix it.

    Examples
    --------
    >>> decode_text("Almaty".encode(), "a.txt")
    'Almaty'
    """
    where = name
    if file_arg is None:
        file_arg = shlex.quote(name)
    if len(data) > max_bytes:
        raise _refuse(where, f"larger than {max_bytes:,} bytes; {size_hint}")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _refuse(where, f"is UTF-32; convert it to UTF-8: iconv -f utf-32 -t utf-8 {file_arg}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(where, "has a UTF-16 byte-order mark but is not valid UTF-16; "
                                 f"convert it to UTF-8: iconv -f utf-16 -t utf-8 {file_arg}") from None
    elif b"\x00" in data:
        raise _refuse(where, "looks binary (contains NUL bytes); give a plain text file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse(where, f"is not UTF-8 (byte {exc.start}); {_conversion_hint(data, file_arg)}") from None
    if not text.strip():
        raise _refuse(where, "is empty; give a text with some words")
    return text
