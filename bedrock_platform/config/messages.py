"""Wording shared by the loader, the schema translation and the semantic rules.

Values from a config file are shown the way a user wrote them (``'docs'``, ``true``, ``12``),
shortened when they are long, so that every message stays one readable line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

MAX_SHOWN_CHARACTERS = 60
"""Longer strings are cut in messages (their length is given instead of the rest)."""


def show(value: Any) -> str:
    """A config value as a message shows it: strings quoted, YAML spellings for the rest."""
    if isinstance(value, str):
        if len(value) > MAX_SHOWN_CHARACTERS:
            return f"{value[:MAX_SHOWN_CHARACTERS]!r}... ({len(value)} characters)"
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return kind(value)


def kind(value: Any) -> str:
    """What a value is, with its article: ``a string``, ``an integer``, ``a mapping``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


JSON_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}
"""JSON Schema type names as messages say them."""


def did_you_mean(word: Any, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    if not isinstance(word, str) or len(word) > 4 * MAX_SHOWN_CHARACTERS:
        return ""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def one_of(values: Iterable[Any]) -> str:
    """``'a', 'b', 'c'`` for a message that lists accepted values."""
    return ", ".join(show(value) for value in values)


def count(number: int, noun: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
