"""The vector store, knowledge base and logging specs are the one source of their facts (issue 18):
they agree with CloudFormation's schemas and botocore's models, and the config schema states them."""

from __future__ import annotations

from typing import Any

from botocore.loaders import Loader

from bedrock_platform.config.catalog import EMBEDDING_MODELS
from bedrock_platform.config.schema import load_schema
from bedrock_platform.spec import knowledge_base, logging, vector_stores
from tests.spec.cloudformation import resource_schema


def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = load_schema()["$defs"]
    return definitions


def test_descriptions_are_cloudformations_and_the_schemas() -> None:
    low, high = knowledge_base.DESCRIPTION_LIMITS
    for resource_type, definition in (
        ("AWS::Bedrock::KnowledgeBase", "knowledge_base"),
        ("AWS::Bedrock::DataSource", "data_source"),
    ):
        cfn = resource_schema(resource_type)["properties"]["Description"]
        assert (cfn["minLength"], cfn["maxLength"]) == (low, high)
        config = _definitions()[definition]["properties"]["description"]
        assert (config["minLength"], config["maxLength"]) == (low, high)
    assert knowledge_base.description_problem("x" * high) is None
    assert (
        knowledge_base.description_problem("x" * (high + 1))
        == f"description is {high + 1} characters, must be 1 to 200"
    )


def test_dimensions_fit_every_catalogued_embedding_model_and_the_schema() -> None:
    dimensions = _definitions()["knowledge_base"]["properties"]["dimensions"]
    assert (dimensions["minimum"], dimensions["maximum"]) == (1, vector_stores.MAX_DIMENSIONS)
    for model in EMBEDDING_MODELS:
        assert max(model.dimensions) <= vector_stores.MAX_DIMENSIONS, model.model_id


def test_the_collection_index_schema_limit_is_cloudformations() -> None:
    index_schema = resource_schema("AWS::OpenSearchServerless::CollectionIndex")["properties"]["IndexSchema"]
    assert index_schema["maxLength"] == vector_stores.MAX_INDEX_SCHEMA


def test_index_problems_name_each_rule() -> None:
    assert vector_stores.index_problems("kb", 1024, vector_stores.DEFAULT_M, "l2") == []
    assert vector_stores.index_problems("_kb", 0, 1, "cosine") == [
        "index_name '_kb' must match " + vector_stores.VECTOR_INDEX_NAME.pattern,
        "dimensions is 0, must be 1 to 4096",
        "m is 1, must be 2 to 100",
        "space_type 'cosine' is not one faiss supports (l2, innerproduct)",
    ]


def test_logged_data_kinds_are_the_apis_and_the_schemas() -> None:
    shapes = Loader().load_service_model("bedrock", "service-2")["shapes"]
    members = shapes["LoggingConfig"]["members"]
    delivered = sorted(
        name.removesuffix("DataDeliveryEnabled") for name in members if name.endswith("DataDeliveryEnabled")
    )
    assert sorted(logging.DATA_KINDS) == delivered
    data = load_schema()["properties"]["invocation_logging"]["properties"]["data"]
    assert data["items"]["enum"] == list(logging.DATA_KINDS)
    assert f"Default: [{', '.join(logging.DEFAULT_DATA)}]" in data["description"]


def test_retention_periods_are_cloudformations_and_the_schemas() -> None:
    assert (
        list(logging.RETENTION_DAYS)
        == resource_schema("AWS::Logs::LogGroup")["properties"]["RetentionInDays"]["enum"]
    )
    retention = load_schema()["properties"]["invocation_logging"]["properties"]["cloudwatch"]["properties"][
        "retention_days"
    ]
    assert retention["enum"] == list(logging.RETENTION_DAYS)
    assert f"Default: {logging.DEFAULT_RETENTION_DAYS}." in retention["description"]
    assert logging.DEFAULT_RETENTION_DAYS in logging.RETENTION_DAYS
