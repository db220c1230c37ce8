"""cdk-nag acknowledgments, each with the reason it is safe, in the form cdk-nag 3 matches."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

from bedrock_platform.intrinsics import render


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
    return render(resolved)
