"""Knowledge bases: their descriptions, and the AWS name a change of create-only settings renews.

Sources (CloudFormation's resource schemas, as cfn-lint ships them; tests compare):
- ``AWS::Bedrock::KnowledgeBase`` ``Description``: 1 to 200 characters; ``AWS::Bedrock::DataSource``
  ``Description`` the same.
- ``AWS::Bedrock::KnowledgeBase`` ``Name``: :data:`bedrock_platform.spec.names.BEDROCK_NAME`.
- Create-only: the embedding model and its configuration and the storage configuration (the
  collection, the index and its field mapping): a change replaces the knowledge base.

Native multimodal processing (user guide, "Native multimodal processing", kb-managed-native-
multimodal, read 2026-12): a managed knowledge base whose embedding model is a native multimodal
model sends each file to the model instead of parsing it into text. "Currently, TwelveLabs Marengo
Embed 3.0 (``twelvelabs.marengo-embed-3-0-v1:0``) is the only model that you can choose"; only the
``MULTI_MODAL_EMBEDDINGS`` parsing strategy is supported, no text chunking; "You must provide a
multimodal storage destination" (a different bucket from the data source's); only ``Retrieve`` is
supported, not ``RetrieveAndGenerate``; the knowledge base invokes the model synchronously (queries)
and asynchronously (ingestion), and "In some AWS Regions, the TwelveLabs Marengo Embed 3.0 model
supports synchronous invocation only through an inference profile ... specify an inference profile
when you create the knowledge base". Its role ("Create a service role for managed Amazon Bedrock
Knowledge Bases", kb-managed-permissions-access-models): ``bedrock:InvokeModel`` on the model, the
inference profile and ``arn:<partition>:bedrock:<region>:<account>:async-invoke/*``, and
``bedrock:GetAsyncInvoke`` on the latter (the IAM reference: StartAsyncInvoke is authorized as
InvokeModel on the model and the async-invoke resource). Segmentation ("TwelveLabs Marengo Embed 3.0"
model card, request parameters ``segmentation``): video ``dynamic`` (shot boundaries, ``minDurationSec``
1 to 5, default 4) or ``fixed`` (``durationSec`` 1 to 10, default 6); audio ``fixed`` only, by default
"as evenly as possible with segments close to 10 seconds". The guide names ``modelConfiguration`` as
where a knowledge base takes them without showing its shape here; the toolkit writes the model's own
``segmentation`` objects under ``audio`` and ``video`` with ``version`` ``"1"``, the body a public
project created such knowledge bases with through the API; written only when segmentation is given.
"""

from __future__ import annotations

import hashlib
import json

NATIVE_MULTIMODAL_MODELS: tuple[str, ...] = ("twelvelabs.marengo-embed-3-0-v1:0",)
"""Embedding models a managed knowledge base sends whole files to (native multimodal processing)."""
SEGMENTATION_METHODS: dict[str, tuple[str, ...]] = {"video": ("dynamic", "fixed"), "audio": ("fixed",)}
"""How each medium may be split into segments (video by default at shot boundaries: ``dynamic``)."""
SEGMENTATION_SECONDS: dict[str, tuple[int, int]] = {"dynamic": (1, 5), "fixed": (1, 10)}
"""Seconds a method takes: the shortest segment (``dynamic``), each segment (``fixed``)."""
MODEL_CONFIGURATION_VERSION = "1"
ASYNC_INVOKE_ACTIONS: tuple[str, ...] = ("bedrock:InvokeModel", "bedrock:GetAsyncInvoke")
"""What a native multimodal knowledge base's role needs on its asynchronous invocations."""

DESCRIPTION_LIMITS = (1, 200)
"""Characters of a knowledge base's or a data source's description."""

FINGERPRINT_LENGTH = 6
"""Hex digits a knowledge base's AWS name ends with: ``<name>-<fingerprint>``."""


def description_problem(description: str | None) -> str | None:
    """Why ``description`` cannot be a knowledge base's or a data source's, or None."""
    low, high = DESCRIPTION_LIMITS
    if description is None or low <= len(description) <= high:
        return None
    return f"description is {len(description)} characters, must be {low} to {high}"


def name_fingerprint(
    *,
    embedding_model: str,
    dimensions: int | None,
    collection: str | None,
    index: str,
    fields: tuple[str, ...],
    storage: str | None = None,
    supplemental_storage: str | None = None,
    model_configuration: object = None,
) -> str:
    """The hex digits over a knowledge base's create-only settings.

    A change of one of them replaces the knowledge base, which CloudFormation creates before it
    deletes the old one: under the same name the create would fail with "already exists".
    ``dimensions`` is None when the embedding model is not told them; ``collection`` None when its
    name is known at deploy time only. ``storage`` is the store type for a store other than
    OpenSearch Serverless (left out for it, so that its knowledge bases keep their names);
    ``collection`` is then the store's container (an S3 Vectors bucket) and ``fields`` what the
    index keeps beside the vectors. ``supplemental_storage`` names the multimodal storage bucket
    (left out without one); ``model_configuration`` is a native multimodal model's (left out for
    other models).
    """
    create_only: dict[str, object] = {
        "embedding_model": embedding_model,
        "dimensions": dimensions,
        "collection": collection,
        "index": index,
        "fields": list(fields),
    }
    if storage is not None:
        create_only["storage"] = storage
    if supplemental_storage is not None:
        create_only["supplemental_storage"] = supplemental_storage
    if model_configuration is not None:
        create_only["model_configuration"] = model_configuration
    return hashlib.sha256(json.dumps(create_only, sort_keys=True).encode()).hexdigest()[:FINGERPRINT_LENGTH]


def is_native_multimodal(model_id: str) -> bool:
    """Whether ``model_id`` (a base model id or a system inference profile's) is a native multimodal
    embedding model."""
    return any(
        model_id in (model, f"{model_id.split('.', 1)[0]}.{model}") for model in NATIVE_MULTIMODAL_MODELS
    )


def segmentation_problems(medium: str, method: str, seconds: int) -> list[str]:
    """Why ``method`` with ``seconds`` cannot split ``medium`` (video, audio), or nothing."""
    methods = SEGMENTATION_METHODS.get(medium)
    if methods is None:
        return [f"segmentation is for {' and '.join(SEGMENTATION_METHODS)}, not {medium}"]
    if method not in methods:
        return [f"{medium} segmentation is {' or '.join(methods)}, not {method}"]
    low, high = SEGMENTATION_SECONDS[method]
    if not low <= seconds <= high:
        return [f"{medium} segmentation {method} takes {low} to {high} seconds, not {seconds}"]
    return []


def model_configuration(segmentation: dict[str, tuple[str, int]]) -> dict[str, object]:
    """A native multimodal model's ``modelConfiguration``: the segmentation of each medium given, as the
    model's request takes it (``{"method": "fixed", "fixed": {"durationSec": 6}}``); a medium left out
    keeps the model's own default."""
    configuration: dict[str, object] = {"version": MODEL_CONFIGURATION_VERSION}
    for medium in SEGMENTATION_METHODS:
        if medium in segmentation:
            method, seconds = segmentation[medium]
            parameter = "minDurationSec" if method == "dynamic" else "durationSec"
            configuration[medium] = {"segmentation": {"method": method, method: {parameter: seconds}}}
    return configuration
