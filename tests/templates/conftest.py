"""The starter templates of config/templates/ (their session fixture, ``synthesized_templates``, is
in tests/conftest.py, so that the scanner tests share it)."""

from __future__ import annotations

from bedrock_platform.templates import known_templates
from tests.conftest import CONFIG_DIR

TEMPLATES = known_templates(CONFIG_DIR / "templates")
