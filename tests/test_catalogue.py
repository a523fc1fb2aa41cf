"""The coded catalogue: loads clean, every quote re-verifies, broken copies fail loudly."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib.util
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from geodata.catalogue import (
    CATALOGUE_DIR,
    CatalogueError,
    Problem,
    check_catalogue,
    filter_events,
    load_catalogue,
    parse_catalogue,
    read_tables,
)
from geodata.errors import DataError, InputError
from geodata.schemas import EVENT_TYPES, RECORDS, SCHEMAS, Event, Figure, TroopMovement, json_schema
from geodata.sources import Evidence, EvidenceError, verify_evidence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _load_script():
    spec = importlib.util.spec_from_file_location("locate_quote", ROOT / "scripts" / "locate_quote.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture()
def tables():
    return copy.deepcopy(read_tables(CATALOGUE_DIR))


def all_entries(cat):
    return [*cat.events, *cat.troops, *cat.figures]


def test_loads_clean_with_expected_sizes(cat):
    assert 20 <= len(cat.events) <= 45
    assert len(cat.troops) == 6
    assert len(cat.figures) >= 20
    for table in (cat.events, cat.troops, cat.figures):
        ids = [e.id for e in table]
        assert ids == sorted(ids)


def test_every_entry_has_evidence(cat):
    assert all(len(e.evidence) >= 1 for e in all_entries(cat))


def test_every_span_reverifies_from_the_raw_bytes(cat):
    """Independent of geodata.sources: re-read the files, decode, slice, and check the source span."""
    catalogue = tomllib.loads((SEEDS / "sources.toml").read_text(encoding="utf-8"))
    spans = {s["id"]: s["spans"] for s in catalogue["source"]}
    texts = {}
    n = 0
    for entry in all_entries(cat):
        for ev in entry.evidence:
            if ev.document not in texts:
                texts[ev.document] = (SEEDS / ev.document).read_bytes().decode("utf-8")
            assert texts[ev.document][ev.start : ev.end] == ev.quote, (entry.id, ev)
            assert any(
                s["document"] == ev.document and s["start"] <= ev.start and ev.end <= s["end"] for s in spans[ev.source_id]
            ), (entry.id, ev.source_id)
            n += 1
    assert n > 100


def test_facts_in_both_pike_copies_cite_both(cat):
    for entry in all_entries(cat):
        docs = {e.document for e in entry.evidence if e.source_id == "pike-spectator"}
        assert docs in (set(), {"000_971d1b4a5d098b73.txt", "001_460d591629f0a55e.txt"}), entry.id


def test_event_types_counted(cat):
    counts = Counter(e.type for e in cat.events)
    assert set(counts) <= set(EVENT_TYPES)
    # Known answers from the hand coding; a change here should be deliberate.
    assert counts["protest"] == 6
    assert counts["claim"] == 6
    assert counts["armed_clash"] == 5
    assert counts["dismissal"] == 4
    assert counts["deployment"] == 1
    assert counts["communications_shutdown"] == 1
    assert sum(counts.values()) == len(cat.events)


@pytest.mark.parametrize(
    ("entry_id", "place", "start", "end"),
    [
        ("csto-clears-taraz", "gn:1516905", "2022-01-06", "2022-01-07"),
        ("taldykorgan-statue-toppled", "gn:1518542", "2022-01-02", "2022-01-07"),
        ("almaty-airport-seized", "landmark:almaty-airport", "2022-01-02", "2022-01-07"),
        ("kok-tobe-tower-attack-repulsed", "landmark:kok-tobe-tower", "2022-01-02", "2022-01-07"),
        ("intelligence-head-sacked", "country:KZ", "2022-01-06", "2022-01-06"),
        ("csto-virtual-meeting", "country:KZ", "2022-01-10", "2022-01-10"),
        ("organised-groups-seize-weapons", "country:KZ", "2022-01-04", "2022-01-04"),
        ("cabinet-sacked", "country:KZ", "2022-01-03", "2022-01-09"),
        ("atyrau-reported-peaceful", "gn:610529", "2022-01-07", "2022-01-07"),
    ],
)
def test_known_events(cat, entry_id, place, start, end):
    e = cat.get(entry_id)
    assert (e.place, e.date_start.isoformat(), e.date_end.isoformat()) == (place, start, end)


def test_denied_weapons_import_keeps_claimant_apart(cat):
    e = cat.get("nur-sultan-weapons-import-reports")
    assert e.status == "denied"
    assert e.claimant == "videos on Twitter"
    assert e.source_ids == ("eurasia-notes-13",)


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("arrested", {(8000, ""), (3811, "Interior Ministry")}),
        ("law_enforcement_killed", {(7, ""), (18, "television reports")}),
        ("troops_deployed", {(2500, ""), (5000, ""), (150, "")}),
    ],
)
def test_conflicting_figures_side_by_side(cat, metric, expected):
    got = {(f.value, f.claimant) for f in cat.figures if f.metric == metric}
    assert got == expected


def test_word_only_figure_has_no_value(cat):
    f = cat.get("killed-dozens-chaos")
    assert (f.value, f.qualifier) == (None, "dozens")
    assert cat.get("troops-eurasia-notes-russia-up-to-5000").qualifier == "up to"


def test_troops_cover_all_five_contributors(cat):
    contributors = {t.contributor for t in cat.troops}
    assert {"Russia", "Belarus", "Armenia", "Tajikistan", "Kyrgyzstan"} <= contributors
    russia = cat.get("troops-russia")
    assert set(russia.sizes) == {"troops-pike-2500", "troops-eurasia-notes-russia-up-to-5000"}
    assert "stand-in" in russia.origin_note
    taraz = cat.get("troops-csto-into-taraz")
    assert (taraz.destination, taraz.date_start, taraz.date_end) == ("gn:1516905", dt.date(2022, 1, 6), dt.date(2022, 1, 7))


@pytest.mark.parametrize(
    ("date_from", "date_to", "sources", "types", "must", "must_not"),
    [
        ("2022-01-10", "2022-01-10", None, None, {"csto-virtual-meeting", "massimov-detained-for-treason"}, {"intelligence-head-sacked", "cabinet-sacked"}),
        (None, "2022-01-03", None, None, {"protests-erupt-across-kazakhstan"}, {"organised-groups-seize-weapons"}),
        (None, None, ["hahn-corr"], None, {"coup-attempt-claim"}, {"atyrau-reported-peaceful"}),
        (None, None, None, ["arrest"], {"dikii-arman-group-detained", "massimov-detained-for-treason"}, {"cabinet-sacked"}),
        (dt.date(2022, 1, 6), dt.date(2022, 1, 6), ["eurasia-notes-13"], ["security_operation"], {"csto-clears-taraz"}, {"csto-peacekeepers-deployed"}),
    ],
)
def test_filter_events(cat, date_from, date_to, sources, types, must, must_not):
    ids = {e.id for e in filter_events(cat.events, date_from, date_to, sources, types)}
    assert must <= ids
    assert not must_not & ids


def test_filter_events_rejects_bad_date_as_user_input(cat):
    # The same parser and message as the CLI's --from and the dashboard's URL (geodata.dates).
    with pytest.raises(InputError, match=r"^date_from: '2022-13-01' is not a date; give YYYY-MM-DD"):
        filter_events(cat.events, date_from="2022-13-01")


def _entry(tables, file, entry_id):
    key = {"events.toml": "event", "troops.toml": "troop", "figures.toml": "figure"}[file]
    return next(e for e in tables[file][key] if e["id"] == entry_id)


def _break_bad_date(t):
    _entry(t, "events.toml", "csto-clears-taraz")["date_start"] = "2022-02-30"


def _break_order(t):
    _entry(t, "events.toml", "csto-clears-taraz")["date_end"] = "2022-01-05"


def _break_period(t):
    _entry(t, "events.toml", "cabinet-sacked")["date_start"] = "2021-01-03"


def _break_place(t):
    _entry(t, "events.toml", "atyrau-reported-peaceful")["place"] = "gn:999999999"


def _break_quote(t):
    _entry(t, "events.toml", "taraz-police-buildings-burned")["evidence"][0]["start"] += 1


def _break_duplicate(t):
    _entry(t, "figures.toml", "road-blocks-at-least-70")["id"] = "csto-clears-taraz"


def _break_source(t):
    _entry(t, "events.toml", "atyrau-reported-peaceful")["evidence"][0]["source_id"] = "le-monde"


def _break_outside_span(t):
    # A real quote of 001, but from Pike's repost, attributed to Sciorati whose span ends before it.
    ev = _entry(t, "events.toml", "cabinet-sacked")["evidence"][1]
    ev["source_id"] = "sciorati-ispi"


def _break_missing(t):
    del _entry(t, "troops.toml", "troops-belarus")["origin"]


def _break_type(t):
    _entry(t, "events.toml", "atyrau-reported-peaceful")["type"] = "calm"


def _break_size_ref(t):
    _entry(t, "troops.toml", "troops-russia")["sizes"].append("troops-nowhere")


def _break_value_word(t):
    _entry(t, "figures.toml", "killed-dozens-chaos")["value"] = 36


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_break_bad_date, r"^events\.toml: event 'csto-clears-taraz' field 'date_start': '2022-02-30' is not a real date"),
        (_break_order, r"^events\.toml: event 'csto-clears-taraz' field 'date_end': 2022-01-05 is before date_start 2022-01-06"),
        (_break_period, r"^events\.toml: event 'cabinet-sacked' field 'date_start': 2021-01-03 is outside 2021-12-01\.\.2022-12-31"),
        (_break_place, r"^events\.toml: event 'atyrau-reported-peaceful' field 'place': unknown place id 'gn:999999999'"),
        (
            _break_quote,
            r"^events\.toml: event 'taraz-police-buildings-burned' field 'evidence\[0\]\.quote': does not match "
            r"004_94b04064989387af\.txt\[\d+:\d+\]; the quote is at \[\d+:\d+\]",
        ),
        (_break_duplicate, r"^figures\.toml: figure 'csto-clears-taraz' field 'id': duplicate id, already used in events\.toml"),
        (_break_source, r"^events\.toml: event 'atyrau-reported-peaceful' field 'evidence\[0\]\.source_id': unknown source 'le-monde'"),
        (_break_outside_span, r"^events\.toml: event 'cabinet-sacked' field 'evidence\[1\]': \[\d+:\d+\] of 001_460d591629f0a55e\.txt is outside source 'sciorati-ispi'"),
        (_break_missing, r"^troops\.toml: troop 'troops-belarus' field 'origin': missing"),
        (_break_type, r"^events\.toml: event 'atyrau-reported-peaceful' field 'type': 'calm' is not one of"),
        (_break_size_ref, r"^troops\.toml: troop 'troops-russia' field 'sizes\[2\]': no figure 'troops-nowhere' in figures\.toml"),
        (_break_value_word, r"^figures\.toml: figure 'killed-dozens-chaos' field 'value': a word qualifier \('dozens'\)"),
    ],
    ids=lambda v: v.__name__ if callable(v) else "",
)
def test_broken_copies_fail_with_one_line(tables, breaker, message):
    breaker(tables)
    with pytest.raises(DataError) as info:
        parse_catalogue(tables, origin="broken copy")
    text = str(info.value)
    assert "\n" not in text
    assert re.search(message, text), text
    problems, _ = check_catalogue(tables)
    assert len(problems) == 1, problems


def _set(file, entry_id, key, value, *, evidence=None):
    """A breaker that sets ``key`` of an entry (or of its evidence[evidence]) to ``value``."""

    def breaker(t):
        target = _entry(t, file, entry_id)
        if evidence is not None:
            target = target["evidence"][evidence]
        target[key] = value

    breaker.__name__ = f"{key}={value!r}"
    return breaker


def _drop(file, entry_id, key, *, evidence=None):
    def breaker(t):
        target = _entry(t, file, entry_id)
        del (target if evidence is None else target["evidence"][evidence])[key]

    breaker.__name__ = f"drop_{key}"
    return breaker


# Each kind of bad field the derived schema must reject, with the one line that says so.
@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        # wrong type
        (_set("events.toml", "cabinet-sacked", "description", 5), r"^events\.toml: event 'cabinet-sacked' field 'description': 5 is not of type 'string'$"),
        (_set("troops.toml", "troops-belarus", "contributor", ["Belarus"]), r"^troops\.toml: troop 'troops-belarus' field 'contributor': \['Belarus'\] is not of type 'string'$"),
        (_set("events.toml", "cabinet-sacked", "start", "12", evidence=0), r"^events\.toml: event 'cabinet-sacked' field 'evidence\[0\]\.start': '12' is not of type 'integer'$"),
        (_set("events.toml", "cabinet-sacked", "actors", "Tokayev"), r"^events\.toml: event 'cabinet-sacked' field 'actors': 'Tokayev' is not of type 'array'$"),
        # unknown enum value
        (_set("events.toml", "cabinet-sacked", "status", "rumoured"), r"^events\.toml: event 'cabinet-sacked' field 'status': 'rumoured' is not one of \['reported', 'disputed', 'denied'\]$"),
        (_set("figures.toml", "road-blocks-at-least-70", "qualifier", "roughly"), r"^figures\.toml: figure 'road-blocks-at-least-70' field 'qualifier': 'roughly' is not one of \[''"),
        (_set("troops.toml", "troops-belarus", "date_precision", "week"), r"^troops\.toml: troop 'troops-belarus' field 'date_precision': 'week' is not one of"),
        # bad id, place and date patterns
        (_set("events.toml", "atyrau-reported-peaceful", "id", "Atyrau_Peaceful"), r"^events\.toml: event 'Atyrau_Peaceful' field 'id': 'Atyrau_Peaceful' does not match"),
        (_set("figures.toml", "road-blocks-at-least-70", "event", "Not An Id"), r"^figures\.toml: figure 'road-blocks-at-least-70' field 'event': 'Not An Id' does not match"),
        (_set("events.toml", "cabinet-sacked", "place", "Almaty"), r"^events\.toml: event 'cabinet-sacked' field 'place': 'Almaty' does not match"),
        (_set("figures.toml", "road-blocks-at-least-70", "as_of", "5 Jan 2022"), r"^figures\.toml: figure 'road-blocks-at-least-70' field 'as_of': '5 Jan 2022' does not match"),
        # below a minimum, an empty list
        (_set("figures.toml", "road-blocks-at-least-70", "value", -1), r"^figures\.toml: figure 'road-blocks-at-least-70' field 'value': -1 is less than the minimum of 0$"),
        (_set("events.toml", "cabinet-sacked", "evidence", []), r"^events\.toml: event 'cabinet-sacked' field 'evidence': \[\] should be non-empty$"),
        # missing field
        (_drop("events.toml", "cabinet-sacked", "description"), r"^events\.toml: event 'cabinet-sacked' field 'description': missing; add it"),
        (_drop("events.toml", "cabinet-sacked", "quote", evidence=0), r"^events\.toml: event 'cabinet-sacked' field 'evidence\[0\]\.quote': missing; add it"),
        (_drop("figures.toml", "road-blocks-at-least-70", "value"), r"^figures\.toml: figure 'road-blocks-at-least-70' field 'value': missing; add it"),
        # extra field
        (_set("troops.toml", "troops-belarus", "colour", "red"), r"^troops\.toml: troop 'troops-belarus' field 'colour': unknown field; remove or rename it$"),
        (_set("events.toml", "cabinet-sacked", "page", 3, evidence=1), r"^events\.toml: event 'cabinet-sacked' field 'evidence\[1\]\.page': unknown field; remove or rename it$"),
    ],
    ids=lambda v: v.__name__ if callable(v) else "",
)
def test_schema_rejects_each_kind_of_bad_field(tables, breaker, message):
    breaker(tables)
    problems, _ = check_catalogue(tables)
    assert len(problems) == 1, [str(p) for p in problems]
    assert re.search(message, str(problems[0])), str(problems[0])
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(tables)
    assert str(info.value) == str(problems[0]) and "\n" not in str(info.value)


def test_problems_are_records(tables):
    _break_quote(tables)
    _break_missing(tables)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(tables)
    assert info.value.problems[0] == Problem(
        "events.toml", "event", "taraz-police-buildings-burned", "evidence[0].quote", info.value.problems[0].message
    )
    assert info.value.problems[1] == Problem("troops.toml", "troop", "troops-belarus", "origin", "missing; add it (see the file header)")
    assert str(info.value).endswith("(+1 more; check_catalogue lists them all)")


def test_evidence_error_names_its_field():
    ev = {"source_id": "pike-spectator", "document": "004_94b04064989387af.txt", "start": 0, "end": 3, "quote": "xyz"}
    with pytest.raises(EvidenceError) as info:
        verify_evidence(ev, "here")
    assert (info.value.field, info.value.where) == ("quote", "here")
    assert str(info.value) == f"here.quote: {info.value.problem}"
    assert isinstance(info.value, DataError)


@pytest.mark.parametrize("record", [Event, TroopMovement, Figure, Evidence], ids=lambda r: r.__name__)
def test_each_record_is_declared_once(record):
    """The schema is the dataclass: same fields in the same order, required = no default."""
    schema = json_schema(record)
    fields = dataclasses.fields(record)
    assert list(schema["properties"]) == [f.name for f in fields]
    assert schema["required"] == [f.name for f in fields if f.default is dataclasses.MISSING]
    assert schema["additionalProperties"] is False


def test_files_validate_against_the_derived_schemas():
    assert {file: json_schema(record) for file, (_, _, record) in RECORDS.items()} == SCHEMAS
    assert SCHEMAS["events.toml"]["properties"]["evidence"]["items"] == json_schema(Evidence)
    assert SCHEMAS["figures.toml"]["then"] == {"not": {"required": ["value"]}}


def test_json_schema_refuses_a_type_it_cannot_describe():
    @dataclasses.dataclass
    class Odd:
        weights: dict[str, float]

    with pytest.raises(TypeError, match="no JSON Schema for type"):
        json_schema(Odd)


def test_unchanged_copy_parses(tables):
    assert len(parse_catalogue(tables).events) == len(load_catalogue().events)


def test_load_catalogue_from_a_directory(tmp_path):
    for name in ("events.toml", "troops.toml", "figures.toml"):
        (tmp_path / name).write_bytes((CATALOGUE_DIR / name).read_bytes())
    (tmp_path / "troops.toml").write_text(
        (tmp_path / "troops.toml").read_text(encoding="utf-8").replace('date_end = "2022-01-10"', 'date_end = "2022-01-1"', 1),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"^troops\.toml: troop 'troops-belarus' field 'date_end': '2022-01-1' does not match"):
        load_catalogue(tmp_path)


def test_locate_quote_prints_offsets(capsys):
    lq = _load_script()
    assert lq.main(["004_94b04064989387af.txt", "was reported peaceful"]) == 0
    start, end = map(int, capsys.readouterr().out.split())
    text = (SEEDS / "004_94b04064989387af.txt").read_bytes().decode("utf-8")
    assert text[start:end] == "was reported peaceful"


def test_locate_quote_refuses_ambiguous_without_occurrence(capsys):
    lq = _load_script()
    quote = "Life is returning to normal."
    assert lq.main(["001_460d591629f0a55e.txt", "The Kremlin and Tokayev have accused"]) == 1
    assert "occurs 2 times" in capsys.readouterr().err
    assert lq.main(["001_460d591629f0a55e.txt", quote, "--source", "pike-spectator"]) == 0


def test_fix_restores_zeroed_offsets_byte_for_byte(tmp_path):
    lq = _load_script()
    original = (CATALOGUE_DIR / "troops.toml").read_text(encoding="utf-8")
    broken = re.sub(r"^start = \d+$", "start = 0", original, flags=re.M)
    broken = re.sub(r"^end = \d+\n", "", broken, flags=re.M)
    target = tmp_path / "troops.toml"
    target.write_text(broken, encoding="utf-8")
    changed, problems = lq.fix_file(target)
    assert problems == []
    assert changed == len(re.findall(r"^\[\[troop\.evidence\]\]", original, flags=re.M))
    assert target.read_text(encoding="utf-8") == original


def test_fix_refuses_an_ambiguous_quote(tmp_path):
    lq = _load_script()
    target = tmp_path / "events.toml"
    target.write_text(
        "[[event]]\nid = \"x\"\n\n[[event.evidence]]\nsource_id = \"pike-spectator\"\n"
        "document = \"001_460d591629f0a55e.txt\"\nquote = \"The Kremlin and Tokayev have accused\"\n",
        encoding="utf-8",
    )
    changed, problems = lq.fix_file(target)
    assert changed == 0
    assert len(problems) == 1 and "occurs 2 times" in problems[0]
