"""Amazon S3 Vectors as a knowledge base's vector store: a vector bucket, and one index per knowledge
base in it, as the config rules, the constructs and the review read them.

Sources:
- ``AWS::S3Vectors::VectorBucket`` and ``Index`` (cfn-lint's resource schemas; tests compare): names
  3 to 63 characters; the index's data type ``float32``, dimension 1 to 4,096, distance metric
  ``cosine`` or ``euclidean``; every property but the tags create-only; SSE-S3 (``AES256``) or a
  KMS key (``aws:kms``).
- Name characters (Amazon S3 user guide, "Vector bucket naming rules" and "Vector index naming
  rules"): a vector bucket's name is lowercase letters, digits and hyphens, an index's also dots;
  both begin and end with a letter or a digit.
- The metadata Bedrock writes with each vector: the chunk text (``AMAZON_BEDROCK_TEXT``) and its
  metadata (``AMAZON_BEDROCK_METADATA``), as issue 21 quotes the Bedrock user guide (the excerpt in
  shared/reference predates S3 Vectors). Filterable metadata is limited per vector (Amazon S3 user
  guide, "Limitations and restrictions"), which a chunk's text exceeds: the index is created with
  both keys non-filterable (``MetadataConfiguration``: 1 to 10 keys of 1 to 63 characters).
- The knowledge base role's actions on its index (user guide, knowledge base service role, "S3
  Vectors" permissions): GetIndex (checked when the knowledge base is created), PutVectors,
  GetVectors, DeleteVectors (ingestion, and data deletion) and QueryVectors (retrieval).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

STORE_TYPE = "s3_vectors"
"""``vector_stores[].type`` of an S3 Vectors store."""
STORAGE_TYPE = "S3_VECTORS"
"""The knowledge base's ``StorageConfiguration.Type``."""

VECTOR_BUCKET_TYPE = "AWS::S3Vectors::VectorBucket"
INDEX_TYPE = "AWS::S3Vectors::Index"
VECTOR_BUCKET_POLICY_TYPE = "AWS::S3Vectors::VectorBucketPolicy"

NAME_LIMITS = (3, 63)
"""Vector bucket and index names: 3 to 63 characters."""
VECTOR_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
NAME_SUFFIX_LENGTH = 7
"""What the toolkit appends to a vector bucket's or an index's name: ``-`` and 6 hex digits."""

DATA_TYPE = "float32"
DISTANCE_METRICS: tuple[str, ...] = ("cosine", "euclidean")
DEFAULT_DISTANCE_METRIC = "cosine"
MAX_DIMENSIONS = 4096
NON_FILTERABLE_METADATA_KEYS: tuple[str, ...] = ("AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA")

REGIONS: tuple[str, ...] = (
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-1",
    "us-west-2",
)
"""The Regions with ``AWS::S3Vectors::VectorBucket``, ``Index`` and ``VectorBucketPolicy`` (cfn-lint
1.58.0's resource schemas, 2026-10-20; a test compares)."""

EXISTING_INDEX_REFUSES: tuple[str, ...] = ("distance_metric", "vector_bucket_arn")
"""The keys of an S3 Vectors store that an ``index_arn`` store does not take (the index is its owner's,
and its bucket is in its ARN)."""
INDEX_ARN = re.compile(
    r"^arn:[^:]+:s3vectors:(?P<region>[^:]+):(?P<account>[0-9]+):bucket/(?P<bucket>[^/]+)/index/(?P<index>[^/]+)$"
)
EXISTING_COLLECTION_REFUSES: tuple[str, ...] = (
    "standby_replicas",
    "deletion_protection",
    "encryption",
    "network",
)
"""The keys of a collection the toolkit creates, which an ``existing_collection`` store does not take
(the collection is its owner's)."""
"""The keys of a vector store that only an S3 Vectors store takes."""

KNOWLEDGE_BASE_ACTIONS: tuple[str, ...] = (
    "s3vectors:DeleteVectors",
    "s3vectors:GetIndex",
    "s3vectors:GetVectors",
    "s3vectors:PutVectors",
    "s3vectors:QueryVectors",
)
"""What a knowledge base's role does on its index (see the module docstring)."""


def name_problem(name: str, pattern: re.Pattern[str], what: str) -> str | None:
    """Why ``name`` cannot be a vector bucket's or an index's name, or None."""
    low, high = NAME_LIMITS
    if not low <= len(name) <= high:
        return f"is {len(name)} characters, must be {low} to {high}"
    if not pattern.match(name):
        allowed = (
            "lowercase letters, digits and hyphens"
            if pattern is VECTOR_BUCKET_NAME
            else ("lowercase letters, digits, hyphens and dots")
        )
        return f"must be {allowed}, beginning and ending with a letter or a digit ({what})"
    return None


def _digest(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:6]


def vector_bucket_name(base: str, *, kms_key_arn: str | None) -> str:
    """A vector bucket's AWS name, ``<base>-<6 hex digits>`` over its create-only encryption: a new key
    makes a new bucket under a new name (CloudFormation creates it before it deletes the old one)."""
    return f"{base}-{_digest({'kms_key_arn': kms_key_arn})}"


def index_base(knowledge_base_name: str) -> str:
    """A knowledge base's name as an index name starts (underscores, which index names refuse, as
    hyphens)."""
    return knowledge_base_name.lower().replace("_", "-")


def index_name(base: str, *, dimensions: int, distance_metric: str) -> str:
    """An index's AWS name, ``<base>-<6 hex digits>`` over everything it cannot change in place
    (dimensions, metric, data type, non-filterable keys): a change makes a new, empty index."""
    settings = {
        "dimensions": dimensions,
        "distance_metric": distance_metric,
        "data_type": DATA_TYPE,
        "non_filterable": list(NON_FILTERABLE_METADATA_KEYS),
    }
    return f"{base}-{_digest(settings)}"
