"""The ingestion handler: start on create and update, wait out a running job, never delete."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers import ingestion as handler
from bedrock_platform.handlers.custom_resource import HandlerError, Service

from .conftest import (
    CREATE_FAILED,
    STACK_ID,
    WORST_CASE_JITTER,
    FakeTime,
    Faults,
    client_error,
    new_client,
)

KNOWLEDGE_BASE_ID = "KBPRODDOCS"
DATA_SOURCE_ID = "DSMANUALS1"
NEW_DATA_SOURCE_ID = "DSMANUALS2"
PHYSICAL_ID = f"ingestion-{KNOWLEDGE_BASE_ID}-{DATA_SOURCE_ID}"
PROPERTIES: dict[str, Any] = {
    "ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:framework-onEvent",
    "KnowledgeBaseId": KNOWLEDGE_BASE_ID,
    "DataSourceId": DATA_SOURCE_ID,
    "Settings": "1a2b3c",
}
NEWER = {**PROPERTIES, "Settings": "4d5e6f"}
NOW = datetime(2026, 11, 21, tzinfo=UTC)
ACTION = f"starting an ingestion job of data source {DATA_SOURCE_ID} of knowledge base {KNOWLEDGE_BASE_ID}"


@pytest.fixture
def client() -> Any:
    """A ``bedrock-agent`` client that never reaches AWS (the conftest's fixtures build on it)."""
    return new_client("bedrock-agent")


def event(request_type: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A Provider framework event for the ingestion ``ManualsIngestion``."""
    return {
        "RequestType": request_type,
        "RequestId": f"request-{request_type.lower()}",
        "StackId": STACK_ID,
        "LogicalResourceId": "ManualsIngestion",
        "ResourceType": "Custom::BedrockDataSourceIngestion",
        "ResourceProperties": copy.deepcopy(properties or PROPERTIES),
        **extra,
    }


def token(request: dict[str, Any]) -> str:
    """The clientToken the handler sends for ``request``."""
    return custom_resource.request_token(request, salt=request["RequestId"])


def expect_start(
    stubber: Stubber,
    request: dict[str, Any],
    job_id: str = "JOB0000001",
    data_source_id: str = DATA_SOURCE_ID,
    *,
    client_token: Any = None,
) -> None:
    """StartIngestionJob of ``request``, accepted as ``job_id``."""
    job = {
        "knowledgeBaseId": KNOWLEDGE_BASE_ID,
        "dataSourceId": data_source_id,
        "ingestionJobId": job_id,
        "status": "STARTING",
        "startedAt": NOW,
        "updatedAt": NOW,
    }
    stubber.add_response(
        "start_ingestion_job",
        {"ingestionJob": job},
        {
            "knowledgeBaseId": KNOWLEDGE_BASE_ID,
            "dataSourceId": data_source_id,
            "clientToken": token(request) if client_token is None else client_token,
            "description": handler.description(request),
        },
    )


def conflict(stubber: Stubber) -> None:
    client_error(
        stubber,
        "start_ingestion_job",
        "ConflictException",
        "An ingestion job is already running for this data source",
        409,
    )


def test_create_starts_an_ingestion_job_with_a_token_and_completes_at_once(
    bedrock: Service, stubber: Stubber
) -> None:
    create = event("Create")
    expect_start(stubber, create)

    started = handler.handle(create, bedrock)
    assert started == {"PhysicalResourceId": PHYSICAL_ID, "Data": {"IngestionJobId": "JOB0000001"}}
    # The deploy does not wait for the ingestion: no call, complete.
    assert handler.check({**create, **started}, bedrock) == {"IsComplete": True}
    assert handler.description(create) == (
        "Started by bedrock-platform on deploy of stack dev-bedrock-throughput (create)"
    )


def test_the_token_is_the_same_for_a_retry_of_a_request_and_new_for_each_request() -> None:
    create = event("Create")
    assert len(token(create)) == 64  # StartIngestionJob wants 33 to 256 characters
    assert token(event("Create")) == token(create)
    assert token({**create, "RequestId": "a-later-request"}) != token(create)
    assert token(event("Create", NEWER)) != token(create)


def test_a_retried_create_sends_the_same_token(bedrock: Service, stubber: Stubber) -> None:
    create = event("Create")
    expect_start(stubber, create)
    expect_start(stubber, create)  # the service answers a known token with the same job

    assert handler.handle(create, bedrock) == handler.handle(copy.deepcopy(create), bedrock)


def test_an_update_of_the_settings_starts_another_ingestion(bedrock: Service, stubber: Stubber) -> None:
    update = event("Update", NEWER, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=PROPERTIES)
    expect_start(stubber, update, "JOB0000002")

    assert handler.handle(update, bedrock) == {
        "PhysicalResourceId": PHYSICAL_ID,
        "Data": {"IngestionJobId": "JOB0000002"},
    }
    assert token(update) != token(event("Create"))


def test_a_replaced_data_source_gets_a_new_physical_id(bedrock: Service, stubber: Stubber) -> None:
    """CloudFormation then deletes the old one, which does nothing."""
    replaced = {**NEWER, "DataSourceId": NEW_DATA_SOURCE_ID}
    update = event("Update", replaced, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=PROPERTIES)
    expect_start(stubber, update, data_source_id=NEW_DATA_SOURCE_ID)

    assert handler.handle(update, bedrock)["PhysicalResourceId"] == (
        f"ingestion-{KNOWLEDGE_BASE_ID}-{NEW_DATA_SOURCE_ID}"
    )
    delete = event("Delete", PROPERTIES, PhysicalResourceId=PHYSICAL_ID)
    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": PHYSICAL_ID}


def test_a_rollback_ingests_the_old_settings_again(bedrock: Service, stubber: Stubber) -> None:
    """Old and new swapped: the properties of the original create, yet a new token, so a new job."""
    create = event("Create")
    rollback = event("Update", PROPERTIES, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=NEWER)
    rollback["RequestId"] = "request-rollback"
    assert token(rollback) != token(create)
    expect_start(stubber, rollback, "JOB0000003")

    assert handler.handle(rollback, bedrock) == {
        "PhysicalResourceId": PHYSICAL_ID,
        "Data": {"IngestionJobId": "JOB0000003"},
    }


@pytest.mark.parametrize("busy", ["ConflictException", "ServiceQuotaExceededException"])
def test_a_running_job_makes_the_start_pending_until_the_service_accepts_it(
    bedrock: Service, stubber: Stubber, busy: str
) -> None:
    """A job of the data source or knowledge base, or the account's limit of concurrent jobs."""
    update = event("Update", NEWER, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=PROPERTIES)
    client_error(stubber, "start_ingestion_job", busy, "an ingestion job is running", 409)
    conflict(stubber)
    # Each poll's start has a token of its own: a refused token might be remembered as answered.
    expect_start(stubber, update, "JOB0000002", client_token=ANY)

    pending = handler.handle(update, bedrock)
    assert pending == {"PhysicalResourceId": PHYSICAL_ID, "Data": {"Pending": "true"}}
    polled = {**update, **pending}
    # The Provider framework refuses Data with IsComplete false.
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {
        "IsComplete": True,
        "Data": {"IngestionJobId": "JOB0000002", "Pending": "false"},
    }


def test_other_refusals_fail_in_one_line_with_what_to_do(bedrock: Service, stubber: Stubber) -> None:
    client_error(
        stubber,
        "start_ingestion_job",
        "AccessDeniedException",
        "not authorized to\nperform StartIngestionJob",
    )
    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    assert str(raised.value) == (
        f"{ACTION} failed: AccessDeniedException: not authorized to perform StartIngestionJob (the "
        "handler's role lacks a permission, or the account has no access to the model)"
    )


def test_a_data_source_that_is_gone_fails_the_pending_start(bedrock: Service, stubber: Stubber) -> None:
    polled = {**event("Create"), "PhysicalResourceId": PHYSICAL_ID, "Data": {"Pending": "true"}}
    client_error(stubber, "start_ingestion_job", "ResourceNotFoundException", "no such data source", 404)

    with pytest.raises(HandlerError, match=f"^{ACTION} failed: ResourceNotFoundException: no such"):
        handler.check(polled, bedrock)


def test_properties_without_ids_fail_clearly(bedrock: Service) -> None:
    with pytest.raises(HandlerError, match="invalid ingestion properties: KeyError"):
        handler.handle(event("Create", {"Settings": "1a2b3c"}), bedrock)


def test_delete_does_nothing(bedrock: Service, stubber: Stubber) -> None:
    """An ingestion job cannot be deleted; the data source's deletion takes care of its vectors."""
    delete = event("Delete", PhysicalResourceId=PHYSICAL_ID)
    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": PHYSICAL_ID}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


@pytest.mark.parametrize(
    "physical_id", [CREATE_FAILED, "request-create"], ids=["framework-marker", "request-id"]
)
def test_a_delete_with_another_physical_id_does_nothing_and_keeps_it(
    bedrock: Service, stubber: Stubber, physical_id: str
) -> None:
    """The framework refuses a Delete that changes the physical id."""
    delete = event("Delete", PhysicalResourceId=physical_id)
    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": physical_id}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


# Faults (docs/robustness.md, "Handlers under faults").


def test_a_start_that_gets_no_answer_is_retried_with_the_same_token(
    bedrock: Service, stubber: Stubber, faults: Faults
) -> None:
    """The unanswered call may have started the job: the retry's token makes the service return it."""
    create = event("Create")
    faults.add("start_ingestion_job", "read")
    expect_start(stubber, create)

    assert handler.handle(create, bedrock)["Data"] == {"IngestionJobId": "JOB0000001"}
    assert faults.raised == ["StartIngestionJob"]


def test_a_start_that_never_gets_an_answer_fails_clearly_before_the_lambda_times_out(
    bedrock: Service, faults: Faults, clock: FakeTime
) -> None:
    faults.add("start_ingestion_job", "read", times=5)

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value) == (
        f"{ACTION} failed: no answer from StartIngestionJob within 90 s (5 attempts, stopping before "
        "the Lambda's timeout; last: ReadTimeoutError: Read timeout on endpoint URL: "
        '"https://bedrock.us-east-1.amazonaws.com/")'
    )
    assert faults.raised == ["StartIngestionJob"] * 5
    assert clock.now <= 120 - custom_resource.RESERVE_SECONDS


def test_each_poll_starts_with_a_token_of_its_own(bedrock: Service, stubber: Stubber, client: Any) -> None:
    polled = {**event("Create"), "PhysicalResourceId": PHYSICAL_ID, "Data": {"Pending": "true"}}
    sent: list[str] = []
    client.meta.events.register(
        "provide-client-params.bedrock-agent.StartIngestionJob",
        lambda params, **_: sent.append(params["clientToken"]),
    )
    conflict(stubber)
    conflict(stubber)

    assert handler.check(polled, bedrock) == handler.check(polled, bedrock) == {"IsComplete": False}
    assert len(set(sent)) == 2 and token(polled) not in sent
