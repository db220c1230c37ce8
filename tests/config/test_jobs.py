"""Evaluation and batch inference jobs, and their bucket: typed objects, defaults, catalog, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from botocore.loaders import Loader

from bedrock_platform.config import ConfigError, build_config, load_config
from bedrock_platform.config.catalog import (
    AUTOMATED_METRICS,
    AUTOMATED_TASK_METRICS,
    BUILTIN_DATASETS,
    EVALUATION_TASK_TYPES,
    JUDGE_METRICS,
    RAG_METRICS,
    RAG_TASK_TYPE,
    builtin_dataset,
    evaluation_metrics,
)
from bedrock_platform.config.job_rules import JOB_NAME_MAX
from bedrock_platform.config.model import (
    INVOCATION_TYPES,
    JOB_NAME_SUFFIX_LENGTH,
    BatchInferenceJob,
    BatchVpc,
    CreatedBucket,
    EvaluationDataset,
    EvaluationJob,
    ExistingBucket,
    ModelRef,
    PlatformConfig,
)
from bedrock_platform.config.schema import load_schema
from tests.config.helpers import HEADER, WriteConfig

BASE = {"environment": "dev", "account": "111111111111", "region": "us-east-1"}
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
PROD_KEY = "arn:aws:kms:eu-central-1:222222222222:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
AUTOMATED = {
    "name": "baseline",
    "kind": "automated",
    "task_type": "summarization",
    "models": [HAIKU],
    "datasets": [{"builtin": "gigaword", "metrics": ["toxicity", "accuracy"]}],
}
BATCH = {"name": "nightly", "model": HAIKU, "input": "batch/records.jsonl"}


def build(**sections: Any) -> PlatformConfig:
    """The typed config of a mapping with the three required keys and these sections."""
    return build_config({**BASE, **sections})


def _shapes() -> dict[str, Any]:
    """The shapes of the Bedrock control plane's service model, as botocore ships it."""
    shapes: dict[str, Any] = Loader().load_service_model("bedrock", "service-2")["shapes"]
    return shapes


def _matches(shape: str, text: str) -> bool:
    """Whether ``text`` matches the pattern of a service model shape, as a whole."""
    return re.fullmatch(_shapes()[shape]["pattern"], text) is not None


def test_dev_jobs() -> None:
    config = load_config("config/dev.yaml")

    baseline, rag = config.evaluation_jobs
    assert config.job_bucket == CreatedBucket()
    assert baseline == EvaluationJob(
        name="summarization-baseline",
        kind="automated",
        models=(ModelRef(inference_profile="support-assistant"),),
        datasets=(
            EvaluationDataset(
                name="Builtin.Gigaword",
                task_type="Summarization",
                metrics=("Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"),
            ),
        ),
        output_prefix="evaluations/summarization-baseline/",
    )
    assert config.inference_profile("support-assistant").model == HAIKU
    assert (rag.kind, rag.rag_type, rag.application_type) == ("rag", "retrieve_and_generate", "RagEvaluation")
    assert config.knowledge_base(rag.knowledge_base or "").name == "product-docs"
    assert rag.generator_model == ModelRef(model_id=HAIKU)
    assert rag.evaluator_model == SONNET
    (dataset,) = rag.datasets
    assert (dataset.name, dataset.key, dataset.task_type) == (
        "product-questions",
        "datasets/product-questions.jsonl",
        RAG_TASK_TYPE,
    )
    assert config.batch_inference_jobs == ()


def test_prod_jobs() -> None:
    config = load_config("config/prod.yaml")

    (judged,) = config.evaluation_jobs
    (batch,) = config.batch_inference_jobs
    assert config.job_bucket == CreatedBucket()
    # Frankfurt sells no throughput for an Active text model (issue 16, finding 5): on demand.
    assert judged.models == (ModelRef(model_id="eu.anthropic.claude-haiku-4-5-20251001-v1:0"),)
    assert config.provisioned_throughputs == ()
    assert (judged.kind, judged.application_type, judged.kms_key_arn) == (
        "llm_judge",
        "ModelEvaluation",
        PROD_KEY,
    )
    assert judged.evaluator_model is not None and judged.evaluator_model.startswith("eu.")
    assert judged.datasets[0].task_type == "QuestionAndAnswer"
    assert batch == BatchInferenceJob(
        name="ticket-summaries",
        model=ModelRef(model_id=HAIKU),
        input_key="batch/tickets/",
        input_source=str((Path("config") / "batch" / "tickets").resolve()),
        output_prefix="batch/ticket-summaries/",
        timeout_hours=72,
        invocation_type="InvokeModel",
    )
    assert judged.datasets[0].source == str(Path("config/datasets/support-questions.jsonl").resolve())


def test_no_jobs_no_job_bucket() -> None:
    config = build()

    assert (config.job_bucket, config.evaluation_jobs, config.batch_inference_jobs) == (None, (), ())


@pytest.mark.parametrize("section", ["evaluation_jobs", "batch_inference_jobs"])
def test_a_job_gets_a_created_job_bucket_by_default(section: str) -> None:
    job = AUTOMATED if section == "evaluation_jobs" else BATCH

    assert build(**{section: [job]}).job_bucket == CreatedBucket()


def test_an_existing_job_bucket() -> None:
    bucket = {"arn": "arn:aws:s3:::acme-evaluations", "kms_key_arn": PROD_KEY}

    config = build(job_bucket=bucket, batch_inference_jobs=[BATCH])

    assert config.job_bucket == ExistingBucket(arn="arn:aws:s3:::acme-evaluations", kms_key_arn=PROD_KEY)


def test_evaluation_defaults_and_metric_order() -> None:
    (job,) = build(evaluation_jobs=[AUTOMATED]).evaluation_jobs

    assert job.output_prefix == "evaluations/baseline/"
    assert job.datasets[0].metrics == ("Builtin.Toxicity", "Builtin.Accuracy")  # as written
    assert (job.description, job.evaluator_model, job.knowledge_base, job.rag_type) == (
        None,
        None,
        None,
        None,
    )
    assert (job.generator_model, job.number_of_results, job.kms_key_arn, job.wait, job.tags) == (
        None,
        None,
        None,
        False,
        {},
    )
    assert job.application_type == "ModelEvaluation"


def test_evaluation_settings_as_written() -> None:
    raw = {
        "name": "retrieval",
        "kind": "rag",
        "description": "Retrieval quality",
        "knowledge_base": "product-docs",
        "rag_type": "retrieve",
        "evaluator_model": SONNET,
        "number_of_results": 8,
        "output_prefix": "results/retrieval/",
        "wait": True,
        "tags": {"team": "ml", "app": "docs"},
        "datasets": [
            {"name": "questions", "key": "datasets/questions.jsonl", "metrics": ["context_coverage"]},
        ],
    }

    (job,) = build(evaluation_jobs=[raw]).evaluation_jobs

    assert job.datasets == (
        EvaluationDataset(
            name="questions",
            task_type="General",
            metrics=("Builtin.ContextCoverage",),
            key="datasets/questions.jsonl",
        ),
    )
    assert (job.description, job.number_of_results, job.output_prefix, job.wait) == (
        "Retrieval quality",
        8,
        "results/retrieval/",
        True,
    )
    assert list(job.tags) == ["app", "team"]
    assert job.models == () and job.generator_model is None


@pytest.mark.parametrize(("task_type", "api_task_type"), list(EVALUATION_TASK_TYPES.items()))
def test_task_types_map_to_the_api(task_type: str, api_task_type: str) -> None:
    raw = {
        "name": "judged",
        "kind": "llm_judge",
        "task_type": task_type,
        "models": [{"provisioned_throughput": "haiku"}],
        "evaluator_model": SONNET,
        "datasets": [{"name": "prompts", "key": "p.jsonl", "metrics": ["coherence", "refusal"]}],
    }

    (job,) = build(evaluation_jobs=[raw]).evaluation_jobs

    assert job.datasets[0] == EvaluationDataset(
        name="prompts",
        task_type=api_task_type,
        metrics=("Builtin.Coherence", "Builtin.Refusal"),
        key="p.jsonl",
    )
    assert job.models == (ModelRef(provisioned_throughput="haiku"),)


def test_batch_defaults_and_settings() -> None:
    raw = {
        **BATCH,
        "name": "weekly",
        "model": {"provisioned_throughput": "haiku"},
        "invocation_type": "converse",
        "vpc": {"subnet_ids": ["subnet-0a1b2c3d"], "security_group_ids": ["sg-0a1b2c3d", "sg-4e5f6a7b"]},
        "kms_key_arn": PROD_KEY,
        "tags": {"b": "2", "a": "1"},
    }

    default, configured = build(batch_inference_jobs=[BATCH, raw]).batch_inference_jobs

    assert default == BatchInferenceJob(
        name="nightly",
        model=ModelRef(model_id=HAIKU),
        input_key="batch/records.jsonl",
        output_prefix="batch/nightly/",
    )
    assert (default.timeout_hours, default.invocation_type, default.vpc, default.wait) == (
        None,
        None,
        None,
        False,
    )
    assert configured.model == ModelRef(provisioned_throughput="haiku")
    assert configured.invocation_type == "Converse"
    assert configured.vpc == BatchVpc(
        subnet_ids=("subnet-0a1b2c3d",), security_group_ids=("sg-0a1b2c3d", "sg-4e5f6a7b")
    )
    assert (configured.kms_key_arn, list(configured.tags)) == (PROD_KEY, ["a", "b"])


@pytest.mark.parametrize("fields", [{}, {"model_id": HAIKU, "provisioned_throughput": "haiku"}])
def test_a_model_ref_is_one_of_the_two(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ModelRef(**fields)


def test_knowledge_base_by_name() -> None:
    config = load_config("config/prod.yaml")

    assert config.knowledge_base("support-tickets") is config.knowledge_bases[1]
    with pytest.raises(StopIteration):
        config.knowledge_base("nope")


def test_the_longest_job_names_that_fit(write_config: WriteConfig) -> None:
    environment = "development-east"
    room = JOB_NAME_MAX - len(environment) - 1 - JOB_NAME_SUFFIX_LENGTH
    header = f'environment: {environment}\naccount: "111111111111"\nregion: us-east-1\n'

    def batch(name: str) -> str:
        return f"batch_inference_jobs:\n  - {{name: {name}, model: {HAIKU}, input: batch/}}\n"

    fits = write_config(header + batch("b" * room))
    too_long = write_config(header + batch("b" * (room + 1)), "long.yaml")

    (job,) = load_config(fits).batch_inference_jobs
    aws_name = f"{environment}-{job.name}-0a1b2c"
    assert len(aws_name) == JOB_NAME_MAX
    assert _matches("ModelInvocationJobName", aws_name)
    assert _matches("EvaluationJobName", aws_name)
    with pytest.raises(ConfigError, match="would be 64 characters, at most 63"):
        load_config(too_long)


def test_a_job_bucket_needs_jobs(write_config: WriteConfig) -> None:
    path = write_config(HEADER + "job_bucket: {create: true}\n")

    with pytest.raises(ConfigError, match="no evaluation_jobs or batch_inference_jobs are declared"):
        load_config(path)


def test_catalog_names_are_unique_and_found_by_name() -> None:
    names = [dataset.name for dataset in BUILTIN_DATASETS]

    assert len(set(names)) == len(names)
    assert all(
        builtin_dataset(name) is dataset for name, dataset in zip(names, BUILTIN_DATASETS, strict=True)
    )
    assert builtin_dataset("Builtin.Gigaword") is None
    assert {dataset.task_type for dataset in BUILTIN_DATASETS} == set(EVALUATION_TASK_TYPES) - {"custom"}
    assert set(AUTOMATED_TASK_METRICS) == set(EVALUATION_TASK_TYPES)
    assert all(set(metrics) <= set(AUTOMATED_METRICS) for metrics in AUTOMATED_TASK_METRICS.values())
    assert evaluation_metrics("automated", task_type="classification") == {
        "accuracy": "Builtin.Accuracy",
        "robustness": "Builtin.Robustness",
    }
    assert evaluation_metrics("llm_judge") is JUDGE_METRICS
    assert evaluation_metrics("rag") == {} and evaluation_metrics("human") == {}


def _api_names() -> list[str]:
    metrics = [*AUTOMATED_METRICS.values(), *JUDGE_METRICS.values()]
    metrics += [name for by_type in RAG_METRICS.values() for name in by_type.values()]
    return [dataset.api_name for dataset in BUILTIN_DATASETS] + metrics


def test_catalog_names_match_the_api_patterns() -> None:
    """Dataset and metric names are free strings in the API; they fit EvaluationDatasetName/MetricName."""
    shapes = _shapes()
    for dataset in BUILTIN_DATASETS:
        assert _matches("EvaluationDatasetName", dataset.api_name), dataset
        assert len(dataset.api_name) <= shapes["EvaluationDatasetName"]["max"]
    for name in _api_names()[len(BUILTIN_DATASETS) :]:
        assert _matches("EvaluationMetricName", name), name
        assert len(name) <= shapes["EvaluationMetricName"]["max"]
    assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in [*JUDGE_METRICS, *AUTOMATED_METRICS])


def test_catalog_names_are_the_ones_the_api_reference_documents() -> None:
    """botocore carries the API reference's lists; the citation metrics are only in the user guide's."""
    shapes = _shapes()
    dataset_doc = shapes["EvaluationDataset"]["members"]["name"]["documentation"]
    metric_doc = shapes["EvaluationDatasetMetricConfig"]["members"]["metricNames"]["documentation"]

    assert [dataset.api_name for dataset in BUILTIN_DATASETS if dataset.api_name not in dataset_doc] == []
    undocumented = {name for name in _api_names()[len(BUILTIN_DATASETS) :] if f">{name}<" not in metric_doc}
    assert undocumented <= {"Builtin.CitationPrecision", "Builtin.CitationCoverage"}


def test_enums_and_limits_are_the_apis() -> None:
    shapes = _shapes()
    definitions = load_schema()["$defs"]
    evaluation = definitions["evaluation_job"]["properties"]
    dataset = definitions["evaluation_dataset"]["properties"]
    batch = definitions["batch_inference_job"]["properties"]
    assert batch["vpc"]["$ref"] == "#/$defs/vpc"
    vpc = definitions["vpc"]["properties"]

    assert list(EVALUATION_TASK_TYPES.values()) == shapes["EvaluationTaskType"]["enum"]
    assert evaluation["task_type"]["enum"] == list(EVALUATION_TASK_TYPES)
    assert RAG_TASK_TYPE not in shapes["EvaluationTaskType"]["enum"]  # what the user guide's examples write
    assert list(INVOCATION_TYPES.values()) == shapes["ModelInvocationType"]["enum"]
    assert batch["invocation_type"]["enum"] == list(INVOCATION_TYPES)
    assert JOB_NAME_MAX == shapes["EvaluationJobName"]["max"] == shapes["ModelInvocationJobName"]["max"]
    assert evaluation["description"]["maxLength"] == shapes["EvaluationJobDescription"]["max"]
    assert evaluation["models"]["maxItems"] == shapes["EvaluationModelConfigs"]["max"]
    assert evaluation["datasets"]["maxItems"] == shapes["EvaluationDatasetMetricConfigs"]["max"]
    assert dataset["metrics"]["maxItems"] == shapes["EvaluationMetricNames"]["max"]
    assert dataset["name"]["maxLength"] == shapes["EvaluationDatasetName"]["max"]
    number_of_results = shapes["KnowledgeBaseVectorSearchConfigurationNumberOfResultsInteger"]
    assert (evaluation["number_of_results"]["minimum"], evaluation["number_of_results"]["maximum"]) == (
        number_of_results["min"],
        number_of_results["max"],
    )
    timeout = shapes["ModelInvocationJobTimeoutDurationInHours"]
    assert (batch["timeout_hours"]["minimum"], batch["timeout_hours"]["maximum"]) == (
        timeout["min"],
        timeout["max"],
    )
    assert vpc["subnet_ids"]["maxItems"] == shapes["SubnetIds"]["max"]
    assert vpc["security_group_ids"]["maxItems"] == shapes["SecurityGroupIds"]["max"]


@pytest.mark.parametrize(
    "model_id",
    [
        HAIKU,
        SONNET,
        "eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
        "us.amazon.nova-pro-v1:0",
        "amazon.nova-lite-v1:0",
    ],
)
def test_model_ids_the_schema_accepts_are_ones_the_apis_accept(model_id: str) -> None:
    assert re.fullmatch(load_schema()["$defs"]["model_id"]["pattern"], model_id)
    for shape in (
        "EvaluationBedrockModelIdentifier",
        "EvaluatorModelIdentifier",
        "ModelId",
        "BedrockModelArn",
    ):
        assert _matches(shape, model_id), (shape, model_id)


@pytest.mark.parametrize(
    "key", ["evaluations/baseline/", "batch/nightly/", "datasets/q.jsonl", "a/b-c_d(1)!*'.x/"]
)
def test_keys_the_schema_accepts_make_s3_uris_the_api_accepts(key: str) -> None:
    patterns = [definition["pattern"] for definition in _key_definitions()]

    assert any(re.fullmatch(pattern, key) for pattern in patterns)
    assert _matches("S3Uri", f"s3://acme-evaluations/{key}")


def _key_definitions() -> list[dict[str, Any]]:
    definitions = load_schema()["$defs"]
    return [
        definitions["s3_prefix"],
        definitions["evaluation_dataset"]["properties"]["key"],
        definitions["batch_inference_job"]["properties"]["input"],
    ]


def test_every_job_property_has_a_description() -> None:
    schema = load_schema()
    definitions = schema["$defs"]
    objects = [
        definitions["evaluation_job"],
        definitions["evaluation_dataset"],
        definitions["batch_inference_job"],
        definitions["vpc"],
        definitions["job_model"]["oneOf"][1],
    ]

    for definition in objects:
        assert definition["additionalProperties"] is False
        assert [key for key, child in definition["properties"].items() if "description" not in child] == []
    for section in ("job_bucket", "evaluation_jobs", "batch_inference_jobs"):
        assert "description" in schema["properties"][section]


def test_the_schema_lists_every_catalogued_dataset_and_metric() -> None:
    dataset = load_schema()["$defs"]["evaluation_dataset"]["properties"]
    metrics = {
        *AUTOMATED_METRICS,
        *JUDGE_METRICS,
        *(name for by_type in RAG_METRICS.values() for name in by_type),
    }

    assert [
        known.name for known in BUILTIN_DATASETS if known.name not in dataset["builtin"]["description"]
    ] == []
    assert sorted(name for name in metrics if name not in dataset["metrics"]["description"]) == []


# -- job data shipped in the repository (issue 16, finding 11) --------------------------------

SHIPPED = sorted([*Path("config").glob("*.yaml"), *Path("config/templates").glob("*.yaml")])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.as_posix())
def test_shipped_jobs_on_a_bucket_the_deploy_creates_ship_their_data(path: Path) -> None:
    """A job on a bucket created in the same deploy finds nothing there: each custom dataset and
    batch input of a shipped config comes from the repository (source), uploaded before the job."""
    config = load_config(path)
    if not isinstance(config.job_bucket, CreatedBucket):
        return
    for job in config.evaluation_jobs:
        for dataset in job.datasets:
            if dataset.key is not None:
                assert dataset.source is not None and Path(dataset.source).is_file(), (job.name, dataset.name)
    for batch in config.batch_inference_jobs:
        assert batch.input_source is not None and Path(batch.input_source).exists(), batch.name


def _write_config(folder: Path, jobs: str) -> Path:
    config = folder / "env.yaml"
    config.write_text(f'environment: dev\naccount: "111111111111"\nregion: us-east-1\n{jobs}')
    return config


BATCH_WITH_SOURCE = """batch_inference_jobs:
  - name: nightly
    model: anthropic.claude-3-haiku-20240307-v1:0
    input: batch/nightly/
    source: {source}
"""


def _records(count: int) -> str:
    return "".join(
        f'{{"recordId": "R{number:010d}", "modelInput": {{"inputText": "text {number}"}}}}\n'
        for number in range(count)
    )


@pytest.mark.parametrize(("count", "valid"), [(99, False), (100, True)])
def test_batch_input_holds_at_least_bedrocks_minimum_of_records(
    tmp_path: Path, count: int, valid: bool
) -> None:
    (tmp_path / "records.jsonl").write_text(_records(count))
    config = _write_config(tmp_path, BATCH_WITH_SOURCE.format(source="records.jsonl"))
    if valid:
        assert load_config(config).batch_inference_jobs[0].input_source == str(
            (tmp_path / "records.jsonl").resolve()
        )
        return
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert [issue.message for issue in raised.value.issues] == [
        "'records.jsonl' holds 99 records, at least 100 per batch inference job (Bedrock's quota "
        "'Minimum number of records per batch inference job'): add records"
    ]
    assert raised.value.issues[0].path == "batch_inference_jobs[nightly].source"


def test_a_folder_counts_the_records_of_all_its_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(_records(60))
    (tmp_path / "in" / "b.jsonl").write_text(_records(40))
    config = load_config(_write_config(tmp_path, BATCH_WITH_SOURCE.format(source="in/")))
    assert config.batch_inference_jobs[0].input_source == str((tmp_path / "in").resolve())


def test_a_symlink_inside_the_config_folder_is_followed_and_one_out_of_it_refused(tmp_path: Path) -> None:
    inside, outside = tmp_path / "configs", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (inside / "data").mkdir()
    (inside / "data" / "records.jsonl").write_text(_records(100))
    (outside / "records.jsonl").write_text(_records(100))
    (inside / "in.jsonl").symlink_to(inside / "data" / "records.jsonl")
    (inside / "out.jsonl").symlink_to(outside / "records.jsonl")
    assert load_config(
        _write_config(inside, BATCH_WITH_SOURCE.format(source="in.jsonl"))
    ).batch_inference_jobs
    with pytest.raises(ConfigError) as raised:
        load_config(_write_config(inside, BATCH_WITH_SOURCE.format(source="out.jsonl")))
    (issue,) = raised.value.issues
    assert (issue.line, issue.column) == (8, 13)
    assert issue.message == (
        "'out.jsonl' resolves outside the config file's folder (symlinks are followed): job data must be "
        "in that folder or below it"
    )


def test_shipped_datasets_follow_the_guides_record_formats() -> None:
    """automated / llm_judge: prompt (+ referenceResponse, category); rag: conversationTurns with a
    prompt and reference responses; batch: recordId and modelInput (the model's request body)."""
    for path in [
        *Path("config/datasets").glob("*.jsonl"),
        *Path("config/templates/datasets").glob("*.jsonl"),
    ]:
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if "conversationTurns" in record:
                (turn,) = record["conversationTurns"]
                assert (
                    turn["prompt"]["content"][0]["text"]
                    and turn["referenceResponses"][0]["content"][0]["text"]
                )
            else:
                assert set(record) <= {"prompt", "referenceResponse", "category"} and record["prompt"]
    records = [
        json.loads(line)
        for line in Path("config/batch/tickets/resolved-tickets.jsonl").read_text().splitlines()
    ]
    assert len(records) >= 100 and len({record["recordId"] for record in records}) == len(records)
    for record in records:
        assert set(record) == {"recordId", "modelInput"}
        assert record["modelInput"]["anthropic_version"] == "bedrock-2023-05-31"
