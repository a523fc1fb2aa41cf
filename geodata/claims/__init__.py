"""Checks of the geographic claims the seeds make, computed from our data, never assumed.

Public API (the modules inside are internal):

* :func:`pike_check` -> :class:`PikeResult`: Francis Pike's "15 of these [19] cities were close
  to foreign borders" for any threshold, border set and candidate city set, with base rates;
  :func:`count_curve` for the chart; :data:`NEIGHBOUR_SETS`; :func:`verdict_text`, the verdict sentence;
* :func:`candidate_sets` -> :class:`CandidateSet` by name: seeds-derived, largest-N, regional
  centres and the official record (with :class:`Citation`); :func:`user_set` from a user's CSV;
* :func:`check_all` -> list of :class:`ClaimCheck`: Pike's claim and the other checkable
  statements, each with quote, evidence, measurement, verdict, method and caveats.

Inside: :mod:`.pike` (the count and its base rates), :mod:`.candidates` (the city sets and the
verdict), :mod:`.statements` (one function per
statement), :mod:`.records` (the typed results).
"""

from geodata.claims.candidates import (DEFAULT_CANDIDATE_SET, CandidateSet, Citation, Unresolved, candidate_ids,
                                       candidate_sets, official_sets, parse_candidates_csv, resolve_names, user_set,
                                       verdict_text)
from geodata.claims.pike import (CANDIDATE_SETS, KM_PER_MILE, NEIGHBOUR_SETS, PIKE_QUOTE, PIKE_SHARE, VIOLENT_EVENT_TYPES,
                                 count_curve, kazakh_cities, pike_check)
from geodata.claims.records import VERDICTS, ClaimCheck, PikeResult
from geodata.claims.statements import CHECKS, check_all

__all__ = ["CANDIDATE_SETS", "CHECKS", "DEFAULT_CANDIDATE_SET", "KM_PER_MILE", "NEIGHBOUR_SETS", "PIKE_QUOTE",
           "PIKE_SHARE", "VERDICTS", "VIOLENT_EVENT_TYPES", "CandidateSet", "Citation", "ClaimCheck", "PikeResult",
           "Unresolved", "candidate_ids", "candidate_sets", "check_all", "count_curve", "kazakh_cities",
           "official_sets", "parse_candidates_csv", "pike_check", "resolve_names", "user_set", "verdict_text"]
