"""Every candidate city set Pike's claim can be counted on, and the verdict sentence.

A :class:`CandidateSet` is a named list of gazetteer ids with where it comes from: derived from
the seed articles (``from_seeds``), from city size or administrative status (no citation
needed: our own data), from the official record (a :class:`Citation`, ``from_seeds`` False;
``geodata/data/official_sets.toml``), or from a user's CSV of names (:func:`user_set`). Names
resolve through the gazetteer to places in Kazakhstan; what does not resolve is kept in
``unresolved``, one :class:`Unresolved` per name, never dropped silently.

:func:`verdict_text` turns a :class:`~geodata.claims.records.PikeResult` into the page's
"Verdict: ..." sentence; :attr:`PikeResult.holds` is the boolean behind it.
"""

from __future__ import annotations

import csv
import functools
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geodata.claims.pike import CANDIDATE_SETS, violence_city_ids, violent_city
from geodata.claims.records import PikeResult
from geodata.errors import DataError, InputError
from geodata.gazetteer import load_gazetteer

__all__ = [
    "DEFAULT_CANDIDATE_SET",
    "CandidateSet",
    "Citation",
    "Unresolved",
    "candidate_ids",
    "candidate_sets",
    "official_sets",
    "parse_candidates_csv",
    "resolve_names",
    "user_set",
    "verdict_text",
]

OFFICIAL_SETS_PATH = Path(__file__).resolve().parent.parent / "data" / "official_sets.toml"
DEFAULT_CANDIDATE_SET = "19 largest cities (GeoNames population)"
USER_SET_NAME = "your list"
MAX_CSV_BYTES = 200_000
# How much closer than the base rate the candidates must be before the count says something
# beyond geography (percentage points of the share within the threshold).
BEYOND_GEOGRAPHY_POINTS = 0.10
SEED_VIOLENCE_SET = "cities the seeds tie to violence"
_FROM_SEEDS = {SEED_VIOLENCE_SET}


@dataclass(frozen=True, kw_only=True)
class Citation:
    """Where an outside set was published: facts about the publication, never a quote."""

    publisher: str
    date: str
    title: str
    url: str
    what: str
    checked: str
    also_named: str = ""

    def line(self) -> str:
        """One line: publisher, date, title, where published."""
        return f"{self.publisher}, {self.date}: {self.title}. Published at {self.url}"


@dataclass(frozen=True, kw_only=True)
class Unresolved:
    """A name that did not become a Kazakh city: ``reason`` is "unknown", "ambiguous" or "outside Kazakhstan"."""

    line: int
    name: str
    reason: str
    detail: str = ""

    def message(self) -> str:
        """One line for the page and stderr, naming the line number."""
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.name!r} {self.reason}{': ' + self.detail if self.detail else ''}"


@dataclass(frozen=True, kw_only=True)
class CandidateSet:
    """A named list of candidate cities and where it comes from.

    ``ids`` are gazetteer ids (unique, in the order given); ``citation`` is ``None`` for sets
    derived from our own data or the seeds; ``from_seeds`` says whether the seed articles are
    the source; ``unresolved`` lists the names that did not resolve; ``names`` the names as given.
    ``user_sources`` are the user's sources whose coded events join the set (the violence set with a
    store), ``user_cities`` the cities only those events add.
    """

    name: str
    ids: tuple[str, ...]
    citation: Citation | None
    from_seeds: bool
    unresolved: tuple[Unresolved, ...] = ()
    names: tuple[str, ...] = field(default=())
    user_sources: tuple[str, ...] = ()
    user_cities: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """A short label: from the seed articles (and the user's sources), our data, the official record, you."""
        if self.from_seeds and self.user_sources:
            n, k = len(self.user_sources), len(self.user_cities)
            added = f"{k} cit{'ies' if k != 1 else 'y'}" if k else "no city"
            return f"from the seed articles and {n} user source{'s' if n != 1 else ''}, which add {added}"
        if self.from_seeds:
            return "from the seed articles"
        if self.citation is not None:
            return "from the official record, not from the seed articles"
        if self.name == USER_SET_NAME:
            return "your list, not from the seed articles"
        return "from GeoNames and the curated regions, not from the seed articles"


def resolve_names(names: list[tuple[int, str]]) -> tuple[tuple[str, ...], tuple[Unresolved, ...]]:
    """Resolve ``(line, name)`` pairs to Kazakh city ids.

    A name resolves to the best Kazakh city among its gazetteer candidates. It is "unknown" if
    the gazetteer has no such name (close matches are suggested), "outside Kazakhstan" if every
    candidate lies abroad, and "ambiguous" if several Kazakh cities hold the name equally well
    (same name rank: e.g. three towns named Aksu), with the choices.

    Returns
    -------
    tuple
        ``(ids, unresolved)``: ids unique in first-seen order, and one :class:`Unresolved` per name.
    """
    gz = load_gazetteer()
    ids: dict[str, None] = {}
    bad: list[Unresolved] = []
    for line, name in names:
        scored = gz.scored_candidates(name)
        kz = [(k, p) for k, p in scored if p.country == "KZ" and p.kind == "city"]
        if not scored:
            close = gz.close_matches(name)
            bad.append(Unresolved(line=line, name=name, reason="unknown",
                                  detail=f"close matches: {', '.join(close)}" if close else "check the spelling"))
        elif not kz:
            p = scored[0][1]
            bad.append(Unresolved(line=line, name=name, reason="outside Kazakhstan",
                                  detail=f"the gazetteer reads it as {p.name} ({p.kind}, {p.country}); give a Kazakh city"))
        else:
            best = kz[0][0][0]
            tied = [p for k, p in kz if k[0] == best]
            if len(tied) > 1:
                choices = "; ".join(f"{p.name} {p.id} (pop. {p.population:,})" for p in tied[:5])
                bad.append(Unresolved(line=line, name=name, reason="ambiguous",
                                      detail=f"{len(tied)} Kazakh cities: {choices}; give a gazetteer id instead"))
            else:
                ids.setdefault(kz[0][1].id, None)
    return tuple(ids), tuple(bad)


def parse_candidates_csv(text: str | bytes) -> list[tuple[int, str, str]]:
    """Parse a user's list of cities: ``name[,note]`` per line, optional header ``name,note``.

    Blank lines and lines starting with ``#`` are skipped; fields may be quoted; a UTF-8 BOM is
    ignored. Returns ``(line number, name, note)`` per city.

    Raises
    ------
    InputError
        If the bytes are not UTF-8, the input is too large, a line has more than two fields,
        or there is no name at all.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_CSV_BYTES:
            raise InputError(f"the list is {len(text):,} bytes; give at most {MAX_CSV_BYTES:,} bytes (one city a line)")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"the list is not UTF-8 (byte {exc.start}); save it as UTF-8 and try again") from None
    text = text.lstrip("\ufeff")
    rows: list[tuple[int, str, str]] = []
    for n, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in fields]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) > 2 and any(cells[2:]):
            raise InputError(f"line {n}: {len(cells)} fields; give name[,note] (quote a note that holds commas)")
        if not rows and [c.lower() for c in cells[:2]] in (["name"], ["name", "note"]):
            continue  # the header
        if not cells[0]:
            raise InputError(f"line {n}: the name is empty; give name[,note]")
        rows.append((n, cells[0], cells[1] if len(cells) > 1 else ""))
    if not rows:
        raise InputError("the list names no city; give one name a line, e.g. Almaty")
    return rows


def user_set(text: str | bytes) -> CandidateSet:
    """A :class:`CandidateSet` from a user's CSV (see :func:`parse_candidates_csv`).

    A cell may also be the gazetteer id of a Kazakh city (``gn:1526384``), which is how an
    ambiguous name is settled. Cities keep the user's order; repeats count once.
    """
    gz = load_gazetteer()
    ids: dict[str, None] = {}
    bad: list[Unresolved] = []
    rows = parse_candidates_csv(text)
    for line, name, _ in rows:
        if gz.has(name) and gz.get(name).country == "KZ" and gz.get(name).kind == "city":
            ids.setdefault(name, None)
            continue
        got, missing = resolve_names([(line, name)])
        ids.update(dict.fromkeys(got))
        bad.extend(missing)
    return CandidateSet(name=USER_SET_NAME, ids=tuple(ids), citation=None, from_seeds=False, unresolved=tuple(bad),
                        names=tuple(name for _, name, _ in rows))


def _read_official(path: Path) -> list[dict]:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: missing; restore it from git") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}); fix the syntax at that line") from None
    sets = raw.get("set", [])
    for i, s in enumerate(sets):
        for key in ("key", "label", "publisher", "date", "title", "url", "what", "names", "checked", "from_seeds"):
            if key not in s:
                raise DataError(f"{path}: set {i + 1} ({s.get('key', '?')}) lacks {key!r}; add it")
        if s["from_seeds"] is not False:
            raise DataError(f"{path}: set {s['key']}: from_seeds must be false (these sets come from outside the seeds)")
    return sets


@functools.cache
def official_sets(path: Path = OFFICIAL_SETS_PATH) -> dict[str, CandidateSet]:
    """The official-record sets of ``official_sets.toml``, resolved, by label.

    Raises
    ------
    DataError
        If the file is missing or malformed, or a published name does not resolve.
    """
    out = {}
    for s in _read_official(path):
        read_as = s.get("read_as", {})
        ids, bad = resolve_names([(i + 1, read_as.get(n, n)) for i, n in enumerate(s["names"])])
        if bad:
            raise DataError(f"{path}: set {s['key']}: {bad[0].message()}; add a read_as entry")
        out[s["label"]] = CandidateSet(
            name=s["label"], ids=ids, from_seeds=False, names=tuple(s["names"]),
            citation=Citation(publisher=s["publisher"], date=s["date"], title=s["title"], url=s["url"], what=s["what"],
                              checked=s["checked"], also_named=s.get("also_named", "")),
        )
    return out


@functools.cache
def _builtin_sets() -> dict[str, CandidateSet]:
    return {name: CandidateSet(name=name, ids=tuple(fn()), citation=None, from_seeds=name in _FROM_SEEDS)
            for name, fn in CANDIDATE_SETS.items()}


def candidate_sets(extra_events: tuple[tuple[str, str], ...] = ()) -> dict[str, CandidateSet]:
    """Every named candidate set, the default (the 19 largest cities) first, then the official ones.

    ``extra_events``, ``(type, place id, source id)`` of a user's coded events
    (``geodata.layers.user_violence``; ``(type, place id)`` pairs also do), join the seed
    catalogue's in the set of cities the coded events tie to violence; the set then names the
    user's sources that add to it (:attr:`CandidateSet.origin`).
    """
    built = dict(_builtin_sets())
    if extra_events:
        ids = tuple(violence_city_ids(extra_events))
        seeds = set(built[SEED_VIOLENCE_SET].ids)
        sources = sorted({ev[2] for ev in extra_events if len(ev) > 2 and violent_city(ev[0], ev[1]) is not None})
        built[SEED_VIOLENCE_SET] = CandidateSet(name=SEED_VIOLENCE_SET, ids=ids, citation=None, from_seeds=True,
                                                user_sources=tuple(sources),
                                                user_cities=tuple(i for i in ids if i not in seeds))
    order = [DEFAULT_CANDIDATE_SET, *[n for n in built if n != DEFAULT_CANDIDATE_SET]]
    return {**{n: built[n] for n in order}, **official_sets()}


def candidate_ids(name: str, extra_events: tuple[tuple[str, str], ...] = ()) -> list[str]:
    """The place ids of a named candidate set (see :func:`candidate_sets`, also for ``extra_events``)."""
    sets = candidate_sets(extra_events)
    if name not in sets:
        raise InputError(f"unknown candidate set {name!r}; choose one of: {', '.join(sets)}")
    return list(sets[name].ids)


def _km(x: float) -> str:
    return f"{x:,.0f} km" if x >= 10 else f"{x:,.1f} km"


def verdict_text(result: PikeResult, neighbour_set_name: str, candidate_set_name: str, *, slider_max_km: float | None = None) -> str:
    """The verdict on Pike's claim at one setting, as one plain-text sentence starting ``Verdict:``.

    Parameters
    ----------
    result : PikeResult
        The count at the current threshold, border set and candidate set.
    neighbour_set_name, candidate_set_name : str
        How the borders and the cities are named to the reader.
    slider_max_km : float, optional
        The largest threshold a user can pick; beyond it the share counts as never reached there.

    Returns
    -------
    str
        Says whether the claim holds at these settings, with the live numbers, where Pike's
        share is first reached and the base rate there.

    Examples
    --------
    >>> from geodata.claims import NEIGHBOUR_SETS, candidate_ids, pike_check
    >>> r = pike_check(100, NEIGHBOUR_SETS["all land borders"], candidate_ids(DEFAULT_CANDIDATE_SET))
    >>> verdict_text(r, "all land borders", DEFAULT_CANDIDATE_SET).split(".")[0]
    'Verdict: does not hold at these settings'
    """
    share = f"{result.needed} of {result.total}" + ("" if result.total == 19 else f" (Pike's 15 of 19 scaled to {result.total})")
    where = (f"Within {_km(result.threshold_km)} of the chosen borders ({neighbour_set_name}), {result.count} of the "
             f"{result.total} cities in “{candidate_set_name}” are close")
    first = result.claim_holds_from_km
    base_first = f"{result.base_rate_at_claim_threshold:.0%} of all {result.n_all_cities} Kazakh cities"
    if result.holds:
        close_share = result.count / result.total
        geo = ("so the count says little beyond geography" if close_share <= result.base_rate_cities + BEYOND_GEOGRAPHY_POINTS
               else "so these cities are closer to the borders than Kazakh cities in general")
        return (f"Verdict: holds at these settings. {where}, at least Pike's share of {share}. But "
                f"{result.base_rate_cities:.0%} of all {result.n_all_cities} Kazakh cities lie as close, {geo}. "
                f"His share is first reached at {_km(first)}, where {base_first} already lie.")
    if slider_max_km is not None and first > slider_max_km:
        reach = (f"His share is not reached within {_km(slider_max_km)}: it takes {_km(first)}, "
                 f"where {base_first} lie.")
    else:
        reach = f"His share is first reached at {_km(first)}, where {base_first} already lie."
    return f"Verdict: does not hold at these settings. {where}, short of Pike's share of {share}. {reach}"

