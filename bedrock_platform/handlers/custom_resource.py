"""What every custom resource handler shares: the event, idempotency tokens, retries, failures.

The handlers follow the CDK ``Provider`` framework's contract: ``on_event`` starts the work and
returns ``{"PhysicalResourceId": ...}``; ``is_complete`` returns ``{"IsComplete": bool, "Data":
{...}}``; an exception fails the resource, and its message (one line) becomes the reason
CloudFormation shows.

Every service call goes through a :class:`Service`. It retries throttling, transient service
errors and calls that got no answer, with exponential backoff and full jitter, but starts no
attempt that could end inside the last :data:`RESERVE_SECONDS` of the Lambda's time. That
reserve is what lets a handler undo what it started and report one clear line. A Lambda that
runs out of time instead fails with "Task timed out", and for a create the framework then
answers the rollback's Delete itself, so whatever the create bought would be left behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

Event = Mapping[str, Any]
Response = dict[str, Any]

LOGGER = logging.getLogger("bedrock_platform.handlers")
LOGGER.setLevel(logging.INFO)

THROTTLING_ERRORS = frozenset({"ThrottlingException", "TooManyRequestsException"})
"""Error codes that mean "slow down"."""
UNAVAILABLE_ERRORS = frozenset({"ServiceUnavailableException", "InternalServerException"})
"""Error codes that mean "the service could not answer now"."""
RETRYABLE_ERRORS = THROTTLING_ERRORS | UNAVAILABLE_ERRORS
"""Error codes that mean "try again later"; every other error fails at once."""
NO_ANSWER = (BotocoreConnectionError, HTTPClientError)
"""What botocore raises when a call got no answer: ``ConnectTimeoutError``,
``EndpointConnectionError`` (both ``ConnectionError``), ``ReadTimeoutError`` and
``ConnectionClosedError`` (both ``HTTPClientError``). The service may have acted on it."""

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 15.0
ATTEMPT_SECONDS = CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS
"""The longest one attempt can take: botocore itself never retries (``total_max_attempts`` 1)."""
REPORT_SECONDS = 5.0
"""Kept free at the very end of the Lambda's time, to return the failure to the framework."""
RESERVE_SECONDS = ATTEMPT_SECONDS + REPORT_SECONDS
"""Kept free at the end of the Lambda's time by ordinary calls: one clean-up attempt, then the report."""
BASE_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 16.0

PROPAGATION_ERRORS = frozenset({"ValidationException", "AccessDeniedException"})
"""What a service answers while a role or policy created seconds earlier is not yet usable by it:
Bedrock validates a job's or a logging configuration's role (and the caller's iam:PassRole) when
it is called."""
PROPAGATION_SECONDS = 60.0
"""How long :meth:`Service.call_while_propagating` keeps retrying :data:`PROPAGATION_ERRORS`."""

NOT_FOUND = "ResourceNotFoundException"
CONFLICT = "ConflictException"
VALIDATION = "ValidationException"

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


class GaveUp(HandlerError):
    """A call still throttled, unavailable or unanswered when the Lambda's time ran out.

    :param unanswered: some attempt got no answer, so the service may have done what it asked.
    """

    def __init__(self, message: str, *, unanswered: bool) -> None:
        super().__init__(message)
        self.unanswered = unanswered


class LambdaContext(Protocol):
    """What the handlers use of the Lambda context object."""

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds until the Lambda runtime stops the invocation."""


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(str(text).split())


def error_code(error: ClientError) -> str:
    """The service's error code of a ClientError, e.g. ``ThrottlingException``."""
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def error_text(error: ClientError) -> str:
    """``<code>: <message>`` of a ClientError."""
    return f"{error_code(error)}: {error.response.get('Error', {}).get('Message') or 'no message'}"


def failure(error: ClientError, action: str) -> HandlerError:
    """A one-line failure: what was being done, the service's code and message, and what to do."""
    hint = HINTS.get(error_code(error))
    return HandlerError(f"{action} failed: {error_text(error)}" + (f" ({hint})" if hint else ""))


def client(service: str) -> Any:
    """A boto3 client for the Lambda's Region that gives up on a silent endpoint within seconds.

    botocore makes exactly one attempt per call; retrying is :meth:`Service.call`'s job, which
    knows how much of the Lambda's time is left.
    """
    return boto3.client(
        service,
        config=Config(
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
            retries={"total_max_attempts": 1, "mode": "standard"},
            user_agent_extra="bedrock-platform",
        ),
    )


def backoff_ceiling(attempt: int) -> float:
    """The longest wait after failed attempt ``attempt`` (1-based): doubling from 1 s, at most 16 s."""
    return min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2.0 ** (attempt - 1))


def full_jitter(ceiling: float) -> float:
    """A wait drawn evenly from 0 to ``ceiling``, so handlers throttled together spread out."""
    wait: float = random.uniform(0, ceiling)  # jitter, not cryptography
    return wait


def _attempts(count: int) -> str:
    return f"{count} attempt" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class Service:
    """A boto3 client whose calls the handler retries itself, never into the end of the Lambda's time.

    :param client: the boto3 client (with Stubber in tests).
    :param ends_at: when the Lambda runtime stops the invocation, on ``clock``'s scale.
    :param reserve: seconds before ``ends_at`` by which every attempt must be able to end.
    :param sleep: waits between attempts (tests record instead of sleeping).
    :param clock: monotonic seconds.
    :param jitter: the wait for a backoff ceiling (:func:`full_jitter`).
    """

    client: Any
    ends_at: float
    reserve: float = RESERVE_SECONDS
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[float], float] = full_jitter

    @classmethod
    def for_lambda(cls, service: str, context: LambdaContext) -> Service:
        """The service's client for one Lambda invocation, bounded by its remaining time."""
        built = client(service)  # first: building a client can take a second on a cold start
        remaining = context.get_remaining_time_in_millis() / 1000
        return cls(built, ends_at=time.monotonic() + remaining)

    def for_cleanup(self) -> Service:
        """The same client, allowed into the reserve: for undoing what a failed request started."""
        return replace(self, reserve=REPORT_SECONDS)

    def seconds_left(self) -> float:
        """Seconds until the reserve begins."""
        return self.ends_at - self.reserve - self.clock()

    def call(self, operation: str, action: str, /, **params: Any) -> Response:
        """``client.<operation>(**params)``, retried while it is throttled, unavailable or unanswered.

        Waits grow exponentially with full jitter (:func:`backoff_ceiling`, :attr:`jitter`). An
        attempt starts only if it can end before the reserve; when none can, :class:`GaveUp`
        says what ``action`` met, on how many attempts and for how long. Any other service error
        is raised as the ``ClientError`` it is, for the handler to judge.
        """
        api = self.client.meta.method_to_api_mapping.get(operation, operation)
        if self.seconds_left() < ATTEMPT_SECONDS:
            raise GaveUp(
                f"{action} failed: {api} was not called, as the Lambda's time is nearly up "
                f"({self.seconds_left() + self.reserve:.0f} s left)",
                unanswered=False,
            )
        started, attempt, unanswered = self.clock(), 0, False
        while True:
            attempt += 1
            try:
                response: Response = getattr(self.client, operation)(**params)
                return response
            except ClientError as error:
                if error_code(error) not in RETRYABLE_ERRORS:
                    raise
                fault: Exception = error
            except NO_ANSWER as error:
                fault, unanswered = error, True
            delay = self.jitter(backoff_ceiling(attempt))
            if delay + ATTEMPT_SECONDS > self.seconds_left():
                elapsed = self.clock() - started
                raise GaveUp(_gave_up(action, api, fault, attempt, elapsed), unanswered=unanswered) from fault
            LOGGER.info("%s: %s, attempt %d, retrying in %.1f s", api, _fault_name(fault), attempt, delay)
            self.sleep(delay)

    def call_while_propagating(self, operation: str, action: str, advice: str, /, **params: Any) -> Response:
        """:meth:`call`, also retried while the service refuses it with :data:`PROPAGATION_ERRORS`.

        For a call that names a role or policy created seconds earlier in the same deploy: the
        service checks them when it is called, and IAM changes take a while to be usable
        everywhere. Retries with backoff for at most :data:`PROPAGATION_SECONDS` (never into the
        reserve); then a :class:`HandlerError` says what ``action`` met and ``advice``. Other
        service errors are raised as the ``ClientError`` they are.
        """
        api = self.client.meta.method_to_api_mapping.get(operation, operation)
        started, attempt = self.clock(), 0
        while True:
            attempt += 1
            try:
                return self.call(operation, action, **params)
            except ClientError as error:
                if error_code(error) not in PROPAGATION_ERRORS:
                    raise
                elapsed = self.clock() - started
                delay = self.jitter(backoff_ceiling(attempt))
                if elapsed + delay > PROPAGATION_SECONDS or delay + ATTEMPT_SECONDS > self.seconds_left():
                    tried = f"on all {_attempts(attempt)} in {elapsed:.0f} s"
                    raise HandlerError(f"{action} failed: {error_text(error)}, {tried} ({advice})") from error
                LOGGER.info(
                    "%s: %s, attempt %d, retrying in %.1f s (a new role or policy may not be usable yet)",
                    api,
                    error_code(error),
                    attempt,
                    delay,
                )
                self.sleep(delay)

    def call_or_fail(self, operation: str, action: str, /, **params: Any) -> Response:
        """:meth:`call`, with every service error as a one-line failure saying what was being done."""
        try:
            return self.call(operation, action, **params)
        except ClientError as error:
            raise failure(error, action) from error

    def wait_until(self, done: Callable[[], bool], seconds: float) -> bool:
        """Ask ``done`` with backoff until it holds, for at most ``seconds``; whether it held."""
        until = min(self.clock() + seconds, self.ends_at - self.reserve - ATTEMPT_SECONDS)
        attempt = 0
        while not done():
            attempt += 1
            delay = self.jitter(backoff_ceiling(attempt))
            if self.clock() + delay > until:
                return False
            self.sleep(delay)
        return True


def _fault_name(fault: Exception) -> str:
    return error_code(fault) if isinstance(fault, ClientError) else type(fault).__name__


def _gave_up(action: str, api: str, fault: Exception, attempts: int, elapsed: float) -> str:
    """The failure of a call that was retried until the Lambda's time ran out."""
    tried = f"{_attempts(attempts)} in {elapsed:.0f} s, stopping before the Lambda's timeout"
    if isinstance(fault, ClientError):
        state = "throttled" if error_code(fault) in THROTTLING_ERRORS else "unavailable"
        return f"{action} failed: {api} was {state} on all {tried} ({error_text(fault)}); deploy again later"
    return (
        f"{action} failed: no answer from {api} within {elapsed:.0f} s ({_attempts(attempts)}, "
        f"stopping before the Lambda's timeout; last: {type(fault).__name__}: {fault})"
    )


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


def is_arn_of(physical_id: str, resource: str) -> bool:
    """True when the physical id is the ARN of a ``resource`` (``provisioned-model``, ...).

    A create that failed before the handler returned an ARN leaves another physical id: the
    Provider framework's ``...::CREATE_FAILED`` marker, or the request id. A Delete of such an
    id must touch nothing.
    """
    return physical_id.startswith("arn:") and f":{resource}/" in physical_id


def log_request(event: Event, physical_id: str | None = None) -> None:
    """Log what is being done, never the properties (they may carry sensitive values)."""
    LOGGER.info(
        "%s %s %s",
        event.get("RequestType"),
        event.get("LogicalResourceId"),
        physical_id or event.get("PhysicalResourceId", "(new)"),
    )


def typed_request(service: Service, method: str, request: Mapping[str, Any]) -> dict[str, Any]:
    """``request`` for ``client.<method>`` with its numbers and booleans restored.

    CloudFormation passes every custom resource property as a string; the operation's input
    shape in botocore's service model says which were numbers or booleans.
    """
    meta = service.client.meta
    operation = meta.method_to_api_mapping[method]
    typed: dict[str, Any] = coerce(meta.service_model.operation_model(operation).input_shape, request)
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
