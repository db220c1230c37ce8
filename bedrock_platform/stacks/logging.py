"""The logging stack: model invocation logging of the environment's account and Region."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import ExistingBucket
from bedrock_platform.constructs.data_source import AccessLogsBucket, DocumentBucket
from bedrock_platform.constructs.encryption import log_group_key, stack_key
from bedrock_platform.constructs.invocation_logging import InvocationLogging
from bedrock_platform.spec.logging import LARGE_DATA_PREFIX
from bedrock_platform.stacks.base import PlatformStack


class LoggingStack(PlatformStack):
    """``<env>-bedrock-logging``: the ``invocation_logging`` section.

    Creates the log bucket (or uses an existing one), the log group
    ``/aws/bedrock/<env>/model-invocations`` (retained in prod, except by the rollback of the
    deployment that created it: ``RetainExceptOnCreate``) encrypted with the configured key or
    else a key of its own (rotated yearly, retained with it), and the account's logging
    configuration (left on when the stack is deleted in prod, turned off by a failed create).
    Outputs:
    ``InvocationLogGroupName`` and ``InvocationLogBucketName``.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="Amazon Bedrock model invocation logging")
        spec = config.invocation_logging
        assert spec is not None, "the stack exists only for a config with invocation_logging"
        bucket: s3.IBucket | None = None
        if isinstance(spec.bucket, ExistingBucket):
            bucket = s3.Bucket.from_bucket_arn(self, "LogBucket", spec.bucket.arn)
        elif spec.bucket is not None:
            bucket = DocumentBucket(
                self,
                "LogBucket",
                access_logs_bucket=AccessLogsBucket(self, "AccessLogs"),
                encryption_key=(
                    kms.Key.from_key_arn(self, "LogBucketKey", spec.bucket.kms_key_arn)
                    if spec.bucket.kms_key_arn
                    else stack_key(self)
                ),
            )
        if bucket is not None:
            self.output("InvocationLogBucketName", bucket.bucket_name, "Bucket of the model invocation logs")
        log_group: logs.LogGroup | None = None
        # In prod the log group, and the key the toolkit creates for it, outlive the stack; but
        # not a failed first deploy: the log group has a fixed name, and a plain Retain would keep
        # it through the create's rollback and make the retry fail with "already exists".
        removal = (
            cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE if config.is_prod else cdk.RemovalPolicy.DESTROY
        )
        if spec.cloudwatch:
            log_group_name = spec.log_group_name(config.environment)
            log_group = logs.LogGroup(
                self,
                "LogGroup",
                log_group_name=log_group_name,
                encryption_key=(
                    kms.Key.from_key_arn(self, "LogKey", spec.log_kms_key_arn)
                    if spec.log_kms_key_arn
                    else log_group_key(
                        self,
                        "LogGroupKey",
                        log_group_name=log_group_name,
                        description=f"bedrock-platform {config.environment}: model invocation logs",
                        removal_policy=removal,
                    )
                ),
                removal_policy=removal,
            )
            # Any of CloudWatch Logs' retention periods, as days (RetentionDays has no int constructor).
            resource = log_group.node.default_child
            assert isinstance(resource, logs.CfnLogGroup)
            resource.retention_in_days = spec.retention_days
            self.output(
                "InvocationLogGroupName", log_group.log_group_name, "Log group of the model invocation logs"
            )
        self.invocation_logging = InvocationLogging(
            self,
            "InvocationLogging",
            bucket=bucket,
            key_prefix=spec.key_prefix,
            log_group=log_group,
            large_data_key_prefix=f"{spec.key_prefix}{LARGE_DATA_PREFIX}" if spec.large_data_to_s3 else None,
            data=spec.data,
            take_over_existing=spec.take_over_existing,
            # In prod, deleting the stack leaves logging on: the audit trail outlives the stack. A
            # failed first deploy turns it off again (RetainExceptOnCreate: the rollback's Delete
            # reaches the handler), or the retry would find "someone else's" configuration.
            removal_policy=(
                cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE if config.is_prod else cdk.RemovalPolicy.DESTROY
            ),
        )
