"""Job data shipped with the repository: a file or folder uploaded to the job bucket at deploy.

An evaluation job's custom dataset or a batch job's input must be in the bucket before the job
starts; on a bucket the same deployment creates, nothing is there yet. :class:`JobData` uploads
a file (to one object key) or a folder (under a key prefix) with CDK's ``BucketDeployment``, and
a job that reads it depends on it, so CloudFormation starts the job only after the upload.

The upload's Lambda function (CDK's, one per stack) runs as a role of this module
(:class:`JobDataUploader`): it may write its own log group, read each upload's asset object, and
list and write only the keys each upload writes (with the bucket's key, through S3 only). The
uploads never delete: ``prune`` is off and objects stay when an upload is removed.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.handler_provider import LOG_RETENTION, depend_on_policy_only, handler_vpc
from bedrock_platform.constructs.handler_provider import _logs_key as logs_key
from bedrock_platform.constructs.nag import (
    acknowledge,
    acknowledge_custom_resource_function,
    acknowledge_role_policy,
    acknowledge_unencrypted_log_group,
    acknowledge_wildcard,
    l1,
    skip_checkov,
)

__all__ = ["JobData", "JobDataUploader"]

UPLOADER_ID = "JobDataUploader"
OWNER_TAG = "aws-cdk:cr-owned"
"""The tag key prefix aws-cdk-lib's BucketDeployment puts on its destination bucket."""
UPLOADER_LOGS = (
    "The log group holds only CDK's BucketDeployment lines (the S3 commands it runs: bucket, key, "
    "no object content), which CloudWatch Logs encrypts at rest with its own keys."
)
UPLOADER_ENVIRONMENT = (
    "CDK's BucketDeployment function: its only environment variable is AWS_CA_BUNDLE, the path of "
    "the runtime's certificate bundle, nothing secret."
)
UPLOADER_RUNTIME = (
    "CDK's BucketDeployment function: aws-cdk-lib sets its runtime (and the AWS CLI layer that "
    "goes with it); it runs only during deployments, to copy the repository's job data."
)


class JobDataUploader(Construct):
    """The stack's role and log group for CDK's ``BucketDeployment`` function (one per stack)."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # Encrypted like the custom-resource handlers' log groups (handler_logs.kms_key_arn).
        key = logs_key(cdk.Stack.of(self))
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=LOG_RETENTION,
            removal_policy=cdk.RemovalPolicy.DESTROY,
            encryption_key=key,
        )
        if key is None:
            acknowledge_unencrypted_log_group(self.log_group, UPLOADER_LOGS)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="bedrock-platform: uploads the repository's job data to the job bucket",
        )
        self.log_group.grant_write(self.role)
        acknowledge_role_policy(self.role)
        acknowledge_wildcard(
            self.role,
            self.log_group.log_group_arn,
            "The wildcard is the log streams of this upload function's own log group, which Lambda names.",
        )
        self.immutable_role = self.role.without_policy_updates()
        """What the function is given: CDK's own grants (wildcard actions on the whole bucket and
        the whole asset bucket) are dropped; :class:`JobData` grants what each upload needs."""

    @classmethod
    def of(cls, scope: Construct) -> JobDataUploader:
        """The stack's uploader, created on first use."""
        stack = cdk.Stack.of(scope)
        existing = stack.node.try_find_child(UPLOADER_ID)
        if isinstance(existing, JobDataUploader):
            return existing
        return cls(stack, UPLOADER_ID)


class JobData(Construct):
    """A file or folder of the repository, uploaded to ``bucket`` at ``key`` when deployed.

    :param bucket: the job bucket.
    :param source: a file, or a folder, on this machine (read at synthesis).
    :param key: for a file, its object key, or a prefix ending in ``/`` to keep its file name;
        for a folder, the prefix its files go under (ending in ``/``).
    :param bucket_key: the customer managed key the bucket encrypts objects with, if any.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket: s3.IBucket,
        source: str,
        key: str,
        bucket_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        path = Path(source)
        self.fingerprint = data_fingerprint(path)
        """A hash of the data uploaded (file names and contents), for the job's name."""
        if path.is_dir():
            if not key.endswith("/"):
                raise ConstructValidationError(
                    f"job data {id!r}: source {source!r} is a folder, "
                    f"so key {key!r} must be a prefix ending in /"
                )
            sources = [s3deploy.Source.asset(str(path))]
            prefix = key
            written = [f"{key}*"]
        elif path.is_file():
            object_key = f"{key}{path.name}" if key.endswith("/") else key
            folder, name = posixpath.split(object_key)
            sources = [s3deploy.Source.data(name, path.read_text(encoding="utf-8"))]
            prefix = f"{folder}/" if folder else ""
            written = [object_key]
        else:
            raise ConstructValidationError(
                f"job data {id!r}: source {source!r} is neither a file nor a folder"
            )
        self.object_keys = tuple(written)
        """What the upload writes: object keys, or ``<prefix>*`` for a folder."""

        uploader = JobDataUploader.of(self)
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Upload",
            sources=sources,
            destination_bucket=bucket,
            destination_key_prefix=prefix or None,
            prune=False,
            retain_on_delete=True,
            role=uploader.immutable_role,
            log_group=uploader.log_group,
        )
        self._untag(bucket, prefix)
        self._grant(uploader.role, bucket, prefix, written, bucket_key)
        self._acknowledge_function()

    def _untag(self, bucket: s3.IBucket, prefix: str) -> None:
        """Drop the ``aws-cdk:cr-owned:<prefix>:<8 hex of the construct path>`` tag CDK puts on the
        bucket. It serves only uploads that delete their objects (``retain_on_delete`` off), and
        its construct path hash would make a pipeline stage's template differ from ``cdk deploy``'s."""
        custom_resource = self.deployment.node.find_child("CustomResource")
        key = f"{OWNER_TAG}{f':{prefix}' if prefix else ''}:{custom_resource.node.addr[-8:]}"
        cdk.Tags.of(bucket).remove(key)

    def _grant(
        self,
        role: iam.Role,
        bucket: s3.IBucket,
        prefix: str,
        written: list[str],
        bucket_key: kms.IKey | None,
    ) -> None:
        """Read this upload's asset objects; list and write only the keys it writes."""
        assets = [child for child in self.deployment.node.children if isinstance(child, s3_assets.Asset)]
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.S3_READ_ACTIONS),
                resources=[asset.bucket.arn_for_objects(asset.s3_object_key) for asset in assets],
            )
        )
        # `aws s3 sync` lists the destination prefix before it copies.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.S3_LIST_ACTIONS),
                resources=[bucket.bucket_arn],
                # A listing of the whole bucket (a key at its root) carries no prefix to match.
                conditions={"StringLike": {"s3:prefix": [prefix, f"{prefix}*"]}} if prefix else None,
            )
        )
        objects = [bucket.arn_for_objects(key) for key in written]
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.JOB_DATA_WRITE_ACTIONS), resources=objects)
        )
        for arn in objects:
            if arn.endswith("*"):
                acknowledge_wildcard(role, arn, "The wildcard is the objects under this upload's own prefix.")
        if bucket_key is not None:
            region = cdk.Stack.of(self).region
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(permissions.KMS_ENCRYPT_DECRYPT_ACTIONS),
                    resources=[bucket_key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
                )
            )

    def _acknowledge_function(self) -> None:
        """What cdk-nag and checkov find in CDK's BucketDeployment function, and why it is safe."""
        stack = cdk.Stack.of(self)
        for child in stack.node.children:
            if isinstance(child, lambda_.SingletonFunction) or not isinstance(child, lambda_.Function):
                continue
            if not child.node.id.startswith("Custom::CDKBucketDeployment"):
                continue
            acknowledge_custom_resource_function(child)
            skip_checkov(l1(child), "CKV_AWS_173", UPLOADER_ENVIRONMENT)
            acknowledge(child, "AwsSolutions::AwsSolutions-L1", UPLOADER_RUNTIME)
            # The function runs only once its policy exists; the role itself it references already
            # (a redundant DependsOn is cfn-lint W3005).
            depend_on_policy_only(child, JobDataUploader.of(self).role)
            network = handler_vpc(self)
            if network is not None:
                network.place(child, JobDataUploader.of(self).role)


def data_fingerprint(path: Path) -> str:
    """16 hex digits of SHA-256 over a file's content, or a folder's file names and contents."""
    digest = hashlib.sha256()
    files = sorted(item for item in path.rglob("*") if item.is_file()) if path.is_dir() else [path]
    for file in files:
        name = file.relative_to(path).as_posix() if path.is_dir() else ""
        digest.update(f"{name}\0{file.stat().st_size}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
