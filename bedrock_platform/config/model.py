"""Typed, frozen config objects with defaults applied.

These are what the stacks consume. They are built from a mapping that has already passed
the JSON Schema and the semantic checks (see :func:`bedrock_platform.config.load_config`),
so building them never fails for a valid file. Nothing here imports aws_cdk.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bedrock_platform.config.catalog import (
    EVALUATION_TASK_TYPES,
    RAG_TASK_TYPE,
    builtin_dataset,
    embedding_model,
    evaluation_metrics,
)
from bedrock_platform.config.placement import DEFAULT_KNOWLEDGE_STACKS, knowledge_stack_of
from bedrock_platform.spec import aurora as aurora_spec
from bedrock_platform.spec import chunking as chunking_spec
from bedrock_platform.spec import data_sources as data_sources_spec
from bedrock_platform.spec import logging as logging_spec
from bedrock_platform.spec import s3_vectors as s3_vectors_spec
from bedrock_platform.spec.automated_reasoning import AutomatedReasoningPolicy as AutomatedReasoningPolicy
from bedrock_platform.spec.automated_reasoning import PolicyVersion, version_identity

# Moved to bedrock_platform/spec (CDK-free and YAML-free, what the constructs take); these names
# stay importable here for the YAML mapping below and for existing imports.
from bedrock_platform.spec.guardrail import CONTENT_FILTER_TYPES as CONTENT_FILTER_TYPES
from bedrock_platform.spec.guardrail import MODALITIES as MODALITIES
from bedrock_platform.spec.guardrail import POLICY_HASH_LENGTH as POLICY_HASH_LENGTH
from bedrock_platform.spec.guardrail import PROMPT_ATTACK as PROMPT_ATTACK
from bedrock_platform.spec.guardrail import VERSION_DESCRIPTION_LIMIT as VERSION_DESCRIPTION_LIMIT
from bedrock_platform.spec.guardrail import VERSION_DESCRIPTION_MAX as VERSION_DESCRIPTION_MAX
from bedrock_platform.spec.guardrail import ContentFilter as ContentFilter
from bedrock_platform.spec.guardrail import DeniedTopic as DeniedTopic
from bedrock_platform.spec.guardrail import Guardrail as Guardrail
from bedrock_platform.spec.guardrail import GuardrailVersion as GuardrailVersion
from bedrock_platform.spec.guardrail import PiiEntity as PiiEntity
from bedrock_platform.spec.guardrail import RegexFilter as RegexFilter
from bedrock_platform.spec.guardrail import SmokeSamples as SmokeSamples
from bedrock_platform.spec.guardrail import version_description as version_description
from bedrock_platform.spec.hashing import short_hash as short_hash
from bedrock_platform.spec.jobs import EvaluationDataset as EvaluationDataset
from bedrock_platform.spec.throughput import MAX_MODEL_UNITS as MAX_MODEL_UNITS
from bedrock_platform.spec.throughput import THROUGHPUT_NAME_SUFFIX_LENGTH as THROUGHPUT_NAME_SUFFIX_LENGTH
from bedrock_platform.spec.throughput import UNACKNOWLEDGED_MODEL_UNITS as UNACKNOWLEDGED_MODEL_UNITS
from bedrock_platform.spec.throughput import Commitment as Commitment
from bedrock_platform.spec.throughput import ProvisionedThroughput as ProvisionedThroughput

EvaluationKind = Literal["automated", "llm_judge", "rag"]
"""What grades: computed metrics (automated), a judge model (llm_judge), a knowledge base (rag)."""

RagType = Literal["retrieve", "retrieve_and_generate"]
"""What a RAG evaluation grades: the retrieved passages, or the responses generated from them too."""

JOB_NAME_SUFFIX_LENGTH = 7
"""Characters the handler appends to a job's ``<environment>-<name>``: ``-`` and 6 hex digits of its spec."""

InvocationType = Literal["InvokeModel", "Converse"]
"""How a batch inference job invokes the model, in the API's spelling."""

INVOCATION_TYPES: Mapping[str, InvocationType] = {"invoke_model": "InvokeModel", "converse": "Converse"}
"""Batch inference invocation types: config name to the API's ``modelInvocationType``."""

PROD_ENVIRONMENT = "prod"
HANDLER_SECTIONS = (
    "provisioned_throughputs",
    "evaluation_jobs",
    "batch_inference_jobs",
    "invocation_logging",
)
"""The sections whose items the toolkit's Lambda functions (custom-resource handlers) deploy; a data
source with ``ingest_on_deploy: true`` has one too (tests/stacks compare with the templates)."""
DEFAULT_LOG_RETENTION_DAYS = logging_spec.DEFAULT_RETENTION_DAYS
DEFAULT_PIPELINE_BRANCH = "main"

ChunkingStrategy = Literal["fixed_size", "hierarchical", "semantic", "none"]

CHUNKING_DEFAULTS: Mapping[str, Mapping[str, int]] = {
    name: strategy.defaults() for name, strategy in chunking_spec.STRATEGIES.items()
}
"""The parameters each chunking strategy takes, with their defaults (from the spec)."""


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
    """A bucket the toolkit creates, and the customer managed key that encrypts it, if any."""

    kms_key_arn: str | None = None
    """Default: None (SSE-S3)."""


@dataclass(frozen=True, kw_only=True)
class ExistingBucket:
    """An existing bucket, by ARN, and the KMS key its objects are encrypted with, if any."""

    arn: str
    kms_key_arn: str | None = None
    owner_account: str | None = None
    """The account that owns the bucket (a data source's ``owner_account``). Default: None (the
    config's account)."""


@dataclass(frozen=True, kw_only=True)
class ObjectFilter:
    """What a connector crawls of one object type."""

    object_type: str
    inclusion_filters: tuple[str, ...] = ()
    exclusion_filters: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class WebCrawl:
    """A web crawler's seed URLs, scope, filters and limits."""

    seed_urls: tuple[str, ...]
    scope: str | None = None
    """``host_only`` or ``subdomains``. Default: None (the seed's host and path)."""
    inclusion_filters: tuple[str, ...] = ()
    exclusion_filters: tuple[str, ...] = ()
    rate_limit: int | None = None
    max_pages: int | None = None
    user_agent: str | None = None
    crawl_depth: int | None = None
    """A managed knowledge base's crawler: links followed from the seeds. Default: the service's."""
    max_links_per_url: int | None = None
    crawl_attachments: bool | None = None
    auth_type: str = "none"
    """A managed knowledge base's crawler: ``none``, ``basic``, ``form`` or ``saml``."""
    credentials_secret_arn: str | None = None
    secret_kms_key_arn: str | None = None


@dataclass(frozen=True, kw_only=True)
class Connector:
    """A Confluence, SharePoint or Salesforce connector: where, and the secret it signs in with."""

    credentials_secret_arn: str
    auth_type: str
    """The config's spelling (``basic``, ``oauth2_client_credentials``), defaulted per kind."""
    host_url: str | None = None
    domain: str | None = None
    site_urls: tuple[str, ...] = ()
    tenant_id: str | None = None
    secret_kms_key_arn: str | None = None
    filters: tuple[ObjectFilter, ...] = ()
    certificate_s3_uri: str | None = None
    """A managed SharePoint connector's certificate (``s3://<bucket>/<key>``)."""
    certificate_kms_key_arn: str | None = None
    crawl_files: bool | None = None
    crawl_pages: bool | None = None


@dataclass(frozen=True, kw_only=True)
class Parsing:
    """How a data source's documents are parsed: ``foundation_model`` or ``data_automation``."""

    strategy: str
    model: str | None = None
    prompt: str | None = None
    multimodal: bool = False


@dataclass(frozen=True, kw_only=True)
class CustomTransformation:
    """A Lambda function run after chunking, and its intermediate bucket."""

    lambda_arn: str
    intermediate_bucket: CreatedBucket | ExistingBucket


@dataclass(frozen=True, kw_only=True)
class ManagedConnector:
    """A managed knowledge base's connector settings: the service's schedule, deletion protection and
    media extraction."""

    schedule: str | Mapping[str, Any] | None = None
    """``daily``, ``{weekly: <DAY>}`` or ``{monthly: <1-28> | last}``; None: no service schedule."""
    deletion_protection_threshold: int | None = None
    """None: deletion protection off."""
    media_extraction: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DataSource:
    """A data source of a knowledge base: an S3 bucket, a web crawler, a connector, or custom."""

    name: str
    type: str = data_sources_spec.DEFAULT_TYPE
    bucket: CreatedBucket | ExistingBucket | None = None
    """An s3 data source's bucket."""
    web: WebCrawl | None = None
    connector: Connector | None = None
    parsing: Parsing | None = None
    """Default: None (the service's text parser)."""
    custom_transformation: CustomTransformation | None = None
    connector_settings: ManagedConnector | None = None
    """A managed knowledge base's data source: its connector's settings. Default: None."""
    description: str | None = None
    inclusion_prefixes: tuple[str, ...] = ()
    chunking: Chunking = field(default_factory=Chunking)
    data_deletion_policy: Literal["delete", "retain"] = "delete"
    ingest_on_deploy: bool = False
    """Start an ingestion job when the data source is created or its settings change."""
    sync_schedule: str | None = None
    """Ingest on this EventBridge Scheduler expression. Default: None (no schedule)."""
    sync_timezone: str | None = None
    """The schedule's time zone. Default: None (UTC)."""


@dataclass(frozen=True, kw_only=True)
class LogDestination:
    """A log group or a bucket the toolkit creates for a knowledge base's application logs."""

    retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    kms_key_arn: str | None = None
    """Its key. Default: None (the stack's key, else one the toolkit creates for a log group and
    S3 managed keys for a bucket)."""


@dataclass(frozen=True, kw_only=True)
class KnowledgeBaseLogging:
    """Where a knowledge base's application logs go: one or more of a log group, a bucket and a
    Firehose stream."""

    cloudwatch: LogDestination | None = None
    s3: LogDestination | None = None
    firehose_stream_arn: str | None = None


@dataclass(frozen=True, kw_only=True)
class KnowledgeBase:
    """A vector knowledge base on an OpenSearch Serverless collection."""

    name: str
    embedding_model: str
    dimensions: int
    vector_store: str
    description: str | None = None
    data_sources: tuple[DataSource, ...] = ()
    stack: int = 1
    """The number of the knowledge stack that holds it: its ``stack`` pin, or the one its name hashes
    to (:func:`bedrock_platform.config.placement.knowledge_stack_of`). Default: 1."""
    logging: KnowledgeBaseLogging | None = None
    """Its application logs' destination. Default: None (not delivered)."""
    multimodal_storage: CreatedBucket | ExistingBucket | None = None
    """Where multimodal parsing keeps extracted images. Default: None."""
    segmentation: Mapping[str, tuple[str, int]] | None = None
    """A native multimodal embedding model's segmentation per medium: (method, seconds). Default: None
    (the model's defaults)."""


@dataclass(frozen=True, kw_only=True)
class VectorStore:
    """An OpenSearch Serverless VECTORSEARCH collection."""

    name: str
    standby_replicas: bool
    deletion_protection: bool
    kms_key_arn: str | None = None
    vpc_endpoints: tuple[str, ...] = ()
    data_access_principals: tuple[str, ...] = ()
    public_network_reason: str | None = None
    """Why the collection is public (``allow_public_network.reason``), which prod requires; None when
    not given."""
    type: str = "opensearch_serverless"
    """``opensearch_serverless`` or ``s3_vectors``. Default: opensearch_serverless."""
    distance_metric: str = s3_vectors_spec.DEFAULT_DISTANCE_METRIC
    """s3_vectors: the indexes' distance metric. Default: cosine."""
    vector_bucket_arn: str | None = None
    """s3_vectors: an existing vector bucket. Default: None (the toolkit creates one)."""
    index_arn: str | None = None
    """s3_vectors: an existing index, for one knowledge base. Default: None (an index per knowledge base)."""
    existing_collection_arn: str | None = None
    """opensearch_serverless: an existing collection's ARN. Default: None (the toolkit creates one)."""
    existing_collection_name: str | None = None
    """The existing collection's name."""
    existing_collection_private: bool = False
    """Whether the existing collection admits no public access."""
    aurora: Mapping[str, Any] | None = None
    """aurora_postgresql: the validated ``aurora`` mapping (cluster, secret, database, table, fields)."""

    @property
    def aurora_postgresql(self) -> bool:
        """True for an Aurora PostgreSQL store."""
        return self.type == aurora_spec.STORE_TYPE

    @property
    def s3_vectors(self) -> bool:
        """True for an S3 Vectors store."""
        return self.type == s3_vectors_spec.STORE_TYPE

    @property
    def managed(self) -> bool:
        """True for Bedrock-managed storage (a MANAGED knowledge base)."""
        return self.type == "managed"

    @property
    def public(self) -> bool:
        """True when the collection is reachable from the internet (no VPC endpoints); False for an
        S3 Vectors store, which has no network policy (IAM decides who reaches it)."""
        if self.existing_collection_arn is not None:
            return not self.existing_collection_private
        return (
            not self.s3_vectors and not self.aurora_postgresql and not self.managed and not self.vpc_endpoints
        )


@dataclass(frozen=True, kw_only=True)
class ModelRef:
    """A model a job invokes: a model id (base model or system inference profile), a provisioned
    throughput or an application inference profile.

    Exactly one of the three is set; the throughput and the profile are the config's, by name.
    """

    model_id: str | None = None
    """A base model id or an inference profile id, as written. Default: None."""
    provisioned_throughput: str | None = None
    """The name of a provisioned throughput of the config. Default: None."""
    inference_profile: str | None = None
    """The name of an application inference profile of the config. Default: None."""

    def __post_init__(self) -> None:
        given = [self.model_id, self.provisioned_throughput, self.inference_profile]
        if sum(item is not None for item in given) != 1:
            raise ValueError(
                "ModelRef: give exactly one of model_id, provisioned_throughput and inference_profile"
            )


@dataclass(frozen=True, kw_only=True)
class EvaluationJob:
    """An Amazon Bedrock evaluation job: a model or a knowledge base graded on prompt datasets."""

    name: str
    """The config name; the AWS name is ``<environment>-<name>-<6 hex digits>``."""
    kind: EvaluationKind
    datasets: tuple[EvaluationDataset, ...]
    """1 to 5, in the order written."""
    output_prefix: str
    """Where the results go in the job bucket, ending with ``/``. Config default: ``evaluations/<name>/``."""
    models: tuple[ModelRef, ...] = ()
    """automated and llm_judge: the one model evaluated. Default: none (rag)."""
    description: str | None = None
    """Default: none."""
    evaluator_model: str | None = None
    """llm_judge and rag: the judge's model id or inference profile id. Default: None (automated)."""
    knowledge_base: str | None = None
    """rag: the name of the knowledge base of the config that is evaluated. Default: None."""
    rag_type: RagType | None = None
    """rag: retrieve or retrieve_and_generate. Default: None."""
    generator_model: ModelRef | None = None
    """rag with retrieve_and_generate: the model that generates the responses. Default: None."""
    number_of_results: int | None = None
    """rag: passages retrieved per query, 1 to 100. Default: None (the service's)."""
    kms_key_arn: str | None = None
    """Customer managed key of the job. Default: None (an AWS owned key)."""
    wait: bool = False
    """Whether the deployment waits for the job to finish (at most 1 hour). Default: false."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Its own tags, sorted by key. Default: none."""

    @property
    def application_type(self) -> str:
        """The API's ``applicationType``: ``RagEvaluation`` for a rag job, else ``ModelEvaluation``."""
        return "RagEvaluation" if self.kind == "rag" else "ModelEvaluation"


@dataclass(frozen=True, kw_only=True)
class Vpc:
    """Subnets and security groups of a VPC: where a batch inference job, or the toolkit's Lambda
    functions, run."""

    subnet_ids: tuple[str, ...]
    """1 to 16 subnet ids."""
    security_group_ids: tuple[str, ...]
    """1 to 5 security group ids."""

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Vpc:
        """From its validated ``{subnet_ids, security_group_ids}``."""
        return cls(subnet_ids=tuple(raw["subnet_ids"]), security_group_ids=tuple(raw["security_group_ids"]))


BatchVpc = Vpc
"""The name :class:`Vpc` had when only batch jobs took one."""


@dataclass(frozen=True, kw_only=True)
class BatchInferenceJob:
    """A batch inference job: one model over JSON Lines records in the job bucket."""

    name: str
    """The config name; the AWS name is ``<environment>-<name>-<6 hex digits>``."""
    model: ModelRef
    input_key: str
    """The input's object key (a ``.jsonl`` file) or key prefix (ending with ``/``) in the job bucket."""
    input_source: str | None = None
    """A JSON Lines file, or a folder of them, of the repository (a path to read) that the deployment
    uploads to ``input_key`` before the job starts. Default: None (the input is in the bucket already)."""
    output_prefix: str
    """Where in the job bucket the results go, ending with ``/``. A config's default: ``batch/<name>/``."""
    timeout_hours: int | None = None
    """24 to 168. Default: None (the service's)."""
    invocation_type: InvocationType | None = None
    """The API's ``modelInvocationType``. Default: None (the service's)."""
    vpc: Vpc | None = None
    """Default: None (no VPC)."""
    kms_key_arn: str | None = None
    """Customer managed key that encrypts the output. Default: None."""
    wait: bool = False
    """Whether the deployment waits for the job to finish (at most 1 hour). Default: false."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Its own tags, sorted by key. Default: none."""


@dataclass(frozen=True, kw_only=True)
class InvocationLogging:
    """Model invocation logging of the account and Region: to S3, CloudWatch Logs or both."""

    bucket: CreatedBucket | ExistingBucket | None = None
    key_prefix: str = ""
    cloudwatch: bool = False
    retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    log_kms_key_arn: str | None = None
    large_data_to_s3: bool = False
    data: tuple[str, ...] = logging_spec.DEFAULT_DATA
    take_over_existing: bool = False

    def log_group_name(self, environment: str) -> str:
        """``/aws/bedrock/<environment>/model-invocations``."""
        return logging_spec.invocation_log_group(environment)


def build_invocation_logging(raw: Mapping[str, Any]) -> InvocationLogging:
    """Invocation logging from its validated mapping."""
    s3 = raw.get("s3")
    cloudwatch = raw.get("cloudwatch")
    return InvocationLogging(
        bucket=build_bucket(s3["bucket"]) if s3 else None,
        key_prefix=s3.get("key_prefix", "") if s3 else "",
        cloudwatch=cloudwatch is not None,
        retention_days=(cloudwatch or {}).get("retention_days", DEFAULT_LOG_RETENTION_DAYS),
        log_kms_key_arn=(cloudwatch or {}).get("kms_key_arn"),
        large_data_to_s3=bool((cloudwatch or {}).get("large_data_to_s3", False)),
        data=tuple(raw.get("data", logging_spec.DEFAULT_DATA)),
        take_over_existing=bool(raw.get("take_over_existing", False)),
    )


@dataclass(frozen=True, kw_only=True)
class InferenceProfile:
    """An application inference profile of the config."""

    name: str
    model: str
    """A base model id or a system inference profile id."""
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


def build_inference_profile(raw: Mapping[str, Any]) -> InferenceProfile:
    """An inference profile from its validated mapping."""
    return InferenceProfile(
        name=raw["name"],
        model=raw["model"],
        description=raw.get("description"),
        tags=dict(sorted(raw.get("tags", {}).items())),
    )


@dataclass(frozen=True, kw_only=True)
class EnforcedGuardrail:
    """The account-level enforced guardrail of the config."""

    guardrail: str
    version: int
    """The 1-based number of the guardrail's declared version."""
    include_models: tuple[str, ...] = ()
    exclude_models: tuple[str, ...] = ()
    system: str | None = None
    """SELECTIVE or COMPREHENSIVE. Default: None (the service's)."""
    messages: str | None = None


def build_enforced_guardrail(raw: Mapping[str, Any]) -> EnforcedGuardrail:
    """The enforced guardrail from its validated mapping."""
    guarding = raw.get("selective_content_guarding", {})
    return EnforcedGuardrail(
        guardrail=raw["guardrail"],
        version=raw["version"],
        include_models=tuple(raw.get("include_models", ())),
        exclude_models=tuple(raw.get("exclude_models", ())),
        system=guarding["system"].upper() if "system" in guarding else None,
        messages=guarding["messages"].upper() if "messages" in guarding else None,
    )


@dataclass(frozen=True, kw_only=True)
class PipelineStage:
    """One environment the pipeline deploys, with its own validated config."""

    name: str
    approval: bool
    """A manual approval before the deploy. Default: true for prod, false otherwise."""
    config: PlatformConfig


@dataclass(frozen=True, kw_only=True)
class Pipeline:
    """The CDK Pipelines delivery pipeline of a config: its source and the environments it deploys."""

    repository: str
    """``owner/name`` of the repository, through the connection."""
    branch: str = DEFAULT_PIPELINE_BRANCH
    connection_arn: str
    stages: tuple[PipelineStage, ...]
    """In the order they are deployed."""


def build_pipeline(raw: Mapping[str, Any], stages: Mapping[str, PlatformConfig]) -> Pipeline:
    """The pipeline from its validated mapping and the loaded config of each environment it names."""
    source = raw["source"]
    return Pipeline(
        repository=source["repository"],
        branch=source.get("branch", DEFAULT_PIPELINE_BRANCH),
        connection_arn=source["connection_arn"],
        stages=tuple(
            PipelineStage(
                name=item["name"],
                approval=item.get("approval", item["name"] == PROD_ENVIRONMENT),
                config=stages[item["name"]],
            )
            for item in raw["environments"]
        ),
    )


@dataclass(frozen=True, kw_only=True)
class PlatformConfig:
    """One environment's validated configuration."""

    environment: str
    account: str
    region: str
    tags: Mapping[str, str] = field(default_factory=dict)
    vector_stores: tuple[VectorStore, ...] = ()
    knowledge_stacks: int = DEFAULT_KNOWLEDGE_STACKS
    """How many numbered knowledge stacks the knowledge bases are spread over. Default: 1."""
    knowledge_bases: tuple[KnowledgeBase, ...] = ()
    guardrails: tuple[Guardrail, ...] = ()
    provisioned_throughputs: tuple[ProvisionedThroughput, ...] = ()
    inference_profiles: tuple[InferenceProfile, ...] = ()
    automated_reasoning_policies: tuple[AutomatedReasoningPolicy, ...] = ()
    enforced_guardrail: EnforcedGuardrail | None = None
    guardrail_sharing: Mapping[str, str] = field(default_factory=dict)
    """Guardrail name to the organization id it is shared with."""
    job_bucket: CreatedBucket | ExistingBucket | None = None
    """The bucket of the jobs' datasets, input and results: CreatedBucket() by default when a job is
    declared; None when none is."""
    evaluation_jobs: tuple[EvaluationJob, ...] = ()
    batch_inference_jobs: tuple[BatchInferenceJob, ...] = ()
    invocation_logging: InvocationLogging | None = None
    handler_logs_kms_key_arn: str | None = None
    """Customer managed key of the custom-resource handlers' log groups. Default: None."""
    handler_vpc: Vpc | None = None
    """Where the toolkit's Lambda functions run. Default: None (not in a VPC)."""
    control_tower: bool = False
    """Whether the Control Tower proactive controls check the synth. Default: False; a config's:
    true in prod."""
    control_tower_exemptions: Mapping[str, str] = field(default_factory=dict)
    """Control Tower rules not met, by rule name, with the reason. Default: none."""
    require_customer_managed_keys: bool = False
    """Whether guardrails and vector stores must name a customer managed key. Default: False."""
    invocation_logging_elsewhere: str | None = None
    """Where invocation logging is configured when this prod config does not declare it. Default: None."""
    pipeline: Pipeline | None = None
    """The delivery pipeline this environment hosts. Default: none."""

    @property
    def is_prod(self) -> bool:
        """True for the environment named prod, which gets production defaults."""
        return self.environment == PROD_ENVIRONMENT

    @property
    def runs_handlers(self) -> bool:
        """Whether the stacks deploy the toolkit's Lambda functions (:data:`HANDLER_SECTIONS`, or a
        data source ingested on deploy)."""
        return bool(
            self.provisioned_throughputs
            or self.evaluation_jobs
            or self.batch_inference_jobs
            or self.invocation_logging
            or any(source.ingest_on_deploy for kb in self.knowledge_bases for source in kb.data_sources)
        )

    @property
    def knowledge_stack_numbers(self) -> tuple[int, ...]:
        """The numbers of the knowledge stacks that exist, in order: 1 when there is a vector store or
        a knowledge base, and every other stack a knowledge base is placed in."""
        if not self.vector_stores and not self.knowledge_bases:
            return ()
        return tuple(sorted({1, *(knowledge_base.stack for knowledge_base in self.knowledge_bases)}))

    def vector_store(self, name: str) -> VectorStore:
        """The vector store of that name (references are checked at validation)."""
        return next(store for store in self.vector_stores if store.name == name)

    def knowledge_base(self, name: str) -> KnowledgeBase:
        """The knowledge base of that name; StopIteration when there is none."""
        return next(knowledge_base for knowledge_base in self.knowledge_bases if knowledge_base.name == name)

    def guardrail(self, name: str) -> Guardrail:
        """The guardrail of that name; StopIteration when there is none."""
        return next(guardrail for guardrail in self.guardrails if guardrail.name == name)

    def inference_profile(self, name: str) -> InferenceProfile:
        """The application inference profile of that name; StopIteration when there is none."""
        return next(profile for profile in self.inference_profiles if profile.name == name)

    def provisioned_throughput(self, name: str) -> ProvisionedThroughput:
        """The provisioned throughput of that name; StopIteration when there is none."""
        return next(throughput for throughput in self.provisioned_throughputs if throughput.name == name)

    def prefixed(self, name: str) -> str:
        """The AWS name of a config item: ``<environment>-<name>``."""
        return f"{self.environment}-{name}"


def build_config(
    raw: Mapping[str, Any],
    *,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    definitions: Mapping[str, Mapping[str, Any]] | None = None,
    pipeline_stages: Mapping[str, PlatformConfig] | None = None,
    base_dir: str | None = None,
) -> PlatformConfig:
    """Turn a validated mapping into frozen config objects, applying every default.

    ``word_lists`` holds the words of each guardrail ``words_file``, by its value as written
    (:func:`bedrock_platform.config.load_config` reads them while validating); a words_file
    missing from it is a ValueError. ``pipeline_stages`` holds the config of each environment
    the ``pipeline`` names (a missing one is a KeyError). ``base_dir`` is the config file's folder,
    which the jobs' ``source`` paths are relative to (default: the current directory). The mapping
    is only read, never changed.
    """
    environment = raw["environment"]
    is_prod = environment == PROD_ENVIRONMENT
    evaluation_jobs = tuple(
        build_evaluation_job(item, base_dir=base_dir) for item in raw.get("evaluation_jobs", [])
    )
    batch_inference_jobs = tuple(
        build_batch_inference_job(item, base_dir=base_dir) for item in raw.get("batch_inference_jobs", [])
    )
    job_bucket: CreatedBucket | ExistingBucket | None = None
    knowledge_stacks = raw.get("knowledge_stacks", DEFAULT_KNOWLEDGE_STACKS)
    if evaluation_jobs or batch_inference_jobs:
        job_bucket = build_bucket(raw["job_bucket"]) if "job_bucket" in raw else CreatedBucket()
    return PlatformConfig(
        environment=environment,
        account=raw["account"],
        region=raw["region"],
        tags=dict(sorted(raw.get("tags", {}).items())),
        vector_stores=tuple(build_vector_store(item, is_prod) for item in raw.get("vector_stores", [])),
        knowledge_stacks=knowledge_stacks,
        knowledge_bases=tuple(
            build_knowledge_base(item, knowledge_stacks) for item in raw.get("knowledge_bases", [])
        ),
        guardrails=tuple(
            build_guardrail(item, _file_words(item, word_lists or {}), reasoning_identities(raw))
            for item in raw.get("guardrails", [])
        ),
        provisioned_throughputs=tuple(
            build_provisioned_throughput(item) for item in raw.get("provisioned_throughputs", [])
        ),
        inference_profiles=tuple(build_inference_profile(item) for item in raw.get("inference_profiles", [])),
        automated_reasoning_policies=tuple(
            build_automated_reasoning_policy(item, definitions or {})
            for item in raw.get("automated_reasoning_policies", [])
        ),
        enforced_guardrail=(
            build_enforced_guardrail(raw["enforced_guardrail"]) if "enforced_guardrail" in raw else None
        ),
        guardrail_sharing={
            item["name"]: item["share_with_organization"]
            for item in raw.get("guardrails", [])
            if "share_with_organization" in item
        },
        job_bucket=job_bucket,
        evaluation_jobs=evaluation_jobs,
        batch_inference_jobs=batch_inference_jobs,
        invocation_logging=(
            build_invocation_logging(raw["invocation_logging"]) if "invocation_logging" in raw else None
        ),
        handler_logs_kms_key_arn=raw.get("handler_logs", {}).get("kms_key_arn"),
        handler_vpc=Vpc.from_mapping(raw["handler_vpc"]) if "handler_vpc" in raw else None,
        control_tower=raw.get("compliance", {}).get("control_tower", is_prod),
        control_tower_exemptions=dict(sorted(raw.get("compliance", {}).get("exemptions", {}).items())),
        invocation_logging_elsewhere=raw.get("compliance", {}).get("invocation_logging_elsewhere"),
        require_customer_managed_keys=raw.get("compliance", {}).get("require_customer_managed_keys", False),
        pipeline=build_pipeline(raw["pipeline"], pipeline_stages or {}) if "pipeline" in raw else None,
    )


def build_vector_store(raw: Mapping[str, Any], is_prod: bool) -> VectorStore:
    """A vector store from its validated mapping, with the environment's defaults."""
    encryption = raw.get("encryption", "aws_owned")
    network = raw.get("network", "public")
    acknowledgment = raw.get("allow_public_network")
    return VectorStore(
        name=raw["name"],
        type=raw.get("type", "opensearch_serverless"),
        distance_metric=raw.get("distance_metric", s3_vectors_spec.DEFAULT_DISTANCE_METRIC),
        vector_bucket_arn=raw.get("vector_bucket_arn"),
        index_arn=raw.get("index_arn"),
        existing_collection_arn=raw.get("existing_collection", {}).get("arn"),
        existing_collection_name=raw.get("existing_collection", {}).get("name"),
        existing_collection_private=raw.get("existing_collection", {}).get("private", False),
        aurora=raw.get("aurora"),
        standby_replicas=raw.get("standby_replicas", is_prod),
        deletion_protection=raw.get("deletion_protection", is_prod),
        kms_key_arn=None if encryption == "aws_owned" else encryption["kms_key_arn"],
        vpc_endpoints=() if network == "public" else tuple(network["vpc_endpoints"]),
        data_access_principals=tuple(raw.get("data_access_principals", [])),
        public_network_reason=None if acknowledgment is None else acknowledgment["reason"],
    )


def build_knowledge_base(raw: Mapping[str, Any], knowledge_stacks: int) -> KnowledgeBase:
    model = embedding_model(raw["embedding_model"])
    assert model is not None, "validated configs name catalogued models"
    return KnowledgeBase(
        name=raw["name"],
        embedding_model=model.model_id,
        dimensions=raw.get("dimensions", model.default_dimensions),
        vector_store=raw["vector_store"],
        description=raw.get("description"),
        data_sources=tuple(_data_source(item) for item in raw.get("data_sources", [])),
        stack=knowledge_stack_of(raw["name"], knowledge_stacks, raw.get("stack")),
        logging=_knowledge_base_logging(raw["logging"]) if "logging" in raw else None,
        multimodal_storage=build_bucket(raw["multimodal_storage"]) if "multimodal_storage" in raw else None,
        segmentation=(
            {medium: next(iter(method.items())) for medium, method in raw["segmentation"].items()}
            if "segmentation" in raw
            else None
        ),
    )


def _knowledge_base_logging(raw: Mapping[str, Any]) -> KnowledgeBaseLogging:
    def destination(kind: str) -> LogDestination | None:
        if kind not in raw:
            return None
        return LogDestination(
            retention_days=raw[kind].get("retention_days", DEFAULT_LOG_RETENTION_DAYS),
            kms_key_arn=raw[kind].get("kms_key_arn"),
        )

    return KnowledgeBaseLogging(
        cloudwatch=destination("cloudwatch"),
        s3=destination("s3"),
        firehose_stream_arn=raw["firehose"]["delivery_stream_arn"] if "firehose" in raw else None,
    )


def build_bucket(raw: Mapping[str, Any]) -> CreatedBucket | ExistingBucket:
    """A bucket from its validated mapping: ``{create: true}`` or ``{arn: ..., kms_key_arn: ...}``."""
    if "arn" in raw:
        return ExistingBucket(
            arn=raw["arn"], kms_key_arn=raw.get("kms_key_arn"), owner_account=raw.get("owner_account")
        )
    return CreatedBucket(kms_key_arn=raw.get("kms_key_arn"))


def _data_source(raw: Mapping[str, Any]) -> DataSource:
    kind = raw.get("type", data_sources_spec.DEFAULT_TYPE)
    parsing = raw.get("parsing", {})
    transformation = raw.get("custom_transformation")
    connector = raw.get("connector")
    return DataSource(
        connector_settings=(
            ManagedConnector(
                schedule=connector.get("schedule"),
                deletion_protection_threshold=(
                    connector["deletion_protection"].get(
                        "threshold", data_sources_spec.DEFAULT_DELETION_PROTECTION_THRESHOLD
                    )
                    if "deletion_protection" in connector
                    else None
                ),
                media_extraction=tuple(connector.get("media_extraction", [])),
            )
            if connector is not None
            else None
        ),
        name=raw["name"],
        type=kind,
        bucket=build_bucket(raw["bucket"]) if "bucket" in raw else None,
        web=_web_crawl(raw) if kind == "web" else None,
        connector=_connector(kind, raw) if kind in data_sources_spec.AUTH_TYPES else None,
        parsing=(
            Parsing(
                strategy=parsing["strategy"],
                model=parsing.get("model"),
                prompt=parsing.get("prompt"),
                multimodal=parsing.get("multimodal", False),
            )
            if parsing.get("strategy", "default") != "default"
            else None
        ),
        custom_transformation=(
            CustomTransformation(
                lambda_arn=transformation["lambda_arn"],
                intermediate_bucket=build_bucket(transformation["intermediate_bucket"]),
            )
            if transformation
            else None
        ),
        description=raw.get("description"),
        inclusion_prefixes=tuple(raw.get("inclusion_prefixes", [])),
        chunking=Chunking.from_mapping(raw.get("chunking")),
        data_deletion_policy=raw.get("data_deletion_policy", "delete"),
        ingest_on_deploy=raw.get("ingest_on_deploy", False),
        sync_schedule=raw.get("sync", {}).get("schedule"),
        sync_timezone=raw.get("sync", {}).get("timezone"),
    )


def _web_crawl(raw: Mapping[str, Any]) -> WebCrawl:
    return WebCrawl(
        seed_urls=tuple(raw["seed_urls"]),
        scope=raw.get("crawl_scope"),
        inclusion_filters=tuple(raw.get("inclusion_filters", [])),
        exclusion_filters=tuple(raw.get("exclusion_filters", [])),
        rate_limit=raw.get("rate_limit"),
        max_pages=raw.get("max_pages"),
        user_agent=raw.get("user_agent"),
        crawl_depth=raw.get("crawl_depth"),
        max_links_per_url=raw.get("max_links_per_url"),
        crawl_attachments=raw.get("crawl_attachments"),
        auth_type=raw.get("auth_type", next(iter(data_sources_spec.MANAGED_WEB_AUTH_TYPES))),
        credentials_secret_arn=raw.get("credentials_secret_arn"),
        secret_kms_key_arn=raw.get("secret_kms_key_arn"),
    )


def _connector(kind: str, raw: Mapping[str, Any]) -> Connector:
    return Connector(
        credentials_secret_arn=raw["credentials_secret_arn"],
        auth_type=raw.get("auth_type", data_sources_spec.AUTH_TYPES[kind][0]),
        host_url=raw.get("host_url"),
        domain=raw.get("domain"),
        site_urls=tuple(raw.get("site_urls", [])),
        tenant_id=raw.get("tenant_id"),
        secret_kms_key_arn=raw.get("secret_kms_key_arn"),
        certificate_s3_uri=raw.get("certificate_s3_uri"),
        certificate_kms_key_arn=raw.get("certificate_kms_key_arn"),
        crawl_files=raw.get("crawl_files"),
        crawl_pages=raw.get("crawl_pages"),
        filters=tuple(
            ObjectFilter(
                object_type=item["object_type"],
                inclusion_filters=tuple(item.get("inclusion_filters", [])),
                exclusion_filters=tuple(item.get("exclusion_filters", [])),
            )
            for item in raw.get("filters", [])
        ),
    )


def _file_words(raw: Mapping[str, Any], word_lists: Mapping[str, Sequence[str]]) -> Sequence[str]:
    words_file = raw.get("word_filters", {}).get("words_file")
    if words_file is None:
        return ()
    if words_file not in word_lists:
        raise ValueError(
            f"guardrail {raw['name']!r}: words_file {words_file!r} was not read; pass its words in word_lists"
        )
    return word_lists[words_file]


def _number(value: float | None) -> float | None:
    """A threshold as a float (YAML may give 0 or 1 as an int), None when not given."""
    return None if value is None else float(value)


def build_automated_reasoning_policy(
    raw: Mapping[str, Any], definitions: Mapping[str, Mapping[str, Any]]
) -> AutomatedReasoningPolicy:
    """An Automated Reasoning policy from its validated mapping and its definition file, as read."""
    if raw["definition"] not in definitions:
        raise ValueError(
            f"automated reasoning policy {raw['name']!r}: definition {raw['definition']!r} was not read; "
            "pass it in definitions"
        )
    return AutomatedReasoningPolicy(
        name=raw["name"],
        description=raw.get("description"),
        definition=definitions[raw["definition"]],
        versions=tuple(
            PolicyVersion(description=item["description"], definition=item["definition"])
            for item in raw.get("versions", [])
        ),
    )


def reasoning_identities(raw_config: Mapping[str, Any]) -> dict[str, str]:
    """Each Automated Reasoning policy's newest version identity, by name (policies without a
    version have none)."""
    found: dict[str, str] = {}
    policies = raw_config.get("automated_reasoning_policies")
    for item in policies if isinstance(policies, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            versions = item.get("versions")
            if isinstance(versions, list) and versions:
                found[item["name"]] = version_identity(item["name"], len(versions))
    return found


def build_guardrail(
    raw: Mapping[str, Any], file_words: Sequence[str] = (), reasoning: Mapping[str, str] | None = None
) -> Guardrail:
    """A guardrail from its validated mapping and the words of its ``words_file`` (if it has one);
    ``reasoning``: the newest version identity of each Automated Reasoning policy of the config
    (:func:`reasoning_identities`)."""
    checks = raw.get("automated_reasoning", {})
    content = raw.get("content_filters", {})
    topics = raw.get("denied_topics", {})
    words = raw.get("word_filters", {})
    sensitive = raw.get("sensitive_information", {})
    grounding = raw.get("contextual_grounding", {})
    return Guardrail(
        name=raw["name"],
        description=raw.get("description"),
        blocked_input_message=raw["blocked_input_message"],
        blocked_output_message=raw["blocked_output_message"],
        kms_key_arn=raw.get("kms_key_arn"),
        cross_region_profile=raw.get("cross_region_profile"),
        content_filters=tuple(
            _content_filter(kind, content[kind.lower()])
            for kind in CONTENT_FILTER_TYPES
            if kind.lower() in content
        ),
        content_filter_tier=content.get("tier", "classic").upper(),
        denied_topics=tuple(
            DeniedTopic(
                name=topic["name"], definition=topic["definition"], examples=tuple(topic.get("examples", []))
            )
            for topic in topics.get("topics", [])
        ),
        topic_tier=topics.get("tier", "classic").upper(),
        managed_word_lists=tuple(name.upper() for name in words.get("managed", [])),
        words=tuple(dict.fromkeys([*words.get("words", []), *file_words])),
        pii_entities=tuple(
            _pii_entity(kind, action) for kind, action in sorted(sensitive.get("pii", {}).items())
        ),
        regexes=tuple(_regex(regex) for regex in sensitive.get("regexes", [])),
        grounding_threshold=_number(grounding.get("grounding")),
        relevance_threshold=_number(grounding.get("relevance")),
        versions=tuple(
            GuardrailVersion(description=version["description"], policy=version["policy"])
            for version in raw.get("versions", [])
        ),
        automated_reasoning_policies=tuple(
            (reasoning or {}).get(name, name) for name in checks.get("policies", [])
        ),
        automated_reasoning_threshold=_number(checks.get("confidence_threshold")),
        smoke_samples=SmokeSamples(
            blocked=raw.get("smoke_samples", {}).get("blocked"),
            allowed=raw.get("smoke_samples", {}).get("allowed"),
        ),
    )


def _content_filter(kind: str, raw: str | Mapping[str, Any]) -> ContentFilter:
    """A filter from its short form (one strength) or its long form (a mapping)."""
    if isinstance(raw, str):
        strength = raw.upper()
        return ContentFilter(
            type=kind, input_strength=strength, output_strength="NONE" if kind == PROMPT_ATTACK else strength
        )
    modalities = raw.get("modalities", ["text"])
    action = raw.get("action", "block")
    return ContentFilter(
        type=kind,
        input_strength=raw["input"].upper(),
        output_strength=raw.get("output", "none").upper(),
        input_modalities=_modalities(raw.get("input_modalities", modalities)),
        output_modalities=_modalities(raw.get("output_modalities", modalities)),
        input_action=raw.get("input_action", action).upper(),
        output_action=raw.get("output_action", action).upper(),
    )


def _modalities(raw: Sequence[str]) -> tuple[str, ...]:
    given = {modality.upper() for modality in raw}
    return tuple(modality for modality in MODALITIES if modality in given)


def _pii_entity(kind: str, raw: str | Mapping[str, str]) -> PiiEntity:
    input_action, output_action = (raw, raw) if isinstance(raw, str) else (raw["input"], raw["output"])
    return PiiEntity(
        type=kind.upper(), input_action=input_action.upper(), output_action=output_action.upper()
    )


def _regex(raw: Mapping[str, Any]) -> RegexFilter:
    action = raw.get("action")
    return RegexFilter(
        name=raw["name"],
        description=raw.get("description"),
        pattern=raw["pattern"],
        input_action=raw.get("input", action).upper(),
        output_action=raw.get("output", action).upper(),
    )


def build_provisioned_throughput(raw: Mapping[str, Any]) -> ProvisionedThroughput:
    """A provisioned throughput from its validated mapping.

    removal_policy defaults to retain under a commitment (the model units stay billed until the
    term ends whatever happens to the stack) and to destroy without one.
    """
    commitment = raw.get("commitment", "none")
    return ProvisionedThroughput(
        name=raw["name"],
        model=raw["model"],
        model_units=raw["model_units"],
        commitment=commitment,
        acknowledge_commitment=raw.get("acknowledge_commitment", False),
        acknowledge_cost=raw.get("acknowledge_cost", False),
        removal_policy=raw.get("removal_policy", "destroy" if commitment == "none" else "retain"),
        tags=dict(sorted(raw.get("tags", {}).items())),
        display_name=raw.get("display_name"),
    )


def build_model_ref(raw: str | Mapping[str, Any]) -> ModelRef:
    """A model reference from its validated form: a model id, ``{provisioned_throughput: <name>}`` or
    ``{inference_profile: <name>}``."""
    if isinstance(raw, str):
        return ModelRef(model_id=raw)
    if "inference_profile" in raw:
        return ModelRef(inference_profile=raw["inference_profile"])
    return ModelRef(provisioned_throughput=raw["provisioned_throughput"])


def job_source_path(base_dir: str | None, source: str | None) -> str | None:
    """The real path of a job's ``source`` (relative to the config file's folder ``base_dir``)."""
    return None if source is None else os.path.realpath(os.path.join(base_dir or ".", source))


def build_evaluation_job(raw: Mapping[str, Any], *, base_dir: str | None = None) -> EvaluationJob:
    """An evaluation job from its validated mapping, datasets and metrics in the API's names."""
    name = raw["name"]
    kind = raw["kind"]
    generator = raw.get("generator_model")
    return EvaluationJob(
        name=name,
        kind=kind,
        datasets=tuple(_evaluation_dataset(item, raw, base_dir) for item in raw["datasets"]),
        output_prefix=raw.get("output_prefix", f"evaluations/{name}/"),
        models=tuple(build_model_ref(item) for item in raw.get("models", [])),
        description=raw.get("description"),
        evaluator_model=raw.get("evaluator_model"),
        knowledge_base=raw.get("knowledge_base"),
        rag_type=raw.get("rag_type"),
        generator_model=None if generator is None else build_model_ref(generator),
        number_of_results=raw.get("number_of_results"),
        kms_key_arn=raw.get("kms_key_arn"),
        wait=raw.get("wait", False),
        tags=dict(sorted(raw.get("tags", {}).items())),
    )


def _evaluation_dataset(
    raw: Mapping[str, Any], job: Mapping[str, Any], base_dir: str | None
) -> EvaluationDataset:
    kind = job["kind"]
    metrics = evaluation_metrics(kind, task_type=job.get("task_type"), rag_type=job.get("rag_type"))
    task_type = RAG_TASK_TYPE if kind == "rag" else EVALUATION_TASK_TYPES[job["task_type"]]
    if "builtin" in raw:
        dataset = builtin_dataset(raw["builtin"])
        assert dataset is not None, "validated configs name catalogued built-in datasets"
        name, key = dataset.api_name, None
    else:
        name, key = raw["name"], raw["key"]
    return EvaluationDataset(
        name=name,
        task_type=task_type,
        metrics=tuple(metrics[metric] for metric in raw["metrics"]),
        key=key,
        source=None if key is None else job_source_path(base_dir, raw.get("source")),
    )


def build_batch_inference_job(raw: Mapping[str, Any], *, base_dir: str | None = None) -> BatchInferenceJob:
    """A batch inference job from its validated mapping."""
    name = raw["name"]
    vpc = raw.get("vpc")
    invocation_type = raw.get("invocation_type")
    return BatchInferenceJob(
        name=name,
        model=build_model_ref(raw["model"]),
        input_key=raw["input"],
        input_source=job_source_path(base_dir, raw.get("source")),
        output_prefix=raw.get("output_prefix", f"batch/{name}/"),
        timeout_hours=raw.get("timeout_hours"),
        invocation_type=None if invocation_type is None else INVOCATION_TYPES[invocation_type],
        vpc=None if vpc is None else Vpc.from_mapping(vpc),
        kms_key_arn=raw.get("kms_key_arn"),
        wait=raw.get("wait", False),
        tags=dict(sorted(raw.get("tags", {}).items())),
    )
