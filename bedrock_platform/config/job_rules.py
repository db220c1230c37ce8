"""Semantic checks of ``evaluation_jobs``, ``batch_inference_jobs`` and ``job_bucket``.

Each rule is registered in :data:`bedrock_platform.config.rules.RULES`. The document rules,
``(config, context) -> list[Issue]``, check a job's form (its kind, the fields and datasets it
takes, its metrics: :func:`~bedrock_platform.config.model.build_evaluation_job` relies on them),
its files and its references as written. The typed rules, ``(checked, context) -> list[Issue]``,
check the jobs built from what those let through: AWS names, models, inputs (:mod:`.typed`).
Unique job and dataset names and the jobs' KMS keys are checked by the shared rules in
:mod:`.rules`. Which fields a job takes depends on its kind (and a rag job's rag_type):
:data:`KIND_FIELDS` says it once, for the field rule and for the rules that only look at fields
that apply. The catalog of datasets and metrics is :mod:`.catalog`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, get_args

from bedrock_platform import geographies
from bedrock_platform.config.catalog import (
    AUTOMATED_METRICS,
    AUTOMATED_TASK_METRICS,
    BUILTIN_DATASETS,
    EVALUATOR_MODELS,
    JUDGE_METRICS,
    RAG_METRICS,
    builtin_dataset,
    evaluation_metrics,
    is_embedding_model,
)
from bedrock_platform.config.checks import RuleContext, items, reference_issues, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.files import FileProblem, read_text, resolve_inside
from bedrock_platform.config.messages import did_you_mean, one_of, show
from bedrock_platform.config.model import (
    JOB_NAME_SUFFIX_LENGTH,
    BatchInferenceJob,
    EvaluationJob,
    EvaluationKind,
    ModelRef,
)
from bedrock_platform.config.typed import At, Checked
from bedrock_platform.spec import jobs as jobs_spec

HUMAN_KIND = (
    "kind 'human' is not supported: a human-based evaluation needs a SageMaker Ground Truth work team "
    "and flow definition that the toolkit does not create; use kind 'llm_judge' to have a model grade "
    "the responses instead"
)
FIELD_NOT_FOR_KIND = "{field} does not apply to kind {kind} (only to {kinds})"
FIELD_MISSING = "missing key {field}: kind {kind} needs it ({purpose})"
GENERATOR_NOT_FOR_RETRIEVE = (
    "generator_model does not apply to rag_type 'retrieve' "
    "(a retrieve-only evaluation generates no responses)"
)
GENERATOR_MISSING = (
    "missing key 'generator_model': rag_type 'retrieve_and_generate' needs it "
    "(the model that generates the responses from what is retrieved)"
)
MODEL_COUNT = (
    "kind {kind} evaluates exactly one model, got {count} "
    "(only human-based evaluations compare two, and the toolkit does not run them)"
)
DATASET_FORM_BOTH = "give either builtin (a built-in dataset) or name and key (a custom dataset), not both"
DATASET_FORM_NEITHER = (
    "missing key 'builtin' or 'name': give builtin (a built-in dataset) or name and key (a custom dataset)"
)
KEY_WITH_BUILTIN = "key does not apply to a built-in dataset (only to a custom dataset, beside name)"
CUSTOM_DATASET_WITHOUT_KEY = (
    "missing key 'key': a custom dataset needs the object key of its JSON Lines file in the job bucket, "
    "such as datasets/{name}.jsonl"
)
DATASET_KEY_NOT_JSONL = "{key} must end in .jsonl: a custom dataset is a JSON Lines file"
BUILTIN_NOT_AUTOMATED = (
    "built-in datasets are for automated evaluations only: kind {kind} needs a custom dataset (name and key)"
)
UNKNOWN_BUILTIN_DATASET = "unknown built-in dataset {dataset}{hint}"
BUILTIN_DATASET_TASK_TYPE = (
    "built-in dataset {dataset} is for task_type {dataset_task}, not {task_type}{hint}"
)
DUPLICATE_BUILTIN_DATASET = "duplicate built-in dataset {dataset} (first listed at line {line})"
METRIC_NOT_OF = "{metric} is not a metric of {what}{hint}"
JOB_NAME_LENGTH = (
    "the {what}'s AWS name would be {length} characters, at most {limit} "
    "(it is <environment>-<name>-<6 hex digits>): shorten the name to at most {room} characters"
)
BATCH_INPUT = (
    "{input} must be the object key of a JSON Lines file (ending in .jsonl) or a prefix ending with /"
)
JOB_BUCKET_UNUSED = (
    "job_bucket is set, but no evaluation_jobs or batch_inference_jobs are declared to use it: "
    "remove it, or declare a job"
)

ALL_METRICS = frozenset(
    {*AUTOMATED_METRICS, *JUDGE_METRICS, *(name for metrics in RAG_METRICS.values() for name in metrics)}
)
"""Every metric name of the catalog, whatever the kind: a metric of another kind is not a typo."""
SAME_METRIC: Mapping[str, str] = {"coherence": "logical_coherence", "logical_coherence": "coherence"}
"""Logical coherence is ``Builtin.Coherence`` for llm_judge and ``Builtin.LogicalCoherence`` for rag."""
JOB_NAME_MAX = 63
"""The limit of CreateEvaluationJob's jobName and CreateModelInvocationJob's jobName (1 to 63 characters)."""
JSONL = ".jsonl"
KINDS: tuple[str, ...] = get_args(EvaluationKind)
"""The kinds of evaluation the toolkit runs (``human`` is refused)."""


KindField = jobs_spec.KindField
KIND_FIELDS = jobs_spec.KIND_FIELDS


def _evaluation_jobs(config: Mapping[str, Any]) -> list[tuple[ConfigPath, dict[str, Any]]]:
    return items(config, ("evaluation_jobs",))


def _kind(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> str | None:
    """The job's kind when it is one the toolkit runs, else None (missing, wrong or human: reported)."""
    kind = string(config, context, (*path, "kind"))
    return kind if kind in KINDS else None


def _applies(config: Mapping[str, Any], context: RuleContext, path: ConfigPath, field: str) -> bool:
    """Whether the job at ``path`` takes ``field`` (False when its kind or rag_type is unknown)."""
    kind = _kind(config, context, path)
    if kind is None or kind not in KIND_FIELDS[field].kinds:
        return False
    if field == "generator_model":
        return string(config, context, (*path, "rag_type")) == "retrieve_and_generate"
    return True


def evaluation_kinds(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """An evaluation job's kind is one the toolkit runs: human is refused."""
    return [
        context.issue((*path, "kind"), HUMAN_KIND)
        for path, _ in _evaluation_jobs(config)
        if string(config, context, (*path, "kind")) == "human"
    ]


def evaluation_fields(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """An evaluation job has the fields its kind needs, and none that its kind does not take."""
    issues = []
    for path, raw in _evaluation_jobs(config):
        kind = _kind(config, context, path)
        if kind is None:
            continue
        for field, rule in KIND_FIELDS.items():
            if kind not in rule.kinds:
                if field in raw:
                    message = FIELD_NOT_FOR_KIND.format(
                        field=field, kind=show(kind), kinds=one_of(rule.kinds)
                    )
                    issues.append(context.issue(path, message, key=field))
            elif rule.required and field not in raw:
                message = FIELD_MISSING.format(field=show(field), kind=show(kind), purpose=rule.purpose)
                issues.append(context.issue(path, message))
        if kind == "rag":
            issues += _generator_issues(config, context, path, raw)
    return issues


def _generator_issues(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, raw: Mapping[str, Any]
) -> list[Issue]:
    rag_type = string(config, context, (*path, "rag_type"))
    if rag_type == "retrieve" and "generator_model" in raw:
        return [context.issue(path, GENERATOR_NOT_FOR_RETRIEVE, key="generator_model")]
    if rag_type == "retrieve_and_generate" and "generator_model" not in raw:
        return [context.issue(path, GENERATOR_MISSING)]
    return []


def evaluation_model_count(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """An automated or llm_judge evaluation job evaluates exactly one model."""
    issues = []
    for path, _ in _evaluation_jobs(config):
        models_path = (*path, "models")
        models = value(config, models_path)
        if not _applies(config, context, path, "models") or not context.valid(models_path):
            continue
        if isinstance(models, list) and len(models) > 1:
            message = MODEL_COUNT.format(kind=show(_kind(config, context, path)), count=len(models))
            issues.append(context.issue(models_path, message))
    return issues


def _datasets(config: Mapping[str, Any], job_path: ConfigPath) -> list[tuple[ConfigPath, dict[str, Any]]]:
    return items(config, (*job_path, "datasets"))


def evaluation_dataset_forms(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A dataset is built in (builtin) or custom (name and a .jsonl key), not both."""
    issues = []
    for job_path, _ in _evaluation_jobs(config):
        for path, raw in _datasets(config, job_path):
            if "builtin" in raw and "name" in raw:
                issues.append(context.issue(path, DATASET_FORM_BOTH))
            elif "builtin" not in raw and "name" not in raw:
                issues.append(context.issue(path, DATASET_FORM_NEITHER))
            elif "builtin" in raw and "key" in raw:
                issues.append(context.issue(path, KEY_WITH_BUILTIN, key="key"))
            elif "name" in raw and "key" not in raw:
                name = string(config, context, (*path, "name")) or "<name>"
                issues.append(context.issue(path, CUSTOM_DATASET_WITHOUT_KEY.format(name=name)))
            key = string(config, context, (*path, "key"))
            if key is not None and not key.endswith(JSONL):
                issues.append(context.issue((*path, "key"), DATASET_KEY_NOT_JSONL.format(key=show(key))))
    return issues


def evaluation_builtin_datasets(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Built-in datasets are known, in automated jobs only, for the job's task type, each listed once."""
    issues = []
    for job_path, _ in _evaluation_jobs(config):
        kind = _kind(config, context, job_path)
        task_type = string(config, context, (*job_path, "task_type"))
        first_lines: dict[str, int] = {}
        for path, raw in _datasets(config, job_path):
            builtin_path = (*path, "builtin")
            name = string(config, context, builtin_path)
            if name is None or kind is None or "name" in raw:
                continue  # nothing to check, or a dataset of two forms (reported)
            if kind != "automated":
                issues.append(context.issue(builtin_path, BUILTIN_NOT_AUTOMATED.format(kind=show(kind))))
                continue
            if name in first_lines:
                message = DUPLICATE_BUILTIN_DATASET.format(dataset=show(name), line=first_lines[name])
                issues.append(context.issue(builtin_path, message))
                continue
            first_lines[name] = context.line(builtin_path)
            issues += _builtin_dataset_issues(context, builtin_path, name, task_type)
    return issues


def _builtin_dataset_issues(
    context: RuleContext, path: ConfigPath, name: str, task_type: str | None
) -> list[Issue]:
    dataset = builtin_dataset(name)
    if dataset is None:
        api_names = {known.name: known.api_name for known in BUILTIN_DATASETS}
        hint = _name_hint(name, api_names, "built-in datasets")
        return [context.issue(path, UNKNOWN_BUILTIN_DATASET.format(dataset=show(name), hint=hint))]
    if task_type not in AUTOMATED_TASK_METRICS or dataset.task_type == task_type:
        return []
    fitting = [known.name for known in BUILTIN_DATASETS if known.task_type == task_type]
    if fitting:
        hint = f" ({task_type}'s built-in datasets: {one_of(fitting)})"
    else:
        hint = f" (task_type {show(task_type)} has no built-in datasets: give a custom dataset)"
    message = BUILTIN_DATASET_TASK_TYPE.format(
        dataset=show(name), dataset_task=show(dataset.task_type), task_type=show(task_type), hint=hint
    )
    return [context.issue(path, message)]


def _name_hint(written: str, names: Mapping[str, str], noun: str) -> str:
    """`` (write it as 'x')`` for an API name, `` (did you mean 'x'?)`` for a near miss, else the names."""
    spelled = next((name for name, api_name in names.items() if api_name == written), None)
    if spelled is not None:
        return f" (write it as {show(spelled)})"
    return did_you_mean(written, names) or f" ({noun}: {one_of(names)})"


def evaluation_metrics_for_kind(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Each dataset's metrics are metrics of the job's kind: its task type (automated) or rag_type (rag)."""
    issues = []
    for job_path, _ in _evaluation_jobs(config):
        kind = _kind(config, context, job_path)
        task_type = string(config, context, (*job_path, "task_type"))
        rag_type = string(config, context, (*job_path, "rag_type"))
        metrics = evaluation_metrics(kind or "", task_type=task_type, rag_type=rag_type)
        if not metrics:
            continue  # the kind, task type or rag type is missing or wrong, and reported
        what = _evaluation_what(kind or "", task_type, rag_type)
        for path, _ in _datasets(config, job_path):
            listed = value(config, (*path, "metrics"))
            for index in range(len(listed) if isinstance(listed, list) else 0):
                metric_path = (*path, "metrics", index)
                metric = string(config, context, metric_path)
                if metric is None or metric in metrics:
                    continue
                hint = _metric_hint(metric, metrics)
                issues.append(
                    context.issue(
                        metric_path, METRIC_NOT_OF.format(metric=show(metric), what=what, hint=hint)
                    )
                )
    return issues


def _metric_hint(metric: str, metrics: Mapping[str, str]) -> str:
    """The metrics of the evaluation when ``metric`` is one of another kind's, else :func:`_name_hint`'s."""
    same = SAME_METRIC.get(metric)
    if same in metrics:
        return f" (this evaluation calls it {show(same)})"
    if metric in ALL_METRICS:
        return f" (its metrics: {one_of(metrics)})"
    return _name_hint(metric, metrics, "its metrics")


def _evaluation_what(kind: str, task_type: str | None, rag_type: str | None) -> str:
    """An evaluation as metric messages name it: ``an llm_judge evaluation``."""
    if kind == "automated":
        return f"an automated evaluation with task_type {show(task_type)}"
    if kind == "rag":
        return f"a rag evaluation with rag_type {show(rag_type)}"
    return f"an {kind} evaluation"


def job_references(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Knowledge bases and provisioned throughputs that jobs name are declared in the file."""
    issues = []
    for path, _ in _evaluation_jobs(config):
        if _applies(config, context, path, "knowledge_base"):
            issues += reference_issues(
                config, context, (*path, "knowledge_base"), "knowledge base", "knowledge_bases"
            )
        model_paths: list[ConfigPath] = []
        if _applies(config, context, path, "models"):
            model_paths += [model_path for model_path, _ in _indexed(config, (*path, "models"))]
        if _applies(config, context, path, "generator_model"):
            model_paths.append((*path, "generator_model"))
        for model_path in model_paths:
            issues += _model_reference_issues(config, context, model_path)
    for path, _ in items(config, ("batch_inference_jobs",)):
        issues += _model_reference_issues(config, context, (*path, "model"))
    return issues


def models_run(job: At[EvaluationJob]) -> list[tuple[ConfigPath, ModelRef]]:
    """(path, model) of each model an evaluation job runs: those evaluated, and its generator."""
    models = [(job.at("models", index), model) for index, model in enumerate(job.item.models)]
    if job.item.generator_model is not None:
        models.append((job.at("generator_model"), job.item.generator_model))
    return models


NOT_AN_EVALUATOR = (
    "{model} is not a model Amazon Bedrock offers as an evaluator{hint}; evaluators (by base model id, "
    "or through a system inference profile): {evaluators}"
)
EMBEDDING_MODEL_EVALUATED = (
    "{model} is an embedding model: it returns vectors, not text {what}; name a text generation model"
)


def _base_model_id(model: str) -> str:
    """The base model id of a model id or system inference profile id (``eu.anthropic...``)."""
    return model.partition(".")[2] if geographies.inference_profile_geography(model) else model


def evaluation_models(checked: Checked, context: RuleContext) -> list[Issue]:
    """An evaluation job's evaluator is one Amazon Bedrock offers as a judge (catalog.EVALUATOR_MODELS),
    and neither it nor the models evaluated or generating are embedding models."""
    issues = []
    for job in checked.evaluation_jobs:
        evaluator = job.item.evaluator_model
        if evaluator is not None:
            base = _base_model_id(evaluator)
            if is_embedding_model(base):
                what = "that grades responses"
                message = EMBEDDING_MODEL_EVALUATED.format(model=show(evaluator), what=what)
                issues.append(context.issue(job.at("evaluator_model"), message))
            elif base not in EVALUATOR_MODELS:
                message = NOT_AN_EVALUATOR.format(
                    model=show(evaluator),
                    hint=did_you_mean(base, EVALUATOR_MODELS),
                    evaluators=", ".join(EVALUATOR_MODELS),
                )
                issues.append(context.issue(job.at("evaluator_model"), message))
        for path, model in models_run(job):
            if model.model_id is not None and is_embedding_model(_base_model_id(model.model_id)):
                message = EMBEDDING_MODEL_EVALUATED.format(model=show(model.model_id), what="to be graded")
                issues.append(context.issue(path, message))
    return issues


def _indexed(config: Mapping[str, Any], path: ConfigPath) -> list[tuple[ConfigPath, Any]]:
    """(path, item) of every item of the list at ``path``, whatever the items are."""
    found = value(config, path)
    return [((*path, index), item) for index, item in enumerate(found)] if isinstance(found, list) else []


def _model_reference_issues(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> list[Issue]:
    """Issues of a job model written as ``{provisioned_throughput: <name>}`` or
    ``{inference_profile: <name>}`` that names nothing of this file."""
    if not context.valid(path):
        return []
    return reference_issues(
        config,
        context,
        (*path, "provisioned_throughput"),
        "provisioned throughput",
        "provisioned_throughputs",
    ) + reference_issues(
        config, context, (*path, "inference_profile"), "inference profile", "inference_profiles"
    )


def job_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """A job's AWS name, ``<environment>-<name>-<6 hex digits>``, is at most 63 characters."""
    environment = checked.environment
    if environment is None:
        return []
    jobs: list[tuple[str, At[EvaluationJob] | At[BatchInferenceJob]]] = [
        *(("evaluation job", job) for job in checked.evaluation_jobs),
        *(("batch inference job", job) for job in checked.batch_inference_jobs),
    ]
    issues = []
    for what, job in jobs:
        length = len(f"{environment}-{job.item.name}") + JOB_NAME_SUFFIX_LENGTH
        if length > JOB_NAME_MAX:
            room = JOB_NAME_MAX - len(f"{environment}-") - JOB_NAME_SUFFIX_LENGTH
            message = JOB_NAME_LENGTH.format(what=what, length=length, limit=JOB_NAME_MAX, room=room)
            issues.append(context.issue(job.at("name"), message))
    return issues


def batch_inputs(checked: Checked, context: RuleContext) -> list[Issue]:
    """A batch inference job's input is a JSON Lines file (.jsonl) or a prefix (ending with /)."""
    return [
        context.issue(batch.at("input"), BATCH_INPUT.format(input=show(batch.item.input_key)))
        for batch in checked.batch_inference_jobs
        if not batch.item.input_key.endswith(("/", JSONL))
    ]


def job_bucket_used(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A job_bucket is only given with jobs to use it."""
    if "job_bucket" not in config or not context.valid(("job_bucket",)):
        return []
    if any(value(config, (section,)) for section in ("evaluation_jobs", "batch_inference_jobs")):
        return []
    return [context.issue(("job_bucket",), JOB_BUCKET_UNUSED)]


# -- job data shipped in the repository (issue 16, finding 11) --------------------------------

SOURCE_ABSOLUTE = "{source} must be a path relative to the config file's folder"
SOURCE_INVALID = "{source} is not a valid path"
SOURCE_OUTSIDE = (
    "{source} resolves outside the config file's folder (symlinks are followed): job data must be in "
    "that folder or below it"
)
SOURCE_MISSING = "no file or folder {source} in the config file's folder (source is relative to it)"
SOURCE_WITH_BUILTIN = (
    "source does not apply to a built-in dataset (only to a custom dataset, beside name and key)"
)
DATASET_SOURCE_FOLDER = "{source} is a folder: a custom dataset's source is one JSON Lines file"
BATCH_SOURCE_FOLDER = (
    "{source} is a folder, but input {input} is one object: give a .jsonl file, or make input a prefix "
    "ending with /"
)
SOURCE_NOT_JSONL = "{source} must be a JSON Lines file, ending in .jsonl"
FOLDER_NOT_JSONL = (
    "folder {source} holds {file}, which is not a .jsonl file: every file of the folder is uploaded "
    "under the prefix, and the batch job reads them all"
)
FOLDER_EMPTY = "folder {source} holds no .jsonl file"
SOURCE_UNREADABLE = "{source}: {problem}"
RECORD_NOT_OBJECT = "{file} line {line}: not a JSON object{detail}"
RECORD_KEY_MISSING = "{file} line {line}: a record of {what} needs {key} ({purpose})"
SOURCE_NO_RECORDS = "{file} holds no records"
DATASET_TOO_MANY = (
    "{file} holds {count} prompts, at most {limit} in an evaluation job's dataset (user guide, "
    "custom prompt datasets)"
)
BATCH_TOO_FEW = (
    "{source} holds {count} records, at least {limit} per batch inference job (Bedrock's quota "
    "'Minimum number of records per batch inference job'): add records"
)

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""Bigger job data files are refused before they are read (CDK's upload function works in memory)."""
DATASET_MAX_PROMPTS = 1000
"""User guide, "Exigences concernant les jeux de données de requêtes personnalisés utilisés dans les
tâches d'évaluation de modèle automatique": up to 1,000 prompts per dataset."""
BATCH_MIN_RECORDS = 100
"""Service Quotas, "Minimum number of records per batch inference job for <model>" (default 100; the
English guide's batch code example: "include at least the minimum number of records"). The 2024
French guide gives minimum file sizes instead, which the current quotas replace."""


@dataclass(frozen=True)
class RecordRule:
    """What each JSON Lines record of one kind of job data must hold."""

    what: str
    key: str
    kind: type
    purpose: str


DATASET_RECORD = RecordRule(
    "an automated or llm_judge dataset", "prompt", str, "the text the model is given; a string"
)
RAG_RECORD = RecordRule(
    "a rag dataset",
    "conversationTurns",
    list,
    'a list with one turn: {"prompt": {"content": [{"text": ...}]}, "referenceResponses": [...]}',
)
BATCH_RECORD = RecordRule(
    "batch input", "modelInput", dict, "the request body of the model, as InvokeModel or Converse takes it"
)


def job_sources(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A job's ``source`` is a JSON Lines file (or, for a batch input prefix, a folder of them) in
    the config file's folder or below it, symlinks included, whose records have the job's format."""
    issues = []
    folder = os.path.dirname(os.path.abspath(context.document.file))
    for job_path, _ in _evaluation_jobs(config):
        rule = RAG_RECORD if _kind(config, context, job_path) == "rag" else DATASET_RECORD
        for path, raw in _datasets(config, job_path):
            source_path = (*path, "source")
            source = string(config, context, source_path)
            if source is None:
                continue
            if "builtin" in raw:
                issues.append(context.issue(path, SOURCE_WITH_BUILTIN, key="source"))
                continue
            issues += _source_issues(context, source_path, folder, source, rule, folder_allowed=False)
    for path, _ in items(config, ("batch_inference_jobs",)):
        source_path = (*path, "source")
        source = string(config, context, source_path)
        if source is None:
            continue
        written_input = string(config, context, (*path, "input")) or ""
        issues += _source_issues(
            context,
            source_path,
            folder,
            source,
            BATCH_RECORD,
            folder_allowed=written_input.endswith("/"),
            batch_input=written_input,
        )
    return issues


def resolve_source(folder: str, source: str) -> str | None:
    """The real path of ``source`` (relative to ``folder``), or None when it leaves ``folder``."""
    return resolve_inside(folder, source)


def _source_issues(
    context: RuleContext,
    path: ConfigPath,
    folder: str,
    source: str,
    rule: RecordRule,
    *,
    folder_allowed: bool,
    batch_input: str = "",
) -> list[Issue]:
    shown = show(source)
    if "\0" in source:
        return [context.issue(path, SOURCE_INVALID.format(source=shown))]
    if PurePath(source).is_absolute():
        return [context.issue(path, SOURCE_ABSOLUTE.format(source=shown))]
    try:
        return _existing_source_issues(context, path, folder, source, rule, folder_allowed, batch_input)
    except OSError as error:
        reason = error.strerror or str(error)
        return [
            context.issue(path, SOURCE_UNREADABLE.format(source=shown, problem=f"cannot read it: {reason}"))
        ]


def _existing_source_issues(
    context: RuleContext,
    path: ConfigPath,
    folder: str,
    source: str,
    rule: RecordRule,
    folder_allowed: bool,
    batch_input: str,
) -> list[Issue]:
    shown = show(source)
    resolved = resolve_source(folder, source)
    if resolved is None:
        return [context.issue(path, SOURCE_OUTSIDE.format(source=shown))]
    if not os.path.exists(resolved):
        return [context.issue(path, SOURCE_MISSING.format(source=shown))]
    if os.path.isdir(resolved):
        if not folder_allowed:
            message = (
                BATCH_SOURCE_FOLDER.format(source=shown, input=show(batch_input))
                if rule is BATCH_RECORD
                else DATASET_SOURCE_FOLDER.format(source=shown)
            )
            return [context.issue(path, message)]
        files = sorted(os.listdir(resolved))
        for name in files:
            if not name.endswith(JSONL) or not os.path.isfile(os.path.join(resolved, name)):
                return [context.issue(path, FOLDER_NOT_JSONL.format(source=shown, file=show(name)))]
        if not files:
            return [context.issue(path, FOLDER_EMPTY.format(source=shown))]
        shown_files = [(os.path.join(resolved, name), f"{source.rstrip('/')}/{name}") for name in files]
    else:
        if not source.endswith(JSONL):
            return [context.issue(path, SOURCE_NOT_JSONL.format(source=shown))]
        shown_files = [(resolved, source)]
    count = 0
    for file, name in shown_files:
        try:
            records, problem = _records(file, name, rule)
        except FileProblem as error:
            return [context.issue(path, SOURCE_UNREADABLE.format(source=show(name), problem=error.message))]
        if problem is not None:
            return [context.issue(path, problem)]
        if records == 0:
            return [context.issue(path, SOURCE_NO_RECORDS.format(file=show(name)))]
        if rule is not BATCH_RECORD and records > DATASET_MAX_PROMPTS:
            message = DATASET_TOO_MANY.format(file=show(name), count=records, limit=DATASET_MAX_PROMPTS)
            return [context.issue(path, message)]
        count += records
    if rule is BATCH_RECORD and count < BATCH_MIN_RECORDS:
        return [context.issue(path, BATCH_TOO_FEW.format(source=shown, count=count, limit=BATCH_MIN_RECORDS))]
    return []


def _records(file: str, name: str, rule: RecordRule) -> tuple[int, str | None]:
    """How many records ``file`` holds, and the first problem with one (None if there is none)."""
    text = read_text(file, MAX_SOURCE_BYTES, name=f"the file {show(name)}")
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        count += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            return count, RECORD_NOT_OBJECT.format(file=show(name), line=number, detail=f" ({error.msg})")
        if not isinstance(record, dict):
            return count, RECORD_NOT_OBJECT.format(file=show(name), line=number, detail="")
        if not isinstance(record.get(rule.key), rule.kind) or not record[rule.key]:
            return count, RECORD_KEY_MISSING.format(
                file=show(name), line=number, what=rule.what, key=show(rule.key), purpose=rule.purpose
            )
    return count, None
