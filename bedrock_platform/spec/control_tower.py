"""The AWS Control Tower proactive controls: which rules exist, and which the toolkit does not meet, why.

The rules are the cfn-guard files that ``cdklabs-cdk-validator-cfnguard`` ships (Control Tower's
proactive controls, ``rules/control-tower/cfn-guard``); they are read from the installed package,
never copied. A finding names the rule (``s3_bucket_object_lock_enabled_check``); the plugin turns
rules off by the file they are in (``ct-s3-pr-9``). Nothing here imports aws_cdk or starts jsii.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tarfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

PLUGIN_NAME = "cdk-validator-cfnguard"
"""The plugin's name: its findings are acknowledged as ``cdk-validator-cfnguard::<rule name>``."""
PACKAGE = "cdklabs.cdk_validator_cfnguard"
RULES_FOLDER = "package/rules/control-tower/cfn-guard/"
_RULE = re.compile(r"^rule ([a-z0-9_]+) when", re.MULTILINE)

LAMBDA_IN_VPC = "lambda_inside_vpc_check"
"""CT.LAMBDA.PR.3: a Lambda function runs in a VPC (``handler_vpc``, or an exemption)."""
LOG_RETENTION = "cloudwatch_log_group_retention_period_check"
LOG_RETENTION_CONTROL = "CT.CLOUDWATCH.PR.2"
MIN_LOG_RETENTION_DAYS = 365
"""CT.CLOUDWATCH.PR.2: a log group keeps its events at least a year (the rule file's
MINIMUM_RETENTION_IN_DAYS; a test reads it)."""

PLATFORM_EXEMPTIONS: Mapping[str, str] = {
    "s3_bucket_object_lock_enabled_check": (
        "CT.S3.PR.9, S3 Object Lock: the toolkit's buckets hold documents, job data and logs that the "
        "platform team must be able to delete and replace (a knowledge base's data deletion, a corrected "
        "dataset, GDPR erasure); Object Lock would keep every version for its retention period, and it "
        "cannot be turned off once on. Versioning with noncurrent-version expiry keeps deletions "
        "recoverable instead."
    ),
    "s3_event_notifications_enabled_check": (
        "CT.S3.PR.4, S3 event notifications: nothing consumes events of these buckets (ingestion is "
        "started by the deployment or the sync command), and a notification without a consumer is a "
        "queue or topic nobody reads."
    ),
}
"""Rules turned off for every environment, each with the reason (the README lists them)."""

ACCESS_LOGS_BUCKET_ENCRYPTION = (
    "This is a server access log target bucket: S3 delivers access logs only to a bucket whose "
    "default encryption is SSE-S3 (AES-256, keys S3 manages); SSE-KMS is not supported there."
)
ACCESS_LOGS_BUCKET_LOGGING = "This is the access-log target bucket; logging it into itself would loop."
ACCESS_LOG_BUCKET_EXEMPTIONS: Mapping[str, str] = {
    "s3_bucket_logging_enabled_check": ACCESS_LOGS_BUCKET_LOGGING,
    "s3_bucket_default_encryption_kms_check": ACCESS_LOGS_BUCKET_ENCRYPTION,
}
"""Rules acknowledged on each access-log bucket only (CT.S3.PR.2, CT.S3.PR.10), each with the reason
(cdk-nag's matching findings are acknowledged with the same words)."""


@functools.cache
def rules() -> Mapping[str, str]:
    """Every Control Tower rule of the installed plugin: rule name to the file id that holds it
    (``{"s3_bucket_object_lock_enabled_check": "ct-s3-pr-9", ...}``), read from its package."""
    found: dict[str, str] = {}
    with tarfile.open(_archive()) as archive:
        for member in archive:
            if not (member.name.startswith(RULES_FOLDER) and member.name.endswith(".guard")):
                continue
            stream = archive.extractfile(member)
            assert stream is not None
            file_id = PurePosixPath(member.name).stem
            for name in _RULE.findall(stream.read().decode("utf-8")):
                found[name] = file_id
    return dict(sorted(found.items()))


def _archive() -> Path:
    """The plugin's jsii tarball, found without importing the package (which would start jsii)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{PACKAGE} is not installed (requirements.txt pins it)")
    (archive,) = (Path(spec.origin).parent / "_jsii").glob("*.jsii.tgz")
    return archive


def disabled_files() -> list[str]:
    """The file ids of :data:`PLATFORM_EXEMPTIONS`, as the plugin's ``disabled_rules`` takes them."""
    return sorted(rules()[name] for name in PLATFORM_EXEMPTIONS)
