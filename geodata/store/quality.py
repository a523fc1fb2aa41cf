"""How good are the suggestions? Measured against the hand-coded seed catalogue.

Each seed article is treated as if a user had added it: its text (each span of it in
``seeds/``) goes through :func:`geodata.store.suggest.suggest_events` with the article's
reference date, and the suggestions are compared with the catalogue's events citing that text:

* **coverage**: coded events with a piece of evidence that overlaps a suggestion naming the
  same place (also reported: overlapping with any place, and with the same type too);
* **noise**: suggestions that overlap no coded event's evidence.

The seed texts were read while the trigger vocabulary was written, so the numbers are
optimistic for new texts. Run ``python3 -m geodata.store.quality`` for the current numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass

from geodata.catalogue import load_catalogue
from geodata.sources import document_text, load_sources
from geodata.store.suggest import Suggestion, suggest_events

__all__ = ["SuggestionQuality", "evaluate_suggestions"]


@dataclass(frozen=True, kw_only=True)
class SuggestionQuality:
    """Counts of the comparison; ``coverage`` and ``noise_rate`` are the headline shares."""

    coded_events: int
    covered_same_place: int
    covered_same_place_and_type: int
    covered_any_place: int
    suggestions: int
    noise: int

    @property
    def coverage(self) -> float:
        """Share of coded events covered by a suggestion with the same place."""
        return self.covered_same_place / self.coded_events if self.coded_events else 0.0

    @property
    def noise_rate(self) -> float:
        """Share of suggestions overlapping no coded event."""
        return self.noise / self.suggestions if self.suggestions else 0.0

    def as_dict(self) -> dict:
        """The counts and the two shares (3 decimals)."""
        return {**asdict(self), "coverage": round(self.coverage, 3), "noise_rate": round(self.noise_rate, 3)}


def _seed_suggestions() -> list[tuple[str, Suggestion]]:
    """Every seed article's suggestions, offsets moved into the seed document's text."""
    out = []
    for source in load_sources().values():
        reference = dt.date.fromisoformat(source.reference_date)
        for span in source.spans:
            text = document_text(span.document)[span.start:span.end]
            for s in suggest_events(text, source_id=source.id, reference=reference):
                out.append((span.document, Suggestion(**{**s.as_dict(), "start": s.start + span.start,
                                                         "end": s.end + span.start})))
    return out


def evaluate_suggestions() -> SuggestionQuality:
    """Measure the suggestions on the seed articles against the seed catalogue's events.

    Returns
    -------
    SuggestionQuality

    Examples
    --------
    >>> q = evaluate_suggestions()
    >>> q.coded_events == len(load_catalogue().events)
    True
    """
    suggested = _seed_suggestions()
    coded = load_catalogue().events

    def overlapping(ev) -> list[Suggestion]:
        return [s for doc, s in suggested if doc == ev.document and s.start < ev.end and ev.start < s.end]

    same_place = same_type = any_place = 0
    for event in coded:
        hits = [s for ev in event.evidence for s in overlapping(ev)]
        any_place += bool(hits)
        same_place += any(s.place == event.place for s in hits)
        same_type += any(s.place == event.place and s.type == event.type for s in hits)
    noise = sum(
        1 for doc, s in suggested
        if not any(ev.document == doc and s.start < ev.end and ev.start < s.end for e in coded for ev in e.evidence)
    )
    return SuggestionQuality(coded_events=len(coded), covered_same_place=same_place,
                             covered_same_place_and_type=same_type, covered_any_place=any_place,
                             suggestions=len(suggested), noise=noise)


if __name__ == "__main__":
    json.dump(evaluate_suggestions().as_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
