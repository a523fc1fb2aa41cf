"""How well a geoparser finds and places toponyms, against hand-made gold annotations.

Gold files are TSV (``#`` comment lines, then a header ``document start end text place_id
kind``), offsets into the UTF-8 decoded document, end exclusive. Recognition is scored on exact
spans (precision, recall, F1) and, more leniently, on overlapping spans. Resolution is the share
of exactly recognised mentions placed within 161 km (100 miles) of the gold place, measured
geodesically on WGS84 with pyproj.

The main metrics cover kinds ``city, region, country, landmark``. Gold rows of other kinds
(``demonym``, ``macroregion``, ``water``, ``historic``) are *ignored* spans: a prediction on one
is neither right nor wrong. ``include_demonyms=True`` scores demonyms as a fifth kind.

Run ``python3 -m geodata.geoparse.evaluate`` for the report on the seeds, the trap texts and the
real-world texts (``data/evaluation/real_world/``: a tuning part and a held-out part).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable


from geodata.borders import GEOD
from geodata.errors import DataError
from geodata.gazetteer import load_gazetteer
from geodata.geoparse.parser import parse
from geodata.sources import document_text

__all__ = ["AREA_KINDS", "MAIN_KINDS", "GoldSpan", "Scores", "load_gold", "score", "EVALUATION_DATA", "SEED_GOLD", "TRAP_DIR",
           "REAL_WORLD_DIR", "real_world_documents"]

MAIN_KINDS = ("city", "region", "country", "landmark")
AREA_KINDS = ("macroregion", "water", "historic")
ACCURACY_KM = 161.0
EVALUATION_DATA = Path(__file__).resolve().parent.parent / "data" / "evaluation"
SEED_GOLD = EVALUATION_DATA / "seed_toponyms.tsv"
TRAP_DIR = EVALUATION_DATA / "trap_texts"
REAL_WORLD_DIR = EVALUATION_DATA / "real_world"
_COLUMNS = ["document", "start", "end", "text", "place_id", "kind"]


@dataclass(frozen=True)
class GoldSpan:
    """One gold toponym."""
    document: str
    start: int
    end: int
    text: str
    place_id: str
    kind: str


@dataclass(frozen=True)
class Predicted:
    """One predicted mention, as any parser gives it (``lat``/``lon`` may be None)."""
    document: str
    start: int
    end: int
    kind: str = "city"
    place_id: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class Scores:
    """Recognition and resolution counts; the ratios are properties."""
    tp: int = 0
    fp: int = 0
    fn: int = 0
    overlap_tp: int = 0
    resolved: int = 0
    resolvable: int = 0
    false_positives: list | None = None
    misses: list | None = None
    wrong_places: list | None = None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy_161(self) -> float:
        """Share of exactly recognised, resolvable gold mentions placed within 161 km."""
        return self.resolved / self.resolvable if self.resolvable else 0.0

    def summary(self) -> dict:
        """Rounded numbers for reports."""
        return {
            "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "overlap_tp": self.overlap_tp,
            "accuracy_161km": round(self.accuracy_161, 3), "resolved": self.resolved, "resolvable": self.resolvable,
        }


def load_gold(path: Path) -> list[GoldSpan]:
    """Read a gold TSV (see module docstring).

    Raises
    ------
    DataError
        On a missing file, a wrong header or a malformed row (file and line named).
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: gold file missing") from None
    body = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    if not body or body[0][1].split("\t") != _COLUMNS:
        raise DataError(f"{path}: first non-comment line must be the header {' '.join(_COLUMNS)}")
    out = []
    for n, line in body[1:]:
        row = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(row) != len(_COLUMNS):
            raise DataError(f"{path}:{n}: expected {len(_COLUMNS)} tab-separated fields, got {len(row)}")
        try:
            out.append(GoldSpan(row[0], int(row[1]), int(row[2]), row[3], row[4], row[5]))
        except ValueError:
            raise DataError(f"{path}:{n}: start and end must be integers, got {row[1]!r}, {row[2]!r}") from None
    return out


def _gold_point(place_id: str) -> tuple[float, float] | None:
    gz = load_gazetteer()
    if not place_id or not gz.has(place_id):
        return None
    p = gz.get(place_id)
    return p.lon, p.lat


def score(gold: Iterable[GoldSpan], predicted: Iterable[Predicted], *, include_demonyms: bool = False,
          kinds: Iterable[str] | None = None) -> Scores:
    """Score predictions against gold over the documents the gold names.

    Parameters
    ----------
    gold, predicted
        Gold spans and predicted mentions; predictions for documents without gold are ignored.
    include_demonyms : bool
        Score demonyms too (gold and predicted); by default both are left out.
    kinds : iterable of str, optional
        Score only these kinds, gold and predicted (e.g. :data:`AREA_KINDS`); overrides the main kinds.
    """
    only = set(kinds) if kinds is not None else None
    kinds = only or set(MAIN_KINDS) | ({"demonym"} if include_demonyms else set())
    gold = list(gold)
    docs = {g.document for g in gold}
    scored_gold = [g for g in gold if g.kind in kinds]
    ignore = {(g.document, g.start, g.end) for g in gold if g.kind not in kinds}
    preds = [p for p in predicted if p.document in docs and (p.kind != "demonym" or include_demonyms)
             and (only is None or p.kind in only)]
    preds = [p for p in preds if (p.document, p.start, p.end) not in ignore]
    by_span = {(p.document, p.start, p.end): p for p in preds}
    gold_spans = {(g.document, g.start, g.end) for g in scored_gold}
    s = Scores(false_positives=[], misses=[], wrong_places=[])
    for g in scored_gold:
        p = by_span.get((g.document, g.start, g.end))
        if p is None:
            s.fn += 1
            s.misses.append(g)
            if any(q.document == g.document and q.start < g.end and g.start < q.end for q in preds):
                s.overlap_tp += 1
            continue
        s.tp += 1
        s.overlap_tp += 1
        point = _gold_point(g.place_id)
        if point is None or p.lat is None:
            continue
        s.resolvable += 1
        km = GEOD.inv(point[0], point[1], p.lon, p.lat)[2] / 1000
        if km <= ACCURACY_KM:
            s.resolved += 1
        else:
            s.wrong_places.append((g, p.place_id, round(km)))
    for key, p in by_span.items():
        if key not in gold_spans:
            s.fp += 1
            s.false_positives.append(p)
    return s


def geoparse_predictions(documents: dict[str, str]) -> list[Predicted]:
    """Run :func:`geodata.geoparse.parse` over ``{document: text}``."""
    out = []
    for doc, text in sorted(documents.items()):
        for m in parse(text):
            out.append(Predicted(doc, m.start, m.end, m.kind, m.place.id, m.place.lat, m.place.lon))
    return out


def seed_documents() -> dict[str, str]:
    """The seed documents the seed gold covers."""
    return {d: document_text(d) for d in sorted({g.document for g in load_gold(SEED_GOLD)})}


def _text_dir(folder: Path, pattern: str = "*.txt") -> tuple[dict[str, str], list[GoldSpan]]:
    docs, gold = {}, []
    for txt in sorted(folder.glob(pattern)):
        docs[txt.name] = txt.read_text(encoding="utf-8")
        gold += load_gold(txt.with_suffix(".tsv"))
    return docs, gold


def trap_documents() -> tuple[dict[str, str], list[GoldSpan]]:
    """The trap texts and their gold (each ``X.txt`` has ``X.tsv``)."""
    return _text_dir(TRAP_DIR)


def real_world_documents(part: str = "tuning") -> tuple[dict[str, str], list[GoldSpan]]:
    """The real-world texts of one part and their gold: ``"tuning"`` (``rw_*``, looked at while
    tuning) or ``"held_out"`` (``rwh_*``, only scored). See ``real_world/README.md``."""
    if part not in ("tuning", "held_out"):
        raise ValueError(f"part must be 'tuning' or 'held_out', not {part!r}")
    return _text_dir(REAL_WORLD_DIR, "rw_*.txt" if part == "tuning" else "rwh_*.txt")


def report(predict: Callable[[dict[str, str]], list[Predicted]] = geoparse_predictions) -> dict:
    """Scores on the seeds, the trap texts and the two parts of the real-world set (demonyms
    excluded; the seeds also with demonyms)."""
    seed_gold = load_gold(SEED_GOLD)
    seed_pred = predict(seed_documents())
    trap_docs, trap_gold = trap_documents()
    trap_pred = predict(trap_docs)
    return {
        "seeds": score(seed_gold, seed_pred).summary(),
        "seeds_with_demonyms": score(seed_gold, seed_pred, include_demonyms=True).summary(),
        "seeds_areas": score(seed_gold, seed_pred, kinds=AREA_KINDS).summary(),
        "traps": score(trap_gold, trap_pred).summary(),
        **{f"real_world_{part}": score(gold, predict(docs)).summary()
           for part in ("tuning", "held_out") for docs, gold in [real_world_documents(part)]},
    }


if __name__ == "__main__":
    print(json.dumps(report(), indent=2, sort_keys=True))
