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

import hashlib
import re

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


# -- knowledge base application logs ------------------------------------------------------------
# User guide, "Monitor knowledge bases using CloudWatch Logs": a delivery source on the knowledge
# base's ARN with log type APPLICATION_LOGS (the status of each file of an ingestion job), a
# delivery destination, and a delivery pairing them. CloudWatch Logs user guide, "Enable logging
# from AWS services" > "Logs sent to CloudWatch Logs": delivery.logs.amazonaws.com creates the
# streams of the log group and puts the events, allowed by a CloudWatch Logs resource policy with
# aws:SourceAccount and aws:SourceArn; a log group under /aws/vendedlogs/ keeps that policy short.
KNOWLEDGE_BASE_LOG_TYPE = "APPLICATION_LOGS"
DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com"
DELIVERY_ACTIONS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")
DELIVERY_NAME_MAX = 60
"""``AWS::Logs::DeliverySource`` and ``DeliveryDestination`` ``Name`` (cfn-lint's schemas; a test
compares)."""
DELIVERY_OUTPUT_FORMAT = "json"
"""How the events are written to the log group (one JSON object per file event)."""


def knowledge_base_log_group_prefix(environment: str) -> str:
    """Where an environment's knowledge base log groups live: one resource policy covers them."""
    return f"/aws/vendedlogs/bedrock/{environment}/knowledge-bases/"


def knowledge_base_log_group(environment: str, knowledge_base: str) -> str:
    """The log group of a knowledge base's application logs."""
    return f"{knowledge_base_log_group_prefix(environment)}{knowledge_base}"


def delivery_name(base: str) -> str:
    """A delivery source or destination name for ``base`` (``<environment>-<knowledge base>``): itself
    when it fits in :data:`DELIVERY_NAME_MAX` characters, else its head and 6 hex digits of it."""
    if len(base) <= DELIVERY_NAME_MAX:
        return base
    digest = hashlib.sha256(base.encode()).hexdigest()[:6]
    return f"{base[: DELIVERY_NAME_MAX - 7]}-{digest}"


# -- where the application logs go ----------------------------------------------------------------
# A delivery source takes several deliveries, one per destination (CloudWatch Logs API reference,
# DeliverySource: "You can configure a single delivery source to send logs to multiple
# destinations"). Two traps, from the CloudWatch Logs API and CloudFormation:
# - A delivery source's ResourceArn cannot change in place ("Update to existing Delivery Source with
#   new ResourceId is not allowed"; the resource schema does not mark it create-only, so
#   CloudFormation would try), and one resource has at most one delivery source: the source is named
#   after the knowledge base's AWS name, which changes whenever the knowledge base is replaced, so a
#   replaced knowledge base gets a new source and the old one goes with the old knowledge base.
# - CreateDelivery on a source that another CreateDelivery is changing fails with
#   ConflictException: the deliveries of one source are created one after another.
# A destination's Name and DestinationResourceArn are create-only: a destination name carries the
# kind and, for a stream the config names, a digest of its ARN, so a new stream is a new destination.
DESTINATION_KINDS: tuple[str, ...] = ("cloudwatch", "s3", "firehose")
"""The ``logging`` keys of a knowledge base, in the order its deliveries are created."""
DESTINATION_SUFFIXES: dict[str, str] = {"cloudwatch": "", "s3": "-s3", "firehose": "-firehose"}
"""What each kind's destination name adds to the delivery name (the log group's has none)."""
DELIVERY_S3_ACTIONS: tuple[str, ...] = ("s3:PutObject",)
DELIVERY_S3_ACL_ACTIONS: tuple[str, ...] = ("s3:GetBucketAcl", "s3:ListBucket")
"""CloudWatch Logs user guide, "Logs sent to Amazon S3": the bucket policy lets
delivery.logs.amazonaws.com put objects with the bucket-owner-full-control ACL, and read the bucket's
ACL and list it (without ListBucket, CloudTrail shows AccessDenied), for this account's deliveries."""
DELIVERY_S3_ACL = "bucket-owner-full-control"
DELIVERY_KEY_ACTIONS: tuple[str, ...] = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
)
"""CloudWatch Logs user guide, "Logs sent to Amazon S3" > "Amazon S3 bucket server-side encryption":
what the delivery service does with a bucket's customer managed key (in the key policy)."""
FIREHOSE_STREAM_PATTERN = (
    r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[a-zA-Z0-9_.-]{1,64}$"
)
"""A Firehose stream's ARN (stream names: 1 to 64 of letters, digits, ``_``, ``.``, ``-``); the schema's
``firehose.delivery_stream_arn`` pattern (a test compares)."""
FIREHOSE_STREAM_ARN = re.compile(FIREHOSE_STREAM_PATTERN)


def stream_place(arn: str) -> tuple[str, str]:
    """(account, Region) of a Firehose stream ARN that matches :data:`FIREHOSE_STREAM_ARN`."""
    parts = arn.split(":")
    return parts[4], parts[3]


def destination_name(delivery: str, kind: str, resource: str = "") -> str:
    """The delivery destination name of ``kind`` for the delivery name ``delivery``; ``resource`` (a
    Firehose stream's ARN) adds 6 hex digits of itself."""
    suffix = DESTINATION_SUFFIXES[kind]
    if resource:
        suffix += "-" + hashlib.sha256(resource.encode()).hexdigest()[:6]
    return delivery_name(delivery + suffix)
