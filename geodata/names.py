"""Place-name normalisation and the stop list shared by the gazetteer and the geoparser.

Names compare case-, accent-, hyphen- and apostrophe-insensitively: "Alma-Ata", "alma ata" and
"ALMA ATA" are one key; "Gur'yev" and "Guryev" are one key; "Qarağandı" matches "Qaragandi".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

__all__ = ["normalize_name", "is_latin_or_cyrillic", "stop_names", "STOPNAMES_PATH"]

STOPNAMES_PATH = Path(__file__).resolve().parent / "data" / "stopnames.txt"

# Letters NFKD does not decompose into base + mark.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"})
# Apostrophe-like marks vanish ("Gur'yev" == "Guryev"); dashes and dots separate words.
_DROP = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u02b9\u0060\u00b4\u2032]")
_SEP = re.compile(r"[\s\-\u2010-\u2015_./,()]+")


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Return the comparison key of a place name.

    Parameters
    ----------
    name : str
        Any spelling, e.g. ``"Alma-Ata"``.

    Returns
    -------
    str
        Lower-case, accent-free, words separated by single spaces: ``"alma ata"``.

    Examples
    --------
    >>> normalize_name("Ust-Kamenogorsk") == normalize_name("ust kamenogorsk")
    True
    >>> normalize_name("Gur’yev")
    'guryev'
    """
    s = unicodedata.normalize("NFKD", name.translate(_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _DROP.sub("", s.casefold())
    return _SEP.sub(" ", s).strip()


def is_latin_or_cyrillic(name: str) -> bool:
    """Whether every letter of ``name`` is Latin or Cyrillic (the scripts our texts use)."""
    for ch in name:
        if ch.isalpha():
            script = unicodedata.name(ch, "")
            if not (script.startswith("LATIN") or script.startswith("CYRILLIC")):
                return False
    return True


@functools.cache
def stop_names() -> frozenset[str]:
    """Normalised names that are never read as places on their own (ordinary words, demonyms).

    Kept as data in ``geodata/data/stopnames.txt``: one name per line, ``#`` starts a comment.
    """
    if not STOPNAMES_PATH.exists():
        return frozenset()
    out = set()
    for line in STOPNAMES_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(normalize_name(line))
    return frozenset(out)
