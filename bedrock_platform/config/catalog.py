"""Shipped catalogs: the Regions the toolkit deploys to, and the models it knows.

The Region list is the set of Regions whose CloudFormation registry has both
``AWS::Bedrock::KnowledgeBase`` and ``AWS::OpenSearchServerless::Index`` (a test checks it
against the resource schemas that cfn-lint ships, so it cannot silently rot).

Embedding models carry the vector dimensions they support and the Regions where they are
offered on demand for knowledge bases (Amazon Bedrock user guide, "Supported models and
Regions for Amazon Bedrock knowledge bases"). Add a model here, with its dimensions and
Regions, to make it available in configs.

Provisioned Throughput models are the base models a throughput can be bought for, by the id
CreateProvisionedModelThroughput takes: the model id with its context window variant
(``anthropic.claude-v2:1:200k``), and the Regions where each is offered for Provisioned
Throughput. They are copied from the Amazon Bedrock user guide, "Supported Region and models
for Provisioned Throughput"
(https://docs.aws.amazon.com/bedrock/latest/userguide/prov-thru-supported.html, the
"Single-region model support" column), in the page's order. That table changes as models are
added and retired, and it differs from the on-demand Regions of the same model (Claude 3 Haiku
runs on demand in eu-central-1, but its throughput variants are not offered there). To add a
model, add a :class:`ThroughputModel` with the id and Regions exactly as the page gives them.
Custom models are not catalogued: a config names them by ARN.
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


@dataclass(frozen=True)
class ThroughputModel:
    """A base model that Provisioned Throughput can be bought for."""

    model_id: str
    """The id with its context window variant, as CreateProvisionedModelThroughput takes it."""
    name: str
    regions: tuple[str, ...]
    """The Regions where Provisioned Throughput is offered for it."""


THROUGHPUT_MODELS: tuple[ThroughputModel, ...] = (
    ThroughputModel(
        model_id="amazon.nova-2-lite-v1:0:256k", name="Amazon Nova 2 Lite", regions=("us-east-1",)
    ),
    ThroughputModel(model_id="amazon.nova-canvas-v1:0", name="Amazon Nova Canvas", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-lite-v1:0:24k", name="Amazon Nova Lite", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-lite-v1:0:300k", name="Amazon Nova Lite", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-micro-v1:0:128k", name="Amazon Nova Micro", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-micro-v1:0:24k", name="Amazon Nova Micro", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-pro-v1:0:24k", name="Amazon Nova Pro", regions=("us-east-1",)),
    ThroughputModel(model_id="amazon.nova-pro-v1:0:300k", name="Amazon Nova Pro", regions=("us-east-1",)),
    ThroughputModel(
        model_id="amazon.titan-embed-text-v1:2:8k",
        name="Amazon Titan Embeddings G1 - Text",
        regions=("us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="amazon.titan-image-generator-v2:0",
        name="Amazon Titan Image Generator G1 v2",
        regions=("us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="amazon.titan-embed-image-v1:0",
        name="Amazon Titan Multimodal Embeddings G1",
        regions=(
            "ap-south-1",
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
    ThroughputModel(
        model_id="anthropic.claude-v2:0:100k", name="Anthropic Claude", regions=("us-east-1", "us-west-2")
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:0:18k", name="Anthropic Claude", regions=("us-east-1", "us-west-2")
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:1:18k",
        name="Anthropic Claude",
        regions=("eu-central-1", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:1:200k",
        name="Anthropic Claude",
        regions=("eu-central-1", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-haiku-20240307-v1:0:200k",
        name="Anthropic Claude 3 Haiku",
        regions=("ap-southeast-2", "eu-west-3", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-haiku-20240307-v1:0:48k",
        name="Anthropic Claude 3 Haiku",
        regions=("ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-sonnet-20240229-v1:0:200k",
        name="Anthropic Claude 3 Sonnet",
        regions=("ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-sonnet-20240229-v1:0:28k",
        name="Anthropic Claude 3 Sonnet",
        regions=("ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:51k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:18k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:200k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:51k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="anthropic.claude-instant-v1:2:100k",
        name="Anthropic Claude Instant",
        regions=("us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="cohere.embed-english-v3:0:512",
        name="Cohere Embed English",
        regions=("ca-central-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="cohere.embed-multilingual-v3:0:512",
        name="Cohere Embed Multilingual",
        regions=("ca-central-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-west-2"),
    ),
    ThroughputModel(
        model_id="meta.llama3-1-70b-instruct-v1:0:128k",
        name="Meta Llama 3.1 70B Instruct",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="meta.llama3-1-8b-instruct-v1:0:128k",
        name="Meta Llama 3.1 8B Instruct",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="meta.llama3-2-11b-instruct-v1:0:128k",
        name="Meta Llama 3.2 11B Instruct",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="meta.llama3-2-1b-instruct-v1:0:128k",
        name="Meta Llama 3.2 1B Instruct",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="meta.llama3-2-3b-instruct-v1:0:128k",
        name="Meta Llama 3.2 3B Instruct",
        regions=("us-west-2",),
    ),
    ThroughputModel(
        model_id="meta.llama3-2-90b-instruct-v1:0:128k",
        name="Meta Llama 3.2 90B Instruct",
        regions=("us-west-2",),
    ),
)
"""Base models offered for Provisioned Throughput, by model id (see the module docstring for the source)."""


def throughput_model(model_id: str) -> ThroughputModel | None:
    """The catalogued Provisioned Throughput model with that id, or None."""
    return next((model for model in THROUGHPUT_MODELS if model.model_id == model_id), None)
