"""Custom resource handler: Amazon Bedrock model invocation logging of an account and Region.

Invocation logging is one setting per account and Region, with no CloudFormation type and no
resource id, so this handler owns it carefully:

- Create sets the configuration (``PutModelInvocationLoggingConfiguration``). When a different
  configuration is already in place (set by hand or by another tool) it refuses, unless the
  property ``TakeOverExisting`` is ``true``: a stack must not silently redirect logs someone
  else relies on. The same configuration already in place is adopted.
- Update sets the new configuration in place; a rollback sets the old one again.
- Create and Update retry a set the service refuses with ValidationException or
  AccessDeniedException for about a minute (``custom_resource.PROPAGATION_SECONDS``), with backoff: the
  service checks that it may use the delivery role and write to the bucket when the
  configuration is set, and on a first deploy the role and the bucket policy were created
  seconds earlier (IAM changes take a while to be usable everywhere).
- Create and Update read the configuration back until the service returns what was set. When
  that fails, or the set itself got no answer, the configuration that was in place before (or
  none) is restored before the failure is reported: a failed create changes nothing.
- Delete removes the configuration only while it is still the one this resource set; a
  configuration changed since by someone else is left as it is (and logged). A physical id other
  than this account's and Region's (a create that failed before it set anything) removes nothing.
- ``is_complete`` reads the configuration back until the service returns what was set (or,
  after a delete, no longer returns it).

Properties: ``LoggingConfig`` in the API's own shape (``s3Config``, ``cloudWatchConfig``, the
``...DataDeliveryEnabled`` flags), ``TakeOverExisting`` (optional). The physical id is
``bedrock-invocation-logging-<account>-<region>``. A false (or absent) flag is not sent: the
service treats an absent flag as false, and a Lambda runtime whose bundled botocore predates a
flag (``videoDataDeliveryEnabled``, ``audioDataDeliveryEnabled``) can still set the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from . import custom_resource
from .custom_resource import (
    NOT_FOUND,
    Event,
    GaveUp,
    HandlerError,
    LambdaContext,
    Response,
    Service,
    failure,
)

DELIVERY_FLAGS = (
    "textDataDeliveryEnabled",
    "imageDataDeliveryEnabled",
    "embeddingDataDeliveryEnabled",
    "videoDataDeliveryEnabled",
    "audioDataDeliveryEnabled",
)
"""Every ``...DataDeliveryEnabled`` flag of ``LoggingConfig``; an absent one is false."""
READ_BACK_SECONDS = 30.0
"""How long Create and Update wait for the service to return the configuration just set."""


def on_event(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, Service.for_lambda("bedrock", context))


def is_complete(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, Service.for_lambda("bedrock", context))


def handle(event: Event, bedrock: Service) -> Response:
    """Set (Create, Update) or remove (Delete) the configuration; the physical id never changes."""
    custom_resource.log_request(event)
    physical_id = physical_id_of(event)
    wanted = logging_config(event, bedrock)
    if event["RequestType"] == "Delete":
        given = event.get("PhysicalResourceId", physical_id)
        if given == physical_id:
            remove(bedrock, wanted)
        # A Delete answers with the id it was given: the framework refuses a changed one.
        return {"PhysicalResourceId": given}
    previous = current_config(bedrock)
    owned = event["RequestType"] == "Update" or _takes_over(event)
    if previous is not None and not same(previous, wanted) and not owned:
        raise HandlerError(
            "model invocation logging is already configured in this account and Region "
            f"(s3: {_bucket(previous)}, CloudWatch Logs: {_log_group(previous)}); remove it, or set "
            "invocation_logging.take_over_existing: true to replace it"
        )
    apply(bedrock, wanted, previous)
    return {"PhysicalResourceId": physical_id}


def apply(bedrock: Service, wanted: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Set ``wanted`` and read it back; on failure restore ``previous`` (None: no logging), then fail.

    A refusal (a ``ClientError``) changed nothing, so nothing is restored. A set that got no
    answer may have taken effect, and a set the service does not return may be half applied:
    both are undone.
    """
    action = "setting invocation logging"
    try:
        _put(bedrock, wanted, action)
    except ClientError as error:
        raise failure(error, action) from error
    except GaveUp as error:
        if not error.unanswered:
            raise
        raise restore(bedrock, previous, error) from error
    try:
        returned = bedrock.wait_until(lambda: _returns(bedrock, wanted), READ_BACK_SECONDS)
    except HandlerError as error:
        raise restore(bedrock, previous, error) from error
    if not returned:
        unconfirmed = HandlerError(
            f"{action} failed: the service still returned another configuration "
            f"{READ_BACK_SECONDS:.0f} s after it was set"
        )
        raise restore(bedrock, previous, unconfirmed)


def _put(bedrock: Service, wanted: dict[str, Any], action: str) -> None:
    """PutModelInvocationLoggingConfiguration, retried while the new delivery role or bucket policy
    is not yet usable (:meth:`Service.call_while_propagating`). A refusal changed nothing."""
    bedrock.call_while_propagating(
        "put_model_invocation_logging_configuration",
        action,
        "the service checks that it may use the delivery role and write to the bucket; check the role's "
        "trust and permissions and the bucket policy, then deploy again",
        loggingConfig=wanted,
    )


def restore(bedrock: Service, previous: dict[str, Any] | None, error: HandlerError) -> HandlerError:
    """``error``, after putting back the configuration that was in place (in the Lambda's reserve)."""
    cleanup = bedrock.for_cleanup()
    try:
        if previous is None:
            _delete(cleanup, "turning invocation logging off again")
        else:
            cleanup.call_or_fail(
                "put_model_invocation_logging_configuration",
                "restoring the previous invocation logging",
                loggingConfig=previous,
            )
    except HandlerError as failed:
        return HandlerError(f"{error}; then {failed}: check invocation logging in the Bedrock console")
    what = (
        "the previous configuration was restored" if previous else "invocation logging was turned off again"
    )
    return HandlerError(f"{error}; {what}")


def remove(bedrock: Service, wanted: Mapping[str, Any]) -> None:
    """Remove the configuration, only while it is still ``wanted`` (the one this resource set)."""
    current = current_config(bedrock)
    if current is None:
        return
    if not same(current, wanted):
        custom_resource.LOGGER.warning(
            "invocation logging was changed by someone else since it was set; it is left as it is"
        )
        return
    _delete(bedrock, "removing invocation logging")


def _delete(bedrock: Service, action: str) -> None:
    """DeleteModelInvocationLoggingConfiguration; "not found" means it is already off."""
    try:
        bedrock.call("delete_model_invocation_logging_configuration", action)
    except ClientError as error:
        if custom_resource.error_code(error) != NOT_FOUND:
            raise failure(error, action) from error


def check(event: Event, bedrock: Service) -> Response:
    """Complete when the service returns what was set, or, after a delete, no longer returns it."""
    wanted = logging_config(event, bedrock)
    current = current_config(bedrock)
    if event["RequestType"] == "Delete":
        return {"IsComplete": current is None or not same(current, wanted)}
    return {"IsComplete": current is not None and same(current, wanted)}


def physical_id_of(event: Event) -> str:
    """``bedrock-invocation-logging-<account>-<region>``, from the stack's ARN."""
    parts = str(event["StackId"]).split(":")
    return f"bedrock-invocation-logging-{parts[4]}-{parts[3]}"


def logging_config(event: Event, bedrock: Service) -> dict[str, Any]:
    """The ``loggingConfig`` of the resource's properties, typed per the service model."""
    try:
        raw = dict(custom_resource.properties(event)["LoggingConfig"])
        # Only true flags are sent (older templates carry false ones too): see the module docstring.
        sent = {
            key: setting
            for key, setting in raw.items()
            if key not in DELIVERY_FLAGS or str(setting).lower() == "true"
        }
        request = custom_resource.typed_request(
            bedrock, "put_model_invocation_logging_configuration", {"loggingConfig": sent}
        )
    except (KeyError, TypeError, ValueError) as error:
        raise HandlerError(f"invalid invocation logging properties: {error!r}") from error
    config: dict[str, Any] = request["loggingConfig"]
    return config


def current_config(bedrock: Service) -> dict[str, Any] | None:
    """The configuration in place, or None when logging is off."""
    operation = "get_model_invocation_logging_configuration"
    response = bedrock.call_or_fail(operation, "reading invocation logging")
    config = response.get("loggingConfig")
    return dict(config) if config else None


def same(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Whether two configurations deliver the same data to the same places (absent flags are false)."""
    return _normalized(current) == _normalized(wanted)


def _returns(bedrock: Service, wanted: Mapping[str, Any]) -> bool:
    """Whether the service returns ``wanted`` as the configuration in place."""
    current = current_config(bedrock)
    return current is not None and same(current, wanted)


def _normalized(config: Mapping[str, Any]) -> dict[str, Any]:
    normalized = {key: value for key, value in config.items() if value not in (None, {}, "")}
    for flag in DELIVERY_FLAGS:
        normalized[flag] = bool(config.get(flag, False))
    return normalized


def _takes_over(event: Event) -> bool:
    return str(custom_resource.properties(event).get("TakeOverExisting", "false")).lower() == "true"


def _bucket(config: Mapping[str, Any]) -> str:
    return str(config.get("s3Config", {}).get("bucketName", "none"))


def _log_group(config: Mapping[str, Any]) -> str:
    return str(config.get("cloudWatchConfig", {}).get("logGroupName", "none"))
