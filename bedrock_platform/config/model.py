"""Typed, frozen config objects with defaults applied.

These are what the stacks consume. They are built from a mapping that has already passed
the JSON Schema and the semantic checks (see :func:`bedrock_platform.config.load_config`),
so building them never fails for a valid file. Nothing here imports aws_cdk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bedrock_platform.config.catalog import embedding_model

PROD_ENVIRONMENT = "prod"

ChunkingStrategy = Literal["fixed_size", "hierarchical", "semantic", "none"]

CHUNKING_DEFAULTS: Mapping[str, Mapping[str, int]] = {
    "fixed_size": {"max_tokens": 300, "overlap_percentage": 20},
    "hierarchical": {"parent_max_tokens": 1500, "child_max_tokens": 300, "overlap_tokens": 60},
    "semantic": {"max_tokens": 300, "buffer_size": 0, "breakpoint_percentile_threshold": 95},
    "none": {},
}
"""The parameters each chunking strategy takes, with their defaults."""


@dataclass(frozen=True, kw_only=True)
class Chunking:
    """How a data source splits documents. Only the parameters of ``strategy`` are set."""

    strategy: ChunkingStrategy = "fixed_size"
    max_tokens: int | None = None
    overlap_percentage: int | None = None
    parent_max_tokens: int | None = None
    child_max_tokens: int | None = None
    overlap_tokens: int | None = None
    buffer_size: int | None = None
    breakpoint_percentile_threshold: int | None = None

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> Chunking:
        """Build from the YAML mapping, filling in the strategy's defaults."""
        raw = raw or {"strategy": "fixed_size"}
        strategy = raw["strategy"]
        params = {key: raw.get(key, default) for key, default in CHUNKING_DEFAULTS[strategy].items()}
        return cls(strategy=strategy, **params)

    def parameters(self) -> dict[str, int]:
        """The strategy's parameters, in a stable order, for hashing and display."""
        return {key: getattr(self, key) for key in CHUNKING_DEFAULTS[self.strategy]}


@dataclass(frozen=True, kw_only=True)
class CreatedBucket:
    """A bucket the toolkit creates for a data source."""


@dataclass(frozen=True, kw_only=True)
class ExistingBucket:
    """An existing bucket, by ARN, and the KMS key its objects are encrypted with, if any."""

    arn: str
    kms_key_arn: str | None = None


@dataclass(frozen=True, kw_only=True)
class DataSource:
    """An S3 data source of a knowledge base."""

    name: str
    bucket: CreatedBucket | ExistingBucket
    description: str | None = None
    inclusion_prefixes: tuple[str, ...] = ()
    chunking: Chunking = field(default_factory=Chunking)
    data_deletion_policy: Literal["delete", "retain"] = "delete"

    @property
    def settings_hash(self) -> str:
        """Six hex characters over the create-only settings (chunking), for the AWS name."""
        return short_hash({"chunking": {"strategy": self.chunking.strategy, **self.chunking.parameters()}})


@dataclass(frozen=True, kw_only=True)
class KnowledgeBase:
    """A vector knowledge base on an OpenSearch Serverless collection."""

    name: str
    embedding_model: str
    dimensions: int
    vector_store: str
    description: str | None = None
    data_sources: tuple[DataSource, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VectorStore:
    """An OpenSearch Serverless VECTORSEARCH collection."""

    name: str
    standby_replicas: bool
    deletion_protection: bool
    kms_key_arn: str | None = None
    vpc_endpoints: tuple[str, ...] = ()
    data_access_principals: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        """True when the collection is reachable from the internet (no VPC endpoints)."""
        return not self.vpc_endpoints


@dataclass(frozen=True, kw_only=True)
class PlatformConfig:
    """One environment's validated configuration."""

    environment: str
    account: str
    region: str
    tags: Mapping[str, str] = field(default_factory=dict)
    vector_stores: tuple[VectorStore, ...] = ()
    knowledge_bases: tuple[KnowledgeBase, ...] = ()

    @property
    def is_prod(self) -> bool:
        """True for the environment named prod, which gets production defaults."""
        return self.environment == PROD_ENVIRONMENT

    def vector_store(self, name: str) -> VectorStore:
        """The vector store of that name (references are checked at validation)."""
        return next(store for store in self.vector_stores if store.name == name)

    def prefixed(self, name: str) -> str:
        """The AWS name of a config item: ``<environment>-<name>``."""
        return f"{self.environment}-{name}"


def short_hash(value: Any, length: int = 6) -> str:
    """A short, stable hex digest of a plain JSON value (sorted keys)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def build_config(raw: Mapping[str, Any]) -> PlatformConfig:
    """Turn a validated mapping into frozen config objects, applying every default.

    The mapping is only read, never changed.
    """
    environment = raw["environment"]
    is_prod = environment == PROD_ENVIRONMENT
    return PlatformConfig(
        environment=environment,
        account=raw["account"],
        region=raw["region"],
        tags=dict(sorted(raw.get("tags", {}).items())),
        vector_stores=tuple(_vector_store(item, is_prod) for item in raw.get("vector_stores", [])),
        knowledge_bases=tuple(_knowledge_base(item) for item in raw.get("knowledge_bases", [])),
    )


def _vector_store(raw: Mapping[str, Any], is_prod: bool) -> VectorStore:
    encryption = raw.get("encryption", "aws_owned")
    network = raw.get("network", "public")
    return VectorStore(
        name=raw["name"],
        standby_replicas=raw.get("standby_replicas", is_prod),
        deletion_protection=raw.get("deletion_protection", is_prod),
        kms_key_arn=None if encryption == "aws_owned" else encryption["kms_key_arn"],
        vpc_endpoints=() if network == "public" else tuple(network["vpc_endpoints"]),
        data_access_principals=tuple(raw.get("data_access_principals", [])),
    )


def _knowledge_base(raw: Mapping[str, Any]) -> KnowledgeBase:
    model = embedding_model(raw["embedding_model"])
    assert model is not None, "validated configs name catalogued models"
    return KnowledgeBase(
        name=raw["name"],
        embedding_model=model.model_id,
        dimensions=raw.get("dimensions", model.default_dimensions),
        vector_store=raw["vector_store"],
        description=raw.get("description"),
        data_sources=tuple(_data_source(item) for item in raw.get("data_sources", [])),
    )


def _data_source(raw: Mapping[str, Any]) -> DataSource:
    bucket_raw = raw["bucket"]
    bucket: CreatedBucket | ExistingBucket
    if "arn" in bucket_raw:
        bucket = ExistingBucket(arn=bucket_raw["arn"], kms_key_arn=bucket_raw.get("kms_key_arn"))
    else:
        bucket = CreatedBucket()
    return DataSource(
        name=raw["name"],
        bucket=bucket,
        description=raw.get("description"),
        inclusion_prefixes=tuple(raw.get("inclusion_prefixes", [])),
        chunking=Chunking.from_mapping(raw.get("chunking")),
        data_deletion_policy=raw.get("data_deletion_policy", "delete"),
    )
