"""Shipped catalogs: the Regions the toolkit deploys to and the embedding models it knows.

The Region list is the set of Regions whose CloudFormation registry has both
``AWS::Bedrock::KnowledgeBase`` and ``AWS::OpenSearchServerless::Index`` (a test checks it
against the resource schemas that cfn-lint ships, so it cannot silently rot).

Embedding models carry the vector dimensions they support and the Regions where they are
offered on demand for knowledge bases (Amazon Bedrock user guide, "Supported models and
Regions for Amazon Bedrock knowledge bases"). Add a model here, with its dimensions and
Regions, to make it available in configs.
"""

from __future__ import annotations

from dataclasses import dataclass

KNOWLEDGE_BASE_REGIONS: tuple[str, ...] = (
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
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
    "us-west-2",
)
"""Regions with Bedrock knowledge bases and OpenSearch Serverless indexes in CloudFormation."""


@dataclass(frozen=True)
class EmbeddingModel:
    """An embedding model a knowledge base can use."""

    model_id: str
    name: str
    dimensions: tuple[int, ...]
    default_dimensions: int
    regions: tuple[str, ...]


EMBEDDING_MODELS: tuple[EmbeddingModel, ...] = (
    EmbeddingModel(
        model_id="amazon.titan-embed-text-v1",
        name="Amazon Titan Embeddings G1 - Text",
        dimensions=(1536,),
        default_dimensions=1536,
        regions=("ap-northeast-1", "eu-central-1", "us-east-1", "us-west-2"),
    ),
    EmbeddingModel(
        model_id="amazon.titan-embed-text-v2:0",
        name="Amazon Titan Text Embeddings V2",
        dimensions=(256, 512, 1024),
        default_dimensions=1024,
        regions=(
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-gov-east-1",
            "us-gov-west-1",
            "us-west-2",
        ),
    ),
    EmbeddingModel(
        model_id="cohere.embed-english-v3",
        name="Cohere Embed English v3",
        dimensions=(1024,),
        default_dimensions=1024,
        regions=(
            "ap-northeast-1",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "sa-east-1",
            "us-east-1",
            "us-west-2",
        ),
    ),
    EmbeddingModel(
        model_id="cohere.embed-multilingual-v3",
        name="Cohere Embed Multilingual v3",
        dimensions=(1024,),
        default_dimensions=1024,
        regions=(
            "ap-northeast-1",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "sa-east-1",
            "us-east-1",
            "us-west-2",
        ),
    ),
)
"""Embedding models offered for knowledge bases, by model id."""


def embedding_model(model_id: str) -> EmbeddingModel | None:
    """The catalogued embedding model with that id, or None."""
    return next((model for model in EMBEDDING_MODELS if model.model_id == model_id), None)
