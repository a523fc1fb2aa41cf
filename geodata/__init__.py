"""Qantar Atlas data core: sources, gazetteer, borders, catalogue, claims, geoparser, layers.

Pure Python; never imports streamlit.
"""

from geodata.errors import DataError, InputError

__all__ = ["DataError", "InputError"]
