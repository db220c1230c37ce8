"""Semantic checks of ``pipeline``: each environment once, not this one, a connection it can use.

Whether each environment's config file exists and is valid is checked by the loader, which
reads those files (rules only see this file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, duplicates, items, string
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import show

SECTION = ("pipeline",)
ENVIRONMENTS = (*SECTION, "environments")
CONNECTION = (*SECTION, "source", "connection_arn")

OWN_ENVIRONMENT = (
    "{name} is the environment hosting the pipeline: its stacks are deployed with cdk deploy, "
    "a stage would deploy them a second time"
)
CONNECTION_ELSEWHERE = (
    "the connection is in {where}, but the pipeline runs in {expected}: use a connection there"
)

_CONNECTION_ARN = re.compile(r"^arn:[^:]+:[^:]+:(?P<region>[^:]+):(?P<account>[0-9]{12}):")


def pipeline_environments(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A pipeline deploys each environment once, and never the environment that hosts it."""
    issues = duplicates(config, context, ENVIRONMENTS, "pipeline environment")
    own = string(config, context, ("environment",))
    for item_path, _ in items(config, ENVIRONMENTS):
        name_path = (*item_path, "name")
        if own is not None and string(config, context, name_path) == own:
            issues.append(context.issue(name_path, OWN_ENVIRONMENT.format(name=show(own))))
    return issues


def pipeline_connection(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The source connection is in the pipeline's account and Region (connections are regional)."""
    match = _CONNECTION_ARN.match(string(config, context, CONNECTION) or "")
    region = string(config, context, ("region",))
    account = string(config, context, ("account",))
    if match is None or region is None or account is None:
        return []
    if (match["account"], match["region"]) == (account, region):
        return []
    where = f"account {match['account']}, Region {match['region']}"
    expected = f"account {account}, Region {region}"
    return [context.issue(CONNECTION, CONNECTION_ELSEWHERE.format(where=where, expected=expected))]
