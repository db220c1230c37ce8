"""Vector stores: OpenSearch Serverless collections and the vector index of each knowledge base,
as the config rules, the constructs and the review read them.

Sources:
- ``AWS::OpenSearchServerless::CollectionIndex``: the Regions that have it, and ``IndexSchema`` at
  most 2,480 characters (cfn-lint's resource schemas; tests compare).
- The index fields Bedrock writes and reads: the vector, ``AMAZON_BEDROCK_TEXT_CHUNK`` and
  ``AMAZON_BEDROCK_METADATA`` (user guide, "Set up a vector index for your knowledge base in a
  supported vector store", OpenSearch Serverless).
- The k-NN method: HNSW on the faiss engine, whose space types are ``l2`` and ``innerproduct``,
  and ``m`` 2 to 100 (OpenSearch's k-NN documentation).
- Dimensions: 1 to 4,096, the toolkit's bound, which every catalogued embedding model fits (a test
  checks) and S3 Vectors' limit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bedrock_platform.spec.names import VECTOR_INDEX_NAME

COLLECTION_INDEX_REGIONS: tuple[str, ...] = (
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "eu-central-1",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-2",
    "eu-west-1",
    "eusc-de-east-1",
    "us-east-1",
    "us-east-2",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-2",
)
"""The Regions with ``AWS::OpenSearchServerless::CollectionIndex``, the only CloudFormation type that
creates an index in a private collection (through the control-plane ``CreateIndex`` API): the Region
files of cfn-lint 1.58.0's resource schemas (2026-10-20) that list the type. A test compares this
with the installed cfn-lint. ``AWS::OpenSearchServerless::Index`` (32 Regions) writes through the
collection's endpoint, which a private collection's network policy does not admit."""

COLLECTION_TYPE = "VECTORSEARCH"


def collection_name(base: str, *, standby_replicas: bool, kms_key_arn: str | None) -> str:
    """The AWS name of a collection the toolkit creates: ``<base>-<fingerprint>``.

    The fingerprint is six hex digits over the collection's settings that cannot change in place:
    its type and standby replicas (create-only in ``AWS::OpenSearchServerless::Collection``) and its
    encryption key (the encryption policy applies when the collection is created; changing the policy
    later does not re-encrypt it). A change of one of them replaces the collection, which CloudFormation
    creates before it deletes (or, when protected, retains) the old one: under the same name the
    create would fail with "already exists". ``kms_key_arn`` is None for the AWS owned key (and for a
    key not known at synthesis).
    """
    settings = {"type": COLLECTION_TYPE, "standby_replicas": standby_replicas, "kms_key_arn": kms_key_arn}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:6]
    return f"{base}-{digest}"


MAX_DIMENSIONS = 4096
"""The most vector dimensions an index may have (see the module docstring)."""
MAX_INDEX_SCHEMA = 2480
"""The longest ``IndexSchema`` of an ``AWS::OpenSearchServerless::CollectionIndex`` (its resource schema)."""

DEFAULT_VECTOR_FIELD = "bedrock-knowledge-base-default-vector"
DEFAULT_TEXT_FIELD = "AMAZON_BEDROCK_TEXT_CHUNK"
DEFAULT_METADATA_FIELD = "AMAZON_BEDROCK_METADATA"
"""The index's fields: the vector, the chunk text Bedrock writes and searches, its metadata (stored,
not indexed)."""

SPACE_TYPES: tuple[str, ...] = ("l2", "innerproduct")
"""Distance functions of the faiss engine."""
DEFAULT_SPACE_TYPE = "l2"
HNSW_M_LIMITS = (2, 100)
"""HNSW neighbours per node."""
DEFAULT_M = 16
DEFAULT_EF_CONSTRUCTION = 512
DEFAULT_EF_SEARCH = 512


def hnsw_method(space_type: str, ef_construction: int, m: int) -> dict[str, Any]:
    """The ``knn_vector`` field's method, as both index types take it."""
    return {
        "name": "hnsw",
        "engine": "faiss",
        "space_type": space_type,
        "parameters": {"ef_construction": ef_construction, "m": m},
    }


def index_problems(index_name: str | None, dimensions: int, m: int, space_type: str) -> list[str]:
    """Why these index settings cannot be; ``index_name`` None when known at deploy time only."""
    problems = []
    if index_name is not None and not VECTOR_INDEX_NAME.match(index_name):
        problems.append(f"index_name '{index_name}' must match {VECTOR_INDEX_NAME.pattern}")
    if not 1 <= dimensions <= MAX_DIMENSIONS:
        problems.append(f"dimensions is {dimensions}, must be 1 to {MAX_DIMENSIONS}")
    low, high = HNSW_M_LIMITS
    if not low <= m <= high:
        problems.append(f"m is {m}, must be {low} to {high}")
    if space_type not in SPACE_TYPES:
        problems.append(f"space_type '{space_type}' is not one faiss supports ({', '.join(SPACE_TYPES)})")
    return problems


def index_fingerprint(
    dimensions: int, fields: tuple[str, str, str], method: dict[str, Any], *, control_plane: bool
) -> str:
    """Six hex digits over what an index cannot change in place: a change makes a new index name."""
    fixed = {
        "dimensions": dimensions,
        "fields": list(fields),
        "method": method,
        "control_plane": control_plane,
    }
    return hashlib.sha256(json.dumps(fixed, sort_keys=True).encode()).hexdigest()[:6]


STORE_TYPES: tuple[str, ...] = ("opensearch_serverless", "s3_vectors", "aurora_postgresql", "managed")
"""``vector_stores[].type``: the first is the default."""
TYPE_FIELDS: dict[str, frozenset[str]] = {
    "opensearch_serverless": frozenset(
        {
            "standby_replicas",
            "deletion_protection",
            "encryption",
            "network",
            "allow_public_network",
            "data_access_principals",
            "existing_collection",
        }
    ),
    "s3_vectors": frozenset({"encryption", "distance_metric", "vector_bucket_arn", "index_arn"}),
    "aurora_postgresql": frozenset({"aurora"}),
    "managed": frozenset(),
}
"""The keys of a vector store each type takes, besides ``name`` and ``type`` (the schema lists their
union; rule vector-store-fields holds each store to its type's)."""
REQUIRED_FIELDS: dict[str, frozenset[str]] = {"aurora_postgresql": frozenset({"aurora"})}
NO_COLLECTION_TYPES = frozenset({"s3_vectors", "aurora_postgresql", "managed"})
"""The store types without a collection (no network or data access policy)."""
NO_INDEX_TYPES = frozenset({"aurora_postgresql", "managed"})
"""The store types whose knowledge bases have no index resource of the toolkit's."""

MANAGED_STORE_TYPE = "managed"
MANAGED_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-2",
    "us-gov-west-1",
)
"""Where Bedrock offers managed knowledge bases (user guide, "Supported Regions for managed knowledge
bases", kb-managed-regions.html, read 2026-12; us-gov-west-1 takes S3 sources only). cfn-lint's
schema has the type in more Regions: it cannot tell."""
MANAGED_TEXT_DIMENSIONS = 1024
MANAGED_EMBEDDING_DATA_TYPE = "FLOAT32"
"""User guide, "Create a managed knowledge base", embedding model options: "When using a custom
embedding model, you must specify the model dimensions (1024) and float32 embedding data type" (the
text models it lists; a native multimodal model has its one size, Marengo's 512)."""
"""The keys a type needs besides ``name``."""
