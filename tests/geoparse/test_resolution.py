"""Resolution: historic names, and the document's context choosing between places of one name."""

from __future__ import annotations

import pytest

from geodata.geoparse import parse
from geodata.geoparse.evaluate import TRAP_DIR


@pytest.mark.parametrize(
    "name, place_id",
    [("Alma-Ata", "gn:1526384"), ("Tselinograd", "gn:1526273"), ("Akmolinsk", "gn:1526273"), ("Guryev", "gn:610529"),
     ("Uralsk", "gn:608668"), ("Janaozen", "gn:607610"), ("Semipalatinsk", "gn:1519422"), ("Chimkent", "gn:1518980"),
     ("Dzhambul", "gn:1516905"), ("Aktyubinsk", "gn:610611"), ("Petropavlovsk", "gn:1520172")],
)
def test_historic_names_resolve(name, place_id):
    text = (TRAP_DIR / "trap_02_historic_names.txt").read_text(encoding="utf-8")
    found = {m.text: m.place.id for m in parse(text)}
    assert found[name] == place_id


def test_document_context_resolves_ambiguous_names():
    kz = parse("Troops left Almaty, Taraz and Shymkent. Unrest also hit Aktau and Temirtau.")
    assert {m.text: m.place.id for m in kz}["Temirtau"] == "gn:1518262"  # Karaganda's, not the Russian village
    m = [m for m in parse("Talks were held in Geneva and Paris.") if m.text == "Paris"][0]
    assert m.place.country == "FR" and len(m.alternatives) >= 2
