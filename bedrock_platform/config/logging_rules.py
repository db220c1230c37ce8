"""Semantic checks of ``invocation_logging`` (a destination, and large data only where it can go) and of
knowledge base log destinations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, items, mapping, string, value
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import show
from bedrock_platform.spec import logging as logging_spec

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


STREAM_ELSEWHERE = (
    "the Firehose stream is in {part} {actual}, not in the config's {part} {expected}: CloudWatch Logs "
    "delivers a knowledge base's logs to a stream of its own account and Region"
)


def knowledge_base_log_destinations(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A knowledge base's Firehose log stream is in the config's account and Region."""
    issues = []
    for kb_path, _ in items(config, ("knowledge_bases",)):
        path = (*kb_path, "logging", "firehose", "delivery_stream_arn")
        arn = string(config, context, path)
        if arn is None or not logging_spec.FIREHOSE_STREAM_ARN.match(arn):
            continue
        for part, actual in zip(("account", "region"), logging_spec.stream_place(arn), strict=True):
            expected = string(config, context, (part,))
            if expected is not None and actual != expected:
                message = STREAM_ELSEWHERE.format(part=part, actual=show(actual), expected=show(expected))
                issues.append(context.issue(path, message))
    return issues
