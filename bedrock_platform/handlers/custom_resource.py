"""What every custom resource handler shares: the event, idempotency tokens, retries, failures.

The handlers follow the CDK ``Provider`` framework's contract: ``on_event`` starts the work and
returns ``{"PhysicalResourceId": ...}``; ``is_complete`` returns ``{"IsComplete": bool, "Data":
{...}}``; an exception fails the resource, and its message (one line) becomes the reason
CloudFormation shows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

Event = Mapping[str, Any]
Response = dict[str, Any]

LOGGER = logging.getLogger("bedrock_platform.handlers")
LOGGER.setLevel(logging.INFO)

RETRYABLE_ERRORS = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "InternalServerException",
        "ServiceUnavailableException",
    }
)
"""Error codes that mean "try again later"; every other error fails at once."""
MAX_ATTEMPTS = 6
BASE_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 16.0
NOT_FOUND = "ResourceNotFoundException"
CONFLICT = "ConflictException"

HINTS: Mapping[str, str] = {
    "AccessDeniedException": (
        "the handler's role lacks a permission, or the account has no access to the model"
    ),
    "ServiceQuotaExceededException": (
        "request a higher quota in Service Quotas (Amazon Bedrock) and deploy again"
    ),
    "ValidationException": "the service refused the request as invalid",
    "ConflictException": "the resource is busy with another change; deploy again when it has finished",
    "TooManyTagsException": "the resource would have more tags than the service allows",
}
"""What to do about each error code, added to the failure reason."""


class HandlerError(Exception):
    """A failure CloudFormation shows as the resource's status reason, on one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(str(text).split())


def error_code(error: ClientError) -> str:
    """The service's error code of a ClientError, e.g. ``ThrottlingException``."""
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def failure(error: ClientError, action: str) -> HandlerError:
    """A one-line failure: what was being done, the service's code and message, and what to do."""
    details = error.response.get("Error", {})
    code = error_code(error)
    message = str(details.get("Message") or "no message")
    hint = HINTS.get(code)
    return HandlerError(f"{action} failed: {code}: {message}" + (f" ({hint})" if hint else ""))


def client(service: str) -> Any:
    """A boto3 client for the Lambda's Region; retries are :func:`call`'s job, not botocore's."""
    return boto3.client(
        service,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, user_agent_extra="bedrock-platform"),
    )


def pause(seconds: float) -> None:
    """Sleep between attempts (tests replace it)."""
    time.sleep(seconds)


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1-based): exponential, capped, jittered."""
    ceiling: float = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** (attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # jitter, not cryptography


def call(service_client: Any, operation: str, **params: Any) -> Response:
    """Call ``operation``, retrying throttling and transient service errors with backoff.

    Gives up after :data:`MAX_ATTEMPTS` attempts by raising the last error.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response: Response = getattr(service_client, operation)(**params)
            return response
        except ClientError as error:
            if error_code(error) not in RETRYABLE_ERRORS or attempt == MAX_ATTEMPTS:
                raise
            reason = error_code(error)
        except BotocoreConnectionError as error:
            if attempt == MAX_ATTEMPTS:
                raise
            reason = type(error).__name__
        delay = backoff(attempt)
        LOGGER.info(
            "%s: %s, attempt %d of %d, retrying in %.1f s", operation, reason, attempt, MAX_ATTEMPTS, delay
        )
        pause(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def call_or_fail(service_client: Any, operation: str, action: str, **params: Any) -> Response:
    """:func:`call`, with every service error as a one-line failure saying what was being done."""
    try:
        return call(service_client, operation, **params)
    except ClientError as error:
        raise failure(error, action) from error


def properties(event: Event, key: str = "ResourceProperties") -> dict[str, Any]:
    """The resource's properties without the framework's ``ServiceToken``."""
    return {name: value for name, value in event.get(key, {}).items() if name != "ServiceToken"}


def request_token(event: Event, *, salt: str = "") -> str:
    """A ``clientRequestToken`` that is the same for every retry of the same create.

    Derived from the stack id, the logical id and the resource's properties: a retried create
    (the same deployment run again) sends the same token and so never creates a second resource,
    while a replacement (other properties, same logical id) gets a new one. ``salt`` makes a
    fresh token when the service remembers the old one for a resource that is gone.
    """
    identity = [event["StackId"], event["LogicalResourceId"], properties(event), salt]
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def is_arn(physical_id: str) -> bool:
    """True when the physical id is a service ARN (a create that failed early leaves none)."""
    return physical_id.startswith("arn:")


def log_request(event: Event, physical_id: str | None = None) -> None:
    """Log what is being done, never the properties (they may carry sensitive values)."""
    LOGGER.info(
        "%s %s %s",
        event.get("RequestType"),
        event.get("LogicalResourceId"),
        physical_id or event.get("PhysicalResourceId", "(new)"),
    )


def typed_request(service_client: Any, method: str, request: Mapping[str, Any]) -> dict[str, Any]:
    """``request`` for ``service_client.<method>`` with its numbers and booleans restored.

    CloudFormation passes every custom resource property as a string; the operation's input
    shape in botocore's service model says which were numbers or booleans.
    """
    operation = service_client.meta.method_to_api_mapping[method]
    typed: dict[str, Any] = coerce(
        service_client.meta.service_model.operation_model(operation).input_shape, request
    )
    return typed


def coerce(shape: Any, value: Any) -> Any:
    """``value`` with CloudFormation's strings for numbers and booleans turned back, per the service model."""
    if shape.type_name == "structure":
        return {name: coerce(shape.members[name], item) for name, item in dict(value).items()}
    if shape.type_name == "list":
        return [coerce(shape.member, item) for item in value]
    if shape.type_name == "map":
        return {key: coerce(shape.value, item) for key, item in dict(value).items()}
    if shape.type_name in ("integer", "long"):
        return int(value)
    if shape.type_name in ("float", "double"):
        return float(value)
    if shape.type_name == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return value
