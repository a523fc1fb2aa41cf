"""Export of all layers (events, troops, figures, places, borders, claims) as RFC 7946 GeoJSON.

Measured: ``build_layers()`` plus ``to_geojson`` for every layer, warm (data loaded once).
Baseline, same run: writing the same GeoDataFrames with GDAL (``to_file(driver="GeoJSON",
RFC7946="YES")``) into a temporary directory. Also a whole ``python -m geodata export`` process.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from geodata.layers import LAYER_NAMES, build_layers
from geodata.writers import to_geojson

try:
    from harness import Result, time_call, time_command
except ImportError:
    from bench.harness import Result, time_call, time_command


def _ours():
    layers = build_layers()
    return sum(len(to_geojson(layers[n])) for n in LAYER_NAMES)


def _gdal(tmp: Path):
    def run():
        layers = build_layers()
        for name in LAYER_NAMES:
            gdf = layers[name].copy()
            gdf["evidence"] = gdf["evidence"].map(str) if "evidence" in gdf else None
            gdf.to_file(tmp / f"{name}.geojson", driver="GeoJSON", index=False, RFC7946="YES", WRITE_NAME="NO")
    return run


def run(quick: bool) -> list:
    repeat, warmup = (1, 0) if quick else (7, 1)  # quick: a smoke run (tests/test_bench.py)
    build_layers()  # warm the catalogue, gazetteer and border caches for both sides
    with tempfile.TemporaryDirectory() as tmp:
        ours = time_call(_ours, repeat, warmup=warmup)
        base = time_call(_gdal(Path(tmp)), repeat, warmup=warmup)
        results = [Result(
            name="export all layers (warm)",
            what="build_layers() + to_geojson for the 6 layers, in process; baseline: the same layers written by GDAL",
            unit="s", value=ours, baseline_name="GeoDataFrame.to_file(GeoJSON, RFC7946=YES)", baseline=base,
            notes=[f"{_ours():,} bytes of GeoJSON"],
        )]
        if not quick:
            cold = time_command([sys.executable, "-m", "geodata", "export", str(Path(tmp) / "cli")], 3)
            results.append(Result(name="export all layers, whole process", what="python -m geodata export OUTDIR",
                                  unit="s", value=cold))
    return results
