"""Checks of the geographic claims the seeds make, computed from our data, never assumed.

Public API (the modules inside are internal):

* :func:`pike_check` -> :class:`PikeResult`: Francis Pike's "15 of these [19] cities were close
  to foreign borders" for any threshold, border set and candidate city set, with base rates;
  :func:`count_curve` for the chart; :data:`CANDIDATE_SETS`, :data:`NEIGHBOUR_SETS`;
* :func:`check_all` -> list of :class:`ClaimCheck`: Pike's claim and the other checkable
  statements, each with quote, evidence, measurement, verdict, method and caveats.

Inside: :mod:`.pike` (the count and its base rates), :mod:`.statements` (one function per
statement), :mod:`.records` (the typed results).
"""

from geodata.claims.pike import (CANDIDATE_SETS, KM_PER_MILE, NEIGHBOUR_SETS, PIKE_QUOTE, PIKE_SHARE, VIOLENT_EVENT_TYPES,
                                 candidate_ids, count_curve, kazakh_cities, pike_check)
from geodata.claims.records import VERDICTS, ClaimCheck, PikeResult
from geodata.claims.statements import CHECKS, check_all

__all__ = ["CANDIDATE_SETS", "CHECKS", "KM_PER_MILE", "NEIGHBOUR_SETS", "PIKE_QUOTE", "PIKE_SHARE", "VERDICTS",
           "VIOLENT_EVENT_TYPES", "ClaimCheck", "PikeResult", "candidate_ids", "check_all", "count_curve",
           "kazakh_cities", "pike_check"]
