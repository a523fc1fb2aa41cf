"""Pike's claim (claims/pike.py) against an independent brute force (no code path shared with geodata.borders)."""

import numpy as np
import pytest

from geodata.claims import CANDIDATE_SETS, NEIGHBOUR_SETS, candidate_ids, count_curve, pike_check
from geodata.errors import InputError


def _count(brute, ids, names, km):
    all_ids, table = brute
    d = np.min([table[n] for n in names], axis=0)
    pos = {pid: i for i, pid in enumerate(all_ids)}
    return int(sum(d[pos[i]] <= km for i in ids))


@pytest.mark.parametrize("km", [50, 100, 250])
@pytest.mark.parametrize("neighbour_set", ["all land borders", "Pike's four (all but Russia)", "Russia only"])
def test_pike_counts_match_brute_force(brute, km, neighbour_set):
    ids = candidate_ids("19 largest cities (GeoNames population)")
    names = NEIGHBOUR_SETS[neighbour_set]
    r = pike_check(km, names, ids)
    assert r.total == 19
    assert r.count == _count(brute, ids, names, km)
    assert r.base_rate_cities == pytest.approx(_count(brute, brute[0], names, km) / len(brute[0]), abs=1 / len(brute[0]))


def test_claim_threshold_is_the_15th_smallest_distance(brute):
    ids = candidate_ids("19 largest cities (GeoNames population)")
    r = pike_check(100, NEIGHBOUR_SETS["all land borders"], ids)
    t = r.claim_holds_from_km
    assert r.needed == 15
    assert _count(brute, ids, NEIGHBOUR_SETS["all land borders"], t + 0.5) >= 15
    assert _count(brute, ids, NEIGHBOUR_SETS["all land borders"], t - 0.5) < 15


def test_count_curve_is_monotone_and_ends_at_total():
    ids = candidate_ids("31 largest cities (GeoNames population)")
    curve = count_curve(NEIGHBOUR_SETS["all land borders"], ids, range(0, 1001, 50))
    counts = [c for _, c in curve]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == 31


def test_seed_violence_set_comes_from_the_catalogue():
    ids = CANDIDATE_SETS["cities the seeds tie to violence"]()
    assert {"gn:1526384", "gn:1516905", "gn:1518542"} <= set(ids)  # Almaty, Taraz, Taldykorgan
    assert "gn:610529" not in ids  # Atyrau was reported peaceful


@pytest.mark.parametrize("args, message", [
    ((-5, ["Russia"], ["gn:1526384"]), "threshold"),
    (("far", ["Russia"], ["gn:1526384"]), "threshold"),
    ((100, ["Mongolia"], ["gn:1526384"]), "neighbours"),
    ((100, [], ["gn:1526384"]), "neighbours"),
    ((100, ["Russia"], []), "empty"),
])
def test_pike_check_rejects_bad_input(args, message):
    with pytest.raises(InputError, match=message):
        pike_check(*args)
