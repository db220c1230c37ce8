"""Customer managed keys that the toolkit creates itself."""

from __future__ import annotations

import weakref

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from bedrock_platform import permissions

__all__ = ["log_group_key", "stack_key", "use_stack_key"]

STACK_KEY_ID = "StackKey"
"""The construct id, in a stack, of the key :func:`stack_key` creates."""


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
    key = kms.Key(
        scope,
        id,
        description=description,
        enable_key_rotation=True,
        removal_policy=removal_policy,
    )
    _grants_for_aws_resources_only(key)
    _let_cloudwatch_logs_use(key, sid="CloudWatchLogsOfThisLogGroup", log_groups=log_group_name)
    return key


def _let_cloudwatch_logs_use(key: kms.Key, *, sid: str, log_groups: str) -> None:
    """Let CloudWatch Logs of the stack's Region use ``key`` for the log groups named ``log_groups``
    (a name, or ``*``), and only for them: the ``aws:logs:arn`` encryption context (CloudWatch Logs
    user guide, "Encrypt log data in CloudWatch Logs using AWS KMS")."""
    stack = cdk.Stack.of(key)
    log_group_arn = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name=log_groups,
        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
    )
    operator = "ArnLike" if "*" in log_groups else "ArnEquals"
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=list(permissions.KMS_LOG_GROUP_ACTIONS),
            resources=["*"],
            conditions={operator: {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        )
    )


def _grants_for_aws_resources_only(key: kms.Key) -> None:
    """Deny kms:CreateGrant unless an AWS service asks for it, for one of its resources (AWS Control
    Tower's CT.KMS.PR.3). Nobody creates grants on the toolkit's keys: S3 and CloudWatch Logs use
    data keys, and the roles that read through them hold kms:Decrypt in their own policies."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="GrantsForAwsResourcesOnly",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["kms:CreateGrant"],
            resources=["*"],
            conditions={
                "BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}
            },
        )
    )


def use_stack_key(scope: Construct) -> None:
    """Give ``scope``'s stack a key of its own for what it creates without a customer managed key of
    the config: its buckets and its custom-resource handlers' log groups (:func:`stack_key`). The key
    itself is created on first use, so a stack with nothing to encrypt has none."""
    _KEYED_STACKS.add(cdk.Stack.of(scope))


def stack_key(scope: Construct) -> kms.Key | None:
    """The key of ``scope``'s stack when :func:`use_stack_key` asked for one (created on first use);
    None otherwise.

    Rotated every year, retained when it leaves the stack (what it encrypted outlives it: buckets are
    retained) but deleted when the stack's first deploy fails. Its key policy is CDK's default (the
    account administers and uses it through IAM: readers and writers hold kms:Decrypt and
    kms:GenerateDataKey in their own policies), plus CloudWatch Logs of the Region for log groups of
    the account (the stack's have names CloudFormation generates), and no grant but for an AWS
    resource.
    """
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(STACK_KEY_ID)
    if isinstance(existing, kms.Key):
        return existing
    if stack not in _KEYED_STACKS:
        return None
    key = kms.Key(
        stack,
        STACK_KEY_ID,
        description=f"bedrock-platform {stack.stack_name}: its buckets and handler log groups",
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    )
    _grants_for_aws_resources_only(key)
    # The stack's log groups have no fixed name: CloudFormation generates one, in a form it does not
    # document, so any log group of the account and Region.
    _let_cloudwatch_logs_use(key, sid="CloudWatchLogsOfThisAccount", log_groups="*")
    return key


_KEYED_STACKS: weakref.WeakSet[cdk.Stack] = weakref.WeakSet()
