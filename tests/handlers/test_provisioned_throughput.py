"""The provisioned throughput handler through its whole life, against botocore's service model."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers import provisioned_throughput as handler
from bedrock_platform.handlers.custom_resource import HandlerError, Service

from .conftest import (
    CREATE_FAILED,
    LAMBDA_SECONDS,
    STACK_ID,
    WORST_CASE_JITTER,
    FakeTime,
    Faults,
    client_error,
    throttle,
)

ARN = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/abcdefghijkl"
NEW_ARN = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/mnopqrstuvwx"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0:200k"
CUSTOM_MODEL_BASE = (
    "arn:aws:bedrock:us-east-1:111111111111:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k"
)
CUSTOM_MODEL = f"{CUSTOM_MODEL_BASE}/a1b2c3d4e5f6"
OTHER_CUSTOM_MODEL = f"{CUSTOM_MODEL_BASE}/f6e5d4c3b2a1"
PROPERTIES: dict[str, Any] = {
    "ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:framework-onEvent",
    "ProvisionedModelName": "dev-support-1a2b3c",
    "ModelId": MODEL,
    "ModelUnits": "1",  # CloudFormation passes numbers to custom resources as strings
    "CommitmentDuration": "OneMonth",
    "Tags": {"team": "ml-platform", "app": "support"},
}
NOW = datetime(2026, 11, 21, tzinfo=UTC)
BOUGHT = {"PhysicalResourceId": ARN, "Data": {"Bought": "true"}}
"""What ``on_event`` returns for a create that bought ``ARN``."""


def event(request_type: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A Provider framework event for the throughput ``Support``."""
    return {
        "RequestType": request_type,
        "RequestId": f"request-{request_type.lower()}",
        "StackId": STACK_ID,
        "LogicalResourceId": "Support",
        "ResourceType": "Custom::BedrockProvisionedThroughput",
        "ResourceProperties": copy.deepcopy(properties or PROPERTIES),
        **extra,
    }


def state(status: str, arn: str = ARN, **extra: Any) -> dict[str, Any]:
    """A GetProvisionedModelThroughput response."""
    return {
        "modelUnits": 1,
        "desiredModelUnits": 1,
        "provisionedModelName": "dev-support-1a2b3c",
        "provisionedModelArn": arn,
        "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        "desiredModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        "foundationModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        "status": status,
        "creationTime": NOW,
        "lastModifiedTime": NOW,
        **extra,
    }


STACK_TAG = {"key": handler.STACK_TAG_KEY, "value": STACK_ID}
"""The tag every create sends: the role may buy only with it, and manage only what carries it."""


def expect_create(stubber: Stubber, token: str, arn: str = ARN, **overrides: Any) -> None:
    request = {
        "clientRequestToken": token,
        "provisionedModelName": "dev-support-1a2b3c",
        "modelId": MODEL,
        "modelUnits": 1,
        "commitmentDuration": "OneMonth",
        "tags": [{"key": "app", "value": "support"}, STACK_TAG, {"key": "team", "value": "ml-platform"}],
        **overrides,
    }
    stubber.add_response("create_provisioned_model_throughput", {"provisionedModelArn": arn}, request)


def expect_get(stubber: Stubber, response: dict[str, Any], arn: str = ARN) -> None:
    stubber.add_response("get_provisioned_model_throughput", response, {"provisionedModelId": arn})


def expect_list(stubber: Stubber, *pages: list[dict[str, Any]]) -> None:
    """ListProvisionedModelThroughputs answering ``pages`` of summaries, a nextToken between them."""
    for number, summaries in enumerate(pages):
        response: dict[str, Any] = {"provisionedModelSummaries": summaries}
        request: dict[str, Any] = {"maxResults": 1000}
        if number + 1 < len(pages):
            response["nextToken"] = f"page{number + 2}"
        if number:
            request["nextToken"] = f"page{number + 1}"
        stubber.add_response("list_provisioned_model_throughputs", response, request)


def expect_list_by_name(stubber: Stubber, summaries: list[dict[str, Any]]) -> None:
    """ListProvisionedModelThroughputs by the declared name."""
    stubber.add_response(
        "list_provisioned_model_throughputs",
        {"provisionedModelSummaries": summaries},
        {"nameContains": "dev-support-1a2b3c", "maxResults": 1000},
    )


def summary(arn: str, status: str = "InService") -> dict[str, Any]:
    """A ProvisionedModelSummary of ``arn``."""
    full = state(status, provisionedModelArn=arn)
    keys = (
        "provisionedModelName",
        "provisionedModelArn",
        "modelArn",
        "desiredModelArn",
        "foundationModelArn",
        "modelUnits",
        "desiredModelUnits",
        "status",
        "creationTime",
        "lastModifiedTime",
    )
    return {key: full[key] for key in keys}


def test_create_buys_with_a_token_and_polls_through_creating_to_in_service(
    bedrock: Any, stubber: Stubber
) -> None:
    create = event("Create")
    token = custom_resource.request_token(create)
    expect_create(stubber, token)
    expect_get(stubber, state("Creating"))
    expect_get(stubber, state("Creating"))
    expect_get(stubber, state("Creating"))
    expect_get(stubber, state("InService"))

    assert handler.handle(create, bedrock) == BOUGHT
    polled = {**create, **BOUGHT}
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {
        "IsComplete": True,
        "Data": {"ProvisionedModelArn": ARN, "ProvisionedModelName": "dev-support-1a2b3c", "ModelUnits": "1"},
    }


def test_a_retried_create_sends_the_same_token(bedrock: Any, stubber: Stubber) -> None:
    first, retry = event("Create"), event("Create")
    retry["RequestId"] = "a-later-deployment"
    token = custom_resource.request_token(first)
    assert custom_resource.request_token(retry) == token
    for _ in range(2):
        expect_create(stubber, token)
        expect_get(stubber, state("Creating"))

    assert handler.handle(first, bedrock) == handler.handle(retry, bedrock) == BOUGHT


def test_the_token_depends_on_stack_logical_id_and_properties_only() -> None:
    base = custom_resource.request_token(event("Create"))
    token = custom_resource.request_token
    assert len(base) == 64
    assert token({**event("Create"), "LogicalResourceId": "Other"}) != base
    assert token({**event("Create"), "StackId": STACK_ID.replace("0a1b", "9f9f")}) != base
    assert token(event("Create", {**PROPERTIES, "ModelUnits": "2"})) != base
    assert token({**event("Create"), "ResourceProperties": {**PROPERTIES, "ServiceToken": "other"}}) == base


def test_create_buys_again_under_a_fresh_token_when_the_remembered_one_is_gone(
    bedrock: Any, stubber: Stubber
) -> None:
    create = event("Create")
    expect_create(stubber, custom_resource.request_token(create), ARN)
    client_error(stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "not found", 404)
    expect_create(stubber, custom_resource.request_token(create, salt="request-create"), NEW_ARN)

    assert handler.handle(create, bedrock)["PhysicalResourceId"] == NEW_ARN


def test_create_without_commitment_or_tags_sends_only_the_stack_tag(bedrock: Any, stubber: Stubber) -> None:
    properties = {
        key: value for key, value in PROPERTIES.items() if key not in ("CommitmentDuration", "Tags")
    }
    create = event("Create", properties)
    stubber.add_response(
        "create_provisioned_model_throughput",
        {"provisionedModelArn": ARN},
        {
            "clientRequestToken": custom_resource.request_token(create),
            "provisionedModelName": "dev-support-1a2b3c",
            "modelId": MODEL,
            "modelUnits": 1,
            "tags": [STACK_TAG],
        },
    )
    expect_get(stubber, state("Creating"))

    assert handler.handle(create, bedrock) == BOUGHT


def test_failed_ends_the_deployment_with_the_service_message_on_one_line(
    bedrock: Any, stubber: Stubber
) -> None:
    expect_get(
        stubber, state("Failed", failureMessage="Insufficient capacity for\nthe requested model units.")
    )

    with pytest.raises(HandlerError) as raised:
        handler.check({**event("Create"), "PhysicalResourceId": ARN}, bedrock)
    assert str(raised.value) == (
        "provisioned throughput dev-support-1a2b3c failed: "
        "Insufficient capacity for the requested model units."
    )


def test_update_of_the_name_is_in_place(bedrock: Any, stubber: Stubber) -> None:
    update = event(
        "Update",
        {**PROPERTIES, "ProvisionedModelName": "dev-assistant-1a2b3c"},
        OldResourceProperties=copy.deepcopy(PROPERTIES),
        PhysicalResourceId=ARN,
    )
    stubber.add_response(
        "update_provisioned_model_throughput",
        {},
        {"provisionedModelId": ARN, "desiredProvisionedModelName": "dev-assistant-1a2b3c"},
    )
    expect_get(stubber, state("Updating"))
    expect_get(stubber, state("InService", provisionedModelName="dev-assistant-1a2b3c"))

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(update, bedrock) == {"IsComplete": False}
    assert handler.check(update, bedrock)["Data"]["ProvisionedModelName"] == "dev-assistant-1a2b3c"


def test_update_moves_a_custom_model_throughput_to_another_custom_model_in_place(
    bedrock: Any, stubber: Stubber
) -> None:
    old = {**PROPERTIES, "ModelId": CUSTOM_MODEL}
    update = event(
        "Update", {**old, "ModelId": OTHER_CUSTOM_MODEL}, OldResourceProperties=old, PhysicalResourceId=ARN
    )
    stubber.add_response(
        "update_provisioned_model_throughput",
        {},
        {"provisionedModelId": ARN, "desiredModelId": OTHER_CUSTOM_MODEL},
    )

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": ARN}


def test_update_of_tags_only_retags_in_place(bedrock: Any, stubber: Stubber) -> None:
    new_tags = {"team": "search", "owner": "kim"}
    update = event(
        "Update",
        {**PROPERTIES, "Tags": new_tags},
        OldResourceProperties=copy.deepcopy(PROPERTIES),
        PhysicalResourceId=ARN,
    )
    stubber.add_response(
        "tag_resource",
        {},
        {"resourceARN": ARN, "tags": [{"key": "owner", "value": "kim"}, {"key": "team", "value": "search"}]},
    )
    stubber.add_response("untag_resource", {}, {"resourceARN": ARN, "tagKeys": ["app"]})

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": ARN}


@pytest.mark.parametrize(
    "change",
    [
        {"ModelUnits": "2"},
        {"CommitmentDuration": "SixMonths"},
        {"ModelId": "anthropic.claude-v2:1:200k"},  # a base-model throughput cannot change model
    ],
    ids=["model-units", "commitment", "base-model"],
)
def test_what_the_api_cannot_change_is_a_replacement(
    bedrock: Any, stubber: Stubber, change: dict[str, str]
) -> None:
    new_properties = {**PROPERTIES, **change}
    update = event(
        "Update", new_properties, OldResourceProperties=copy.deepcopy(PROPERTIES), PhysicalResourceId=ARN
    )
    create = {
        "modelUnits": int(new_properties["ModelUnits"]),
        "commitmentDuration": new_properties["CommitmentDuration"],
        "modelId": new_properties["ModelId"],
    }
    client_error(
        stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "no such name", 404
    )
    expect_create(stubber, custom_resource.request_token(update), NEW_ARN, **create)
    expect_get(stubber, state("Creating", NEW_ARN), NEW_ARN)

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": NEW_ARN, "Data": {"Bought": "true"}}


def test_a_rollback_with_no_throughput_of_the_original_name_buys_one_under_the_original_token(
    bedrock: Any, stubber: Stubber
) -> None:
    """The original was deleted by hand meanwhile: the rollback buys it again, as its first create did."""
    replaced = {**PROPERTIES, "ModelUnits": "2"}
    rollback = event("Update", PROPERTIES, OldResourceProperties=replaced, PhysicalResourceId=NEW_ARN)
    client_error(stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "gone", 404)
    expect_create(stubber, custom_resource.request_token(event("Create")), ARN)
    expect_get(stubber, state("Creating"))

    assert handler.handle(rollback, bedrock) == BOUGHT


def test_delete_waits_until_the_throughput_is_gone(bedrock: Any, stubber: Stubber) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    expect_list(stubber, [])  # the list, not Get: the tag-scoped role is denied what is gone

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_of_a_throughput_that_is_not_found_succeeds(bedrock: Any, stubber: Stubber) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(
        stubber, "delete_provisioned_model_throughput", "ResourceNotFoundException", "no such model", 404
    )
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_during_a_create_conflicts_and_is_retried_when_it_is_in_service(
    bedrock: Any, stubber: Stubber
) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(
        stubber, "delete_provisioned_model_throughput", "ConflictException", "model is being created"
    )
    expect_list(stubber, [summary(ARN, "Creating")])
    expect_list(stubber, [summary(ARN)])
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": False}
    assert handler.check(delete, bedrock) == {"IsComplete": False}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_before_the_commitment_ends_fails_with_the_reason(bedrock: Any, stubber: Stubber) -> None:
    client_error(
        stubber,
        "delete_provisioned_model_throughput",
        "ValidationException",
        "Provisioned model with a commitment term cannot be deleted before the term expires.",
    )
    expect_get(stubber, state("InService"))  # it exists: the refusal is the failure

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Delete", PhysicalResourceId=ARN), bedrock)
    assert str(raised.value) == (
        f"deleting provisioned throughput {ARN} failed: ValidationException: Provisioned model with a "
        "commitment term cannot be deleted before the term expires. "
        "(the service refused the request as invalid)"
    )


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        (
            "ValidationException",
            "Model units must be 1 for this model.",
            "the service refused the request as invalid",
        ),
        (
            "ServiceQuotaExceededException",
            "You have exceeded the model units quota.",
            "request a higher quota in Service Quotas (Amazon Bedrock) and deploy again",
        ),
        (
            "AccessDeniedException",
            "You don't have access to the model with the specified model ID.",
            "the handler's role lacks a permission, or the account has no access to the model",
        ),
        ("ResourceNotFoundException", "The model does not exist.", None),
    ],
)
def test_create_errors_fail_with_code_message_and_what_to_do(
    bedrock: Any, stubber: Stubber, code: str, message: str, hint: str | None
) -> None:
    client_error(stubber, "create_provisioned_model_throughput", code, message)
    if code == "ValidationException":  # a name already taken is looked for, to adopt (none here)
        expect_list_by_name(stubber, [])

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    action = f"creating provisioned throughput dev-support-1a2b3c (1 model units of {MODEL})"
    expected = f"{action} failed: {code}: {message}"
    assert str(raised.value) == expected + (f" ({hint})" if hint else "")


def test_conflict_on_update_fails_with_what_to_do(bedrock: Any, stubber: Stubber) -> None:
    update = event(
        "Update", PROPERTIES, OldResourceProperties={**PROPERTIES, "Tags": {}}, PhysicalResourceId=ARN
    )
    client_error(stubber, "tag_resource", "ConflictException", "The resource is being updated.")

    with pytest.raises(
        HandlerError, match=r"^tagging .* failed: ConflictException: The resource is being updated\. "
    ):
        handler.handle(update, bedrock)


def test_update_of_a_throughput_deleted_outside_cloudformation_fails(bedrock: Any, stubber: Stubber) -> None:
    update = event(
        "Update",
        {**PROPERTIES, "ProvisionedModelName": "dev-renamed-1a2b3c"},
        OldResourceProperties=copy.deepcopy(PROPERTIES),
        PhysicalResourceId=ARN,
    )
    client_error(
        stubber, "update_provisioned_model_throughput", "ResourceNotFoundException", "not found", 404
    )
    client_error(stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "not found", 404)

    with pytest.raises(HandlerError, match=r"^updating .* failed: ResourceNotFoundException: not found$"):
        handler.handle(update, bedrock)
    with pytest.raises(HandlerError, match="no longer exists: it was deleted outside CloudFormation"):
        handler.check(update, bedrock)


def test_properties_that_are_not_a_throughput_fail_on_one_line(bedrock: Any) -> None:
    with pytest.raises(HandlerError, match=r"^invalid provisioned throughput properties: ValueError"):
        handler.handle(event("Create", {**PROPERTIES, "ModelUnits": "two"}), bedrock)


# Faults. Each request type under throttling, silence, rollback, a failed create's Delete, and a
# create that fails halfway (docs/robustness.md, "Handlers under faults").

ACTION = f"creating provisioned throughput dev-support-1a2b3c (1 model units of {MODEL})"


def test_every_throttling_code_and_an_unavailable_read_are_retried(
    bedrock: Service, stubber: Stubber, pauses: list[float]
) -> None:
    """ThrottlingException and TooManyRequestsException on the create, a 503 on the read
    (test_throttling.py holds the plain case of every handler)."""
    create = event("Create")
    throttle(stubber, "create_provisioned_model_throughput")
    client_error(stubber, "create_provisioned_model_throughput", "TooManyRequestsException", "Slow down", 429)
    expect_create(stubber, custom_resource.request_token(create))
    client_error(stubber, "get_provisioned_model_throughput", "ServiceUnavailableException", "try again", 503)
    expect_get(stubber, state("Creating"))

    assert handler.handle(create, bedrock) == BOUGHT
    assert len(pauses) == 3
    # Full jitter: anywhere from 0 to the doubling ceiling (1 s, then 2 s; the read starts at 1 s).
    assert 0 <= pauses[0] <= 1.0 and 0 <= pauses[1] <= 2.0 and 0 <= pauses[2] <= 1.0


NO_ANSWER = (
    f"{ACTION} failed: no answer from CreateProvisionedModelThroughput within 90 s (5 attempts, "
    "stopping before the Lambda's timeout; last: ReadTimeoutError: Read timeout on endpoint URL: "
    '"https://bedrock.us-east-1.amazonaws.com/")'
)
"""How a create that got no answer on any attempt fails (5 attempts with :data:`WORST_CASE_JITTER`)."""
CHECK_AND_DELETE = (
    "check with aws bedrock list-provisioned-model-throughputs --name-contains dev-support-1a2b3c "
    "and delete it with aws bedrock delete-provisioned-model-throughput --provisioned-model-id <arn>"
)


def expect_get_by_name(stubber: Stubber, response: dict[str, Any]) -> None:
    stubber.add_response(
        "get_provisioned_model_throughput", response, {"provisionedModelId": "dev-support-1a2b3c"}
    )


def test_a_create_that_gets_no_answer_returns_the_throughput_found_by_name_as_bought(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    """The request reached the service: with the ARN returned, is_complete follows the throughput
    and the rollback's Delete reaches it, instead of the framework's CREATE_FAILED marker."""
    create = event("Create")
    faults.add("create_provisioned_model_throughput", "read", times=5)
    expect_get_by_name(stubber, state("Creating", commitmentDuration="OneMonth"))
    expect_get(stubber, state("InService", commitmentDuration="OneMonth"))

    response = handler.handle(create, dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert response == BOUGHT
    assert faults.raised == ["CreateProvisionedModelThroughput"] * 5
    assert clock.now <= 120 - custom_resource.REPORT_SECONDS  # the lookup ran in the reserve
    is_complete = dataclasses.replace(bedrock, ends_at=clock.now + LAMBDA_SECONDS)  # its own Lambda
    assert handler.check({**create, **response}, is_complete)["IsComplete"] is True


@pytest.mark.parametrize(
    ("found", "outcome"),
    [
        (None, "none was found by that name"),
        (
            state("InService", modelUnits=2, desiredModelUnits=2, commitmentDuration="OneMonth"),
            "the one found by that name has other model units or commitment",
        ),
    ],
    ids=["not-found", "other-model-units"],
)
def test_a_create_that_gets_no_answer_and_is_not_found_by_name_says_how_to_check_and_delete(
    bedrock: Service,
    stubber: Stubber,
    faults: Faults,
    clock: FakeTime,
    found: dict[str, Any] | None,
    outcome: str,
) -> None:
    faults.add("create_provisioned_model_throughput", "read", times=5)
    if found is None:
        client_error(
            stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "not found", 404
        )
    else:
        expect_get_by_name(stubber, found)

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value) == (
        f"{NO_ANSWER}; a provisioned throughput named dev-support-1a2b3c may still have been bought "
        f"({outcome}): {CHECK_AND_DELETE}"
    )
    assert clock.now <= 120 - custom_resource.REPORT_SECONDS


def test_a_create_whose_lookup_by_name_gets_no_answer_either_says_how_to_check_and_delete(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    faults.add("create_provisioned_model_throughput", "read", times=5)
    faults.add("get_provisioned_model_throughput", "read", times=5)

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value) == (
        f"{NO_ANSWER}; a provisioned throughput named dev-support-1a2b3c may still have been bought "
        "(looking it up by name failed too: reading provisioned throughput dev-support-1a2b3c failed: "
        "no answer from GetProvisionedModelThroughput within 15 s (1 attempt, stopping before the "
        "Lambda's timeout; last: ReadTimeoutError: Read timeout on endpoint URL: "
        f'"https://bedrock.us-east-1.amazonaws.com/")): {CHECK_AND_DELETE}'
    )
    # One attempt fits in the reserve kept for clean-up, and the report still fits after it.
    assert faults.raised == ["CreateProvisionedModelThroughput"] * 5 + ["GetProvisionedModelThroughput"]
    assert clock.now <= 120 - custom_resource.REPORT_SECONDS


@pytest.mark.parametrize("kind", ["read", "connect", "endpoint"])
def test_a_call_without_an_answer_is_retried(
    bedrock: Service, stubber: Stubber, faults: Faults, kind: str
) -> None:
    """A read is retried; a Delete is asked once (one without an answer may have deleted it, and a
    second Delete of a throughput that is gone is denied to the tag-scoped role): the poll asks
    again while the list still has the throughput."""
    delete = event("Delete", PhysicalResourceId=ARN)
    faults.add("delete_provisioned_model_throughput", kind)
    faults.add("list_provisioned_model_throughputs", kind, times=2)
    expect_list(stubber, [summary(ARN)])
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": False}
    assert handler.check(delete, bedrock) == {"IsComplete": True}
    assert faults.raised == [
        "DeleteProvisionedModelThroughput",
        "ListProvisionedModelThroughputs",
        "ListProvisionedModelThroughputs",
    ]


def test_a_throttled_delete_is_asked_again_by_the_next_poll(bedrock: Service, stubber: Stubber) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(stubber, "delete_provisioned_model_throughput", "ThrottlingException", "Rate exceeded")
    expect_list(stubber, [summary(ARN)])
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    expect_list(stubber, [summary(ARN, "Updating")])
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert [handler.check(delete, bedrock)["IsComplete"] for _ in range(3)] == [False, False, True]


def test_a_poll_that_gets_no_answer_fails_naming_the_read(
    bedrock: Service, stubber: Stubber, faults: Faults
) -> None:
    faults.add("get_provisioned_model_throughput", "connect", times=20)

    with pytest.raises(HandlerError) as raised:
        handler.check({**event("Create"), **BOUGHT}, bedrock)
    assert str(raised.value).startswith(
        f"reading provisioned throughput {ARN} failed: no answer from GetProvisionedModelThroughput within "
    )
    assert "ConnectTimeoutError: Connect timeout on endpoint URL" in str(raised.value)


def test_a_rollback_of_a_rename_and_a_model_move_puts_both_back_and_restores_the_tags(
    bedrock: Service, stubber: Stubber
) -> None:
    original = {**PROPERTIES, "ModelId": CUSTOM_MODEL}
    changed = {
        **original,
        "ProvisionedModelName": "dev-assistant-1a2b3c",
        "ModelId": OTHER_CUSTOM_MODEL,
        "Tags": {"team": "search", "owner": "kim"},
    }
    rollback = event("Update", original, OldResourceProperties=changed, PhysicalResourceId=ARN)
    stubber.add_response(
        "update_provisioned_model_throughput",
        {},
        {
            "provisionedModelId": ARN,
            "desiredProvisionedModelName": "dev-support-1a2b3c",
            "desiredModelId": CUSTOM_MODEL,
        },
    )
    stubber.add_response(
        "tag_resource",
        {},
        {
            "resourceARN": ARN,
            "tags": [{"key": "app", "value": "support"}, {"key": "team", "value": "ml-platform"}],
        },
    )
    stubber.add_response("untag_resource", {}, {"resourceARN": ARN, "tagKeys": ["owner"]})
    expect_get(stubber, state("InService"))

    assert handler.handle(rollback, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(rollback, bedrock)["IsComplete"] is True


def test_a_rollback_of_a_replacement_adopts_the_original_by_name_and_buys_nothing(
    bedrock: Service, stubber: Stubber
) -> None:
    """The original (named for what it was) exists until the update succeeds; it is found by name."""
    replaced = {**PROPERTIES, "ModelUnits": "2"}
    rollback = event("Update", PROPERTIES, OldResourceProperties=replaced, PhysicalResourceId=NEW_ARN)
    stubber.add_response(
        "get_provisioned_model_throughput",
        state("InService", commitmentDuration="OneMonth"),
        {"provisionedModelId": "dev-support-1a2b3c"},
    )
    stubber.add_response(
        "tag_resource",
        {},
        {
            "resourceARN": ARN,
            "tags": [{"key": "app", "value": "support"}, {"key": "team", "value": "ml-platform"}],
        },
    )
    expect_get(stubber, state("InService", commitmentDuration="OneMonth"))

    response = handler.handle(rollback, bedrock)
    assert response == {"PhysicalResourceId": ARN}  # CloudFormation then deletes NEW_ARN
    assert handler.check({**rollback, **response}, bedrock)["IsComplete"] is True


@pytest.mark.parametrize(
    "physical_id",
    [CREATE_FAILED, "request-create", f"{CUSTOM_MODEL_BASE}/a1b2c3d4e5f6"],
    ids=["framework-marker", "request-id", "another-resource-arn"],
)
def test_a_delete_after_a_create_that_bought_nothing_touches_nothing(
    bedrock: Service, stubber: Stubber, physical_id: str
) -> None:
    delete = event("Delete", PhysicalResourceId=physical_id)

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": physical_id}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_a_delete_of_a_throughput_the_service_does_not_know_succeeds(
    bedrock: Service, stubber: Stubber
) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(stubber, "delete_provisioned_model_throughput", "ValidationException", "Invalid identifier")
    client_error(stubber, "get_provisioned_model_throughput", "ValidationException", "Invalid identifier")
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_a_delete_after_a_create_that_failed_and_was_cleaned_up_succeeds(
    bedrock: Service, stubber: Stubber
) -> None:
    """is_complete found the throughput Failed and deleted it; the rollback's Delete finds it gone."""
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(stubber, "delete_provisioned_model_throughput", "ResourceNotFoundException", "gone", 404)
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_a_bought_throughput_that_fails_is_deleted_before_the_failure_is_reported(
    bedrock: Service, stubber: Stubber
) -> None:
    expect_get(stubber, state("Failed", failureMessage="Insufficient capacity."))
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})

    with pytest.raises(HandlerError) as raised:
        handler.check({**event("Create"), **BOUGHT}, bedrock)
    assert str(raised.value) == (
        "provisioned throughput dev-support-1a2b3c failed: Insufficient capacity.; "
        "the throughput it bought was deleted"
    )


def test_a_failed_throughput_whose_deletion_is_refused_says_how_to_delete_it(
    bedrock: Service, stubber: Stubber
) -> None:
    expect_get(stubber, state("Failed", failureMessage="Insufficient capacity."))
    client_error(stubber, "delete_provisioned_model_throughput", "ConflictException", "busy")

    with pytest.raises(HandlerError) as raised:
        handler.check({**event("Update"), **BOUGHT}, bedrock)  # a replacement bought it
    assert str(raised.value).endswith(
        "deleting it failed too (ConflictException: busy), so the rollback deletes it, or run: "
        f"aws bedrock delete-provisioned-model-throughput --provisioned-model-id {ARN}"
    )


def test_a_throughput_that_fails_after_an_in_place_update_is_not_deleted(
    bedrock: Service, stubber: Stubber
) -> None:
    update = event("Update", PhysicalResourceId=ARN, OldResourceProperties=copy.deepcopy(PROPERTIES))
    expect_get(stubber, state("Failed", failureMessage="Update failed."))

    with pytest.raises(HandlerError, match=r"failed: Update failed\.$"):
        handler.check(update, bedrock)


def test_once_bought_on_event_returns_the_arn_even_when_reading_it_gives_up(
    bedrock: Service, stubber: Stubber, faults: Faults
) -> None:
    """Raising would make the framework report its CREATE_FAILED marker and ignore the rollback's
    Delete, leaving the throughput billing; with the ARN returned, is_complete and Delete see it."""
    create = event("Create")
    expect_create(stubber, custom_resource.request_token(create))
    faults.add("get_provisioned_model_throughput", "read", times=20)

    assert handler.handle(create, dataclasses.replace(bedrock, **WORST_CASE_JITTER)) == BOUGHT


def test_a_replacement_whose_lookup_by_name_is_denied_falls_back_to_the_token(
    bedrock: Service, stubber: Stubber
) -> None:
    update = event(
        "Update", {**PROPERTIES, "ModelUnits": "2"}, OldResourceProperties=PROPERTIES, PhysicalResourceId=ARN
    )
    client_error(stubber, "get_provisioned_model_throughput", "AccessDeniedException", "not by name")
    expect_create(stubber, custom_resource.request_token(update), NEW_ARN, modelUnits=2)
    expect_get(stubber, state("Creating", NEW_ARN), NEW_ARN)

    assert handler.handle(update, bedrock)["PhysicalResourceId"] == NEW_ARN


def test_a_retag_never_changes_or_removes_the_stack_tag(bedrock: Any, stubber: Stubber) -> None:
    """Issue 16, finding 13: the role manages only throughputs tagged for its stack; the tag stays."""
    old = {**PROPERTIES, "Tags": {"app": "support", handler.STACK_TAG_KEY: "other"}}
    new = {**PROPERTIES, "Tags": {"app": "assistant"}}
    update = event("Update", new, OldResourceProperties=old, PhysicalResourceId=ARN)
    stubber.add_response(
        "tag_resource", {}, {"resourceARN": ARN, "tags": [{"key": "app", "value": "assistant"}]}
    )

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": ARN}


def test_a_create_without_answer_is_denied_a_throughput_of_that_name_of_another_stack(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    """Issue 16, finding 13: GetProvisionedModelThroughput by name is authorized on the ARN the name
    resolves to, with its tags; one of that name without this stack's tag is denied to the role,
    so it is not adopted, and the failure says how to check and delete."""
    faults.add("create_provisioned_model_throughput", "read", times=5)
    client_error(
        stubber,
        "get_provisioned_model_throughput",
        "AccessDeniedException",
        "not authorized to perform: bedrock:GetProvisionedModelThroughput",
        403,
    )

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    message = str(raised.value)
    assert message.startswith(
        f"{NO_ANSWER}; a provisioned throughput named dev-support-1a2b3c may still have been bought "
        "(looking it up by name failed too: "
    )
    assert "AccessDeniedException" in message and message.endswith(CHECK_AND_DELETE)


def test_a_deleted_throughput_denied_to_the_tag_scoped_role_and_not_listed_is_gone(
    bedrock: Service, stubber: Stubber
) -> None:
    """Issue 16, finding 13: the role may read and delete only throughputs with its stack's tag,
    and IAM finds no tag on a throughput that is gone: AccessDenied, not ResourceNotFound. The
    account's list (all its pages) decides."""
    delete = event("Delete", PhysicalResourceId=ARN)
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    expect_list(stubber, [summary(NEW_ARN)], [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_a_delete_denied_for_a_throughput_that_is_gone_succeeds(bedrock: Service, stubber: Stubber) -> None:
    """A Delete retried after one that got no answer but deleted it: denied, and so is the read."""
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(
        stubber, "delete_provisioned_model_throughput", "AccessDeniedException", "not authorized", 403
    )
    client_error(stubber, "get_provisioned_model_throughput", "AccessDeniedException", "not authorized", 403)
    expect_list(stubber, [])
    expect_list(stubber, [])

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_a_throughput_without_the_stack_tag_is_not_taken_for_gone(bedrock: Service, stubber: Stubber) -> None:
    """Bought before the toolkit tagged its throughputs, or its tag removed: the failure says how
    to tag it or delete it, and nothing is forgotten while it bills."""
    client_error(
        stubber, "delete_provisioned_model_throughput", "AccessDeniedException", "not authorized", 403
    )
    client_error(stubber, "get_provisioned_model_throughput", "AccessDeniedException", "not authorized", 403)
    expect_list(stubber, [summary(ARN)])

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Delete", PhysicalResourceId=ARN), bedrock)
    assert str(raised.value) == (
        f"provisioned throughput {ARN} exists, but this stack's handler may not touch it: it does not "
        "carry the tag bedrock-platform:stack with this stack's id (bought before the toolkit tagged its "
        f"throughputs, or the tag was removed); tag it with aws bedrock tag-resource --resource-arn {ARN} "
        "--tags key=bedrock-platform:stack,value=<the stack id>, or delete it with aws bedrock "
        f"delete-provisioned-model-throughput --provisioned-model-id {ARN}"
    )


def test_a_delete_denied_for_a_throughput_the_role_can_still_read_fails(
    bedrock: Service, stubber: Stubber
) -> None:
    client_error(
        stubber, "delete_provisioned_model_throughput", "AccessDeniedException", "not authorized", 403
    )
    expect_get(stubber, state("InService"))

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Delete", PhysicalResourceId=ARN), bedrock)
    assert str(raised.value).startswith(
        f"deleting provisioned throughput {ARN} failed: AccessDeniedException: not authorized"
    )


@pytest.mark.parametrize("code", ["ConflictException", "ValidationException"])
def test_a_retry_after_a_rollback_that_kept_the_throughput_adopts_it_and_buys_nothing(
    bedrock: Service, stubber: Stubber, code: str
) -> None:
    """A first deploy bought a committed throughput and rolled back (it is retained); the stack was
    deleted and deployed again, under a new stack id: a new token, and the name is taken. The
    throughput of that name with the declared shape is tagged for this stack and adopted (the
    deploy proof's rollback-safety check runs this path on a committed throughput)."""
    retried = "arn:aws:cloudformation:us-east-1:111111111111:stack/dev-bedrock-throughput/retried"
    client_error(stubber, "create_provisioned_model_throughput", code, "name already exists")
    expect_list_by_name(stubber, [{**summary(ARN), "commitmentDuration": "OneMonth"}])
    stubber.add_response(
        "tag_resource",
        {},
        {"resourceARN": ARN, "tags": [{"key": handler.STACK_TAG_KEY, "value": retried}]},
    )
    expect_get(stubber, state("InService", commitmentDuration="OneMonth"))

    assert handler.handle({**event("Create"), "StackId": retried}, bedrock) == BOUGHT


def test_a_taken_name_with_another_shape_fails_saying_so(bedrock: Service, stubber: Stubber) -> None:
    client_error(stubber, "create_provisioned_model_throughput", "ConflictException", "name already exists")
    expect_list_by_name(stubber, [summary(ARN)])  # no commitment: not what is declared

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    assert str(raised.value) == (
        f"provisioned throughput dev-support-1a2b3c already exists ({ARN}) with other model units, "
        "commitment or status: delete it or rename the entry, and deploy again"
    )
