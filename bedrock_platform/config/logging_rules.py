"""Semantic checks of ``invocation_logging``: a destination, and large data only where it can go."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, mapping, value
from bedrock_platform.config.errors import Issue

NO_DESTINATION = "logs nowhere: give s3, cloudwatch or both"
LARGE_DATA_WITHOUT_S3 = "large_data_to_s3 needs invocation_logging.s3, the bucket large payloads go to"

SECTION = ("invocation_logging",)


def logging_destinations(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Invocation logging names at least one destination, and large data has its bucket."""
    section = mapping(config, context, SECTION)
    if section is None:
        return []
    if "s3" not in section and "cloudwatch" not in section:
        return [context.issue(SECTION, NO_DESTINATION)]
    large_data = (*SECTION, "cloudwatch", "large_data_to_s3")
    if value(config, large_data) is True and context.valid(large_data) and "s3" not in section:
        return [context.issue(large_data, LARGE_DATA_WITHOUT_S3)]
    return []
