"""Reusable constructs: usable from any CDK app, with or without a YAML config.

```python
from bedrock_platform.constructs import Guardrail, KnowledgeBase, VectorCollection, VectorIndex
```

- Knowledge bases: :class:`VectorCollection` (or an existing one,
  ``VectorCollection.from_collection_attributes``) with a :class:`VectorIndex`, or an Amazon S3
  vector bucket, :class:`S3VectorStore` (or ``S3VectorStore.from_vector_bucket_arn``), with an
  :class:`S3VectorIndex`, or a table of an existing Aurora PostgreSQL cluster,
  :class:`AuroraVectorStore`, or the service's own storage, :class:`ManagedStorage` (a MANAGED
  knowledge base); :class:`KnowledgeBase`,
  :class:`DataSource` (an :class:`S3Source`, :class:`WebSource`, :class:`ConfluenceSource`,
  :class:`SharePointSource`, :class:`SalesforceSource` or :class:`CustomSource`, with its
  :class:`Parsing` and :class:`CustomTransformation`) and :class:`S3DataSource` with its
  :class:`Chunking`, on a :class:`DocumentBucket` (server access logs to an
  :class:`AccessLogsBucket`) or any bucket; :class:`DataSourceIngestion` starts an
  ingestion job of a data source on each deploy that creates it or changes its settings, and
  :class:`IngestionSchedule` on a schedule (EventBridge Scheduler, no Lambda);
  :class:`KnowledgeBaseLogs` delivers a knowledge base's ingestion logs to a log group, a bucket or a
  Firehose stream.
- Guardrails: :class:`Guardrail` (its policies: :class:`ContentFilter`, :class:`DeniedTopic`,
  :class:`PiiEntity`, :class:`RegexFilter`), and its published :class:`GuardrailVersion` s
  (declared as :class:`GuardrailVersionSpec` or added with ``Guardrail.add_version``);
  :class:`EnforcedGuardrail` applies one version to every model invocation of the account, and
  :class:`GuardrailResourcePolicy` lets the account's callers or an organization apply it;
  :class:`AutomatedReasoningPolicy` (with its :class:`AutomatedReasoningPolicyVersion` s) is what a
  guardrail's :class:`AutomatedReasoningChecks` check answers against.
- Provisioned throughput: :class:`ProvisionedThroughput`, bought by the hour or for a
  :class:`CommitmentDuration`.
- Cost allocation: :class:`ApplicationInferenceProfile`, a team's tagged handle on a model or a
  system cross-Region profile.

Every construct takes keyword arguments with CDK types (``RemovalPolicy``, ``IKey``, ``IBucket``).
``GuardrailProps`` and ``ProvisionedThroughputProps`` (the YAML config's typed entries), passed as
``props=``, are deprecated and go in the next release (docs/constructs.md, "Migrating from props=").
- Jobs: :class:`EvaluationJob` (datasets as :class:`EvaluationDataset`), :class:`BatchInferenceJob`,
  the models they invoke (:class:`JobModel`), and a :class:`JobBucket` for their data; a dataset's
  or input's file shipped with the app is uploaded by :class:`JobData` (as the stack's
  :class:`JobDataUploader`) before the job starts.
- Model invocation logging of the account and Region: :class:`InvocationLogging`; a customer
  managed key for a log group: :func:`log_group_key`.
- A stack's settings for what it creates: :func:`use_stack_key` (a key of its own, :func:`stack_key`,
  for buckets and handler log groups without one), :func:`use_handler_vpc` (its Lambda functions
  in your subnets, :class:`HandlerVpc`), :func:`use_handler_logs_key`.
- cdk-nag: :func:`add_checks` registers its AwsSolutions, NIST 800-53 rev. 5 and HIPAA Security
  packs; the constructs acknowledge their own findings, and :func:`acknowledge_role_policy` a
  role of yours whose grants are its default policy. :func:`add_control_tower_checks` runs the AWS
  Control Tower proactive controls; :func:`acknowledge_control_tower` acknowledges one finding.

Each exposes its identifiers, ``grant_*`` methods for applications (``grant_retrieve``,
``grant_apply``, ``grant_invoke``) and ``from_*`` importers for resources that already exist.
Invalid arguments raise :class:`ConstructValidationError`. See docs/constructs.md.
"""

from bedrock_platform.constructs.aurora import AuroraVectorStore
from bedrock_platform.constructs.automated_reasoning import (
    AutomatedReasoningChecks,
    AutomatedReasoningPolicy,
    AutomatedReasoningPolicyVersion,
)
from bedrock_platform.constructs.bedrock_job import (
    BatchInferenceJob,
    EvaluationJob,
    JobBucket,
    JobModel,
)
from bedrock_platform.constructs.data_source import (
    AccessLogsBucket,
    Chunking,
    ConfluenceSource,
    ConnectorSettings,
    CustomSource,
    CustomTransformation,
    DataSource,
    DataSourceKind,
    DocumentBucket,
    ObjectFilter,
    Parsing,
    S3DataSource,
    S3Source,
    SalesforceSource,
    SharePointSource,
    WebSource,
)
from bedrock_platform.constructs.encryption import log_group_key, stack_key, use_stack_key
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.guardrail import Guardrail, GuardrailProps, GuardrailVersion, IGuardrail
from bedrock_platform.constructs.guardrail_governance import (
    EnforcedGuardrail,
    GuardrailResourcePolicy,
    allow_enforced_guardrail,
)
from bedrock_platform.constructs.handler_provider import (
    HandlerProvider,
    HandlerVpc,
    latest_python_runtime,
    use_handler_logs_key,
    use_handler_vpc,
)
from bedrock_platform.constructs.inference_profile import (
    ApplicationInferenceProfile,
    IApplicationInferenceProfile,
)
from bedrock_platform.constructs.ingestion import DataSourceIngestion
from bedrock_platform.constructs.invocation_logging import InvocationLogging
from bedrock_platform.constructs.job_data import JobData, JobDataUploader
from bedrock_platform.constructs.knowledge_base import IKnowledgeBase, KnowledgeBase
from bedrock_platform.constructs.knowledge_base_logs import KnowledgeBaseLogs
from bedrock_platform.constructs.managed_storage import ManagedStorage
from bedrock_platform.constructs.nag import (
    acknowledge_control_tower,
    acknowledge_role_policy,
    add_checks,
    add_control_tower_checks,
)
from bedrock_platform.constructs.provisioned_throughput import (
    CommitmentDuration,
    IProvisionedThroughput,
    ProvisionedThroughput,
    ProvisionedThroughputProps,
)
from bedrock_platform.constructs.s3_vectors import (
    IS3VectorStore,
    S3VectorIndex,
    S3VectorIndexBase,
    S3VectorStore,
)
from bedrock_platform.constructs.service_role import bedrock_service_role, foundation_model_arn
from bedrock_platform.constructs.sync import IngestionSchedule
from bedrock_platform.constructs.vector_collection import (
    IVectorCollection,
    VectorCollection,
    cloudformation_execution_role_arn,
)
from bedrock_platform.constructs.vector_index import VectorIndex
from bedrock_platform.spec.guardrail import ContentFilter, DeniedTopic, PiiEntity, RegexFilter
from bedrock_platform.spec.guardrail import GuardrailVersion as GuardrailVersionSpec
from bedrock_platform.spec.jobs import EvaluationDataset

__all__ = [
    "AccessLogsBucket",
    "ApplicationInferenceProfile",
    "AuroraVectorStore",
    "AutomatedReasoningChecks",
    "AutomatedReasoningPolicy",
    "AutomatedReasoningPolicyVersion",
    "BatchInferenceJob",
    "Chunking",
    "CommitmentDuration",
    "ConfluenceSource",
    "ConnectorSettings",
    "ConstructValidationError",
    "ContentFilter",
    "CustomSource",
    "CustomTransformation",
    "DataSource",
    "DataSourceIngestion",
    "DataSourceKind",
    "DeniedTopic",
    "DocumentBucket",
    "EnforcedGuardrail",
    "EvaluationDataset",
    "EvaluationJob",
    "Guardrail",
    "GuardrailProps",
    "GuardrailResourcePolicy",
    "GuardrailVersion",
    "GuardrailVersionSpec",
    "HandlerProvider",
    "HandlerVpc",
    "IApplicationInferenceProfile",
    "IGuardrail",
    "IKnowledgeBase",
    "IProvisionedThroughput",
    "IS3VectorStore",
    "IVectorCollection",
    "IngestionSchedule",
    "InvocationLogging",
    "JobBucket",
    "JobData",
    "JobDataUploader",
    "JobModel",
    "KnowledgeBase",
    "KnowledgeBaseLogs",
    "ManagedStorage",
    "ObjectFilter",
    "Parsing",
    "PiiEntity",
    "ProvisionedThroughput",
    "ProvisionedThroughputProps",
    "RegexFilter",
    "S3DataSource",
    "S3Source",
    "S3VectorIndex",
    "S3VectorIndexBase",
    "S3VectorStore",
    "SalesforceSource",
    "SharePointSource",
    "VectorCollection",
    "VectorIndex",
    "WebSource",
    "acknowledge_control_tower",
    "acknowledge_role_policy",
    "add_checks",
    "add_control_tower_checks",
    "allow_enforced_guardrail",
    "bedrock_service_role",
    "cloudformation_execution_role_arn",
    "foundation_model_arn",
    "latest_python_runtime",
    "log_group_key",
    "stack_key",
    "use_handler_logs_key",
    "use_handler_vpc",
    "use_stack_key",
]
