"""Errors that carry a one-line, user-facing message (what, where, how to fix)."""

__all__ = ["DataError", "InputError"]


class DataError(Exception):
    """A shipped data file (catalogue, gazetteer, borders) is missing or malformed."""


class InputError(Exception):
    """Input a user gave (a name, a file, a path, an option) cannot be used."""
