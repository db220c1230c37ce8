"""Stack output ids built from config names: the one place that says which outputs an item makes.

The stacks name their outputs with these functions, and validation reads the same functions to
refuse, before synthesis, two items whose outputs would collide in one stack (``g-1`` and ``g1``
both make ``G1GuardrailId``: CDK refuses a second construct of the same id) or a stack with more
outputs than CloudFormation allows. Nothing here imports aws_cdk.
"""

from __future__ import annotations


def output_id(*names: str) -> str:
    """A CloudFormation output id from config names: ``("product-docs", "faq")`` -> ``ProductDocsFaq``."""
    return "".join(part.capitalize() for name in names for part in name.replace("_", "-").split("-"))


def collection_outputs(vector_store: str) -> tuple[str]:
    """A vector store's outputs in knowledge stack 1."""
    return (f"{output_id(vector_store)}CollectionEndpoint",)


def vector_bucket_outputs(vector_store: str) -> tuple[str]:
    """An S3 Vectors store's outputs in knowledge stack 1."""
    return (f"{output_id(vector_store)}VectorBucketArn",)


def knowledge_base_outputs(knowledge_base: str) -> tuple[str]:
    """A knowledge base's outputs in its knowledge stack."""
    return (f"{output_id(knowledge_base)}KnowledgeBaseId",)


def data_source_outputs(
    knowledge_base: str, data_source: str, *, created_bucket: bool, intermediate_bucket: bool = False
) -> tuple[str, ...]:
    """A data source's outputs in its knowledge base's stack: its id, the name of a bucket the
    toolkit creates for it, and of the intermediate bucket it creates for its custom transformation
    (the function's own role needs it)."""
    prefix = output_id(knowledge_base, data_source)
    return (
        (f"{prefix}DataSourceId",)
        + ((f"{prefix}BucketName",) if created_bucket else ())
        + ((f"{prefix}IntermediateBucketName",) if intermediate_bucket else ())
    )


def guardrail_own_outputs(guardrail: str) -> tuple[str, str]:
    """A guardrail's id and ARN outputs."""
    prefix = output_id(guardrail)
    return (f"{prefix}GuardrailId", f"{prefix}GuardrailArn")


def guardrail_version_outputs(guardrail: str, number: int) -> tuple[str, str]:
    """The number and ARN outputs of a guardrail's declared version ``number`` (1-based)."""
    prefix = output_id(guardrail)
    return (f"{prefix}Version{number}", f"{prefix}Version{number}Arn")


def guardrail_latest_outputs(guardrail: str) -> tuple[str, str]:
    """The number and ARN outputs of a guardrail's newest declared version."""
    prefix = output_id(guardrail)
    return (f"{prefix}LatestVersion", f"{prefix}LatestVersionArn")


def guardrail_outputs(guardrail: str, versions: int) -> tuple[str, ...]:
    """Every output of a guardrail with ``versions`` declared versions."""
    declared = [
        output for number in range(1, versions + 1) for output in guardrail_version_outputs(guardrail, number)
    ]
    latest = guardrail_latest_outputs(guardrail) if versions else ()
    return (*guardrail_own_outputs(guardrail), *declared, *latest)


def throughput_outputs(throughput: str) -> tuple[str]:
    """A provisioned throughput's output: its ARN, what applications pass as ``modelId``."""
    return (f"{output_id(throughput)}ProvisionedModelArn",)


def inference_profile_outputs(profile: str) -> tuple[str]:
    """An application inference profile's output: its ARN, what applications pass as ``modelId``."""
    return (f"{output_id(profile)}InferenceProfileArn",)


JOB_BUCKET_OUTPUTS = ("JobBucketName",)
"""The evaluation stack's own output."""


def job_outputs(job: str) -> tuple[str, str, str]:
    """An evaluation or batch inference job's outputs (both kinds share the evaluation stack)."""
    prefix = output_id(job)
    return (f"{prefix}JobArn", f"{prefix}JobName", f"{prefix}OutputUri")
