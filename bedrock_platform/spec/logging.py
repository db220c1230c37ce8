"""Model invocation logging and the toolkit's log groups: what is logged, where, for how long.

Sources:
- What an invocation log may hold: the ``*DataDeliveryEnabled`` members of ``LoggingConfig`` in
  PutModelInvocationLoggingConfiguration (botocore's ``bedrock`` model; a test compares).
- Retention: the values of ``AWS::Logs::LogGroup`` ``RetentionInDays`` (cfn-lint's resource schema;
  a test compares).
- Where Bedrock writes: S3 under ``<prefix>AWSLogs/<account>/BedrockModelInvocationLogs/``, and
  CloudWatch Logs in the stream ``aws/bedrock/modelinvocations`` (user guide, "Monitor model
  invocation using CloudWatch Logs and Amazon S3").
"""

from __future__ import annotations

DATA_KINDS: tuple[str, ...] = ("text", "image", "embedding", "video", "audio")
"""What invocation logging can deliver, each ``<kind>DataDeliveryEnabled``."""
DEFAULT_DATA: tuple[str, ...] = ("text",)
"""What a config logs when it says nothing."""

RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
"""The retention periods CloudWatch Logs accepts, in days."""
DEFAULT_RETENTION_DAYS = 365
"""How long the toolkit's log groups keep events unless told otherwise: a year."""

DELIVERY_LOG_STREAM = "aws/bedrock/modelinvocations"
"""The log stream Bedrock writes invocation logs to."""
LARGE_DATA_PREFIX = "large-data/"
"""Where, under the S3 key prefix, payloads too large for a log event go."""


def invocation_log_group(environment: str) -> str:
    """The log group of an environment's invocation logs."""
    return f"/aws/bedrock/{environment}/model-invocations"


RESOURCE_TYPE = "Custom::BedrockInvocationLogging"
"""The CloudFormation type of the toolkit's invocation logging setting (one per account and Region)."""
