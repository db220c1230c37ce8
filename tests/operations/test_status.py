"""status: one row per declared resource with its live state; errors stay in their row."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bedrock_platform import parameters
from bedrock_platform.config import build_config
from bedrock_platform.operations.discovery import all_parameters
from bedrock_platform.operations.status import Row, catalogued_models, render_table, status
from tests.operations.stubs import (
    BATCH_ARN,
    BATCH_OUTPUT,
    DEPLOYED,
    EVALUATION_ARN,
    FAQ_ID,
    GUARDRAIL_ID,
    KB_ID,
    MANUALS_ID,
    NOW,
    RESOLVED_ID,
    THROUGHPUT_ARN,
    TICKETS_KB_ID,
    Aws,
    collection_name,
    environment_config,
    expect_collection,
    ingestion_job,
    statistics,
)

LATEST_FIRST = {"attribute": "STARTED_AT", "order": "DESCENDING"}
EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0"
LATER = NOW.replace(year=2027)
MODEL_ARN = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0:200k"


def knowledge_base(knowledge_base_id: str, status: str = "ACTIVE", **extra: Any) -> dict[str, Any]:
    """A GetKnowledgeBase response."""
    return {
        "knowledgeBase": {
            "knowledgeBaseId": knowledge_base_id,
            "name": f"test-{knowledge_base_id}",
            "knowledgeBaseArn": f"arn:aws:bedrock:us-east-1:111111111111:knowledge-base/{knowledge_base_id}",
            "roleArn": "arn:aws:iam::111111111111:role/kb",
            "knowledgeBaseConfiguration": {"type": "VECTOR"},
            "status": status,
            "createdAt": NOW,
            "updatedAt": NOW,
            **extra,
        }
    }


def data_source(knowledge_base_id: str, data_source_id: str, status: str = "AVAILABLE") -> dict[str, Any]:
    """A GetDataSource response."""
    return {
        "dataSource": {
            "knowledgeBaseId": knowledge_base_id,
            "dataSourceId": data_source_id,
            "name": data_source_id.lower(),
            "status": status,
            "dataSourceConfiguration": {"type": "S3"},
            "createdAt": NOW,
            "updatedAt": NOW,
        }
    }


def guardrail(version: str = "DRAFT", status: str = "READY") -> dict[str, Any]:
    """A GetGuardrail response."""
    return {
        "name": "test-default",
        "guardrailId": GUARDRAIL_ID,
        "guardrailArn": f"arn:aws:bedrock:us-east-1:111111111111:guardrail/{GUARDRAIL_ID}",
        "version": version,
        "status": status,
        "createdAt": NOW,
        "updatedAt": NOW,
        "blockedInputMessaging": "Sorry.",
        "blockedOutputsMessaging": "Sorry.",
    }


def throughput(**extra: Any) -> dict[str, Any]:
    """A GetProvisionedModelThroughput response."""
    return {
        "modelUnits": 1,
        "desiredModelUnits": 1,
        "provisionedModelName": "test-assistant-0a1b2c",
        "provisionedModelArn": THROUGHPUT_ARN,
        "modelArn": MODEL_ARN,
        "desiredModelArn": MODEL_ARN,
        "foundationModelArn": MODEL_ARN,
        "status": "InService",
        "creationTime": NOW,
        "lastModifiedTime": NOW,
        **extra,
    }


def foundation_model(model_id: str, status: str = "ACTIVE", **lifecycle: Any) -> dict[str, Any]:
    """A GetFoundationModel response with its ``modelLifecycle``."""
    return {
        "modelDetails": {
            "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{model_id}",
            "modelId": model_id,
            "modelName": "Titan Text Embeddings V2",
            "providerName": "Amazon",
            "modelLifecycle": {"status": status, **lifecycle},
        }
    }


def expect_models(aws: Aws, status: str = "ACTIVE", **lifecycle: Any) -> None:
    """The lifecycle read of the one catalogued model the test environment uses (its throughput's
    model is a custom model, which is not catalogued)."""
    aws.expect(
        "bedrock",
        "get_foundation_model",
        foundation_model(EMBEDDING_MODEL, status, **lifecycle),
        modelIdentifier=EMBEDDING_MODEL,
    )


def evaluation_job(status: str = "Completed", **extra: Any) -> dict[str, Any]:
    """A GetEvaluationJob response."""
    return {
        "jobName": "test-summaries-0a1b2c",
        "status": status,
        "jobArn": EVALUATION_ARN,
        "roleArn": "arn:aws:iam::111111111111:role/evaluation",
        "jobType": "Automated",
        "evaluationConfig": {
            "automated": {
                "datasetMetricConfigs": [
                    {
                        "taskType": "Summarization",
                        "dataset": {"name": "Builtin.Gigaword"},
                        "metricNames": ["Builtin.Accuracy"],
                    }
                ]
            }
        },
        "inferenceConfig": {"models": [{"bedrockModel": {"modelIdentifier": "anthropic.claude-3-haiku"}}]},
        "outputDataConfig": {"s3Uri": "s3://test-jobs/evaluations/summaries/"},
        "creationTime": NOW,
        **extra,
    }


def batch_job(**extra: Any) -> dict[str, Any]:
    """A GetModelInvocationJob response."""
    return {
        "jobArn": BATCH_ARN,
        "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
        "roleArn": "arn:aws:iam::111111111111:role/batch",
        "submitTime": NOW,
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://test-jobs/batch/tickets/"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://test-jobs/batch/tickets/out/"}},
        **extra,
    }


def expect_knowledge(aws: Aws) -> None:
    """The calls about the knowledge bases and their data sources, all answered."""
    aws.expect("bedrock-agent", "get_knowledge_base", knowledge_base(KB_ID), knowledgeBaseId=KB_ID)
    aws.expect(
        "bedrock-agent",
        "get_data_source",
        data_source(KB_ID, MANUALS_ID),
        knowledgeBaseId=KB_ID,
        dataSourceId=MANUALS_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {
            "ingestionJobSummaries": [
                ingestion_job("JOB0000001", "COMPLETE", counts=statistics(120, 100, 18, 2, 0))
            ]
        },
        knowledgeBaseId=KB_ID,
        dataSourceId=MANUALS_ID,
        sortBy=LATEST_FIRST,
        maxResults=1,
    )
    aws.expect(
        "bedrock-agent",
        "get_data_source",
        data_source(KB_ID, FAQ_ID),
        knowledgeBaseId=KB_ID,
        dataSourceId=FAQ_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {"ingestionJobSummaries": []},
        knowledgeBaseId=KB_ID,
        dataSourceId=FAQ_ID,
        sortBy=LATEST_FIRST,
        maxResults=1,
    )
    aws.expect(
        "bedrock-agent",
        "get_knowledge_base",
        knowledge_base(TICKETS_KB_ID, "FAILED", failureReasons=["The index\nwas not found"]),
        knowledgeBaseId=TICKETS_KB_ID,
    )
    aws.expect(
        "bedrock-agent",
        "get_data_source",
        data_source(TICKETS_KB_ID, RESOLVED_ID),
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {
            "ingestionJobSummaries": [
                ingestion_job(
                    "JOB0000002", "FAILED", TICKETS_KB_ID, RESOLVED_ID, counts=statistics(10, 7, 0, 0, 3)
                )
            ]
        },
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
        sortBy=LATEST_FIRST,
        maxResults=1,
    )


def run_status(aws: Aws) -> tuple[int, str]:
    out = io.StringIO()
    code = status(environment_config(), aws.session(), out)
    return code, out.getvalue()


def test_every_declared_resource_with_its_live_state(aws: Aws) -> None:
    aws.parameters(DEPLOYED)  # 13 names: two calls
    expect_collection(aws)
    expect_knowledge(aws)
    aws.expect("bedrock", "get_guardrail", guardrail(), guardrailIdentifier=GUARDRAIL_ID)
    aws.expect(
        "bedrock", "get_guardrail", guardrail("1"), guardrailIdentifier=GUARDRAIL_ID, guardrailVersion="1"
    )
    aws.expect(
        "bedrock",
        "get_guardrail",
        guardrail("3", "VERSIONING"),
        guardrailIdentifier=GUARDRAIL_ID,
        guardrailVersion="3",
    )
    aws.expect(
        "bedrock",
        "get_provisioned_model_throughput",
        throughput(commitmentDuration="SixMonths", commitmentExpirationTime=NOW),
        provisionedModelId=THROUGHPUT_ARN,
    )
    aws.expect("bedrock", "get_evaluation_job", evaluation_job(), jobIdentifier=EVALUATION_ARN)
    aws.expect(
        "bedrock",
        "get_model_invocation_job",
        batch_job(
            status="InProgress",
            totalRecordCount=200,
            processedRecordCount=120,
            successRecordCount=118,
            errorRecordCount=2,
        ),
        jobIdentifier=BATCH_ARN,
    )
    expect_models(aws)

    code, table = run_status(aws)

    assert code == 0
    assert table.splitlines() == [
        "KIND               NAME                          STATE       DETAILS",
        "collection         docs                          ACTIVE      test-docs-6c7c28; standby replicas"
        " DISABLED",
        "knowledge-base     product-docs                  ACTIVE      id KBPRODDOCS",
        "data-source        product-docs/manuals          AVAILABLE   last ingestion COMPLETE at"
        " 2026-11-21 10:30 UTC: 120 scanned, 118 indexed (100 new, 18 modified), 2 deleted, 0 failed",
        "data-source        product-docs/faq              AVAILABLE   no ingestion job yet",
        "knowledge-base     tickets                       FAILED      id KBTICKETS1; The index was not found",
        "data-source        tickets/resolved              AVAILABLE   last ingestion FAILED at"
        " 2026-11-21 10:30 UTC: 10 scanned, 7 indexed (7 new, 0 modified), 0 deleted, 3 failed",
        "guardrail          default                       READY       id gr0a1b2c3d4e, DRAFT updated"
        " 2026-11-21 10:30 UTC",
        "guardrail-version  default/1                     READY       version 1",
        "guardrail-version  default/2                     VERSIONING  version 3 (latest)",
        "throughput         assistant                     InService   1 model units, SixMonths commitment"
        " until 2026-11-21 10:30 UTC",
        "evaluation-job     summaries                     Completed   results in"
        " s3://test-jobs/evaluations/summaries/",
        "batch-job          tickets                       InProgress  120 of 200 records processed"
        " (118 succeeded, 2 failed); results in s3://test-jobs/batch/tickets/",
        "model              amazon.titan-embed-text-v2:0  ACTIVE      used by knowledge base product-docs,"
        " knowledge base tickets",
    ]


def cells(table: str) -> list[tuple[str, ...]]:
    """The rows of a table under its header, cut at the columns the header starts."""
    header, *lines = table.splitlines()
    starts = [header.index(column) for column in ("KIND", "NAME", "STATE", "DETAILS")]
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    return [tuple(line[begin:end].strip() for begin, end in bounds) for line in lines]


def test_nothing_deployed_is_shown_as_such_and_only_the_models_are_read(aws: Aws) -> None:
    aws.parameters(DEPLOYED, values={})
    expect_collection(aws, None)
    expect_models(aws)

    code, table = run_status(aws)

    assert code == 0
    assert cells(table) == [
        ("collection", "docs", "not found", collection_name()),
        ("knowledge-base", "product-docs", "not deployed", ""),
        ("data-source", "product-docs/manuals", "not deployed", ""),
        ("data-source", "product-docs/faq", "not deployed", ""),
        ("knowledge-base", "tickets", "not deployed", ""),
        ("data-source", "tickets/resolved", "not deployed", ""),
        ("guardrail", "default", "not deployed", ""),
        ("guardrail-version", "default/1", "not deployed", "policy aaaaaaaa"),
        ("guardrail-version", "default/2", "not deployed", "policy ca219aa4"),
        ("throughput", "assistant", "not deployed", ""),
        ("evaluation-job", "summaries", "not deployed", ""),
        ("batch-job", "tickets", "not deployed", ""),
        ("model", EMBEDDING_MODEL, "ACTIVE", "used by knowledge base product-docs, knowledge base tickets"),
    ]


def test_a_refused_call_is_shown_in_its_row_and_the_command_exits_1(aws: Aws) -> None:
    partly = {
        name: value
        for name, value in DEPLOYED.items()
        if "/guardrails/default/versions/" not in name and "/evaluation-jobs/" not in name
    }
    aws.parameters(DEPLOYED, partly)
    expect_collection(aws)
    aws.fail(
        "bedrock-agent",
        "get_knowledge_base",
        "AccessDeniedException",
        "User is not authorized to perform: bedrock:GetKnowledgeBase",
        knowledgeBaseId=KB_ID,
    )
    aws.fail(
        "bedrock-agent",
        "get_data_source",
        "AccessDeniedException",
        "not authorized",
        knowledgeBaseId=KB_ID,
        dataSourceId=MANUALS_ID,
    )
    aws.expect(
        "bedrock-agent",
        "get_data_source",
        data_source(KB_ID, FAQ_ID),
        knowledgeBaseId=KB_ID,
        dataSourceId=FAQ_ID,
    )
    aws.fail(
        "bedrock-agent",
        "list_ingestion_jobs",
        "ThrottlingException",
        "Rate exceeded",
        knowledgeBaseId=KB_ID,
        dataSourceId=FAQ_ID,
        sortBy=LATEST_FIRST,
        maxResults=1,
    )
    aws.expect(
        "bedrock-agent", "get_knowledge_base", knowledge_base(TICKETS_KB_ID), knowledgeBaseId=TICKETS_KB_ID
    )
    aws.expect(
        "bedrock-agent",
        "get_data_source",
        data_source(TICKETS_KB_ID, RESOLVED_ID),
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {"ingestionJobSummaries": []},
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
        sortBy=LATEST_FIRST,
        maxResults=1,
    )
    aws.expect("bedrock", "get_guardrail", guardrail(), guardrailIdentifier=GUARDRAIL_ID)
    aws.fail(
        "bedrock",
        "get_provisioned_model_throughput",
        "ResourceNotFoundException",
        "Provisioned model not found",
        provisionedModelId=THROUGHPUT_ARN,
    )
    aws.expect(
        "bedrock",
        "get_model_invocation_job",
        batch_job(status="Failed", message="The input\nfile is empty"),
        jobIdentifier=BATCH_ARN,
    )
    aws.fail(
        "bedrock",
        "get_foundation_model",
        "AccessDeniedException",
        "not authorized to perform: bedrock:GetFoundationModel",
        modelIdentifier=EMBEDDING_MODEL,
    )

    code, table = run_status(aws)

    assert code == 1
    assert cells(table) == [
        ("collection", "docs", "ACTIVE", f"{collection_name()}; standby replicas DISABLED"),
        (
            "knowledge-base",
            "product-docs",
            "error",
            "AccessDeniedException: User is not authorized to perform: bedrock:GetKnowledgeBase",
        ),
        ("data-source", "product-docs/manuals", "error", "AccessDeniedException: not authorized"),
        ("data-source", "product-docs/faq", "error", "ThrottlingException: Rate exceeded"),
        ("knowledge-base", "tickets", "ACTIVE", "id KBTICKETS1"),
        ("data-source", "tickets/resolved", "AVAILABLE", "no ingestion job yet"),
        ("guardrail", "default", "READY", "id gr0a1b2c3d4e, DRAFT updated 2026-11-21 10:30 UTC"),
        ("guardrail-version", "default/1", "not deployed", "policy aaaaaaaa"),
        ("guardrail-version", "default/2", "not deployed", "policy ca219aa4"),
        ("throughput", "assistant", "not found", "ResourceNotFoundException: Provisioned model not found"),
        ("evaluation-job", "summaries", "not deployed", ""),
        (
            "batch-job",
            "tickets",
            "Failed",
            "results in s3://test-jobs/batch/tickets/; The input file is empty",
        ),
        (
            "model",
            EMBEDDING_MODEL,
            "error",
            "AccessDeniedException: not authorized to perform: bedrock:GetFoundationModel",
        ),
    ]


def test_a_throughput_changing_units_and_a_failed_one() -> None:
    from bedrock_platform.operations.status import _throughput

    assert _throughput(throughput(desiredModelUnits=2)) == ("InService", "1 model units (changing to 2)")
    assert _throughput(throughput(status="Failed", failureMessage="Capacity\nunavailable")) == (
        "Failed",
        "1 model units; Capacity unavailable",
    )


def test_a_batch_job_without_counts_takes_its_output_from_the_job() -> None:
    from bedrock_platform.operations.status import _batch_job

    assert _batch_job(batch_job(status="Submitted"), None) == (
        "Submitted",
        "results in s3://test-jobs/batch/tickets/out/",
    )
    assert _batch_job(batch_job(), BATCH_OUTPUT) == ("unknown", f"results in {BATCH_OUTPUT}")


def test_the_table_aligns_every_column_but_the_last() -> None:
    table = render_table([Row("a", "bbbb", "c"), Row("dddddd", "e", "ffff", "details")])

    assert table == ("KIND    NAME  STATE  DETAILS\na       bbbb  c\ndddddd  e     ffff   details\n")


def test_a_legacy_model_is_warned_about_with_its_dates_and_what_uses_it(aws: Aws) -> None:
    """Finding 5 of issue 16: the live lifecycle (GetFoundationModel ``modelLifecycle.status``)."""
    aws.parameters(DEPLOYED, values={})
    expect_collection(aws)
    expect_models(aws, "LEGACY", legacyTime=NOW, endOfLifeTime=LATER)

    code, table = run_status(aws)

    assert code == 0  # a state is reported, not judged
    assert cells(table)[-1] == (
        "model",
        EMBEDDING_MODEL,
        "LEGACY",
        "warning: Titan Text Embeddings V2 is Legacy since 2026-11-21 10:30 UTC: no new provisioned"
        " throughput can be bought for it, and it reaches end of life at 2027-11-21 10:30 UTC; move"
        " knowledge base product-docs, knowledge base tickets to an Active model",
    )


def test_a_legacy_model_without_dates_is_warned_about_too() -> None:
    from bedrock_platform.operations.status import _model

    response = foundation_model("anthropic.claude-v2:1:200k", "LEGACY")
    del response["modelDetails"]["modelName"]
    assert _model(response, ["throughput support"]) == (
        "LEGACY",
        "warning: anthropic.claude-v2:1:200k is Legacy: no new provisioned throughput can be bought for"
        " it; move throughput support to an Active model",
    )


def test_the_catalogued_models_of_throughputs_and_knowledge_bases_custom_models_left_out() -> None:
    config = build_config(
        {
            "environment": "dev",
            "account": "111111111111",
            "region": "us-east-1",
            "vector_stores": [{"name": "docs"}],
            "knowledge_bases": [
                {"name": "kb", "embedding_model": "cohere.embed-english-v3", "vector_store": "docs"}
            ],
            "provisioned_throughputs": [
                {"name": "nova", "model": "amazon.nova-lite-v1:0:300k", "model_units": 1},
                {"name": "again", "model": "amazon.nova-lite-v1:0:300k", "model_units": 2},
                {
                    "name": "custom",
                    "model": "arn:aws:bedrock:us-east-1:111111111111:custom-model/"
                    "amazon.nova-lite-v1:0:300k/a1b2c3d4e5f6",
                    "model_units": 1,
                },
            ],
        }
    )

    assert catalogued_models(config) == {
        "cohere.embed-english-v3": ["knowledge base kb"],
        "amazon.nova-lite-v1:0:300k": ["throughput nova", "throughput again"],
    }


S3_VECTORS_CONFIG = """\
environment: dev
account: "111111111111"
region: us-east-1
vector_stores:
  - {name: vectors, type: s3_vectors}
knowledge_bases:
  - {name: handbook, embedding_model: amazon.titan-embed-text-v2:0, vector_store: vectors}
"""


def test_an_s3_vectors_store_shows_its_bucket_and_each_index(aws: Aws, tmp_path: Any) -> None:
    """The bucket and index names follow from the config (as the stacks make them): no lookup; a
    missing index is "not found", and the command exits 1."""
    from bedrock_platform.config import load_config
    from bedrock_platform.spec import s3_vectors

    path = tmp_path / "dev.yaml"
    path.write_text(S3_VECTORS_CONFIG, encoding="utf-8")
    config = load_config(str(path))
    bucket = s3_vectors.vector_bucket_name("dev-vectors", kms_key_arn=None)
    index = s3_vectors.index_name("handbook", dimensions=1024, distance_metric="cosine")
    aws.parameters(
        [
            "/bedrock-platform/dev/knowledge-bases/handbook/id",
        ],
        values={},
    )
    aws.expect(
        "s3vectors",
        "get_vector_bucket",
        {
            "vectorBucket": {
                "vectorBucketName": bucket,
                "vectorBucketArn": f"arn:aws:s3vectors:us-east-1:111111111111:bucket/{bucket}",
                "creationTime": NOW,
                "encryptionConfiguration": {"sseType": "AES256"},
            }
        },
        vectorBucketName=bucket,
    )
    aws.fail(
        "s3vectors",
        "get_index",
        "NotFoundException",
        "The specified index could not be found",
        vectorBucketName=bucket,
        indexName=index,
    )
    aws.expect(
        "bedrock",
        "get_foundation_model",
        {
            "modelDetails": {
                "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                "modelId": EMBEDDING_MODEL,
                "modelLifecycle": {"status": "ACTIVE"},
            }
        },
        modelIdentifier=EMBEDDING_MODEL,
    )

    out = io.StringIO()
    code = status(config, aws.session(), out)

    assert code == 1
    assert cells(out.getvalue())[:3] == [
        ("vector-bucket", "vectors", "present", f"{bucket}; encryption AES256"),
        (
            "vector-index",
            "handbook",
            "not found",
            "NotFoundException: The specified index could not be found",
        ),
        ("knowledge-base", "handbook", "not deployed", ""),
    ]


AURORA_CONFIG = """\
environment: dev
account: "111111111111"
region: us-east-1
vector_stores:
  - name: pg
    type: aurora_postgresql
    aurora:
      cluster_arn: arn:aws:rds:us-east-1:111111111111:cluster:knowledge-pg
      secret_arn: arn:aws:secretsmanager:us-east-1:111111111111:secret:knowledge-pg-a1B2c3
      database: postgres
      table: bedrock_integration.bedrock_kb
"""


def test_an_aurora_store_shows_its_cluster_and_whether_its_data_api_is_on(aws: Aws, tmp_path: Any) -> None:
    """Bedrock reaches the table through the RDS Data API: a cluster without it is flagged."""
    from bedrock_platform.config import load_config

    path = tmp_path / "dev.yaml"
    path.write_text(AURORA_CONFIG, encoding="utf-8")
    arn = "arn:aws:rds:us-east-1:111111111111:cluster:knowledge-pg"
    aws.parameters([], values={})
    cluster = {"DBClusterIdentifier": "knowledge-pg", "Status": "available", "HttpEndpointEnabled": False}
    aws.expect("rds", "describe_db_clusters", {"DBClusters": [cluster]}, DBClusterIdentifier=arn)

    out = io.StringIO()
    assert status(load_config(str(path)), aws.session(), out) == 0
    assert cells(out.getvalue()) == [
        ("aurora-cluster", "pg", "available", "knowledge-pg; Data API OFF: Bedrock cannot reach the table")
    ]


def test_an_inference_profile_shows_its_state_and_where_it_routes(aws: Aws) -> None:
    """Issue 23: GetInferenceProfile by the ARN the stack published; the models it routes to, grouped
    with their Regions."""
    config = build_config(
        {
            "environment": "test",
            "account": "111111111111",
            "region": "us-east-1",
            "inference_profiles": [
                {"name": "support", "model": "us.anthropic.claude-3-haiku-20240307-v1:0"},
                {"name": "later", "model": "anthropic.claude-3-haiku-20240307-v1:0"},
            ],
        }
    )
    arn = "arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/a1b2c3d4e5f6"
    support, later = (parameters.inference_profile_arn("test", name) for name in ("support", "later"))
    aws.parameters([support, later], {support: arn})
    model = "anthropic.claude-3-haiku-20240307-v1:0"
    aws.expect(
        "bedrock",
        "get_inference_profile",
        {
            "inferenceProfileName": "test-support-0a1b2c",
            "inferenceProfileArn": arn,
            "inferenceProfileId": "a1b2c3d4e5f6",
            "models": [
                {"modelArn": f"arn:aws:bedrock:{region}::foundation-model/{model}"}
                for region in ("us-east-1", "us-east-2", "us-west-2")
            ],
            "status": "ACTIVE",
            "type": "APPLICATION",
        },
        inferenceProfileIdentifier=arn,
    )
    out = io.StringIO()
    assert status(config, aws.session(), out) == 0
    assert out.getvalue().splitlines()[1:] == [
        f"inference-profile  support  ACTIVE        a1b2c3d4e5f6 routes to {model} in us-east-1, us-east-2,"
        " us-west-2",
        "inference-profile  later    not deployed",
    ]


GOVERNED = {
    "environment": "test",
    "account": "111111111111",
    "region": "us-east-1",
    "vector_stores": [{"name": "docs", "type": "s3_vectors", "encryption": "aws_owned"}],
    "knowledge_bases": [
        {
            "name": "policies",
            "embedding_model": "amazon.titan-embed-text-v2:0",
            "vector_store": "docs",
            "logging": {
                "cloudwatch": {},
                "s3": {},
                "firehose": {
                    "delivery_stream_arn": "arn:aws:firehose:us-east-1:111111111111:deliverystream/kb-logs"
                },
            },
        }
    ],
    "guardrails": [
        {
            "name": "baseline",
            "blocked_input_message": "No.",
            "blocked_output_message": "No.",
            "word_filters": {"words": ["contoso"]},
            "versions": [{"description": "First", "policy": "8855f12c"}],
        }
    ],
    "enforced_guardrail": {"guardrail": "baseline", "version": 1},
}


def enforced(guardrail_id: str, version: str) -> dict[str, Any]:
    """A ListEnforcedGuardrailsConfiguration response with the account's configuration."""
    return {
        "guardrailsConfig": [
            {
                "configId": "abc123",
                "guardrailArn": f"arn:aws:bedrock:us-east-1:111111111111:guardrail/{guardrail_id}",
                "guardrailId": guardrail_id,
                "guardrailVersion": version,
                "createdAt": NOW,
                "createdBy": "arn:aws:iam::111111111111:role/cfn",
                "updatedAt": NOW,
                "updatedBy": "arn:aws:iam::111111111111:role/cfn",
                "owner": "ACCOUNT",
            }
        ]
    }


@pytest.mark.parametrize(
    ("live", "state"),
    [(("grbaseline01", "3"), "ENFORCED"), (("grsomeother1", "3"), "OTHER"), (None, "NOT ENFORCED")],
)
def test_the_enforced_guardrail_and_knowledge_base_logs_show_their_live_state(
    aws: Aws, live: tuple[str, str] | None, state: str
) -> None:
    """Issue 23: the delivery source of a logged knowledge base (GetDeliverySource, by the name the
    stack gives it), and whether the account's enforced guardrail is the version this file declares."""
    config = build_config(GOVERNED)
    kb, guardrail_id, version = (
        parameters.knowledge_base_id("test", "policies"),
        parameters.guardrail_id("test", "baseline"),
        parameters.guardrail_version("test", "baseline", 1),
    )
    aws.parameters(all_parameters(config), {kb: "KBPOLICIES1", guardrail_id: "grbaseline01", version: "3"})
    from bedrock_platform.spec import s3_vectors

    bucket = s3_vectors.vector_bucket_name("test-docs", kms_key_arn=None)
    index = s3_vectors.index_name("policies", dimensions=1024, distance_metric="cosine")
    bucket_arn = f"arn:aws:s3vectors:us-east-1:111111111111:bucket/{bucket}"
    aws.expect(
        "s3vectors",
        "get_vector_bucket",
        {"vectorBucket": {"vectorBucketName": bucket, "vectorBucketArn": bucket_arn, "creationTime": NOW}},
        vectorBucketName=bucket,
    )
    aws.expect(
        "s3vectors",
        "get_index",
        {
            "index": {
                "vectorBucketName": bucket,
                "indexName": index,
                "indexArn": f"{bucket_arn}/index/{index}",
                "creationTime": NOW,
                "dataType": "float32",
                "dimension": 1024,
                "distanceMetric": "cosine",
            }
        },
        vectorBucketName=bucket,
        indexName=index,
    )
    aws.expect(
        "bedrock-agent", "get_knowledge_base", knowledge_base("KBPOLICIES1"), knowledgeBaseId="KBPOLICIES1"
    )
    aws.expect(
        "bedrock-agent", "get_knowledge_base", knowledge_base("KBPOLICIES1"), knowledgeBaseId="KBPOLICIES1"
    )
    # The source is named after the knowledge base's AWS name (a replaced one gets a new source).
    aws.expect(
        "logs",
        "get_delivery_source",
        {"deliverySource": {"name": "test-KBPOLICIES1", "logType": "APPLICATION_LOGS", "status": "ACTIVE"}},
        name="test-KBPOLICIES1",
    )
    destination = "arn:aws:logs:us-east-1:111111111111:delivery-destination:"
    aws.expect(
        "logs",
        "describe_deliveries",
        {
            "deliveries": [
                {"deliveryDestinationArn": f"{destination}test-policies", "deliveryDestinationType": "CWL"},
                {"deliveryDestinationArn": f"{destination}test-policies-s3", "deliveryDestinationType": "S3"},
            ]
        },
        deliverySourceNames=["test-KBPOLICIES1"],
    )
    aws.expect("bedrock", "get_guardrail", guardrail(), guardrailIdentifier="grbaseline01")
    aws.expect(
        "bedrock", "get_guardrail", guardrail("3"), guardrailIdentifier="grbaseline01", guardrailVersion="3"
    )
    aws.expect(
        "bedrock",
        "list_enforced_guardrails_configuration",
        enforced(*live) if live else {"guardrailsConfig": []},
    )
    aws.expect(
        "bedrock",
        "get_foundation_model",
        foundation_model(EMBEDDING_MODEL, "ACTIVE"),
        modelIdentifier=EMBEDDING_MODEL,
    )

    out = io.StringIO()
    assert status(config, aws.session(), out) == 0
    rows = {tuple(line.split()[:2]): line for line in out.getvalue().splitlines()[1:]}
    assert "ACTIVE" in rows[("kb-logs", "policies")]
    assert "to CWL test-policies, S3 test-policies-s3" in rows[("kb-logs", "policies")]
    assert rows[("enforced-guardrail", "baseline/1")].split()[2] == state.split()[0]


DEFINITION = {"version": "1.0", "types": [], "rules": [], "variables": []}


@pytest.mark.parametrize(
    ("published", "state"),
    [((1, 2), "CURRENT"), ((1,), "BEHIND"), ((1, 2, 3), "AHEAD")],
)
def test_an_automated_reasoning_policy_shows_its_published_versions_against_the_declared_ones(
    aws: Aws, published: tuple[int, ...], state: str
) -> None:
    """Issue 23: the policy found by its AWS name (ListAutomatedReasoningPolicies), then its versions
    (the same call with its ARN); one declared but not deployed is shown as such."""
    from bedrock_platform.spec.automated_reasoning import definition_hash

    pinned = definition_hash(DEFINITION)
    config = build_config(
        {
            "environment": "test",
            "account": "111111111111",
            "region": "us-east-1",
            "automated_reasoning_policies": [
                {
                    "name": "refunds",
                    "definition": "refunds.json",
                    "versions": [
                        {"description": "First", "definition": pinned},
                        {"description": "Second", "definition": pinned},
                    ],
                },
                {"name": "later", "definition": "refunds.json"},
            ],
        },
        definitions={"refunds.json": DEFINITION},
    )
    aws.parameters(all_parameters(config), {})
    arn = "arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/a1b2c3d4e5f6"

    def summary(name: str, version: str, policy_arn: str = arn) -> dict[str, Any]:
        return {
            "policyArn": policy_arn,
            "name": name,
            "version": version,
            "policyId": "a1b2c3d4e5f6",
            "createdAt": NOW,
            "updatedAt": NOW,
        }

    other = "arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/zzzzzzzzzzzz"
    aws.expect(
        "bedrock",
        "list_automated_reasoning_policies",
        {
            "automatedReasoningPolicySummaries": [
                summary("test-refunds", "DRAFT"),
                summary("prod-refunds", "DRAFT", other),
            ]
        },
    )
    aws.expect(
        "bedrock",
        "list_automated_reasoning_policies",
        {
            "automatedReasoningPolicySummaries": [
                summary("test-refunds", "DRAFT"),
                *(summary("test-refunds", str(number)) for number in published),
            ]
        },
        policyArn=arn,
    )
    out = io.StringIO()
    assert status(config, aws.session(), out) == 0
    rows = {tuple(line.split()[:2]): line for line in out.getvalue().splitlines()[1:]}
    refunds = rows[("reasoning-policy", "refunds")]
    assert refunds.split()[2] == state
    assert f"versions published: {', '.join(map(str, published))} (declared 2)" in refunds
    assert "not deployed" in rows[("reasoning-policy", "later")]
