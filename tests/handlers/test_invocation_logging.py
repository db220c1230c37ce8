"""The invocation logging handler: set, adopt, refuse, update, roll back and delete, per the service model."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import invocation_logging as handler
from bedrock_platform.handlers.custom_resource import HandlerError

from .conftest import STACK_ID, client_error

ROLE = "arn:aws:iam::111111111111:role/dev-bedrock-logging-InvocationLoggingRole"
# What CloudFormation hands the handler: booleans as strings.
PROPERTIES: dict[str, Any] = {
    "ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:framework-onEvent",
    "LoggingConfig": {
        "s3Config": {"bucketName": "dev-invocation-logs", "keyPrefix": "bedrock"},
        "cloudWatchConfig": {"logGroupName": "/aws/bedrock/dev/model-invocations", "roleArn": ROLE},
        "textDataDeliveryEnabled": "true",
        "imageDataDeliveryEnabled": "false",
        "embeddingDataDeliveryEnabled": "false",
        "videoDataDeliveryEnabled": "false",
        "audioDataDeliveryEnabled": "false",
    },
}
CONFIG: dict[str, Any] = {
    "s3Config": {"bucketName": "dev-invocation-logs", "keyPrefix": "bedrock"},
    "cloudWatchConfig": {"logGroupName": "/aws/bedrock/dev/model-invocations", "roleArn": ROLE},
    "textDataDeliveryEnabled": True,
    "imageDataDeliveryEnabled": False,
    "embeddingDataDeliveryEnabled": False,
    "videoDataDeliveryEnabled": False,
    "audioDataDeliveryEnabled": False,
}
OTHER: dict[str, Any] = {"s3Config": {"bucketName": "someone-elses-logs"}, "textDataDeliveryEnabled": True}
PHYSICAL_ID = "bedrock-invocation-logging-111111111111-us-east-1"


def event(request_type: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "RequestId": f"request-{request_type.lower()}",
        "StackId": STACK_ID,
        "LogicalResourceId": "InvocationLogging",
        "ResourceType": "Custom::BedrockInvocationLogging",
        "ResourceProperties": copy.deepcopy(properties or PROPERTIES),
        **extra,
    }


def current(stubber: Stubber, config: dict[str, Any] | None) -> None:
    stubber.add_response(
        "get_model_invocation_logging_configuration", {"loggingConfig": config} if config else {}
    )


def expect_put(stubber: Stubber, config: dict[str, Any]) -> None:
    stubber.add_response("put_model_invocation_logging_configuration", {}, {"loggingConfig": config})


def test_create_sets_the_typed_configuration_when_none_is_in_place(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, None)
    expect_put(stubber, CONFIG)
    assert handler.handle(event("Create"), bedrock) == {"PhysicalResourceId": PHYSICAL_ID}


def test_create_adopts_the_same_configuration_already_in_place(bedrock: Any, stubber: Stubber) -> None:
    # The service may leave out false flags: still the same configuration.
    current(stubber, {key: value for key, value in CONFIG.items() if value is not False})
    expect_put(stubber, CONFIG)
    assert handler.handle(event("Create"), bedrock)["PhysicalResourceId"] == PHYSICAL_ID


def test_create_refuses_to_redirect_someone_elses_logging(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, OTHER)
    with pytest.raises(HandlerError, match=r"already configured .*someone-elses-logs.*take_over_existing"):
        handler.handle(event("Create"), bedrock)


def test_create_takes_over_when_told_to(bedrock: Any, stubber: Stubber) -> None:
    expect_put(stubber, CONFIG)
    handler.handle(event("Create", {**PROPERTIES, "TakeOverExisting": "true"}), bedrock)


def test_update_and_its_rollback_set_each_configuration_in_place(bedrock: Any, stubber: Stubber) -> None:
    newer = copy.deepcopy(PROPERTIES)
    newer["LoggingConfig"]["imageDataDeliveryEnabled"] = "true"
    expect_put(stubber, {**CONFIG, "imageDataDeliveryEnabled": True})
    expect_put(stubber, CONFIG)
    update = event("Update", newer, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=PROPERTIES)
    rollback = event("Update", PROPERTIES, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=newer)
    assert handler.handle(update, bedrock)["PhysicalResourceId"] == PHYSICAL_ID
    assert handler.handle(rollback, bedrock)["PhysicalResourceId"] == PHYSICAL_ID


def test_delete_removes_only_its_own_configuration(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, CONFIG)
    stubber.add_response("delete_model_invocation_logging_configuration", {}, {})
    handler.handle(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock)

    current(stubber, OTHER)  # changed by someone else since: left alone
    handler.handle(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock)

    current(stubber, None)  # a delete after a create that failed: nothing to do
    handler.handle(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock)


def test_is_complete_waits_until_the_service_returns_what_was_set(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, None)
    current(stubber, CONFIG)
    assert handler.check(event("Create", PhysicalResourceId=PHYSICAL_ID), bedrock) == {"IsComplete": False}
    assert handler.check(event("Create", PhysicalResourceId=PHYSICAL_ID), bedrock) == {"IsComplete": True}
    current(stubber, CONFIG)
    current(stubber, None)
    assert handler.check(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock) == {"IsComplete": False}
    assert handler.check(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock) == {"IsComplete": True}


def test_throttling_is_retried_and_a_refusal_fails_in_one_line(
    bedrock: Any, stubber: Stubber, pauses: list[float]
) -> None:
    current(stubber, None)
    client_error(stubber, "put_model_invocation_logging_configuration", "ThrottlingException", status=429)
    expect_put(stubber, CONFIG)
    handler.handle(event("Create"), bedrock)
    assert len(pauses) == 1

    current(stubber, None)
    client_error(
        stubber,
        "put_model_invocation_logging_configuration",
        "ValidationException",
        "Bedrock cannot write to\nbucket dev-invocation-logs",
    )
    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("setting invocation logging failed: ValidationException")


def test_properties_without_a_logging_config_fail_clearly(bedrock: Any, stubber: Stubber) -> None:
    with pytest.raises(HandlerError, match="invalid invocation logging properties: KeyError"):
        handler.handle(event("Create", {"Logging": {}}), bedrock)
