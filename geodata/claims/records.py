"""The records the claim checks hand to their callers (CLI, layers, dashboard).

Typed and frozen, built with keyword arguments; ``as_dict`` gives the JSON the CLI prints and
the layers carry, with keys in a fixed order so output stays byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geodata.sources import Evidence, evidence_for

__all__ = ["VERDICTS", "ClaimCheck", "PikeResult"]

VERDICTS = ("supported", "partly", "not supported", "cannot be checked")


@dataclass(frozen=True, kw_only=True)
class ClaimCheck:
    """One geographic statement of the seeds, measured against our data.

    ``statement`` is the quote and ``evidence`` where it stands in the seeds; ``claimant`` who
    made it (empty when the article speaks for itself); ``measured`` what was measured, in words;
    ``value`` and ``unit`` the number; ``verdict`` one of :data:`VERDICTS`; ``method`` and
    ``caveats`` say how and with what limits; ``place_ids`` what the claim layer draws.
    """

    id: str
    statement: str
    source_id: str
    claimant: str
    evidence: tuple[Evidence, ...]
    measured: str
    value: float | int | None
    unit: str
    verdict: str
    method: str
    caveats: str
    place_ids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} is not one of {', '.join(VERDICTS)}")

    @classmethod
    def build(cls, *, id: str, source_id: str, statement: str, claimant: str, measured: str, value, unit: str,
              verdict: str, method: str, caveats: str, place_ids) -> "ClaimCheck":
        """A check whose evidence is looked up from its quote in the source (see :func:`evidence_for`)."""
        return cls(id=id, statement=statement, source_id=source_id, claimant=claimant,
                   evidence=tuple(evidence_for(source_id, statement)), measured=measured, value=value, unit=unit,
                   verdict=verdict, method=method, caveats=caveats, place_ids=tuple(place_ids))

    def as_dict(self) -> dict:
        """The check as JSON-ready data (evidence as dicts, place ids as a list)."""
        return {
            "id": self.id,
            "statement": self.statement,
            "source_id": self.source_id,
            "claimant": self.claimant,
            "evidence": [e.as_dict() for e in self.evidence],
            "measured": self.measured,
            "value": self.value,
            "unit": self.unit,
            "verdict": self.verdict,
            "method": self.method,
            "caveats": self.caveats,
            "place_ids": list(self.place_ids),
        }


@dataclass(frozen=True, kw_only=True)
class PikeResult:
    """Pike's "15 of 19 close to foreign borders" at one threshold, border set and city set.

    ``count`` of ``total`` candidates lie within ``threshold_km`` of the ``neighbours``' land
    borders (``close_ids``; every candidate's distance in ``distances_km``). The base rates are
    the share of all ``n_all_cities`` Kazakh GeoNames cities, and of their population, within
    the same distance. ``needed`` candidates must be close for Pike's share 15/19;
    ``claim_holds_from_km`` is the smallest threshold where they are, and
    ``base_rate_at_claim_threshold`` the share of all cities within that distance.
    """

    threshold_km: float
    neighbours: tuple[str, ...]
    count: int
    total: int
    close_ids: tuple[str, ...]
    distances_km: dict[str, float]
    base_rate_cities: float
    base_rate_population: float
    n_all_cities: int
    needed: int
    claim_holds_from_km: float
    base_rate_at_claim_threshold: float

    @property
    def holds(self) -> bool:
        """Whether Pike's share (15 of 19, scaled to ``total``) is reached at ``threshold_km``."""
        return self.count >= self.needed

    def as_dict(self) -> dict:
        """The result as JSON-ready data, keys in a fixed order (``holds`` included)."""
        return {
            "threshold_km": self.threshold_km,
            "neighbours": list(self.neighbours),
            "count": self.count,
            "total": self.total,
            "needed": self.needed,
            "holds": self.holds,
            "close_ids": list(self.close_ids),
            "distances_km": dict(self.distances_km),
            "base_rate_cities": round(self.base_rate_cities, 4),
            "base_rate_population": round(self.base_rate_population, 4),
            "n_all_cities": self.n_all_cities,
            "claim_holds_from_km": self.claim_holds_from_km,
            "base_rate_at_claim_threshold": round(self.base_rate_at_claim_threshold, 4),
        }
