"""The short, stable hashes the toolkit names resources and pins policies with."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def short_hash(value: Any, length: int = 6) -> str:
    """A short, stable hex digest of a plain JSON value (sorted keys)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:length]
