"""Constants shared by the config tests (conftest modules are not meant to be imported)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: tests name fixture files relative to it, as users name config files."""

HEADER = 'environment: dev\naccount: "111111111111"\nregion: us-east-1\n'
"""The three required keys of a valid config."""

WriteConfig = Callable[..., str]
"""The ``write_config`` fixture: ``write_config(text_or_bytes, name="config.yaml") -> path``."""
