"""sync: start ingestion jobs, follow them to the end with a progress display, report the counts."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bedrock_platform import parameters
from bedrock_platform.operations.discovery import NotDeployed, UsageError
from bedrock_platform.operations.sync import sync
from tests.operations.stubs import (
    DEPLOYED,
    ENV,
    FAQ_ID,
    KB_ID,
    MANUALS_ID,
    RESOLVED_ID,
    TICKETS_KB_ID,
    Aws,
    environment_config,
    ingestion_job,
    statistics,
)

PRODUCT_DOCS_PARAMETERS = list(DEPLOYED)[:3]
TICKETS_PARAMETERS = list(DEPLOYED)[3:5]


class Outcome:
    """What one sync run printed and returned, and how long it waited."""

    def __init__(self, code: int, progress: str, report: str, waits: list[float]) -> None:
        self.code = code
        self.progress = progress.splitlines()
        self.report = report.splitlines()
        self.waits = waits


def run_sync(aws: Aws, knowledge_base: str | None = None) -> Outcome:
    progress, out, waits = io.StringIO(), io.StringIO(), []
    code = sync(
        environment_config(),
        aws.session(),
        knowledge_base=knowledge_base,
        interval=7.5,
        sleep=waits.append,
        progress=progress,
        out=out,
    )
    return Outcome(code, progress.getvalue(), out.getvalue(), waits)


def start(aws: Aws, job_id: str, knowledge_base_id: str, data_source_id: str) -> None:
    aws.expect(
        "bedrock-agent",
        "start_ingestion_job",
        {"ingestionJob": ingestion_job(job_id, "STARTING", knowledge_base_id, data_source_id)},
        knowledgeBaseId=knowledge_base_id,
        dataSourceId=data_source_id,
    )


def get(aws: Aws, job_id: str, knowledge_base_id: str, data_source_id: str, status: str, **job: Any) -> None:
    aws.expect(
        "bedrock-agent",
        "get_ingestion_job",
        {"ingestionJob": ingestion_job(job_id, status, knowledge_base_id, data_source_id, **job)},
        knowledgeBaseId=knowledge_base_id,
        dataSourceId=data_source_id,
        ingestionJobId=job_id,
    )


def test_every_data_source_is_ingested_and_followed_until_complete(aws: Aws) -> None:
    aws.parameters([*PRODUCT_DOCS_PARAMETERS, *TICKETS_PARAMETERS])
    start(aws, "JOBMANUALS", KB_ID, MANUALS_ID)
    start(aws, "JOBFAQ0001", KB_ID, FAQ_ID)
    start(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID)
    # Round 1: manuals makes progress, faq completes, resolved has not moved (no line).
    get(aws, "JOBMANUALS", KB_ID, MANUALS_ID, "IN_PROGRESS", counts=statistics(scanned=40, new=10))
    get(aws, "JOBFAQ0001", KB_ID, FAQ_ID, "COMPLETE", counts=statistics(scanned=3, modified=1, deleted=1))
    get(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID, "STARTING")
    # Round 2: nothing changed (no line). Round 3: both complete.
    get(aws, "JOBMANUALS", KB_ID, MANUALS_ID, "IN_PROGRESS", counts=statistics(scanned=40, new=10))
    get(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID, "STARTING")
    get(
        aws, "JOBMANUALS", KB_ID, MANUALS_ID, "COMPLETE", counts=statistics(scanned=120, new=100, modified=18)
    )
    get(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID, "COMPLETE", counts=statistics(scanned=5, new=5))

    outcome = run_sync(aws)

    assert outcome.code == 0
    assert outcome.waits == [7.5, 7.5, 7.5]
    assert outcome.progress == [
        "product-docs/manuals: started job JOBMANUALS",
        "product-docs/manuals: STARTING, 0 scanned, 0 indexed (0 new, 0 modified), 0 deleted, 0 failed",
        "product-docs/faq: started job JOBFAQ0001",
        "product-docs/faq: STARTING, 0 scanned, 0 indexed (0 new, 0 modified), 0 deleted, 0 failed",
        "tickets/resolved: started job JOBRESOLVE",
        "tickets/resolved: STARTING, 0 scanned, 0 indexed (0 new, 0 modified), 0 deleted, 0 failed",
        "product-docs/manuals: IN_PROGRESS, 40 scanned, 10 indexed (10 new, 0 modified), 0 deleted, 0 failed",
        "product-docs/faq: COMPLETE, 3 scanned, 1 indexed (0 new, 1 modified), 1 deleted, 0 failed",
        "product-docs/manuals: COMPLETE, 120 scanned, 118 indexed (100 new, 18 modified), 0 deleted,"
        " 0 failed",
        "tickets/resolved: COMPLETE, 5 scanned, 5 indexed (5 new, 0 modified), 0 deleted, 0 failed",
    ]
    assert outcome.report == [
        "product-docs/manuals: COMPLETE (job JOBMANUALS): 120 scanned, 118 indexed (100 new, 18 modified),"
        " 0 deleted, 0 failed",
        "product-docs/faq: COMPLETE (job JOBFAQ0001): 3 scanned, 1 indexed (0 new, 1 modified), 1 deleted,"
        " 0 failed",
        "tickets/resolved: COMPLETE (job JOBRESOLVE): 5 scanned, 5 indexed (5 new, 0 modified), 0 deleted,"
        " 0 failed",
    ]


def test_only_the_named_knowledge_base_is_synced(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    start(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID)
    get(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID, "COMPLETE", counts=statistics(scanned=5, new=5))

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 0
    assert outcome.waits == [7.5]
    assert [line.split(":")[0] for line in outcome.report] == ["tickets/resolved"]


def test_a_failed_job_exits_1_with_the_failure_reasons(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    start(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID)
    get(
        aws,
        "JOBRESOLVE",
        TICKETS_KB_ID,
        RESOLVED_ID,
        "FAILED",
        counts=statistics(scanned=2),
        failureReasons=[
            "The knowledge base role cannot read\ns3://bucket/resolved/",
            "Embedding model throttled",
        ],
    )

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 1
    assert outcome.report == [
        "tickets/resolved: FAILED (job JOBRESOLVE): 2 scanned, 0 indexed (0 new, 0 modified), 0 deleted,"
        " 0 failed",
        "  failure reason: The knowledge base role cannot read s3://bucket/resolved/",
        "  failure reason: Embedding model throttled",
    ]


def test_a_complete_job_with_failed_documents_exits_1(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    start(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID)
    get(
        aws,
        "JOBRESOLVE",
        TICKETS_KB_ID,
        RESOLVED_ID,
        "COMPLETE",
        counts=statistics(scanned=10, new=8, failed=2),
        failureReasons=["2 files are larger than 50 MB"],
    )

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 1
    assert outcome.report == [
        "tickets/resolved: COMPLETE (job JOBRESOLVE): 10 scanned, 8 indexed (8 new, 0 modified),"
        " 0 deleted, 2 failed",
        "  failure reason: 2 files are larger than 50 MB",
    ]


def test_a_stopped_job_exits_1(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    start(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID)
    get(aws, "JOBRESOLVE", TICKETS_KB_ID, RESOLVED_ID, "STOPPED")

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 1
    assert outcome.report[0].startswith("tickets/resolved: STOPPED (job JOBRESOLVE): ")


def test_a_data_source_already_ingesting_is_followed_not_started_again(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    aws.fail(
        "bedrock-agent",
        "start_ingestion_job",
        "ConflictException",
        "An ingestion job is already running",
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {
            "ingestionJobSummaries": [
                ingestion_job("JOBRUNNING", "IN_PROGRESS", TICKETS_KB_ID, RESOLVED_ID, statistics(scanned=4))
            ]
        },
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
        filters=[{"attribute": "STATUS", "operator": "EQ", "values": ["STARTING", "IN_PROGRESS"]}],
        sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"},
        maxResults=1,
    )
    get(aws, "JOBRUNNING", TICKETS_KB_ID, RESOLVED_ID, "COMPLETE", counts=statistics(scanned=4, new=4))

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 0
    assert outcome.progress[:2] == [
        "tickets/resolved: already running, following job JOBRUNNING",
        "tickets/resolved: IN_PROGRESS, 4 scanned, 0 indexed (0 new, 0 modified), 0 deleted, 0 failed",
    ]
    assert outcome.report == [
        "tickets/resolved: COMPLETE (job JOBRUNNING): 4 scanned, 4 indexed (4 new, 0 modified), 0 deleted,"
        " 0 failed"
    ]


def test_a_job_that_cannot_start_fails_its_data_source_and_the_others_go_on(aws: Aws) -> None:
    aws.parameters(PRODUCT_DOCS_PARAMETERS)
    aws.fail(
        "bedrock-agent",
        "start_ingestion_job",
        "AccessDeniedException",
        "not authorized to perform bedrock:StartIngestionJob",
        knowledgeBaseId=KB_ID,
        dataSourceId=MANUALS_ID,
    )
    start(aws, "JOBFAQ0001", KB_ID, FAQ_ID)
    aws.fail(
        "bedrock-agent",
        "get_ingestion_job",
        "ThrottlingException",
        "Rate exceeded",
        knowledgeBaseId=KB_ID,
        dataSourceId=FAQ_ID,
        ingestionJobId="JOBFAQ0001",
    )

    outcome = run_sync(aws, knowledge_base="product-docs")

    assert outcome.code == 1
    assert outcome.progress == [
        "product-docs/manuals: could not start: AccessDeniedException: not authorized to perform"
        " bedrock:StartIngestionJob",
        "product-docs/faq: started job JOBFAQ0001",
        "product-docs/faq: STARTING, 0 scanned, 0 indexed (0 new, 0 modified), 0 deleted, 0 failed",
        "product-docs/faq: could not read job JOBFAQ0001: ThrottlingException: Rate exceeded",
    ]
    assert outcome.report == [
        "product-docs/manuals: FAILED: StartIngestionJob: AccessDeniedException: not authorized to perform"
        " bedrock:StartIngestionJob",
        "product-docs/faq: FAILED: GetIngestionJob: ThrottlingException: Rate exceeded"
        " (job JOBFAQ0001 may still be running)",
    ]


def test_a_conflict_without_a_running_job_is_reported(aws: Aws) -> None:
    aws.parameters(TICKETS_PARAMETERS)
    aws.fail(
        "bedrock-agent",
        "start_ingestion_job",
        "ConflictException",
        "The knowledge base is being updated",
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
    )
    aws.expect(
        "bedrock-agent",
        "list_ingestion_jobs",
        {"ingestionJobSummaries": []},
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
        filters=[{"attribute": "STATUS", "operator": "EQ", "values": ["STARTING", "IN_PROGRESS"]}],
        sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"},
        maxResults=1,
    )

    outcome = run_sync(aws, knowledge_base="tickets")

    assert outcome.code == 1
    assert outcome.waits == []
    assert outcome.report == [
        "tickets/resolved: FAILED: StartIngestionJob: ConflictException: The knowledge base is being updated"
    ]


def test_an_undeployed_data_source_starts_nothing(aws: Aws) -> None:
    missing = parameters.data_source_id(ENV, "product-docs", "faq")
    aws.parameters(PRODUCT_DOCS_PARAMETERS, {name: DEPLOYED[name] for name in DEPLOYED if name != missing})

    with pytest.raises(NotDeployed) as caught:
        run_sync(aws, knowledge_base="product-docs")

    assert caught.value.missing == (missing,)


def test_an_unknown_knowledge_base_lists_the_declared_ones(aws: Aws) -> None:
    with pytest.raises(UsageError) as caught:
        run_sync(aws, knowledge_base="product-doc")

    assert str(caught.value) == "unknown knowledge base 'product-doc' (declared: product-docs, tickets)"
    assert caught.value.exit_code == 2


def test_knowledge_bases_without_data_sources_have_nothing_to_sync(aws: Aws, tmp_path: Any) -> None:
    from bedrock_platform.config import load_config

    config_file = tmp_path / "bare.yaml"
    config_file.write_text(
        'environment: test\naccount: "111111111111"\nregion: us-east-1\n'
        "vector_stores: [{name: docs}]\n"
        "knowledge_bases: [{name: empty, embedding_model: amazon.titan-embed-text-v2:0,"
        " vector_store: docs}]\n"
    )
    out = io.StringIO()

    code = sync(load_config(str(config_file)), aws.session(), progress=io.StringIO(), out=out)

    assert code == 0
    assert out.getvalue() == "nothing to sync: no data sources declared in empty\n"
