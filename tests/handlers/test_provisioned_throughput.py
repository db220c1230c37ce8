"""The provisioned throughput handler through its whole life, against botocore's service model."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers import provisioned_throughput as handler
from bedrock_platform.handlers.custom_resource import HandlerError

from .conftest import STACK_ID, client_error

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


def expect_create(stubber: Stubber, token: str, arn: str = ARN, **overrides: Any) -> None:
    request = {
        "clientRequestToken": token,
        "provisionedModelName": "dev-support-1a2b3c",
        "modelId": MODEL,
        "modelUnits": 1,
        "commitmentDuration": "OneMonth",
        "tags": [{"key": "app", "value": "support"}, {"key": "team", "value": "ml-platform"}],
        **overrides,
    }
    stubber.add_response("create_provisioned_model_throughput", {"provisionedModelArn": arn}, request)


def expect_get(stubber: Stubber, response: dict[str, Any], arn: str = ARN) -> None:
    stubber.add_response("get_provisioned_model_throughput", response, {"provisionedModelId": arn})


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

    assert handler.handle(create, bedrock) == {"PhysicalResourceId": ARN}
    polled = {**create, "PhysicalResourceId": ARN}
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

    assert handler.handle(first, bedrock) == handler.handle(retry, bedrock) == {"PhysicalResourceId": ARN}


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

    assert handler.handle(create, bedrock) == {"PhysicalResourceId": NEW_ARN}


def test_create_without_commitment_or_tags_sends_neither(bedrock: Any, stubber: Stubber) -> None:
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
        },
    )
    expect_get(stubber, state("Creating"))

    assert handler.handle(create, bedrock) == {"PhysicalResourceId": ARN}


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
    expect_create(stubber, custom_resource.request_token(update), NEW_ARN, **create)
    expect_get(stubber, state("Creating", NEW_ARN), NEW_ARN)

    assert handler.handle(update, bedrock) == {"PhysicalResourceId": NEW_ARN}


def test_a_rollback_update_returns_to_the_original_throughput(bedrock: Any, stubber: Stubber) -> None:
    """A rollback arrives with old and new swapped; the original's token finds the original again."""
    original = event("Create")
    replaced = {**PROPERTIES, "ModelUnits": "2"}
    rollback = event("Update", PROPERTIES, OldResourceProperties=replaced, PhysicalResourceId=NEW_ARN)
    expect_create(stubber, custom_resource.request_token(original), ARN)
    expect_get(stubber, state("InService"))

    assert handler.handle(rollback, bedrock) == {"PhysicalResourceId": ARN}


def test_delete_waits_until_the_throughput_is_gone(bedrock: Any, stubber: Stubber) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    client_error(stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "gone", 404)

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_of_a_throughput_that_is_not_found_succeeds(bedrock: Any, stubber: Stubber) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(
        stubber, "delete_provisioned_model_throughput", "ResourceNotFoundException", "no such model", 404
    )
    client_error(
        stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "no such model", 404
    )

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": ARN}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_after_a_create_that_never_returned_an_arn_calls_nothing(
    bedrock: Any, stubber: Stubber
) -> None:
    delete = event("Delete", PhysicalResourceId="request-create")

    assert handler.handle(delete, bedrock) == {"PhysicalResourceId": "request-create"}
    assert handler.check(delete, bedrock) == {"IsComplete": True}


def test_delete_during_a_create_conflicts_and_is_retried_when_it_is_in_service(
    bedrock: Any, stubber: Stubber
) -> None:
    delete = event("Delete", PhysicalResourceId=ARN)
    client_error(
        stubber, "delete_provisioned_model_throughput", "ConflictException", "model is being created"
    )
    expect_get(stubber, state("Creating"))
    expect_get(stubber, state("InService"))
    stubber.add_response("delete_provisioned_model_throughput", {}, {"provisionedModelId": ARN})
    client_error(stubber, "get_provisioned_model_throughput", "ResourceNotFoundException", "gone", 404)

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


def test_throttling_is_retried_with_backoff(bedrock: Any, stubber: Stubber, pauses: list[float]) -> None:
    create = event("Create")
    client_error(stubber, "create_provisioned_model_throughput", "ThrottlingException", "Rate exceeded", 429)
    client_error(stubber, "create_provisioned_model_throughput", "ThrottlingException", "Rate exceeded", 429)
    expect_create(stubber, custom_resource.request_token(create))
    client_error(stubber, "get_provisioned_model_throughput", "InternalServerException", "try again", 500)
    expect_get(stubber, state("Creating"))

    assert handler.handle(create, bedrock) == {"PhysicalResourceId": ARN}
    assert len(pauses) == 3
    assert 0.5 <= pauses[0] <= 1.0 and 1.0 <= pauses[1] <= 2.0 and 0.5 <= pauses[2] <= 1.0


def test_throttling_that_does_not_stop_fails_after_the_last_attempt(
    bedrock: Any, stubber: Stubber, pauses: list[float]
) -> None:
    for _ in range(custom_resource.MAX_ATTEMPTS):
        client_error(
            stubber, "create_provisioned_model_throughput", "ThrottlingException", "Rate exceeded", 429
        )

    with pytest.raises(HandlerError, match=r"failed: ThrottlingException: Rate exceeded$"):
        handler.handle(event("Create"), bedrock)
    assert len(pauses) == custom_resource.MAX_ATTEMPTS - 1
    assert max(pauses) <= custom_resource.MAX_DELAY_SECONDS


def test_properties_that_are_not_a_throughput_fail_on_one_line(bedrock: Any) -> None:
    with pytest.raises(HandlerError, match=r"^invalid provisioned throughput properties: ValueError"):
        handler.handle(event("Create", {**PROPERTIES, "ModelUnits": "two"}), bedrock)
