"""Amazon Bedrock model invocation logging of the stack's account and Region, as a custom resource.

CloudFormation has no type for it, so ``handlers/invocation_logging.py`` sets it through the
``bedrock`` API. Invocation logging is one setting per account and Region: declare it in one
stack only.
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.handler_provider import HandlerProvider
from bedrock_platform.constructs.nag import acknowledge_role_policy, acknowledge_wildcard
from bedrock_platform.spec import logging as logging_spec
from bedrock_platform.spec.logging import DATA_KINDS, DEFAULT_DATA, DELIVERY_LOG_STREAM

__all__ = ["DATA_KINDS", "InvocationLogging"]

RESOURCE_TYPE = logging_spec.RESOURCE_TYPE
"""What Bedrock can log of each invocation, one ``<kind>DataDeliveryEnabled`` flag each."""
"""The log stream Bedrock writes invocation logs to (user guide, "Set up a CloudWatch Logs destination")."""
QUERY_INTERVAL = cdk.Duration.seconds(10)
TOTAL_TIMEOUT = cdk.Duration.minutes(10)


class InvocationLogging(Construct):
    """Logs every model invocation of the account and Region to S3 and/or CloudWatch Logs.

    For S3, Bedrock writes objects under ``<key_prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/``
    (``AWSLogs/...`` at the bucket's root without a prefix), and the bucket's policy lets
    ``bedrock.amazonaws.com`` put objects there and nowhere else, for this account only
    (``aws:SourceAccount``, ``aws:SourceArn`` ``arn:aws:bedrock:<region>:<account>:*``), as the
    user guide's "Set up an Amazon S3 destination" policy does. An imported bucket's policy must
    say the same (a bucket policy cannot be added to it from here). The prefix is sent to the
    service without a trailing slash (``logs/`` and ``logs`` both write under ``logs/AWSLogs/``).
    For CloudWatch Logs, a role that Bedrock assumes for this account only may create and write
    the log stream ``aws/bedrock/modelinvocations`` of ``log_group`` (the guide's "Set up a
    CloudWatch Logs destination" role); payloads over 100 KB and binary data go to ``bucket``
    under ``<large_data_key_prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/`` when that is
    given. Only the data kinds logged are sent as ``<kind>DataDeliveryEnabled: true``; the others
    are left out (false for the service, and unknown to no botocore).

    :param bucket: S3 destination. Default: none.
    :param key_prefix: key prefix in ``bucket``, with or without a trailing slash. Default: none.
    :param log_group: CloudWatch Logs destination. Default: none (at least one destination).
    :param large_data_key_prefix: with ``log_group`` and ``bucket``: where large payloads go.
    :param data: what to log, of :data:`DATA_KINDS`. Default: text only.
    :param take_over_existing: replace a configuration that is already set in the account and
        Region. Default: refuse, so a deploy never silently redirects someone else's logs.
    :param removal_policy: ``RETAIN`` leaves logging on when the resource leaves the stack.
        Default: ``DESTROY`` (logging is turned off, if it is still this configuration).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket: s3.IBucket | None = None,
        key_prefix: str = "",
        log_group: logs.ILogGroup | None = None,
        large_data_key_prefix: str | None = None,
        data: Sequence[str] = DEFAULT_DATA,
        take_over_existing: bool = False,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
    ) -> None:
        super().__init__(scope, id)
        _validate(id, bucket, log_group, large_data_key_prefix, data)
        stack = cdk.Stack.of(self)
        self.source_arn = stack.format_arn(service="bedrock", resource="*")
        self._writers: list[cdk.CfnResource] = []
        self._bucket_statements = 0
        # Only the kinds logged: an absent flag is false, and a botocore older than a flag
        # (video, audio) still takes the others.
        config: dict[str, object] = {
            f"{kind}DataDeliveryEnabled": True for kind in DATA_KINDS if kind in data
        }
        if bucket is not None:
            config["s3Config"] = {
                "bucketName": bucket.bucket_name,
                **({"keyPrefix": _prefix(key_prefix)} if _prefix(key_prefix) else {}),
            }
            self._let_bedrock_write(bucket, key_prefix)
        self.role: iam.Role | None = None
        if log_group is not None:
            self.role = self._delivery_role(log_group)
            cloudwatch: dict[str, object] = {
                "logGroupName": log_group.log_group_name,
                "roleArn": self.role.role_arn,
            }
            large_prefix = _prefix(large_data_key_prefix)
            if bucket is not None and large_data_key_prefix is not None:
                cloudwatch["largeDataDeliveryS3Config"] = {
                    "bucketName": bucket.bucket_name,
                    **({"keyPrefix": large_prefix} if large_prefix else {}),
                }
                self._let_bedrock_write(bucket, large_data_key_prefix)
            config["cloudWatchConfig"] = cloudwatch
        self.provider = HandlerProvider.of(
            self,
            module="invocation_logging",
            description="Amazon Bedrock model invocation logging",
            query_interval=QUERY_INTERVAL,
            total_timeout=TOTAL_TIMEOUT,
        )
        self._grant_handler()
        properties: dict[str, object] = {"LoggingConfig": config}
        if take_over_existing:
            properties["TakeOverExisting"] = True
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties=properties,
            removal_policy=removal_policy,
        )
        # The service checks that it may write to each destination when the configuration is set.
        for writer in self._writers:
            self.resource.node.add_dependency(writer)

    def _let_bedrock_write(self, bucket: s3.IBucket, prefix: str) -> None:
        stack = cdk.Stack.of(self)
        path = "/".join(part for part in (_prefix(prefix), "AWSLogs", stack.account) if part)
        self._bucket_statements += 1
        result = bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"BedrockInvocationLogs{self._bucket_statements}",
                principals=[iam.ServicePrincipal(permissions.BEDROCK_SERVICE)],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{path}/BedrockModelInvocationLogs/*")],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": self.source_arn},
                },
            )
        )
        if isinstance(bucket.encryption_key, kms.Key) and self._bucket_statements == 1:
            # The guide's "Configuration d'une destination Amazon S3", step 3: with SSE-KMS on the
            # bucket, Bedrock needs kms:GenerateDataKey on its key (in the key policy). A key the
            # toolkit creates gets it here; an imported key's policy is its owner's (README).
            bucket.encryption_key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="BedrockInvocationLogs",
                    principals=[iam.ServicePrincipal(permissions.BEDROCK_SERVICE)],
                    actions=list(permissions.INVOCATION_LOG_KEY_ACTIONS),
                    resources=["*"],
                    conditions={
                        "StringEquals": {"aws:SourceAccount": stack.account},
                        "ArnLike": {"aws:SourceArn": self.source_arn},
                    },
                )
            )
        if result.statement_added and bucket.policy is not None:
            policy = bucket.policy.node.default_child
            assert isinstance(policy, cdk.CfnResource)
            if policy not in self._writers:
                self._writers.append(policy)

    def _delivery_role(self, log_group: logs.ILogGroup) -> iam.Role:
        stack = cdk.Stack.of(self)
        role = iam.Role(
            self,
            "DeliveryRole",
            description="Amazon Bedrock writes model invocation logs to CloudWatch Logs",
            assumed_by=iam.ServicePrincipal(
                permissions.BEDROCK_SERVICE,
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": self.source_arn},
                },
            ),
        )
        # User guide, "Set up a CloudWatch Logs destination": CreateLogStream and PutLogEvents on
        # arn:aws:logs:<region>:<account>:log-group:<name>:log-stream:aws/bedrock/modelinvocations
        # (both actions are authorized on the log-stream resource).
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.INVOCATION_LOG_DELIVERY_ACTIONS),
                resources=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{log_group.log_group_name}:log-stream:{DELIVERY_LOG_STREAM}",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        acknowledge_role_policy(role)
        policy = role.node.find_child("DefaultPolicy").node.default_child
        assert isinstance(policy, cdk.CfnResource)
        self._writers.append(policy)
        return role

    def _grant_handler(self) -> None:
        role = self.provider.role
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.INVOCATION_LOGGING_ACTIONS), resources=["*"])
        )
        acknowledge_wildcard(
            role,
            "*",
            "Model invocation logging is one setting of the account and Region with no resource ARN; "
            "the statement holds only the three invocation logging actions.",
        )
        if self.role is not None:
            self.role.grant_pass_role(role)


def _prefix(prefix: str | None) -> str:
    """A key prefix as the service takes it: no leading or trailing slash ("" for none)."""
    return (prefix or "").strip("/")


def _validate(
    id: str,
    bucket: s3.IBucket | None,
    log_group: logs.ILogGroup | None,
    large_data_key_prefix: str | None,
    data: Sequence[str],
) -> None:
    problems = []
    if bucket is None and log_group is None:
        problems.append("give a bucket, a log_group or both")
    if large_data_key_prefix is not None and (bucket is None or log_group is None):
        problems.append("large_data_key_prefix needs both a log_group and a bucket")
    unknown = sorted(set(data) - set(DATA_KINDS))
    if unknown:
        problems.append(f"data {unknown} is not of {list(DATA_KINDS)}")
    if not data:
        problems.append("data is empty: log at least one kind")
    if problems:
        raise ConstructValidationError(f"invocation logging {id!r}: {'; '.join(problems)}")
