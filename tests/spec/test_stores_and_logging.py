"""The vector store, knowledge base and logging specs are the one source of their facts (issue 18):
they agree with CloudFormation's schemas and botocore's models, and the config schema states them."""

from __future__ import annotations

import re
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


def test_each_store_types_fields_are_the_schemas() -> None:
    """spec/vector_stores.py says which keys each type takes (rule vector-store-fields reads it); the
    schema lists their union, and the types in its enum."""
    from bedrock_platform.config.schema import load_schema
    from bedrock_platform.spec.vector_stores import REQUIRED_FIELDS, STORE_TYPES, TYPE_FIELDS

    store = load_schema()["$defs"]["vector_store"]["properties"]
    assert store["type"]["enum"] == list(STORE_TYPES) == list(TYPE_FIELDS)
    assert set(store) - {"name", "type"} == set().union(*TYPE_FIELDS.values())
    assert all(required <= TYPE_FIELDS[kind] for kind, required in REQUIRED_FIELDS.items())


def test_s3_vectors_facts_are_cloudformations() -> None:
    from bedrock_platform.spec import s3_vectors

    index = resource_schema(s3_vectors.INDEX_TYPE)
    definitions = index["definitions"]
    assert definitions["DataType"]["enum"] == [s3_vectors.DATA_TYPE]
    assert tuple(definitions["DistanceMetric"]["enum"]) == s3_vectors.DISTANCE_METRICS
    assert definitions["Dimension"]["maximum"] == s3_vectors.MAX_DIMENSIONS
    assert (
        definitions["IndexName"]["minLength"],
        definitions["IndexName"]["maxLength"],
    ) == s3_vectors.NAME_LIMITS
    keys = definitions["MetadataConfiguration"]["properties"]["NonFilterableMetadataKeys"]
    assert len(s3_vectors.NON_FILTERABLE_METADATA_KEYS) <= keys.get("maxItems", 10)
    assert "/properties/Dimension" in index["createOnlyProperties"]


def test_aurora_patterns_are_the_knowledge_bases() -> None:
    """spec/aurora.py's patterns (which name the Region and account, for rule existing-stores-here)
    accept and refuse what CloudFormation's do."""
    import re

    from bedrock_platform.spec import aurora

    rds = resource_schema("AWS::Bedrock::KnowledgeBase")["definitions"]["RdsConfiguration"]["properties"]
    samples = {
        "ResourceArn": (
            aurora.CLUSTER_ARN,
            [
                "arn:aws:rds:us-east-1:111111111111:cluster:knowledge-pg",
                "arn:aws:rds:us-east-1:111111111111:db:knowledge-pg",
                "arn:aws:rds:us-east-1:1111:cluster:pg",
            ],
        ),
        "CredentialsSecretArn": (
            aurora.SECRET_ARN,
            [
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:knowledge-pg-a1B2c3",
                "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d",
                "arn:aws:secretsmanager:us-east-1:111111111111:key:x",
            ],
        ),
    }
    for prop, (ours, values) in samples.items():
        theirs = re.compile(rds[prop]["pattern"])
        assert [bool(ours.match(v)) for v in values] == [bool(theirs.match(v)) for v in values], prop
    assert rds["DatabaseName"]["maxLength"] == rds["TableName"]["maxLength"] == aurora.NAME_MAX


def test_delivery_names_fit_cloudformations_limit() -> None:
    """Knowledge base logs (issue 23): the delivery source and destination names, and the log type."""
    for resource_type in ("AWS::Logs::DeliverySource", "AWS::Logs::DeliveryDestination"):
        assert resource_schema(resource_type)["properties"]["Name"]["maxLength"] == logging.DELIVERY_NAME_MAX
    assert logging.delivery_name("dev-docs") == "dev-docs"
    long = logging.delivery_name("staging-" + "k" * 80)
    assert len(long) == logging.DELIVERY_NAME_MAX
    assert long != logging.delivery_name("staging-" + "k" * 81)
    assert re.fullmatch(
        resource_schema("AWS::Logs::DeliverySource")["properties"]["LogType"]["pattern"].lstrip("^"),
        logging.KNOWLEDGE_BASE_LOG_TYPE,
    )


def test_knowledge_base_log_destinations_are_the_schemas() -> None:
    """spec/logging.py holds the destination kinds and the stream ARN pattern; the schema has both."""
    logging_schema = load_schema()["$defs"]["knowledge_base"]["properties"]["logging"]["properties"]
    assert tuple(logging_schema) == logging.DESTINATION_KINDS
    stream = logging_schema["firehose"]["properties"]["delivery_stream_arn"]
    assert stream["pattern"] == logging.FIREHOSE_STREAM_PATTERN
    assert logging.stream_place("arn:aws:firehose:eu-west-1:222222222222:deliverystream/x") == (
        "222222222222",
        "eu-west-1",
    )
    retention = logging_schema["s3"]["properties"]["retention_days"]
    assert f"Default: {logging.DEFAULT_RETENTION_DAYS}." in retention["description"]
