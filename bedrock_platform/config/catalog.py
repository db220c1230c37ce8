"""Shipped catalogs: the Regions the toolkit deploys to, and the models it knows.

The Region list is the set of Regions whose CloudFormation registry has both
``AWS::Bedrock::KnowledgeBase`` and ``AWS::OpenSearchServerless::Index`` (a test checks it
against the resource schemas that cfn-lint ships, so it cannot silently rot).

Embedding models carry the vector dimensions they support, the Regions where they are
offered on demand for knowledge bases (Amazon Bedrock user guide, "Supported models and
Regions for Amazon Bedrock knowledge bases"), and the most input tokens they embed, which bounds
the chunks a data source may make (user guide, "Quotas for Amazon Bedrock", knowledge base
rows "Data source chunk size (Titan Embeddings G1 - Text)": 8,192 and "(Cohere Embed English)",
"(Cohere Embed Multilingual)": 512; "Amazon Titan Text Embeddings models": Titan Text
Embeddings V2 "Max input text tokens - 8,192", and "while Titan Text Embeddings V1 and Titan
Text Embeddings V2 are able to accommodate up to 8,192 tokens"; the Cohere Embed model cards
give a context window of 512 tokens). Add a model here, with its dimensions, Regions and input
limit, to make it available in configs.

Every catalogued model has a lifecycle state, as the user guide's "Model lifecycle" page
defines them: Active, Legacy (a newer version exists; an end-of-life date is set) or EOL (no
longer usable). The current English page says "You can't create a new Provisioned Throughput
for models in the Legacy state"; the 2024 French edition the project was built from
(bedrock-user-guide.fr.txt, "Cycle de vie des modèles") still says a new Provisioned Throughput
commitment can be bought for a Legacy version if its term ends before the version's EOL date.
The English guide wins: validation refuses throughput for a Legacy or EOL model. The states
here were read in 2026-12 (the search tool's copies of docs.aws.amazon.com): the Claude 3 Haiku
model card says "Model lifecycle: Legacy (certain Regions)", EOL 2026-09-10, and the Claude 3.5
Haiku card "Legacy"; Claude 3.5 Sonnet (v1 and v2), Claude 3 Sonnet, Claude 2, 2.1 and Instant
are older Claude versions that Anthropic has retired and that Bedrock lists as Legacy or EOL (the
"Model lifecycle (Legacy)" page's tables were not readable whole here: they are marked Legacy,
the least a model past Active is, and some may be EOL by now). Every other model is Active as far
as the model cards read say (Cohere Embed English and Multilingual: "Model lifecycle: Active";
Titan Text Embeddings V2: Active). A state only ever moves from Active to Legacy to EOL, and the
catalog can lag: ``python -m bedrock_platform status`` reads the live state (GetFoundationModel
``modelLifecycle.status``) of every catalogued model a config uses and warns about a Legacy one.

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

The 2024 French edition ("Régions et modèles pris en charge pour le débit provisionné") gives
Provisioned Throughput for the whole service in US East (N. Virginia), US West (Oregon), Asia
Pacific (Sydney), Europe (Paris), Europe (Ireland), Asia Pacific (Mumbai) and GovCloud (US-West,
custom models without commitment only), and its Regions table says "Europe (Francfort) ...
Débit provisionné: Non". The current English table adds eu-central-1 for Claude 2.1 (both
variants, Legacy) and Titan Multimodal Embeddings G1 only: in Frankfurt, no Active text
generation model can be bought throughput for.

Evaluation datasets and metrics are the names CreateEvaluationJob takes, which are free
strings in the API (``[0-9a-zA-Z-_.]+``) whose valid values are given only in the
documentation. A config writes them in snake_case (``gigaword``, ``context_relevance``) and
the catalog maps them to the API's names (``Builtin.Gigaword``, ``Builtin.ContextRelevance``).
The sources are the Amazon Bedrock user guide and API reference:

- built-in datasets and the task type each is for: "Use prompt datasets for model evaluation
  in Amazon Bedrock" (model-evaluation-prompt-datasets.html), "Model evaluation task types in
  Amazon Bedrock" (model-evaluation-tasks.html) and its pages per task type; the API names are
  spelled as the API reference gives them for ``EvaluationDataset.name`` (botocore's
  ``bedrock`` service model documents the same list);
- automated metrics and the task types that compute them: the same task type pages (text
  classification computes accuracy and robustness, not toxicity);
- LLM-as-a-judge metrics: "Use metrics to understand model performance"
  (model-evaluation-metrics.html) and ``EvaluationDatasetMetricConfig.metricNames`` in the API
  reference; logical coherence is ``Builtin.Coherence`` there;
- RAG metrics, retrieve only and retrieve and generate: "Use metrics to understand RAG system
  performance" (knowledge-base-eval-retrieve.html), whose retrieve-and-generate table adds the
  citation metrics (``Builtin.CitationPrecision``, ``Builtin.CitationCoverage``) to the list in
  the API reference; logical coherence is ``Builtin.LogicalCoherence`` there.

The API reference says ``taskType`` is ignored for knowledge base (RAG) evaluations, and the
RAG evaluation examples write ``"taskType": "General"``, which :data:`RAG_TASK_TYPE` follows.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bedrock_platform.geographies import region_geography
from bedrock_platform.spec import knowledge_base as knowledge_base_spec

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

GUARDRAIL_REGIONS: tuple[str, ...] = (
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
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
    "il-central-1",
    "me-central-1",
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
    "us-west-1",
    "us-west-2",
)
"""Regions with ``AWS::Bedrock::Guardrail`` and ``AWS::Bedrock::GuardrailVersion`` in CloudFormation
(as cfn-lint's resource schemas have them; a test keeps the two in step)."""


@functools.cache
def bedrock_api_regions() -> tuple[str, ...]:
    """Regions with an Amazon Bedrock control-plane endpoint, in every partition, as botocore's
    endpoint data lists them: what the handlers of throughputs, jobs and invocation logging call.

    Read from botocore's ``data/endpoints.json`` as its ``get_available_regions`` reads it (a Region
    of the partition, not deprecated; a test compares the two), without importing botocore: its
    session costs every ``validate`` about 0.2 s, the file about 0.01 s."""
    data = json.loads(botocore_data_file("endpoints.json").read_text(encoding="utf-8"))
    return tuple(
        sorted(
            name
            for partition in data["partitions"]
            for name, endpoint in partition["services"].get("bedrock", {}).get("endpoints", {}).items()
            if name in partition["regions"] and not endpoint.get("deprecated")
        )
    )


def botocore_data_file(relative: str) -> Path:
    """A file of botocore's installed data (``botocore/data/<relative>``), found without importing it."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or spec.origin is None:
        raise RuntimeError("botocore is not installed")
    return Path(spec.origin).parent / "data" / relative


@dataclass(frozen=True)
class RegionNeed:
    """What a section of a config needs from its Region, and the Regions that have it."""

    what: str
    """What the Region must have, as messages name it."""
    regions: tuple[str, ...]


INFERENCE_PROFILE_REGIONS: tuple[str, ...] = (
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ca-central-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "me-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-2",
)
"""Regions with AWS::Bedrock::ApplicationInferenceProfile in CloudFormation."""

AUTOMATED_REASONING_REGIONS: tuple[str, ...] = (
    "eu-central-1",
    "eu-isoe-west-1",
    "eu-west-1",
    "eu-west-3",
    "eusc-de-east-1",
    "us-east-1",
    "us-east-2",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-2",
)
"""Regions with AWS::Bedrock::AutomatedReasoningPolicy and its versions in CloudFormation."""

KNOWLEDGE_BASES_NEED = RegionNeed("Amazon Bedrock knowledge bases", KNOWLEDGE_BASE_REGIONS)


def region_needs() -> Mapping[str, RegionNeed]:
    """What each section of a config needs from the Region, by section: knowledge bases and
    vector stores need both resource types in CloudFormation, guardrails and inference profiles
    theirs, and what the
    toolkit's handlers create through the Bedrock API (throughputs, jobs, invocation logging) a
    Bedrock endpoint."""
    guardrails = RegionNeed("AWS::Bedrock::Guardrail in CloudFormation", GUARDRAIL_REGIONS)
    api = RegionNeed("an Amazon Bedrock endpoint (botocore's endpoint data)", bedrock_api_regions())
    return {
        "vector_stores": KNOWLEDGE_BASES_NEED,
        "knowledge_bases": KNOWLEDGE_BASES_NEED,
        "guardrails": guardrails,
        "provisioned_throughputs": api,
        "evaluation_jobs": RegionNeed(
            "Amazon Bedrock model evaluation (user guide: Supported Regions and models for model evaluation)",
            EVALUATION_REGIONS,
        ),
        "batch_inference_jobs": api,
        "invocation_logging": api,
        "automated_reasoning_policies": RegionNeed(
            "AWS::Bedrock::AutomatedReasoningPolicy in CloudFormation", AUTOMATED_REASONING_REGIONS
        ),
        "inference_profiles": RegionNeed(
            "AWS::Bedrock::ApplicationInferenceProfile in CloudFormation", INFERENCE_PROFILE_REGIONS
        ),
    }


def known_regions() -> tuple[str, ...]:
    """Every Region the toolkit knows of: the ones a did-you-mean hint offers."""
    regions = {*KNOWLEDGE_BASE_REGIONS, *GUARDRAIL_REGIONS, *INFERENCE_PROFILE_REGIONS}
    regions |= set(bedrock_api_regions())
    return tuple(sorted(regions))


Lifecycle = Literal["ACTIVE", "LEGACY", "EOL"]
"""A model's lifecycle state; ACTIVE and LEGACY are GetFoundationModel's ``modelLifecycle.status``."""
ACTIVE: Lifecycle = "ACTIVE"
LEGACY: Lifecycle = "LEGACY"
EOL: Lifecycle = "EOL"
LIFECYCLE_NAMES: Mapping[str, str] = {ACTIVE: "Active", LEGACY: "Legacy", EOL: "end-of-life (EOL)"}
"""How messages name each state, as the user guide does."""


@dataclass(frozen=True)
class EmbeddingModel:
    """An embedding model a knowledge base can use."""

    model_id: str
    name: str
    dimensions: tuple[int, ...]
    default_dimensions: int
    regions: tuple[str, ...]
    max_input_tokens: int
    """The most tokens one input embeds: a chunk longer than this is cut off (see the module docstring)."""
    lifecycle: Lifecycle = ACTIVE
    profile_regions: tuple[str, ...] = ()
    """Regions where the model is invoked synchronously through its geography's system inference
    profile only: a knowledge base there names the profile (``<geography>.<model id>``)."""

    def knowledge_base_model_id(self, region: str) -> str:
        """What a knowledge base in ``region`` names: the model, or where it is invoked synchronously
        through a profile only, its geography's system profile (user guide, "Native multimodal
        processing": "In these Regions, specify an inference profile when you create the knowledge
        base")."""
        geography = region_geography(region) if region in self.profile_regions else None
        return f"{geography}.{self.model_id}" if geography else self.model_id

    @property
    def native_multimodal(self) -> bool:
        """Whether a managed knowledge base sends whole files to it (native multimodal processing)."""
        return knowledge_base_spec.is_native_multimodal(self.model_id)


EMBEDDING_MODELS: tuple[EmbeddingModel, ...] = (
    EmbeddingModel(
        model_id="amazon.titan-embed-text-v1",
        name="Amazon Titan Embeddings G1 - Text",
        dimensions=(1536,),
        default_dimensions=1536,
        regions=("ap-northeast-1", "eu-central-1", "us-east-1", "us-west-2"),
        max_input_tokens=8192,
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
        max_input_tokens=8192,
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
        max_input_tokens=512,
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
        max_input_tokens=512,
    ),
    # User guide, "TwelveLabs Marengo Embed 3.0" (read 2026-12): 512 dimensions; InvokeModel in US
    # East (N. Virginia) on the base model and profiles, in Europe (Ireland) through profiles only,
    # StartAsyncInvoke on the base model there; text inputs of at most 500 tokens. "Native multimodal
    # processing": the only model a managed knowledge base embeds whole files with, and the Regions
    # of managed knowledge bases (spec.vector_stores.MANAGED_REGIONS) that offer it are these two.
    EmbeddingModel(
        model_id="twelvelabs.marengo-embed-3-0-v1:0",
        name="TwelveLabs Marengo Embed 3.0",
        dimensions=(512,),
        default_dimensions=512,
        regions=("eu-west-1", "us-east-1"),
        max_input_tokens=500,
        profile_regions=("eu-west-1",),
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
    lifecycle: Lifecycle = ACTIVE
    """Only an Active model can be bought new throughput for (see the module docstring)."""


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
        model_id="anthropic.claude-v2:0:100k",
        name="Anthropic Claude",
        regions=("us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:0:18k",
        name="Anthropic Claude",
        regions=("us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:1:18k",
        name="Anthropic Claude",
        regions=("eu-central-1", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-v2:1:200k",
        name="Anthropic Claude",
        regions=("eu-central-1", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-haiku-20240307-v1:0:200k",
        name="Anthropic Claude 3 Haiku",
        regions=("ap-southeast-2", "eu-west-3", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-haiku-20240307-v1:0:48k",
        name="Anthropic Claude 3 Haiku",
        regions=("ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-sonnet-20240229-v1:0:200k",
        name="Anthropic Claude 3 Sonnet",
        regions=("ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-sonnet-20240229-v1:0:28k",
        name="Anthropic Claude 3 Sonnet",
        regions=("ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0:51k",
        name="Anthropic Claude 3.5 Sonnet",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:18k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:200k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0:51k",
        name="Anthropic Claude 3.5 Sonnet v2",
        regions=("us-west-2",),
        lifecycle=LEGACY,
    ),
    ThroughputModel(
        model_id="anthropic.claude-instant-v1:2:100k",
        name="Anthropic Claude Instant",
        regions=("us-east-1", "us-west-2"),
        lifecycle=LEGACY,
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


EVALUATION_TASK_TYPES: Mapping[str, str] = {
    "summarization": "Summarization",
    "classification": "Classification",
    "question_and_answer": "QuestionAndAnswer",
    "generation": "Generation",
    "custom": "Custom",
}
"""Task types of automated and LLM-as-a-judge evaluations: config name to the API's ``taskType``."""

RAG_TASK_TYPE = "General"
"""The ``taskType`` of a RAG evaluation's datasets, as the user guide's examples write it.

The API reference says taskType is ignored for knowledge base evaluations; General is not one of the
enum's values (Summarization, Classification, QuestionAndAnswer, Generation, Custom).
"""


@dataclass(frozen=True)
class BuiltinDataset:
    """A built-in prompt dataset of automated model evaluations."""

    name: str
    """The name a config writes: ``gigaword``."""
    api_name: str
    """The name CreateEvaluationJob takes: ``Builtin.Gigaword``."""
    task_type: str
    """The task type (a key of :data:`EVALUATION_TASK_TYPES`) the dataset is for."""


BUILTIN_DATASETS: tuple[BuiltinDataset, ...] = (
    BuiltinDataset(name="bold", api_name="Builtin.Bold", task_type="generation"),
    BuiltinDataset(
        name="real_toxicity_prompts", api_name="Builtin.RealToxicityPrompts", task_type="generation"
    ),
    BuiltinDataset(name="t_rex", api_name="Builtin.T-Rex", task_type="generation"),
    BuiltinDataset(name="wikitext2", api_name="Builtin.Wikitext2", task_type="generation"),
    BuiltinDataset(name="gigaword", api_name="Builtin.Gigaword", task_type="summarization"),
    BuiltinDataset(name="boolq", api_name="Builtin.BoolQ", task_type="question_and_answer"),
    BuiltinDataset(
        name="natural_questions", api_name="Builtin.NaturalQuestions", task_type="question_and_answer"
    ),
    BuiltinDataset(name="trivia_qa", api_name="Builtin.TriviaQA", task_type="question_and_answer"),
    BuiltinDataset(
        name="womens_ecommerce_clothing_reviews",
        api_name="Builtin.WomensEcommerceClothingReviews",
        task_type="classification",
    ),
)
"""Built-in datasets, by task type in the order of the user guide's table (see the module docstring)."""


EVALUATION_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
)
"""Regions with Amazon Bedrock model evaluation, in the order of the user guide's "Supported Regions
and models for model evaluation" (evaluation-support.html, read 2026-12)."""

EVALUATOR_MODELS: Mapping[str, str] = {
    "mistral.mistral-large-2402-v1:0": "Mistral Large (24.02)",
    "anthropic.claude-3-5-sonnet-20240620-v1:0": "Anthropic Claude 3.5 Sonnet",
    "anthropic.claude-3-5-sonnet-20241022-v2:0": "Anthropic Claude 3.5 Sonnet v2",
    "anthropic.claude-3-7-sonnet-20250219-v1:0": "Anthropic Claude 3.7 Sonnet",
    "anthropic.claude-3-haiku-20240307-v1:0": "Anthropic Claude 3 Haiku",
    "anthropic.claude-haiku-4-5-20251001-v1:0": "Anthropic Claude Haiku 4.5",
    "anthropic.claude-opus-4-5-20251101-v1:0": "Anthropic Claude Opus 4.5",
    "meta.llama3-1-70b-instruct-v1:0": "Meta Llama 3.1 70B Instruct",
    "meta.llama3-3-70b-instruct-v1:0": "Meta Llama 3.3 70B Instruct",
    "amazon.nova-pro-v1:0": "Amazon Nova Pro",
    "amazon.nova-micro-v1:0": "Amazon Nova Micro",
    "amazon.nova-premier-v1:0": "Amazon Nova Premier",
}
"""The models Amazon Bedrock offers as evaluators (judges) of llm_judge and rag jobs' built-in
metrics, by base model id; a config may name one through a system inference profile
(``eu.anthropic.claude-3-5-sonnet-20240620-v1:0``). From the user guide, "Evaluate model
performance using another LLM as a judge" ("Supported evaluator models (built-in metrics)") and
"Built-in metric evaluator prompts for model-as-a-judge evaluation jobs", whose topics are one per
evaluator model (read 2026-12; the guide adds evaluators over time: add one here, by the id its
model card gives, to make it available)."""

EMBEDDING_MODEL_ID_MARK = "embed"
"""Every Amazon Bedrock embedding model id has ``embed`` in its model part (amazon.titan-embed-text-v2:0,
cohere.embed-english-v3, amazon.titan-embed-image-v1, amazon.nova-2-multimodal-embeddings-v1:0,
twelvelabs.marengo-embed-2-7-v1:0), and no text generation model's has: how an evaluation job's
models are told from embedding models, which produce no text to grade or to be graded."""


def is_embedding_model(base_model_id: str) -> bool:
    """Whether a base model id (no profile prefix) is an embedding model's."""
    model = base_model_id.partition(".")[2]
    return embedding_model(base_model_id) is not None or EMBEDDING_MODEL_ID_MARK in model


def builtin_dataset(name: str) -> BuiltinDataset | None:
    """The built-in dataset a config names ``name``, or None."""
    return next((dataset for dataset in BUILTIN_DATASETS if dataset.name == name), None)


AUTOMATED_METRICS: Mapping[str, str] = {
    "accuracy": "Builtin.Accuracy",
    "robustness": "Builtin.Robustness",
    "toxicity": "Builtin.Toxicity",
}
"""Metrics of automated evaluations: config name to API name."""

AUTOMATED_TASK_METRICS: Mapping[str, tuple[str, ...]] = {
    "summarization": ("accuracy", "robustness", "toxicity"),
    "classification": ("accuracy", "robustness"),
    "question_and_answer": ("accuracy", "robustness", "toxicity"),
    "generation": ("accuracy", "robustness", "toxicity"),
    "custom": ("accuracy", "robustness", "toxicity"),
}
"""The automated metrics each task type computes (the user guide lists none for custom: all three)."""

JUDGE_METRICS: Mapping[str, str] = {
    "correctness": "Builtin.Correctness",
    "completeness": "Builtin.Completeness",
    "faithfulness": "Builtin.Faithfulness",
    "helpfulness": "Builtin.Helpfulness",
    "coherence": "Builtin.Coherence",
    "relevance": "Builtin.Relevance",
    "following_instructions": "Builtin.FollowingInstructions",
    "professional_style_and_tone": "Builtin.ProfessionalStyleAndTone",
    "harmfulness": "Builtin.Harmfulness",
    "stereotyping": "Builtin.Stereotyping",
    "refusal": "Builtin.Refusal",
}
"""Built-in metrics of model evaluations that use an LLM as a judge: config name to API name."""

RAG_METRICS: Mapping[str, Mapping[str, str]] = {
    "retrieve": {
        "context_relevance": "Builtin.ContextRelevance",
        "context_coverage": "Builtin.ContextCoverage",
    },
    "retrieve_and_generate": {
        "correctness": "Builtin.Correctness",
        "completeness": "Builtin.Completeness",
        "helpfulness": "Builtin.Helpfulness",
        "logical_coherence": "Builtin.LogicalCoherence",
        "faithfulness": "Builtin.Faithfulness",
        "citation_precision": "Builtin.CitationPrecision",
        "citation_coverage": "Builtin.CitationCoverage",
        "harmfulness": "Builtin.Harmfulness",
        "stereotyping": "Builtin.Stereotyping",
        "refusal": "Builtin.Refusal",
    },
}
"""Built-in metrics of RAG evaluations, by rag_type: config name to API name."""


def evaluation_metrics(
    kind: str, *, task_type: str | None = None, rag_type: str | None = None
) -> Mapping[str, str]:
    """The metrics an evaluation of this kind takes, config name to API name; empty when none are known.

    automated needs its ``task_type``, rag its ``rag_type``; llm_judge takes the same metrics
    whatever the task type.
    """
    if kind == "automated":
        names = AUTOMATED_TASK_METRICS.get(task_type or "", ())
        return {name: AUTOMATED_METRICS[name] for name in names}
    if kind == "llm_judge":
        return JUDGE_METRICS
    if kind == "rag":
        return RAG_METRICS.get(rag_type or "", {})
    return {}
