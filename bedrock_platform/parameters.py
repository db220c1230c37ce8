"""The SSM parameter names under which each stack publishes what applications and other stacks need.

Pure names, no CDK: the stacks publish them (``stacks/discovery.py``) and the operations
commands (``status``, ``sync``, ``smoke``) read them with boto3. Every name is
``/bedrock-platform/<env>/<kind>/<name>/<attribute>``.
"""

from __future__ import annotations

PARAMETER_ROOT = "/bedrock-platform"


def parameter_name(environment: str, *parts: str) -> str:
    """``/bedrock-platform/<environment>/<parts...>``."""
    return "/".join((PARAMETER_ROOT, environment, *parts))


def vector_store_arn(environment: str, name: str) -> str:
    """The parameter holding the ARN of a vector store's collection (published when another knowledge
    stack holds one of its knowledge bases)."""
    return parameter_name(environment, "vector-stores", name, "arn")


def vector_store_endpoint(environment: str, name: str) -> str:
    """The parameter holding the endpoint of a vector store's collection (published with its ARN)."""
    return parameter_name(environment, "vector-stores", name, "endpoint")


def knowledge_base_id(environment: str, name: str) -> str:
    """The parameter holding a knowledge base's id."""
    return parameter_name(environment, "knowledge-bases", name, "id")


def data_source_id(environment: str, knowledge_base: str, name: str) -> str:
    """The parameter holding the id of a knowledge base's data source."""
    return parameter_name(environment, "knowledge-bases", knowledge_base, "data-sources", name, "id")


def guardrail_id(environment: str, name: str) -> str:
    """The parameter holding a guardrail's id."""
    return parameter_name(environment, "guardrails", name, "id")


def guardrail_version(environment: str, name: str, number: int) -> str:
    """The parameter holding the version number the service gave a guardrail's declared version ``number``."""
    return parameter_name(environment, "guardrails", name, "versions", str(number))


def guardrail_latest_version(environment: str, name: str) -> str:
    """The parameter holding the version number of a guardrail's newest declared version."""
    return parameter_name(environment, "guardrails", name, "latest-version")


def provisioned_model_arn(environment: str, name: str) -> str:
    """The parameter holding a provisioned throughput's ARN."""
    return parameter_name(environment, "provisioned-throughputs", name, "arn")


def inference_profile_arn(environment: str, name: str) -> str:
    """The parameter holding an application inference profile's ARN."""
    return parameter_name(environment, "inference-profiles", name, "arn")


def job_arn(environment: str, kind: str, name: str) -> str:
    """The parameter holding a job's ARN; ``kind`` is ``evaluation-jobs`` or ``batch-inference-jobs``."""
    return parameter_name(environment, kind, name, "arn")


def job_output_uri(environment: str, kind: str, name: str) -> str:
    """The parameter holding the S3 URI where a job writes its results."""
    return parameter_name(environment, kind, name, "output-uri")
