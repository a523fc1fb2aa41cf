"""Recognition: ordinary words stay untagged, demonyms are their own kind."""

from __future__ import annotations

import re

import pytest

from geodata.geoparse import parse
from geodata.geoparse.evaluate import TRAP_DIR


@pytest.mark.parametrize(
    "word",
    ["Most", "March", "Along", "Of", "Orange", "Mir", "Union", "Nur Otan", "Reading", "Nice", "Arman", "Price",
     "May", "Temir", "Dana", "Kremlin", "Hunter", "Ashford", "Monday"],
)
def test_trap_words_are_not_tagged(word):
    text = (TRAP_DIR / "trap_01_ordinary_words.txt").read_text(encoding="utf-8")
    text += (TRAP_DIR / "trap_03_context.txt").read_text(encoding="utf-8")
    assert word in text
    tagged = [m for m in parse(text) if m.kind != "demonym"]
    assert not [m.text for m in tagged if re.search(rf"\b{word}\b", m.text) or m.text in word.split()], word


def test_demonyms_are_their_own_kind():
    kinds = {m.text: (m.kind, m.place.id) for m in parse("Kazakh and Russian officials met Chinese envoys.")}
    assert kinds == {"Kazakh": ("demonym", "country:KZ"), "Russian": ("demonym", "country:RU"),
                     "Chinese": ("demonym", "country:CN")}
