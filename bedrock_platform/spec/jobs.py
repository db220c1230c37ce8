"""Evaluation and batch inference jobs: the kinds of evaluation, which fields each takes, and the
limits CreateEvaluationJob and CreateModelInvocationJob set.

Sources:
- CreateEvaluationJob (API reference, and botocore's ``bedrock`` model): 1 to 5 datasets per job
  (``EvaluationDatasetMetricConfigs``); an automated or model-as-a-judge job evaluates one model
  here (the console's and the toolkit's rule: one report per model); a judge job and a knowledge
  base (RAG) job need an evaluator model; a RAG job evaluates a knowledge base, ``retrieve`` or
  ``retrieve_and_generate``, and only the latter has a generator model (user guide, "Evaluate the
  performance of RAG sources using Amazon Bedrock evaluations").
- CreateModelInvocationJob ``timeoutDurationInHours``: 24 to 168 (botocore's model; a test reads it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

EVALUATION_KINDS: tuple[str, ...] = ("automated", "llm_judge", "rag")
"""The kinds of evaluation the toolkit runs (human is refused: it needs a work team)."""
RAG_TYPES: tuple[str, ...] = ("retrieve", "retrieve_and_generate")
DATASETS_PER_JOB = (1, 5)
MODELS_PER_EVALUATION = 1
BATCH_TIMEOUT_HOURS = (24, 168)


@dataclass(frozen=True)
class KindField:
    """A field that only some kinds of evaluation job take."""

    kinds: tuple[str, ...]
    """The kinds that take it."""
    required: bool
    """Whether those kinds need it."""
    purpose: str
    """What it is, as the message about a missing one says."""


KIND_FIELDS: Mapping[str, KindField] = {
    "task_type": KindField(
        ("automated", "llm_judge"), True, "what the model is asked to do: summarization, classification, ..."
    ),
    "models": KindField(("automated", "llm_judge"), True, "the model evaluated"),
    "evaluator_model": KindField(("llm_judge", "rag"), True, "the model that grades the responses"),
    "knowledge_base": KindField(("rag",), True, "the knowledge base evaluated"),
    "rag_type": KindField(("rag",), True, "retrieve or retrieve_and_generate"),
    "generator_model": KindField(("rag",), False, ""),
    "number_of_results": KindField(("rag",), False, ""),
}
"""The fields that depend on an evaluation job's kind; generator_model also on its rag_type."""


def takes(kind: str, field: str, rag_type: str | None = None) -> bool:
    """Whether an evaluation of ``kind`` (and ``rag_type``) takes ``field``."""
    if kind not in KIND_FIELDS[field].kinds:
        return False
    return field != "generator_model" or rag_type == "retrieve_and_generate"


def needs(kind: str, field: str, rag_type: str | None = None) -> bool:
    """Whether an evaluation of ``kind`` (and ``rag_type``) needs ``field``."""
    if field == "generator_model":
        return rag_type == "retrieve_and_generate" and kind == "rag"
    return takes(kind, field, rag_type) and KIND_FIELDS[field].required


def evaluation_problems(kind: str, given: Mapping[str, bool], rag_type: str | None, models: int) -> list[str]:
    """What an evaluation of ``kind`` breaks, from which of the kind fields are ``given``."""
    problems = []
    if kind not in EVALUATION_KINDS:
        return [f"kind {kind!r} is not one of {', '.join(EVALUATION_KINDS)}"]
    if "rag_type" in given and given["rag_type"] and rag_type not in RAG_TYPES:
        problems.append(f"rag_type {rag_type!r} is not one of {', '.join(RAG_TYPES)}")
    for field, present in given.items():
        if present and not takes(kind, field, rag_type):
            problems.append(f"a {kind} evaluation takes no {field}")
        elif not present and needs(kind, field, rag_type):
            problems.append(f"a {kind} evaluation needs {field}")
    if takes(kind, "models") and given.get("models") and models != MODELS_PER_EVALUATION:
        problems.append(f"a {kind} evaluation evaluates {MODELS_PER_EVALUATION} model, got {models}")
    return problems


@dataclass(frozen=True, kw_only=True)
class EvaluationDataset:
    """A prompt dataset of an evaluation job and the metrics computed on it, in the API's names."""

    name: str
    """The API's dataset name: ``Builtin.Gigaword`` for a built-in dataset, else the custom dataset's name."""
    task_type: str
    """The API's ``taskType``: ``Summarization``, ...; for rag, :data:`~.catalog.RAG_TASK_TYPE`."""
    metrics: tuple[str, ...]
    """The API's metric names (``Builtin.Accuracy``, ...), in the order written."""
    key: str | None = None
    """The custom dataset's object key in the job bucket. Default: None, a built-in dataset."""
    source: str | None = None
    """A JSON Lines file of the repository (a path to read) that the deployment uploads to ``key``
    before the job starts. Default: None (the dataset is in the bucket already)."""


EVALUATION_JOB_TYPE = "Custom::BedrockEvaluationJob"
BATCH_INFERENCE_JOB_TYPE = "Custom::BedrockBatchInferenceJob"
"""The CloudFormation types of the toolkit's jobs."""
