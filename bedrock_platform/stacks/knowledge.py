"""The knowledge stacks: collections and their policies; knowledge bases, their indexes and data sources.

Stack 1, ``<env>-bedrock-knowledge`` (:class:`KnowledgeStack`), holds every collection and the
knowledge bases placed in it; stack k >= 2, ``<env>-bedrock-knowledge-<k>``
(:class:`KnowledgeBasesStack`), holds the knowledge bases placed in it, on collections it reads
from the SSM parameters stack 1 publishes (see :mod:`bedrock_platform.config.placement`).
Nothing crosses stacks but those parameters: no export, and stack 1 never refers to stack k.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import cast

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.catalog import embedding_model
from bedrock_platform.config.model import Chunking as ChunkingConfig
from bedrock_platform.config.model import CreatedBucket, ExistingBucket, LogDestination
from bedrock_platform.config.model import DataSource as DataSourceConfig
from bedrock_platform.config.model import KnowledgeBase as KnowledgeBaseConfig
from bedrock_platform.config.model import KnowledgeBaseLogging as KnowledgeBaseLoggingConfig
from bedrock_platform.config.model import ManagedConnector as ManagedConnectorConfig
from bedrock_platform.constructs import (
    AccessLogsBucket,
    Chunking,
    DataSourceIngestion,
    DocumentBucket,
    IVectorCollection,
    KnowledgeBase,
    VectorCollection,
    VectorIndex,
)
from bedrock_platform.constructs.aurora import AuroraVectorStore
from bedrock_platform.constructs.data_source import (
    ConfluenceSource,
    ConnectorSettings,
    CustomSource,
    CustomTransformation,
    DataSource,
    DataSourceKind,
    ObjectFilter,
    Parsing,
    S3Source,
    SalesforceSource,
    SharePointSource,
    WebSource,
)
from bedrock_platform.constructs.encryption import log_group_key, stack_key
from bedrock_platform.constructs.guardrail_governance import allow_enforced_guardrail
from bedrock_platform.constructs.knowledge_base_logs import KnowledgeBaseLogs
from bedrock_platform.constructs.managed_storage import ManagedStorage
from bedrock_platform.constructs.s3_vectors import (
    IS3VectorStore,
    S3VectorIndex,
    S3VectorIndexBase,
    S3VectorStore,
)
from bedrock_platform.constructs.sync import IngestionSchedule
from bedrock_platform.spec import data_sources as data_sources_spec
from bedrock_platform.spec import logging as logging_spec
from bedrock_platform.spec.s3_vectors import index_base, vector_bucket_name
from bedrock_platform.spec.sync import schedule_name
from bedrock_platform.spec.vector_stores import collection_name
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id

INTERMEDIATE_DAYS = 7
"""When the objects of a custom transformation's intermediate bucket the toolkit creates expire: the
batches of an ingestion job are needed while it runs."""


def connector_settings(settings: ManagedConnectorConfig | None) -> ConnectorSettings | None:
    """The construct's connector settings for the config's."""
    if settings is None:
        return None
    schedule: str | tuple[str, str | int] | None = None
    if settings.schedule == "daily":
        schedule = "DAILY"
    elif isinstance(settings.schedule, Mapping) and "weekly" in settings.schedule:
        schedule = ("WEEKLY", str(settings.schedule["weekly"]))
    elif isinstance(settings.schedule, Mapping):
        day = settings.schedule["monthly"]
        schedule = ("MONTHLY", "LAST" if day == "last" else int(day))
    return ConnectorSettings(
        schedule=schedule,
        deletion_protection_threshold=settings.deletion_protection_threshold,
        media_extraction=settings.media_extraction,
    )


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


class KnowledgeBasesHost(PlatformStack):
    """What both kinds of knowledge stack share: the knowledge bases placed in stack ``number``, each
    with its index, service role, knowledge base, data sources, created buckets, ingestion, SSM
    parameters and outputs.

    In an environment named prod the stack has termination protection.
    """

    def __init__(
        self, scope: Construct, id: str, *, config: PlatformConfig, number: int, purpose: str
    ) -> None:
        super().__init__(scope, id, config=config, purpose=purpose)
        self.number = number
        self.knowledge_bases: dict[str, KnowledgeBase] = {}
        self.data_sources: dict[tuple[str, str], DataSource] = {}
        self._access_logs: AccessLogsBucket | None = None
        self._s3_stores: dict[str, IS3VectorStore] = {}

    @property
    def placed(self) -> list[KnowledgeBaseConfig]:
        """The knowledge bases of the config placed in this stack, in file order."""
        return [kb for kb in self.config.knowledge_bases if kb.stack == self.number]

    def collection(self, vector_store: str) -> IVectorCollection:
        """The collection of a vector store, as this stack reaches it."""
        raise NotImplementedError

    def s3_vector_store(self, vector_store: str) -> IS3VectorStore:
        """The vector bucket of an S3 Vectors store, as this stack reaches it: created in stack 1, or
        imported by its ARN (its name is the config's, so every stack knows it without a lookup)."""
        store = self.config.vector_store(vector_store)
        if vector_store not in self._s3_stores:
            key = (
                None
                if store.kms_key_arn is None
                else kms.Key.from_key_arn(self, f"VectorBucketKey-{vector_store}", store.kms_key_arn)
            )
            arn = store.vector_bucket_arn or self.format_arn(
                service="s3vectors",
                resource="bucket",
                resource_name=vector_bucket_name(
                    self.config.prefixed(store.name), kms_key_arn=store.kms_key_arn
                ),
            )
            self._s3_stores[vector_store] = S3VectorStore.from_vector_bucket_arn(
                self, item_id("VectorBucket", vector_store), arn, encryption_key=key
            )
        return self._s3_stores[vector_store]

    def _add_knowledge_bases(self) -> None:
        for kb in self.placed:
            with building("KnowledgeBase", kb.name):
                self._knowledge_base(kb)

    def _knowledge_base(self, kb: KnowledgeBaseConfig) -> None:
        scope = Construct(self, item_id("KnowledgeBase", kb.name))
        store = self.config.vector_store(kb.vector_store)
        index: VectorIndex | S3VectorIndexBase | AuroraVectorStore | ManagedStorage
        if store.managed:
            index = ManagedStorage(dimensions=kb.dimensions)
        elif store.aurora_postgresql:
            assert store.aurora is not None, "validated: an Aurora store has its table"
            aurora = store.aurora
            index = AuroraVectorStore(
                cluster_arn=aurora["cluster_arn"],
                secret_arn=aurora["secret_arn"],
                database=aurora["database"],
                table=aurora["table"],
                dimensions=kb.dimensions,
                fields=aurora.get("fields"),
                secret_key=(
                    kms.Key.from_key_arn(scope, "SecretKey", aurora["secret_kms_key_arn"])
                    if "secret_kms_key_arn" in aurora
                    else None
                ),
            )
        elif store.s3_vectors and store.index_arn is not None:
            index = S3VectorIndex.from_index_arn(
                scope,
                "Index",
                store.index_arn,
                dimensions=kb.dimensions,
                encryption_key=(
                    kms.Key.from_key_arn(scope, "VectorBucketKey", store.kms_key_arn)
                    if store.kms_key_arn
                    else None
                ),
            )
        elif store.s3_vectors:
            index = S3VectorIndex(
                scope,
                "Index",
                store=self.s3_vector_store(kb.vector_store),
                index_name=index_base(kb.name),
                dimensions=kb.dimensions,
                distance_metric=store.distance_metric,
                removal_policy=vector_store_removal(self.config),
            )
        else:
            index = VectorIndex(
                scope,
                "Index",
                collection=self.collection(kb.vector_store),
                index_name=kb.name,
                dimensions=kb.dimensions,
            )
        model = embedding_model(kb.embedding_model)
        knowledge_base = KnowledgeBase(
            scope,
            "KnowledgeBase",
            knowledge_base_name=self.config.prefixed(kb.name),
            vector_index=index,
            embedding_model_id=(
                model.knowledge_base_model_id(self.config.region) if model is not None else kb.embedding_model
            ),
            description=kb.description,
            segmentation=kb.segmentation,
            configure_dimensions=model is not None and len(model.dimensions) > 1,
            multimodal_storage=(
                self._bucket(scope, "MultimodalStorage", kb.multimodal_storage)[0]
                if kb.multimodal_storage is not None
                else None
            ),
        )
        self.knowledge_bases[kb.name] = knowledge_base
        if self.config.enforced_guardrail is not None:
            allow_enforced_guardrail(knowledge_base.role)  # it invokes the embedding model
        self.output(
            outputs.knowledge_base_outputs(kb.name)[0],
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
        if kb.logging is not None:
            self._logs(scope, kb.name, knowledge_base, kb.logging)
        for source in kb.data_sources:
            with building("DataSource", source.name):
                data_source = self._data_source(scope, kb.name, knowledge_base, source)
            self.data_sources[(kb.name, source.name)] = data_source
            self.output(
                outputs.data_source_outputs(kb.name, source.name, created_bucket=False)[0],
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
    ) -> DataSource:
        transformation = None
        if source.custom_transformation is not None:
            spec = source.custom_transformation
            transformation = CustomTransformation(
                function_arn=spec.lambda_arn,
                intermediate_bucket=self._bucket(
                    scope, f"{source.name}-Intermediate", spec.intermediate_bucket
                )[0],
            )
            if isinstance(transformation.intermediate_bucket, DocumentBucket):
                # Versioned like every bucket the toolkit creates: the expired batches' versions go a
                # day later, not after the document buckets' 90 days.
                transformation.intermediate_bucket.add_lifecycle_rule(
                    id="ExpireBatches",
                    expiration=cdk.Duration.days(INTERMEDIATE_DAYS),
                    noncurrent_version_expiration=cdk.Duration.days(1),
                )
                self.output(
                    outputs.data_source_outputs(
                        kb_name, source.name, created_bucket=False, intermediate_bucket=True
                    )[1],
                    value=transformation.intermediate_bucket.bucket_name,
                    description=(
                        f"Intermediate bucket of data source {source.name}: grant its function's role "
                        "read and write"
                    ),
                )
        parsing = None
        if source.parsing is not None and source.parsing.strategy == "smart":
            parsing = Parsing.smart()
        elif source.parsing is not None and source.parsing.strategy == "multimodal_embeddings":
            parsing = Parsing.multimodal_embeddings()
        elif source.parsing is not None:
            parsing = (
                Parsing.foundation_model(
                    scope,
                    source.parsing.model or "",
                    prompt=source.parsing.prompt,
                    multimodal=source.parsing.multimodal,
                )
                if source.parsing.strategy == "foundation_model"
                else Parsing.data_automation(multimodal=source.parsing.multimodal)
            )
        data_source = DataSource(
            scope,
            item_id("DataSource", source.name),
            knowledge_base=knowledge_base,
            data_source_name=source.name,
            source=self._source_kind(scope, kb_name, source),
            chunking=None if knowledge_base.managed else chunking_from_config(source.chunking),
            parsing=parsing,
            custom_transformation=transformation,
            data_deletion_policy=source.data_deletion_policy.upper(),
            description=source.description,
            connector_settings=connector_settings(source.connector_settings),
        )
        if source.ingest_on_deploy:
            DataSourceIngestion(data_source, "Ingestion", data_source=data_source)
        if source.sync_schedule is not None:
            IngestionSchedule(
                data_source,
                "Sync",
                data_source=data_source,
                schedule_name=schedule_name(self.config.environment, kb_name, source.name),
                schedule=source.sync_schedule,
                timezone=source.sync_timezone,
            )
        return data_source

    def _source_kind(self, scope: Construct, kb_name: str, source: DataSourceConfig) -> DataSourceKind:
        """Where ``source``'s documents come from, as the construct takes it."""
        if source.bucket is not None:
            bucket, key, owner = self._bucket(scope, f"{source.name}-Bucket", source.bucket)
            if isinstance(source.bucket, CreatedBucket):
                self.output(
                    outputs.data_source_outputs(kb_name, source.name, created_bucket=True)[1],
                    value=bucket.bucket_name,
                    description=f"Bucket of data source {source.name}: upload documents here",
                )
            return S3Source(
                bucket=bucket, inclusion_prefixes=source.inclusion_prefixes, kms_key=key, owner_account=owner
            )
        if source.web is not None:
            web = source.web
            return WebSource(
                seed_urls=web.seed_urls,
                scope=data_sources_spec.CRAWL_SCOPES[web.scope] if web.scope else None,
                inclusion_filters=web.inclusion_filters,
                exclusion_filters=web.exclusion_filters,
                rate_limit=web.rate_limit,
                max_pages=web.max_pages,
                user_agent=web.user_agent,
                crawl_depth=web.crawl_depth,
                max_links_per_url=web.max_links_per_url,
                crawl_attachments=web.crawl_attachments,
                auth_type=data_sources_spec.MANAGED_WEB_AUTH_TYPES[web.auth_type],
                credentials_secret_arn=web.credentials_secret_arn,
                secret_key=_imported_key(scope, f"{source.name}-SecretKey", web.secret_kms_key_arn),
            )
        connector = source.connector
        if connector is None:
            return CustomSource()
        key = _imported_key(scope, f"{source.name}-SecretKey", connector.secret_kms_key_arn)
        filters = tuple(
            ObjectFilter(item.object_type, item.inclusion_filters, item.exclusion_filters)
            for item in connector.filters
        )
        secret = connector.credentials_secret_arn
        if source.type == "confluence":
            return ConfluenceSource(
                host_url=connector.host_url or "",
                credentials_secret_arn=secret,
                auth_type=connector.auth_type.upper(),
                secret_key=key,
                filters=filters,
            )
        if source.type == "sharepoint":
            certificate_bucket, certificate_key = None, None
            if connector.certificate_s3_uri:
                bucket_name, _, certificate_key = connector.certificate_s3_uri.removeprefix(
                    "s3://"
                ).partition("/")
                certificate_bucket = s3.Bucket.from_bucket_attributes(
                    scope,
                    f"{source.name}-Certificate",
                    bucket_name=bucket_name,
                    encryption_key=_imported_key(
                        scope, f"{source.name}-CertificateKey", connector.certificate_kms_key_arn
                    ),
                )
            return SharePointSource(
                domain=connector.domain,
                site_urls=connector.site_urls,
                credentials_secret_arn=secret,
                tenant_id=connector.tenant_id,
                auth_type=connector.auth_type.upper(),
                secret_key=key,
                filters=filters,
                certificate_bucket=certificate_bucket,
                certificate_key=certificate_key,
                crawl_files=connector.crawl_files,
                crawl_pages=connector.crawl_pages,
            )
        return SalesforceSource(
            host_url=connector.host_url or "", credentials_secret_arn=secret, secret_key=key, filters=filters
        )

    def _bucket(
        self, scope: Construct, id: str, spec: CreatedBucket | ExistingBucket
    ) -> tuple[s3.IBucket, kms.IKey | None, str | None]:
        """A bucket the config names or one the toolkit creates; the key its objects are encrypted with
        when the config names it, and the account that owns an existing one."""
        if isinstance(spec, ExistingBucket):
            key = kms.Key.from_key_arn(scope, f"{id}Key", spec.kms_key_arn) if spec.kms_key_arn else None
            # The key rides with the bucket: whatever is granted on the bucket covers its key too.
            bucket = s3.Bucket.from_bucket_attributes(scope, id, bucket_arn=spec.arn, encryption_key=key)
            return bucket, key, spec.owner_account
        created = DocumentBucket(
            scope,
            id,
            access_logs_bucket=self._access_logs_bucket(),
            encryption_key=(
                kms.Key.from_key_arn(scope, f"{id}Key", spec.kms_key_arn)
                if spec.kms_key_arn
                else stack_key(self)
            ),
        )
        return created, None, None

    def _logs(
        self, scope: Construct, name: str, knowledge_base: KnowledgeBase, spec: KnowledgeBaseLoggingConfig
    ) -> None:
        """The knowledge base's log group and log bucket, if asked for, and the delivery of its
        application logs to them and to its Firehose stream."""
        log_group = self._log_group(scope, name, spec.cloudwatch) if spec.cloudwatch else None
        bucket = self._log_bucket(scope, spec.s3) if spec.s3 else None
        KnowledgeBaseLogs(
            scope,
            "LogDelivery",
            knowledge_base=knowledge_base,
            delivery_name=logging_spec.delivery_name(self.config.prefixed(name)),
            log_group=log_group,
            bucket=bucket,
            delivery_stream_arn=spec.firehose_stream_arn,
        )

    def _log_group(self, scope: Construct, name: str, spec: LogDestination) -> logs.LogGroup:
        environment = self.config.environment
        # As the invocation log group: in prod it outlives the stack, but not a failed first deploy
        # (a fixed name kept through the create's rollback would make the retry fail).
        removal = (
            cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE if self.config.is_prod else cdk.RemovalPolicy.DESTROY
        )
        key: kms.IKey | None
        if spec.kms_key_arn:
            key = kms.Key.from_key_arn(scope, "LogKey", spec.kms_key_arn)
        else:
            key = stack_key(self) or self._knowledge_base_logs_key(removal)
        log_group = logs.LogGroup(
            scope,
            "Logs",
            log_group_name=logging_spec.knowledge_base_log_group(environment, name),
            encryption_key=key,
            removal_policy=removal,
        )
        resource = log_group.node.default_child
        assert isinstance(resource, logs.CfnLogGroup)
        resource.retention_in_days = spec.retention_days
        return log_group

    def _log_bucket(self, scope: Construct, spec: LogDestination) -> DocumentBucket:
        """A bucket for the knowledge base's log objects, expiring them after ``retention_days``."""
        key = (
            kms.Key.from_key_arn(scope, "LogBucketKey", spec.kms_key_arn)
            if spec.kms_key_arn
            else stack_key(self)
        )
        bucket = DocumentBucket(
            scope, "LogBucket", access_logs_bucket=self._access_logs_bucket(), encryption_key=key
        )
        bucket.add_lifecycle_rule(id="ExpireLogs", expiration=cdk.Duration.days(spec.retention_days))
        return bucket

    def _knowledge_base_logs_key(self, removal: cdk.RemovalPolicy) -> kms.IKey:
        """One key for the knowledge base log groups of this stack (without a stack key)."""
        existing = self.node.try_find_child("KnowledgeBaseLogsKey")
        if isinstance(existing, kms.Key):
            return existing
        return log_group_key(
            self,
            "KnowledgeBaseLogsKey",
            log_group_name=logging_spec.knowledge_base_log_group_prefix(self.config.environment) + "*",
            description=f"bedrock-platform {self.stack_name}: knowledge base application logs",
            removal_policy=removal,
        )

    def _access_logs_bucket(self) -> AccessLogsBucket:
        if self._access_logs is None:
            self._access_logs = AccessLogsBucket(self, "AccessLogs")
        return self._access_logs


class KnowledgeStack(KnowledgeBasesHost):
    """``<env>-bedrock-knowledge``: every collection with its policies, and the knowledge bases placed
    in stack 1 (all of them with the default ``knowledge_stacks: 1``).

    A vector store with a knowledge base in another knowledge stack also gets its collection's ARN
    and endpoint published in SSM, for that stack to read.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(
            scope, id, config=config, number=1, purpose="knowledge bases and their vector stores"
        )
        self.collections: dict[str, IVectorCollection] = {}
        elsewhere = {kb.vector_store for kb in config.knowledge_bases if kb.stack != 1}
        for store in config.vector_stores:
            if store.aurora_postgresql or store.index_arn is not None or store.managed:
                continue  # nothing to create: its knowledge base names its table or index, or is managed
            if store.s3_vectors:
                with building("VectorBucket", store.name):
                    self._s3_vector_bucket(store.name)
                continue
            if store.existing_collection_arn is not None:
                with building("Collection", store.name):
                    imported = self._existing_collection(store.name)
                self._collection_outputs(store.name, imported, publish=store.name in elsewhere)
                continue
            with building("Collection", store.name):
                collection = VectorCollection(
                    self,
                    item_id("Collection", store.name),
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
                outputs.collection_outputs(store.name)[0],
                value=collection.collection_endpoint,
                description=f"Endpoint of the collection of vector store {store.name}",
            )
            if store.name in elsewhere:
                self._publish_collection(store.name, collection)
        self._add_knowledge_bases()

    def collection(self, vector_store: str) -> IVectorCollection:
        """The collection of a vector store, created here (or an existing one, imported)."""
        return self.collections[vector_store]

    def _existing_collection(self, name: str) -> IVectorCollection:
        """An existing collection: the toolkit adds a data access policy of its own, never changes it."""
        store = self.config.vector_store(name)
        assert store.existing_collection_arn is not None and store.existing_collection_name is not None
        imported = VectorCollection.from_collection_attributes(
            self,
            item_id("Collection", name),
            collection_name=store.existing_collection_name,
            collection_arn=store.existing_collection_arn,
            access_policy_name=access_policy_name(store.existing_collection_name, self.node.id),
            private=store.existing_collection_private,
        )
        for principal in store.data_access_principals:
            imported.grant_data_access(principal)
        self.collections[name] = imported
        return imported

    def _collection_outputs(self, name: str, collection: IVectorCollection, *, publish: bool) -> None:
        self.output(
            outputs.collection_outputs(name)[0],
            value=collection.collection_endpoint,
            description=f"Endpoint of the collection of vector store {name}",
        )
        if publish:
            self._publish_collection(name, collection)

    def _s3_vector_bucket(self, name: str) -> None:
        """The vector bucket of an S3 Vectors store: created (retained in prod, like a collection with
        deletion protection), or the config's existing one, imported."""
        store = self.config.vector_store(name)
        if store.vector_bucket_arn is not None:
            bucket = self.s3_vector_store(name)
        else:
            key = (
                None
                if store.kms_key_arn is None
                else kms.Key.from_key_arn(self, f"VectorBucketKey-{name}", store.kms_key_arn)
            )
            created = S3VectorStore(
                self,
                item_id("VectorBucket", name),
                vector_bucket_name=self.config.prefixed(name),
                encryption_key=key,
                removal_policy=vector_store_removal(self.config),
            )
            self._s3_stores[name] = created
            bucket = created
        self.output(
            outputs.vector_bucket_outputs(name)[0],
            value=bucket.vector_bucket_arn,
            description=f"ARN of the vector bucket of vector store {name}",
        )

    def _publish_collection(self, store: str, collection: IVectorCollection) -> None:
        scope = cast(Construct, collection)  # created or imported, a construct of this stack
        environment = self.config.environment
        suffix = f"(bedrock-platform {environment})"
        discovery.publish(
            scope,
            "ArnParameter",
            discovery.vector_store_arn(environment, store),
            collection.collection_arn,
            f"ARN of the collection of vector store {store} {suffix}",
        )
        discovery.publish(
            scope,
            "EndpointParameter",
            discovery.vector_store_endpoint(environment, store),
            collection.collection_endpoint,
            f"Endpoint of the collection of vector store {store} {suffix}",
        )


class KnowledgeBasesStack(KnowledgeBasesHost):
    """``<env>-bedrock-knowledge-<number>`` (number >= 2): the knowledge bases placed in that stack.

    Their collections are stack 1's, read from the SSM parameters it publishes (deploy it first:
    :func:`bedrock_platform.stacks.add_stacks` makes this stack depend on it). Each collection's
    grants go into a data access policy of this stack: the bootstrap's CloudFormation execution
    role (which creates the indexes) and the knowledge base roles of this stack, each on its own
    index. The policy is named :func:`access_policy_name`.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig, number: int) -> None:
        super().__init__(
            scope,
            id,
            config=config,
            number=number,
            purpose=f"knowledge bases on OpenSearch Serverless (knowledge stack {number})",
        )
        self.collections: dict[str, IVectorCollection] = {}
        used = {kb.vector_store for kb in self.placed}
        environment = config.environment
        for store in config.vector_stores:
            if store.name not in used or store.type != "opensearch_serverless":
                continue  # an S3 Vectors store is imported by its ARN: s3_vector_store
            name = store.existing_collection_name or collection_name(
                config.prefixed(store.name),
                standby_replicas=store.standby_replicas,
                kms_key_arn=store.kms_key_arn,
            )
            self.collections[store.name] = VectorCollection.from_collection_attributes(
                self,
                f"Collection-{store.name}",
                collection_name=name,
                collection_arn=discovery.lookup(self, discovery.vector_store_arn(environment, store.name)),
                collection_endpoint=discovery.lookup(
                    self, discovery.vector_store_endpoint(environment, store.name)
                ),
                access_policy_name=access_policy_name(name, id),
                private=not store.public,
            )
        self._add_knowledge_bases()

    def collection(self, vector_store: str) -> IVectorCollection:
        """The collection of a vector store, imported from stack 1's SSM parameters."""
        return self.collections[vector_store]


def vector_store_removal(config: PlatformConfig) -> cdk.RemovalPolicy:
    """What happens to an S3 Vectors bucket and its indexes when they leave the stack: retained in prod
    (their vectors are rebuilt only by ingesting everything again), deleted elsewhere. The indexes
    follow their bucket: a bucket that still holds an index cannot be deleted."""
    # Not plain RETAIN: their names are fixed, and a failed first create must not leave them behind.
    return cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE if config.is_prod else cdk.RemovalPolicy.DESTROY


def access_policy_name(collection_name: str, stack_name: str) -> str:
    """The name of the data access policy a knowledge stack k >= 2 adds to a collection.

    The collection name cut to 25 characters, a hyphen and 6 hex digits of the collection and
    stack names: at most 32 characters, unique per collection and stack, and the same whether the
    stack is deployed by ``cdk deploy`` or by a pipeline.
    """
    digest = hashlib.sha256(f"{collection_name}/{stack_name}".encode()).hexdigest()[:6]
    return f"{collection_name[:25]}-{digest}"


def _imported_key(scope: Construct, id: str, key_arn: str | None) -> kms.IKey | None:
    """The customer managed key ``key_arn`` a secret or a certificate is encrypted with, or None."""
    return kms.Key.from_key_arn(scope, id, key_arn) if key_arn else None
