"""Customer managed keys that the toolkit creates itself."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from bedrock_platform import permissions

__all__ = ["log_group_key"]


def log_group_key(
    scope: Construct,
    id: str,
    *,
    log_group_name: str,
    description: str,
    removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
) -> kms.Key:
    """A customer managed key for the one CloudWatch Logs log group ``log_group_name``.

    Rotated every year. Its key policy is CDK's default (the account administers and uses it
    through IAM) plus CloudWatch Logs of the stack's Region, for this log group only (the
    ``aws:logs:arn`` encryption context). Readers of the log group need no KMS permission.

    :param removal_policy: the log group's: events encrypted with a deleted key cannot be read.
        Default: ``RETAIN``.
    """
    stack = cdk.Stack.of(scope)
    key = kms.Key(
        scope,
        id,
        description=description,
        enable_key_rotation=True,
        removal_policy=removal_policy,
    )
    log_group_arn = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name=log_group_name,
        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchLogsOfThisLogGroup",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=list(permissions.KMS_LOG_GROUP_ACTIONS),
            resources=["*"],
            conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        )
    )
    return key
