"""The invocation logging handler: set, adopt, refuse, update, roll back and delete, per the service model."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers import invocation_logging as handler
from bedrock_platform.handlers.custom_resource import HandlerError, Service

from .conftest import CREATE_FAILED, STACK_ID, WORST_CASE_JITTER, FakeTime, Faults, client_error

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
}
"""What is sent: only the true flags (issue 16, finding 10: a runtime whose botocore predates a
flag can still set the others; the service treats an absent flag as false)."""
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


def expect_set(stubber: Stubber, config: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Create and Update: read what is in place, set ``config``, read it back."""
    current(stubber, previous)
    expect_put(stubber, config)
    current(stubber, config)


def test_create_sets_the_typed_configuration_when_none_is_in_place(bedrock: Any, stubber: Stubber) -> None:
    expect_set(stubber, CONFIG, None)
    assert handler.handle(event("Create"), bedrock) == {"PhysicalResourceId": PHYSICAL_ID}


def test_create_adopts_the_same_configuration_already_in_place(bedrock: Any, stubber: Stubber) -> None:
    # The service may leave out false flags: still the same configuration.
    expect_set(stubber, CONFIG, {key: value for key, value in CONFIG.items() if value is not False})
    assert handler.handle(event("Create"), bedrock)["PhysicalResourceId"] == PHYSICAL_ID


def test_create_refuses_to_redirect_someone_elses_logging(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, OTHER)
    with pytest.raises(HandlerError, match=r"already configured .*someone-elses-logs.*take_over_existing"):
        handler.handle(event("Create"), bedrock)


def test_create_takes_over_when_told_to(bedrock: Any, stubber: Stubber) -> None:
    expect_set(stubber, CONFIG, OTHER)
    handler.handle(event("Create", {**PROPERTIES, "TakeOverExisting": "true"}), bedrock)


def test_update_and_its_rollback_set_each_configuration_in_place(bedrock: Any, stubber: Stubber) -> None:
    """A rollback arrives with old and new swapped: it sets the old configuration again."""
    newer = copy.deepcopy(PROPERTIES)
    newer["LoggingConfig"]["imageDataDeliveryEnabled"] = "true"
    expect_set(stubber, {**CONFIG, "imageDataDeliveryEnabled": True}, CONFIG)
    expect_set(stubber, CONFIG, {**CONFIG, "imageDataDeliveryEnabled": True})
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


def test_a_refusal_fails_in_one_line_and_restores_nothing(bedrock: Any, stubber: Stubber) -> None:
    current(stubber, None)
    client_error(
        stubber,
        "put_model_invocation_logging_configuration",
        "ConflictException",
        "Another configuration\nchange is in progress",
    )
    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    assert "\n" not in str(raised.value)
    assert str(raised.value) == (
        "setting invocation logging failed: ConflictException: Another configuration change is in "
        "progress (the resource is busy with another change; deploy again when it has finished)"
    )


# Issue 16, finding 10: PutModelInvocationLoggingConfiguration validates a delivery role (and a
# bucket policy) created seconds earlier in the same deployment; it is retried for about a minute.

NEW_ROLE_REFUSED = "Failed to validate permissions for log group: /aws/bedrock/dev/model-invocations"


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_a_set_refused_while_the_new_role_propagates_is_retried_until_it_succeeds(
    bedrock: Service, stubber: Stubber, pauses: list[float], request_type: str
) -> None:
    current(stubber, None)
    client_error(
        stubber, "put_model_invocation_logging_configuration", "ValidationException", NEW_ROLE_REFUSED
    )
    client_error(stubber, "put_model_invocation_logging_configuration", "AccessDeniedException", "denied")
    client_error(
        stubber, "put_model_invocation_logging_configuration", "ValidationException", NEW_ROLE_REFUSED
    )
    expect_put(stubber, CONFIG)
    current(stubber, CONFIG)

    extra = (
        {"PhysicalResourceId": PHYSICAL_ID, "OldResourceProperties": PROPERTIES}
        if request_type == "Update"
        else {}
    )
    assert handler.handle(event(request_type, **extra), bedrock) == {"PhysicalResourceId": PHYSICAL_ID}
    assert len(pauses) == 3
    assert all(0 <= pause <= ceiling for pause, ceiling in zip(pauses, (1.0, 2.0, 4.0), strict=True))


def test_a_set_still_refused_after_about_a_minute_fails_saying_what_to_check(
    bedrock: Service, stubber: Stubber, clock: FakeTime
) -> None:
    current(stubber, None)
    for _ in range(7):
        client_error(
            stubber, "put_model_invocation_logging_configuration", "ValidationException", NEW_ROLE_REFUSED
        )

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    # Waits of 1, 2, 4, 8, 16 and 16 s: the seventh refusal comes 47 s in, and one more wait
    # would pass the minute. A refusal changed nothing, so nothing is restored.
    assert str(raised.value) == (
        f"setting invocation logging failed: ValidationException: {NEW_ROLE_REFUSED}, on all 7 attempts "
        "in 47 s (the service checks that it may use the delivery role and write to the bucket; check "
        "the role's trust and permissions and the bucket policy, then deploy again)"
    )
    assert clock.now == 47
    assert custom_resource.PROPAGATION_SECONDS == 60


def test_false_and_absent_flags_are_not_sent(bedrock: Service, stubber: Stubber) -> None:
    """A template from before this rule carries every flag; only the true ones reach the service."""
    properties = copy.deepcopy(PROPERTIES)
    properties["LoggingConfig"]["imageDataDeliveryEnabled"] = "true"
    del properties["LoggingConfig"]["audioDataDeliveryEnabled"]
    expect_set(stubber, {**CONFIG, "imageDataDeliveryEnabled": True}, None)
    handler.handle(event("Create", properties), bedrock)


def test_properties_without_a_logging_config_fail_clearly(bedrock: Any, stubber: Stubber) -> None:
    with pytest.raises(HandlerError, match="invalid invocation logging properties: KeyError"):
        handler.handle(event("Create", {"Logging": {}}), bedrock)


# Faults. Each request type under throttling, silence, rollback, a failed create's Delete, and a
# create that fails halfway (docs/robustness.md, "Handlers under faults").


def test_a_set_that_gets_no_answer_fails_clearly_and_restores_the_previous_configuration(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    """It may have taken effect: the configuration taken over is put back, within the reserve."""
    current(stubber, OTHER)
    faults.add("put_model_invocation_logging_configuration", "read", times=5)
    expect_put(stubber, OTHER)

    with pytest.raises(HandlerError) as raised:
        handler.handle(
            event("Create", {**PROPERTIES, "TakeOverExisting": "true"}),
            dataclasses.replace(bedrock, **WORST_CASE_JITTER),
        )
    assert str(raised.value) == (
        "setting invocation logging failed: no answer from PutModelInvocationLoggingConfiguration "
        "within 90 s (5 attempts, stopping before the Lambda's timeout; last: ReadTimeoutError: Read "
        'timeout on endpoint URL: "https://bedrock.us-east-1.amazonaws.com/"); '
        "the previous configuration was restored"
    )
    assert clock.now <= 120 - custom_resource.REPORT_SECONDS


def test_a_poll_that_gets_no_answer_fails_naming_the_read(bedrock: Service, faults: Faults) -> None:
    faults.add("get_model_invocation_logging_configuration", "endpoint", times=20)

    with pytest.raises(HandlerError) as raised:
        handler.check(event("Create", PhysicalResourceId=PHYSICAL_ID), bedrock)
    assert str(raised.value).startswith(
        "reading invocation logging failed: no answer from GetModelInvocationLoggingConfiguration within "
    )
    assert "EndpointConnectionError: Could not connect to the endpoint URL" in str(raised.value)


def test_a_set_the_service_does_not_return_is_undone_by_turning_logging_off_again(
    bedrock: Service, stubber: Stubber
) -> None:
    current(stubber, None)
    expect_put(stubber, CONFIG)
    for _ in range(5):  # read back at 0, 1, 3, 7 and 15 s; the next would be after 30 s
        current(stubber, {**CONFIG, "textDataDeliveryEnabled": False})
    stubber.add_response("delete_model_invocation_logging_configuration", {}, {})

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value) == (
        "setting invocation logging failed: the service still returned another configuration 30 s "
        "after it was set; invocation logging was turned off again"
    )


def test_an_update_whose_read_back_gets_no_answer_puts_the_old_configuration_back(
    bedrock: Service, stubber: Stubber, faults: Faults
) -> None:
    newer = copy.deepcopy(PROPERTIES)
    newer["LoggingConfig"]["s3Config"]["bucketName"] = "dev-invocation-logs-v2"
    update = event("Update", newer, PhysicalResourceId=PHYSICAL_ID, OldResourceProperties=PROPERTIES)
    current(stubber, CONFIG)
    expect_put(
        stubber, {**CONFIG, "s3Config": {**CONFIG["s3Config"], "bucketName": "dev-invocation-logs-v2"}}
    )
    faults.add("get_model_invocation_logging_configuration", "read", times=20, after=1)
    expect_put(stubber, CONFIG)

    with pytest.raises(
        HandlerError,
        match=r"no answer from GetModelInvocationLoggingConfiguration .*"
        r"; the previous configuration was restored$",
    ):
        handler.handle(update, dataclasses.replace(bedrock, **WORST_CASE_JITTER))


def test_a_failed_restore_says_so(bedrock: Service, stubber: Stubber) -> None:
    current(stubber, OTHER)
    expect_put(stubber, CONFIG)
    client_error(stubber, "get_model_invocation_logging_configuration", "AccessDeniedException", "denied")
    client_error(stubber, "put_model_invocation_logging_configuration", "AccessDeniedException", "denied")

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create", {**PROPERTIES, "TakeOverExisting": "true"}), bedrock)
    assert str(raised.value).endswith(
        "; then restoring the previous invocation logging failed: AccessDeniedException: denied (the "
        "handler's role lacks a permission, or the account has no access to the model): check "
        "invocation logging in the Bedrock console"
    )


@pytest.mark.parametrize(
    "physical_id", [CREATE_FAILED, "request-create"], ids=["framework-marker", "request-id"]
)
def test_a_delete_after_a_create_that_set_nothing_removes_nothing(
    bedrock: Service, stubber: Stubber, physical_id: str
) -> None:
    """Even when the configuration in place is the one declared (someone else's, adopted or not).

    It answers with the id it was given: the Provider framework refuses a Delete that changes it.
    """
    assert handler.handle(event("Delete", PhysicalResourceId=physical_id), bedrock) == {
        "PhysicalResourceId": physical_id
    }


def test_a_delete_of_a_configuration_already_gone_succeeds(bedrock: Service, stubber: Stubber) -> None:
    current(stubber, CONFIG)
    client_error(
        stubber, "delete_model_invocation_logging_configuration", "ResourceNotFoundException", "none", 404
    )

    assert handler.handle(event("Delete", PhysicalResourceId=PHYSICAL_ID), bedrock) == {
        "PhysicalResourceId": PHYSICAL_ID
    }
