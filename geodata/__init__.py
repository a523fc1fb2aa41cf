"""Qantar Atlas data core: places and evidence, claim checks, the geoparser, layers and writers.

Pure Python; never imports streamlit. The public names below are imported lazily (PEP 562),
so ``python -m geodata geocode`` or ``geoparse`` does not pay for geopandas it never uses.
"""

from __future__ import annotations

import importlib

from geodata.errors import DataError, InputError

_EXPORTS = {
    "NEIGHBOURS": "borders", "border_distance": "borders", "border_distances": "borders", "load_borders": "borders",
    "within_km": "borders",
    "filter_events": "catalogue", "load_catalogue": "catalogue",
    "check_all": "claims", "count_curve": "claims", "pike_check": "claims",
    "Place": "gazetteer", "load_gazetteer": "gazetteer", "normalize_name": "gazetteer",
    "LAYER_NAMES": "layers", "build_layers": "layers", "export": "writers", "to_geojson": "writers",
    "ClaimCheck": "claims", "PikeResult": "claims", "Mention": "geoparse", "parse": "geoparse",
    "Evidence": "sources", "load_sources": "sources", "verify_evidence": "sources",
}

__all__ = sorted(["DataError", "InputError", *_EXPORTS])


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geodata' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"geodata.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
