"""Reusable constructs: usable from any CDK app, with or without a YAML config."""

from bedrock_platform.constructs.bedrock_job import (
    BatchInferenceJob,
    EvaluationJob,
    JobBucket,
    JobModel,
)
from bedrock_platform.constructs.data_source import AccessLogsBucket, Chunking, DocumentBucket, S3DataSource
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.guardrail import Guardrail, GuardrailProps, GuardrailVersion, IGuardrail
from bedrock_platform.constructs.handler_provider import HandlerProvider, latest_python_runtime
from bedrock_platform.constructs.knowledge_base import IKnowledgeBase, KnowledgeBase
from bedrock_platform.constructs.provisioned_throughput import (
    IProvisionedThroughput,
    ProvisionedThroughput,
    ProvisionedThroughputProps,
)
from bedrock_platform.constructs.service_role import bedrock_service_role, foundation_model_arn
from bedrock_platform.constructs.vector_collection import (
    IVectorCollection,
    VectorCollection,
    cloudformation_execution_role_arn,
)
from bedrock_platform.constructs.vector_index import VectorIndex

__all__ = [
    "AccessLogsBucket",
    "BatchInferenceJob",
    "Chunking",
    "ConstructValidationError",
    "DocumentBucket",
    "EvaluationJob",
    "Guardrail",
    "GuardrailProps",
    "GuardrailVersion",
    "HandlerProvider",
    "IGuardrail",
    "IKnowledgeBase",
    "IProvisionedThroughput",
    "IVectorCollection",
    "JobBucket",
    "JobModel",
    "KnowledgeBase",
    "ProvisionedThroughput",
    "ProvisionedThroughputProps",
    "S3DataSource",
    "VectorCollection",
    "VectorIndex",
    "bedrock_service_role",
    "cloudformation_execution_role_arn",
    "foundation_model_arn",
    "latest_python_runtime",
]
