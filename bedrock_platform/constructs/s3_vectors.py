"""Amazon S3 Vectors as a knowledge base's vector store: a vector bucket and one index per knowledge base.

No Lambda: CloudFormation creates the bucket (``AWS::S3Vectors::VectorBucket``) and the indexes
(``AWS::S3Vectors::Index``), and aws-cdk-lib has their L1 classes only. Everything but the tags is
create-only: a new key for the bucket, or new dimensions or distance metric for an index, makes a new
bucket or index, which the names' fingerprints keep from colliding with the old ones
(:mod:`bedrock_platform.spec.s3_vectors`); a new index is empty until the next ingestion.
"""

from __future__ import annotations

from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3vectors as s3vectors
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.spec import s3_vectors as spec


class IS3VectorStore(Protocol):
    """A vector bucket, created here or imported."""

    @property
    def vector_bucket_name(self) -> str: ...
    @property
    def vector_bucket_arn(self) -> str: ...
    @property
    def encryption_key(self) -> kms.IKey | None: ...


class S3VectorStore(Construct):
    """A vector bucket, encrypted with SSE-S3 or a customer managed key, whose policy admits no
    principal of another account (:func:`account_only_policy`).

    Its AWS name is ``<vector_bucket_name>-<6 hex digits>`` over its encryption (create-only). It is
    retained when it leaves the stack (but not when the stack's first create fails) unless
    ``removal_policy`` says otherwise: its vectors are rebuilt only by ingesting every data source
    again.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vector_bucket_name: str,
        encryption_key: kms.IKey | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    ) -> None:
        """Create the vector bucket.

        :param vector_bucket_name: the name before the fingerprint: lowercase letters, digits and
            hyphens, at most 56 characters (63 with the fingerprint).
        :param encryption_key: customer managed key. Default: SSE-S3. Its key policy must let S3
            Vectors use it (the README says how).
        :param removal_policy: when it leaves the stack. Default: ``RETAIN_ON_UPDATE_OR_DELETE``
            (retained, but deleted when the stack's create fails: its name is fixed, and a retained
            leftover would make the retry fail with "already exists").
        """
        super().__init__(scope, id)
        key_arn = None if encryption_key is None else encryption_key.key_arn
        name = spec.vector_bucket_name(
            vector_bucket_name,
            kms_key_arn=None if key_arn is None or cdk.Token.is_unresolved(key_arn) else key_arn,
        )
        if not cdk.Token.is_unresolved(vector_bucket_name):
            problem = spec.name_problem(name, spec.VECTOR_BUCKET_NAME, "a vector bucket name")
            if problem:
                raise ConstructValidationError(f"S3VectorStore '{id}': vector bucket name '{name}' {problem}")
        self.resource = s3vectors.CfnVectorBucket(
            self,
            "Resource",
            vector_bucket_name=name,
            encryption_configuration=s3vectors.CfnVectorBucket.EncryptionConfigurationProperty(
                sse_type="AES256" if encryption_key is None else "aws:kms", kms_key_arn=key_arn
            ),
        )
        self.resource.apply_removal_policy(removal_policy)
        self.policy = s3vectors.CfnVectorBucketPolicy(
            self,
            "Policy",
            vector_bucket_arn=self.resource.attr_vector_bucket_arn,
            policy=account_only_policy(cdk.Stack.of(self).account, self.resource.attr_vector_bucket_arn),
        )
        self.vector_bucket_name = name
        self.vector_bucket_arn = self.resource.attr_vector_bucket_arn
        self.encryption_key = encryption_key

    @classmethod
    def from_vector_bucket_arn(
        cls, scope: Construct, id: str, vector_bucket_arn: str, *, encryption_key: kms.IKey | None = None
    ) -> IS3VectorStore:
        """Use an existing vector bucket of this account and Region by its ARN
        (``arn:aws:s3vectors:<region>:<account>:bucket/<name>``); ``encryption_key`` is its customer
        managed key, if it has one."""
        return _ImportedS3VectorStore(scope, id, vector_bucket_arn, encryption_key)


def account_only_policy(account: str, vector_bucket_arn: str) -> dict[str, object]:
    """A vector bucket policy that admits no principal of another account, nor an anonymous one: what
    needs the bucket (the knowledge base roles, the deployment creating indexes) is the account's
    own, and an AWS service acting for itself (none today) is left to its own authorization."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OnlyThisAccount",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3vectors:*",
                "Resource": [vector_bucket_arn, f"{vector_bucket_arn}/index/*"],
                "Condition": {
                    "StringNotEqualsIfExists": {"aws:PrincipalAccount": account},
                    "Bool": {"aws:PrincipalIsAWSService": "false"},
                },
            }
        ],
    }


class _ImportedS3VectorStore(Construct):
    def __init__(
        self, scope: Construct, id: str, vector_bucket_arn: str, encryption_key: kms.IKey | None
    ) -> None:
        super().__init__(scope, id)
        self.vector_bucket_arn = vector_bucket_arn
        self.vector_bucket_name = (
            cdk.Arn.split(vector_bucket_arn, cdk.ArnFormat.SLASH_RESOURCE_NAME).resource_name or ""
        )
        self.encryption_key = encryption_key


class S3VectorIndexBase(Construct):
    """What a knowledge base asks of an S3 Vectors index, created here or imported."""

    store: IS3VectorStore
    index_name: str
    index_arn: str
    dimensions: int

    def fingerprint_parts(self) -> tuple[str | None, str, tuple[str, ...], str]:
        """(container, index, fields, storage type) for a knowledge base's name fingerprint."""
        bucket = self.store.vector_bucket_name
        container = None if cdk.Token.is_unresolved(bucket) else bucket
        return container, self.index_name, spec.NON_FILTERABLE_METADATA_KEYS, spec.STORAGE_TYPE

    def storage_configuration(self) -> bedrock.CfnKnowledgeBase.StorageConfigurationProperty:
        return bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
            type=spec.STORAGE_TYPE,
            s3_vectors_configuration=bedrock.CfnKnowledgeBase.S3VectorsConfigurationProperty(
                index_arn=self.index_arn
            ),
        )

    def grant_knowledge_base(self, role: iam.IRole) -> None:
        """What the knowledge base's role does on this index (and the bucket's key, if it has one)."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(spec.KNOWLEDGE_BASE_ACTIONS), resources=[self.index_arn])
        )
        key = self.store.encryption_key
        if key is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(permissions.KMS_ENCRYPT_DECRYPT_ACTIONS), resources=[key.key_arn]
                )
            )


class S3VectorIndex(S3VectorIndexBase):
    """The index of one knowledge base in a vector bucket: ``float32`` vectors of the embedding
    model's dimensions, compared by ``distance_metric``, the text and metadata Bedrock writes with
    each vector stored non-filterable.

    Its AWS name is ``<index_name>-<6 hex digits>`` over what it cannot change in place.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        store: IS3VectorStore,
        index_name: str,
        dimensions: int,
        distance_metric: str = spec.DEFAULT_DISTANCE_METRIC,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    ) -> None:
        """Create the index.

        :param store: the vector bucket.
        :param index_name: the name before the fingerprint: lowercase letters, digits, hyphens and
            dots, at most 56 characters.
        :param dimensions: the embedding model's, 1 to 4,096.
        :param distance_metric: ``cosine`` or ``euclidean``. Default: ``cosine``.
        :param removal_policy: when it leaves the stack; give its bucket's (a bucket with an index
            left in it cannot be deleted). Default: ``RETAIN_ON_UPDATE_OR_DELETE``.
        """
        super().__init__(scope, id)
        name = spec.index_name(index_name, dimensions=dimensions, distance_metric=distance_metric)
        problems = []
        if not cdk.Token.is_unresolved(index_name):
            problem = spec.name_problem(name, spec.INDEX_NAME, "an index name")
            if problem:
                problems.append(f"index name '{name}' {problem}")
        if not 1 <= dimensions <= spec.MAX_DIMENSIONS:
            problems.append(f"dimensions is {dimensions}, must be 1 to {spec.MAX_DIMENSIONS}")
        if distance_metric not in spec.DISTANCE_METRICS:
            problems.append(
                f"distance_metric '{distance_metric}' is not one of {', '.join(spec.DISTANCE_METRICS)}"
            )
        if problems:
            raise ConstructValidationError(f"S3VectorIndex '{id}': " + "; ".join(problems))
        self.resource = s3vectors.CfnIndex(
            self,
            "Resource",
            vector_bucket_arn=store.vector_bucket_arn,
            index_name=name,
            data_type=spec.DATA_TYPE,
            dimension=dimensions,
            distance_metric=distance_metric,
            metadata_configuration=s3vectors.CfnIndex.MetadataConfigurationProperty(
                non_filterable_metadata_keys=list(spec.NON_FILTERABLE_METADATA_KEYS)
            ),
        )
        self.resource.apply_removal_policy(removal_policy)
        self.store = store
        self.index_name = name
        self.index_arn = self.resource.attr_index_arn
        self.dimensions = dimensions
        self.distance_metric = distance_metric

    @classmethod
    def from_index_arn(
        cls,
        scope: Construct,
        id: str,
        index_arn: str,
        *,
        dimensions: int,
        encryption_key: kms.IKey | None = None,
    ) -> S3VectorIndexBase:
        """Use an existing index by its ARN (``arn:aws:s3vectors:<region>:<account>:bucket/<bucket>/
        index/<index>``), created with ``dimensions`` and Bedrock's keys non-filterable; nothing is
        created. ``encryption_key`` is its bucket's customer managed key, if it has one."""
        return _ImportedS3VectorIndex(scope, id, index_arn, dimensions, encryption_key)


class _ImportedS3VectorIndex(S3VectorIndexBase):
    def __init__(
        self, scope: Construct, id: str, index_arn: str, dimensions: int, encryption_key: kms.IKey | None
    ) -> None:
        super().__init__(scope, id)
        match = spec.INDEX_ARN.match(index_arn)
        if match is None and not cdk.Token.is_unresolved(index_arn):
            raise ConstructValidationError(
                f"S3VectorIndex.from_index_arn '{id}': '{index_arn}' is not an index ARN"
            )
        bucket_arn = index_arn.split("/index/")[0]
        self.store = S3VectorStore.from_vector_bucket_arn(
            self, "Bucket", bucket_arn, encryption_key=encryption_key
        )
        self.index_name = match["index"] if match else index_arn
        self.index_arn = index_arn
        self.dimensions = dimensions
