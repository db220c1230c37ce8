"""Offline review of synthesized templates: what a change will do, and how dangerous it is."""

from bedrock_platform.review.compare import Change, PropertyChange, Severity, compare_templates
from bedrock_platform.review.replacement import replacing_paths

__all__ = ["Change", "PropertyChange", "Severity", "compare_templates", "replacing_paths"]
