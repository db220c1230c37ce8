"""Custom resource handler: Amazon Bedrock model invocation logging of an account and Region.

Invocation logging is one setting per account and Region, with no CloudFormation type and no
resource id, so this handler owns it carefully:

- Create sets the configuration (``PutModelInvocationLoggingConfiguration``). When a different
  configuration is already in place (set by hand or by another tool) it refuses, unless the
  property ``TakeOverExisting`` is ``true``: a stack must not silently redirect logs someone
  else relies on. The same configuration already in place is adopted.
- Update sets the new configuration in place; a rollback sets the old one again.
- Delete removes the configuration only while it is still the one this resource set; a
  configuration changed since by someone else is left as it is (and logged).
- ``is_complete`` reads the configuration back until the service returns what was set (or,
  after a delete, no longer returns it).

Properties: ``LoggingConfig`` in the API's own shape (``s3Config``, ``cloudWatchConfig``, the
``...DataDeliveryEnabled`` flags), ``TakeOverExisting`` (optional). The physical id is
``bedrock-invocation-logging-<account>-<region>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import custom_resource
from .custom_resource import Event, HandlerError, Response, call_or_fail

DELIVERY_FLAGS = (
    "textDataDeliveryEnabled",
    "imageDataDeliveryEnabled",
    "embeddingDataDeliveryEnabled",
    "videoDataDeliveryEnabled",
    "audioDataDeliveryEnabled",
)
"""Every ``...DataDeliveryEnabled`` flag of ``LoggingConfig``; an absent one is false."""


def on_event(event: Event, context: object) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, custom_resource.client("bedrock"))


def is_complete(event: Event, context: object) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, custom_resource.client("bedrock"))


def handle(event: Event, bedrock: Any) -> Response:
    """Set (Create, Update) or remove (Delete) the configuration; the physical id never changes."""
    custom_resource.log_request(event)
    physical_id = physical_id_of(event)
    wanted = logging_config(event, bedrock)
    if event["RequestType"] == "Delete":
        current = current_config(bedrock)
        if current is None:
            return {"PhysicalResourceId": physical_id}
        if not same(current, wanted):
            custom_resource.LOGGER.warning(
                "invocation logging was changed by someone else since it was set; it is left as it is"
            )
            return {"PhysicalResourceId": physical_id}
        call_or_fail(bedrock, "delete_model_invocation_logging_configuration", "removing invocation logging")
        return {"PhysicalResourceId": physical_id}
    if event["RequestType"] == "Create" and not _takes_over(event):
        current = current_config(bedrock)
        if current is not None and not same(current, wanted):
            raise HandlerError(
                "model invocation logging is already configured in this account and Region "
                f"(s3: {_bucket(current)}, CloudWatch Logs: {_log_group(current)}); remove it, or set "
                "invocation_logging.take_over_existing: true to replace it"
            )
    call_or_fail(
        bedrock,
        "put_model_invocation_logging_configuration",
        "setting invocation logging",
        loggingConfig=wanted,
    )
    return {"PhysicalResourceId": physical_id}


def check(event: Event, bedrock: Any) -> Response:
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


def logging_config(event: Event, bedrock: Any) -> dict[str, Any]:
    """The ``loggingConfig`` of the resource's properties, typed per the service model."""
    try:
        raw = custom_resource.properties(event)["LoggingConfig"]
        request = custom_resource.typed_request(
            bedrock, "put_model_invocation_logging_configuration", {"loggingConfig": raw}
        )
    except (KeyError, TypeError, ValueError) as error:
        raise HandlerError(f"invalid invocation logging properties: {error!r}") from error
    config: dict[str, Any] = request["loggingConfig"]
    return config


def current_config(bedrock: Any) -> dict[str, Any] | None:
    """The configuration in place, or None when logging is off."""
    operation = "get_model_invocation_logging_configuration"
    response = call_or_fail(bedrock, operation, "reading invocation logging")
    config = response.get("loggingConfig")
    return dict(config) if config else None


def same(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Whether two configurations deliver the same data to the same places (absent flags are false)."""
    return _normalized(current) == _normalized(wanted)


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
