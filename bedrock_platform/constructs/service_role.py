"""What every Bedrock-facing construct needs: foundation model ARNs and Bedrock service roles."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.nag import acknowledge_role_policy

__all__ = ["bedrock_service_role", "foundation_model_arn"]


def foundation_model_arn(scope: Construct, model_id: str) -> str:
    """The ARN of a foundation model in the scope's Region.

    ``arn:<partition>:bedrock:<region>::foundation-model/<id>``
    """
    stack = cdk.Stack.of(scope)
    return stack.format_arn(
        service="bedrock",
        account="",
        resource="foundation-model",
        resource_name=model_id,
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )


def bedrock_service_role(scope: Construct, id: str, *, source_resource: str, description: str) -> iam.Role:
    """A role Bedrock may assume only for ``source_resource/*`` of this account and Region.

    ``aws:SourceAccount`` and ``aws:SourceArn`` guard against the confused deputy.
    """
    stack = cdk.Stack.of(scope)
    role = iam.Role(
        scope,
        id,
        description=description,
        assumed_by=iam.ServicePrincipal(
            permissions.BEDROCK_SERVICE,
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": stack.format_arn(
                        service="bedrock", resource=source_resource, resource_name="*"
                    )
                },
            },
        ),
    )
    acknowledge_role_policy(role)
    return role
