"""The one exception the constructs raise for invalid arguments."""

from __future__ import annotations


class ConstructValidationError(ValueError):
    """Invalid construct arguments; the message names the construct, the argument and the rule."""
