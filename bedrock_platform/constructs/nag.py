"""cdk-nag acknowledgments, each with the reason it is safe, in the form cdk-nag 3 matches."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from constructs import IConstruct


def acknowledge_wildcard(scope: IConstruct, resource_arn: str, reason: str) -> None:
    """Acknowledge AwsSolutions-IAM5 for one wildcard resource ARN in a policy under ``scope``.

    cdk-nag 3 matches acknowledgments by the exact finding, which names the resource as it appears
    in the template (``<LogicalId.Arn>/prefix/*``), so the finding text is built from the resolved ARN.
    """
    cdk.Validations.of(scope).acknowledge(
        cdk.Acknowledgment(
            id=f"AwsSolutions::AwsSolutions-IAM5[Resource::{nag_resource(scope, resource_arn)}]",
            reason=reason,
        )
    )


def nag_resource(scope: IConstruct, value: str) -> str:
    """How cdk-nag names a resource ARN in a finding: ``<LogicalId.Arn>/prefix/*`` or the literal ARN."""
    resolved = cdk.Stack.of(scope).resolve(value)
    return _nag_part(resolved)


def _nag_part(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        logical_id, attribute = value["Fn::GetAtt"]
        return f"<{logical_id}.{attribute}>"
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_nag_part(part) for part in parts)
    return json.dumps(value, sort_keys=True)
