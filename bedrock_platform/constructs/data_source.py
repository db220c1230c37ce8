"""S3 data sources of knowledge bases, their chunking, and the document buckets the toolkit creates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.knowledge_base import KnowledgeBase
from bedrock_platform.constructs.nag import acknowledge_bucket, acknowledge_wildcard
from bedrock_platform.spec import chunking as chunking_spec
from bedrock_platform.spec import knowledge_base as knowledge_base_spec
from bedrock_platform.spec import names as names_spec

_NAME = names_spec.BEDROCK_NAME


@dataclass(frozen=True)
class Chunking:
    """How a data source splits documents into chunks. Build it with the class methods."""

    strategy: str
    parameters: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fixed_size(cls, *, max_tokens: int | None = None, overlap_percentage: int | None = None) -> Chunking:
        """Chunks of at most ``max_tokens``, overlapping by ``overlap_percentage``; the defaults and
        ranges are :data:`bedrock_platform.spec.chunking.STRATEGIES` (300 tokens, 20 %)."""
        return cls._of("fixed_size", max_tokens=max_tokens, overlap_percentage=overlap_percentage)

    @classmethod
    def hierarchical(
        cls,
        *,
        parent_max_tokens: int | None = None,
        child_max_tokens: int | None = None,
        overlap_tokens: int | None = None,
    ) -> Chunking:
        """Parent and child chunks, the child at most the parent and the overlap less than the child
        (defaults 1,500, 300 and 60 tokens: :mod:`bedrock_platform.spec.chunking`)."""
        return cls._of(
            "hierarchical",
            parent_max_tokens=parent_max_tokens,
            child_max_tokens=child_max_tokens,
            overlap_tokens=overlap_tokens,
        )

    @classmethod
    def semantic(
        cls,
        *,
        max_tokens: int | None = None,
        buffer_size: int | None = None,
        breakpoint_percentile_threshold: int | None = None,
    ) -> Chunking:
        """Chunks split where meaning changes (defaults 300 tokens, buffer 0, threshold 95:
        :mod:`bedrock_platform.spec.chunking`)."""
        return cls._of(
            "semantic",
            max_tokens=max_tokens,
            buffer_size=buffer_size,
            breakpoint_percentile_threshold=breakpoint_percentile_threshold,
        )

    @classmethod
    def _of(cls, strategy: str, **given: int | None) -> Chunking:
        """The strategy with its given parameters and the spec's defaults, checked by the spec."""
        spec = chunking_spec.STRATEGIES[strategy]
        values: dict[str, int] = {}
        for name, default in spec.defaults().items():
            value = given[name]
            values[name] = default if value is None else value
        problems = chunking_spec.problems(strategy, values)
        if problems:
            raise ConstructValidationError(f"Chunking: {'; '.join(problems)}")
        return cls(spec.api_name, dict(values))

    @classmethod
    def none(cls) -> Chunking:
        """Each file is one chunk."""
        return cls("NONE")

    def to_cfn(self) -> bedrock.CfnDataSource.ChunkingConfigurationProperty:
        """The CloudFormation chunking configuration."""
        p = self.parameters
        prop = bedrock.CfnDataSource
        if self.strategy == "FIXED_SIZE":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="FIXED_SIZE",
                fixed_size_chunking_configuration=prop.FixedSizeChunkingConfigurationProperty(
                    max_tokens=p["max_tokens"], overlap_percentage=p["overlap_percentage"]
                ),
            )
        if self.strategy == "HIERARCHICAL":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="HIERARCHICAL",
                hierarchical_chunking_configuration=prop.HierarchicalChunkingConfigurationProperty(
                    level_configurations=[
                        prop.HierarchicalChunkingLevelConfigurationProperty(
                            max_tokens=p["parent_max_tokens"]
                        ),
                        prop.HierarchicalChunkingLevelConfigurationProperty(max_tokens=p["child_max_tokens"]),
                    ],
                    overlap_tokens=p["overlap_tokens"],
                ),
            )
        if self.strategy == "SEMANTIC":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="SEMANTIC",
                semantic_chunking_configuration=prop.SemanticChunkingConfigurationProperty(
                    max_tokens=p["max_tokens"],
                    buffer_size=p["buffer_size"],
                    breakpoint_percentile_threshold=p["breakpoint_percentile_threshold"],
                ),
            )
        return prop.ChunkingConfigurationProperty(chunking_strategy="NONE")

    def fingerprint(self) -> str:
        """Six hex characters over the strategy and its parameters (plain values, no tokens)."""
        text = json.dumps({"strategy": self.strategy, **self.parameters}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


class S3DataSource(Construct):
    """An S3 data source of a knowledge base.

    The AWS name is ``<data_source_name>-<fingerprint of the chunking>``: chunking is create-only,
    so a change replaces the data source, and the new name keeps CloudFormation from failing with
    "already exists" while the old one is still there. The knowledge base role gets read access to
    the bucket (only under the inclusion prefix), only while the bucket belongs to the account that
    owns it (``aws:ResourceAccount``), and decrypt on its key only through S3
    (``kms:ViaService``), as the user guide's knowledge base service role gives them ("Création d'un
    rôle de service pour les bases de connaissances d'Amazon Bedrock", "Autorisations requises pour
    le rôle de base de connaissances").
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base: KnowledgeBase,
        data_source_name: str,
        bucket: s3.IBucket,
        inclusion_prefixes: Sequence[str] = (),
        chunking: Chunking | None = None,
        data_deletion_policy: str = "DELETE",
        description: str | None = None,
        kms_key: kms.IKey | None = None,
        bucket_owner_account: str | None = None,
    ) -> None:
        """Create the data source.

        :param knowledge_base: the knowledge base it feeds; its service role gets read access.
        :param data_source_name: the name before the chunking fingerprint; at most 93 characters.
        :param bucket: where the documents are.
        :param inclusion_prefixes: at most one prefix to ingest from. Default: the whole bucket.
        :param chunking: Default ``Chunking.fixed_size()`` (300 tokens, 20 % overlap).
        :param data_deletion_policy: ``DELETE`` (default) or ``RETAIN`` the vectors when the data
            source goes away.
        :param description: 1 to 200 characters. Default: none.
        :param kms_key: the key the objects are encrypted with. Default: the bucket's own key, if any.
        :param bucket_owner_account: the account that owns the bucket (an S3 bucket ARN names none):
            the role may read the bucket only while it belongs to that account. Default: this
            stack's account.
        """
        super().__init__(scope, id)
        chunking = chunking or Chunking.fixed_size()
        name = f"{data_source_name}-{chunking.fingerprint()}"
        problems = []
        if not cdk.Token.is_unresolved(data_source_name) and not _NAME.match(name):
            problems.append(f"data source name '{name}' must match {_NAME.pattern}")
        if len(inclusion_prefixes) > 1:
            problems.append(f"inclusion_prefixes has {len(inclusion_prefixes)} entries, at most 1")
        if data_deletion_policy not in ("DELETE", "RETAIN"):
            problems.append(f"data_deletion_policy '{data_deletion_policy}' must be DELETE or RETAIN")
        description_problem = knowledge_base_spec.description_problem(description)
        if description_problem:
            problems.append(description_problem)
        if problems:
            raise ConstructValidationError(f"S3DataSource '{id}': " + "; ".join(problems))

        self.chunking = chunking
        self.bucket = bucket
        self.knowledge_base = knowledge_base
        self.bucket_owner_account = bucket_owner_account or cdk.Stack.of(self).account
        self._grant_read(
            knowledge_base,
            bucket,
            inclusion_prefixes,
            kms_key or bucket.encryption_key,
            self.bucket_owner_account,
        )
        self.resource = bedrock.CfnDataSource(
            self,
            "Resource",
            name=name,
            description=description,
            knowledge_base_id=knowledge_base.knowledge_base_id,
            data_deletion_policy=data_deletion_policy,
            data_source_configuration=bedrock.CfnDataSource.DataSourceConfigurationProperty(
                type="S3",
                s3_configuration=bedrock.CfnDataSource.S3DataSourceConfigurationProperty(
                    bucket_arn=bucket.bucket_arn,
                    inclusion_prefixes=list(inclusion_prefixes) or None,
                ),
            ),
            vector_ingestion_configuration=bedrock.CfnDataSource.VectorIngestionConfigurationProperty(
                chunking_configuration=chunking.to_cfn()
            ),
        )
        self.data_source_name = name
        self.data_source_id = self.resource.attr_data_source_id

    @staticmethod
    def _grant_read(
        knowledge_base: KnowledgeBase,
        bucket: s3.IBucket,
        inclusion_prefixes: Sequence[str],
        key: kms.IKey | None,
        owner_account: str,
    ) -> None:
        # The guide's "Autorisations requises pour le rôle de base de connaissances": S3ListBucket
        # and S3GetObject statements with "aws:ResourceAccount": "bucketOwnerAccountId", and
        # KmsDecryptStatement with "kms:ViaService": "s3.region.amazonaws.com".
        role = knowledge_base.role
        owner = {"StringEquals": {"aws:ResourceAccount": owner_account}}
        role.add_to_principal_policy(
            cdk.aws_iam.PolicyStatement(
                actions=list(permissions.S3_LIST_ACTIONS), resources=[bucket.bucket_arn], conditions=owner
            )
        )
        objects = [bucket.arn_for_objects(f"{prefix}*") for prefix in inclusion_prefixes] or [
            bucket.arn_for_objects("*")
        ]
        role.add_to_principal_policy(
            cdk.aws_iam.PolicyStatement(
                actions=list(permissions.S3_READ_ACTIONS), resources=objects, conditions=owner
            )
        )
        for arn in objects:
            acknowledge_wildcard(
                role,
                arn,
                "Bedrock ingestion reads every object under the data source's inclusion prefix "
                "of this one bucket; object keys are not known in advance.",
            )
        if key is not None:
            stack = cdk.Stack.of(role)
            role.add_to_principal_policy(
                cdk.aws_iam.PolicyStatement(
                    actions=list(permissions.KMS_DECRYPT_ACTIONS),
                    resources=[key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"}},
                )
            )


class AccessLogsBucket(s3.Bucket):
    """The bucket that receives the server access logs of the document buckets of a stack.

    Encrypted with SSE-S3: S3 delivers server access logs only to a bucket with that default
    encryption, not to one with a KMS key.
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(
            scope,
            id,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(365), noncurrent_version_expiration=cdk.Duration.days(30)
                )
            ],
        )
        acknowledge_bucket(self, access_logs=True)


NONCURRENT_VERSION_DAYS = 90
"""How long a document bucket keeps an overwritten or deleted object's old version: long enough to
restore a mistaken sync or deletion, bounded so that erased data does go (AWS Control Tower's
CT.S3.PR.3 and CT.S3.PR.6 want a lifecycle on every versioned bucket)."""
INCOMPLETE_UPLOAD_DAYS = 7
"""When the parts of a multipart upload that never completed are removed."""


class DocumentBucket(s3.Bucket):
    """A bucket for knowledge base documents: SSL only, public access blocked, encrypted,
    versioned (old versions expire after :data:`NONCURRENT_VERSION_DAYS` days), access-logged,
    retained when it leaves the stack."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        access_logs_bucket: s3.IBucket,
        encryption_key: kms.IKey | None = None,
        cors: Sequence[s3.CorsRule] = (),
    ) -> None:
        """Create the bucket.

        :param access_logs_bucket: where server access logs go (prefix: the construct path).
        :param encryption_key: customer managed key. Default: S3 managed keys (SSE-S3).
        :param cors: CORS rules. Default: none.
        """
        kwargs: dict[str, Any] = (
            {
                "encryption": s3.BucketEncryption.KMS,
                "encryption_key": encryption_key,
                "bucket_key_enabled": True,
            }
            if encryption_key
            else {"encryption": s3.BucketEncryption.S3_MANAGED}
        )
        super().__init__(
            scope,
            id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            cors=list(cors) or None,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireOldVersions",
                    noncurrent_version_expiration=cdk.Duration.days(NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(INCOMPLETE_UPLOAD_DAYS),
                )
            ],
            **kwargs,
        )
        self._log_access_to(access_logs_bucket, f"{id}/")
        acknowledge_bucket(self, sse_s3=encryption_key is None)

    def _log_access_to(self, target: s3.IBucket, prefix: str) -> None:
        """Server access logs into ``target`` under ``prefix``, delivered by the S3 logging service
        under a bucket policy statement on ``target`` (what aws-cdk-lib writes with the
        ``@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`` flag, written here so that an app
        without the flag gets it too; without it aws-cdk-lib would need ACL-based delivery, which
        the target's BucketOwnerEnforced ownership refuses)."""
        bucket = self.node.default_child
        assert isinstance(bucket, s3.CfnBucket)
        bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=target.bucket_name, log_file_prefix=prefix
        )
        target.add_to_resource_policy(
            cdk.aws_iam.PolicyStatement(
                principals=[cdk.aws_iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[target.arn_for_objects(f"{prefix}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": self.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": cdk.Stack.of(self).account},
                },
            )
        )
