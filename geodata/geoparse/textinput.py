"""Reading a text the user hands us (a file or standard input), refusing what is not text.

UTF-8 (with or without a byte-order mark) and UTF-16 with a BOM are decoded. Everything else
gets one line saying what is wrong and how to fix it: binary files, UTF-32, UTF-16 without a
BOM (named), UTF-8 with a few stray bytes (the first one's offset), other encodings (Windows
Cyrillic when the bytes clearly read as it, the usual case for Kazakh and Russian news saved on
Windows; otherwise charset-normalizer's guess, called a guess), FIFOs and devices, empty text,
and input over the size limit.
"""

from __future__ import annotations

import re
import shlex
import stat
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
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise _refuse(where, f"max_bytes must be a positive whole number, not {max_bytes!r}")
    if path_or_dash == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(path_or_dash)
        if path.is_dir():
            raise _refuse(where, "is a directory; give a text file")
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise _refuse(where, "no such file; check the path") from None
        except OSError as exc:
            raise _refuse(where, f"cannot be read ({exc.strerror}); check its permissions") from None
        if not stat.S_ISREG(mode):
            # opening a FIFO with no writer waits forever; a device can be endless (/dev/zero)
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
            raise _refuse(where, f"is {kind}, not a regular file; save the text to a file, or pipe it in: "
                                 f"python -m geodata geoparse - < {shlex.quote(str(path_or_dash))}")
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


STRAY_BYTES = 8  # at most this many bad bytes (or 1 %) in otherwise UTF-8 text: stray bytes, not another encoding


def guess_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most plausible for ``data`` (Python codec name), or None."""
    from charset_normalizer import from_bytes  # imported on the error path only

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def _reads_as_text(data: bytes, codec: str) -> bool:
    """Whether ``data`` decoded as ``codec`` is mostly Latin, Greek or Cyrillic letters, digits, punctuation, spaces.

    charset-normalizer calls short binary UTF-16 too ("\\x00\\x01binary"); texts the atlas reads are in
    scripts below U+0500, so at least 90 % of the characters must be there.
    """
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    ok = sum(1 for c in text if (c.isprintable() or c in "\t\n\r") and ord(c) < 0x500)
    return bool(text) and ok >= 0.9 * len(text)


def _iconv_name(codec: str) -> str:
    """A Python codec name as iconv spells it: ``utf_16_le`` -> ``UTF-16LE``, ``cp1251`` -> ``CP1251``."""
    name = codec.upper().replace("_", "-")
    return name[:-3] + name[-2:] if name.endswith(("-LE", "-BE")) else name


def _not_utf8(data: bytes, exc: UnicodeDecodeError, file_arg: str) -> str:
    """Why ``data`` is not UTF-8, naming the encoding only as honestly as the bytes allow."""
    bad = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    if bad <= max(STRAY_BYTES, len(data) // 100):
        return (f"is not valid UTF-8 at byte {exc.start} ({bad} bad byte{'s' if bad != 1 else ''} in otherwise "
                f"UTF-8 text); remove them (iconv -f utf-8 -t utf-8 -c {file_arg} > {file_arg}.utf8) or, if the file "
                f"is in another encoding, convert it: iconv -f <its encoding> -t utf-8 {file_arg} > {file_arg}.utf8")
    codec = "cp1251" if looks_cp1251(data) else guess_encoding(data)
    if codec is None:
        return (f"is not UTF-8 (byte {exc.start}); convert it to UTF-8, "
                f"e.g. iconv -f <its encoding> -t utf-8 {file_arg} > {file_arg}.utf8")
    label = "Windows Cyrillic (cp1251)" if codec == "cp1251" else f"{_iconv_name(codec)} (a guess)"
    return (f"is not UTF-8 (byte {exc.start}); it looks like {label}: "
            f"iconv -f {_iconv_name(codec).lower()} -t utf-8 {file_arg} > {file_arg}.utf8")


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
        codec = guess_encoding(data)
        if codec and codec.startswith(("utf_16", "utf_32")) and _reads_as_text(data, codec):
            raise _refuse(where, f"is {_iconv_name(codec)} without a byte-order mark; convert it to UTF-8: "
                                 f"iconv -f {_iconv_name(codec)} -t utf-8 {file_arg} > {file_arg}.utf8")
        raise _refuse(where, "looks binary (contains NUL bytes); give a plain text file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse(where, _not_utf8(data, exc, file_arg)) from None
    if not text.strip():
        raise _refuse(where, "is empty; give a text with some words")
    return text
