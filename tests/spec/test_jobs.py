"""The job spec is botocore's, and the config rules and the construct read it (issue 18)."""

from __future__ import annotations

import botocore.session

from bedrock_platform.config import job_rules
from bedrock_platform.config.schema import load_schema
from bedrock_platform.spec import jobs


def test_the_limits_are_botocores() -> None:
    model = botocore.session.get_session().get_service_model("bedrock")
    timeout = model.operation_model("CreateModelInvocationJob").input_shape.members["timeoutDurationInHours"]
    assert (timeout.metadata["min"], timeout.metadata["max"]) == jobs.BATCH_TIMEOUT_HOURS
    datasets = model.shape_for("AutomatedEvaluationConfig").members["datasetMetricConfigs"]
    assert (datasets.metadata["min"], datasets.metadata["max"]) == jobs.DATASETS_PER_JOB


def test_the_config_schema_states_the_same_limits() -> None:
    definitions = load_schema()["$defs"]
    batch = next(d for d in definitions.values() if "timeout_hours" in d.get("properties", {}))
    timeout = batch["properties"]["timeout_hours"]
    assert (timeout["minimum"], timeout["maximum"]) == jobs.BATCH_TIMEOUT_HOURS
    evaluation = next(d for d in definitions.values() if "evaluator_model" in d.get("properties", {}))
    datasets = evaluation["properties"]["datasets"]
    assert (datasets["minItems"], datasets["maxItems"]) == jobs.DATASETS_PER_JOB
    assert evaluation["properties"]["kind"]["enum"][: len(jobs.EVALUATION_KINDS)] == list(
        jobs.EVALUATION_KINDS
    )


def test_the_rules_use_the_specs_kind_fields() -> None:
    assert job_rules.KIND_FIELDS is jobs.KIND_FIELDS


def test_which_fields_each_kind_takes() -> None:
    assert jobs.evaluation_problems(
        "rag", {"models": True, "knowledge_base": True, "evaluator_model": True}, None, 1
    ) == ["a rag evaluation takes no models"]
    assert jobs.evaluation_problems(
        "rag",
        {"knowledge_base": True, "evaluator_model": True, "rag_type": True, "generator_model": False},
        "retrieve_and_generate",
        0,
    ) == ["a rag evaluation needs generator_model"]
    assert jobs.evaluation_problems("automated", {"models": True, "evaluator_model": True}, None, 2) == [
        "a automated evaluation takes no evaluator_model",
        "a automated evaluation evaluates 1 model, got 2",
    ]
