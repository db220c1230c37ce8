"""The knowledge stack: collections with their policies and indexes, knowledge bases, data sources."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.catalog import embedding_model
from bedrock_platform.config.model import Chunking as ChunkingConfig
from bedrock_platform.config.model import DataSource as DataSourceConfig
from bedrock_platform.config.model import ExistingBucket
from bedrock_platform.config.model import KnowledgeBase as KnowledgeBaseConfig
from bedrock_platform.constructs import (
    AccessLogsBucket,
    Chunking,
    DataSourceIngestion,
    DocumentBucket,
    KnowledgeBase,
    S3DataSource,
    VectorCollection,
    VectorIndex,
)
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.outputs import output_id


def chunking_from_config(chunking: ChunkingConfig) -> Chunking:
    """The construct-level chunking for a config-level one."""
    params = chunking.parameters()
    if chunking.strategy == "fixed_size":
        return Chunking.fixed_size(**params)
    if chunking.strategy == "hierarchical":
        return Chunking.hierarchical(**params)
    if chunking.strategy == "semantic":
        return Chunking.semantic(**params)
    return Chunking.none()


class KnowledgeStack(PlatformStack):
    """``<env>-bedrock-knowledge``: everything a knowledge base needs, which reference each other closely.

    In an environment named prod the stack has termination protection.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="knowledge bases on OpenSearch Serverless")
        self.collections: dict[str, VectorCollection] = {}
        self.knowledge_bases: dict[str, KnowledgeBase] = {}
        self.data_sources: dict[tuple[str, str], S3DataSource] = {}
        self._access_logs: AccessLogsBucket | None = None

        for store in config.vector_stores:
            collection = VectorCollection(
                self,
                f"Collection-{store.name}",
                collection_name=config.prefixed(store.name),
                description=f"Vector store {store.name} of environment {config.environment}",
                standby_replicas=store.standby_replicas,
                deletion_protection=store.deletion_protection,
                kms_key_arn=store.kms_key_arn,
                vpc_endpoints=store.vpc_endpoints,
            )
            for principal in store.data_access_principals:
                collection.grant_data_access(principal)
            self.collections[store.name] = collection
            self.output(
                f"{output_id(store.name)}CollectionEndpoint",
                value=collection.collection_endpoint,
                description=f"Endpoint of the collection of vector store {store.name}",
            )

        for kb in config.knowledge_bases:
            self._knowledge_base(kb)

    def _knowledge_base(self, kb: KnowledgeBaseConfig) -> None:
        scope = Construct(self, f"KnowledgeBase-{kb.name}")
        index = VectorIndex(
            scope,
            "Index",
            collection=self.collections[kb.vector_store],
            index_name=kb.name,
            dimensions=kb.dimensions,
        )
        model = embedding_model(kb.embedding_model)
        knowledge_base = KnowledgeBase(
            scope,
            "KnowledgeBase",
            knowledge_base_name=self.config.prefixed(kb.name),
            vector_index=index,
            embedding_model_id=kb.embedding_model,
            description=kb.description,
            configure_dimensions=model is not None and len(model.dimensions) > 1,
        )
        self.knowledge_bases[kb.name] = knowledge_base
        self.output(
            f"{output_id(kb.name)}KnowledgeBaseId",
            value=knowledge_base.knowledge_base_id,
            description=f"Id of knowledge base {kb.name}",
        )
        discovery.publish(
            scope,
            "IdParameter",
            discovery.knowledge_base_id(self.config.environment, kb.name),
            knowledge_base.knowledge_base_id,
            f"Id of knowledge base {kb.name} (bedrock-platform {self.config.environment})",
        )
        for source in kb.data_sources:
            data_source = self._data_source(scope, kb.name, knowledge_base, source)
            self.data_sources[(kb.name, source.name)] = data_source
            self.output(
                f"{output_id(kb.name)}{output_id(source.name)}DataSourceId",
                value=data_source.data_source_id,
                description=f"Id of data source {source.name} of knowledge base {kb.name}",
            )
            discovery.publish(
                data_source,
                "IdParameter",
                discovery.data_source_id(self.config.environment, kb.name, source.name),
                data_source.data_source_id,
                f"Id of data source {source.name} of knowledge base {kb.name} "
                f"(bedrock-platform {self.config.environment})",
            )

    def _data_source(
        self, scope: Construct, kb_name: str, knowledge_base: KnowledgeBase, source: DataSourceConfig
    ) -> S3DataSource:
        key: kms.IKey | None = None
        bucket: s3.IBucket
        if isinstance(source.bucket, ExistingBucket):
            bucket = s3.Bucket.from_bucket_arn(scope, f"{source.name}-Bucket", source.bucket.arn)
            if source.bucket.kms_key_arn:
                key = kms.Key.from_key_arn(scope, f"{source.name}-BucketKey", source.bucket.kms_key_arn)
        else:
            bucket = DocumentBucket(
                scope,
                f"{source.name}-Bucket",
                access_logs_bucket=self._access_logs_bucket(),
                encryption_key=(
                    kms.Key.from_key_arn(scope, f"{source.name}-BucketKey", source.bucket.kms_key_arn)
                    if source.bucket.kms_key_arn
                    else None
                ),
            )
            self.output(
                f"{output_id(kb_name)}{output_id(source.name)}BucketName",
                value=bucket.bucket_name,
                description=f"Bucket of data source {source.name}: upload documents here",
            )
        data_source = S3DataSource(
            scope,
            f"DataSource-{source.name}",
            knowledge_base=knowledge_base,
            data_source_name=source.name,
            bucket=bucket,
            inclusion_prefixes=source.inclusion_prefixes,
            chunking=chunking_from_config(source.chunking),
            data_deletion_policy=source.data_deletion_policy.upper(),
            description=source.description,
            kms_key=key,
        )
        if source.ingest_on_deploy:
            DataSourceIngestion(data_source, "Ingestion", data_source=data_source)
        return data_source

    def _access_logs_bucket(self) -> AccessLogsBucket:
        if self._access_logs is None:
            self._access_logs = AccessLogsBucket(self, "AccessLogs")
        return self._access_logs
